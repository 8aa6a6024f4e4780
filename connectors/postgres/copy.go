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
// format_type, NOT NULL, the primary key and the comments; from a PostgreSQL
// source also defaults, identity columns (a serial column becomes an
// identity column), generated columns and the enum and domain types the
// columns use, created in the target schema first (ensureTypes); from MySQL,
// AUTO_INCREMENT becomes an identity column (BIGINT UNSIGNED too, as bigint:
// keys above its range are refused). Unique and secondary indexes are
// built after the load (Finish: from their own definitions for a PostgreSQL
// source, over plain columns for MySQL), identity sequences are moved past
// the copied keys, and foreign keys are added once every table is loaded
// (AddForeignKey). Checks and triggers are not copied: masked values need
// not satisfy a check written for real ones. A target DSN may name the
// schema the tables go into with ?schema=NAME; without it, a PostgreSQL
// source's tables keep their schema and a MySQL source's go into public.
// MySQL types are mapped as in mysqlType; values PostgreSQL has no type
// for are converted as in mysqlConv.

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
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

	schemaMu sync.Mutex // serialises CREATE SCHEMA (see createSchema)

	typeMu sync.Mutex             // serialises creating types (tables share them)
	types  map[string]createdType // by target type, what ensureType did
}

// createdType is a user-defined type a copy made sure the target has.
type createdType struct {
	ref     string // the target type, schema-qualified and quoted
	created bool   // this copy created it (rather than found it)
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
		notNull  bool
		chars    int
		cat      string
		typname  string
		def      string
		identity string
		gen      string
		enum     []string
		typ      uint32 // the type, or an array's element type
	}
	info := map[[3]string]colInfo{}
	rows, err := conn.Query(ctx, `SELECT n.nspname::text, c.relname::text, a.attname::text, a.attnotnull,
		CASE WHEN t.typname IN ('varchar', 'bpchar') AND a.atttypmod > 4 THEN a.atttypmod - 4 ELSE 0 END,
		t.typcategory::text, t.typname::text, coalesce(pg_get_expr(d.adbin, d.adrelid), ''),
		a.attidentity::text, a.attgenerated::text,
		CASE WHEN t.typtype = 'e' THEN ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) END,
		CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN t.typelem ELSE t.oid END
		FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid
		LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
		WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p')
		AND n.nspname NOT IN ('pg_catalog', 'information_schema')`)
	if err != nil {
		return nil, c.fail(err)
	}
	for rows.Next() {
		var k [3]string
		var ci colInfo
		if err := rows.Scan(&k[0], &k[1], &k[2], &ci.notNull, &ci.chars, &ci.cat, &ci.typname, &ci.def, &ci.identity, &ci.gen, &ci.enum, &ci.typ); err != nil {
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
	indexes, fks, err := c.keys(ctx, conn)
	if err != nil {
		return nil, c.fail(err)
	}
	var used []uint32
	for _, ci := range info {
		used = append(used, ci.typ)
	}
	types, err := userTypes(ctx, conn, used)
	if err != nil {
		return nil, c.fail(err)
	}
	out := make([]*dbscan.CopyTable, 0, len(tables))
	for _, t := range tables {
		k := [2]string{t.Schema, t.Name}
		ct := &dbscan.CopyTable{Schema: t.Schema, Name: t.Name, Label: t.Label, Comment: t.Comment,
			Rows: t.Rows, PrimaryKey: pks[k], Ordinary: t.Physical, Indexes: indexes[k], ForeignKeys: fks[k]}
		for _, col := range t.Columns {
			ci := info[[3]string{t.Schema, t.Name, col.Name}]
			col.Skip = false
			cc := dbscan.CopyColumn{Column: col, NotNull: ci.notNull, Chars: ci.chars,
				Text:      ci.cat == "S" || ci.typname == "json" || ci.typname == "jsonb",
				Generated: ci.gen == "s", Enum: ci.enum, Default: ci.def, UserType: types[ci.typ]}
			switch {
			case ci.identity == "a" || ci.identity == "d":
				cc.Identity, cc.IdentityAlways = true, ci.identity == "a"
			case strings.HasPrefix(ci.def, "nextval("):
				cc.Identity, cc.Default = true, "" // serial: kept as an identity column
			}
			ct.Columns = append(ct.Columns, cc)
		}
		out = append(out, ct)
	}
	return out, nil
}

// userTypes reads the user-defined enum, domain, composite and range types
// among oids, and the user-defined base types of those domains, by oid.
// Built-in and extension base types are not listed: a target refers to them
// by name.
func userTypes(ctx context.Context, conn *pgx.Conn, oids []uint32) (map[uint32]*dbscan.CopyType, error) {
	types := map[uint32]*dbscan.CopyType{}
	bases := map[uint32]uint32{} // domain → its base type
	kinds := map[string]string{"e": "enum", "d": "domain", "c": "composite", "r": "range", "m": "multirange"}
	for len(oids) > 0 {
		rows, err := conn.Query(ctx, `SELECT t.oid, n.nspname::text, t.typname::text, t.typtype::text, format_type(t.oid, NULL),
			CASE WHEN t.typtype = 'e' THEN ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) END,
			CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) ELSE '' END,
			CASE WHEN bt.typcategory = 'A' AND bt.typelem <> 0 THEN bt.typelem ELSE coalesce(bt.oid, 0) END,
			t.typnotnull, coalesce(t.typdefault, ''),
			(SELECT count(*) FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c')::int
			FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
			WHERE t.oid = ANY($1) AND t.typtype IN ('e', 'd', 'c', 'r', 'm')
			AND n.nspname NOT IN ('pg_catalog', 'information_schema')`, oids)
		if err != nil {
			return nil, err
		}
		oids = nil
		for rows.Next() {
			var oid, base uint32
			var kind string
			ut := &dbscan.CopyType{}
			if err := rows.Scan(&oid, &ut.Schema, &ut.Name, &kind, &ut.Ref, &ut.Labels, &ut.Base, &base, &ut.NotNull, &ut.Default, &ut.Checks); err != nil {
				rows.Close()
				return nil, err
			}
			ut.Kind = kinds[kind]
			types[oid] = ut
			if base != 0 {
				bases[oid] = base
				if _, seen := types[base]; !seen {
					oids = append(oids, base)
				}
			}
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	for oid, base := range bases {
		types[oid].BaseType = types[base]
	}
	return types, nil
}

// keys reads the unique and secondary indexes (with the definitions a
// PostgreSQL target rebuilds them from) and the foreign keys of every table.
func (c *CopyDB) keys(ctx context.Context, conn *pgx.Conn) (map[[2]string][]dbscan.CopyIndex, map[[2]string][]dbscan.CopyForeignKey, error) {
	indexes := map[[2]string][]dbscan.CopyIndex{}
	rows, err := conn.Query(ctx, `SELECT n.nspname::text, c.relname::text, i.relname::text, x.indisunique,
		pg_get_indexdef(x.indexrelid), c.oid::regclass::text, coalesce(con.contype::text, ''),
		coalesce(pg_get_constraintdef(con.oid), ''), x.indexprs IS NULL AND x.indpred IS NULL,
		ARRAY(SELECT a.attname::text FROM unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)
			JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
			WHERE k.ord <= x.indnkeyatts ORDER BY k.ord)
		FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace
		LEFT JOIN pg_constraint con ON con.conindid = x.indexrelid AND con.conrelid = x.indrelid AND con.contype IN ('p', 'u', 'x')
		WHERE NOT x.indisprimary AND c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
		ORDER BY 1, 2, 3`)
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var k [2]string
		var ix dbscan.CopyIndex
		var def, rel, contype, condef string
		var plain bool
		if err := rows.Scan(&k[0], &k[1], &ix.Name, &ix.Unique, &def, &rel, &contype, &condef, &plain, &ix.Columns); err != nil {
			rows.Close()
			return nil, nil, err
		}
		if !plain {
			ix.Columns = nil // expressions or a predicate: only a PostgreSQL target rebuilds it
		}
		switch contype {
		case "u":
			ix.Constraint, ix.Def = true, condef
		case "":
			// "CREATE [UNIQUE] INDEX name ON [ONLY] schema.table USING ...":
			// the part from USING on does not name the table.
			for _, on := range []string{" ON " + rel + " ", " ON ONLY " + rel + " "} {
				if j := strings.Index(def, on+"USING "); j >= 0 {
					ix.Def = def[j+len(on):]
					break
				}
			}
		default:
			continue // exclusion constraints are not copied
		}
		indexes[k] = append(indexes[k], ix)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	fks := map[[2]string][]dbscan.CopyForeignKey{}
	rows, err = conn.Query(ctx, `SELECT n.nspname::text, c.relname::text, con.conname::text,
		ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
			JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord),
		rn.nspname::text, rc.relname::text,
		ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
			JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord),
		con.confdeltype::text, con.confupdtype::text
		FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_class rc ON rc.oid = con.confrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace
		WHERE con.contype = 'f' AND con.conparentid = 0 AND n.nspname NOT IN ('pg_catalog', 'information_schema')
		ORDER BY 1, 2, 3`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	action := map[string]string{"r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
	for rows.Next() {
		var k [2]string
		var fk dbscan.CopyForeignKey
		var del, upd string
		if err := rows.Scan(&k[0], &k[1], &fk.Name, &fk.Columns, &fk.RefSchema, &fk.RefTable, &fk.RefColumns, &del, &upd); err != nil {
			return nil, nil, err
		}
		fk.OnDelete, fk.OnUpdate = action[del], action[upd]
		fks[k] = append(fks[k], fk)
	}
	return indexes, fks, rows.Err()
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
	skip   []bool // generated on the target: not written
	conv   []conv // per column, nil: the value as the source wrote it
	key    []int  // the primary key's columns, to name a row in errors

	t       *dbscan.CopyTable
	src     string
	created bool // Prepare created the table: Finish builds its indexes
	nulled  []int64
	notes   []string // what Prepare changed (types), for Finish to report
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
	tt := &copyTable{c: c, schema: schema, name: t.Name, t: t, src: src, nulled: make([]int64, len(t.Columns))}
	for i, col := range t.Columns {
		tt.cols = append(tt.cols, col.Name)
		tt.bin = append(tt.bin, col.Binary)
		tt.skip = append(tt.skip, src == "postgres" && col.Generated)
		var cv conv
		if src == "mysql" {
			cv = mysqlConv(col)
		}
		tt.conv = append(tt.conv, cv)
		if slices.Contains(t.PrimaryKey, col.Name) {
			tt.key = append(tt.key, i)
		}
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
			// An empty table the user made: fill it as it is (its own
			// generated columns are not written).
			for i := range tt.skip {
				tt.skip[i] = false
			}
			return tt, nil
		case rows && !replace:
			return nil, fmt.Errorf("target table %s exists and has rows; use --replace to drop and recreate it", tt.Name())
		}
		if _, err := conn.Exec(ctx, `DROP TABLE `+qname+` CASCADE`); err != nil {
			return nil, c.fail(err)
		}
	}
	if err := c.createSchema(ctx, conn, schema); err != nil {
		return nil, c.fail(err)
	}
	var refs map[string]string
	if src == "postgres" {
		if refs, tt.notes, err = c.ensureTypes(ctx, conn, t); err != nil {
			return nil, fmt.Errorf("creating %s: %w", tt.Name(), err)
		}
	}
	for _, q := range createTable(qname, t, src, widen, refs) {
		if _, err := conn.Exec(ctx, q); err != nil {
			return nil, fmt.Errorf("creating %s: %w", tt.Name(), c.fail(err))
		}
	}
	tt.created = true
	return tt, nil
}

// createSchema makes sure schema exists. Tables are prepared in parallel,
// and two concurrent CREATE SCHEMA IF NOT EXISTS of one schema can fail on
// the catalogue's unique index: one at a time.
func (c *CopyDB) createSchema(ctx context.Context, conn *pgx.Conn, schema string) error {
	c.schemaMu.Lock()
	defer c.schemaMu.Unlock()
	_, err := conn.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+ident(schema))
	return err
}

// ensureTypes makes sure the target has the enum and domain types t's
// columns use (for arrays, their elements' types), created in the target
// schema (?schema=, else the type's own) before the table: enums with the
// same labels in the same order, domains with their base type, default
// and NOT NULL but not their CHECK constraints (as tables' checks: masked
// values need not satisfy a check written for real ones; notes say so).
// An existing enum must have the same labels. Composite and range types
// are not created: the target must have them already. refs maps each
// source type (CopyType.Ref) to its target type.
func (c *CopyDB) ensureTypes(ctx context.Context, conn *pgx.Conn, t *dbscan.CopyTable) (refs map[string]string, notes []string, err error) {
	c.typeMu.Lock()
	defer c.typeMu.Unlock()
	if c.types == nil {
		c.types = map[string]createdType{}
	}
	noted := map[string]bool{}
	for _, col := range t.Columns {
		ut := col.UserType
		if ut == nil {
			continue
		}
		ct, err := c.ensureType(ctx, conn, ut)
		if err != nil {
			return nil, nil, fmt.Errorf("column %s: %w", col.Name, err)
		}
		if refs == nil {
			refs = map[string]string{}
		}
		refs[ut.Ref] = ct.ref
		for d := ut; d != nil && d.Kind == "domain"; d = d.BaseType {
			if d.Checks > 0 && c.types[c.typeSchema(d)+"."+d.Name].created && !noted[d.Ref] {
				noted[d.Ref] = true
				notes = append(notes, fmt.Sprintf("domain %s created without its CHECK constraints (%d): masked values need not satisfy them",
					c.typeSchema(d)+"."+d.Name, d.Checks))
			}
		}
	}
	return refs, notes, nil
}

// typeSchema is the target schema of a user-defined type: ?schema= when the
// DSN names one, else the type's own.
func (c *CopyDB) typeSchema(ut *dbscan.CopyType) string {
	if c.schema != "" {
		return c.schema
	}
	return ut.Schema
}

// ensureType creates ut on the target unless it is there (see
// ensureTypes). The caller holds typeMu.
func (c *CopyDB) ensureType(ctx context.Context, conn *pgx.Conn, ut *dbscan.CopyType) (createdType, error) {
	schema := c.typeSchema(ut)
	key := schema + "." + ut.Name
	if ct, ok := c.types[key]; ok {
		return ct, nil
	}
	ct := createdType{ref: ident(schema, ut.Name)}
	var kind string
	var labels []string
	err := conn.QueryRow(ctx, `SELECT t.typtype::text, ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)
		FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 AND t.typname = $2`, schema, ut.Name).Scan(&kind, &labels)
	exists := err == nil
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return ct, c.fail(err)
	}
	var q string
	switch ut.Kind {
	case "enum":
		if exists {
			if kind != "e" || !slices.Equal(labels, ut.Labels) {
				return ct, fmt.Errorf("type %s exists in the target with other labels (%d, the source's %s has %d) or is not an enum; drop or rename it, or copy into another schema (?schema=)",
					key, len(labels), ut.Schema+"."+ut.Name, len(ut.Labels))
			}
			break
		}
		quoted := make([]string, len(ut.Labels))
		for i, l := range ut.Labels {
			quoted[i] = quoteLiteral(l)
		}
		q = "CREATE TYPE " + ct.ref + " AS ENUM (" + strings.Join(quoted, ", ") + ")"
	case "domain":
		if exists {
			if kind != "d" {
				return ct, fmt.Errorf("type %s exists in the target and is not a domain", key)
			}
			break
		}
		base, def := ut.Base, ut.Default
		if ut.BaseType != nil {
			bt, err := c.ensureType(ctx, conn, ut.BaseType)
			if err != nil {
				return ct, fmt.Errorf("the base type of domain %s: %w", ut.Schema+"."+ut.Name, err)
			}
			base, def = retype(base, ut.BaseType.Ref, bt.ref), retypeCasts(def, ut.BaseType.Ref, bt.ref)
		}
		q = "CREATE DOMAIN " + ct.ref + " AS " + base
		if def != "" {
			q += " DEFAULT " + retypeCasts(def, ut.Ref, ct.ref)
		}
		if ut.NotNull {
			q += " NOT NULL"
		}
	default:
		if !exists {
			return ct, fmt.Errorf("the %s type %s is not created by a copy: create it in the target (as %s) first, or leave the table out (--exclude)",
				ut.Kind, ut.Schema+"."+ut.Name, key)
		}
	}
	if q != "" {
		err := c.createSchema(ctx, conn, schema)
		if err == nil {
			_, err = conn.Exec(ctx, q)
		}
		if err != nil {
			return ct, fmt.Errorf("creating type %s: %w", key, c.fail(err))
		}
		ct.created = true
	}
	c.types[key] = ct
	return ct, nil
}

// retype is a column type with the user-defined type from replaced by to:
// "crm.st" or "crm.st[]" becomes "dst.st" or "dst.st[]".
func retype(typ, from, to string) string {
	if rest, ok := strings.CutPrefix(typ, from); ok && (rest == "" || rest[0] == '[') {
		return to + rest
	}
	return typ
}

// retypeCasts replaces the casts to the type from in an expression as
// pg_get_expr writes it ('new'::crm.st, '{new}'::crm.st[]) by casts to to.
func retypeCasts(expr, from, to string) string {
	if from == to || expr == "" {
		return expr
	}
	var b strings.Builder
	for {
		i := strings.Index(expr, "::"+from)
		if i < 0 {
			b.WriteString(expr)
			return b.String()
		}
		end := i + 2 + len(from)
		if end < len(expr) && (isIdentByte(expr[end]) || expr[end] == '.') {
			b.WriteString(expr[:end]) // a longer name that starts alike
		} else {
			b.WriteString(expr[:i] + "::" + to)
		}
		expr = expr[end:]
	}
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c == '"' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// createTable builds the CREATE TABLE of a target table and the COMMENT
// statements after it. From a PostgreSQL source the columns keep their
// types, defaults, identity and generated expressions; from MySQL the types
// are mapped as in mysqlType, AUTO_INCREMENT becomes an identity column, an
// ENUM a text column with a CHECK of its labels, and defaults (MySQL's
// dialect) are dropped. Comments come from either.
func createTable(qname string, t *dbscan.CopyTable, src string, widen []int, refs map[string]string) []string {
	same := src == "postgres"
	typ := func(i int) string {
		col := t.Columns[i]
		typ := col.Type
		switch {
		case !same:
			typ = mysqlType(col.Type)
			if col.Identity && typ == "numeric(20,0)" {
				// BIGINT UNSIGNED AUTO_INCREMENT, Rails' and Laravel's key:
				// a sequence never reaches 2^63 (mysqlConv checks).
				typ = "bigint"
			}
		case col.UserType != nil && refs[col.UserType.Ref] != "":
			typ = retype(typ, col.UserType.Ref, refs[col.UserType.Ref])
		}
		if i < len(widen) && widen[i] > col.Chars && col.Chars > 0 {
			// Masking may lengthen values (tags, hashes): widen the limit
			// rather than let the copy fail on the first long value.
			typ = "character varying(" + strconv.Itoa(min(widen[i], 10485760)) + ")"
		}
		return typ
	}
	attrs := func(i int) string {
		col := t.Columns[i]
		if same {
			for from, to := range refs {
				col.Default = retypeCasts(col.Default, from, to)
			}
		}
		switch {
		case same && col.Generated && col.Default != "":
			return "GENERATED ALWAYS AS (" + col.Default + ") STORED"
		case col.Identity && slices.Contains([]string{"smallint", "integer", "bigint"}, typ(i)):
			if col.IdentityAlways {
				return "GENERATED ALWAYS AS IDENTITY"
			}
			return "GENERATED BY DEFAULT AS IDENTITY"
		case same && col.Default != "":
			return "DEFAULT " + col.Default
		case !same && len(col.Enum) > 0 && strings.HasPrefix(strings.ToLower(col.Type), "enum"):
			labels := make([]string, len(col.Enum))
			for j, l := range col.Enum {
				labels[j] = quoteLiteral(l)
			}
			return "CHECK (" + ident(col.Name) + " IN (" + strings.Join(labels, ", ") + "))"
		}
		return ""
	}
	qs := []string{dbscan.CreateTable(qname, t, ident, typ, attrs, nil, "")}
	if t.Comment != "" {
		qs = append(qs, "COMMENT ON TABLE "+qname+" IS "+quoteLiteral(t.Comment))
	}
	for _, col := range t.Columns {
		if col.Comment != "" {
			qs = append(qs, "COMMENT ON COLUMN "+qname+"."+ident(col.Name)+" IS "+quoteLiteral(col.Comment))
		}
	}
	return qs
}

// quoteLiteral is a standard SQL string literal (standard_conforming_strings
// is on in every supported server).
func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// indexDDL is the statements that rebuild t's indexes on qname after the
// load: from a PostgreSQL source, each index from its own definition (so
// expressions, predicates and methods are kept) and each UNIQUE constraint
// as a constraint; from MySQL, indexes over plain columns (named
// table_index: MySQL's index names are per table, PostgreSQL's per schema).
// notes name the indexes left out.
func indexDDL(qname string, t *dbscan.CopyTable, src string) (qs, notes []string) {
	for _, ix := range t.Indexes {
		unique := ""
		if ix.Unique {
			unique = "UNIQUE "
		}
		switch {
		case src == "postgres" && ix.Constraint && ix.Def != "":
			qs = append(qs, "ALTER TABLE "+qname+" ADD CONSTRAINT "+ident(ix.Name)+" "+ix.Def)
		case src == "postgres" && ix.Def != "":
			qs = append(qs, "CREATE "+unique+"INDEX "+ident(ix.Name)+" ON "+qname+" "+ix.Def)
		case len(ix.Columns) > 0:
			name := ix.Name
			if src != "postgres" {
				name = t.Name + "_" + ix.Name
			}
			if len(name) > 63 {
				name = name[:63]
			}
			qs = append(qs, "CREATE "+unique+"INDEX "+ident(name)+" ON "+qname+" ("+dbscan.QuoteList(ident, ix.Columns)+")")
		default:
			notes = append(notes, fmt.Sprintf("index %s not created: its expressions are the source's dialect", ix.Name))
		}
	}
	return qs, notes
}

// Finish implements dbscan.FinishingTable: the indexes of a table Prepare
// created are built once its rows are in (one sort instead of an update
// per row), and each identity column's sequence moves past the largest
// copied value, so the next insert does not collide with a copied key.
func (t *copyTable) Finish(ctx context.Context) ([]string, error) {
	notes := slices.Clone(t.notes)
	for i, n := range t.nulled {
		if n > 0 {
			notes = append(notes, fmt.Sprintf("column %s: %d MySQL zero or invalid dates (0000-00-00) became NULL", t.cols[i], n))
		}
	}
	if !t.created {
		return notes, nil
	}
	conn, err := t.c.pool.acquire(ctx)
	if err != nil {
		return notes, t.c.fail(err)
	}
	defer t.c.pool.release(conn)
	qname := ident(t.schema, t.name)
	qs, skipped := indexDDL(qname, t.t, t.src)
	notes = append(notes, skipped...)
	for _, q := range qs {
		if _, err := conn.Exec(ctx, q); err != nil {
			return notes, fmt.Errorf("%s: %w", strings.SplitN(q, " (", 2)[0], t.c.fail(err))
		}
	}
	for _, col := range t.t.Columns {
		if !col.Identity {
			continue
		}
		var seq *string
		if err := conn.QueryRow(ctx, `SELECT pg_get_serial_sequence($1, $2)`, qname, col.Name).Scan(&seq); err != nil {
			return notes, t.c.fail(err)
		}
		if seq == nil {
			continue // the type could not be an identity column
		}
		if _, err := conn.Exec(ctx, `SELECT setval($1, m) FROM (SELECT max(`+ident(col.Name)+`) AS m FROM `+qname+`) s WHERE m IS NOT NULL`, *seq); err != nil {
			return notes, fmt.Errorf("moving the sequence of %s: %w", col.Name, t.c.fail(err))
		}
	}
	return notes, nil
}

// AddForeignKey implements dbscan.ForeignKeyTarget. The rows are checked
// against the referenced table as the key is added: masking keeps a join
// when both sides are masked alike.
func (c *CopyDB) AddForeignKey(ctx context.Context, t, ref *dbscan.CopyTable, fk dbscan.CopyForeignKey, src string) error {
	conn, err := c.pool.acquire(ctx)
	if err != nil {
		return c.fail(err)
	}
	defer c.pool.release(conn)
	q := "ALTER TABLE " + ident(c.targetSchema(t, src), t.Name) + " ADD CONSTRAINT " + ident(fk.Name) +
		" FOREIGN KEY (" + dbscan.QuoteList(ident, fk.Columns) + ") REFERENCES " + ident(c.targetSchema(ref, src), ref.Name) +
		" (" + dbscan.QuoteList(ident, fk.RefColumns) + ")"
	if fk.OnDelete != "" {
		q += " ON DELETE " + fk.OnDelete
	}
	if fk.OnUpdate != "" {
		q += " ON UPDATE " + fk.OnUpdate
	}
	if _, err := conn.Exec(ctx, q); err != nil {
		return fmt.Errorf("foreign key %s: %w", fk.Name, c.fail(err))
	}
	return nil
}

// conv converts one value of a MySQL source for its PostgreSQL column: out
// is the value to write, null makes it NULL.
type conv func(v []byte) (out []byte, null bool, err error)

// mysqlConv is the conversion a MySQL column's values need, or nil. MySQL
// DATE, DATETIME and TIMESTAMP columns may hold zero dates (0000-00-00) and,
// outside strict mode, dates with a zero or impossible month or day, which
// PostgreSQL has no value for: they become NULL in a nullable column
// (counted: Finish reports how many) and fail the table in a NOT NULL one.
func mysqlConv(col dbscan.CopyColumn) conv {
	if col.Identity && mysqlType(col.Type) == "numeric(20,0)" {
		return bigintKey
	}
	base, _, _ := strings.Cut(strings.ToLower(col.Type), "(")
	switch strings.TrimSpace(base) {
	case "date", "datetime", "timestamp":
	default:
		return nil
	}
	return func(v []byte) ([]byte, bool, error) {
		if validDate(v) {
			return v, false, nil
		}
		if col.NotNull {
			return nil, false, errors.New("a zero or invalid MySQL date (0000-00-00), which PostgreSQL cannot store, in a NOT NULL column")
		}
		return nil, true, nil
	}
}

// bigintKey passes a BIGINT UNSIGNED AUTO_INCREMENT value that fits the
// bigint identity column createTable makes of it (an auto-increment counter
// does not get near 2^63; a key set by hand might) and refuses any other.
func bigintKey(v []byte) ([]byte, bool, error) {
	const maxInt64 = "9223372036854775807"
	if len(v) > len(maxInt64) || len(v) == len(maxInt64) && string(v) > maxInt64 {
		return nil, false, errors.New("an unsigned BIGINT AUTO_INCREMENT value above 9223372036854775807, which the PostgreSQL bigint identity column cannot hold")
	}
	return v, false, nil
}

// validDate reports whether v starts with a date PostgreSQL accepts:
// YYYY-MM-DD with a year from 1, a month 1–12 and a day of that month.
func validDate(v []byte) bool {
	if len(v) < 10 || v[4] != '-' || v[7] != '-' {
		return true // not MySQL's layout: leave it to the server
	}
	num := func(b []byte) int {
		n := 0
		for _, ch := range b {
			if ch < '0' || ch > '9' {
				return -1
			}
			n = n*10 + int(ch-'0')
		}
		return n
	}
	y, m, d := num(v[:4]), num(v[5:7]), num(v[8:10])
	if y < 1 || m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m]
	if m == 2 && (y%4 != 0 || y%100 == 0 && y%400 != 0) {
		days = 28
	}
	return d <= days
}

// mysqlType maps a MySQL/MariaDB COLUMN_TYPE to PostgreSQL: integers to the
// next type that holds their range (unsigned ones one size up), DECIMAL to
// NUMERIC, FLOAT/DOUBLE to real/double precision, CHAR/VARCHAR keep their
// length (both count characters), TEXT types to text, BLOB/BINARY/BIT/spatial
// types to bytea, DATETIME/TIMESTAMP to timestamp (values are read in UTC),
// DATE alike, TIME to interval (a MySQL TIME is a duration from -838:59:59
// to 838:59:59, which PostgreSQL's time of day cannot hold), YEAR to
// smallint, JSON to jsonb, ENUM to text with a CHECK of its labels (see
// createTable), SET and anything else to text.
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
		if args != "" {
			return "interval(" + args + ")"
		}
		return "interval(0)"
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
	n := 0
	for i, c := range t.cols {
		if t.skip[i] {
			continue
		}
		if n > 0 {
			b.WriteString(", ")
		}
		n++
		b.WriteString(ident(c))
	}
	b.WriteString(") FROM STDIN")
	r := &copyText{t: t, next: next, bin: t.bin, buf: make([]byte, 0, 256<<10)}
	for i := range t.cols {
		if t.skip[i] || t.conv[i] != nil {
			r.slow = true
		}
	}
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

// rowKey names a row in an error (dbscan.RowKey).
func (t *copyTable) rowKey(vals [][]byte, num int64) string {
	return dbscan.RowKey(t.cols, t.key, vals, num)
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
	t    *copyTable
	next func() ([][]byte, error)
	bin  []bool
	buf  []byte
	off  int
	err  error
	rows int64
	// slow: some column is converted or not written (a MySQL source's
	// dates and unsigned keys, a generated column), so rows go through
	// convert first.
	slow bool
	vals [][]byte
	bins []bool
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
			bin := r.bin
			if r.slow {
				if vals, bin, err = r.convert(vals); err != nil {
					r.err = err
					break
				}
			}
			r.rows++
			r.buf = appendCopyRow(r.buf, vals, bin)
		}
	}
	n := copy(p, r.buf[r.off:])
	r.off += n
	return n, nil
}

// convert applies the columns' conversions to a row and drops the columns
// the target generates.
func (r *copyText) convert(vals [][]byte) ([][]byte, []bool, error) {
	t := r.t
	r.vals, r.bins = r.vals[:0], r.bins[:0]
	for i, v := range vals {
		if t.skip[i] {
			continue
		}
		if cv := t.conv[i]; cv != nil && v != nil {
			out, null, err := cv(v)
			if err != nil {
				return nil, nil, fmt.Errorf("column %s, %s: %w", t.cols[i], t.rowKey(vals, r.rows+1), err)
			}
			if null {
				t.nulled[i]++
				out = nil
			}
			v = out
		}
		r.vals = append(r.vals, v)
		r.bins = append(r.bins, r.bin[i])
	}
	return r.vals, r.bins, nil
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
