package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/piiscan/piiscan/connectors/dbscan"
	dbt "github.com/piiscan/piiscan/connectors/dbscan/dbtest"
	idbtest "github.com/piiscan/piiscan/internal/dbtest"
	"github.com/piiscan/piiscan/scanner"
)

// testDSN is the PostgreSQL the tests use: the server on this machine, or
// PIISCAN_TEST_POSTGRES.
func testDSN() string { return idbtest.PostgresDSN() }

// admin connects to the test server to set up tables; it skips the test when
// no server answers, unless CI=true or PIISCAN_REQUIRE_DB=1.
func admin(tb testing.TB) *pgx.Conn { return idbtest.Postgres(tb) }

func exec(tb testing.TB, c *pgx.Conn, q string, args ...any) {
	tb.Helper()
	if _, err := c.Exec(context.Background(), q, args...); err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
}

// table creates a table from ddl, whose %s is replaced by a unique name, and
// drops it when the test ends.
func table(tb testing.TB, c *pgx.Conn, prefix, ddl string) string {
	tb.Helper()
	name := fmt.Sprintf("%s_%08x", prefix, rand.Uint32())
	exec(tb, c, fmt.Sprintf(ddl, name))
	tb.Cleanup(func() {
		c.Exec(context.Background(), "DROP VIEW IF EXISTS "+name+" CASCADE")
		c.Exec(context.Background(), "DROP TABLE IF EXISTS "+name+" CASCADE")
	})
	return name
}

// fixedTable is table with a name of its own: a sample is drawn from a
// seed mixed with the table's name, so a statistical check over a table
// of a random name would be a new random draw each run. An advisory lock,
// held until the test ends, keeps two test processes off the name.
func fixedTable(tb testing.TB, c *pgx.Conn, name, ddl string) string {
	tb.Helper()
	exec(tb, c, "SELECT pg_advisory_lock(hashtext($1))", name)
	tb.Cleanup(func() {
		c.Exec(context.Background(), "DROP TABLE IF EXISTS "+name+" CASCADE")
		c.Exec(context.Background(), "SELECT pg_advisory_unlock(hashtext($1))", name)
	})
	exec(tb, c, "DROP TABLE IF EXISTS "+name+" CASCADE")
	exec(tb, c, fmt.Sprintf(ddl, name))
	return name
}

func open(tb testing.TB, opts dbscan.Options) *Source {
	tb.Helper()
	s, err := Open(context.Background(), testDSN(), opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

const src = "postgres://127.0.0.1:5432/test/public."

func TestReadsColumnsCommentsAndValues(t *testing.T) {
	c := admin(t)
	name := table(t, c, "people", `CREATE TABLE %s (
		id bigserial PRIMARY KEY, name varchar(32), note text, phone bigint,
		id_no varchar(18), amount numeric(20,0), doc jsonb, raw bytea, born date)`)
	exec(t, c, "COMMENT ON COLUMN "+name+".id_no IS '身份证号'")
	exec(t, c, "COMMENT ON COLUMN "+name+".phone IS '手机'")
	exec(t, c, "COMMENT ON TABLE "+name+" IS '客户'")
	exec(t, c, "INSERT INTO "+name+` (name, note, phone, id_no, amount, doc, raw, born) VALUES
		('张三', '住址：北京市朝阳区', 13812345678, '11010519491231002X', 6222021234567890123, '{"mobile": "13900001111"}', 'plain text', '1990-01-02'),
		(NULL, '', NULL, NULL, NULL, NULL, '\xfffe00', NULL)`)
	s := open(t, dbscan.Options{Include: []string{"public." + name}})

	cat := s.Catalogue()
	if cat.Source != "postgres://127.0.0.1:5432/test" || len(cat.Tables) != 1 {
		t.Fatalf("catalogue %+v", cat)
	}
	tb := cat.Tables[0]
	if tb.Key != "id" || tb.Comment != "客户" || tb.Label != "public."+name {
		t.Errorf("table %+v", tb)
	}
	types := map[string]string{}
	comments := map[string]string{}
	for _, col := range tb.Columns {
		types[col.Name], comments[col.Name] = col.Type, col.Comment
	}
	if types["id_no"] != "character varying(18)" || types["doc"] != "jsonb" || types["amount"] != "numeric(20,0)" || comments["id_no"] != "身份证号" {
		t.Errorf("columns %v %v", types, comments)
	}

	rows, errs := dbt.ReadAll(t, s)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	dbt.SameBlocks(t, open(t, dbscan.Options{Include: []string{"public." + name}}), rows, errs)
	got := rows[src+name]
	if len(got) != 2 || got[0].Num != 1 || got[1].Num != 2 {
		t.Fatalf("rows %+v", rows)
	}
	want := map[string]string{"id": "1", "name": "张三", "note": "住址：北京市朝阳区", "phone": "13812345678",
		"id_no": "11010519491231002X", "amount": "6222021234567890123", "doc": `{"mobile": "13900001111"}`,
		"raw": "plain text", "born": "1990-01-02"}
	for k, v := range want {
		if got[0].Fields[k] != v {
			t.Errorf("field %s = %q, want %q", k, got[0].Fields[k], v)
		}
	}
	// NULLs, empty strings and non-UTF-8 bytea values give no field.
	if len(got[1].Fields) != 1 || got[1].Fields["id"] != "2" {
		t.Errorf("second row fields %v", got[1].Fields)
	}
	if s.BytesRead() <= 0 {
		t.Error("BytesRead not counted")
	}
}

func ids(tb testing.TB, rs []dbt.Row) []int64 {
	tb.Helper()
	out := make([]int64, 0, len(rs))
	for _, r := range rs {
		n, err := strconv.ParseInt(r.Fields["id"], 10, 64)
		if err != nil {
			tb.Fatalf("row %d: id %q", r.Num, r.Fields["id"])
		}
		out = append(out, n)
	}
	return out
}

// sequence fills table name (id bigint PRIMARY KEY, v text) with ids lo..hi.
func sequence(tb testing.TB, c *pgx.Conn, name string, lo, hi int) {
	exec(tb, c, fmt.Sprintf("INSERT INTO %s (id, v) SELECT g, 'v' || g FROM generate_series(%d, %d) g", name, lo, hi))
}

func TestSamplingAndRowCap(t *testing.T) {
	c := admin(t)
	name := table(t, c, "sample", "CREATE TABLE %s (id bigint PRIMARY KEY, v text)")
	sequence(t, c, name, 1, 20000)
	exec(t, c, "ANALYZE "+name)
	for _, tc := range []struct {
		sample   string
		max      int64
		min, lim int // accepted row counts
		inOrder  bool
	}{
		{"full", 0, 20000, 20000, true},
		{"full", 1234, 1234, 1234, true},
		{"500", 0, 500, 500, false}, // N rows, not about N
		{"5%", 0, 200, 2500, false},
		{"5%", 150, 1, 150, false},
		{"30000", 0, 20000, 20000, true}, // more than the table: every row
	} {
		t.Run(tc.sample+"/"+strconv.FormatInt(tc.max, 10), func(t *testing.T) {
			smp, err := dbscan.ParseSample(tc.sample)
			if err != nil {
				t.Fatal(err)
			}
			s := open(t, dbscan.Options{Include: []string{"public." + name}, Sample: smp, MaxRows: tc.max, Seed: 7, ChunkRows: 3000})
			rows, errs := dbt.ReadAll(t, s)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			got := ids(t, rows[src+name])
			if len(got) < tc.min || len(got) > tc.lim {
				t.Fatalf("%d rows, want %d..%d", len(got), tc.min, tc.lim)
			}
			if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
				t.Error("rows not in key order or duplicated")
			}
			if tc.inOrder && (got[0] != 1 || got[len(got)-1] != int64(len(got))) {
				t.Errorf("full read from %d to %d", got[0], got[len(got)-1])
			}
			if !tc.inOrder && tc.max == 0 && got[len(got)-1]-got[0] < 5000 {
				t.Errorf("sample spans only ids %d..%d: not spread over the table", got[0], got[len(got)-1])
			}
			if n := s.Results()[0].Rows; n != int64(len(got)) {
				t.Errorf("result rows %d, read %d", n, len(got))
			}
		})
	}
}

// terminate ends the backends of application app and returns how many.
func terminate(t *testing.T, c *pgx.Conn, app string) int {
	t.Helper()
	var k int
	err := c.QueryRow(context.Background(),
		"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1", app).Scan(&k)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestIncrementalByKeyAndUpdatedAt(t *testing.T) {
	c := admin(t)
	byKey := table(t, c, "inc", "CREATE TABLE %s (id bigint PRIMARY KEY, v text)")
	byTime := table(t, c, "incu", "CREATE TABLE %s (id bigint PRIMARY KEY, v text, updated_at timestamptz NOT NULL)")
	noKey := table(t, c, "inck", "CREATE TABLE %s (v text)")
	sequence(t, c, byKey, 1, 100)
	exec(t, c, "INSERT INTO "+byTime+" SELECT g, 'v', '2024-01-01'::timestamptz + g * interval '1 minute' FROM generate_series(1, 100) g")
	exec(t, c, "INSERT INTO "+noKey+" SELECT 'v' || g FROM generate_series(1, 10) g")
	state := filepath.Join(t.TempDir(), "state.json")
	opts := dbscan.Options{Include: []string{"public." + byKey, "public." + byTime, "public." + noKey}, State: state, UpdatedColumn: "updated_at"}
	scan := func() (map[string][]dbt.Row, *Source) {
		s := open(t, opts)
		rows, errs := dbt.ReadAll(t, s)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		return rows, s
	}
	rows, s := scan()
	if len(rows[src+byKey]) != 100 || len(rows[src+byTime]) != 100 || len(rows[src+noKey]) != 10 {
		t.Fatalf("first run: %d %d %d rows", len(rows[src+byKey]), len(rows[src+byTime]), len(rows[src+noKey]))
	}
	for _, r := range s.Results() {
		if r.Incremental {
			t.Errorf("first run: %s incremental", r.Source)
		}
	}
	// Not committed: the next run reads the same rows.
	rows, s = scan()
	if len(rows[src+byKey]) != 100 {
		t.Fatalf("uncommitted state was used: %d rows", len(rows[src+byKey]))
	}
	if err := s.CommitState(); err != nil {
		t.Fatal(err)
	}
	sequence(t, c, byKey, 101, 130)
	exec(t, c, "UPDATE "+byTime+" SET v = 'changed', updated_at = now() WHERE id IN (3, 50)")
	exec(t, c, "INSERT INTO "+noKey+" VALUES ('x')")
	rows, s = scan()
	if got := ids(t, rows[src+byKey]); len(got) != 30 || got[0] != 101 || got[29] != 130 {
		t.Errorf("second run by key: %v", got)
	}
	if got := ids(t, rows[src+byTime]); !slices.Equal(got, []int64{3, 50}) {
		t.Errorf("second run by updated_at: %v", got)
	}
	if len(rows[src+noKey]) != 11 {
		t.Errorf("a table without watermark is read in full: %d rows", len(rows[src+noKey]))
	}
	// The report marks which tables were read past a watermark: merged with
	// the first run's report they add, the full read replaces.
	for _, r := range s.Results() {
		if want := r.Source != src+noKey; r.Incremental != want || s.Incremental(r.Source, r.Table) != want {
			t.Errorf("%s: incremental %v, want %v", r.Source, r.Incremental, want)
		}
	}
	if err := s.CommitState(); err != nil {
		t.Fatal(err)
	}
	st, err := dbscan.LoadState(state)
	if err != nil {
		t.Fatal(err)
	}
	if w := st.Tables[src+byKey]; w.Kind != "key" || w.Value != "130" || w.Column != "id" {
		t.Errorf("watermark %+v", w)
	}
	rows, _ = scan()
	if len(rows[src+byKey])+len(rows[src+byTime]) != 0 {
		t.Errorf("third run read %d + %d rows, want none", len(rows[src+byKey]), len(rows[src+byTime]))
	}
}

func TestShardsSplitTables(t *testing.T) {
	c := admin(t)
	prefix := fmt.Sprintf("shard_%06x", rand.Uint32()>>8)
	var names []string
	for i := range 12 {
		names = append(names, table(t, c, prefix+"_"+strconv.Itoa(i), "CREATE TABLE %s (id int PRIMARY KEY)"))
	}
	seen := map[string]int{}
	for i := range 3 {
		s := open(t, dbscan.Options{Include: []string{"public." + prefix + "_*"}, Shard: dbscan.Shard{Index: i, Count: 3}})
		for _, tb := range s.Catalogue().Tables {
			seen[tb.Name]++
		}
	}
	for _, n := range names {
		if seen[n] != 1 {
			t.Errorf("table %s in %d shards", n, seen[n])
		}
	}
	if len(seen) != len(names) {
		t.Errorf("shards hold %d tables, want %d", len(seen), len(names))
	}
}

func TestBadTableIsReportedAndScanGoesOn(t *testing.T) {
	c := admin(t)
	prefix := fmt.Sprintf("bad_%06x", rand.Uint32()>>8)
	a := table(t, c, prefix+"_a", "CREATE TABLE %s (id bigint PRIMARY KEY, v text)")
	sequence(t, c, a, 1, 10)
	b := table(t, c, prefix+"_b", "CREATE VIEW %s AS SELECT 1 / (g - 5) AS v FROM generate_series(1, 10) g")
	slow := table(t, c, prefix+"_c", "CREATE VIEW %s AS SELECT pg_sleep(3)::text AS v")
	d := table(t, c, prefix+"_d", "CREATE TABLE %s (id bigint PRIMARY KEY, v text)")
	sequence(t, c, d, 1, 10)
	opts := dbscan.Options{Include: []string{"public." + prefix + "_*"}, Views: true, StatementTimeout: 300 * time.Millisecond, RetryBackoff: time.Millisecond}
	s := open(t, opts)
	rows, errs := dbt.ReadAll(t, s)
	dbt.SameBlocks(t, open(t, opts), rows, errs)
	if len(rows[src+a]) != 10 || len(rows[src+d]) != 10 {
		t.Errorf("good tables: %d, %d rows", len(rows[src+a]), len(rows[src+d]))
	}
	if len(errs) != 2 {
		t.Fatalf("errors %v, want 2", errs)
	}
	var ie *scanner.InputError
	if !errors.As(errs[0], &ie) || ie.Source != src+b || !strings.Contains(ie.Error(), "division by zero") {
		t.Errorf("error 0: %v", errs[0])
	}
	if !errors.As(errs[1], &ie) || ie.Source != src+slow || !strings.Contains(ie.Error(), "statement timeout") {
		t.Errorf("error 1: %v", errs[1])
	}
	for _, r := range s.Results() {
		if r.Retries != 0 {
			t.Errorf("%s retried %d times: a failing statement is not a lost connection", r.Table, r.Retries)
		}
	}
}

func TestParallelKeepsCatalogueOrder(t *testing.T) {
	c := admin(t)
	prefix := fmt.Sprintf("par_%06x", rand.Uint32()>>8)
	var names []string
	for i := range 5 {
		n := table(t, c, prefix+"_"+strconv.Itoa(i), "CREATE TABLE %s (id bigint PRIMARY KEY, v text)")
		sequence(t, c, n, 1, 3000+i)
		names = append(names, n)
	}
	slices.Sort(names)
	s := open(t, dbscan.Options{Include: []string{"public." + prefix + "_*"}, Parallel: 3, ChunkRows: 500})
	var order []string
	var rec scanner.Record
	count := map[string]int{}
	for {
		rec = scanner.Record{Fields: rec.Fields[:0]}
		err := s.Next(&rec)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(order) == 0 || order[len(order)-1] != rec.Table {
			order = append(order, rec.Table)
		}
		count[rec.Table]++
		if int64(count[rec.Table]) != rec.Number {
			t.Fatalf("%s: record %d numbered %d", rec.Table, count[rec.Table], rec.Number)
		}
	}
	for i, n := range names {
		if i >= len(order) || order[i] != "public."+n || count["public."+n] != 3000+i {
			t.Fatalf("order %v counts %v", order, count)
		}
	}
}

func TestPasswordNeverInErrors(t *testing.T) {
	const pw = "Pw-s3cret-9q"
	// Nothing listens on port 1: the connect error must not carry the password.
	_, err := Open(context.Background(), "postgres://postgres:"+pw+"@127.0.0.1:1/test", dbscan.Options{})
	if err == nil || strings.Contains(err.Error(), pw) {
		t.Fatalf("error %v", err)
	}
	if !strings.Contains(err.Error(), "postgres://127.0.0.1:1/test") {
		t.Errorf("error does not name the source: %v", err)
	}
	// A password file, read for a DSN without password.
	file := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(file, []byte(pw+"\n"), 0o600)
	_, err = Open(context.Background(), "postgres://postgres@127.0.0.1:1/test", dbscan.Options{PasswordFile: file})
	if err == nil || strings.Contains(err.Error(), pw) {
		t.Fatalf("error %v", err)
	}
	_, err = Open(context.Background(), "postgres://postgres:"+pw+"@127.0.0.1:99999/test", dbscan.Options{})
	if err == nil || strings.Contains(err.Error(), pw) {
		t.Fatalf("bad port error %v", err)
	}
	// Against the real server (trust auth accepts any password): sources
	// and catalogue show no password.
	c := admin(t)
	name := table(t, c, "pw", "CREATE TABLE %s (id bigint PRIMARY KEY, v text)")
	sequence(t, c, name, 1, 3)
	s, err := Open(context.Background(), "postgres://postgres:"+pw+"@127.0.0.1:5432/test", dbscan.Options{Include: []string{"public." + name}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, _ := dbt.ReadAll(t, s)
	for source := range rows {
		if strings.Contains(source, pw) || strings.Contains(source, "postgres@") {
			t.Errorf("source %q shows credentials", source)
		}
	}
	if strings.Contains(s.Catalogue().Source, pw) || len(rows[src+name]) != 3 {
		t.Errorf("catalogue %q rows %d", s.Catalogue().Source, len(rows[src+name]))
	}
}

// TestTerminatedBackendResumes kills the scan's server process twice in the
// middle of a table: every row must still come exactly once, both when the
// table is read in storage order (a full read: by address, in block ranges
// or one sequential scan, or first without addresses, by key) and by its key
// (a read past a watermark).
func TestTerminatedBackendResumes(t *testing.T) {
	c := admin(t)
	keyed := table(t, c, "kill", "CREATE TABLE %s (id bigint PRIMARY KEY, v text)")
	const n = 100000 // past what the reader buffers ahead (5 batches of 4096 rows) at the second kill
	sequence(t, c, keyed, 1, n)
	// One sequential scan sends short rows faster than they are read: the
	// socket's buffers and the reader's hold them all before the second
	// kill. Rows of 400 bytes (40 MB) keep the statement running.
	wide := func(create string) string {
		name := table(t, c, "kill_w", create)
		exec(t, c, fmt.Sprintf("INSERT INTO %s SELECT g, repeat('v', 400) FROM generate_series(1, %d) g", name, n))
		return name
	}
	wideKeyed := wide("CREATE TABLE %s (id bigint PRIMARY KEY, v text)")
	wideKeyless := wide("CREATE TABLE %s (id bigint, v text)")
	for _, tc := range []struct {
		name   string
		table  string
		blocks int   // Options.ChunkBlocks
		first  int64 // first id read
		state  bool  // start past a watermark: keyset reads
	}{
		{"physical", keyed, 40, 1, false},
		{"physical by key", wideKeyed, 0, 1, false}, // readPhysicalByKey, then by address passing over its keys
		{"physical, no key", wideKeyless, 0, 1, false},
		{"keyset", keyed, 40, 2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := tc.table
			app := fmt.Sprintf("piiscan-test-%08x", rand.Uint32())
			opts := dbscan.Options{Include: []string{"public." + name}, ApplicationName: app,
				ChunkRows: 4000, ChunkBlocks: tc.blocks, RetryBackoff: 10 * time.Millisecond}
			if tc.state {
				opts.State = filepath.Join(t.TempDir(), "state.json")
				st := &dbscan.State{Version: dbscan.StateVersion, Tables: map[string]dbscan.Watermark{
					src + name: {Column: "id", Kind: "key", Value: "1"}}}
				if err := st.Save(opts.State); err != nil {
					t.Fatal(err)
				}
			}
			s := open(t, opts)
			seen := make(map[int64]int, n)
			killed := 0
			ids := dbt.ReadIDs(t, s, "id", func(i int, rec *scanner.Record) {
				if rec.Number != int64(i) {
					t.Fatalf("record %d numbered %d", i, rec.Number)
				}
				if i == 10000 || i == 40000 {
					killed += terminate(t, c, app)
				}
			})
			for _, id := range ids {
				seen[id]++
			}
			if killed < 2 {
				t.Fatalf("terminated %d backends, want 2", killed)
			}
			want := n - tc.first + 1
			if len(seen) != int(want) {
				t.Errorf("%d distinct ids, want %d", len(seen), want)
			}
			for id, k := range seen {
				if k != 1 || id < tc.first || id > n {
					t.Fatalf("id %d seen %d times", id, k)
				}
			}
			if r := s.Results()[0]; r.Retries < 2 || r.Rows != want || r.Err != nil {
				t.Errorf("result %+v", r)
			}
		})
	}
}

// TestPhysicalByKeyRowsMovedAndAdded terminates a full read by key after
// rows it had read moved (an UPDATE writes them at the table's end) and
// rows were added with keys outside the planned range, below and above:
// the retry reads by address from the start, passes over the keys read,
// and every row still comes exactly once, the added ones included.
func TestPhysicalByKeyRowsMovedAndAdded(t *testing.T) {
	c := admin(t)
	name := table(t, c, "moved", "CREATE TABLE %s (id bigint PRIMARY KEY, v text)")
	const n = 100000
	exec(t, c, fmt.Sprintf("INSERT INTO %s SELECT g, repeat('v', 400) FROM generate_series(1, %d) g", name, n))
	app := fmt.Sprintf("piiscan-test-%08x", rand.Uint32())
	s := open(t, dbscan.Options{Include: []string{"public." + name}, ApplicationName: app, RetryBackoff: 10 * time.Millisecond})
	killed := 0
	ids := dbt.ReadIDs(t, s, "id", func(i int, _ *scanner.Record) {
		if i == 10000 {
			exec(t, c, fmt.Sprintf("UPDATE %s SET v = 'w' || v WHERE id <= 5000 OR id > %d", name, n-5000))
			exec(t, c, fmt.Sprintf("INSERT INTO %s SELECT g, 'new' FROM generate_series(-999, 0) g", name))
			exec(t, c, fmt.Sprintf("INSERT INTO %s SELECT g, 'new' FROM generate_series(%d, %d) g", name, n+1, n+1000))
			killed += terminate(t, c, app)
		}
	})
	if killed < 1 {
		t.Fatalf("terminated %d backends, want 1", killed)
	}
	seen := make(map[int64]int, n+2000)
	for _, id := range ids {
		seen[id]++
	}
	for id, k := range seen {
		if k != 1 || id < -999 || id > n+1000 {
			t.Fatalf("id %d seen %d times", id, k)
		}
	}
	if len(seen) != n+2000 {
		t.Errorf("%d distinct ids, want %d", len(seen), n+2000)
	}
	if r := s.Results()[0]; r.Retries < 1 || r.Err != nil {
		t.Errorf("result %+v", r)
	}
}

// TestLongScanResumesAfterStatementTimeout reads a table more slowly than the
// statement timeout allows: the sequential scan is cut by the server and
// resumes after its last row (or, first cut reading by key, reads by
// address from the start passing over the keys it read), so rows still
// come exactly once.
func TestLongScanResumesAfterStatementTimeout(t *testing.T) {
	c := admin(t)
	for _, tc := range []struct{ name, create string }{
		{"key", "CREATE TABLE %s (id bigint PRIMARY KEY, v text)"},
		{"no key", "CREATE TABLE %s (id bigint, v text)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := table(t, c, "slow", tc.create)
			const n = 30000
			exec(t, c, fmt.Sprintf("INSERT INTO %s SELECT g, repeat('x', 1000) FROM generate_series(1, %d) g", name, n))
			s := open(t, dbscan.Options{Include: []string{"public." + name}, StatementTimeout: 150 * time.Millisecond, RetryBackoff: time.Millisecond})
			seen := make(map[string]bool, n)
			var rec scanner.Record
			for i := 1; ; i++ {
				rec = scanner.Record{Fields: rec.Fields[:0]}
				err := s.Next(&rec)
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				id := string(rec.Fields[0].Value)
				if seen[id] {
					t.Fatalf("id %s twice", id)
				}
				seen[id] = true
				if i%1000 == 0 {
					time.Sleep(20 * time.Millisecond)
				}
			}
			if len(seen) != n {
				t.Errorf("%d rows, want %d", len(seen), n)
			}
			if r := s.Results()[0]; r.Retries < 1 || r.Err != nil {
				t.Errorf("result %+v: the scan was never cut", r)
			}
		})
	}
}

// TestCloseMidScan stops a parallel scan with readers blocked on full
// buffers: Close must return promptly and leave no reader running.
func TestCloseMidScan(t *testing.T) {
	c := admin(t)
	prefix := fmt.Sprintf("close_%06x", rand.Uint32()>>8)
	for i := range 3 {
		n := table(t, c, prefix+"_"+strconv.Itoa(i), "CREATE TABLE %s (id bigint PRIMARY KEY, v text)")
		sequence(t, c, n, 1, 20000)
	}
	s, err := Open(t.Context(), testDSN(), dbscan.Options{Include: []string{"public." + prefix + "_*"}, Parallel: 3})
	if err != nil {
		t.Fatal(err)
	}
	var rec scanner.Record
	for range 10 {
		rec = scanner.Record{Fields: rec.Fields[:0]}
		if err := s.Next(&rec); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan error)
	go func() { done <- s.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close hangs")
	}
}

func TestViewsOnlyWhenAsked(t *testing.T) {
	c := admin(t)
	prefix := fmt.Sprintf("views_%06x", rand.Uint32()>>8)
	base := table(t, c, prefix+"_t", "CREATE TABLE %s (id bigint PRIMARY KEY, v text)")
	sequence(t, c, base, 1, 5)
	view := table(t, c, prefix+"_v", "CREATE VIEW %s AS SELECT v FROM "+base)
	for _, views := range []bool{false, true} {
		s := open(t, dbscan.Options{Include: []string{"public." + prefix + "_*"}, Views: views})
		var names []string
		for _, tb := range s.Catalogue().Tables {
			names = append(names, tb.Name)
		}
		want := []string{base}
		if views {
			want = append(want, view)
		}
		if !slices.Equal(names, want) {
			t.Errorf("views=%v: tables %v, want %v", views, names, want)
		}
		rows, errs := dbt.ReadAll(t, s)
		if len(errs) > 0 || (views && len(rows[src+view]) != 5) {
			t.Errorf("views=%v: rows %v errors %v", views, rows, errs)
		}
	}
}

// TestInheritance: a table others inherit from is read ONLY, so its
// children's rows are read once, as their own tables, by a scan and by a copy.
func TestInheritance(t *testing.T) {
	c := admin(t)
	ctx := context.Background()
	schema := idbtest.Name("inh")
	dst := idbtest.Name("inhdst")
	t.Cleanup(func() {
		c.Exec(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE")
		c.Exec(ctx, "DROP SCHEMA IF EXISTS "+dst+" CASCADE")
	})
	exec(t, c, "CREATE SCHEMA "+schema)
	exec(t, c, "CREATE TABLE "+schema+".parent (id int PRIMARY KEY, mobile text)")
	exec(t, c, "CREATE TABLE "+schema+".child (extra text) INHERITS ("+schema+".parent)")
	exec(t, c, "INSERT INTO "+schema+".parent VALUES (1, '13900000001')")
	exec(t, c, "INSERT INTO "+schema+".child VALUES (2, '13900000002', 'x'), (3, '13900000003', 'y')")
	for _, sample := range []string{"", "100%"} {
		opts := dbscan.Options{Include: []string{schema + ".*"}}
		if sample != "" {
			var err error
			if opts.Sample, err = dbscan.ParseSample(sample); err != nil {
				t.Fatal(err)
			}
		}
		rows, errs := dbt.ReadAll(t, open(t, opts))
		if len(errs) > 0 {
			t.Fatalf("sample %q: errors %v", sample, errs)
		}
		n := map[string]int{}
		for src, rs := range rows {
			n[src[strings.LastIndex(src, ".")+1:]] = len(rs)
		}
		if n["parent"] != 1 || n["child"] != 2 {
			t.Fatalf("sample %q: rows per table %v, want parent 1, child 2", sample, n)
		}
	}
	src, err := OpenCopy(ctx, testDSN(), dbscan.Options{Include: []string{schema + ".*"}}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	tables, err := src.Tables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, ct := range tables {
		if got := len(dbt.ReadCopy(t, src, ct)); got != map[string]int{"parent": 1, "child": 2}[ct.Name] {
			t.Errorf("copy reads %d rows of %s", got, ct.Name)
		}
	}
}

// TestColumnPrivileges: a role granted SELECT on some columns of a table
// (GRANT SELECT (a, b) ON t) gets those columns scanned, and the table's
// result names the others (review bug: the whole table was unreadable).
func TestColumnPrivileges(t *testing.T) {
	c := admin(t)
	role := fmt.Sprintf("pt_cols_%08x", rand.Uint32())
	exec(t, c, "CREATE ROLE "+role+" LOGIN")
	t.Cleanup(func() {
		c.Exec(context.Background(), "DROP OWNED BY "+role)
		c.Exec(context.Background(), "DROP ROLE "+role)
	})
	prefix := fmt.Sprintf("cols_%06x", rand.Uint32()>>8)
	keyed := table(t, c, prefix+"_a", "CREATE TABLE %s (id bigint PRIMARY KEY, v text, id_no text, updated_at timestamptz)")
	nokey := table(t, c, prefix+"_b", "CREATE TABLE %s (id bigint PRIMARY KEY, v text, id_no text, updated_at timestamptz)")
	none := table(t, c, prefix+"_c", "CREATE TABLE %s (id bigint PRIMARY KEY, v text)")
	whole := table(t, c, prefix+"_d", "CREATE TABLE %s (id bigint PRIMARY KEY, v text)")
	// Every column granted, the table not: no ctid, so no physical read.
	allCols := table(t, c, prefix+"_e", "CREATE TABLE %s (id bigint PRIMARY KEY, v text)")
	for _, n := range []string{keyed, nokey, none, whole, allCols} {
		sequence(t, c, n, 1, 3000)
		exec(t, c, "ANALYZE "+n)
	}
	exec(t, c, "UPDATE "+nokey+" SET updated_at = now()")
	exec(t, c, "GRANT SELECT (id, v) ON "+keyed+" TO "+role)
	exec(t, c, "GRANT SELECT (v, updated_at) ON "+nokey+" TO "+role) // not the key
	exec(t, c, "GRANT SELECT ON "+whole+" TO "+role)
	exec(t, c, "GRANT SELECT (id, v) ON "+allCols+" TO "+role)
	u, err := pgx.ParseConfig(testDSN())
	if err != nil {
		t.Fatal(err)
	}
	dsn := fmt.Sprintf("postgres://%s@%s:%d/%s?sslmode=disable", role, u.Host, u.Port, u.Database)
	for _, sample := range []string{"full", "500"} {
		t.Run(sample, func(t *testing.T) {
			smp, _ := dbscan.ParseSample(sample)
			opts := dbscan.Options{Include: []string{"public." + prefix + "_*"}, Sample: smp, UpdatedColumn: "updated_at", Seed: 3}
			s, err := Open(context.Background(), dsn, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			rows, errs := dbt.ReadAll(t, s)
			s2, err := Open(context.Background(), dsn, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer s2.Close()
			dbt.SameBlocks(t, s2, rows, errs)
			want := map[string]int{"full": 3000, "500": 500}[sample]
			if n := len(rows[src+keyed]); n != want {
				t.Errorf("%s: %d rows, want %d", keyed, n, want)
			}
			for _, r := range rows[src+keyed] {
				if _, ok := r.Fields["id_no"]; ok || r.Fields["v"] == "" || r.Fields["id"] == "" {
					t.Fatalf("%s: row %v", keyed, r.Fields)
				}
			}
			if n := len(rows[src+nokey]); n != want {
				t.Errorf("%s: %d rows, want %d", nokey, n, want)
			}
			for _, r := range rows[src+nokey] {
				if len(r.Fields) != 2 || r.Fields["v"] == "" || r.Fields["updated_at"] == "" {
					t.Fatalf("%s: row %v", nokey, r.Fields)
				}
			}
			if len(rows[src+none]) != 0 || len(rows[src+whole]) != want || len(rows[src+allCols]) != want {
				t.Errorf("%d rows of a table without grants, %d of a table granted whole, %d of one granted every column",
					len(rows[src+none]), len(rows[src+whole]), len(rows[src+allCols]))
			}
			dbt.SourceErrors(t, errs, map[string]string{
				src + keyed: "columns not read, SELECT not granted: id_no, updated_at (the other",
				src + nokey: "columns not read, SELECT not granted: id, id_no (the other",
				src + none:  "no column readable: SELECT not granted on id, v",
			})
			for _, r := range s.Results() {
				var de *dbscan.DeniedError
				if (r.Err != nil) != errors.As(r.Err, &de) || r.Retries != 0 {
					t.Errorf("result %+v", r)
				}
			}
		})
	}
}

// TestSampleSpreadsOverTheTable: N rows are exactly N and come from the
// whole table, with and without a key and when the table grew after its
// last ANALYZE. A LIMIT of N over a sample with a margin stopped at the
// Nth row: the last tenth of the table was never sampled for N = 500.
func TestSampleSpreadsOverTheTable(t *testing.T) {
	c := admin(t)
	const rows, n = 20000, 500
	// Fixed names: the same draws every run, so the bounds below cannot
	// fail by chance on one run and pass on the next.
	keyed := fixedTable(t, c, "spread_fixed", "CREATE TABLE %s (id bigint PRIMARY KEY, v text)")
	nokey := fixedTable(t, c, "spreadn_fixed", "CREATE TABLE %s (id bigint, v text)")
	stale := fixedTable(t, c, "spreads_fixed", "CREATE TABLE %s (id bigint PRIMARY KEY, v text) WITH (autovacuum_enabled = off)")
	for _, name := range []string{keyed, nokey} {
		sequence(t, c, name, 1, rows)
		exec(t, c, "ANALYZE "+name)
	}
	sequence(t, c, stale, 1, 100)
	exec(t, c, "ANALYZE "+stale) // reltuples 100: "smaller than the sample"
	sequence(t, c, stale, 101, rows)
	for _, name := range []string{keyed, nokey, stale} {
		for seed := uint64(1); seed <= 3; seed++ {
			s := open(t, dbscan.Options{Include: []string{"public." + name}, Sample: dbscan.Sample{Mode: dbscan.SampleRows, Rows: n}, Seed: seed, ChunkRows: 300})
			rs, errs := dbt.ReadAll(t, s)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			got := ids(t, rs[src+name])
			if len(got) != n || len(slices.Compact(slices.Sorted(slices.Values(got)))) != n {
				t.Fatalf("%s seed %d: %d rows, want %d distinct", name, seed, len(got), n)
			}
			var tenths [10]int
			for _, id := range got {
				tenths[(id-1)*10/rows]++
			}
			for i, k := range tenths {
				if k < n/20 {
					t.Errorf("%s seed %d: tenth %d of the table has %d of %d rows: %v", name, seed, i, k, n, tenths)
					break
				}
			}
		}
	}
}

// TestSampleResumesWithTheSameRows: a keyed sample whose backend is
// terminated twice mid-read gives the same N rows as one read without: the
// random choice of N of the sampled rows goes on where it stopped.
func TestSampleResumesWithTheSameRows(t *testing.T) {
	c := admin(t)
	name := table(t, c, "skill", "CREATE TABLE %s (id bigint PRIMARY KEY, v text)")
	const rows, n = 200000, 50000
	sequence(t, c, name, 1, rows)
	exec(t, c, "ANALYZE "+name)
	read := func(kill bool) []int64 {
		app := fmt.Sprintf("piiscan-test-%08x", rand.Uint32())
		s := open(t, dbscan.Options{Include: []string{"public." + name}, ApplicationName: app, Seed: 9,
			Sample: dbscan.Sample{Mode: dbscan.SampleRows, Rows: n}, ChunkRows: 2000, RetryBackoff: 10 * time.Millisecond})
		killed := 0
		got := dbt.ReadIDs(t, s, "id", func(i int, _ *scanner.Record) {
			if kill && (i == 5000 || i == 20000) {
				killed += terminate(t, c, app)
			}
		})
		if r := s.Results()[0]; kill && (killed < 2 || r.Retries < 2) || r.Err != nil || r.Rows != n {
			t.Errorf("kill %v: terminated %d, result %+v", kill, killed, r)
		}
		return got
	}
	want := read(false)
	if len(want) != n || !slices.IsSorted(want) || len(slices.Compact(slices.Clone(want))) != n {
		t.Fatalf("%d rows, want %d distinct in key order", len(want), n)
	}
	if got := read(true); !slices.Equal(got, want) {
		t.Errorf("terminated twice: %d rows, not the same sample", len(got))
	}
}

// TestValuesAsTextOnEveryReadPath checks that integers reach the scan as
// the server's text output renders them, whichever read put which column
// first and in which format: a full read in storage order (ctid, in binary
// format), a keyset read (the key) and a keyless table.
func TestValuesAsTextOnEveryReadPath(t *testing.T) {
	c := admin(t)
	const ddl = `CREATE TABLE %s (id %s, s smallint, i integer, b bigint, v varchar(8))`
	const rows = `(s, i, b, v) VALUES (-32768, -2147483648, -9223372036854775808, 'a'),
		(32767, 2147483647, 9223372036854775807, 'b'), (0, 0, 0, '0'), (NULL, NULL, NULL, NULL),
		(-1, -12, 13812345678, '用户1')`
	keyed := table(t, c, "ints_k", fmt.Sprintf(ddl, "%s", "bigserial PRIMARY KEY"))
	keyless := table(t, c, "ints_n", fmt.Sprintf(ddl, "%s", "integer"))
	exec(t, c, "INSERT INTO "+keyed+" "+rows)
	exec(t, c, "INSERT INTO "+keyless+" "+rows)
	for _, tc := range []struct {
		name   string
		table  string
		sample string
	}{
		{"full, storage order", keyed, "full"},
		{"keyset", keyed, "1000"},
		{"no key", keyless, "full"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			smp, err := dbscan.ParseSample(tc.sample)
			if err != nil {
				t.Fatal(err)
			}
			var want []map[string]string
			q := "SELECT id::text, s::text, i::text, b::text, v FROM ONLY " + tc.table + " ORDER BY ctid"
			rs, err := c.Query(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			for rs.Next() {
				m := map[string]string{}
				for i, v := range rs.RawValues() {
					if len(v) > 0 {
						m[string(rs.FieldDescriptions()[i].Name)] = string(v)
					}
				}
				want = append(want, m)
			}
			if rs.Err() != nil {
				t.Fatal(rs.Err())
			}
			got, errs := dbt.ReadAll(t, open(t, dbscan.Options{Include: []string{"public." + tc.table}, Sample: smp}))
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			rows := got[src+tc.table]
			if len(rows) != len(want) {
				t.Fatalf("%d rows, want %d", len(rows), len(want))
			}
			for i, r := range rows {
				if !maps.Equal(r.Fields, want[i]) {
					t.Errorf("row %d: %v, want %v", i+1, r.Fields, want[i])
				}
			}
		})
	}
}

// TestTidFromBinary checks the decoding of ctid's binary format: a 4-byte
// block number and a 2-byte offset, big-endian, at the edges of their
// ranges; anything else is refused, which stops a physical read.
func TestTidFromBinary(t *testing.T) {
	var d dialect
	for _, tc := range []struct {
		in   []byte
		want dbscan.Tid
		ok   bool
	}{
		{[]byte{0, 0, 0, 0, 0, 1}, dbscan.Tid{Block: 0, Offset: 1}, true},
		{[]byte{0, 0, 1, 2, 0, 3}, dbscan.Tid{Block: 258, Offset: 3}, true},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, dbscan.Tid{Block: 4294967295, Offset: 65535}, true},
		{[]byte("(0,1)"), dbscan.Tid{}, false},
		{[]byte{0, 0, 0, 0, 1}, dbscan.Tid{}, false},
		{nil, dbscan.Tid{}, false},
	} {
		if got, ok := d.Tid(tc.in); got != tc.want || ok != tc.ok {
			t.Errorf("Tid(%x) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
