package detectors

import "github.com/piiscan/piiscan/detectors/pi"

// Column is the detection context of one column for one Set: its Field and
// what Set.Scan would otherwise work out again for every value, namely which
// classes of bytes each detector needs (Needer) in this column. A database
// table scans millions of values of a few columns: asking every detector
// per value cost more than a fifth of the set's own work per cell.
//
// A Column is immutable and safe for concurrent use; build one per column
// with Set.Column and scan the column's values with Column.Scan.
type Column struct {
	set   *Set
	field *pi.Field
	// needs[i] is what s.dets[i] needs in this column: every class when it
	// made no promise, so a value lacking all of them skips it.
	needs []pi.Classes
	// gated is true when some detector made a promise: only then are the
	// classes of a short value worth computing.
	gated bool
}

// anyClass is every class: a detector that needs it runs on any value.
const anyClass = ^pi.Classes(0)

// Column prepares the column whose context is f (from Set.Field) for
// Column.Scan. Call it once per column, like Set.Field; f must not change
// afterwards.
func (s *Set) Column(f *pi.Field) *Column {
	c := &Column{set: s, field: f, needs: make([]pi.Classes, len(s.dets))}
	for i, n := range s.needers {
		c.needs[i] = anyClass
		if n != nil {
			if need := n.Needs(f); need != 0 {
				c.needs[i] = need
				c.gated = true
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
	s := c.set
	n := len(dst)
	have := anyClass
	if c.gated && len(value) <= classesMax {
		if have = pi.ClassesOf(value); have == 0 {
			have = anyClass // an empty value: Set.Scan runs every detector
		}
	}
	needs := c.needs[:len(s.dets)]
	for i, d := range s.dets {
		if needs[i]&have == 0 {
			continue
		}
		dst = d.Find(value, c.field, dst)
	}
	if len(dst) > n+1 {
		return s.resolve(dst, n)
	}
	return s.single(dst, n)
}
