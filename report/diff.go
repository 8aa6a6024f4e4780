package report

import (
	"cmp"
	"slices"
	"time"

	"github.com/piiscan/piiscan/detectors/pi"
)

// Change says what happened to a column, table or source between two reports.
type Change string

const (
	Added   Change = "added"
	Removed Change = "removed"
	Changed Change = "changed"
)

// DiffResult is what changed between two inventories.
type DiffResult struct {
	Old     DiffSide       `json:"old"`
	New     DiffSide       `json:"new"`
	Sources []SourceChange `json:"sources"`
	Tables  []TableChange  `json:"tables"`
	Columns []ColumnChange `json:"columns"`
}

// DiffSide summarises one of the two reports.
type DiffSide struct {
	Started  time.Time        `json:"started"`
	Finished time.Time        `json:"finished"`
	Columns  int              `json:"columns"`
	Findings int64            `json:"findings"`
	ByGrade  map[string]int64 `json:"columns_by_grade"`
}

// SourceChange is a source that appeared, disappeared or changed grade.
type SourceChange struct {
	Change   Change   `json:"change"`
	Source   string   `json:"source"`
	OldGrade pi.Grade `json:"old_grade"`
	NewGrade pi.Grade `json:"new_grade"`
}

// TableChange is a table that appeared, disappeared or changed grade.
type TableChange struct {
	Change   Change   `json:"change"`
	Source   string   `json:"source"`
	Table    string   `json:"table"`
	OldGrade pi.Grade `json:"old_grade"`
	NewGrade pi.Grade `json:"new_grade"`
}

// ColumnChange is a column that appeared, disappeared, or whose types, type
// counts or grade changed. A column whose only change is its number of rows
// scanned is not listed: rows come and go in a live table, PI is what the
// inventory tracks.
type ColumnChange struct {
	Change   Change      `json:"change"`
	Source   string      `json:"source"`
	Table    string      `json:"table"`
	Column   string      `json:"column"`
	OldGrade pi.Grade    `json:"old_grade"`
	NewGrade pi.Grade    `json:"new_grade"`
	OldRule  string      `json:"old_rule,omitempty"`
	NewRule  string      `json:"new_rule,omitempty"`
	Gained   []pi.TypeID `json:"gained,omitempty"` // types with a count now and none before
	Lost     []pi.TypeID `json:"lost,omitempty"`
	Counts   []TypeDelta `json:"counts,omitempty"` // every type whose count changed
	OldRows  int64       `json:"old_rows"`
	NewRows  int64       `json:"new_rows"`
	// GainedGrade is the highest grade among Gained (none if nothing gained).
	GainedGrade pi.Grade `json:"gained_grade"`
}

// TypeDelta is one type's count before and after.
type TypeDelta struct {
	Type pi.TypeID `json:"type"`
	Old  int64     `json:"old"`
	New  int64     `json:"new"`
}

// Diff compares two reports of the same scope. Columns are matched by
// source, table and column; the result lists sources, tables and columns in
// sorted order so diffs of equal reports are equal.
func Diff(old, new *Report) *DiffResult {
	d := &DiffResult{Old: side(old), New: side(new), Sources: []SourceChange{}, Tables: []TableChange{}, Columns: []ColumnChange{}}

	oldSrc := map[string]*Source{}
	for i := range old.Sources {
		oldSrc[old.Sources[i].Name] = &old.Sources[i]
	}
	seen := map[string]bool{}
	for i := range new.Sources {
		n := &new.Sources[i]
		seen[n.Name] = true
		o := oldSrc[n.Name]
		switch {
		case o == nil:
			d.Sources = append(d.Sources, SourceChange{Change: Added, Source: n.Name, NewGrade: n.Grade})
		case o.Grade != n.Grade:
			d.Sources = append(d.Sources, SourceChange{Change: Changed, Source: n.Name, OldGrade: o.Grade, NewGrade: n.Grade})
		}
	}
	for _, o := range old.Sources {
		if !seen[o.Name] {
			d.Sources = append(d.Sources, SourceChange{Change: Removed, Source: o.Name, OldGrade: o.Grade})
		}
	}

	oldT, newT := tablesOf(old), tablesOf(new)
	for k, n := range newT {
		o, ok := oldT[k]
		switch {
		case !ok:
			d.Tables = append(d.Tables, TableChange{Change: Added, Source: k[0], Table: k[1], NewGrade: n})
		case o != n:
			d.Tables = append(d.Tables, TableChange{Change: Changed, Source: k[0], Table: k[1], OldGrade: o, NewGrade: n})
		}
	}
	for k, o := range oldT {
		if _, ok := newT[k]; !ok {
			d.Tables = append(d.Tables, TableChange{Change: Removed, Source: k[0], Table: k[1], OldGrade: o})
		}
	}

	type ckey struct{ s, t, c string }
	oldC := map[ckey]*Column{}
	for i := range old.Columns {
		c := &old.Columns[i]
		oldC[ckey{c.Source, c.Table, c.Column}] = c
	}
	seenC := map[ckey]bool{}
	empty := &Column{}
	for i := range new.Columns {
		n := &new.Columns[i]
		k := ckey{n.Source, n.Table, n.Column}
		seenC[k] = true
		o := oldC[k]
		ch := Changed
		if o == nil {
			ch, o = Added, empty
		}
		if cc, ok := compareColumns(ch, o, n); ok {
			d.Columns = append(d.Columns, cc)
		}
	}
	for i := range old.Columns {
		o := &old.Columns[i]
		if !seenC[ckey{o.Source, o.Table, o.Column}] {
			cc, _ := compareColumns(Removed, o, empty)
			cc.Source, cc.Table, cc.Column = o.Source, o.Table, o.Column
			d.Columns = append(d.Columns, cc)
		}
	}

	slices.SortFunc(d.Sources, func(a, b SourceChange) int { return cmp.Compare(a.Source, b.Source) })
	slices.SortFunc(d.Tables, func(a, b TableChange) int {
		return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.Table, b.Table))
	})
	slices.SortFunc(d.Columns, func(a, b ColumnChange) int {
		return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.Table, b.Table), cmp.Compare(a.Column, b.Column))
	})
	return d
}

func side(r *Report) DiffSide {
	s := DiffSide{Started: r.Started, Finished: r.Finished, Columns: len(r.Columns), Findings: r.Totals.Findings, ByGrade: map[string]int64{}}
	for i := range r.Columns {
		s.ByGrade[r.Columns[i].Grade.String()]++
	}
	return s
}

// tablesOf returns the grade of every table of r, from its roll-ups or, for
// tables only its columns name, from them.
func tablesOf(r *Report) map[[2]string]pi.Grade {
	m := map[[2]string]pi.Grade{}
	for _, t := range r.Tables {
		m[[2]string{t.Source, t.Table}] = t.Grade
	}
	for i := range r.Columns {
		c := &r.Columns[i]
		if c.Table == "" {
			continue
		}
		k := [2]string{c.Source, c.Table}
		m[k] = max(m[k], c.Grade)
	}
	return m
}

func compareColumns(ch Change, o, n *Column) (ColumnChange, bool) {
	cc := ColumnChange{Change: ch, Source: n.Source, Table: n.Table, Column: n.Column,
		OldGrade: o.Grade, NewGrade: n.Grade, OldRule: o.Rule, NewRule: n.Rule,
		OldRows: o.RowsScanned, NewRows: n.RowsScanned}
	types := map[pi.TypeID]bool{}
	for t := range o.Types {
		types[t] = true
	}
	for t := range n.Types {
		types[t] = true
	}
	ids := make([]pi.TypeID, 0, len(types))
	for t := range types {
		ids = append(ids, t)
	}
	slices.Sort(ids)
	for _, t := range ids {
		a, b := o.Types[t], n.Types[t]
		if a == b {
			continue
		}
		cc.Counts = append(cc.Counts, TypeDelta{Type: t, Old: a, New: b})
		switch {
		case a <= 0 && b > 0:
			cc.Gained = append(cc.Gained, t)
			cc.GainedGrade = max(cc.GainedGrade, typeGrade(n, t))
		case a > 0 && b <= 0:
			cc.Lost = append(cc.Lost, t)
		}
	}
	return cc, ch != Changed || len(cc.Counts) > 0 || o.Grade != n.Grade
}

// NewAtOrAbove returns the changes that bring something new at or above g:
// a column (new or not) that gained a type whose grade is at least g, or
// whose grade rose to at least g. `piiscan report diff --fail-on g` exits 1
// when this is not empty.
func (d *DiffResult) NewAtOrAbove(g pi.Grade) []ColumnChange {
	var out []ColumnChange
	for _, c := range d.Columns {
		if c.Change == Removed {
			continue
		}
		gained := len(c.Gained) > 0 && c.GainedGrade >= g
		rose := c.NewGrade > c.OldGrade && c.NewGrade >= g
		if gained || rose {
			out = append(out, c)
		}
	}
	return out
}

// Empty reports whether nothing changed.
func (d *DiffResult) Empty() bool {
	return len(d.Sources) == 0 && len(d.Tables) == 0 && len(d.Columns) == 0
}
