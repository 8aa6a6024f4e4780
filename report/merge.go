package report

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/piiscan/piiscan/detectors/pi"
)

// DefaultThreshold is the column share assumed for reports that record none
// and whose rules name none (the engine's default).
const DefaultThreshold = 0.5

// Merge joins reports of one inventory: shard reports (`--shard i/n`, disjoint
// tables), incremental reports (`--since-state`, the same columns over new
// rows) and successive scans of the same inputs. Reports are taken in the
// order they started. Columns with the same source, table and column are one
// column: rows and type counts add, samples are the union in input order
// capped at the largest sample count of the inputs, and the grade is
// recomputed with GradeColumn, so a merged report grades exactly as one scan
// over all rows would. Tables, sources and totals are recomputed or added;
// Started is the earliest start, Finished the latest finish,
// Throughput.Seconds the sum of the scans' durations (work done, not wall
// time). Inventory metadata is kept from the last report that has it; gaps
// are recomputed.
//
// A table (or a file) that a later scan read in full, not incrementally
// (Table.Incremental), replaces what earlier reports counted for it: an
// incremental scan re-reads tables that have no watermark column, and the
// same file scanned twice holds the same rows. Reports written before scans
// had IDs (Report.Scans) only add, as before.
//
// The threshold is the inputs' Threshold, or else the one their rules name
// ("cn_id_card>=0.8"), or DefaultThreshold; inputs that disagree are an error.
func Merge(reports ...*Report) (*Report, error) {
	if len(reports) == 0 {
		return nil, errors.New("merge: no reports")
	}
	for i, r := range reports {
		if r == nil {
			return nil, fmt.Errorf("merge: report %d is nil", i+1)
		}
	}
	threshold, err := mergeThreshold(reports)
	if err != nil {
		return nil, err
	}
	if err := distinctScans(reports); err != nil {
		return nil, err
	}
	order := make([]int, len(reports))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return reports[a].Started.Compare(reports[b].Started) })
	m := &merger{out: &Report{
		Version:   Version,
		Threshold: threshold,
		Columns:   []Column{},
		Sources:   []Source{},
		Totals:    Totals{ByType: map[pi.TypeID]int64{}, ByGrade: map[string]int64{}},
	}, cols: map[colKey]int{}, sources: map[string]int{}, tables: map[unitKey]int{}, units: map[unitKey]bool{}}
	for _, ri := range order {
		if err := m.add(ri, reports[ri]); err != nil {
			return nil, err
		}
	}
	out := m.out
	kept := out.Columns[:0]
	for i := range out.Columns {
		if !m.dropped[i] {
			kept = append(kept, out.Columns[i])
		}
	}
	out.Columns = kept
	for i := range out.Columns {
		GradeColumn(&out.Columns[i], threshold)
	}
	RollUp(out)
	if hasInventory(out) {
		out.Gaps = ComplianceGaps(out)
	}
	return out, nil
}

type colKey struct{ source, table, column string }

// unitKey is what a scan reads as one: a table of a database, or a file
// (table "").
type unitKey struct{ source, table string }

type merger struct {
	out     *Report
	cols    map[colKey]int // live columns by key
	limits  []int          // per column: the largest sample count of its inputs
	dropped []bool         // per column: replaced by a later full read
	noFind  []bool         // per column: an input had no finding counts
	sources map[string]int
	tables  map[unitKey]int
	units   map[unitKey]bool // units some earlier report counted
}

func (m *merger) add(ri int, r *Report) error {
	if r.Version != Version {
		return fmt.Errorf("merge: report %d has version %d, want %d", ri+1, r.Version, Version)
	}
	out := m.out
	if !r.Started.IsZero() && (out.Started.IsZero() || r.Started.Before(out.Started)) {
		out.Started = r.Started
	}
	if r.Finished.After(out.Finished) {
		out.Finished = r.Finished
	}
	// Units this report read in full replace earlier counts of them.
	if len(r.Scans) > 0 {
		incremental := map[unitKey]bool{}
		for _, t := range r.Tables {
			incremental[unitKey{t.Source, t.Table}] = t.Incremental
		}
		seen := map[unitKey]bool{}
		for _, c := range r.Columns {
			u := unitKey{c.Source, c.Table}
			if seen[u] || !m.units[u] || incremental[u] {
				continue
			}
			seen[u] = true
			if err := m.replace(ri, u); err != nil {
				return err
			}
		}
	}
	for _, s := range r.Sources {
		o := m.source(s.Name)
		o.Records += s.Records
		o.Findings += s.Findings
		o.Errors += s.Errors
	}
	for _, t := range r.Tables {
		k := unitKey{t.Source, t.Table}
		i, ok := m.tables[k]
		if !ok {
			i = len(out.Tables)
			m.tables[k] = i
			out.Tables = append(out.Tables, Table{Source: t.Source, Table: t.Table})
		}
		out.Tables[i].Rows += t.Rows
	}
	for _, c := range r.Columns {
		m.units[unitKey{c.Source, c.Table}] = true
		k := colKey{c.Source, c.Table, c.Column}
		i, ok := m.cols[k]
		if !ok {
			i = len(out.Columns)
			m.cols[k] = i
			out.Columns = append(out.Columns, Column{
				Source: c.Source, Table: c.Table, Column: c.Column,
				Types: map[pi.TypeID]int64{}, Samples: []string{},
			})
			m.limits = append(m.limits, 0)
			m.dropped = append(m.dropped, false)
			m.noFind = append(m.noFind, false)
		}
		// A scan keeps at most its --sample count: the largest count
		// seen is what the user asked for.
		m.limits[i] = max(m.limits[i], len(c.Samples))
		mergeColumn(&out.Columns[i], &c, m.limits[i])
		// Finding counts are kept only while every input has them.
		if o := &out.Columns[i]; c.Findings == nil && len(c.Types) > 0 || m.noFind[i] {
			m.noFind[i], o.Findings = true, nil
		} else if len(c.Findings) > 0 {
			if o.Findings == nil {
				o.Findings = map[pi.TypeID]int64{}
			}
			for t, n := range c.Findings {
				o.Findings[t] += n
			}
		}
	}
	out.Totals.Findings += r.Totals.Findings
	for t, n := range r.Totals.ByType {
		out.Totals.ByType[t] += n
	}
	for g, n := range r.Totals.ByGrade {
		out.Totals.ByGrade[g] += n
	}
	out.Throughput.Bytes += r.Throughput.Bytes
	out.Throughput.Records += r.Throughput.Records
	out.Throughput.Seconds += r.Throughput.Seconds
	out.Errors = append(out.Errors, r.Errors...)
	out.Scans = append(out.Scans, r.Scans...)
	return nil
}

func (m *merger) source(name string) *Source {
	i, ok := m.sources[name]
	if !ok {
		i = len(m.out.Sources)
		m.sources[name] = i
		m.out.Sources = append(m.out.Sources, Source{Name: name})
	}
	return &m.out.Sources[i]
}

// replace removes what earlier reports counted for unit u, which report ri
// read again in full: its columns (and their findings from the totals), its
// table's rows, and for a file its records and input errors.
func (m *merger) replace(ri int, u unitKey) error {
	out := m.out
	src := m.source(u.source)
	for k, i := range m.cols {
		if k.source != u.source || k.table != u.table {
			continue
		}
		c := &out.Columns[i]
		if m.noFind[i] {
			return fmt.Errorf("merge: report %d reads %s in full again, but an earlier report has no per-column finding counts (written by an older piiscan) to replace: merge it without the older report", ri+1, unitName(u))
		}
		for t, n := range c.Findings {
			g := pi.DefaultGrade(t)
			if tg, ok := c.TypeGrades[t]; ok {
				g = tg
			}
			out.Totals.Findings -= n
			out.Totals.ByType[t] -= n
			out.Totals.ByGrade[g.String()] -= n
			src.Findings -= n
		}
		m.dropped[i] = true
		delete(m.cols, k)
	}
	for t, n := range out.Totals.ByType {
		if n <= 0 {
			delete(out.Totals.ByType, t)
		}
	}
	for g, n := range out.Totals.ByGrade {
		if n <= 0 {
			delete(out.Totals.ByGrade, g)
		}
	}
	if u.table != "" {
		if i, ok := m.tables[u]; ok {
			src.Records -= out.Tables[i].Rows
			out.Tables[i].Rows = 0
		}
		return nil
	}
	src.Records, src.Errors = 0, 0
	errs := out.Errors[:0]
	for _, e := range out.Errors {
		if e.Source != u.source {
			errs = append(errs, e)
		}
	}
	out.Errors = errs
	return nil
}

func unitName(u unitKey) string {
	if u.table == "" {
		return u.source
	}
	return u.source + " table " + u.table
}

// distinctScans refuses reports that hold the same scan twice (the same file
// given twice, or a merged report merged again with one of its inputs):
// their rows would be counted twice. Reports written before Scans existed
// are told apart by their times and totals.
func distinctScans(reports []*Report) error {
	seen := map[string]int{}
	type span struct {
		started, finished int64
		through           Throughput
		findings          int64
	}
	spans := map[span]int{}
	for ri, r := range reports {
		for _, id := range r.Scans {
			if j, ok := seen[id]; ok && j != ri {
				return fmt.Errorf("merge: reports %d and %d both hold scan %s: its rows would be counted twice", j+1, ri+1, id)
			}
			seen[id] = ri
		}
		if len(r.Scans) == 0 && !r.Started.IsZero() && !r.Finished.IsZero() {
			k := span{r.Started.UnixNano(), r.Finished.UnixNano(), r.Throughput, r.Totals.Findings}
			if j, ok := spans[k]; ok {
				return fmt.Errorf("merge: reports %d and %d are the same scan (started %s): its rows would be counted twice", j+1, ri+1, r.Started.Format(time.RFC3339Nano))
			}
			spans[k] = ri
		}
	}
	return nil
}

func hasInventory(r *Report) bool {
	for i := range r.Columns {
		if r.Columns[i].Inventory != nil {
			return true
		}
	}
	return false
}

func mergeColumn(o, c *Column, limit int) {
	prevRows := o.RowsScanned
	if o.Comment == "" {
		o.Comment = c.Comment
	}
	o.RowsScanned += c.RowsScanned
	for t, n := range c.Types {
		o.Types[t] += n
	}
	for t, g := range c.TypeGrades {
		if o.TypeGrades == nil {
			o.TypeGrades = map[pi.TypeID]pi.Grade{}
		}
		o.TypeGrades[t] = max(o.TypeGrades[t], g)
	}
	for _, s := range c.Samples {
		if len(o.Samples) >= limit {
			break
		}
		if !slices.Contains(o.Samples, s) {
			o.Samples = append(o.Samples, s)
		}
	}
	// Weighted by rows, so the share stays a share of all rows.
	if total := o.RowsScanned; total > 0 {
		o.EncryptedShare = (o.EncryptedShare*float64(prevRows) + c.EncryptedShare*float64(c.RowsScanned)) / float64(total)
	}
	if c.Inventory != nil {
		inv := *c.Inventory
		o.Inventory = &inv
	}
}

// RollUp recomputes r's table and source grades from its columns: the
// highest column grade, with the rule naming the column that decided it.
// Tables and sources that only columns name are added; counts (rows,
// records, findings) are left as they are.
func RollUp(r *Report) {
	type tableKey struct{ source, table string }
	tables := map[tableKey]int{}
	for i := range r.Tables {
		t := &r.Tables[i]
		t.Grade, t.Rule = pi.GradeNone, "no column graded"
		tables[tableKey{t.Source, t.Table}] = i
	}
	sources := map[string]int{}
	for i := range r.Sources {
		s := &r.Sources[i]
		s.Grade, s.Rule = pi.GradeNone, "no column graded"
		sources[s.Name] = i
	}
	for i := range r.Columns {
		c := &r.Columns[i]
		if c.Table != "" {
			k := tableKey{c.Source, c.Table}
			ti, ok := tables[k]
			if !ok {
				ti = len(r.Tables)
				tables[k] = ti
				r.Tables = append(r.Tables, Table{Source: c.Source, Table: c.Table, Rule: "no column graded"})
			}
			if t := &r.Tables[ti]; c.Grade > t.Grade {
				t.Grade, t.Rule = c.Grade, fmt.Sprintf("column %s: %s", c.Column, c.Rule)
			}
		}
		si, ok := sources[c.Source]
		if !ok {
			si = len(r.Sources)
			sources[c.Source] = si
			r.Sources = append(r.Sources, Source{Name: c.Source, Rule: "no column graded"})
		}
		if s := &r.Sources[si]; c.Grade > s.Grade {
			where := columnName(c)
			if where == "" {
				s.Rule = c.Rule
			} else {
				s.Rule = fmt.Sprintf("column %s: %s", where, c.Rule)
			}
			s.Grade = c.Grade
		}
	}
}

var ruleThreshold = regexp.MustCompile(`>=([0-9.]+)`)

func mergeThreshold(reports []*Report) (float64, error) {
	found := math.NaN()
	where := ""
	see := func(v float64, at string) error {
		if math.IsNaN(found) {
			found, where = v, at
			return nil
		}
		if v != found {
			return fmt.Errorf("merge: %s graded with threshold %g but %s with %g; rescan with one threshold", at, v, where, found)
		}
		return nil
	}
	for i, r := range reports {
		at := "report " + strconv.Itoa(i+1)
		if r.Threshold > 0 {
			if err := see(r.Threshold, at); err != nil {
				return 0, err
			}
			continue
		}
		for _, c := range r.Columns {
			if m := ruleThreshold.FindStringSubmatch(c.Rule); m != nil {
				v, err := strconv.ParseFloat(m[1], 64)
				if err == nil {
					if err := see(v, at+" column "+columnName(&c)); err != nil {
						return 0, err
					}
				}
			}
		}
	}
	if math.IsNaN(found) {
		return DefaultThreshold, nil
	}
	return found, nil
}
