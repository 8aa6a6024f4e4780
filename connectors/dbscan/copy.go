package dbscan

import (
	"context"
	"strings"
)

// The types below are the seam between the database packages and a
// database-to-database copy (deid.CopyDatabase): connectors/mysql and
// connectors/postgres implement CopySource and CopyTarget, deid streams rows
// from one to the other. They live here because both sides already import
// this package and neither may import the other.

// CopyColumn is a column as a copy needs it: its type, whether values are
// character strings (and so may be masked), and what the target must keep.
type CopyColumn struct {
	Column
	// NotNull columns reject NULL on the target.
	NotNull bool
	// Text columns hold character strings; only they, numbers and dates are
	// scanned for PI. Binary columns are copied as raw bytes, never masked.
	Text bool
	// Chars is the declared character limit of a char/varchar column, 0 when
	// the type has none.
	Chars int
	// Generated columns are computed by the server. They are read (their
	// values are PI too when computed from PI) but a target made from the
	// source's own DDL computes them again and is not written to.
	Generated bool
}

// CopyTable is one table to copy.
type CopyTable struct {
	Schema, Name string
	// Label is the table name detection and masking rules see: "table" for
	// MySQL, "schema.table" for PostgreSQL (as in scans).
	Label      string
	Comment    string
	Columns    []CopyColumn
	PrimaryKey []string // in key order; empty when the table has none
	Rows       int64    // the catalogue's estimate, -1 when unknown
	// Ordinary: a plain table whose own rows are read without those of
	// tables inheriting from it (PostgreSQL FROM ONLY).
	Ordinary bool
	// DDL is the source's own CREATE TABLE statement when the engine has one
	// (MySQL SHOW CREATE TABLE); a target of the same engine reuses it.
	DDL string
}

// CopySource is the database a copy reads.
type CopySource interface {
	// Engine is "mysql" or "postgres".
	Engine() string
	// String is the DSN without user or password.
	String() string
	// Tables lists the selected tables.
	Tables(ctx context.Context) ([]*CopyTable, error)
	// ReadRows streams the table's rows in primary-key order (when it has
	// one), up to limit rows (0: all), calling row for each. vals[i] is the
	// value of Columns[i]: nil for NULL, text for character, numeric and
	// date types, raw bytes for Binary columns. vals and its slices are
	// borrowed until row returns.
	ReadRows(ctx context.Context, t *CopyTable, limit int64, row func(vals [][]byte) error) error
	Close() error
}

// CopyTarget is the database a copy writes.
type CopyTarget interface {
	Engine() string
	String() string
	// Prepare creates the target table of t, read from a source of engine
	// src. widen[i] > 0 asks that column i hold values of at least that many
	// characters (masking may lengthen them). An existing empty table is
	// used as it is; an existing table with rows is an error unless replace,
	// which drops and recreates it.
	Prepare(ctx context.Context, t *CopyTable, src string, widen []int, replace bool) (TargetTable, error)
	// TargetName is the table Prepare would create for t ("schema.table" or
	// "db.table"), so that a copy can refuse two source tables that would
	// land on one target table before it writes anything.
	TargetName(t *CopyTable, src string) string
	Close() error
}

// TargetTable receives the rows of one table.
type TargetTable interface {
	// Name is the target table as "schema.table" or "db.table".
	Name() string
	// Write stores the rows next returns until it returns io.EOF (vals as
	// in CopySource.ReadRows, borrowed until the next call) and returns how
	// many were written.
	Write(ctx context.Context, next func() ([][]byte, error)) (int64, error)
	// Count counts the rows the table holds.
	Count(ctx context.Context) (int64, error)
}

// CreateTable writes the CREATE TABLE of a copy's target table qname: each
// column quoted by quote, typed by typ(i) (the target engine's type for
// t.Columns[i]), NOT NULL where the source has it, and the primary key;
// tail follows the closing parenthesis (table options).
func CreateTable(qname string, t *CopyTable, quote func(...string) string, typ func(i int) string, tail string) string {
	var b strings.Builder
	b.WriteString("CREATE TABLE " + qname + " (")
	for i, col := range t.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quote(col.Name) + " " + typ(i))
		if col.NotNull {
			b.WriteString(" NOT NULL")
		}
	}
	if len(t.PrimaryKey) > 0 {
		b.WriteString(", PRIMARY KEY (" + QuoteList(quote, t.PrimaryKey) + ")")
	}
	b.WriteString(")" + tail)
	return b.String()
}

// QuoteList quotes each name and joins them with ", " (key and column lists).
func QuoteList(quote func(...string) string, names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quote(n)
	}
	return strings.Join(q, ", ")
}
