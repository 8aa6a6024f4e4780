// Package postgres reads PostgreSQL tables as scanner records, through the
// native pgx API (not database/sql: pgx's RawValues hands out the wire bytes
// without conversion).
//
// A DSN is postgres://user[:pass]@host:port/db. A password not in the DSN
// comes from Options.PasswordFile, else PGPASSWORD or ~/.pgpass (read by pgx).
// Every session is a read-only REPEATABLE READ transaction with
// default_transaction_read_only and statement_timeout set, and the pool holds
// at most Options.MaxConns connections.
//
// Values are read in text format, so numbers (a phone number in a BIGINT, an
// ID number in a NUMERIC) are scanned as their decimal text; bytea columns are
// read in binary format and a value is scanned only when it is valid UTF-8.
package postgres

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/piiscan/piiscan/connectors/dbscan"
)

// Source reads the tables of one PostgreSQL database. It is a
// scanner.Source and scanner.ByteCounter; Catalogue, Results and
// CommitState come from dbscan.Reader.
type Source struct {
	*dbscan.Reader
}

// Open connects, discovers the tables selected by opts and returns a Source
// that reads them. Reading starts at the first Next. ctx bounds the whole
// scan: cancel it, or Close the Source, to stop.
func Open(ctx context.Context, dsn string, opts dbscan.Options) (*Source, error) {
	opts = opts.WithDefaults()
	d, err := dbscan.ParseDSN(dsn, 5432, "postgres", "postgresql")
	if err != nil {
		return nil, err
	}
	if err := dbscan.ResolvePassword(&d, opts.PasswordFile, ""); err != nil {
		return nil, fmt.Errorf("%s: %w", d, err)
	}
	filter, err := dbscan.NewFilter(opts.Include, opts.Exclude)
	if err != nil {
		return nil, err
	}
	cfg, err := connConfig(d, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d, dbscan.Scrub(err, d.Password))
	}
	pool := newPool(cfg, opts.MaxConns)
	conn, err := pool.acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d, dbscan.Scrub(err, d.Password))
	}
	tables, db, err := discover(ctx, conn, d, opts.Views)
	pool.release(conn)
	if err != nil {
		pool.close()
		return nil, fmt.Errorf("%s: %w", d, dbscan.Scrub(err, d.Password))
	}
	if d.Database == "" {
		d.Database = db
	}
	tables = dbscan.SplitDenied(dbscan.SelectUpdated(tables, filter, opts.Shard, opts.UpdatedColumn))
	r, err := dbscan.NewReader(ctx, &dialect{pool: pool}, dbscan.Catalogue{Source: d.String(), Tables: tables}, opts, d.Password)
	if err != nil {
		pool.close()
		return nil, err
	}
	return &Source{Reader: r}, nil
}

func connConfig(d dbscan.DSN, opts dbscan.Options) (*pgx.ConnConfig, error) {
	u := url.URL{Scheme: "postgres", Host: net.JoinHostPort(d.Host, strconv.Itoa(d.Port)), Path: "/" + d.Database, RawQuery: d.Params.Encode()}
	if d.User != "" {
		u.User = url.User(d.User) // the password is set below, never in a string
	}
	cfg, err := pgx.ParseConfig(u.String())
	if err != nil {
		return nil, err
	}
	if d.Password != "" {
		cfg.Password = d.Password
	}
	rp := cfg.RuntimeParams
	rp["application_name"] = opts.ApplicationName
	rp["default_transaction_read_only"] = "on"
	// A full read is one sequential scan resumed at the last row's ctid: it
	// must start at block 0, not join another scan of the table midway.
	rp["synchronize_seqscans"] = "off"
	if opts.StatementTimeout > 0 {
		rp["statement_timeout"] = strconv.FormatInt(max(opts.StatementTimeout.Milliseconds(), 1), 10)
	}
	cfg.BuildFrontend = newFrontend
	return cfg, nil
}

// readBuffer is the most a connection reads from its socket at once.
// pgproto3 reads into an 8 KiB buffer, one system call per 8 KiB (about 37
// rows of bench_people); a scan is slower than the server sends, so the
// socket holds far more than that, and reading it 64 KiB at a time takes
// an eighth of the system calls for one more copy of the bytes.
const readBuffer = 64 << 10

// newFrontend is pgproto3.NewFrontend reading r through readBuffer. The
// bytes it holds ahead are only hidden from PgConn.SyncConn, which only
// Conn and Hijack need, and the reader uses neither.
func newFrontend(r io.Reader, w io.Writer) *pgproto3.Frontend {
	return pgproto3.NewFrontend(bufio.NewReaderSize(r, readBuffer), w)
}

// discover reads the catalogue: ordinary and partitioned tables (partitions
// are read through their parent), and views when asked; system schemas are
// skipped.
func discover(ctx context.Context, pool *pgx.Conn, d dbscan.DSN, views bool) ([]dbscan.Table, string, error) {
	kinds := []string{"r", "p"}
	if views {
		kinds = append(kinds, "v", "m")
	}
	const where = ` c.relkind::text = ANY($1) AND NOT c.relispartition
		AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)'`
	var db string
	if err := pool.QueryRow(ctx, `SELECT current_database()`).Scan(&db); err != nil {
		return nil, "", err
	}
	rows, err := pool.Query(ctx, `SELECT n.nspname::text, c.relname::text, c.relkind::text,
		coalesce(obj_description(c.oid, 'pg_class'), ''), c.reltuples::bigint, c.relpages::bigint,
		coalesce((SELECT a.attname::text FROM pg_constraint k
			JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
			WHERE k.conrelid = c.oid AND k.contype = 'p' AND cardinality(k.conkey) = 1
			AND a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype)), ''),
		has_table_privilege(c.oid, 'SELECT')
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE`+where+` ORDER BY 1, 2`, kinds)
	if err != nil {
		return nil, "", err
	}
	var tables []dbscan.Table
	index := map[[2]string]int{}
	for rows.Next() {
		var t dbscan.Table
		var kind string
		var whole bool
		if err := rows.Scan(&t.Schema, &t.Name, &kind, &t.Comment, &t.Rows, &t.Pages, &t.Key, &whole); err != nil {
			rows.Close()
			return nil, "", err
		}
		t.View = kind == "v" || kind == "m"
		t.Physical = kind == "r" // partitions of a "p" table share ctids
		t.ColumnGrants = !whole  // ctid needs SELECT on the table
		t.Label = t.Schema + "." + t.Name
		t.Source = d.TableSource(db, t.Label)
		index[[2]string{t.Schema, t.Name}] = len(tables)
		tables = append(tables, t)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	rows, err = pool.Query(ctx, `SELECT n.nspname::text, c.relname::text, a.attname::text,
		format_type(a.atttypid, a.atttypmod), t.typname::text, coalesce(col_description(c.oid, a.attnum), ''),
		has_column_privilege(c.oid, a.attnum, 'SELECT')
		FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid
		WHERE a.attnum > 0 AND NOT a.attisdropped AND`+where+` ORDER BY 1, 2, a.attnum`, kinds)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	for rows.Next() {
		var schema, table, typname string
		var c dbscan.Column
		var readable bool
		if err := rows.Scan(&schema, &table, &c.Name, &c.Type, &typname, &c.Comment, &readable); err != nil {
			return nil, "", err
		}
		i, ok := index[[2]string{schema, table}]
		if !ok {
			continue // created between the two queries
		}
		c.Binary = typname == "bytea"
		c.Denied = !readable // column privileges: GRANT SELECT (a, b) ON t
		tables[i].Columns = append(tables[i].Columns, c)
	}
	return tables, db, rows.Err()
}

// dialect is PostgreSQL's half of dbscan.Reader.
type dialect struct {
	pool *pool
}

func (d *dialect) Close() error {
	d.pool.close()
	return nil
}

type session struct {
	pool *pool
	conn *pgx.Conn
	tx   pgx.Tx
}

func (d *dialect) Session(ctx context.Context) (dbscan.Session, error) {
	conn, err := d.pool.acquire(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead})
	if err != nil {
		d.pool.release(conn)
		return nil, err
	}
	return &session{pool: d.pool, conn: conn, tx: tx}, nil
}

// OneBufferRows implements dbscan.RowBuffer: RawValues are slices of the
// row's DataRow message, each after its 4-byte length.
func (s *session) OneBufferRows() {}

var _ dbscan.RowBuffer = (*session)(nil)

func (s *session) Rows(ctx context.Context, q string, args []any, row func([][]byte) error) error {
	rows, err := s.tx.Query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows.RawValues()); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (s *session) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s.tx.Rollback(ctx) // read-only: nothing to keep; fails harmlessly on a lost connection
	s.pool.release(s.conn)
}

// Retryable: connection exceptions (class 08), the server shutting down or
// terminating the backend (57P01..57P03), serialization failures and
// deadlocks, insufficient resources (53), and any error that is not a server
// error (network errors, EOF). A statement timeout (57014) is not retried:
// it would time out again.
func (d *dialect) Retryable(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		c := pe.Code
		return strings.HasPrefix(c, "08") || strings.HasPrefix(c, "53") ||
			c == "57P01" || c == "57P02" || c == "57P03" || c == "40001" || c == "40P01"
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		pgconn.SafeToRetry(err) || isConnError(err)
}

func isConnError(err error) bool {
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "conn closed") || strings.Contains(msg, "connection reset") ||
		strings.Contains(msg, "broken pipe") || strings.Contains(msg, "unexpected EOF")
}

func ident(parts ...string) string { return pgx.Identifier(parts).Sanitize() }

// from names a table to read. An ordinary table is read ONLY: a table that
// other tables inherit from would otherwise return their rows too, which are
// read (and counted, and copied) as tables of their own. A partitioned
// table is read whole: its partitions are not listed.
func from(schema, name string, ordinary bool) string {
	if ordinary {
		return "ONLY " + ident(schema, name)
	}
	return ident(schema, name)
}

func (d *dialect) Extent(t *dbscan.Table, col string) string {
	c := ident(col)
	return "SELECT min(" + c + ")::text, max(" + c + ")::text FROM " + from(t.Schema, t.Name, t.Physical)
}

// Blocks implements dbscan.PhysicalDialect: a full read of an ordinary
// table is a sequential scan, several times faster than walking the primary
// key's index; it resumes with a TID range scan (PostgreSQL 14+) past the
// last row's ctid.
func (d *dialect) Blocks(t *dbscan.Table) string {
	name := strings.ReplaceAll(ident(t.Schema, t.Name), "'", "''")
	return "SELECT (pg_relation_size('" + name + "'::regclass) / current_setting('block_size')::bigint)::text"
}

// Tid implements dbscan.PhysicalDialect: Select reads ctid in binary
// format, a 4-byte block number and a 2-byte offset, big-endian. In text
// the server would print every row's address with printf (8% of its CPU
// time per row of a 7-column table, this machine) and the reader parse it
// back.
func (d *dialect) Tid(v []byte) (dbscan.Tid, bool) {
	if len(v) != 6 {
		return dbscan.Tid{}, false
	}
	return dbscan.Tid{Block: int64(binary.BigEndian.Uint32(v)), Offset: int64(binary.BigEndian.Uint16(v[4:]))}, true
}

// Timeout implements dbscan.PhysicalDialect: 57014 is query_canceled, what
// statement_timeout raises.
func (d *dialect) Timeout(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "57014"
}

func (d *dialect) Select(t *dbscan.Table, r *dbscan.Read) (string, []any) {
	var b strings.Builder
	// Text format, but raw bytes for bytea and the physical address in
	// binary (see Tid).
	formats := pgx.QueryResultFormats{pgx.TextFormatCode}
	tid := r.Tid != nil && !r.KeyFromColumn
	mixed := tid
	for _, c := range t.Columns {
		mixed = mixed || c.Binary
	}
	if mixed {
		formats = formats[:0]
	}
	b.WriteString("SELECT ")
	sep := ""
	switch {
	case r.KeyFromColumn:
	case tid:
		b.WriteString("ctid")
		formats = append(formats, pgx.BinaryFormatCode)
		sep = ", "
	case t.Key != "":
		b.WriteString(ident(t.Key))
		if mixed {
			formats = append(formats, pgx.TextFormatCode)
		}
		sep = ", "
	}
	for _, c := range t.Columns {
		b.WriteString(sep)
		sep = ", "
		if c.Skip {
			b.WriteString("NULL")
		} else {
			b.WriteString(ident(c.Name))
		}
		if mixed {
			if c.Binary {
				formats = append(formats, pgx.BinaryFormatCode)
			} else {
				formats = append(formats, pgx.TextFormatCode)
			}
		}
	}
	b.WriteString(" FROM ")
	b.WriteString(from(t.Schema, t.Name, t.Physical))
	if r.Sample.Method != "" {
		fmt.Fprintf(&b, " TABLESAMPLE %s (%s) REPEATABLE (%d)", r.Sample.Method,
			strconv.FormatFloat(r.Sample.Percent, 'f', -1, 64), r.Sample.Seed)
	}
	args := []any{formats}
	var conds []string
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args)-1)
	}
	if tr := r.Tid; tr != nil {
		// Addresses are parameters so every range reuses one prepared statement.
		if tr.HasAfter {
			conds = append(conds, "ctid > "+arg(fmt.Sprintf("(%d,%d)", tr.After.Block, tr.After.Offset))+"::text::tid")
		} else if tr.From > 0 {
			conds = append(conds, "ctid >= "+arg(fmt.Sprintf("(%d,0)", tr.From))+"::text::tid")
		}
		if tr.To >= 0 {
			conds = append(conds, "ctid < "+arg(fmt.Sprintf("(%d,0)", tr.To))+"::text::tid")
		}
	}
	if r.HasKey {
		k := ident(t.Key)
		conds = append(conds, k+" >= "+arg(r.KeyLo), k+" <= "+arg(r.KeyHi))
	}
	if r.UpdCol != "" {
		u := ident(r.UpdCol)
		if r.UpdLo != "" {
			conds = append(conds, u+" > "+arg(r.UpdLo))
		}
		conds = append(conds, u+" <= "+arg(r.UpdHi))
	}
	if r.RandomPercent > 0 {
		conds = append(conds, "random() < "+strconv.FormatFloat(r.RandomPercent/100, 'f', -1, 64))
	}
	key := ""
	if t.Key != "" {
		key = ident(t.Key)
	}
	r.AppendTail(&b, conds, key)
	return b.String(), args
}

// PlanSample samples with TABLESAMPLE instead of sorting the table by
// random(). Tables of up to systemPages pages use BERNOULLI: every row has the
// same chance, at the cost of reading every page (at most 80 MiB). Larger
// tables use SYSTEM, which reads only the sampled pages: cheap on any size,
// but rows come in whole pages, so a tiny sample of a huge table clusters in
// few pages. Views cannot be table-sampled: their rows are kept with
// probability P (not repeatable, so a view read that loses its connection
// resumes less exactly). REPEATABLE(seed) makes the sample the same for every
// chunk and retry of the read. For N rows of a table, one more statement
// counts the rows the sample holds (36 ms with SYSTEM on 1,000,000 rows,
// 40-110 ms with BERNOULLI on 300,000, this machine) and the reader keeps N
// of them at random (dbscan.Plan.Keep), so the sample reaches the end of
// the table. A table whose estimate is not above N is counted first: a
// stale estimate would otherwise read its first N rows.
const systemPages = 10240

func (d *dialect) PlanSample(ctx context.Context, s dbscan.Session, t *dbscan.Table, smp dbscan.Sample, p *dbscan.Plan, rnd *rand.Rand) error {
	pct := smp.Percent
	if smp.Mode == dbscan.SampleRows {
		est := t.Rows
		count := func() error {
			q := "SELECT count(*)::text FROM " + from(t.Schema, t.Name, t.Physical)
			return s.Rows(ctx, q, nil, func(v [][]byte) error {
				est, _ = strconv.ParseInt(string(v[0]), 10, 64)
				return nil
			})
		}
		if est <= 0 || smp.Rows >= est {
			// Never analyzed, or small by an estimate that may be stale:
			// count once rather than read the first N rows of a table
			// that grew.
			if err := count(); err != nil {
				return err
			}
		}
		if p.Limit <= 0 || smp.Rows < p.Limit {
			p.Limit = smp.Rows
		}
		if smp.Rows >= est {
			return nil // the cap alone: every row fits in the sample
		}
		// Sample enough that N rows nearly always come back, and the
		// LIMIT keeps N: asking for exactly N/est gave fewer than N rows
		// most of the time, and often none for a small N on a large
		// table. The margin is three standard deviations (rows, or for
		// SYSTEM, which takes whole pages, pages), so the rows the LIMIT
		// drops, and with them the lean towards the start of the key
		// range, stay a small share of the sample.
		n := float64(smp.Rows)
		pct = 100 * (n + 3*math.Sqrt(n) + 10) / float64(est)
		if t.Pages > systemPages {
			pages := n / max(float64(est)/float64(t.Pages), 1)
			pct = 100 * (pages + 3*math.Sqrt(pages) + 3) / float64(t.Pages)
		}
		pct = min(pct, 100)
	}
	if t.View {
		p.Read.RandomPercent = pct
		return nil
	}
	p.Read.Sample = dbscan.SampleClause{Method: "BERNOULLI", Percent: pct, Seed: int32(rnd.Uint32() >> 1)}
	if t.Pages > systemPages {
		p.Read.Sample.Method = "SYSTEM"
	}
	if smp.Mode == dbscan.SampleRows && pct < 100 && len(p.Segments) <= 1 {
		// Count the rows the repeatable sample holds, and let the reader
		// keep N of them at random (Plan.Keep): the LIMIT alone would stop
		// at the Nth row in key or storage order, and the sample's margin
		// left the end of the table out (the last tenth of 20,000 rows for
		// N = 500).
		rd := p.Read
		if len(p.Segments) == 1 {
			rd.HasKey, rd.KeyLo, rd.KeyHi = true, p.Segments[0].Lo, p.Segments[0].Hi
		}
		q, args := d.Select(t, &rd)
		var m int64
		err := s.Rows(ctx, "SELECT count(*)::text FROM ("+q+") s", args[1:], func(v [][]byte) error {
			m, _ = strconv.ParseInt(string(v[0]), 10, 64)
			return nil
		})
		if err != nil {
			return err
		}
		if m > p.Limit {
			p.Keep, p.Of, p.KeepSeed = p.Limit, m, rnd.Uint64()
		}
	}
	return nil
}
