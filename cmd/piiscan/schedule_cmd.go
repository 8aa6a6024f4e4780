package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/piiscan/piiscan/report"
	"github.com/piiscan/piiscan/schedule"
)

// newScheduleCmd is `piiscan schedule --config scans.yaml [--once] [--job N]`.
// scan runs one job; nil means scanJobWithScanCmd (the job's targets and
// args through `piiscan scan`, exactly as on the command line).
func newScheduleCmd(scan schedule.ScanFunc) *cobra.Command {
	if scan == nil {
		scan = scanJobWithScanCmd
	}
	var config string
	var once bool
	var jobs []string
	cmd := &cobra.Command{
		Use:   "schedule --config scans.yaml [--once] [--job NAME ...]",
		Short: "Run named scan jobs on cron schedules, keeping a history of reports and diffs",
		Long: `Run the scan jobs of a scans.yaml on their cron expressions until stopped
(SIGINT/SIGTERM), or with --once run every job (or the --job ones) now and
exit, for cron or a Kubernetes CronJob.

Each run writes HISTORY/JOB/<UTC stamp>.json (plus the job's extra formats),
a diff against the previous run (<stamp>.diff.json, <stamp>.diff.txt), and
replaces latest.json; old runs are removed by keep/max_age; metrics_file
gets Prometheus gauges. One log line per run goes to stderr, without PI.

scans.yaml:
  history: /var/lib/piiscan
  keep: 30
  max_age: 90d
  jobs:
    - name: crm
      cron: "0 2 * * *"
      targets: ["mysql://scanner@10.0.0.5:3306/crm"]
      args: ["--sample", "10000"]
      annotations: crm-inventory.yaml
      formats: [html, csv]
      metrics_file: /var/lib/node_exporter/textfile/piiscan_crm.prom
      fail_on: sensitive

Exit status with --once: 0 all jobs ran and nothing new at or above a job's
fail_on; 1 a run brought something new at or above its fail_on; 2 a job failed
or the configuration is wrong.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if config == "" {
				return usageErr("--config is required")
			}
			cfg, err := schedule.LoadConfig(config)
			if err != nil {
				return usageErr("%v", err)
			}
			log := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
			s, err := schedule.New(cfg, scan, schedule.Options{Logger: log})
			if err != nil {
				return usageErr("%v", err)
			}
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			if !once {
				if err := s.Start(ctx, jobs...); err != nil {
					return usageErr("%v", err)
				}
				return nil
			}
			runs, err := s.RunOnce(ctx, jobs...)
			if err != nil {
				// Each failure was logged with its job; the error repeats them.
				return &exitError{code: exitInput, err: err}
			}
			var news int
			for _, r := range runs {
				news += len(r.NewAtOrAbove)
			}
			if news > 0 {
				return &exitError{code: exitFindings, err: fmt.Errorf("%d column(s) with new PI at or above a job's fail_on", news)}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&config, "config", "", "scan jobs YAML")
	fl.BoolVar(&once, "once", false, "run the jobs now, once, and exit")
	fl.StringSliceVar(&jobs, "job", nil, "only these jobs (default all)")
	return cmd
}

// scanJobWithScanCmd runs one job as `piiscan scan ARGS... TARGETS...
// --report TMP.json` in this process and returns the report. Findings are
// discarded (the report is what a schedule keeps) and so is the scan's
// stderr (input errors are in the report, and the run's log line counts
// them). A scan that ends with exit status 1 (--fail-on in the job's args)
// or with input errors still returns its report.
func scanJobWithScanCmd(ctx context.Context, job schedule.Job) (*report.Report, error) {
	tmp, err := os.MkdirTemp("", "piiscan-job-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, "report.json")
	args := append([]string{"--format", "jsonl"}, job.Args...)
	args = append(args, "--report", out, "--")
	args = append(args, job.Targets...)
	cmd := newScanCmd()
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	runErr := cmd.ExecuteContext(ctx)
	rep, err := report.Load(out)
	if err != nil {
		if runErr != nil {
			return nil, runErr
		}
		return nil, err
	}
	var ee *exitError
	if runErr != nil && !(errors.As(runErr, &ee) && (ee.code == exitFindings || len(rep.Errors) > 0)) {
		return nil, runErr
	}
	return rep, nil
}
