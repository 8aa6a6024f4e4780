package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// globRegexp is an independent reading of the glob syntax, for the
// differential fuzz test: '**' any run, '*' any run without '/', '?' one
// rune, the rest literal.
func globRegexp(p string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`^(?s:`)
	for i := 0; i < len(p); {
		switch {
		case strings.HasPrefix(p[i:], "**"):
			b.WriteString(`.*`)
			for i < len(p) && p[i] == '*' {
				i++
			}
			continue
		case p[i] == '*':
			b.WriteString(`[^/]*`)
		case p[i] == '?':
			b.WriteString(`.`)
		default:
			r, n := utf8.DecodeRuneInString(p[i:])
			b.WriteString(regexp.QuoteMeta(string(r)))
			i += n
			continue
		}
		i++
	}
	b.WriteString(`)$`)
	return regexp.MustCompile(b.String())
}

func FuzzGlobMatch(f *testing.F) {
	for _, s := range [][2]string{
		{"shop.*", "shop.customers.id_no"}, {"mysql://*/shop/**", "mysql://h:1/shop/t/t.c"},
		{"a?c", "a中c"}, {"**/x", "a/b/x"}, {"*", "a/b"}, {"a**b*c", "a/xb/c"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, p, s string) {
		if !utf8.ValidString(p) || !utf8.ValidString(s) || len(p) > 64 || len(s) > 256 || strings.Count(p, "*") > 6 {
			return
		}
		if got, want := globMatch(p, s), globRegexp(p).MatchString(s); got != want {
			t.Errorf("globMatch(%q, %q) = %v, regexp says %v", p, s, got, want)
		}
	})
}

func FuzzLooksEncrypted(f *testing.F) {
	for _, s := range []string{"q8Xz3N0vYp1kR7LmW2aT9g==", "ENC(abc)", "v1:", "3f7a9c0e5b2d4f6a8c1e3b5d7f9a0c2e", "身份证", "",
		"abcdefgh:q8Xz3N0vYp1kR7LmW2aT9g==", " ENC(3f7a9c0e5b2d4f6a8c1e3b5d7f9a0c2e)\u3000", "3f7a9c0e5b2d4f6a8c1e3b5d7f9a0c2e order 1"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, v []byte) {
		got := LooksEncrypted(v)
		if got != LooksEncrypted(bytes.Clone(v)) {
			t.Fatal("not deterministic")
		}
		if want := looksEncryptedRef(v); got != want {
			t.Errorf("LooksEncrypted(%q) = %v, the replaced version says %v", v, got, want)
		}
		if got && !bytes.ContainsFunc(v, func(r rune) bool { return r < '0' || r > '9' }) {
			t.Errorf("%q: digits taken for ciphertext (the engine skips such values)", v)
		}
		if got && bytes.ContainsFunc(bytes.TrimSpace(v), func(r rune) bool { return r >= utf8.RuneSelf }) {
			t.Errorf("%q: non-ASCII value taken for ciphertext", v)
		}
	})
}

func FuzzParseAnnotations(f *testing.F) {
	f.Add("columns:\n  - match: 'a.*'\n    owner: x\n    non_pi: true\n")
	f.Add("columns: []\n")
	f.Fuzz(func(t *testing.T, in string) {
		a, err := ParseAnnotations(strings.NewReader(in))
		if err != nil {
			return
		}
		c := &Column{Source: "mysql://h:1/db", Table: "t", Column: "c"}
		a.For(c) // must not panic
	})
}
