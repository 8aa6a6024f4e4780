// Package detectors builds the set of PI detectors a scan runs and resolves
// their matches into one ordered, non-overlapping list per value.
//
// Individual detectors live in subpackages (structured identifiers, free-text
// PI, user rules); this package only knows the Detector contract and the
// registry in all.go.
package detectors

import (
	"fmt"
	"slices"
	"time"

	"github.com/piiscan/piiscan/detectors/pi"
)

// Detector finds values of one or more PI types in a field value.
//
// Contract, relied on by the engine's workers:
//   - Find appends matches to dst and returns it; it must not retain value,
//     f or dst after it returns.
//   - Find is safe for concurrent use by many goroutines.
//   - Find allocates nothing per input byte (amortised scratch is fine).
//   - value is UTF-8 (sources decode GB18030 etc. before detection).
type Detector interface {
	// Types lists the PI types this detector can report.
	Types() []pi.TypeID
	Find(value []byte, f *pi.Field, dst []pi.Match) []pi.Match
}

// Hinter is implemented by detectors whose types a column name or comment can
// suggest (身份证号, id_no, 手机, phone ...). It is called once per column,
// never per value.
type Hinter interface {
	Hint(column, comment string) []pi.TypeID
}

// Needer is implemented by detectors that can only match a value holding
// certain byte classes: Needs returns them for values of field f (0: no
// promise), and a short value holding none of them skips the detector (a
// column of phone numbers costs no dictionary pass). It must be exact: Find
// reports nothing in f on a value without them (FuzzNeeds checks every
// registered detector in columns of many kinds). It is called per value, so
// it must be cheap.
type Needer interface {
	Needs(f *pi.Field) pi.Classes
}

// classesMax bounds the values whose classes Set.Scan computes: the short
// cells of numeric and code columns (IDs, phones, amounts, dates, e-mails),
// where skipping a dictionary detector saves several times what the classes
// cost. Longer values (addresses, notes, log lines) nearly always need every
// detector, and computing their classes cost 7% of a structured-only scan of
// mixed text.
const classesMax = 24

// Restricter is implemented by multi-type detectors that can report only
// some of their types more cheaply than a filter after Find: Restrict returns
// a detector whose Find reports exactly the matches of the original whose
// type is in types (values of other types still claim their spans, so no
// fragment of a card turns into a phone number under --types cn_mobile).
// The result is typed any so that detector packages need not import this
// one; it must be a Detector.
type Restricter interface {
	Restrict(types []pi.TypeID) any
}

// Options configure a Set.
type Options struct {
	// Types restricts the scan to these types; empty means every registered type.
	Types []pi.TypeID
	// Now is the scan date: birth dates after it are invalid and people under
	// 14 on it are minors. Zero means time.Now().
	Now time.Time
	// MinConfidence drops matches below it.
	MinConfidence float32
	// RulesFile is an optional YAML file of custom rules (see detectors/custom).
	RulesFile string
}

// Set is the compiled list of detectors for one scan. It is immutable after
// NewSet and safe for concurrent use.
type Set struct {
	dets    []Detector
	needers []Needer // per detector; nil when it has no Needer
	hinters []Hinter
	types   []pi.TypeID
	minConf float32
}

// NewSet builds the detectors selected by opts from the registry.
func NewSet(opts Options) (*Set, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	all, err := registry(opts)
	if err != nil {
		return nil, err
	}
	return NewSetOf(opts, all)
}

// NewSetOf builds a set from exactly the given detectors (opts.Types still
// selects among them). Tools that embed piiscan use it to run their own
// detectors through the same engine.
func NewSetOf(opts Options, all []Detector) (*Set, error) {
	want := map[pi.TypeID]bool{}
	for _, t := range opts.Types {
		want[t] = true
	}
	s := &Set{minConf: opts.MinConfidence}
	known := map[pi.TypeID]bool{}
	for _, d := range all {
		for _, t := range d.Types() {
			known[t] = true
		}
	}
	for t := range want {
		if !known[t] {
			return nil, fmt.Errorf("unknown PI type %q", t)
		}
	}
	for _, d := range all {
		ts := d.Types()
		if len(want) > 0 {
			keep := false
			for _, t := range ts {
				keep = keep || want[t]
			}
			if !keep {
				continue
			}
		}
		s.dets = append(s.dets, d)
		if h, ok := d.(Hinter); ok {
			s.hinters = append(s.hinters, h)
		}
		for _, t := range ts {
			if len(want) == 0 || want[t] {
				s.types = append(s.types, t)
			}
		}
	}
	for _, d := range s.dets {
		n, _ := d.(Needer)
		s.needers = append(s.needers, n)
	}
	if len(want) > 0 {
		s.dets = append([]Detector(nil), s.dets...)
		for i, d := range s.dets {
			// A detector whose every type is wanted needs no filter: the
			// structured one alone is the common --types choice.
			var keep []pi.TypeID
			for _, t := range d.Types() {
				if want[t] {
					keep = append(keep, t)
				}
			}
			if len(keep) < len(d.Types()) {
				if r, ok := d.(Restricter); ok {
					rd, ok := r.Restrict(keep).(Detector)
					if !ok {
						return nil, fmt.Errorf("%T.Restrict did not return a Detector", d)
					}
					s.dets[i] = rd
				} else {
					s.dets[i] = filtered{d, keep}
				}
			}
		}
	}
	return s, nil
}

// filtered drops the types of a multi-type detector that the user did not ask for.
type filtered struct {
	Detector
	want []pi.TypeID // a few: a scan beats hashing the type name per match
}

func (f filtered) Find(value []byte, fc *pi.Field, dst []pi.Match) []pi.Match {
	n := len(dst)
	dst = f.Detector.Find(value, fc, dst)
	out := dst[:n]
	for _, m := range dst[n:] {
		if slices.Contains(f.want, m.Type) {
			out = append(out, m)
		}
	}
	return out
}

// Types lists the types this set reports.
func (s *Set) Types() []pi.TypeID { return s.types }

// Field builds the shared context of one column: its hints come from every
// detector that knows column names. Call it once per column.
func (s *Set) Field(table, column, comment string) *pi.Field {
	f := &pi.Field{Table: table, Column: column, Comment: comment}
	if column == "" && comment == "" {
		return f
	}
	for _, h := range s.hinters {
		for _, t := range h.Hint(column, comment) {
			if !f.Suggests(t) {
				f.Hints = append(f.Hints, t)
			}
		}
	}
	return f
}

// matchCmp orders matches by start, longer first, then by type.
func matchCmp(a, b pi.Match) int {
	if a.Start != b.Start {
		return a.Start - b.Start
	}
	if a.End != b.End {
		return b.End - a.End // longer first
	}
	if a.Type < b.Type {
		return -1
	}
	if a.Type > b.Type {
		return 1
	}
	return 0
}

// Scan appends to dst the matches in value, ordered by start offset, and
// returns it. Matches strictly inside a longer match are dropped (a name inside
// an address, a mobile inside a card number); matches with the same span and
// different types are all kept (an ID number and the minor it shows).
func (s *Set) Scan(value []byte, f *pi.Field, dst []pi.Match) []pi.Match {
	n := len(dst)
	var have pi.Classes
	if len(value) <= classesMax {
		have = pi.ClassesOf(value)
	}
	for i, d := range s.dets {
		if have != 0 && s.needers[i] != nil {
			if need := s.needers[i].Needs(f); need != 0 && have&need == 0 {
				continue
			}
		}
		dst = d.Find(value, f, dst)
	}
	if len(dst) > n+1 {
		return s.resolve(dst, n)
	}
	return s.single(dst, n)
}

// single returns dst with the one match (or none) after dst[n:] dropped
// when it is below the set's confidence: most cells have none or one (an ID
// number, a phone, an e-mail), which need no ordering, and single is
// inlined where resolve would cost a call.
func (s *Set) single(dst []pi.Match, n int) []pi.Match {
	if len(dst) > n && dst[n].Confidence < s.minConf {
		return dst[:n]
	}
	return dst
}

// resolve orders the matches dst[n:] (two or more) by start offset, drops
// those below the set's confidence and those strictly inside a longer
// match, and returns dst.
func (s *Set) resolve(dst []pi.Match, n int) []pi.Match {
	ms := dst[n:]
	if len(ms) > 12 {
		slices.SortFunc(ms, matchCmp)
	} else {
		// What slices.SortFunc does for twelve elements or fewer (an
		// insertion sort, so the order of equal matches is the same),
		// with the comparison inlined: a line's few matches from three
		// detectors cost a closure call per comparison otherwise.
		for i := 1; i < len(ms); i++ {
			for j := i; j > 0 && matchCmp(ms[j], ms[j-1]) < 0; j-- {
				ms[j], ms[j-1] = ms[j-1], ms[j]
			}
		}
	}
	out := dst[:n]
	maxEnd, lastStart := -1, -1
	for _, m := range ms {
		if m.Confidence < s.minConf {
			continue
		}
		if len(out) > n {
			prev := out[len(out)-1]
			if m.Start == prev.Start && m.End == prev.End {
				if m.Type == prev.Type {
					continue
				}
				out = append(out, m)
				continue
			}
			if m.End <= maxEnd && (m.Start > lastStart || m.End < maxEnd) {
				continue // strictly inside a kept, longer match
			}
		}
		out = append(out, m)
		if m.End > maxEnd {
			maxEnd, lastStart = m.End, m.Start
		}
	}
	return out
}
