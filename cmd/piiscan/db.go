package main

import (
	"context"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/piiscan/piiscan/connectors/dbscan"
	"github.com/piiscan/piiscan/connectors/mysql"
	"github.com/piiscan/piiscan/connectors/postgres"
	"github.com/piiscan/piiscan/scanner"
)

// dbFlags are the database options of `piiscan scan`.
type dbFlags struct {
	sample        string
	maxRows       int64
	parallel      int
	views         bool
	state         string
	updatedColumn string
	shard         string
	passwordFile  string
	timeout       time.Duration
	seed          uint64

	// states are the sources whose watermarks are committed after a
	// successful scan.
	states []stateCommitter
}

type stateCommitter interface{ CommitState() error }

func addDBFlags(fl *pflag.FlagSet, f *dbFlags) {
	fl.StringVar(&f.sample, "sample", "full", "database rows per table: full, N rows, or P% (TABLESAMPLE on PostgreSQL, random key ranges on MySQL)")
	fl.Int64Var(&f.maxRows, "max-rows", 0, "cap on rows read per table (0: none)")
	fl.IntVar(&f.parallel, "parallel", 1, "database tables read at a time")
	fl.BoolVar(&f.views, "views", false, "also scan views")
	fl.StringVar(&f.state, "since-state", "", "incremental scans: state file of per-table watermarks; only newer rows are read and the file is updated after the scan")
	fl.StringVar(&f.updatedColumn, "updated-column", "", "with --since-state: use this timestamp column (e.g. updated_at) as the watermark where a table has it")
	fl.StringVar(&f.shard, "shard", "", "i/n: scan only share i (0..n-1) of the tables, as one of n processes; join their reports with piiscan report merge")
	fl.StringVar(&f.passwordFile, "password-file", "", "read the database password from this file (else PIISCAN_MYSQL_PASSWORD, PGPASSWORD or ~/.pgpass)")
	fl.DurationVar(&f.timeout, "statement-timeout", 5*time.Minute, "server-side timeout of each statement")
	fl.Uint64Var(&f.seed, "seed", 0, "seed for sampling (0: random)")
}

func isDSN(arg string) bool {
	for _, p := range []string{"mysql://", "mariadb://", "postgres://", "postgresql://"} {
		if strings.HasPrefix(arg, p) {
			return true
		}
	}
	return false
}

func (f *dbFlags) options(include, exclude []string) (dbscan.Options, error) {
	o := dbscan.Options{
		Include:          include,
		Exclude:          exclude,
		Views:            f.views,
		MaxRows:          f.maxRows,
		Parallel:         f.parallel,
		State:            f.state,
		UpdatedColumn:    f.updatedColumn,
		PasswordFile:     f.passwordFile,
		StatementTimeout: f.timeout,
		Seed:             f.seed,
	}
	var err error
	if o.Sample, err = dbscan.ParseSample(f.sample); err != nil {
		return o, usageErr("--sample: %v", err)
	}
	if f.shard != "" {
		if o.Shard, err = dbscan.ParseShard(f.shard); err != nil {
			return o, usageErr("--shard: %v", err)
		}
	}
	return o, nil
}

// openDB opens a database source. Errors never contain the password: the
// connectors scrub it.
func openDB(ctx context.Context, dsn string, f *dbFlags, include, exclude []string) (scanner.Source, error) {
	o, err := f.options(include, exclude)
	if err != nil {
		return nil, err
	}
	var src interface {
		scanner.Source
		stateCommitter
	}
	if strings.HasPrefix(dsn, "mysql://") || strings.HasPrefix(dsn, "mariadb://") {
		src, err = mysql.Open(ctx, dsn, o)
	} else {
		src, err = postgres.Open(ctx, dsn, o)
	}
	if err != nil {
		return nil, err
	}
	if o.State != "" {
		f.states = append(f.states, src)
	}
	return src, nil
}
