package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMaskAndUnmaskCLI(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "people.csv")
	body := "姓名,身份证号,手机,银行卡号\n张伟," + testID + "," + testMobile + "," + testCard + "\n"
	os.WriteFile(in, []byte(body), 0o600)
	keyFile := filepath.Join(dir, "key")
	os.WriteFile(keyFile, []byte(strings.Repeat("ab", 32)+"\n"), 0o600)
	masked, back := filepath.Join(dir, "masked.csv"), filepath.Join(dir, "back.csv")

	_, stderr, code := runCLI(t, "mask", "--key-file", keyFile, in, masked)
	if code != 0 {
		t.Fatalf("mask exit %d: %s", code, stderr)
	}
	m, _ := os.ReadFile(masked)
	for _, raw := range []string{testID, testMobile, testCard, "张伟"} {
		if strings.Contains(string(m), raw) {
			t.Fatalf("masked file still holds a raw value:\n%s", m)
		}
	}
	if strings.Contains(stderr, strings.Repeat("ab", 8)) {
		t.Fatal("the key was printed")
	}
	if _, stderr, code := runCLI(t, "unmask", "--key-file", keyFile, masked, back); code != 0 {
		t.Fatalf("unmask exit %d: %s", code, stderr)
	}
	b, _ := os.ReadFile(back)
	if want := strings.Replace(body, "张伟", "张*", 1); string(b) != want {
		t.Fatalf("round trip:\n%s\nwant\n%s", b, want)
	}

	os.Chmod(keyFile, 0o644)
	if _, stderr, code := runCLI(t, "mask", "--key-file", keyFile, in, masked); code != exitInput || !strings.Contains(stderr, keyFile) {
		t.Fatalf("a group-readable key file was accepted (exit %d): %s", code, stderr)
	}
	t.Setenv("PIISCAN_KEY", "")
	if _, stderr, code := runCLI(t, "mask", in, filepath.Join(dir, "x.csv")); code != exitInput || !strings.Contains(stderr, "PIISCAN_KEY") {
		t.Fatalf("no key for the default policy's tokenize: exit %d: %s", code, stderr)
	}
	if out, _, code := runCLI(t, "mask", "--print-default-policy"); code != 0 || !strings.Contains(out, "tokenize") {
		t.Fatalf("--print-default-policy: %d %s", code, out)
	}
}

func TestWithin(t *testing.T) {
	for _, c := range []struct {
		path, dir string
		want      bool
	}{
		{"in", "in", true},
		{"in/out", "in", true},
		{"in/.masked", "in", true},
		{"in/../in/x", "in", true},
		{"out", "in", false},
		{"..in", "in", false},
		{"in2/x", "in", false},
	} {
		if got := within(c.path, c.dir); got != c.want {
			t.Errorf("within(%q, %q) = %v, want %v", c.path, c.dir, got, c.want)
		}
	}
}

// TestMaskPolicyUnknownType: a policy naming a type no detector reports (a
// typo) is refused, not silently ignored.
func TestMaskPolicyUnknownType(t *testing.T) {
	dir := t.TempDir()
	pol := filepath.Join(dir, "p.yaml")
	os.WriteFile(pol, []byte("version: 1\nrules:\n  - name: a\n    types: [cn_idcard]\n    operator: mask\n"), 0o600)
	in := filepath.Join(dir, "a.log")
	os.WriteFile(in, []byte("身份证 11010519491231002X\n"), 0o600)
	msg, code := runMaskCmd(t, "--policy", pol, in, filepath.Join(dir, "o.log"))
	if code != exitInput || !strings.Contains(msg, `"cn_idcard"`) {
		t.Fatalf("exit %d: %s", code, msg)
	}
}

// TestUnmaskRecentBirths: the token of an infant's ID number keeps its
// birth date's window, which can end after today; unmask must still find
// and restore every such token.
func TestUnmaskRecentBirths(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	now := time.Now()
	for i := range 200 {
		d := now.AddDate(0, 0, -i*5-1)
		body := fmt.Sprintf("110105%s%03d", d.Format("20060102"), i)
		w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
		sum := 0
		for k, c := range body {
			sum += int(c-'0') * w[k]
		}
		fmt.Fprintf(&b, "身份证号: %s%c\n", body, "10X98765432"[sum%11])
	}
	in, masked, back := filepath.Join(dir, "ids.txt"), filepath.Join(dir, "m.txt"), filepath.Join(dir, "r.txt")
	os.WriteFile(in, []byte(b.String()), 0o600)
	if msg, code := runMaskCmd(t, in, masked); code != 0 {
		t.Fatalf("mask: exit %d: %s", code, msg)
	}
	t.Setenv("PIISCAN_KEY", strings.Repeat("ab", 32))
	if _, msg, code := runCLI(t, "unmask", masked, back); code != 0 {
		t.Fatalf("unmask: exit %d: %s", code, msg)
	}
	if got, _ := os.ReadFile(back); string(got) != b.String() {
		t.Fatal("unmask did not restore every ID number")
	}
}
