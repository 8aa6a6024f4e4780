package report

import (
	"bytes"
	"math"
)

// LooksEncrypted reports whether one stored value looks like ciphertext (or a
// keyed hash): what an application writes when it encrypts a column with AES
// or SM4 and stores the result as hex or base64. The engine calls it per
// non-empty value and reports the share as Column.EncryptedShare.
//
// The heuristic, in order:
//  1. Surrounding spaces and one wrapper are removed: "ENC(...)", or a short
//     tag prefix of up to 8 letters/digits and a colon ("enc:", "v1:", "sm4:").
//  2. The rest must be hex (≥ 32 digits, even length, one letter case, at
//     least one letter and one digit) or base64 (standard or URL alphabet,
//     ≥ 16 symbols before at most two '=' of padding, padded length a multiple
//     of 4, at least two of upper, lower and digit classes). Anything else
//     (spaces, CJK, '.', '@') is plaintext.
//  3. Its symbol entropy must be near that of random symbols of its length:
//     at least 0.8 × log2(min(len, alphabet)) bits per symbol, and base64
//     must not have the long same-case letter runs of words (at most 60% of
//     neighbours both lower, upper or digits; random base64: 35%).
//     Identifiers, words and repetitive codes fail here; 16 random bytes in
//     base64 pass.
//  4. UUIDs are identifiers, not ciphertext, and so are digit-only strings
//     (card and phone numbers).
//
// It does not allocate. A column of ciphertext also has values of few,
// block-aligned lengths; the engine may require that too, this function only
// judges one value.
func LooksEncrypted(v []byte) bool {
	// Most stored values are short or start with a byte no ciphertext has:
	// reject them before trimming (the engine calls this for every value).
	if len(v) < 16 || byteClass[v[0]] == 0 && !isSpace(v[0]) {
		return false
	}
	if isSpace(v[0]) || isSpace(v[len(v)-1]) {
		v = bytes.TrimSpace(v)
	}
	if bytes.HasPrefix(v, []byte("ENC(")) && bytes.HasSuffix(v, []byte(")")) {
		v = v[4 : len(v)-1]
	} else if i := bytes.IndexByte(v, ':'); i > 0 && i <= 8 && isAlnum(v[:i]) {
		v = v[i+1:]
	}
	if len(v) < 16 || len(v) > 1<<16 || isUUID(v) {
		return false
	}
	// One table load per byte; the classes are ORed together and checked
	// once at the end (a branch per class mispredicts on random text).
	var acc uint8
	for _, c := range v {
		k := byteClass[c]
		if k == 0 {
			return false
		}
		acc |= k
	}
	upper, lower, digit := acc&clUpper != 0, acc&clLower != 0, acc&clDigit != 0
	hexOnly := acc&(clNonHex|clSymbol) == 0
	if !upper && !lower {
		return false // digits only: numbers, not ciphertext
	}
	if hexOnly && !(upper && lower) {
		return len(v) >= 32 && len(v)%2 == 0 && digit && entropyOK(v, 16)
	}
	// base64: padding only at the end, at most two.
	body := bytes.TrimRight(v, "=")
	pad := len(v) - len(body)
	if pad > 2 || bytes.IndexByte(body, '=') >= 0 || len(body) < 16 {
		return false
	}
	if pad > 0 && len(v)%4 != 0 {
		return false
	}
	if bytes.ContainsAny(body, "+/") && bytes.ContainsAny(body, "-_") {
		return false // mixes the two alphabets
	}
	classes := 0
	for _, b := range [...]bool{upper, lower, digit} {
		if b {
			classes++
		}
	}
	return classes >= 2 && entropyOK(body, 64) && !wordLike(body)
}

// Byte classes for LooksEncrypted; 0 means a byte ciphertext never has.
const (
	clUpper  = 1 << iota // A-Z
	clLower              // a-z
	clDigit              // 0-9
	clNonHex             // a letter beyond f/F
	clSymbol             // + / - _ =
)

var byteClass = func() (t [256]uint8) {
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = clUpper
		t[c+'a'-'A'] = clLower
		if c > 'F' {
			t[c] |= clNonHex
			t[c+'a'-'A'] |= clNonHex
		}
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = clDigit
	}
	for _, c := range "+/-_=" {
		t[c] = clSymbol
	}
	return t
}()

// wordLike reports runs of same-case letters and of digits typical of words
// and identifiers ("OrderStatusValue2024"): in random base64 two neighbours
// are of one class (lower, upper, digit) 35% of the time, in words most of
// the time.
func wordLike(v []byte) bool {
	same := 0
	for i := 1; i < len(v); i++ {
		a, b := v[i-1], v[i]
		if a >= 'a' && a <= 'z' && b >= 'a' && b <= 'z' || a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z' ||
			a >= '0' && a <= '9' && b >= '0' && b <= '9' {
			same++
		}
	}
	return float64(same) > 0.6*float64(len(v)-1)
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func isAlnum(b []byte) bool {
	for _, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// isUUID matches 8-4-4-4-12 hex.
func isUUID(v []byte) bool {
	if len(v) != 36 {
		return false
	}
	for i, c := range v {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
			continue
		}
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// entropyOK compares the Shannon entropy of v's bytes (all ASCII here) with
// that expected of random symbols from an alphabet of the given size.
func entropyOK(v []byte, alphabet int) bool {
	var counts [128]uint32
	for _, c := range v {
		counts[c&127]++
	}
	n := float64(len(v))
	h := 0.0
	for _, k := range counts {
		if k > 0 {
			p := float64(k) / n
			h -= p * math.Log2(p)
		}
	}
	return h >= 0.8*math.Log2(math.Min(n, float64(alphabet)))
}
