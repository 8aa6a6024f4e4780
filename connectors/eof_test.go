package connectors

import (
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// TestSmallReads feeds every format one byte per Read, so every record
// crosses reads and the end of input is seen only by a read returning 0.
func TestSmallReads(t *testing.T) {
	for _, tc := range []struct {
		format, in string
		records    int
		last       string
	}{
		{FormatText, "a 13800138000\nb\nlast", 3, "last"},
		{FormatCSV, "h1,h2\n\"x\"\"y\",1\n2,\"z\"", 2, "z"},
		{FormatJSONL, "{\"a\":\"x\\u0041\"}\n42", 2, "42"},
		{FormatJSON, "[{\"a\":1},\n{\"a\":\"end\"}]", 2, "end"},
		{FormatSQL, "INSERT INTO t VALUES ('a\\'b',1),(2,'end')", 2, "end"},
	} {
		var r io.Reader = iotest.OneByteReader(strings.NewReader(tc.in))
		recs, errs := openAll(t, []string{"-"}, Options{Format: tc.format, Stdin: r})
		if len(errs) > 0 || len(recs) != tc.records {
			t.Errorf("%s: %d records (want %d), errors %v", tc.format, len(recs), tc.records, errs)
			continue
		}
		last := recs[len(recs)-1]
		if got := last.Fields[len(last.Fields)-1].Value; got != tc.last {
			t.Errorf("%s: last value %q, want %q", tc.format, got, tc.last)
		}
		checkOffsets(t, []byte(tc.in), recs, tc.format, false)
	}
}
