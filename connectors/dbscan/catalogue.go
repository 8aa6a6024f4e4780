package dbscan

import (
	"fmt"
	"path"
	"strings"
)

// Table is one table (or view) found in the catalogue.
type Table struct {
	Schema  string // database name for MySQL
	Name    string
	View    bool
	Comment string
	Columns []Column // the columns selected by the filter, in ordinal order
	// Key is the column used for keyset reads, resumes and watermarks: the
	// table's primary key when it is a single integer column, else "".
	Key string
	// Physical tables can be read in storage order and resumed at a row's
	// physical address (PostgreSQL ctid of an ordinary table): full reads
	// then need no index.
	Physical bool
	// Rows and Pages are the catalogue's estimates (-1 when unknown). Pages
	// is PostgreSQL's relpages; 0 for MySQL.
	Rows, Pages int64
	// Source is the name records carry (DESIGN.md §2), never a password.
	Source string
	// Label is the table name records carry in Record.Table: "table" for
	// MySQL, "schema.table" for PostgreSQL.
	Label string
	// Denied are the selected columns the scan's user may not SELECT
	// (column privileges): they are not read, and the table's result names
	// them so an inventory shows the gap. Set by SplitDenied.
	Denied []string
	// ColumnGrants: the user's SELECT was granted on columns, not on the
	// table, so a row's physical address (PostgreSQL ctid) cannot be read.
	ColumnGrants bool

	// updated is Options.UpdatedColumn when the table has that column (read
	// or not): the table's watermark column.
	updated string
}

// Column is one column of a table.
type Column struct {
	Name    string
	Type    string // the catalogue's type, e.g. "varchar(64)", "bigint", "jsonb"
	Comment string
	// Binary columns (BLOB, VARBINARY, bytea) are read as raw bytes; a value
	// is scanned only when it is valid UTF-8, else skipped.
	Binary bool
	// Skip columns are not read at all (spatial and bit types: no text PI).
	Skip bool
	// Denied columns may not be read by the scan's user (no SELECT
	// privilege on them); SplitDenied moves them to Table.Denied.
	Denied bool
}

// Catalogue is what discovery found and selected for this scan.
type Catalogue struct {
	Source string // redacted DSN: scheme://host:port/db
	Tables []Table
}

// Filter selects tables and columns by globs on "schema.table" and
// "schema.table.column". A pattern's parts are matched one by one with
// path.Match (* ? [...]), so "shop.*" is every table of shop and "*.*.id_no"
// the id_no column of every table. Matching is case-sensitive.
//
//   - A table is read when no include pattern names tables or columns, or
//     when an include pattern matches it (a column pattern includes its table).
//   - A table matched by a two-part exclude pattern is not read.
//   - A column is read when its table is read, it is not matched by a
//     three-part exclude pattern, and either no three-part include pattern
//     matches its table or one of them matches the column.
type Filter struct {
	incTables, incCols, excTables, excCols [][]string
}

// NewFilter checks the patterns. A two-part pattern is schema.table and
// also table.column in any schema: for a MySQL DSN, which names the database,
// people write orders.mobile.
func NewFilter(include, exclude []string) (*Filter, error) {
	return newFilter(include, exclude, true)
}

// NewTableFilter is NewFilter for whole tables (a copy moves whole rows): a
// two-part pattern is only schema.table.
func NewTableFilter(include, exclude []string) (*Filter, error) {
	return newFilter(include, exclude, false)
}

func newFilter(include, exclude []string, tableColumn bool) (*Filter, error) {
	f := &Filter{}
	add := func(p string, tables, cols *[][]string) error {
		parts := strings.Split(p, ".")
		for _, q := range parts {
			if _, err := path.Match(q, ""); err != nil || q == "" {
				return fmt.Errorf("pattern %q: want schema.table or schema.table.column globs", p)
			}
		}
		switch len(parts) {
		case 1: // a bare table name: any schema
			*tables = append(*tables, []string{"*", parts[0]})
		case 2:
			// schema.table, or table.column in any schema: a MySQL DSN
			// names the database, and people write orders.mobile there.
			*tables = append(*tables, parts)
			if tableColumn {
				*cols = append(*cols, []string{"*", parts[0], parts[1]})
			}
		case 3:
			*cols = append(*cols, parts)
		default:
			return fmt.Errorf("pattern %q: want schema.table or schema.table.column globs", p)
		}
		return nil
	}
	for _, p := range include {
		if err := add(p, &f.incTables, &f.incCols); err != nil {
			return nil, err
		}
	}
	for _, p := range exclude {
		if err := add(p, &f.excTables, &f.excCols); err != nil {
			return nil, err
		}
	}
	return f, nil
}

func match(pat []string, names ...string) bool {
	for i, n := range names {
		if ok, _ := path.Match(pat[i], n); !ok {
			return false
		}
	}
	return true
}

// Table reports whether schema.table is read.
func (f *Filter) Table(schema, table string) bool {
	for _, p := range f.excTables {
		if match(p, schema, table) {
			return false
		}
	}
	if len(f.incTables) == 0 && len(f.incCols) == 0 {
		return true
	}
	for _, p := range f.incTables {
		if match(p, schema, table) {
			return true
		}
	}
	for _, p := range f.incCols {
		if match(p, schema, table) {
			return true
		}
	}
	return false
}

// Column reports whether a column of a read table is read.
func (f *Filter) Column(schema, table, column string) bool {
	for _, p := range f.excCols {
		if match(p, schema, table, column) {
			return false
		}
	}
	for _, p := range f.incTables {
		if match(p, schema, table) {
			return true // the whole table was asked for
		}
	}
	restricted := false
	for _, p := range f.incCols {
		if match(p, schema, table) {
			restricted = true
			if match(p, schema, table, column) {
				return true
			}
		}
	}
	return !restricted
}

// SelectUpdated applies the filter and the shard to discovered tables, in
// place: tables not read are dropped, and so are unread columns. A table left
// with no columns is dropped too. updated is Options.UpdatedColumn: it stays
// usable as a watermark even when the filter drops it from the columns read.
func SelectUpdated(tables []Table, f *Filter, sh Shard, updated string) []Table {
	out := tables[:0]
	for _, t := range tables {
		if !f.Table(t.Schema, t.Name) || !sh.Owns(t.Schema, t.Name) {
			continue
		}
		for _, c := range t.Columns {
			if updated != "" && c.Name == updated && !c.Denied {
				t.updated = updated
			}
		}
		var cols []Column
		for _, c := range t.Columns {
			if f.Column(t.Schema, t.Name, c.Name) {
				cols = append(cols, c)
			}
		}
		if len(cols) == 0 {
			continue
		}
		t.Columns = cols
		out = append(out, t)
	}
	return out
}

// SplitDenied moves the Denied columns of a scan's tables out of Columns
// into Table.Denied, after SelectUpdated: the reader reads the others and
// reports these. A key or watermark column that is denied cannot bound
// reads: the table is read without it. A table left with no readable column
// stays, so that its result says why nothing was read. (A copy keeps the
// columns: it must not silently drop any.)
func SplitDenied(tables []Table) []Table {
	for i := range tables {
		t := &tables[i]
		var cols []Column
		for _, c := range t.Columns {
			if !c.Denied {
				cols = append(cols, c)
				continue
			}
			t.Denied = append(t.Denied, c.Name)
			if c.Name == t.Key {
				t.Key = ""
			}
			if c.Name == t.updated {
				t.updated = ""
			}
		}
		if len(t.Denied) > 0 {
			t.Columns = cols
			t.ColumnGrants = true
		}
	}
	return tables
}

// DeniedError is a table's result when some of its columns could not be
// read for lack of privileges: the other columns were read.
type DeniedError struct {
	Columns []string // denied, in ordinal order
	All     bool     // no column could be read
}

func (e *DeniedError) Error() string {
	if e.All {
		return "no column readable: SELECT not granted on " + strings.Join(e.Columns, ", ")
	}
	return "columns not read, SELECT not granted: " + strings.Join(e.Columns, ", ") + " (the other columns were read)"
}
