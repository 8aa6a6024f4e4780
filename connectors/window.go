package connectors

import (
	"bytes"
	"io"
	"unicode/utf8"

	"github.com/piiscan/piiscan/connectors/internal/rawmap"
	"github.com/piiscan/piiscan/internal/utf8x"
)

// window is the read buffer every format reader parses from. buf[pos:end] is
// unread input; buf[0] is at stream offset base. Readers parse a record from
// pos and, when it runs past end, call more and parse it again from pos: more
// may move the bytes, so readers keep offsets relative to pos, never slices,
// across it. Records borrow from buf until the reader advances pos.
type window struct {
	r    io.Reader
	buf  []byte
	pos  int
	end  int
	base int64

	eof bool
	// err is the read error that ended the stream early (a truncated gzip
	// member, a corrupt zstd frame); nil for a clean io.EOF.
	err error
	// limit caps len(buf); max is the longest record readers accept
	// (limit leaves room to look past it).
	limit, max int

	// Encoding check of everything read: the first bad offset, once.
	enc     encoding
	checked int   // buf[:checked] (relative to the current buf) is checked
	bad     int64 // stream offset of the first malformed sequence, -1 if none
	nul     bool  // bad is a NUL byte: binary data, not text in any encoding

	// ln, if set, lets text readers lend buf to the engine (lend.go); lb
	// is set while buf is lent: more then continues in another buffer.
	ln *lender
	lb *lentBuf
}

type encoding uint8

const (
	encUTF8 encoding = iota
	encGB18030
	encNone // already found bad input: stop checking
)

const minRead = 64 << 10

// windowBuf is the size of a new window buffer.
const windowBuf = 256 << 10

func newWindow(r io.Reader, buf []byte, max int) *window {
	if cap(buf) < minRead {
		buf = make([]byte, 0, windowBuf)
	}
	return &window{r: r, buf: buf[:cap(buf)], limit: max + minRead, max: max, bad: -1}
}

// off is the stream offset of buf[i].
func (w *window) off(i int) int64 { return w.base + int64(i) }

// avail is the unread input.
func (w *window) avail() []byte { return w.buf[w.pos:w.end] }

// full reports that buf[pos:end] already holds more than max bytes: a record
// that still does not fit is too long.
func (w *window) full() bool { return w.end-w.pos > w.max || w.end-w.pos >= w.limit }

// more reads more input after end, keeping buf[pos:]. It returns false when
// nothing more can be read: at end of stream or when the window is full.
func (w *window) more() bool {
	if w.eof {
		return false
	}
	if w.pos > 0 && w.lb != nil {
		// Blocks borrow buf[:pos]: move the unread bytes to another buffer.
		nb := w.ln.buffer(max(windowBuf, w.end-w.pos+minRead))
		n := copy(nb, w.buf[w.pos:w.end])
		w.unlend()
		w.buf = nb
		w.base += int64(w.pos)
		w.checked -= w.pos
		if w.checked < 0 {
			w.checked = 0
		}
		w.pos, w.end = 0, n
	}
	if w.pos > 0 {
		n := copy(w.buf, w.buf[w.pos:w.end])
		w.base += int64(w.pos)
		w.checked -= w.pos
		if w.checked < 0 {
			w.checked = 0
		}
		w.pos, w.end = 0, n
	}
	if len(w.buf)-w.end < minRead && len(w.buf) < w.limit {
		n := 2 * len(w.buf)
		if n > w.limit {
			n = w.limit
		}
		nb := make([]byte, n)
		copy(nb, w.buf[:w.end])
		w.buf = nb
	}
	if w.end == len(w.buf) {
		return false
	}
	for i := 0; i < 100; i++ {
		n, err := w.r.Read(w.buf[w.end:])
		w.end += n
		if err != nil {
			w.eof = true
			if err != io.EOF {
				w.err = err
			}
		}
		if n > 0 || w.eof {
			w.check()
			return n > 0
		}
	}
	w.eof, w.err = true, io.ErrNoProgress
	return false
}

// fill reads until at least n bytes are unread or the stream ends.
func (w *window) fill(n int) {
	for w.end-w.pos < n && w.more() {
	}
}

// check validates the encoding of newly read bytes, stopping at the first
// malformed sequence: invalid bytes are passed through to detectors (which
// see them as non-PI) and reported once per file.
func (w *window) check() {
	if w.enc == encNone || w.bad >= 0 {
		return
	}
	p := w.buf[w.checked:w.end]
	// Text has no NUL bytes; UTF-16, archives and other binary files do,
	// and reading them as text would find nothing in them.
	if k := bytes.IndexByte(p, 0); k >= 0 {
		if w.enc == encUTF8 && !utf8x.Valid(p[:k]) || w.enc == encGB18030 && !validGB(p[:k]) {
			p = p[:k] // the encoding fails first: report that
		} else {
			w.bad, w.nul = w.off(w.checked+k), true
			return
		}
	}
	switch w.enc {
	case encUTF8:
		tail := 0
		if !w.eof {
			tail = incompleteTail(p) // a character cut by the end of the read
		}
		if utf8x.Valid(p[:len(p)-tail]) {
			w.checked = w.end - tail
			return
		}
		for i := 0; i < len(p); {
			c := p[i]
			if c < utf8.RuneSelf {
				i++
				continue
			}
			r, n := utf8.DecodeRune(p[i:])
			if r == utf8.RuneError && n == 1 {
				if !w.eof && !utf8.FullRune(p[i:]) {
					break // the rest of the character is still to be read
				}
				w.bad = w.off(w.checked + i)
				return
			}
			i += n
		}
		// only an incomplete final character: check it with the next read
		w.checked = w.end - incompleteTail(p)
	case encGB18030:
		n, short := rawmap.ValidGB(p)
		if n == len(p) || (short && !w.eof) {
			w.checked += n
			return
		}
		w.bad = w.off(w.checked + n)
	}
}

func validGB(p []byte) bool {
	n, _ := rawmap.ValidGB(p)
	return n == len(p)
}

// incompleteTail is the length of an incomplete UTF-8 sequence ending p.
func incompleteTail(p []byte) int {
	for k := 1; k <= 3 && k <= len(p); k++ {
		c := p[len(p)-k]
		if c < 0x80 {
			return 0
		}
		if c >= 0xC0 { // a lead byte
			if !utf8.FullRune(p[len(p)-k:]) {
				return k
			}
			return 0
		}
	}
	return 0
}
