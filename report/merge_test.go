package report

import (
	"maps"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/piiscan/piiscan/detectors/pi"
)

func col(src, table, name string, rows int64, types map[pi.TypeID]int64, samples ...string) Column {
	c := Column{Source: src, Table: table, Column: name, RowsScanned: rows, Types: types, Samples: samples}
	if c.Samples == nil {
		c.Samples = []string{}
	}
	GradeColumn(&c, 0.5)
	return c
}

func rep(started time.Time, cols ...Column) *Report {
	r := &Report{Version: Version, Started: started, Finished: started.Add(time.Minute), Threshold: 0.5, Columns: cols,
		Totals: Totals{ByType: map[pi.TypeID]int64{}, ByGrade: map[string]int64{}}}
	seen := map[string]bool{}
	for _, c := range cols {
		if !seen[c.Source] {
			seen[c.Source] = true
			r.Sources = append(r.Sources, Source{Name: c.Source, Records: c.RowsScanned})
		}
		for t, n := range c.Types {
			r.Totals.ByType[t] += n
			r.Totals.Findings += n
			r.Totals.ByGrade[pi.DefaultGrade(t).String()] += n
		}
	}
	r.Throughput = Throughput{Records: 100, Bytes: 1000, Seconds: 60}
	RollUp(r)
	return r
}

var t0 = time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC)

func TestMergeIncrementalRegrades(t *testing.T) {
	const db = "postgres://127.0.0.1:5432/crm"
	// First run: 40 of 100 notes hold ID numbers (below 0.5: not graded by
	// ID); second run over 100 new rows: 70 of 100. Together 110/200 = 0.55.
	a := rep(t0, col(db, "public.users", "note", 100, map[pi.TypeID]int64{pi.IDCard: 40, pi.Mobile: 60}, "s1", "s2", "s3"))
	b := rep(t0.Add(time.Hour), col(db, "public.users", "note", 100, map[pi.TypeID]int64{pi.IDCard: 70}, "s3", "s4", "s5"))
	if a.Columns[0].Grade != pi.GradeOrdinary || b.Columns[0].Grade != pi.GradeSensitive {
		t.Fatalf("fixture grades %s %s", a.Columns[0].Grade, b.Columns[0].Grade)
	}
	m, err := Merge(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Columns) != 1 {
		t.Fatalf("%d columns", len(m.Columns))
	}
	c := m.Columns[0]
	if c.RowsScanned != 200 || c.Types[pi.IDCard] != 110 || c.Types[pi.Mobile] != 60 {
		t.Errorf("counts %d %v", c.RowsScanned, c.Types)
	}
	if c.Grade != pi.GradeSensitive || c.Rule != "cn_id_card>=0.5" {
		t.Errorf("grade %s %q", c.Grade, c.Rule)
	}
	if strings.Join(c.Samples, ",") != "s1,s2,s3" {
		t.Errorf("samples %v: want the union capped at 3", c.Samples)
	}
	if m.Totals.ByType[pi.IDCard] != 110 || m.Totals.Findings != 170 {
		t.Errorf("totals %+v", m.Totals)
	}
	if !m.Started.Equal(t0) || !m.Finished.Equal(t0.Add(time.Hour+time.Minute)) {
		t.Errorf("period %v %v", m.Started, m.Finished)
	}
	if m.Throughput.Records != 200 || m.Throughput.Seconds != 120 {
		t.Errorf("throughput %+v", m.Throughput)
	}
	if len(m.Tables) != 1 || m.Tables[0].Grade != pi.GradeSensitive || m.Sources[0].Grade != pi.GradeSensitive || m.Sources[0].Records != 200 {
		t.Errorf("roll-ups %+v %+v", m.Tables, m.Sources)
	}
}

func TestMergeShards(t *testing.T) {
	const db = "mysql://127.0.0.1:3306/shop"
	a := rep(t0, col(db, "customers", "id_no", 10, map[pi.TypeID]int64{pi.IDCard: 10}),
		col(db, "customers", "name", 10, map[pi.TypeID]int64{pi.Name: 9}))
	b := rep(t0, col(db, "orders", "phone", 10, map[pi.TypeID]int64{pi.Mobile: 10}))
	c := rep(t0, col("notes.txt", "", "", 5, map[pi.TypeID]int64{pi.Email: 1}))
	m, err := Merge(a, b, c)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Columns) != 4 || len(m.Tables) != 2 || len(m.Sources) != 2 {
		t.Fatalf("%d columns, %d tables, %d sources", len(m.Columns), len(m.Tables), len(m.Sources))
	}
	if m.Sources[0].Records != 20 || m.Sources[0].Grade != pi.GradeSensitive {
		t.Errorf("source %+v", m.Sources[0])
	}
	if m.Columns[3].Rule != "email:any" || m.Columns[3].Grade != pi.GradeOrdinary {
		t.Errorf("text column %+v", m.Columns[3])
	}
	// Merging a report with itself and a shard is the same as adding.
	if m.Totals.Findings != 30 {
		t.Errorf("findings %d", m.Totals.Findings)
	}
}

func TestMergeThreshold(t *testing.T) {
	a := rep(t0, col("a", "t", "c", 10, map[pi.TypeID]int64{pi.IDCard: 6}))
	b := rep(t0, col("a", "t", "c", 10, map[pi.TypeID]int64{pi.IDCard: 6}))
	b.Threshold = 0.8
	if _, err := Merge(a, b); err == nil || !strings.Contains(err.Error(), "threshold") {
		t.Errorf("different thresholds: %v", err)
	}
	// Without a recorded threshold the rules name it.
	c := col("a", "t", "c", 10, map[pi.TypeID]int64{pi.IDCard: 9})
	GradeColumn(&c, 0.8)
	old := rep(t0, c)
	old.Threshold = 0
	old.Columns[0] = c
	m, err := Merge(old)
	if err != nil {
		t.Fatal(err)
	}
	if m.Threshold != 0.8 || m.Columns[0].Rule != "cn_id_card>=0.8" {
		t.Errorf("threshold %v rule %q", m.Threshold, m.Columns[0].Rule)
	}
	if _, err := Merge(); err == nil {
		t.Error("merge of nothing")
	}
	if _, err := Merge(&Report{Version: 9}); err == nil {
		t.Error("wrong version accepted")
	}
	if _, err := Merge(rep(t0), nil); err == nil || !strings.Contains(err.Error(), "report 2 is nil") {
		t.Errorf("nil report: %v", err)
	}
}

func TestMergeSampleFixture(t *testing.T) {
	r, _ := loadSample(t)
	// The same scan twice would count its rows twice: refused, with and
	// without scan IDs.
	if _, err := Merge(r, r); err == nil || !strings.Contains(err.Error(), "same scan") {
		t.Fatalf("merging a report with itself: %v", err)
	}
	withID := *r
	withID.Scans = []string{"0123456789abcdef"}
	again := withID
	again.Started = again.Started.Add(time.Hour)
	if _, err := Merge(&withID, &again); err == nil || !strings.Contains(err.Error(), "both hold scan 0123456789abcdef") {
		t.Fatalf("merging two reports of one scan: %v", err)
	}
	// A later scan of the same rows (another run) adds.
	later := *r
	later.Started, later.Finished = r.Started.Add(24*time.Hour), r.Finished.Add(24*time.Hour)
	m, err := Merge(r, &later)
	if err != nil {
		t.Fatal(err)
	}
	// A new scan reading the same files in full replaces their counts,
	// which a report from before per-column finding counts cannot give.
	if _, err := Merge(m, &withID); err == nil || !strings.Contains(err.Error(), "no per-column finding counts") {
		t.Fatalf("replacing counts of an old report: %v", err)
	}
	for i, c := range m.Columns {
		o := r.Columns[i]
		if c.RowsScanned != 2*o.RowsScanned || c.Grade != o.Grade || c.Rule != o.Rule {
			t.Errorf("%s: %d %s %q, want %d %s %q", c.Column, c.RowsScanned, c.Grade, c.Rule, 2*o.RowsScanned, o.Grade, o.Rule)
		}
		if len(c.Samples) != len(o.Samples) {
			t.Errorf("%s: samples %v", c.Column, c.Samples)
		}
		if math.Abs(c.EncryptedShare-o.EncryptedShare) > 1e-9 {
			t.Errorf("%s: encrypted share %v, want %v", c.Column, c.EncryptedShare, o.EncryptedShare)
		}
	}
	if m.Totals.Findings != 2*r.Totals.Findings || len(m.Errors) != 2*len(r.Errors) {
		t.Error("totals not added")
	}
}

// TestMergeReplacesFullReads: a table a later scan read in full (an
// incremental scan re-reads tables without a watermark) and a file scanned
// again replace what earlier reports counted; incremental tables add.
func TestMergeReplacesFullReads(t *testing.T) {
	const db = "postgres://127.0.0.1:5432/crm"
	scan := func(r *Report, id string, incremental ...string) *Report {
		r.Scans = []string{id}
		for i := range r.Tables {
			r.Tables[i].Incremental = slices.Contains(incremental, r.Tables[i].Table)
			r.Tables[i].Rows = 100
		}
		for i := range r.Columns {
			r.Columns[i].Findings = map[pi.TypeID]int64{}
			for ty, n := range r.Columns[i].Types {
				r.Columns[i].Findings[ty] = n
			}
		}
		for i := range r.Sources {
			r.Sources[i].Findings = r.Totals.Findings
		}
		return r
	}
	day1 := scan(rep(t0,
		col(db, "public.keyed", "phone", 100, map[pi.TypeID]int64{pi.Mobile: 100}),
		col(db, "public.nokey", "id_no", 100, map[pi.TypeID]int64{pi.IDCard: 100}),
		col("notes.txt", "", "", 10, map[pi.TypeID]int64{pi.Email: 4})), "day1")
	// Day 2: 20 new rows past the watermark of keyed; nokey (no watermark)
	// read again in full, now 120 rows; notes.txt scanned again.
	day2 := scan(rep(t0.Add(24*time.Hour),
		col(db, "public.keyed", "phone", 20, map[pi.TypeID]int64{pi.Mobile: 20}),
		col(db, "public.nokey", "id_no", 120, map[pi.TypeID]int64{pi.IDCard: 120}),
		col("notes.txt", "", "", 12, map[pi.TypeID]int64{pi.Email: 5})), "day2", "public.keyed")
	day2.Tables[0].Rows, day2.Tables[1].Rows = 20, 120
	day2.Sources[0].Records = 140
	// Given in either order: reports are taken in the order they started.
	for _, in := range [][]*Report{{day1, day2}, {day2, day1}} {
		m, err := Merge(in...)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int64{}
		for _, c := range m.Columns {
			got[c.Table+"."+c.Column] = c.RowsScanned
		}
		want := map[string]int64{"public.keyed.phone": 120, "public.nokey.id_no": 120, ".": 12}
		if !maps.Equal(got, want) {
			t.Errorf("rows %v, want %v", got, want)
		}
		if m.Totals.ByType[pi.Mobile] != 120 || m.Totals.ByType[pi.IDCard] != 120 || m.Totals.ByType[pi.Email] != 5 || m.Totals.Findings != 245 {
			t.Errorf("totals %+v", m.Totals)
		}
		for _, tb := range m.Tables {
			if tb.Rows != map[string]int64{"public.keyed": 120, "public.nokey": 120}[tb.Table] {
				t.Errorf("table %s rows %d", tb.Table, tb.Rows)
			}
		}
		if len(m.Scans) != 2 {
			t.Errorf("scans %v", m.Scans)
		}
	}
}
