package connectors

import (
	"github.com/piiscan/piiscan/connectors/internal/rawmap"
	"github.com/piiscan/piiscan/scanner"
)

// UnparsedField names the field of a record that a reader could not parse
// (a malformed JSON line, a CSV row with an unterminated quote, a broken
// SQL statement) and hands on as text instead.
const UnparsedField = "(unparsed)"

// unparsed holds the bytes a reader skipped past a syntax error, while they
// are still in the window, so that the next call scans them as one text
// record: the error is reported, and the PI in the broken line is still
// found (and masked) rather than silently passed over.
type unparsed struct {
	raw    []byte // in the window, before w.pos; valid until the window moves
	off    int64  // stream offset of raw[0]
	number int64
}

// keep remembers raw (at stream offset off) for the next call; an empty or
// over-long run is not kept.
func (u *unparsed) keep(raw []byte, off, number int64, max int) {
	if len(raw) == 0 || len(raw) > max {
		return
	}
	u.raw, u.off, u.number = raw, off, number
}

// take fills rec with the kept bytes as a text record and reports whether
// there were any.
func (u *unparsed) take(b *rawmap.Builder, name string, rec *scanner.Record) bool {
	if u.raw == nil {
		return false
	}
	b.Reset()
	v, m := b.Plain(u.raw)
	rec.Source, rec.Table, rec.Number = name, "", u.number
	rec.Fields = appendField(rec.Fields[:0], UnparsedField, v, u.off, m)
	u.raw = nil
	return true
}
