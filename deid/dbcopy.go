package deid

// Database-to-database copies.
//
// CopyDatabase reads every selected table of a source database row by row
// (streaming, in primary-key order where there is one), de-identifies each
// value and writes the rows to a target database in batches (the target
// decides how: PostgreSQL COPY, MySQL multi-row INSERT). Tables are copied
// several at a time; each table is read on one goroutine, masked in batches
// of rows on Workers goroutines (each with its own Masker clone) and written
// on another, in read order, so reading, masking and writing overlap.
//
// Per value: the detectors scan it with its column as context and every
// detected span is replaced by the output of the policy's rule for (table,
// column, type, grade); a rule that yields NULL makes the whole value NULL.
// Before a table is copied, its first SampleRows rows are scanned to
// classify columns: a character column in which at least ColumnShare of the
// sampled non-empty values are one PI type is masked whole with that type's
// rule, even where a particular value is not detected, so an unusual name
// in a name column does not leak. Binary columns are copied byte for byte and
// never masked. A masked value of a non-character column (a mobile in a
// BIGINT, a birth date in a DATE) is kept only if it has the input's shape
// (digits where digits were, other bytes unchanged: tokens and shifted
// dates); otherwise it becomes NULL, or the copy fails for a NOT NULL column.
//
// Character columns keep their declared length (MySQL and PostgreSQL both
// count characters) unless a rule for a type found in the column's sample
// lengthens values (replace tags, hashes, /24 prefixes, measured by applying
// the rule to short probes): such a column is widened by that growth for
// every two characters. A masked value that still does not fit (a type the
// sample did not show) is masked character for character instead, which
// keeps its length; the summary counts those (MaskedToFit).
//
// Primary-key, unique and foreign-key columns must stay distinct: with
// CopyOptions.Key, a rule of theirs that is not injective (anything but
// tokenize and hash) is replaced by a token (a 16-hex-digit keyed hash
// where the token format does not fit); without a key, a sampled value that
// such a rule would mask refuses the whole copy before anything is written.
// Both sides of a foreign key are masked alike, so the key still holds.
//
// Every table is sampled and planned first; then tables are copied; then
// foreign keys are added, so the tables may load in any order.
//
// Rules are deterministic here (no shift_date subject), so each worker keeps
// small direct-mapped caches of recent outputs: by column and value (a
// repeated name, city or customer ID skips detection and masking; a column
// whose values do not repeat stops using it) and by rule and span (the
// mobile in a note that was masked in its own column).
//
// After a table is written, its target rows are counted: rows read, rows
// written and rows counted must agree, or the copy reports a mismatch.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"net"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/piiscan/piiscan/connectors/dbscan"
	"github.com/piiscan/piiscan/detectors"
	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/internal/utf8x"
	"github.com/piiscan/piiscan/masking"
	"github.com/piiscan/piiscan/masking/fpe"
)

// CopyOptions configure CopyDatabase.
type CopyOptions struct {
	Masker    *masking.Masker
	Detectors *detectors.Set
	// Parallel is how many tables are copied at once; 0 means 2.
	Parallel int
	// Replace drops and recreates target tables that already hold rows.
	Replace bool
	// SampleRows is how many rows of each table are scanned first to
	// classify its columns; 0 means 1,000, negative means no classification.
	SampleRows int
	// ColumnShare is the share of sampled non-empty values of one type that
	// makes a column that type; 0 means 0.5.
	ColumnShare float64
	// Workers is how many goroutines mask the rows of one table; 0 means
	// GOMAXPROCS.
	Workers int
	// BatchRows is how many rows travel from the reader to the writer at a
	// time; 0 means 1,000.
	BatchRows int
	// Plain copies without detection or masking: the baseline a masked
	// copy's rate is compared with. Never use it for a real copy.
	Plain bool
	// Key is the key the Masker was compiled with. With it, values of
	// primary-key, unique and foreign-key columns that a rule would mask
	// non-injectively (mask, replace, redact ...: many e-mails become one
	// z***@qq.com, which the unique index refuses) are tokenised instead
	// (hashed where the token format does not fit). Without it, a copy whose
	// sampled rows would need that is refused before anything is written.
	Key *masking.Key
}

// CopySummary says what a database copy did: counts only, never values.
type CopySummary struct {
	Source   string         `json:"source"`
	Target   string         `json:"target"`
	KeyID    string         `json:"key_id,omitempty"`
	Tables   []TableSummary `json:"tables"`
	Rows     int64          `json:"rows"`
	Values   int64          `json:"values"`
	Masked   int64          `json:"values_masked"`
	Verified bool           `json:"verified"`
	Seconds  float64        `json:"seconds"`
}

// TableSummary is one table of a copy.
type TableSummary struct {
	Table        string              `json:"table"`  // source table (label)
	Target       string              `json:"target"` // target table
	RowsRead     int64               `json:"rows_read"`
	RowsWritten  int64               `json:"rows_written"`
	RowsCounted  int64               `json:"rows_counted"` // SELECT COUNT(*) on the target
	Values       int64               `json:"values"`       // non-NULL values read
	ValuesMasked int64               `json:"values_masked"`
	Findings     int64               `json:"findings"` // detected spans
	ByRule       map[string]int64    `json:"by_rule"`
	ByType       map[pi.TypeID]int64 `json:"by_type"`
	// Columns classified from the sample and masked whole: column → type.
	Classified map[string]pi.TypeID `json:"classified,omitempty"`
	// Widened: character columns made longer on the target because a rule
	// that applies to a type found in their sample lengthens values
	// (column → new length in characters; the declared length otherwise).
	Widened map[string]int `json:"widened,omitempty"`
	// MaskedToFit counts, per column, values whose masked form was longer
	// than the column and which were masked character for character ('*')
	// instead (a replacement tag in a short column the sample did not
	// predict).
	MaskedToFit map[string]int64 `json:"masked_to_fit,omitempty"`
	// Injective: primary-key, unique or foreign-key columns whose rule would
	// give distinct values one masked value; their values are tokenised
	// instead (column → the rule replaced). ByRule counts them under
	// uniqueRuleName.
	Injective map[string]string `json:"injective,omitempty"`
	// Notes say what the target could not carry over (an expression index
	// on another engine, a foreign key to a table not copied) or converted
	// (MySQL zero dates into NULL), with counts, never values.
	Notes   []string `json:"notes,omitempty"`
	Seconds float64  `json:"seconds"`
	Error   string   `json:"error,omitempty"`
}

// ErrNoTables means the source had no table selected for the copy.
var ErrNoTables = errors.New("no tables to copy")

// CopyDatabase copies the tables src lists to dst, masked. It returns a
// summary even on error; the error names the tables that failed.
func CopyDatabase(ctx context.Context, src dbscan.CopySource, dst dbscan.CopyTarget, o CopyOptions) (*CopySummary, error) {
	if !o.Plain && (o.Masker == nil || o.Detectors == nil) {
		return nil, errors.New("deid: masker and detectors are required")
	}
	if o.Parallel <= 0 {
		o.Parallel = 2
	}
	if o.SampleRows == 0 {
		o.SampleRows = 1000
	}
	if o.ColumnShare <= 0 {
		o.ColumnShare = 0.5
	}
	if o.BatchRows <= 0 {
		o.BatchRows = 1000
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	start := time.Now()
	sum := &CopySummary{Source: src.String(), Target: dst.String()}
	if o.Masker != nil {
		sum.KeyID = o.Masker.KeyID()
	}
	tables, err := src.Tables(ctx)
	if err != nil {
		return sum, err
	}
	if len(tables) == 0 {
		return sum, fmt.Errorf("%s: %w (check --include/--exclude)", src, ErrNoTables)
	}
	// Two source tables must not land on one target table (same name in
	// two schemas, copied into one MySQL database or one ?schema=): the
	// second would overwrite or mix with the first.
	seen := map[string]string{}
	for _, t := range tables {
		name := dst.TargetName(t, src.Engine())
		if prev, dup := seen[name]; dup {
			return sum, fmt.Errorf("%s and %s would both be copied into %s: copy them in separate runs (--include/--exclude) or into different schemas", prev, t.Label, name)
		}
		seen[name] = t.Label
	}
	sum.Tables = make([]TableSummary, len(tables))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	uniq := &masking.CompiledRule{Name: uniqueRuleName, Operator: "tokenize"}
	copies := make([]*tableCopy, len(tables))
	for i, t := range tables {
		copies[i] = &tableCopy{src: src, dst: dst, t: t, o: &o, uniq: uniq, sum: &sum.Tables[i]}
		copies[i].sum.Table = t.Label
	}
	// Every table is sampled and planned before any is written, so a copy
	// that must be refused (a unique column masked non-injectively without
	// a key) leaves the target untouched.
	eachTable(ctx, o, len(tables), func(i int, maskers []*masking.Masker) {
		c := copies[i]
		c.maskers = maskers
		if err := c.plan(ctx); err != nil {
			c.sum.Error = fmt.Sprintf("%s: %v", c.t.Label, err)
		}
	})
	for i := range copies {
		if e := sum.Tables[i].Error; e != "" {
			sum.Seconds = time.Since(start).Seconds()
			return sum, fmt.Errorf("copy %s → %s refused before writing: %s", src, dst, e)
		}
	}
	eachTable(ctx, o, len(tables), func(i int, maskers []*masking.Masker) {
		copies[i].maskers = maskers
		copies[i].run(ctx)
	})
	// Foreign keys last: every referenced table is loaded by now, whatever
	// order the tables were copied in.
	if fkt, ok := dst.(dbscan.ForeignKeyTarget); ok && ctx.Err() == nil {
		for i, t := range tables {
			if sum.Tables[i].Error != "" {
				continue
			}
			for _, fk := range t.ForeignKeys {
				j := slices.IndexFunc(tables, func(r *dbscan.CopyTable) bool { return r.Schema == fk.RefSchema && r.Name == fk.RefTable })
				switch {
				case j < 0:
					sum.Tables[i].Notes = append(sum.Tables[i].Notes, fmt.Sprintf("foreign key %s not created: %s.%s was not copied", fk.Name, fk.RefSchema, fk.RefTable))
				case sum.Tables[j].Error != "":
					sum.Tables[i].Notes = append(sum.Tables[i].Notes, fmt.Sprintf("foreign key %s not created: copying %s failed", fk.Name, tables[j].Label))
				default:
					if err := fkt.AddForeignKey(ctx, t, tables[j], fk, src.Engine()); err != nil {
						sum.Tables[i].Error = fmt.Sprintf("%s: %v", t.Label, err)
					}
				}
			}
		}
	}

	var failed []string
	var firstErr string
	sum.Verified = true
	for i := range sum.Tables {
		ts := &sum.Tables[i]
		sum.Rows += ts.RowsWritten
		sum.Values += ts.Values
		sum.Masked += ts.ValuesMasked
		if ts.Error != "" {
			failed = append(failed, ts.Table)
			if firstErr == "" {
				firstErr = ts.Error
			}
			sum.Verified = false
		}
	}
	sum.Seconds = time.Since(start).Seconds()
	if err := ctx.Err(); err != nil && len(failed) == 0 {
		return sum, err
	}
	if len(failed) > 0 {
		return sum, fmt.Errorf("copy %s → %s: %d of %d table(s) failed (%v); first: %s", src, dst, len(failed), len(tables), failed, firstErr)
	}
	return sum, nil
}

// eachTable calls f for tables 0..n-1, Parallel at a time, each goroutine
// with its own Masker clones (one per masking worker).
func eachTable(ctx context.Context, o CopyOptions, n int, f func(i int, maskers []*masking.Masker)) {
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(o.Parallel, n) {
		maskers := make([]*masking.Masker, o.Workers)
		for w := range maskers {
			if o.Masker != nil {
				maskers[w] = o.Masker.Clone() // Masker is not safe for concurrent use
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				f(i, maskers)
			}
		}()
	}
	for i := range n {
		select {
		case jobs <- i:
		case <-ctx.Done():
		}
	}
	close(jobs)
	wg.Wait()
}

// uniqueRuleName is what the summary's ByRule calls the injective masking
// of primary-key, unique and foreign-key columns.
const uniqueRuleName = "(unique column: tokenize)"

// tableCopy copies one table: a reader goroutine copies rows into batches,
// Workers goroutines mask batches (each with its own Masker clone), and the
// writer takes the masked batches in read order.
type tableCopy struct {
	src     dbscan.CopySource
	dst     dbscan.CopyTarget
	t       *dbscan.CopyTable
	o       *CopyOptions
	maskers []*masking.Masker     // one per worker
	uniq    *masking.CompiledRule // stands for the injective rule in rule lookups
	sum     *TableSummary

	fields   []*detectors.Column // nil for columns never scanned (binary)
	whole    []pi.TypeID         // per column: classified type masked whole, or ""
	seen     [][]pi.TypeID       // per column: types found in the sample
	notNull  []bool
	unique   []bool // per column: values must stay distinct (UniqueColumns)
	subst    []bool // per column: non-injective rules are replaced by uniq
	widen    []int  // per column: length asked of the target, 0 as declared
	limit    []int  // per column: characters a masked value may have, 0 any
	rowsRead int64
}

func (c *tableCopy) run(ctx context.Context) {
	start := time.Now()
	t := c.t
	err := c.copy(ctx)
	c.sum.Seconds += time.Since(start).Seconds()
	if err != nil {
		c.sum.Error = fmt.Sprintf("%s: %v", t.Label, err)
	}
}

// job is one batch on its way through the masking workers; done receives
// the masked batch (or err), so the writer can wait for batches in order.
type job struct {
	in   *batch
	out  *batch
	err  error
	done chan struct{}
}

// plan samples the table and decides, before anything is written, how each
// column is masked and how long the target's character columns must be.
func (c *tableCopy) plan(ctx context.Context) error {
	start := time.Now()
	defer func() { c.sum.Seconds += time.Since(start).Seconds() }()
	c.sum.ByRule, c.sum.ByType = map[string]int64{}, map[pi.TypeID]int64{}
	t := c.t
	n := len(t.Columns)
	c.fields = make([]*detectors.Column, n)
	c.whole = make([]pi.TypeID, n)
	c.seen = make([][]pi.TypeID, n)
	c.notNull = make([]bool, n)
	c.unique = t.UniqueColumns()
	c.subst = make([]bool, n)
	c.widen = make([]int, n)
	c.limit = make([]int, n)
	for i, col := range t.Columns {
		c.notNull[i] = col.NotNull
		if !col.Binary && !c.o.Plain {
			c.fields[i] = c.o.Detectors.Column(c.o.Detectors.Field(t.Label, col.Name, col.Comment))
		}
	}
	if c.o.Plain {
		return nil
	}
	if c.o.SampleRows > 0 {
		if err := c.classify(ctx); err != nil {
			return fmt.Errorf("sampling: %w", err)
		}
	}
	m := c.maskers[0] // not masking yet: free for lookups
	for i, col := range t.Columns {
		if c.fields[i] == nil {
			continue
		}
		if c.unique[i] {
			if err := c.planUnique(m, i); err != nil {
				return err
			}
		}
		if !col.Text || col.Chars == 0 {
			continue
		}
		c.limit[i] = col.Chars
		// A span is at least two characters, so a value of n characters has
		// at most ⌈n/2⌉ spans, each growing by at most g characters.
		if g := c.growth(m, i); g > 0 {
			c.widen[i] = col.Chars + g*((col.Chars+1)/2)
			c.limit[i] = c.widen[i]
			if c.sum.Widened == nil {
				c.sum.Widened = map[string]int{}
			}
			c.sum.Widened[col.Name] = c.widen[i]
		}
	}
	return nil
}

// injective reports whether a rule gives distinct values distinct outputs.
func injective(r *masking.CompiledRule) bool {
	return r.Operator == "tokenize" || r.Operator == "hash"
}

// planUnique decides how unique column i is masked: with a key, any rule
// of the column that is not injective is replaced by tokenize (Injective
// in the summary names the rules the sample showed replaced); without one,
// a sampled value such a rule would mask refuses the copy.
func (c *tableCopy) planUnique(m *masking.Masker, i int) error {
	name := c.t.Columns[i].Name
	c.subst[i] = c.o.Key != nil
	for _, typ := range c.seen[i] {
		r := m.Rule(c.t.Label, name, typ, pi.DefaultGrade(typ))
		if injective(r) {
			continue
		}
		if c.o.Key == nil {
			return fmt.Errorf("column %s is in the primary key, a unique index or a foreign key, and rule %q masks its %s values with %s, "+
				"which can give distinct values one masked value (the target's unique index would refuse the copy part way): "+
				"set a key (PIISCAN_KEY or --key-file) so such columns are tokenised, or add a rule before it: "+
				"{name: unique-%s, columns: [%s.%s], operator: tokenize}", name, r.Name, typ, r.Operator, name, c.t.Name, name)
		}
		if c.sum.Injective == nil {
			c.sum.Injective = map[string]string{}
		}
		c.sum.Injective[name] = r.Name
	}
	return nil
}

// growth is the most characters a rule of column i adds to a span of a type
// found in its sample (replace tags, hash outputs and generalised IPv4
// prefixes are longer than their input; mask and tokenize are not).
func (c *tableCopy) growth(m *masking.Masker, i int) int {
	probes := [][]byte{[]byte("12"), []byte("张三"), []byte("1.2.3.4"), []byte("a@b.cn")}
	g := 0
	for _, typ := range c.seen[i] {
		for _, gr := range []pi.Grade{pi.GradeNone, pi.GradeOrdinary, pi.GradeSensitive} {
			r := m.Rule(c.t.Label, c.t.Columns[i].Name, typ, gr)
			if c.subst[i] && !injective(r) {
				continue // tokenised: the same length
			}
			for _, p := range probes {
				out, err := r.Apply(nil, typ, nil, p)
				if err != nil {
					continue
				}
				g = max(g, utf8.RuneCount(out)-utf8.RuneCount(p))
			}
		}
	}
	return g
}

func (c *tableCopy) copy(ctx context.Context) error {
	t := c.t
	widen := c.widen
	tt, err := c.dst.Prepare(ctx, t, c.src.Engine(), widen, c.o.Replace)
	if err != nil {
		return err
	}
	c.sum.Target = tt.Name()
	err = c.fill(ctx, tt)
	if f, ok := tt.(dbscan.FinishingTable); ok && err == nil {
		var notes []string
		notes, err = f.Finish(ctx)
		c.sum.Notes = append(c.sum.Notes, notes...)
	}
	if err != nil {
		// A target that commits in batches removes what it wrote: a failed
		// copy leaves no partial table behind.
		if a, ok := tt.(interface{ Abort(context.Context) error }); ok {
			if aerr := a.Abort(context.WithoutCancel(ctx)); aerr != nil {
				return fmt.Errorf("%w (and removing the partial copy failed: %v)", err, aerr)
			}
		}
		return err
	}
	return nil
}

// fill streams the table's rows through the maskers into tt and checks the
// counts.
func (c *tableCopy) fill(ctx context.Context, tt dbscan.TargetTable) error {

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := len(c.maskers)
	inflight := 2*workers + 2
	free := make(chan *batch, 2*inflight)
	for range 2 * inflight {
		free <- &batch{arena: make([]byte, 0, 64<<10)}
	}
	work := make(chan *job, inflight)
	order := make(chan *job, inflight)
	var readErr error
	go func() {
		defer close(work)
		defer close(order)
		readErr = c.read(ctx, work, order, free)
	}()
	stats := make([]maskStats, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := &stats[w]
			st.fit = make([]int64, len(c.t.Columns))
			mw := &maskWorker{c: c, m: c.maskers[w], st: st, seed: maphash.MakeSeed()}
			for j := range work {
				if ctx.Err() == nil {
					var out *batch
					select {
					case out = <-free:
						j.out, j.err = out, mw.maskBatch(j.in, out)
					case <-ctx.Done():
						j.err = ctx.Err()
					}
				} else {
					j.err = ctx.Err()
				}
				free <- j.in
				close(j.done)
			}
		}()
	}
	var cur *job
	row := 0
	next := func() ([][]byte, error) {
		for cur == nil || row >= cur.out.rows {
			if cur != nil {
				free <- cur.out
				cur = nil
			}
			j, ok := <-order
			if !ok {
				if readErr != nil {
					return nil, sourceErr{readErr}
				}
				return nil, io.EOF
			}
			<-j.done
			if j.err != nil {
				if j.out != nil {
					free <- j.out
				}
				return nil, sourceErr{j.err}
			}
			cur, row = j, 0
		}
		v := cur.out.row(row)
		row++
		return v, nil
	}
	written, werr := tt.Write(ctx, next)
	cancel()
	for j := range order { // let the reader and workers finish after a write error
		<-j.done
	}
	wg.Wait()
	for i := range stats {
		stats[i].addTo(c.sum)
		for col, n := range stats[i].fit {
			if n > 0 {
				if c.sum.MaskedToFit == nil {
					c.sum.MaskedToFit = map[string]int64{}
				}
				c.sum.MaskedToFit[c.t.Columns[col].Name] += n
			}
		}
	}
	c.sum.RowsRead, c.sum.RowsWritten = c.rowsRead, written
	var se sourceErr
	if errors.As(werr, &se) {
		return fmt.Errorf("reading or masking: %w", se.err)
	}
	if werr != nil && !errors.Is(werr, context.Canceled) {
		return fmt.Errorf("writing %s: %w", tt.Name(), werr)
	}
	if readErr != nil {
		return fmt.Errorf("reading: %w", readErr)
	}
	if werr != nil {
		return werr
	}
	counted, err := tt.Count(context.WithoutCancel(ctx))
	if err != nil {
		return fmt.Errorf("counting %s: %w", tt.Name(), err)
	}
	c.sum.RowsCounted = counted
	if c.rowsRead != written || written != counted {
		return fmt.Errorf("%w: %d rows read, %d written, %d in %s", ErrMismatch, c.rowsRead, written, counted, tt.Name())
	}
	return nil
}

// sourceErr marks an error of the rows' side (reading the source, masking)
// that reaches the caller through the target's Write.
type sourceErr struct{ err error }

func (e sourceErr) Error() string { return e.err.Error() }
func (e sourceErr) Unwrap() error { return e.err }

// classify scans the first SampleRows rows and marks the character columns
// in which at least ColumnShare of the non-empty values are one type.
func (c *tableCopy) classify(ctx context.Context) error {
	n := len(c.t.Columns)
	nonEmpty := make([]int, n)
	counts := make([]map[pi.TypeID]int, n)
	var ms []pi.Match
	err := c.src.ReadRows(ctx, c.t, int64(c.o.SampleRows), func(vals [][]byte) error {
		for i, v := range vals {
			if len(v) == 0 || c.fields[i] == nil || !c.t.Columns[i].Text {
				continue
			}
			nonEmpty[i]++
			ms = c.fields[i].Scan(v, ms[:0])
			var seen [4]pi.TypeID
			k := 0
			for _, m := range ms {
				if slices.Contains(seen[:k], m.Type) {
					continue
				}
				if k < len(seen) {
					seen[k] = m.Type
					k++
				}
				if counts[i] == nil {
					counts[i] = map[pi.TypeID]int{}
				}
				counts[i][m.Type]++
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i := range n {
		best, bestN := pi.TypeID(""), 0
		for t := range counts[i] {
			c.seen[i] = append(c.seen[i], t)
		}
		slices.Sort(c.seen[i])
		for t, k := range counts[i] {
			if k > bestN || k == bestN && t < best {
				best, bestN = t, k
			}
		}
		if bestN > 0 && float64(bestN) >= c.o.ColumnShare*float64(nonEmpty[i]) {
			c.whole[i] = best
			if c.sum.Classified == nil {
				c.sum.Classified = map[string]pi.TypeID{}
			}
			c.sum.Classified[c.t.Columns[i].Name] = best
		}
	}
	return nil
}

// batch holds rows: values in one arena, located by offsets (start < 0 is
// NULL), so a batch is reused without allocating.
type batch struct {
	arena []byte
	offs  []int // two per value
	cols  int
	rows  int
	first int64 // number of the batch's first row in the table, from 1
	view  [][]byte
}

func (b *batch) reset(cols int) {
	b.arena, b.offs, b.cols, b.rows = b.arena[:0], b.offs[:0], cols, 0
	if cap(b.view) < cols {
		b.view = make([][]byte, cols)
	}
	b.view = b.view[:cols]
}

func (b *batch) row(r int) [][]byte {
	o := b.offs[2*r*b.cols : 2*(r+1)*b.cols]
	for i := range b.view {
		if s := o[2*i]; s < 0 {
			b.view[i] = nil
		} else {
			b.view[i] = b.arena[s:o[2*i+1]:o[2*i+1]]
		}
	}
	return b.view
}

// read streams the table into batches of copied rows, handing each to the
// workers and, in the same order, to the writer.
func (c *tableCopy) read(ctx context.Context, work, order chan *job, free chan *batch) error {
	var b *batch
	send := func() error {
		j := &job{in: b, done: make(chan struct{})}
		b = nil
		select {
		case order <- j:
		case <-ctx.Done():
			return ctx.Err()
		}
		select {
		case work <- j:
			return nil
		case <-ctx.Done():
			j.err = ctx.Err()
			close(j.done)
			return ctx.Err()
		}
	}
	cols := len(c.t.Columns)
	err := c.src.ReadRows(ctx, c.t, 0, func(vals [][]byte) error {
		if b == nil {
			select {
			case b = <-free:
			case <-ctx.Done():
				return ctx.Err()
			}
			b.reset(cols)
			b.first = c.rowsRead + 1
		}
		if len(vals) != cols {
			return fmt.Errorf("row %d has %d values, want %d", c.rowsRead+1, len(vals), cols)
		}
		c.rowsRead++
		for _, v := range vals {
			if v == nil {
				b.offs = append(b.offs, -1, -1)
				continue
			}
			s := len(b.arena)
			b.arena = append(b.arena, v...)
			b.offs = append(b.offs, s, len(b.arena))
		}
		b.rows++
		if b.rows >= c.o.BatchRows || len(b.arena) >= 4<<20 {
			return send()
		}
		return nil
	})
	if err == nil && b != nil && b.rows > 0 {
		err = send()
	}
	return err
}

// maskStats are one worker's counts.
type maskStats struct {
	values, masked, findings int64
	byRule                   counter[*masking.CompiledRule]
	byType                   counter[pi.TypeID]
	fit                      []int64 // per column: values masked to fit (MaskedToFit)
}

func (s *maskStats) addTo(sum *TableSummary) {
	sum.Values += s.values
	sum.ValuesMasked += s.masked
	sum.Findings += s.findings
	for i, r := range s.byRule.keys {
		sum.ByRule[r.Name] += s.byRule.n[i]
	}
	for i, t := range s.byType.keys {
		sum.ByType[t] += s.byType.n[i]
	}
}

// counter counts keys in two short slices: a job sees a handful of rules
// and types, and comparing a pointer or a constant string with each is
// cheaper than hashing a string per value.
type counter[K comparable] struct {
	keys []K
	n    []int64
}

func (c *counter[K]) inc(k K) {
	for i := range c.keys {
		if c.keys[i] == k {
			c.n[i]++
			return
		}
	}
	c.keys = append(c.keys, k)
	c.n = append(c.n, 1)
}

// maskWorker masks batches with its own Masker.
type maskWorker struct {
	c       *tableCopy
	m       *masking.Masker
	st      *maskStats
	matches []pi.Match
	// cache holds recent outputs, direct-mapped by a hash of rule, type and
	// value: rules are deterministic here (no shift_date subject), values
	// repeat (the same mobile in its column and in a note, one customer's ID
	// in consecutive orders), and a format-preserving token costs far more
	// than a hash. Slots reuse their buffers: no allocation once warm.
	cache  [cacheSlots]cacheSlot
	values [cacheSlots]valueSlot
	seed   maphash.Seed
	// types and rules record what the value being masked counted, for
	// the value cache.
	types []pi.TypeID
	rules []*masking.CompiledRule
	// colRules are the rules found per column and type, so a value's rule
	// is found without hashing the table, column and type names.
	colRules [][]colRule
	// valueUse says, per column, whether the value cache pays off.
	valueUse []cacheUse
	// tok and hash mask unique columns injectively (tableCopy.uniq); made
	// from CopyOptions.Key when first needed.
	tok  *masking.Tokenize
	hash *masking.Hash
}

// cacheUse tracks a cache's hits on one stream of values (a column). A
// column of distinct values (IDs, e-mails, timestamps) gains nothing from
// the cache but pays for hashing, comparing and storing every value, so
// after a window of values with almost no hits the column skips the cache;
// after a longer rest it tries again, in case the values start repeating.
type cacheUse struct {
	off     bool
	n, hits int
}

const (
	cacheWindow = 4096             // values looked up before judging a column
	cacheRest   = 16 * cacheWindow // values skipping the cache before trying again
)

// useValueCache reports whether column i's next value goes through the
// value cache.
func (w *maskWorker) useValueCache(i int) bool {
	if w.valueUse == nil {
		w.valueUse = make([]cacheUse, len(w.c.t.Columns))
	}
	return w.valueUse[i].next()
}

// next reports whether the next lookup goes through the cache.
func (u *cacheUse) next() bool {
	u.n++
	if u.off {
		if u.n >= cacheRest {
			*u = cacheUse{}
		}
		return false
	}
	if u.n >= cacheWindow {
		u.off = u.hits < cacheWindow/32
		u.n, u.hits = 0, 0
	}
	return true
}

type colRule struct {
	t    pi.TypeID
	g    pi.Grade
	rule *masking.CompiledRule
}

// rule is w.m.Rule for column i of the table.
func (w *maskWorker) rule(i int, t pi.TypeID, g pi.Grade) *masking.CompiledRule {
	if w.colRules == nil {
		w.colRules = make([][]colRule, len(w.c.t.Columns))
	}
	for _, cr := range w.colRules[i] {
		if cr.t == t && cr.g == g {
			return cr.rule
		}
	}
	r := w.m.Rule(w.c.t.Label, w.c.t.Columns[i].Name, t, g)
	if i < len(w.c.subst) && w.c.subst[i] && !injective(r) {
		r = w.c.uniq
	}
	w.colRules[i] = append(w.colRules[i], colRule{t, g, r})
	return r
}

// injective appends the injective masking of v (type t) for a unique
// column: a format-preserving token (the same as a tokenize rule with the
// aes-256 cipher makes), or where the value does not fit a token format (too
// few letters and digits) a keyed hash of 16 hex digits.
func (w *maskWorker) injective(dst []byte, t pi.TypeID, v []byte) ([]byte, error) {
	if w.tok == nil {
		var err error
		if w.tok, err = masking.NewTokenize(w.c.o.Key, "aes-256", fpe.FormatAuto); err != nil {
			return dst, err
		}
		if w.hash, err = masking.NewHash(w.c.o.Key, "hmac-sha256", false, 16); err != nil {
			return dst, err
		}
	}
	if out, err := w.tok.Apply(dst, t, v); err == nil {
		return out, nil
	}
	return w.hash.Apply(dst, t, v)
}

const cacheSlots = 1024

type cacheSlot struct {
	rule *masking.CompiledRule
	t    pi.TypeID
	null bool
	in   []byte
	out  []byte
}

// apply appends rule's output for v (type t) to dst, from the cache when it
// can. null means ErrNull.
func (w *maskWorker) apply(dst []byte, rule *masking.CompiledRule, t pi.TypeID, v []byte) ([]byte, bool, error) {
	sl := &w.cache[maphash.Bytes(w.seed, v)%cacheSlots]
	if sl.rule == rule && sl.t == t && bytes.Equal(sl.in, v) {
		return append(dst, sl.out...), sl.null, nil
	}
	s := len(dst)
	var out []byte
	var err error
	if rule == w.c.uniq {
		out, err = w.injective(dst, t, v)
	} else {
		out, err = rule.Apply(dst, t, nil, v)
	}
	null := errors.Is(err, masking.ErrNull)
	if err != nil && !null {
		return dst, false, err
	}
	if null {
		out = dst[:s]
	}
	sl.rule, sl.t, sl.null = rule, t, null
	sl.in = append(sl.in[:0], v...)
	sl.out = append(sl.out[:0], out[s:]...)
	return out, null, nil
}

// maskBatch writes the masked rows of in to out.
func (w *maskWorker) maskBatch(in, out *batch) error {
	c := w.c
	out.reset(in.cols)
	out.first = in.first
	for r := range in.rows {
		vals := in.row(r)
		for i, v := range vals {
			if v == nil {
				out.offs = append(out.offs, -1, -1)
				continue
			}
			w.st.values++
			s := len(out.arena)
			if c.fields[i] == nil || len(v) == 0 {
				out.arena = append(out.arena, v...)
				out.offs = append(out.offs, s, len(out.arena))
				continue
			}
			res, null, err := w.maskCached(out.arena, i, v)
			if err != nil {
				return fmt.Errorf("row %d, column %s: %w", in.first+int64(r), c.t.Columns[i].Name, err)
			}
			out.arena = res
			if !null {
				out.offs = append(out.offs, s, len(out.arena))
				continue
			}
			out.arena = out.arena[:s]
			switch {
			case !c.notNull[i]:
				out.offs = append(out.offs, -1, -1)
			case c.t.Columns[i].Text:
				out.offs = append(out.offs, s, s) // NOT NULL text: empty instead
			default:
				return fmt.Errorf("row %d, column %s: the rule made the value NULL (or a value the column type cannot hold) and the column is NOT NULL",
					in.first+int64(r), c.t.Columns[i].Name)
			}
		}
		out.rows++
	}
	return nil
}

// maxCachedValue is the longest value the value cache keeps: short values
// repeat (names, cities, statuses, one customer's ID in many rows), long
// free text rarely does.
const maxCachedValue = 128

// valueSlot is one entry of the value cache: a column's value, its masked
// output and what masking it counted, replayed on a hit so the summary
// stays exact.
type valueSlot struct {
	ok, null, masked bool
	col              int
	in, out          []byte
	types            []pi.TypeID
	rules            []*masking.CompiledRule
}

// maskCached is mask with a direct-mapped cache by column and value:
// detection and masking are deterministic for a column's value, so a
// repeated value skips both. Columns whose values do not repeat skip the
// cache (useValueCache).
func (w *maskWorker) maskCached(dst []byte, i int, v []byte) ([]byte, bool, error) {
	if len(v) > maxCachedValue || !w.useValueCache(i) {
		return w.mask(dst, i, v)
	}
	sl := &w.values[(maphash.Bytes(w.seed, v)+uint64(i)*0x9e3779b97f4a7c15)%cacheSlots]
	if sl.ok && sl.col == i && bytes.Equal(sl.in, v) {
		w.valueUse[i].hits++
		w.st.findings += int64(len(sl.types))
		for _, t := range sl.types {
			w.st.byType.inc(t)
		}
		for _, r := range sl.rules {
			w.st.byRule.inc(r)
		}
		if sl.masked {
			w.st.masked++
		}
		return append(dst, sl.out...), sl.null, nil
	}
	before := w.st.masked
	s := len(dst)
	out, null, err := w.mask(dst, i, v)
	if err != nil {
		sl.ok = false
		return out, null, err
	}
	sl.ok, sl.col, sl.null, sl.masked = true, i, null, w.st.masked > before
	sl.in = append(sl.in[:0], v...)
	if null {
		sl.out = sl.out[:0]
	} else {
		sl.out = append(sl.out[:0], out[s:]...)
	}
	sl.types = append(sl.types[:0], w.types...)
	sl.rules = append(sl.rules[:0], w.rules...)
	return out, null, nil
}

// mask appends the de-identified v (column i) to dst. null means the value
// is to become NULL.
func (w *maskWorker) mask(dst []byte, i int, v []byte) ([]byte, bool, error) {
	w.types, w.rules = w.types[:0], w.rules[:0] // what this value counts, for maskCached
	c := w.c
	col := &c.t.Columns[i]
	ms := c.fields[i].Scan(v, w.matches[:0])
	w.matches = ms
	s := len(dst)
	if len(ms) == 0 {
		t := c.whole[i]
		if t == "" {
			return append(dst, v...), false, nil
		}
		rule := w.rule(i, t, pi.DefaultGrade(t))
		out, null, err := w.apply(dst, rule, t, v)
		w.st.byRule.inc(rule)
		w.rules = append(w.rules, rule)
		w.st.masked++
		if null {
			return dst[:s], true, nil
		}
		if err != nil {
			return out, false, err
		}
		return w.fit(out, s, i, v, nil)
	}
	pos := 0
	for _, m := range ms {
		w.st.findings++
		w.st.byType.inc(m.Type)
		w.types = append(w.types, m.Type)
		if m.Start < pos {
			continue // a second type for the same span (minor beside cn_id_card)
		}
		dst = append(dst, v[pos:m.Start]...)
		rule := w.rule(i, m.Type, m.Grade)
		out, null, err := w.apply(dst, rule, m.Type, v[m.Start:m.End])
		w.st.byRule.inc(rule)
		w.rules = append(w.rules, rule)
		if null {
			w.st.masked++
			return dst[:s], true, nil
		}
		if err != nil {
			return dst, false, err
		}
		dst = out
		pos = m.End
	}
	dst = append(dst, v[pos:]...)
	w.st.masked++
	if !col.Text && !sameShape(v, dst[s:]) {
		// A number or date column cannot hold "138****5678". A typed
		// equivalent is kept where there is one (a DATE generalised to
		// its year's first day, an inet to its network); otherwise the
		// value goes rather than leaks.
		if typed, ok := typedFallback(col.Type, v, dst[s:]); ok {
			return append(dst[:s], typed...), false, nil
		}
		return dst[:s], true, nil
	}
	if col.Text && !utf8x.Valid(dst[s:]) {
		return dst, false, errors.New("masked value is not valid UTF-8")
	}
	return w.fit(dst, s, i, v, ms)
}

// fit checks that the masked value dst[s:] of column i fits the column's
// length on the target. One that does not (a replacement tag in a short
// column whose sample held no such type, so it was not widened) is masked
// again character for character, which keeps the length: the value is
// hidden either way, and the copy does not fail part way. In a unique
// column that could merge distinct values, so it is an error there.
func (w *maskWorker) fit(dst []byte, s, i int, v []byte, ms []pi.Match) ([]byte, bool, error) {
	lim := 0
	if i < len(w.c.limit) { // nil in tests that build a tableCopy by hand
		lim = w.c.limit[i]
	}
	if lim == 0 || len(dst)-s <= lim || utf8.RuneCount(dst[s:]) <= lim {
		return dst, false, nil // bytes ≥ characters: most values stop at the length test
	}
	if w.c.unique[i] {
		return dst, false, fmt.Errorf("the masked value has %d characters and the unique column holds %d: widen the column or give it a rule that keeps lengths (tokenize)", utf8.RuneCount(dst[s:]), lim)
	}
	w.st.fit[i]++
	mask := masking.NewMask()
	dst = dst[:s]
	if len(ms) == 0 {
		return must(mask.Apply(dst, w.c.whole[i], v)), false, nil
	}
	pos := 0
	for _, m := range ms {
		if m.Start < pos {
			continue
		}
		dst = append(dst, v[pos:m.Start]...)
		dst = must(mask.Apply(dst, m.Type, v[m.Start:m.End]))
		pos = m.End
	}
	return append(dst, v[pos:]...), false, nil
}

// must returns b: Mask never fails.
func must(b []byte, _ error) []byte { return b }

// typedFallback gives a value of a non-character column whose masked form
// does not fit the column something that does: a DATE (YYYY-MM-DD) becomes
// January 1 of its year, which is what generalising a birth date to its year
// means in a date column; an inet or cidr column takes a masked address that
// is still an address or network (10.1.2.0/24).
func typedFallback(typ string, v, masked []byte) ([]byte, bool) {
	typ = strings.ToLower(typ)
	switch {
	case strings.Contains(typ, "inet") || strings.Contains(typ, "cidr"):
		if _, _, err := net.ParseCIDR(string(masked)); err == nil {
			return masked, true
		}
		if net.ParseIP(string(masked)) != nil {
			return masked, true
		}
	case typ == "date" && len(v) == 10 && v[4] == '-' && v[7] == '-':
		return append(append([]byte(nil), v[:4]...), "-01-01"...), true
	}
	return nil, false
}

// sameShape reports whether b has a's layout: digits where a has digits and
// the same other bytes.
func sameShape(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		da, db := a[i]-'0' < 10, b[i]-'0' < 10
		if da != db || !da && a[i] != b[i] {
			return false
		}
	}
	return true
}
