// Package tsv reads the tab-separated data files that the table generators
// (go:generate commands) build the embedded dictionaries and code tables
// from.
package tsv

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// Each calls fn with the tab-separated columns of every line of path that
// is neither blank nor a '#' comment (a trailing CR is dropped). Errors,
// fn's included, name the file and line.
func Each(path string, fn func(cols []string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		t := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(t) == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if err := fn(strings.Split(t, "\t")); err != nil {
			return fmt.Errorf("%s:%d: %w", path, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s:%d: %w", path, line, err)
	}
	return nil
}
