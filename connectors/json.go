package connectors

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/piiscan/piiscan/connectors/internal/rawmap"
	"github.com/piiscan/piiscan/scanner"
)

// jsonReader reads JSON lines and JSON documents as one stream of top-level
// values: each object is a record (so are other values); a top-level array's
// elements are records one by one, so a large array is never held whole.
//
// Fields are the string and number leaves, named by key path: object keys
// joined by ".", array indexes as "[i]" (user.phones[0], [2].name for an
// array inside an array). A key that is data (dataKey: {"13812345678":
// {...}}) is a leaf itself, named "{key}" under its parent, and "*" in the
// paths below it, so no field name holds PI. Strings are unescaped (\n, \uXXXX and surrogate
// pairs) before detection; Offset and Map refer to the raw bytes.
//
// Record.Number is the line a top-level value starts on (for JSON lines, its
// line number) or, for elements of a top-level array, the 1-based index.
// Malformed JSON yields an InputError with line and offset and reading
// resumes at the next line.
type jsonReader struct {
	w    *window
	b    *rawmap.Builder
	name string
	max  int
	gb   bool

	line    int64 // lines before w.pos (0-based count)
	inArray bool  // inside a top-level array
	elem    int64 // elements of the top-level array seen

	path  []byte
	names map[string]string // interned key paths
	prev  []string          // the names of the previous record's leaves
	spans []jsonLeaf
	depth int

	bad unparsed // a malformed line, scanned as text on the next call

	persons personKeys // which non-ASCII keys are names or addresses

	lines   bool // values are JSON lines: one per line
	scanned int  // bytes after w.pos known to hold no newline
	records int64
}

type jsonLeaf struct {
	name       string
	start, end int // raw content (inside quotes for strings), relative to w.pos
	esc        bool
}

// JSONError is the cause of a JSON InputError.
type JSONError struct {
	Line int64
	Err  error
}

func (e *JSONError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *JSONError) Unwrap() error { return e.Err }

var errSyntax = errors.New("invalid JSON")

const maxJSONDepth = 512

func newJSONReader(w *window, b *rawmap.Builder, name string, max int, lines bool) *jsonReader {
	return &jsonReader{w: w, b: b, name: name, max: max, gb: b.GB(), names: map[string]string{}, lines: lines}
}

func (j *jsonReader) next(rec *scanner.Record) error {
	w := j.w
	if j.bad.take(j.b, j.name, rec) {
		return nil
	}
	for {
		av := w.avail()
		// separators between top-level values
		i := 0
		for i < len(av) {
			c := av[i]
			if c == '\n' {
				j.line++
			} else if c == '[' && !j.inArray {
				j.inArray = true
			} else if c == ']' && j.inArray {
				j.inArray = false
			} else if !(c == ' ' || c == '\t' || c == '\r' || (c == ',' && j.inArray)) {
				break
			}
			i++
		}
		w.pos += i
		av = av[i:]
		if len(av) == 0 {
			if w.more() {
				continue
			}
			return io.EOF
		}
		j.spans = j.spans[:0]
		j.path = j.path[:0]
		j.depth = 0
		p, atEOF := av, w.eof
		if j.lines && !j.inArray {
			// JSON lines: a value ends with its line, so a broken line
			// cannot swallow the next ones
			k := bytes.IndexByte(av[j.scanned:], '\n')
			if k < 0 && !w.eof {
				j.scanned = len(av)
				if !w.full() && (w.more() || w.eof) {
					continue
				}
				j.scanned = 0
				return j.fail(ErrTooLong, 0)
			}
			if k >= 0 {
				p, atEOF = av[:j.scanned+k], true
			}
			j.scanned = 0
		}
		n, err := j.value(p, 0, atEOF)
		if err != nil && j.lines && !j.inArray && j.records == 0 && len(p) < len(av) && errors.Is(err, errShort) {
			// the first value goes on past its line: a JSON document, not
			// JSON lines
			j.lines = false
			continue
		}
		if err == errShort && len(p) < len(av) {
			err = fmt.Errorf("%w: value continues past the end of its line", errSyntax)
			n = len(p)
		}
		if err == errShort {
			if !atEOF && !w.full() && (w.more() || w.eof) {
				continue
			}
			if atEOF {
				n, err = len(av), fmt.Errorf("%w: unexpected end of input", errSyntax)
			} else {
				n, err = 0, ErrTooLong
			}
		}
		if err != nil {
			return j.fail(err, n)
		}
		if j.inArray {
			j.elem++
			rec.Number = j.elem
		} else {
			rec.Number = j.line + 1
		}
		if n > j.max {
			ie := &scanner.InputError{Source: j.name, Record: rec.Number, Offset: w.off(w.pos), Err: &JSONError{Line: j.line + 1, Err: ErrTooLong}}
			j.line += int64(bytes.Count(av[:n], []byte{'\n'}))
			w.pos += n
			return ie
		}
		j.records++
		j.emit(rec, av)
		j.line += int64(bytes.Count(av[:n], []byte{'\n'}))
		w.pos += n
		return nil
	}
}

// fail reports a syntax error at errAt (relative to w.pos) and resumes at
// the next line after it.
func (j *jsonReader) fail(err error, errAt int) error {
	w := j.w
	av := w.avail()
	if errAt > len(av) {
		errAt = len(av)
	}
	line := j.line + 1 + int64(bytes.Count(av[:errAt], []byte{'\n'}))
	ie := &scanner.InputError{Source: j.name, Offset: w.off(w.pos + errAt), Err: &JSONError{Line: line, Err: err}}
	if j.inArray {
		ie.Record = j.elem + 1
		j.elem++
	} else {
		ie.Record = line
	}
	if k := bytes.IndexByte(av[errAt:], '\n'); k >= 0 {
		j.line = line - 1 // the separator loop counts the newline
		j.bad.keep(av[:errAt+k], w.off(w.pos), ie.Record, j.max)
		w.pos += errAt + k
		return ie
	}
	if w.eof {
		j.bad.keep(av, w.off(w.pos), ie.Record, j.max)
	}
	j.line = line - 1
	w.pos = w.end
	for w.more() { // skip the rest of an over-long line
		av := w.avail()
		if k := bytes.IndexByte(av, '\n'); k >= 0 {
			w.pos += k
			return ie
		}
		w.pos = w.end
	}
	return ie
}

func (j *jsonReader) emit(rec *scanner.Record, av []byte) {
	j.b.Reset()
	fields := rec.Fields[:0]
	for _, s := range j.spans {
		var v []byte
		var m scanner.OffsetMap
		if s.esc {
			v, m = j.unescape(av[s.start:s.end])
		} else {
			v, m = j.b.Plain(av[s.start:s.end])
		}
		fields = appendField(fields, s.name, v, j.w.off(j.w.pos+s.start), m)
	}
	rec.Source = j.name
	rec.Table = ""
	rec.Fields = fields
}

func (j *jsonReader) unescape(raw []byte) ([]byte, scanner.OffsetMap) {
	b := j.b
	b.Begin()
	for len(raw) > 0 {
		i := bytes.IndexByte(raw, '\\')
		if i < 0 {
			b.Lit(raw)
			break
		}
		if j.gb && !rawmap.IsASCII(raw[:i]) {
			// a 0x5C byte may be the trail byte of a GB18030 character
			i = gbIndexBackslash(raw)
			if i < 0 {
				b.Lit(raw)
				break
			}
		}
		b.Lit(raw[:i])
		raw = raw[i:]
		r, n := jsonEscape(raw)
		if n == 0 { // invalid escape: keep the bytes
			b.Lit(raw[:1])
			raw = raw[1:]
			continue
		}
		b.EscRune(r, n)
		raw = raw[n:]
	}
	return b.End()
}

// gbIndexBackslash finds the first '\' that is not a GB18030 trail byte.
func gbIndexBackslash(p []byte) int {
	for i := 0; i < len(p); {
		if p[i] == '\\' {
			return i
		}
		if p[i] < 0x80 {
			i++
		} else {
			i += rawmap.GBLen(p[i:])
		}
	}
	return -1
}

// jsonEscape decodes the escape at the start of p (p[0] == '\\'); n is 0 if
// it is not a valid escape.
func jsonEscape(p []byte) (rune, int) {
	if len(p) < 2 {
		return 0, 0
	}
	switch p[1] {
	case '"', '\\', '/':
		return rune(p[1]), 2
	case 'b':
		return '\b', 2
	case 'f':
		return '\f', 2
	case 'n':
		return '\n', 2
	case 'r':
		return '\r', 2
	case 't':
		return '\t', 2
	case 'u':
		r1, ok := hex4(p[2:])
		if !ok {
			return 0, 0
		}
		if utf16.IsSurrogate(r1) {
			if len(p) >= 12 && p[6] == '\\' && p[7] == 'u' {
				if r2, ok := hex4(p[8:]); ok {
					if r := utf16.DecodeRune(r1, r2); r != utf8.RuneError {
						return r, 12
					}
				}
			}
			return utf8.RuneError, 6
		}
		return r1, 6
	}
	return 0, 0
}

func hex4(p []byte) (rune, bool) {
	if len(p) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range p[:4] {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

func skipWS(p []byte, i int) int {
	for i < len(p) {
		switch p[i] {
		case ' ', '\t', '\r', '\n':
			i++
		default:
			return i
		}
	}
	return i
}

// keyName is the current key path as a string. Records of one file mostly
// share a shape, so the name at the same leaf index last time is tried
// first, then a map of names seen; neither allocates.
func (j *jsonReader) keyName() string {
	k := len(j.spans)
	if k < len(j.prev) && j.prev[k] == string(j.path) {
		return j.prev[k]
	}
	s, ok := j.names[string(j.path)]
	if !ok {
		s = string(j.path)
		if len(j.names) < 1<<16 { // bound the cache on files with ever-new keys
			j.names[s] = s
		}
	}
	if k < len(j.prev) {
		j.prev[k] = s
	} else if k == len(j.prev) {
		j.prev = append(j.prev, s)
	}
	return s
}

// value parses one JSON value at p[i:], recording its leaves. It returns
// the end of the value, or the error position with an error.
func (j *jsonReader) value(p []byte, i int, atEOF bool) (int, error) {
	if i >= len(p) {
		return i, errShort
	}
	switch c := p[i]; {
	case c == '{':
		if j.depth++; j.depth > maxJSONDepth {
			return i, fmt.Errorf("%w: nested too deeply", errSyntax)
		}
		plen := len(j.path)
		i = skipWS(p, i+1)
		if i < len(p) && p[i] == '}' {
			j.depth--
			return i + 1, nil
		}
		for {
			i = skipWS(p, i)
			if i >= len(p) {
				return i, errShort
			}
			if p[i] != '"' {
				return i, fmt.Errorf("%w: want object key", errSyntax)
			}
			ks := i + 1
			ke, esc, err := j.str(p, ks)
			if err != nil {
				return ke, err
			}
			j.path = j.path[:plen]
			if plen > 0 {
				j.path = append(j.path, '.')
			}
			// The key as text (escapes and GB18030 decoded), for the
			// name check and the path.
			key := p[ks:ke]
			if esc {
				j.b.Reset()
				key, _ = j.unescape(key)
			} else if j.gb {
				j.b.Reset()
				key, _ = j.b.Plain(key)
			}
			if dataKey(p[ks:ke]) || j.persons.is(key) {
				// A key that is itself data (a phone number, an ID, an
				// e-mail keying a map) is scanned as a leaf of its own,
				// named "{key}", and never becomes part of a field name:
				// names are printed in findings and reports, raw.
				j.path = append(j.path, "{key}"...)
				j.spans = append(j.spans, jsonLeaf{name: j.keyName(), start: ks, end: ke, esc: esc})
				j.path = append(j.path[:len(j.path)-len("{key}")], '*')
			} else {
				j.path = append(j.path, key...)
			}
			i = skipWS(p, ke+1)
			if i >= len(p) {
				return i, errShort
			}
			if p[i] != ':' {
				return i, fmt.Errorf("%w: want ':'", errSyntax)
			}
			i, err = j.value(p, skipWS(p, i+1), atEOF)
			if err != nil {
				return i, err
			}
			i = skipWS(p, i)
			if i >= len(p) {
				return i, errShort
			}
			if p[i] == ',' {
				i++
				continue
			}
			if p[i] == '}' {
				j.path = j.path[:plen]
				j.depth--
				return i + 1, nil
			}
			return i, fmt.Errorf("%w: want ',' or '}'", errSyntax)
		}
	case c == '[':
		if j.depth++; j.depth > maxJSONDepth {
			return i, fmt.Errorf("%w: nested too deeply", errSyntax)
		}
		plen := len(j.path)
		i = skipWS(p, i+1)
		if i < len(p) && p[i] == ']' {
			j.depth--
			return i + 1, nil
		}
		for k := 0; ; k++ {
			j.path = append(j.path[:plen], '[')
			j.path = strconv.AppendInt(j.path, int64(k), 10)
			j.path = append(j.path, ']')
			var err error
			i, err = j.value(p, skipWS(p, i), atEOF)
			if err != nil {
				return i, err
			}
			i = skipWS(p, i)
			if i >= len(p) {
				return i, errShort
			}
			if p[i] == ',' {
				i++
				continue
			}
			if p[i] == ']' {
				j.path = j.path[:plen]
				j.depth--
				return i + 1, nil
			}
			return i, fmt.Errorf("%w: want ',' or ']'", errSyntax)
		}
	case c == '"':
		e, esc, err := j.str(p, i+1)
		if err != nil {
			return e, err
		}
		if e > i+1 {
			j.spans = append(j.spans, jsonLeaf{name: j.keyName(), start: i + 1, end: e, esc: esc})
		}
		return e + 1, nil
	case c == '-' || ('0' <= c && c <= '9'):
		e := i + 1
		for e < len(p) && isNumByte(p[e]) {
			e++
		}
		if e == len(p) && !atEOF {
			return e, errShort
		}
		j.spans = append(j.spans, jsonLeaf{name: j.keyName(), start: i, end: e})
		return e, nil
	case c == 't':
		return j.lit(p, i, "true", atEOF)
	case c == 'f':
		return j.lit(p, i, "false", atEOF)
	case c == 'n':
		return j.lit(p, i, "null", atEOF)
	}
	return i, fmt.Errorf("%w: unexpected byte", errSyntax)
}

// dataKey reports object keys that look like values rather than names
// (personKeys adds Chinese personal names and addresses):
// ones holding seven or more digits in all (phone numbers in any format,
// 138-1234-5678 or +86 138 1234 5678; ID, card, passport numbers; IP
// addresses; also dated names like order_20240501, which then lose their
// name but never print a value) or an '@' (e-mail addresses).
func dataKey(k []byte) bool {
	digits := 0
	for _, c := range k {
		switch {
		case c >= '0' && c <= '9':
			if digits++; digits >= 7 {
				return true
			}
		case c == '@':
			return true
		}
	}
	return false
}

func isNumByte(c byte) bool {
	return '0' <= c && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'
}

func (j *jsonReader) lit(p []byte, i int, word string, atEOF bool) (int, error) {
	if len(p)-i < len(word) {
		if !atEOF && bytes.HasPrefix([]byte(word), p[i:]) {
			return len(p), errShort
		}
		return i, fmt.Errorf("%w: unexpected byte", errSyntax)
	}
	if string(p[i:i+len(word)]) != word {
		return i, fmt.Errorf("%w: unexpected byte", errSyntax)
	}
	return i + len(word), nil
}

// str finds the closing quote of a string whose content starts at p[i]. It
// reports whether the content holds escapes. Raw newlines end a string with
// an error, so one bad line cannot swallow the file.
func (j *jsonReader) str(p []byte, i int) (end int, esc bool, err error) {
	for {
		k := bytes.IndexByte(p[i:], '"')
		if k < 0 {
			if nl := bytes.IndexByte(p[i:], '\n'); nl >= 0 {
				return i + nl, false, fmt.Errorf("%w: newline in string", errSyntax)
			}
			return len(p), false, errShort
		}
		seg := p[i : i+k]
		if nl := bytes.IndexByte(seg, '\n'); nl >= 0 {
			return i + nl, false, fmt.Errorf("%w: newline in string", errSyntax)
		}
		bs := bytes.IndexByte(seg, '\\')
		if bs < 0 {
			return i + k, esc, nil
		}
		if j.gb {
			bs = gbIndexBackslash(seg)
			if bs < 0 {
				return i + k, esc, nil
			}
		}
		// skip the escape after the first backslash and go on
		esc = true
		i += bs + 2
		if i > len(p) {
			return len(p), esc, errShort
		}
		if j.gb {
			// characters after the escape may again hold 0x5C trail bytes:
			// walk them
			for i < len(p) && p[i] != '"' && p[i] != '\\' {
				if p[i] == '\n' {
					return i, esc, fmt.Errorf("%w: newline in string", errSyntax)
				}
				i += rawmap.GBLen(p[i:])
			}
			if i >= len(p) {
				return len(p), esc, errShort
			}
			if p[i] == '"' {
				return i, esc, nil
			}
		}
	}
}
