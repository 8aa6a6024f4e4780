package pi

import (
	"fmt"
	"math/rand/v2"
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
		// digits in the first words only, which the digit test reads
		{"12345678abcdefgh", ClassDigit | ClassLetter},
		{"1234567812345678用户名", ClassDigit | ClassHigh},
		{"20241231", ClassDigit},
		{"2024123X", ClassDigit | ClassLetter},
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

// TestMasks checks every byte value at every position of a word against
// the byte table (byteClass), among backgrounds that provoke carries and borrows in
// SWAR code (high bytes, digits, letters, punctuation), and random words.
func TestASCIIMasks(t *testing.T) {
	check := func(w uint64) {
		t.Helper()
		d, l := ASCIIMasks(w)
		for k := 0; k < 8; k++ {
			c := byte(w >> (8 * k))
			bit := uint64(0x80) << (8 * k)
			if got, want := d&bit != 0, byteClass[c] == ClassDigit; got != want {
				t.Fatalf("ASCIIMasks(%#016x) digit byte %d (%#x) = %v", w, k, c, got)
			}
			if got, want := l&bit != 0, byteClass[c] == ClassLetter; got != want {
				t.Fatalf("ASCIIMasks(%#016x) letter byte %d (%#x) = %v", w, k, c, got)
			}
		}
		if d&^msb != 0 || l&^msb != 0 {
			t.Fatalf("ASCIIMasks(%#016x) sets bits outside bit 7", w)
		}
	}
	for _, bg := range []uint64{0x8080808080808080, 0x2020202020202020, 0xffffffffffffffff, 0x3939393939393939, 0x7a7a7a7a7a7a7a7a, 0, 0x4040404040404040} {
		for c := 0; c < 256; c++ {
			for pos := 0; pos < 8; pos++ {
				check(bg&^(0xff<<(8*pos)) | uint64(c)<<(8*pos))
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		check(r.Uint64())
	}
}
