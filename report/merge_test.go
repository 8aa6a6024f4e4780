package report

import (
	"math"
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
	if m2, err := Merge(m, &withID); err != nil || len(m2.Scans) != 1 || m2.Scans[0] != withID.Scans[0] {
		t.Fatalf("merged scans: %v %v", m2.Scans, err)
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
