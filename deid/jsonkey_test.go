package deid

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piiscan/piiscan/masking"
)

// TestMaskFileJSONKeysStayDistinct: an object key that is data (a phone
// number or address keying a map) is masked with the Masker's unique rule
// when the policy's would merge keys (mask, replace, null): {"138****5678":
// 1, "138****5678": 2} or {"": 1, "": 2} would make a parser keep one value
// of two. The keys are counted, and unmask restores them (the unique rule
// tokenises).
func TestMaskFileJSONKeysStayDistinct(t *testing.T) {
	in := `{"m":{"13812345678":1,"13812340000":2},"e":{"zhangsan@qq.com":1,"zhangsi@qq.com":2,"li@qq.com":3},"tel":"13812345678"}` + "\n"
	for _, op := range []string{"mask", "replace", `"null"`, "tokenize"} {
		t.Run(op, func(t *testing.T) {
			pol, err := masking.ParsePolicy([]byte("version: 1\nrules:\n  - name: r\n    types: [cn_mobile, email]\n    operator: "+op+"\n"), "p.yaml")
			if err != nil {
				t.Fatal(err)
			}
			o := testOptions(t)
			if o.Masker, err = pol.Compile(mustKey(t)); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			src, out, back := filepath.Join(dir, "in.json"), filepath.Join(dir, "out.json"), filepath.Join(dir, "back.json")
			os.WriteFile(src, []byte(in), 0o600)
			sum, err := MaskFile(context.Background(), src, out, o)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(out)
			var doc map[string]any
			if err := json.Unmarshal(got, &doc); err != nil {
				t.Fatalf("%s: %v", got, err)
			}
			for k, n := range map[string]int{"m": 2, "e": 3} {
				obj, _ := doc[k].(map[string]any)
				if len(obj) != n {
					t.Errorf("%s has %d distinct keys, want %d: %s", k, len(obj), n, got)
				}
				for key := range obj {
					if key == "" || strings.Contains(in, key) {
						t.Errorf("key %q: empty or unmasked: %s", key, got)
					}
				}
			}
			// tokenize's fallback (mask) merges too: its keys get the
			// unique rule (fallback hash) as well.
			if sum.KeysUnique != 5 {
				t.Errorf("%d keys made unique, want 5", sum.KeysUnique)
			}
			o.Unmask = true
			if _, err := MaskFile(context.Background(), out, back, o); err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(back)
			for _, k := range []string{`"13812345678":1`, `"13812340000":2`, `"zhangsan@qq.com":1`, `"zhangsi@qq.com":2`} {
				if !strings.Contains(string(b), k) {
					t.Errorf("unmask did not restore %s: %s", k, b)
				}
			}
		})
	}
}
