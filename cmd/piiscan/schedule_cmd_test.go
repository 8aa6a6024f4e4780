package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/piiscan/piiscan/report"
)

// TestScheduleOnceRealEngine runs `piiscan schedule --once` twice through
// the real scan (scheduledScan: connectors, detectors, engine) over a CSV
// file that changes between the runs, and checks the diff the second run
// wrote names exactly the columns that changed.
func TestScheduleOnceRealEngine(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "patients.csv")
	cfg := filepath.Join(dir, "scans.yaml")
	os.WriteFile(cfg, []byte(`history: hist
jobs:
  - name: clinic
    cron: "0 3 * * *"
    targets: [`+data+`]
    formats: [html]
`), 0o644)
	write := func(s string) {
		if err := os.WriteFile(data, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var log bytes.Buffer
	run := func() {
		t.Helper()
		cmd := newScheduleCmd(scheduledScan)
		cmd.SetArgs([]string{"--config", cfg, "--once"})
		cmd.SetErr(&log)
		cmd.SilenceErrors, cmd.SilenceUsage = true, true
		if err := cmd.ExecuteContext(context.Background()); err != nil {
			t.Fatalf("%v\n%s", err, log.String())
		}
	}
	write("name,diagnosis,note\n张伟,感冒,hello\n李娜,骨折,ok\n王芳,高血压,x\n")
	run()
	// diagnosis loses its health terms, note gains them, name stays.
	write("name,diagnosis,note\n张伟,,感冒\n李娜,,骨折\n王芳,,高血压\n")
	run()

	hist := filepath.Join(dir, "hist", "clinic")
	diffs, _ := filepath.Glob(filepath.Join(hist, "*.diff.json"))
	if len(diffs) != 1 {
		t.Fatalf("%d diffs in %s\n%s", len(diffs), hist, log.String())
	}
	b, _ := os.ReadFile(diffs[0])
	var d report.DiffResult
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range d.Columns {
		names = append(names, c.Column)
	}
	if want := []string{"diagnosis", "note"}; !slices.Equal(names, want) {
		t.Errorf("diff names %v, want %v:\n%s", names, want, b)
	}
	latest, err := report.Load(filepath.Join(hist, "latest.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range latest.Columns {
		if c.Column == "note" && c.Grade.String() != "sensitive" {
			t.Errorf("note graded %s", c.Grade)
		}
	}
	if _, err := os.Stat(filepath.Join(hist, "latest.html")); err != nil {
		t.Error(err)
	}
	if n := strings.Count(log.String(), `msg="scan run"`); n != 2 {
		t.Errorf("%d run lines logged, want 2:\n%s", n, log.String())
	}
	for _, raw := range []string{"张伟", "高血压", "骨折"} {
		if strings.Contains(log.String(), raw) {
			t.Errorf("log contains raw value %s", raw)
		}
	}
}

// TestScheduleOnceInputErrors: a job whose input is partly unreadable (a
// truncated gzip log beside a good CSV) writes its report, naming the error,
// and --once exits 2: cron must not take an incomplete inventory for a
// clean one. The same job without the broken file exits 0.
func TestScheduleOnceInputErrors(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "people.csv")
	os.WriteFile(good, []byte("name,phone\n张伟,13812345678\n"), 0o644)
	broken, err := os.ReadFile(filepath.Join("..", "..", "connectors", "testdata", "truncated.log.gz"))
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "app.log.gz")
	os.WriteFile(bad, broken, 0o644)
	for _, c := range []struct {
		name    string
		targets string
		code    int
	}{
		{"clean", good, 0},
		{"broken", good + ", " + bad, exitInput},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := filepath.Join(dir, c.name+".yaml")
			os.WriteFile(cfg, []byte("history: hist-"+c.name+"\njobs:\n  - name: files\n    cron: \"0 3 * * *\"\n    targets: ["+c.targets+"]\n"), 0o644)
			var log bytes.Buffer
			cmd := newScheduleCmd(scheduledScan)
			cmd.SetArgs([]string{"--config", cfg, "--once"})
			cmd.SetErr(&log)
			cmd.SilenceErrors, cmd.SilenceUsage = true, true
			err := cmd.ExecuteContext(context.Background())
			code := 0
			if ee, ok := err.(*exitError); ok {
				code = ee.code
			} else if err != nil {
				t.Fatal(err)
			}
			if code != c.code {
				t.Fatalf("exit %d (%v), want %d\n%s", code, err, c.code, log.String())
			}
			rep, err := report.Load(filepath.Join(dir, "hist-"+c.name, "files", "latest.json"))
			if err != nil {
				t.Fatal(err) // the run's report is written either way
			}
			if (len(rep.Errors) > 0) != (c.code != 0) || rep.Totals.Findings == 0 {
				t.Errorf("report has %d input errors, %d findings", len(rep.Errors), rep.Totals.Findings)
			}
			if strings.Contains(log.String(), "13812345678") {
				t.Error("log holds a raw mobile")
			}
		})
	}
}
