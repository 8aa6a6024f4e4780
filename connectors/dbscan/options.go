// Package dbscan holds what the MySQL and PostgreSQL sources share: the
// options of a database scan, the catalogue types, include/exclude globs,
// sampling and shard specs, the incremental-state file, DSN parsing with
// password handling, and the table reader that turns a driver's rows into
// scanner records (parallel tables, bounded memory, retries that resume from
// the last key seen).
//
// The database packages (connectors/mysql, connectors/postgres) supply a
// Dialect: how to open a read-only session, how to write a query, which
// errors mean the connection was lost. Everything else is here so both
// behave the same.
package dbscan

import (
	"fmt"
	"hash/fnv"
	"math"
	"strconv"
	"strings"
	"time"
)

// Options configure a database scan. The zero value scans every table in full,
// one table at a time, with the defaults documented on each field.
type Options struct {
	// Include and Exclude are globs on "schema.table" or "schema.table.column"
	// (for MySQL the schema is the database name); see Filter.
	Include, Exclude []string
	// Views also reads views (and PostgreSQL materialized views).
	Views bool
	// Sample selects the rows read from each table; the zero value reads all.
	Sample Sample
	// MaxRows caps the rows read from one table; 0 means no cap.
	MaxRows int64
	// Parallel is how many tables are read at once; 0 means 1. Records are
	// still emitted table by table in catalogue order.
	Parallel int
	// MaxConns caps the connections opened; 0 means Parallel+1.
	MaxConns int
	// StatementTimeout bounds every statement on the server; 0 means 5
	// minutes, negative means none.
	StatementTimeout time.Duration
	// State is the path of an incremental-state file (see State). When set,
	// each table is read only past its watermark, and CommitState records
	// the new watermarks.
	State string
	// UpdatedColumn names a column (e.g. "updated_at") used as the watermark
	// in tables that have it; other tables use their integer primary key.
	UpdatedColumn string
	// Shard restricts the scan to this process's share of the tables.
	Shard Shard
	// PasswordFile is read for the password when the DSN has none. Its
	// first line is the password.
	PasswordFile string
	// ChunkRows is the keyset page size: rows fetched per statement when a
	// table is read by its integer key; 0 means 100,000. Each statement
	// costs a round trip, which on a busy machine is milliseconds.
	ChunkRows int
	// ChunkBlocks is how many blocks one statement of a physical read
	// (PostgreSQL full reads) covers. 0 means the whole table in one
	// sequential scan, the fastest read there is; should it run into the
	// statement timeout, the read resumes after the last row on a new
	// statement.
	ChunkBlocks int
	// Retries is how often a table read is retried after a lost connection;
	// 0 means 5, negative means never.
	Retries int
	// RetryBackoff is the first wait before a retry; it doubles each time.
	// 0 means 200 ms.
	RetryBackoff time.Duration
	// Seed makes sampling repeatable; 0 picks one at random.
	Seed uint64
	// ApplicationName is shown to the server (PostgreSQL application_name);
	// empty means "piiscan".
	ApplicationName string
}

// WithDefaults returns o with zero fields set to their documented defaults.
func (o Options) WithDefaults() Options {
	if o.Parallel <= 0 {
		o.Parallel = 1
	}
	if o.MaxConns <= 0 {
		o.MaxConns = o.Parallel + 1
	}
	if o.StatementTimeout == 0 {
		o.StatementTimeout = 5 * time.Minute
	}
	if o.ChunkRows <= 0 {
		o.ChunkRows = 100000
	}
	if o.Retries == 0 {
		o.Retries = 5
	}
	if o.RetryBackoff <= 0 {
		o.RetryBackoff = 200 * time.Millisecond
	}
	if o.ApplicationName == "" {
		o.ApplicationName = "piiscan"
	}
	return o
}

// SampleMode says how rows of a table are chosen.
type SampleMode int

const (
	SampleFull    SampleMode = iota // every row
	SampleRows                      // about Rows random rows
	SamplePercent                   // about Percent % of the rows
)

// Sample is a parsed --sample value: "full", "N" rows, or "P%".
type Sample struct {
	Mode    SampleMode
	Rows    int64
	Percent float64
}

// ParseSample parses "full", a row count "N" (N ≥ 1) or a percentage "P%"
// (0 < P ≤ 100). "" means full.
func ParseSample(s string) (Sample, error) {
	t := strings.TrimSpace(s)
	switch {
	case t == "" || strings.EqualFold(t, "full") || strings.EqualFold(t, "all"):
		return Sample{}, nil
	case strings.HasSuffix(t, "%"):
		p, err := strconv.ParseFloat(strings.TrimSpace(t[:len(t)-1]), 64)
		if err != nil || math.IsNaN(p) || p <= 0 || p > 100 {
			return Sample{}, fmt.Errorf("sample %q: a percentage must be above 0 and at most 100", s)
		}
		if p == 100 {
			return Sample{}, nil
		}
		return Sample{Mode: SamplePercent, Percent: p}, nil
	default:
		n, err := strconv.ParseInt(t, 10, 64)
		if err != nil || n < 1 {
			return Sample{}, fmt.Errorf("sample %q: want full, a row count N ≥ 1, or P%%", s)
		}
		return Sample{Mode: SampleRows, Rows: n}, nil
	}
}

func (s Sample) String() string {
	switch s.Mode {
	case SampleRows:
		return strconv.FormatInt(s.Rows, 10)
	case SamplePercent:
		return strconv.FormatFloat(s.Percent, 'g', -1, 64) + "%"
	}
	return "full"
}

// Shard is this process's share of the tables of a scan: process Index of
// Count (0 ≤ Index < Count). The zero value means all tables.
type Shard struct{ Index, Count int }

// ParseShard parses "i/n" with 0 ≤ i < n (the 0-based index a Kubernetes
// indexed Job hands its pods as JOB_COMPLETION_INDEX). "" means no sharding.
func ParseShard(s string) (Shard, error) {
	if strings.TrimSpace(s) == "" {
		return Shard{}, nil
	}
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("shard %q: want i/n with 0 ≤ i < n", s)
	}
	return Shard{Index: i, Count: n}, nil
}

// Owns reports whether the table schema.table belongs to this shard. The
// split depends only on the names and Count, so n processes given the same
// catalogue split it without talking to each other, and every table is read
// by exactly one of them.
func (s Shard) Owns(schema, table string) bool {
	if s.Count <= 1 {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(schema))
	h.Write([]byte{'.'})
	h.Write([]byte(table))
	return h.Sum64()%uint64(s.Count) == uint64(s.Index)
}

func (s Shard) String() string {
	if s.Count <= 1 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}
