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
	// Default is the column's default as the source engine writes it (an
	// SQL expression: 'x'::text, 0, now(), CURRENT_TIMESTAMP), "" when it
	// has none or it is a sequence's (Identity). A target of the same engine
	// reuses it; another engine's dialect differs, so it is dropped there.
	Default string
	// Identity columns take their values from a sequence: PostgreSQL
	// identity and serial columns, MySQL AUTO_INCREMENT. The target keeps
	// them so and moves the sequence past the largest copied value.
	Identity bool
	// IdentityAlways is a PostgreSQL GENERATED ALWAYS AS IDENTITY column.
	IdentityAlways bool
	// Enum holds the labels of an enumerated type (a PostgreSQL enum, a
	// MySQL ENUM) in order; nil for other types.
	Enum []string
	// UserType is the user-defined type of a PostgreSQL column (for an
	// array, of its elements), nil for built-in and extension types. A
	// target of the same engine creates enums and domains before the table.
	UserType *CopyType
}

// CopyType is a user-defined PostgreSQL type a copied column uses.
type CopyType struct {
	Schema, Name string
	// Ref is the type as the source's catalogue writes it in column types
	// and defaults (format_type: "crm.st", or "st" when its schema is on
	// the search path), which a target in another schema rewrites.
	Ref string
	// Kind is "enum", "domain", "composite", "range" or "multirange".
	Kind string
	// Labels of an enum, in order.
	Labels []string
	// Base is a domain's base type (format_type); BaseType is set when that
	// is itself a user-defined type.
	Base     string
	BaseType *CopyType
	// Default (an SQL expression, "" for none) and NotNull of a domain.
	Default string
	NotNull bool
	// Checks counts a domain's CHECK constraints, which a copy does not
	// create (masked values need not satisfy checks written for real ones).
	Checks int
}

// CopyIndex is a unique or secondary index of a copied table (the primary
// key is CopyTable.PrimaryKey).
type CopyIndex struct {
	Name string
	// Columns in index order; nil when the index has expressions, which
	// only a target of the same engine can rebuild (from Def).
	Columns []string
	Unique  bool
	// Constraint: a PostgreSQL UNIQUE constraint, not a bare index.
	Constraint bool
	// Def is the source engine's definition after the table name: for
	// PostgreSQL "USING btree (lower(email)) WHERE ..." (pg_get_indexdef),
	// or a constraint's "UNIQUE (a, b)" (pg_get_constraintdef); "" for MySQL,
	// whose same-engine copies reuse SHOW CREATE TABLE.
	Def string
}

// CopyForeignKey is a foreign key of a copied table. Copies add foreign
// keys after every table is loaded, so tables may be filled in any order.
type CopyForeignKey struct {
	Name                string
	Columns             []string
	RefSchema, RefTable string // the referenced table, as in CopyTable
	RefColumns          []string
	// OnDelete and OnUpdate are referential actions in SQL ("CASCADE",
	// "SET NULL", "SET DEFAULT", "RESTRICT"); "" is NO ACTION.
	OnDelete, OnUpdate string
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
	// Indexes are the unique and secondary indexes besides the primary key.
	Indexes     []CopyIndex
	ForeignKeys []CopyForeignKey
}

// UniqueColumns reports, per column, whether its values must stay distinct
// on the target: it is in the primary key or a unique index, or refers to
// another table through a foreign key (the referenced column is unique, and
// the referring values must be masked the way it is).
func (t *CopyTable) UniqueColumns() []bool {
	u := make([]bool, len(t.Columns))
	mark := func(names []string) {
		for _, n := range names {
			for i := range t.Columns {
				if t.Columns[i].Name == n {
					u[i] = true
				}
			}
		}
	}
	mark(t.PrimaryKey)
	for _, ix := range t.Indexes {
		if ix.Unique {
			mark(ix.Columns)
		}
	}
	for _, fk := range t.ForeignKeys {
		mark(fk.Columns)
	}
	return u
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
// t.Columns[i]), NOT NULL where the source has it, then attrs(i) (defaults,
// comments; attrs may be nil), the primary key and the table-level clauses
// extra (unique keys); tail follows the closing parenthesis (table options).
func CreateTable(qname string, t *CopyTable, quote func(...string) string, typ, attrs func(i int) string, extra []string, tail string) string {
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
		if attrs != nil {
			if a := attrs(i); a != "" {
				b.WriteString(" " + a)
			}
		}
	}
	if len(t.PrimaryKey) > 0 {
		b.WriteString(", PRIMARY KEY (" + QuoteList(quote, t.PrimaryKey) + ")")
	}
	for _, e := range extra {
		b.WriteString(", " + e)
	}
	b.WriteString(")" + tail)
	return b.String()
}

// FinishingTable is a TargetTable with work left once its rows are in:
// indexes built after the load (cheaper than maintaining them row by row),
// sequences moved past the copied keys. notes say what the target could not
// carry over or had to convert (counts, never values).
type FinishingTable interface {
	Finish(ctx context.Context) (notes []string, err error)
}

// ForeignKeyTarget is a CopyTarget that recreates foreign keys. A copy
// calls it once every table is loaded, for each foreign key of t whose
// referenced table ref was copied too.
type ForeignKeyTarget interface {
	AddForeignKey(ctx context.Context, t, ref *CopyTable, fk CopyForeignKey, src string) error
}

// QuoteList quotes each name and joins them with ", " (key and column lists).
func QuoteList(quote func(...string) string, names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quote(n)
	}
	return strings.Join(q, ", ")
}
