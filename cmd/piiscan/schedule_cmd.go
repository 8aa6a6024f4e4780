package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/piiscan/piiscan/schedule"
)

// newScheduleCmd is `piiscan schedule --config scans.yaml [--once] [--job N]`.
// scan runs one job (main passes scheduledScan: the job's args parsed as
// `piiscan scan` flags, its targets scanned).
func newScheduleCmd(scan schedule.ScanFunc) *cobra.Command {
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
fail_on; 1 a run brought something new at or above its fail_on; 2 a job failed,
a job's input had errors (a file or table it could not read: the run's report
is still written, naming them), or the configuration is wrong.`,
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
			var news, inputErrs int
			for _, r := range runs {
				news += len(r.NewAtOrAbove)
				inputErrs += r.InputErrors
			}
			// As in piiscan scan: an incomplete inventory outranks new
			// findings, since what was not read may hold more.
			if inputErrs > 0 {
				return &exitError{code: exitInput, err: fmt.Errorf("%d input error(s) in the runs' reports; the rest of the input was scanned", inputErrs)}
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
