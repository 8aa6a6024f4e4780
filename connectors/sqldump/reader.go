package sqldump

import (
	"errors"
	"io"
)

// ErrTooLong is returned by Reader.Next for an item longer than its limit:
// the item's bytes come back as an Other item (Kind Other, no values) and the
// scanner skips to the end of the statement.
var ErrTooLong = errors.New("sqldump: item longer than the limit")

// Reader runs a Scanner over an io.Reader with its own buffer. Items are
// valid until the next call to Next. It is the way for callers that rewrite
// a dump (masking) to see every byte: writing each item's Raw, with value
// spans replaced, reproduces the input.
type Reader struct {
	r        io.Reader
	s        *Scanner
	buf      []byte
	pos, end int
	eof      bool
	err      error
	max      int
}

// NewReader reads a dump from r; gb selects GB18030-aware string scanning;
// maxItem caps one item (a tuple, a statement) and its buffer (0: 64 MiB).
func NewReader(r io.Reader, gb bool, maxItem int) *Reader {
	if maxItem <= 0 {
		maxItem = 64 << 20
	}
	return &Reader{r: r, s: NewScanner(gb), buf: make([]byte, min(256<<10, maxItem+1)), max: maxItem}
}

// Scanner gives access to the scanner's state (offset, line).
func (r *Reader) Scanner() *Scanner { return r.s }

// Next fills it with the next item. It returns io.EOF at the end, a read
// error as it came, *SyntaxError or ErrTooLong with a valid Other item whose
// bytes must still be written by a rewriter.
func (r *Reader) Next(it *Item) error {
	for {
		if r.end == r.pos && r.eof {
			if r.err != nil {
				err := r.err
				r.err = nil
				return err
			}
			return io.EOF
		}
		eof := r.eof
		n, err := r.s.Next(r.buf[r.pos:r.end], eof, it)
		if err == ErrShort {
			if r.end-r.pos >= r.max {
				// give the bytes out as they are and skip the statement
				*it = Item{Kind: Other, Raw: r.buf[r.pos:r.end], Offset: r.s.off, Line: r.s.line + 1, Values: it.Values[:0]}
				r.s.line += int64(countNL(it.Raw))
				r.s.off += int64(len(it.Raw))
				r.s.Skip()
				r.pos = r.end
				return ErrTooLong
			}
			r.fill()
			continue
		}
		if n == 0 && err == nil {
			r.pos = r.end
			continue
		}
		r.pos += n
		return err
	}
}

// fill reads more input after end, moving unread bytes to the front and
// growing the buffer up to max.
func (r *Reader) fill() {
	if r.pos > 0 {
		r.end = copy(r.buf, r.buf[r.pos:r.end])
		r.pos = 0
	}
	if r.end == len(r.buf) {
		nb := make([]byte, min(2*len(r.buf), r.max+1))
		copy(nb, r.buf[:r.end])
		r.buf = nb
	}
	for i := 0; i < 100; i++ {
		n, err := r.r.Read(r.buf[r.end:])
		r.end += n
		if err != nil {
			r.eof = true
			if err != io.EOF {
				r.err = err
			}
			return
		}
		if n > 0 {
			return
		}
	}
	r.eof, r.err = true, io.ErrNoProgress
}

func countNL(p []byte) int {
	n := 0
	for _, c := range p {
		if c == '\n' {
			n++
		}
	}
	return n
}

// Span returns the stream offsets [start, end) of v, a value of it.
func (it *Item) Span(v Value) (start, end int64) {
	return it.Offset + int64(v.Start), it.Offset + int64(v.End)
}
