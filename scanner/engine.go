// Package scanner is the scan engine: records in, findings out, and the
// per-column aggregation that classification and reports are made of.
//
// The engine reads records from a Source on one goroutine, copies them into
// pooled batches (or, from a BlockSource, lets batches borrow the source's
// blocks), scans batches on Workers goroutines and emits findings to a
// Sink in input order. At most a fixed number of batches exist at once, so
// memory does not grow with the size of the input.
package scanner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/piiscan/piiscan/detectors"
	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/masking"
	"github.com/piiscan/piiscan/report"
)

// Config configures an Engine. Only Detectors is required.
type Config struct {
	Detectors *detectors.Set
	// Workers scanning batches; 0 means GOMAXPROCS.
	Workers int
	// BatchBytes and BatchRecords bound one batch; 0 means 256 KiB / 2048.
	// Small batches keep memory low on PI-dense input, where a batch also
	// holds tens of thousands of findings.
	BatchBytes   int
	BatchRecords int
	// Reveal puts raw values into findings (Finding.Value). Off by default:
	// outputs carry masked samples only.
	Reveal bool
	// RawValues is for sinks that rewrite the input (de-identification):
	// findings carry their raw value as Finding.Raw, borrowed from the
	// engine's batch for the duration of Sink.Write, and no masked sample
	// (Masked stays empty), which saves a string and a masking pass per
	// finding. Column samples in the report are still masked.
	RawValues bool
	// NoCiphertext skips the per-value ciphertext test behind a column's
	// encrypted_share (report.LooksEncrypted), for scans whose report is
	// not an inventory (de-identification jobs).
	NoCiphertext bool
	// Samples is how many masked samples a column keeps; 0 means 5, <0 none.
	Samples int
	// Threshold is the share of a column's non-empty values a type must reach
	// to decide the column's grade; 0 means DefaultThreshold.
	Threshold float64
	// Progress, if set, is called about every ProgressEvery from the goroutine
	// that runs Run, and once at the end.
	Progress      func(Progress)
	ProgressEvery time.Duration
	// Now stamps the report; zero means time.Now.
	Now func() time.Time
}

// DefaultThreshold is the column share a type needs to grade a column.
const DefaultThreshold = 0.5

// Progress is a snapshot of a running scan.
type Progress struct {
	Records  int64
	Bytes    int64
	Findings int64
	Errors   int
	Elapsed  time.Duration
	Done     bool
}

// Engine runs scans. It holds no per-scan state and may run several scans,
// one after another or at once.
type Engine struct {
	cfg Config
	// spare holds batches between runs so their buffers keep their
	// capacity. A sync.Pool would drop them at every GC, and a PI-dense
	// input (many findings) makes GCs frequent.
	mu    sync.Mutex
	spare []*batch
}

func (e *Engine) getBatch() *batch {
	e.mu.Lock()
	defer e.mu.Unlock()
	if n := len(e.spare); n > 0 {
		b := e.spare[n-1]
		e.spare = e.spare[:n-1]
		return b
	}
	return &batch{
		arena:    make([]byte, 0, e.cfg.BatchBytes+e.cfg.BatchBytes/8),
		recs:     make([]recCopy, 0, min(e.cfg.BatchRecords, 1024)),
		fields:   make([]fieldCopy, 0, min(e.cfg.BatchRecords, 1024)*4),
		findings: make([]Finding, 0, 1024),
		raw:      e.cfg.Reveal || e.cfg.RawValues,
	}
}

func (e *Engine) putBatch(b *batch) {
	b.reset()
	e.mu.Lock()
	e.spare = append(e.spare, b)
	e.mu.Unlock()
}

// New checks cfg and fills in defaults.
func New(cfg Config) (*Engine, error) {
	if cfg.Detectors == nil {
		return nil, errors.New("scanner: no detectors configured")
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	if cfg.BatchBytes <= 0 {
		cfg.BatchBytes = 256 << 10
	}
	if cfg.BatchRecords <= 0 {
		cfg.BatchRecords = 2048
	}
	if cfg.Samples == 0 {
		cfg.Samples = 5
	}
	if cfg.Threshold <= 0 {
		cfg.Threshold = DefaultThreshold
	}
	if cfg.Threshold > 1 {
		return nil, fmt.Errorf("scanner: threshold %.2f is above 1", cfg.Threshold)
	}
	if cfg.ProgressEvery <= 0 {
		cfg.ProgressEvery = 250 * time.Millisecond
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Engine{cfg: cfg}, nil
}

// Run scans every record of src, writes findings to sink in input order and
// returns the report. A nil sink asks for the report alone: findings are
// counted into it (totals, columns, samples) but never built, which saves a
// masked string per finding on PI-dense inventories of whole tables. Bad input reported by src is collected in
// Report.Errors and the scan goes on; the returned error is non-nil only when
// the scan itself could not finish (sink failure, cancellation).
// Run does not close src.
func (e *Engine) Run(ctx context.Context, src Source, sink Sink) (*report.Report, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	started := e.cfg.Now()

	nbatch := 2*e.cfg.Workers + 2
	free := make(chan *batch, nbatch)
	for range nbatch {
		free <- e.getBatch()
	}
	defer func() {
		for range nbatch {
			e.putBatch(<-free)
		}
	}()
	work := make(chan *batch, nbatch)
	done := make(chan *batch, nbatch)

	var readErr error
	go func() {
		defer close(work)
		readErr = e.read(ctx, src, free, work)
	}()
	var wg sync.WaitGroup
	for range e.cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newWorker(e, sink != nil)
			for b := range work {
				w.scan(b)
				done <- b
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()

	agg := newAggregate(e.cfg.Samples)
	pending := map[int64]*batch{}
	var next int64
	var sinkErr error
	lastProgress := time.Now()
	for b := range done {
		pending[b.seq] = b
		for {
			b, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if sink != nil && sinkErr == nil && len(b.findings) > 0 {
				if err := sink.Write(b.findings); err != nil {
					sinkErr = fmt.Errorf("writing findings: %w", err)
					cancel()
				}
			}
			agg.merge(b)
			b.reset()
			free <- b
		}
		if e.cfg.Progress != nil && time.Since(lastProgress) >= e.cfg.ProgressEvery {
			lastProgress = time.Now()
			e.cfg.Progress(agg.progress(src, started, false))
		}
	}
	if e.cfg.Progress != nil {
		e.cfg.Progress(agg.progress(src, started, true))
	}
	rep := agg.report(src, e.cfg.Threshold, started, e.cfg.Now())
	switch {
	case sinkErr != nil:
		return rep, sinkErr
	case readErr != nil:
		return rep, readErr
	}
	return rep, nil
}

// read copies records from src into batches until EOF or cancellation. Every
// batch it takes from free goes either to work or back to free, so Run can
// account for all of them when it returns.
func (e *Engine) read(ctx context.Context, src Source, free, work chan *batch) error {
	f := &feeder{ctx: ctx, free: free, work: work, b: <-free}
	if bs, ok := src.(BlockSource); ok {
		return e.readBlocks(f, bs)
	}
	var rec Record
	for {
		if err := ctx.Err(); err != nil {
			free <- f.b
			return err
		}
		rec = Record{Fields: rec.Fields[:0]}
		err := src.Next(&rec)
		if err == io.EOF {
			break
		}
		if err != nil {
			f.b.fail(err)
			continue
		}
		if !e.addCopy(f, &rec) {
			return ctx.Err()
		}
	}
	return f.finish()
}

// fail notes a source error at the batch's current position: the workers
// report it in record order.
func (b *batch) fail(err error) { b.errs = append(b.errs, batchErr{at: b.records(), err: err}) }

// addCopy copies rec into the current batch and sends the batch on once it
// is full; false: cancelled.
func (e *Engine) addCopy(f *feeder, rec *Record) bool {
	f.b.add(rec)
	if len(f.b.arena) >= e.cfg.BatchBytes || f.b.records() >= e.cfg.BatchRecords {
		return f.next()
	}
	return true
}

// readBlocks is read for a BlockSource: a batch borrows the values of one
// block (or part of it) instead of copying them, and takes its records'
// fields from the block's spans, without a Record in between.
func (e *Engine) readBlocks(f *feeder, src BlockSource) error {
	var rec Record
	for {
		if err := f.ctx.Err(); err != nil {
			f.free <- f.b
			return err
		}
		blk, err := src.NextBlock()
		if err == io.EOF {
			break
		}
		if err != nil {
			f.b.fail(err)
			continue
		}
		if blk == nil { // the next record is not in a block
			rec = Record{Fields: rec.Fields[:0]}
			err := src.Next(&rec)
			if err == io.EOF {
				break
			}
			if err != nil {
				f.b.fail(err)
				continue
			}
			// A batch copies records or borrows a block.
			if f.b.held != nil && !f.next() || !e.addCopy(f, &rec) {
				return f.ctx.Err()
			}
			continue
		}
		if blk.Rows == 0 {
			if blk.Release != nil {
				blk.Release()
			}
			continue
		}
		h := &heldBlock{blk: blk}
		h.refs.Store(1) // the reader's, dropped below when the block is done
		for row := 0; row < blk.Rows; {
			if f.b.held != h {
				// A batch borrows one arena: send one that holds rows of
				// the last block or copied records (errors alone may stay).
				if (f.b.held != nil || f.b.records() > 0) && !f.next() {
					h.release()
					return f.ctx.Err()
				}
				f.b.borrow(h)
			}
			row = f.b.addRows(blk, row, e.cfg.BatchRecords, int64(e.cfg.BatchBytes))
			if f.b.blockBytes >= int64(e.cfg.BatchBytes) || f.b.records() >= e.cfg.BatchRecords {
				if !f.next() {
					h.release()
					return f.ctx.Err()
				}
			}
		}
		h.release()
	}
	return f.finish()
}

// feeder hands batches from the reading goroutine to the workers, numbered
// in input order.
type feeder struct {
	ctx        context.Context
	free, work chan *batch
	b          *batch
	seq        int64
}

// send hands the current batch to the workers; false: cancelled, and the
// batch went back to free.
func (f *feeder) send() bool {
	f.b.seq = f.seq
	select {
	case f.work <- f.b:
		f.seq++
		return true
	case <-f.ctx.Done():
		f.free <- f.b
		return false
	}
}

// next sends the current batch and takes a free one; false: cancelled.
func (f *feeder) next() bool {
	if !f.send() {
		return false
	}
	f.b = <-f.free // the collector returns batches even after cancellation
	return true
}

// finish sends the last batch, if it holds anything.
func (f *feeder) finish() error {
	if f.b.records() == 0 && len(f.b.errs) == 0 {
		f.free <- f.b
		return nil
	}
	if !f.send() {
		return f.ctx.Err()
	}
	return nil
}

// heldBlock counts the batches that borrow a block's values, plus the
// reader while it cuts the block into batches; the last one out releases
// the block to its source.
type heldBlock struct {
	blk  *Block
	refs atomic.Int32
}

func (h *heldBlock) release() {
	if h.refs.Add(-1) == 0 && h.blk.Release != nil {
		h.blk.Release()
	}
}

// batch holds copies of consecutive records and, once scanned, their findings
// and column statistics. Batches are reused; their slices keep capacity.
type batch struct {
	seq    int64
	arena  []byte
	points []OffsetPoint
	recs   []recCopy
	fields []fieldCopy
	refs   []colRef
	// srcs holds the (source, table) runs of recs, in order, with what the
	// collector sums per source: it merges a batch per run, not per record.
	srcs []srcRun
	// lines, when not empty, are the batch's records instead of recs and
	// fields: numbered lines of a text stream that the batch borrows from
	// its block (addLines), line i being arena[lines[i].Off:lines[i].End]
	// (no field if empty), number lineNums[i], column 0, at stream offset
	// lineBase+Off. A record and a field per line cost the reader and the
	// worker more than the line's bookkeeping itself.
	lines    []Span
	lineNums []int64
	lineBase int64
	// rowStart and rowEnd, when apart, are the batch's records instead of
	// recs and fields: rows rowStart to rowEnd-1 of the block it borrows
	// (held.blk) that is not lines (addRows), in its layout. Row i's field
	// for column j is its span i*n+j (n columns; no field if empty), of
	// column b.refs[j] and run 0, numbered and placed as Reader.Next would
	// have (Block.Numbers or First+i; Base+Off in a stream, else 0).
	rowStart, rowEnd int
	// lastCol[j] is the column of the last record's j-th field (colOf).
	lastCol []int32
	errs    []batchErr
	// held, when set, is the block whose values arena borrows (readBlocks);
	// own keeps the batch's own arena meanwhile. blockBytes counts the
	// borrowed values of the batch's records.
	held       *heldBlock
	own        []byte
	blockBytes int64

	findings []Finding
	// raw: findings carry raw values (Config.Reveal, RawValues), which
	// reset clears so that none outlives its batch. Otherwise reset leaves
	// the findings it drops as they are, holding only masked samples and
	// names until written over: clearing them, 160 bytes a finding, 0.5
	// MB a batch of bench_people, took the client of a findings scan
	// about a tenth more CPU (BenchmarkFullScan/findings, 10 rounds
	// interleaved: client-cpu-ns/row medians 1,455 with, 1,318 without).
	raw    bool
	counts findingCounts
	// types names the type numbers the batch counts by: the table of the
	// worker that scanned it, as it was then.
	types    []pi.TypeID
	cols     map[colKey]*colStat
	colOrder []colKey
}

// findingCounts counts a batch's findings by type and grade; the worker
// keeps them whether or not it builds the findings themselves.
type findingCounts struct {
	total   int64
	byType  []int64 // by the scanning worker's type number (typeTable)
	byGrade [pi.GradeSensitive + 1]int64
}

func (c *findingCounts) add(id int32, g pi.Grade) {
	c.total++
	if int(g) < len(c.byGrade) {
		c.byGrade[g]++
	}
	c.byType = addCount(c.byType, id)
}

// addCount counts one more of type number id in cs, which grows to hold it.
func addCount(cs []int64, id int32) []int64 {
	if int(id) >= len(cs) {
		cs = append(cs, make([]int64, int(id)+1-len(cs))...)
	}
	cs[id]++
	return cs
}

func (c *findingCounts) reset() {
	c.total = 0
	clear(c.byType)
	c.byType = c.byType[:0]
	c.byGrade = [len(c.byGrade)]int64{}
}

// typeTable numbers the types of one worker's matches 0, 1, 2 ... in the
// order it first sees them, so that counting a match by type indexes a
// slice instead of comparing type strings (a few string compares, each a
// call, per match and counter cost more than building the finding). A
// batch counts by these numbers and carries the table's names (batch.types)
// to tell the collector which type each number is; numbers are never
// compared across workers.
type typeTable struct {
	// cache finds the number of a type string by its address: detectors
	// report the same few constants over and over. An entry holds the
	// string, so its bytes stay alive and the address cannot be reused by
	// another string while cached.
	cache [64]typeSlot
	ids   map[pi.TypeID]int32
	names []pi.TypeID // by number; only ever appended to
	def   []pi.Grade  // by number: pi.DefaultGrade of the type
}

type typeSlot struct {
	t  pi.TypeID
	id int32
}

// cached returns the number of t if the cache has it, else false: call
// miss then. The two are apart so that this, the common case, inlines; it
// compares the string headers (address and length) of t and the slot's
// string, and a slot whose string has no address (empty or unused) never
// matches.
func (tt *typeTable) cached(t pi.TypeID) (int32, bool) {
	h := *(*[2]uintptr)(unsafe.Pointer(&t))
	s := &tt.cache[(h[0]>>4)%uintptr(len(tt.cache))]
	return s.id, *(*[2]uintptr)(unsafe.Pointer(&s.t)) == h && h[0] != 0
}

// miss returns the number of a type string not in the cache: it numbers t
// by value, then caches it.
func (tt *typeTable) miss(t pi.TypeID) int32 {
	s := &tt.cache[(uintptr(unsafe.Pointer(unsafe.StringData(string(t))))>>4)%uintptr(len(tt.cache))]
	id, ok := tt.ids[t]
	if !ok {
		if tt.ids == nil {
			tt.ids = map[pi.TypeID]int32{}
		}
		id = int32(len(tt.names))
		tt.ids[t] = id
		tt.names = append(tt.names, t)
		tt.def = append(tt.def, pi.DefaultGrade(t))
	}
	*s = typeSlot{t: t, id: id}
	return id
}

// recCopy is one record of a batch: its fields are fields[fstart:fend],
// its source and table srcs[src]. It holds no pointers, so writing one
// costs no write barrier and a batch's records cost the garbage collector
// nothing.
type recCopy struct {
	number       int64
	fstart, fend int32
	src          int32
}

// srcRun is a run of consecutive records of one source and table in a
// batch, from record first on.
type srcRun struct {
	source, table string
	first         int   // index of the run's first record
	records       int64 // records in the run
	values        int64 // bytes of their values
	findings      int64 // their findings, built or only counted
}

// fieldCopy is one field of a batch. It holds no pointers, so a batch's
// fields cost the garbage collector nothing and the worker reads 40 bytes a
// field: the column's strings are interned in batch.refs, once per column
// and batch for sources whose records repeat their layout (database rows,
// CSV, SQL tuples).
type fieldCopy struct {
	vstart, vend int
	offset       int64
	col          int32 // index into batch.refs
	mstart, mend int32 // the field's OffsetMap in batch.points; empty: none
}

// colRef names the column a field counts into: its source and table are
// srcs[src]. A batch may hold the same column more than once (after records
// of another layout or source); the worker maps each to the same
// statistics.
type colRef struct {
	src           int32
	name, comment string
}

type batchErr struct {
	at  int // index of the record the error came before
	err error
}

// records is how many records the batch holds.
func (b *batch) records() int { return len(b.recs) + len(b.lines) + b.rowEnd - b.rowStart }

func (b *batch) add(r *Record) {
	src := b.srcOf(r)
	rc := recCopy{number: r.Number, fstart: int32(len(b.fields)), src: src}
	var values int64
	for i := range r.Fields {
		f := &r.Fields[i]
		col, ok := b.lastColOf(src, f, i)
		if !ok {
			col = b.newCol(src, f, i)
		}
		fc := fieldCopy{col: col, vstart: len(b.arena), offset: f.Offset}
		b.arena = append(b.arena, f.Value...)
		fc.vend = len(b.arena)
		if len(f.Map) > 0 { // an empty map is the identity, as nil
			fc.mstart = int32(len(b.points))
			b.points = append(b.points, f.Map...)
			fc.mend = int32(len(b.points))
		}
		values += int64(len(f.Value))
		b.fields = append(b.fields, fc)
	}
	rc.fend = int32(len(b.fields))
	b.recs = append(b.recs, rc)
	run := &b.srcs[src]
	run.records++
	run.values += values
}

// srcOf returns the run of srcs that r, the next record, belongs to: the
// last one if r has its source and table (pointer comparisons, for the
// strings a reader repeats), else a new one.
func (b *batch) srcOf(r *Record) int32 {
	// sameString (aggregate.go): no call for strings the reader repeats
	if n := len(b.srcs); n > 0 && sameString(b.srcs[n-1].source, r.Source) && sameString(b.srcs[n-1].table, r.Table) {
		return int32(n - 1)
	}
	return b.newSrc(r)
}

// newSrc starts a run of srcs with r, the next record.
func (b *batch) newSrc(r *Record) int32 {
	b.srcs = append(b.srcs, srcRun{source: r.Source, table: r.Table, first: len(b.recs)})
	return int32(len(b.srcs) - 1)
}

// lastColOf and newCol intern the column of f, the j-th field of a record
// of run src. Records of one table or file repeat their layout with the
// same strings, so lastColOf, checking the column the j-th field had in
// the previous record, usually finds it with two pointer comparisons (it
// is apart from newCol so that it inlines); otherwise newCol gives the
// field a new entry.
func (b *batch) lastColOf(src int32, f *Field, j int) (int32, bool) {
	if j >= len(b.lastCol) {
		return 0, false
	}
	ci := b.lastCol[j]
	c := &b.refs[ci]
	return ci, c.src == src && sameString(c.name, f.Name) && sameString(c.comment, f.Comment)
}

// newCol adds the column of f, the j-th field of a record of run src.
func (b *batch) newCol(src int32, f *Field, j int) int32 {
	ci := int32(len(b.refs))
	b.refs = append(b.refs, colRef{src, f.Name, f.Comment})
	if j < maxLastCol {
		for len(b.lastCol) <= j {
			b.lastCol = append(b.lastCol, 0)
		}
		b.lastCol[j] = ci
	}
	return ci
}

// maxLastCol bounds the per-position cache of colOf: wider records (JSON
// objects with many keys) intern their later fields one entry each.
const maxLastCol = 256

// borrow makes b's arena the values of h's block and its columns the
// block's. b holds no records and borrows nothing yet.
func (b *batch) borrow(h *heldBlock) {
	b.own = b.arena[:0]
	h.refs.Add(1)
	b.held, b.arena = h, h.blk.Values
	clear(b.refs)
	b.refs = b.refs[:0]
	for _, c := range h.blk.Columns {
		b.refs = append(b.refs, colRef{0, c.Name, c.Comment})
	}
	clear(b.srcs)
	b.srcs = append(b.srcs[:0], srcRun{source: h.blk.Source, table: h.blk.Table})
}

// addRows adds rows of the block b borrows from row i on, as Reader.Next
// would have given them (a field per non-empty value, column j's field
// counting into b.refs[j]), until the block ends or b holds maxRecs
// records or maxBytes bytes of values; it returns the next row. The batch
// takes the rows as the block holds them (batch.rowStart, rowEnd): copying
// each value's position into fields cost more per row than the worker's
// bookkeeping of it.
func (b *batch) addRows(blk *Block, i, maxRecs int, maxBytes int64) int {
	n := len(blk.Columns)
	if n == 1 && blk.InStream && blk.Numbers != nil && len(blk.Spans) == blk.Rows && len(blk.Numbers) == blk.Rows {
		return b.addLines(blk, i, maxRecs, maxBytes)
	}
	bytes, i0 := b.blockBytes, i
	end := min(blk.Rows, i+maxRecs-b.records())
	if rb := blk.RowBytes; len(rb) == blk.Rows {
		for ; i < end && bytes < maxBytes; i++ {
			bytes += int64(rb[i])
		}
	} else {
		for ; i < end && bytes < maxBytes; i++ {
			for _, sp := range blk.Spans[i*n : i*n+n] {
				if sp.Off >= 0 && sp.Off < sp.End {
					bytes += int64(sp.End - sp.Off)
				}
			}
		}
	}
	if i > i0 {
		// Rows already taken are of this block and end at i0.
		b.rowStart, b.rowEnd = i0-(b.rowEnd-b.rowStart), i
		run := &b.srcs[0]
		run.records += int64(i - i0)
		run.values += bytes - b.blockBytes
		b.blockBytes = bytes
	}
	return i
}

// addLines is addRows for a block of numbered lines of a stream (text
// files): one column, every row numbered, offsets in the stream. The
// batch takes the lines as the block holds them (batch.lines); it holds
// no other records, since it borrows this block alone.
func (b *batch) addLines(blk *Block, i, maxRecs int, maxBytes int64) int {
	spans := blk.Spans
	bytes, i0 := b.blockBytes, i
	end := min(len(spans), i+maxRecs-b.records())
	for ; i < end && bytes < maxBytes; i++ {
		if sp := spans[i]; sp.Off >= 0 && sp.Off < sp.End {
			bytes += int64(sp.End - sp.Off)
		}
	}
	if i > i0 {
		// Lines already taken are of this block and end at i0.
		start := i0 - len(b.lines)
		b.lines, b.lineNums, b.lineBase = spans[start:i], blk.Numbers[start:i], blk.Base
		run := &b.srcs[0]
		run.records += int64(i - i0)
		run.values += bytes - b.blockBytes
		b.blockBytes = bytes
	}
	return i
}

func (b *batch) reset() {
	if b.held != nil {
		b.held.release()
		b.held, b.arena, b.own = nil, b.own, nil
	}
	b.blockBytes = 0
	b.arena = b.arena[:0]
	b.points = b.points[:0]
	b.recs = b.recs[:0]
	b.fields = b.fields[:0]
	clear(b.refs) // drop the strings
	b.refs = b.refs[:0]
	clear(b.srcs)
	b.srcs = b.srcs[:0]
	b.lines, b.lineNums, b.lineBase = nil, nil, 0
	b.rowStart, b.rowEnd = 0, 0
	b.lastCol = b.lastCol[:0]
	clear(b.errs)
	b.errs = b.errs[:0]
	if b.raw {
		clear(b.findings)
	}
	b.findings = b.findings[:0]
	b.counts.reset()
	b.types = nil
	clear(b.cols)
	b.colOrder = b.colOrder[:0]
}

// colKey identifies a column within a scan.
type colKey struct{ source, table, column string }

// colStat counts one column's values within a batch or a whole scan.
type colStat struct {
	comment   string
	rows      int64
	encrypted int64 // values that look like ciphertext (report.LooksEncrypted)
	// types counts values per type for the whole scan; a batch counts into
	// batchTypes, by type number (batch.types), which costs no string
	// hashing per value.
	types      map[pi.TypeID]int64
	batchTypes []int64
	// findings counts findings (a value may hold several) per type, for
	// report.Column.Findings; batchFindings as batchTypes.
	findings      map[pi.TypeID]int64
	batchFindings []int64
	grades        map[pi.TypeID]pi.Grade // only types whose grade differs from the default
	samples       []string
}

type fieldKey struct{ table, column, comment string }

// worker scans batches; each worker has its own scratch and column-context
// cache so the hot loop shares nothing.
type worker struct {
	e *Engine
	// build: findings are built for a sink; otherwise only counted.
	build   bool
	set     *detectors.Set
	fields  map[fieldKey]*detectors.Column
	matches []pi.Match
	types   typeTable
	// seen[id] == stamp: the value being scanned has a match of type
	// number id; stamp moves on with every value.
	seen  []uint32
	stamp uint32
	// text is the memory masked samples are cut from (sample), a chunk at
	// a time instead of an allocation per finding.
	text []byte
	// byRef holds, by index into the batch's refs, the statistics and
	// detection context of each column of the batch being scanned (nil: not
	// looked up yet), so a field costs one slice load instead of hashing
	// three strings into the batch's column map.
	byRef []colSlot
}

type colSlot struct {
	st   *colStat
	fld  *detectors.Column
	name string // the column's name (b.refs[i].name)
	// crypt: count the column's values that look like ciphertext (named
	// columns, unless Config.NoCiphertext)
	crypt bool
}

func newWorker(e *Engine, build bool) *worker {
	return &worker{e: e, build: build, set: e.cfg.Detectors, fields: map[fieldKey]*detectors.Column{}, matches: make([]pi.Match, 0, 64)}
}

func (w *worker) field(table, column, comment string) *detectors.Column {
	k := fieldKey{table, column, comment}
	f, ok := w.fields[k]
	if !ok {
		f = w.set.Column(w.set.Field(table, column, comment))
		w.fields[k] = f
	}
	return f
}

// column returns the batch's statistics, the detection context and the
// name of the column col of the batch (an index into b.refs).
func (w *worker) column(b *batch, col int32) *colSlot {
	if s := &w.byRef[col]; s.st != nil {
		return s
	}
	return w.newColumn(b, col)
}

// newColumn is column for a column not looked up yet in this batch.
func (w *worker) newColumn(b *batch, col int32) *colSlot {
	ref := &b.refs[col]
	run := &b.srcs[ref.src]
	key := colKey{run.source, run.table, ref.name}
	st := b.cols[key]
	if st == nil {
		st = &colStat{comment: ref.comment}
		b.cols[key] = st
		b.colOrder = append(b.colOrder, key)
	}
	fld := w.field(run.table, ref.name, ref.comment)
	w.byRef[col] = colSlot{st: st, fld: fld, name: ref.name, crypt: ref.name != "" && !w.e.cfg.NoCiphertext}
	return &w.byRef[col]
}

func (w *worker) scan(b *batch) {
	if b.cols == nil {
		b.cols = map[colKey]*colStat{}
	}
	w.byRef = append(w.byRef[:0], make([]colSlot, len(b.refs))...)
	if len(b.lines) > 0 {
		w.scanLines(b)
	} else if b.rowEnd > b.rowStart {
		w.scanRows(b)
	} else {
		w.scanRecords(b)
	}
	b.types = w.types.names
}

// scanRecords scans the batch's records (recs and fields).
func (w *worker) scanRecords(b *batch) {
	for ri := range b.recs {
		r := &b.recs[ri]
		n0 := b.counts.total
		for fi := r.fstart; fi < r.fend; fi++ {
			fc := &b.fields[fi]
			val := b.arena[fc.vstart:fc.vend]
			if len(val) == 0 {
				continue
			}
			sl := w.column(b, fc.col)
			sl.st.rows++
			var cl pi.Classes
			w.matches, cl = sl.fld.ScanClasses(val, w.matches[:0])
			if sl.crypt && cl != pi.ClassDigit && report.LooksEncrypted(val) {
				sl.st.encrypted++
			}
			if len(w.matches) == 0 {
				continue
			}
			var m OffsetMap
			if fc.mend > fc.mstart {
				m = b.points[fc.mstart:fc.mend]
			}
			w.found(b, sl.st, val, fieldAt{m: m, offset: fc.offset, name: sl.name, src: r.src, number: r.number})
		}
		if n := b.counts.total - n0; n > 0 {
			b.srcs[r.src].findings += n
		}
	}
}

// scanRows scans the rows of a block the batch borrows (batch.rowStart,
// rowEnd), as scanRecords would have scanned them as records.
func (w *worker) scanRows(b *batch) {
	blk := b.held.blk
	n := len(blk.Columns)
	arena, n0 := b.arena, b.counts.total
	for i := b.rowStart; i < b.rowEnd; i++ {
		for j, sp := range blk.Spans[i*n : i*n+n] {
			if sp.Off < 0 || sp.Off >= sp.End {
				continue
			}
			val := arena[sp.Off:sp.End]
			sl := w.column(b, int32(j))
			sl.st.rows++
			var cl pi.Classes
			w.matches, cl = sl.fld.ScanClasses(val, w.matches[:0])
			if sl.crypt && cl != pi.ClassDigit && report.LooksEncrypted(val) {
				sl.st.encrypted++
			}
			if len(w.matches) == 0 {
				continue
			}
			at := fieldAt{name: sl.name, number: blk.First + int64(i)}
			if blk.Numbers != nil {
				at.number = blk.Numbers[i]
			}
			if blk.InStream {
				at.offset = blk.Base + int64(sp.Off)
			}
			w.found(b, sl.st, val, at)
		}
	}
	b.srcs[0].findings += b.counts.total - n0
}

// scanLines scans the batch's lines (batch.lines): the records of one
// column and run, each a field without an OffsetMap.
func (w *worker) scanLines(b *batch) {
	sl := w.column(b, 0)
	st, fld, crypt := sl.st, sl.fld, sl.crypt
	n0 := b.counts.total
	arena, nums := b.arena, b.lineNums[:len(b.lines)]
	for i, sp := range b.lines {
		if sp.Off < 0 || sp.Off >= sp.End {
			continue
		}
		val := arena[sp.Off:sp.End]
		st.rows++
		// Column.Scan classifies short values anyway, and an all-digit
		// value is never ciphertext (report.LooksEncrypted's rule 4,
		// pinned by TestLooksEncryptedDigits): ID and phone cells skip it.
		var cl pi.Classes
		w.matches, cl = fld.ScanClasses(val, w.matches[:0])
		if crypt && cl != pi.ClassDigit && report.LooksEncrypted(val) {
			st.encrypted++
		}
		if len(w.matches) == 0 {
			continue
		}
		w.found(b, st, val, fieldAt{offset: b.lineBase + int64(sp.Off), name: sl.name, number: nums[i]})
	}
	b.srcs[0].findings += b.counts.total - n0
}

// fieldAt is where a scanned value lies: what its findings say besides
// the match itself.
type fieldAt struct {
	m      OffsetMap
	offset int64
	name   string
	src    int32 // run in batch.srcs
	number int64
}

// found counts (and, for a sink, builds) the findings w.matches in val, a
// value of column st at at.
func (w *worker) found(b *batch, st *colStat, val []byte, at fieldAt) {
	samples := w.e.cfg.Samples
	w.stamp++
	if w.stamp == 0 { // wrapped: forget every stamp
		clear(w.seen)
		w.stamp = 1
	}
	// The match's bytes are sliced only where a finding or sample needs
	// them, which most matches of a report-only scan do not.
	for _, mt := range w.matches {
		id, ok := w.types.cached(mt.Type)
		if !ok {
			id = w.types.miss(mt.Type)
		}
		b.counts.add(id, mt.Grade)
		st.batchFindings = addCount(st.batchFindings, id)
		masked := ""
		if w.build {
			v := val[mt.Start:mt.End]
			start := at.m.Raw(mt.Start)
			run := &b.srcs[at.src]
			f := Finding{
				Source:     run.source,
				Offset:     at.offset + start,
				Length:     at.m.Raw(mt.End) - start,
				Type:       mt.Type,
				Grade:      mt.Grade,
				Confidence: roundConfidence(mt.Confidence),
				Record:     at.number,
				Field:      at.name,
				Table:      run.table,
			}
			if w.e.cfg.RawValues {
				f.Raw = v
			} else {
				f.Masked = w.sample(mt.Type, v)
				masked = f.Masked
			}
			if w.e.cfg.Reveal {
				f.Value = string(v)
			}
			b.findings = append(b.findings, f)
		}
		if int(id) >= len(w.seen) {
			w.seen = append(w.seen, make([]uint32, int(id)+1-len(w.seen))...)
		}
		if w.seen[id] == w.stamp {
			continue
		}
		w.seen[id] = w.stamp
		st.batchTypes = addCount(st.batchTypes, id)
		if mt.Grade != w.types.def[id] {
			if st.grades == nil {
				st.grades = map[pi.TypeID]pi.Grade{}
			}
			st.grades[mt.Type] = max(st.grades[mt.Type], mt.Grade)
		}
		if len(st.samples) < samples {
			if masked == "" {
				masked = w.sample(mt.Type, val[mt.Start:mt.End])
			}
			st.samples = append(st.samples, masked)
		}
	}
}

// sampleChunk is the size of the chunks sample cuts strings from: a few
// hundred samples each, small enough that the few findings a sink keeps
// do not hold much memory alive.
const sampleChunk = 8 << 10

// sample returns masking.Sample(t, v), cut from the worker's current chunk.
// Sinks may keep findings (and reports their samples) after Write returns,
// so a chunk is never written again once a string points into it: when
// one is full the next is a new allocation, and the garbage collector
// frees each when its last sample goes.
func (w *worker) sample(t pi.TypeID, v []byte) string {
	if cap(w.text)-len(w.text) < len(v) { // a sample is at most len(v) bytes
		w.text = make([]byte, 0, max(sampleChunk, len(v)))
	}
	start := len(w.text)
	w.text = masking.AppendSample(w.text, t, v)
	s := w.text[start:]
	return unsafe.String(unsafe.SliceData(s), len(s))
}

// roundConfidence keeps findings readable and stable across platforms.
func roundConfidence(c float32) float64 {
	return float64(int(c*100+0.5)) / 100
}
