package sqldump

// Counts is the shape of a dump: what a copy that rewrites values in place
// (masking) keeps however its values change, so that a copy cut short or
// with a statement lost or merged has other Counts than its input.
type Counts struct {
	Rows       int64 // tuples of INSERT ... VALUES
	Statements int64 // statements begun (blanks and comments between them are none)
	Ended      int64 // statements ended by their ';'
	// LastOffset and LastLine (1-based) locate the start of the last
	// statement begun.
	LastOffset, LastLine int64
	Bytes                int64
}

// Counts returns the counts of the items Next has returned so far.
func (s *Scanner) Counts() Counts { return s.counts }
