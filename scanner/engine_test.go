package scanner_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/piiscan/piiscan/detectors"
	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/masking"
	"github.com/piiscan/piiscan/report"
	"github.com/piiscan/piiscan/scanner"
)

// tagDetector reports every "<tag>" run of digits after the marker "K:" as a
// value of one type. It is a real (if tiny) detector so the engine tests do
// not depend on which detector packages are registered.
type tagDetector struct {
	typ   pi.TypeID
	grade pi.Grade
}

func (d tagDetector) Types() []pi.TypeID { return []pi.TypeID{d.typ} }

func (d tagDetector) Find(v []byte, _ *pi.Field, dst []pi.Match) []pi.Match {
	for i := 0; i+2 < len(v); i++ {
		if v[i] != 'K' || v[i+1] != ':' {
			continue
		}
		j := i + 2
		for j < len(v) && v[j] >= '0' && v[j] <= '9' {
			j++
		}
		if j > i+2 {
			dst = append(dst, pi.Match{Type: d.typ, Start: i + 2, End: j, Confidence: 0.987, Grade: d.grade})
		}
		i = j - 1
	}
	return dst
}

// memSource yields prepared records, and errors at chosen positions.
type memSource struct {
	recs []scanner.Record
	errs map[int]error // error returned before record i
	i    int
	sent map[int]bool
}

func (s *memSource) Next(r *scanner.Record) error {
	if err, ok := s.errs[s.i]; ok && !s.sent[s.i] {
		if s.sent == nil {
			s.sent = map[int]bool{}
		}
		s.sent[s.i] = true
		return err
	}
	if s.i >= len(s.recs) {
		return io.EOF
	}
	src := s.recs[s.i]
	s.i++
	// Hand out a borrowed copy that is overwritten on the next call, as real
	// sources do, so the test catches an engine that keeps borrowed bytes.
	r.Source, r.Table, r.Number = src.Source, src.Table, src.Number
	r.Fields = r.Fields[:0]
	for _, f := range src.Fields {
		f.Value = append([]byte(nil), f.Value...)
		r.Fields = append(r.Fields, f)
	}
	return nil
}

func (s *memSource) Close() error { return nil }

func newEngine(t *testing.T, cfg scanner.Config, dets ...detectors.Detector) *scanner.Engine {
	t.Helper()
	set, err := detectors.NewSetOf(detectors.Options{}, dets)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Detectors = set
	e, err := scanner.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

type collect struct{ fs []scanner.Finding }

func (c *collect) Write(fs []scanner.Finding) error { c.fs = append(c.fs, fs...); return nil }

func TestEngineOrderAndOffsets(t *testing.T) {
	const n = 5000
	src := &memSource{}
	var want []string
	for i := 1; i <= n; i++ {
		line := fmt.Sprintf("行%d K:%d 中文 K:%d", i, 1000+i, 2000+i)
		src.recs = append(src.recs, scanner.Record{Source: "mem.txt", Number: int64(i),
			Fields: []scanner.Field{{Value: []byte(line), Offset: int64(i * 100)}}})
		for _, num := range []int{1000 + i, 2000 + i} {
			off := strings.Index(line, fmt.Sprint(num))
			want = append(want, fmt.Sprintf("%d@%d+%d", i, i*100+off, len(fmt.Sprint(num))))
		}
	}
	for _, workers := range []int{1, 2, 7} {
		t.Run(fmt.Sprint("workers=", workers), func(t *testing.T) {
			src.i = 0
			e := newEngine(t, scanner.Config{Workers: workers, BatchRecords: 13, Reveal: true}, tagDetector{typ: "tag", grade: pi.GradeOrdinary})
			var c collect
			rep, err := e.Run(context.Background(), src, &c)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.fs) != len(want) {
				t.Fatalf("got %d findings, want %d", len(c.fs), len(want))
			}
			for i, f := range c.fs {
				got := fmt.Sprintf("%d@%d+%d", f.Record, f.Offset, f.Length)
				if got != want[i] {
					t.Fatalf("finding %d = %s, want %s", i, got, want[i])
				}
				if f.Confidence != 0.99 || f.Value == "" || strings.Contains(f.Masked, f.Value) {
					t.Fatalf("finding %d: confidence %v, value %q, masked %q", i, f.Confidence, f.Value, f.Masked)
				}
			}
			if rep.Throughput.Records != n || rep.Totals.Findings != 2*n || rep.Totals.ByType["tag"] != 2*n {
				t.Fatalf("report totals: %+v %+v", rep.Throughput, rep.Totals)
			}
			if len(rep.Columns) != 1 || rep.Columns[0].RowsScanned != n || rep.Columns[0].Types["tag"] != n {
				t.Fatalf("columns: %+v", rep.Columns)
			}
		})
	}
}

func TestEngineOffsetMap(t *testing.T) {
	// Raw JSON `"a\u00e9K:42"`: the decoded value is "aéK:42" (é is 2 bytes in
	// UTF-8, 6 in the raw escape).
	src := &memSource{recs: []scanner.Record{{Source: "x.json", Number: 1, Fields: []scanner.Field{{
		Name: "k", Value: []byte("aéK:42"), Offset: 10,
		Map: scanner.OffsetMap{{Dec: 1, Raw: 1}, {Dec: 3, Raw: 7}, {Dec: 7, Raw: 11}},
	}}}}}
	e := newEngine(t, scanner.Config{}, tagDetector{typ: "tag"})
	var c collect
	if _, err := e.Run(context.Background(), src, &c); err != nil {
		t.Fatal(err)
	}
	if len(c.fs) != 1 || c.fs[0].Offset != 10+9 || c.fs[0].Length != 2 {
		t.Fatalf("findings %+v, want offset 19 length 2", c.fs)
	}
	if c.fs[0].Value != "" {
		t.Fatal("raw value without Reveal")
	}
}

func TestEngineKeepsGoingAfterInputErrors(t *testing.T) {
	src := &memSource{errs: map[int]error{
		1: &scanner.InputError{Source: "bad.csv", Record: 2, Offset: 77, Err: errors.New("unterminated quote")},
		3: errors.New("plain failure"),
	}}
	for i := 1; i <= 4; i++ {
		src.recs = append(src.recs, scanner.Record{Source: "bad.csv", Table: "", Number: int64(i),
			Fields: []scanner.Field{{Name: "c", Value: []byte("K:1")}}})
	}
	e := newEngine(t, scanner.Config{BatchRecords: 1}, tagDetector{typ: "tag"})
	var c collect
	rep, err := e.Run(context.Background(), src, &c)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.fs) != 4 {
		t.Fatalf("%d findings, want 4", len(c.fs))
	}
	if len(rep.Errors) != 2 || rep.Errors[0].Record != 2 || rep.Errors[0].Offset != 77 ||
		!strings.Contains(rep.Errors[0].Message, "bad.csv: record 2: byte offset 77: unterminated quote") ||
		rep.Errors[1].Message != "plain failure" {
		t.Fatalf("errors: %+v", rep.Errors)
	}
	if rep.Sources[0].Errors != 1 {
		t.Fatalf("source errors: %+v", rep.Sources)
	}
}

func TestEngineClassifiesColumns(t *testing.T) {
	src := &memSource{}
	for i := 1; i <= 10; i++ {
		idv, note := fmt.Sprintf("K:%d", i), "无"
		if i <= 2 {
			note = "K:7"
		}
		src.recs = append(src.recs, scanner.Record{Source: "db", Table: "people", Number: int64(i), Fields: []scanner.Field{
			{Name: "id_no", Value: []byte(idv)},
			{Name: "note", Value: []byte(note)},
			{Name: "empty", Value: nil},
			{Name: "enc", Value: []byte([]string{"q3Zx9Lk2PfR8mW1nYt7Bv4Hs6Jd0Ua5C", "plain text"}[min(i/6, 1)])},
		}})
	}
	src.recs = append(src.recs, scanner.Record{Source: "log.txt", Number: 1, Fields: []scanner.Field{{Value: []byte("x K:5")}}})
	e := newEngine(t, scanner.Config{Samples: 3}, tagDetector{typ: pi.IDCard, grade: pi.GradeSensitive})
	rep, err := e.Run(context.Background(), src, &collect{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range rep.Columns {
		got[c.Source+"/"+c.Table+"."+c.Column] = fmt.Sprintf("%s %s %d %d", c.Grade, c.Rule, c.RowsScanned, len(c.Samples))
	}
	want := map[string]string{
		"db/people.id_no": "sensitive cn_id_card>=0.5 10 3",
		"db/people.note":  "none no PI type reached the threshold 10 2",
		"db/people.enc":   "none no findings 10 0",
		"log.txt/.":       "sensitive cn_id_card:any 1 1",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("columns\n got %v\nwant %v", got, want)
	}
	for _, c := range rep.Columns {
		if c.Column == "enc" && c.EncryptedShare != 0.5 {
			t.Fatalf("enc column encrypted share %v, want 0.5", c.EncryptedShare)
		}
	}
	if rep.Threshold != scanner.DefaultThreshold {
		t.Fatalf("report threshold %v", rep.Threshold)
	}
	if len(rep.Tables) != 1 || rep.Tables[0].Grade != pi.GradeSensitive || rep.Tables[0].Rows != 10 ||
		rep.Tables[0].Rule != "column id_no: cn_id_card>=0.5" {
		t.Fatalf("tables: %+v", rep.Tables)
	}
	if rep.Sources[0].Rule != "column people.id_no: cn_id_card>=0.5" || rep.Sources[1].Rule != "cn_id_card:any" {
		t.Fatalf("sources: %+v", rep.Sources)
	}
	for _, c := range rep.Columns {
		for _, s := range c.Samples {
			if !strings.Contains(s, "*") {
				t.Fatalf("unmasked sample %q", s)
			}
		}
	}
}

func TestEngineStopsOnSinkError(t *testing.T) {
	src := &memSource{}
	for i := 1; i <= 100000; i++ {
		src.recs = append(src.recs, scanner.Record{Source: "m", Number: int64(i), Fields: []scanner.Field{{Value: []byte("K:1")}}})
	}
	e := newEngine(t, scanner.Config{BatchRecords: 10}, tagDetector{typ: "tag"})
	boom := errors.New("disk full")
	_, err := e.Run(context.Background(), src, scanner.SinkFunc(func([]scanner.Finding) error { return boom }))
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want disk full", err)
	}
	if src.i == len(src.recs) {
		t.Fatal("engine read the whole input after the sink failed")
	}
}

func TestEngineCancel(t *testing.T) {
	src := &memSource{}
	for i := 1; i <= 100000; i++ {
		src.recs = append(src.recs, scanner.Record{Source: "m", Number: int64(i), Fields: []scanner.Field{{Value: bytes.Repeat([]byte("K:1 "), 10)}}})
	}
	ctx, cancel := context.WithCancel(context.Background())
	e := newEngine(t, scanner.Config{BatchRecords: 10}, tagDetector{typ: "tag"})
	n := 0
	_, err := e.Run(ctx, src, scanner.SinkFunc(func([]scanner.Finding) error {
		if n++; n == 3 {
			cancel()
		}
		return nil
	}))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// TestEngineReportOnly checks that a nil sink (findings counted, never built)
// yields the same report as a sink that receives every finding, on records
// whose layout changes from one record to the next (the worker caches
// columns by field position).
func TestEngineReportOnly(t *testing.T) {
	src := &memSource{}
	layouts := [][]string{{"a", "b"}, {"b", "a"}, {"b"}, {"c", "a", "b"}}
	wantA := map[string]int64{}
	for i := 1; i <= 400; i++ {
		table := []string{"t1", "t2"}[i/6%2]
		var fs []scanner.Field
		for _, name := range layouts[i%len(layouts)] {
			v := "无"
			if name == "a" {
				v = fmt.Sprintf("K:%d K:%d", i, i+1)
				wantA[table]++
			}
			fs = append(fs, scanner.Field{Name: name, Value: []byte(v)})
		}
		src.recs = append(src.recs, scanner.Record{Source: "db", Table: table, Number: int64(i), Fields: fs})
	}
	run := func(sink scanner.Sink) *report.Report {
		src.i = 0
		e := newEngine(t, scanner.Config{Workers: 3, BatchRecords: 7, Samples: 2}, tagDetector{typ: pi.Mobile, grade: pi.GradeOrdinary})
		rep, err := e.Run(context.Background(), src, sink)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Scans) != 1 || len(rep.Scans[0]) != 16 {
			t.Fatalf("scans %q, want one scan ID", rep.Scans)
		}
		rep.Started, rep.Finished, rep.Throughput.Seconds, rep.Scans = time.Time{}, time.Time{}, 0, nil
		return rep
	}
	full, only := run(&collect{}), run(nil)
	if !reflect.DeepEqual(full, only) {
		t.Fatalf("report-only differs:\n full %+v\n only %+v", full, only)
	}
	if n := 2 * (wantA["t1"] + wantA["t2"]); n != 600 || only.Totals.Findings != n || only.Totals.ByType[pi.Mobile] != n || only.Totals.ByGrade["ordinary"] != n {
		t.Fatalf("totals %+v", only.Totals)
	}
	for _, c := range only.Columns {
		want := int64(0)
		if c.Column == "a" {
			want = wantA[c.Table]
		}
		if c.Types[pi.Mobile] != want {
			t.Errorf("%s.%s: %d values with findings, want %d", c.Table, c.Column, c.Types[pi.Mobile], want)
		}
		if c.Findings[pi.Mobile] != 2*want { // two numbers per value
			t.Errorf("%s.%s: %d findings, want %d", c.Table, c.Column, c.Findings[pi.Mobile], 2*want)
		}
	}
	// A source that read t1 past a watermark: the report says so, per table.
	src.i = 0
	e := newEngine(t, scanner.Config{Workers: 2}, tagDetector{typ: pi.Mobile, grade: pi.GradeOrdinary})
	rep, err := e.Run(context.Background(), incSource{src, "t1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range rep.Tables {
		if tb.Incremental != (tb.Table == "t1") {
			t.Errorf("table %s: incremental %v", tb.Table, tb.Incremental)
		}
	}
}

type incSource struct {
	*memSource
	table string
}

func (s incSource) Incremental(source, table string) bool { return table == s.table }
func (s incSource) Close() error                          { return nil }

// TestEngineRawValues: a rewriting sink gets each finding's raw bytes, valid
// during Write, and no masked sample; the report's samples stay masked.
func TestEngineRawValues(t *testing.T) {
	src := &memSource{}
	for i := 1; i <= 50; i++ {
		src.recs = append(src.recs, scanner.Record{Source: "m.txt", Number: int64(i),
			Fields: []scanner.Field{{Value: []byte(fmt.Sprintf("x K:%d y K:%d", 1000+i, 5000+i))}}})
	}
	e := newEngine(t, scanner.Config{RawValues: true, NoCiphertext: true, Samples: 2, BatchRecords: 7}, tagDetector{typ: pi.Mobile, grade: pi.GradeOrdinary})
	var got []string
	rep, err := e.Run(context.Background(), src, scanner.SinkFunc(func(fs []scanner.Finding) error {
		for _, f := range fs {
			if f.Masked != "" || f.Value != "" {
				t.Fatalf("finding with masked %q, value %q", f.Masked, f.Value)
			}
			got = append(got, string(f.Raw)) // copied: Raw is borrowed
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 100 || got[0] != "1001" || got[1] != "5001" || got[99] != "5050" {
		t.Fatalf("raw values %v", got)
	}
	if s := rep.Columns[0].Samples; len(s) != 2 || !strings.Contains(s[0], "*") {
		t.Fatalf("column samples %q", s)
	}
	// NoCiphertext: a column of ciphertext is not measured.
	src = &memSource{recs: []scanner.Record{{Source: "db", Table: "t", Number: 1,
		Fields: []scanner.Field{{Name: "enc", Value: []byte("q3Zx9Lk2PfR8mW1nYt7Bv4Hs6Jd0Ua5C")}}}}}
	for _, skip := range []bool{false, true} {
		src.i = 0
		e := newEngine(t, scanner.Config{NoCiphertext: skip}, tagDetector{typ: pi.Mobile})
		rep, err := e.Run(context.Background(), src, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := rep.Columns[0].EncryptedShare; got != map[bool]float64{false: 1, true: 0}[skip] {
			t.Fatalf("NoCiphertext %v: encrypted share %v", skip, got)
		}
	}
}

// TestEngineMixedLayouts interleaves records whose fields change column,
// table and source every two records (two tables with the same
// column names in swapped positions, a column that appears only sometimes),
// in batches of a few records, and checks every column's counts and every
// finding's field against counts made here from the records themselves.
func TestEngineMixedLayouts(t *testing.T) {
	src := &memSource{}
	type col struct{ source, table, column string }
	rows, typed := map[col]int64{}, map[col]int64{}
	tableRows, srcRecords := map[string]int64{}, map[string]int64{}
	var want []string
	for i := 1; i <= 60; i++ {
		r := scanner.Record{Source: "db", Table: "a", Number: int64(i)}
		names := []string{"x", "y", "z"}
		switch i / 2 % 4 { // runs of two records
		case 1:
			r.Table = "b"
			names = []string{"z", "y", "x"}
		case 2:
			names = []string{"x", "w", "y", "z"}
		case 3:
			r.Source = "other"
		}
		for j, n := range names {
			v := fmt.Sprintf("v%d", i)
			if (i+j)%3 == 0 {
				v = fmt.Sprintf("K:%d", i*10+j)
				typed[col{r.Source, r.Table, n}]++
				want = append(want, fmt.Sprintf("%s %s %d %s.%s 2", r.Source, r.Table, r.Number, r.Table, n))
			}
			rows[col{r.Source, r.Table, n}]++
			r.Fields = append(r.Fields, scanner.Field{Name: n, Comment: "c" + n, Value: []byte(v)})
		}
		tableRows[r.Source+"/"+r.Table]++
		srcRecords[r.Source]++
		src.recs = append(src.recs, r)
	}
	e := newEngine(t, scanner.Config{BatchRecords: 3, Workers: 2}, tagDetector{typ: pi.IDCard, grade: pi.GradeSensitive})
	var c collect
	rep, err := e.Run(context.Background(), src, &c)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range c.fs {
		got = append(got, fmt.Sprintf("%s %s %d %s.%s %d", f.Source, f.Table, f.Record, f.Table, f.Field, f.Offset))
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("findings\n got %v\nwant %v", got, want)
	}
	if len(rep.Columns) != len(rows) {
		t.Fatalf("%d columns, want %d", len(rep.Columns), len(rows))
	}
	gotTables, gotSources := map[string]int64{}, map[string]int64{}
	for _, tb := range rep.Tables {
		gotTables[tb.Source+"/"+tb.Table] = tb.Rows
	}
	for _, sr := range rep.Sources {
		gotSources[sr.Name] = sr.Records
	}
	if !reflect.DeepEqual(gotTables, tableRows) || !reflect.DeepEqual(gotSources, srcRecords) {
		t.Errorf("table rows %v, want %v; source records %v, want %v", gotTables, tableRows, gotSources, srcRecords)
	}
	for _, rc := range rep.Columns {
		k := col{rc.Source, rc.Table, rc.Column}
		if rc.RowsScanned != rows[k] || rc.Types[pi.IDCard] != typed[k] || rc.Comment != "c"+rc.Column {
			t.Errorf("column %v: rows %d types %v comment %q, want rows %d, %d of %s", k, rc.RowsScanned, rc.Types, rc.Comment, rows[k], typed[k], pi.IDCard)
		}
	}
}

// blockSource hands out records in blocks (scanner.BlockSource), and errors
// between them. Release overwrites a block's values, so an engine that
// scanned a block after releasing it would find other values.
type blockSource struct {
	items    []any // *scanner.Block or error
	i        int
	released atomic.Int32 // Release may be called from any goroutine
	fail     func()       // if set, called by NextBlock after the first block
}

func (s *blockSource) Next(*scanner.Record) error { panic("Next called on a BlockSource") }
func (s *blockSource) Close() error               { return nil }

func (s *blockSource) NextBlock() (*scanner.Block, error) {
	if s.i >= len(s.items) {
		return nil, io.EOF
	}
	if s.i == 1 && s.fail != nil {
		s.fail()
	}
	it := s.items[s.i]
	s.i++
	if err, ok := it.(error); ok {
		return nil, err
	}
	b := *it.(*scanner.Block)
	b.Values = bytes.Clone(b.Values)
	b.Release = func() {
		for i := range b.Values {
			b.Values[i] = 'X'
		}
		s.released.Add(1)
	}
	return &b, nil
}

// blockTable builds the same input twice: as blocks of a blockSource and as
// records of a memSource, the way dbscan.Reader gives them through Next (a
// field per non-empty value, none for NULL).
func blockTable() (*blockSource, *memSource) { return tableBlocks(false) }

// streamTable is blockTable for rows of a stream (CSV-like): the blocks
// are InStream, so fields have the stream's offsets, and number their rows
// by Numbers, which skip numbers.
func streamTable() (*blockSource, *memSource) { return tableBlocks(true) }

// rowBytesTable is blockTable whose blocks give their rows' value bytes
// (Block.RowBytes), which the engine then takes instead of adding up spans.
func rowBytesTable() (*blockSource, *memSource) {
	bs, ms := tableBlocks(false)
	for _, it := range bs.items {
		blk, ok := it.(*scanner.Block)
		if !ok {
			continue
		}
		n := len(blk.Columns)
		blk.RowBytes = []int{}
		for i := range blk.Rows {
			k := 0
			for _, sp := range blk.Spans[i*n : i*n+n] {
				if sp.Off >= 0 {
					k += sp.End - sp.Off
				}
			}
			blk.RowBytes = append(blk.RowBytes, k)
		}
	}
	return bs, ms
}

func tableBlocks(stream bool) (*blockSource, *memSource) {
	bs, ms := &blockSource{}, &memSource{errs: map[int]error{}}
	cols := []scanner.BlockColumn{{Name: "id"}, {Name: "id_no", Comment: "证件"}, {Name: "note"}}
	num, base := map[string]int64{}, map[string]int64{}
	for k, rows := range []int{5, 0, 1, 7, 3, 8} {
		source, table := "db/t1", "t1"
		if k >= 4 {
			source, table = "db/t2", "t2"
		}
		if k == 2 || k == 5 {
			err := &scanner.InputError{Source: source, Offset: -1, Err: fmt.Errorf("read stopped %d", k)}
			bs.items = append(bs.items, err)
			ms.errs[len(ms.recs)] = err
		}
		blk := &scanner.Block{Source: source, Table: table, First: num[source] + 1, Rows: rows, Columns: cols, InStream: stream, Base: base[source]}
		for i := range rows {
			n := num[source] + int64(i) + 1
			r := scanner.Record{Source: source, Table: table, Number: n}
			if stream {
				r.Number = 3 * n
				blk.Numbers = append(blk.Numbers, r.Number)
				blk.Values = append(blk.Values, ",\n"...)
			}
			for j, c := range cols {
				v := []string{fmt.Sprint(n), fmt.Sprintf("K:%d K:%d", n, k), "无"}[j]
				if (int(n)+j)%4 == 3 {
					v = "" // NULL or empty: no field
				}
				sp := scanner.Span{Off: len(blk.Values), End: len(blk.Values) + len(v)}
				if v == "" && j == 0 {
					sp = scanner.Span{Off: -1, End: -1}
				}
				blk.Values = append(blk.Values, v...)
				blk.Spans = append(blk.Spans, sp)
				if v != "" {
					f := scanner.Field{Name: c.Name, Comment: c.Comment, Value: []byte(v)}
					if stream {
						f.Offset = base[source] + int64(sp.Off)
					}
					r.Fields = append(r.Fields, f)
				}
			}
			ms.recs = append(ms.recs, r)
		}
		num[source] += int64(rows)
		base[source] += int64(len(blk.Values))
		bs.items = append(bs.items, blk)
	}
	return bs, ms
}

// lineBlocks is blockTable for numbered lines of a text stream (one
// unnamed column, InStream, Numbers; the batches take such blocks' lines
// as they are, batch.lines): line numbers skip the empty lines a reader
// does not emit, a span may still be empty (a record without a field),
// and offsets are the stream's.
func lineBlocks() (*blockSource, *memSource) {
	bs, ms := &blockSource{}, &memSource{errs: map[int]error{}}
	var line, base int64
	for k, rows := range []int{5, 0, 1, 7, 3, 8} {
		if k == 2 || k == 5 {
			err := &scanner.InputError{Source: "app.log", Offset: base, Err: fmt.Errorf("read stopped %d", k)}
			bs.items = append(bs.items, err)
			ms.errs[len(ms.recs)] = err
		}
		blk := &scanner.Block{Source: "app.log", Rows: rows, Columns: []scanner.BlockColumn{{}}, InStream: true, Base: base}
		for i := range rows {
			line += 1 + int64(i%3) // empty lines between
			v := fmt.Sprintf("line %d K:%d K:%d", line, line, k)
			if i == 4 {
				v = ""
			}
			blk.Values = append(blk.Values, "\n\n"...)
			sp := scanner.Span{Off: len(blk.Values), End: len(blk.Values) + len(v)}
			blk.Values = append(blk.Values, v...)
			blk.Spans = append(blk.Spans, sp)
			blk.Numbers = append(blk.Numbers, line)
			r := scanner.Record{Source: "app.log", Number: line}
			if v != "" {
				r.Fields = []scanner.Field{{Value: []byte(v), Offset: base + int64(sp.Off)}}
			}
			ms.recs = append(ms.recs, r)
		}
		base += int64(len(blk.Values))
		bs.items = append(bs.items, blk)
	}
	return bs, ms
}

// TestEngineBlocks: a BlockSource gives the same findings and report as the
// same records through Next, in batches that split blocks and hold rows of
// one block at most, and every block is released once, before Run returns.
func TestEngineBlocks(t *testing.T) {
	for _, input := range []struct {
		name  string
		build func() (*blockSource, *memSource)
	}{{"table", blockTable}, {"stream table", streamTable}, {"lines", lineBlocks}, {"table, row bytes", rowBytesTable}} {
		t.Run(input.name, func(t *testing.T) { testEngineBlocks(t, input.build) })
	}
}

func testEngineBlocks(t *testing.T, build func() (*blockSource, *memSource)) {
	for _, bb := range []int{0, 12} { // 12 bytes: batches cut by bytes every row or two
		for _, br := range []int{1, 2, 3, 4096} {
			for _, reportOnly := range []bool{false, true} {
				bs, ms := build()
				run := func(src scanner.Source) ([]scanner.Finding, *report.Report) {
					e := newEngine(t, scanner.Config{BatchRecords: br, BatchBytes: bb, Workers: 2, Samples: 2, Now: func() time.Time { return time.Unix(0, 0) }},
						tagDetector{typ: pi.IDCard, grade: pi.GradeSensitive})
					var c *collect
					var sink scanner.Sink
					if !reportOnly {
						c = &collect{}
						sink = c
					}
					rep, err := e.Run(context.Background(), src, sink)
					if err != nil {
						t.Fatal(err)
					}
					rep.Scans, rep.Throughput.Seconds = nil, 0
					if c == nil {
						return nil, rep
					}
					return c.fs, rep
				}
				gotF, gotR := run(bs)
				wantF, wantR := run(ms)
				if !reflect.DeepEqual(gotF, wantF) {
					t.Errorf("batch %d: findings\n got %+v\nwant %+v", br, gotF, wantF)
				}
				if !reflect.DeepEqual(gotR, wantR) {
					t.Errorf("batch %d: report\n got %+v\nwant %+v", br, gotR, wantR)
				}
				if wantR.Totals.Findings == 0 || len(wantR.Errors) != 2 {
					t.Fatalf("test input: %d findings, errors %v", wantR.Totals.Findings, wantR.Errors)
				}
				if n := int(bs.released.Load()); n != len(bs.items)-2 {
					t.Errorf("batch %d: %d of %d blocks released", br, n, len(bs.items)-2)
				}
			}
		}
	}
}

// TestEngineBlocksReleasedOnCancel: blocks handed out before a scan stops
// are released by the time Run returns.
func TestEngineBlocksReleasedOnCancel(t *testing.T) {
	bs, _ := blockTable()
	ctx, cancel := context.WithCancel(context.Background())
	bs.fail = cancel
	e := newEngine(t, scanner.Config{BatchRecords: 2}, tagDetector{typ: pi.IDCard, grade: pi.GradeSensitive})
	_, err := e.Run(ctx, bs, &collect{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := bs.released.Load(); bs.i != 2 || n != 2 {
		t.Fatalf("%d blocks handed out, %d released", bs.i, n)
	}
}

// TestEngineSamplesSurviveLaterBatches keeps every finding of scans that
// span many batches and chunks of sample memory, and checks each finding's
// masked sample against masking.Sample of its value after the scan: a
// sample cut from memory that a later batch rewrites would show up here.
func TestEngineSamplesSurviveLaterBatches(t *testing.T) {
	src := &memSource{}
	values := map[int64][]byte{}
	for i := int64(1); i <= 3000; i++ {
		n := 1 + int(i%40)
		if i%500 == 0 {
			n = 20000 // longer than a chunk of sample memory
		}
		v := []byte("K:" + strings.Repeat(fmt.Sprint(i%10), n))
		values[i] = v
		src.recs = append(src.recs, scanner.Record{Source: "s", Number: i, Fields: []scanner.Field{{Name: "f", Value: v}}})
	}
	for _, c := range []struct {
		name             string
		workers, records int
	}{
		{"one worker, small batches", 1, 7},
		{"three workers, small batches", 3, 5},
		{"two workers, default batches", 2, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			src.i = 0
			e := newEngine(t, scanner.Config{Workers: c.workers, BatchRecords: c.records},
				tagDetector{typ: pi.IDCard, grade: pi.GradeSensitive}, tagDetector{typ: pi.Name, grade: pi.GradeSensitive})
			var got collect
			rep, err := e.Run(context.Background(), src, &got)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.fs) != 2*len(values) {
				t.Fatalf("%d findings, want %d", len(got.fs), 2*len(values))
			}
			for _, f := range got.fs {
				v := values[f.Record][f.Offset : f.Offset+f.Length]
				if want := masking.Sample(f.Type, v); f.Masked != want {
					t.Fatalf("record %d %s: masked %.40q, want %.40q", f.Record, f.Type, f.Masked, want)
				}
			}
			// A column keeps the samples of its first findings.
			if len(rep.Columns) != 1 || len(rep.Columns[0].Samples) != 5 {
				t.Fatalf("columns %+v, want one with 5 samples", rep.Columns)
			}
			for i, s := range rep.Columns[0].Samples {
				if s != got.fs[i].Masked {
					t.Errorf("column sample %d = %q, want %q", i, s, got.fs[i].Masked)
				}
			}
		})
	}
}

// TestEngineSampleAllocations: findings' samples are cut from shared chunks,
// not allocated one by one (a scan of 8,000 findings allocated over 8,000
// times besides the source's when each sample was its own string).
func TestEngineSampleAllocations(t *testing.T) {
	src := &memSource{}
	for i := int64(1); i <= 2000; i++ {
		v := []byte(fmt.Sprintf("K:%d K:%d", 13800000000+i, 4331271985031201+i))
		src.recs = append(src.recs, scanner.Record{Source: "s", Number: i, Fields: []scanner.Field{{Name: "f", Value: v}}})
	}
	e := newEngine(t, scanner.Config{Workers: 1, NoCiphertext: true},
		tagDetector{typ: pi.IDCard, grade: pi.GradeSensitive}, tagDetector{typ: pi.Mobile, grade: pi.GradeOrdinary})
	var n int
	sink := scanner.SinkFunc(func(fs []scanner.Finding) error { n += len(fs); return nil })
	allocs := testing.AllocsPerRun(3, func() {
		src.i, n = 0, 0
		if _, err := e.Run(context.Background(), src, sink); err != nil {
			t.Fatal(err)
		}
	})
	// memSource allocates a copy of each field; the engine's own
	// allocations are per batch and column, under one per 8 findings.
	if own := allocs - float64(len(src.recs)); n != 8000 || own > float64(n)/8 {
		t.Errorf("%d findings, %.0f allocations per scan besides the source's, want at most %d", n, own, n/8)
	}
}

// TestEngineSourceOrderWithErrors checks the report's per-source sums and
// the order sources are listed in (first seen, in a record or in an input
// error) wherever batches happen to end: the collector merges a batch's
// records per run of one source and table, and must still place each
// error among them in record order.
func TestEngineSourceOrderWithErrors(t *testing.T) {
	inErr := func(source string) error {
		return &scanner.InputError{Source: source, Offset: -1, Err: errors.New("bad")}
	}
	rec := func(source, table string, n int64, v string) scanner.Record {
		return scanner.Record{Source: source, Table: table, Number: n, Fields: []scanner.Field{{Name: "c", Value: []byte(v)}}}
	}
	type srcWant struct {
		name                    string
		records, findings, errs int64
	}
	for _, batch := range []int{1, 2, 3, 0} {
		t.Run(fmt.Sprintf("batch%d", batch), func(t *testing.T) {
			src := &memSource{
				recs: []scanner.Record{
					rec("a", "t", 1, "K:1"), rec("a", "t", 2, "x"), rec("b", "", 1, "K:2 K:3"),
					rec("b", "", 2, "y"), rec("a", "u", 3, "K:4"), rec("a", "t", 4, "z"),
				},
				errs: map[int]error{0: inErr("e0"), 2: inErr("e2"), 3: inErr("b"), 6: inErr("z")},
			}
			e := newEngine(t, scanner.Config{BatchRecords: batch}, tagDetector{typ: "tag"})
			rep, err := e.Run(context.Background(), src, nil)
			if err != nil {
				t.Fatal(err)
			}
			want := []srcWant{{"e0", 0, 0, 1}, {"a", 4, 2, 0}, {"e2", 0, 0, 1}, {"b", 2, 2, 1}, {"z", 0, 0, 1}}
			var got []srcWant
			for _, s := range rep.Sources {
				got = append(got, srcWant{s.Name, s.Records, s.Findings, int64(s.Errors)})
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("sources %+v, want %+v", got, want)
			}
			var errs []string
			for _, ie := range rep.Errors {
				errs = append(errs, ie.Source)
			}
			if want := []string{"e0", "e2", "b", "z"}; !reflect.DeepEqual(errs, want) {
				t.Errorf("errors from %v, want %v", errs, want)
			}
			tables := map[string]int64{}
			for _, tb := range rep.Tables {
				tables[tb.Source+"."+tb.Table] = tb.Rows
			}
			if want := map[string]int64{"a.t": 3, "a.u": 1}; !reflect.DeepEqual(tables, want) {
				t.Errorf("table rows %v, want %v", tables, want)
			}
			if rep.Throughput.Records != 6 || rep.Totals.Findings != 4 {
				t.Errorf("records %d, findings %d; want 6, 4", rep.Throughput.Records, rep.Totals.Findings)
			}
		})
	}
}

// neederDetector is tagDetector promising to need a letter, so that a
// detectors.Column computes the classes of short values (ScanClasses).
type neederDetector struct{ tagDetector }

func (neederDetector) Needs(*pi.Field) pi.Classes { return pi.ClassLetter }

// TestEngineEncryptedDigitShortcut compares each column's encrypted share
// with report.LooksEncrypted of its one value, for records and for rows of
// a block: the engine skips LooksEncrypted for values Column.ScanClasses
// found all digits, which must change no share.
func TestEngineEncryptedDigitShortcut(t *testing.T) {
	vals := []string{"q8Xz3N0vYp1kR7LmW2aT9g==", "3f7a9c0e5b2d4f6a8c1e3b5d7f9a0c2e", "ENC(q8Xz3N0vYp1kR7LmW2aT9g==)",
		"v1:q3Zx9Lk2PfR8mW1nYt7Bv4Hs6Jd0Ua5C", "q3Zx9Lk2PfR8mW1nYt7Bv4Hs6Jd0Ua5C", "11010519491231002X", "身份证 110105194912310021",
		"1234567890123456 ", "Q8XZ3N0VYP1KR7LMW2AT9G==", "q8xz3n0vyp1kr7lmw2at9g1234"}
	for n := 1; n <= 40; n++ { // digits only, around classesMax
		vals = append(vals, strings.Repeat("8142957360", 4)[:n])
	}
	src, bs := &memSource{}, &blockSource{}
	rec := scanner.Record{Source: "db", Table: "t", Number: 1}
	blk := &scanner.Block{Source: "db", Table: "t", First: 1, Rows: 1}
	for i, v := range vals {
		name := fmt.Sprintf("c%02d", i)
		rec.Fields = append(rec.Fields, scanner.Field{Name: name, Value: []byte(v)})
		blk.Columns = append(blk.Columns, scanner.BlockColumn{Name: name})
		blk.Spans = append(blk.Spans, scanner.Span{Off: len(blk.Values), End: len(blk.Values) + len(v)})
		blk.Values = append(blk.Values, v...)
	}
	src.recs = []scanner.Record{rec}
	bs.items = []any{blk}
	for _, in := range []scanner.Source{src, bs} {
		e := newEngine(t, scanner.Config{}, neederDetector{tagDetector{typ: pi.IDCard, grade: pi.GradeSensitive}})
		rep, err := e.Run(context.Background(), in, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Columns) != len(vals) {
			t.Fatalf("%T: %d columns, want %d", in, len(rep.Columns), len(vals))
		}
		for _, c := range rep.Columns {
			var i int
			fmt.Sscanf(c.Column, "c%d", &i)
			want := 0.0
			if report.LooksEncrypted([]byte(vals[i])) {
				want = 1
			}
			if c.EncryptedShare != want {
				t.Errorf("%T: %q: encrypted share %v, want %v", in, vals[i], c.EncryptedShare, want)
			}
		}
	}
}
