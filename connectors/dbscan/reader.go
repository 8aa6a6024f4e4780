package dbscan

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/piiscan/piiscan/internal/utf8x"
	"github.com/piiscan/piiscan/scanner"
)

// Dialect is what a database package supplies to the shared Reader.
type Dialect interface {
	// Session opens a connection in a read-only transaction with the
	// statement timeout set, for reading one table.
	Session(ctx context.Context) (Session, error)
	// Retryable reports whether err means the connection was lost (so the
	// read resumes on a new session) rather than the statement failing.
	Retryable(err error) bool
	// Select writes the query for one read of t. Its result has t.Key's
	// value first when t.Key != "" (the row's physical address instead for
	// a Read.Tid; nothing with Read.KeyFromColumn), then one value per
	// t.Columns (NULL for Skip columns), rendered as text except Binary
	// columns (raw bytes).
	Select(t *Table, r *Read) (string, []any)
	// Extent writes a query returning min(col) and max(col) as text.
	Extent(t *Table, col string) string
	// PlanSample sets p up to read a sample of t (p.Segments holds the whole
	// key range, when t has a key). rnd is the table's random source.
	PlanSample(ctx context.Context, s Session, t *Table, smp Sample, p *Plan, rnd *rand.Rand) error
	Close() error
}

// PhysicalDialect is implemented by dialects that can read Physical tables
// in storage order by block ranges (PostgreSQL: TID range scans on ctid).
// Full reads use it: a sequential scan is several times faster than walking
// the primary-key index, and the physical address of the last row read
// makes resuming exact all the same.
type PhysicalDialect interface {
	// Blocks writes a query returning the table's size in blocks as text.
	Blocks(t *Table) string
	// Timeout reports whether err is the statement timeout: a physical
	// read that made progress resumes after it.
	Timeout(err error) bool
	// Tid decodes the physical address Select puts first in a row read by
	// block ranges (Read.Tid), in whatever format the dialect asked for it.
	Tid(v []byte) (Tid, bool)
}

// Session is one connection in a read-only transaction.
type Session interface {
	// Rows runs q and calls row for each row with its values (nil for NULL),
	// borrowed until row returns. An error from row stops the query.
	Rows(ctx context.Context, q string, args []any, row func(vals [][]byte) error) error
	Close()
}

// RowBuffer is implemented by sessions whose rows' values (those not NULL
// or empty) lie in one buffer, in column order, with at most maxGap bytes
// between one and the next: pgx decodes a row that way, pointing into its
// wire message. The reader then copies a row with one copy instead of one
// per value.
type RowBuffer interface {
	Session
	OneBufferRows()
}

// Read is one statement's share of a table.
type Read struct {
	// Key bounds (inclusive) on Table.Key, when HasKey.
	HasKey       bool
	KeyLo, KeyHi int64
	// Updated-at bounds: UpdCol > UpdLo (when UpdLo != "") and UpdCol <= UpdHi.
	UpdCol, UpdLo, UpdHi string
	// Sample is a PostgreSQL TABLESAMPLE clause; Method "" means none.
	Sample SampleClause
	// RandomPercent, when > 0, keeps each row with that probability (for
	// views, which TABLESAMPLE cannot sample, and MySQL tables without an
	// integer key).
	RandomPercent float64
	// RandomSeed, when not 0, seeds that choice where the dialect can (MySQL
	// RAND(seed)): a restarted statement keeps the same rows, in order.
	RandomSeed int64
	Limit      int64 // 0: none
	Ordered    bool  // ORDER BY Table.Key
	// Tid, when set, reads a block range in storage order and puts the
	// row's physical address (as PhysicalDialect.Tid decodes it) first
	// instead of the key.
	Tid *TidRange
	// KeyFromColumn: Select puts nothing before the columns, neither the
	// key nor a Tid read's physical address. The reader sets it when the
	// key is one of the columns read, and takes each row's key from its
	// column: a value selected twice cost the server about a tenth more
	// per row of bench_people (bare pgx loop, SELECT id, id, ... against
	// SELECT id, ...), and the address, which a plain column list does not
	// need projected, more still (readPhysicalByKey).
	KeyFromColumn bool
}

// AppendTail finishes a dialect's SELECT: the WHERE conditions (ANDed),
// ORDER BY the key (quoted by the dialect) when r.Ordered, and LIMIT.
func (r *Read) AppendTail(b *strings.Builder, conds []string, quotedKey string) {
	if len(conds) > 0 {
		b.WriteString(" WHERE ")
		b.WriteString(strings.Join(conds, " AND "))
	}
	if r.Ordered && quotedKey != "" {
		b.WriteString(" ORDER BY ")
		b.WriteString(quotedKey)
	}
	if r.Limit > 0 {
		b.WriteString(" LIMIT ")
		b.WriteString(strconv.FormatInt(r.Limit, 10))
	}
}

// TidRange is a range of blocks, or the rows after a physical address.
type TidRange struct {
	From, To int64 // blocks [From, To); To < 0: to the end of the table
	// After, when HasAfter, replaces From: only rows past this address.
	After    Tid
	HasAfter bool
}

// Tid is a row's physical address.
type Tid struct{ Block, Offset int64 }

// SampleClause is TABLESAMPLE Method (Percent) REPEATABLE (Seed): the same
// seed gives the same sample, so a read that resumes after a lost connection
// continues over the same rows.
type SampleClause struct {
	Method  string // "SYSTEM", "BERNOULLI" or ""
	Percent float64
	Seed    int32
}

// Plan is how one table is read, fixed before its first row so that retries
// read the same rows.
type Plan struct {
	// Segments are inclusive key ranges read in order, each keyset-paginated
	// in chunks; tables without a key are read by one statement.
	Segments []Segment
	Limit    int64 // rows for the whole table; 0 means no cap
	Read     Read  // template: updated-at bounds, sample clause
	// Full is true when the plan reads every row past the watermark, so the
	// watermark may advance.
	Full bool
	// Empty plans read nothing (no rows past the watermark).
	Empty bool
	// Keep, when > 0, keeps exactly Keep of the Of rows that the table's
	// statements return (the one statement of a table without a key, or
	// the chunks of a single key segment), each Keep-subset equally likely
	// (selection sampling, Knuth's Algorithm S: no buffer). With a
	// repeatable sample (Read.Sample, or Read.RandomPercent with RandomSeed)
	// it samples exactly N rows without a LIMIT cutting the read short
	// before the end of the table: the dialect counts the Of rows the
	// sample passes, the statements return the same rows again, and
	// KeepSeed repeats the choice when a lost connection restarts one.
	Keep, Of int64
	KeepSeed uint64
	// Blocks is the table's size when it is read in physical order (see
	// PhysicalDialect); Physical says it is.
	Physical bool
	Blocks   int64
	// keyLo and keyHi are the key's extent when the table has one (and
	// keyRange is set): a physical read by key (readPhysicalByKey) notes
	// the keys it read in a bitmap over it.
	keyLo, keyHi int64
	keyRange     bool
	mark         *Watermark
	// incremental: only rows past an earlier watermark are read.
	incremental bool
}

// Segment is an inclusive key range with an optional row cap.
type Segment struct {
	Lo, Hi int64
	Limit  int64
}

// TableResult is what happened to one table; read it after Next returned io.EOF.
type TableResult struct {
	Source  string
	Table   string
	Rows    int64  // rows emitted
	Retries int    // reads resumed after a lost connection
	Sample  string // "full", "N" or "P%" as planned
	Err     error  // nil, or why the table could not be read (completely)
	// Incremental is true when only rows past the state's watermark were
	// read; a table without a watermark column is read in full every time.
	Incremental bool
	mark        *Watermark
}

// Reader is the scanner.Source both database packages return: it reads the
// tables of a Catalogue through a Dialect, Parallel tables at a time, into
// bounded buffers, and emits their rows table by table in catalogue order.
type Reader struct {
	d      Dialect
	opts   Options
	cat    Catalogue
	secret string
	state  *State

	ctx     context.Context
	cancel  context.CancelFunc
	once    sync.Once
	started atomic.Bool
	wg      sync.WaitGroup
	chans   []chan *batch
	res     []TableResult
	// free holds released batches for the next get. A sync.Pool drops
	// its batches at every GC, and a new batch's arena and spans (1.7 MiB
	// at 7 columns) cost page faults and zeroing to fill again. The
	// batches alive at once are bounded (Parallel tables' queues and what
	// the engine holds), so free is too.
	freeMu sync.Mutex
	free   []*batch
	bytes  atomic.Int64
	seed   uint64

	ti int
	// cur is the block Next is giving out, row by row.
	cur *scanner.Block
	row int
	eof bool
	// cols are each table's columns as blocks name them (NextBlock).
	cols [][]scanner.BlockColumn
	// pending is the error NextBlock returns after its table's last block.
	pending error
}

var (
	_ scanner.Source      = (*Reader)(nil)
	_ scanner.BlockSource = (*Reader)(nil)
	_ scanner.ByteCounter = (*Reader)(nil)
	_ scanner.Incremental = (*Reader)(nil)
)

// NewReader makes a Reader of cat's tables. secret is the password, scrubbed
// from every error. The reader owns d and closes it.
func NewReader(ctx context.Context, d Dialect, cat Catalogue, opts Options, secret string) (*Reader, error) {
	opts = opts.WithDefaults()
	r := &Reader{d: d, opts: opts, cat: cat, secret: secret, seed: opts.Seed}
	if r.seed == 0 {
		r.seed = rand.Uint64()
	}
	if opts.State != "" {
		st, err := LoadState(opts.State)
		if err != nil {
			return nil, err
		}
		r.state = st
	}
	r.ctx, r.cancel = context.WithCancel(ctx)
	r.chans = make([]chan *batch, len(cat.Tables))
	r.res = make([]TableResult, len(cat.Tables))
	r.cols = make([][]scanner.BlockColumn, len(cat.Tables))
	for i := range cat.Tables {
		for _, c := range cat.Tables[i].Columns {
			r.cols[i] = append(r.cols[i], scanner.BlockColumn{Name: c.Name, Comment: c.Comment})
		}
		r.chans[i] = make(chan *batch, 4)
		r.res[i] = TableResult{Source: cat.Tables[i].Source, Table: cat.Tables[i].Label, Sample: opts.Sample.String()}
	}
	return r, nil
}

// Catalogue is what discovery selected for this scan.
func (r *Reader) Catalogue() Catalogue { return r.cat }

// Results reports per table rows, retries and errors. Call it after Next
// returned io.EOF.
func (r *Reader) Results() []TableResult { return r.res }

// Incremental implements scanner.Incremental: whether the table's rows in
// this scan were only those past its watermark. Asked once the reading is
// done (the engine builds its report after the last record).
func (r *Reader) Incremental(source, table string) bool {
	for i := range r.res {
		if res := &r.res[i]; res.Source == source && res.Table == table {
			return res.Incremental
		}
	}
	return false
}

// BytesRead is the number of value bytes read from the server.
func (r *Reader) BytesRead() int64 { return r.bytes.Load() }

// start launches the table readers: at most Parallel at once, started in
// catalogue order so the table Next waits for is always running.
func (r *Reader) start() {
	r.started.Store(true)
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		sem := make(chan struct{}, r.opts.Parallel)
		for i := range r.cat.Tables {
			select {
			case sem <- struct{}{}:
			case <-r.ctx.Done():
				for j := i; j < len(r.chans); j++ {
					close(r.chans[j])
				}
				return
			}
			r.wg.Add(1)
			go func() {
				defer r.wg.Done()
				defer func() { <-sem }()
				r.readTable(i)
			}()
		}
	}()
}

// Next fills rec with the next row, taken from the blocks NextBlock gives.
// A table that could not be read (fully) yields one *scanner.InputError
// after the rows it did give, then the scan goes on with the next table.
func (r *Reader) Next(rec *scanner.Record) error {
	for r.cur == nil || r.row >= r.cur.Rows {
		if r.cur != nil {
			r.cur.Release()
			r.cur = nil
		}
		blk, err := r.NextBlock()
		if err != nil {
			return err
		}
		r.cur, r.row = blk, 0
	}
	fill(rec, r.cur, r.row)
	r.row++
	return nil
}

// NextBlock implements scanner.BlockSource: a batch of rows as the table's
// reader copied them, which goes back to the pool when the engine releases
// it. A table that could not be read (fully) yields one *scanner.InputError
// after its rows. Next and NextBlock are not mixed.
func (r *Reader) NextBlock() (*scanner.Block, error) {
	r.once.Do(r.start)
	for {
		if err := r.pending; err != nil {
			r.pending = nil
			return nil, err
		}
		if r.ti >= len(r.chans) {
			r.eof = true
			return nil, io.EOF
		}
		b, ok := <-r.chans[r.ti]
		if !ok {
			r.ti++
			continue
		}
		t := &r.cat.Tables[r.ti]
		if b.err != nil {
			r.pending = &scanner.InputError{Source: t.Source, Offset: -1, Err: b.err}
		}
		if b.rows == 0 {
			r.release(b)
			continue
		}
		b.blk = scanner.Block{Source: t.Source, Table: t.Label, First: b.first, Rows: b.rows,
			Columns: r.cols[r.ti], Values: b.arena, Spans: b.spans, RowBytes: b.rowBytes, Release: b.done}
		return &b.blk, nil
	}
}

// fill makes rec row i of blk, as scanner.Block describes it.
func fill(rec *scanner.Record, blk *scanner.Block, i int) {
	rec.Source = blk.Source
	rec.Table = blk.Table
	rec.Number = blk.First + int64(i)
	n := len(blk.Columns)
	sp := blk.Spans[i*n : i*n+n]
	for j := range sp {
		if sp[j].Off < 0 || sp[j].Off == sp[j].End {
			continue
		}
		c := &blk.Columns[j]
		rec.Fields = append(rec.Fields, scanner.Field{Name: c.Name, Comment: c.Comment, Value: blk.Values[sp[j].Off:sp[j].End]})
	}
}

// Close stops the readers and closes the connections.
func (r *Reader) Close() error {
	r.cancel()
	r.once.Do(func() {}) // no reader may start after Close
	if !r.started.Load() {
		return r.d.Close()
	}
	for _, ch := range r.chans {
		go func() {
			for b := range ch { // unblock readers waiting to send
				r.release(b)
			}
		}()
	}
	r.wg.Wait()
	return r.d.Close()
}

// CommitState writes the new watermarks of the tables read completely to the
// state file, atomically. Call it only after the whole scan succeeded (the
// engine finished and its outputs were written): a crash before leaves the
// old state, and the next run reads the same rows again.
func (r *Reader) CommitState() error {
	if r.opts.State == "" {
		return nil
	}
	if !r.eof {
		return errors.New("state not written: the scan did not finish")
	}
	// Reload: only this scan's tables change. Shards running at once should
	// still use a state file each: two processes saving one file race.
	st, err := LoadState(r.opts.State)
	if err != nil {
		return err
	}
	for _, res := range r.res {
		if res.mark != nil {
			st.Tables[res.Source] = *res.mark
		}
	}
	return st.Save(r.opts.State)
}

// batch is a run of rows of one table, copied out of the driver's buffers.
type batch struct {
	arena []byte
	spans []scanner.Span // rows × columns; Off < 0: NULL or skipped
	// rowBytes are each row's value bytes (scanner.Block.RowBytes).
	rowBytes []int
	rows     int
	// values is the bytes of the values in arena, which also holds the
	// driver's length prefixes between them (copyRow).
	values int
	first  int64 // record number of row 0
	err    error // set on a table's last batch when it failed
	// blk is the batch as NextBlock hands it out; done releases the batch
	// (made once, when the batch is, so a block costs no allocation).
	blk  scanner.Block
	done func()
}

// A batch is handed from a table's reader goroutine to NextBlock when it holds
// batchRows rows or batchBytes of values. Each hand-off may wake a sleeping
// thread; at 256 rows these wake-ups cost the client about twice the CPU of a
// bare pgx loop, at 4096 rows about 1.7 times. With 4 batches queued per
// table, a table in flight holds at most ~5 MiB.
const (
	batchRows  = 4096
	batchBytes = 1 << 20
)

// get returns a free batch for rows of n columns: its spans hold batchRows
// rows from the start (up to 1 MiB of them: a wide table's batch is
// usually cut by batchBytes first), which growing them row by row (emit)
// copied about as many spans again and touched new memory at each doubling.
func (r *Reader) get(n int) *batch {
	r.freeMu.Lock()
	if k := len(r.free); k > 0 {
		b := r.free[k-1]
		r.free[k-1] = nil
		r.free = r.free[:k-1]
		r.freeMu.Unlock()
		return b
	}
	r.freeMu.Unlock()
	b := &batch{arena: make([]byte, 0, batchBytes+batchBytes/4), spans: make([]scanner.Span, 0, min(batchRows*n, 1<<16)),
		rowBytes: make([]int, 0, batchRows)}
	b.done = func() { r.release(b) }
	return b
}

func (r *Reader) release(b *batch) {
	b.arena, b.spans, b.rowBytes, b.rows, b.values, b.err, b.blk = b.arena[:0], b.spans[:0], b.rowBytes[:0], 0, 0, nil, scanner.Block{}
	r.freeMu.Lock()
	r.free = append(r.free, b)
	r.freeMu.Unlock()
}

// tableRead is the progress of one table, kept across retries.
type tableRead struct {
	plan     *Plan
	seg      int   // current segment
	after    int64 // last key emitted
	hasAfter bool
	segRows  int64      // rows emitted in the current segment
	rows     int64      // rows emitted in the table
	capped   bool       // stopped by the table's row cap
	sel      *selection // Plan.Keep's choice, kept across chunks and retries
	block    int64      // next block range of a physical read
	tid      Tid        // last physical address emitted
	hasTid   bool

	// keyCol is the index in the table's columns of its key, when the key
	// is one of the columns read (else -1): reads take the key from there
	// (Read.KeyFromColumn).
	keyCol int
	// physTries counts the physical reads of the table begun; seen holds
	// the keys the first one read when it read by key (readPhysicalByKey),
	// which the reads after it pass over.
	physTries int
	seen      *keySet

	out chan *batch
	b   *batch
	n   int    // columns
	bin []bool // which columns are Binary; nil when none is
	// oneBuf: the session is a RowBuffer.
	oneBuf bool
}

func (r *Reader) readTable(i int) {
	t := &r.cat.Tables[i]
	res := &r.res[i]
	tr := &tableRead{out: r.chans[i], n: len(t.Columns), keyCol: -1}
	for j, c := range t.Columns {
		if t.Key != "" && c.Name == t.Key && !c.Skip {
			tr.keyCol = j
		}
		if !c.Binary {
			continue
		}
		if tr.bin == nil {
			tr.bin = make([]bool, len(t.Columns))
		}
		tr.bin[j] = true
	}
	defer close(tr.out)
	if len(t.Columns) == 0 {
		res.Err = &DeniedError{Columns: t.Denied, All: true}
		tr.b = r.get(tr.n)
		tr.b.err = res.Err
		r.flush(tr)
		return
	}
	h := fnv.New64a()
	h.Write([]byte(t.Source))
	rnd := rand.New(rand.NewPCG(r.seed, h.Sum64()))
	for attempt := 0; ; attempt++ {
		at := tr.mark()
		err := r.tryTable(t, tr, rnd)
		if err == nil {
			err = r.flush(tr)
		}
		res.Rows = tr.rows
		res.Incremental = tr.plan != nil && tr.plan.incremental
		if err == nil && len(t.Denied) > 0 {
			// Read, but not all of it: the gap is the table's result. The
			// watermark stays, so the columns are read in full once granted.
			res.Err = &DeniedError{Columns: t.Denied}
			tr.b = r.get(tr.n)
			tr.b.err = res.Err
			r.flush(tr)
			return
		}
		if err == nil {
			if tr.plan.Full && tr.plan.mark != nil {
				m := *tr.plan.mark
				if tr.capped {
					// Rows came in key order: everything up to the last key is read.
					if m.Kind == "key" && tr.hasAfter && !tr.plan.Physical {
						m.Value = fmt.Sprint(tr.after)
						res.mark = &m
					}
				} else {
					res.mark = &m
				}
			}
			return
		}
		if r.ctx.Err() != nil {
			return
		}
		var perm *permanent
		var resume *resumable
		if !errors.As(err, &resume) && (attempt >= r.opts.Retries || errors.As(err, &perm) || !r.d.Retryable(err)) {
			res.Err = fmt.Errorf("read stopped after %d rows: %w", tr.rows, Scrub(err, r.secret))
			if tr.b == nil {
				tr.b = r.get(tr.n)
			}
			tr.b.err = res.Err
			r.flush(tr)
			return
		}
		res.Retries++
		if tr.movedSince(at) { // progress since the last failure: a fresh budget
			attempt = 0
		}
		wait := r.opts.RetryBackoff << min(attempt, 6)
		select {
		case <-time.After(min(wait, 10*time.Second)):
		case <-r.ctx.Done():
			return
		}
	}
}

// tryTable reads t from where tr stands on a new session.
func (r *Reader) tryTable(t *Table, tr *tableRead, rnd *rand.Rand) (err error) {
	ctx := r.ctx
	s, err := r.d.Session(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	_, tr.oneBuf = s.(RowBuffer)
	if tr.plan == nil {
		p, err := r.plan(ctx, s, t, rnd)
		if err != nil {
			return err
		}
		tr.plan = p
	}
	p := tr.plan
	if p.Empty {
		return nil
	}
	defer func() {
		// Rows already read are real rows: pass them on even when the
		// statement then failed; the retry resumes after them.
		if ferr := r.flush(tr); err == nil {
			err = ferr
		}
	}()
	left := func() int64 {
		if p.Limit <= 0 {
			return -1
		}
		return p.Limit - tr.rows
	}
	if p.Physical {
		return r.readPhysical(ctx, s, t, tr, left)
	}
	if t.Key == "" {
		rd := p.Read
		rd.Limit = p.Limit
		skip := tr.rows // a restarted statement returns the same rows first
		var sel selection
		if p.Keep > 0 {
			rd.Limit = p.Of
			sel = selection{keep: p.Keep, of: p.Of, rnd: rand.New(rand.NewPCG(p.KeepSeed, 0))}
		}
		q, args := r.d.Select(t, &rd)
		err := s.Rows(ctx, q, args, func(vals [][]byte) error {
			if p.Keep > 0 {
				if sel.keep == 0 {
					return errEnough
				}
				if !sel.next() {
					return nil
				}
			}
			if skip > 0 {
				skip--
				return nil
			}
			return r.emit(tr, vals)
		})
		if err == errEnough {
			err = nil
		}
		return err
	}
	for tr.seg < len(p.Segments) {
		seg := p.Segments[tr.seg]
		lo := seg.Lo
		if tr.hasAfter && tr.after >= lo {
			if tr.after == seg.Hi {
				tr.seg, tr.segRows = tr.seg+1, 0
				continue
			}
			lo = tr.after + 1
		}
		limit := int64(r.opts.ChunkRows)
		if seg.Limit > 0 {
			limit = min(limit, seg.Limit-tr.segRows)
		}
		if l := left(); l >= 0 {
			if p.Keep == 0 { // else rows passed over count against the LIMIT too
				limit = min(limit, l)
			}
			if l == 0 {
				tr.capped = true
				return nil
			}
		}
		if limit <= 0 || lo > seg.Hi {
			tr.seg, tr.segRows = tr.seg+1, 0
			continue
		}
		rd := p.Read
		rd.HasKey, rd.KeyLo, rd.KeyHi = true, lo, seg.Hi
		rd.Limit, rd.Ordered = limit, true
		// The key comes first, or from its column (KeyFromColumn).
		keyAt, cols := 0, 1
		if tr.keyCol >= 0 {
			rd.KeyFromColumn = true
			keyAt, cols = tr.keyCol, 0
		}
		q, args := r.d.Select(t, &rd)
		if p.Keep > 0 && tr.sel == nil {
			tr.sel = &selection{keep: p.Keep, of: p.Of, rnd: rand.New(rand.NewPCG(p.KeepSeed, 0))}
		}
		var got int64
		err := s.Rows(ctx, q, args, func(vals [][]byte) error {
			k, ok := parseInt(vals[keyAt])
			if !ok {
				return keyNotInteger(t)
			}
			if tr.sel != nil {
				if tr.sel.keep == 0 {
					return errEnough
				}
				if !tr.sel.next() {
					// Passed over for good: a retry resumes after it, with
					// the selection's state past it.
					tr.after, tr.hasAfter = k, true
					got++
					return nil
				}
			}
			if err := r.emit(tr, vals[cols:]); err != nil {
				return err
			}
			tr.after, tr.hasAfter = k, true
			tr.segRows++
			got++
			return nil
		})
		if err == errEnough {
			tr.seg, err = len(p.Segments), nil
		}
		if err != nil {
			return err
		}
		if got < limit {
			tr.seg, tr.segRows = tr.seg+1, 0
		}
	}
	if l := left(); l == 0 {
		tr.capped = true
	}
	return nil
}

// readPhysical reads t in storage order, ChunkBlocks blocks per statement,
// resuming after the last row's physical address. Addresses must grow: a
// TID range scan returns rows in block and offset order, and the check
// makes sure a resume can trust that.
func (r *Reader) readPhysical(ctx context.Context, s Session, t *Table, tr *tableRead, left func() int64) error {
	p := tr.plan
	tr.physTries++
	if tr.physTries == 1 && r.opts.ChunkBlocks <= 0 && tr.keyCol >= 0 && p.keyRange && uint64(p.keyHi)-uint64(p.keyLo) < maxKeySet {
		return r.readPhysicalByKey(ctx, s, t, tr, left)
	}
	per := int64(r.opts.ChunkBlocks)
	for {
		from := tr.block
		to := from + per
		if per <= 0 || to >= p.Blocks {
			to = -1 // the last range is open: the table may have grown since the plan
		}
		rd := p.Read
		rd.Tid = &TidRange{From: from, To: to}
		if tr.hasTid && tr.tid.Block >= from {
			rd.Tid.After, rd.Tid.HasAfter = tr.tid, true
		}
		if l := left(); l >= 0 {
			if l == 0 {
				tr.capped = true
				return nil
			}
			// Rows passed over (seen) would count against a LIMIT.
			if tr.seen == nil {
				rd.Limit = l
			}
		}
		q, args := r.d.Select(t, &rd)
		at := tr.mark()
		pd := r.d.(PhysicalDialect)
		err := s.Rows(ctx, q, args, func(vals [][]byte) error {
			tid, ok := pd.Tid(vals[0])
			if !ok {
				return &permanent{fmt.Errorf("physical address %x is not a block and offset", vals[0])}
			}
			if tr.hasTid && (tid.Block < tr.tid.Block || tid.Block == tr.tid.Block && tid.Offset <= tr.tid.Offset) {
				return &permanent{fmt.Errorf("rows not in storage order at (%d,%d): cannot resume exactly", tid.Block, tid.Offset)}
			}
			if tr.seen != nil {
				k, ok := parseInt(vals[1+tr.keyCol])
				if !ok {
					return keyNotInteger(t)
				}
				if tr.seen.has(k) { // read by the first statement
					tr.tid, tr.hasTid = tid, true
					return nil
				}
				if left() == 0 {
					return errEnough
				}
			}
			if err := r.emit(tr, vals[1:]); err != nil {
				return err
			}
			tr.tid, tr.hasTid = tid, true
			return nil
		})
		if err == errEnough {
			err = nil
		}
		if err != nil {
			if tr.movedSince(at) && pd.Timeout(err) {
				return &resumable{err}
			}
			return err
		}
		if to < 0 {
			if l := left(); l == 0 {
				tr.capped = true
			}
			return nil
		}
		tr.block = to
	}
}

// keyNotInteger stops the read of t at a key value that is not an integer.
func keyNotInteger(t *Table) error {
	return &permanent{fmt.Errorf("key column %s: value is not an integer", t.Key)}
}

// readMark is where a table's read stood: rows emitted, last address.
type readMark struct {
	rows   int64
	tid    Tid
	hasTid bool
}

func (tr *tableRead) mark() readMark { return readMark{tr.rows, tr.tid, tr.hasTid} }

// movedSince says whether the read went on since m: rows emitted, or rows
// passed over by address (a retry of readPhysicalByKey reading past the
// keys already read moves on without emitting any).
func (tr *tableRead) movedSince(m readMark) bool {
	return tr.rows > m.rows || tr.hasTid && (!m.hasTid || tr.tid != m.tid)
}

// maxKeySet bounds the key range of a table that readPhysicalByKey reads:
// its bitmap of keys takes a bit per key in the range (8 MiB at most, in
// pages allocated as keys fall in them; see keySet).
const maxKeySet = 1 << 26

// readPhysicalByKey is the first statement of the physical read of a table
// whose integer key is one of the columns read: a sequential scan of the
// columns alone, without the physical address (Read.KeyFromColumn), which
// cost the server about a seventh more per row of bench_people (bare pgx
// loop, 20 rounds: 500/540/590 ms min/q1/median for 1M rows, 590/640/700
// with ctid) for a projection and an output function. It notes the keys
// it emits (tableRead.seen); should it stop early (a lost connection, the
// statement timeout), the next try reads the table by addresses from its
// start and passes over the rows with those keys, so rows still come
// exactly once, even one that moved in between.
func (r *Reader) readPhysicalByKey(ctx context.Context, s Session, t *Table, tr *tableRead, left func() int64) error {
	p := tr.plan
	tr.seen = newKeySet(p.keyLo, p.keyHi)
	rd := p.Read
	rd.KeyFromColumn = true
	if l := left(); l >= 0 {
		if l == 0 {
			tr.capped = true
			return nil
		}
		rd.Limit = l
	}
	q, args := r.d.Select(t, &rd)
	err := s.Rows(ctx, q, args, func(vals [][]byte) error {
		k, ok := parseInt(vals[tr.keyCol])
		if !ok {
			return keyNotInteger(t)
		}
		if err := r.emit(tr, vals); err != nil {
			return err
		}
		tr.seen.add(k)
		return nil
	})
	if err != nil {
		if tr.rows > 0 && r.d.(PhysicalDialect).Timeout(err) {
			return &resumable{err}
		}
		return err
	}
	if left() == 0 {
		tr.capped = true
	}
	return nil
}

// keySet is a set of keys: a bitmap over the key range of the plan, and a
// map for keys outside it (rows added since, which the plan's snapshot,
// the one the first statement reads in, does not hold). The bitmap is in
// pages of keyPageBits keys (4 KiB), each allocated when a key first falls
// in it: a table of few rows over a wide key range, or of dense keys with
// a few far out, costs a page per row at most rather than a bit per key of
// the range (8 MiB at 2^26, times --parallel tables); keys spread over
// every page cost that 8 MiB and 48 KiB of page pointers.
type keySet struct {
	lo    int64
	pages [][]uint64
	other map[int64]struct{}
}

// keyPageBits is the keys a page of a keySet holds.
const keyPageBits = 1 << 15

func newKeySet(lo, hi int64) *keySet {
	return &keySet{lo: lo, pages: make([][]uint64, (uint64(hi)-uint64(lo))/keyPageBits+1)}
}

func (s *keySet) add(k int64) {
	if d := uint64(k) - uint64(s.lo); k >= s.lo && d/keyPageBits < uint64(len(s.pages)) {
		p := s.pages[d/keyPageBits]
		if p == nil {
			p = make([]uint64, keyPageBits/64)
			s.pages[d/keyPageBits] = p
		}
		p[d%keyPageBits/64] |= 1 << (d % 64)
		return
	}
	if s.other == nil {
		s.other = map[int64]struct{}{}
	}
	s.other[k] = struct{}{}
}

func (s *keySet) has(k int64) bool {
	if d := uint64(k) - uint64(s.lo); k >= s.lo && d/keyPageBits < uint64(len(s.pages)) {
		p := s.pages[d/keyPageBits]
		return p != nil && p[d%keyPageBits/64]&(1<<(d%64)) != 0
	}
	_, ok := s.other[k]
	return ok
}

// plan fixes how t is read: watermark bounds, key extent, sampling.
func (r *Reader) plan(ctx context.Context, s Session, t *Table, rnd *rand.Rand) (*Plan, error) {
	p := &Plan{Limit: r.opts.MaxRows, Full: r.opts.Sample.Mode == SampleFull}
	var prev Watermark
	if r.state != nil {
		prev = r.state.Tables[t.Source]
	}
	upd := t.updated
	now := time.Now().UTC()
	if upd != "" {
		_, hi, ok, err := r.extent(ctx, s, t, upd)
		if err != nil {
			return nil, err
		}
		if !ok { // no rows, or only NULLs: read nothing, keep the old mark
			p.Empty = true
			return p, nil
		}
		p.Read.UpdCol, p.Read.UpdHi = upd, hi
		if prev.Column == upd && prev.Kind == "updated" {
			p.Read.UpdLo = prev.Value
		}
		p.mark = &Watermark{Column: upd, Kind: "updated", Value: hi, Scanned: now}
		p.incremental = p.Read.UpdLo != ""
	}
	pastMark := false
	if t.Key != "" {
		lo, hi, ok, err := r.extent(ctx, s, t, t.Key)
		if err != nil {
			return nil, err
		}
		if !ok {
			p.Empty = true
			return p, nil
		}
		a, ok1 := parseInt([]byte(lo))
		b, ok2 := parseInt([]byte(hi))
		if !ok1 || !ok2 {
			return nil, &permanent{fmt.Errorf("key column %s: extent is not an integer", t.Key)}
		}
		if upd == "" {
			if prev.Column == t.Key && prev.Kind == "key" {
				if w, ok := parseInt([]byte(prev.Value)); ok && w >= a {
					a = w + 1
					pastMark = true
					p.incremental = true
				}
			}
			p.mark = &Watermark{Column: t.Key, Kind: "key", Value: hi, Scanned: now}
		}
		if a > b { // nothing new past the watermark
			p.Empty = true
			return p, nil
		}
		p.Segments = []Segment{{Lo: a, Hi: b}}
	}
	// A full read that starts at the beginning reads in storage order when
	// the dialect can; a read past a key watermark uses the key's index.
	if pd, ok := r.d.(PhysicalDialect); ok && t.Physical && !t.ColumnGrants && r.opts.Sample.Mode == SampleFull && !pastMark {
		var blocks int64
		err := s.Rows(ctx, pd.Blocks(t), nil, func(vals [][]byte) error {
			var ok bool
			if blocks, ok = parseInt(vals[0]); !ok {
				return &permanent{fmt.Errorf("table size %q is not a number", vals[0])}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(p.Segments) == 1 {
			p.keyLo, p.keyHi, p.keyRange = p.Segments[0].Lo, p.Segments[0].Hi, true
		}
		p.Physical, p.Blocks, p.Segments = true, blocks, nil
		return p, nil
	}
	if r.opts.Sample.Mode != SampleFull {
		if err := r.d.PlanSample(ctx, s, t, r.opts.Sample, p, rnd); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// extent returns min and max of col as text; ok is false when the table has
// no non-NULL value in it.
func (r *Reader) extent(ctx context.Context, s Session, t *Table, col string) (lo, hi string, ok bool, err error) {
	err = s.Rows(ctx, r.d.Extent(t, col), nil, func(vals [][]byte) error {
		if vals[0] != nil && vals[1] != nil {
			lo, hi, ok = string(vals[0]), string(vals[1]), true
		}
		return nil
	})
	return lo, hi, ok, err
}

// emit copies one row's values into the current batch.
func (r *Reader) emit(tr *tableRead, vals [][]byte) error {
	if tr.b == nil {
		tr.b = r.get(tr.n)
		tr.b.first = tr.rows + 1
	}
	b := tr.b
	vals = vals[:tr.n]
	at := len(b.spans)
	before := b.values
	b.spans = slices.Grow(b.spans, len(vals))[:at+len(vals)]
	spans := b.spans[at:]
	// A table with Binary columns is copied value by value: a binary value
	// that is not UTF-8 (an image, say) is not copied at all.
	if !tr.oneBuf || tr.bin != nil || !b.copyRow(vals, spans) {
		for j, v := range vals {
			if v == nil || (tr.bin != nil && tr.bin[j] && !utf8x.Valid(v)) {
				spans[j] = scanner.Span{Off: -1, End: -1}
				continue
			}
			off := len(b.arena)
			b.arena = append(b.arena, v...)
			b.values += len(v)
			spans[j] = scanner.Span{Off: off, End: len(b.arena)}
		}
	}
	b.rowBytes = append(b.rowBytes, b.values-before)
	b.rows++
	tr.rows++
	if b.rows >= batchRows || len(b.arena) >= batchBytes {
		return r.flush(tr)
	}
	return nil
}

// maxGap is the most bytes copyRow accepts between one value and the next:
// a driver's length prefix (pgx: 4 bytes).
const maxGap = 16

// copyRow copies a row of a RowBuffer session with one copy and sets spans
// to where each value landed. A copy per value cost the client about 95
// instructions a value of bench_people (callgrind), a fifth of them in the
// call to memmove; this costs about 40, the row's one memmove included, and
// copies the length prefixes too (the spans skip them).
// It checks the layout RowBuffer promises and reports false, having copied
// nothing, for any other. NULL values and empty ones may point anywhere and
// take no part.
func (b *batch) copyRow(vals [][]byte, spans []scanner.Span) bool {
	spans = spans[:len(vals)]
	var start *byte
	for _, v := range vals {
		if len(v) > 0 {
			start = unsafe.SliceData(v)
			break
		}
	}
	p0 := uintptr(unsafe.Pointer(start))
	base := len(b.arena)
	var end uintptr // the last value's end, from start
	values := 0
	for j, v := range vals {
		if len(v) == 0 {
			spans[j] = scanner.Span{Off: -1, End: -1}
			if v != nil {
				spans[j] = scanner.Span{Off: base + int(end), End: base + int(end)}
			}
			continue
		}
		off := uintptr(unsafe.Pointer(unsafe.SliceData(v))) - p0
		// A value before the previous one's end wraps around to a huge gap.
		if off-end > maxGap {
			return false
		}
		end = off + uintptr(len(v))
		spans[j] = scanner.Span{Off: base + int(off), End: base + int(end)}
		values += len(v)
	}
	if start != nil {
		b.arena = append(b.arena, unsafe.Slice(start, end)...)
	}
	b.values += values
	return true
}

// flush hands the current batch to NextBlock, waiting while the table's buffer is
// full: this is what bounds memory.
func (r *Reader) flush(tr *tableRead) error {
	b := tr.b
	if b == nil {
		return nil
	}
	tr.b = nil
	// Counted once per batch rather than with an atomic add per row.
	r.bytes.Add(int64(b.values))
	select {
	case tr.out <- b:
		return nil
	case <-r.ctx.Done():
		r.release(b)
		return r.ctx.Err()
	}
}

// parseInt parses a decimal integer without allocating.
func parseInt(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	neg := b[0] == '-'
	if neg || b[0] == '+' {
		b = b[1:]
		if len(b) == 0 {
			return 0, false
		}
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if n > (1<<64-1-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	if neg {
		if n > 1<<63 {
			return 0, false
		}
		return -int64(n), true
	}
	if n > 1<<63-1 {
		return 0, false
	}
	return int64(n), true
}

// selection keeps keep of the next of rows, each subset equally likely: row
// i is kept with probability (rows still wanted)/(rows still to come).
type selection struct {
	keep, of int64
	rnd      *rand.Rand
}

func (s *selection) next() bool {
	if s.of <= 0 {
		return false // more rows than counted: the count was of other rows
	}
	ok := s.rnd.Int64N(s.of) < s.keep
	s.of--
	if ok {
		s.keep--
	}
	return ok
}

// errEnough stops a statement whose rows are no longer needed.
var errEnough = errors.New("enough rows")

// resumable marks a statement timeout after progress: a long sequential
// scan goes on from its last row on a new statement.
type resumable struct{ err error }

func (e *resumable) Error() string { return e.err.Error() }
func (e *resumable) Unwrap() error { return e.err }

// permanent marks errors of the reader itself, which a retry cannot cure.
type permanent struct{ err error }

func (e *permanent) Error() string { return e.err.Error() }
func (e *permanent) Unwrap() error { return e.err }
