package mysql

// A MySQL/MariaDB database as the source or target of a database copy
// (dbscan.CopySource, dbscan.CopyTarget).
//
// Rows are read with one SELECT per table in primary-key order over the text
// protocol (sql.RawBytes, no conversion), sessions in UTC so TIMESTAMP
// values round-trip. They are written with multi-row INSERT statements of up
// to 1,000 rows (fewer for wide tables or large values), committed every
// 10,000 rows, on connections with foreign_key_checks off (tables are
// filled in any order), strict mode on (a value the column cannot hold is an
// error, never truncated) and NO_AUTO_VALUE_ON_ZERO (a key 0 stays 0).
//
// A MySQL source's tables are recreated from SHOW CREATE TABLE (indexes,
// foreign keys, defaults, charsets and all), with character columns that
// masking may lengthen widened. A PostgreSQL source's tables are built from
// the catalogue with the types mapped as in pgType. The target DSN's
// database is created when missing.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/piiscan/piiscan/connectors/dbscan"
)

// CopyDB is a MySQL/MariaDB database opened for a copy.
type CopyDB struct {
	d    dbscan.DSN
	opts dbscan.Options
	db   *sql.DB
}

var (
	_ dbscan.CopySource = (*CopyDB)(nil)
	_ dbscan.CopyTarget = (*CopyDB)(nil)
)

// OpenCopy connects to a database to copy from or (write) into. The DSN must
// name the database. Include/Exclude select tables by "db.table" globs.
func OpenCopy(ctx context.Context, dsn string, opts dbscan.Options, write bool) (*CopyDB, error) {
	opts = opts.WithDefaults()
	d, err := dbscan.ParseDSN(dsn, 3306, "mysql", "mariadb")
	if err != nil {
		return nil, err
	}
	if d.Database == "" {
		return nil, fmt.Errorf("%s: a copy needs the database name in the DSN (mysql://host:port/db)", d)
	}
	if err := dbscan.ResolvePassword(&d, opts.PasswordFile, PasswordEnv); err != nil {
		return nil, fmt.Errorf("%s: %w", d, err)
	}
	cfg := gomysql.NewConfig()
	cfg.User = d.User
	if cfg.User == "" {
		cfg.User = os.Getenv("USER")
	}
	cfg.Passwd = d.Password
	cfg.Net = "tcp"
	cfg.Addr = d.Addr()
	cfg.InterpolateParams = true // text protocol, and no prepare round trip per batch
	cfg.Timeout = 10 * time.Second
	cfg.Logger = quiet{}
	cfg.Params = map[string]string{"time_zone": "'+00:00'"}
	if write {
		cfg.Params["foreign_key_checks"] = "0"
		cfg.Params["sql_mode"] = "'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION'"
		cfg.MaxAllowedPacket = 0 // ask the server
	} else {
		cfg.DBName = d.Database
	}
	if v := d.Params.Get("tls"); v != "" {
		cfg.TLSConfig = v
	}
	conn, err := gomysql.NewConnector(cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d, dbscan.Scrub(err, d.Password))
	}
	db := sql.OpenDB(conn)
	db.SetMaxOpenConns(opts.MaxConns)
	db.SetMaxIdleConns(opts.MaxConns)
	c := &CopyDB{d: d, opts: opts, db: db}
	if write {
		_, err = db.ExecContext(ctx, "CREATE DATABASE IF NOT EXISTS "+ident(d.Database))
	} else {
		err = db.PingContext(ctx)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", d, c.fail(err))
	}
	return c, nil
}

func (c *CopyDB) fail(err error) error { return dbscan.Scrub(err, c.d.Password) }

// Engine implements dbscan.CopySource and dbscan.CopyTarget.
func (c *CopyDB) Engine() string { return "mysql" }

// String is the DSN without user or password.
func (c *CopyDB) String() string { return c.d.String() }

// Close closes the connections.
func (c *CopyDB) Close() error { return c.db.Close() }

var charTypes = []string{"char", "varchar", "tinytext", "text", "mediumtext", "longtext", "json"}

// Tables lists the selected base tables of the DSN's database.
func (c *CopyDB) Tables(ctx context.Context) ([]*dbscan.CopyTable, error) {
	for _, p := range append(slices.Clone(c.opts.Include), c.opts.Exclude...) {
		if strings.Count(p, ".") > 1 {
			return nil, fmt.Errorf("pattern %q: a copy selects whole tables (db.table), not columns", p)
		}
	}
	filter, err := dbscan.NewTableFilter(c.opts.Include, c.opts.Exclude)
	if err != nil {
		return nil, err
	}
	tables, err := discover(ctx, c.db, c.d, false)
	if err != nil {
		return nil, c.fail(err)
	}
	tables = dbscan.SelectUpdated(tables, filter, dbscan.Shard{}, "")
	type colInfo struct {
		dataType string
		notNull  bool
		chars    int64
		key      int64 // position in the primary key, 0 if none
		extra    string
	}
	info := map[[2]string]colInfo{}
	rows, err := c.db.QueryContext(ctx, `SELECT c.TABLE_NAME, c.COLUMN_NAME, LOWER(c.DATA_TYPE), c.IS_NULLABLE = 'NO',
		COALESCE(c.CHARACTER_MAXIMUM_LENGTH, 0), COALESCE(k.ORDINAL_POSITION, 0), LOWER(c.EXTRA)
		FROM information_schema.COLUMNS c LEFT JOIN information_schema.KEY_COLUMN_USAGE k
		ON k.TABLE_SCHEMA = c.TABLE_SCHEMA AND k.TABLE_NAME = c.TABLE_NAME AND k.COLUMN_NAME = c.COLUMN_NAME
		AND k.CONSTRAINT_NAME = 'PRIMARY'
		WHERE c.TABLE_SCHEMA = ?`, c.d.Database)
	if err != nil {
		return nil, c.fail(err)
	}
	for rows.Next() {
		var t, col string
		var ci colInfo
		if err := rows.Scan(&t, &col, &ci.dataType, &ci.notNull, &ci.chars, &ci.key, &ci.extra); err != nil {
			rows.Close()
			return nil, c.fail(err)
		}
		info[[2]string{t, col}] = ci
	}
	if err := rows.Err(); err != nil {
		return nil, c.fail(err)
	}
	out := make([]*dbscan.CopyTable, 0, len(tables))
	for _, t := range tables {
		ct := &dbscan.CopyTable{Schema: t.Schema, Name: t.Name, Label: t.Label, Comment: t.Comment, Rows: t.Rows}
		var keys []int64
		for _, col := range t.Columns {
			ci := info[[2]string{t.Name, col.Name}]
			cc := dbscan.CopyColumn{Column: col, NotNull: ci.notNull, Text: slices.Contains(charTypes, ci.dataType),
				Generated: strings.Contains(ci.extra, "generated") && !strings.Contains(ci.extra, "default_generated")}
			if ci.dataType == "char" || ci.dataType == "varchar" {
				cc.Chars = int(ci.chars)
			}
			// Spatial and BIT values arrive as raw bytes: copy them as such.
			cc.Binary = col.Binary || col.Skip
			cc.Skip = false
			if ci.key > 0 {
				ct.PrimaryKey = append(ct.PrimaryKey, col.Name)
				keys = append(keys, ci.key)
			}
			ct.Columns = append(ct.Columns, cc)
		}
		// Key columns in key order, not column order.
		idx := make([]int, len(keys))
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(a, b int) int { return int(keys[a] - keys[b]) })
		pk := make([]string, len(idx))
		for i, j := range idx {
			pk[i] = ct.PrimaryKey[j]
		}
		ct.PrimaryKey = pk
		var name string
		err := c.db.QueryRowContext(ctx, "SHOW CREATE TABLE "+ident(t.Schema, t.Name)).Scan(&name, &ct.DDL)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.Source, c.fail(err))
		}
		out = append(out, ct)
	}
	return out, nil
}

// ReadRows implements dbscan.CopySource.
func (c *CopyDB) ReadRows(ctx context.Context, t *dbscan.CopyTable, limit int64, row func([][]byte) error) error {
	var b strings.Builder
	b.WriteString("SELECT ")
	for i, col := range t.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(ident(col.Name))
	}
	b.WriteString(" FROM " + ident(t.Schema, t.Name))
	if len(t.PrimaryKey) > 0 {
		b.WriteString(" ORDER BY " + dbscan.QuoteList(ident, t.PrimaryKey))
	}
	if limit > 0 {
		b.WriteString(" LIMIT " + strconv.FormatInt(limit, 10))
	}
	rows, err := c.db.QueryContext(ctx, b.String())
	if err != nil {
		return c.fail(err)
	}
	defer rows.Close()
	raw := make([]sql.RawBytes, len(t.Columns))
	dest := make([]any, len(raw))
	vals := make([][]byte, len(raw))
	for i := range raw {
		dest[i] = &raw[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return c.fail(err)
		}
		for i, v := range raw {
			if v == nil {
				vals[i] = nil
			} else {
				vals[i] = v[:len(v):len(v)]
			}
		}
		if err := row(vals); err != nil {
			return err
		}
	}
	return c.fail(rows.Err())
}

// copyTable is a target table.
type copyTable struct {
	c    *CopyDB
	name string
	cols []string
	conv []func([]byte) []byte // per column, nil: the value as it is
	bin  []bool
	skip []bool // generated by the target: not written

	created bool // Prepare created the table (Abort drops it)
}

// Abort removes what a failed copy wrote: MySQL commits the rows in
// batches, so a copy that fails part way would leave a partial table. A
// table Prepare created is dropped; an empty one the user made is emptied.
func (t *copyTable) Abort(ctx context.Context) error {
	q := "DELETE FROM " + ident(t.c.d.Database, t.name)
	if t.created {
		q = "DROP TABLE IF EXISTS " + ident(t.c.d.Database, t.name)
	}
	_, err := t.c.db.ExecContext(ctx, q)
	return err
}

func (t *copyTable) Name() string { return t.c.d.Database + "." + t.name }

// TargetName implements dbscan.CopyTarget: every table goes into the DSN's
// database, whatever schema it came from.
func (c *CopyDB) TargetName(t *dbscan.CopyTable, src string) string {
	return c.d.Database + "." + t.Name
}

// Prepare implements dbscan.CopyTarget.
func (c *CopyDB) Prepare(ctx context.Context, t *dbscan.CopyTable, src string, widen []int, replace bool) (dbscan.TargetTable, error) {
	tt := &copyTable{c: c, name: t.Name}
	sameDDL := src == "mysql" && t.DDL != ""
	for _, col := range t.Columns {
		tt.cols = append(tt.cols, col.Name)
		tt.bin = append(tt.bin, col.Binary)
		tt.skip = append(tt.skip, sameDDL && col.Generated)
		var conv func([]byte) []byte
		if src == "postgres" {
			conv = pgConv(col.Type)
		}
		tt.conv = append(tt.conv, conv)
	}
	qname := ident(c.d.Database, t.Name)
	var n int
	if err := c.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`,
		c.d.Database, t.Name).Scan(&n); err != nil {
		return nil, c.fail(err)
	}
	if n > 0 {
		var one int
		err := c.db.QueryRowContext(ctx, "SELECT 1 FROM "+qname+" LIMIT 1").Scan(&one)
		hasRows := err == nil
		if err != nil && err != sql.ErrNoRows {
			return nil, c.fail(err)
		}
		switch {
		case !hasRows && !replace:
			return tt, nil // an empty table the user made: fill it as it is
		case hasRows && !replace:
			return nil, fmt.Errorf("target table %s exists and has rows; use --replace to drop and recreate it", tt.Name())
		}
		if _, err := c.db.ExecContext(ctx, "DROP TABLE "+qname); err != nil {
			return nil, c.fail(err)
		}
	}
	var ddl string
	if sameDDL {
		var err error
		if ddl, err = reuseDDL(t.DDL, qname, t, widen); err != nil {
			return nil, fmt.Errorf("%s: %w", tt.Name(), err)
		}
	} else {
		ddl = buildDDL(qname, t, widen)
	}
	if _, err := c.db.ExecContext(ctx, ddl); err != nil {
		return nil, fmt.Errorf("creating %s: %w", tt.Name(), c.fail(err))
	}
	tt.created = true
	return tt, nil
}

var ddlHead = regexp.MustCompile("^CREATE TABLE `(?:[^`]|``)+` ")

// reuseDDL turns a source's SHOW CREATE TABLE into the target's: the table
// qualified with the target database, and char/varchar columns that masking
// may lengthen widened (to TEXT when wider than a VARCHAR can be).
func reuseDDL(ddl, qname string, t *dbscan.CopyTable, widen []int) (string, error) {
	loc := ddlHead.FindStringIndex(ddl)
	if loc == nil {
		return "", fmt.Errorf("SHOW CREATE TABLE gave an unexpected statement")
	}
	ddl = "CREATE TABLE " + qname + " " + ddl[loc[1]:]
	lines := strings.Split(ddl, "\n")
	for i, col := range t.Columns {
		if i >= len(widen) || widen[i] <= col.Chars || col.Chars == 0 {
			continue
		}
		prefix := "  " + ident(col.Name) + " "
		for j, l := range lines {
			if !strings.HasPrefix(l, prefix) {
				continue
			}
			rest := l[len(prefix):]
			typ, after, ok := strings.Cut(rest, ")")
			if !ok || !(strings.HasPrefix(typ, "varchar(") || strings.HasPrefix(typ, "char(")) {
				break
			}
			w := "varchar(" + strconv.Itoa(widen[i]) + ")"
			if widen[i] > 16383 { // 65,535 bytes of utf8mb4
				w = "mediumtext"
			}
			lines[j] = prefix + w + after
			break
		}
	}
	return strings.Join(lines, "\n"), nil
}

// buildDDL creates a table for a PostgreSQL source.
func buildDDL(qname string, t *dbscan.CopyTable, widen []int) string {
	return dbscan.CreateTable(qname, t, ident, func(i int) string {
		col := t.Columns[i]
		typ := pgType(col.Type, slices.Contains(t.PrimaryKey, col.Name))
		if i < len(widen) && widen[i] > col.Chars && col.Chars > 0 {
			typ = "varchar(" + strconv.Itoa(widen[i]) + ")"
			if widen[i] > 16383 {
				typ = "mediumtext"
			}
		}
		return typ
	}, " DEFAULT CHARSET=utf8mb4")
}

// pgType maps a PostgreSQL format_type to MySQL: integer and float types to
// their namesakes, numeric(p,s) to DECIMAL(p,s) (unconstrained numeric to
// DECIMAL(65,30)), boolean to TINYINT(1), character types keep their length,
// text to LONGTEXT (VARCHAR(255) when it is part of the primary key),
// bytea to LONGBLOB, timestamps to DATETIME(6) (with time zone: in UTC),
// date and time alike, json/jsonb to JSON, uuid to CHAR(36), anything else
// (arrays, intervals, enums, network types) to LONGTEXT.
func pgType(t string, key bool) string {
	base, args, _ := strings.Cut(t, "(")
	args, _, _ = strings.Cut(args, ")")
	base = strings.TrimSpace(base)
	if strings.HasSuffix(t, "[]") {
		return "longtext"
	}
	switch base {
	case "smallint":
		return "smallint"
	case "integer":
		return "int"
	case "bigint":
		return "bigint"
	case "real":
		return "float"
	case "double precision":
		return "double"
	case "numeric":
		if args == "" {
			return "decimal(65,30)"
		}
		return "decimal(" + args + ")"
	case "boolean":
		return "tinyint(1)"
	case "character varying":
		if args == "" {
			if key {
				return "varchar(255)"
			}
			return "longtext"
		}
		return "varchar(" + args + ")"
	case "character":
		return "char(" + args + ")"
	case "text", "name", "citext":
		if key {
			return "varchar(255)"
		}
		return "longtext"
	case "bytea":
		return "longblob"
	case "timestamp", "timestamp without time zone", "timestamp with time zone":
		return "datetime(6)"
	case "date":
		return "date"
	case "time", "time without time zone", "time with time zone":
		return "time(6)"
	case "json", "jsonb":
		return "json"
	case "uuid":
		return "char(36)"
	}
	if key {
		return "varchar(255)"
	}
	return "longtext"
}

// pgConv converts PostgreSQL's text output for the MySQL column pgType made:
// booleans t/f to 1/0, and the +00 zone suffix of UTC timestamps and times
// dropped.
func pgConv(t string) func([]byte) []byte {
	switch {
	case t == "boolean":
		return func(v []byte) []byte {
			if len(v) == 1 && v[0] == 't' {
				return []byte{'1'}
			}
			if len(v) == 1 && v[0] == 'f' {
				return []byte{'0'}
			}
			return v
		}
	case strings.HasSuffix(t, "with time zone"):
		return func(v []byte) []byte {
			if i := strings.LastIndexAny(string(v), "+-"); i > 0 && i >= len(v)-6 && v[i-1] != '-' && (len(v)-i == 3 || len(v)-i == 6) {
				return v[:i]
			}
			return v
		}
	}
	return nil
}

// Write implements dbscan.TargetTable: multi-row INSERTs of up to 1,000
// rows (at most 65,535 values, about 4 MiB of data), committed every 10,000
// rows.
func (t *copyTable) Write(ctx context.Context, next func() ([][]byte, error)) (int64, error) {
	cols := len(t.cols)
	ncols := 0
	var head strings.Builder
	head.WriteString("INSERT INTO " + ident(t.c.d.Database, t.name) + " (")
	for i, c := range t.cols {
		if t.skip[i] {
			continue
		}
		if ncols > 0 {
			head.WriteString(", ")
		}
		ncols++
		head.WriteString(ident(c))
	}
	if ncols == 0 {
		return 0, fmt.Errorf("%s: every column is generated", t.Name())
	}
	per := max(1, min(1000, 65535/ncols))
	head.WriteString(") VALUES ")
	tuple := "(" + strings.Repeat("?, ", ncols-1) + "?)"
	conn, err := t.c.db.Conn(ctx)
	if err != nil {
		return 0, t.c.fail(err)
	}
	defer conn.Close()
	var tx *sql.Tx
	defer func() {
		if tx != nil {
			tx.Rollback()
		}
	}()
	var rows, inTx int64
	args := make([]any, 0, per*ncols)
	var q strings.Builder
	n, size := 0, 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		if tx == nil {
			if tx, err = conn.BeginTx(ctx, nil); err != nil {
				return t.c.fail(err)
			}
		}
		q.Reset()
		q.WriteString(head.String())
		for i := range n {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString(tuple)
		}
		res, err := tx.ExecContext(ctx, q.String(), args...)
		if err != nil {
			return t.c.fail(err)
		}
		if k, err := res.RowsAffected(); err == nil && k != int64(n) {
			return fmt.Errorf("INSERT stored %d rows of %d", k, n)
		}
		rows += int64(n)
		inTx += int64(n)
		n, size, args = 0, 0, args[:0]
		if inTx >= 10000 {
			if err := tx.Commit(); err != nil {
				return t.c.fail(err)
			}
			tx, inTx = nil, 0
		}
		return nil
	}
	for {
		vals, err := next()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				return rows, err
			}
			break
		}
		if len(vals) != cols {
			return rows, fmt.Errorf("row %d has %d values, want %d", rows+int64(n)+1, len(vals), cols)
		}
		for i, v := range vals {
			switch {
			case t.skip[i]:
				continue
			case v == nil:
				args = append(args, nil)
			case t.bin[i]:
				// _binary'…'; never nil, which the driver sends as NULL
				// (an empty BLOB is not a NULL one).
				args = append(args, append(make([]byte, 0, len(v)), v...))
			default:
				if t.conv[i] != nil {
					v = t.conv[i](v)
				}
				args = append(args, string(v))
			}
			size += len(v)
		}
		n++
		if n >= per || size >= 4<<20 {
			if err := flush(); err != nil {
				return rows, err
			}
		}
	}
	if err := flush(); err != nil {
		return rows, err
	}
	if tx != nil {
		err := tx.Commit()
		tx = nil
		if err != nil {
			return rows, t.c.fail(err)
		}
	}
	return rows, nil
}

// Count implements dbscan.TargetTable.
func (t *copyTable) Count(ctx context.Context) (int64, error) {
	var n int64
	err := t.c.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+ident(t.c.d.Database, t.name)).Scan(&n)
	return n, t.c.fail(err)
}

// Identity names the server and database the copy talks to, whatever host
// name the DSN used (127.0.0.1 and localhost are one server): the server's
// host name, port, data directory and server id, and the database.
func (c *CopyDB) Identity(ctx context.Context) (string, error) {
	var id string
	err := c.db.QueryRowContext(ctx, `SELECT CONCAT_WS('/', @@hostname, @@port, @@datadir, @@server_id)`).Scan(&id)
	if err != nil {
		return "", fmt.Errorf("%s: %w", c, err)
	}
	// The DSN's database: a target's sessions have no default database.
	return "mysql:" + id + "/" + c.d.Database, nil
}
