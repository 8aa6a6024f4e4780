package pi

import (
	"encoding/binary"

	"github.com/piiscan/piiscan/internal/utf8x"
)

// Classes is a set of byte classes a value holds. A detector that can only
// match values holding some class says so (see detectors.Needer), and a
// short value without it skips the detector: a phone number column costs no
// dictionary pass, a column of Chinese names no digit scan. It is the
// keyword pre-filter of secret scanners, at the level of byte classes.
type Classes uint8

const (
	ClassHigh   Classes = 1 << iota // a byte ≥ 0x80: Chinese and other non-ASCII text
	ClassDigit                      // an ASCII digit
	ClassLetter                     // an ASCII letter
	ClassOther                      // any other ASCII byte: space, punctuation, control
)

const (
	ones = 0x0101010101010101
	msb  = 0x8080808080808080
)

// ASCIIMasks classifies the eight bytes of x (little-endian) at once: bit 7
// of a byte is set in digit for an ASCII digit and in letter for an ASCII
// letter; bytes ≥ 0x80 are neither. Adding 0x80-lo to a byte below 0x80
// sets its bit 7 when it is ≥ lo, adding 0x7F-hi when it is > hi; each sum
// stays below 0x100, so no carry crosses into the next byte and every
// byte's answer is exact (unlike the haszero/hasbetween tricks, whose bits
// above the first hit are unreliable). The detectors' byte scans use it to
// skip and count with TrailingZeros and OnesCount instead of a branch per
// byte.
func ASCIIMasks(x uint64) (digit, letter uint64) {
	y := x &^ msb
	ascii := ^x & msb
	digit = (y + ones*(0x80-'0')) &^ (y + ones*(0x7F-'9')) & ascii
	f := y | ones*0x20 // folds A-Z onto a-z; maps no other byte into a-z
	letter = (f + ones*(0x80-'a')) &^ (f + ones*(0x7F-'z')) & ascii
	return digit, letter
}

// ClassesOf returns the classes of the bytes of v. A value of eight bytes
// or more is read a word at a time, ending with its last eight bytes, which
// may overlap the word before (classes are a union, so nothing is counted
// twice); each word is classified with ASCIIMasks' sums, and the masks of
// all words are ORed before a class is read off them, unless the value is
// all digits. Measured under callgrind (BenchmarkClassesOf), that costs 33
// (digits), 141 and 253 instructions for values of 11, 22 and 44 bytes
// where a table look-up per byte cost 116, 169 and 328; the ID, phone,
// name and e-mail cells a database scan asks about (detectors.Column.Scan's
// classesMax) are two or three words.
func ClassesOf(v []byte) Classes {
	n := len(v)
	if n < 8 {
		var c Classes
		for _, b := range v {
			c |= byteClass[b]
		}
		return c
	}
	// Bit 7 of each byte: hi, the byte is ≥ 0x80; dig and let, an ASCII
	// digit or letter (ASCIIMasks, with its ASCII test folded into the
	// last &^ x); oth, an ASCII byte that is neither.
	var hi, dig, let, oth uint64
	// Digit strings (phone, ID and account numbers) are the commonest
	// short cells: a word of eight ASCII digits is told by two masks, a
	// third of the instructions of classifying it. Values starting with
	// anything else (names, e-mail addresses) skip the test.
	i := 0
	if v[0]-'0' < 10 {
		for ; i+8 < n; i += 8 {
			if !utf8x.Digits8(binary.LittleEndian.Uint64(v[i : i+8])) {
				break
			}
		}
		if i+8 >= n && utf8x.Digits8(binary.LittleEndian.Uint64(v[n-8:])) {
			return ClassDigit
		}
		if i > 0 {
			dig = msb // the words before i are digits
		}
	}
	word := func(x uint64) {
		y := x &^ msb
		d := (y + ones*(0x80-'0')) &^ (y + ones*(0x7F-'9')) &^ x
		f := y | ones*0x20
		l := (f + ones*(0x80-'a')) &^ (f + ones*(0x7F-'z')) &^ x
		hi |= x
		dig |= d
		let |= l
		oth |= ^(x | d | l)
	}
	for ; i+8 < n; i += 8 {
		word(binary.LittleEndian.Uint64(v[i : i+8]))
	}
	word(binary.LittleEndian.Uint64(v[n-8:])) // the last word, overlapping the one before
	var c Classes
	if hi&msb != 0 {
		c |= ClassHigh
	}
	if dig&msb != 0 {
		c |= ClassDigit
	}
	if let&msb != 0 {
		c |= ClassLetter
	}
	if oth&msb != 0 {
		c |= ClassOther
	}
	return c
}

var byteClass = func() (t [256]Classes) {
	for b := range t {
		switch {
		case b >= 0x80:
			t[b] = ClassHigh
		case b >= '0' && b <= '9':
			t[b] = ClassDigit
		case b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z':
			t[b] = ClassLetter
		default:
			t[b] = ClassOther
		}
	}
	return t
}()

// String lists the classes, for tests and errors.
func (c Classes) String() string {
	if c == 0 {
		return "none"
	}
	s := ""
	for i, name := range []string{"high", "digit", "letter", "other"} {
		if c&(1<<i) != 0 {
			if s != "" {
				s += "|"
			}
			s += name
		}
	}
	return s
}
