package schedule

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/report"
)

// ScanFunc runs one scan of a job and returns its report. It must honour
// ctx (cancellation, the job's timeout) and must not log or return raw PI.
type ScanFunc func(ctx context.Context, job Job) (*report.Report, error)

// Options configure a Scheduler.
type Options struct {
	// Logger receives one line per run (and cron's own messages); nil means
	// a text logger on stderr.
	Logger *slog.Logger
	// Now stamps runs; nil means time.Now.
	Now func() time.Time
}

// Scheduler runs the jobs of a Config.
type Scheduler struct {
	cfg  *Config
	scan ScanFunc
	log  *slog.Logger
	now  func() time.Time
}

// New checks its arguments; cfg should come from LoadConfig or ParseConfig.
func New(cfg *Config, scan ScanFunc, opts Options) (*Scheduler, error) {
	if cfg == nil || len(cfg.Jobs) == 0 {
		return nil, errors.New("schedule: no jobs")
	}
	if scan == nil {
		return nil, errors.New("schedule: no scan function")
	}
	s := &Scheduler{cfg: cfg, scan: scan, log: opts.Logger, now: opts.Now}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s, nil
}

// Run is the outcome of one run of a job.
type Run struct {
	Job      string
	Started  time.Time
	Duration time.Duration
	// Report is the path of the run's JSON report.
	Report string
	// Diff is the diff against the previous run (nil on a job's first run),
	// written next to the report as .diff.json and .diff.txt.
	Diff     *report.DiffResult
	DiffPath string
	// NewAtOrAbove are the diff's changes at or above the job's fail_on.
	NewAtOrAbove []report.ColumnChange
	// Pruned are the runs retention removed (their timestamps).
	Pruned []string
	// InputErrors counts the report's input errors (a file that could not
	// be read, a table the scan had to skip): the run is written, since the
	// rest of its input was scanned, but it is not a clean inventory.
	InputErrors int
}

// Stamp format of run files: UTC, millisecond precision, sortable as text,
// no ':' (Windows, Kubernetes volume names).
const stampLayout = "20060102T150405.000Z"

var runFile = regexp.MustCompile(`^(\d{8}T\d{6}\.\d{3}Z)\.`)

// RunOnce runs the named jobs (every job when names is empty) now, one after
// another, and returns the runs that succeeded and the errors of those that
// failed, joined. This is `piiscan schedule --once`, for cron or a
// Kubernetes CronJob.
func (s *Scheduler) RunOnce(ctx context.Context, names ...string) ([]*Run, error) {
	jobs, err := s.jobs(names)
	if err != nil {
		return nil, err
	}
	var runs []*Run
	var errs []error
	for _, j := range jobs {
		if ctx.Err() != nil {
			errs = append(errs, fmt.Errorf("job %s: %w", j.Name, ctx.Err()))
			continue
		}
		run, err := s.RunJob(ctx, j)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		runs = append(runs, run)
	}
	return runs, errors.Join(errs...)
}

func (s *Scheduler) jobs(names []string) ([]*Job, error) {
	var out []*Job
	for i := range s.cfg.Jobs {
		j := &s.cfg.Jobs[i]
		if len(names) == 0 || slices.Contains(names, j.Name) {
			out = append(out, j)
		}
	}
	for _, n := range names {
		if !slices.ContainsFunc(out, func(j *Job) bool { return j.Name == n }) {
			return nil, fmt.Errorf("schedule: no job named %q", n)
		}
	}
	return out, nil
}

// Start runs the named jobs (all when names is empty) on their cron
// schedules until ctx is done, then waits for running jobs (which see ctx
// cancelled) and returns. A run still going when its next time comes is not
// started twice: that time is skipped and logged.
func (s *Scheduler) Start(ctx context.Context, names ...string) error {
	jobs, err := s.jobs(names)
	if err != nil {
		return err
	}
	cl := cronLogger{s.log}
	c := cron.New(cron.WithLogger(cl), cron.WithChain(cron.Recover(cl), cron.SkipIfStillRunning(cl)))
	ids := make([]cron.EntryID, len(jobs))
	for i, j := range jobs {
		id, err := c.AddFunc(j.Cron, func() {
			s.RunJob(ctx, j) // logged there; the schedule goes on
		})
		if err != nil {
			return fmt.Errorf("job %s: cron %q: %w", j.Name, j.Cron, err)
		}
		ids[i] = id
	}
	c.Start()
	for i, j := range jobs {
		s.log.Info("scheduled", "job", j.Name, "cron", j.Cron, "next", c.Entry(ids[i]).Next.Format(time.RFC3339))
	}
	<-ctx.Done()
	<-c.Stop().Done()
	return nil
}

// RunJob runs one job now: scan, write <stamp>.json (and the job's extra
// formats), diff against the previous run into <stamp>.diff.json and
// <stamp>.diff.txt, replace latest.json (and latest.<format>), write the
// metrics file, apply retention, and log one line. A failed scan writes
// nothing and leaves latest.json as it was.
func (s *Scheduler) RunJob(ctx context.Context, j *Job) (*Run, error) {
	started := s.now()
	run := &Run{Job: j.Name, Started: started}
	fail := func(stage string, err error) (*Run, error) {
		run.Duration = s.now().Sub(started)
		s.log.Error("scan run", "job", j.Name, "status", "error", "stage", stage,
			"duration", run.Duration.Round(time.Millisecond).String(), "error", err.Error())
		return run, fmt.Errorf("job %s: %s: %w", j.Name, stage, err)
	}
	if err := os.MkdirAll(j.History, 0o755); err != nil {
		return fail("history", err)
	}
	var anns *report.Annotations
	if j.Annotations != "" {
		a, err := report.LoadAnnotations(j.Annotations)
		if err != nil {
			return fail("annotations", err)
		}
		anns = a
	}
	latest := filepath.Join(j.History, "latest.json")
	prev, prevErr := report.Load(latest)
	if prevErr != nil && !errors.Is(prevErr, os.ErrNotExist) {
		// A damaged latest.json must not stop the schedule; the next run
		// replaces it. The diff of this run is then missing.
		s.log.Warn("previous report unreadable, no diff for this run", "job", j.Name, "error", prevErr.Error())
		prev = nil
	}

	scanCtx := ctx
	if j.Timeout > 0 {
		var cancel context.CancelFunc
		scanCtx, cancel = context.WithTimeout(ctx, time.Duration(j.Timeout))
		defer cancel()
	}
	rep, err := s.scan(scanCtx, *j)
	if err == nil && rep == nil {
		err = errors.New("scan returned no report")
	}
	if err != nil {
		return fail("scan", err)
	}
	if anns != nil {
		anns.Apply(rep)
	}
	opts := report.Options{Lang: j.Lang}

	stamp := s.freeStamp(j.History, started)
	run.Report = filepath.Join(j.History, stamp+".json")
	if err := report.WriteFile(run.Report, rep, opts); err != nil {
		return fail("write report", err)
	}
	for _, f := range j.Formats {
		if err := report.WriteFile(filepath.Join(j.History, stamp+"."+f), rep, opts); err != nil {
			return fail("write "+f, err)
		}
	}
	if prev != nil {
		run.Diff = report.Diff(prev, rep)
		run.DiffPath = filepath.Join(j.History, stamp+".diff.json")
		if err := report.AtomicWrite(run.DiffPath, func(w io.Writer) error { return report.WriteDiffJSON(w, run.Diff) }); err != nil {
			return fail("write diff", err)
		}
		txt := filepath.Join(j.History, stamp+".diff.txt")
		if err := report.AtomicWrite(txt, func(w io.Writer) error { return report.WriteDiffText(w, run.Diff, opts) }); err != nil {
			return fail("write diff", err)
		}
		if j.hasFailOn {
			run.NewAtOrAbove = run.Diff.NewAtOrAbove(j.failOn)
		}
	} else if j.hasFailOn {
		// A first run is compared with nothing: PI it finds at or above
		// fail_on is new (a job that starts on a database already full
		// of ID numbers must say so, not wait for a change).
		first := report.Diff(&report.Report{Version: report.Version}, rep)
		run.NewAtOrAbove = first.NewAtOrAbove(j.failOn)
	}
	// latest.json last of the run's files: whoever reads it finds the
	// run's report and diff already in place.
	for _, f := range j.Formats {
		if err := report.WriteFile(filepath.Join(j.History, "latest."+f), rep, opts); err != nil {
			return fail("write latest."+f, err)
		}
	}
	if err := report.WriteFile(latest, rep, opts); err != nil {
		return fail("write latest", err)
	}
	if j.MetricsFile != "" {
		if err := report.WritePrometheusFile(j.MetricsFile, rep, report.Label{Name: "job", Value: j.Name}); err != nil {
			return fail("write metrics", err)
		}
	}
	pruned, err := prune(j.History, stamp, j.Keep, time.Duration(j.MaxAge), started)
	run.Pruned = pruned
	if err != nil {
		return fail("retention", err)
	}
	run.Duration = s.now().Sub(started)
	run.InputErrors = len(rep.Errors)
	s.logRun(j, run, rep)
	return run, nil
}

// freeStamp is the run's file stamp; runs started in the same millisecond
// (a clock that stands still in tests, two --once in a row) move on by 1 ms.
func (s *Scheduler) freeStamp(dir string, t time.Time) string {
	t = t.UTC().Truncate(time.Millisecond)
	for {
		stamp := t.Format(stampLayout)
		if _, err := os.Stat(filepath.Join(dir, stamp+".json")); errors.Is(err, os.ErrNotExist) {
			return stamp
		}
		t = t.Add(time.Millisecond)
	}
}

// logRun writes the run's one line: counts and paths, never a value.
func (s *Scheduler) logRun(j *Job, run *Run, rep *report.Report) {
	var sensitive int
	for i := range rep.Columns {
		if rep.Columns[i].Grade == pi.GradeSensitive {
			sensitive++
		}
	}
	status := "ok"
	if len(rep.Errors) > 0 {
		status = "input_errors" // reported, but part of the input was not read
	}
	attrs := []any{"job", j.Name, "status", status,
		"duration", run.Duration.Round(time.Millisecond).String(),
		"columns", len(rep.Columns), "sensitive_columns", sensitive,
		"findings", rep.Totals.Findings, "gaps", len(rep.Gaps), "input_errors", len(rep.Errors),
		"report", run.Report}
	if run.Diff != nil {
		attrs = append(attrs, "changed_columns", len(run.Diff.Columns))
	} else {
		attrs = append(attrs, "changed_columns", "first run")
	}
	if j.hasFailOn {
		attrs = append(attrs, "new_at_or_above_"+j.failOn.String(), len(run.NewAtOrAbove))
	}
	if len(run.Pruned) > 0 {
		attrs = append(attrs, "pruned", len(run.Pruned))
	}
	level := slog.LevelInfo
	if len(run.NewAtOrAbove) > 0 {
		level = slog.LevelWarn
	}
	s.log.Log(context.Background(), level, "scan run", attrs...)
}

// prune removes runs beyond the newest keep and runs older than maxAge
// (judged by their stamp, not the file's mtime, which copies change). The
// current run is never removed. It returns the stamps it removed.
func prune(dir, current string, keep int, maxAge time.Duration, now time.Time) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	files := map[string][]string{}
	for _, e := range ents {
		m := runFile.FindStringSubmatch(e.Name())
		if m == nil || e.IsDir() {
			continue
		}
		files[m[1]] = append(files[m[1]], e.Name())
	}
	stamps := make([]string, 0, len(files))
	for st := range files {
		stamps = append(stamps, st)
	}
	slices.Sort(stamps)
	slices.Reverse(stamps) // newest first
	var pruned []string
	var errs []error
	for i, st := range stamps {
		if st == current {
			continue
		}
		old := keep > 0 && i >= keep
		if t, err := time.Parse(stampLayout, st); err == nil && maxAge > 0 && now.Sub(t) > maxAge {
			old = true
		}
		if !old {
			continue
		}
		for _, name := range files[st] {
			if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
				errs = append(errs, err)
			}
		}
		pruned = append(pruned, st)
	}
	return pruned, errors.Join(errs...)
}

// cronLogger sends cron's messages (skipped runs, panics) to slog.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) {
	// cron logs every wake-up and start at Info; only skips matter here.
	if strings.Contains(msg, "skip") {
		c.l.Warn("cron: "+msg, kv...)
	}
}

func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "error", err.Error())...)
}
