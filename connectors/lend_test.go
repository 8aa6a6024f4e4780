package connectors

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/piiscan/piiscan/detectors"
	"github.com/piiscan/piiscan/scanner"
)

// recordsOnly hides Files.NextBlock: the engine reads every record through
// Next and copies it, as it did before text files lent their buffers.
type recordsOnly struct{ f *Files }

func (r recordsOnly) Next(rec *scanner.Record) error { return r.f.Next(rec) }
func (r recordsOnly) Close() error                   { return r.f.Close() }
func (r recordsOnly) BytesRead() int64               { return r.f.BytesRead() }

// TestLentBlocks: scanning text files from blocks that borrow the read
// buffer gives the same findings, report and errors as copying each line,
// for every shape of line the block path must leave to next (split lines,
// a last line without '\n', CRLF, empty lines, invalid UTF-8, GB18030) and
// with small batches and slow workers, so that blocks are held while the
// window reads on.
func TestLentBlocks(t *testing.T) {
	set, err := detectors.NewSet(detectors.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var long strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&long, "第%d行 客户电话 1381234%04d 邮箱 u%d@example.com，身份证 11010519900101123%d\n", i, i, i, i%10)
		switch i % 7 {
		case 0:
			long.WriteString("\n\n")
		case 1:
			long.WriteString("windows line 13912345678\r\n")
		case 2: // a line longer than max: split by next
			long.WriteString(strings.Repeat("很长的一行 13812345678 ", 200) + "\n")
		}
	}
	// lines of every length around the 64-byte newline masks, CRLF and
	// empty ones among them
	var short strings.Builder
	for i := range 5000 {
		short.WriteString(strings.Repeat("x", (i*37)%150))
		if i%3 == 0 {
			short.WriteString(" 1381234" + fmt.Sprintf("%04d", i))
		}
		if i%5 == 0 {
			short.WriteByte('\r')
		}
		short.WriteByte('\n')
	}
	gb, err := gbEncode([]byte("张三 13812345678 北京\n李四 13912345678\n"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"a.log":       []byte(long.String()),
		"short.log":   []byte(short.String()),
		"tail.log":    []byte("line 13812345678\nlast line without newline 13912345678"),
		"crlf.log":    []byte("a 13812345678\r\n\r\nb 13912345678\r\n"),
		"bad.log":     append([]byte("ok 13812345678\n"), append(bytes.Repeat([]byte("好 13912345678\n"), 5000), "\xff\xfe bad 13712345678\nafter 13612345678\n"...)...),
		"gb.log":      gb,
		"empty.log":   nil,
		"newline.log": []byte("\n\n\n"),
	}
	var paths []string
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	paths = append(paths, filepath.Join("testdata", "app.log.gz"), filepath.Join("testdata", "export.tar.gz"), filepath.Join("testdata", "people.csv"))
	for _, cfg := range []scanner.Config{
		{Detectors: set, Workers: 2, Reveal: true},
		{Detectors: set, Workers: 3, Reveal: true, BatchRecords: 7, BatchBytes: 1000},
	} {
		eng, err := scanner.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		run := func(blocks bool) ([]scanner.Finding, any) {
			f, err := Open(paths, Options{MaxRecordBytes: 1500})
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var src scanner.Source = f
			if !blocks {
				src = recordsOnly{f}
			}
			var found []scanner.Finding
			rep, err := eng.Run(context.Background(), src, scanner.SinkFunc(func(fs []scanner.Finding) error {
				found = append(found, fs...)
				return nil
			}))
			if err != nil {
				t.Fatal(err)
			}
			return found, []any{rep.Sources, rep.Columns, rep.Totals, rep.Errors, rep.Throughput.Records, rep.Throughput.Bytes}
		}
		wantF, wantR := run(false)
		gotF, gotR := run(true)
		if len(wantF) < 1000 {
			t.Fatalf("only %d findings: the test data is not what it means to be", len(wantF))
		}
		if !reflect.DeepEqual(gotF, wantF) {
			n := 0
			for i := range min(len(gotF), len(wantF)) {
				if !reflect.DeepEqual(gotF[i], wantF[i]) && n < 5 {
					t.Errorf("finding %d: got %+v, want %+v", i, gotF[i], wantF[i])
					n++
				}
			}
			t.Errorf("%d findings from blocks, %d from records", len(gotF), len(wantF))
		}
		if !reflect.DeepEqual(gotR, wantR) {
			t.Errorf("report from blocks:\n%+v\nfrom records:\n%+v", gotR, wantR)
		}
	}
}
