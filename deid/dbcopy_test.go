package deid

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/piiscan/piiscan/connectors/dbscan"
	"github.com/piiscan/piiscan/connectors/mysql"
	"github.com/piiscan/piiscan/connectors/postgres"
	"github.com/piiscan/piiscan/internal/dbtest"
	"github.com/piiscan/piiscan/masking"
)

const copyRows = 200

// planted is the PI written into a source: per row an ID number, a mobile
// and a card, made with the test's own check-digit and Luhn code.
type planted struct {
	ids, mobiles, cards, names []string
}

func plant() planted {
	var p planted
	surnames := []string{"张", "王", "李", "欧阳", "赵"}
	given := []string{"伟", "芳", "娜娜", "敏", "强"}
	for i := 1; i <= copyRows; i++ {
		p.ids = append(p.ids, idCard(fmt.Sprintf("%s%04d%02d%02d%03d", []string{"110105", "440304", "320102"}[i%3], 1950+i%50, 1+i%12, 1+i%28, i%1000)))
		p.mobiles = append(p.mobiles, fmt.Sprintf("1%d%d%08d", []int{3, 5, 8}[i%3], 8-i%3, 10000000+i*7919%90000000))
		p.cards = append(p.cards, card(fmt.Sprintf("622202%012d", 100000000000+int64(i)*982451653%900000000000)))
		p.names = append(p.names, surnames[i%5]+given[(i/5)%5])
	}
	return p
}

// sourceSQL creates customers and orders (orders.id_no refers to
// customers.id_no: the join must survive masking).
func sourceSQL(engine, prefix string, p planted) []string {
	blob, dec := "BLOB", "DECIMAL(10,2)"
	if engine == "postgres" {
		blob = "BYTEA"
	}
	q := []string{
		fmt.Sprintf(`CREATE TABLE %scustomers (id INT PRIMARY KEY, name VARCHAR(10) NOT NULL, id_no VARCHAR(18), mobile VARCHAR(11),
			card VARCHAR(19), note TEXT, amount %s, joined DATE, photo %s, remark VARCHAR(10))`, prefix, dec, blob),
		fmt.Sprintf(`CREATE TABLE %sorders (id INT PRIMARY KEY, id_no VARCHAR(18), total %s)`, prefix, dec),
	}
	var c, o strings.Builder
	for i := 1; i <= copyRows; i++ {
		if i > 1 {
			c.WriteString(", ")
			o.WriteString(", ")
		}
		j := i - 1
		photo := fmt.Sprintf("X'00ff%02x095c0a'", i%256)
		if engine == "postgres" {
			photo = fmt.Sprintf(`'\x00ff%02x095c0a'::bytea`, i%256)
		}
		remark := "NULL"
		if i%2 == 1 {
			remark = `'a	b\c'` // tab and backslash: COPY and INSERT escaping
			if engine == "mysql" {
				remark = `'a	b\\c'`
			}
		}
		fmt.Fprintf(&c, "(%d, '%s', '%s', '%s', '%s', '客户%s的手机是%s，身份证%s，卡号%s', %d.%02d, '20%02d-%02d-%02d', %s, %s)",
			i, p.names[j], p.ids[j], p.mobiles[j], p.cards[j], p.names[j], p.mobiles[j], p.ids[j], p.cards[j],
			i*13, i%100, 10+i%15, 1+i%12, 1+i%28, photo, remark)
		fmt.Fprintf(&o, "(%d, '%s', %d.50)", 1000+i, p.ids[(j*7)%copyRows], i)
	}
	q = append(q, "INSERT INTO "+prefix+"customers VALUES "+c.String(), "INSERT INTO "+prefix+"orders VALUES "+o.String())
	return q
}

// row is one customer read back as text (NULL as nil): id, name, id_no,
// mobile, card, note, amount, joined, photo (hex), remark.
type row [10]*string

func queryMySQL(t *testing.T, db *sql.DB, table string) []row {
	t.Helper()
	rows, err := db.Query(`SELECT CAST(id AS CHAR), name, id_no, mobile, card, note, CAST(amount AS CHAR), CAST(joined AS CHAR), LOWER(HEX(photo)), remark FROM ` + table + ` ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []row
	for rows.Next() {
		var r row
		var ns [10]sql.NullString
		dest := make([]any, 10)
		for i := range ns {
			dest[i] = &ns[i]
		}
		if err := rows.Scan(dest...); err != nil {
			t.Fatal(err)
		}
		for i, n := range ns {
			if n.Valid {
				s := n.String
				r[i] = &s
			}
		}
		out = append(out, r)
	}
	return out
}

func queryPG(t *testing.T, c *pgx.Conn, table string) []row {
	t.Helper()
	rows, err := c.Query(context.Background(), `SELECT id::text, name, id_no, mobile, card, note, amount::text, joined::text, encode(photo, 'hex'), remark FROM `+table+` ORDER BY id+0`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []row
	for rows.Next() {
		var r row
		dest := make([]any, 10)
		for i := range r {
			dest[i] = &r[i]
		}
		if err := rows.Scan(dest...); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// ordersMySQL and ordersPG read orders.id_no in key order.
func ordersMySQL(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	rows, err := db.Query("SELECT id_no FROM " + table + " ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func ordersPG(t *testing.T, c *pgx.Conn, table string) []string {
	t.Helper()
	rows, err := c.Query(context.Background(), "SELECT id_no FROM "+table+" ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func str(p *string) string {
	if p == nil {
		return "<NULL>"
	}
	return *p
}

// checkCopy compares a masked copy with its source.
func checkCopy(t *testing.T, p planted, src, dst []row, srcOrders, dstOrders []string) {
	t.Helper()
	if len(dst) != len(src) || len(src) != copyRows {
		t.Fatalf("target has %d customers, source %d, want %d", len(dst), len(src), copyRows)
	}
	tokenOf := map[string]string{}
	for i := range src {
		s, d := src[i], dst[i]
		for _, k := range []int{0, 6, 7, 8, 9} { // id, amount, joined, photo, remark
			if str(s[k]) != str(d[k]) {
				t.Fatalf("row %s column %d: %q in the copy, %q in the source", str(s[0]), k, str(d[k]), str(s[k]))
			}
		}
		if (s[9] == nil) != (d[9] == nil) {
			t.Fatalf("row %s: NULL not kept", str(s[0]))
		}
		id, mob, cd := str(d[2]), str(d[3]), str(d[4])
		if id == str(s[2]) || !idValid(id) {
			t.Errorf("row %s: ID token %q (source unchanged or check digit wrong)", str(s[0]), id)
		}
		if mob == str(s[3]) || len(mob) != 11 || mob[0] != '1' {
			t.Errorf("row %s: mobile token %q", str(s[0]), mob)
		}
		if cd == str(s[4]) || !luhnValid(cd) || cd[:6] != str(s[4])[:6] {
			t.Errorf("row %s: card token %q (unchanged, fails Luhn or lost the BIN)", str(s[0]), cd)
		}
		if str(d[1]) == str(s[1]) || !strings.HasPrefix(str(d[1]), string([]rune(str(s[1]))[:1])) {
			t.Errorf("row %s: name %q not masked", str(s[0]), str(d[1]))
		}
		// The same value gets the same token in the note as in its column.
		if note := str(d[5]); !strings.Contains(note, id) || !strings.Contains(note, mob) {
			t.Errorf("row %s: note %q lacks the column tokens", str(s[0]), note)
		}
		tokenOf[str(s[2])] = id
	}
	all := slices.Concat(p.ids, p.mobiles, p.cards)
	for _, d := range dst {
		for _, v := range d[1:6] {
			for _, o := range all {
				if strings.Contains(str(v), o) {
					t.Fatalf("row %s: an original identifier is in the copy", str(d[0]))
				}
			}
		}
	}
	if len(dstOrders) != len(srcOrders) || len(srcOrders) != copyRows {
		t.Fatalf("orders: %d in the copy, %d in the source", len(dstOrders), len(srcOrders))
	}
	for i, o := range srcOrders {
		if dstOrders[i] != tokenOf[o] {
			t.Fatalf("order %d: id_no token %q, the customer's is %q: the join is broken", i, dstOrders[i], tokenOf[o])
		}
	}
}

func copyOptions(t *testing.T) CopyOptions {
	fo := testOptions(t)
	return CopyOptions{Masker: fo.Masker, Detectors: fo.Detectors, Parallel: 2}
}

func mysqlDSN(db string) string { return "mysql://root@127.0.0.1:3306/" + db }

func pgDSN(schema string) string {
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable&schema=" + schema
}

func mustExec(t *testing.T, exec func(string) error, qs ...string) {
	t.Helper()
	for _, q := range qs {
		if err := exec(q); err != nil {
			t.Fatalf("%.80s: %v", q, err)
		}
	}
}

func runCopy(t *testing.T, src dbscan.CopySource, dst dbscan.CopyTarget, o CopyOptions) *CopySummary {
	t.Helper()
	sum, err := CopyDatabase(context.Background(), src, dst, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Tables) != 2 || !sum.Verified || sum.Rows != 2*copyRows {
		t.Fatalf("summary: %d tables, %d rows, verified %v", len(sum.Tables), sum.Rows, sum.Verified)
	}
	for _, ts := range sum.Tables {
		if ts.RowsRead != copyRows || ts.RowsWritten != copyRows || ts.RowsCounted != copyRows {
			t.Fatalf("%s: %d read, %d written, %d counted", ts.Table, ts.RowsRead, ts.RowsWritten, ts.RowsCounted)
		}
	}
	return sum
}

func TestCopyMySQLToMySQLAndPostgres(t *testing.T) {
	my := dbtest.MySQL(t)
	pg := dbtest.Postgres(t)
	ctx := context.Background()
	p := plant()
	prefix := dbtest.Name("cp") + "_"
	myExec := func(q string) error { _, err := my.Exec(q); return err }
	mustExec(t, myExec, sourceSQL("mysql", prefix, p)...)
	t.Cleanup(func() { my.Exec("DROP TABLE IF EXISTS " + prefix + "customers, " + prefix + "orders") })
	srcRows := queryMySQL(t, my, "test."+prefix+"customers")
	srcOrders := ordersMySQL(t, my, "test."+prefix+"orders")

	opts := dbscan.Options{Include: []string{"test." + prefix + "*"}}
	src, err := mysql.OpenCopy(ctx, mysqlDSN("test"), opts, false)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()

	t.Run("mysql", func(t *testing.T) {
		dstDB := dbtest.Name("cpdst")
		t.Cleanup(func() { my.Exec("DROP DATABASE IF EXISTS " + dstDB) })
		dst, err := mysql.OpenCopy(ctx, mysqlDSN(dstDB), dbscan.Options{}, true)
		if err != nil {
			t.Fatal(err)
		}
		defer dst.Close()
		sum := runCopy(t, src, dst, copyOptions(t))
		if sum.Tables[0].Classified["name"] != "cn_name" {
			t.Errorf("name column not classified: %v", sum.Tables[0].Classified)
		}
		checkCopy(t, p, srcRows, queryMySQL(t, my, dstDB+"."+prefix+"customers"), srcOrders,
			ordersMySQL(t, my, dstDB+"."+prefix+"orders"))

		// A second copy refuses the filled tables unless told to replace.
		if _, err := CopyDatabase(ctx, src, dst, copyOptions(t)); err == nil || !strings.Contains(err.Error(), "--replace") {
			t.Fatalf("copy over filled tables: %v", err)
		}
		o := copyOptions(t)
		o.Replace = true
		runCopy(t, src, dst, o)
	})

	t.Run("postgres", func(t *testing.T) {
		schema := dbtest.Name("cpdst")
		t.Cleanup(func() { pg.Exec(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE") })
		dst, err := postgres.OpenCopy(ctx, pgDSN(schema), dbscan.Options{}, true)
		if err != nil {
			t.Fatal(err)
		}
		defer dst.Close()
		runCopy(t, src, dst, copyOptions(t))
		checkCopy(t, p, srcRows, queryPG(t, pg, schema+"."+prefix+"customers"), srcOrders,
			ordersPG(t, pg, schema+"."+prefix+"orders"))
	})
}

func TestCopyPostgresToPostgresAndMySQL(t *testing.T) {
	pg := dbtest.Postgres(t)
	ctx := context.Background()
	p := plant()
	schema := dbtest.Name("cpsrc")
	dstSchema := dbtest.Name("cpdst")
	pgExec := func(q string) error { _, err := pg.Exec(ctx, q); return err }
	mustExec(t, pgExec, "CREATE SCHEMA "+schema)
	t.Cleanup(func() {
		pg.Exec(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE")
		pg.Exec(ctx, "DROP SCHEMA IF EXISTS "+dstSchema+" CASCADE")
	})
	mustExec(t, pgExec, sourceSQL("postgres", schema+".", p)...)
	q := func(tb string) []row { return queryPG(t, pg, tb) }
	ordersOf := func(s string) []string { return ordersPG(t, pg, s+".orders") }
	src, err := postgres.OpenCopy(ctx, pgDSN(""), dbscan.Options{Include: []string{schema + ".*"}}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := postgres.OpenCopy(ctx, pgDSN(dstSchema), dbscan.Options{}, true)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	runCopy(t, src, dst, copyOptions(t))
	checkCopy(t, p, q(schema+".customers"), q(dstSchema+".customers"), ordersOf(schema), ordersOf(dstSchema))

	// The target keeps the source's types, key and NOT NULL; the name column
	// was widened because the policy's tags can be longer than a name.
	var typ string
	var notNull bool
	if err := pg.QueryRow(ctx, `SELECT format_type(atttypid, atttypmod), attnotnull FROM pg_attribute
		WHERE attrelid = $1::regclass AND attname = 'amount'`, dstSchema+".customers").Scan(&typ, &notNull); err != nil {
		t.Fatal(err)
	}
	if typ != "numeric(10,2)" {
		t.Errorf("amount is %s in the copy", typ)
	}

	t.Run("mysql", func(t *testing.T) {
		my := dbtest.MySQL(t)
		dstDB := dbtest.Name("cpdst")
		t.Cleanup(func() { my.Exec("DROP DATABASE IF EXISTS " + dstDB) })
		dst, err := mysql.OpenCopy(ctx, mysqlDSN(dstDB), dbscan.Options{}, true)
		if err != nil {
			t.Fatal(err)
		}
		defer dst.Close()
		runCopy(t, src, dst, copyOptions(t))
		checkCopy(t, p, q(schema+".customers"), queryMySQL(t, my, dstDB+".customers"), ordersOf(schema), ordersMySQL(t, my, dstDB+".orders"))
	})
}

// TestCopyRefusesTargetCollisions: tables of one name in two PostgreSQL
// schemas would land on one table of a MySQL database (or of one ?schema=):
// the copy refuses before writing anything, instead of losing or mixing rows.
func TestCopyRefusesTargetCollisions(t *testing.T) {
	pg := dbtest.Postgres(t)
	my := dbtest.MySQL(t)
	ctx := context.Background()
	s1, s2, dstSchema, dstDB := dbtest.Name("col1"), dbtest.Name("col2"), dbtest.Name("coldst"), dbtest.Name("coldst")
	pgExec := func(q string) error { _, err := pg.Exec(ctx, q); return err }
	t.Cleanup(func() {
		for _, s := range []string{s1, s2, dstSchema} {
			pg.Exec(ctx, "DROP SCHEMA IF EXISTS "+s+" CASCADE")
		}
		my.Exec("DROP DATABASE IF EXISTS " + dstDB)
	})
	mustExec(t, pgExec, "CREATE SCHEMA "+s1, "CREATE SCHEMA "+s2,
		"CREATE TABLE "+s1+".t (id int PRIMARY KEY, v text)", "INSERT INTO "+s1+".t VALUES (1, 'a'), (2, 'b')",
		"CREATE TABLE "+s2+".t (id int PRIMARY KEY, v text)", "INSERT INTO "+s2+".t VALUES (3, 'c')")
	src, err := postgres.OpenCopy(ctx, pgDSN(""), dbscan.Options{Include: []string{s1 + ".t", s2 + ".t"}}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	for _, open := range []func() (dbscan.CopyTarget, error){
		func() (dbscan.CopyTarget, error) { return mysql.OpenCopy(ctx, mysqlDSN(dstDB), dbscan.Options{}, true) },
		func() (dbscan.CopyTarget, error) {
			return postgres.OpenCopy(ctx, pgDSN(dstSchema), dbscan.Options{}, true)
		},
	} {
		dst, err := open()
		if err != nil {
			t.Fatal(err)
		}
		o := copyOptions(t)
		o.Replace = true
		_, err = CopyDatabase(ctx, src, dst, o)
		dst.Close()
		if err == nil || !strings.Contains(err.Error(), "would both be copied into") {
			t.Fatalf("copy into %s: %v", dst, err)
		}
	}
	// Without the collision the copy runs: each schema keeps its own table.
	dst, err := postgres.OpenCopy(ctx, pgDSN(""), dbscan.Options{}, true)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	if name := dst.TargetName(&dbscan.CopyTable{Schema: s1, Name: "t"}, "postgres"); name != s1+".t" {
		t.Fatalf("pg->pg target %s", name)
	}
}

func TestTypedFallback(t *testing.T) {
	for _, tc := range []struct {
		typ, v, masked, want string
		ok                   bool
	}{
		{"date", "1990-05-17", "1990", "1990-01-01", true},
		{"DATE", "2001-12-31", "2001-**-**", "2001-01-01", true},
		{"inet", "10.1.2.3", "10.1.2.0/24", "10.1.2.0/24", true},
		{"inet", "10.1.2.3", "10******", "", false},
		{"bigint", "13812345678", "138****5678", "", false},
		{"timestamp without time zone", "1990-05-17 10:00:00", "1990", "", false},
	} {
		got, ok := typedFallback(tc.typ, []byte(tc.v), []byte(tc.masked))
		if ok != tc.ok || string(got) != tc.want {
			t.Errorf("%s %q -> %q: got %q %v", tc.typ, tc.v, tc.masked, got, ok)
		}
	}
}

// failingSource yields rows of one table and fails after n of them, as a
// source whose connection is killed part way does.
type failingSource struct {
	t *dbscan.CopyTable
	n int
}

func (s *failingSource) Engine() string { return "mysql" }
func (s *failingSource) String() string { return "failing://source" }
func (s *failingSource) Close() error   { return nil }
func (s *failingSource) Tables(context.Context) ([]*dbscan.CopyTable, error) {
	return []*dbscan.CopyTable{s.t}, nil
}
func (s *failingSource) ReadRows(ctx context.Context, t *dbscan.CopyTable, limit int64, row func([][]byte) error) error {
	for i := 1; i <= s.n; i++ {
		if limit > 0 && int64(i) > limit {
			return nil
		}
		if err := row([][]byte{[]byte(fmt.Sprint(i)), []byte("v")}); err != nil {
			return err
		}
	}
	if limit > 0 {
		return nil
	}
	return errors.New("invalid connection")
}

// TestCopyFailureLeavesNoPartialTable: a MySQL target commits in batches;
// when the source fails part way the rows written are removed, and the
// error names the reading side.
func TestCopyFailureLeavesNoPartialTable(t *testing.T) {
	my := dbtest.MySQL(t)
	ctx := context.Background()
	dstDB := dbtest.Name("partial")
	t.Cleanup(func() { my.Exec("DROP DATABASE IF EXISTS " + dstDB) })
	src := &failingSource{n: 25000, t: &dbscan.CopyTable{Name: "big", Label: "big", PrimaryKey: []string{"id"}, Rows: 25000,
		Columns: []dbscan.CopyColumn{{Column: dbscan.Column{Name: "id", Type: "int"}, NotNull: true}, {Column: dbscan.Column{Name: "v", Type: "varchar(8)"}, Text: true, Chars: 8}}}}
	dst, err := mysql.OpenCopy(ctx, mysqlDSN(dstDB), dbscan.Options{}, true)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	sum, err := CopyDatabase(ctx, src, dst, copyOptions(t))
	if err == nil || !strings.Contains(sum.Tables[0].Error, "reading or masking: invalid connection") {
		t.Fatalf("copy error %v, summary %+v", err, sum.Tables)
	}
	var n int
	if err := my.QueryRow("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'big'", dstDB).Scan(&n); err != nil || n != 0 {
		t.Fatalf("partial table left behind (%d, %v)", n, err)
	}
}

// copyOne copies the tables selected by include from src to dst with the
// test policy (and its key when key is set) and returns the summary and
// error.
func copyOne(t *testing.T, srcDSN, dstDSN string, include []string, key bool) (*CopySummary, error) {
	t.Helper()
	ctx := context.Background()
	open := func(dsn string, o dbscan.Options, write bool) dbscan.CopySource {
		var db interface {
			dbscan.CopySource
			dbscan.CopyTarget
		}
		var err error
		if strings.HasPrefix(dsn, "mysql:") {
			db, err = mysql.OpenCopy(ctx, dsn, o, write)
		} else {
			db, err = postgres.OpenCopy(ctx, dsn, o, write)
		}
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	src := open(srcDSN, dbscan.Options{Include: include}, false)
	dst := open(dstDSN, dbscan.Options{}, true).(dbscan.CopyTarget)
	o := copyOptions(t)
	if key {
		k, err := masking.NewKey(bytes.Repeat([]byte{7}, 32))
		if err != nil {
			t.Fatal(err)
		}
		o.Key = k
	}
	return CopyDatabase(ctx, src, dst, o)
}

// pgSchemaSQL makes a parent table and a child that refers to it, with the
// schema features a DBA expects a copy to keep.
func pgSchemaSQL(s string) []string {
	return []string{"CREATE SCHEMA " + s,
		`CREATE TABLE ` + s + `.child (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
			parent_id int NOT NULL, qty int DEFAULT 1 NOT NULL)`,
		`CREATE TABLE ` + s + `.parent (id serial PRIMARY KEY, email varchar(64), code varchar(10) NOT NULL DEFAULT 'N/A',
			status text DEFAULT 'new', CONSTRAINT parent_email_key UNIQUE (email))`,
		`CREATE INDEX parent_code_idx ON ` + s + `.parent (code)`,
		`CREATE INDEX parent_lower_idx ON ` + s + `.parent (lower(status)) WHERE status <> 'x'`,
		`ALTER TABLE ` + s + `.child ADD CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES ` + s + `.parent (id) ON DELETE CASCADE`,
		`COMMENT ON TABLE ` + s + `.parent IS '客户表'`,
		`COMMENT ON COLUMN ` + s + `.parent.email IS '邮箱'`,
		`INSERT INTO ` + s + `.parent (email, code) SELECT 'user' || i || '@example.com', 'C' || i FROM generate_series(1, 30) i`,
		`INSERT INTO ` + s + `.child (parent_id, qty) SELECT 1 + i % 30, i FROM generate_series(1, 50) i`,
	}
}

func mySchemaSQL(p string) []string {
	return []string{
		"CREATE TABLE " + p + "child (id int AUTO_INCREMENT PRIMARY KEY, parent_id int NOT NULL, qty int NOT NULL DEFAULT 1, " +
			"CONSTRAINT " + p + "fk FOREIGN KEY (parent_id) REFERENCES " + p + "parent (id) ON DELETE CASCADE)",
		"CREATE TABLE " + p + "parent (id int AUTO_INCREMENT PRIMARY KEY, email varchar(64) COMMENT '邮箱', " +
			"code varchar(10) NOT NULL DEFAULT 'N/A', UNIQUE KEY email_key (email), KEY code_idx (code)) COMMENT='客户表'",
	}
}

func myFill(t *testing.T, my *sql.DB, p string) {
	t.Helper()
	var b, c strings.Builder
	for i := 1; i <= 30; i++ {
		if i > 1 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "(%d, 'user%d@example.com', 'C%d')", i, i, i)
	}
	for i := 1; i <= 50; i++ {
		if i > 1 {
			c.WriteString(", ")
		}
		fmt.Fprintf(&c, "(%d, %d, %d)", i, 1+i%30, i)
	}
	myExec := func(q string) error { _, err := my.Exec(q); return err }
	mustExec(t, myExec, "SET foreign_key_checks = 0", "INSERT INTO "+p+"parent (id, email, code) VALUES "+b.String(),
		"INSERT INTO "+p+"child VALUES "+c.String())
}

// pgDescribe lists what a PostgreSQL table has besides its rows: indexes,
// constraints, defaults, identity columns and comments, one per line.
func pgDescribe(t *testing.T, pg *pgx.Conn, table string) string {
	t.Helper()
	rows, err := pg.Query(context.Background(), `
		SELECT 'index ' || regexp_replace(pg_get_indexdef(indexrelid), ' ON \S+', ' ON T') FROM pg_index WHERE indrelid = $1::regclass
		UNION ALL SELECT 'constraint ' || contype::text || ' ' || regexp_replace(pg_get_constraintdef(oid), 'REFERENCES \w+\.', 'REFERENCES ') FROM pg_constraint WHERE conrelid = $1::regclass
		UNION ALL SELECT 'default ' || a.attname || ' ' || pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
			WHERE d.adrelid = $1::regclass AND pg_get_expr(d.adbin, d.adrelid) NOT LIKE 'nextval%'
		UNION ALL SELECT 'identity ' || attname || ' ' || attidentity::text FROM pg_attribute WHERE attrelid = $1::regclass AND attidentity <> ''
		UNION ALL SELECT 'comment ' || coalesce(a.attname, '') || ' ' || d.description FROM pg_description d
			LEFT JOIN pg_attribute a ON a.attrelid = d.objoid AND a.attnum = d.objsubid WHERE d.objoid = $1::regclass
		ORDER BY 1`, table)
	if err != nil {
		t.Fatal(err)
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "\n")
}

// TestCopyKeepsSchema: a copy between two PostgreSQL or two MySQL databases
// has the source's keys, unique and secondary indexes, defaults, identity
// columns (with their sequences past the copied keys), comments and foreign
// keys (added after every table is loaded: child sorts before parent); a
// copy to the other engine keeps at least the key, the unique indexes and
// the comments.
func TestCopyKeepsSchema(t *testing.T) {
	pg := dbtest.Postgres(t)
	my := dbtest.MySQL(t)
	ctx := context.Background()
	src, dst, mdst := dbtest.Name("sch_src"), dbtest.Name("sch_dst"), dbtest.Name("sch_dst")
	p := dbtest.Name("sch") + "_"
	pgExec := func(q string) error { _, err := pg.Exec(ctx, q); return err }
	myExec := func(q string) error { _, err := my.Exec(q); return err }
	t.Cleanup(func() {
		pg.Exec(ctx, "DROP SCHEMA IF EXISTS "+src+" CASCADE")
		pg.Exec(ctx, "DROP SCHEMA IF EXISTS "+dst+" CASCADE")
		my.Exec("DROP DATABASE IF EXISTS " + mdst)
		my.Exec("SET foreign_key_checks = 0")
		my.Exec("DROP TABLE IF EXISTS " + p + "child, " + p + "parent")
	})
	mustExec(t, pgExec, pgSchemaSQL(src)...)
	mustExec(t, myExec, "SET foreign_key_checks = 0")
	mustExec(t, myExec, mySchemaSQL(p)...)
	myFill(t, my, p)

	t.Run("postgres to postgres", func(t *testing.T) {
		if _, err := copyOne(t, pgDSN(""), pgDSN(dst), []string{src + ".*"}, true); err != nil {
			t.Fatal(err)
		}
		for _, table := range []string{"parent", "child"} {
			want := strings.ReplaceAll(pgDescribe(t, pg, src+"."+table), src+".", "")
			got := strings.ReplaceAll(pgDescribe(t, pg, dst+"."+table), dst+".", "")
			if table == "parent" { // a serial column is copied as an identity column
				got = strings.Replace(got, "identity id d\n", "", 1)
			}
			if got != want {
				t.Errorf("%s in the copy:\n%s\nin the source:\n%s", table, got, want)
			}
		}
		// The sequences are past the copied keys: new rows get new ids.
		var id int
		if err := pg.QueryRow(ctx, "INSERT INTO "+dst+".parent (email) VALUES ('n@example.com') RETURNING id").Scan(&id); err != nil || id != 31 {
			t.Errorf("new parent id %d (%v), want 31", id, err)
		}
		if err := pg.QueryRow(ctx, "INSERT INTO "+dst+".child (parent_id) VALUES (31) RETURNING id").Scan(&id); err != nil || id != 51 {
			t.Errorf("new child id %d (%v), want 51", id, err)
		}
	})

	t.Run("mysql to mysql", func(t *testing.T) {
		if _, err := copyOne(t, mysqlDSN("test"), mysqlDSN(mdst), []string{"test." + p + "*"}, true); err != nil {
			t.Fatal(err)
		}
		for _, table := range []string{p + "parent", p + "child"} {
			var n, s1, s2 string
			if err := my.QueryRow("SHOW CREATE TABLE test."+table).Scan(&n, &s1); err != nil {
				t.Fatal(err)
			}
			if err := my.QueryRow("SHOW CREATE TABLE "+mdst+"."+table).Scan(&n, &s2); err != nil {
				t.Fatal(err)
			}
			if s1 != s2 {
				t.Errorf("%s in the copy:\n%s\nin the source:\n%s", table, s2, s1)
			}
		}
	})

	// Cross-engine copies keep the key, the unique indexes and the comments.
	t.Run("mysql to postgres", func(t *testing.T) {
		dst := dbtest.Name("sch_x")
		t.Cleanup(func() { pg.Exec(ctx, "DROP SCHEMA IF EXISTS "+dst+" CASCADE") })
		if _, err := copyOne(t, mysqlDSN("test"), pgDSN(dst), []string{"test." + p + "*"}, true); err != nil {
			t.Fatal(err)
		}
		got := pgDescribe(t, pg, dst+"."+p+"parent")
		for _, want := range []string{"comment  客户表", "comment email 邮箱", "UNIQUE INDEX " + p + "parent_email_key ON T USING btree (email)",
			"INDEX " + p + "parent_code_idx ON T USING btree (code)", "identity id d", "constraint p PRIMARY KEY (id)"} {
			if !strings.Contains(got, want) {
				t.Errorf("copy lacks %q:\n%s", want, got)
			}
		}
		if got := pgDescribe(t, pg, dst+"."+p+"child"); !strings.Contains(got, "FOREIGN KEY (parent_id) REFERENCES "+p+"parent(id) ON DELETE CASCADE") {
			t.Errorf("child has no foreign key:\n%s", got)
		}
	})
	t.Run("postgres to mysql", func(t *testing.T) {
		if _, err := copyOne(t, pgDSN(""), mysqlDSN(mdst), []string{src + ".*"}, true); err != nil {
			t.Fatal(err)
		}
		var n, ddl string
		if err := my.QueryRow("SHOW CREATE TABLE "+mdst+".parent").Scan(&n, &ddl); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"PRIMARY KEY (`id`)", "UNIQUE KEY `parent_email_key` (`email`)", "KEY `parent_code_idx` (`code`)",
			"COMMENT '邮箱'", "COMMENT='客户表'", "`id` int(11) NOT NULL AUTO_INCREMENT", "`email` varchar(64)"} {
			if !strings.Contains(ddl, want) {
				t.Errorf("copy lacks %q:\n%s", want, ddl)
			}
		}
		if err := my.QueryRow("SHOW CREATE TABLE "+mdst+".child").Scan(&n, &ddl); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(ddl, "FOREIGN KEY (`parent_id`) REFERENCES `parent` (`id`) ON DELETE CASCADE") {
			t.Errorf("child has no foreign key:\n%s", ddl)
		}
	})
}

// TestCopyKeepsDeclaredLengths: a VARCHAR keeps its declared length (both
// engines count characters) unless a rule for a type found in the column
// lengthens values: a name column masked with '*' stays VARCHAR(10); a
// diagnosis column whose terms are replaced by tags is widened, and only it.
func TestCopyKeepsDeclaredLengths(t *testing.T) {
	pg := dbtest.Postgres(t)
	my := dbtest.MySQL(t)
	ctx := context.Background()
	p := dbtest.Name("len") + "_"
	dst, mdst := dbtest.Name("len_dst"), dbtest.Name("len_dst")
	t.Cleanup(func() {
		my.Exec("DROP TABLE IF EXISTS " + p + "people")
		my.Exec("DROP DATABASE IF EXISTS " + mdst)
		pg.Exec(ctx, "DROP SCHEMA IF EXISTS "+dst+" CASCADE")
	})
	var b strings.Builder
	for i := 1; i <= 40; i++ {
		if i > 1 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "(%d, '%s', '确诊乙肝', 'SO-%d')", i, []string{"张伟", "王芳", "李娜"}[i%3], i)
	}
	myExec := func(q string) error { _, err := my.Exec(q); return err }
	mustExec(t, myExec, "CREATE TABLE "+p+"people (id int PRIMARY KEY, name varchar(10), diagnosis varchar(8), code varchar(12))",
		"INSERT INTO "+p+"people VALUES "+b.String())
	sum, err := copyOne(t, mysqlDSN("test"), pgDSN(dst), []string{"test." + p + "people"}, true)
	if err != nil {
		t.Fatal(err)
	}
	if w := sum.Tables[0].Widened; len(w) != 1 || w["diagnosis"] <= 8 {
		t.Errorf("widened %v, want the diagnosis column only", w)
	}
	types := map[string]string{}
	rows, err := pg.Query(ctx, `SELECT attname::text, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0`, dst+"."+p+"people")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n, ty string
		rows.Scan(&n, &ty)
		types[n] = ty
	}
	if types["name"] != "character varying(10)" || types["code"] != "character varying(12)" {
		t.Errorf("target types %v: declared lengths not kept", types)
	}
	if _, err := copyOne(t, mysqlDSN("test"), mysqlDSN(mdst), []string{"test." + p + "people"}, true); err != nil {
		t.Fatal(err)
	}
	var typ string
	if err := my.QueryRow("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = 'name'", mdst, p+"people").Scan(&typ); err != nil || typ != "varchar(10)" {
		t.Errorf("mysql copy: name is %s (%v)", typ, err)
	}
}

// TestCopyCrossEngineTypes: values another engine has no type for are
// copied faithfully or fail their table with the column and the row's key,
// never changed silently.
func TestCopyCrossEngineTypes(t *testing.T) {
	pg := dbtest.Postgres(t)
	my := dbtest.MySQL(t)
	ctx := context.Background()
	p := dbtest.Name("ty") + "_"
	src, dst, mdst := dbtest.Name("ty_src"), dbtest.Name("ty_dst"), dbtest.Name("ty_dst")
	t.Cleanup(func() {
		my.Exec("DROP TABLE IF EXISTS " + p + "t, " + p + "nn")
		my.Exec("DROP DATABASE IF EXISTS " + mdst)
		pg.Exec(ctx, "DROP SCHEMA IF EXISTS "+src+" CASCADE")
		pg.Exec(ctx, "DROP SCHEMA IF EXISTS "+dst+" CASCADE")
	})
	myExec := func(q string) error { _, err := my.Exec(q); return err }
	mustExec(t, myExec, "SET SESSION sql_mode = ''",
		"CREATE TABLE "+p+"t (id int PRIMARY KEY, tm time, d date, dt datetime, e enum('a','b c'), s set('x','y'))",
		"INSERT INTO "+p+"t VALUES (1, '838:59:59', '0000-00-00', '0000-00-00 00:00:00', 'b c', 'x,y'), "+
			"(2, '-12:30:00', '2024-02-29', '2024-00-10 10:00:00', 'a', ''), (3, '10:00:00.5', NULL, '2024-01-01 00:00:00', NULL, 'y')",
		"CREATE TABLE "+p+"nn (id int PRIMARY KEY, d date NOT NULL)", "INSERT INTO "+p+"nn VALUES (1, '2024-01-01'), (7, '0000-00-00')")

	sum, err := copyOne(t, mysqlDSN("test"), pgDSN(dst), []string{"test." + p + "*"}, true)
	var nn, tt *TableSummary
	for i := range sum.Tables {
		switch sum.Tables[i].Table {
		case p + "nn":
			nn = &sum.Tables[i]
		case p + "t":
			tt = &sum.Tables[i]
		}
	}
	if err == nil || nn == nil || !strings.Contains(nn.Error, "column d, row with id=\"7\"") {
		t.Fatalf("zero date in a NOT NULL column: %v", err)
	}
	if tt == nil || tt.Error != "" || !slices.Contains(tt.Notes, "column d: 1 MySQL zero or invalid dates (0000-00-00) became NULL") ||
		!slices.Contains(tt.Notes, "column dt: 2 MySQL zero or invalid dates (0000-00-00) became NULL") {
		t.Fatalf("summary %+v", tt)
	}
	rows, err := pg.Query(ctx, `SELECT id, tm::text, coalesce(d::text, 'NULL'), coalesce(dt::text, 'NULL'), coalesce(e, 'NULL'), s FROM `+dst+"."+p+`t ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var id int
		var a, b, c, d, e string
		if err := rows.Scan(&id, &a, &b, &c, &d, &e); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%d|%s|%s|%s|%s|%s", id, a, b, c, d, e))
	}
	want := []string{"1|838:59:59|NULL|NULL|b c|x,y", "2|-12:30:00|2024-02-29|NULL|a|", "3|10:00:00|NULL|2024-01-01 00:00:00|NULL|y"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("copied rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, err := pg.Exec(ctx, "INSERT INTO "+dst+"."+p+"t (id, e) VALUES (9, 'z')"); err == nil {
		t.Error("the ENUM's labels are not checked on the target")
	}

	pgExec := func(q string) error { _, err := pg.Exec(ctx, q); return err }
	mustExec(t, pgExec, "CREATE SCHEMA "+src, "CREATE TYPE "+src+".mood AS ENUM ('ok', 'sad')",
		"CREATE TABLE "+src+".e (id int PRIMARY KEY, m "+src+".mood, arr int[], tarr text[])",
		`INSERT INTO `+src+`.e VALUES (1, 'sad', '{1,2}', '{"a,b",NULL}'), (2, 'ok', '{{1,2},{3,4}}', '{}')`,
		"CREATE TABLE "+src+".inf (id int PRIMARY KEY, ts timestamp)",
		"INSERT INTO "+src+".inf VALUES (1, '2024-01-01'), (5, 'infinity')")
	sum, err = copyOne(t, pgDSN(""), mysqlDSN(mdst), []string{src + ".*"}, true)
	if err == nil || !strings.Contains(err.Error(), `column ts, row with id="5": infinity, which a MySQL date cannot hold`) {
		t.Fatalf("infinity into MySQL: %v", err)
	}
	var typ, m, arr, tarr string
	if err := my.QueryRow("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'e' AND COLUMN_NAME = 'm'", mdst).Scan(&typ); err != nil || typ != "enum('ok','sad')" {
		t.Errorf("enum column is %s (%v)", typ, err)
	}
	if err := my.QueryRow("SELECT m, arr, tarr FROM "+mdst+".e WHERE id = 1").Scan(&m, &arr, &tarr); err != nil || m != "sad" || arr != "{1,2}" || tarr != `{"a,b",NULL}` {
		t.Errorf("enum and arrays: %q %q %q (%v)", m, arr, tarr, err)
	}
}

// TestCopyUniqueColumnsStayUnique: masking e-mails keeps the first letter
// and the domain, so z1@qq.com and z2@qq.com both become z*@qq.com, which a
// unique index refuses part way through the copy. With the key such
// columns are tokenised (reported in the summary); without it the copy is
// refused before anything is written, naming the column and the rule to add.
func TestCopyUniqueColumnsStayUnique(t *testing.T) {
	my := dbtest.MySQL(t)
	pg := dbtest.Postgres(t)
	ctx := context.Background()
	p := dbtest.Name("uq") + "_"
	dst, mdst := dbtest.Name("uq_dst"), dbtest.Name("uq_dst")
	t.Cleanup(func() {
		my.Exec("DROP TABLE IF EXISTS " + p + "users, " + p + "logins")
		my.Exec("DROP DATABASE IF EXISTS " + mdst)
		pg.Exec(ctx, "DROP SCHEMA IF EXISTS "+dst+" CASCADE")
	})
	var b, c strings.Builder
	for i := 1; i <= 300; i++ {
		if i > 1 {
			b.WriteString(", ")
			c.WriteString(", ")
		}
		fmt.Fprintf(&b, "(%d, 'z%d@qq.com')", i, i)
		fmt.Fprintf(&c, "(%d, 'z%d@qq.com')", i, 1+i%300)
	}
	myExec := func(q string) error { _, err := my.Exec(q); return err }
	mustExec(t, myExec, "CREATE TABLE "+p+"users (id int PRIMARY KEY, email varchar(64) NOT NULL, UNIQUE KEY (email))",
		"CREATE TABLE "+p+"logins (id int PRIMARY KEY, email varchar(64), FOREIGN KEY (email) REFERENCES "+p+"users (email))",
		"INSERT INTO "+p+"users VALUES "+b.String(), "INSERT INTO "+p+"logins VALUES "+c.String())

	_, err := copyOne(t, mysqlDSN("test"), mysqlDSN(mdst), []string{"test." + p + "*"}, false)
	if err == nil || !strings.Contains(err.Error(), "refused before writing") || !strings.Contains(err.Error(), "column email") ||
		!strings.Contains(err.Error(), "operator: tokenize") {
		t.Fatalf("copy without a key: %v", err)
	}
	var n int
	if err := my.QueryRow("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?", mdst).Scan(&n); err != nil || n != 0 {
		t.Fatalf("a refused copy wrote %d tables (%v)", n, err)
	}

	for _, target := range []string{mysqlDSN(mdst), pgDSN(dst)} {
		sum, err := copyOne(t, mysqlDSN("test"), target, []string{"test." + p + "*"}, true)
		if err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		for _, ts := range sum.Tables {
			if ts.Injective["email"] != "email-masked" || ts.ByRule[uniqueRuleName] != 300 {
				t.Errorf("%s %s: injective %v, rules %v", target, ts.Table, ts.Injective, ts.ByRule)
			}
		}
	}
	rows, err := my.Query("SELECT email FROM " + mdst + "." + p + "users")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for rows.Next() {
		var e string
		rows.Scan(&e)
		if seen[e] || !strings.HasSuffix(e, "@qq.com") || strings.Contains(e, "*") {
			t.Fatalf("e-mail %q: repeated, not a token, or lost its domain", e)
		}
		seen[e] = true
	}
	var joined int
	if err := my.QueryRow("SELECT COUNT(*) FROM " + mdst + "." + p + "logins l JOIN " + mdst + "." + p + "users u ON u.email = l.email").Scan(&joined); err != nil || joined != 300 {
		t.Errorf("%d logins join their user (%v), want 300", joined, err)
	}
}

// pgTestDSN is a DSN of database db on the test server (another database
// than test, so a copy finds none of the source's types there).
func pgTestDSN(db string) string {
	return "postgres://postgres@127.0.0.1:5432/" + db + "?sslmode=disable"
}

// TestCopyCreatesUserTypes: a PostgreSQL-to-PostgreSQL copy into another
// database (QA: "type crm.st does not exist", exit 2, and the dependent
// table lost its foreign key) or another schema creates the enum types and
// domains its tables use in the target schema first, same labels in the
// same order, and the columns, arrays and defaults refer to them there. A
// composite type, which a copy does not create, fails its table by name.
func TestCopyCreatesUserTypes(t *testing.T) {
	pg := dbtest.Postgres(t)
	ctx := context.Background()
	s, db, other := dbtest.Name("ut_crm"), dbtest.Name("ut_db"), dbtest.Name("ut_dst")
	t.Cleanup(func() {
		pg.Exec(ctx, "DROP SCHEMA IF EXISTS "+s+" CASCADE")
		pg.Exec(ctx, "DROP SCHEMA IF EXISTS "+other+" CASCADE")
		pg.Exec(ctx, "DROP DATABASE IF EXISTS "+db)
	})
	pgExec := func(q string) error { _, err := pg.Exec(ctx, q); return err }
	mustExec(t, pgExec, "CREATE SCHEMA "+s, "CREATE DATABASE "+db,
		"CREATE TYPE "+s+".st AS ENUM ('new', 'active', 'gone')",
		"CREATE DOMAIN "+s+".code AS varchar(8) DEFAULT 'C0' NOT NULL CHECK (VALUE ~ '^C')",
		"CREATE TYPE "+s+".addr AS (city text, street text)",
		"CREATE TABLE "+s+".people (id bigserial PRIMARY KEY, status "+s+".st DEFAULT 'new' NOT NULL, "+
			"tags "+s+".st[] DEFAULT '{new}', code "+s+".code, note text)",
		"CREATE TABLE "+s+".orders (id bigserial PRIMARY KEY, person_id bigint REFERENCES "+s+".people (id), status "+s+".st)",
		"CREATE TABLE "+s+".places (id int PRIMARY KEY, a "+s+".addr)",
		"INSERT INTO "+s+".people (status, tags, code, note) SELECT (ARRAY['new','active','gone'])[1 + i % 3]::"+s+".st, '{active,gone}', 'C' || i, 'n' || i FROM generate_series(1, 20) i",
		"INSERT INTO "+s+".orders (person_id, status) SELECT 1 + i % 20, 'active' FROM generate_series(1, 30) i",
		"INSERT INTO "+s+".places VALUES (1, ROW('x', 'y'))")

	for _, target := range []struct{ name, dsn, conn, schema string }{
		{"another database", pgTestDSN(db), pgTestDSN(db), s},
		{"another schema", pgDSN(other), pgTestDSN("test"), other},
	} {
		t.Run(target.name, func(t *testing.T) {
			sum, err := copyOne(t, pgDSN(""), target.dsn, []string{s + ".*"}, true)
			byName := map[string]TableSummary{}
			for _, ts := range sum.Tables {
				byName[ts.Table] = ts
			}
			if err == nil || !strings.Contains(byName[s+".places"].Error, "column a: the composite type "+s+".addr is not created by a copy") {
				t.Fatalf("composite column: %v (%+v)", err, byName[s+".places"])
			}
			for _, table := range []string{"people", "orders"} {
				if ts := byName[s+"."+table]; ts.Error != "" || ts.RowsCounted == 0 {
					t.Fatalf("%s: %+v", table, ts)
				}
			}
			if !slices.ContainsFunc(byName[s+".people"].Notes, func(n string) bool {
				return strings.Contains(n, "domain "+target.schema+".code created without its CHECK")
			}) {
				t.Errorf("people notes %v", byName[s+".people"].Notes)
			}
			dc, err := pgx.Connect(ctx, target.conn)
			if err != nil {
				t.Fatal(err)
			}
			defer dc.Close(ctx)
			var labels, coltypes, fk string
			if err := dc.QueryRow(ctx, `SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = $1::regtype`, target.schema+".st").Scan(&labels); err != nil || labels != "new,active,gone" {
				t.Errorf("enum labels %q (%v)", labels, err)
			}
			if err := dc.QueryRow(ctx, `SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) FROM pg_attribute
				WHERE attrelid = $1::regclass AND attnum > 0`, target.schema+".people").Scan(&coltypes); err != nil ||
				coltypes != "id bigint, status "+target.schema+".st, tags "+target.schema+".st[], code "+target.schema+".code, note text" {
				t.Errorf("column types %q (%v)", coltypes, err)
			}
			if err := dc.QueryRow(ctx, `SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f'`, target.schema+".orders").Scan(&fk); err != nil ||
				!strings.Contains(fk, "REFERENCES "+target.schema+".people(id)") {
				t.Errorf("orders foreign key %q (%v)", fk, err)
			}
			var st, tags, code string
			if err := dc.QueryRow(ctx, `INSERT INTO `+target.schema+`.people (note) VALUES ('x') RETURNING status::text, tags::text, code::text`).Scan(&st, &tags, &code); err != nil ||
				st != "new" || tags != "{new}" || code != "C0" {
				t.Errorf("defaults on the copy: %q %q %q (%v)", st, tags, code, err)
			}
			if err := dc.QueryRow(ctx, `SELECT status::text || ' ' || tags::text FROM `+target.schema+`.people WHERE id = 1`).Scan(&st); err != nil || st != "active {active,gone}" {
				t.Errorf("copied row: %q (%v)", st, err)
			}
		})
	}
	// A type of that name with other labels is not changed: the table fails
	// and says why.
	mustExec(t, pgExec, "DROP SCHEMA "+other+" CASCADE", "CREATE SCHEMA "+other, "CREATE TYPE "+other+".st AS ENUM ('new', 'active')")
	sum, err := copyOne(t, pgDSN(""), pgDSN(other), []string{s + ".people"}, true)
	if err == nil || len(sum.Tables) != 1 || !strings.Contains(sum.Tables[0].Error, "type "+other+".st exists in the target with other labels") {
		t.Fatalf("enum with other labels: %v (%+v)", err, sum.Tables)
	}
}

// TestCopyCrossEngineIdentity: the Rails/Laravel key BIGINT UNSIGNED NOT
// NULL AUTO_INCREMENT PRIMARY KEY becomes a bigint identity column on
// PostgreSQL, its sequence past the copied keys (QA: it became numeric(20,0)
// without identity and inserts without an id failed); a key above bigint's
// range fails its table clearly. A PostgreSQL table with a bigserial key and
// a second identity column copies to MySQL (QA: error 1075, one auto
// column): the key keeps AUTO_INCREMENT, the other column is plain with its
// unique index, as the table's notes say.
func TestCopyCrossEngineIdentity(t *testing.T) {
	pg := dbtest.Postgres(t)
	my := dbtest.MySQL(t)
	ctx := context.Background()
	p := dbtest.Name("ai") + "_"
	src, dst, mdst := dbtest.Name("ai_src"), dbtest.Name("ai_dst"), dbtest.Name("ai_dst")
	t.Cleanup(func() {
		my.Exec("DROP TABLE IF EXISTS " + p + "users, " + p + "huge")
		my.Exec("DROP DATABASE IF EXISTS " + mdst)
		pg.Exec(ctx, "DROP SCHEMA IF EXISTS "+src+" CASCADE")
		pg.Exec(ctx, "DROP SCHEMA IF EXISTS "+dst+" CASCADE")
	})
	myExec := func(q string) error { _, err := my.Exec(q); return err }
	mustExec(t, myExec, "CREATE TABLE "+p+"users (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, email varchar(64))",
		"INSERT INTO "+p+"users (email) VALUES ('a@example.com'), ('b@example.com')", "INSERT INTO "+p+"users VALUES (40, 'c@example.com')",
		"CREATE TABLE "+p+"huge (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, v int)",
		"INSERT INTO "+p+"huge VALUES (1, 1), (9223372036854775808, 2)")
	sum, err := copyOne(t, mysqlDSN("test"), pgDSN(dst), []string{"test." + p + "*"}, true)
	byName := map[string]TableSummary{}
	for _, ts := range sum.Tables {
		byName[ts.Table] = ts
	}
	if err == nil || !strings.Contains(byName[p+"huge"].Error, `column id, row with id="9223372036854775808": an unsigned BIGINT AUTO_INCREMENT value above 9223372036854775807`) {
		t.Fatalf("key above bigint: %v (%+v)", err, byName[p+"huge"])
	}
	if ts := byName[p+"users"]; ts.Error != "" || ts.RowsCounted != 3 {
		t.Fatalf("users: %+v", ts)
	}
	var typ, ident string
	if err := pg.QueryRow(ctx, `SELECT format_type(atttypid, atttypmod), attidentity::text FROM pg_attribute WHERE attrelid = $1::regclass AND attname = 'id'`,
		dst+"."+p+"users").Scan(&typ, &ident); err != nil || typ != "bigint" || ident != "d" {
		t.Errorf("id is %s identity %q (%v), want bigint identity by default", typ, ident, err)
	}
	var id int64
	if err := pg.QueryRow(ctx, "INSERT INTO "+dst+"."+p+"users (email) VALUES ('n@example.com') RETURNING id").Scan(&id); err != nil || id != 41 {
		t.Errorf("new id %d (%v), want 41", id, err)
	}

	pgExec := func(q string) error { _, err := pg.Exec(ctx, q); return err }
	mustExec(t, pgExec, "CREATE SCHEMA "+src,
		"CREATE TABLE "+src+".tickets (id bigserial PRIMARY KEY, no bigint GENERATED ALWAYS AS IDENTITY UNIQUE, subject text)",
		"INSERT INTO "+src+".tickets (subject) SELECT 's' || i FROM generate_series(1, 10) i")
	sum, err = copyOne(t, pgDSN(""), mysqlDSN(mdst), []string{src + ".*"}, true)
	if err != nil {
		t.Fatal(err)
	}
	if n := sum.Tables[0].Notes; !slices.Contains(n, "column no: an identity column on PostgreSQL, a plain column here (MySQL allows one AUTO_INCREMENT column per table, kept on id); its unique index is kept") {
		t.Errorf("notes %q", n)
	}
	var name, ddl string
	if err := my.QueryRow("SHOW CREATE TABLE "+mdst+".tickets").Scan(&name, &ddl); err != nil {
		t.Fatal(err)
	}
	if strings.Count(ddl, "AUTO_INCREMENT") != 2 || !strings.Contains(ddl, "`id` bigint(20) NOT NULL AUTO_INCREMENT") || !strings.Contains(ddl, "UNIQUE KEY `tickets_no_key` (`no`)") {
		t.Errorf("target table:\n%s", ddl)
	}
}
