package postgres

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/piiscan/piiscan/connectors/dbscan"
	dbt "github.com/piiscan/piiscan/connectors/dbscan/dbtest"
	"github.com/piiscan/piiscan/internal/dbtest"
)

func TestAppendCopyRow(t *testing.T) {
	for _, c := range []struct {
		name string
		vals [][]byte
		bin  []bool
		want string
	}{
		{"plain", [][]byte{[]byte("a"), []byte("张三")}, []bool{false, false}, "a\t张三\n"},
		{"null and empty", [][]byte{nil, {}}, []bool{false, false}, "\\N\t\n"},
		{"escapes", [][]byte{[]byte("a\\b\tc\nd\re")}, []bool{false}, `a\\b\tc\nd\re` + "\n"},
		{"bytea", [][]byte{{0, 0xff, '\\'}}, []bool{true}, `\\x00ff5c` + "\n"},
		{"null bytea", [][]byte{nil}, []bool{true}, "\\N\n"},
	} {
		if got := string(appendCopyRow(nil, c.vals, c.bin)); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestMySQLType(t *testing.T) {
	for in, want := range map[string]string{
		"int(11)":             "integer",
		"int unsigned":        "bigint",
		"bigint(20) unsigned": "numeric(20,0)",
		"tinyint(1)":          "smallint",
		"decimal(10,2)":       "numeric(10,2)",
		"varchar(64)":         "character varying(64)",
		"char(2)":             "character(2)",
		"longtext":            "text",
		"mediumblob":          "bytea",
		"datetime(6)":         "timestamp(6) without time zone",
		"timestamp":           "timestamp(0) without time zone",
		"json":                "jsonb",
		"enum('a','b')":       "text",
		"double":              "double precision",
		"year(4)":             "smallint",
	} {
		if got := mysqlType(in); got != want {
			t.Errorf("mysqlType(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCopyRoundTrip copies a table of many types through ReadRows and a
// target's Write unchanged and reads both back: every value, NULL and
// special character must survive COPY's text format.
func TestCopyRoundTrip(t *testing.T) {
	pg := dbtest.Postgres(t)
	ctx := context.Background()
	src, dst := dbtest.Name("cprt_src"), dbtest.Name("cprt_dst")
	t.Cleanup(func() {
		pg.Exec(ctx, "DROP SCHEMA IF EXISTS "+src+" CASCADE")
		pg.Exec(ctx, "DROP SCHEMA IF EXISTS "+dst+" CASCADE")
	})
	for _, q := range []string{
		"CREATE SCHEMA " + src,
		"CREATE TYPE " + src + ".mood AS ENUM ('ok', 'sad')",
		`CREATE TABLE ` + src + `.t (id int, k text, n numeric(30,10), f double precision, b boolean,
			ts timestamptz, d date, iv interval, arr text[], j jsonb, u uuid, raw bytea, m ` + src + `.mood,
			v varchar(5) NOT NULL, PRIMARY KEY (k, id))`,
		`INSERT INTO ` + src + `.t VALUES
			(1, 'a', 12345678901234567890.0123456789, 0.1, true, '2024-02-29 23:59:59.123456+08', '0001-01-01', '1 year 2 days',
			 '{"x,y","\\z"}', '{"名": "张三", "a": [1, null]}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '\x00ff5c0a09', 'sad', E'a\tb\\c'),
			(2, 'b', NULL, 'NaN', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, ''),
			(3, E'line\nbreak', -0.5, 1e300, false, 'infinity', '2024-01-01', '-3 hours', '{}', '[]', NULL, '', 'ok', E'\r')`,
	} {
		if _, err := pg.Exec(ctx, q); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
	s, err := OpenCopy(ctx, "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", dbscan.Options{Include: []string{src + ".*"}}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	d, err := OpenCopy(ctx, "postgres://postgres@127.0.0.1:5432/test?sslmode=disable&schema="+dst, dbscan.Options{}, true)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	tables, err := s.Tables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) != 1 {
		t.Fatalf("%d tables", len(tables))
	}
	ct := tables[0]
	if strings.Join(ct.PrimaryKey, ",") != "k,id" {
		t.Errorf("primary key %v, want [k id]", ct.PrimaryKey)
	}
	want := dbt.ReadCopy(t, s, ct)
	if len(want) != 3 {
		t.Fatalf("read %d rows", len(want))
	}
	copyOnce := func(replace bool) error {
		tt, err := d.Prepare(ctx, ct, "postgres", nil, replace)
		if err != nil {
			return err
		}
		n, err := dbt.WriteCopy(ctx, tt, want)
		if err != nil {
			return err
		}
		if c, err := tt.Count(ctx); err != nil || c != n || n != 3 {
			t.Fatalf("wrote %d, counted %d (%v)", n, c, err)
		}
		return nil
	}
	if err := copyOnce(false); err != nil {
		t.Fatal(err)
	}
	back := *ct
	back.Schema = dst
	got := dbt.ReadCopy(t, s, &back)
	dbt.SameRows(t, ct, want, got)
	// A filled table is not written again unless replaced.
	if err := copyOnce(false); err == nil || !strings.Contains(err.Error(), "--replace") {
		t.Fatalf("second copy: %v", err)
	}
	if err := copyOnce(true); err != nil {
		t.Fatal(err)
	}
	// A row error reaches the caller as itself, not as COPY's report of it.
	tt, err := d.Prepare(ctx, ct, "postgres", nil, true)
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if _, err := tt.Write(ctx, func() ([][]byte, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Fatalf("Write with a failing source: %v", err)
	}
}

func TestCopyErrorsHideThePassword(t *testing.T) {
	dbtest.Postgres(t)
	const pw = "Wr0ng-pa55word"
	_, err := OpenCopy(context.Background(), "postgres://postgres:"+pw+"@127.0.0.1:5432/no_such_db_piiscan?sslmode=disable", dbscan.Options{}, true)
	if err == nil {
		t.Fatal("opened a database that does not exist")
	}
	if strings.Contains(err.Error(), pw) {
		t.Fatalf("error shows the password: %v", err)
	}
}

// decodeCopyRow is the test's own reading of one COPY text-format line,
// written from the PostgreSQL manual, to check appendCopyRow against.
func decodeCopyRow(line []byte, bin []bool) ([][]byte, bool) {
	var vals [][]byte
	for _, f := range bytes.Split(line, []byte{'\t'}) {
		if string(f) == `\N` {
			vals = append(vals, nil)
			continue
		}
		v := []byte{}
		for i := 0; i < len(f); i++ {
			if f[i] != '\\' {
				v = append(v, f[i])
				continue
			}
			i++
			if i == len(f) {
				return nil, false
			}
			switch f[i] {
			case 't':
				v = append(v, '\t')
			case 'n':
				v = append(v, '\n')
			case 'r':
				v = append(v, '\r')
			case '\\':
				v = append(v, '\\')
			default:
				return nil, false
			}
		}
		vals = append(vals, v)
	}
	if len(vals) != len(bin) {
		return nil, false
	}
	for i, b := range bin {
		if b && vals[i] != nil {
			h, ok := bytes.CutPrefix(vals[i], []byte(`\x`))
			if !ok {
				return nil, false
			}
			raw := make([]byte, len(h)/2)
			if _, err := hex.Decode(raw, h); err != nil {
				return nil, false
			}
			vals[i] = raw
		}
	}
	return vals, true
}

func FuzzAppendCopyRow(f *testing.F) {
	f.Add([]byte("a\tb"), []byte{0, 1, '\\'}, []byte("\\N"), false)
	f.Add([]byte("\r\n\\"), []byte{}, []byte("x"), true)
	f.Fuzz(func(t *testing.T, a, b, c []byte, null bool) {
		vals := [][]byte{a, b, c}
		if null {
			vals[2] = nil
		}
		bin := []bool{false, true, false}
		line := appendCopyRow(nil, vals, bin)
		if line[len(line)-1] != '\n' || bytes.Count(line, []byte{'\n'}) != 1 {
			t.Fatalf("row %q is not one line", line)
		}
		got, ok := decodeCopyRow(line[:len(line)-1], bin)
		if !ok {
			t.Fatalf("row %q does not decode", line)
		}
		for i := range vals {
			if (vals[i] == nil) != (got[i] == nil) || !bytes.Equal(vals[i], got[i]) {
				t.Fatalf("value %d: %q became %q (line %q)", i, vals[i], got[i], line)
			}
		}
	})
}

func TestRetypeCasts(t *testing.T) {
	for _, c := range []struct{ expr, from, to, want string }{
		{"'new'::crm.st", "crm.st", "dst.st", "'new'::dst.st"},
		{"'{new}'::crm.st[]", "crm.st", "dst.st", "'{new}'::dst.st[]"},
		{"'a'::crm.status", "crm.st", "dst.st", "'a'::crm.status"},
		{"'a'::st", "st", "dst.st", "'a'::dst.st"},
		{"('a'::st)::text || 'b'::st2", "st", `"D".st`, `('a'::"D".st)::text || 'b'::st2`},
		{"", "st", "x.st", ""},
	} {
		if got := retypeCasts(c.expr, c.from, c.to); got != c.want {
			t.Errorf("retypeCasts(%q, %q, %q) = %q, want %q", c.expr, c.from, c.to, got, c.want)
		}
	}
	for _, c := range []struct{ typ, want string }{{"crm.st", "d.st"}, {"crm.st[]", "d.st[]"}, {"crm.stx", "crm.stx"}} {
		if got := retype(c.typ, "crm.st", "d.st"); got != c.want {
			t.Errorf("retype(%q) = %q, want %q", c.typ, got, c.want)
		}
	}
}

// TestUnsignedBigintKey: BIGINT UNSIGNED AUTO_INCREMENT becomes a bigint
// identity column, and a key bigint cannot hold is refused, not wrapped.
func TestUnsignedBigintKey(t *testing.T) {
	tab := &dbscan.CopyTable{Columns: []dbscan.CopyColumn{
		{Column: dbscan.Column{Name: "id", Type: "bigint(20) unsigned"}, NotNull: true, Identity: true},
		{Column: dbscan.Column{Name: "n", Type: "bigint unsigned"}},
	}, PrimaryKey: []string{"id"}}
	ddl := createTable(`"s"."t"`, tab, "mysql", nil, nil)[0]
	if want := `CREATE TABLE "s"."t" ("id" bigint NOT NULL GENERATED BY DEFAULT AS IDENTITY, "n" numeric(20,0), PRIMARY KEY ("id"))`; ddl != want {
		t.Errorf("DDL\n%s\nwant\n%s", ddl, want)
	}
	cv := mysqlConv(tab.Columns[0])
	for v, ok := range map[string]bool{"1": true, "9223372036854775807": true, "9223372036854775808": false, "18446744073709551615": false} {
		if _, _, err := cv([]byte(v)); (err == nil) != ok {
			t.Errorf("key %s: %v", v, err)
		}
	}
	if mysqlConv(tab.Columns[1]) != nil {
		t.Error("a plain BIGINT UNSIGNED column is converted")
	}
}
