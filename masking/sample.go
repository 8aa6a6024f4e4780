package masking

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
	"unsafe"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/internal/utf8x"
)

// Sample renders a detected value for findings and reports: enough to
// recognise it, never enough to recover it. It keeps a few leading and
// trailing characters per type (DESIGN.md §2 shows an ID as
// 4331**********0147) and replaces the rest with '*', one per character, so
// the length stays visible.
//
// It allocates once, for the result. Callers that build many samples (the
// engine, one per finding) use AppendSample with memory of their own.
func Sample(t pi.TypeID, v []byte) string {
	// A sample is never longer than its value ('*' replaces a character
	// of one or more bytes, '?' an invalid byte), so this buffer is the
	// string's memory; nothing writes to it after.
	b := AppendSample(make([]byte, 0, len(v)), t, v)
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// AppendSample appends Sample(t, v) to dst and returns the extended
// buffer. The sample takes at most len(v) bytes, so a dst with that much
// spare capacity is not reallocated.
func AppendSample(dst []byte, t pi.TypeID, v []byte) []byte {
	keepHead, keepTail := 0, 0
	switch t {
	case pi.IDCard, pi.BankCard, pi.Minor:
		keepHead, keepTail = 4, 4
	case pi.Mobile:
		// The mask operator's defaults are the sample: a mobile keeps its
		// segment and last four digits past +86/0086 and separators
		// (+86-138-****-5678), an e-mail its first character and domain.
		// sampleMobile and sampleEmail are NewMask().Apply for these two
		// types, without its checks of the mask's fields.
		return sampleMobile(dst, v)
	case pi.Email:
		return sampleEmail(dst, v)
	case pi.Landline, pi.USCC:
		keepHead, keepTail = 4, 2
	case pi.Passport, pi.TravelPermit, pi.LicensePlate:
		keepHead, keepTail = 2, 1
	case pi.Name:
		// The surname's character (a name of one character is masked
		// whole: maskRunes keeps n/4 of it).
		return sampleHead(dst, v, 1)
	case pi.Address:
		return sampleHead(dst, v, -2)
	case pi.IPv4, pi.IPv6, pi.BirthDate:
		if isASCII(v) {
			return maskASCII(dst, v, len(v)/3, 0, '*')
		}
		n := runeCount(v)
		return maskRunesN(dst, v, n, n/3, 0, '*')
	case pi.Credential, pi.GeoCoordinate, pi.Biometric:
		// nothing of a secret or a position is shown
	default:
		// sensitive categories are words like 高血压 whose presence is the
		// finding; show the first character for orientation (min(1, n-1)
		// characters: sampleHead's 1, as a word of one is masked whole).
		return sampleHead(dst, v, 1)
	}
	// maskRunes hides at least half of a short value.
	if isASCII(v) { // IDs, cards, phones: bytes are characters
		return maskASCII(dst, v, keepHead, keepTail, '*')
	}
	return maskRunes(dst, v, keepHead, keepTail, '*')
}

// maskASCII is maskRunes(dst, v, head, tail, rune(c)) for ASCII v, where
// bytes are characters (IDs, cards, phones), and for an ASCII mask c.
func maskASCII(dst, v []byte, head, tail int, c byte) []byte {
	n := len(v)
	if head+tail >= n {
		head, tail = n/4, 0
	}
	dst = append(dst, v[:head]...)
	dst = appendRepeat(dst, rune(c), n-tail-head)
	return append(dst, v[n-tail:]...)
}

// sampleHead is maskRunes(dst, v, head, 0, '*') for the samples that keep
// only a head: head is 1 (names, sensitive words) or -2, min(6, n/2) for an
// address of n runes. A valid value is counted by validRunes and its head
// found from lead bytes; any other goes through sampleHeadInvalid.
func sampleHead(dst, v []byte, head int) []byte {
	n, valid := validRunes(v)
	if !valid {
		return sampleHeadInvalid(dst, v, head)
	}
	if head < 0 {
		head = min(6, n/2)
	}
	if head >= n {
		head = n / 4 // maskRunesN's rule for a value it would keep whole
	}
	// In valid UTF-8 a lead byte gives its rune's length.
	end := 0
	for range head {
		switch b := v[end]; {
		case b < utf8.RuneSelf:
			end++
		case b < 0xE0:
			end += 2
		case b < 0xF0:
			end += 3
		default:
			end += 4
		}
	}
	dst = append(dst, v[:end]...)
	return appendRepeat(dst, '*', n-head)
}

// validRunes returns utf8.RuneCount(v) and whether v is valid UTF-8 (if
// not, the count is only a prefix's). Addresses are mostly Chinese with
// short digit runs: a value of eight bytes or more is read a word at a
// time (the last word shifted down, its missing bytes zero), and a word
// starting with ASCII takes its whole ASCII run, one starting with a
// three-byte rune whose lead is E1-EC (U+1000-U+CFFF: every CJK character
// and most punctuation, valid whatever continuation bytes follow) that
// rune and a second such one after it. Other leads go through
// utf8.DecodeRune. That costs an address about half of a rune-by-rune
// pass (BenchmarkAppendSample).
func validRunes(v []byte) (int, bool) {
	n, i := 0, 0
	if len(v) < 8 {
		for i < len(v) {
			size := runeSize(v[i:])
			if size == 1 && v[i] >= utf8.RuneSelf { // an invalid byte
				return n, false
			}
			i += size
			n++
		}
		return n, true
	}
	for i < len(v) {
		var x uint64
		if i+8 <= len(v) {
			x = binary.LittleEndian.Uint64(v[i:])
		} else {
			x = binary.LittleEndian.Uint64(v[len(v)-8:]) >> (8 * (i + 8 - len(v)))
		}
		if x&0x80 == 0 {
			// The zero bytes past the end of a last word look ASCII.
			k := min(bits.TrailingZeros64(x&0x8080808080808080)/8, len(v)-i)
			i, n = i+k, n+k
			continue
		}
		if x&0xC0C0F0 == 0x8080E0 && byte(x)-0xE1 < 12 {
			if x&0xC0C0F0000000 == 0x8080E0000000 && byte(x>>24)-0xE1 < 12 {
				i, n = i+6, n+2
			} else {
				i, n = i+3, n+1
			}
			continue
		}
		size := runeSize(v[i:])
		if size == 1 { // an invalid byte: v[i] is not ASCII here
			return n, false
		}
		i += size
		n++
	}
	return n, true
}

// sampleHeadInvalid is sampleHead for a value that is not valid UTF-8,
// where an invalid byte is a character of its own and, in the kept head,
// written as '?' (maskRunesN).
func sampleHeadInvalid(dst, v []byte, head int) []byte {
	n := runeCount(v)
	if head < 0 {
		head = min(6, n/2)
	}
	return maskRunesN(dst, v, n, head, 0, '*')
}

// sampleMobile is NewMask().Apply(dst, pi.Mobile, v): past the country
// code (86 or 0086 before 11 digits), the first 3 and last 4 letters and
// digits are kept and separators stay in place. An 11-digit number alone
// (13812345678) is three copies; other ASCII values count their digits
// and letters in one loop.
func sampleMobile(dst, v []byte) []byte {
	if len(v) == 11 && utf8x.Digits8(binary.LittleEndian.Uint64(v)) && utf8x.Digits8(binary.LittleEndian.Uint64(v[3:])) {
		dst = append(dst, v[:3]...)
		dst = append(dst, "****"...)
		return append(dst, v[7:]...)
	}
	if !isASCII(v) {
		return maskAlnum(dst, v, mobilePrefix(v), 3, 4, '*')
	}
	nd, na := 0, 0 // digits; letters and digits
	for _, b := range v {
		if isDigit(b) {
			nd++
			na++
		} else if isAlnum(b) {
			na++
		}
	}
	return maskAlnumASCIICounted(dst, v, na, mobileSkip(nd), 3, 4, '*')
}

// sampleEmail is NewMask().Apply(dst, pi.Email, v): the first character
// of the local part and the domain are kept. For ASCII v a byte is a
// character.
func sampleEmail(dst, v []byte) []byte {
	if !isASCII(v) {
		out, _ := NewMask().Apply(dst, pi.Email, v) // Apply of a mask never fails
		return out
	}
	at := lastAt(v)
	if at <= 0 {
		return appendRepeat(dst, '*', len(v))
	}
	if at == 1 { // a local part of one character is masked whole
		dst = append(dst, '*')
	} else {
		dst = append(dst, v[0])
		dst = appendRepeat(dst, '*', at-1)
	}
	return append(dst, v[at:]...)
}

// lastAt is bytes.LastIndexByte(v, '@') a word at a time from the end,
// where the generic LastIndexByte takes a byte per loop: an address's
// domain holds the '@' within its last word or two.
func lastAt(v []byte) int {
	const low7 = 0x7F7F7F7F7F7F7F7F
	i := len(v)
	for ; i >= 8; i -= 8 {
		x := binary.LittleEndian.Uint64(v[i-8:]) ^ 0x4040404040404040 // '@' bytes are 0
		// Bit 7 of a byte is set exactly when the byte is 0: adding 0x7F
		// to its low seven bits cannot carry into the next byte.
		if z := ^((x&low7 + low7) | x | low7); z != 0 {
			return i - 8 + (63-bits.LeadingZeros64(z))/8
		}
	}
	return bytes.LastIndexByte(v[:i], '@')
}
