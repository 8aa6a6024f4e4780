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

	"github.com/piiscan/piiscan/corpus"
)

func main() {
	out := flag.String("out", "corpus/generated", "output directory")
	labels := flag.String("labels", "", "directory for the .labels.jsonl sidecars (default: -out)")
	seed := flag.Uint64("seed", 1, "random seed; the same seed and size give the same bytes")
	size := flag.String("size", "4MB", "total uncompressed bytes (suffixes KB, MB, GB; powers of 1000)")
	flag.Parse()
	n, err := corpus.ParseSize(*size)
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
