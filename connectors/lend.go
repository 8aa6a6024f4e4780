package connectors

import (
	"bytes"
	"sync"
	"sync/atomic"

	"github.com/piiscan/piiscan/scanner"
)

// Lending the read buffer: the engine scans the lines of a UTF-8 text file
// where the window read them (scanner.BlockSource) instead of copying each
// line into a batch. A buffer lent to blocks is never written before
// window.end again; when the window needs room it continues in another
// buffer, and the lent one goes back to the lender once the engine has
// released every block that borrows it. How many buffers exist is bounded
// by the blocks the engine holds at once (a few per worker).

// lender keeps the buffers and blocks of one Files, for reuse.
type lender struct {
	mu     sync.Mutex
	bufs   [][]byte
	blocks []*textBlock
}

// maxSpare bounds the buffers and blocks a lender keeps for reuse; more
// than that were lent at once only on a burst and are left to the GC.
const maxSpare = 16

// buffer returns a buffer of length at least n, reused if one is free.
func (l *lender) buffer(n int) []byte {
	l.mu.Lock()
	for i := len(l.bufs) - 1; i >= 0; i-- {
		if b := l.bufs[i]; cap(b) >= n {
			l.bufs[i] = l.bufs[len(l.bufs)-1]
			l.bufs[len(l.bufs)-1] = nil
			l.bufs = l.bufs[:len(l.bufs)-1]
			l.mu.Unlock()
			return b[:cap(b)]
		}
	}
	l.mu.Unlock()
	return make([]byte, n)
}

func (l *lender) putBuffer(b []byte) {
	if cap(b) > 4*windowBuf {
		return // grown for a long line: not kept
	}
	l.mu.Lock()
	if len(l.bufs) < maxSpare {
		l.bufs = append(l.bufs, b)
	}
	l.mu.Unlock()
}

func (l *lender) block() *textBlock {
	l.mu.Lock()
	if n := len(l.blocks); n > 0 {
		b := l.blocks[n-1]
		l.blocks[n-1] = nil
		l.blocks = l.blocks[:n-1]
		l.mu.Unlock()
		return b
	}
	l.mu.Unlock()
	b := &textBlock{ln: l}
	b.blk.Columns = textColumns
	b.blk.InStream = true
	b.blk.Release = b.release
	return b
}

// textColumns is the one unnamed column of a text file's lines.
var textColumns = []scanner.BlockColumn{{}}

// lentBuf counts the holders of a window buffer lent to blocks: the window
// while it reads into it, and each block that borrows it.
type lentBuf struct {
	b    []byte
	refs atomic.Int32
	ln   *lender
}

func (lb *lentBuf) release() {
	if lb.refs.Add(-1) == 0 {
		lb.ln.putBuffer(lb.b)
	}
}

// textBlock is a block of lines and what it borrows.
type textBlock struct {
	blk scanner.Block
	lb  *lentBuf
	ln  *lender
}

// release is the block's Release: called once, by the engine, from any
// goroutine (or by nextBlock for a block it did not hand out).
func (b *textBlock) release() {
	lb := b.lb
	b.lb = nil
	b.blk.Values = nil
	l := b.ln
	l.mu.Lock()
	if len(l.blocks) < maxSpare {
		l.blocks = append(l.blocks, b)
	}
	l.mu.Unlock()
	if lb != nil {
		lb.release()
	}
}

// lend marks the window's buffer as lent to one more block.
func (w *window) lend() *lentBuf {
	if w.lb == nil {
		w.lb = &lentBuf{b: w.buf, ln: w.ln}
		w.lb.refs.Store(1) // the window's
	}
	w.lb.refs.Add(1)
	return w.lb
}

// unlend gives up the window's hold on a lent buffer, which it must not
// write again; false: the buffer is not lent.
func (w *window) unlend() bool {
	if w.lb == nil {
		return false
	}
	w.lb.release()
	w.lb = nil
	return true
}

// blockMin is how much unread input nextBlock wants before it cuts a
// block: fewer, larger blocks cost the engine less per line.
const blockMin = 64 << 10

// nextBlock returns the complete lines in the window as a block that
// borrows the window's buffer, as next would return them one by one
// (empty lines counted, not emitted). It returns nil when the next record
// must come from next: a line not complete in the window, one longer than
// max, the rest of a split line, the end of the input. GB18030 text, whose
// lines are decoded, is read by next only.
func (t *textReader) nextBlock() *scanner.Block {
	w := t.w
	if t.cont || w.ln == nil {
		return nil
	}
	if w.end-w.pos < blockMin {
		w.more()
	}
	av := w.avail()
	last := bytes.LastIndexByte(av, '\n')
	if last < 0 {
		return nil
	}
	tb := w.ln.block()
	spans, nums := tb.blk.Spans[:0], tb.blk.Numbers[:0]
	p := 0
	for p <= last {
		n := bytes.IndexByte(av[p:last+1], '\n')
		if n > t.max {
			break // to be split by next
		}
		line := n
		if line > 0 && av[p+line-1] == '\r' {
			line--
		}
		t.line++
		if line > 0 {
			spans = append(spans, scanner.Span{Off: w.pos + p, End: w.pos + p + line})
			nums = append(nums, t.line)
		}
		p += n + 1
	}
	w.pos += p
	t.scanned = 0
	tb.blk.Spans, tb.blk.Numbers = spans, nums
	if len(spans) == 0 {
		tb.release()
		return nil
	}
	tb.lb = w.lend()
	b := &tb.blk
	b.Source, b.Rows, b.Values, b.Base = t.name, len(spans), w.buf, w.base
	return b
}
