package corpus

import (
	"bufio"
	"fmt"
	"io"
)

// piece is a run of output text: plain context, a planted PI value, or a
// planted decoy. Planted text never contains characters any output format
// escapes, so its raw bytes are exactly its text and its label is exact.
type piece struct {
	text string
	typ  string // "" for plain text
	kind string // decoy kind
	// core is the byte range within text a detector must cover; zero means
	// the whole piece.
	core0, core1 int
	// also lists more types labelled on the same span (minor on an ID number).
	also []string
	// optional marks a cue that a detector may or may not report (前科).
	optional bool
}

func plain(s string) piece { return piece{text: s} }

func pii(typ, s string) piece { return piece{typ: typ, text: s} }

// cue is text that reveals its category by itself (前科, 有期徒刑): a
// finding on it is right, a missing one is not wrong.
func cue(typ, s string) piece { return piece{typ: typ, text: s, optional: true} }

func decoy(kind, s string) piece { return piece{typ: Decoy, kind: kind, text: s} }

// escaper renders plain text for one output format (CSV field, JSON string,
// SQL string literal).
type escaper func(s string) string

// out writes a stream and records labels at the byte offsets it writes them.
type out struct {
	w      *bufio.Writer
	off    int64
	labels []Label
	keep   bool // collect labels
}

func newOut(w io.Writer, keep bool) *out {
	return &out{w: bufio.NewWriterSize(w, 256<<10), keep: keep}
}

func (o *out) raw(s string) {
	o.w.WriteString(s)
	o.off += int64(len(s))
}

// put writes p; plain text goes through esc, planted text must not need it.
func (o *out) put(p piece, esc escaper) {
	if p.typ == "" {
		if esc != nil {
			o.raw(esc(p.text))
		} else {
			o.raw(p.text)
		}
		return
	}
	if esc != nil && esc(p.text) != p.text {
		// A generator bug: the label would not match the bytes written.
		panic(fmt.Sprintf("corpus: planted %s value needs escaping", p.typ))
	}
	if o.keep {
		l := Label{Offset: o.off, Length: int64(len(p.text)), Type: p.typ, Kind: p.kind, Optional: p.optional}
		if p.core1 > 0 && (p.core0 > 0 || p.core1 < len(p.text)) {
			l.Core = []int64{o.off + int64(p.core0), int64(p.core1 - p.core0)}
		}
		o.labels = append(o.labels, l)
		for _, t := range p.also {
			l2 := l
			l2.Type = t
			o.labels = append(o.labels, l2)
		}
	}
	o.raw(p.text)
}

func (o *out) puts(ps []piece, esc escaper) {
	for _, p := range ps {
		o.put(p, esc)
	}
}

func (o *out) flush() error { return o.w.Flush() }
