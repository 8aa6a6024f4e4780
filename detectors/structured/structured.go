// Package structured finds structured Chinese personal identifiers (ID card,
// mobile and landline numbers, bank cards, e-mail, IP addresses, passports,
// travel permits, licence plates, USCC, birth dates) in field values.
//
// One pass over the value's bytes finds candidates: ASCII alphanumeric runs
// ("atoms"), joined into digit chains by the separators people write
// (138 1234 5678, 010-12345678, (0755)1234567), into dotted runs (IPv4),
// colon runs (IPv6) and e-mail addresses at '@'. Validators (check digits,
// Luhn, region/BIN/area-code tables, calendar dates) then confirm them. Each
// type is a spec (spec.go) in its own file; the scan and the context logic
// are shared.
//
// A candidate never starts or ends inside a longer ASCII token: the bytes
// next to it may not be letters, digits or '_', nor '-'/'.' glued to one.
// Chinese text around a value is fine (中文13812345678中文 is a mobile).
package structured

import (
	"slices"
	"time"

	"github.com/piiscan/piiscan/detectors/pi"
)

// Detector reports the structured types. It is immutable after New and safe
// for concurrent use; Find keeps its state on the stack.
type Detector struct {
	today int // scan date as yyyymmdd: later birth dates are invalid
	types []pi.TypeID
	// chainBy[n] are the specs tried on digit chains of n digits, in
	// priority order.
	chainBy [maxDigits + 1][]*spec
	// chainBy1[n] are chainBy[n] less the specs whose single excludes n:
	// those tried on a chain of one group (an 18-digit ID is not offered to
	// landline, which takes 11 or 12 digits without separators).
	chainBy1 [maxDigits + 1][]*spec
	token    []*spec // specs tried on letter-led tokens
	dots     []*spec // specs tried on dotted digit runs
	// groups is the union of the dots' groups.
	groups uint32
	atoms  []*spec // specs tried at every token start
	// mute has bit k set for a spec kind k whose values are confirmed (they
	// claim their span) but not reported; muteMinor likewise for pi.Minor.
	mute      uint32
	muteMinor bool
}

// Restrict returns a copy of d that reports only the given types (see
// detectors.Restricter): every type is still validated, in the same order,
// so the matches are exactly d's matches of those types.
func (d *Detector) Restrict(types []pi.TypeID) any {
	r := *d
	r.types = nil
	r.mute, r.muteMinor = 0, !slices.Contains(types, pi.Minor)
	for _, s := range specs {
		if slices.Contains(types, s.typ) {
			r.types = append(r.types, s.typ)
		} else {
			r.mute |= 1 << s.kind
		}
	}
	if !r.muteMinor {
		r.types = append(r.types, pi.Minor)
	}
	return &r
}

// New returns the detector for scans on the date now (birth dates after it
// are invalid; people under 14 on it are minors). A zero now means time.Now().
func New(now time.Time) *Detector {
	if now.IsZero() {
		now = time.Now()
	}
	d := &Detector{today: now.Year()*10000 + int(now.Month())*100 + now.Day()}
	for _, s := range specs {
		d.types = append(d.types, s.typ)
		if s.shapes&shapeChain != 0 {
			for n := range d.chainBy {
				if s.digits&(1<<n) != 0 {
					d.chainBy[n] = append(d.chainBy[n], s)
					if s.single == 0 || s.single&(1<<n) != 0 {
						d.chainBy1[n] = append(d.chainBy1[n], s)
					}
				}
			}
		}
		if s.shapes&shapeToken != 0 {
			d.token = append(d.token, s)
		}
		if s.shapes&shapeAtom != 0 {
			d.atoms = append(d.atoms, s)
		}
		if s.shapes&shapeDotted != 0 {
			d.dots = append(d.dots, s)
			d.groups |= s.groups
		}
	}
	d.types = append(d.types, pi.Minor)
	return d
}

// Types lists the types Find can report, including pi.Minor, which is
// derived from an ID number's birth date.
func (d *Detector) Types() []pi.TypeID { return d.types }

// Find appends the structured identifiers in value to dst, ordered by start
// offset and non-overlapping (except that a minor's ID number is reported
// twice with the same span: once as cn_id_card, once as minor).
func (d *Detector) Find(value []byte, f *pi.Field, dst []pi.Match) []pi.Match {
	// Field by field: a composite literal is built in a temporary and
	// copied into st, twice the stores on every call.
	var st scan
	st.d, st.v, st.f, st.dst = d, value, f, dst
	st.run()
	return st.dst
}

// Needs: every structured type has ASCII digits or letters (full-width
// digits are not read), so a value of Chinese text and punctuation alone
// holds none.
func (d *Detector) Needs(*pi.Field) pi.Classes { return pi.ClassDigit | pi.ClassLetter }
