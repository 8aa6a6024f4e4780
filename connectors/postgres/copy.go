package postgres

// A PostgreSQL database as the source or target of a database copy
// (dbscan.CopySource, dbscan.CopyTarget).
//
// Rows are read with one SELECT per table in primary-key order, in text
// format except bytea (binary), so every value arrives as PostgreSQL wrote
// it. They are written with COPY … FROM STDIN in text format through pgx's
// COPY protocol (PgConn.CopyFrom): the values go back as the text the
// source produced, so every type round-trips exactly (numeric precision,
// time zones, arrays, enums, ranges) without parsing each value into a Go
// type and encoding it again, which pgx.Conn.CopyFrom's binary format would
// need.
//
// Target tables are built from the catalogue: each column with its
// format_type, NOT NULL and the primary key. Defaults, sequences, indexes
// other than the key, foreign keys, checks and triggers are not copied (a
// masked copy is data for development and tests; recreate them from the
// schema's migrations). A target DSN may name the schema the tables go into
// with ?schema=NAME; without it, a PostgreSQL source's tables keep their
// schema and a MySQL source's go into public. MySQL types are mapped as in
// mysqlType.

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"

	"github.com/piiscan/piiscan/connectors/dbscan"
)

// CopyDB is a PostgreSQL database opened for a copy.
type CopyDB struct {
	d      dbscan.DSN
	opts   dbscan.Options
	pool   *pool
	schema string // target schema from ?schema=, or ""

	schemaMu sync.Mutex // serialises CREATE SCHEMA (see Prepare)
}

var (
	_ dbscan.CopySource = (*CopyDB)(nil)
	_ dbscan.CopyTarget = (*CopyDB)(nil)
)

// OpenCopy connects to a database to copy from (write false: every session
// read-only) or into (write true). Include/Exclude select tables by
// "schema.table" globs; column patterns are refused (a copy has whole rows).
func OpenCopy(ctx context.Context, dsn string, opts dbscan.Options, write bool) (*CopyDB, error) {
	opts = opts.WithDefaults()
	d, err := dbscan.ParseDSN(dsn, 5432, "postgres", "postgresql")
	if err != nil {
		return nil, err
	}
	if err := dbscan.ResolvePassword(&d, opts.PasswordFile, ""); err != nil {
		return nil, fmt.Errorf("%s: %w", d, err)
	}
	c := &CopyDB{d: d, opts: opts}
	if d.Params.Has("schema") {
		c.schema = d.Params.Get("schema")
		c.d.Params = cloneValues(d.Params)
		c.d.Params.Del("schema") // not a server parameter
	}
	cfg, err := connConfig(c.d, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d, dbscan.Scrub(err, d.Password))
	}
	rp := cfg.RuntimeParams
	rp["TimeZone"] = "UTC"
	if write {
		rp["default_transaction_read_only"] = "off"
	}
	c.pool = newPool(cfg, opts.MaxConns)
	conn, err := c.pool.acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d, dbscan.Scrub(err, d.Password))
	}
	var db string
	err = conn.QueryRow(ctx, `SELECT current_database()`).Scan(&db)
	c.pool.release(conn)
	if err != nil {
		c.pool.close()
		return nil, fmt.Errorf("%s: %w", d, dbscan.Scrub(err, d.Password))
	}
	if c.d.Database == "" {
		c.d.Database = db
	}
	return c, nil
}

func cloneValues(v map[string][]string) map[string][]string {
	out := make(map[string][]string, len(v))
	for k, s := range v {
		out[k] = append([]string(nil), s...)
	}
	return out
}

// Engine implements dbscan.CopySource and dbscan.CopyTarget.
func (c *CopyDB) Engine() string { return "postgres" }

// String is the DSN without user or password.
func (c *CopyDB) String() string {
	if c.schema != "" {
		return c.d.String() + "?schema=" + c.schema
	}
	return c.d.String()
}

// Close closes the connections.
func (c *CopyDB) Close() error {
	c.pool.close()
	return nil
}

func (c *CopyDB) fail(err error) error {
	return dbscan.Scrub(err, c.d.Password)
}

// Tables lists the selected ordinary and partitioned tables.
func (c *CopyDB) Tables(ctx context.Context) ([]*dbscan.CopyTable, error) {
	for _, p := range c.opts.Include {
		if strings.Count(p, ".") > 1 {
			return nil, fmt.Errorf("include %q: a copy selects whole tables (schema.table), not columns", p)
		}
	}
	for _, p := range c.opts.Exclude {
		if strings.Count(p, ".") > 1 {
			return nil, fmt.Errorf("exclude %q: a copy selects whole tables (schema.table), not columns", p)
		}
	}
	filter, err := dbscan.NewTableFilter(c.opts.Include, c.opts.Exclude)
	if err != nil {
		return nil, err
	}
	conn, err := c.pool.acquire(ctx)
	if err != nil {
		return nil, c.fail(err)
	}
	defer c.pool.release(conn)
	tables, _, err := discover(ctx, conn, c.d, false)
	if err != nil {
		return nil, c.fail(err)
	}
	tables = dbscan.SelectUpdated(tables, filter, dbscan.Shard{}, "")
	type colInfo struct {
		notNull bool
		chars   int
		cat     string
		typname string
	}
	info := map[[3]string]colInfo{}
	rows, err := conn.Query(ctx, `SELECT n.nspname::text, c.relname::text, a.attname::text, a.attnotnull,
		CASE WHEN t.typname IN ('varchar', 'bpchar') AND a.atttypmod > 4 THEN a.atttypmod - 4 ELSE 0 END,
		t.typcategory::text, t.typname::text
		FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid
		WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p')
		AND n.nspname NOT IN ('pg_catalog', 'information_schema')`)
	if err != nil {
		return nil, c.fail(err)
	}
	for rows.Next() {
		var k [3]string
		var ci colInfo
		if err := rows.Scan(&k[0], &k[1], &k[2], &ci.notNull, &ci.chars, &ci.cat, &ci.typname); err != nil {
			rows.Close()
			return nil, c.fail(err)
		}
		info[k] = ci
	}
	if err := rows.Err(); err != nil {
		return nil, c.fail(err)
	}
	pks := map[[2]string][]string{}
	rows, err = conn.Query(ctx, `SELECT n.nspname::text, c.relname::text,
		array_agg(a.attname::text ORDER BY k.ord)
		FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord) ON true
		JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
		WHERE con.contype = 'p' GROUP BY 1, 2`)
	if err != nil {
		return nil, c.fail(err)
	}
	for rows.Next() {
		var s, t string
		var cols []string
		if err := rows.Scan(&s, &t, &cols); err != nil {
			rows.Close()
			return nil, c.fail(err)
		}
		pks[[2]string{s, t}] = cols
	}
	if err := rows.Err(); err != nil {
		return nil, c.fail(err)
	}
	out := make([]*dbscan.CopyTable, 0, len(tables))
	for _, t := range tables {
		ct := &dbscan.CopyTable{Schema: t.Schema, Name: t.Name, Label: t.Label, Comment: t.Comment,
			Rows: t.Rows, PrimaryKey: pks[[2]string{t.Schema, t.Name}], Ordinary: t.Physical}
		for _, col := range t.Columns {
			ci := info[[3]string{t.Schema, t.Name, col.Name}]
			col.Skip = false
			ct.Columns = append(ct.Columns, dbscan.CopyColumn{Column: col, NotNull: ci.notNull, Chars: ci.chars,
				Text: ci.cat == "S" || ci.typname == "json" || ci.typname == "jsonb"})
		}
		out = append(out, ct)
	}
	return out, nil
}

// ReadRows implements dbscan.CopySource.
func (c *CopyDB) ReadRows(ctx context.Context, t *dbscan.CopyTable, limit int64, row func([][]byte) error) error {
	conn, err := c.pool.acquire(ctx)
	if err != nil {
		return c.fail(err)
	}
	defer c.pool.release(conn)
	var b strings.Builder
	formats := make(pgx.QueryResultFormats, len(t.Columns))
	b.WriteString("SELECT ")
	for i, col := range t.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(ident(col.Name))
		formats[i] = pgx.TextFormatCode
		if col.Binary {
			formats[i] = pgx.BinaryFormatCode
		}
	}
	b.WriteString(" FROM ")
	b.WriteString(from(t.Schema, t.Name, t.Ordinary))
	if len(t.PrimaryKey) > 0 {
		b.WriteString(" ORDER BY " + dbscan.QuoteList(ident, t.PrimaryKey))
	}
	if limit > 0 {
		b.WriteString(" LIMIT " + strconv.FormatInt(limit, 10))
	}
	rows, err := conn.Query(ctx, b.String(), formats)
	if err != nil {
		return c.fail(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows.RawValues()); err != nil {
			return err
		}
	}
	return c.fail(rows.Err())
}

// copyTable is a target table.
type copyTable struct {
	c      *CopyDB
	schema string
	name   string
	cols   []string
	bin    []bool
}

func (t *copyTable) Name() string { return t.schema + "." + t.name }

// targetSchema is the schema t goes into: ?schema= when the DSN names one,
// else the source's schema for a PostgreSQL source and public for MySQL.
func (c *CopyDB) targetSchema(t *dbscan.CopyTable, src string) string {
	switch {
	case c.schema != "":
		return c.schema
	case src == "postgres":
		return t.Schema
	}
	return "public"
}

// TargetName implements dbscan.CopyTarget.
func (c *CopyDB) TargetName(t *dbscan.CopyTable, src string) string {
	return c.targetSchema(t, src) + "." + t.Name
}

// Prepare implements dbscan.CopyTarget.
func (c *CopyDB) Prepare(ctx context.Context, t *dbscan.CopyTable, src string, widen []int, replace bool) (dbscan.TargetTable, error) {
	schema := c.targetSchema(t, src)
	tt := &copyTable{c: c, schema: schema, name: t.Name}
	for _, col := range t.Columns {
		tt.cols = append(tt.cols, col.Name)
		tt.bin = append(tt.bin, col.Binary)
	}
	conn, err := c.pool.acquire(ctx)
	if err != nil {
		return nil, c.fail(err)
	}
	defer c.pool.release(conn)
	qname := ident(schema, t.Name)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, qname).Scan(&exists); err != nil {
		return nil, c.fail(err)
	}
	if exists {
		var rows bool
		if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+qname+`)`).Scan(&rows); err != nil {
			return nil, c.fail(err)
		}
		switch {
		case !rows && !replace:
			return tt, nil // an empty table the user made: fill it as it is
		case rows && !replace:
			return nil, fmt.Errorf("target table %s exists and has rows; use --replace to drop and recreate it", tt.Name())
		}
		if _, err := conn.Exec(ctx, `DROP TABLE `+qname); err != nil {
			return nil, c.fail(err)
		}
	}
	// Tables are prepared in parallel, and two concurrent CREATE SCHEMA IF
	// NOT EXISTS of one schema can fail on the catalogue's unique index:
	// one at a time.
	c.schemaMu.Lock()
	_, err = conn.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+ident(schema))
	c.schemaMu.Unlock()
	if err != nil {
		return nil, c.fail(err)
	}
	if _, err := conn.Exec(ctx, createTable(qname, t, src, widen)); err != nil {
		return nil, fmt.Errorf("creating %s: %w", tt.Name(), c.fail(err))
	}
	return tt, nil
}

// createTable builds the CREATE TABLE of a target table.
func createTable(qname string, t *dbscan.CopyTable, src string, widen []int) string {
	return dbscan.CreateTable(qname, t, ident, func(i int) string {
		col := t.Columns[i]
		typ := col.Type
		if src != "postgres" {
			typ = mysqlType(col.Type)
		}
		if i < len(widen) && widen[i] > col.Chars && col.Chars > 0 {
			// Masking may lengthen values (tags, hashes): widen the limit
			// rather than let the copy fail on the first long value.
			typ = "character varying(" + strconv.Itoa(min(widen[i], 10485760)) + ")"
		}
		return typ
	}, "")
}

// mysqlType maps a MySQL/MariaDB COLUMN_TYPE to PostgreSQL: integers to the
// next type that holds their range (unsigned ones one size up), DECIMAL to
// NUMERIC, FLOAT/DOUBLE to real/double precision, CHAR/VARCHAR keep their
// length, TEXT types to text, BLOB/BINARY/BIT/spatial types to bytea,
// DATETIME/TIMESTAMP to timestamp (values are read in UTC), DATE and TIME
// alike, YEAR to smallint, JSON to jsonb, ENUM/SET and anything else to text.
func mysqlType(t string) string {
	t = strings.ToLower(strings.TrimSpace(t))
	unsigned := strings.Contains(t, "unsigned")
	base, args, _ := strings.Cut(t, "(")
	base = strings.Fields(base + " ")[0]
	args, _, _ = strings.Cut(args, ")")
	switch base {
	case "tinyint", "smallint":
		if unsigned && base == "smallint" {
			return "integer"
		}
		return "smallint"
	case "mediumint":
		return "integer"
	case "int", "integer":
		if unsigned {
			return "bigint"
		}
		return "integer"
	case "bigint":
		if unsigned {
			return "numeric(20,0)"
		}
		return "bigint"
	case "decimal", "numeric", "dec", "fixed":
		if args == "" {
			return "numeric(10,0)"
		}
		return "numeric(" + args + ")"
	case "float":
		return "real"
	case "double", "real":
		return "double precision"
	case "char":
		if args == "" {
			args = "1"
		}
		return "character(" + args + ")"
	case "varchar":
		return "character varying(" + args + ")"
	case "tinytext", "text", "mediumtext", "longtext":
		return "text"
	case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "bit",
		"geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon", "geometrycollection":
		return "bytea"
	case "date":
		return "date"
	case "datetime", "timestamp":
		if args != "" {
			return "timestamp(" + args + ") without time zone"
		}
		return "timestamp(0) without time zone"
	case "time":
		return "time without time zone"
	case "year":
		return "smallint"
	case "json":
		return "jsonb"
	}
	return "text"
}

// Write implements dbscan.TargetTable: one COPY in text format.
func (t *copyTable) Write(ctx context.Context, next func() ([][]byte, error)) (int64, error) {
	conn, err := t.c.pool.acquire(ctx)
	if err != nil {
		return 0, t.c.fail(err)
	}
	defer t.c.pool.release(conn)
	var b strings.Builder
	b.WriteString("COPY " + ident(t.schema, t.name) + " (")
	for i, c := range t.cols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(ident(c))
	}
	b.WriteString(") FROM STDIN")
	r := &copyText{next: next, bin: t.bin, buf: make([]byte, 0, 256<<10)}
	tag, err := conn.PgConn().CopyFrom(ctx, r, b.String())
	if err != nil {
		if r.err != nil && !errors.Is(r.err, io.EOF) {
			return r.rows, r.err // the rows' own error, not COPY's report of it
		}
		return r.rows, t.c.fail(err)
	}
	if n := tag.RowsAffected(); n != r.rows {
		return n, fmt.Errorf("COPY stored %d rows of %d sent", n, r.rows)
	}
	return r.rows, nil
}

// Count implements dbscan.TargetTable.
func (t *copyTable) Count(ctx context.Context) (int64, error) {
	conn, err := t.c.pool.acquire(ctx)
	if err != nil {
		return 0, t.c.fail(err)
	}
	defer t.c.pool.release(conn)
	var n int64
	err = conn.QueryRow(ctx, `SELECT count(*) FROM `+ident(t.schema, t.name)).Scan(&n)
	return n, t.c.fail(err)
}

// copyText is an io.Reader of COPY text-format data, pulling rows from next
// as COPY reads: no goroutine, one buffer.
type copyText struct {
	next func() ([][]byte, error)
	bin  []bool
	buf  []byte
	off  int
	err  error
	rows int64
}

func (r *copyText) Read(p []byte) (int, error) {
	for r.off >= len(r.buf) {
		if r.err != nil {
			return 0, r.err
		}
		r.buf, r.off = r.buf[:0], 0
		for len(r.buf) < 192<<10 {
			vals, err := r.next()
			if err != nil {
				r.err = err
				break
			}
			if len(vals) != len(r.bin) {
				r.err = fmt.Errorf("row %d has %d values, want %d", r.rows+1, len(vals), len(r.bin))
				break
			}
			r.rows++
			r.buf = appendCopyRow(r.buf, vals, r.bin)
		}
	}
	n := copy(p, r.buf[r.off:])
	r.off += n
	return n, nil
}

// appendCopyRow appends one row in COPY text format: tab-separated, \N for
// NULL, backslash escapes for backslash, tab, newline and carriage return,
// bytea as \\x hex.
func appendCopyRow(dst []byte, vals [][]byte, bin []bool) []byte {
	for i, v := range vals {
		if i > 0 {
			dst = append(dst, '\t')
		}
		switch {
		case v == nil:
			dst = append(dst, `\N`...)
		case bin[i]:
			dst = append(dst, `\\x`...)
			dst = hex.AppendEncode(dst, v)
		default:
			start := 0
			for j, ch := range v {
				var esc byte
				switch ch {
				case '\\':
					esc = '\\'
				case '\t':
					esc = 't'
				case '\n':
					esc = 'n'
				case '\r':
					esc = 'r'
				default:
					continue
				}
				dst = append(dst, v[start:j]...)
				dst = append(dst, '\\', esc)
				start = j + 1
			}
			dst = append(dst, v[start:]...)
		}
	}
	return append(dst, '\n')
}

// Identity names the server and database the copy talks to, whatever host
// name the DSN used (127.0.0.1 and localhost are one server): the cluster's
// system identifier and the database's name. A role that may not read the
// identifier gets the server's address and port instead.
func (c *CopyDB) Identity(ctx context.Context) (string, error) {
	conn, err := c.pool.acquire(ctx)
	if err != nil {
		return "", c.fail(err)
	}
	defer c.pool.release(conn)
	var id string
	err = conn.QueryRow(ctx, `SELECT (SELECT system_identifier::text FROM pg_control_system()) || '/' || current_database()`).Scan(&id)
	if err != nil {
		err = conn.QueryRow(ctx, `SELECT coalesce(host(inet_server_addr()), 'socket') || ':' || coalesce(inet_server_port(), 0)::text || '/' || current_database()`).Scan(&id)
	}
	if err != nil {
		return "", c.fail(err)
	}
	return "postgres:" + id, nil
}
