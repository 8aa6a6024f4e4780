package masking

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/piiscan/piiscan/detectors/pi"
)

// emailShape is an independent check that an output is a plausible address:
// a non-empty local part of letters, digits and . _ + -, and the domain.
var emailShape = regexp.MustCompile(`^[A-Za-z0-9._+-]{1,64}@[A-Za-z0-9.-]+$`)

// compileRule compiles a policy of the one rule (a YAML flow mapping) with
// key.
func compileRule(t *testing.T, rule string, key *Key) *Masker {
	t.Helper()
	p, err := ParsePolicy([]byte("version: 1\nrules:\n  - "+rule+"\n"), "test")
	if err != nil {
		t.Fatal(err)
	}
	m, err := p.Compile(key)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestEmailOperators: the operators a policy can name for e-mail columns
// that must stay unique (primary keys, UNIQUE indexes, join keys) give a
// valid-looking address that keeps the domain, the same one for the same
// input, and different ones for addresses the default mask merges.
func TestEmailOperators(t *testing.T) {
	key := testKey(t, 1)
	// Addresses the default mask collides: all are z***@qq.com or similar.
	var inputs []string
	for i := range 3000 {
		inputs = append(inputs, fmt.Sprintf("z%04d@qq.com", i))
	}
	inputs = append(inputs, "z@qq.com", "y@qq.com", "zz@qq.com", "zhangsan@qq.com", "Zhang.San+shop@Example.COM", "12345@qq.com")
	for _, tc := range []struct {
		name   string
		rule   string // policy rule YAML
		unique bool   // distinct inputs must give distinct outputs
		local  *regexp.Regexp
		// injective: the rule promises it (Injective); 16 decimal digits
		// (53 bits) are distinct here but not promised.
		injective bool
	}{
		{"mask (default) collides", `{name: r, types: [email], operator: mask}`, false, nil, false},
		{"hash hex", `{name: r, types: [email], operator: hash}`, true, regexp.MustCompile(`^[0-9a-f]{16}$`), true},
		{"hash hex 24", `{name: r, types: [email], operator: hash, params: {length: 24}}`, true, regexp.MustCompile(`^[0-9a-f]{24}$`), true},
		{"hash digits", `{name: r, types: [email], operator: hash, params: {output: digits}}`, true, regexp.MustCompile(`^[0-9]{16}$`), false},
		{"hash sm3", `{name: r, types: [email], operator: hash, params: {algorithm: hmac-sm3}}`, true, regexp.MustCompile(`^[0-9a-f]{16}$`), true},
		{"tokenize, hash for short local parts", `{name: r, types: [email], operator: tokenize, fallback: hash}`, true, nil, true},
		{"tokenize, mask for short local parts", `{name: r, types: [email], operator: tokenize}`, false, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := compileRule(t, tc.rule, key)
			seen := map[string]string{}
			collided := false
			for _, in := range inputs {
				out, err := m.Mask(nil, "t", "email", pi.Email, pi.GradeOrdinary, []byte(in))
				if err != nil {
					t.Fatalf("%s: %v", in, err)
				}
				s := string(out)
				if tc.unique && !emailShape.MatchString(s) {
					t.Fatalf("%s -> %q: not an address", in, s)
				}
				// Domains are case-insensitive: kept in lower case.
				if _, dom, _ := strings.Cut(in, "@"); !strings.HasSuffix(strings.ToLower(s), "@"+strings.ToLower(dom)) {
					t.Errorf("%s -> %q: domain not kept", in, s)
				}
				if tc.local != nil {
					if l, _, _ := strings.Cut(s, "@"); !tc.local.MatchString(l) {
						t.Errorf("%s -> %q: local part not %s", in, s, tc.local)
					}
				}
				again, _ := m.Clone().Mask(nil, "t", "email", pi.Email, pi.GradeOrdinary, []byte(in))
				if string(again) != s {
					t.Errorf("%s: %q then %q: not consistent", in, s, again)
				}
				if prev, dup := seen[s]; dup && prev != in {
					collided = true
					if tc.unique {
						t.Fatalf("%s and %s both give %q", prev, in, s)
					}
				}
				seen[s] = in
			}
			if !tc.unique && !collided {
				t.Error("no collision: update this test's premise")
			}
			if got := m.Rule("t", "email", pi.Email, pi.GradeOrdinary).Injective(); got != tc.injective {
				t.Errorf("Injective() = %v, want %v", got, tc.injective)
			}
		})
	}
}

// TestUniqueRule: for a unique or primary-key column the Masker offers a
// rule whose outputs stay distinct. A rule that already is injective is
// returned as it is; otherwise tokenize (the policy's own tokenizer where
// the rule tokenises, so a foreign key tokenised by the policy still
// matches), with a keyed hash for values tokenize cannot take.
func TestUniqueRule(t *testing.T) {
	m, err := DefaultPolicy().Compile(testKey(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		t      pi.TypeID
		values []string
		same   bool // for values the policy tokenises, the unique rule gives the policy's token
	}{
		{pi.Email, []string{"a@qq.com", "b@qq.com", "ab@qq.com", "zhangsan@qq.com", "zhaosi@qq.com", "zz@qq.com"}, false},
		{pi.Mobile, []string{"13812345678", "13812345679", "1381234567"}, true},
		{pi.IDCard, []string{"11010519491231002X", "110105194902300026", "110105194902300034"}, true}, // 30 Feb: not tokenisable
		{pi.Name, []string{"张三", "张四", "李三"}, false},
	} {
		policy := m.Rule("shop.customers", "c", tc.t, pi.DefaultGrade(tc.t))
		u, err := m.UniqueRule("shop.customers", "c", tc.t, pi.DefaultGrade(tc.t))
		if err != nil {
			t.Fatalf("%s: %v", tc.t, err)
		}
		if !u.Injective() {
			t.Errorf("%s: unique rule %q is not injective", tc.t, u.Name)
		}
		if u2, _ := m.UniqueRule("shop.customers", "c", tc.t, pi.DefaultGrade(tc.t)); u2 != u {
			t.Errorf("%s: unique rule rebuilt on each call", tc.t)
		}
		seen := map[string]string{}
		for _, v := range tc.values {
			out, err := u.Apply(nil, tc.t, nil, []byte(v))
			if err != nil {
				t.Fatalf("%s %s: %v", tc.t, v, err)
			}
			if prev, dup := seen[string(out)]; dup {
				t.Errorf("%s: %s and %s both give %q", tc.t, prev, v, out)
			}
			seen[string(out)] = v
			if tc.same && policy.Operator == "tokenize" {
				if p, err := policy.Apply(nil, tc.t, nil, []byte(v)); err == nil && !strings.Contains(string(p), "*") && string(p) != string(out) {
					t.Errorf("%s %s: unique rule gives %q, the policy's token is %q: joins to tokenised foreign keys break", tc.t, v, out, p)
				}
			}
		}
	}
	// Clones have their own operator state.
	c := m.Clone()
	u, _ := m.UniqueRule("", "", pi.Email, pi.GradeOrdinary)
	cu, _ := c.UniqueRule("", "", pi.Email, pi.GradeOrdinary)
	if u == cu {
		t.Error("a clone shares the unique rule (and its hash state)")
	}
	a, _ := u.Apply(nil, pi.Email, nil, []byte("a@qq.com"))
	b, _ := cu.Apply(nil, pi.Email, nil, []byte("a@qq.com"))
	if string(a) != string(b) {
		t.Errorf("clone gives %q, original %q", b, a)
	}
	// Without a key nothing can be made unique.
	p, _ := ParsePolicy([]byte("version: 1\nrules:\n  - {name: r, operator: mask}\n"), "test")
	nk, err := p.Compile(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := nk.UniqueRule("", "", pi.Email, pi.GradeOrdinary); err == nil {
		t.Error("unique rule without a key")
	}
}

func TestHashFallbackNeedsKey(t *testing.T) {
	p, err := ParsePolicy([]byte("version: 1\nrules:\n  - {name: r, types: [email], operator: mask, fallback: hash}\n"), "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Compile(nil); err == nil || !strings.Contains(err.Error(), "needs a key") {
		t.Errorf("fallback hash without a key: %v", err)
	}
}
