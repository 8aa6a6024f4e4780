package deid

import (
	"strings"
	"testing"
)

// TestPlainNumber: digits without a leading zero, whatever their length
// (the eight-byte steps and the byte tail), and a non-digit anywhere fails.
func TestPlainNumber(t *testing.T) {
	for _, tc := range []struct {
		v    string
		want bool
	}{
		{"", false},
		{"0", true},
		{"7", true},
		{"01", false},
		{"13812345678", true},
		{"6222021234567890123", true},
		{"12345678", true},
		{"1234567812345678", true},
		{"138****5678", false},
		{"1381234567/", false},
		{"1381234:678", false},
		{"13812345678\x80", false},
		{"-13812345678", false},
		{"1.5", false},
	} {
		if got := plainNumber([]byte(tc.v)); got != tc.want {
			t.Errorf("plainNumber(%q) = %v, want %v", tc.v, got, tc.want)
		}
	}
	// A non-digit at every position of every length up to 40.
	for n := 1; n <= 40; n++ {
		for i := range n {
			for _, c := range []byte{'/', ':', ' ', 'a', 0x80, 0xFF, '0' - 1, '9' + 1} {
				v := []byte(strings.Repeat("1", n))
				v[i] = c
				if plainNumber(v) {
					t.Errorf("plainNumber(%q) = true", v)
				}
			}
		}
		if !plainNumber([]byte(strings.Repeat("9", n))) {
			t.Errorf("plainNumber of %d nines = false", n)
		}
	}
}
