// Package schedule runs named scan jobs on cron expressions and keeps their
// history: a timestamped report per run, latest.json, a diff against the
// previous run, retention, optional renders and Prometheus metrics, and one
// log line per run.
//
// The scan itself is a function the caller injects (ScanFunc), so this
// package knows reports, not the engine or its connectors.
package schedule

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"gopkg.in/yaml.v3"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/report"
)

// Config is a scans.yaml file:
//
//	history: /var/lib/piiscan        # each job keeps its runs in history/<name>
//	keep: 30                         # runs kept per job (default 30)
//	max_age: 90d                     # and none older than this (default: no limit)
//	lang: zh                         # labels of html/csv/md renders
//	jobs:
//	  - name: crm
//	    cron: "0 2 * * *"             # minute hour day month weekday, or @daily, @every 6h;
//	                                  # "CRON_TZ=Asia/Shanghai 0 2 * * *" for a time zone
//	    targets: ["mysql://scanner@10.0.0.5:3306/crm"]
//	    args: ["--sample", "10000", "--exclude", "crm.audit_*"]
//	    annotations: /etc/piiscan/crm-inventory.yaml
//	    formats: [html, csv]          # also render each run (and latest.html, ...)
//	    metrics_file: /var/lib/node_exporter/textfile/piiscan_crm.prom
//	    fail_on: sensitive            # log a run bringing new sensitive PI at WARN
//	    timeout: 2h
type Config struct {
	History string   `yaml:"history"`
	Keep    int      `yaml:"keep"`
	MaxAge  Duration `yaml:"max_age"`
	Lang    string   `yaml:"lang"`
	Jobs    []Job    `yaml:"jobs"`
}

// Job is one named scan. Targets and Args are handed to the ScanFunc as
// they are: they mean what they mean on `piiscan scan`'s command line.
type Job struct {
	Name    string   `yaml:"name"`
	Cron    string   `yaml:"cron"`
	Targets []string `yaml:"targets"`
	Args    []string `yaml:"args"`
	// History is the job's folder; default Config.History/Name.
	History string `yaml:"history"`
	// Keep and MaxAge override the config's retention.
	Keep   int      `yaml:"keep"`
	MaxAge Duration `yaml:"max_age"`
	// Annotations is an inventory metadata file (report.Annotations), read
	// at every run so edits apply to the next one.
	Annotations string   `yaml:"annotations"`
	Formats     []string `yaml:"formats"`
	Lang        string   `yaml:"lang"`
	MetricsFile string   `yaml:"metrics_file"`
	// FailOn is a grade; a run whose diff brings something new at or above
	// it is logged at WARN (and RunJob reports it in Run.NewAtOrAbove). A
	// job's first run has nothing to compare with: all it finds is new.
	FailOn  string   `yaml:"fail_on"`
	Timeout Duration `yaml:"timeout"`

	failOn    pi.Grade
	hasFailOn bool
}

// DefaultKeep is how many runs a job keeps when the config says nothing.
const DefaultKeep = 30

// Duration is a time.Duration in YAML: Go syntax ("36h", "90m") or days ("30d").
type Duration time.Duration

func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*d = Duration(v)
	return nil
}

// ParseDuration accepts time.ParseDuration's syntax and whole days ("30d").
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("duration %q: want a number of days like 30d", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("duration %q: want e.g. 90m, 36h or 30d", s)
	}
	return v, nil
}

var jobName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// LoadConfig reads and checks a scans.yaml; relative paths in it are
// relative to the file's folder.
func LoadConfig(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, err
	}
	c, err := ParseConfig(bytes.NewReader(b), dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// ParseConfig reads a scans.yaml (unknown keys are errors), fills in
// defaults and checks every job: name, cron expression, targets, formats,
// grade. Relative paths are resolved against dir.
func ParseConfig(r io.Reader, dir string) (*Config, error) {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	var c Config
	if err := dec.Decode(&c); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("no jobs")
		}
		return nil, err
	}
	if len(c.Jobs) == 0 {
		return nil, errors.New("no jobs")
	}
	if c.Keep < 0 {
		return nil, errors.New("keep must not be negative")
	}
	abs := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	c.History = abs(c.History)
	seen := map[string]bool{}
	for i := range c.Jobs {
		j := &c.Jobs[i]
		where := fmt.Sprintf("jobs[%d]", i)
		if j.Name != "" {
			where += " (" + j.Name + ")"
		}
		if !jobName.MatchString(j.Name) {
			return nil, fmt.Errorf("%s: name must be 1-64 letters, digits, '.', '_' or '-' (it names the history folder)", where)
		}
		if seen[j.Name] {
			return nil, fmt.Errorf("%s: duplicate job name", where)
		}
		seen[j.Name] = true
		if j.Cron == "" {
			return nil, fmt.Errorf("%s: no cron expression", where)
		}
		if err := checkCron(j.Cron); err != nil {
			return nil, fmt.Errorf("%s: cron %q: %w", where, j.Cron, err)
		}
		if len(j.Targets) == 0 {
			return nil, fmt.Errorf("%s: no targets", where)
		}
		if j.History == "" {
			if c.History == "" {
				return nil, fmt.Errorf("%s: no history folder (set history at the top or in the job)", where)
			}
			j.History = filepath.Join(c.History, j.Name)
		}
		j.History = abs(j.History)
		j.Annotations = abs(j.Annotations)
		j.MetricsFile = abs(j.MetricsFile)
		if j.Keep == 0 {
			j.Keep = c.Keep
		}
		if j.Keep == 0 {
			j.Keep = DefaultKeep
		}
		if j.Keep < 0 {
			return nil, fmt.Errorf("%s: keep must not be negative", where)
		}
		if j.MaxAge == 0 {
			j.MaxAge = c.MaxAge
		}
		if j.Lang == "" {
			j.Lang = c.Lang
		}
		if j.Lang == "" {
			j.Lang = "zh"
		}
		if !slices.Contains(report.Langs, j.Lang) {
			return nil, fmt.Errorf("%s: lang %q: want zh or en", where, j.Lang)
		}
		for _, f := range j.Formats {
			if _, err := report.FormatOf("x." + f); err != nil || f == "json" {
				return nil, fmt.Errorf("%s: format %q: want html, csv, md or prom", where, f)
			}
		}
		if j.FailOn != "" {
			g, err := pi.ParseGrade(j.FailOn)
			if err != nil {
				return nil, fmt.Errorf("%s: fail_on: %w", where, err)
			}
			j.failOn, j.hasFailOn = g, true
		}
	}
	return &c, nil
}

// checkCron parses a cron expression. robfig/cron v3.0.1 panics on a time
// zone prefix without an expression ("CRON_TZ=UTC"), so that panic is an
// error here, like any other bad expression.
func checkCron(expr string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("not a cron expression (%v)", r)
		}
	}()
	_, err = cron.ParseStandard(expr)
	return err
}
