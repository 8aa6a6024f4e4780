// Package sqldump splits mysqldump output into items without loading
// statements whole: INSERT statements come out tuple by tuple, each value with
// its raw byte span, so a reader can detect PI in the values and a masker can
// rewrite them in place while copying every other byte through.
//
// The Scanner is a pure byte parser with no I/O: the caller keeps a buffer,
// calls Next with the unconsumed bytes, and on ErrShort reads more and calls
// again with the same start. Reader wraps it over an io.Reader.
//
// The concatenation of every item's Raw, in order, is exactly the input.
//
// CREATE TABLE statements are parsed with github.com/xwb1989/sqlparser for
// column names and COMMENTs (falling back to a scan of the column list when
// the parser does not know a construct); tuples are tokenised by hand, which
// is ~25× faster than sqlparser and allocates nothing (PERF.md).
package sqldump

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/piiscan/piiscan/connectors/internal/rawmap"
)

// Kind says what an Item is.
type Kind uint8

const (
	// Other is whitespace, comments, or a statement not listed below.
	Other Kind = iota
	// CreateTable is a whole CREATE TABLE statement; Columns are its columns.
	CreateTable
	// InsertHead is "INSERT INTO t (cols) VALUES " up to the first tuple.
	InsertHead
	// Tuple is one "(v, ...)" of an INSERT, with the separator after it
	// ("," or ";" and the whitespace up to the next tuple or line).
	Tuple
)

// ValueKind says what kind of literal a Value is.
type ValueKind uint8

const (
	String ValueKind = iota + 1 // '...' or "..." (also _charset'...' and N'...': the span is the quoted part)
	Number                      // 12, -3.5, 1e9
	Null                        // NULL
	Hex                         // 0xABCD, X'AB', b'0101'
	Expr                        // any other word or function call: TRUE, CURRENT_TIMESTAMP, ST_GeomFromText('...')
)

// Value is one literal of a tuple.
type Value struct {
	// Start and End are the value's span in Item.Raw. For strings it holds
	// the quotes; Content gives what is between them.
	Start, End int
	Kind       ValueKind
	// Quote is the quote byte of a String.
	Quote byte
	// Escaped reports that a String holds backslash escapes or doubled
	// quotes (Decode needs to run; otherwise the content is the value).
	Escaped bool
}

// Content returns the bytes of the value in raw (an Item.Raw), without the
// quotes of a string.
func (v Value) Content(raw []byte) []byte {
	if v.Kind == String {
		return raw[v.Start+1 : v.End-1]
	}
	return raw[v.Start:v.End]
}

// Column is a table column from CREATE TABLE or an INSERT column list.
type Column struct {
	Name    string
	Comment string
}

// Item is one piece of the dump. Its slices are borrowed from the buffer
// given to Next (Raw) and from the Scanner (Values, Columns) and are valid
// until the next call.
type Item struct {
	Kind   Kind
	Raw    []byte
	Offset int64 // stream offset of Raw[0]
	Line   int64 // 1-based line of Raw[0]

	// Table is the table of a CreateTable, InsertHead or Tuple.
	Table string
	// Columns are the INSERT's column list, else the columns of the table's
	// CREATE TABLE; nil if neither was seen.
	Columns []Column
	Values  []Value // Tuple
	// Row is a Tuple's 1-based row number in its table, over all INSERTs.
	Row int64
	// StmtOffset and StmtLine locate the statement an item belongs to.
	StmtOffset int64
	StmtLine   int64
	// Tail marks an Other item that is the rest of a statement after its
	// tuples (ON DUPLICATE KEY UPDATE phone='…', RETURNING …, a tuple after
	// a missing comma) or after a syntax error: text that can hold values.
	Tail bool
}

// ErrShort means p does not hold a whole item: call Next again with more
// input (or with atEOF set).
var ErrShort = errors.New("sqldump: need more input")

// SyntaxError describes a malformed statement. Next returns it together with
// the number of bytes to skip (through the end of the statement, found as the
// next ";" at the end of a line) as an Other item.
type SyntaxError struct {
	StmtOffset int64 // stream offset where the statement starts
	StmtLine   int64 // its 1-based line
	Offset     int64 // stream offset of the problem
	Msg        string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d: malformed SQL statement (at byte %d): %s", e.StmtLine, e.Offset, e.Msg)
}

// Scanner holds the state of one dump between calls to Next.
type Scanner struct {
	// GB makes quoted strings GB18030-aware: a 0x5C trail byte is not a
	// backslash.
	GB bool

	off  int64 // stream offset of the next unconsumed byte
	line int64 // newlines before off

	tables map[string][]Column
	rows   map[string]*int64
	row    *int64 // the row counter of the current INSERT's table

	mode     mode
	table    string
	cols     []Column
	stmtOff  int64
	stmtLine int64
	vals     []Value
	colBuf   []Column

	// What Counts reports, kept by Next. began and semi are set by the
	// parse of one item: it began a statement, it ended one with ';'.
	counts      Counts
	began, semi bool
}

type mode uint8

const (
	top      mode = iota
	tuples        // inside INSERT ... VALUES, before a tuple
	stmtTail      // the rest of a statement after its tuples (ON DUPLICATE KEY ...)
	skipping      // after a syntax error, up to the end of the statement
)

// NewScanner returns a Scanner at the start of a dump.
func NewScanner(gb bool) *Scanner {
	return &Scanner{GB: gb, tables: map[string][]Column{}, rows: map[string]*int64{}}
}

// Offset is the stream offset of the next unconsumed byte.
func (s *Scanner) Offset() int64 { return s.off }

// Line is the 1-based line of the next unconsumed byte.
func (s *Scanner) Line() int64 { return s.line + 1 }

// Next parses the next item at the start of p, which must begin at the first
// byte not yet consumed. It returns the bytes the item takes (it.Raw is
// p[:n]); n is 0 only at the end (len(p) == 0 and atEOF) or with ErrShort.
// With a *SyntaxError, n > 0 bytes are skipped and it is an Other item.
func (s *Scanner) Next(p []byte, atEOF bool, it *Item) (n int, err error) {
	if len(p) == 0 {
		if atEOF {
			return 0, nil
		}
		return 0, ErrShort
	}
	*it = Item{Values: it.Values[:0]}
	s.began, s.semi = false, false
	var k Kind
	mode0 := s.mode
	switch s.mode {
	case tuples:
		n, err = s.tuple(p, atEOF, it)
		k = Tuple
	case stmtTail, skipping:
		n, err = s.rest(p, atEOF)
		if err == ErrShort && s.mode == skipping {
			if n = s.skipPart(p); n == 0 {
				return 0, ErrShort
			}
			err = nil
		}
		k = Other
	default:
		n, k, err = s.top(p, atEOF, it)
	}
	if err == ErrShort {
		return 0, err
	}
	var serr *SyntaxError
	if err != nil {
		serr, _ = err.(*SyntaxError)
		if serr == nil {
			return 0, err
		}
		// skip the rest of the statement from where it went wrong
		s.mode = skipping
		m, err2 := s.rest(p[n:], atEOF)
		if err2 == ErrShort {
			m = s.skipPart(p[n:])
			if n+m == 0 {
				// nothing can be consumed yet: report the error when more
				// input shows where the statement ends (parsing has not
				// changed the scanner's state)
				s.mode = mode0
				return 0, ErrShort
			}
			s.mode = skipping
		}
		n += m
		k = Other
		*it = Item{Values: it.Values[:0]}
	}
	it.Kind = k
	it.Tail = k == Other && (mode0 == stmtTail || mode0 == skipping)
	it.Raw = p[:n]
	it.Offset = s.off
	it.Line = s.line + 1
	if k == Tuple || k == InsertHead {
		it.Table = s.table
		it.Columns = s.cols
	}
	if it.StmtOffset == 0 && it.StmtLine == 0 {
		it.StmtOffset, it.StmtLine = s.stmtOff, s.stmtLine
	}
	if s.began {
		s.counts.Statements++
		s.counts.LastOffset, s.counts.LastLine = s.stmtOff, s.stmtLine
	}
	if s.semi {
		s.counts.Ended++
	}
	if k == Tuple {
		s.counts.Rows++
	}
	s.off += int64(n)
	s.line += int64(bytes.Count(p[:n], nl))
	s.counts.Bytes = s.off
	if serr != nil {
		return n, serr
	}
	return n, nil
}

var nl = []byte{'\n'}

func (s *Scanner) syntax(at int, msg string) *SyntaxError {
	return &SyntaxError{StmtOffset: s.stmtOff, StmtLine: s.stmtLine, Offset: s.off + int64(at), Msg: msg}
}

// rest consumes up to the end of the current statement: a ';' followed by
// optional blanks and a newline (or the end of input). Quotes are not
// trusted here, since rest also recovers from broken ones.
func (s *Scanner) rest(p []byte, atEOF bool) (int, error) {
	for i := 0; ; {
		k := bytes.IndexByte(p[i:], ';')
		if k < 0 {
			if atEOF {
				s.mode = top
				return len(p), nil
			}
			return 0, ErrShort
		}
		j := i + k + 1
		for j < len(p) && (p[j] == ' ' || p[j] == '\t' || p[j] == '\r') {
			j++
		}
		if j == len(p) {
			if atEOF {
				s.mode, s.semi = top, true
				return j, nil
			}
			return 0, ErrShort
		}
		if p[j] == '\n' {
			s.mode, s.semi = top, true
			return j + 1, nil
		}
		i = i + k + 1
	}
}

// top parses at statement level: blanks and comments, or one statement.
func (s *Scanner) top(p []byte, atEOF bool, it *Item) (int, Kind, error) {
	i, err := skipBlank(p, 0, atEOF)
	if err != nil {
		return 0, Other, err
	}
	if i > 0 {
		return i, Other, nil
	}
	s.stmtOff, s.stmtLine = s.off, s.line+1
	// look at the first words
	if len(p) < 32 && !atEOF && !bytes.ContainsAny(p, ";") {
		return 0, Other, ErrShort
	}
	s.began = true // counted only if Next consumes it (not on ErrShort)
	w1, e1 := word(p, 0)
	switch {
	case eqFold(w1, "INSERT") || eqFold(w1, "REPLACE"):
		n, err := s.insertHead(p, e1, atEOF)
		if err == errNotValues {
			break // INSERT ... SELECT / SET: an ordinary statement
		}
		if err != nil {
			return n, Other, err
		}
		return n, InsertHead, nil
	case eqFold(w1, "CREATE"):
		j, _ := skipBlank(p, e1, true)
		if w2, _ := word(p, j); eqFold(w2, "TABLE") {
			end, err := s.stmtEnd(p, 0, atEOF)
			if err != nil {
				return end, Other, err
			}
			table, cols := parseCreate(p[:end], s.GB)
			if table != "" {
				s.tables[table] = cols
				it.Table = table
				it.Columns = cols
			}
			return end, CreateTable, nil
		}
	}
	end, err := s.stmtEnd(p, 0, atEOF)
	return end, Other, err
}

var errNotValues = errors.New("not INSERT ... VALUES")

// insertHead parses "INSERT [modifiers] [INTO] tbl [(cols)] VALUES ".
func (s *Scanner) insertHead(p []byte, i int, atEOF bool) (int, error) {
	for {
		j, err := skipBlank(p, i, atEOF)
		if err != nil {
			return 0, err
		}
		w, e := word(p, j)
		if e == len(p) && !atEOF {
			return 0, ErrShort
		}
		if eqFold(w, "LOW_PRIORITY") || eqFold(w, "DELAYED") || eqFold(w, "HIGH_PRIORITY") || eqFold(w, "IGNORE") || eqFold(w, "INTO") {
			i = e
			continue
		}
		i = j
		break
	}
	table, i, err := s.tableName(p, i, atEOF)
	if err != nil {
		return i, err
	}
	i, err = skipBlank(p, i, atEOF)
	if err != nil {
		return 0, err
	}
	if i == len(p) {
		if !atEOF {
			return 0, ErrShort
		}
		return i, s.syntax(i, "INSERT ends early")
	}
	var cols []Column
	if p[i] == '(' {
		s.colBuf = s.colBuf[:0]
		i++
		for {
			j, err := skipBlank(p, i, atEOF)
			if err != nil {
				return 0, err
			}
			name, e, err := ident(p, j, atEOF)
			if err != nil {
				return e, err
			}
			s.colBuf = append(s.colBuf, Column{Name: decodeName(name, s.GB)})
			i, err = skipBlank(p, e, atEOF)
			if err != nil {
				return 0, err
			}
			if i == len(p) {
				if !atEOF {
					return 0, ErrShort
				}
				return i, s.syntax(i, "INSERT column list ends early")
			}
			if p[i] == ',' {
				i++
				continue
			}
			if p[i] == ')' {
				i++
				break
			}
			return i, s.syntax(i, "bad INSERT column list")
		}
		cols = s.colBuf
		if known := s.tables[table]; len(known) > 0 {
			for k := range cols {
				for _, c := range known {
					if c.Name == cols[k].Name {
						cols[k].Comment = c.Comment
					}
				}
			}
		}
		i, err = skipBlank(p, i, atEOF)
		if err != nil {
			return 0, err
		}
	} else {
		cols = s.tables[table]
	}
	w, e := word(p, i)
	if e == len(p) && !atEOF {
		return 0, ErrShort
	}
	if !eqFold(w, "VALUES") && !eqFold(w, "VALUE") {
		return 0, errNotValues
	}
	i, err = skipBlank(p, e, atEOF)
	if err != nil {
		return 0, err
	}
	s.table, s.cols = table, cols
	if s.row = s.rows[table]; s.row == nil {
		s.row = new(int64)
		s.rows[table] = s.row
	}
	s.mode = tuples
	return i, nil
}

// tableName parses `name`, name or `db`.`name`, without quotes.
func (s *Scanner) tableName(p []byte, i int, atEOF bool) (string, int, error) {
	a, e, err := ident(p, i, atEOF)
	if err != nil {
		return "", e, err
	}
	name := decodeName(a, s.GB)
	if e < len(p) && p[e] == '.' {
		b, e2, err := ident(p, e+1, atEOF)
		if err != nil {
			return "", e2, err
		}
		name += "." + decodeName(b, s.GB)
		e = e2
	}
	if e == len(p) && !atEOF {
		return "", 0, ErrShort
	}
	return name, e, nil
}

// ident parses a `quoted` or bare identifier at p[i].
func ident(p []byte, i int, atEOF bool) ([]byte, int, error) {
	if i >= len(p) {
		if atEOF {
			return nil, i, &SyntaxError{Msg: "identifier expected"}
		}
		return nil, 0, ErrShort
	}
	if p[i] == '`' || p[i] == '"' {
		q := p[i]
		var out []byte
		j := i + 1
		for {
			k := bytes.IndexByte(p[j:], q)
			if k < 0 {
				if atEOF {
					return nil, len(p), &SyntaxError{Msg: "unterminated quoted identifier"}
				}
				return nil, 0, ErrShort
			}
			if j+k+1 < len(p) && p[j+k+1] == q { // doubled quote
				out = append(out, p[j:j+k+1]...)
				j += k + 2
				continue
			}
			if j+k+1 == len(p) && !atEOF {
				return nil, 0, ErrShort
			}
			if out != nil {
				return append(out, p[j:j+k]...), j + k + 1, nil
			}
			return p[j : j+k], j + k + 1, nil
		}
	}
	j := i
	for j < len(p) && isIdent(p[j]) {
		j++
	}
	if j == i {
		return nil, i, &SyntaxError{Msg: "identifier expected"}
	}
	return p[i:j], j, nil
}

func isIdent(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '$' || c >= 0x80
}

// word returns the bare word at p[i:] and its end.
func word(p []byte, i int) ([]byte, int) {
	j := i
	for j < len(p) && (isIdent(p[j]) && p[j] < 0x80) {
		j++
	}
	return p[i:j], j
}

func eqFold(b []byte, upper string) bool {
	if len(b) != len(upper) {
		return false
	}
	for i := range b {
		c := b[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != upper[i] {
			return false
		}
	}
	return true
}

// skipBlank skips whitespace and comments (-- , #, /* */ but not the
// versioned /*! */, which is a statement).
func skipBlank(p []byte, i int, atEOF bool) (int, error) {
	for i < len(p) {
		switch c := p[i]; c {
		case ' ', '\t', '\r', '\n':
			i++
			continue
		case '#':
			k := bytes.IndexByte(p[i:], '\n')
			if k < 0 {
				if !atEOF {
					return 0, ErrShort
				}
				return len(p), nil
			}
			i += k + 1
			continue
		case '-':
			if i+1 >= len(p) || (i+2 >= len(p) && p[i+1] == '-') {
				if !atEOF {
					return 0, ErrShort
				}
			}
			if i+1 < len(p) && p[i+1] == '-' && (i+2 == len(p) || p[i+2] == ' ' || p[i+2] == '\t' || p[i+2] == '\n' || p[i+2] == '\r') {
				k := bytes.IndexByte(p[i:], '\n')
				if k < 0 {
					if !atEOF {
						return 0, ErrShort
					}
					return len(p), nil
				}
				i += k + 1
				continue
			}
		case '/':
			if i+2 >= len(p) && !atEOF {
				return 0, ErrShort
			}
			if i+1 < len(p) && p[i+1] == '*' && (i+2 >= len(p) || p[i+2] != '!') {
				k := bytes.Index(p[i+2:], []byte("*/"))
				if k < 0 {
					if !atEOF {
						return 0, ErrShort
					}
					return len(p), nil
				}
				i += k + 4
				continue
			}
		}
		return i, nil
	}
	if !atEOF {
		// the blank run may go on: items come out the same however the
		// input is cut
		return 0, ErrShort
	}
	return i, nil
}

// stmtEnd finds the end of the statement starting at p[i]: after its ';' and
// the blanks and newline that follow on the same line. Quotes, backslash
// escapes and comments are respected.
func (s *Scanner) stmtEnd(p []byte, i int, atEOF bool) (int, error) {
	for i < len(p) {
		switch c := p[i]; c {
		case '\'', '"', '`':
			e, _, err := s.quoted(p, i, atEOF)
			if err != nil {
				return e, err
			}
			i = e
		case '-', '#', '/':
			j, err := skipBlank(p, i, atEOF)
			if err != nil {
				return 0, err
			}
			if j == i {
				if c == '/' && i+2 < len(p) && p[i+1] == '*' { // /*! ... */
					k := bytes.Index(p[i+2:], []byte("*/"))
					if k < 0 {
						if !atEOF {
							return 0, ErrShort
						}
						return len(p), nil
					}
					j = i + k + 4
				} else {
					j = i + 1
				}
			}
			i = j
		case ';':
			j := i + 1
			for j < len(p) && (p[j] == ' ' || p[j] == '\t' || p[j] == '\r') {
				j++
			}
			if j == len(p) && !atEOF {
				return 0, ErrShort
			}
			if j < len(p) && p[j] == '\n' {
				j++
			}
			s.semi = true
			return j, nil
		default:
			i++
		}
	}
	if !atEOF {
		return 0, ErrShort
	}
	return len(p), nil
}

// quoted finds the end of the quoted string starting at p[i] (the quote).
// It returns the index after the closing quote and whether the content holds
// escapes. Backslash escapes apply to ' and " strings (MySQL's default mode).
func (s *Scanner) quoted(p []byte, i int, atEOF bool) (int, bool, error) {
	q := p[i]
	j := i + 1
	esc := false
	aligned := j // a GB18030 character boundary at or before j
	for {
		k := bytes.IndexByte(p[j:], q)
		if k < 0 {
			if atEOF {
				return i, esc, s.syntax(i, "unterminated quoted string")
			}
			return 0, esc, ErrShort
		}
		if q != '`' {
			if b := bytes.IndexByte(p[j:j+k], '\\'); b >= 0 {
				bs := j + b
				if s.GB {
					for aligned < bs {
						if p[aligned] < 0x80 {
							aligned++
						} else {
							aligned += rawmap.GBLen(p[aligned:])
						}
					}
					if aligned > bs { // a trail byte, not a backslash
						j = aligned
						continue
					}
				}
				esc = true
				if bs+1 >= len(p) {
					if atEOF {
						return i, esc, s.syntax(i, "unterminated quoted string")
					}
					return 0, esc, ErrShort
				}
				j = bs + 2
				aligned = j
				continue
			}
		}
		e := j + k
		if e+1 >= len(p) && !atEOF {
			return 0, esc, ErrShort
		}
		if e+1 < len(p) && p[e+1] == q { // doubled quote
			esc = true
			j = e + 2
			aligned = j
			continue
		}
		return e + 1, esc, nil
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// tuple parses "(v, v, ...)" and the separator after it.
func (s *Scanner) tuple(p []byte, atEOF bool, it *Item) (int, error) {
	i := 0
	for i < len(p) && isSpace(p[i]) {
		i++
	}
	if i == len(p) {
		if atEOF {
			s.mode = top
			return i, s.syntax(i, "INSERT ends without ';'")
		}
		return 0, ErrShort
	}
	if p[i] != '(' {
		return i, s.syntax(i, "expected '(' to start a tuple")
	}
	i++
	vals := it.Values[:0]
	for {
		for i < len(p) && isSpace(p[i]) {
			i++
		}
		if i == len(p) {
			return s.short(i, atEOF)
		}
		if p[i] == ')' && len(vals) == 0 {
			i++
			break
		}
		// the common literals inline; the rest in value
		switch c := p[i]; {
		case c == '\'':
			e, esc, err := s.quoted(p, i, atEOF)
			if err != nil {
				return e, err
			}
			vals = append(vals, Value{Start: i, End: e, Kind: String, Quote: c, Escaped: esc})
			i = e
		case '1' <= c && c <= '9':
			e := i + 1
			for e < len(p) && isNum(p[e]) {
				e++
			}
			if e == len(p) && !atEOF {
				return 0, ErrShort
			}
			vals = append(vals, Value{Start: i, End: e, Kind: Number})
			i = e
		default:
			v, e, err := s.value(p, i, atEOF)
			if err != nil {
				return e, err
			}
			vals = append(vals, v)
			i = e
		}
		for i < len(p) && isSpace(p[i]) {
			i++
		}
		if i == len(p) {
			return s.short(i, atEOF)
		}
		if p[i] == ',' {
			i++
			continue
		}
		if p[i] == ')' {
			i++
			break
		}
		return i, s.syntax(i, "expected ',' or ')' after a value")
	}
	it.Values = vals
	// the separator
	j := i
	for j < len(p) && (p[j] == ' ' || p[j] == '\t' || p[j] == '\r' || p[j] == '\n') {
		j++
	}
	if j == len(p) && !atEOF {
		return 0, ErrShort
	}
	switch {
	case j < len(p) && p[j] == ',':
		j++
		for j < len(p) && isSpace(p[j]) {
			j++
		}
		if j == len(p) && !atEOF {
			return 0, ErrShort
		}
	case j < len(p) && p[j] == ';':
		j++
		for j < len(p) && (p[j] == ' ' || p[j] == '\t' || p[j] == '\r') {
			j++
		}
		if j == len(p) && !atEOF {
			return 0, ErrShort
		}
		if j < len(p) && p[j] == '\n' {
			j++
		}
		s.mode, s.semi = top, true
	case j == len(p):
		s.mode = top
	default:
		j = i
		s.mode = stmtTail // ON DUPLICATE KEY UPDATE ...: the rest is Other
	}
	*s.row++
	it.Row = *s.row
	return j, nil
}

func (s *Scanner) short(i int, atEOF bool) (int, error) {
	if atEOF {
		return i, s.syntax(i, "tuple ends early")
	}
	return 0, ErrShort
}

// value tokenises one literal at p[i].
func (s *Scanner) value(p []byte, i int, atEOF bool) (Value, int, error) {
	c := p[i]
	switch {
	case c == '\'' || c == '"':
		e, esc, err := s.quoted(p, i, atEOF)
		if err != nil {
			return Value{}, e, err
		}
		return Value{Start: i, End: e, Kind: String, Quote: c, Escaped: esc}, e, nil
	case c == '0' && i+1 < len(p) && (p[i+1] == 'x' || p[i+1] == 'X'):
		e := i + 2
		for e < len(p) && isHex(p[e]) {
			e++
		}
		if e == len(p) && !atEOF {
			return Value{}, 0, ErrShort
		}
		return Value{Start: i, End: e, Kind: Hex}, e, nil
	case '0' <= c && c <= '9' || c == '-' || c == '+' || c == '.':
		e := i + 1
		for e < len(p) && isNum(p[e]) {
			e++
		}
		if e == len(p) && !atEOF {
			return Value{}, 0, ErrShort
		}
		return Value{Start: i, End: e, Kind: Number}, e, nil
	case isIdent(c) && c < 0x80:
		w, e := word(p, i)
		if e == len(p) && !atEOF {
			return Value{}, 0, ErrShort
		}
		if e < len(p) && p[e] == '\'' {
			switch {
			case eqFold(w, "X"), eqFold(w, "B"):
				q, _, err := s.quoted(p, e, atEOF)
				if err != nil {
					return Value{}, q, err
				}
				return Value{Start: i, End: q, Kind: Hex}, q, nil
			case eqFold(w, "N"):
				q, esc, err := s.quoted(p, e, atEOF)
				if err != nil {
					return Value{}, q, err
				}
				return Value{Start: e, End: q, Kind: String, Quote: '\'', Escaped: esc}, q, nil
			}
		}
		if w[0] == '_' { // a charset introducer: _binary 'x', _utf8mb4'x'
			j := e
			for j < len(p) && isSpace(p[j]) {
				j++
			}
			if j == len(p) && !atEOF {
				return Value{}, 0, ErrShort
			}
			if j < len(p) && (p[j] == '\'' || p[j] == '"') {
				q, esc, err := s.quoted(p, j, atEOF)
				if err != nil {
					return Value{}, q, err
				}
				return Value{Start: j, End: q, Kind: String, Quote: p[j], Escaped: esc}, q, nil
			}
		}
		if eqFold(w, "NULL") {
			return Value{Start: i, End: e, Kind: Null}, e, nil
		}
		if e < len(p) && p[e] == '(' { // a function call: skip balanced parentheses
			depth := 0
			j := e
			for {
				if j == len(p) {
					if atEOF {
						return Value{}, j, s.syntax(i, "unbalanced parentheses")
					}
					return Value{}, 0, ErrShort
				}
				switch p[j] {
				case '(':
					depth++
				case ')':
					depth--
				case '\'', '"':
					q, _, err := s.quoted(p, j, atEOF)
					if err != nil {
						return Value{}, q, err
					}
					j = q - 1
				}
				j++
				if depth == 0 {
					return Value{Start: i, End: j, Kind: Expr}, j, nil
				}
			}
		}
		return Value{Start: i, End: e, Kind: Expr}, e, nil
	}
	return Value{}, i, s.syntax(i, "unexpected byte in a tuple")
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func isNum(c byte) bool {
	return '0' <= c && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+'
}

// Skip makes the scanner drop input up to the end of the current statement
// (a ";" at the end of a line) as Other items, e.g. after the caller gave up
// on an item too long to buffer.
func (s *Scanner) Skip() { s.mode = skipping }

// Skipping reports whether the scanner is dropping a statement.
func (s *Scanner) Skipping() bool { return s.mode == skipping }

// skipPart is how much of p, which holds no statement end, a skipping scanner
// can drop: all but a final ";" and the blanks after it, which the next call
// must see again with what follows.
func (s *Scanner) skipPart(p []byte) int {
	m := len(p)
	for m > 0 && (p[m-1] == ';' || p[m-1] == ' ' || p[m-1] == '\t' || p[m-1] == '\r') {
		m--
	}
	if m == 0 && len(p) > 64 {
		m = len(p) - 64
	}
	return m
}
