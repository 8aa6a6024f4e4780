package report

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/bits"
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
	// Most stored values are short or start with a byte no ciphertext has
	// (CJK text, '-', '(', ...): this test inlines into the engine's call
	// site, which makes it for every named cell, so those values cost no
	// call.
	return len(v) >= 16 && byteClass[v[0]]&(clBad|clSpace) != clBad && looksEncrypted(v)
}

func looksEncrypted(v []byte) bool {
	if (byteClass[v[0]]|byteClass[v[len(v)-1]])&clSpace != 0 {
		v = bytes.TrimSpace(v)
	}
	// Unwrapping only shortens v: a value already too short cannot pass.
	if len(v) < 16 {
		return false
	}
	// The last eight bytes, before the ')' of "ENC(...)", end the
	// ciphertext whatever the wrapper. Text and e-mail addresses end in a
	// word after a space or a dot: tested first, they reject most of them
	// at once.
	n := len(v)
	if v[n-1] == ')' {
		if binary.LittleEndian.Uint32(v) != encOpen {
			return false
		}
		n--
	}
	acc := classes8(v[n-8 : n])
	if acc&clBad != 0 {
		return false
	}
	if n < len(v) {
		v = v[4:n]
	} else if i := tagEnd(v); i > 0 {
		v = v[i+1:]
	}
	if len(v) < 16 || len(v) > 1<<16 || isUUID(v) {
		return false
	}
	// Then the rest from the start, stopping within eight bytes of the
	// first bad one.
	i := 0
	for ; i+8 <= len(v); i += 8 {
		if acc |= classes8(v[i : i+8]); acc&clBad != 0 {
			return false
		}
	}
	for _, c := range v[i:] {
		acc |= byteClass[c]
	}
	if acc&clBad != 0 {
		return false
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

// classes8 ORs the classes of w's eight bytes: one table load each and no
// branch (a branch per byte cost twice as much).
func classes8(w []byte) uint8 {
	_ = w[7]
	return byteClass[w[0]] | byteClass[w[1]] | byteClass[w[2]] | byteClass[w[3]] |
		byteClass[w[4]] | byteClass[w[5]] | byteClass[w[6]] | byteClass[w[7]]
}

// encOpen is "ENC(" as a little-endian word.
const encOpen = 'E' | 'N'<<8 | 'C'<<16 | '('<<24

// tagEnd returns the index of the colon ending a tag prefix of 1 to 8
// letters or digits at the start of v ("v1:", "sm4:"), or -1. v holds at
// least 16 bytes. Only the first nine bytes can hold that colon; the first
// eight are searched as one word (a value without a colon there, the usual
// case, costs a few instructions).
func tagEnd(v []byte) int {
	w := binary.LittleEndian.Uint64(v) ^ (lows * ':')
	// The lowest byte flagged is exactly the first colon (a borrow only
	// flags bytes above a zero byte).
	i := 8
	if z := (w - lows) &^ w & highs; z != 0 {
		i = bits.TrailingZeros64(z) / 8
	} else if v[8] != ':' {
		return -1
	}
	if i == 0 || !isAlnum(v[:i]) {
		return -1
	}
	return i
}

const (
	lows  = 0x0101010101010101
	highs = 0x8080808080808080
)

// Byte classes for LooksEncrypted. clBad marks a byte ciphertext never has
// (clSpace too, for the spaces trimmed off its ends).
const (
	clUpper  = 1 << iota // A-Z
	clLower              // a-z
	clDigit              // 0-9
	clNonHex             // a letter beyond f/F
	clSymbol             // + / - _ =
	clSpace              // ASCII white space, with clBad
	_
	clBad
)

var byteClass = func() (t [256]uint8) {
	for i := range t {
		t[i] = clBad
	}
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
	for _, c := range " \t\n\r\v\f" {
		t[c] = clBad | clSpace
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
