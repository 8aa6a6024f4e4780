package masking

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseKey(t *testing.T) {
	raw := bytes.Repeat([]byte{0xab}, 32)
	want := sha256.Sum256(append([]byte("piiscan-key-id"), raw...))
	for _, s := range []string{
		hex.EncodeToString(raw),
		strings.ToUpper(hex.EncodeToString(raw)),
		"  " + base64.StdEncoding.EncodeToString(raw) + "\n",
		base64.RawURLEncoding.EncodeToString(raw),
	} {
		k, err := ParseKey(s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if k.ID() != hex.EncodeToString(want[:4]) {
			t.Errorf("ID %s, want %x", k.ID(), want[:4])
		}
	}
	for _, s := range []string{"", "zz", hex.EncodeToString(raw[:16]), base64.StdEncoding.EncodeToString(raw[:31])} {
		if _, err := ParseKey(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}

func TestKeyNeverPrinted(t *testing.T) {
	raw := bytes.Repeat([]byte{0x5a}, 32)
	k, _ := NewKey(raw)
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%x", "%q"} {
		out := fmt.Sprintf(f, k) + fmt.Sprintf(f, *k)
		if strings.Contains(strings.ToLower(out), "5a5a5a") || strings.Contains(out, "ZZZZ") {
			t.Errorf("%s prints key material: %s", f, out)
		}
		if !strings.Contains(out, k.ID()) {
			t.Errorf("%s does not show the key ID: %s", f, out)
		}
	}
}

func TestSubkeysDiffer(t *testing.T) {
	k := testKey(t, 3)
	seen := map[string]string{}
	for _, p := range []string{"tokenize/aes-256", "tokenize/sm4", "hash/hmac-sha256", "hash/hmac-sm3", "shift_date"} {
		sk := hex.EncodeToString(k.derive(p, 16))
		if other, dup := seen[sk]; dup {
			t.Errorf("%s and %s share a subkey", p, other)
		}
		if bytes.Contains(k.secret[:], k.derive(p, 16)) {
			t.Errorf("%s subkey is part of the master key", p)
		}
		seen[sk] = p
	}
}

func TestReadKeyFile(t *testing.T) {
	dir := t.TempDir()
	raw := bytes.Repeat([]byte{0x11}, 32)
	write := func(name string, b []byte, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil { // umask may have cleared bits
			t.Fatal(err)
		}
		return p
	}
	want, _ := NewKey(raw)
	for _, tc := range []struct {
		name string
		b    []byte
		mode os.FileMode
		err  string
	}{
		{"hex", []byte(hex.EncodeToString(raw) + "\n"), 0o600, ""},
		{"raw", raw, 0o400, ""},
		{"b64", []byte(base64.StdEncoding.EncodeToString(raw)), 0o600, ""},
		{"group", []byte(hex.EncodeToString(raw)), 0o640, "group or others"},
		{"world", []byte(hex.EncodeToString(raw)), 0o604, "group or others"},
		{"short", []byte("abcd"), 0o600, "bytes"},
	} {
		p := write(tc.name, tc.b, tc.mode)
		k, err := ReadKeyFile(p)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: err %v, want %q", tc.name, err, tc.err)
			}
			if err != nil && strings.Contains(err.Error(), hex.EncodeToString(raw)[:16]) {
				t.Errorf("%s: error shows key material", tc.name)
			}
			continue
		}
		if err != nil || k.ID() != want.ID() {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if _, err := ReadKeyFile(dir); err == nil {
		t.Error("a directory accepted as key file")
	}
}

func TestLoadKey(t *testing.T) {
	raw := bytes.Repeat([]byte{0x22}, 32)
	t.Setenv(KeyEnv, "")
	if _, err := LoadKey(""); !errors.Is(err, ErrNoKey) {
		t.Errorf("no key: %v", err)
	}
	t.Setenv(KeyEnv, hex.EncodeToString(raw))
	k, err := LoadKey("")
	if want, _ := NewKey(raw); err != nil || k.ID() != want.ID() {
		t.Errorf("env key: %v", err)
	}
	t.Setenv(KeyEnv, "not-a-key")
	if _, err := LoadKey(""); err == nil || !strings.Contains(err.Error(), KeyEnv) {
		t.Errorf("bad env key: %v", err)
	}
	// A key file wins over the environment.
	p := filepath.Join(t.TempDir(), "k")
	if err := os.WriteFile(p, []byte(hex.EncodeToString(bytes.Repeat([]byte{0x33}, 32))), 0o600); err != nil {
		t.Fatal(err)
	}
	k, err = LoadKey(p)
	if want, _ := NewKey(bytes.Repeat([]byte{0x33}, 32)); err != nil || k.ID() != want.ID() {
		t.Errorf("key file: %v", err)
	}
}
