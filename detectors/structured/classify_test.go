package structured

import (
	"math/rand/v2"
	"testing"
)

// classifier is one implementation of classify64 (classifiers lists those
// of this build).
type classifier struct {
	name string
	f    func(*[64]byte) (uint64, uint64)
}

// TestClassify64 compares classify64, each of the variants it chooses
// from (classifiers) and classifyWords
// with the byte table: every byte value in every lane, among bytes of
// every kind, and random blocks.
func TestClassify64(t *testing.T) {
	check := func(p *[64]byte) {
		t.Helper()
		var wd, wl uint64
		for k, c := range p {
			switch cls[c] {
			case clsDigit:
				wd |= 1 << k
			case clsUpper, clsLower:
				wl |= 1 << k
			}
		}
		if d, l := classify64(p); d != wd || l != wl {
			t.Fatalf("classify64(%q) = %#x, %#x, want %#x, %#x", p[:], d, l, wd, wl)
		}
		if d, l := classifyWords(p); d != wd || l != wl {
			t.Fatalf("classifyWords(%q) = %#x, %#x, want %#x, %#x", p[:], d, l, wd, wl)
		}
		for _, c := range classifiers {
			if d, l := c.f(p); d != wd || l != wl {
				t.Fatalf("%s(%q) = %#x, %#x, want %#x, %#x", c.name, p[:], d, l, wd, wl)
			}
		}
	}
	var p [64]byte
	fill := "中文a1Z9 @/`{:\xef\xbc\x88" // neighbours of the ranges' ends
	for k := range p {
		p[k] = fill[k%len(fill)]
	}
	for k := range p {
		keep := p[k]
		for c := range 256 {
			p[k] = byte(c)
			check(&p)
		}
		p[k] = keep
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 10000 {
		for k := range p {
			p[k] = byte(r.IntN(256))
		}
		check(&p)
	}
}
