package fpe

import (
	"crypto/aes"
	"strings"
	"testing"
)

// collectDigitsRef is collectDigits one byte at a time, as it was before
// its eight-digit steps.
func collectDigitsRef(b []byte, x bool) (pos []int32, num []uint16, ok bool) {
	for i, c := range b {
		d := c - '0'
		if d > 9 {
			if !x || c|0x20 != 'x' {
				continue
			}
			d = 10
		}
		if len(pos) >= maxChars {
			return nil, nil, false
		}
		pos, num = append(pos, int32(i)), append(num, uint16(d))
	}
	return pos, num, true
}

func checkCollect(t *testing.T, tk *Tokenizer, s string) {
	t.Helper()
	for _, x := range []bool{false, true} {
		wantPos, wantNum, ok := collectDigitsRef([]byte(s), x)
		n, err := tk.collectDigits([]byte(s), x)
		if (err == nil) != ok {
			t.Fatalf("collectDigits(%q, %v): err %v, want ok %v", s, x, err, ok)
		}
		if !ok {
			continue
		}
		if n != len(wantPos) || tk.dense != (n == len(s)) {
			t.Fatalf("collectDigits(%q, %v) = %d (dense %v), want %d", s, x, n, tk.dense, len(wantPos))
		}
		for k := range n {
			if tk.pos[k] != wantPos[k] || tk.num[k] != wantNum[k] {
				t.Fatalf("collectDigits(%q, %v): digit %d at %d = %d, want at %d = %d", s, x, k, tk.pos[k], tk.num[k], wantPos[k], wantNum[k])
			}
		}
	}
}

// TestCollectDigitsMatchesByteLoop: every byte value at every position of
// values of eight digits and more, separators, X, and values at and past
// maxChars digits.
func TestCollectDigitsMatchesByteLoop(t *testing.T) {
	block, err := aes.NewCipher(make([]byte, 16))
	if err != nil {
		t.Fatal(err)
	}
	tk, err := New(block)
	if err != nil {
		t.Fatal(err)
	}
	base := "44030419900101123X"
	for pos := range len(base) {
		for b := range 256 {
			v := []byte(base)
			v[pos] = byte(b)
			checkCollect(t, tk, string(v))
		}
	}
	for _, s := range []string{"", "1", "1234567", "12345678", "123456789", "+86-138-0013-8000", "6222 0212 3456 7890 128",
		strings.Repeat("9", maxChars-1), strings.Repeat("9", maxChars), strings.Repeat("9", maxChars+1),
		strings.Repeat("9", maxChars-3) + "-9999", strings.Repeat("12345678-", 20), "x" + strings.Repeat("7", 130)} {
		checkCollect(t, tk, s)
	}
}
