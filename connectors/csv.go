package connectors

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/piiscan/piiscan/connectors/internal/rawmap"
	"github.com/piiscan/piiscan/scanner"
)

// csvReader is a streaming RFC 4180 reader that keeps raw offsets: the first
// row names the fields; quoted fields may hold delimiters, newlines and
// doubled quotes. Values are zero-copy unless a field has doubled quotes or
// the file is GB18030. A quote inside an unquoted field is taken literally.
// Record.Number is the data row (1-based, header excluded); errors also give
// the physical line.
type csvReader struct {
	w     *window
	b     *rawmap.Builder
	name  string
	max   int
	delim byte
	// headerMode is Options.CSVHeader: whether the first row names the columns.
	headerMode string

	header []string
	row    int64
	line   int64 // physical lines consumed so far
	spans  []csvSpan
	fields []scanner.Field

	// pending is a row already parsed whose error was returned first; it is
	// emitted by the next call.
	pending bool
	bad     unparsed // a row that failed to parse, scanned as text on the next call
}

type csvSpan struct {
	start, end int // raw content, relative to w.pos, without quotes
	dq         bool
}

// CSVError is the cause of a CSV InputError.
type CSVError struct {
	Line int64 // physical line (1-based) where the problem is
	Err  error
}

func (e *CSVError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *CSVError) Unwrap() error { return e.Err }

var (
	ErrUnterminatedQuote = errors.New("unterminated quoted field")
	ErrAfterQuote        = errors.New("unexpected byte after closing quote")
	ErrFieldCount        = errors.New("wrong number of fields")
	ErrTooLong           = errors.New("record longer than the maximum record size")
	errShort             = errors.New("need more input")
)

func newCSVReader(w *window, b *rawmap.Builder, name string, max int, delim byte, header string) *csvReader {
	return &csvReader{w: w, b: b, name: name, max: max, delim: delim, headerMode: header}
}

func (c *csvReader) next(rec *scanner.Record) error {
	if c.bad.take(c.b, c.name, rec) {
		return nil
	}
	if c.pending {
		c.pending = false
		c.emit(rec)
		return nil
	}
	w := c.w
	for {
		av := w.avail()
		n, lines, errAt, err := c.parse(av, w.eof)
		if err == errShort {
			if !w.full() && w.more() {
				continue
			}
			if !w.eof {
				err, errAt = ErrTooLong, 0
			} else {
				continue // parse again knowing it is the end
			}
		}
		if err != nil {
			return c.fail(err, errAt)
		}
		if n == 0 {
			return io.EOF
		}
		startLine := c.line + 1
		c.line += lines
		if n > c.max {
			at := w.off(w.pos)
			w.pos += n
			ie := &scanner.InputError{Source: c.name, Offset: at, Err: &CSVError{Line: startLine, Err: ErrTooLong}}
			if c.header != nil {
				c.row++
				ie.Record = c.row
			}
			return ie
		}
		if len(c.spans) == 1 && c.spans[0].start == c.spans[0].end && !c.spans[0].dq && blankRow(av[:n]) {
			w.pos += n
			continue // empty line
		}
		if c.header == nil {
			c.readHeader(av)
			if !c.firstRowIsData() {
				w.pos += n
				continue
			}
			// No header: the first row is data (its values must be
			// scanned and masked, and are no column names to print).
			for i := range c.header {
				c.header[i] = "#" + strconv.Itoa(i+1)
			}
		}
		c.row++
		c.fill(av)
		at := w.off(w.pos)
		w.pos += n
		if len(c.fields) != len(c.header) {
			c.pending = true
			return &scanner.InputError{Source: c.name, Record: c.row, Offset: at, Err: &CSVError{Line: startLine,
				Err: fmt.Errorf("%w: %d, header has %d", ErrFieldCount, len(c.fields), len(c.header))}}
		}
		c.emit(rec)
		return nil
	}
}

var quote = []byte{'"'}

func blankRow(p []byte) bool {
	return len(bytes.TrimRight(p, "\r\n")) == 0
}

// fail reports a bad row at errAt (relative to w.pos) and resumes at the line
// after the one the row starts on.
func (c *csvReader) fail(err error, errAt int) error {
	w := c.w
	av := w.avail()
	lines := int64(bytes.Count(av[:errAt], []byte{'\n'}))
	ie := &scanner.InputError{Source: c.name, Offset: w.off(w.pos + errAt),
		Err: &CSVError{Line: c.line + 1 + lines, Err: err}}
	if c.header != nil {
		c.row++ // the bad row still counts, so later rows keep their numbers
		ie.Record = c.row
	}
	c.line++
	if i := bytes.IndexByte(av, '\n'); i >= 0 {
		c.bad.keep(av[:i+1], w.off(w.pos), ie.Record, c.max)
		w.pos += i + 1
	} else {
		if w.eof {
			c.bad.keep(av, w.off(w.pos), ie.Record, c.max)
		}
		w.pos = w.end // the line goes on past the window: skip what is there
		c.skipLine()
	}
	return ie
}

// skipLine drops input up to and including the next newline.
func (c *csvReader) skipLine() {
	w := c.w
	for w.more() {
		av := w.avail()
		if i := bytes.IndexByte(av, '\n'); i >= 0 {
			w.pos += i + 1
			return
		}
		w.pos = w.end
	}
}

// firstRowIsData decides, once c.header holds the first row's cells, whether
// that row is data (Options.CSVHeader).
func (c *csvReader) firstRowIsData() bool {
	switch c.headerMode {
	case HeaderYes:
		return false
	case HeaderNo:
		return true
	}
	return headerIsData(c.header)
}

// sniffHeader reports what Options.CSVHeader's auto setting decides about a
// file that starts with av (decoded as GB18030 when gb): HeaderYes or
// HeaderNo, or "" when av does not hold the whole first row. A rewriter
// passes the answer on to the reader of its output: a masked first row of
// data (张*,男,北京市朝阳区****) no longer looks like data by itself.
func sniffHeader(av []byte, eof, gb bool, delim byte) string {
	c := newCSVReader(nil, rawmap.New(gb), "", len(av)+1, delim, HeaderAuto)
	if _, _, _, err := c.parse(av, eof); err != nil {
		return ""
	}
	c.readHeader(av)
	if c.firstRowIsData() {
		return HeaderNo
	}
	return HeaderYes
}

// headerIsData reports a first row that is data, not column names: a cell
// holds a long digit run (an ID, phone or card number) or an e-mail address,
// or is a Chinese personal name or address (张三,男,北京市朝阳区…).
func headerIsData(cells []string) bool {
	for _, h := range cells {
		if personData([]byte(h)) {
			return true
		}
		run := 0
		for i := 0; i < len(h); i++ {
			if c := h[i]; c >= '0' && c <= '9' {
				if run++; run >= 7 {
					return true
				}
			} else {
				run = 0
			}
		}
		if at := strings.IndexByte(h, '@'); at > 0 && strings.IndexByte(h[at:], '.') > 1 {
			return true
		}
	}
	return false
}

func (c *csvReader) readHeader(av []byte) {
	c.b.Reset()
	c.header = make([]string, len(c.spans))
	for i, s := range c.spans {
		v, _ := c.value(av, s)
		c.header[i] = string(v)
	}
}

func (c *csvReader) value(av []byte, s csvSpan) ([]byte, scanner.OffsetMap) {
	raw := av[s.start:s.end]
	if !s.dq {
		return c.b.Plain(raw)
	}
	c.b.Begin()
	for {
		i := bytes.IndexByte(raw, '"')
		if i < 0 {
			c.b.Lit(raw)
			break
		}
		c.b.Lit(raw[:i])
		c.b.Esc(quote, 2)
		raw = raw[i+2:]
	}
	return c.b.End()
}

func (c *csvReader) fill(av []byte) {
	c.b.Reset()
	c.fields = c.fields[:0]
	for i, s := range c.spans {
		v, m := c.value(av, s)
		var name string
		if i < len(c.header) {
			name = c.header[i]
		} else {
			name = "#" + strconv.Itoa(i+1)
		}
		c.fields = appendField(c.fields, name, v, c.w.off(c.w.pos+s.start), m)
	}
}

func (c *csvReader) emit(rec *scanner.Record) {
	rec.Source = c.name
	rec.Table = ""
	rec.Number = c.row
	rec.Fields = append(rec.Fields[:0], c.fields...)
}

// parse finds one row at the start of p. It returns the bytes the row takes
// (with its newline), the newlines in it, and on error where it is.
func (c *csvReader) parse(p []byte, atEOF bool) (n int, lines int64, errAt int, err error) {
	c.spans = c.spans[:0]
	if len(p) == 0 {
		if atEOF {
			return 0, 0, 0, nil
		}
		return 0, 0, 0, errShort
	}
	d := c.delim
	// Fast path: a row on one line without quotes is split with IndexByte.
	if nl := bytes.IndexByte(p, '\n'); nl >= 0 || atEOF {
		line := p
		n := len(p)
		if nl >= 0 {
			line, n = p[:nl], nl+1
		}
		if p[0] != '"' && bytes.IndexByte(line, '"') < 0 {
			end := len(line)
			if end > 0 && line[end-1] == '\r' {
				end--
			}
			i := 0
			for {
				k := bytes.IndexByte(line[i:end], d)
				if k < 0 {
					c.spans = append(c.spans, csvSpan{i, end, false})
					return n, 1, 0, nil
				}
				c.spans = append(c.spans, csvSpan{i, i + k, false})
				i += k + 1
			}
		}
	}
	i, nlAt := 0, -1 // nlAt: the next newline at or after i once known
	for {
		if i < len(p) && p[i] == '"' {
			start := i + 1
			j := start
			dq := false
			for {
				k := bytes.IndexByte(p[j:], '"')
				if k < 0 {
					if atEOF {
						return 0, 0, start - 1, ErrUnterminatedQuote
					}
					return 0, 0, 0, errShort
				}
				j += k
				if j+1 < len(p) && p[j+1] == '"' {
					dq = true
					j += 2
					continue
				}
				if j+1 == len(p) && !atEOF {
					return 0, 0, 0, errShort
				}
				break
			}
			lines += int64(bytes.Count(p[start:j], []byte{'\n'}))
			c.spans = append(c.spans, csvSpan{start, j, dq})
			i = j + 1
			if i == len(p) {
				return i, lines + 1, 0, nil
			}
			switch p[i] {
			case d:
				i++
				continue
			case '\n':
				return i + 1, lines + 1, 0, nil
			case '\r':
				if i+1 < len(p) && p[i+1] == '\n' {
					return i + 2, lines + 1, 0, nil
				}
				if i+1 == len(p) {
					if !atEOF {
						return 0, 0, 0, errShort
					}
					return i + 1, lines + 1, 0, nil
				}
			}
			if bytes.IndexByte(p[start:j], '\n') >= 0 {
				// a quote that "closes" lines later was most likely never
				// closed: report it where it opened
				return 0, 0, start - 1, ErrUnterminatedQuote
			}
			return 0, 0, i, ErrAfterQuote
		}
		// unquoted field: up to the delimiter or the end of the line
		if nlAt < i {
			if k := bytes.IndexByte(p[i:], '\n'); k >= 0 {
				nlAt = i + k
			} else {
				nlAt = len(p)
			}
		}
		j := nlAt
		if k := bytes.IndexByte(p[i:nlAt], d); k >= 0 {
			j = i + k
		}
		if j == len(p) && !atEOF {
			return 0, 0, 0, errShort
		}
		e := j
		if e > i && p[e-1] == '\r' && (j == len(p) || p[j] == '\n') {
			e--
		}
		c.spans = append(c.spans, csvSpan{i, e, false})
		if j == len(p) {
			return j, lines + 1, 0, nil
		}
		if p[j] == '\n' {
			return j + 1, lines + 1, 0, nil
		}
		i = j + 1
	}
}
