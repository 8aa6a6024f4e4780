package deid

import (
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
