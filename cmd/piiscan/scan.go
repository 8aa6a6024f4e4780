package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/piiscan/piiscan/connectors"
	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/internal/atomicfile"
	"github.com/piiscan/piiscan/report"
	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/schedule"
)

// scanFlags are the options of `piiscan scan`.
type scanFlags struct {
	inputFlags
	// strictOpen: a database that cannot be opened fails the scan even
	// among other inputs (scheduled jobs).
	strictOpen    bool
	format        string
	out           string
	reports       []string
	failOn        string
	reveal        bool
	minConfidence float32
	threshold     float64
	samples       int
	lang          string
	annotations   string
	metricsFile   string
	db            dbFlags
}

func newScanCmd() *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan PATH|DSN ...",
		Short: "Find and classify personal information in files, dumps and databases",
		Long: `Scan files, directories, stdin ("-"), mysqldump files and databases
(mysql://user@host:port/db, postgres://user@host:port/db) for Chinese PI.

Findings go to stdout (or --out) as JSON lines, a table or a JSON array; every
value is masked unless --reveal is given. --report writes the inventory
report; its format follows the extension (.json, .html, .csv, .md).

Exit status: 0 scan done and nothing at or above --fail-on; 1 findings at or
above --fail-on; 2 usage or input error (unreadable or malformed input).`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScan(cmd.Context(), args, &f, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	addScanFlags(cmd.Flags(), &f)
	return cmd
}

// addScanFlags defines the scan options on fl; `piiscan schedule` parses a
// job's args with the same definitions.
func addScanFlags(fl *pflag.FlagSet, f *scanFlags) {
	f.inputFlags.add(fl)
	fl.StringVar(&f.format, "format", "", "findings format: jsonl, table, json, or none for the report alone (default: table on a terminal, else jsonl)")
	fl.StringVarP(&f.out, "out", "o", "", "write findings to this file (atomically) instead of stdout")
	fl.StringArrayVar(&f.reports, "report", nil, "write the inventory report to this file; repeatable; format by extension (.json .html .csv .md)")
	fl.StringVar(&f.failOn, "fail-on", "", "exit 1 when a finding's grade is at or above this: none, ordinary or sensitive (default: never)")
	fl.BoolVar(&f.reveal, "reveal", false, "also print raw values (they are PI: handle the output accordingly)")
	fl.Float32Var(&f.minConfidence, "min-confidence", 0, "drop findings below this confidence (0-1)")
	fl.Float64Var(&f.threshold, "threshold", scanner.DefaultThreshold, "share of a column's values a type must reach to grade the column")
	fl.IntVar(&f.samples, "column-samples", 5, "masked samples kept per column in the report")
	fl.StringVar(&f.lang, "lang", "zh", "report language for HTML/CSV/Markdown: zh or en")
	fl.StringVar(&f.annotations, "annotations", "", "inventory metadata YAML (owner, purpose, retention...) joined to the report's columns")
	fl.StringVar(&f.metricsFile, "metrics-file", "", "write Prometheus text-format metrics here (for node-exporter's textfile collector)")
	addDBFlags(fl, &f.db)
}

// outputsNotInputs refuses an output file (--out, --report, --metrics-file)
// that is one of the input files: it would be replaced by findings.
func outputsNotInputs(inputs, outputs []string) error {
	for _, o := range outputs {
		if o == "" || o == "-" {
			continue
		}
		ost, err := os.Stat(o)
		if err != nil {
			continue // not there yet: not an input
		}
		for _, in := range inputs {
			if ist, err := os.Stat(in); err == nil && os.SameFile(ist, ost) {
				return usageErr("output %s is the input %s: it would be overwritten", o, in)
			}
		}
	}
	return nil
}

func usageErr(format string, a ...any) error {
	return &exitError{code: exitInput, err: fmt.Errorf(format, a...)}
}

func runScan(ctx context.Context, args []string, f *scanFlags, stdout, stderr io.Writer) error {
	format := f.format
	if format == "" {
		format = "jsonl"
		if f.out == "" && isTerminal(os.Stdout) {
			format = "table"
		}
	}
	if format != "jsonl" && format != "table" && format != "json" && format != "none" {
		return usageErr("--format %q: want jsonl, table, json or none", format)
	}
	if format == "none" && f.out != "" {
		return usageErr("--format none writes no findings: --out has nothing to write")
	}
	failOn := pi.Grade(255)
	if f.failOn != "" {
		g, err := pi.ParseGrade(f.failOn)
		if err != nil {
			return usageErr("--fail-on: %v", err)
		}
		failOn = g
	}
	for _, p := range f.reports {
		if _, err := report.FormatOf(p); err != nil {
			return usageErr("--report: %v", err)
		}
	}
	ropts := report.Options{Lang: f.lang}
	if f.annotations != "" {
		a, err := report.LoadAnnotations(f.annotations)
		if err != nil {
			return usageErr("--annotations: %v", err)
		}
		ropts.Annotations = a
	}
	if err := outputsNotInputs(args, append([]string{f.out, f.metricsFile}, f.reports...)); err != nil {
		return err
	}

	var out io.Writer = stdout
	var outFile *atomicfile.File
	if st, err := os.Stat(f.out); f.out != "" && f.out != "-" && err == nil && !st.Mode().IsRegular() {
		// A device or pipe (/dev/null, a FIFO) cannot be replaced: write to it.
		dev, err := os.OpenFile(f.out, os.O_WRONLY, 0)
		if err != nil {
			return &exitError{code: exitInput, err: err}
		}
		defer dev.Close()
		out = dev
	} else if f.out != "" && f.out != "-" {
		outFile, err = atomicfile.Create(f.out, 0o600)
		if err != nil {
			return &exitError{code: exitInput, err: err}
		}
		defer outFile.Abort()
		out = outFile
	}
	var (
		sink  scanner.Sink
		fw    *findingWriter
		worst pi.Grade
		any   bool
	)
	if format != "none" {
		// Without findings to print, the engine only counts them (a nil
		// sink) and the report's totals give the worst grade.
		fw = newFindingWriter(out, format)
		sink = scanner.SinkFunc(func(fs []scanner.Finding) error {
			for i := range fs {
				if !any || fs[i].Grade > worst {
					worst, any = fs[i].Grade, true
				}
			}
			return fw.Write(fs)
		})
	}
	rep, err := scanReport(ctx, args, f, sink, progressPrinter(stderr))
	if fw != nil {
		if cerr := fw.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}
	if err != nil {
		return err
	}
	if fw == nil {
		for g := pi.GradeSensitive; ; g-- {
			if rep.Totals.ByGrade[g.String()] > 0 {
				worst, any = g, true
				break
			}
			if g == 0 {
				break
			}
		}
	}
	if outFile != nil {
		if err := outFile.Commit(); err != nil {
			return &exitError{code: exitInput, err: err}
		}
	}
	for _, p := range f.reports {
		if err := report.WriteFile(p, rep, ropts); err != nil {
			return &exitError{code: exitInput, err: err}
		}
	}
	if f.metricsFile != "" {
		if err := report.WritePrometheusFile(f.metricsFile, rep); err != nil {
			return &exitError{code: exitInput, err: err}
		}
	}
	if len(rep.Errors) > 0 {
		for _, e := range rep.Errors {
			fmt.Fprintln(stderr, "piiscan: input error:", e.Message)
		}
		return &exitError{code: exitInput, err: fmt.Errorf("%d input error(s); the rest of the input was scanned", len(rep.Errors))}
	}
	if any && worst >= failOn {
		return &exitError{code: exitFindings, err: fmt.Errorf("findings graded %s or above (--fail-on %s)", failOn, f.failOn)}
	}
	return nil
}

// scanReport runs one scan of targets and returns its report; findings go to
// sink. Database watermarks (--since-state) are committed only when the scan
// finished without input errors, so a failed run is read again next time.
func scanReport(ctx context.Context, targets []string, f *scanFlags, sink scanner.Sink, progress func(scanner.Progress)) (*report.Report, error) {
	set, err := f.detectorSet(f.minConfidence)
	if err != nil {
		return nil, err
	}
	eng, err := scanner.New(scanner.Config{
		Detectors: set,
		Workers:   f.workers,
		Reveal:    f.reveal,
		Samples:   f.samples,
		Threshold: f.threshold,
		Progress:  progress,
	})
	if err != nil {
		return nil, usageErr("%v", err)
	}
	f.db.states = nil
	src, err := openSources(ctx, targets, f)
	if err != nil {
		return nil, &exitError{code: exitInput, err: err}
	}
	rep, err := eng.Run(ctx, src, sink)
	if cerr := src.Close(); cerr != nil && err == nil {
		err = cerr
	}
	if err != nil {
		return rep, &exitError{code: exitInput, err: err}
	}
	if len(rep.Errors) == 0 {
		for _, s := range f.db.states {
			if err := s.CommitState(); err != nil {
				return rep, &exitError{code: exitInput, err: err}
			}
		}
	}
	return rep, nil
}

// openSources opens the files and databases named on the command line, in
// order: consecutive paths share one file source, each DSN is its own.
func openSources(ctx context.Context, args []string, f *scanFlags) (scanner.Source, error) {
	var srcs []scanner.Source
	var paths []string
	flush := func() error {
		if len(paths) == 0 {
			return nil
		}
		s, err := connectors.Open(paths, f.fileOptions())
		if err != nil {
			return err
		}
		srcs = append(srcs, s)
		paths = nil
		return nil
	}
	closeAll := func() {
		for _, s := range srcs {
			s.Close()
		}
	}
	for _, a := range args {
		if !isDSN(a) {
			paths = append(paths, a)
			continue
		}
		if err := flush(); err != nil {
			closeAll()
			return nil, err
		}
		s, err := openDB(ctx, a, &f.db, f.include, f.exclude)
		if err != nil && len(args) > 1 && !f.strictOpen {
			// One of several inputs: its error is an input error of the
			// scan and the rest is still scanned (exit status 2).
			s, err = &failedSource{name: dsnName(a), err: err}, nil
		}
		if err != nil {
			closeAll()
			return nil, err
		}
		srcs = append(srcs, s)
	}
	if err := flush(); err != nil {
		closeAll()
		return nil, err
	}
	return scanner.Concat(srcs...), nil
}

// failedSource stands for a database that could not be opened while other
// inputs could: it yields its error as one input error, then ends.
type failedSource struct {
	name string
	err  error
	sent bool
}

func (s *failedSource) Next(*scanner.Record) error {
	if s.sent {
		return io.EOF
	}
	s.sent = true
	err := s.err
	if msg := err.Error(); strings.HasPrefix(msg, s.name+": ") {
		err = errors.New(strings.TrimPrefix(msg, s.name+": ")) // named once
	}
	return &scanner.InputError{Source: s.name, Offset: -1, Err: err}
}

func (s *failedSource) Close() error { return nil }

// dsnName is a DSN as reports name it: without user, password or options.
func dsnName(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.Host == "" {
		return "database"
	}
	return u.Scheme + "://" + u.Host + u.Path
}

// findingWriter renders findings in one of the --format encodings.
type findingWriter struct {
	w      *bufio.Writer
	format string
	enc    *json.Encoder
	tab    *tabwriter.Writer
	n      int
}

func newFindingWriter(w io.Writer, format string) *findingWriter {
	fw := &findingWriter{w: bufio.NewWriterSize(w, 256<<10), format: format}
	switch format {
	case "table":
		fw.tab = tabwriter.NewWriter(fw.w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(fw.tab, "SOURCE\tRECORD\tOFFSET\tFIELD\tTYPE\tGRADE\tCONF\tVALUE")
	default:
		fw.enc = json.NewEncoder(fw.w)
		fw.enc.SetEscapeHTML(false)
		if format == "json" {
			fw.w.WriteString("[\n")
		}
	}
	return fw
}

func (fw *findingWriter) Write(fs []scanner.Finding) error {
	for i := range fs {
		f := &fs[i]
		switch fw.format {
		case "table":
			v := f.Masked
			if f.Value != "" {
				v = f.Value
			}
			field := f.Field
			if f.Table != "" {
				field = f.Table + "." + field
			}
			fmt.Fprintf(fw.tab, "%s\t%d\t%d\t%s\t%s\t%s\t%.2f\t%s\n", printable(f.Source), f.Record, f.Offset, printable(field), f.Type, f.Grade, f.Confidence, printable(v))
		case "json":
			if fw.n > 0 {
				fw.w.WriteString(",")
			}
			if err := fw.enc.Encode(f); err != nil {
				return err
			}
		default:
			if err := fw.enc.Encode(f); err != nil {
				return err
			}
		}
		fw.n++
	}
	return nil
}

// printable escapes control characters (a terminal's escape sequences, tabs
// that would shift the table's columns) in text from the input.
func printable(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			fmt.Fprintf(&b, "\\x%02x", r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (fw *findingWriter) Close() error {
	switch fw.format {
	case "table":
		if err := fw.tab.Flush(); err != nil {
			return err
		}
	case "json":
		fw.w.WriteString("]\n")
	}
	return fw.w.Flush()
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// progressPrinter draws one status line on stderr when it is a terminal.
func progressPrinter(stderr io.Writer) func(scanner.Progress) {
	f, ok := stderr.(*os.File)
	if !ok || !isTerminal(f) {
		return nil
	}
	return func(p scanner.Progress) {
		secs := p.Elapsed.Seconds()
		rate := 0.0
		if secs > 0 {
			rate = float64(p.Bytes) / 1e6 / secs
		}
		fmt.Fprintf(f, "\r\x1b[K%d records, %.1f MB (%.0f MB/s), %d findings, %d errors",
			p.Records, float64(p.Bytes)/1e6, rate, p.Findings, p.Errors)
		if p.Done {
			fmt.Fprintln(f)
		}
	}
}

// scheduledScan runs one job of `piiscan schedule`: its args are parsed as
// `piiscan scan` flags and its targets scanned. Findings are not kept (the
// report, its history and diffs are what a schedule produces), so the
// engine only counts them.
func scheduledScan(ctx context.Context, job schedule.Job) (*report.Report, error) {
	var f scanFlags
	fl := pflag.NewFlagSet("scan", pflag.ContinueOnError)
	addScanFlags(fl, &f)
	if err := fl.Parse(job.Args); err != nil {
		return nil, fmt.Errorf("job %s: %w", job.Name, err)
	}
	targets := append(append([]string(nil), job.Targets...), fl.Args()...)
	if len(targets) == 0 {
		return nil, fmt.Errorf("job %s: no targets", job.Name)
	}
	// A job's report is its inventory: a database that cannot be reached
	// fails the run (history untouched) rather than vanish from it.
	f.strictOpen = true
	return scanReport(ctx, targets, &f, nil, nil)
}
