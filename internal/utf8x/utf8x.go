// Package utf8x validates UTF-8 faster than unicode/utf8 on Chinese text.
//
// utf8.Valid steps through multi-byte characters one table lookup at a time;
// file readers validate every byte they read. Mixed Chinese text (short
// ASCII runs between three-byte characters) defeats fast paths that branch
// per character, since which kind comes next is unpredictable. Valid instead
// classifies 32 bytes at a time with SWAR arithmetic on 64-bit words and one
// branch per block: every lead byte must be followed by exactly its
// continuation bytes. Leads whose continuations are restricted (E0, ED, F0
// to F4: overlong forms, surrogates, > U+10FFFF) or that are never valid
// (C0, C1, F5 to FF) are rare in Chinese text and send their block (or a
// longer span, while such blocks follow each other) to a path that takes one
// character at a time.
//
// It also holds the word-at-a-time ASCII tests that several packages share
// (ASCIIPrefix, Digits8, LowerASCII).
package utf8x

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
)

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// block is the number of bytes checked between two branches.
const block = 32

// Valid reports whether p is entirely valid UTF-8; it agrees with
// utf8.Valid on every input (FuzzValid). On amd64 with AVX2 it checks
// 32-byte blocks with vector instructions (about 0.7 instructions a byte on
// Chinese text, against about 6 for validSWAR); elsewhere, or built with
// the purego tag, it runs validSWAR. The tests run both.
func Valid(p []byte) bool {
	if vector == nil {
		return validSWAR(p)
	}
	// p[:i] is valid but for a character still open at i.
	i := vector(p)
	return utf8.Valid(p[start(p, i):])
}

// validSWAR is Valid in portable Go.
func validSWAR(p []byte) bool {
	i, carry := 0, uint64(0)
	span := block // how far slow goes: doubled while fast keeps failing at once
	for {
		j, c := fast(p, i, carry)
		if j > i {
			span = block // fast took a block: try it again after one
		}
		i, carry = j, c
		if i+block > len(p) {
			break
		}
		// A rare byte or an error in p[i:i+block]: decide it exactly.
		var ok bool
		if i, ok = slow(p, i, min(i+span, len(p))); !ok {
			return false
		}
		carry = 0
		span = min(2*span, maxSpan)
	}
	// p[:i] is valid but for a character still open at i, if carry says so.
	return utf8.Valid(p[start(p, i):])
}

// maxSpan bounds how far slow goes at once: text dense in rare bytes (an
// emoji or an ED Hangul syllable every few characters) would fail nearly
// every block, and trying fast first each time cost more than slow alone.
const maxSpan = 1024

// fast checks p from i in blocks of 32 bytes while they hold only
// continuation bytes where the characters before need them and no rare
// bytes; it returns where it stopped and the carry there. carry marks (in
// the high bit of each byte lane) the bytes at the start of the next word
// that characters begun in the last word need to be continuation bytes.
//
// Without rare bytes, leads are C2..DF (two bytes) and E1..EC, EE, EF
// (three), which take any continuation bytes: the bytes are valid when the
// continuation bytes are exactly those the leads before them need. (Two
// characters overlapping would need a lead where a continuation is needed,
// so no byte is needed twice.)
//
// fast calls nothing, so that its many values stay in registers.
func fast(p []byte, i int, carry uint64) (int, uint64) {
	for ; i+block <= len(p); i += block {
		q := p[i : i+block : i+block]
		x0 := binary.LittleEndian.Uint64(q[0:])
		x1 := binary.LittleEndian.Uint64(q[8:])
		x2 := binary.LittleEndian.Uint64(q[16:])
		x3 := binary.LittleEndian.Uint64(q[24:])
		if (x0|x1|x2|x3)&msb == 0 && carry == 0 {
			continue // ASCII
		}
		// Word by word, so that few values are live at once.
		next, bad, l := word(x0, carry)
		bad |= l & rare(x0)
		next, b, l := word(x1, next)
		bad |= b | l&rare(x1)
		next, b, l = word(x2, next)
		bad |= b | l&rare(x2)
		next, b, l = word(x3, next)
		bad |= b | l&rare(x3)
		if bad&msb != 0 {
			return i, carry
		}
		carry = next
	}
	return i, carry
}

// word checks the word x (8 bytes, little-endian) given the carry from the
// word before: it returns the carry into the next word, the bytes out of
// place and the lead bytes (each in the high bit of its byte lane).
func word(x, carry uint64) (next, bad, lead uint64) {
	hi := x & msb            // ≥ 0x80
	lead = hi & (x << 1)     // ≥ 0xC0 (bit 6 moved to the high bit)
	lead3 := lead & (x << 2) // ≥ 0xE0
	need := lead<<8 | lead3<<16 | carry
	return lead>>56 | lead3>>48, need ^ hi ^ lead, lead
}

// rare marks, in the high bit of each byte lane, the lanes that are rare
// bytes if they are leads: leads C0, C1, E0, ED and F0..FF have low six bits
// 00, 01, 20, 2D and 30..3F. Each test adds to the six bits (at most 3F) a
// constant that sets bit 6 or not, never carrying into the next lane.
func rare(x uint64) uint64 {
	v := x & (0x3F * lsb)
	ok := (v + 0x3E*lsb) & // ≥ 02
		^(v + 0x10*lsb) & // < 30
		((v ^ 0x20*lsb) + 0x3F*lsb) & // ≠ 20
		((v ^ 0x2D*lsb) + 0x3F*lsb) // ≠ 2D
	return ^ok << 1
}

// slow validates p from the start of the character open at i until at least
// to, a character (or an ASCII word) at a time; it returns where it stopped
// (a character boundary) and whether the characters were valid. Text with
// an emoji or a Hangul syllable from ED every few characters spends most of
// its time here, so it takes ASCII words and three-byte characters that
// take any continuation bytes with a test each before utf8.DecodeRune.
// (Taking pairs of three-byte characters, as fast did before, mispredicted
// more than it saved on such text.)
func slow(p []byte, i, to int) (int, bool) {
	for i = start(p, i); i < to; {
		if i+8 <= len(p) {
			x := binary.LittleEndian.Uint64(p[i:])
			if x&msb == 0 {
				i += 8
				continue
			}
			if x&0x80 == 0 {
				i += bits.TrailingZeros64(x&msb) >> 3 // ASCII up to the high byte
				continue
			}
			if x&0xC0C0F0 == 0x8080E0 && byte(x) != 0xE0 && byte(x) != 0xED {
				i += 3 // a lead E1..EC, EE, EF and two continuation bytes
				continue
			}
		}
		if p[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(p[i:])
		if r == utf8.RuneError && size == 1 {
			return i, false
		}
		i += size
	}
	return i, true
}

// start is where the character that contains p[i-1] begins if it may
// continue at p[i] (its lead is one of the three bytes before i), else i.
// The bytes before i must be valid UTF-8 but for that character.
func start(p []byte, i int) int {
	for k := 1; k <= 3 && k <= i; k++ {
		c := p[i-k]
		if c < 0x80 {
			break
		}
		if c >= 0xC0 {
			return i - k
		}
	}
	return i
}

// ASCIIPrefix returns the length of p's leading run of ASCII bytes: the
// index of its first byte ≥ 0x80, or len(p). It tests sixteen bytes a step:
// files that start with megabytes of ASCII are sniffed this far, and ASCII
// cells and log lines are read whole before a detector gives up on them.
// Slicing both ends (p[i:i+8]) costs one bounds check; p[i:] would also
// clamp the pointer for an empty rest.
func ASCIIPrefix(p []byte) int {
	i := 0
	for ; i+16 <= len(p); i += 16 {
		a, b := binary.LittleEndian.Uint64(p[i:i+8]), binary.LittleEndian.Uint64(p[i+8:i+16])
		if (a|b)&msb != 0 {
			if w := a & msb; w != 0 {
				return i + bits.TrailingZeros64(w)>>3
			}
			return i + 8 + bits.TrailingZeros64(b&msb)>>3
		}
	}
	for ; i < len(p); i++ {
		if p[i] >= 0x80 {
			return i
		}
	}
	return i
}

// Digits8 reports whether the eight bytes of w (a little-endian load) are
// ASCII digits: a byte below '0' borrows into its high bit when '0' is
// subtracted, one above '9' carries into it when 0x46 is added, and a byte
// >= 0x80 has it already. (A borrow or carry only leaves a byte that already
// failed.)
func Digits8(w uint64) bool {
	return ((w-0x3030303030303030)|(w+0x4646464646464646)|w)&msb == 0
}

// LowerASCII lower-cases the ASCII letters of b in place; other bytes,
// UTF-8 sequences included, are left as they are.
func LowerASCII(b []byte) {
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
}
