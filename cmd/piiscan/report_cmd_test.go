package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/report"
	"github.com/piiscan/piiscan/schedule"
)

// runReportCmd runs `piiscan report ARGS...` and returns its combined
// output and exit status.
func runReportCmd(t *testing.T, args ...string) (string, int) {
	t.Helper()
	out, errOut, code := runCLI(t, append([]string{"report"}, args...)...)
	return out + errOut, code
}

func writeTestReport(t *testing.T, path string, cols ...report.Column) {
	t.Helper()
	r := &report.Report{Version: report.Version, Threshold: 0.5, Columns: cols}
	for i := range r.Columns {
		report.GradeColumn(&r.Columns[i], 0.5)
	}
	report.RollUp(r)
	if err := report.WriteFile(path, r, report.Options{}); err != nil {
		t.Fatal(err)
	}
}

func TestReportDiffExitCodes(t *testing.T) {
	dir := t.TempDir()
	old, new := filepath.Join(dir, "old.json"), filepath.Join(dir, "new.json")
	c := func(name string, types map[pi.TypeID]int64) report.Column {
		return report.Column{Source: "db", Table: "t", Column: name, RowsScanned: 10, Types: types, Samples: []string{}}
	}
	writeTestReport(t, old, c("phone", map[pi.TypeID]int64{pi.Mobile: 10}), c("note", map[pi.TypeID]int64{}))
	writeTestReport(t, new, c("phone", map[pi.TypeID]int64{pi.Mobile: 10}), c("note", map[pi.TypeID]int64{pi.IDCard: 8}))

	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"diff", old, new}, 0, "~ column db t.note: none → sensitive"},
		{[]string{"diff", old, new, "--fail-on", "sensitive"}, 1, "1 column(s) with new PI"},
		{[]string{"diff", new, old, "--fail-on", "ordinary"}, 0, "sensitive → none (no findings) -cn_id_card"},
		{[]string{"diff", old, old, "--fail-on", "none"}, 0, ""},
		{[]string{"diff", old, new, "--format", "json"}, 0, `"gained": [`},
		{[]string{"diff", old, new, "--fail-on", "high"}, 2, "unknown grade"},
		{[]string{"diff", old, filepath.Join(dir, "missing.json")}, 2, "missing.json"},
		{[]string{"diff", old, new, "--format", "xml"}, 2, "xml"},
	} {
		out, code := runReportCmd(t, tc.args...)
		if code != tc.code || !strings.Contains(out, tc.want) {
			t.Errorf("%v: exit %d, want %d; output:\n%s", tc.args[1:], code, tc.code, out)
		}
	}
	html := filepath.Join(dir, "d.html")
	if _, code := runReportCmd(t, "diff", old, new, "--format", "html", "--out", html); code != 0 {
		t.Fatal("html diff failed")
	}
	if b, _ := os.ReadFile(html); !bytes.Contains(b, []byte("<table id=\"diff\">")) {
		t.Error("no diff table in the HTML")
	}
}

func TestReportMergeAndRender(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
	writeTestReport(t, a, report.Column{Source: "db", Table: "t", Column: "id", RowsScanned: 10, Types: map[pi.TypeID]int64{pi.IDCard: 4}, Samples: []string{}})
	writeTestReport(t, b, report.Column{Source: "db", Table: "t", Column: "id", RowsScanned: 10, Types: map[pi.TypeID]int64{pi.IDCard: 7}, Samples: []string{}})
	m := filepath.Join(dir, "m.json")
	if out, code := runReportCmd(t, "merge", a, b, "--out", m); code != 0 {
		t.Fatal(out)
	}
	r, err := report.Load(m)
	if err != nil {
		t.Fatal(err)
	}
	if c := r.Columns[0]; c.RowsScanned != 20 || c.Grade != pi.GradeSensitive {
		t.Errorf("merged column %+v", c)
	}
	if _, code := runReportCmd(t, "merge", a); code != 2 {
		t.Error("merge without --out accepted")
	}
	ann := filepath.Join(dir, "a.yaml")
	os.WriteFile(ann, []byte("columns:\n  - match: 't.*'\n    owner: DBA\n"), 0o644)
	outs := []string{"r.html", "r.csv", "r.md", "r.prom"}
	args := []string{"render", m, "--lang", "en", "--annotations", ann}
	for _, o := range outs {
		args = append(args, "--out", filepath.Join(dir, o))
	}
	if out, code := runReportCmd(t, args...); code != 0 {
		t.Fatal(out)
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "r.csv"))
	if !bytes.Contains(csv, []byte(",DBA,")) || !bytes.Contains(csv, []byte("undocumented;plaintext")) {
		t.Errorf("CSV lacks inventory or gaps:\n%s", csv)
	}
	if _, code := runReportCmd(t, "render", m, "--out", filepath.Join(dir, "r.pdf")); code != 2 {
		t.Error("unknown format accepted")
	}
}

func TestScheduleOnceExitCodes(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "scans.yaml")
	os.WriteFile(cfg, []byte("history: h\njobs:\n  - name: j\n    cron: '@daily'\n    targets: [x]\n    fail_on: sensitive\n"), 0o644)
	grade := pi.GradeOrdinary
	scan := func(context.Context, schedule.Job) (*report.Report, error) {
		r := &report.Report{Version: report.Version, Columns: []report.Column{{Source: "x", Column: "c", RowsScanned: 1, Types: map[pi.TypeID]int64{}, Samples: []string{}}}}
		if grade == pi.GradeSensitive {
			r.Columns[0].Types[pi.IDCard] = 1
		}
		report.GradeColumn(&r.Columns[0], 0.5)
		return r, nil
	}
	run := func(args ...string) int {
		cmd := newScheduleCmd(scan)
		cmd.SetArgs(args)
		cmd.SetErr(new(bytes.Buffer))
		cmd.SilenceErrors, cmd.SilenceUsage = true, true
		err := cmd.ExecuteContext(context.Background())
		var ee *exitError
		if errors.As(err, &ee) {
			return ee.code
		}
		if err != nil {
			return exitInput
		}
		return 0
	}
	if code := run("--config", cfg, "--once"); code != 0 {
		t.Errorf("first run: exit %d", code)
	}
	grade = pi.GradeSensitive
	if code := run("--config", cfg, "--once"); code != 1 {
		t.Errorf("run with new sensitive PI: exit %d, want 1", code)
	}
	if code := run("--config", cfg, "--once", "--job", "nope"); code != 2 {
		t.Errorf("unknown job: exit %d, want 2", code)
	}
	if code := run("--once"); code != 2 {
		t.Errorf("no config: exit %d, want 2", code)
	}
	if _, err := os.Stat(filepath.Join(dir, "h", "j", "latest.json")); err != nil {
		t.Error(err)
	}
}
