package connectors

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"
)

func addSeeds(f *testing.F, files ...string) {
	for _, p := range files {
		f.Add(decompressed(f, "testdata/"+p), uint16(0))
	}
}

// FuzzCSV: the reader never panics or loops, every field lies inside the
// input, and its raw bytes unquote to its value.
func FuzzCSV(f *testing.F) {
	addSeeds(f, "people.csv", "bad_quote.csv", "people_gb18030.csv", "people.tsv")
	f.Add([]byte("a,b\n\"x\"\"\",\"\n\"\r\n,\n\"unterminated"), uint16(5))
	f.Fuzz(func(t *testing.T, in []byte, max uint16) {
		opts := Options{Format: FormatCSV, MaxRecordBytes: 16 + int(max)%4096, Stdin: bytes.NewReader(in)}
		recs, _ := openAll(t, []string{"-"}, opts)
		gb := isGB(in, true) // what auto-detection chose
		checkOffsets(t, in, recs, FormatCSV, gb)
	})
}

// FuzzJSON: as FuzzCSV, for JSON lines and documents; values are compared
// with encoding/json's reading of the same raw bytes where it accepts them.
func FuzzJSON(f *testing.F) {
	addSeeds(f, "events.jsonl", "people.json")
	f.Add([]byte(`{"a":"\ud83d\ude00\u00e9\"","b":[1,{"c":"\\"}]}`+"\n[1,\"x\"]\n{"), uint16(3))
	f.Fuzz(func(t *testing.T, in []byte, max uint16) {
		for _, format := range []string{FormatJSONL, FormatJSON} {
			opts := Options{Format: format, MaxRecordBytes: 16 + int(max)%4096, Stdin: bytes.NewReader(in)}
			recs, _ := openAll(t, []string{"-"}, opts)
			if isGB(in, true) {
				continue // covered by the fixtures; encoding/json reads UTF-8 only
			}
			for _, r := range recs {
				for _, fl := range r.Fields {
					start := fl.Offset + fl.Map.Raw(0)
					end := fl.Offset + fl.Map.Raw(len(fl.Value))
					if start < 0 || end > int64(len(in)) || start > end {
						t.Fatalf("field %s span [%d,%d) outside %d bytes", fl.Name, start, end, len(in))
					}
					span := in[start:end]
					if start == 0 || in[start-1] != '"' {
						if string(span) != fl.Value {
							t.Fatalf("number %q != raw %q", fl.Value, span)
						}
						continue
					}
					var v string
					if !utf8.Valid(span) || json.Unmarshal(append(append([]byte{'"'}, span...), '"'), &v) != nil {
						continue // not JSON encoding/json accepts: bounds were checked
					}
					if v != fl.Value {
						t.Fatalf("field %s: raw %q decodes to %q, value %q", fl.Name, span, v, fl.Value)
					}
				}
			}
		}
	})
}

// FuzzSQL: the dump reader over arbitrary input.
func FuzzSQL(f *testing.F) {
	addSeeds(f, "dump.sql", "bad.sql")
	f.Add([]byte("INSERT INTO `t` (`a`) VALUES ('x\\'y',0x1,_binary 'z',f('(')),(NULL);\nCREATE TABLE t (a int COMMENT 'c');"), uint16(7))
	f.Fuzz(func(t *testing.T, in []byte, max uint16) {
		opts := Options{Format: FormatSQL, MaxRecordBytes: 16 + int(max)%4096, Stdin: bytes.NewReader(in)}
		recs, _ := openAll(t, []string{"-"}, opts)
		checkOffsets(t, in, recs, FormatSQL, isGB(in, true))
	})
}
