package connectors

import (
	"bytes"
	"io"
	"unicode/utf8"

	"github.com/piiscan/piiscan/connectors/internal/rawmap"
	"github.com/piiscan/piiscan/scanner"
)

// textReader yields one record per line (one unnamed field; Number is the
// 1-based line number; empty lines are counted but not emitted). A line longer
// than max is emitted as several records with the same Number, cut by
// SplitPoint so that no PI value is cut in two.
type textReader struct {
	w    *window
	b    *rawmap.Builder
	name string
	max  int

	line    int64
	scanned int  // bytes after w.pos known to hold no '\n'
	cont    bool // the next bytes continue a line already split
}

func newTextReader(w *window, b *rawmap.Builder, name string, max int) *textReader {
	return &textReader{w: w, b: b, name: name, max: max}
}

func (t *textReader) next(rec *scanner.Record) error {
	w := t.w
	for {
		av := w.avail()
		if i := bytes.IndexByte(av[t.scanned:], '\n'); i >= 0 {
			n := t.scanned + i
			if n > t.max { // the line is longer than max: emit a segment first
				return t.segment(rec, av, n)
			}
			line := av[:n]
			if len(line) > 0 && line[len(line)-1] == '\r' {
				line = line[:len(line)-1]
			}
			if !t.cont {
				t.line++
			}
			t.cont = false
			at := w.pos
			w.pos += n + 1
			t.scanned = 0
			if len(line) == 0 {
				continue
			}
			t.emit(rec, line, at)
			return nil
		}
		t.scanned = len(av)
		if len(av) > t.max {
			end := -1 // the line's end is not known yet
			if t.w.eof {
				end = len(av)
			}
			return t.segment(rec, av, end)
		}
		if !w.more() {
			av = w.avail()
			if len(av) > t.max {
				continue
			}
			if len(av) == 0 {
				return io.EOF
			}
			if !t.cont {
				t.line++
			}
			t.cont = false
			at := w.pos
			w.pos = w.end
			t.scanned = 0
			t.emit(rec, bytes.TrimSuffix(av, []byte{'\r'}), at)
			return nil
		}
	}
}

// minPiece is the size splitPoint prefers pieces of a long line to have.
func (t *textReader) minPiece() int { return min(t.max/2, 4096) }

// segment emits the first piece of an over-long line; end is the line's
// length if known, else -1.
func (t *textReader) segment(rec *scanner.Record, av []byte, end int) error {
	seg := av[:t.max]
	if end >= 0 && end-t.max < t.minPiece() {
		// leave the last piece at least minPiece long too
		seg = av[:end-t.minPiece()]
	}
	c := splitPoint(av, len(seg), t.minPiece(), t.b.GB())
	if !t.cont {
		t.line++
	}
	t.cont = true
	at := t.w.pos
	t.w.pos += c
	t.scanned -= c
	if t.scanned < 0 {
		t.scanned = 0
	}
	t.emit(rec, av[:c], at)
	return nil
}

func (t *textReader) emit(rec *scanner.Record, line []byte, at int) {
	t.b.Reset()
	v, m := t.b.Plain(line)
	rec.Source = t.name
	rec.Table = ""
	rec.Number = t.line
	rec.Fields = appendField(rec.Fields[:0], "", v, t.w.off(at), m)
}

// appendField appends a field to fs, storing its members one by one: an
// appended composite literal is built on the stack and copied in 16-byte
// loads that wait for the 8-byte stores before them (a store-forwarding
// stall per field; BenchmarkText ran 1.15x faster without it).
func appendField(fs []scanner.Field, name string, v []byte, off int64, m scanner.OffsetMap) []scanner.Field {
	if len(fs) < cap(fs) {
		fs = fs[:len(fs)+1]
	} else {
		fs = append(fs, scanner.Field{})
	}
	f := &fs[len(fs)-1]
	f.Name = name
	f.Comment = ""
	f.Value = v
	f.Offset = off
	f.Map = m
	return fs
}

// SplitPoint chooses where to cut seg, the first len(seg) bytes of a line too
// long to be one record; it returns the length of the first piece (> 0). The
// rule, in order of preference:
//
//  1. after the last break byte: tab, one of , ; | " ' < = > & (and, in UTF-8,
//     { } [ ] and the full-width ，。；！？、), or a space unless the space
//     stands between two digits (card and phone numbers are grouped by spaces);
//  2. else at the last character boundary whose neighbours are not both
//     "token" bytes (ASCII letters, digits, @ . - _ + : / and a space between
//     digits), e.g. between two Chinese characters, so no e-mail, number or
//     other ASCII token is cut;
//  3. else at the last character boundary (a token as long as a whole
//     record is not PI).
//
// In GB18030 only bytes below 0x40 are break bytes (others can be trail
// bytes) and boundaries are found by walking the characters from the start.
func SplitPoint(seg []byte, gb bool) int { return splitPoint(seg, len(seg), 1, gb) }

// splitPoint is SplitPoint preferring pieces of at least minLen bytes: each of
// rules 1 and 2 is first tried for cuts at or after minLen, then after 16
// bytes. Tiny pieces are avoided because detectors judge a short value as a
// whole (a cell holding only a name is a name), which a piece of a line is
// not.
//
// The cut is at most n; seg may go on past n so that rule 1 can see the byte
// after a space at n.
func splitPoint(seg []byte, n, minLen int, gb bool) int {
	if n <= 1 {
		return n
	}
	if minLen < 1 || minLen > n {
		minLen = 1
	}
	var starts []int // character starts, for GB18030
	if gb {
		for i := 0; i < n; i += rawmap.GBLen(seg[i:]) {
			starts = append(starts, i)
		}
	}
	seg = seg[:min(len(seg), n+1)]
	rule2 := func(lo int) int {
		if gb {
			for k := len(starts) - 1; k > 0 && starts[k] >= lo; k-- {
				if c := starts[k]; !isTokenAt(seg, c-1) || !isTokenAt(seg, c) {
					return c
				}
			}
			return 0
		}
		for c := n - 1; c >= lo && c > 0; c-- {
			if utf8.RuneStart(seg[c]) && (!isTokenAt(seg, c-1) || !isTokenAt(seg, c)) {
				return c
			}
		}
		return 0
	}
	rule1 := func(lo int) int {
		for c := n; c >= lo && c > 0; c-- {
			if isBreakAt(seg, c, gb) {
				return c
			}
		}
		return 0
	}
	// Not cutting a token matters most, then pieces of at least minLen bytes,
	// then pieces longer than a short cell (16 bytes).
	small := 16
	for _, try := range []struct {
		rule func(int) int
		lo   int
	}{{rule1, minLen}, {rule1, small}, {rule2, minLen}, {rule2, small}, {rule1, 1}, {rule2, 1}} {
		if c := try.rule(try.lo); c > 0 {
			return c
		}
	}
	if gb {
		if k := len(starts) - 1; starts[k] > 0 {
			return starts[k]
		}
		return n
	}
	for c := n - 1; c > 0; c-- {
		if utf8.RuneStart(seg[c]) {
			return c
		}
	}
	return n
}

// isTokenAt reports whether seg[i] belongs to an ASCII token (rule 2).
func isTokenAt(seg []byte, i int) bool {
	if seg[i] == ' ' {
		return i > 0 && i+1 < len(seg) && isDigit(seg[i-1]) && isDigit(seg[i+1])
	}
	return isToken(seg[i])
}

// isBreakAt reports whether cutting seg before index c (after seg[c-1]) is a
// break by rule 1 of SplitPoint.
func isBreakAt(seg []byte, c int, gb bool) bool {
	b := seg[c-1]
	switch b {
	case '\t', ',', ';', '"', '\'', '<', '=', '>', '&':
		return true
	case '|', '{', '}', '[', ']':
		return !gb
	case ' ':
		digitBefore := c >= 2 && isDigit(seg[c-2])
		digitAfter := c < len(seg) && isDigit(seg[c])
		return !(digitBefore && digitAfter)
	}
	if gb || b < 0x80 || c < 3 {
		return false
	}
	// full-width punctuation: ，(EF BC 8C) ；(EF BC 9B) ！(EF BC 81) ？(EF BC 9F) 。(E3 80 82) 、(E3 80 81)
	p0, p1 := seg[c-3], seg[c-2]
	if p0 == 0xEF && p1 == 0xBC {
		return b == 0x8C || b == 0x9B || b == 0x81 || b == 0x9F
	}
	if p0 == 0xE3 && p1 == 0x80 {
		return b == 0x82 || b == 0x81
	}
	return false
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isToken(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case '@', '.', '-', '_', '+', ':', '/':
		return true
	}
	return false
}
