package masking

import (
	"unsafe"

	"github.com/piiscan/piiscan/detectors/pi"
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
	case pi.Mobile, pi.Email:
		// The mask operator's defaults are the sample: a mobile keeps its
		// segment and last four digits past +86/0086 and separators
		// (+86-138-****-5678), an e-mail its first character and domain.
		if out, err := NewMask().Apply(dst, t, v); err == nil {
			return out
		}
		keepHead, keepTail = 3, 4
	case pi.Landline, pi.USCC:
		keepHead, keepTail = 4, 2
	case pi.Passport, pi.TravelPermit, pi.LicensePlate:
		keepHead, keepTail = 2, 1
	case pi.Name:
		keepHead = 1
	case pi.Address:
		n := runeCount(v)
		return maskRunesN(dst, v, n, min(6, n/2), 0, '*')
	case pi.IPv4, pi.IPv6, pi.BirthDate:
		n := runeCount(v)
		return maskRunesN(dst, v, n, n/3, 0, '*')
	case pi.Credential, pi.GeoCoordinate, pi.Biometric:
		// nothing of a secret or a position is shown
	default:
		// sensitive categories are words like 高血压 whose presence is the
		// finding; show the first character for orientation.
		n := runeCount(v)
		return maskRunesN(dst, v, n, min(1, n-1), 0, '*')
	}
	// maskRunes hides at least half of a short value.
	return maskRunes(dst, v, keepHead, keepTail, '*')
}
