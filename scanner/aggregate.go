package scanner

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unsafe"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/report"
)

// aggregate accumulates batches, in input order, into the scan's report.
// It runs on the collecting goroutine only.
type aggregate struct {
	samples   int
	cols      map[colKey]*colStat
	colOrder  []colKey
	sources   map[string]*report.Source
	tableRows map[[2]string]int64 // records per (source, table)
	srcOrder  []string
	errs      []report.InputError
	records   int64
	values    int64 // bytes of values scanned, when the source cannot count input bytes
	findings  int64
	byType    map[pi.TypeID]int64
	byGrade   map[string]int64
}

func newAggregate(samples int) *aggregate {
	return &aggregate{
		samples:   samples,
		cols:      map[colKey]*colStat{},
		sources:   map[string]*report.Source{},
		tableRows: map[[2]string]int64{},
		byType:    map[pi.TypeID]int64{},
		byGrade:   map[string]int64{},
	}
}

func (a *aggregate) source(name string) *report.Source {
	s := a.sources[name]
	if s == nil {
		s = &report.Source{Name: name}
		a.sources[name] = s
		a.srcOrder = append(a.srcOrder, name)
	}
	return s
}

func (a *aggregate) merge(b *batch) {
	// Errors go in record order among the batch's runs: a source first
	// seen in an error before a run's first record is listed before it.
	ei := 0
	for i := range b.srcs {
		run := &b.srcs[i]
		if run.records == 0 {
			continue
		}
		for ; ei < len(b.errs) && b.errs[ei].at <= run.first; ei++ {
			a.addErr(b.errs[ei].err)
		}
		s := a.source(run.source)
		s.Records += run.records
		s.Findings += run.findings
		if run.table != "" {
			a.tableRows[[2]string{run.source, run.table}] += run.records
		}
		a.records += run.records
		a.values += run.values
	}
	for ; ei < len(b.errs); ei++ {
		a.addErr(b.errs[ei].err)
	}
	a.findings += b.counts.total
	for id, n := range b.counts.byType {
		if n > 0 {
			a.byType[b.types[id]] += n
		}
	}
	for g, n := range b.counts.byGrade {
		if n > 0 {
			a.byGrade[pi.Grade(g).String()] += n
		}
	}
	for _, k := range b.colOrder {
		bs := b.cols[k]
		st := a.cols[k]
		if st == nil {
			st = &colStat{comment: bs.comment, types: map[pi.TypeID]int64{}, findings: map[pi.TypeID]int64{}}
			a.cols[k] = st
			a.colOrder = append(a.colOrder, k)
		}
		st.rows += bs.rows
		st.encrypted += bs.encrypted
		for id, n := range bs.batchTypes {
			if n > 0 {
				st.types[b.types[id]] += n
			}
		}
		for id, n := range bs.batchFindings {
			if n > 0 {
				st.findings[b.types[id]] += n
			}
		}
		for t, g := range bs.grades {
			if st.grades == nil {
				st.grades = map[pi.TypeID]pi.Grade{}
			}
			st.grades[t] = max(st.grades[t], g)
		}
		for _, smp := range bs.samples {
			if len(st.samples) >= a.samples {
				break
			}
			// A copy: the worker's sample shares a chunk with hundreds of
			// others that the report would otherwise keep alive.
			st.samples = append(st.samples, strings.Clone(smp))
		}
	}
}

// sameString is a == b, without a call when the two share their bytes (a
// run of records of one source and table).
func sameString(a, b string) bool {
	return len(a) == len(b) && (unsafe.StringData(a) == unsafe.StringData(b) || a == b)
}

func (a *aggregate) addErr(err error) {
	ie := report.InputError{Offset: -1, Message: err.Error()}
	var pe *InputError
	if errors.As(err, &pe) {
		ie.Source, ie.Record, ie.Offset = pe.Source, pe.Record, pe.Offset
		a.source(pe.Source).Errors++
	}
	a.errs = append(a.errs, ie)
}

func (a *aggregate) bytes(src Source) int64 {
	if bc, ok := src.(ByteCounter); ok {
		return bc.BytesRead()
	}
	return a.values
}

func (a *aggregate) progress(src Source, started time.Time, done bool) Progress {
	return Progress{
		Records:  a.records,
		Bytes:    a.bytes(src),
		Findings: a.findings,
		Errors:   len(a.errs),
		Elapsed:  time.Since(started),
		Done:     done,
	}
}

// report builds the inventory: column grades by the shared rule, then tables
// and sources rolled up from their columns.
func (a *aggregate) report(src Source, threshold float64, started, finished time.Time) *report.Report {
	r := &report.Report{
		Version:   report.Version,
		Started:   started,
		Finished:  finished,
		Columns:   []report.Column{},
		Sources:   []report.Source{},
		Errors:    a.errs,
		Threshold: threshold,
		Scans:     []string{report.NewScanID()},
		Totals: report.Totals{
			Findings: a.findings,
			ByType:   a.byType,
			ByGrade:  a.byGrade,
		},
		Throughput: report.Throughput{
			Bytes:   a.bytes(src),
			Records: a.records,
			Seconds: finished.Sub(started).Seconds(),
		},
	}
	type tableKey struct{ source, table string }
	tables := map[tableKey]*report.Table{}
	var tableOrder []tableKey
	for _, k := range a.colOrder {
		st := a.cols[k]
		c := report.Column{
			Source:      k.source,
			Table:       k.table,
			Column:      k.column,
			Comment:     st.comment,
			RowsScanned: st.rows,
			Types:       st.types,
			Findings:    st.findings,
			TypeGrades:  st.grades,
			Samples:     st.samples,
		}
		if st.rows > 0 {
			c.EncryptedShare = float64(st.encrypted) / float64(st.rows)
		}
		if c.Samples == nil {
			c.Samples = []string{}
		}
		report.GradeColumn(&c, threshold)
		r.Columns = append(r.Columns, c)

		if k.table != "" {
			tk := tableKey{k.source, k.table}
			t := tables[tk]
			if t == nil {
				t = &report.Table{Source: k.source, Table: k.table, Rows: a.tableRows[[2]string{k.source, k.table}], Rule: "no column graded"}
				if inc, ok := src.(Incremental); ok {
					t.Incremental = inc.Incremental(k.source, k.table)
				}
				tables[tk] = t
				tableOrder = append(tableOrder, tk)
			}
			if c.Grade > t.Grade {
				t.Grade, t.Rule = c.Grade, fmt.Sprintf("column %s: %s", k.column, c.Rule)
			}
		}
		s := a.source(k.source)
		if c.Grade > s.Grade {
			where := k.column
			if k.table != "" {
				where = k.table + "." + k.column
			}
			if where == "" {
				s.Rule = c.Rule
			} else {
				s.Rule = fmt.Sprintf("column %s: %s", where, c.Rule)
			}
			s.Grade = c.Grade
		}
	}
	for _, tk := range tableOrder {
		r.Tables = append(r.Tables, *tables[tk])
	}
	for _, name := range a.srcOrder {
		s := a.sources[name]
		if s.Rule == "" {
			s.Rule = "no column graded"
		}
		r.Sources = append(r.Sources, *s)
	}
	return r
}
