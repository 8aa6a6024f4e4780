package corpus

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseSize reads sizes as the corpus and bench tools take them: 200MB, 1GB, 64KB or a plain byte count.
func ParseSize(s string) (int64, error) {
	mult := int64(1)
	u := strings.ToUpper(strings.TrimSpace(s))
	for _, suf := range []struct {
		s string
		m int64
	}{{"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}} {
		if strings.HasSuffix(u, suf.s) {
			u, mult = strings.TrimSuffix(u, suf.s), suf.m
			break
		}
	}
	v, err := strconv.ParseFloat(u, 64)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("bad size %q (want e.g. 200MB, 1GB, 65536)", s)
	}
	return int64(v * float64(mult)), nil
}
