package masking

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// fastCases adds to sampleCases values where the fast paths' boundaries lie:
// ASCII with and without separators, full-width digits, invalid bytes
// before, inside and after the kept head, and masks longer than stars.
var fastCases = append([]string{
	"13800012345", "+86 138-0001-2345", "AB-12-cd", "--", "a\xffb", "北京市朝阳区\xff建国路", "\xf0\x9f\x98\x80北京市",
	"张三\xe5\xbc李四", "ａｂ１２３", "北京市朝阳区建国路123号院12号楼", strings.Repeat("9", 200), strings.Repeat("张", 100),
	"user12345@example.com", "u@例子.中国", "u@ex\xffample.com", "abcdefgh12345678\xe5\xbc", "abcdefghi张", "1234567\xff89abcdefgh",
}, sampleCases...)

// TestFastMaskingMatchesOld holds maskAlnum, maskRunesN and appendValid to
// their versions before the fast paths (mask_old_test.go) for every case,
// kept head and tail, skip and mask character.
func TestFastMaskingMatchesOld(t *testing.T) {
	for _, s := range fastCases {
		v := []byte(s)
		n := runeCount(v)
		if got, want := appendValid([]byte("p"), v), appendValidOld([]byte("p"), v); !bytes.Equal(got, want) {
			t.Errorf("appendValid(%q) = %q, want %q", s, got, want)
		}
		for _, c := range []rune{'*', '#', '×'} {
			for head := -1; head <= 8; head++ {
				for tail := -1; tail <= 5; tail++ {
					if got, want := maskRunesN([]byte("p"), v, n, head, tail, c), maskRunesNOld([]byte("p"), v, n, head, tail, c); !bytes.Equal(got, want) {
						t.Errorf("maskRunesN(%q, %d, %d, %q) = %q, want %q", s, head, tail, c, got, want)
					}
					if head < 0 || tail < 0 {
						continue // maskAlnum's callers clamp
					}
					for _, skip := range []int{0, 2, 4} {
						if got, want := maskAlnum([]byte("p"), v, skip, head, tail, c), maskAlnumOld([]byte("p"), v, skip, head, tail, c); !bytes.Equal(got, want) {
							t.Errorf("maskAlnum(%q, %d, %d, %d, %q) = %q, want %q", s, skip, head, tail, c, got, want)
						}
					}
				}
			}
		}
	}
}

func FuzzFastMasking(f *testing.F) {
	for i, s := range fastCases {
		f.Add(s, i%9, i%5, i%3)
	}
	f.Fuzz(func(t *testing.T, s string, head, tail, skip int) {
		v := []byte(s)
		head, tail, skip = int(uint(head)%12), int(uint(tail)%8), int(uint(skip)%5)
		n := runeCount(v)
		for _, c := range []rune{'*', '×'} {
			if got, want := maskRunesN(nil, v, n, head, tail, c), maskRunesNOld(nil, v, n, head, tail, c); !bytes.Equal(got, want) {
				t.Errorf("maskRunesN(%q, %d, %d, %q) = %q, want %q", s, head, tail, c, got, want)
			}
			if got, want := maskAlnum(nil, v, skip, head, tail, c), maskAlnumOld(nil, v, skip, head, tail, c); !bytes.Equal(got, want) {
				t.Errorf("maskAlnum(%q, %d, %d, %d, %q) = %q, want %q", s, skip, head, tail, c, got, want)
			}
		}
		if got, want := appendValid(nil, v), appendValidOld(nil, v); !bytes.Equal(got, want) {
			t.Errorf("appendValid(%q) = %q, want %q", s, got, want)
		}
		if got, want := runeCount(v), utf8.RuneCount(v); got != want {
			t.Errorf("runeCount(%q) = %d, want %d", s, got, want)
		}
	})
}

func TestRuneCountMatchesUTF8(t *testing.T) {
	for _, s := range fastCases {
		for _, v := range []string{s, s[:len(s)/2], s[len(s)/3:], "\xe0\xa0\x80", "\xe0\x9f\xbf", "\xed\x9f\xbf", "\xed\xa0\x80", "\xef\xbf\xbf", "\xe4\xbd"} {
			if got, want := runeCount([]byte(v)), utf8.RuneCountInString(v); got != want {
				t.Errorf("runeCount(%q) = %d, want %d", v, got, want)
			}
		}
	}
}
