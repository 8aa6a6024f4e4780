package main

import (
	"bufio"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/report"
)

// newReportCmd is `piiscan report diff|merge|render`: tools over JSON
// reports that never rescan anything.
func newReportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Compare, merge and render JSON inventory reports",
	}
	cmd.AddCommand(newReportDiffCmd(), newReportMergeCmd(), newReportRenderCmd())
	return cmd
}

func newReportDiffCmd() *cobra.Command {
	var format, out, failOn, lang string
	cmd := &cobra.Command{
		Use:   "diff OLD.json NEW.json",
		Short: "Show columns that gained or lost PI, grade and count changes, new and removed tables",
		Long: `Compare two JSON reports of the same scope (e.g. yesterday's and today's).

A column is listed when it appeared or disappeared, or its PI types, their
counts or its grade changed; a change in rows scanned alone is not listed.

Exit status: 0 nothing new at or above --fail-on; 1 a column gained a PI type
graded at or above --fail-on, or its grade rose to at least it; 2 usage or
input error.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			fail, hasFail, err := parseReportFailOn(failOn)
			if err != nil {
				return err
			}
			if format != "text" && format != "json" && format != "html" {
				return usageErr("--format %q: want text, json or html", format)
			}
			old, err := report.Load(args[0])
			if err != nil {
				return &exitError{code: exitInput, err: err}
			}
			new, err := report.Load(args[1])
			if err != nil {
				return &exitError{code: exitInput, err: err}
			}
			d := report.Diff(old, new)
			opts := report.Options{Lang: lang}
			write := func(w io.Writer) error {
				switch format {
				case "json":
					return report.WriteDiffJSON(w, d)
				case "html":
					g := fail
					if !hasFail {
						g = pi.GradeSensitive
					}
					return report.WriteDiffHTML(w, d, opts, g)
				}
				return report.WriteDiffText(w, d, opts)
			}
			if err := writeReportOut(cmd, out, write); err != nil {
				return &exitError{code: exitInput, err: err}
			}
			if hasFail {
				if news := d.NewAtOrAbove(fail); len(news) > 0 {
					return &exitError{code: exitFindings, err: fmt.Errorf("%d column(s) with new PI at or above %s (--fail-on)", len(news), fail)}
				}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&format, "format", "text", "output format: text, json or html")
	fl.StringVarP(&out, "out", "o", "", "write to this file (atomically) instead of stdout")
	fl.StringVar(&failOn, "fail-on", "", "exit 1 when something new is graded at or above this: none, ordinary or sensitive (default: never)")
	fl.StringVar(&lang, "lang", "zh", "labels of text and html output: zh or en")
	return cmd
}

func newReportMergeCmd() *cobra.Command {
	var out, lang string
	cmd := &cobra.Command{
		Use:   "merge A.json B.json ... --out MERGED.json",
		Short: "Join shard reports (--shard i/n) and incremental reports (--since-state) into one",
		Long: `Join reports of one inventory. Shards (disjoint tables) are put side by
side; incremental reports of the same columns add up: rows and type counts
add, samples are the union (capped at the largest sample count), and every
column is graded again by the scan's rule over the added counts. The output
format follows --out's extension (.json, .html, .csv, .md, .prom).`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usageErr("--out is required")
			}
			var reps []*report.Report
			for _, p := range args {
				r, err := report.Load(p)
				if err != nil {
					return &exitError{code: exitInput, err: err}
				}
				reps = append(reps, r)
			}
			m, err := report.Merge(reps...)
			if err != nil {
				return &exitError{code: exitInput, err: err}
			}
			if err := report.WriteFile(out, m, report.Options{Lang: lang}); err != nil {
				return &exitError{code: exitInput, err: err}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "merged report file (format by extension)")
	cmd.Flags().StringVar(&lang, "lang", "zh", "labels of html, csv and md output: zh or en")
	return cmd
}

func newReportRenderCmd() *cobra.Command {
	var outs []string
	var lang, annotations string
	cmd := &cobra.Command{
		Use:   "render IN.json --out X.html|X.csv|X.md|X.json|X.prom ...",
		Short: "Render a JSON report as HTML, CSV, Markdown or Prometheus metrics, with inventory metadata",
		Long: `Render a JSON report. --out may be repeated; each file's format follows its
extension: .html one self-contained page (charts, sortable inventory), .csv one
row per column (UTF-8 with BOM for Excel), .md a short summary, .json the
report with compliance gaps, .prom Prometheus gauges.

--annotations joins owner, purpose, legal basis, retention and system to the
columns by glob (see the report package's Annotations) and flags compliance
gaps: sensitive PI without owner, purpose or retention; sensitive PI in
plaintext; data of minors; PI in data annotated as non-PI.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(outs) == 0 {
				return usageErr("--out is required")
			}
			r, err := report.Load(args[0])
			if err != nil {
				return &exitError{code: exitInput, err: err}
			}
			opts := report.Options{Lang: lang}
			if annotations != "" {
				a, err := report.LoadAnnotations(annotations)
				if err != nil {
					return &exitError{code: exitInput, err: err}
				}
				opts.Annotations = a
			}
			for _, o := range outs {
				if err := report.WriteFile(o, r, opts); err != nil {
					return &exitError{code: exitInput, err: err}
				}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVarP(&outs, "out", "o", nil, "output file, format by extension; repeatable")
	fl.StringVar(&lang, "lang", "zh", "labels: zh or en")
	fl.StringVar(&annotations, "annotations", "", "inventory metadata YAML (owner, purpose, legal_basis, retention, system, non_pi)")
	return cmd
}

// parseReportFailOn reads a --fail-on value; "" means never.
func parseReportFailOn(s string) (pi.Grade, bool, error) {
	if s == "" {
		return 0, false, nil
	}
	g, err := pi.ParseGrade(s)
	if err != nil {
		return 0, false, usageErr("--fail-on: %v", err)
	}
	return g, true, nil
}

// writeReportOut writes to path atomically, or to the command's stdout when path
// is "" or "-".
func writeReportOut(cmd *cobra.Command, path string, write func(io.Writer) error) error {
	if path != "" && path != "-" {
		return report.AtomicWrite(path, write)
	}
	w := bufio.NewWriter(cmd.OutOrStdout())
	if err := write(w); err != nil {
		return err
	}
	return w.Flush()
}
