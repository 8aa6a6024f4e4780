package utf8x

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

var cases = []string{
	"",
	"plain ASCII text that is longer than eight bytes",
	"张伟的身份证号为11010519491231002X，手机13812345678。",
	"中文中文中文中文中文中文",
	"\xe0\xa0\x80 smallest three-byte character",
	"\xe0\x80\x80 overlong three-byte form",
	"ab\xed\x9f\xbf last before surrogates",
	"ab\xed\xa0\x80 a surrogate half",
	"中文中\xe4\xb8 cut in the middle",
	"中文中文中文\xe4",
	"emoji 😀 four bytes and é two",
	"\xf4\x90\x80\x80 above U+10FFFF",
	"latin1 caf\xe9 byte",
	"\xc0\xaf overlong slash",
	"中文中文\x80中文中文 stray continuation",
	strings.Repeat("混合文本123abc，", 40) + "\xff",
}

// agree fails t unless Valid, and validSWAR (which Valid does not run on
// a CPU with vector instructions), agree with utf8.Valid on p.
func agree(t *testing.T, p []byte) {
	t.Helper()
	want := utf8.Valid(p)
	if got := Valid(p); got != want {
		t.Fatalf("Valid(%q) = %v, utf8.Valid says %v", p, got, want)
	}
	if got := validSWAR(p); got != want {
		t.Fatalf("validSWAR(%q) = %v, utf8.Valid says %v", p, got, want)
	}
	if vector == nil {
		return
	}
	// vector may stop early (utf8.Valid decides the rest), but on valid
	// input it must not, and never after an error.
	n := vector(p)
	if n%32 != 0 || n > len(p) || !utf8.Valid(p[:start(p, n)]) || want && n != len(p)&^31 {
		t.Fatalf("vector(%q) = %d (len %d, valid %v)", p, n, len(p), want)
	}
}

func TestValidAgreesWithStdlib(t *testing.T) {
	for _, c := range cases {
		// every suffix and prefix moves the fast paths over each byte
		for k := 0; k <= len(c); k++ {
			for _, s := range []string{c[k:], c[:k]} {
				agree(t, []byte(s))
			}
		}
	}
}

// snippets are the byte sequences at the edges of what Valid's fast path
// takes: every lead whose continuations are restricted, with its first
// valid and invalid continuations, and characters of every length.
var snippets = []string{
	"\xc2\x80", "\xdf\xbf", "\xc0\x80", "\xc1\xbf", "\xc2", "\xc2\xc2\x80",
	"\xe0\xa0\x80", "\xe0\x9f\xbf", "\xe1\x80\x80", "\xec\xbf\xbf",
	"\xed\x9f\xbf", "\xed\xa0\x80", "\xee\x80\x80", "\xef\xbf\xbf", "\xef\xbf\xbd",
	"\xe4\xb8", "\xe4", "\xe4\xb8\xad\xb8", "\xe4\xe4\xb8\xad",
	"\xf0\x90\x80\x80", "\xf0\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf", "\xf4\x90\x80\x80",
	"\xf1\x80\x80", "\xf5\x80\x80\x80", "\xff", "\xfe", "\x80", "\xbf", "\x00",
}

// TestValidEveryPosition puts each snippet, and each single byte, at every
// offset of text that mixes ASCII with Chinese, so that it falls in every
// lane of Valid's words and blocks, in every neighbourhood.
func TestValidEveryPosition(t *testing.T) {
	base := "身份证11010519491231002X，手机 13812345678。地址：北京市朝阳区 ok 中文中文中文中文中文"
	extra := append([]string(nil), snippets...)
	for c := 0x80; c < 0x100; c++ {
		extra = append(extra, string([]byte{byte(c)}))
	}
	for _, sn := range extra {
		for pos := 0; pos <= len(base); pos++ {
			for _, pad := range []string{"", "a", "ab", "abc", "abcd"} {
				s := pad + base[:pos] + sn + base[pos:]
				agree(t, []byte(s))
			}
		}
	}
}

// TestValidMutations compares Valid with utf8.Valid on Chinese text with
// random bytes overwritten (a deterministic complement to FuzzValid).
func TestValidMutations(t *testing.T) {
	// emoji text fails fast's blocks one after another, so that slow goes
	// over longer and longer spans
	emoji := strings.Repeat("今天天气很好😀，我们去公园散步吧🌳！订单号12345678 done 👍\n", 50)
	for _, p := range [][]byte{mixed()[:4096], []byte(emoji)} {
		mutate(t, p)
	}
}

func mutate(t *testing.T, p []byte) {
	r := rand.New(rand.NewPCG(1, 2))
	q := make([]byte, len(p))
	for range 20000 {
		copy(q, p)
		for range 1 + r.IntN(3) {
			q[r.IntN(len(q))] = byte(r.IntN(256))
		}
		lo := r.IntN(len(q))
		s := q[lo : lo+r.IntN(len(q)-lo+1)]
		agree(t, s)
	}
}

func FuzzValid(f *testing.F) {
	for _, c := range cases {
		f.Add([]byte(c))
	}
	for _, c := range snippets {
		f.Add([]byte(strings.Repeat("中文ab", 8) + c + "中文"))
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		agree(t, p)
	})
}

// mixed is Chinese prose with ASCII numbers and log text, as scanned.
func mixed() []byte {
	var b strings.Builder
	for b.Len() < 1<<20 {
		b.WriteString("系统于2024-09-24完成第91382批数据同步，共处理16714条记录。")
		b.WriteString("GET /api/v1/user/profile?phone=15352370280 HTTP/1.1 200 3908\n")
		b.WriteString("客户段秀明的身份证号为460105441027718，银行卡号6222029244838868979。病史：艾滋病。\n")
	}
	return []byte(b.String())
}

// corpusFile is the bench package's generated corpus (issue 2's mixed
// Chinese text), present once its benchmarks have run.
const corpusFile = "../../bench/out/mixed-v3-seed1-16000000.txt"

// BenchmarkValid runs on mixed(), on the bench corpus if it has been
// generated, and on $UTF8X_BENCH_FILE if set:
//
//	go test -run '^$' -bench Valid ./internal/utf8x
func BenchmarkValid(b *testing.B) {
	inputs := []struct {
		name string
		p    []byte
	}{
		{"mixed", mixed()},
		// rare leads every few characters: slow's worst case
		{"emoji", []byte(strings.Repeat("今天天气很好😀，我们去公园散步吧🌳！订单号12345678 done 👍\n", 12000))},
		{"korean", []byte(strings.Repeat("대한민국 헌법 제1조 국민은 인간으로서의 존엄과 가치를 가진다. 전화 010-1234-5678\n", 12000))},
	}
	for _, f := range []string{corpusFile, os.Getenv("UTF8X_BENCH_FILE")} {
		if p, err := os.ReadFile(f); err == nil {
			inputs = append(inputs, struct {
				name string
				p    []byte
			}{filepath.Base(f), p})
		}
	}
	for _, in := range inputs {
		for _, v := range []struct {
			name  string
			valid func([]byte) bool
		}{{"utf8x", Valid}, {"swar", validSWAR}, {"stdlib", utf8.Valid}} {
			b.Run(in.name+"/"+v.name, func(b *testing.B) {
				b.SetBytes(int64(len(in.p)))
				for b.Loop() {
					if !v.valid(in.p) {
						b.Fatal("invalid")
					}
				}
			})
		}
	}
}

// TestASCIIPrefix: the first high byte is found in every lane of both
// words of a step and in the bytes after the last step, whatever follows
// it; a value without one gives its length.
func TestASCIIPrefix(t *testing.T) {
	for n := 0; n <= 40; n++ {
		for at := -1; at < n; at++ {
			p := bytes.Repeat([]byte{'a'}, n)
			want := n
			if at >= 0 {
				p[at] = 0x80 + byte(at)
				for k := at + 1; k < n; k++ {
					p[k] = 0xFF // later high bytes must not be taken
				}
				want = at
			}
			if got := ASCIIPrefix(p); got != want {
				t.Errorf("ASCIIPrefix(%q) = %d, want %d", p, got, want)
			}
		}
	}
	if got := ASCIIPrefix([]byte("ascii then 中文")); got != 11 {
		t.Errorf("ASCIIPrefix = %d, want 11", got)
	}
}

// edge are the bytes at the edges of UTF-8's byte classes and of the
// ranges that restrict continuations.
var edge = []byte{
	0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2,
	0xDF, 0xE0, 0xE1, 0xE4, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4,
	0xF5, 0xF7, 0xF8, 0xFF,
}

// TestValidExhaustive puts every pair of bytes, every sequence of three
// edge bytes and every four starting with a lead, across the boundary of
// Valid's 32-byte blocks (split every way) and into the tail after the last block, after
// ASCII and after Chinese text.
func TestValidExhaustive(t *testing.T) {
	// an open character at the end of a 64-byte step followed by ASCII
	// needs 64 bytes after it
	bases := [][]byte{
		bytes.Repeat([]byte("abcdefgh"), 20),
		[]byte(strings.Repeat("中文字", 8) + "中文字abcdefghijklmnopqrstuvwxyz" + strings.Repeat("abcdefgh", 8)), // 160 bytes
	}
	var p []byte
	try := func(seq []byte, ats ...int) {
		for _, base := range bases {
			for _, at := range ats {
				at = min(at, len(base)-len(seq))
				p = append(append(append(p[:0], base[:at]...), seq...), base[at:]...)
				agree(t, p)
				agree(t, p[:at+len(seq)]) // seq ends the input
			}
		}
	}
	at2, at3, at4 := []int{31, 63, 160}, []int{30, 31, 62, 160}, []int{29, 30, 31, 61}
	if raceEnabled {
		at2, at3, at4 = []int{31, 160}, []int{30, 62, 160}, []int{30, 61}
	}
	var seq [4]byte
	for a := range 256 {
		for b := range 256 {
			seq[0], seq[1] = byte(a), byte(b)
			try(seq[:2], at2...)
		}
	}
	for _, a := range edge {
		for _, b := range edge {
			for _, c := range edge {
				seq[0], seq[1], seq[2] = a, b, c
				try(seq[:3], at3...)
				if a < 0xE0 {
					continue // as the three-byte sequence b c d
				}
				for _, d := range []byte{0x41, 0x80, 0xBF, 0xC0, 0xE4, 0xF0, 0xFF} {
					seq[3] = d // a continuation byte or not
					try(seq[:4], at4...)
				}
			}
		}
	}
}

// TestDigits8 puts every byte value at every position of eight digits.
func TestDigits8(t *testing.T) {
	for pos := range 8 {
		for b := range 256 {
			p := []byte("12345678")
			p[pos] = byte(b)
			if got, want := Digits8(binary.LittleEndian.Uint64(p)), b >= '0' && b <= '9'; got != want {
				t.Errorf("Digits8(%q) = %v, want %v", p, got, want)
			}
		}
	}
}
