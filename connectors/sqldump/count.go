package sqldump

import (
	"errors"
	"io"
)

// Counts is the shape of a dump: what a copy that rewrites values in place
// (masking) keeps however its values change, so that a copy cut short or
// with a statement lost or merged has other Counts than its input.
type Counts struct {
	Rows       int64 // tuples of INSERT ... VALUES (a Counter counts none)
	Statements int64 // statements begun (blanks and comments between them are none)
	Ended      int64 // statements ended by their ';'
	// LastOffset and LastLine (1-based) locate the start of the last
	// statement begun.
	LastOffset, LastLine int64
	Bytes                int64
}

// Counts returns the counts of the items Next has returned so far.
func (s *Scanner) Counts() Counts { return s.counts }

// Counter counts the statements of a dump that is written to it in pieces
// of any size, for a caller that sees the bytes pass by (a copy being made)
// rather than reading them: Write never fails, Close says what the dump
// held. It parses statements as Next does, except INSERT ... VALUES, whose
// tuples it passes as Next passes a statement's tail (up to a ';' at the end
// of a line, quotes not followed), without rows or values: a tenth of the
// work, and the rows of a dump are counted by its readers. Its counts are
// the same however the dump is cut into writes.
type Counter struct {
	s        *Scanner
	buf      []byte
	pos, max int
	it       Item
	err      error // the first syntax error
}

// NewCounter counts a dump in which gb selects GB18030-aware strings;
// maxItem caps the bytes it holds for one item (0: 64 MiB), as NewReader's
// does: a longer item is skipped to the end of its statement, as a Reader
// skips it.
func NewCounter(gb bool, maxItem int) *Counter {
	if maxItem <= 0 {
		maxItem = 64 << 20
	}
	s := NewScanner(gb)
	s.count = true
	return &Counter{s: s, max: maxItem}
}

// Write parses what p completes and keeps the rest for the next call.
func (c *Counter) Write(p []byte) (int, error) {
	if c.pos == len(c.buf) {
		// Nothing held: parse p where it is and keep what it leaves.
		m := c.parse(p, false)
		c.buf, c.pos = append(c.buf[:0], p[m:]...), 0
		return len(p), nil
	}
	if c.pos > 0 {
		c.buf = c.buf[:copy(c.buf, c.buf[c.pos:])]
		c.pos = 0
	}
	c.buf = append(c.buf, p...)
	c.pos += c.parse(c.buf, false)
	return len(p), nil
}

// Close parses the end of the dump and returns its counts and the first
// syntax error met in its structure (a *SyntaxError; the counts go on past
// it as the Scanner does). Errors inside a tuple's values, which a Counter
// does not look at, are the readers' to find.
func (c *Counter) Close() (Counts, error) {
	c.pos += c.parse(c.buf[c.pos:], true)
	return c.s.Counts(), c.err
}

// parse counts the items p holds and returns the bytes they take.
func (c *Counter) parse(p []byte, atEOF bool) int {
	pos := 0
	for {
		n, err := c.s.Next(p[pos:], atEOF, &c.it)
		if err == ErrShort {
			if len(p)-pos >= c.max {
				// As Reader.Next: drop the item and skip its statement.
				rest := p[pos:]
				c.s.line += int64(countNL(rest))
				c.s.off += int64(len(rest))
				c.s.Skip()
				pos = len(p)
				continue
			}
			return pos
		}
		if n == 0 && err == nil {
			return pos
		}
		pos += n
		var serr *SyntaxError
		if err != nil && c.err == nil && errors.As(err, &serr) {
			c.err = err
		}
	}
}

// Count reads a dump from r to its end and counts it (Counter). A read
// error is returned as it came.
func Count(r io.Reader, gb bool, maxItem int) (Counts, error) {
	c := NewCounter(gb, maxItem)
	if _, err := io.Copy(c, r); err != nil {
		return c.s.Counts(), err
	}
	return c.Close()
}
