package fpe

import (
	"fmt"

	"github.com/piiscan/piiscan/detectors/pi"
)

// Case classes of an alnum value. The class picks the alphabet and is kept:
// FF1 runs over the class's alphabet and cycle-walks until the result is in
// the same class, so the token's class (and hence the alphabet to decrypt
// with) is known from the token alone.
const (
	classDigits = iota // digits only: radix 10
	classUpper         // digits and A-Z, at least one letter: radix 36
	classLower         // digits and a-z, at least one letter: radix 36
	classMixed         // both cases: radix 62
)

const alphabet62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

func (t *Tokenizer) alnum(b []byte, typ pi.TypeID, enc bool) error {
	n := 0
	upper, lower := false, false
	for i, c := range b {
		var d uint16
		switch {
		case c >= '0' && c <= '9':
			d = uint16(c - '0')
		case c >= 'A' && c <= 'Z':
			d, upper = uint16(c-'A')+10, true
		case c >= 'a' && c <= 'z':
			d, lower = uint16(c-'a')+36, true
		default:
			continue
		}
		if n == maxChars {
			return fmt.Errorf("%w: more than %d characters", ErrFormat, maxChars)
		}
		t.pos[n] = int32(i)
		t.num[n] = d // radix-62 numeral for now
		n++
	}
	class, c := classMixed, t.b62
	switch {
	case !upper && !lower:
		class, c = classDigits, t.dec
	case upper && !lower:
		class, c = classUpper, t.b36
	case lower && !upper:
		class, c = classLower, t.b36
		for k := range n {
			if t.num[k] >= 36 {
				t.num[k] -= 26
			}
		}
	}
	if !bigEnough(c.Radix(), n) {
		return fmt.Errorf("%w: %s has %d letters and digits, too few to encrypt", ErrFormat, typ, n)
	}
	tw := t.setTweak(typ, uint16(class))
	x := t.num[:n]
	for {
		if err := t.crypt(c, x, tw, enc); err != nil {
			return err
		}
		if classOf(class, x) {
			break
		}
	}
	for k := range n {
		d := t.num[k]
		if class == classLower && d >= 10 {
			d += 26
		}
		b[t.pos[k]] = alphabet62[d]
	}
	return nil
}

// classOf reports whether numerals x (in the class's radix) belong to class.
func classOf(class int, x []uint16) bool {
	switch class {
	case classUpper, classLower:
		for _, d := range x {
			if d >= 10 {
				return true
			}
		}
		return false
	case classMixed:
		u, l := false, false
		for _, d := range x {
			u = u || (d >= 10 && d < 36)
			l = l || d >= 36
		}
		return u && l
	}
	return true
}

func bigEnough(radix, n int) bool {
	p := 1
	for range n {
		p *= radix
		if p >= minDomain {
			return true
		}
	}
	return false
}
