package fpe

import (
	"math/rand/v2"
	"testing"
)

// TestGBCheck: gbCheck against GB 11643's definition, weight 2^(17-i) mod
// 11 for the i-th digit (0-based), on random numbers and on the standard's
// sample 11010519491231002X.
func TestGBCheck(t *testing.T) {
	ref := func(d []uint16) uint16 {
		s := 0
		for i := range 17 {
			s += int(d[i]) * (1 << (17 - i) % 11)
		}
		return uint16((12 - s%11) % 11)
	}
	sample := []uint16{1, 1, 0, 1, 0, 5, 1, 9, 4, 9, 1, 2, 3, 1, 0, 0, 2}
	if got := gbCheck(sample); got != 10 {
		t.Errorf("gbCheck(11010519491231002) = %d, want 10 ('X')", got)
	}
	r := rand.New(rand.NewPCG(1, 2))
	d := make([]uint16, 18)
	for range 100000 {
		for i := range d {
			d[i] = uint16(r.IntN(10))
		}
		if got, want := gbCheck(d), ref(d); got != want {
			t.Fatalf("gbCheck(%v) = %d, want %d", d[:17], got, want)
		}
	}
}
