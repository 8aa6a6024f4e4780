// Package utf8x validates UTF-8 faster than unicode/utf8 on Chinese text.
//
// utf8.Valid steps through multi-byte characters one table lookup at a time;
// file readers validate every byte they read, which cost a fifth of a
// structured-only scan on mixed Chinese text. Nearly all of that text is
// ASCII runs and three-byte characters (U+0800–U+FFFF), so Valid tests eight
// ASCII bytes, or two three-byte characters, per load and leaves everything
// else to unicode/utf8.
package utf8x

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
)

const msb = 0x8080808080808080

// Valid reports whether p is entirely valid UTF-8; it agrees with
// utf8.Valid on every input (FuzzValid).
func Valid(p []byte) bool {
	i, n := 0, len(p)
	for i+8 <= n {
		x := binary.LittleEndian.Uint64(p[i:])
		if x&msb == 0 {
			i += 8
			continue
		}
		if x&0x80 == 0 {
			// ASCII up to the first high byte.
			i += bits.TrailingZeros64(x&msb) >> 3
			continue
		}
		// Two three-byte characters, then one: a lead 1110xxxx followed by
		// two continuation bytes 10xxxxxx. Leads E0 and ED are excluded:
		// they restrict their second byte (overlong forms, surrogates) and
		// take the general path.
		if x&0xC0C0F0C0C0F0 == 0x8080E08080E0 && okLead3(byte(x)) && okLead3(byte(x>>24)) {
			// A run of ideographs: two characters per load while it lasts.
			i += 6
			for i+8 <= n {
				x = binary.LittleEndian.Uint64(p[i:])
				if x&0xC0C0F0C0C0F0 != 0x8080E08080E0 || !okLead3(byte(x)) || !okLead3(byte(x>>24)) {
					break
				}
				i += 6
			}
			continue
		}
		if x&0xC0C0F0 == 0x8080E0 && okLead3(byte(x)) {
			i += 3
			continue
		}
		r, size := utf8.DecodeRune(p[i:])
		if r == utf8.RuneError && size == 1 {
			return false
		}
		i += size
	}
	return utf8.Valid(p[i:])
}

// okLead3 reports a three-byte lead whose every continuation is valid:
// E1..EC and EE..EF.
func okLead3(b byte) bool { return b != 0xE0 && b != 0xED }
