package masking

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/masking/fpe"
)

var hex16 = regexp.MustCompile(`^[0-9a-f]{16}@`)

// TestTokenizeHashFallbackUnmask: with tokenize and fallback hash, unmask
// must tell the hash pseudonyms (irreversible) from tokens: a hash output is
// refused as no token (fpe.ErrFormat), every token is restored. Tokens are
// kept out of the hash's shape (16 lower-case hex digits), and a local part
// of that shape is hashed rather than tokenised, so the shape alone tells.
func TestTokenizeHashFallbackUnmask(t *testing.T) {
	for _, op := range []string{"{name: r, types: [email], operator: tokenize, fallback: hash}", "{name: r, types: [email], operator: mask}"} {
		m := compileRule(t, op, testKey(t, 1))
		var u *CompiledRule
		var err error
		if strings.Contains(op, "mask") {
			// The unique rule's tokenize has the keyed hash as its fallback too.
			if u, err = m.UniqueRule("t", "email", pi.Email, pi.GradeOrdinary); err != nil {
				t.Fatal(err)
			}
		} else {
			u = m.Rule("t", "email", pi.Email, pi.GradeOrdinary)
		}
		inputs := []string{"li@qq.com", "abc@163.com", "zhangsan19900101@qq.com", "deadbeef12345678@qq.com", "DEADBEEF12345678@qq.com", "1234567890123456@qq.com"}
		for i := range 2000 {
			inputs = append(inputs, fmt.Sprintf("user%012d@qq.com", i*7919))
		}
		for _, in := range inputs {
			out, err := u.Apply(nil, pi.Email, nil, []byte(in))
			if err != nil {
				t.Fatalf("%s: %v", in, err)
			}
			back, err := u.Reverse(nil, pi.Email, out)
			local, _, _ := strings.Cut(in, "@")
			hashed := len(local) < 4 || hex16.MatchString(strings.ToLower(in))
			if hashed {
				if !hex16.Match(out) {
					t.Errorf("%s -> %q: want the keyed hash", in, out)
				}
				if !errors.Is(err, fpe.ErrFormat) {
					t.Errorf("%s -> %q: unmask gave %q, %v; want fpe.ErrFormat (a hash is no token)", in, out, back, err)
				}
				continue
			}
			if hex16.Match(out) {
				t.Errorf("%s -> %q: a token with the hash's shape", in, out)
			}
			if err != nil || string(back) != strings.ToLower(in) {
				t.Errorf("%s -> %q -> %q, %v", in, out, back, err)
			}
		}
	}
}

// TestTokenizeAvoidsHashShapeCycleWalk: with a short hash shape (4 hex
// digits, which tokens of 4-letter local parts hit about one time in 25) the
// tokenizer walks on until it leaves the shape, and unmask walks back: every
// value round-trips and no two give one token.
func TestTokenizeAvoidsHashShapeCycleWalk(t *testing.T) {
	tok, err := newTokenizer(testKey(t, 2), "aes-256")
	if err != nil {
		t.Fatal(err)
	}
	op := &Tokenize{format: fpe.FormatAuto, tok: tok, hexLen: 4}
	seen := map[string]string{}
	walked := 0
	for i := range 3000 {
		in := fmt.Sprintf("%c%c%c%c@qq.com", 'g'+i%20, 'a'+i/20%26, 'a'+i/520%26, '0'+i%10)
		out, err := op.Apply(nil, pi.Email, []byte(in))
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if hexShaped(out[:4], 4, false) {
			t.Fatalf("%s -> %q: hash-shaped token", in, out)
		}
		if first, _ := tok.TokenizeAs(nil, fpe.FormatEmail, pi.Email, []byte(in)); string(first) != string(out) {
			walked++
		}
		if prev, dup := seen[string(out)]; dup && prev != in {
			t.Fatalf("%s and %s both give %q", prev, in, out)
		}
		seen[string(out)] = in
		back, err := op.Reverse(nil, pi.Email, out)
		if err != nil || string(back) != in {
			t.Fatalf("%s -> %q -> %q, %v", in, out, back, err)
		}
	}
	if walked == 0 {
		t.Error("no token walked out of the hash shape: update this test's premise")
	}
	if _, err := op.Apply(nil, pi.Email, []byte("beef@qq.com")); !errors.Is(err, fpe.ErrFormat) {
		t.Errorf("a hash-shaped local part was tokenised: %v", err)
	}
}

// TestEmailCase: domains are case-insensitive and so, at every provider
// that matters, are local parts: an address gets one pseudonym whatever its
// case, and its domain is written in lower case.
func TestEmailCase(t *testing.T) {
	for _, op := range []string{"tokenize", "hash", "tokenize, fallback: hash"} {
		m := compileRule(t, "{name: r, types: [email], operator: "+op+"}", testKey(t, 1))
		for _, pair := range [][2]string{{"Zhang.San@QQ.com", "zhang.san@qq.com"}, {"LiMing@QQ.COM", "liming@qq.com"}} {
			a, err1 := m.Mask(nil, "t", "e", pi.Email, pi.GradeOrdinary, []byte(pair[0]))
			b, err2 := m.Mask(nil, "t", "e", pi.Email, pi.GradeOrdinary, []byte(pair[1]))
			if err1 != nil || err2 != nil || string(a) != string(b) {
				t.Errorf("%s: %s -> %q (%v), %s -> %q (%v): want one pseudonym", op, pair[0], a, err1, pair[1], b, err2)
			}
			if !strings.HasSuffix(string(a), "@"+strings.ToLower(strings.SplitN(pair[0], "@", 2)[1])) {
				t.Errorf("%s: %s -> %q: domain not in lower case", op, pair[0], a)
			}
		}
	}
}
