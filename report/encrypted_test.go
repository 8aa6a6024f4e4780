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
		// Adversarial cases for the fast paths: a colon just inside and
		// just past the tag's reach, wrappers around bad bodies, a bad
		// byte at each end of a word, Unicode spaces bytes.TrimSpace takes.
		{"abcdefgh:q8Xz3N0vYp1kR7LmW2aT9g==", true},       // 8-byte tag, colon at index 8
		{"abcdefghi:q8Xz3N0vYp1kR7LmW2aT9g==", false},     // 9-byte tag: colon past the reach
		{":q8Xz3N0vYp1kR7LmW2aT9gq8Xz3N0vY", false},       // colon first: no tag
		{"v-1:q8Xz3N0vYp1kR7LmW2aT9g==", false},           // tag not alphanumeric
		{"ENC(q8Xz3N0vYp1kR7LmW2aT9g==", false},           // no closing parenthesis
		{"ENC(3f7a9c0e5b2d4f6a8c1e3b5d7f9a0c2e)", true},   // wrapped hex
		{"ENC()aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa)", false},   // ')' inside
		{"3f7a9c0e5b2d4f6a8c1e3b5d7f9a0c2e.", false},      // bad last byte
		{"3f7a9c0e5b2d4f6.8c1e3b5d7f9a0c2e", false},       // bad byte at a word's end
		{"3f7a9c0e.b2d4f6a8c1e3b5d7f9a0c2e", false},       // bad byte at a word's start
		{"3f7a9c0e5b2d4f6a8c1e3b5d7f9a0c2e\u3000", false}, // ideographic space, not trimmed first
		{" 3f7a9c0e5b2d4f6a8c1e3b5d7f9a0c2e\u3000", true}, // trimmed once a space leads
		{"\t3f7a9c0e5b2d4f6a8c1e3b5d7f9a0c2e\n", true},    // ASCII spaces
		{"   q8Xz3N0vYp1kR7   ", false},                   // 16 with spaces, 10 without
		{"3f7a9c0e5b2d4f6a8c1e3b5d7f9a0c2e\x00", false},   // NUL
		{"3f7a9c0e5b2d4f6a8c1e3b5d7f9a0c2\xe9", false},    // Latin-1 byte
		{"1101011990030745781101011990030745", false},     // digits in whole words
	} {
		if got := LooksEncrypted([]byte(tc.v)); got != tc.want {
			t.Errorf("LooksEncrypted(%q) = %v, want %v", tc.v, got, tc.want)
		}
	}
}

// TestLooksEncryptedMatchesRef compares LooksEncrypted with the version it
// replaced on values built to reach every branch: wrappers, tags, spaces,
// bad bytes at every position of a word, lengths around each threshold.
func TestLooksEncryptedMatchesRef(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const (
		hexLower = "0123456789abcdef"
		hexUpper = "0123456789ABCDEF"
		b64      = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
		b64URL   = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
		digits   = "0123456789"
		lower    = "abcdefghijklmnopqrstuvwxyz"
	)
	alphabets := []string{hexLower, hexUpper, b64, b64URL, digits, lower, hexLower + "G", b64 + "-"}
	heads := []string{"", "", "", " ", "\t", "\f", "\v\r", "ENC(", "v1:", "sm4:", "abcdefgh:", "abcdefghi:", ":", "a:b:", "v-1:", "\u3000", "\u00a0 "}
	tails := []string{"", "", "", ")", " ", "\n", "\f", "\v", "=", "==", "===", "\u3000", ". ", "\x85"}
	bad := []string{" ", ".", "@", ":", "(", ")", "=", "\x00", "\x7f", "\xff", "中", "\u3000"}
	lengths := []int{0, 1, 7, 8, 9, 12, 15, 16, 17, 23, 24, 31, 32, 33, 35, 36, 37, 44, 63, 64, 65}
	n, yes := 0, 0
	check := func(v []byte) {
		n++
		got, want := LooksEncrypted(v), looksEncryptedRef(v)
		if got != want {
			t.Errorf("LooksEncrypted(%q) = %v, the replaced version says %v", v, got, want)
		}
		if got {
			yes++
		}
	}
	for i := 0; i < 200000; i++ {
		a := alphabets[rng.IntN(len(alphabets))]
		body := make([]byte, lengths[rng.IntN(len(lengths))])
		for j := range body {
			body[j] = a[rng.IntN(len(a))]
		}
		if len(body) > 0 && rng.IntN(3) == 0 {
			j := rng.IntN(len(body))
			body = append(body[:j], append([]byte(bad[rng.IntN(len(bad))]), body[j:]...)...)
		}
		v := append([]byte(heads[rng.IntN(len(heads))]), body...)
		check(append(v, tails[rng.IntN(len(tails))]...))
	}
	// UUIDs, and long values at the length cap.
	for _, s := range []string{"550e8400-e29b-41d4-a716-446655440000", "550E8400-E29B-41D4-A716-44665544000G", "550e8400e29b41d4a716446655440000abcd"} {
		check([]byte(s))
	}
	for _, m := range []int{1<<16 - 1, 1 << 16, 1<<16 + 1} {
		v := make([]byte, m)
		for j := range v {
			v[j] = b64[rng.IntN(64)]
		}
		check(v)
	}
	if yes < n/50 {
		t.Errorf("only %d of %d values looked encrypted: the cases miss the accepting paths", yes, n)
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

// BenchmarkLooksEncryptedCells runs LooksEncrypted over the cells of one row
// of the PostgreSQL benchmark table (connectors/postgres bench_people), as
// the engine calls it for every named cell: most are rejected early, the
// ID number, e-mail and note only part way in.
func BenchmarkLooksEncryptedCells(b *testing.B) {
	row := [][]byte{[]byte("123456"), []byte("用户123456"), []byte("110105199001010456"), []byte("13800123456"),
		[]byte("user123456@example.com"), []byte("北京市朝阳区建国路456号院6号楼"),
		[]byte("e10adc3949ba59abbe56e057f20f883e8a2b3d0c4e9f1a7b6c5d4e3f2a1b0c9d order 123456")}
	n := 0
	for _, v := range row {
		n += len(v)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for _, v := range row {
			LooksEncrypted(v)
		}
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

// TestLooksEncryptedDigits pins rule 4 for digit-only values of every
// length: the engine does not call LooksEncrypted for a value its column
// scan found all digits (detectors.Column.ScanClasses), so this must hold.
func TestLooksEncryptedDigits(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 62))
	for n := range 200 {
		for range 20 {
			v := make([]byte, n)
			for i := range v {
				v[i] = '0' + byte(r.IntN(10))
			}
			if LooksEncrypted(v) {
				t.Fatalf("LooksEncrypted(%q) = true for digits only", v)
			}
		}
	}
}
