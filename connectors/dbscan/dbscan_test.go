package dbscan

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseSample(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Sample
		err  bool
	}{
		{"", Sample{}, false},
		{"full", Sample{}, false},
		{"FULL", Sample{}, false},
		{"1000", Sample{Mode: SampleRows, Rows: 1000}, false},
		{" 5 ", Sample{Mode: SampleRows, Rows: 5}, false},
		{"10%", Sample{Mode: SamplePercent, Percent: 10}, false},
		{"0.5%", Sample{Mode: SamplePercent, Percent: 0.5}, false},
		{"100%", Sample{}, false},
		{"0", Sample{}, true},
		{"-3", Sample{}, true},
		{"0%", Sample{}, true},
		{"101%", Sample{}, true},
		{"NaN%", Sample{}, true},
		{"1e3", Sample{}, true},
		{"%", Sample{}, true},
		{"half", Sample{}, true},
	} {
		got, err := ParseSample(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("ParseSample(%q) = %+v, %v", tc.in, got, err)
		}
		if err == nil {
			again, err := ParseSample(got.String())
			if err != nil || again != got {
				t.Errorf("%q does not round-trip through %q", tc.in, got.String())
			}
		}
	}
}

func TestParseShardAndOwns(t *testing.T) {
	for _, bad := range []string{"1", "3/3", "-1/2", "a/b", "0/0", "1/"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
	const n = 4
	var shards []Shard
	for i := range n {
		s, err := ParseShard(fmt.Sprintf("%d/%d", i, n))
		if err != nil {
			t.Fatal(err)
		}
		shards = append(shards, s)
	}
	counts := make([]int, n)
	for i := range 1000 {
		table := fmt.Sprintf("t%d", i)
		owners := 0
		for j, s := range shards {
			if s.Owns("db", table) {
				owners++
				counts[j]++
			}
		}
		if owners != 1 {
			t.Fatalf("table %s owned by %d shards", table, owners)
		}
	}
	for j, c := range counts {
		if c < 150 || c > 350 {
			t.Errorf("shard %d owns %d of 1000 tables: uneven", j, c)
		}
	}
	if !(Shard{}).Owns("a", "b") {
		t.Error("no shard must own everything")
	}
	// The split depends only on names: schema "a.b" + table "c" differs from
	// nothing a caller could confuse it with, and is stable across runs.
	if shards[0].Owns("db", "t1") != shards[0].Owns("db", "t1") {
		t.Error("unstable")
	}
}

func TestFilter(t *testing.T) {
	type q struct {
		schema, table, column string
		want                  bool
	}
	for _, tc := range []struct {
		name             string
		include, exclude []string
		checks           []q
	}{
		{"everything", nil, nil, []q{{"a", "b", "", true}, {"a", "b", "c", true}}},
		{"include schema", []string{"shop.*"}, nil, []q{
			{"shop", "users", "", true}, {"crm", "users", "", false}, {"shop", "users", "id_no", true}}},
		{"bare table name", []string{"users"}, nil, []q{{"shop", "users", "", true}, {"shop", "orders", "", false}}},
		{"exclude table", nil, []string{"*.tmp_*"}, []q{{"a", "tmp_x", "", false}, {"a", "x", "", true}}},
		{"exclude column", nil, []string{"*.*.password"}, []q{{"a", "u", "password", false}, {"a", "u", "name", true}, {"a", "u", "", true}}},
		{"include columns", []string{"shop.users.id_*", "shop.users.phone"}, nil, []q{
			{"shop", "users", "", true}, {"shop", "orders", "", false},
			{"shop", "users", "id_no", true}, {"shop", "users", "phone", true}, {"shop", "users", "name", false}}},
		{"table and column includes", []string{"shop.users.phone", "shop.*"}, nil, []q{
			{"shop", "users", "name", true}, {"shop", "orders", "x", true}}},
		{"exclude beats include", []string{"shop.*"}, []string{"shop.audit"}, []q{{"shop", "audit", "", false}, {"shop", "users", "", true}}},
		{"character class", []string{"s[0-9].t"}, nil, []q{{"s1", "t", "", true}, {"sx", "t", "", false}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := NewFilter(tc.include, tc.exclude)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range tc.checks {
				var got bool
				if c.column == "" {
					got = f.Table(c.schema, c.table)
				} else {
					got = f.Table(c.schema, c.table) && f.Column(c.schema, c.table, c.column)
				}
				if got != c.want {
					t.Errorf("%s.%s.%s: %v, want %v", c.schema, c.table, c.column, got, c.want)
				}
			}
		})
	}
	for _, bad := range []string{"a.b.c.d", "a..b", "[", "a.[b"} {
		if _, err := NewFilter([]string{bad}, nil); err == nil {
			t.Errorf("pattern %q accepted", bad)
		}
	}
}

func TestSelectUpdated(t *testing.T) {
	f, _ := NewFilter([]string{"db.*"}, []string{"db.*.secret", "db.gone"})
	tables := []Table{
		{Schema: "db", Name: "a", Columns: []Column{{Name: "id"}, {Name: "secret"}, {Name: "updated_at"}}},
		{Schema: "db", Name: "gone", Columns: []Column{{Name: "x"}}},
		{Schema: "db", Name: "only_secret", Columns: []Column{{Name: "secret"}}},
		{Schema: "other", Name: "a", Columns: []Column{{Name: "x"}}},
	}
	got := SelectUpdated(tables, f, Shard{}, "updated_at")
	if len(got) != 1 || got[0].Name != "a" || len(got[0].Columns) != 2 || got[0].Columns[1].Name != "updated_at" || got[0].updated != "updated_at" {
		t.Fatalf("%+v", got)
	}
	f2, _ := NewFilter(nil, []string{"*.*.updated_at"})
	got = SelectUpdated([]Table{{Schema: "db", Name: "a", Columns: []Column{{Name: "id"}, {Name: "updated_at"}}}}, f2, Shard{}, "updated_at")
	if len(got[0].Columns) != 1 || got[0].updated != "updated_at" {
		t.Errorf("an excluded updated-at column must still be the watermark: %+v", got[0])
	}
}

func TestParseDSN(t *testing.T) {
	for _, tc := range []struct {
		in                         string
		user, pass, host, db, show string
		port                       int
		err                        bool
	}{
		{in: "mysql://root@127.0.0.1:3306/test", user: "root", host: "127.0.0.1", port: 3306, db: "test", show: "mysql://127.0.0.1:3306/test"},
		{in: "mysql://u:p%40ss@db.example:3307/shop", user: "u", pass: "p@ss", host: "db.example", port: 3307, db: "shop", show: "mysql://db.example:3307/shop"},
		{in: "MySQL://u@h/shop", user: "u", host: "h", port: 3306, db: "shop", show: "mysql://h:3306/shop"},
		{in: "mariadb://u@h", user: "u", host: "h", port: 3306, show: "mysql://h:3306/"},
		{in: "mysql://u@[::1]:3306/x", user: "u", host: "::1", port: 3306, db: "x", show: "mysql://[::1]:3306/x"},
		{in: "mysql://u:secret@h:99999/x", err: true},
		{in: "mysql://u:secret@h:3306/a/b", err: true},
		{in: "postgres://u:secret@h/x", err: true},
		{in: "u:secret@tcp(h)/x", err: true},
		{in: "mysql://u:sec ret@h:bad/x", err: true},
		{in: "mysql://u:sec/ret@h/x", err: true},
		{in: "mysql://u:sec%2Fret@h/x", user: "u", pass: "sec/ret", host: "h", port: 3306, db: "x", show: "mysql://h:3306/x"},
	} {
		d, err := ParseDSN(tc.in, 3306, "mysql", "mariadb")
		if tc.err {
			if err == nil {
				t.Errorf("%q accepted", tc.in)
			} else if strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "sec ret") || strings.Contains(err.Error(), "ret@") {
				t.Errorf("%q: error shows the password: %v", tc.in, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if d.User != tc.user || d.Password != tc.pass || d.Host != tc.host || d.Port != tc.port || d.Database != tc.db || d.String() != tc.show {
			t.Errorf("%q: %+v shown as %s", tc.in, d, d)
		}
	}
}

func TestResolvePassword(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "pw")
	os.WriteFile(file, []byte("from-file\r\nignored\n"), 0o600)
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, []byte("\n"), 0o600)
	t.Setenv("PIISCAN_TEST_PW", "from-env")

	d := DSN{Password: "in-dsn"}
	ResolvePassword(&d, file, "PIISCAN_TEST_PW")
	if d.Password != "in-dsn" {
		t.Errorf("DSN password overridden: %q", d.Password)
	}
	d = DSN{}
	if err := ResolvePassword(&d, file, "PIISCAN_TEST_PW"); err != nil || d.Password != "from-file" {
		t.Errorf("file: %q %v", d.Password, err)
	}
	d = DSN{}
	if err := ResolvePassword(&d, "", "PIISCAN_TEST_PW"); err != nil || d.Password != "from-env" {
		t.Errorf("env: %q %v", d.Password, err)
	}
	d = DSN{}
	if err := ResolvePassword(&d, empty, ""); err == nil {
		t.Error("empty password file accepted")
	}
	d = DSN{}
	if err := ResolvePassword(&d, filepath.Join(dir, "missing"), ""); err == nil {
		t.Error("missing password file accepted")
	}
}

func TestScrub(t *testing.T) {
	base := errors.New("dial: user=u password=hunter2 failed")
	err := Scrub(fmt.Errorf("connect: %w", base), "hunter2")
	if strings.Contains(err.Error(), "hunter2") || !errors.Is(err, base) {
		t.Errorf("%v", err)
	}
	if Scrub(base, "") != base || Scrub(nil, "x") != nil {
		t.Error("nothing to scrub must return the error itself")
	}
}

func TestStateRoundTripAndAtomicity(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	st, err := LoadState(path)
	if err != nil || len(st.Tables) != 0 {
		t.Fatalf("missing file: %+v %v", st, err)
	}
	st.Tables["postgres://h:5432/db/public.t"] = Watermark{Column: "id", Kind: "key", Value: "42", Scanned: time.Unix(0, 0).UTC()}
	if err := st.Save(path); err != nil {
		t.Fatal(err)
	}
	again, err := LoadState(path)
	if err != nil || again.Tables["postgres://h:5432/db/public.t"].Value != "42" {
		t.Fatalf("%+v %v", again, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
	for name, body := range map[string]string{"garbage": "{", "version": `{"version": 9, "tables": {}}`} {
		p := filepath.Join(t.TempDir(), name)
		os.WriteFile(p, []byte(body), 0o644)
		if _, err := LoadState(p); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

func TestParseInt(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "42": 42, "-7": -7, "+3": 3,
		"9223372036854775807": 1<<63 - 1, "-9223372036854775808": -1 << 63} {
		if got, ok := parseInt([]byte(in)); !ok || got != want {
			t.Errorf("parseInt(%q) = %d, %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "-", "1.5", "9223372036854775808", "-9223372036854775809", "99999999999999999999", "1a"} {
		if _, ok := parseInt([]byte(in)); ok {
			t.Errorf("parseInt(%q) accepted", in)
		}
	}
}

// FuzzParseDSN checks that a password never shows in an error or in the
// name a DSN is shown by, whatever surrounds it.
func FuzzParseDSN(f *testing.F) {
	f.Add("u", "h:1/db")
	f.Add("u/x", "h/db")
	f.Add("", "")
	f.Add("a:b", "[::1]:5/x?y=1")
	f.Fuzz(func(t *testing.T, user, rest string) {
		const pw = "Zq9secretXy"
		if strings.Contains(user+rest, "Zq9") {
			return
		}
		s := "mysql://" + user + ":" + pw + "@" + rest
		d, err := ParseDSN(s, 3306, "mysql")
		if err != nil {
			if strings.Contains(err.Error(), pw) {
				t.Fatalf("%q: error %q shows the password", s, err)
			}
			return
		}
		if strings.Contains(d.String(), pw) || strings.Contains(d.TableSource("db", "t"), pw) {
			t.Fatalf("%q: shown as %q", s, d.String())
		}
		if !strings.Contains(d.Password, pw) { // rest may hold more of it: "pw@@host"
			t.Fatalf("%q: password %q", s, d.Password)
		}
	})
}

func FuzzParseSample(f *testing.F) {
	for _, s := range []string{"full", "10", "5%", "0.001%", "1e2%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		smp, err := ParseSample(s)
		if err != nil {
			return
		}
		switch smp.Mode {
		case SampleRows:
			if smp.Rows < 1 {
				t.Fatalf("%q: %d rows", s, smp.Rows)
			}
		case SamplePercent:
			if !(smp.Percent > 0 && smp.Percent < 100) {
				t.Fatalf("%q: %v%%", s, smp.Percent)
			}
		}
		if again, err := ParseSample(smp.String()); err != nil || again != smp {
			t.Fatalf("%q: %+v does not round-trip", s, smp)
		}
	})
}

func FuzzFilter(f *testing.F) {
	f.Add("shop.*", "*.*.pw", "shop", "users", "pw")
	f.Fuzz(func(t *testing.T, inc, exc, schema, table, column string) {
		fl, err := NewFilter([]string{inc}, []string{exc})
		if err != nil {
			return
		}
		fl.Table(schema, table)
		fl.Column(schema, table, column)
	})
}

// TestFilterTableColumn: a two-part pattern is schema.table, or table.column
// in any schema (how people name a column of a MySQL DSN's database).
func TestFilterTableColumn(t *testing.T) {
	f, err := NewFilter(nil, []string{"orders.mobile"})
	if err != nil {
		t.Fatal(err)
	}
	if !f.Table("shop", "orders") || f.Column("shop", "orders", "mobile") || !f.Column("shop", "orders", "id") {
		t.Error("exclude orders.mobile: want the orders table without its mobile column")
	}
	if f.Table("orders", "mobile") {
		t.Error("exclude orders.mobile: table mobile of schema orders is read")
	}
	f, err = NewFilter([]string{"people.idno"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !f.Table("shop", "people") || !f.Column("shop", "people", "idno") || f.Column("shop", "people", "name") || f.Table("shop", "orders") {
		t.Error("include people.idno: want only the idno column of people")
	}
	f, _ = NewFilter([]string{"public.users"}, nil)
	if !f.Table("public", "users") || !f.Column("public", "users", "email") {
		t.Error("include public.users: want the whole table")
	}
}

// TestSelection: selection sampling keeps exactly keep of of rows, every
// row about equally often.
func TestSelection(t *testing.T) {
	const keep, of, runs = 5, 20, 20000
	var hits [of]int
	rnd := rand.New(rand.NewPCG(1, 2))
	for range runs {
		s := selection{keep: keep, of: of, rnd: rnd}
		n := 0
		for i := range of {
			if s.next() {
				hits[i]++
				n++
			}
		}
		if n != keep || s.next() {
			t.Fatalf("kept %d of %d, want %d", n, of, keep)
		}
	}
	for i, h := range hits {
		if want := runs * keep / of; h < want*9/10 || h > want*11/10 {
			t.Errorf("row %d kept %d times in %d runs, want about %d", i, h, runs, want)
		}
	}
}
