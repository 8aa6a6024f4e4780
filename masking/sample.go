package masking

import (
	"bytes"
	"encoding/binary"
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

// sampleHead is maskRunes(dst, v, head, 0, '*') in one pass over v for the
// samples that keep only a head: head is 1 (names, sensitive words) or -2,
// min(6, n/2) for an address of n runes. It notes where each of the first
// seven runes ends while it counts them, and copies the kept head in one
// go unless an invalid byte in it must be written as '?'.
func sampleHead(dst, v []byte, head int) []byte {
	var ends [7]int // ends[k]: the byte offset after the first k runes
	n, i, clean := 0, 0, true
	for i < len(v) {
		b := v[i]
		switch {
		case b < utf8.RuneSelf:
			i++
		case is3(v[i:]):
			i += 3 // a valid three-byte rune
		default:
			r, size := utf8.DecodeRune(v[i:])
			if r == utf8.RuneError && size == 1 && n < len(ends) {
				clean = false // '?' in the head: maskRunesN writes it
			}
			i += size
		}
		n++
		if n < len(ends) {
			ends[n] = i
		} else {
			// Every rune the head can keep is seen: the rest only counts.
			n += runeCount(v[i:])
			break
		}
	}
	if head < 0 {
		head = min(6, n/2)
	}
	if head >= n {
		head = n / 4 // maskRunesN's rule for a value it would keep whole
	}
	if !clean {
		return maskRunesN(dst, v, n, head, 0, '*')
	}
	dst = append(dst, v[:ends[head]]...)
	return appendRepeat(dst, '*', n-head)
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
	at := bytes.LastIndexByte(v, '@')
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
