package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/piiscan/piiscan/connectors/dbscan"
	"github.com/piiscan/piiscan/connectors/dbscan/dbtest"
	idbtest "github.com/piiscan/piiscan/internal/dbtest"
	"github.com/piiscan/piiscan/scanner"
)

const (
	testDSN = "mysql://root@127.0.0.1:3306/test"
	src     = "mysql://127.0.0.1:3306/test/"
)

// admin connects to the test server (PIISCAN_TEST_MYSQL overrides it) to
// set up tables; it skips the test when no server answers, unless CI=true or
// PIISCAN_REQUIRE_DB=1.
func admin(tb testing.TB) *sql.DB { return idbtest.MySQL(tb) }

func exec(tb testing.TB, db *sql.DB, q string, args ...any) {
	tb.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
}

// table creates a table from ddl, whose %s is replaced by a unique name, and
// drops it when the test ends.
func table(tb testing.TB, db *sql.DB, prefix, ddl string) string {
	tb.Helper()
	name := fmt.Sprintf("%s_%08x", prefix, rand.Uint32())
	exec(tb, db, fmt.Sprintf(ddl, name))
	tb.Cleanup(func() {
		db.Exec("DROP VIEW IF EXISTS " + name)
		db.Exec("DROP TABLE IF EXISTS " + name)
	})
	return name
}

// sequence fills name (id BIGINT PRIMARY KEY, v TEXT) with ids lo..hi.
func sequence(tb testing.TB, db *sql.DB, name string, lo, hi int) {
	tb.Helper()
	const step = 5000
	for a := lo; a <= hi; a += step {
		b := min(a+step-1, hi)
		var sb strings.Builder
		fmt.Fprintf(&sb, "INSERT INTO %s (id, v) VALUES ", name)
		for i := a; i <= b; i++ {
			if i > a {
				sb.WriteByte(',')
			}
			fmt.Fprintf(&sb, "(%d,'v%d')", i, i)
		}
		exec(tb, db, sb.String())
	}
}

func open(tb testing.TB, dsn string, opts dbscan.Options) *Source {
	tb.Helper()
	s, err := Open(context.Background(), dsn, opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func ids(tb testing.TB, rs []dbtest.Row) []int64 {
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

func TestReadsColumnsCommentsAndValues(t *testing.T) {
	db := admin(t)
	name := table(t, db, "people", `CREATE TABLE %s (
		id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(32), note TEXT, phone BIGINT COMMENT '手机',
		id_no VARCHAR(18) COMMENT '身份证号', amount DECIMAL(20,0), doc JSON, raw BLOB, pos POINT, born DATE
	) COMMENT '客户' DEFAULT CHARSET utf8mb4`)
	exec(t, db, "INSERT INTO "+name+` (name, note, phone, id_no, amount, doc, raw, pos, born) VALUES
		('张三', '住址：北京市朝阳区', 13812345678, '11010519491231002X', 6222021234567890123, '{"mobile": "13900001111"}', 'plain text', POINT(1, 2), '1990-01-02'),
		(NULL, '', NULL, NULL, NULL, NULL, X'fffe00', NULL, NULL)`)
	s := open(t, testDSN, dbscan.Options{Include: []string{"test." + name}})

	cat := s.Catalogue()
	if cat.Source != "mysql://127.0.0.1:3306/test" || len(cat.Tables) != 1 {
		t.Fatalf("catalogue %+v", cat)
	}
	tb := cat.Tables[0]
	if tb.Key != "id" || tb.Comment != "客户" || tb.Label != name || tb.Source != src+name {
		t.Errorf("table %+v", tb)
	}
	types := map[string]string{}
	comments := map[string]string{}
	for _, col := range tb.Columns {
		types[col.Name], comments[col.Name] = col.Type, col.Comment
	}
	if types["id_no"] != "varchar(18)" || types["amount"] != "decimal(20,0)" || comments["id_no"] != "身份证号" || comments["phone"] != "手机" {
		t.Errorf("columns %v %v", types, comments)
	}
	rows, errs := dbtest.ReadAll(t, s)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	dbtest.SameBlocks(t, open(t, testDSN, dbscan.Options{Include: []string{"test." + name}}), rows, errs)
	got := rows[src+name]
	if len(got) != 2 || got[0].Num != 1 || got[1].Num != 2 {
		t.Fatalf("rows %+v", rows)
	}
	want := map[string]string{"id": "1", "name": "张三", "note": "住址：北京市朝阳区", "phone": "13812345678",
		"id_no": "11010519491231002X", "amount": "6222021234567890123", "raw": "plain text", "born": "1990-01-02"}
	for k, v := range want {
		if got[0].Fields[k] != v {
			t.Errorf("field %s = %q, want %q", k, got[0].Fields[k], v)
		}
	}
	if !strings.Contains(got[0].Fields["doc"], `"13900001111"`) {
		t.Errorf("json field %q", got[0].Fields["doc"])
	}
	if _, ok := got[0].Fields["pos"]; ok {
		t.Error("spatial column was read")
	}
	if len(got[1].Fields) != 1 || got[1].Fields["id"] != "2" {
		t.Errorf("second row fields %v", got[1].Fields)
	}
}

func TestSamplingAndRowCap(t *testing.T) {
	db := admin(t)
	name := table(t, db, "sample", "CREATE TABLE %s (id BIGINT PRIMARY KEY, v TEXT)")
	sequence(t, db, name, 1, 20000)
	exec(t, db, "ANALYZE TABLE "+name)
	for _, tc := range []struct {
		sample   string
		max      int64
		min, lim int
		inOrder  bool
	}{
		{"full", 0, 20000, 20000, true},
		{"full", 1234, 1234, 1234, true},
		{"500", 0, 400, 500, false},
		{"5%", 0, 700, 1100, false},
		{"30000", 0, 20000, 20000, true},
	} {
		t.Run(tc.sample+"/"+strconv.FormatInt(tc.max, 10), func(t *testing.T) {
			smp, err := dbscan.ParseSample(tc.sample)
			if err != nil {
				t.Fatal(err)
			}
			s := open(t, testDSN, dbscan.Options{Include: []string{"test." + name}, Sample: smp, MaxRows: tc.max, Seed: 7, ChunkRows: 3000})
			rows, errs := dbtest.ReadAll(t, s)
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
			if !tc.inOrder {
				// 100 ranges from random starts: many separate runs of keys.
				runs := 1
				for i := 1; i < len(got); i++ {
					if got[i] != got[i-1]+1 {
						runs++
					}
				}
				if runs < 50 || got[len(got)-1]-got[0] < 10000 {
					t.Errorf("sample of %d rows in %d runs over %d..%d: not random ranges", len(got), runs, got[0], got[len(got)-1])
				}
			}
		})
	}
}

func TestIncrementalByKeyAndUpdatedAt(t *testing.T) {
	db := admin(t)
	byKey := table(t, db, "inc", "CREATE TABLE %s (id BIGINT PRIMARY KEY, v TEXT)")
	byTime := table(t, db, "incu", "CREATE TABLE %s (id BIGINT PRIMARY KEY, v TEXT, updated_at DATETIME NOT NULL)")
	sequence(t, db, byKey, 1, 100)
	exec(t, db, "INSERT INTO "+byTime+" SELECT id, v, '2024-01-01' + INTERVAL id MINUTE FROM "+byKey)
	state := filepath.Join(t.TempDir(), "state.json")
	opts := dbscan.Options{Include: []string{"test." + byKey, "test." + byTime}, State: state, UpdatedColumn: "updated_at"}
	scan := func() (map[string][]dbtest.Row, *Source) {
		s := open(t, testDSN, opts)
		rows, errs := dbtest.ReadAll(t, s)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		return rows, s
	}
	rows, s := scan()
	if len(rows[src+byKey]) != 100 || len(rows[src+byTime]) != 100 {
		t.Fatalf("first run: %d %d rows", len(rows[src+byKey]), len(rows[src+byTime]))
	}
	if err := s.CommitState(); err != nil {
		t.Fatal(err)
	}
	sequence(t, db, byKey, 101, 130)
	exec(t, db, "UPDATE "+byTime+" SET v = 'changed', updated_at = NOW() WHERE id IN (3, 50)")
	rows, s = scan()
	if got := ids(t, rows[src+byKey]); len(got) != 30 || got[0] != 101 || got[29] != 130 {
		t.Errorf("second run by key: %v", got)
	}
	if got := ids(t, rows[src+byTime]); !slices.Equal(got, []int64{3, 50}) {
		t.Errorf("second run by updated_at: %v", got)
	}
	if err := s.CommitState(); err != nil {
		t.Fatal(err)
	}
	rows, _ = scan()
	if len(rows[src+byKey])+len(rows[src+byTime]) != 0 {
		t.Errorf("third run read %d + %d rows, want none", len(rows[src+byKey]), len(rows[src+byTime]))
	}
}

// user creates a MySQL account that can only read the test database, so a
// test can use a real password and kill exactly the scan's connections.
func user(tb testing.TB, db *sql.DB) (name, password string) {
	name = fmt.Sprintf("pt_%08x", rand.Uint32())
	password = fmt.Sprintf("Pw-%08x-s3cret", rand.Uint32())
	exec(tb, db, fmt.Sprintf("CREATE USER '%s'@'%%' IDENTIFIED BY '%s'", name, password))
	tb.Cleanup(func() { db.Exec(fmt.Sprintf("DROP USER '%s'@'%%'", name)) })
	exec(tb, db, fmt.Sprintf("GRANT SELECT ON test.* TO '%s'@'%%'", name))
	return name, password
}

func TestPasswordSourcesAndErrors(t *testing.T) {
	db := admin(t)
	u, pw := user(t, db)
	name := table(t, db, "pw", "CREATE TABLE %s (id BIGINT PRIMARY KEY, v TEXT)")
	sequence(t, db, name, 1, 3)
	opts := dbscan.Options{Include: []string{"test." + name}}
	check := func(s *Source) {
		t.Helper()
		rows, errs := dbtest.ReadAll(t, s)
		if len(errs) > 0 || len(rows[src+name]) != 3 {
			t.Fatalf("rows %v errors %v", rows, errs)
		}
		for source := range rows {
			if strings.Contains(source, pw) || strings.Contains(source, u) {
				t.Errorf("source %q shows credentials", source)
			}
		}
	}
	// In the DSN, in a file, in the environment.
	check(open(t, "mysql://"+u+":"+pw+"@127.0.0.1:3306/test", opts))
	file := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(file, []byte(pw+"\n"), 0o600)
	fo := opts
	fo.PasswordFile = file
	check(open(t, "mysql://"+u+"@127.0.0.1:3306/test", fo))
	t.Setenv(PasswordEnv, pw)
	check(open(t, "mysql://"+u+"@127.0.0.1:3306/test", opts))

	// A refused password and a refused connection: no password in the error.
	for _, dsn := range []string{"mysql://" + u + ":" + pw + "x@127.0.0.1:3306/test", "mysql://" + u + ":" + pw + "@127.0.0.1:1/test"} {
		_, err := Open(context.Background(), dsn, opts)
		if err == nil || strings.Contains(err.Error(), pw) {
			t.Errorf("error %v", err)
		}
	}
}

func TestBadTableIsReportedAndScanGoesOn(t *testing.T) {
	db := admin(t)
	prefix := fmt.Sprintf("bad_%06x", rand.Uint32()>>8)
	a := table(t, db, prefix+"_a", "CREATE TABLE %s (id BIGINT PRIMARY KEY, v TEXT)")
	sequence(t, db, a, 1, 10)
	// A view whose rows raise an error when read.
	fn := prefix + "_boom"
	exec(t, db, "CREATE FUNCTION "+fn+"() RETURNS INT DETERMINISTIC BEGIN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'boom'; RETURN 1; END")
	t.Cleanup(func() { db.Exec("DROP FUNCTION IF EXISTS " + fn) })
	b := table(t, db, prefix+"_b", "CREATE VIEW %s AS SELECT "+fn+"() AS v")
	slow := table(t, db, prefix+"_c", "CREATE VIEW %s AS SELECT CAST(SLEEP(3) AS CHAR) AS v")
	d := table(t, db, prefix+"_d", "CREATE TABLE %s (id BIGINT PRIMARY KEY, v TEXT)")
	sequence(t, db, d, 1, 10)
	s := open(t, testDSN, dbscan.Options{Include: []string{"test." + prefix + "_*"}, Views: true, StatementTimeout: 300 * time.Millisecond, RetryBackoff: time.Millisecond})
	rows, errs := dbtest.ReadAll(t, s)
	if len(rows[src+a]) != 10 || len(rows[src+d]) != 10 {
		t.Errorf("good tables: %d, %d rows", len(rows[src+a]), len(rows[src+d]))
	}
	if len(errs) != 2 {
		t.Fatalf("errors %v, want 2", errs)
	}
	var ie *scanner.InputError
	if !errors.As(errs[0], &ie) || ie.Source != src+b || !strings.Contains(ie.Error(), "boom") {
		t.Errorf("error 0: %v", errs[0])
	}
	if !errors.As(errs[1], &ie) || ie.Source != src+slow || !strings.Contains(strings.ToLower(ie.Error()), "max_statement_time") {
		t.Errorf("error 1: %v", errs[1])
	}
	for _, r := range s.Results() {
		if r.Retries != 0 {
			t.Errorf("%s retried %d times: a failing statement is not a lost connection", r.Table, r.Retries)
		}
	}
}

// killUser kills the connections of user u and returns how many it killed.
func killUser(t *testing.T, db *sql.DB, u string) int {
	t.Helper()
	rs, err := db.Query("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ?", u)
	if err != nil {
		t.Fatal(err)
	}
	var pids []int64
	for rs.Next() {
		var id int64
		rs.Scan(&id)
		pids = append(pids, id)
	}
	rs.Close()
	killed := 0
	for _, id := range pids {
		if _, err := db.Exec(fmt.Sprintf("KILL CONNECTION %d", id)); err == nil {
			killed++
		}
	}
	return killed
}

// TestKilledConnectionResumes kills the scan's connections twice in the
// middle of a table: every row must still come exactly once, with the key
// first or after another column (the reader takes it from its column,
// Read.KeyFromColumn), and with negative keys.
func TestKilledConnectionResumes(t *testing.T) {
	db := admin(t)
	u, pw := user(t, db)
	const n = 100000 // past what the reader buffers ahead (5 batches of 4096 rows) at the second kill
	for _, tc := range []struct {
		name, create string
		lo           int
	}{
		{"key first", "CREATE TABLE %s (id BIGINT PRIMARY KEY, v TEXT)", 1},
		{"key second, negative", "CREATE TABLE %s (v TEXT, id BIGINT PRIMARY KEY)", -n / 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := table(t, db, "kill", tc.create)
			lo, hi := tc.lo, tc.lo+n-1
			sequence(t, db, name, lo, hi)
			s := open(t, "mysql://"+u+":"+pw+"@127.0.0.1:3306/test", dbscan.Options{Include: []string{"test." + name}, ChunkRows: 4000, RetryBackoff: 10 * time.Millisecond})
			seen := make(map[int64]int, n)
			killed := 0
			ids := dbtest.ReadIDs(t, s, "id", func(i int, _ *scanner.Record) {
				if i == 10000 || i == 40000 {
					killed += killUser(t, db, u)
				}
			})
			for _, id := range ids {
				seen[id]++
			}
			if killed < 2 {
				t.Fatalf("killed %d connections, want 2", killed)
			}
			if len(seen) != n {
				t.Errorf("%d distinct ids, want %d", len(seen), n)
			}
			for id, k := range seen {
				if k != 1 || id < int64(lo) || id > int64(hi) {
					t.Fatalf("id %d seen %d times", id, k)
				}
			}
			if r := s.Results()[0]; r.Retries < 2 || r.Rows != n || r.Err != nil {
				t.Errorf("result %+v", r)
			}
		})
	}
}

// TestUnsignedBigintKey: keys beyond int64 (an unsigned BIGINT) cannot be
// cut into int64 ranges: the table is read as one without a usable key.
func TestUnsignedBigintKey(t *testing.T) {
	db := idbtest.MySQL(t)
	name := idbtest.Name("ubig")
	t.Cleanup(func() { db.Exec("DROP TABLE IF EXISTS " + name) })
	for _, q := range []string{
		"CREATE TABLE " + name + " (id BIGINT UNSIGNED PRIMARY KEY, mobile CHAR(11))",
		"INSERT INTO " + name + " VALUES (1, '13812345678'), (9223372036854775808, '13812345679')",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	for _, sample := range []string{"full", "1"} {
		smp, err := dbscan.ParseSample(sample)
		if err != nil {
			t.Fatal(err)
		}
		rows, errs := dbtest.ReadAll(t, open(t, testDSN, dbscan.Options{Include: []string{"test." + name}, Sample: smp}))
		n := 0
		for _, rs := range rows {
			n += len(rs)
		}
		if len(errs) > 0 || n != map[string]int{"full": 2, "1": 1}[sample] {
			t.Fatalf("sample %s: %d rows, errors %v", sample, n, errs)
		}
	}
}

// TestSampleWithoutKeyIsRandom: a table without an integer key, and a view,
// are sampled over all their rows (review bug: the first N rows in storage
// order, so an inventory saw only the oldest rows). The seed repeats the
// sample.
func TestSampleWithoutKeyIsRandom(t *testing.T) {
	db := admin(t)
	nokey := table(t, db, "nokey", "CREATE TABLE %s (id BIGINT NOT NULL, v TEXT)")
	sequence(t, db, nokey, 1, 20000)
	exec(t, db, "ANALYZE TABLE "+nokey)
	keyed := table(t, db, "keyed", "CREATE TABLE %s (id BIGINT PRIMARY KEY, v TEXT)")
	sequence(t, db, keyed, 1, 20000)
	view := table(t, db, "keyview", "CREATE VIEW %s AS SELECT id, v FROM "+keyed)
	for _, tc := range []struct {
		table    string
		sample   string
		max      int64
		min, lim int
	}{
		{nokey, "500", 0, 500, 500},
		{nokey, "5%", 0, 800, 1200},
		{nokey, "5%", 600, 600, 600}, // the cap binds: 600 random rows, not the first 600
		{nokey, "10%", 5000, 1600, 2400},
		{view, "500", 0, 500, 500},
		{nokey, "1", 0, 1, 1},
		{nokey, "30000", 0, 20000, 20000},
	} {
		t.Run(tc.table[:4]+"/"+tc.sample+"/"+strconv.FormatInt(tc.max, 10), func(t *testing.T) {
			smp, err := dbscan.ParseSample(tc.sample)
			if err != nil {
				t.Fatal(err)
			}
			read := func(seed uint64) []int64 {
				s := open(t, testDSN, dbscan.Options{Include: []string{"test." + tc.table}, Views: true, Sample: smp, MaxRows: tc.max, Seed: seed})
				rows, errs := dbtest.ReadAll(t, s)
				if len(errs) > 0 {
					t.Fatal(errs)
				}
				return ids(t, rows[src+tc.table])
			}
			got := read(7)
			if len(got) < tc.min || len(got) > tc.lim {
				t.Fatalf("%d rows, want %d..%d", len(got), tc.min, tc.lim)
			}
			if len(slices.Compact(slices.Sorted(slices.Values(got)))) != len(got) {
				t.Error("rows duplicated")
			}
			if len(got) == 20000 || len(got) == 1 {
				return
			}
			// Spread over the whole table: rows in every tenth of it, the
			// last one included, and no long run of consecutive ids.
			var tenths [10]int
			runs := 1
			for i, id := range got {
				tenths[(id-1)*10/20000]++
				if i > 0 && id != got[i-1]+1 {
					runs++
				}
			}
			for i, n := range tenths {
				if n < len(got)/20 {
					t.Errorf("tenth %d of the table has %d of %d sampled rows: %v", i, n, len(got), tenths)
				}
			}
			if runs < len(got)/2 {
				t.Errorf("%d rows in %d runs of consecutive ids", len(got), runs)
			}
			if again := read(7); !slices.Equal(again, got) {
				t.Error("the same seed gave another sample")
			}
		})
	}
}

// TestSampleWithoutKeyEstimateAndRetry: N rows of a table without a key
// are exactly N whatever information_schema estimated, and a sample whose
// connection is killed twice resumes with the same rows.
func TestSampleWithoutKeyEstimateAndRetry(t *testing.T) {
	db := admin(t)
	u, pw := user(t, db)
	name := table(t, db, "nokeyk", "CREATE TABLE %s (id BIGINT NOT NULL, v TEXT)")
	// Rows of 1.5 kB: the reader's buffers and the socket hold a few
	// thousand, so both kills land while the statement still sends.
	const rows, n = 50000, 20000
	exec(t, db, fmt.Sprintf("INSERT INTO %s SELECT seq, REPEAT('v', 1500) FROM seq_1_to_%d", name, rows))
	smp := dbscan.Sample{Mode: dbscan.SampleRows, Rows: n}
	opts := dbscan.Options{Include: []string{"test." + name}, Sample: smp, Seed: 11, RetryBackoff: 10 * time.Millisecond}
	read := func(estimate int64, kill bool) []int64 {
		s := open(t, "mysql://"+u+":"+pw+"@127.0.0.1:3306/test", opts)
		if estimate != 0 {
			s.Catalogue().Tables[0].Rows = estimate // what a stale information_schema says
		}
		got := dbtest.ReadIDs(t, s, "id", func(i int, _ *scanner.Record) {
			if kill && (i == 3000 || i == 9000) {
				killUser(t, db, u)
			}
		})
		if r := s.Results()[0]; kill && r.Retries < 2 || r.Err != nil || r.Rows != n {
			t.Errorf("estimate %d, kill %v: result %+v", estimate, kill, r)
		}
		return got
	}
	want := read(0, false)
	if len(want) != n || len(slices.Compact(slices.Sorted(slices.Values(want)))) != n {
		t.Fatalf("%d rows, want %d distinct", len(want), n)
	}
	if last := slices.Max(want); last < rows-100 {
		t.Errorf("last id sampled %d of %d", last, rows)
	}
	for _, est := range []int64{-1, 1000, n, 20 * rows} {
		got := read(est, false)
		if len(got) != n || len(slices.Compact(slices.Sorted(slices.Values(got)))) != n {
			t.Errorf("estimate %d: %d rows, want %d distinct", est, len(got), n)
		}
		var tenths [10]int
		for _, id := range got {
			tenths[(id-1)*10/rows]++
		}
		for i, k := range tenths {
			if k < n/10*9/10 || k > n/10*11/10 {
				t.Errorf("estimate %d: tenth %d of the table has %d of %d rows: %v", est, i, k, n, tenths)
				break
			}
		}
	}
	// The kill comparison pins the row estimate: InnoDB recomputes
	// information_schema's estimate in the background after the INSERT, and
	// a run that saw another estimate draws another (equally valid) sample.
	pinned := read(rows, false)
	if got := read(rows, true); !slices.Equal(got, pinned) {
		t.Errorf("killed twice: %d rows, not the same sample", len(got))
	}
}

// TestColumnPrivileges: a user granted SELECT on some columns of a table
// (GRANT SELECT (a, b) ON t), directly or through a role, gets those
// columns scanned, and the table's result names the others it can see
// (review bug: the whole table was unreadable).
func TestColumnPrivileges(t *testing.T) {
	db := admin(t)
	prefix := fmt.Sprintf("cols_%06x", rand.Uint32()>>8)
	keyed := table(t, db, prefix+"_a", "CREATE TABLE %s (id BIGINT PRIMARY KEY, v TEXT, id_no TEXT, updated_at DATETIME)")
	nokey := table(t, db, prefix+"_b", "CREATE TABLE %s (id BIGINT PRIMARY KEY, v TEXT, id_no TEXT, updated_at DATETIME)")
	none := table(t, db, prefix+"_c", "CREATE TABLE %s (id BIGINT PRIMARY KEY, v TEXT)")
	whole := table(t, db, prefix+"_d", "CREATE TABLE %s (id BIGINT PRIMARY KEY, v TEXT, updated_at DATETIME)")
	viaRole := table(t, db, prefix+"_e", "CREATE TABLE %s (id BIGINT PRIMARY KEY, v TEXT, id_no TEXT)")
	for _, n := range []string{keyed, nokey, none, whole, viaRole} {
		exec(t, db, fmt.Sprintf("INSERT INTO %s (id, v) SELECT seq, CONCAT('v', seq) FROM seq_1_to_3000", n))
		exec(t, db, "ANALYZE TABLE "+n)
	}
	exec(t, db, "UPDATE "+nokey+" SET updated_at = NOW()")
	exec(t, db, "UPDATE "+whole+" SET updated_at = NOW()")
	u := fmt.Sprintf("pt_cols_%08x", rand.Uint32())
	role := u + "_r"
	exec(t, db, fmt.Sprintf("CREATE USER '%s'@'%%' IDENTIFIED BY 'pw-cols'", u))
	exec(t, db, "CREATE ROLE "+role)
	t.Cleanup(func() {
		db.Exec(fmt.Sprintf("DROP USER '%s'@'%%'", u))
		db.Exec("DROP ROLE " + role)
	})
	for _, q := range []string{
		"GRANT SELECT (id, v) ON test." + keyed + " TO '%s'@'%%'",
		"GRANT SELECT (v, updated_at), INSERT (id, id_no) ON test." + nokey + " TO '%s'@'%%'", // the key only visible
		"GRANT INSERT (id) ON test." + none + " TO '%s'@'%%'",
		"GRANT SELECT ON test." + whole + " TO '%s'@'%%'",
		"GRANT INSERT (id_no) ON test." + viaRole + " TO '%s'@'%%'",
	} {
		exec(t, db, fmt.Sprintf(q, u))
	}
	exec(t, db, "GRANT SELECT (id, v) ON test."+viaRole+" TO "+role)
	exec(t, db, fmt.Sprintf("GRANT %s TO '%s'@'%%'", role, u))
	exec(t, db, fmt.Sprintf("SET DEFAULT ROLE %s FOR '%s'@'%%'", role, u))
	for _, sample := range []string{"full", "500"} {
		t.Run(sample, func(t *testing.T) {
			smp, _ := dbscan.ParseSample(sample)
			s := open(t, "mysql://"+u+":pw-cols@127.0.0.1:3306/test", dbscan.Options{Include: []string{"test." + prefix + "_*"}, Sample: smp, UpdatedColumn: "updated_at", Seed: 3})
			rows, errs := dbtest.ReadAll(t, s)
			want := map[string]int{"full": 3000, "500": 500}[sample]
			for name, fields := range map[string][]string{keyed: {"id", "v"}, nokey: {"updated_at", "v"}, whole: {"id", "updated_at", "v"}, viaRole: {"id", "v"}} {
				if n := len(rows[src+name]); n < want*8/10 || n > want {
					t.Errorf("%s: %d rows, want %d", name, n, want)
				}
				for _, r := range rows[src+name] {
					var got []string
					for f := range r.Fields {
						got = append(got, f)
					}
					slices.Sort(got)
					if !slices.Equal(got, fields) {
						t.Fatalf("%s: fields %v, want %v", name, got, fields)
					}
				}
			}
			if len(rows[src+none]) != 0 {
				t.Errorf("%d rows of a table without SELECT", len(rows[src+none]))
			}
			// keyed's other columns are invisible: MySQL lists no column
			// the user holds no privilege on, so nothing can name them.
			dbtest.SourceErrors(t, errs, map[string]string{
				src + nokey:   "columns not read, SELECT not granted: id, id_no (the other",
				src + none:    "no column readable: SELECT not granted on id",
				src + viaRole: "columns not read, SELECT not granted: id_no (the other",
			})
		})
	}
}

// TestSampleWithStaleEstimate: a keyed table that information_schema says
// is smaller than the sample is counted, not read from its first key.
func TestSampleWithStaleEstimate(t *testing.T) {
	db := admin(t)
	name := table(t, db, "stale", "CREATE TABLE %s (id BIGINT PRIMARY KEY, v TEXT)")
	sequence(t, db, name, 1, 20000)
	s := open(t, testDSN, dbscan.Options{Include: []string{"test." + name}, Sample: dbscan.Sample{Mode: dbscan.SampleRows, Rows: 500}, Seed: 5})
	s.Catalogue().Tables[0].Rows = 100 // what a stale estimate says
	rows, errs := dbtest.ReadAll(t, s)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	got := ids(t, rows[src+name])
	if len(got) < 400 || len(got) > 500 || slices.Max(got)-slices.Min(got) < 10000 {
		t.Errorf("%d rows over ids %d..%d: not spread over the table", len(got), slices.Min(got), slices.Max(got))
	}
}
