package utf8x

import (
	"os"
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

func TestValidAgreesWithStdlib(t *testing.T) {
	for _, c := range cases {
		// every suffix and prefix moves the fast paths over each byte
		for k := 0; k <= len(c); k++ {
			for _, s := range []string{c[k:], c[:k]} {
				if got, want := Valid([]byte(s)), utf8.ValidString(s); got != want {
					t.Fatalf("Valid(%q) = %v, utf8.Valid says %v", s, got, want)
				}
			}
		}
	}
}

func FuzzValid(f *testing.F) {
	for _, c := range cases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		if got, want := Valid(p), utf8.Valid(p); got != want {
			t.Fatalf("Valid(%q) = %v, utf8.Valid says %v", p, got, want)
		}
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

func BenchmarkValid(b *testing.B) {
	p := mixed()
	if f := os.Getenv("UTF8X_BENCH_FILE"); f != "" {
		var err error
		if p, err = os.ReadFile(f); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("utf8x", func(b *testing.B) {
		b.SetBytes(int64(len(p)))
		for b.Loop() {
			if !Valid(p) {
				b.Fatal("invalid")
			}
		}
	})
	b.Run("stdlib", func(b *testing.B) {
		b.SetBytes(int64(len(p)))
		for b.Loop() {
			if !utf8.Valid(p) {
				b.Fatal("invalid")
			}
		}
	})
}
