package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The per-file summary says how many bare numbers were written quoted only
// when the copy was written: a refused copy wrote none. Unmask says how
// many values it could not restore (hash pseudonyms).
func TestMaskSummaryLines(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key")
	os.WriteFile(keyFile, []byte(strings.Repeat("ab", 32)+"\n"), 0o600)
	pol := filepath.Join(dir, "p.yaml")
	os.WriteFile(pol, []byte("version: 1\nrules:\n  - {name: m, types: [cn_mobile], operator: mask}\n  - {name: e, types: [email], operator: tokenize, fallback: hash}\n"), 0o600)

	// The second statement does not parse: the copy is refused.
	bad := filepath.Join(dir, "bad.sql")
	os.WriteFile(bad, []byte("INSERT INTO t VALUES (1,13812345678);\nINSERT INTO t VALUES (1, /* c */ 2);\n"), 0o600)
	_, stderr, code := runCLI(t, "mask", "--key-file", keyFile, "--policy", pol, bad, filepath.Join(dir, "bad.out.sql"))
	if code != exitInput || strings.Contains(stderr, "quoted strings") {
		t.Errorf("refused copy: exit %d, stderr:\n%s\nwant exit %d and no quoted-strings line", code, stderr, exitInput)
	}
	good := filepath.Join(dir, "good.sql")
	os.WriteFile(good, []byte("INSERT INTO t VALUES (1,13812345678);\n"), 0o600)
	if _, stderr, code := runCLI(t, "mask", "--key-file", keyFile, "--policy", pol, good, filepath.Join(dir, "good.out.sql")); code != 0 || !strings.Contains(stderr, "1 bare numbers written as quoted strings") {
		t.Errorf("written copy: exit %d, stderr:\n%s\nwant the quoted-strings line", code, stderr)
	}

	in, masked, back := filepath.Join(dir, "e.txt"), filepath.Join(dir, "e.masked.txt"), filepath.Join(dir, "e.back.txt")
	os.WriteFile(in, []byte("li@qq.com\nzhangsan19900101@qq.com\n"), 0o600)
	if _, stderr, code := runCLI(t, "mask", "--key-file", keyFile, "--policy", pol, in, masked); code != 0 {
		t.Fatalf("mask: exit %d: %s", code, stderr)
	}
	if _, stderr, code := runCLI(t, "unmask", "--key-file", keyFile, "--policy", pol, masked, back); code != 0 || !strings.Contains(stderr, "1 not restored") {
		t.Errorf("unmask: exit %d, stderr:\n%s\nwant \"1 not restored\"", code, stderr)
	}
}
