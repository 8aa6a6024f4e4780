package connectors

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/piiscan/piiscan/scanner"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// gotRecord is a deep copy of a record (Source.Next lends its buffers).
type gotRecord struct {
	Source, Table string
	Number        int64
	Fields        []gotField
}

type gotField struct {
	Name, Comment string
	Value         string
	Offset        int64
	Map           scanner.OffsetMap
}

// readAll drains a source, copying records and collecting errors.
func readAll(t testing.TB, src scanner.Source) ([]gotRecord, []error) {
	t.Helper()
	var recs []gotRecord
	var errs []error
	var rec scanner.Record
	for i := 0; ; i++ {
		if i > 1e6 {
			t.Fatal("source does not end")
		}
		rec = scanner.Record{Fields: rec.Fields[:0]}
		err := src.Next(&rec)
		if err == io.EOF {
			break
		}
		if err != nil {
			var ie *scanner.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error is not an InputError: %v", err)
			}
			errs = append(errs, err)
			continue
		}
		g := gotRecord{Source: rec.Source, Table: rec.Table, Number: rec.Number}
		for _, f := range rec.Fields {
			g.Fields = append(g.Fields, gotField{f.Name, f.Comment, string(f.Value), f.Offset, append(scanner.OffsetMap(nil), f.Map...)})
		}
		recs = append(recs, g)
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	return recs, errs
}

func openAll(t testing.TB, paths []string, opts Options) ([]gotRecord, []error) {
	t.Helper()
	src, err := Open(paths, opts)
	if err != nil {
		t.Fatal(err)
	}
	return readAll(t, src)
}

// decompressed reads a fixture the way the checks below need it, with
// independent decoders (stdlib gzip; the zstd CLI's library is not available,
// so klauspost's zstd, which the source uses too).
func decompressed(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case bytes.HasPrefix(b, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		out, _ := io.ReadAll(zr) // a truncated file gives what it has
		return out
	case bytes.HasPrefix(b, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		zr, err := zstd.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		out, _ := io.ReadAll(zr) // a truncated file gives what it has
		return out
	}
	return b
}

// checkOffsets asserts, for every field, that the raw bytes at
// [Offset+Map.Raw(0), Offset+Map.Raw(len(Value))) decode to Value with the
// format's own rules, and that the map is well-formed.
func checkOffsets(t testing.TB, raw []byte, recs []gotRecord, format string, gb bool) {
	t.Helper()
	for _, r := range recs {
		for _, f := range r.Fields {
			m := f.Map
			start := f.Offset + m.Raw(0)
			end := f.Offset + m.Raw(len(f.Value))
			if start < 0 || end > int64(len(raw)) || start > end {
				t.Fatalf("%s #%d %s: span [%d,%d) outside input of %d bytes", r.Source, r.Number, f.Name, start, end, len(raw))
			}
			if len(m) > 0 {
				last := m[len(m)-1]
				if int(last.Dec) != len(f.Value) {
					t.Fatalf("%s #%d %s: map does not end at len(value): %v", r.Source, r.Number, f.Name, m)
				}
				for i := 1; i < len(m); i++ {
					if m[i].Dec < m[i-1].Dec || m[i].Raw < m[i-1].Raw {
						t.Fatalf("%s #%d %s: map not sorted: %v", r.Source, r.Number, f.Name, m)
					}
				}
			}
			got, err := redecode(raw[start:end], raw, start, format, gb)
			if err != nil {
				t.Fatalf("%s #%d %s: redecode: %v", r.Source, r.Number, f.Name, err)
			}
			if got != f.Value {
				t.Fatalf("%s #%d %s: raw bytes decode to %q, value is %q", r.Source, r.Number, f.Name, got, f.Value)
			}
		}
	}
}

// redecode undoes a format's quoting with code independent of the readers.
func redecode(span, all []byte, start int64, format string, gb bool) (string, error) {
	s := span
	if gb {
		u, err := simplifiedchinese.GB18030.NewDecoder().Bytes(span)
		if err != nil {
			return "", err
		}
		s = u
	}
	quoted := start > 0 && (all[start-1] == '"' || all[start-1] == '\'')
	switch format {
	case FormatCSV, FormatTSV:
		if !quoted {
			return string(s), nil
		}
		return strings.ReplaceAll(string(s), `""`, `"`), nil
	case FormatJSON, FormatJSONL:
		if !quoted {
			return string(s), nil
		}
		var v string
		err := json.Unmarshal(append(append([]byte{'"'}, s...), '"'), &v)
		return v, err
	case FormatSQL:
		if !quoted {
			return string(s), nil
		}
		return mysqlUnquote(string(s), all[start-1]), nil
	}
	return string(s), nil
}

// mysqlUnquote is a plain reading of MySQL's string literal rules.
func mysqlUnquote(s string, q byte) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == q && i+1 < len(s) && s[i+1] == q {
			b.WriteByte(q)
			i++
			continue
		}
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch s[i] {
		case '0':
			b.WriteByte(0)
		case 'b':
			b.WriteByte('\b')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'Z':
			b.WriteByte(26)
		case '%', '_':
			b.WriteByte('\\')
			b.WriteByte(s[i])
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// field finds a record's field by name.
func (r gotRecord) field(name string) (gotField, bool) {
	for _, f := range r.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return gotField{}, false
}

func gbEncode(utf []byte) ([]byte, error) {
	return simplifiedchinese.GB18030.NewEncoder().Bytes(utf)
}

// readAllDiscard drains a source without keeping records.
func readAllDiscard(t testing.TB, src scanner.Source) {
	var rec scanner.Record
	for {
		rec = scanner.Record{Fields: rec.Fields[:0]}
		err := src.Next(&rec)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	src.Close()
}
