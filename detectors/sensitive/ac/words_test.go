package ac

import (
	"math/bits"
	"strings"
	"testing"
)

// TestSkipWords32 compares the word kernel of this build with
// skipWords32Go, and skipWords32Go with skipWords: every byte it steps
// over, skipWords steps over too (no candidate, no non-ASCII byte), and
// it stops at a non-ASCII byte, at the end, or before a block that holds
// a candidate (or a non-ASCII byte first in it); a word start with fewer
// than three bytes left is no candidate. Inputs:
// log-like ASCII of every length to 120 bytes with a word that is in tri,
// a non-ASCII byte or a word boundary at every position, from every start
// and with both prev values.
func TestSkipWords32(t *testing.T) {
	a := Build([]string{"HIV", "hiv阳性", "2019冠状病毒病", "DNA", "iris", "lgbt", "高血压"})
	base := strings.Repeat("GET /api/v1/user?id=8f2c1a&page=2 status=200 latency_ms=12.5 ", 3)
	var in [][]byte
	for n := 0; n <= 120; n++ {
		in = append(in, []byte(base[:n]))
		for pos := 0; pos < n; pos++ {
			for _, ins := range []string{"HIV", "hiv", "2019", "dna ", " iris", "\xe9", "é", " ", "x", "9"} {
				b := []byte(base[:n])
				copy(b[pos:], ins)
				in = append(in, b)
			}
		}
	}
	checked := 0
	for _, v := range in {
		for i := 0; i <= len(v) && i < 12; i++ {
			for _, prev := range []uint64{0, 0x80} {
				n := skipWords32Go(v, i, prev, a.tri)
				if got := skipWords32(v, i, prev, a.tri); got != n {
					t.Fatalf("skipWords32(%q, %d, %#x) = %d, skipWords32Go %d", v, i, prev, got, n)
				}
				if n%wordsBlock != 0 && i+n < len(v) && v[i+n] < 0x80 || i+n > len(v) {
					t.Fatalf("skipWords32Go(%q, %d, %#x) = %d", v, i, prev, n)
				}
				if n == 0 || i+16 > len(v) {
					continue
				}
				// skipWords without the kernel, step by step, passes the
				// same bytes without a stop.
				j, p := i, prev
				vp := append(v[:len(v):len(v)], make([]byte, 8)...) // zero-padded for the eight-byte reads
				for j < i+n {
					x := load64(vp, j)
					lim := min(8, i+n-j) // the bytes stepped over
					in := ^uint64(0) >> (64 - 8*lim)
					if x&msb&in != 0 {
						t.Fatalf("skipWords32Go(%q, %d) = %d steps over a non-ASCII byte", v, i, n)
					}
					al := alnumMask(x)
					for ws := al &^ (al<<8 | p) & in; ws != 0; ws &= ws - 1 {
						k := j + bits.TrailingZeros64(ws)>>3
						if h := triHash(load64(vp, k)); k+3 <= len(v) && a.tri[h>>6]&(1<<(h&63)) != 0 {
							t.Fatalf("skipWords32Go(%q, %d) = %d steps over a word in tri at %d", v, i, n, k)
						}
					}
					p = al >> 56 & 0x80
					j += 8
				}
				checked++
			}
		}
	}
	if checked < 10000 {
		t.Fatalf("only %d inputs with blocks stepped over", checked)
	}
}

// BenchmarkSkipWords32: a 4 KB run of log text (key=value pairs, paths,
// numbers) without a word in tri, by the kernel of this build and by the
// twin.
func BenchmarkSkipWords32(b *testing.B) {
	a := Build([]string{"HIV", "DNA", "高血压"})
	v := []byte(strings.Repeat("GET /api/v1/user?id=8f2c1a&page=2 status=200 latency_ms=12.5 ", 70))
	for _, k := range []struct {
		name string
		f    func([]byte, int, uint64, *[triBits / 64]uint64) int
	}{{"go", skipWords32Go}, {"kernel", skipWords32}} {
		b.Run(k.name, func(b *testing.B) {
			b.SetBytes(int64(len(v)))
			for b.Loop() {
				k.f(v, 0, 0, a.tri)
			}
		})
	}
}
