package report

import (
	"bytes"
	"math"
)

// looksEncryptedRef is LooksEncrypted as it was before its word-at-a-time
// rewrite (commit 9e50f4c), kept as the oracle of TestLooksEncryptedMatchesRef
// and FuzzLooksEncrypted: the fast version must give the same answer for
// every input. Its helpers are copies too, except isAlnum and isUUID, which
// LooksEncrypted still calls; isSpace is here because only it uses it now.
func looksEncryptedRef(v []byte) bool {
	// Most stored values are short or start with a byte no ciphertext has:
	// reject them before trimming (the engine calls this for every value).
	if len(v) < 16 || refClass[v[0]] == 0 && !isSpace(v[0]) {
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
		k := refClass[c]
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
		return len(v) >= 32 && len(v)%2 == 0 && digit && refEntropyOK(v, 16)
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
	return classes >= 2 && refEntropyOK(body, 64) && !refWordLike(body)
}

// refClass is byteClass as it was: 0 means a byte ciphertext never has.
var refClass = func() (t [256]uint8) {
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

func refWordLike(v []byte) bool {
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

func refEntropyOK(v []byte, alphabet int) bool {
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

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}
