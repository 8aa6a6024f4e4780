package detectors

import "github.com/piiscan/piiscan/detectors/pi"

// Column is the detection context of one column for one Set: its Field and
// what Set.Scan would otherwise work out again for every value, namely which
// detectors a value of each combination of byte classes needs (Needer) in
// this column. A database table scans millions of values of a few columns:
// asking every detector per value cost more than a fifth of the set's own
// work per cell.
//
// A Column is immutable and safe for concurrent use; build one per column
// with Set.Column and scan the column's values with Column.Scan.
type Column struct {
	set   *Set
	field *pi.Field
	// runs[c] lists, in the set's order, the detectors a value of classes
	// c runs in this column: those that made no promise and those that
	// need one of c's classes. runs[0] (an empty value) and runs[allClasses]
	// (a value whose classes are not computed) are every detector. A list
	// per combination costs the value one look-up instead of a test per
	// detector.
	runs [allClasses + 1][]Detector
	// gated is true when some detector made a promise: only then are the
	// classes of a short value worth computing.
	gated bool
}

// allClasses is every class ClassesOf reports.
const allClasses = pi.ClassHigh | pi.ClassDigit | pi.ClassLetter | pi.ClassOther

// Column prepares the column whose context is f (from Set.Field) for
// Column.Scan. Call it once per column, like Set.Field; f must not change
// afterwards.
func (s *Set) Column(f *pi.Field) *Column {
	c := &Column{set: s, field: f}
	needs := make([]pi.Classes, len(s.dets))
	for i, n := range s.needers {
		needs[i] = allClasses
		if n != nil {
			if need := n.Needs(f); need != 0 {
				needs[i] = need
				c.gated = true
			}
		}
	}
	for have := range c.runs {
		h := pi.Classes(have)
		if h == 0 {
			h = allClasses // an empty value: Set.Scan runs every detector
		}
		for i, d := range s.dets {
			if needs[i]&h != 0 {
				c.runs[have] = append(c.runs[have], d)
			}
		}
	}
	return c
}

// Field is the column's context, as given to Set.Column.
func (c *Column) Field() *pi.Field { return c.field }

// Scan is Set.Scan(value, c.Field(), dst): the same matches, in the same
// order.
func (c *Column) Scan(value []byte, dst []pi.Match) []pi.Match {
	dst, _ = c.ScanClasses(value, dst)
	return dst
}

// ScanClasses is Scan that also returns the classes of value it worked
// out on the way: pi.ClassesOf(value) restricted to the four classes
// Needers use, or all four when it did not compute them (a long value, or
// a column no detector made a promise for). The engine reads it to skip
// tests a class rules out (an all-digit value is never ciphertext) without
// classifying the value again.
func (c *Column) ScanClasses(value []byte, dst []pi.Match) ([]pi.Match, pi.Classes) {
	n := len(dst)
	cl := pi.Classes(allClasses)
	if c.gated && len(value) <= classesMax {
		cl = pi.ClassesOf(value) & allClasses
	}
	dets := c.runs[cl&allClasses] // masked again: no bounds check
	for _, d := range dets {
		dst = d.Find(value, c.field, dst)
	}
	if len(dst) > n+1 {
		return c.set.resolve(dst, n), cl
	}
	return c.set.single(dst, n), cl
}
