package schedule

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/report"
)

// csvScan is the test's scan function: it reads each target CSV file and
// classifies its columns with rules of its own (so the test does not depend
// on the detectors): 11 digits starting with 1 is a mobile number, a value
// with '@' an e-mail, 17 digits and a digit or X an ID number. Counting and
// grading go through report.GradeColumn, as in the engine.
func csvScan(_ context.Context, job Job) (*report.Report, error) {
	r := &report.Report{Version: report.Version, Started: time.Unix(0, 0).UTC(), Finished: time.Unix(1, 0).UTC(), Threshold: 0.5,
		Columns: []report.Column{}, Totals: report.Totals{ByType: map[pi.TypeID]int64{}, ByGrade: map[string]int64{}}}
	for _, path := range job.Targets {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		recs, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			return nil, err
		}
		src := filepath.Base(path)
		r.Sources = append(r.Sources, report.Source{Name: src, Records: int64(len(recs) - 1)})
		for ci, name := range recs[0] {
			c := report.Column{Source: src, Column: name, Types: map[pi.TypeID]int64{}, Samples: []string{}}
			for _, rec := range recs[1:] {
				v := rec[ci]
				if v == "" {
					continue
				}
				c.RowsScanned++
				var t pi.TypeID
				switch {
				case strings.Contains(v, "@"):
					t = pi.Email
				case len(v) == 11 && v[0] == '1' && digits(v):
					t = pi.Mobile
				case len(v) == 18 && digits(v[:17]) && (digits(v[17:]) || v[17] == 'X'):
					t = pi.IDCard
				default:
					continue
				}
				c.Types[t]++
				r.Totals.ByType[t]++
				r.Totals.Findings++
				r.Totals.ByGrade[pi.DefaultGrade(t).String()]++
				if len(c.Samples) < 2 {
					c.Samples = append(c.Samples, v[:2]+strings.Repeat("*", len(v)-2))
				}
			}
			report.GradeColumn(&c, r.Threshold)
			r.Columns = append(r.Columns, c)
		}
	}
	report.RollUp(r)
	return r, nil
}

func digits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// writeCSV writes rows to path (first row the header).
func writeCSV(t *testing.T, path string, rows ...[]string) {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.WriteAll(rows)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// runLog collects the scheduler's log records and signals each run.
type runLog struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	runs chan map[string]any
}

func newRunLog() *runLog { return &runLog{runs: make(chan map[string]any, 16)} }

func (l *runLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	var rec map[string]any
	if json.Unmarshal(p, &rec) == nil && rec["msg"] == "scan run" {
		l.runs <- rec
	}
	return len(p), nil
}

func (l *runLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *runLog) next(t *testing.T) map[string]any {
	t.Helper()
	select {
	case rec := <-l.runs:
		return rec
	case <-time.After(20 * time.Second):
		t.Fatal("no run logged within 20 s")
		return nil
	}
}

func testConfig(t *testing.T, yaml string) (*Config, string) {
	t.Helper()
	dir := t.TempDir()
	cfg, err := ParseConfig(strings.NewReader(yaml), dir)
	if err != nil {
		t.Fatal(err)
	}
	return cfg, dir
}

var (
	phones = []string{"13800000001", "13800000002", "13800000003", "13800000004"}
	ids    = []string{"11010119900307457X", "110101199003074561", "110101199003074588", "110101199003074596"}
)

// TestScheduledRunsDiff runs a job twice on its cron schedule over CSV files
// that change between the runs, and checks that the diff written by the
// second run names exactly the columns that changed.
func TestScheduledRunsDiff(t *testing.T) {
	cfg, dir := testConfig(t, `
history: hist
jobs:
  - name: people
    cron: "@every 1s"
    targets: [people.csv, orders.csv]
    formats: [html]
    metrics_file: people.prom
`)
	people, orders := filepath.Join(dir, "people.csv"), filepath.Join(dir, "orders.csv")
	cfg.Jobs[0].Targets = []string{people, orders}
	writeCSV(t, people,
		[]string{"name", "contact", "id_no", "note"},
		[]string{"a", phones[0], ids[0], "x"}, []string{"b", phones[1], ids[1], "y"},
		[]string{"c", phones[2], ids[2], "z"}, []string{"d", phones[3], ids[3], "w"})
	writeCSV(t, orders,
		[]string{"order", "ship_phone", "memo"},
		[]string{"1", phones[0], ""}, []string{"2", phones[1], ""})

	logs := newRunLog()
	// The second run waits until the test has changed the data, however
	// slow the machine.
	changed := make(chan struct{})
	var calls atomic.Int32
	scan := func(ctx context.Context, job Job) (*report.Report, error) {
		if calls.Add(1) == 2 {
			select {
			case <-changed:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		return csvScan(ctx, job)
	}
	s, err := New(cfg, scan, Options{Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Start(ctx) }()

	first := logs.next(t)
	if first["status"] != "ok" || first["changed_columns"] != "first run" {
		t.Fatalf("first run: %v", first)
	}
	// Change the data: contact turns into e-mail addresses, memo gains ID
	// numbers, note stays free text, id_no loses one value (a count change).
	writeCSV(t, people,
		[]string{"name", "contact", "id_no", "note"},
		[]string{"a", "a@example.com", ids[0], "x"}, []string{"b", "b@example.com", ids[1], "y"},
		[]string{"c", "c@example.com", ids[2], "z"}, []string{"d", "d@example.com", "", "w"})
	writeCSV(t, orders,
		[]string{"order", "ship_phone", "memo"},
		[]string{"1", phones[0], ids[0]}, []string{"2", phones[1], ids[1]})
	close(changed)
	second := logs.next(t)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if second["status"] != "ok" || second["changed_columns"] != float64(3) {
		t.Fatalf("second run: %v", second)
	}

	hist := cfg.Jobs[0].History
	diffs, _ := filepath.Glob(filepath.Join(hist, "*.diff.json"))
	if len(diffs) < 1 {
		t.Fatalf("no diff written in %s", hist)
	}
	slices.Sort(diffs)
	var d report.DiffResult
	b, _ := os.ReadFile(diffs[0]) // the first diff is the second run's
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range d.Columns {
		names = append(names, c.Source+":"+c.Column)
	}
	want := []string{"orders.csv:memo", "people.csv:contact", "people.csv:id_no"}
	if !slices.Equal(names, want) {
		t.Errorf("diff names %v, want %v", names, want)
	}
	contact := d.Columns[1]
	if !slices.Equal(contact.Gained, []pi.TypeID{pi.Email}) || !slices.Equal(contact.Lost, []pi.TypeID{pi.Mobile}) {
		t.Errorf("contact: %+v", contact)
	}
	if memo := d.Columns[0]; memo.OldGrade != pi.GradeNone || memo.NewGrade != pi.GradeSensitive {
		t.Errorf("memo: %+v", memo)
	}

	latest, err := report.Load(filepath.Join(hist, "latest.json"))
	if err != nil {
		t.Fatal(err)
	}
	runs, _ := filepath.Glob(filepath.Join(hist, "2*Z.json"))
	slices.Sort(runs)
	last, err := report.Load(runs[len(runs)-1])
	if err != nil {
		t.Fatal(err)
	}
	lj, _ := json.Marshal(latest)
	rj, _ := json.Marshal(last)
	if !bytes.Equal(lj, rj) {
		t.Error("latest.json is not the newest run's report")
	}
	for _, f := range []string{"latest.html", "../../people.prom"} {
		if _, err := os.Stat(filepath.Join(hist, f)); err != nil {
			t.Error(err)
		}
	}
	for _, v := range append(phones, ids...) {
		if strings.Contains(logs.String(), v) {
			t.Errorf("log contains a raw value: %s", logs.String())
		}
	}
}

func TestOnceRetentionAndFailure(t *testing.T) {
	cfg, dir := testConfig(t, `
history: hist
keep: 2
jobs:
  - name: a
    cron: "0 2 * * *"
    targets: [a.csv]
    fail_on: sensitive
  - name: b
    cron: "@daily"
    targets: [b.csv]
    max_age: 2d
`)
	for i := range cfg.Jobs {
		cfg.Jobs[i].Targets = []string{filepath.Join(dir, cfg.Jobs[i].Name+".csv")}
	}
	writeCSV(t, filepath.Join(dir, "a.csv"), []string{"phone"}, []string{phones[0]})
	writeCSV(t, filepath.Join(dir, "b.csv"), []string{"id"}, []string{ids[0]})
	now := time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC)
	logs := newRunLog()
	s, err := New(cfg, csvScan, Options{Logger: slog.New(slog.NewJSONHandler(logs, nil)), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for day := 0; day < 4; day++ {
		if day == 3 {
			// New sensitive PI in job a: logged at WARN.
			writeCSV(t, filepath.Join(dir, "a.csv"), []string{"phone"}, []string{ids[1]})
		}
		if _, err := s.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		now = now.Add(24 * time.Hour)
	}
	stamps := func(job string) []string {
		m, _ := filepath.Glob(filepath.Join(dir, "hist", job, "2*Z.json"))
		for i := range m {
			m[i] = filepath.Base(m[i])
		}
		slices.Sort(m)
		return m
	}
	// keep 2 (a); max_age 2d with keep 2 from the top (b): both keep the
	// two newest of four daily runs.
	for _, job := range []string{"a", "b"} {
		if got, want := stamps(job), []string{"20261103T020000.000Z.json", "20261104T020000.000Z.json"}; !slices.Equal(got, want) {
			t.Errorf("job %s keeps %v, want %v", job, got, want)
		}
	}
	if strings.Count(logs.String(), `"level":"WARN"`) != 1 || !strings.Contains(logs.String(), `"new_at_or_above_sensitive":1`) {
		t.Errorf("no WARN for new sensitive PI:\n%s", logs.String())
	}

	// A failing scan: error returned and logged, history untouched.
	before, _ := os.ReadFile(filepath.Join(dir, "hist", "a", "latest.json"))
	boom := errors.New("connection refused")
	s.scan = func(context.Context, Job) (*report.Report, error) { return nil, boom }
	_, err = s.RunOnce(ctx, "a")
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "job a") {
		t.Errorf("error %v", err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "hist", "a", "latest.json"))
	if !bytes.Equal(before, after) || len(stamps("a")) != 2 {
		t.Error("failed run changed the history")
	}
	if !strings.Contains(logs.String(), `"status":"error"`) {
		t.Error("failed run not logged")
	}
	if _, err := s.RunOnce(ctx, "nope"); err == nil {
		t.Error("unknown job accepted")
	}
}

func TestMaxAge(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)
	for _, d := range []int{0, 1, 5, 9} {
		st := now.Add(-time.Duration(d) * 24 * time.Hour).Format(stampLayout)
		for _, ext := range []string{".json", ".diff.json", ".diff.txt"} {
			os.WriteFile(filepath.Join(dir, st+ext), nil, 0o644)
		}
	}
	os.WriteFile(filepath.Join(dir, "latest.json"), nil, 0o644)
	pruned, err := prune(dir, now.Format(stampLayout), 30, 72*time.Hour, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(pruned) != 2 {
		t.Errorf("pruned %v", pruned)
	}
	left, _ := os.ReadDir(dir)
	if len(left) != 1+2*3 {
		t.Errorf("%d files left", len(left))
	}
}

func TestParseConfigErrors(t *testing.T) {
	ok := "history: h\njobs:\n  - name: a\n    cron: '@daily'\n    targets: [x]\n"
	if _, err := ParseConfig(strings.NewReader(ok), "/tmp"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ yaml, want string }{
		{"", "no jobs"},
		{"jobs: []", "no jobs"},
		{"jobs:\n  - name: a\n    cron: '@daily'\n    targets: [x]\n", "no history"},
		{"history: h\njobs:\n  - name: 'a/b'\n    cron: '@daily'\n    targets: [x]\n", "name"},
		{"history: h\njobs:\n  - name: a\n    cron: '61 * * * *'\n    targets: [x]\n", "cron"},
		{"history: h\njobs:\n  - name: a\n    cron: '@daily'\n", "no targets"},
		{"history: h\njobs:\n  - name: a\n    cron: 'CRON_TZ=UTC'\n    targets: [x]\n", "cron"},
		{"history: h\njobs:\n  - name: a\n    cron: '@daily'\n    targets: [x]\n  - name: a\n    cron: '@daily'\n    targets: [x]\n", "duplicate"},
		{"history: h\njobs:\n  - name: a\n    cron: '@daily'\n    targets: [x]\n    formats: [pdf]\n", "format"},
		{"history: h\njobs:\n  - name: a\n    cron: '@daily'\n    targets: [x]\n    fail_on: high\n", "fail_on"},
		{"history: h\njobs:\n  - name: a\n    cron: '@daily'\n    targets: [x]\n    max_age: 3w\n", "duration"},
		{"history: h\njobs:\n  - name: a\n    cron: '@daily'\n    targets: [x]\n    lang: fr\n", "lang"},
		{"history: h\njobs:\n  - name: a\n    cron: '@daily'\n    target: [x]\n", "target"},
	} {
		_, err := ParseConfig(strings.NewReader(tc.yaml), "/tmp")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want one about %s", tc.yaml, err, tc.want)
		}
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add("history: h\njobs:\n  - name: a\n    cron: '@every 1h'\n    targets: [x]\n    max_age: 3d\n")
	f.Add("jobs:\n  - name: b\n    cron: 'CRON_TZ=Asia/Shanghai 0 2 * * *'\n    history: /x\n    targets: [y]\n")
	f.Fuzz(func(t *testing.T, in string) {
		c, err := ParseConfig(strings.NewReader(in), "/base")
		if err != nil {
			return
		}
		for _, j := range c.Jobs {
			if !filepath.IsAbs(j.History) || j.Keep <= 0 || len(j.Targets) == 0 {
				t.Errorf("accepted job %+v", j)
			}
		}
	})
}

func TestExampleConfig(t *testing.T) {
	c, err := LoadConfig("testdata/scans.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	crm, exp := c.Jobs[0], c.Jobs[1]
	if crm.History != "/var/lib/piiscan/crm" || crm.Keep != 30 || time.Duration(crm.MaxAge) != 90*24*time.Hour ||
		time.Duration(crm.Timeout) != 2*time.Hour || !crm.hasFailOn || crm.failOn != pi.GradeSensitive {
		t.Errorf("crm: %+v", crm)
	}
	if want, _ := filepath.Abs("testdata/crm-inventory.yaml"); crm.Annotations != want {
		t.Errorf("annotations path %q, want %q (relative to the config)", crm.Annotations, want)
	}
	if exp.Keep != 8 || exp.Lang != "zh" || exp.History != "/var/lib/piiscan/exports" {
		t.Errorf("exports: %+v", exp)
	}
}

// TestFirstRunFailOn: a job's first run is compared with nothing, so the PI
// it finds at or above fail_on is new and reported (it was silent).
func TestFirstRunFailOn(t *testing.T) {
	cfg, dir := testConfig(t, `
history: hist
jobs:
  - name: a
    cron: "@daily"
    targets: [a.csv]
    fail_on: sensitive
`)
	cfg.Jobs[0].Targets = []string{filepath.Join(dir, "a.csv")}
	writeCSV(t, filepath.Join(dir, "a.csv"), []string{"id_no", "phone"}, []string{ids[0], phones[0]})
	now := time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC)
	s, err := New(cfg, csvScan, Options{Logger: slog.New(slog.NewJSONHandler(newRunLog(), nil)), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	runs, err := s.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || len(runs[0].NewAtOrAbove) != 1 || runs[0].NewAtOrAbove[0].Column != "id_no" {
		t.Fatalf("first run: new at or above sensitive %+v, want the id_no column", runs[0].NewAtOrAbove)
	}
	now = now.Add(24 * time.Hour)
	if runs, err = s.RunOnce(context.Background()); err != nil || len(runs[0].NewAtOrAbove) != 0 {
		t.Fatalf("second run, nothing changed: %+v %v", runs[0].NewAtOrAbove, err)
	}
}
