package sqldump

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
)

// items scans in whole, as one buffer at EOF, and returns a description of
// every item and error.
func items(t testing.TB, in []byte, chunk int) ([]string, []Item) {
	t.Helper()
	s := NewScanner(false)
	var out []string
	var its []Item
	var it Item
	pos := 0
	avail := min(len(in), chunk)
	for guard := 0; ; guard++ {
		if guard > 10*len(in)+100 {
			t.Fatal("scanner does not progress")
		}
		atEOF := avail == len(in)
		n, err := s.Next(in[pos:avail], atEOF, &it)
		if err == ErrShort {
			if atEOF {
				t.Fatal("ErrShort at EOF")
			}
			avail = min(len(in), avail+chunk)
			continue
		}
		if n == 0 && err == nil {
			break
		}
		if !bytes.Equal(it.Raw, in[pos:pos+n]) || it.Offset != int64(pos) {
			t.Fatalf("item at %d: Raw/Offset do not match the input", pos)
		}
		desc := fmt.Sprintf("%d@%d:%d", it.Kind, it.Offset, it.Line)
		if err != nil {
			desc += " err " + err.Error()
		}
		if it.Kind == Tuple {
			desc += fmt.Sprintf(" %s#%d", it.Table, it.Row)
			for i, v := range it.Values {
				if v.Start < 0 || v.End > len(it.Raw) || v.Start >= v.End {
					t.Fatalf("value span [%d,%d) outside tuple of %d bytes", v.Start, v.End, len(it.Raw))
				}
				name := ""
				if i < len(it.Columns) {
					name = it.Columns[i].Name
				}
				desc += fmt.Sprintf(" %s=%d:%q", name, v.Kind, it.Raw[v.Start:v.End])
			}
		}
		out = append(out, desc)
		c := it
		c.Values = append([]Value(nil), it.Values...)
		its = append(its, c)
		pos += n
		if avail < pos {
			avail = pos
		}
	}
	if pos != len(in) {
		t.Fatalf("items cover %d of %d bytes", pos, len(in))
	}
	return out, its
}

func TestDump(t *testing.T) {
	in, err := os.ReadFile("../testdata/dump.sql")
	if err != nil {
		t.Fatal(err)
	}
	got, its := items(t, in, len(in))
	var tuples []string
	for _, d := range got {
		if strings.Contains(d, "#") {
			tuples = append(tuples, d[strings.Index(d, " ")+1:])
		}
	}
	want := []string{
		`customers#1 id=2:"1" name=1:"'张三'" id_no=1:"'11010519491231002X'" phone=1:"'13800138000'" note=1:"'O\\'Brien said \\\"hi\\\"\\n第二行'" balance=2:"12.50"`,
		`customers#2 id=2:"2" name=1:"'李四'" id_no=1:"'11010519491231002X'" phone=3:"NULL" note=1:"'it''s; (tricky), \\\\ path'" balance=2:"-3.00"`,
		`customers#3 id=2:"3" name=1:"'王五'" id_no=1:"'11010519491231002X'" phone=1:"'+86 139 0000 1111'" note=1:"''" balance=2:"0.00"`,
		`customers#4 id=2:"4" name=1:"'赵六'" id_no=1:"'11010519491231002X'" phone=1:"'13600001111'" note=1:"'bin\\0data'" balance=2:"1e3"`,
		`orders#1 email=1:"'a@example.com'" oid=2:"100"`,
		`orders#2 email=1:"'b@example.com'" oid=4:"0x1F"`,
		`unknown_t#1 =1:"'x@example.com'" =5:"NOW()" =4:"X'ABCD'"`,
	}
	if strings.Join(tuples, "\n") != strings.Join(want, "\n") {
		t.Errorf("tuples\n%s\nwant\n%s", strings.Join(tuples, "\n"), strings.Join(want, "\n"))
	}
	var creates int
	for _, it := range its {
		if it.Kind == CreateTable {
			creates++
			if it.Table == "customers" {
				cols := fmt.Sprint(it.Columns)
				if cols != "[{id } {name 姓名} {id_no 身份证号} {phone mobile; it's 11 digits} {note } {balance }]" {
					t.Errorf("customers columns %s", cols)
				}
			}
		}
	}
	if creates != 2 {
		t.Errorf("%d CREATE TABLE items", creates)
	}
	// the same items whatever the chunk size
	for _, chunk := range []int{1, 7, 64, 333} {
		got2, _ := items(t, in, chunk)
		if strings.Join(got, "\n") != strings.Join(got2, "\n") {
			t.Fatalf("chunk %d gives different items", chunk)
		}
	}
}

func TestMalformed(t *testing.T) {
	in := []byte("INSERT INTO t VALUES (1,'a'),(2 'b'),(3,'c');\nINSERT INTO t VALUES (4,'d');\n" +
		"INSERT INTO t VALUES ('open;\nINSERT INTO t VALUES (5,'e');\n" +
		"INSERT INTO t VALUES (6,'f') ON DUPLICATE KEY UPDATE a=1;\nINSERT INTO t VALUES (7, 'g')")
	got, its := items(t, in, len(in))
	var errs, rows []string
	for _, d := range got {
		if strings.Contains(d, " err ") {
			errs = append(errs, d[strings.Index(d, " err ")+5:])
		}
	}
	for _, it := range its {
		if it.Kind == Tuple {
			rows = append(rows, string(it.Values[0].Content(it.Raw)))
		}
	}
	if fmt.Sprint(rows) != "[1 4 6 7]" { // 5 is inside the broken statement's string
		t.Errorf("rows %v", rows)
	}
	wantErrs := []string{
		"line 1: malformed SQL statement (at byte 32): expected ',' or ')' after a value",
		"line 3: malformed SQL statement (at byte 130): expected ',' or ')' after a value",
	}
	if fmt.Sprint(errs) != fmt.Sprint(wantErrs) {
		t.Errorf("errors\n%v\nwant\n%v", errs, wantErrs)
	}
}

func TestDecode(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`plain`, "plain"},
		{`a\'b\"c\\d`, `a'b"c\d`},
		{`\0\b\n\r\t\Z`, "\x00\b\n\r\t\x1a"},
		{`100\% \_x`, `100\% \_x`},
		{`it''s`, "it's"},
		{`\q`, "q"},
	} {
		if got := string(Unescape(nil, []byte(tc.in), '\'')); got != tc.want {
			t.Errorf("Unescape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestGB18030Backslash(t *testing.T) {
	// 枈 is 0x97 0x5C in GB18030: its trail byte is not an escape
	in := []byte("INSERT INTO t VALUES ('\x97\x5c','x\\'y');\n")
	s := NewScanner(true)
	var it Item
	for {
		n, err := s.Next(in, true, &it)
		if err != nil {
			t.Fatal(err)
		}
		if it.Kind == Tuple {
			if len(it.Values) != 2 || string(it.Values[0].Content(it.Raw)) != "\x97\x5c" || it.Values[0].Escaped {
				t.Fatalf("values %+v", it.Values)
			}
			return
		}
		in = in[n:]
	}
}

func TestCreateFallback(t *testing.T) {
	// sqlparser rejects this (generated column, CHECK); the scan still finds the columns
	stmt := "CREATE TABLE IF NOT EXISTS `p` (\n `id` int,\n `手机` varchar(11) COMMENT '手机号',\n `full` varchar(20) GENERATED ALWAYS AS (concat(`id`,',')) VIRTUAL,\n CONSTRAINT `c1` CHECK (`id` > 0),\n PRIMARY KEY (`id`)\n) ENGINE=InnoDB;"
	table, cols := parseCreate([]byte(stmt), false)
	if table != "p" || fmt.Sprint(cols) != "[{id } {手机 手机号} {full }]" {
		t.Errorf("table %q cols %v", table, cols)
	}
}
