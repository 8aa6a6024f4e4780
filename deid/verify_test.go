package deid

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/piiscan/piiscan/connectors"
	"github.com/piiscan/piiscan/connectors/sqldump"
)

// countRecords is countRows counting records only.
func countRecords(ctx context.Context, path, name string, in connectors.Options, format string) (int64, error) {
	return countRows(ctx, path, name, in, format, nil, nil)
}

// The verifier's count of a file read while it is written in small pieces
// (records split across writes) equals the count of the finished file.
func TestVerifierCountsWhileWriting(t *testing.T) {
	ctx := context.Background()
	var sb strings.Builder
	sb.WriteString("name,phone\n")
	for i := range 3000 {
		fmt.Fprintf(&sb, "张伟%d,\"139%08d\"\n", i, i)
	}
	body := sb.String()
	path := filepath.Join(t.TempDir(), "out.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, w, err := startVerify(ctx, path, f, connectors.Options{}, connectors.FormatCSV, path)
	if err != nil {
		t.Fatal(err)
	}
	defer v.stop()
	for rest := body; rest != ""; {
		n := min(len(rest), 1+len(rest)%997)
		if _, err := w.Write([]byte(rest[:n])); err != nil {
			t.Fatal(err)
		}
		rest = rest[n:]
	}
	got, err := v.finish()
	if err != nil {
		t.Fatal(err)
	}
	want, err := countRecords(ctx, path, path, connectors.Options{}, connectors.FormatCSV)
	if err != nil {
		t.Fatal(err)
	}
	if got != want || want < 3000 {
		t.Fatalf("counted %d records while writing, %d after", got, want)
	}
}

// An abandoned write stops the verifier, even when it waits in the middle
// of a record.
func TestVerifierStops(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.sql")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, w, err := startVerify(context.Background(), path, f, connectors.Options{}, connectors.FormatSQL, path)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("INSERT INTO `t` VALUES (1,'"))
	stopped := make(chan struct{})
	go func() { v.stop(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(10 * time.Second):
		t.Fatal("stop did not return")
	}
}

// TestVerifyFailsOnBrokenOutput: output that does not parse fails the
// verification even when the reader's recovery (resuming at the next line,
// scanning the broken line as text) gives the input's record count.
func TestVerifyFailsOnBrokenOutput(t *testing.T) {
	for _, tc := range []struct{ name, format, body string }{
		{"out.jsonl", connectors.FormatJSONL, "{\"m\":\"a\"}\n{\"m\":138****5678}\n{\"m\":\"c\"}\n"},
		{"out.sql", connectors.FormatSQL, "INSERT INTO `t` VALUES (1,'a'),(2,138****5678);\n"},
		{"out.csv", connectors.FormatCSV, "a,b\n1,\"x\n"},
	} {
		path := filepath.Join(t.TempDir(), tc.name)
		if err := os.WriteFile(path, []byte(tc.body), 0o600); err != nil {
			t.Fatal(err)
		}
		if n, err := countRecords(context.Background(), path, path, connectors.Options{}, tc.format); err == nil || !strings.Contains(err.Error(), "does not read back") {
			t.Errorf("%s: %d records, err %v; want an error", tc.name, n, err)
		}
	}
}

// A verification error names the output file (the copy that does not read
// back), not "-" (the verifier reads it as a stream), and never the
// temporary file that is removed.
func TestVerifyErrorNamesOutput(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "masked.json")
	v, w, err := startVerify(context.Background(), filepath.Join(dir, ".tmp-1234"), mustCreate(t, filepath.Join(dir, ".tmp-1234")), connectors.Options{}, connectors.FormatJSONL, out)
	if err != nil {
		t.Fatal(err)
	}
	defer v.stop()
	w.Write([]byte("{\"m\":138****5678}\n"))
	_, err = v.finish()
	if err == nil || !strings.Contains(err.Error(), "masked.json: ") || strings.Contains(err.Error(), "-: ") || strings.Contains(err.Error(), ".tmp-1234") {
		t.Errorf("error %v: want it to name masked.json", err)
	}
}

func mustCreate(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestVerifyCountsTruncatedDump: the verifier reads SQL dumps without
// building fields (connectors.Options.CountOnly), and a dump cut inside a
// tuple list still reads back as fewer records or an error, never as the
// full count. (Cuts the record count does not see, such as of the last
// statement's ";", are the dump counts' to find: TestVerifyDumpDamage.)
func TestVerifyCountsTruncatedDump(t *testing.T) {
	full := "INSERT INTO `t` VALUES (1,'张*','138****5678'),(2,'李*','139****0000');\nINSERT INTO `t` VALUES (3,'王*','137****1111');\n"
	path := filepath.Join(t.TempDir(), "out.sql")
	count := func(body string) (int64, error) {
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return countRecords(context.Background(), path, path, connectors.Options{}, connectors.FormatSQL)
	}
	if n, err := count(full); n != 3 || err != nil {
		t.Fatalf("full dump: %d records, err %v; want 3", n, err)
	}
	gap := strings.Index(full, ";\n")          // from the end of the first statement
	second := strings.LastIndexByte(full, '(') // to the start of the second's tuple
	for cut := 1; cut < strings.LastIndexByte(full, ')'); cut++ {
		if cut > gap && cut <= second {
			continue
		}
		if n, err := count(full[:cut]); n == 3 && err == nil {
			t.Errorf("dump cut to %d of %d bytes reads back as 3 records", cut, len(full))
		}
	}
}

// TestVerifyDumpDamage: an output dump damaged in ways that keep its count
// of records (the check before dump counts: each case asserts that it
// passes) fails verification, and the error names the output and where its
// last statement starts. The input is testdata/verify/dump.sql.
func TestVerifyDumpDamage(t *testing.T) {
	ctx := context.Background()
	in := "testdata/verify/dump.sql"
	body, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	full := string(body)
	lastInsert := strings.LastIndex(full, "INSERT")
	last := strings.LastIndex(full, "/*!")
	for _, tc := range []struct {
		name, out string
		want      string // in the error, after the output's name
	}{
		// The fragment is a text record (an INSERT that is not INSERT
		// ... VALUES) in place of the statement's one row.
		{"last INSERT cut in its VALUES keyword", full[:lastInsert] + "INSERT INTO `t` V", "has 2 rows of table t, the input 3; its last statement starts at line 12 (byte 317)"},
		// Statements that are no records.
		{"last statement cut to a fragment", full[:last] + "/*!40", "has 8 statements ended by ';', the input 9: a statement is cut short; its last statement starts at line 14 (byte 381)"},
		{"final ';' lost", strings.TrimSuffix(full, ";\n") + "\n", "has 8 statements ended by ';', the input 9: a statement is cut short; its last statement starts at line 14 (byte 381)"},
		{"final ';' and newline lost", strings.TrimSuffix(full, ";\n"), "has 8 statements ended by ';', the input 9: a statement is cut short; its last statement starts at line 14 (byte 381)"},
		{"a statement lost", strings.Replace(full, "LOCK TABLES `t` WRITE;\n", "", 1), "has 8 statements, the input 9; its last statement starts at line 13 (byte 358)"},
		{"two statements run together", strings.Replace(full, "UNLOCK TABLES;", "UNLOCK TABLES", 1), "has 8 statements, the input 9; its last statement starts at line 13 (byte 366)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			outPath := filepath.Join(dir, "masked.sql")
			if err := os.WriteFile(outPath, []byte(tc.out), 0o600); err != nil {
				t.Fatal(err)
			}
			// The record count alone, as the input's and output's readers
			// give it, does not see the damage.
			tables := map[string]int64{}
			var inDump sqldump.Counts // the input's statements, as its reader's parse counts them
			nIn, errIn := countRows(ctx, in, in, connectors.Options{}, connectors.FormatSQL, tables, &inDump)
			nOut, errOut := countRecords(ctx, outPath, outPath, connectors.Options{}, connectors.FormatSQL)
			if errIn != nil || errOut != nil || nIn != nOut {
				t.Fatalf("record counts %d (%v) and %d (%v): want equal counts, no error", nIn, errIn, nOut, errOut)
			}

			tmp := filepath.Join(dir, ".tmp-out")
			v, w, err := startVerify(ctx, tmp, mustCreate(t, tmp), connectors.Options{}, connectors.FormatSQL, outPath)
			if err != nil {
				t.Fatal(err)
			}
			defer v.stop()
			for rest := tc.out; rest != ""; rest = rest[min(len(rest), 5):] {
				if _, err := w.Write([]byte(rest[:min(len(rest), 5)])); err != nil {
					t.Fatal(err)
				}
			}
			_, err = v.check(nIn, tables, &inDump, in, outPath)
			if !errors.Is(err, ErrMismatch) || !strings.Contains(err.Error(), outPath+" "+tc.want) {
				t.Errorf("error %v\nwant ErrMismatch and %q", err, outPath+" "+tc.want)
			}
		})
	}

	// The intact copy passes.
	dir := t.TempDir()
	tmp := filepath.Join(dir, ".tmp-out")
	v, w, err := startVerify(ctx, tmp, mustCreate(t, tmp), connectors.Options{}, connectors.FormatSQL, "masked.sql")
	if err != nil {
		t.Fatal(err)
	}
	defer v.stop()
	w.Write(body)
	tables := map[string]int64{}
	var inDump sqldump.Counts
	nIn, _ := countRows(ctx, in, in, connectors.Options{}, connectors.FormatSQL, tables, &inDump)
	if tables["t"] != 3 {
		t.Fatalf("input rows by table %v, want t: 3", tables)
	}
	if n, err := v.check(nIn, tables, &inDump, in, "masked.sql"); err != nil || n != nIn {
		t.Errorf("intact copy: %d records, err %v; want %d, no error", n, err, nIn)
	}
}

// TestFailedVerifyKeepsTarget: when the verification of the masked copy
// fails, MaskFile leaves the output path as it was (the copy is not renamed
// over it, whatever the fsync running beside the check does) and removes
// its temporary file; a slow verification that passes still commits.
func TestFailedVerifyKeepsTarget(t *testing.T) {
	real := checkOutput
	t.Cleanup(func() { checkOutput = real })
	dir := t.TempDir()
	out := filepath.Join(dir, "masked.sql")
	for _, fail := range []bool{true, false} {
		if err := os.WriteFile(out, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
		checkOutput = func(v *verifier, records int64, tables map[string]int64, inDump *sqldump.Counts, in, out string) (int64, error) {
			time.Sleep(20 * time.Millisecond) // the fsync beside it ends first
			n, err := real(v, records, tables, inDump, in, out)
			if fail && err == nil {
				err = fmt.Errorf("%w: forced by the test", ErrMismatch)
			}
			return n, err
		}
		_, err := MaskFile(context.Background(), "testdata/verify/dump.sql", out, testOptions(t))
		got, _ := os.ReadFile(out)
		if fail && (!errors.Is(err, ErrMismatch) || string(got) != "old") {
			t.Fatalf("failed verification: error %v, target holds %d bytes; want ErrMismatch and the old content", err, len(got))
		}
		if !fail && (err != nil || string(got) == "old") {
			t.Fatalf("passed verification: error %v, target not replaced %v", err, string(got) == "old")
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 1 {
			t.Fatalf("files left: %v", ents)
		}
	}
}
