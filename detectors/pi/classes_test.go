package pi

import (
	"strings"
	"testing"
)

func slowClasses(v []byte) Classes {
	var c Classes
	for _, b := range v {
		c |= byteClass[b]
	}
	return c
}

func TestClassesOf(t *testing.T) {
	for _, tc := range []struct {
		v    string
		want Classes
	}{
		{"", 0},
		{"13812345678", ClassDigit},
		{"138-1234-5678", ClassDigit | ClassOther},
		{"张伟", ClassHigh},
		{"用户123456", ClassHigh | ClassDigit},
		{"user@example.com", ClassLetter | ClassOther},
		{"ABCDEFGHIJKLMNOPQRSTUVWXYZ", ClassLetter},
		{"@[`{/:", ClassOther},
		{"\x00\x7f", ClassOther},
	} {
		if got := ClassesOf([]byte(tc.v)); got != tc.want {
			t.Errorf("ClassesOf(%q) = %v, want %v", tc.v, got, tc.want)
		}
	}
	// every byte value at every position of a word agrees with the table
	for b := 0; b < 256; b++ {
		for pos := 0; pos < 16; pos++ {
			v := []byte(strings.Repeat("7", 16))
			v[pos] = byte(b)
			if got, want := ClassesOf(v), slowClasses(v); got != want {
				t.Fatalf("ClassesOf(%q) = %v, want %v", v, got, want)
			}
		}
	}
}

func FuzzClassesOf(f *testing.F) {
	f.Add([]byte("客户张伟 13812345678 zhang@163.com"))
	f.Fuzz(func(t *testing.T, v []byte) {
		if got, want := ClassesOf(v), slowClasses(v); got != want {
			t.Fatalf("ClassesOf(%q) = %v, want %v", v, got, want)
		}
	})
}
