package pi

import (
	"fmt"
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
		for pos := 0; pos < 19; pos++ {
			v := []byte(strings.Repeat("7", 19))
			v[pos] = byte(b)
			for _, w := range [][]byte{v, v[:pos+1], v[pos:]} {
				if got, want := ClassesOf(w), slowClasses(w); got != want {
					t.Fatalf("ClassesOf(%q) = %v, want %v", w, got, want)
				}
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

func BenchmarkClassesOf(b *testing.B) {
	for _, v := range []string{"13812345678", "user123456@example.com", "北京市朝阳区建国路456号院12号楼"} {
		b.Run(fmt.Sprint(len(v)), func(b *testing.B) {
			p := []byte(v)
			b.SetBytes(int64(len(p)))
			for b.Loop() {
				ClassesOf(p)
			}
		})
	}
}
