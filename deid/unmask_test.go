package deid

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piiscan/piiscan/masking"
)

// TestUnmaskRefusesInvalidRestorations: a restored value that is not a
// valid value of its type (an ID number whose check digit fails, a card
// failing Luhn) means the policy or key is not the one that masked the
// file; unmask counts them and writes nothing instead of writing them.
func TestUnmaskRefusesInvalidRestorations(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	var b strings.Builder
	b.WriteString("姓名,身份证号,手机,银行卡号\n")
	for i := range 30 {
		fmt.Fprintf(&b, "张伟,%s,%s,%s\n", ids[i%3], mobiles[i%3], cards[i%3])
	}
	os.WriteFile(in, []byte(b.String()), 0o600)
	o := testOptions(t)
	if _, err := MaskFile(context.Background(), in, in+".masked", o); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, policy string
		invalid      int64 // 0: the round trip must succeed
	}{
		{"same policy and key", "", 0},
		// Another layout decrypts all 17 digits of the ID numbers: the
		// check digit no longer fits (10 in 11 do not).
		{"another token layout", "version: 1\nrules:\n  - {name: ids, types: [cn_id_card], operator: tokenize, params: {format: digits}}\n  - {name: rest, types: [cn_mobile, bank_card], operator: tokenize}\n", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := testOptions(t)
			if tc.policy != "" {
				p, err := masking.ParsePolicy([]byte(tc.policy), "test")
				if err != nil {
					t.Fatal(err)
				}
				if o.Masker, err = p.Compile(mustKey(t)); err != nil {
					t.Fatal(err)
				}
			}
			o.Unmask = true
			out := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_"))
			sum, err := MaskFile(context.Background(), in+".masked", out, o)
			if tc.invalid == 0 {
				if err != nil || sum.InvalidRestored != 0 {
					t.Fatalf("%v, %d invalid", err, sum.InvalidRestored)
				}
				if got, _ := os.ReadFile(out); !strings.Contains(string(got), ids[0]) {
					t.Fatal("not restored")
				}
				return
			}
			if !errors.Is(err, ErrInvalidRestore) || sum == nil || sum.InvalidRestored < tc.invalid {
				t.Fatalf("err %v, summary %+v: want ErrInvalidRestore with a count", err, sum)
			}
			if !strings.Contains(err.Error(), fmt.Sprint(sum.InvalidRestored)) {
				t.Errorf("error does not give the count: %v", err)
			}
			for _, id := range ids {
				if strings.Contains(err.Error(), id) {
					t.Errorf("error quotes a value: %v", err)
				}
			}
			if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("output written: %v", err)
			}
		})
	}
}

// mustKey is testOptions' key.
func mustKey(t *testing.T) *masking.Key {
	t.Helper()
	k, err := masking.NewKey([]byte(strings.Repeat("\x07", 32)))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestUnmaskLeavesHashPseudonyms: with tokenize and fallback hash, an
// address too short to tokenise gets a keyed hash, which unmask cannot
// reverse: it is copied as it is and counted as not restored, never
// "restored" to an invented address. Tokens around it are restored (in
// lower case: one mailbox, one token).
func TestUnmaskLeavesHashPseudonyms(t *testing.T) {
	p, err := masking.ParsePolicy([]byte("version: 1\nrules:\n  - {name: e, types: [email], operator: tokenize, fallback: hash}\n"), "test")
	if err != nil {
		t.Fatal(err)
	}
	o := testOptions(t)
	if o.Masker, err = p.Compile(mustKey(t)); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in.txt")
	os.WriteFile(in, []byte("li@qq.com\nZhang.San@QQ.com\nzhangsan19900101@qq.com\n"), 0o600)
	if _, err := MaskFile(context.Background(), in, in+".masked", o); err != nil {
		t.Fatal(err)
	}
	masked, _ := os.ReadFile(in + ".masked")
	hash, _, _ := strings.Cut(string(masked), "\n")
	o.Unmask = true
	sum, err := MaskFile(context.Background(), in+".masked", in+".restored", o)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(in + ".restored")
	if want := hash + "\nzhang.san@qq.com\nzhangsan19900101@qq.com\n"; string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if sum.Masked != 2 || sum.NotRestored != 1 {
		t.Errorf("%d restored, %d not restored; want 2, 1", sum.Masked, sum.NotRestored)
	}
}
