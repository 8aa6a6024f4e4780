package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/piiscan/piiscan/connectors/dbscan"
	"github.com/piiscan/piiscan/connectors/mysql"
	"github.com/piiscan/piiscan/connectors/postgres"
	"github.com/piiscan/piiscan/deid"
	"github.com/piiscan/piiscan/detectors"
	"github.com/piiscan/piiscan/internal/atomicfile"
	"github.com/piiscan/piiscan/masking"
)

// copyFlags are the options of a database-to-database `piiscan mask`.
type copyFlags struct {
	replace            bool
	parallel           int
	sampleRows         int
	passwordFile       string
	targetPasswordFile string
	timeout            time.Duration
}

func addCopyFlags(fl *pflag.FlagSet, cf *copyFlags) {
	fl.BoolVar(&cf.replace, "replace", false, "database copy: drop and recreate target tables that already hold rows")
	fl.IntVar(&cf.parallel, "parallel", 2, "database copy: tables copied at a time")
	fl.IntVar(&cf.sampleRows, "classify-rows", 1000, "database copy: rows per table scanned first to classify columns (a column ≥50% one type is masked whole); 0 turns it off")
	fl.StringVar(&cf.passwordFile, "password-file", "", "database copy: source password file (else the DSN, PIISCAN_MYSQL_PASSWORD, PGPASSWORD or ~/.pgpass)")
	fl.StringVar(&cf.targetPasswordFile, "target-password-file", "", "database copy: target password file")
	fl.DurationVar(&cf.timeout, "statement-timeout", 0, "database copy: server-side timeout of each statement (0: none; a table is read by one statement)")
}

// copyDB is what a database copy needs of either end.
type copyDB interface {
	dbscan.CopySource
	dbscan.CopyTarget
	// Identity names the server and database, however the DSN spelled the
	// host: the guard against copying over the source compares it.
	Identity(ctx context.Context) (string, error)
}

func openCopyDB(ctx context.Context, dsn string, o dbscan.Options, write bool) (copyDB, error) {
	if strings.HasPrefix(dsn, "mysql://") || strings.HasPrefix(dsn, "mariadb://") {
		return mysql.OpenCopy(ctx, dsn, o, write)
	}
	return postgres.OpenCopy(ctx, dsn, o, write)
}

// runCopy masks the tables of the database in into the database out.
// key (nil without one) lets primary-key, unique and foreign-key columns
// whose rule would merge values be tokenised instead.
func runCopy(ctx context.Context, in, out string, m *masking.Masker, key *masking.Key, set *detectors.Set, f *maskFlags, stderr io.Writer) error {
	cf := &f.db
	timeout := cf.timeout
	if timeout <= 0 {
		timeout = -1
	}
	par := max(cf.parallel, 1)
	so := dbscan.Options{Include: f.include, Exclude: f.exclude, PasswordFile: cf.passwordFile,
		StatementTimeout: timeout, Parallel: par, MaxConns: 2 * par}
	src, err := openCopyDB(ctx, in, so, false)
	if err != nil {
		return &exitError{code: exitInput, err: err}
	}
	defer src.Close()
	to := so
	to.PasswordFile = cf.targetPasswordFile
	to.Include, to.Exclude = nil, nil
	dst, err := openCopyDB(ctx, out, to, true)
	if err != nil {
		return &exitError{code: exitInput, err: err}
	}
	defer dst.Close()
	if err := notOverSource(ctx, src, dst, out); err != nil {
		return err
	}
	sample := cf.sampleRows
	if sample <= 0 {
		sample = -1
	}
	sum, err := deid.CopyDatabase(ctx, src, dst, deid.CopyOptions{Masker: m, Detectors: set, Parallel: par,
		Replace: cf.replace, SampleRows: sample, Workers: f.workers, Key: key})
	if sum != nil {
		for _, t := range sum.Tables {
			status := "ok"
			if t.Error != "" {
				status = "FAILED: " + t.Error
			}
			fmt.Fprintf(stderr, "piiscan: %s → %s: %d rows read, %d written, %d counted, %d values, %d masked (%s) %.1fs %s\n",
				t.Table, t.Target, t.RowsRead, t.RowsWritten, t.RowsCounted, t.Values, t.ValuesMasked, ruleCounts(t.ByRule), t.Seconds, status)
			for _, col := range slices.Sorted(maps.Keys(t.Injective)) {
				fmt.Fprintf(stderr, "piiscan: %s.%s: key or unique column: tokenised instead of rule %q so values stay distinct\n", t.Table, col, t.Injective[col])
			}
			for _, col := range slices.Sorted(maps.Keys(t.Widened)) {
				fmt.Fprintf(stderr, "piiscan: %s.%s: widened to %d characters for masked values\n", t.Table, col, t.Widened[col])
			}
			for _, col := range slices.Sorted(maps.Keys(t.MaskedToFit)) {
				fmt.Fprintf(stderr, "piiscan: %s.%s: %d values masked with '*' to fit the column\n", t.Table, col, t.MaskedToFit[col])
			}
			for _, n := range t.Notes {
				fmt.Fprintf(stderr, "piiscan: %s: note: %s\n", t.Table, n)
			}
		}
		fmt.Fprintf(stderr, "piiscan: %s → %s: %d tables, %d rows, %d masked values in %.1fs, key %s\n",
			sum.Source, sum.Target, len(sum.Tables), sum.Rows, sum.Masked, sum.Seconds, keyLabel(sum.KeyID))
		if f.summary != "" {
			b, _ := json.MarshalIndent(sum, "", "  ")
			if werr := atomicfile.Write(f.summary, append(b, '\n'), 0o644); werr != nil {
				return &exitError{code: exitInput, err: werr}
			}
		}
	}
	if err != nil {
		return &exitError{code: exitInput, err: err}
	}
	return nil
}

func ruleCounts(m map[string]int64) string {
	if len(m) == 0 {
		return "no rules applied"
	}
	var parts []string
	for k, v := range m {
		parts = append(parts, fmt.Sprintf("%s=%d", k, v))
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}

// notOverSource refuses a copy into its own source: the same MySQL
// database, or the same PostgreSQL database without a ?schema= distinct
// from every source table's schema (--replace would drop the source).
func notOverSource(ctx context.Context, src, dst copyDB, out string) error {
	base := func(s string) string { b, _, _ := strings.Cut(s, "?"); return b }
	if base(src.String()) != base(dst.String()) {
		// Different DSNs may still name one server (127.0.0.1 and
		// localhost, a host name and its address): ask the servers.
		si, err := src.Identity(ctx)
		if err != nil {
			return &exitError{code: exitInput, err: err}
		}
		di, err := dst.Identity(ctx)
		if err != nil {
			return &exitError{code: exitInput, err: err}
		}
		if si != di {
			return nil
		}
	}
	if src.Engine() == "mysql" {
		return usageErr("IN and OUT are the same database (%s): the copy would overwrite its source", base(src.String()))
	}
	_, q, _ := strings.Cut(out, "?")
	schema := ""
	for _, kv := range strings.Split(q, "&") {
		if v, ok := strings.CutPrefix(kv, "schema="); ok {
			schema = v
		}
	}
	if schema == "" {
		return usageErr("IN and OUT are the same database (%s): name another schema for the copy with ?schema=NAME on OUT", base(src.String()))
	}
	tables, err := src.Tables(ctx)
	if err != nil {
		return &exitError{code: exitInput, err: err}
	}
	for _, t := range tables {
		if t.Schema == schema {
			return usageErr("OUT schema %s holds source table %s: the copy would overwrite its source", schema, t.Label)
		}
	}
	return nil
}
