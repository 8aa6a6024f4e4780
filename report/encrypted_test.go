package report

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"math/rand/v2"
	"testing"
)

func TestLooksEncrypted(t *testing.T) {
	for _, tc := range []struct {
		v    string
		want bool
	}{
		{"q8Xz3N0vYp1kR7LmW2aT9g==", true},                  // 16 bytes, base64
		{"ENC(q8Xz3N0vYp1kR7LmW2aT9g==)", true},             // jasypt wrapper
		{"sm4:q8Xz3N0vYp1kR7LmW2aT9gq8Xz3N0vYp", true},      // tagged, unpadded
		{"3f7a9c0e5b2d4f6a8c1e3b5d7f9a0c2e", true},          // 16 bytes hex
		{"3F7A9C0E5B2D4F6A8C1E3B5D7F9A0C2E", true},          // upper-case hex
		{"q8Xz3N0vYp1kR7Lm-W2aT9g_q8Xz3N0v", true},          // URL alphabet
		{"110101199003074578", false},                       // ID number
		{"6222020200112233445", false},                      // card number
		{"13812345678", false},                              // phone
		{"customerAccountIdentifier", false},                // identifier: low entropy, no digits
		{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},         // repetitive
		{"0123456789abcdef0123456789abcdef", true},          // hex, each symbol twice: looks random enough
		{"550e8400-e29b-41d4-a716-446655440000", false},     // UUID
		{"zhangsan@example.com", false},                     // e-mail
		{"浙江省杭州市西湖区文三路 100 号", false},                       // CJK
		{"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc", false}, // JWT (dots)
		{"short1A==", false},                                // too short
		{"q8Xz3N0vYp1kR7LmW2aT9g===", false},                // 3 pad
		{"q8Xz3N0v=p1kR7LmW2aT9g==", false},                 // pad inside
		{"q8Xz3N0vYp1kR7LmW2aT9g+-", false},                 // mixed alphabets
		{"3f7a9c0e5b2d4f6a8c1e3b5d7f9a0c2", false},          // odd hex... but valid base64-ish? 31 lower+digit
		{"", false},
	} {
		if got := LooksEncrypted([]byte(tc.v)); got != tc.want {
			t.Errorf("LooksEncrypted(%q) = %v, want %v", tc.v, got, tc.want)
		}
	}
}

// TestLooksEncryptedRates measures the heuristic on real AES-GCM ciphertext
// of short PI-sized plaintexts and on plaintext-like strings.
func TestLooksEncryptedRates(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	key := make([]byte, 16)
	for i := range key {
		key[i] = byte(rng.Uint32())
	}
	blk, _ := aes.NewCipher(key)
	gcm, _ := cipher.NewGCM(blk)
	miss, n := 0, 0
	for i := 0; i < 3000; i++ {
		pt := make([]byte, 11+i%20)
		nonce := make([]byte, 12)
		for j := range nonce {
			nonce[j] = byte(rng.Uint32())
		}
		ct := gcm.Seal(nonce, nonce, pt, nil)
		ecb := make([]byte, 16)
		blk.Encrypt(ecb, append(pt, make([]byte, 16)...)[:16])
		sum := sha256.Sum256(pt)
		for _, s := range []string{
			base64.StdEncoding.EncodeToString(ct), hex.EncodeToString(ct),
			base64.StdEncoding.EncodeToString(ecb), hex.EncodeToString(ecb),
			base64.RawURLEncoding.EncodeToString(ecb), hex.EncodeToString(sum[:]),
		} {
			n++
			if !LooksEncrypted([]byte(s)) {
				miss++
			}
		}
	}
	if rate := float64(miss) / float64(n); rate > 0.005 {
		t.Errorf("missed %d of %d ciphertexts (%.2f%%)", miss, n, rate*100)
	}
	words := []string{"customer", "Order", "Address", "Primary", "Key", "Value", "2024", "Shanghai", "ID", "Status"}
	fp := 0
	for i := 0; i < 3000; i++ {
		s := ""
		for len(s) < 24 {
			s += words[rng.IntN(len(words))]
		}
		if LooksEncrypted([]byte(s)) {
			if fp < 8 {
				t.Log(s)
			}
			fp++
		}
	}
	t.Logf("%d of %d ciphertexts missed, %d of 3000 identifiers taken for ciphertext", miss, n, fp)
	if fp > 30 {
		t.Errorf("%d of 3000 camel-case identifiers look encrypted", fp)
	}
}

func BenchmarkLooksEncrypted(b *testing.B) {
	v := []byte("q8Xz3N0vYp1kR7LmW2aT9gq8Xz3N0vYp1kR7LmW2aT9g==")
	b.SetBytes(int64(len(v)))
	b.ReportAllocs()
	for b.Loop() {
		LooksEncrypted(v)
	}
}
