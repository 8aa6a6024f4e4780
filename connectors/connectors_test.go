package connectors

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestFixtures(t *testing.T) {
	type want struct {
		number int64
		table  string
		field  string // name
		value  string
	}
	tests := []struct {
		path    string
		format  string
		gb      bool
		records int
		errs    []string // substrings, in order
		want    []want   // spot checks
	}{
		{path: "app.log", format: FormatText, records: 4, want: []want{
			{1, "", "", "2024-05-01 10:00:01 INFO user login phone=13800138000 ip=192.168.1.20"},
			{5, "", "", "last line without newline 手机：13912345678"},
		}},
		{path: "app_noext.bin", format: FormatText, records: 4}, // zstd found by magic
		{path: "app.log.gz", format: FormatText, records: 2000, want: []want{
			{2000, "", "", "2024-05-01 10:00:19 INFO order=901999 user=1999 phone=13800131999 地址=北京市海淀区中关村大街1999号"},
		}},
		{path: "multi.log.gz", format: FormatText, records: 2, want: []want{{2, "", "", "member two 张三 13900001111"}}},
		{path: "truncated.log.gz", format: FormatText, records: 976,
			errs: []string{"truncated.log.gz: byte offset 109085: input ends early (decompressed bytes read: 109085): unexpected EOF"}},
		{path: "truncated.log.zst", format: FormatText, records: -1,
			errs: []string{"truncated.log.zst: byte offset "}},
		{path: "bad_utf8.txt", format: FormatText, records: 3, errs: []string{"bad_utf8.txt: byte offset 26: invalid UTF-8"},
			want: []want{{2, "", "", "bad \xff\xfe bytes 13900001111"}}},
		{path: "people.csv", format: FormatCSV, records: 4, want: []want{
			{1, "", "address, full", `北京市朝阳区 "望京" 1号`},
			{2, "", "address, full", "上海市\n浦东新区"},
			{3, "", "phone", "+86 137-0000-1111"},
			{3, "", "note", "multi\r\nline \"quoted\" note"},
			{4, "", "name", "赵六"},
		}},
		{path: "people_gb18030.csv", format: FormatCSV, gb: true, records: 4, want: []want{
			{1, "", "address, full", `北京市朝阳区 "望京" 1号`},
			{2, "", "address, full", "上海市\n浦东新区"},
		}},
		{path: "people.tsv", format: FormatTSV, records: 2, want: []want{{2, "", "邮箱", "ls@example.cn"}}},
		{path: "bad_quote.csv", format: FormatCSV, records: 7, errs: []string{
			"bad_quote.csv: record 2: byte offset 37: line 3: unterminated quoted field",
			"bad_quote.csv: record 4: byte offset 100: line 5: unexpected byte after closing quote",
			"bad_quote.csv: record 6: byte offset 123: line 7: wrong number of fields: 2, header has 3",
		}, want: []want{{3, "", "name", "王五"}, {6, "", "name", "孙八"}, {7, "", "phone", "13300001111"},
			// rows that fail to parse are scanned as text
			{2, "", UnparsedField, "2,\"李四,13900001111\n"}, {4, "", UnparsedField, "4,赵六,\"13600001111\"x\n"}}},
		{path: "events.jsonl", format: FormatJSONL, records: 4,
			errs: []string{"events.jsonl: record 3: byte offset 262: line 3: invalid JSON"},
			want: []want{
				{1, "", "user.phones[1]", "+86 139 0000 1111"},
				{1, "", "note", "line1\nline2 张三 😀 end"},
				{2, "", "user.name", `李"四"`},
				{2, "", "score", "-1.5e3"},
				{5, "", "ip", "10.0.0.1"},
				{3, "", UnparsedField, `{"id":3, "broken": [1,2,`},
			}},
		// Keys that are data are leaves named {key}, and * in paths below
		// them: field names are printed and must not hold PI.
		{path: "data_keys.jsonl", format: FormatJSONL, records: 2, want: []want{
			{1, "", "contacts.{key}", "13812345678"},
			{1, "", "contacts.*.name", "张三"},
			{1, "", "contacts.*", "VIP"},
			{1, "", "contacts.v1", "ok"},
			{1, "", "{key}", "order_20240501"},
			{1, "", "*", "x"},
			{2, "", "by_id.{key}", "110105199001011237"},
			{2, "", "by_id.*[1]", "a"},
		}},
		{path: "events.jsonl.zst", format: FormatJSONL, records: 4, errs: []string{"line 3: invalid JSON"}},
		{path: "people.json", format: FormatJSON, records: 2, want: []want{
			{1, "", "addr.lines[1]", "望京 1号"},
			{2, "", "mobile", "13800138000"},
			{2, "", "nested[0][1]", "a\tb"},
			{2, "", "nested[1].k", "李"},
		}},
		// GB18030 with 0x5C trail bytes (乗 is 0x81 0x5C), which are not backslashes
		{path: "events_gb18030.jsonl", format: FormatJSONL, gb: true, records: 2, want: []want{
			{1, "", "name", "张三乗俓"},
			{1, "", "note", `路径 C:\乗俓\x "引号" 李`},
			{1, "", "phone", "13800138000"},
			{2, "", "list[0]", "僜"},
		}},
		{path: "dump_gb18030.sql", format: FormatSQL, gb: true, records: 2, want: []want{
			{1, "客户", "姓名", "乗俓张三"},
			{1, "客户", "备注", `路径 C:\乗俓 '引号' 刓`},
			{2, "客户", "姓名", "李四匼"},
		}},
		{path: "dump.sql", format: FormatSQL, records: 7, want: []want{
			{1, "customers", "note", "O'Brien said \"hi\"\n第二行"},
			{2, "customers", "note", `it's; (tricky), \ path`},
			{3, "customers", "phone", "+86 139 0000 1111"},
			{4, "customers", "note", "bin\x00data"},
			{4, "customers", "balance", "1e3"},
			{1, "orders", "email", "a@example.com"},
			{1, "orders", "oid", "100"},
			{1, "unknown_t", "#1", "x@example.com"},
		}},
		// What follows a statement's tuples is text that can hold values:
		// scanned (and masked), not skipped.
		{path: "tails.sql", format: FormatSQL, records: 6, want: []want{
			{1, "u", "#2", "13812345678"},
			{1, "", "", " (8,'13712345678');\n"},
			{2, "", "", " ON DUPLICATE KEY UPDATE phone='13712345678';\n"},
			{3, "", "", " RETURNING '13512345678';\n"},
		}},
		{path: "bad.sql", format: FormatSQL, records: 5, errs: []string{
			"bad.sql: byte offset 99: line 3: malformed SQL statement",
			"bad.sql: byte offset 206: line 5: malformed SQL statement",
		}, want: []want{{2, "t", "b", "13700001111"}, {3, "t", "a", "ok3"},
			{3, "", UnparsedField, "('bad1' '13900001111'),('never','x');\n"}, {5, "", UnparsedField, "('unterminated,'13600001111');\n"}}},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			path := filepath.Join("testdata", tc.path)
			recs, errs := openAll(t, []string{path}, Options{})
			if tc.records < 0 { // some: a truncated stream yields what decodes
				if len(recs) == 0 {
					t.Error("no records before the truncation")
				}
			} else if len(recs) != tc.records {
				t.Errorf("%d records, want %d", len(recs), tc.records)
			}
			if len(errs) != len(tc.errs) {
				t.Errorf("errors %v, want %d", errs, len(tc.errs))
			}
			for i := range min(len(errs), len(tc.errs)) {
				if !strings.Contains(errs[i].Error(), tc.errs[i]) {
					t.Errorf("error %d = %q, want it to contain %q", i, errs[i], tc.errs[i])
				}
			}
			for _, w := range tc.want {
				found := false
				for _, r := range recs {
					if r.Number != w.number || r.Table != w.table {
						continue
					}
					if f, ok := r.field(w.field); ok {
						found = true
						if f.Value != w.value {
							t.Errorf("#%d %s.%s = %q, want %q", w.number, w.table, w.field, f.Value, w.value)
						}
					}
				}
				if !found {
					t.Errorf("no field %s.%s in record %d", w.table, w.field, w.number)
				}
			}
			for _, r := range recs {
				if r.Source != path {
					t.Fatalf("Source = %q, want %q", r.Source, path)
				}
			}
			checkOffsets(t, decompressed(t, path), recs, tc.format, tc.gb)
		})
	}
}

func TestSQLComments(t *testing.T) {
	recs, errs := openAll(t, []string{"testdata/dump.sql"}, Options{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	f, _ := recs[0].field("phone")
	if f.Comment != "mobile; it's 11 digits" {
		t.Errorf("phone comment = %q", f.Comment)
	}
	f, _ = recs[0].field("id_no")
	if f.Comment != "身份证号" {
		t.Errorf("id_no comment = %q", f.Comment)
	}
	if _, ok := recs[1].field("phone"); ok {
		t.Error("NULL became a field")
	}
}

func TestBOM(t *testing.T) {
	src, err := Open([]string{"-"}, Options{Stdin: strings.NewReader("\xEF\xBB\xBFa,b\n1,2\n")})
	if err != nil {
		t.Fatal(err)
	}
	recs, errs := readAll(t, src)
	if len(errs) > 0 || len(recs) != 2 {
		t.Fatalf("recs %v errs %v", recs, errs)
	}
	// "-" is sniffed as text: the BOM is skipped but still counted
	if recs[0].Fields[0].Offset != 3 || recs[0].Fields[0].Value != "a,b" {
		t.Errorf("first field %+v", recs[0].Fields[0])
	}
	recs, _ = openAll(t, []string{"-"}, Options{Format: FormatCSV, Stdin: strings.NewReader("\xEF\xBB\xBFa,b\n1,2\n")})
	if f, ok := recs[0].field("b"); !ok || f.Offset != 9 || f.Value != "2" {
		t.Errorf("csv after BOM: %+v", recs)
	}
}

func TestEncodingOverride(t *testing.T) {
	// GBK bytes of 张三 read as UTF-8 on request: passed through, reported once
	gbk := []byte("name\n\xd5\xc5\xc8\xfd\n")
	recs, errs := openAll(t, []string{"-"}, Options{Encoding: "utf-8", Stdin: bytes.NewReader(gbk)})
	if len(recs) != 2 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "byte offset 5: invalid UTF-8") {
		t.Fatalf("recs %v errs %v", recs, errs)
	}
	recs, errs = openAll(t, []string{"-"}, Options{Stdin: bytes.NewReader(gbk)})
	if len(errs) != 0 || recs[1].Fields[0].Value != "张三" {
		t.Fatalf("auto: recs %v errs %v", recs, errs)
	}
}

func TestWalk(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, s string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("b.log", "b\n")
	write("a.txt", "a\n")
	write("sub/c.csv", "x\nc\n")
	write("sub/skip.tmp", "tmp\n")
	write("vendor/v.log", "v\n")
	if err := os.Symlink(dir, filepath.Join(dir, "sub", "loop")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "vendor"), filepath.Join(dir, "linked")); err != nil {
		t.Fatal(err)
	}
	src, err := Open([]string{dir + "/", "testdata/people.tsv"}, Options{Exclude: []string{"*.tmp", "vendor"}})
	if err != nil {
		t.Fatal(err)
	}
	names := src.Names()
	want := []string{dir + "/a.txt", dir + "/b.log", dir + "/linked/v.log", dir + "/sub/c.csv", "testdata/people.tsv"}
	if fmt.Sprint(names) != fmt.Sprint(want) {
		t.Fatalf("walk order\n got %v\nwant %v", names, want)
	}
	recs, errs := readAll(t, src)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var got []string
	for _, r := range recs {
		got = append(got, r.Source+":"+r.Fields[0].Value)
	}
	if fmt.Sprint(got) != fmt.Sprint([]string{dir + "/a.txt:a", dir + "/b.log:b", dir + "/linked/v.log:v", dir + "/sub/c.csv:c",
		"testdata/people.tsv:张三", "testdata/people.tsv:李四"}) {
		t.Errorf("records %v", got)
	}

	src, err = Open([]string{dir}, Options{Include: []string{"sub/*.csv", "b.*"}})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(src.Names()) != fmt.Sprint([]string{dir + "/b.log", dir + "/sub/c.csv"}) {
		t.Errorf("include: %v", src.Names())
	}
	src.Close()

	if _, err := Open([]string{filepath.Join(dir, "missing")}, Options{}); err == nil {
		t.Error("missing path accepted")
	}
	if _, err := Open([]string{dir}, Options{Format: "xml"}); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestBytesRead(t *testing.T) {
	src, err := Open([]string{"testdata/app.log.gz", "testdata/app.log"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	readAll(t, src)
	a, _ := os.Stat("testdata/app.log.gz")
	b, _ := os.Stat("testdata/app.log")
	if got := src.BytesRead(); got != a.Size()+b.Size() {
		t.Errorf("BytesRead = %d, want %d", got, a.Size()+b.Size())
	}
}

// TestBinaryNotRead: a binary file is not read as text, and says so.
func TestBinaryNotRead(t *testing.T) {
	recs, errs := openAll(t, []string{"-"}, Options{Stdin: bytes.NewReader([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR 13800138000"))})
	if len(recs) != 0 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "byte offset 8: binary data") {
		t.Errorf("binary input read: %v %v", recs, errs)
	}
}

func TestFormatOf(t *testing.T) {
	for _, tc := range []struct{ name, head, want string }{
		{"a.CSV", "", FormatCSV},
		{"a.tsv.gz", "", FormatTSV},
		{"dir/x.ndjson.zst", "", FormatJSONL},
		{"x.json", "", FormatJSON},
		{"dump.sql.gz", "", FormatSQL},
		{"-", "-- MySQL dump 10.13\n", FormatSQL},
		{"-", "  INSERT INTO t VALUES (1);", FormatSQL},
		{"-", "\n{\"a\":1}", FormatJSONL},
		{"-", "[{\"a\":1}]", FormatJSON},
		{"x.dat", "hello", FormatText},
	} {
		if got := formatOf(tc.name, []byte(tc.head)); got != tc.want {
			t.Errorf("formatOf(%q, %q) = %s, want %s", tc.name, tc.head, got, tc.want)
		}
	}
}

func TestJSONDocumentSniffedAsLines(t *testing.T) {
	// a pretty-printed object without a .json name starts with '{': read as a document
	in := "{\n  \"user\": {\"phone\": \"13800138000\"},\n  \"n\": 1\n}\n{\"second\": \"x\"}\n"
	recs, errs := openAll(t, []string{"-"}, Options{Stdin: strings.NewReader(in)})
	if len(errs) != 0 || len(recs) != 2 {
		t.Fatalf("recs %v errs %v", recs, errs)
	}
	if f, _ := recs[0].field("user.phone"); f.Value != "13800138000" {
		t.Errorf("recs %v", recs)
	}
	checkOffsets(t, []byte(in), recs, FormatJSON, false)
}

func TestTooLongRecords(t *testing.T) {
	long := strings.Repeat("x", 300)
	in := "a,b\n1,\"" + long + "\"\n2,ok\n"
	recs, errs := openAll(t, []string{"-"}, Options{Format: FormatCSV, MaxRecordBytes: 100, Stdin: strings.NewReader(in)})
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "longer than the maximum") || len(recs) != 1 || recs[0].Number != 2 {
		t.Errorf("csv: recs %v errs %v", recs, errs)
	}
	in = "{\"a\":\"" + long + "\"}\n{\"a\":\"ok\"}\n"
	recs, errs = openAll(t, []string{"-"}, Options{Format: FormatJSONL, MaxRecordBytes: 100, Stdin: strings.NewReader(in)})
	if len(errs) != 1 || len(recs) != 1 || recs[0].Number != 2 {
		t.Errorf("json: recs %v errs %v", recs, errs)
	}
	in = "INSERT INTO t VALUES ('" + long + "'),('y');\nINSERT INTO t VALUES ('ok');\n"
	recs, errs = openAll(t, []string{"-"}, Options{Format: FormatSQL, MaxRecordBytes: 100, Stdin: strings.NewReader(in)})
	if len(errs) != 1 || len(recs) != 2 || recs[0].Fields[0].Value != "y" || recs[1].Fields[0].Value != "ok" {
		t.Errorf("sql: recs %v errs %v", recs, errs)
	}

	// records longer than the read buffer itself (1 MiB) stream past it
	huge := strings.Repeat("y", 3<<20)
	for _, tc := range []struct{ format, in, value string }{
		{FormatCSV, "a,b\n1,\"" + huge + "\"\n2,ok\n", "ok"},
		{FormatCSV, "a,b\n1," + huge + "\n2,ok\n", "ok"},
		{FormatJSONL, "{\"a\":\"" + huge + "\"}\n{\"a\":\"ok\"}\n", "ok"},
		{FormatSQL, "INSERT INTO t VALUES ('" + huge + "'," + huge + ");\nINSERT INTO t VALUES ('ok');\n", "ok"},
	} {
		recs, errs = openAll(t, []string{"-"}, Options{Format: tc.format, MaxRecordBytes: 1000, Stdin: strings.NewReader(tc.in)})
		if len(errs) != 1 || len(recs) != 1 || recs[0].Fields[len(recs[0].Fields)-1].Value != tc.value {
			t.Errorf("%s: %d recs, errs %v", tc.format, len(recs), errs)
		}
	}
}

// TestBytesReadConcurrent: the engine asks for progress from another
// goroutine while the source reads (run with -race).
func TestBytesReadConcurrent(t *testing.T) {
	src, err := Open([]string{"testdata/app.log.gz", "testdata/people.csv", "testdata/dump.sql", "testdata/events.jsonl.zst"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	done := make(chan int64)
	go func() {
		var last int64
		for {
			select {
			case <-stop:
				// One more read: on a busy machine this goroutine may not
				// have run before the reading finished.
				done <- max(last, src.BytesRead())
				return
			default:
				last = max(last, src.BytesRead())
			}
		}
	}()
	readAll(t, src)
	close(stop)
	if seen := <-done; seen <= 0 || seen > src.BytesRead() {
		t.Errorf("progress saw %d bytes, total %d", seen, src.BytesRead())
	}
}

func TestTarArchive(t *testing.T) {
	recs, errs := openAll(t, []string{"testdata/export.tar.gz"}, Options{})
	// events.jsonl has one malformed line
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "testdata/export.tar.gz!export/events.jsonl.gz: record 3") {
		t.Errorf("errors %v", errs)
	}
	bySource := map[string][]gotRecord{}
	for _, r := range recs {
		bySource[r.Source] = append(bySource[r.Source], r)
	}
	for _, m := range []struct {
		name, fixture, format string
		records               int
	}{
		{"export/people.csv", "people.csv", FormatCSV, 4},
		{"export/events.jsonl.gz", "events.jsonl", FormatJSONL, 4}, // 3 and the broken line as text
		{"export/notes.txt", "", FormatText, 1},
	} {
		got := bySource["testdata/export.tar.gz!"+m.name]
		if len(got) != m.records {
			t.Errorf("%s: %d records, want %d", m.name, len(got), m.records)
			continue
		}
		if m.fixture != "" {
			// offsets are within the member's own (decompressed) bytes
			checkOffsets(t, decompressed(t, "testdata/"+m.fixture), got, m.format, false)
		}
	}
	if len(bySource) != 3 {
		t.Errorf("sources %v", bySource)
	}
	src, _ := Open([]string{"testdata/export.tar.gz"}, Options{})
	readAll(t, src)
	st, _ := os.Stat("testdata/export.tar.gz")
	if src.BytesRead() != st.Size() {
		t.Errorf("BytesRead %d, file %d", src.BytesRead(), st.Size())
	}
}

// TestBinaryInput: UTF-16 text, archives and other binary files hold NUL
// bytes; read as text they would yield nothing, so they are an input error
// (which also makes `piiscan mask` refuse them) naming the offset.
func TestBinaryInput(t *testing.T) {
	utf16 := []byte{0xFF, 0xFE}
	for _, r := range "姓名,手机\r\n张三,13812345678\r\n" {
		utf16 = append(utf16, byte(r), byte(r>>8))
	}
	for _, tc := range []struct {
		name string
		in   []byte
		off  string
	}{
		{"utf16.csv", utf16, "byte offset 7:"},
		{"bin.dat", append(bytes.Repeat([]byte{0, 1}, 10), " phone 13812345678\n"...), "byte offset 0:"},
		{"late.log", append([]byte("ok 13812345678\n"), 0, 'x', '\n'), "byte offset 15:"},
	} {
		_, errs := openAll(t, []string{"-"}, Options{Stdin: bytes.NewReader(tc.in)})
		if len(errs) != 1 || !strings.Contains(errs[0].Error(), "binary data") || !strings.Contains(errs[0].Error(), tc.off) {
			t.Errorf("%s: errors %v", tc.name, errs)
		}
	}
}

// TestCSVWithoutHeader: a first row of data (ID, phone numbers) is read as
// data, with columns named by position: its values are scanned and masked,
// and never printed as column names.
func TestCSVWithoutHeader(t *testing.T) {
	in := "张三,11010519491231002X,13812345678\n李四,440306199001011236,13912345678\n"
	recs, errs := openAll(t, []string{"-"}, Options{Format: FormatCSV, Stdin: strings.NewReader(in)})
	if len(errs) != 0 || len(recs) != 2 {
		t.Fatalf("recs %v errs %v", recs, errs)
	}
	if f, ok := recs[0].field("#2"); !ok || f.Value != "11010519491231002X" || f.Offset != 7 {
		t.Fatalf("first row: %+v", recs[0])
	}
	// A real header stays a header.
	recs, _ = openAll(t, []string{"-"}, Options{Format: FormatCSV, Stdin: strings.NewReader("姓名,身份证号,phone2\n张三,11010519491231002X,13812345678\n")})
	if len(recs) != 1 {
		t.Fatalf("with header: %v", recs)
	}
	if _, ok := recs[0].field("身份证号"); !ok {
		t.Fatalf("with header: %+v", recs[0])
	}
}

// TestSQLValueStatements: statements that carry values but are not
// INSERT ... VALUES rows (UPDATE, a pg_dump COPY block, INSERT ... SELECT)
// are scanned as free text, not passed over.
func TestSQLValueStatements(t *testing.T) {
	in := "-- MySQL dump\nSET NAMES utf8mb4;\nUPDATE `users` SET phone='13812345678' WHERE id_no='11010519491231002X';\n" +
		"INSERT INTO `t` SELECT '13712345678';\nCOPY public.users (id, phone) FROM stdin;\n1\t13912345678\n\\.\n"
	recs, errs := openAll(t, []string{"-"}, Options{Format: FormatSQL, Stdin: strings.NewReader(in)})
	var texts []string
	for _, r := range recs {
		for _, f := range r.Fields {
			if f.Name == "" {
				texts = append(texts, f.Value)
				if in[f.Offset:f.Offset+int64(len(f.Value))] != f.Value {
					t.Errorf("offset %d does not point at %q", f.Offset, f.Value)
				}
			}
		}
	}
	all := strings.Join(texts, "|")
	for _, want := range []string{"13812345678", "11010519491231002X", "13712345678", "13912345678"} {
		if !strings.Contains(all, want) {
			t.Errorf("%s not in the scanned statements %q (errors %v)", want, all, errs)
		}
	}
	if strings.Contains(all, "SET NAMES") || strings.Contains(all, "MySQL dump") {
		t.Errorf("boilerplate scanned: %q", all)
	}
}

// TestPersonKeys: a header cell or a JSON key that is a Chinese personal
// name or an address is data, like a phone number key: it is scanned, and
// never printed as a field name. Field names such as 姓名, 联系人 or
// 收件人地址 stay names.
func TestPersonKeys(t *testing.T) {
	type leaf struct{ name, value string }
	for _, c := range []struct {
		name   string
		format string
		in     string
		want   []leaf // every field of every record, in order
	}{
		{"json name keys", FormatJSONL,
			`{"客户":{"张伟":{"电话":"13812345678"},"欧阳娜娜":"VIP"},"姓名":"王芳","联系人":"李娜"}` + "\n",
			[]leaf{{"客户.{key}", "张伟"}, {"客户.*.电话", "13812345678"}, {"客户.{key}", "欧阳娜娜"}, {"客户.*", "VIP"}, {"姓名", "王芳"}, {"联系人", "李娜"}}},
		{"json escaped name and address keys", FormatJSONL,
			`{"\u5f20\u4f1f":1,"北京市朝阳区建国路88号":{"收件人地址":"x"}}` + "\n",
			[]leaf{{"{key}", "张伟"}, {"*", "1"}, {"{key}", "北京市朝阳区建国路88号"}, {"*.收件人地址", "x"}}},
		{"json keys repeat across records", FormatJSONL,
			`{"张伟":1}` + "\n" + `{"张伟":2}` + "\n",
			[]leaf{{"{key}", "张伟"}, {"*", "1"}, {"{key}", "张伟"}, {"*", "2"}}},
		{"csv first row of names", FormatCSV,
			"张三,男,北京市朝阳区建国路88号\n李四,女,上海市浦东新区世纪大道100号\n",
			[]leaf{{"#1", "张三"}, {"#2", "男"}, {"#3", "北京市朝阳区建国路88号"}, {"#1", "李四"}, {"#2", "女"}, {"#3", "上海市浦东新区世纪大道100号"}}},
		{"csv header of field names", FormatCSV,
			"姓名,联系人,收件人地址\n张三,李四,北京市朝阳区建国路88号\n",
			[]leaf{{"姓名", "张三"}, {"联系人", "李四"}, {"收件人地址", "北京市朝阳区建国路88号"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			recs, errs := openAll(t, []string{"-"}, Options{Format: c.format, Stdin: strings.NewReader(c.in)})
			if len(errs) != 0 {
				t.Fatal(errs)
			}
			var got []leaf
			for _, r := range recs {
				for _, f := range r.Fields {
					got = append(got, leaf{f.Name, f.Value})
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("fields\n got %v\nwant %v", got, c.want)
			}
		})
	}
}

// TestCSVHeaderSetting: Options.CSVHeader overrides the first-row guess
// either way, and OpenRaw reports the guess it makes on a file's first
// bytes (a rewriter reads its output with it).
func TestCSVHeaderSetting(t *testing.T) {
	names := "张三,北京市朝阳区建国路88号\n李四,上海市浦东新区世纪大道100号\n"
	header := "姓名,地址\n张三,北京市朝阳区建国路88号\n"
	masked := "张*,北京市*********\n李*,上海市************\n" // names masked: no longer data by itself
	for _, c := range []struct {
		in, setting string
		records     int
		first       string // the first record's first field name
		raw         string // OpenRaw's CSVHeader
	}{
		{names, "", 2, "#1", HeaderNo},
		{names, HeaderYes, 1, "张三", HeaderYes},
		{header, "", 1, "姓名", HeaderYes},
		{header, HeaderNo, 2, "#1", HeaderNo},
		{masked, "", 1, "张*", HeaderYes},
		{masked, HeaderNo, 2, "#1", HeaderNo},
		{"\"unterminated", "", 0, "", ""}, // no whole first row: undecided
	} {
		opts := Options{Format: FormatCSV, CSVHeader: c.setting}
		raw, err := OpenRaw("-", Options{Format: FormatCSV, CSVHeader: c.setting, Stdin: strings.NewReader(c.in)})
		if err != nil {
			t.Fatal(err)
		}
		raw.Close()
		if raw.CSVHeader != c.raw {
			t.Errorf("%q with %q: OpenRaw says %q, want %q", c.in, c.setting, raw.CSVHeader, c.raw)
		}
		if c.records == 0 {
			continue
		}
		opts.Stdin = strings.NewReader(c.in)
		recs, errs := openAll(t, []string{"-"}, opts)
		if len(errs) != 0 || len(recs) != c.records || recs[0].Fields[0].Name != c.first {
			t.Errorf("%q with %q: records %+v, errors %v", c.in, c.setting, recs, errs)
		}
	}
	if _, err := Open([]string{"-"}, Options{CSVHeader: "maybe"}); err == nil || !strings.Contains(err.Error(), "CSV header") {
		t.Errorf("bad setting: %v", err)
	}
}
