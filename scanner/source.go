package scanner

import (
	"fmt"
	"strings"
)

// Record is one unit of input (a line, a CSV row, a JSON object, an INSERT
// tuple, a database row) with its location. Sources fill a Record in place;
// the byte slices it holds are borrowed and valid only until the next call to
// Source.Next (the engine copies what it keeps).
type Record struct {
	// Source names where the record came from, as findings must show it
	// (DESIGN.md §2): the path as given, "a.tar.gz!inner.csv", or
	// "mysql://host:port/db/table" (never a password).
	Source string
	// Table groups the record's fields into a table: the SQL table of a dump
	// or database row, "" for files without tables.
	Table string
	// Number is the 1-based record number: the line for text, the row for
	// CSV, SQL and databases.
	Number int64
	Fields []Field
}

// Field is one named value of a record.
type Field struct {
	Name    string // column name or JSON key path; "" for plain text
	Comment string // schema comment, if the source has one
	// Value is the UTF-8 text detectors scan (unescaped, decoded).
	Value []byte
	// Offset is the byte offset of Value[0] in the source's decompressed
	// stream, in the source's own encoding. For database rows it is 0.
	Offset int64
	// Map is nil when Value is byte-for-byte the raw bytes at Offset.
	// Otherwise Value was decoded (JSON escapes, SQL escapes, GB18030) and Map
	// maps offsets in Value back to offsets in the raw bytes.
	Map OffsetMap
}

// OffsetPoint is one breakpoint of an OffsetMap: decoded offset Dec
// corresponds to raw offset Raw (both relative to the field start).
type OffsetPoint struct{ Dec, Raw int32 }

// OffsetMap maps decoded offsets to raw offsets. Points are sorted by Dec and
// hold a point at the start and at the end of every run where decoded and raw
// bytes differ, plus a final point {len(Value), rawLen}. Between points the
// mapping is the identity: raw(i) = Raw_k + (i - Dec_k) for the last k with
// Dec_k <= i.
type OffsetMap []OffsetPoint

// Raw maps a decoded offset to a raw offset relative to the field start.
func (m OffsetMap) Raw(i int) int64 {
	if m == nil {
		return int64(i)
	}
	lo, hi := 0, len(m) // find last point with Dec <= i
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if int(m[mid].Dec) <= i {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo == 0 {
		return int64(i)
	}
	p := m[lo-1]
	return int64(p.Raw) + int64(i-int(p.Dec))
}

// Source yields records. Implementations live in connectors.
type Source interface {
	// Next fills rec with the next record and returns nil, or returns io.EOF
	// when the input is exhausted. Any other error describes bad input
	// (preferably an *InputError) and is not fatal to the scan: the engine
	// records it and calls Next again, so a source must either skip past the
	// bad part or return io.EOF from then on.
	Next(rec *Record) error
	Close() error
}

// BlockSource is implemented by sources that read tables in blocks of rows
// with the same columns (databases), or lines in their read buffer (text
// files). The engine then calls NextBlock instead of Next, and scans a
// block's values where they are instead of copying each record out of it.
type BlockSource interface {
	Source
	// NextBlock returns the next block of records, or what Next would
	// return instead of a record: io.EOF at the end, or an error describing
	// bad input, after which the engine calls NextBlock again. The block
	// stays valid, and its values unchanged, until its Release is called.
	//
	// A nil block without an error says that the next record is not in a
	// block (a file of another format, a line that must be split): the
	// engine calls Next once, then NextBlock again.
	NextBlock() (*Block, error)
}

// Block is a run of records of one table that share their columns: record
// i has Number First+i (or Numbers[i]) and a field for each column j whose
// value Values[Spans[i*len(Columns)+j]] is not empty (Span.Off < 0: NULL),
// with no Map and Offset 0 (or, for a block of a stream, Base+Span.Off).
type Block struct {
	Source, Table string
	First         int64
	// Numbers, if not nil, holds the Number of each record instead of
	// First+i (lines of a text file skip empty lines; a split line's
	// pieces share their number).
	Numbers []int64
	Rows    int
	Columns []BlockColumn
	Values  []byte
	Spans   []Span
	// RowBytes, if not nil, holds each record's value bytes (the lengths
	// of its non-empty values, added up), which the engine otherwise adds
	// up from Spans to cut the block into batches.
	RowBytes []int
	// InStream says that Values is a piece of the source's decompressed
	// stream whose byte 0 is at stream offset Base: a field's Offset is
	// Base+Span.Off. Otherwise (database rows) it is 0.
	InStream bool
	Base     int64
	// Release, if set, is called once, from any goroutine, when the engine
	// is done with the block.
	Release func()
}

// BlockColumn names a column of a Block, as Field.Name and Field.Comment.
type BlockColumn struct{ Name, Comment string }

// Span is one value of a Block: Values[Off:End].
type Span struct{ Off, End int }

// Incremental is implemented by sources that read some tables only past a
// watermark (incremental database scans): the report marks those tables so
// that merging it with an earlier report adds their counts, where a table
// read in full replaces the earlier counts instead.
type Incremental interface {
	Incremental(source, table string) bool
}

// ByteCounter is optionally implemented by a Source to report how many input
// bytes (compressed, as read) it has consumed, for throughput figures.
type ByteCounter interface {
	BytesRead() int64
}

// InputError says where input was bad: the source, the record and byte offset,
// and the cause. It never quotes the input itself, which may be PI.
type InputError struct {
	Source string
	Record int64 // 1-based record/line number, 0 if unknown
	Offset int64 // byte offset in the decompressed stream, -1 if unknown
	Err    error
}

func (e *InputError) Error() string {
	var b strings.Builder
	b.WriteString(e.Source)
	if e.Record > 0 {
		fmt.Fprintf(&b, ": record %d", e.Record)
	}
	if e.Offset >= 0 {
		fmt.Fprintf(&b, ": byte offset %d", e.Offset)
	}
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString("bad input")
	}
	return b.String()
}

func (e *InputError) Unwrap() error { return e.Err }
