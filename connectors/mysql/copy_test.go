package mysql

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/piiscan/piiscan/connectors/dbscan"
	dbt "github.com/piiscan/piiscan/connectors/dbscan/dbtest"
	"github.com/piiscan/piiscan/internal/dbtest"
)

func TestReuseDDL(t *testing.T) {
	ddl := "CREATE TABLE `t``x` (\n  `id` int(11) NOT NULL,\n  `name` varchar(10) COLLATE utf8mb4_bin DEFAULT NULL COMMENT '姓名',\n" +
		"  `code` char(4) NOT NULL,\n  `keep` varchar(10) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  KEY `n` (`name`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
	ct := &dbscan.CopyTable{Columns: []dbscan.CopyColumn{
		{Column: dbscan.Column{Name: "id"}},
		{Column: dbscan.Column{Name: "name"}, Text: true, Chars: 10},
		{Column: dbscan.Column{Name: "code"}, Text: true, Chars: 4},
		{Column: dbscan.Column{Name: "keep"}, Text: true, Chars: 10},
	}}
	got, err := reuseDDL(ddl, "`db`.`t``x`", ct, []int{0, 40, 20000, 0})
	if err != nil {
		t.Fatal(err)
	}
	want := "CREATE TABLE `db`.`t``x` (\n  `id` int(11) NOT NULL,\n  `name` varchar(40) COLLATE utf8mb4_bin DEFAULT NULL COMMENT '姓名',\n" +
		"  `code` mediumtext NOT NULL,\n  `keep` varchar(10) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  KEY `n` (`name`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if _, err := reuseDDL("CREATE VIEW x", "`a`", ct, nil); err == nil {
		t.Error("a view's DDL was accepted")
	}
}

func TestPgTypeAndConv(t *testing.T) {
	for _, c := range []struct {
		in   string
		key  bool
		want string
	}{
		{"integer", false, "int"},
		{"numeric(12,2)", false, "decimal(12,2)"},
		{"numeric", false, "decimal(65,30)"},
		{"character varying(20)", false, "varchar(20)"},
		{"character varying", true, "varchar(255)"},
		{"text", false, "longtext"},
		{"text", true, "varchar(255)"},
		{"timestamp with time zone", false, "datetime(6)"},
		{"timestamp(3) without time zone", false, "datetime(6)"},
		{"boolean", false, "tinyint(1)"},
		{"bytea", false, "longblob"},
		{"jsonb", false, "json"},
		{"integer[]", false, "longtext"},
		{"interval", false, "longtext"},
	} {
		if got := pgType(c.in, c.key); got != c.want {
			t.Errorf("pgType(%q, %v) = %q, want %q", c.in, c.key, got, c.want)
		}
	}
	for _, c := range []struct{ typ, in, want string }{
		{"boolean", "t", "1"},
		{"boolean", "f", "0"},
		{"timestamp with time zone", "2024-01-02 03:04:05.5+00", "2024-01-02 03:04:05.5"},
		{"timestamp with time zone", "2024-01-02 03:04:05+00:00", "2024-01-02 03:04:05"},
		{"time with time zone", "10:00:00+00", "10:00:00"},
		{"time with time zone", "10:00:00.25+08", "02:00:00.25"},
		{"time with time zone", "23:30:00-01:30", "01:00:00"},
		{"date", "2024-01-02", "2024-01-02"},
		{"date", "infinity", "error"},
		{"timestamp without time zone", "-infinity", "error"},
		{"date", "0044-03-15 BC", "error"},
		{"date", "12024-01-01", "error"},
		{"numeric", "NaN", "error"},
		{"double precision", "-Infinity", "error"},
		{"numeric(10,2)", "1.50", "1.50"},
	} {
		got := c.in
		if f := pgConv(c.typ); f != nil {
			out, err := f([]byte(c.in))
			got = string(out)
			if err != nil {
				got = "error"
			}
		}
		if got != c.want {
			t.Errorf("pgConv(%q)(%q) = %q, want %q", c.typ, c.in, got, c.want)
		}
	}
}

// TestCopyRoundTrip writes a table of many types back through Prepare and
// Write unchanged: every value, NULL and special character must survive the
// text protocol and the INSERT statements, and the key order is kept.
func TestCopyRoundTrip(t *testing.T) {
	db := dbtest.MySQL(t)
	ctx := context.Background()
	name := dbtest.Name("cprt")
	dstDB := dbtest.Name("cprt_dst")
	t.Cleanup(func() {
		db.Exec("DROP TABLE IF EXISTS " + name)
		db.Exec("DROP DATABASE IF EXISTS " + dstDB)
	})
	for _, q := range []string{
		"CREATE TABLE " + name + ` (a int NOT NULL, b varchar(8) NOT NULL, n decimal(30,10), f double, u bigint unsigned,
			dt datetime(6), ts timestamp NULL, d date, tm time, y year, e enum('x','y'), s set('p','q'), j json,
			bits bit(8), raw varbinary(16), bl blob, tx text, g point, gen varchar(20) AS (CONCAT(b, '-', a)) VIRTUAL, PRIMARY KEY (b, a))`,
		"INSERT INTO " + name + ` VALUES
			(1, 'k', 12345678901234567890.0123456789, 0.1, 18446744073709551615, '2024-02-29 23:59:59.123456',
			 '2024-01-02 03:04:05', '1000-01-01', '-838:59:59', 2024, 'y', 'p,q', '{"名": "张三"}',
			 b'10100101', X'00FF5C27', X'0A0D09', 'it''s a\\b\tc\nd 张三', ST_GeomFromText('POINT(1 2)'), DEFAULT),
			(2, 'a', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '', NULL, DEFAULT),
			(3, 'b', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, b'0', '', '', '', NULL, DEFAULT)`, // empty, not NULL
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
	s, err := OpenCopy(ctx, "mysql://root@127.0.0.1:3306/test", dbscan.Options{Include: []string{"test." + name}}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	d, err := OpenCopy(ctx, "mysql://root@127.0.0.1:3306/"+dstDB, dbscan.Options{}, true)
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
	if strings.Join(ct.PrimaryKey, ",") != "b,a" {
		t.Errorf("primary key %v, want [b a]", ct.PrimaryKey)
	}
	want := dbt.ReadCopy(t, s, ct)
	if len(want) != 3 || *want[0][1] != "a" {
		t.Fatalf("read %d rows, not in key order", len(want))
	}
	copyOnce := func(replace bool) error {
		tt, err := d.Prepare(ctx, ct, "mysql", []int{0, 30}, replace)
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
	back.Schema = dstDB
	got := dbt.ReadCopy(t, s, &back)
	dbt.SameRows(t, ct, want, got)
	var typ string
	if err := db.QueryRow(`SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = 'b'`,
		dstDB, name).Scan(&typ); err != nil || typ != "varchar(30)" {
		t.Errorf("widened column b is %q (%v), want varchar(30)", typ, err)
	}
	if err := copyOnce(false); err == nil || !strings.Contains(err.Error(), "--replace") {
		t.Fatalf("second copy: %v", err)
	}
	if err := copyOnce(true); err != nil {
		t.Fatal(err)
	}
	tt, err := d.Prepare(ctx, ct, "mysql", nil, true)
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if _, err := tt.Write(ctx, func() ([][]byte, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Fatalf("Write with a failing source: %v", err)
	}
}

func TestCopyErrorsHideThePassword(t *testing.T) {
	dbtest.MySQL(t)
	const pw = "Wr0ng-pa55word"
	_, err := OpenCopy(context.Background(), "mysql://root:"+pw+"@127.0.0.1:3306/no_such_db_piiscan", dbscan.Options{}, false)
	if err == nil {
		t.Fatal("opened a database that does not exist")
	}
	if strings.Contains(err.Error(), pw) {
		t.Fatalf("error shows the password: %v", err)
	}
}

// TestBuildDDLOneAutoIncrement: MySQL allows one AUTO_INCREMENT column: a
// PostgreSQL table with a bigserial key and a second identity column keeps
// it on the key, and the notes name the other column.
func TestBuildDDLOneAutoIncrement(t *testing.T) {
	col := func(name, typ string, identity bool) dbscan.CopyColumn {
		return dbscan.CopyColumn{Column: dbscan.Column{Name: name, Type: typ}, NotNull: true, Identity: identity}
	}
	for _, c := range []struct {
		name     string
		tab      dbscan.CopyTable
		want     string
		notes    int
		uniqNote bool
	}{
		{"key and unique identity", dbscan.CopyTable{Columns: []dbscan.CopyColumn{col("no", "bigint", true), col("id", "bigint", true)},
			PrimaryKey: []string{"id"}, Indexes: []dbscan.CopyIndex{{Name: "t_no_key", Columns: []string{"no"}, Unique: true}}},
			"CREATE TABLE `d`.`t` (`no` bigint NOT NULL, `id` bigint NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`), UNIQUE KEY `t_no_key` (`no`)) DEFAULT CHARSET=utf8mb4", 1, true},
		{"identity off the key", dbscan.CopyTable{Columns: []dbscan.CopyColumn{col("k", "text", false), col("no", "integer", true)},
			PrimaryKey: []string{"k"}, Indexes: []dbscan.CopyIndex{{Name: "t_no_key", Columns: []string{"no"}, Unique: true}}},
			"CREATE TABLE `d`.`t` (`k` varchar(255) NOT NULL, `no` int NOT NULL AUTO_INCREMENT, PRIMARY KEY (`k`), UNIQUE KEY `t_no_key` (`no`)) DEFAULT CHARSET=utf8mb4", 0, false},
		{"identity in no index", dbscan.CopyTable{Columns: []dbscan.CopyColumn{col("id", "integer", false), col("no", "integer", true)}, PrimaryKey: []string{"id"}},
			"CREATE TABLE `d`.`t` (`id` int NOT NULL, `no` int NOT NULL, PRIMARY KEY (`id`)) DEFAULT CHARSET=utf8mb4", 1, false},
	} {
		ddl, notes := buildDDL("`d`.`t`", &c.tab, nil)
		if ddl != c.want || len(notes) != c.notes || c.uniqNote && !strings.HasSuffix(notes[0], "its unique index is kept") {
			t.Errorf("%s:\n%s\nwant\n%s\nnotes %q", c.name, ddl, c.want, notes)
		}
	}
}

// TestDomainsMapToTheirBase: a PostgreSQL domain column gets its base
// type's MySQL type and conversion, not LONGTEXT.
func TestDomainsMapToTheirBase(t *testing.T) {
	flag := &dbscan.CopyType{Schema: "s", Name: "flag", Ref: "s.flag", Kind: "domain", Base: "boolean"}
	strict := &dbscan.CopyType{Schema: "s", Name: "strict", Ref: "s.strict", Kind: "domain", Base: "s.flag", BaseType: flag}
	c := dbscan.CopyColumn{Column: dbscan.Column{Name: "ok", Type: "s.strict"}, UserType: strict}
	if got := baseType(c); got != "boolean" {
		t.Fatalf("baseType = %q", got)
	}
	ddl, _ := buildDDL("`d`.`t`", &dbscan.CopyTable{Columns: []dbscan.CopyColumn{c}}, nil)
	if !strings.Contains(ddl, "`ok` tinyint(1)") {
		t.Errorf("DDL %s", ddl)
	}
}
