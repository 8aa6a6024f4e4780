package connectors

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/piiscan/piiscan/connectors/internal/rawmap"
	"github.com/piiscan/piiscan/connectors/sqldump"
	"github.com/piiscan/piiscan/scanner"
)

// sqlReader turns a mysqldump stream into records: one per INSERT tuple,
// Record.Table the table, fields named by the INSERT's column list or the
// table's CREATE TABLE columns (by position "#3" when neither is known),
// Field.Comment the column COMMENT. NULLs are skipped; numbers are fields.
// Record.Number is the row within the table. A malformed statement yields an
// InputError with its start offset and line and reading resumes at the next
// statement.
type sqlReader struct {
	w    *window
	b    *rawmap.Builder
	name string
	max  int
	s    *sqldump.Scanner
	it   sqldump.Item

	pos []string // "#1", "#2", ... for tuples without column names

	copyData bool // the last item was a COPY statement: its rows follow
	bad      unparsed

	// countOnly: records without fields (Options.CountOnly).
	countOnly bool
}

func newSQLReader(w *window, b *rawmap.Builder, name string, max int) *sqlReader {
	return &sqlReader{w: w, b: b, name: name, max: max, s: sqldump.NewScanner(b.GB())}
}

func (r *sqlReader) next(rec *scanner.Record) error {
	w := r.w
	if r.bad.take(r.b, r.name, rec) {
		if r.countOnly { // the text after a syntax error: rare, built anyway
			rec.Fields = rec.Fields[:0]
		}
		return nil
	}
	for {
		eof := w.eof
		n, err := r.s.Next(w.avail(), eof, &r.it)
		if err == sqldump.ErrShort {
			if w.full() {
				// a tuple or statement longer than the window: skip ahead
				at, line := r.s.Offset(), r.s.Line()
				r.skipTooLong()
				return &scanner.InputError{Source: r.name, Offset: at,
					Err: fmt.Errorf("line %d: %w", line, ErrTooLong)}
			}
			if eof { // the scanner must finish at the end: a bug, not bad input
				return &scanner.InputError{Source: r.name, Offset: r.s.Offset(), Err: fmt.Errorf("line %d: %w", r.s.Line(), io.ErrUnexpectedEOF)}
			}
			w.more()
			continue
		}
		if n == 0 && err == nil {
			return io.EOF
		}
		w.pos += n
		if err != nil {
			var se *sqldump.SyntaxError
			if errors.As(err, &se) {
				// What the scanner skipped (from the bad tuple to the end
				// of the statement) is scanned as text.
				r.bad.keep(r.it.Raw, r.w.off(r.w.pos-n), se.StmtLine, r.max)
				return &scanner.InputError{Source: r.name, Offset: se.StmtOffset, Err: se}
			}
			return &scanner.InputError{Source: r.name, Offset: r.it.Offset, Err: err}
		}
		if r.it.Kind != sqldump.Tuple {
			// Statements that carry values but are not rows (UPDATE, a
			// pg_dump COPY block, INSERT ... SELECT, CALL) and comments:
			// text that can hold PI, scanned (and masked) as free text
			// rather than passed through unread.
			if r.it.Kind == sqldump.Other && n <= r.max && (r.copyData || r.it.Tail && !blankTail(r.it.Raw) || valueText(r.it.Raw)) {
				// A COPY ... FROM stdin is followed by its rows up to
				// "\.": the next item holds them.
				r.copyData = !r.copyData && hasKeyword(r.it.Raw, "COPY")
				r.emitText(rec, n)
				return nil
			}
			r.copyData = false
			continue
		}
		if n > r.max {
			return &scanner.InputError{Source: r.name, Record: r.it.Row, Offset: r.it.Offset,
				Err: fmt.Errorf("line %d: %w", r.it.Line, ErrTooLong)}
		}
		r.emit(rec, n)
		return nil
	}
}

// skipTooLong feeds the scanner's skip mode by declaring the window's
// content a syntax error's tail: it drops input until the end of the
// current statement.
func (r *sqlReader) skipTooLong() {
	w := r.w
	r.s.Skip()
	for {
		eof := w.eof
		n, err := r.s.Next(w.avail(), eof, &r.it)
		if err == sqldump.ErrShort {
			if eof {
				return
			}
			w.more()
			continue
		}
		w.pos += n
		if n == 0 || !r.s.Skipping() {
			return
		}
	}
}

// valueText reports a statement that may carry values although it is not
// an INSERT ... VALUES: it starts with a keyword that writes or passes
// values (UPDATE, a pg_dump COPY block, INSERT ... SELECT, CALL). mysqldump's
// comments and SET, LOCK, DROP and CREATE statements do not.
func valueText(p []byte) bool {
	p = bytes.TrimLeft(p, " \t\r\n;")
	for _, k := range [...]string{"UPDATE", "COPY", "CALL", "SELECT", "INSERT", "REPLACE", "DELETE", "VALUES", "MERGE", "UPSERT"} {
		if hasKeyword(p, k) {
			return true
		}
	}
	return false
}

// blankTail reports a statement tail with nothing in it but the ';' that
// ends the statement and blanks.
func blankTail(p []byte) bool {
	return len(bytes.Trim(p, " \t\r\n;")) == 0
}

// hasKeyword reports a statement that starts with keyword k (any case).
func hasKeyword(p []byte, k string) bool {
	p = bytes.TrimLeft(p, " \t\r\n;")
	return len(p) > len(k) && strings.EqualFold(string(p[:len(k)]), k) &&
		!(p[len(k)]|0x20 >= 'a' && p[len(k)]|0x20 <= 'z' || p[len(k)] == '_')
}

// emitText makes a record of one free-text field of a non-row item.
func (r *sqlReader) emitText(rec *scanner.Record, n int) {
	it := &r.it
	rec.Source = r.name
	rec.Table = ""
	rec.Number = it.Line
	if r.countOnly {
		rec.Fields = rec.Fields[:0]
		return
	}
	r.b.Reset()
	v, m := r.b.Plain(it.Raw)
	rec.Fields = append(rec.Fields[:0], scanner.Field{Value: v, Map: m, Offset: r.w.off(r.w.pos - n)})
}

func (r *sqlReader) emit(rec *scanner.Record, n int) {
	it := &r.it
	if r.countOnly {
		rec.Source = r.name
		rec.Table = it.Table
		rec.Number = it.Row
		rec.Fields = rec.Fields[:0]
		return
	}
	raw := it.Raw
	base := r.w.off(r.w.pos - n)
	r.b.Reset()
	gb := r.b.GB()
	// Fields are written in place (a Field is 11 words) into room for
	// every value, and values are read where they are.
	fields := slices.Grow(rec.Fields[:0], len(it.Values))
	for i := range it.Values {
		v := &it.Values[i]
		if v.Kind == sqldump.Null {
			continue
		}
		content := v.Content(raw)
		if len(content) == 0 {
			continue
		}
		var name, comment string
		if i < len(it.Columns) {
			c := &it.Columns[i]
			name, comment = c.Name, c.Comment
		} else {
			for len(r.pos) <= i {
				r.pos = append(r.pos, "#"+strconv.Itoa(len(r.pos)+1))
			}
			name = r.pos[i]
		}
		off := base + int64(v.Start)
		if v.Kind == sqldump.String {
			off++
		}
		fields = fields[:len(fields)+1]
		f := &fields[len(fields)-1]
		switch {
		case v.Escaped:
			r.b.Begin()
			sqldump.Decode(r.b, content, v.Quote, gb)
			val, m := r.b.End()
			*f = scanner.Field{Name: name, Comment: comment, Value: val, Offset: off, Map: m}
		default:
			val, m := r.b.Plain(content)
			*f = scanner.Field{Name: name, Comment: comment, Value: val, Offset: off, Map: m}
		}
	}
	rec.Source = r.name
	rec.Table = it.Table
	rec.Number = it.Row
	rec.Fields = fields
}
