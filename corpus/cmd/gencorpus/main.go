// Command gencorpus writes a labelled synthetic corpus: one file per format
// (CSV, JSON lines, a gzip log, a mysqldump, free text, a decoy-only log)
// and a sidecar NAME.labels.jsonl per file with the offset, length and type
// of every planted value.
//
//	go run ./corpus/cmd/gencorpus -out DIR -seed N -size BYTES [-labels DIR]
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/piiscan/piiscan/corpus"
)

func main() {
	out := flag.String("out", "corpus/generated", "output directory")
	labels := flag.String("labels", "", "directory for the .labels.jsonl sidecars (default: -out)")
	seed := flag.Uint64("seed", 1, "random seed; the same seed and size give the same bytes")
	size := flag.String("size", "4MB", "total uncompressed bytes (suffixes KB, MB, GB; powers of 1000)")
	flag.Parse()
	n, err := ParseSize(*size)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(2)
	}
	if *labels == "" {
		*labels = *out
	}
	files, err := corpus.Generate(*out, *labels, corpus.Options{Seed: *seed, Size: n})
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
	for _, f := range files {
		fmt.Printf("%-16s %-7s %10d bytes %7d labels\n", f.Name, f.Format, f.Bytes, len(f.Labels))
	}
}

// ParseSize reads 200MB, 1GB, 64KB or a plain byte count.
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
