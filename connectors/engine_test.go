package connectors

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/piiscan/piiscan/detectors"
	"github.com/piiscan/piiscan/scanner"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// TestEngineOffsets runs the fixtures through the scan engine and checks the
// contract findings rely on (DESIGN.md §2): the raw bytes at
// [offset, offset+length) of the decompressed file, decoded from the file's
// own encoding and quoting, are the value that was found.
func TestEngineOffsets(t *testing.T) {
	set, err := detectors.NewSet(detectors.Options{})
	if err != nil {
		t.Fatal(err)
	}
	eng, err := scanner.New(scanner.Config{Detectors: set, Reveal: true, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	defer func() {
		if total == 0 && len(set.Types()) > 0 {
			t.Error("no findings at all: the check did not run")
		}
	}()
	for _, tc := range []struct {
		path, format string
		gb           bool
	}{
		{"app.log", FormatText, false},
		{"app.log.gz", FormatText, false},
		{"people.csv", FormatCSV, false},
		{"people_gb18030.csv", FormatCSV, true},
		{"events.jsonl.zst", FormatJSONL, false},
		{"events_gb18030.jsonl", FormatJSONL, true},
		{"people.json", FormatJSON, false},
		{"dump.sql", FormatSQL, false},
		{"dump_gb18030.sql", FormatSQL, true},
	} {
		path := filepath.Join("testdata", tc.path)
		src, err := Open([]string{path}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var found []scanner.Finding
		_, err = eng.Run(context.Background(), src, scanner.SinkFunc(func(fs []scanner.Finding) error {
			found = append(found, fs...)
			return nil
		}))
		if err != nil {
			t.Fatal(err)
		}
		src.Close()
		raw := decompressed(t, path)
		for _, f := range found {
			if f.Offset < 0 || f.Offset+f.Length > int64(len(raw)) {
				t.Fatalf("%s: finding %s [%d,+%d) outside the input", path, f.Type, f.Offset, f.Length)
			}
			span := raw[f.Offset : f.Offset+f.Length]
			got, err := redecode(span, raw, f.Offset, tc.format, tc.gb)
			if err != nil {
				t.Fatal(err)
			}
			// a finding inside a quoted value is not at the quote: decode as unquoted text
			if got != f.Value {
				if tc.gb {
					u, _ := simplifiedchinese.GB18030.NewDecoder().Bytes(span)
					got = string(u)
				}
				if got != f.Value && mysqlUnquote(got, '\'') != f.Value && jsonUnquote(got) != f.Value {
					t.Errorf("%s: %s at %d: raw %q, value %q", path, f.Type, f.Offset, got, f.Value)
				}
			}
		}
		t.Logf("%s: %d findings checked", path, len(found))
		total += len(found)
	}
}

func jsonUnquote(s string) string {
	v, err := redecode([]byte(s), []byte(`"`+s), 1, FormatJSON, false)
	if err != nil {
		return s
	}
	return v
}
