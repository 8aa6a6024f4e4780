package masking

import (
	"bytes"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// KeyEnv is the environment variable a key is read from when no key file is
// given.
const KeyEnv = "PIISCAN_KEY"

// KeySize is the size of a master key in bytes.
const KeySize = 32

// ErrNoKey means neither a key file nor PIISCAN_KEY was given.
var ErrNoKey = errors.New("masking: no key: set " + KeyEnv + " (32 bytes, hex or base64) or pass --key-file")

// Key is a master key for the keyed operators (tokenize, hash, shift_date).
// It never appears in a policy or in any output: outputs record ID() only.
// Each operator uses its own subkey derived with HKDF-SHA256, so the
// tokenisation and hashing keys differ even though one master key is given.
//
// Printed with any fmt verb it shows its ID, never the key.
type Key struct {
	secret [KeySize]byte
	id     string
}

// ParseKey reads a 32-byte key written as hex (64 digits) or base64
// (standard or URL alphabet, padded or not). Surrounding space is ignored.
func ParseKey(s string) (*Key, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, ErrNoKey
	}
	var raw []byte
	if b, err := hex.DecodeString(s); err == nil {
		raw = b
	} else {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			if b, err := enc.DecodeString(s); err == nil {
				raw = b
				break
			}
		}
	}
	if raw == nil {
		return nil, errors.New("masking: key is neither hex nor base64")
	}
	if len(raw) != KeySize {
		return nil, fmt.Errorf("masking: key is %d bytes, want %d", len(raw), KeySize)
	}
	return NewKey(raw)
}

// NewKey wraps 32 raw bytes.
func NewKey(raw []byte) (*Key, error) {
	if len(raw) != KeySize {
		return nil, fmt.Errorf("masking: key is %d bytes, want %d", len(raw), KeySize)
	}
	k := &Key{}
	copy(k.secret[:], raw)
	h := sha256.New()
	h.Write([]byte("piiscan-key-id"))
	h.Write(k.secret[:])
	k.id = hex.EncodeToString(h.Sum(nil)[:4])
	return k, nil
}

// ReadKeyFile reads a key file: 32 raw bytes, or hex/base64 text. Like ssh
// with private keys, it refuses a file that group or others may read.
func ReadKeyFile(path string) (*Key, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("masking: key file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("masking: key file %s is not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("masking: key file %s has mode %04o and is accessible by group or others; run chmod 600 %s", path, perm, path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("masking: key file: %w", err)
	}
	if len(b) == KeySize && !isText(b) {
		return NewKey(b)
	}
	k, err := ParseKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("masking: key file %s: %w", path, err)
	}
	return k, nil
}

func isText(b []byte) bool {
	return len(bytes.TrimLeft(b, "0123456789abcdefABCDEFghijklmnopqrstuvwxyzGHIJKLMNOPQRSTUVWXYZ+/=-_ \t\r\n")) == 0
}

// LoadKey reads keyFile if it is not empty, else PIISCAN_KEY. It returns
// ErrNoKey when neither is set.
func LoadKey(keyFile string) (*Key, error) {
	if keyFile != "" {
		return ReadKeyFile(keyFile)
	}
	s, ok := os.LookupEnv(KeyEnv)
	if !ok || strings.TrimSpace(s) == "" {
		return nil, ErrNoKey
	}
	k, err := ParseKey(s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", KeyEnv, err)
	}
	return k, nil
}

// ID is the key's public identifier: the first 8 hex digits of
// SHA-256("piiscan-key-id" || key). Record it beside de-identified output so
// the right key can be found for unmasking.
func (k *Key) ID() string { return k.id }

func (k Key) String() string { return "key " + k.id }

// Format prints String for every verb (%v, %#v, %x, ...), so no format
// string can print key material.
func (k Key) Format(f fmt.State, _ rune) { io.WriteString(f, k.String()) }

// derive returns an n-byte subkey for one purpose (HKDF-SHA256, RFC 5869).
func (k *Key) derive(purpose string, n int) []byte {
	prk, err := hkdf.Extract(sha256.New, k.secret[:], []byte("piiscan masking v1"))
	if err == nil {
		var out []byte
		if out, err = hkdf.Expand(sha256.New, prk, "piiscan/"+purpose, n); err == nil {
			return out
		}
	}
	// HKDF-SHA256 only fails for lengths above 255·32 bytes.
	panic("masking: key derivation: " + err.Error())
}
