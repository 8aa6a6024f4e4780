package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnmaskChecksKeyID: unmask with the key mask used restores the file;
// with another key it is refused when the mask job's key ID is known
// (--mask-summary, --key-id), whatever the restored values look like, and
// nothing is written; without a record it warns that the key was not
// checked.
func TestUnmaskChecksKeyID(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "people.csv")
	body := "姓名,身份证号,手机,银行卡号\n张伟," + testID + "," + testMobile + "," + testCard + "\n"
	os.WriteFile(in, []byte(body), 0o600)
	good, bad := filepath.Join(dir, "good.key"), filepath.Join(dir, "bad.key")
	os.WriteFile(good, []byte(strings.Repeat("ab", 32)), 0o600)
	os.WriteFile(bad, []byte(strings.Repeat("cd", 32)), 0o600)
	masked, summary := filepath.Join(dir, "masked.csv"), filepath.Join(dir, "mask.json")
	if _, stderr, code := runCLI(t, "mask", "--key-file", good, "--summary", summary, in, masked); code != 0 {
		t.Fatalf("mask exit %d: %s", code, stderr)
	}
	goodID := keyIDOf(t, good)
	restored := strings.Replace(body, "张伟", "张*", 1)
	for _, tc := range []struct {
		name    string
		args    []string
		code    int
		stderr  string // must contain
		restore bool
	}{
		{"summary, right key", []string{"--key-file", good, "--mask-summary", summary}, 0, "", true},
		{"key id, right key", []string{"--key-file", good, "--key-id", goodID}, 0, "", true},
		{"summary, wrong key", []string{"--key-file", bad, "--mask-summary", summary}, exitInput, "was masked with key " + goodID, false},
		{"key id, wrong key", []string{"--key-file", bad, "--key-id", goodID}, exitInput, "was masked with key " + goodID, false},
		{"no record", []string{"--key-file", good}, 0, "key was not checked", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "back.csv")
			_, stderr, code := runCLI(t, append(append([]string{"unmask"}, tc.args...), masked, out)...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr)
			}
			got, err := os.ReadFile(out)
			if !tc.restore {
				if err == nil {
					t.Fatalf("output written with the wrong key:\n%s", got)
				}
				return
			}
			if string(got) != restored {
				t.Fatalf("restored:\n%s\nwant\n%s", got, restored)
			}
		})
	}
}

// keyIDOf is the key ID mask prints for a key file.
func keyIDOf(t *testing.T, keyFile string) string {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "a.log")
	os.WriteFile(in, []byte("x\n"), 0o600)
	_, stderr, code := runCLI(t, "mask", "--key-file", keyFile, in, filepath.Join(dir, "b.log"))
	i := strings.LastIndex(stderr, "key ")
	if code != 0 || i < 0 {
		t.Fatalf("mask exit %d: %s", code, stderr)
	}
	return strings.TrimSpace(stderr[i+4:])
}
