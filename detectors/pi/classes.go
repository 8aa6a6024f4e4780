package pi

import "encoding/binary"

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

// ClassesOf returns the classes of the bytes of v: the union of a table
// look-up per byte, eight bytes of one load a step (a value of eight bytes
// or more ends with its last eight bytes, which may overlap the previous
// step: classes are a union, so nothing is counted twice). On the short
// values it is asked about (detectors.Set.Scan's classesMax) this costs
// about half the instructions of classifying each word with ASCIIMasks,
// whose eight 64-bit constants are rebuilt every step.
func ClassesOf(v []byte) Classes {
	n := len(v)
	if n < 8 {
		var c Classes
		for _, b := range v {
			c |= byteClass[b]
		}
		return c
	}
	t := &byteClass
	var c Classes
	for i := 0; ; i += 8 {
		if i+8 > n {
			i = n - 8 // the last word, overlapping the one before
		}
		x := binary.LittleEndian.Uint64(v[i:])
		c |= t[uint8(x)] | t[uint8(x>>8)] | t[uint8(x>>16)] | t[uint8(x>>24)] |
			t[uint8(x>>32)] | t[uint8(x>>40)] | t[uint8(x>>48)] | t[uint8(x>>56)]
		if i+8 >= n {
			break
		}
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
