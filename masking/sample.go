package masking

import (
	"unicode/utf8"

	"github.com/piiscan/piiscan/detectors/pi"
)

// Sample renders a detected value for findings and reports: enough to
// recognise it, never enough to recover it. It keeps a few leading and
// trailing characters per type (DESIGN.md §2 shows an ID as
// 4331**********0147) and replaces the rest with '*', one per character, so
// the length stays visible.
func Sample(t pi.TypeID, v []byte) string {
	n := utf8.RuneCount(v)
	keepHead, keepTail := 0, 0
	switch t {
	case pi.IDCard, pi.BankCard, pi.Minor:
		keepHead, keepTail = 4, 4
	case pi.Mobile, pi.Email:
		// The mask operator's defaults are the sample: a mobile keeps its
		// segment and last four digits past +86/0086 and separators
		// (+86-138-****-5678), an e-mail its first character and domain.
		if out, err := NewMask().Apply(make([]byte, 0, len(v)), t, v); err == nil {
			return string(out)
		}
		keepHead, keepTail = 3, 4
	case pi.Landline, pi.USCC:
		keepHead, keepTail = 4, 2
	case pi.Passport, pi.TravelPermit, pi.LicensePlate:
		keepHead, keepTail = 2, 1
	case pi.Name:
		keepHead = 1
	case pi.Address:
		keepHead = min(6, n/2)
	case pi.IPv4, pi.IPv6, pi.BirthDate:
		keepHead = n / 3
	case pi.Credential, pi.GeoCoordinate, pi.Biometric:
		// nothing of a secret or a position is shown
	default:
		// sensitive categories are words like 高血压 whose presence is the
		// finding; show the first character for orientation.
		keepHead = min(1, n-1)
	}
	// maskRunes hides at least half of a short value.
	return string(maskRunes(make([]byte, 0, len(v)), v, keepHead, keepTail, '*'))
}
