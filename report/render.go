package report

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/internal/atomicfile"
)

// Options configure the renderers.
type Options struct {
	// Lang is the label language: "en" (default) or "zh".
	Lang string
	// Annotations, if set, are joined to the columns before rendering
	// (the report passed in is not modified).
	Annotations *Annotations
	// TopTables is how many tables the top-tables chart shows; 0 means 10.
	TopTables int
}

// FormatOf returns the renderer for path's extension: .json, .html (.htm),
// .csv, .md, or .prom (Prometheus metrics).
func FormatOf(path string) (func(io.Writer, *Report, Options) error, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".json":
		return WriteJSON, nil
	case ".html", ".htm":
		return WriteHTML, nil
	case ".csv":
		return WriteCSV, nil
	case ".md":
		return WriteMarkdown, nil
	case ".prom":
		return func(w io.Writer, r *Report, _ Options) error { return WritePrometheus(w, r) }, nil
	default:
		return nil, fmt.Errorf("%s: unknown report format %q (want .json, .html, .csv, .md or .prom)", path, ext)
	}
}

// WriteFile renders r into path in the format its extension names, atomically.
func WriteFile(path string, r *Report, opts Options) error {
	f, err := FormatOf(path)
	if err != nil {
		return err
	}
	if _, err := labelsFor(opts.Lang); err != nil {
		return err
	}
	return AtomicWrite(path, func(w io.Writer) error { return f(w, r, opts) })
}

// AtomicWrite writes path through a temporary file in the same directory
// renamed into place (internal/atomicfile), so a reader (a browser,
// node-exporter's textfile collector, the next scheduled run) never sees
// half a file. On error nothing changes at path.
func AtomicWrite(path string, write func(io.Writer) error) error {
	f, err := atomicfile.Create(path, 0o644)
	if err != nil {
		return err
	}
	defer f.Abort()
	if err := write(f); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Commit()
}

// WriteJSON writes r as indented JSON (DESIGN.md §4) with its compliance gaps.
func WriteJSON(w io.Writer, r *Report, opts Options) error {
	v := prepare(r, opts)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// prepare returns a copy of r with annotations applied and gaps computed,
// sharing nothing mutable with r.
func prepare(r *Report, opts Options) *Report {
	c := *r
	c.Columns = slices.Clone(r.Columns)
	if c.Columns == nil {
		c.Columns = []Column{}
	}
	if c.Sources == nil {
		c.Sources = []Source{}
	}
	if opts.Annotations != nil {
		for i := range c.Columns {
			c.Columns[i].Inventory = opts.Annotations.For(&c.Columns[i])
		}
	}
	c.Gaps = ComplianceGaps(&c)
	return &c
}

// typeGrade is the grade of t in column c.
func typeGrade(c *Column, t pi.TypeID) pi.Grade {
	if g, ok := c.TypeGrades[t]; ok {
		return g
	}
	return pi.DefaultGrade(t)
}

// typeCount is one type and its count, for ordered output.
type typeCount struct {
	Type  pi.TypeID
	Grade pi.Grade
	N     int64
}

// sortedTypes orders a column's types by grade, then count, then ID.
func sortedTypes(c *Column) []typeCount {
	out := make([]typeCount, 0, len(c.Types))
	for t, n := range c.Types {
		out = append(out, typeCount{t, typeGrade(c, t), n})
	}
	slices.SortFunc(out, func(a, b typeCount) int {
		return cmp.Or(cmp.Compare(b.Grade, a.Grade), cmp.Compare(b.N, a.N), cmp.Compare(a.Type, b.Type))
	})
	return out
}

// typesString renders types as "cn_id_card:1998;cn_mobile:3".
func typesString(c *Column) string {
	var b strings.Builder
	for i, tc := range sortedTypes(c) {
		if i > 0 {
			b.WriteByte(';')
		}
		fmt.Fprintf(&b, "%s:%d", tc.Type, tc.N)
	}
	return b.String()
}

// findingsByType orders the report's totals by count, then ID; the grade
// is the highest any column gives the type.
func findingsByType(r *Report) []typeCount {
	grades := map[pi.TypeID]pi.Grade{}
	for i := range r.Columns {
		for t, g := range r.Columns[i].TypeGrades {
			grades[t] = max(grades[t], g)
		}
	}
	out := make([]typeCount, 0, len(r.Totals.ByType))
	for t, n := range r.Totals.ByType {
		g, ok := grades[t]
		if !ok {
			g = pi.DefaultGrade(t)
		}
		out = append(out, typeCount{t, g, n})
	}
	slices.SortFunc(out, func(a, b typeCount) int {
		return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Type, b.Type))
	})
	return out
}

// columnsByGrade counts columns per grade, index pi.Grade.
func columnsByGrade(r *Report) [3]int {
	var n [3]int
	for i := range r.Columns {
		if g := r.Columns[i].Grade; int(g) < len(n) {
			n[g]++
		}
	}
	return n
}

// tableScore is one table's count of values with sensitive PI.
type tableScore struct {
	Source, Table string
	N             int64
	Grade         pi.Grade
}

// topTables ranks tables (files without tables count as their source) by the
// values of sensitive types in their columns.
func topTables(r *Report, n int) []tableScore {
	type key struct{ s, t string }
	m := map[key]*tableScore{}
	var order []key
	for i := range r.Columns {
		c := &r.Columns[i]
		var s int64
		for t, k := range c.Types {
			if typeGrade(c, t) == pi.GradeSensitive {
				s += k
			}
		}
		if s == 0 {
			continue
		}
		k := key{c.Source, c.Table}
		ts := m[k]
		if ts == nil {
			ts = &tableScore{Source: c.Source, Table: c.Table}
			m[k] = ts
			order = append(order, k)
		}
		ts.N += s
		ts.Grade = max(ts.Grade, c.Grade)
	}
	out := make([]tableScore, 0, len(order))
	for _, k := range order {
		out = append(out, *m[k])
	}
	slices.SortStableFunc(out, func(a, b tableScore) int {
		return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Source, b.Source), cmp.Compare(a.Table, b.Table))
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func (t tableScore) label() string {
	if t.Table == "" {
		return t.Source
	}
	return t.Source + " · " + t.Table
}
