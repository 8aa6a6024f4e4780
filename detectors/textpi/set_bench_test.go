package textpi_test

import (
	"bytes"
	"testing"

	"github.com/piiscan/piiscan/corpus"
	"github.com/piiscan/piiscan/detectors"
	"github.com/piiscan/piiscan/detectors/pi"
)

// BenchmarkSetCorpus scans the lines of the engine benchmark's mixed text
// with every registered detector, as the engine does for a plain-text file:
// the other detectors' tables compete for the caches, so profile this one
// (-cpuprofile) to see textpi's share of a real scan.
func BenchmarkSetCorpus(b *testing.B) {
	set, err := detectors.NewSet(detectors.Options{})
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if _, _, err := corpus.Write(&buf, corpus.FormatMixed, corpus.Options{Seed: 1, Size: 4 << 20}, false); err != nil {
		b.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSuffix(buf.Bytes(), []byte("\n")), []byte("\n"))
	f := set.Field("", "", "")
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	var dst []pi.Match
	for b.Loop() {
		for _, l := range lines {
			dst = set.Scan(l, f, dst[:0])
		}
	}
}
