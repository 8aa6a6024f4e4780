// Package rawmap builds decoded field values together with the OffsetMap that
// leads from decoded offsets back to the raw bytes of the input.
//
// Format readers (CSV, JSON, SQL dumps) find a field's raw bytes; when the
// value needs unescaping or the file is GB18030, they append its pieces to a
// Builder: literal raw runs with Lit (decoded from GB18030 when the file is),
// escape sequences with Esc. The Builder keeps the breakpoints the scanner's
// OffsetMap contract asks for (a point at the start and end of every run where
// decoded and raw bytes differ, plus a final {len(value), rawLen} point).
package rawmap

import (
	"slices"
	"unicode/utf8"

	"github.com/piiscan/piiscan/internal/utf8x"
	"github.com/piiscan/piiscan/scanner"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// Builder accumulates the decoded values of one record. Values and maps it
// returns stay valid until Reset: earlier values keep pointing at their
// backing array even when a later append grows it.
type Builder struct {
	gb  bool
	dec transform.Transformer

	buf []byte
	pts []scanner.OffsetPoint

	vstart int   // start of the current value in buf
	pstart int   // start of the current value's points in pts
	raw    int32 // raw bytes consumed by the current value
	tmp    [utf8.UTFMax]byte
	// Bad is set when a GB18030 byte sequence was invalid (decoded as U+FFFD).
	Bad bool
	// slow decodes GB18030 character by character (tests compare the paths).
	slow bool
}

// New returns a Builder; gb selects GB18030 decoding of literal runs.
func New(gb bool) *Builder {
	b := &Builder{gb: gb}
	if gb {
		b.dec = simplifiedchinese.GB18030.NewDecoder()
	}
	return b
}

// GB reports whether literal runs are decoded from GB18030.
func (b *Builder) GB() bool { return b.gb }

// Reset forgets every value returned so far; call it once per record.
func (b *Builder) Reset() {
	b.buf = b.buf[:0]
	b.pts = b.pts[:0]
}

// Plain returns the value of a raw run that needs no unescaping: the raw bytes
// themselves (zero-copy, nil map) unless the file is GB18030 and the run holds
// non-ASCII bytes.
//
// The UTF-8 case is kept small enough to inline: readers call Plain for
// every value.
func (b *Builder) Plain(raw []byte) ([]byte, scanner.OffsetMap) {
	if !b.gb {
		return raw, nil
	}
	return b.plainGB(raw)
}

func (b *Builder) plainGB(raw []byte) ([]byte, scanner.OffsetMap) {
	if IsASCII(raw) {
		return raw, nil
	}
	b.Begin()
	b.Lit(raw)
	return b.End()
}

// Begin starts a value.
func (b *Builder) Begin() {
	b.vstart = len(b.buf)
	b.pstart = len(b.pts)
	b.raw = 0
}

// Lit appends raw bytes that stand for themselves (after charset decoding).
func (b *Builder) Lit(raw []byte) {
	if !b.gb {
		b.buf = append(b.buf, raw...)
		b.raw += int32(len(raw))
		return
	}
	for i := 0; i < len(raw); {
		j := i
		for j < len(raw) && raw[j] < utf8.RuneSelf {
			j++
		}
		if j > i {
			b.buf = append(b.buf, raw[i:j]...)
			b.raw += int32(j - i)
			i = j
			if i == len(raw) {
				return
			}
		}
		// the run of multi-byte characters up to the next ASCII character
		j = i
		for j < len(raw) && raw[j] >= utf8.RuneSelf {
			j += GBLen(raw[j:])
		}
		if b.slow || !b.gbRun(raw[i:j]) {
			b.gbChars(raw[i:j])
		}
		i = j
	}
}

// gbRun decodes a run of GB18030 characters with one Transform call and
// adds a breakpoint per character. x/text decodes one rune per sequence
// GBLen measures, except for rare invalid four-byte sequences: then the
// counts differ, nothing is kept, and it returns false.
func (b *Builder) gbRun(run []byte) bool {
	start, pstart, raw0 := len(b.buf), len(b.pts), b.raw
	b.buf = slices.Grow(b.buf, 3*len(run)+utf8.UTFMax)
	nd, ns, err := b.dec.Transform(b.buf[start:cap(b.buf)], run, true)
	if err != nil || ns != len(run) {
		return false
	}
	out := b.buf[start : start+nd]
	b.buf = b.buf[:start]
	d, bad := 0, false
	for k := 0; k < len(run); {
		n := GBLen(run[k:])
		if d >= len(out) {
			b.buf, b.pts, b.raw = b.buf[:start], b.pts[:pstart], raw0
			return false
		}
		r, m := utf8.DecodeRune(out[d:])
		if n == 1 && r == utf8.RuneError && run[k] != 0x80 { // 0x80 is the euro sign in CP936
			bad = true
		}
		b.Esc(out[d:d+m], n) // appends in place: out and buf share the bytes
		d += m
		k += n
	}
	if d != len(out) {
		b.buf, b.pts, b.raw = b.buf[:start], b.pts[:pstart], raw0
		return false
	}
	b.Bad = b.Bad || bad
	return true
}

// gbChars decodes a run character by character (the slow, exact way).
func (b *Builder) gbChars(run []byte) {
	for i := 0; i < len(run); {
		n := GBLen(run[i:])
		nd, ns, err := b.dec.Transform(b.tmp[:], run[i:i+n], true)
		if err != nil || ns != n {
			nd = utf8.EncodeRune(b.tmp[:], utf8.RuneError)
			n = 1
		}
		if n == 1 {
			b.Bad = b.Bad || run[i] != 0x80 // 0x80 is the euro sign in CP936
		}
		b.Esc(b.tmp[:nd], n)
		i += n
	}
}

// Esc appends decoded bytes that stand for rawLen raw bytes (an escape
// sequence, a doubled quote, a multi-byte GB18030 character).
func (b *Builder) Esc(dec []byte, rawLen int) {
	d := int32(len(b.buf) - b.vstart)
	b.point(d, b.raw)
	b.buf = append(b.buf, dec...)
	b.raw += int32(rawLen)
	b.point(d+int32(len(dec)), b.raw)
}

// EscRune is Esc for one rune.
func (b *Builder) EscRune(r rune, rawLen int) {
	b.Esc(b.tmp[:utf8.EncodeRune(b.tmp[:], r)], rawLen)
}

func (b *Builder) point(dec, raw int32) {
	if n := len(b.pts); n > b.pstart {
		last := b.pts[n-1]
		if last.Dec == dec && last.Raw == raw {
			return
		}
		if last.Dec == dec { // an escape that decodes to nothing
			b.pts[n-1].Raw = raw
			return
		}
	}
	b.pts = append(b.pts, scanner.OffsetPoint{Dec: dec, Raw: raw})
}

// End finishes the value. The map is nil when the value equals its raw bytes.
func (b *Builder) End() ([]byte, scanner.OffsetMap) {
	v := b.buf[b.vstart:len(b.buf):len(b.buf)]
	if len(b.pts) == b.pstart {
		return v, nil
	}
	b.point(int32(len(v)), b.raw)
	return v, scanner.OffsetMap(b.pts[b.pstart:len(b.pts):len(b.pts)])
}

// IsASCII reports whether p holds only ASCII bytes.
func IsASCII(p []byte) bool { return utf8x.ASCIIPrefix(p) == len(p) }

// GBLen is the length of the GB18030 sequence at the start of p (len(p) > 0):
// 1 for ASCII and for invalid or truncated sequences, else 2 or 4. It follows
// x/text's decoder, which decodes an invalid lead byte alone as U+FFFD.
func GBLen(p []byte) int {
	c0 := p[0]
	if c0 < 0x81 || c0 == 0xff || len(p) < 2 {
		return 1
	}
	c1 := p[1]
	switch {
	case 0x40 <= c1 && c1 < 0x7f, 0x80 <= c1 && c1 < 0xff:
		return 2
	case 0x30 <= c1 && c1 < 0x40:
		if len(p) >= 4 && 0x81 <= p[2] && p[2] < 0xff && 0x30 <= p[3] && p[3] < 0x3a {
			return 4
		}
	}
	return 1
}

// ValidGB returns how many leading bytes of p are well-formed GB18030 and
// whether the rest is only an incomplete final sequence (short) rather than
// an invalid one.
func ValidGB(p []byte) (n int, short bool) {
	for n < len(p) {
		c := p[n]
		if c < 0x80 {
			n++
			continue
		}
		if c == 0x80 || c == 0xff {
			return n, false
		}
		if l := GBLen(p[n:]); l > 1 {
			n += l
			continue
		}
		// a lead byte whose sequence is cut by the end of p, or invalid
		rest := p[n:]
		if len(rest) == 1 || (len(rest) < 4 && 0x30 <= rest[1] && rest[1] < 0x40 && (len(rest) < 3 || (0x81 <= rest[2] && rest[2] < 0xff))) {
			return n, true
		}
		return n, false
	}
	return n, false
}
