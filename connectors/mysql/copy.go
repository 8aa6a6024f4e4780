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
// defaults, AUTO_INCREMENT, charsets, comments and all), with character
// columns that masking may lengthen widened; foreign keys are added once
// every table is loaded (AddForeignKey). A PostgreSQL source's tables are
// built from the catalogue (buildDDL) with the types mapped as in pgType (a
// domain as its base type), one identity column as AUTO_INCREMENT, and
// values MySQL cannot hold refused as in pgConv. The target DSN's database
// is created when missing.

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
	_ dbscan.CopySource     = (*CopyDB)(nil)
	_ dbscan.CopyTarget     = (*CopyDB)(nil)
	_ dbscan.FinishingTable = (*copyTable)(nil)
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
	indexes, fks, err := c.keys(ctx)
	if err != nil {
		return nil, c.fail(err)
	}
	out := make([]*dbscan.CopyTable, 0, len(tables))
	for _, t := range tables {
		ct := &dbscan.CopyTable{Schema: t.Schema, Name: t.Name, Label: t.Label, Comment: t.Comment, Rows: t.Rows}
		var keys []int64
		for _, col := range t.Columns {
			ci := info[[2]string{t.Name, col.Name}]
			cc := dbscan.CopyColumn{Column: col, NotNull: ci.notNull, Text: slices.Contains(charTypes, ci.dataType),
				Generated: strings.Contains(ci.extra, "generated") && !strings.Contains(ci.extra, "default_generated"),
				Identity:  strings.Contains(ci.extra, "auto_increment"), Enum: enumLabels(col.Type)}
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
		ct.Indexes, ct.ForeignKeys = indexes[t.Name], fks[t.Name]
		out = append(out, ct)
	}
	return out, nil
}

// keys reads the unique and secondary indexes and the foreign keys of the
// database's tables (for targets of another engine; a MySQL target reuses
// SHOW CREATE TABLE, but adds the foreign keys after the load too).
func (c *CopyDB) keys(ctx context.Context) (map[string][]dbscan.CopyIndex, map[string][]dbscan.CopyForeignKey, error) {
	indexes := map[string][]dbscan.CopyIndex{}
	rows, err := c.db.QueryContext(ctx, `SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE = 0, COALESCE(COLUMN_NAME, ''), INDEX_TYPE
		FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND INDEX_NAME <> 'PRIMARY'
		ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`, c.d.Database)
	if err != nil {
		return nil, nil, err
	}
	skip := map[[2]string]bool{}
	for rows.Next() {
		var table, name, col, typ string
		var unique bool
		if err := rows.Scan(&table, &name, &unique, &col, &typ); err != nil {
			rows.Close()
			return nil, nil, err
		}
		k := [2]string{table, name}
		if skip[k] {
			continue
		}
		ixs := indexes[table]
		if len(ixs) == 0 || ixs[len(ixs)-1].Name != name {
			ixs = append(ixs, dbscan.CopyIndex{Name: name, Unique: unique})
		}
		ix := &ixs[len(ixs)-1]
		if col == "" || typ == "FULLTEXT" || typ == "SPATIAL" {
			ix.Columns, skip[k] = nil, true // an expression or a special index: not rebuilt on another engine
		} else {
			ix.Columns = append(ix.Columns, col)
		}
		indexes[table] = ixs
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	fks := map[string][]dbscan.CopyForeignKey{}
	rows, err = c.db.QueryContext(ctx, `SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA,
		k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.DELETE_RULE, r.UPDATE_RULE
		FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r
		ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
		WHERE k.TABLE_SCHEMA = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL
		ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`, c.d.Database)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var table, name, col, rs, rt, rc, del, upd string
		if err := rows.Scan(&table, &name, &col, &rs, &rt, &rc, &del, &upd); err != nil {
			return nil, nil, err
		}
		list := fks[table]
		if len(list) == 0 || list[len(list)-1].Name != name {
			action := func(a string) string {
				if a == "NO ACTION" || a == "RESTRICT" {
					return "" // InnoDB's default, and one action there
				}
				return a
			}
			list = append(list, dbscan.CopyForeignKey{Name: name, RefSchema: rs, RefTable: rt, OnDelete: action(del), OnUpdate: action(upd)})
		}
		fk := &list[len(list)-1]
		fk.Columns = append(fk.Columns, col)
		fk.RefColumns = append(fk.RefColumns, rc)
		fks[table] = list
	}
	return indexes, fks, rows.Err()
}

// enumLabels parses the labels of a COLUMN_TYPE enum('a','b”c').
func enumLabels(typ string) []string {
	rest, ok := strings.CutPrefix(strings.ToLower(typ), "enum(")
	if !ok {
		return nil
	}
	rest = typ[len(typ)-len(rest):]
	var out []string
	for len(rest) > 0 && rest[0] == '\'' {
		var b strings.Builder
		i := 1
		for ; i < len(rest); i++ {
			if rest[i] == '\'' {
				if i+1 < len(rest) && rest[i+1] == '\'' {
					b.WriteByte('\'')
					i++
					continue
				}
				break
			}
			b.WriteByte(rest[i])
		}
		out = append(out, b.String())
		rest = strings.TrimPrefix(rest[min(i+1, len(rest)):], ",")
	}
	return out
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
	conv []func([]byte) ([]byte, error) // per column, nil: the value as it is
	key  []int                          // the primary key's columns, to name a row in errors
	bin  []bool
	skip []bool // generated by the target: not written

	created bool     // Prepare created the table (Abort drops it)
	notes   []string // what buildDDL could not carry over, for Finish
}

// Finish implements dbscan.FinishingTable: MySQL builds indexes and moves
// AUTO_INCREMENT as rows arrive, so only Prepare's notes are left.
func (t *copyTable) Finish(ctx context.Context) ([]string, error) { return t.notes, nil }

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
	for i, col := range t.Columns {
		tt.cols = append(tt.cols, col.Name)
		tt.bin = append(tt.bin, col.Binary)
		tt.skip = append(tt.skip, sameDDL && col.Generated)
		var conv func([]byte) ([]byte, error)
		if src == "postgres" {
			conv = pgConv(baseType(col))
		}
		tt.conv = append(tt.conv, conv)
		if slices.Contains(t.PrimaryKey, col.Name) {
			tt.key = append(tt.key, i)
		}
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
		ddl, tt.notes = buildDDL(qname, t, widen)
	}
	if _, err := c.db.ExecContext(ctx, ddl); err != nil {
		return nil, fmt.Errorf("creating %s: %w", tt.Name(), c.fail(err))
	}
	tt.created = true
	return tt, nil
}

var ddlHead = regexp.MustCompile("^CREATE TABLE `(?:[^`]|``)+` ")

// reuseDDL turns a source's SHOW CREATE TABLE into the target's: the table
// qualified with the target database, its foreign keys left out (a copy
// adds them once every table is loaded: AddForeignKey), and char/varchar
// columns that masking may lengthen widened (to TEXT when wider than a
// VARCHAR can be).
func reuseDDL(ddl, qname string, t *dbscan.CopyTable, widen []int) (string, error) {
	loc := ddlHead.FindStringIndex(ddl)
	if loc == nil {
		return "", fmt.Errorf("SHOW CREATE TABLE gave an unexpected statement")
	}
	ddl = "CREATE TABLE " + qname + " " + ddl[loc[1]:]
	var lines []string
	for _, l := range strings.Split(ddl, "\n") {
		if strings.HasPrefix(l, "  CONSTRAINT ") && strings.Contains(l, " FOREIGN KEY ") {
			continue
		}
		if strings.HasPrefix(l, ")") && len(lines) > 0 {
			// The line before the closing parenthesis lost its follower.
			lines[len(lines)-1] = strings.TrimSuffix(lines[len(lines)-1], ",")
		}
		lines = append(lines, l)
	}
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

// buildDDL creates a table for a PostgreSQL source: types as in pgType
// (a column in an index is a VARCHAR(255), as MySQL cannot index a whole
// TEXT), the primary key, unique and secondary indexes over plain columns
// (expression and partial indexes are PostgreSQL's dialect: left out), an
// identity column as AUTO_INCREMENT where it leads an index, and comments.
// MySQL allows one AUTO_INCREMENT column per table: the primary key's when
// it is an identity column, else the first that leads an index; other
// identity columns become plain ones, as notes say.
func buildDDL(qname string, t *dbscan.CopyTable, widen []int) (string, []string) {
	keyed := map[string]bool{}
	leads := map[string]bool{}
	for _, c := range t.PrimaryKey {
		keyed[c] = true
	}
	if len(t.PrimaryKey) > 0 {
		leads[t.PrimaryKey[0]] = true
	}
	var extra []string
	for _, ix := range t.Indexes {
		if len(ix.Columns) == 0 {
			continue
		}
		for _, c := range ix.Columns {
			keyed[c] = true
		}
		leads[ix.Columns[0]] = true
		kind := "KEY "
		if ix.Unique {
			kind = "UNIQUE KEY "
		}
		name := ix.Name
		if len(name) > 64 {
			name = name[:64]
		}
		extra = append(extra, kind+ident(name)+" ("+dbscan.QuoteList(ident, ix.Columns)+")")
	}
	uniques := map[string]bool{}
	for _, ix := range t.Indexes {
		if ix.Unique && len(ix.Columns) > 0 {
			uniques[ix.Columns[0]] = true
		}
	}
	typ := func(i int) string {
		col := t.Columns[i]
		typ := pgType(baseType(col), keyed[col.Name])
		if len(col.Enum) > 0 {
			labels := make([]string, len(col.Enum))
			for j, l := range col.Enum {
				labels[j] = quoteString(l)
			}
			typ = "enum(" + strings.Join(labels, ",") + ")"
		}
		if i < len(widen) && widen[i] > col.Chars && col.Chars > 0 {
			typ = "varchar(" + strconv.Itoa(widen[i]) + ")"
			if widen[i] > 16383 {
				typ = "mediumtext"
			}
		}
		return typ
	}
	auto := ""
	canAuto := func(i int) bool {
		col := t.Columns[i]
		return col.Identity && leads[col.Name] && slices.Contains([]string{"smallint", "int", "bigint"}, typ(i))
	}
	for i, col := range t.Columns {
		if canAuto(i) && (auto == "" || len(t.PrimaryKey) > 0 && col.Name == t.PrimaryKey[0]) {
			auto = col.Name
		}
	}
	var notes []string
	for _, col := range t.Columns {
		switch {
		case !col.Identity || col.Name == auto:
		case auto != "":
			note := fmt.Sprintf("column %s: an identity column on PostgreSQL, a plain column here (MySQL allows one AUTO_INCREMENT column per table, kept on %s)", col.Name, auto)
			if uniques[col.Name] {
				note += "; its unique index is kept"
			}
			notes = append(notes, note)
		default:
			notes = append(notes, fmt.Sprintf("column %s: an identity column on PostgreSQL, a plain column here (a MySQL AUTO_INCREMENT column must be an integer that leads an index)", col.Name))
		}
	}
	attrs := func(i int) string {
		col := t.Columns[i]
		var a []string
		if col.Name == auto {
			a = append(a, "AUTO_INCREMENT")
		}
		if col.Comment != "" {
			a = append(a, "COMMENT "+quoteString(col.Comment))
		}
		return strings.Join(a, " ")
	}
	tail := " DEFAULT CHARSET=utf8mb4"
	if t.Comment != "" {
		tail += " COMMENT=" + quoteString(t.Comment)
	}
	return dbscan.CreateTable(qname, t, ident, typ, attrs, extra, tail), notes
}

// baseType is the PostgreSQL type a column's values have: a domain's base
// type (through domains over domains), else the column's type.
func baseType(col dbscan.CopyColumn) string {
	typ := col.Type
	for ut := col.UserType; ut != nil && ut.Kind == "domain"; ut = ut.BaseType {
		typ = ut.Base
	}
	return typ
}

// quoteString is a MySQL string literal that holds under any sql_mode
// (backslashes doubled too).
func quoteString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", "''").Replace(s) + "'"
}

// AddForeignKey implements dbscan.ForeignKeyTarget. The copy's sessions
// run with foreign_key_checks off, so the rows are not checked again.
func (c *CopyDB) AddForeignKey(ctx context.Context, t, ref *dbscan.CopyTable, fk dbscan.CopyForeignKey, src string) error {
	name := fk.Name
	if len(name) > 64 {
		name = name[:64]
	}
	q := "ALTER TABLE " + ident(c.d.Database, t.Name) + " ADD CONSTRAINT " + ident(name) +
		" FOREIGN KEY (" + dbscan.QuoteList(ident, fk.Columns) + ") REFERENCES " + ident(c.d.Database, ref.Name) +
		" (" + dbscan.QuoteList(ident, fk.RefColumns) + ")"
	if fk.OnDelete != "" {
		q += " ON DELETE " + fk.OnDelete
	}
	if fk.OnUpdate != "" {
		q += " ON UPDATE " + fk.OnUpdate
	}
	if _, err := c.db.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("foreign key %s: %w", fk.Name, c.fail(err))
	}
	return nil
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
// booleans t/f to 1/0, and the +00 zone suffix of UTC timestamps dropped.
// Values MySQL has no equivalent for are errors (never a nearby value):
// infinity and -infinity, dates before year 1 (BC) or after 9999, and NaN
// or infinite numbers.
func pgConv(t string) func([]byte) ([]byte, error) {
	base, _, _ := strings.Cut(t, "(")
	base = strings.TrimSpace(base)
	switch {
	case strings.HasSuffix(t, "[]"):
		return nil
	case t == "boolean":
		return func(v []byte) ([]byte, error) {
			if len(v) == 1 && v[0] == 't' {
				return []byte{'1'}, nil
			}
			if len(v) == 1 && v[0] == 'f' {
				return []byte{'0'}, nil
			}
			return v, nil
		}
	case strings.HasPrefix(base, "timestamp") || base == "date":
		zone := strings.HasSuffix(t, "with time zone")
		return func(v []byte) ([]byte, error) {
			if err := mysqlDate(v); err != nil {
				return nil, err
			}
			if !zone {
				return v, nil
			}
			if i := strings.LastIndexAny(string(v), "+-"); i > 0 && i >= len(v)-6 && v[i-1] != '-' && (len(v)-i == 3 || len(v)-i == 6) {
				return v[:i], nil
			}
			return v, nil
		}
	case base == "time with time zone" || strings.HasPrefix(base, "time") && strings.HasSuffix(t, "with time zone"):
		return timeUTC
	case base == "numeric" || base == "real" || base == "double precision":
		return func(v []byte) ([]byte, error) {
			switch string(v) {
			case "NaN", "Infinity", "-Infinity":
				return nil, fmt.Errorf("%s, which a MySQL number cannot hold", v)
			}
			return v, nil
		}
	}
	return nil
}

// timeUTC turns a PostgreSQL time with time zone (10:00:00.5+08) into the
// same moment in UTC (02:00:00.5), as timestamps with time zone are read.
func timeUTC(v []byte) ([]byte, error) {
	s := string(v)
	i := strings.LastIndexAny(s, "+-")
	if i < 8 {
		return v, nil
	}
	clock, zone := s[:i], s[i:]
	var h, m, sec int
	if _, err := fmt.Sscanf(clock[:8], "%d:%d:%d", &h, &m, &sec); err != nil {
		return nil, errors.New("a time with time zone in an unexpected layout")
	}
	var zh, zm, zs int
	parts := strings.Split(zone[1:], ":")
	for j, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || j > 2 {
			return nil, errors.New("a time with time zone in an unexpected layout")
		}
		*[]*int{&zh, &zm, &zs}[j] = n
	}
	off := zh*3600 + zm*60 + zs
	if zone[0] == '-' {
		off = -off
	}
	t := ((h*3600+m*60+sec-off)%86400 + 86400) % 86400
	return fmt.Appendf(nil, "%02d:%02d:%02d%s", t/3600, t/60%60, t%60, clock[8:]), nil
}

// mysqlDate checks that a PostgreSQL date or timestamp fits MySQL's range:
// years 1000–9999 are supported, and years 1–999 are stored too.
func mysqlDate(v []byte) error {
	s := string(v)
	switch {
	case s == "infinity" || s == "-infinity":
		return fmt.Errorf("%s, which a MySQL date cannot hold", s)
	case strings.HasSuffix(s, " BC"):
		return errors.New("a date before year 1 (BC), which a MySQL date cannot hold")
	case len(s) > 4 && s[4] != '-':
		return errors.New("a date after year 9999, which a MySQL date cannot hold")
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
					var err error
					if v, err = t.conv[i](v); err != nil {
						return rows, fmt.Errorf("column %s, %s: %w", t.cols[i], t.rowKey(vals, rows+int64(n)+1), err)
					}
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

// rowKey names a row in an error (dbscan.RowKey).
func (t *copyTable) rowKey(vals [][]byte, num int64) string {
	return dbscan.RowKey(t.cols, t.key, vals, num)
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
