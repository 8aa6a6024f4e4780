package textpi

import (
	"strings"
	"testing"

	ac "github.com/BobuSumisu/aho-corasick"
	"github.com/piiscan/piiscan/detectors/textpi/internal/gen"
)

// BenchmarkAhoCorasickScan measures what an Aho-Corasick pass over the
// detector's scan vocabulary (cue words, division names, surnames) costs on
// the same input, for comparison with the flag-table scan.
func BenchmarkAhoCorasickScan(b *testing.B) {
	var pats []string
	pats = append(pats, strongCueWords...)
	pats = append(pats, weakCueWords...)
	pats = append(pats, addrCues...)
	for _, line := range strings.Split(gen.Divisions, "\n") {
		f := strings.Split(line, "\t")
		if len(f) >= 3 && line[0] != '#' {
			pats = append(pats, f[2])
			if len(f) > 3 && f[3] != "" {
				pats = append(pats, f[3])
			}
		}
	}
	for _, line := range strings.Split(gen.Surnames, "\n") {
		f := strings.Split(line, "\t")
		if len(f) >= 3 && line[0] != '#' {
			pats = append(pats, f[0])
		}
	}
	tr := ac.NewTrieBuilder().AddStrings(pats).Build()
	lines := benchLines(1 << 20)
	n := 0
	for _, l := range lines {
		n += len(l)
	}
	b.Logf("%d patterns", len(pats))
	b.SetBytes(int64(n))
	b.ReportAllocs()
	hits := 0
	for b.Loop() {
		for _, l := range lines {
			hits += len(tr.Match(l))
		}
	}
}
