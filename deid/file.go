// Package deid runs de-identification jobs: it wires sources, the detection
// engine and a masking policy into masked copies of files, SQL dumps and
// databases. Operators and policies live in masking; this package only moves
// bytes and keeps the copy faithful.
//
// A file is copied as its raw (decompressed) byte stream with every detected
// span replaced by its masked value, re-encoded in the file's encoding and
// recompressed as the input was. Everything between spans — quoting,
// delimiters, SQL statements, JSON structure, line endings — is copied byte
// for byte, so the output has the input's structure by construction. The
// output is written to a temporary file and renamed over OUT only after it
// was complete and verified; the input is never written.
package deid

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/piiscan/piiscan/connectors"
	"github.com/piiscan/piiscan/connectors/sqldump"
	"github.com/piiscan/piiscan/detectors"
	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/internal/atomicfile"
	"github.com/piiscan/piiscan/internal/utf8x"
	"github.com/piiscan/piiscan/masking"
	"github.com/piiscan/piiscan/masking/ff1"
	"github.com/piiscan/piiscan/masking/fpe"
	"github.com/piiscan/piiscan/report"
	"github.com/piiscan/piiscan/scanner"
)

// FileOptions configure MaskFile.
type FileOptions struct {
	Masker    *masking.Masker
	Detectors *detectors.Set
	// Input are the file-reading options (format, encoding, record size).
	Input connectors.Options
	// Workers for detection; 0 means GOMAXPROCS.
	Workers int
	// NoVerify skips re-reading the output to check it has as many records
	// as the input.
	NoVerify bool
	// Unmask reverses tokens instead of masking: values whose rule is
	// tokenize are detected (tokens are valid values of their type) and
	// decrypted; everything else is copied unchanged.
	Unmask bool
}

// Summary says what a masking job did. It holds counts only, never values.
type Summary struct {
	Source       string              `json:"source"`
	Output       string              `json:"output"`
	KeyID        string              `json:"key_id,omitempty"`
	Records      int64               `json:"records"`
	Values       int64               `json:"values"`        // non-empty values (fields) read
	ValuesMasked int64               `json:"values_masked"` // values with at least one masked span
	Findings     int64               `json:"findings"`      // detected spans
	Masked       int64               `json:"masked"`        // spans replaced
	ByRule       map[string]int64    `json:"by_rule"`
	ByType       map[pi.TypeID]int64 `json:"by_type"`
	// Nulled counts values the null operator made the format's NULL (SQL
	// NULL, JSON null); NullAsEmpty the spans it removed instead, leaving
	// an empty string: a CSV field or line of text (no NULL there), or a
	// span that is only part of a value (a phone number inside a note),
	// where NULL would change the rest of the value or break the syntax.
	Nulled      int64 `json:"nulled,omitempty"`
	NullAsEmpty int64 `json:"null_as_empty,omitempty"`
	// QuotedBare counts values that were bare (unquoted) numbers in an SQL
	// dump or JSON and were written as quoted strings, because their
	// replacement (138****5678, [手机号], a hex hash) is no number. JSON
	// readers then see a string; an SQL numeric column gets the string
	// converted, which strict mode refuses when it is not numeric: such
	// columns want tokenize or hash with output: digits.
	QuotedBare int64 `json:"quoted_bare,omitempty"`
	// InvalidRestored counts tokens unmask decrypted to a value that is not
	// valid for its type (check digit, Luhn, mobile segment, address
	// shape): the policy or key is not the one that masked the file.
	InvalidRestored int64 `json:"invalid_restored,omitempty"`
	// NotRestored counts values unmask found under a rule it cannot
	// reverse and copied as they are: the keyed hash a tokenize rule fell
	// back to (a local part too short to tokenise), or a value whose rule
	// is hash, mask or another irreversible operator.
	NotRestored int64 `json:"not_restored,omitempty"`
	// KeysUnique counts JSON object keys that are data ({"13812345678":
	// ...}) masked with the Masker's unique rule (tokenize, hash for what
	// it cannot take) because their policy rule would merge them (mask,
	// replace, null, a tokenize falling back to mask): keys masked alike
	// would be duplicates, of which a JSON parser keeps one value.
	KeysUnique int64               `json:"keys_unique,omitempty"`
	Errors     []report.InputError `json:"errors,omitempty"`
	Verified   bool                `json:"verified"`
	OutRecords int64               `json:"out_records,omitempty"`
}

// ErrInput means the input had parts the readers could not parse.
var ErrInput = errors.New("bad input")

// ErrInvalidRestore means unmask decrypted tokens to values that are not
// valid values of their type, so the key or policy is not the one that
// masked the file. Nothing is written.
//
// It is a net, not a proof: a token decrypted with another key of the same
// layout is still a valid value (FF1 maps valid values to valid values, and
// the ID and card layouts keep their check digits consistent), so only the
// key ID recorded when masking can tell a wrong key for certain.
var ErrInvalidRestore = errors.New("restored values are not valid values of their type")

// ErrMismatch means the masked output does not have the input's records.
var ErrMismatch = errors.New("masked output does not match the input")

// MaskFile writes a masked copy of in to out ("-" for either means
// stdin/stdout; stdin is spooled to a temporary file because it is read
// twice). out must not be in.
func MaskFile(ctx context.Context, in, out string, o FileOptions) (*Summary, error) {
	if o.Masker == nil || o.Detectors == nil {
		return nil, errors.New("deid: masker and detectors are required")
	}
	if in != "-" && out != "-" {
		if same, err := sameFile(in, out); err != nil {
			return nil, err
		} else if same {
			return nil, fmt.Errorf("%s: refusing to write the masked copy over its input", out)
		}
	}
	name := in
	if in == "-" {
		tmp, done, err := spool(o.Input.Stdin)
		if err != nil {
			return nil, err
		}
		defer done()
		in = tmp
	}

	raw, err := connectors.OpenRaw(in, o.Input)
	if err != nil {
		return nil, err
	}
	defer raw.Close()
	if raw.CSVHeader != "" {
		// The input's reader and the verifier's re-read of the output
		// take the header decision made on the input: a first row of
		// data, once masked (张*,男,北京市朝阳区****), would pass for a
		// header and the output would seem a record short.
		o.Input.CSVHeader = raw.CSVHeader
	}

	var dst io.Writer
	var af *atomicfile.File
	var ver *verifier
	if out == "-" {
		dst = os.Stdout
	} else {
		if af, err = atomicfile.Create(out, 0o600); err != nil {
			return nil, err
		}
		defer af.Abort()
		dst = af
		if !o.NoVerify {
			// The output is re-read as it is written (verifier), with the
			// input's reader, to check it has the input's records.
			if ver, dst, err = startVerify(ctx, af.Name(), af, o.Input, raw.Format, out); err != nil {
				return nil, err
			}
			defer ver.stop()
		}
	}
	bw := bufio.NewWriterSize(dst, 1<<20)
	cw, err := compressor(bw, raw.Compression)
	if err != nil {
		return nil, err
	}

	set := o.Detectors
	eng, err := scanner.New(scanner.Config{Detectors: set, Workers: o.Workers, RawValues: true, NoCiphertext: true, Samples: -1})
	if err != nil {
		return nil, err
	}
	src, err := connectors.Open([]string{in}, o.Input)
	if err != nil {
		return nil, err
	}
	defer src.Close()

	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	rw := newRewriter(raw, cw, &o, &Summary{Source: name, Output: out, KeyID: o.Masker.KeyID(), ByRule: map[string]int64{}, ByType: map[pi.TypeID]int64{}}, workers)
	defer rw.close()
	rw.reopen = func() (*connectors.Raw, error) { return connectors.OpenRaw(in, o.Input) }
	rw.maxItem = cmp.Or(o.Input.MaxRecordBytes, connectors.DefaultMaxRecordBytes)
	rep, err := eng.Run(ctx, src, rw)
	if cerr := rw.close(); err == nil && cerr != nil {
		err = fmt.Errorf("writing findings: %w", cerr) // as the engine words a Write error
	}
	if err != nil {
		return rw.sum, err
	}
	if err := rw.finish(); err != nil {
		return rw.sum, err
	}
	sum := rw.sum
	sum.Records = rep.Throughput.Records
	for _, c := range rep.Columns {
		sum.Values += c.RowsScanned
	}
	for _, e := range rep.Errors {
		e.Source, e.Message = name, strings.ReplaceAll(e.Message, in, name) // a spooled stdin is named "-"
		sum.Errors = append(sum.Errors, e)
	}
	if len(sum.Errors) > 0 {
		// The parts of the input the readers could not parse were not
		// scanned, and the copy would carry them over unmasked.
		return sum, fmt.Errorf("%w: %d input error(s) in %s (first: %s); the masked copy was not written because unparsed parts could hold unmasked PI",
			ErrInput, len(sum.Errors), name, sum.Errors[0].Message)
	}
	if err := cw.Close(); err != nil {
		return sum, err
	}
	if err := bw.Flush(); err != nil {
		return sum, err
	}
	if sum.InvalidRestored > 0 {
		return sum, fmt.Errorf("%s: %w: %d of %d restored values (the first at record %d); the policy or key is not the one that masked it, so nothing was written",
			name, ErrInvalidRestore, sum.InvalidRestored, sum.Masked+sum.InvalidRestored, rw.firstInvalid)
	}
	if af == nil {
		return sum, nil
	}
	if ver == nil {
		return sum, af.Commit()
	}
	var tables map[string]int64
	var inDump *sqldump.Counts
	if raw.Format == connectors.FormatSQL {
		// The input's statements, as the parse that read its
		// records counted them (no second parse), against the
		// output's, counted by the verifier's re-read the same way.
		c, ok := src.DumpCounts()
		if !ok {
			return sum, fmt.Errorf("verifying the masked copy: %s was not read as one SQL dump to its end", name)
		}
		inDump = &c
		// The input's rows by table, as its reader counted them:
		// tables with at least one value (the others are in the
		// count of records only).
		tables = map[string]int64{}
		for _, t := range rep.Tables {
			tables[t.Table] += t.Rows
		}
	}
	// The verifier's last reads and the fsync of the copy run at
	// once (the verifier reads the page cache, not the disk); the
	// copy replaces out only when it is both verified and durable.
	return sum, af.CommitAfter(func() error {
		n, err := checkOutput(ver, sum.Records, tables, inDump, name, out)
		if err == nil || errors.Is(err, ErrMismatch) {
			sum.OutRecords, sum.Verified = n, true
		}
		return err
	})
}

// checkOutput is verifier.check, a variable so that a test can fail the
// verification and see that the target is left as it was.
var checkOutput = (*verifier).check

// rewriter is the engine's sink: findings arrive in input order, so it
// streams the raw input to the output, replacing each finding's span.
//
// Computing replacements (tokenising above all) costs as much as detecting
// them, so it does not run on the engine's single sink goroutine: Write
// copies each findings batch into a job and hands it to a pool of maskers,
// each with its own Masker clone; one writer goroutine takes the jobs back in
// the order Write received them and applies them to the stream. A fixed
// number of jobs exists, so at most that many batches are in flight and
// Write blocks when all are busy: memory stays flat however large the input.
type rewriter struct {
	raw    *connectors.Raw
	w      io.Writer
	pos    int64 // raw bytes consumed
	sum    *Summary
	last   valueKey // the last masked value, to count values once
	byType counter[pi.TypeID]
	byRule counter[*masking.CompiledRule] // rules of several Masker clones: merged by name
	own    *replacer
	buf    []byte
	// prev holds the last two bytes before pos that are not white space
	// (prev[1] the last; 0xFF for a replaced span, -1 for none), for the
	// null operator and bare numbers to see what precedes a value however
	// far a pretty-printer indented it. Keeping them as bytes are copied
	// costs one backward look per copy, not a window of fixed size.
	prev [2]int
	// ahead reads the input a third time, forward only, when the white
	// space after a value runs past what raw can peek (see nextNonSpace).
	ahead *aheadReader
	// firstInvalid is the record of the first invalid restoration.
	firstInvalid int64
	// quote is the string quote of a format with bare values (SQL, JSON),
	// else 0. reopen opens the input again for bare, which is opened on the
	// first value that may be a bare number needing quotes (bareStart), and
	// for ahead; close closes both.
	quote   byte
	reopen  func() (*connectors.Raw, error)
	maxItem int
	bare    cursor
	qbuf    []byte
	work    chan *maskJob // to the maskers
	order   chan *maskJob // to the writer, in input order
	free    chan *maskJob
	done    chan struct{} // closed when the writer has returned
	wg      sync.WaitGroup
	failed  atomic.Pointer[error] // the writer's first error
	closed  bool
}

type valueKey struct {
	record       int64
	table, field string
}

// maskJob is one findings batch on its way through the maskers. Its slices
// keep their capacity from batch to batch.
type maskJob struct {
	fs    []scanner.Finding
	raw   []byte // the findings' values, back to back (fs[i].Raw points here)
	res   []replacement
	out   []byte // the replacements' bytes, back to back
	ready chan struct{}
}

// replacement is what a masker decided for one finding.
type replacement struct {
	act        action
	null       bool // the operator said NULL; out is empty
	invalid    bool // keep: unmask restored a value that is not valid
	irrev      bool // keep: unmask found no token (a hash, a masked value)
	uniqueKey  bool // a JSON key given the unique rule instead of its own
	start, end int  // the replacement text in maskJob.out
	rule       *masking.CompiledRule
	err        error
}

type action uint8

const (
	pending action = iota // not computed: the finding overlaps one before it in its batch
	replace               // write out[start:end] instead of the span
	keep                  // copy the span as it is (unmasking a value that is not a token)
	fail                  // err
)

// newRewriter starts workers maskers and the writer.
func newRewriter(raw *connectors.Raw, w io.Writer, o *FileOptions, sum *Summary, workers int) *rewriter {
	r := &rewriter{raw: raw, w: w, sum: sum, prev: [2]int{-1, -1}}
	switch raw.Format {
	case connectors.FormatSQL:
		r.quote = '\''
	case connectors.FormatJSON, connectors.FormatJSONL:
		r.quote = '"'
	}
	newReplacer := func(m *masking.Masker) *replacer {
		p := &replacer{m: m, unmask: o.Unmask, format: raw.Format, delim: raw.Delimiter, source: sum.Source,
			unsafe: unsafeBytes(raw.Format, raw.Delimiter), seed: maphash.MakeSeed(),
			keys: raw.Format == connectors.FormatJSON || raw.Format == connectors.FormatJSONL}
		if o.Unmask {
			p.set, p.fields = o.Detectors, map[[2]string]*detectors.Column{}
		}
		if raw.GB18030 {
			p.enc = simplifiedchinese.GB18030.NewEncoder()
		}
		return p
	}
	r.own = newReplacer(o.Masker)
	jobs := 2*workers + 2
	r.work = make(chan *maskJob, jobs)
	r.order = make(chan *maskJob, jobs)
	r.free = make(chan *maskJob, jobs)
	r.done = make(chan struct{})
	for range jobs {
		r.free <- &maskJob{ready: make(chan struct{}, 1)}
	}
	for range workers {
		p := newReplacer(o.Masker.Clone()) // a Masker is not safe for concurrent use
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			for j := range r.work {
				p.job(j)
				j.ready <- struct{}{}
			}
		}()
	}
	go r.writer()
	return r
}

// Write queues a findings batch. The engine reuses fs after Write returns,
// so the batch is copied (the strings it points to are immutable).
func (r *rewriter) Write(fs []scanner.Finding) error {
	if err := r.err(); err != nil {
		return err
	}
	j := <-r.free
	j.fs = append(j.fs[:0], fs...)
	// The engine lends each value only during Write: copy them all into
	// the job, growing its buffer once so earlier slices stay valid.
	n := 0
	for i := range fs {
		n += len(fs[i].Raw)
	}
	j.raw = slices.Grow(j.raw[:0], n)
	for i := range j.fs {
		k := len(j.raw)
		j.raw = append(j.raw, j.fs[i].Raw...)
		j.fs[i].Raw = j.raw[k:len(j.raw):len(j.raw)]
	}
	r.work <- j
	r.order <- j
	return nil
}

func (r *rewriter) err() error {
	if p := r.failed.Load(); p != nil {
		return *p
	}
	return nil
}

// close waits for the queued batches to be written and stops the maskers
// and the writer. It returns the writer's first error.
func (r *rewriter) close() error {
	if !r.closed {
		r.closed = true
		close(r.work)
		close(r.order)
		r.wg.Wait()
		<-r.done
		// The writer has returned: the inputs it opened again are done.
		if r.bare != nil {
			r.bare.close()
		}
		if r.ahead != nil {
			r.ahead.raw.Close()
		}
		for i, t := range r.byType.keys {
			r.sum.ByType[t] += r.byType.n[i]
		}
		for i, rule := range r.byRule.keys {
			r.sum.ByRule[rule.Name] += r.byRule.n[i]
		}
	}
	return r.err()
}

// writer applies the jobs in input order. After an error it only returns
// them to the free list, so Write never blocks for good.
func (r *rewriter) writer() {
	defer close(r.done)
	for j := range r.order {
		<-j.ready
		if r.err() == nil {
			if err := r.apply(j); err != nil {
				r.failed.Store(&err)
			}
		}
		clear(j.fs) // drop the strings
		j.fs = j.fs[:0]
		r.free <- j
	}
}

func (r *rewriter) apply(j *maskJob) error {
	for i := range j.fs {
		f := &j.fs[i]
		r.sum.Findings++
		r.byType.inc(f.Type)
		if f.Offset < r.pos {
			continue // an overlapping second type for the same span (e.g. minor beside cn_id_card)
		}
		rp := j.res[i]
		out := j.out[rp.start:rp.end]
		if rp.act == pending {
			// The masker skipped it, judging overlaps within its batch
			// only; compute it here.
			r.buf, rp = r.own.replace(r.buf[:0], f)
			out = r.buf[rp.start:rp.end]
		}
		switch rp.act {
		case keep:
			if rp.invalid {
				if r.sum.InvalidRestored == 0 {
					r.firstInvalid = f.Record
				}
				r.sum.InvalidRestored++
			}
			if rp.irrev {
				r.sum.NotRestored++
			}
			continue
		case fail:
			return rp.err
		}
		if rp.null {
			if err := r.null(f); err != nil {
				return err
			}
		} else {
			quote := false
			if r.quote != 0 && !plainNumber(out) && numberText(f.Raw) {
				// A number replaced by what may be no number: rare
				// enough for bareQuote to read the input again.
				var err error
				if quote, err = r.bareQuote(f, out); err != nil {
					return err
				}
			}
			if quote {
				if err := r.writeQuoted(f, out); err != nil {
					return err
				}
			} else {
				if err := r.copyTo(f.Offset); err != nil {
					return err
				}
				if _, err := r.w.Write(out); err != nil {
					return err
				}
			}
			if _, err := r.raw.Discard(int(f.Length)); err != nil {
				return fmt.Errorf("%s: input changed while masking (offset %d): %w", r.sum.Source, f.Offset, err)
			}
			r.pos = f.Offset + f.Length
			r.remember(spanMark)
		}
		r.sum.Masked++
		if rp.uniqueKey {
			r.sum.KeysUnique++
		}
		r.byRule.inc(rp.rule)
		if k := (valueKey{f.Record, f.Table, f.Field}); k != r.last {
			r.sum.ValuesMasked++
			r.last = k
		}
	}
	return nil
}

// replacer computes replacement texts with its own Masker.
type replacer struct {
	m      *masking.Masker
	unmask bool
	enc    interface{ Bytes([]byte) ([]byte, error) }
	format string
	delim  byte
	source string
	unsafe byteSet // the bytes checkSafe refuses
	keys   bool    // JSON: object keys that are data come as "{key}" fields
	// cache holds recent replacements made by the keyed operators
	// (tokenize, hash, shift_date), direct-mapped by a hash of the value:
	// here they depend on the rule, type and value only (a file has no
	// subject), cost far more than a lookup, and values recur (a
	// customer's phone in every order). use turns it off while values do
	// not repeat.
	cache [cacheSlots]replaceSlot
	// set and fields check unmask's restored values (valid).
	set     *detectors.Set
	fields  map[[2]string]*detectors.Column
	matches []pi.Match
	use     cacheUse
	seed    maphash.Seed
	// batch holds tokens' FF1 computations run ahead, several values at a
	// time (prefetch); ahead[i%prefetchMax] the rule of the finding i
	// that prefetch looked at.
	batch ff1.Batch
	ahead [prefetchMax]*masking.CompiledRule
}

type replaceSlot struct {
	rule    *masking.CompiledRule
	t       pi.TypeID
	in, out []byte
}

// cached reports whether rule's outputs go through replacer.cache.
func cached(rule *masking.CompiledRule) bool {
	switch rule.Operator {
	case "tokenize", "hash", "shift_date":
		return true
	}
	return false
}

// byteSet is a set of bytes, a flag (0 or 1) each: one load per byte
// tested, which matters in suspect, run over every replacement.
type byteSet [256]uint8

func (s *byteSet) add(c byte)      { s[c] = 1 }
func (s *byteSet) has(c byte) bool { return s[c] != 0 }
func (s *byteSet) any(v []byte) bool {
	for _, c := range v {
		if s.has(c) {
			return true
		}
	}
	return false
}

// suspect reports whether v holds a byte of s or is not valid UTF-8: the
// screen before checkSafe, run on every replacement. One pass ORs the bytes
// as it looks them up, so the UTF-8 check runs only on values with a byte
// above 0x7F (tokens, hashes and masks of ASCII values have none). s must
// hold no byte above 0x7F (unsafeBytes: control and ASCII syntax bytes).
func (s *byteSet) suspect(v []byte) bool {
	var or byte
	// Eight bytes a step: one branch for eight lookups (flags are 0 or 1).
	p := v
	for ; len(p) >= 8; p = p[8:] {
		c := p[:8:8]
		if s[c[0]]|s[c[1]]|s[c[2]]|s[c[3]]|s[c[4]]|s[c[5]]|s[c[6]]|s[c[7]] != 0 {
			return true
		}
		or |= c[0] | c[1] | c[2] | c[3] | c[4] | c[5] | c[6] | c[7]
	}
	for _, c := range p {
		if s.has(c) {
			return true
		}
		or |= c
	}
	if or < utf8.RuneSelf {
		return false
	}
	if len(v) < 32 {
		// Shorter than utf8x's vector block (a masked name, 王*): its
		// setup would only hand the bytes to utf8.Valid.
		return !utf8.Valid(v)
	}
	return !utf8x.Valid(v)
}

// unsafeBytes are the bytes checkSafe refuses in format: it is only called
// (for its error) when a value holds one, or is not UTF-8.
func unsafeBytes(format string, delim byte) byteSet {
	var s byteSet
	for c := range byte(0x20) {
		if c != '\t' {
			s.add(c)
		}
	}
	for _, c := range []byte(structureBytes(format, delim)) {
		s.add(c)
	}
	return s
}

// job computes the replacements of a batch. Like the writer, it skips a
// finding that overlaps the one replaced before it, but it cannot know the
// spans of the batches before: the writer decides, and computes what was
// skipped here if it needs it.
func (p *replacer) job(j *maskJob) {
	j.out = j.out[:0]
	j.res = slices.Grow(j.res[:0], len(j.fs))[:len(j.fs)]
	var pos int64
	failed := false
	ahead := 0 // the findings before it were looked at by prefetch
	for i := range j.fs {
		f := &j.fs[i]
		if failed || f.Offset < pos {
			j.res[i] = replacement{act: pending}
			continue
		}
		if i >= ahead && !p.unmask {
			ahead = p.prefetch(j.fs, i)
		}
		rule := p.ahead[i%prefetchMax] // prefetch looked it up
		if rule == nil || i >= ahead {
			rule = p.rule(f)
		}
		j.out, j.res[i] = p.replaceBy(j.out, f, rule)
		switch j.res[i].act {
		case replace:
			pos = f.Offset + f.Length
		case fail:
			failed = true // the writer stops there
		}
	}
}

// prefetchWindow is how many findings prefetch looks at for a batch's
// tokens: a dump's row has a few. A variable so that a test can turn
// prefetching off (0) and compare.
var prefetchWindow = 16

// prefetchMax bounds prefetchWindow: replacer.ahead has its room.
const prefetchMax = 32

// prefetch runs the FF1 computations of the tokens of fs[i:] ahead, up to
// a batch of them (ff1.BatchLanes; tokens the value cache holds left out),
// so that replace finds them done: one value's FF1 rounds are a chain of
// AES latencies, several values' rounds overlap. It returns the index of
// the first finding it did not look at. What replace writes does not
// depend on it.
func (p *replacer) prefetch(fs []scanner.Finding, i int) int {
	p.batch.Reset()
	end := min(len(fs), i+min(prefetchWindow, prefetchMax))
	for ; i < end && p.batch.Len() < ff1.BatchLanes; i++ {
		f := &fs[i]
		rule := p.rule(f)
		p.ahead[i%prefetchMax] = rule
		if !cached(rule) {
			continue
		}
		if !p.use.off {
			sl := &p.cache[maphash.Bytes(p.seed, f.Raw)%cacheSlots]
			if sl.rule == rule && sl.t == f.Type && bytes.Equal(sl.in, f.Raw) {
				continue
			}
		}
		rule.Prefetch(&p.batch, f.Type, f.Raw)
	}
	p.batch.Run()
	return i
}

// rule is the masking rule of f.
func (p *replacer) rule(f *scanner.Finding) *masking.CompiledRule {
	return p.m.Rule(f.Table, f.Field, f.Type, f.Grade)
}

// replace appends the replacement text of f to dst.
func (p *replacer) replace(dst []byte, f *scanner.Finding) ([]byte, replacement) {
	return p.replaceBy(dst, f, p.rule(f))
}

// replaceBy is replace with f's rule, p.rule(f), already looked up.
func (p *replacer) replaceBy(dst []byte, f *scanner.Finding, rule *masking.CompiledRule) ([]byte, replacement) {
	start := len(dst)
	uniqueKey := false
	if p.keys && jsonKey(f.Field) && !rule.Injective() {
		// Keys masked alike (138****5678 twice, "" for null) would be
		// duplicates, and a parser keeps one of their values.
		u, err := p.m.UniqueRule(f.Table, f.Field, f.Type, f.Grade)
		if err != nil {
			return dst, replacement{act: fail, err: fmt.Errorf("%s: record %d: field %q: JSON object keys must stay distinct: %w", p.source, f.Record, f.Field, err)}
		}
		rule, uniqueKey = u, true
	}
	val := f.Raw // the job's copy: operators only read it
	var sl *replaceSlot
	if !p.unmask && cached(rule) && p.use.next() {
		sl = &p.cache[maphash.Bytes(p.seed, val)%cacheSlots]
		if sl.rule == rule && sl.t == f.Type && bytes.Equal(sl.in, val) {
			p.use.hits++
			dst = append(dst, sl.out...)
			return dst, replacement{act: replace, start: start, end: len(dst), rule: rule, uniqueKey: uniqueKey}
		}
	}
	var out []byte
	var err error
	if p.unmask {
		if rule.Operator != "tokenize" {
			return dst, replacement{act: keep, irrev: true} // not a token: copied as it is
		}
		out, err = rule.Reverse(dst, f.Type, val)
		if errors.Is(err, fpe.ErrFormat) {
			// Not a token: its rule's fallback masked or hashed it (a
			// hash has a shape tokens never have, masking.Tokenize).
			return dst, replacement{act: keep, irrev: true}
		}
		if err == nil && !p.valid(f, out[start:]) {
			return dst[:start], replacement{act: keep, invalid: true}
		}
	} else {
		out, err = rule.Apply(dst, f.Type, nil, val)
	}
	if err != nil && errors.Is(err, masking.ErrNull) {
		// The writer sees the bytes around the span and decides between
		// the format's NULL and an empty string (rewriter.null).
		return dst[:start], replacement{act: replace, null: true, start: start, end: start, rule: rule}
	}
	failed := func(err error) ([]byte, replacement) {
		return dst[:start], replacement{act: fail, err: err}
	}
	if err != nil {
		return failed(fmt.Errorf("%s: record %d: field %q: %w", p.source, f.Record, f.Field, err))
	}
	if p.unsafe.suspect(out[start:]) {
		if err := checkSafe(out[start:], rule.Name, p.format, p.delim); err != nil {
			return failed(fmt.Errorf("%s: record %d: %w", p.source, f.Record, err))
		}
	}
	if p.enc != nil {
		enc, err := p.enc.Bytes(out[start:])
		if err != nil {
			return failed(fmt.Errorf("%s: record %d: masked value not encodable in GB18030: %w", p.source, f.Record, err))
		}
		out = append(out[:start], enc...)
	}
	if sl != nil {
		sl.rule, sl.t = rule, f.Type
		sl.in = append(sl.in[:0], val...)
		sl.out = append(sl.out[:0], out[start:]...)
	}
	return out, replacement{act: replace, start: start, end: len(out), rule: rule, uniqueKey: uniqueKey}
}

// jsonKey reports a field the JSON reader names for an object key that is
// data: "{key}", or "{key}" under a parent.
func jsonKey(field string) bool {
	return strings.HasSuffix(field, "{key}") && (len(field) == len("{key}") || field[len(field)-len("{key}")-1] == '.')
}

// valid reports whether v, restored by unmask from a token found as f, is
// a value of f's type as the detectors see it: a match of that type over
// all of v, in f's column. Tokens are found by the same detectors, so the
// right key and policy always restore valid values.
func (p *replacer) valid(f *scanner.Finding, v []byte) bool {
	k := [2]string{f.Table, f.Field}
	fc, ok := p.fields[k]
	if !ok {
		if len(p.fields) > 1<<12 {
			clear(p.fields)
		}
		fc = p.set.Column(p.set.Field(f.Table, f.Field, ""))
		p.fields[k] = fc
	}
	p.matches = fc.Scan(v, p.matches[:0])
	for _, m := range p.matches {
		if m.Type == f.Type && m.Start == 0 && m.End == len(v) {
			return true
		}
	}
	return false
}

func (r *rewriter) copyTo(off int64) error {
	if off == r.pos {
		return nil
	}
	for r.pos < off {
		// Peek+Discard copies straight out of the reader's buffer: no
		// buffer per call (io.CopyN would allocate one per finding).
		b, err := r.raw.Peek(int(min(off-r.pos, int64(r.raw.Size()))))
		if len(b) > 0 {
			if _, werr := r.w.Write(b); werr != nil {
				return werr
			}
			r.remember(b)
			r.raw.Discard(len(b))
			r.pos += int64(len(b))
		}
		if err != nil && err != bufio.ErrBufferFull {
			return fmt.Errorf("%s: copying up to offset %d: %w", r.sum.Source, off, err)
		}
	}
	return nil
}

// spanMark stands in r.prev for a replaced span: it is no byte of any
// format's syntax.
var spanMark = []byte{0xFF}

// remember updates r.prev with b, the bytes just copied or written.
func (r *rewriter) remember(b []byte) {
	i := len(b) - 1
	for i >= 0 && isSpace(b[i]) {
		i--
	}
	if i < 0 {
		return // white space only: what precedes it still does
	}
	j := i - 1
	for j >= 0 && isSpace(b[j]) {
		j--
	}
	if j >= 0 {
		r.prev = [2]int{int(b[j]), int(b[i])}
	} else {
		r.prev = [2]int{r.prev[1], int(b[i])}
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// nextNonSpace returns the first byte that is not white space at or after
// skip bytes past r.pos, without consuming anything; -1 at the end of the
// input. White space is followed as far as it goes: past what raw can
// peek, a third reader (r.ahead) goes on from there.
func (r *rewriter) nextNonSpace(skip int) (int, error) {
	size := r.raw.Size()
	want := min(skip+80, size)
	for {
		b, err := r.raw.Peek(want)
		if len(b) > skip {
			if c := firstNonSpace(b[skip:]); c >= 0 {
				return c, nil
			}
		}
		if len(b) < want {
			if err == io.EOF {
				return -1, nil
			}
			return -1, err
		}
		if want == size {
			break
		}
		want = size
	}
	if r.reopen == nil {
		return -1, nil
	}
	if r.ahead == nil || r.ahead.pos > r.pos+int64(size) {
		if r.ahead != nil {
			r.ahead.raw.Close()
		}
		raw, err := r.reopen()
		if err != nil {
			return -1, fmt.Errorf("%s: reading the input again to look past white space: %w", r.sum.Source, err)
		}
		r.ahead = &aheadReader{raw: raw}
	}
	return r.ahead.nextNonSpace(r.pos + int64(size))
}

// aheadReader is a forward-only reader of the input for nextNonSpace. It
// only ever skips white space and stops before the byte that ends it, so
// the offsets it is asked for never go back: it reads the input once.
type aheadReader struct {
	raw *connectors.Raw
	pos int64
}

func (a *aheadReader) nextNonSpace(from int64) (int, error) {
	if from > a.pos {
		n, err := a.raw.Discard(int(from - a.pos))
		a.pos += int64(n)
		if err == io.EOF {
			return -1, nil
		} else if err != nil {
			return -1, err
		}
	}
	for {
		b, err := a.raw.Peek(a.raw.Size())
		i := 0
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		a.raw.Discard(i)
		a.pos += int64(i)
		if i < len(b) {
			return int(b[i]), nil
		}
		if err == io.EOF {
			return -1, nil
		} else if err != nil && err != bufio.ErrBufferFull {
			return -1, err
		}
	}
}

// null writes the null operator's result for f. A value that is the whole
// of an SQL or JSON value becomes the format's NULL, unquoted: 'x' or x
// between '(' or ',' and ',' or ')' in SQL becomes NULL; "x" or x after ':',
// '[' or ',' and before ',', '}' or ']' in JSON becomes null (after ':' only
// when a key's closing quote precedes it). Anything else loses the span and
// keeps what surrounds it: CSV has no NULL and an empty field is its
// nearest, text has none either, and NULL in place of part of a string (a
// phone number inside a note) would change the rest of the value or break
// the statement. The quote before the span is what tells a whole quoted
// value: inside a string the format escapes it. An unquoted number between
// commas inside a longer string looks like a whole value and becomes the
// text NULL, which is still valid. White space around the value is looked
// through however long it is (r.prev, nextNonSpace).
func (r *rewriter) null(f *scanner.Finding) error {
	var lit, quote, starts, ends string
	switch r.raw.Format {
	case connectors.FormatSQL:
		lit, quote, starts, ends = "NULL", "'", "(,", ",)"
	case connectors.FormatJSON, connectors.FormatJSONL:
		lit, quote, starts, ends = "null", `"`, ":[,", ",}]"
	}
	n := int(f.Length)
	whole, quoted := false, false
	if lit != "" && f.Offset > r.pos && numberText(f.Raw) {
		// A signed number (-13812345678): the sign goes too, or a bare
		// '-' would be left.
		if err := r.copyTo(f.Offset - 1); err != nil {
			return err
		}
		if b, _ := r.raw.Peek(1); len(b) == 1 && (b[0] == '-' || b[0] == '+') {
			start, ok, err := r.bareStart(f)
			if err != nil {
				return err
			}
			if ok && start < f.Offset {
				if _, err := io.WriteString(r.w, lit); err != nil {
					return err
				}
				r.raw.Discard(int(f.Offset-start) + n)
				r.pos = f.Offset + f.Length
				r.remember(spanMark)
				r.sum.Nulled++
				return nil
			}
		}
	}
	if lit != "" && f.Offset > r.pos {
		if err := r.copyTo(f.Offset - 1); err != nil {
			return err
		}
		// The byte before the span, the span, and what follows it.
		b, _ := r.raw.Peek(1 + n + 1)
		if len(b) > n {
			before, after := b[0], 1+n
			if before == quote[0] && len(b) > after && b[after] == quote[0] {
				quoted = true
				after++
			}
			prev, prev2 := r.lastTwo(before, quoted)
			next, err := r.nextNonSpace(after)
			if err != nil {
				return err
			}
			whole = next >= 0 && strings.IndexByte(ends, byte(next)) >= 0 &&
				prev >= 0 && strings.IndexByte(starts, byte(prev)) >= 0
			if whole && prev == ':' && !quoted && prev2 != '"' {
				whole = false // "tel:138...": inside a string
			}
		}
		if !whole || !quoted {
			// Keep the byte before the span.
			if err := r.copyTo(f.Offset); err != nil {
				return err
			}
		}
	} else if err := r.copyTo(f.Offset); err != nil {
		return err
	}
	skip := n
	if whole {
		if _, err := io.WriteString(r.w, lit); err != nil {
			return err
		}
		if quoted {
			skip += 2 // both quotes
		}
		r.sum.Nulled++
	} else {
		r.sum.NullAsEmpty++
	}
	if _, err := r.raw.Discard(skip); err != nil {
		return fmt.Errorf("%s: input changed while masking (offset %d): %w", r.sum.Source, f.Offset, err)
	}
	r.pos = r.pos + int64(skip)
	if quoted && whole {
		r.remember([]byte(quote))
	} else {
		r.remember(spanMark)
	}
	return nil
}

// lastTwo returns the last two non-space bytes before a span: from the
// byte just before it (before, not yet copied; skipped when it is the
// opening quote or white space) and then r.prev. -1 where there is none.
func (r *rewriter) lastTwo(before byte, skipBefore bool) (int, int) {
	if skipBefore || isSpace(before) {
		return r.prev[1], r.prev[0]
	}
	return int(before), r.prev[1]
}

func firstNonSpace(b []byte) int {
	for _, c := range b {
		if !isSpace(c) {
			return int(c)
		}
	}
	return -1
}

// plainNumber reports digits that are a number both in SQL and in JSON (no
// leading zero): a tokenised mobile or card left bare as it was. It runs on
// every replacement of an SQL dump or JSON, most of them tokens of 11 to 19
// digits: eight bytes are tested a step.
func plainNumber(v []byte) bool {
	if len(v) == 0 || v[0] == '0' && len(v) > 1 {
		return false
	}
	for ; len(v) >= 8; v = v[8:] {
		if !utf8x.Digits8(binary.LittleEndian.Uint64(v)) {
			return false
		}
	}
	for _, c := range v {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// numberText reports a value made of the bytes of a number literal only,
// the one shape a whole bare value holding PI has.
func numberText(v []byte) bool {
	for _, c := range v {
		if !isNumByte(c) {
			return false
		}
	}
	return len(v) > 0
}

func isNumByte(c byte) bool {
	return '0' <= c && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+'
}

// number reports whether v is a number literal of format: SQL [+-]digits
// [.digits][e[+-]digits] (also .5 and 5.); JSON without '+', leading zeros
// or a bare '.'.
func number(format string, v []byte) bool {
	json := format != connectors.FormatSQL
	i := 0
	if i < len(v) && (v[i] == '-' || v[i] == '+' && !json) {
		i++
	}
	digits := func() int {
		j := i
		for i < len(v) && '0' <= v[i] && v[i] <= '9' {
			i++
		}
		return i - j
	}
	first := i
	n := digits()
	if json && (n == 0 || n > 1 && v[first] == '0') {
		return false
	}
	if i < len(v) && v[i] == '.' {
		i++
		m := digits()
		if json && m == 0 || n+m == 0 {
			return false
		}
	} else if n == 0 {
		return false
	}
	if i < len(v) && (v[i] == 'e' || v[i] == 'E') {
		i++
		if i < len(v) && (v[i] == '-' || v[i] == '+') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(v)
}

// bareQuote reports whether f's replacement out must be written quoted: f
// is the whole of a bare number of an SQL dump or JSON (a sign before it
// included) and the number's replacement is no number of that syntax. It
// then copies the input up to the number's start (its sign).
func (r *rewriter) bareQuote(f *scanner.Finding, out []byte) (bool, error) {
	start, ok, err := r.bareStart(f)
	if !ok || err != nil {
		return false, err
	}
	v := out
	if start < f.Offset {
		sign, _ := r.raw.Peek(int(f.Offset - start))
		r.qbuf = append(append(r.qbuf[:0], sign...), out...)
		v = r.qbuf
	}
	return !number(r.raw.Format, v), nil
}

// bareStart reports whether f is the whole of a bare number of an SQL dump
// or JSON, a sign before it included, and where that number starts. It
// copies the input up to there (or to just before f when it is not one).
//
// The bytes around a span rule out most numbers (inside text, quoted),
// but cannot tell a bare value from a number between commas inside a string
// ('1,18600001111,x'), where quotes would break the statement: only a parse
// from the start of the input can. So a second reader (bare) parses the
// input as far as the spans that pass the first test; it is opened for the
// first of them.
func (r *rewriter) bareStart(f *scanner.Finding) (int64, bool, error) {
	if f.Offset <= r.pos {
		return 0, false, nil // right after another span
	}
	if err := r.copyTo(f.Offset - 1); err != nil {
		return 0, false, err
	}
	n := int(f.Length)
	b, _ := r.raw.Peek(1 + n)
	if len(b) <= n {
		return 0, false, nil
	}
	starts, ends := "(,", ",)"
	if r.quote == '"' {
		starts, ends = ":[,", ",}]"
	}
	before := b[0]
	if before == '-' || before == '+' {
		before = 0 // the sign's own byte is not looked at again
	}
	prev, _ := r.lastTwo(before, before == 0)
	next, err := r.nextNonSpace(1 + n)
	if err != nil {
		return 0, false, err
	}
	if prev < 0 || next < 0 || strings.IndexByte(starts, byte(prev)) < 0 || strings.IndexByte(ends, byte(next)) < 0 {
		return 0, false, nil
	}
	if r.bare == nil {
		if r.reopen == nil {
			return 0, false, nil
		}
		raw, err := r.reopen()
		if err != nil {
			return 0, false, fmt.Errorf("%s: reading the input again to place quotes: %w", r.sum.Source, err)
		}
		if r.quote == '\'' {
			r.bare = &sqlCursor{raw: raw, rd: sqldump.NewReader(raw, raw.GB18030, r.maxItem)}
		} else {
			r.bare = &jsonCursor{raw: raw, gb: raw.GB18030}
		}
	}
	start, ok, err := r.bare.bare(f.Offset, f.Offset+f.Length)
	if err != nil {
		return 0, false, fmt.Errorf("%s: reading the input again to place quotes: %w", r.sum.Source, err)
	}
	if !ok || start < r.pos {
		return 0, false, nil
	}
	return start, true, r.copyTo(start)
}

// writeQuoted writes the sign before f (from r.pos) and out as one string
// literal, and counts it.
func (r *rewriter) writeQuoted(f *scanner.Finding, out []byte) error {
	sign, err := r.raw.Peek(int(f.Offset - r.pos))
	if err != nil {
		return fmt.Errorf("%s: input changed while masking (offset %d): %w", r.sum.Source, r.pos, err)
	}
	b := append(r.qbuf[:0], r.quote)
	b = appendEscaped(b, r.quote, sign, false)
	b = appendEscaped(b, r.quote, out, r.raw.GB18030)
	b = append(b, r.quote)
	r.qbuf = b
	if _, err := r.w.Write(b); err != nil {
		return err
	}
	r.raw.Discard(len(sign))
	r.pos = f.Offset
	r.sum.QuotedBare++
	return nil
}

// appendEscaped appends v escaped for a string literal quoted with quote:
// SQL (') escapes ', \ and the control bytes with a backslash as mysqldump
// does; JSON (") escapes ", \ and control bytes. In GB18030 the bytes after
// a character's first byte are skipped: 0x5C there is no backslash.
func appendEscaped(dst []byte, quote byte, v []byte, gb bool) []byte {
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case gb && c >= 0x81:
			n := 2
			if i+1 < len(v) && '0' <= v[i+1] && v[i+1] <= '9' {
				n = 4
			}
			n = min(n, len(v)-i)
			dst = append(dst, v[i:i+n]...)
			i += n - 1
			continue
		case c == quote || c == '\\':
			dst = append(dst, '\\', c)
			continue
		case c >= 0x20:
			dst = append(dst, c)
			continue
		}
		if quote == '"' {
			switch c {
			case '\t':
				dst = append(dst, '\\', 't')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			default:
				dst = append(dst, '\\', 'u', '0', '0', "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
			}
			continue
		}
		switch c {
		case 0:
			dst = append(dst, '\\', '0')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case 0x1a:
			dst = append(dst, '\\', 'Z')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// cursor reads the input a second time, forward only, to tell bare values.
type cursor interface {
	// bare returns where the bare number holding [off, end) starts, if it
	// is one, ends at end, and has at most a sign before off; ok is false
	// for a span in a string or comment, or inside a longer token. Spans
	// are asked in increasing order.
	bare(off, end int64) (start int64, ok bool, err error)
	close()
}

// sqlCursor parses the dump with the parser the SQL reader uses: a bare
// value is a Number value of an INSERT's tuple.
type sqlCursor struct {
	raw  *connectors.Raw
	rd   *sqldump.Reader
	it   sqldump.Item
	end  int64 // stream offset after it
	done bool
}

func (c *sqlCursor) bare(off, end int64) (int64, bool, error) {
	for c.end <= off {
		if c.done {
			return 0, false, nil
		}
		if err := c.rd.Next(&c.it); err != nil {
			// A statement too long or malformed still comes as an item;
			// the reader of the first pass reports it.
			var serr *sqldump.SyntaxError // declared here: it escapes
			if err == io.EOF || !errors.Is(err, sqldump.ErrTooLong) && !errors.As(err, &serr) {
				c.done = true
				if err == io.EOF {
					err = nil
				}
				return 0, false, err
			}
		}
		c.end = c.it.Offset + int64(len(c.it.Raw))
	}
	if c.it.Kind != sqldump.Tuple || c.it.Offset > off {
		return 0, false, nil
	}
	for _, v := range c.it.Values {
		vs, ve := c.it.Span(v)
		if ve < end {
			continue
		}
		if vs > off || ve != end || v.Kind != sqldump.Number {
			return 0, false, nil
		}
		for _, s := range c.it.Raw[v.Start : int64(v.Start)+off-vs] {
			if s != '-' && s != '+' {
				return 0, false, nil
			}
		}
		return vs, true, nil
	}
	return 0, false, nil
}

func (c *sqlCursor) close() { c.raw.Close() }

// jsonCursor follows JSON strings (quotes and backslash escapes); outside
// them, a number is a run of number bytes. It serves JSON and JSON lines.
type jsonCursor struct {
	raw   *connectors.Raw
	pos   int64
	gb    bool
	inStr bool
	esc   bool // the next byte is escaped
	lead  bool // GB18030: the byte after a character's first byte
	skip  int  // GB18030: bytes of a four-byte character still to pass
	last  [2]byte
	done  bool
}

func (c *jsonCursor) bare(off, end int64) (int64, bool, error) {
	if off < c.pos {
		return 0, false, nil
	}
	if err := c.advance(off); err != nil || c.done || c.inStr || c.esc || c.skip > 0 || c.lead {
		return 0, false, err
	}
	prev, prev2 := c.last[1], c.last[0]
	if err := c.advance(end); err != nil || c.done || c.inStr {
		return 0, false, err
	}
	if b, _ := c.raw.Peek(1); len(b) == 1 && isNumByte(b[0]) {
		return 0, false, nil // more of the number follows
	}
	start := off
	if prev == '-' && off > 0 {
		start, prev = off-1, prev2
	}
	if isNumByte(prev) && start > 0 || 'a' <= prev|0x20 && prev|0x20 <= 'z' {
		return 0, false, nil
	}
	return start, true, nil
}

// advance reads up to offset to.
func (c *jsonCursor) advance(to int64) error {
	for c.pos < to && !c.done {
		b, err := c.raw.Peek(int(min(to-c.pos, int64(c.raw.Size()))))
		c.scan(b)
		switch n := len(b); {
		case n >= 2:
			c.last = [2]byte{b[n-2], b[n-1]}
		case n == 1:
			c.last = [2]byte{c.last[1], b[0]}
		}
		c.raw.Discard(len(b))
		c.pos += int64(len(b))
		if err == io.EOF {
			c.done = true
		} else if err != nil && err != bufio.ErrBufferFull {
			c.done = true
			return err
		}
	}
	return nil
}

func (c *jsonCursor) scan(b []byte) {
	for i := 0; i < len(b); {
		switch {
		case c.esc:
			c.esc = false
			i++
		case c.skip > 0:
			n := min(c.skip, len(b)-i)
			c.skip -= n
			i += n
		case c.lead:
			c.lead = false
			if '0' <= b[i] && b[i] <= '9' {
				c.skip = 2
			}
			i++
		case !c.inStr:
			k := bytes.IndexByte(b[i:], '"')
			if k < 0 {
				return
			}
			c.inStr = true
			i += k + 1
		case c.gb:
			switch ch := b[i]; {
			case ch == '"':
				c.inStr = false
			case ch == '\\':
				c.esc = true
			case ch >= 0x81:
				c.lead = true
			}
			i++
		default:
			k := bytes.IndexAny(b[i:], `"\`)
			if k < 0 {
				return
			}
			i += k
			if b[i] == '"' {
				c.inStr = false
			} else {
				c.esc = true
			}
			i++
		}
	}
}

func (c *jsonCursor) close() { c.raw.Close() }

func (r *rewriter) finish() error {
	n, err := io.Copy(r.w, r.raw)
	r.pos += n
	return err
}

// checkSafe refuses replacement text that would change the structure of the
// file around the span: a masked value cannot be re-quoted in place, so it
// must not contain the format's quoting, escaping or separator characters.
func checkSafe(v []byte, rule, format string, delim byte) error {
	if !utf8.Valid(v) {
		return fmt.Errorf("rule %q produced invalid UTF-8", rule)
	}
	if i := bytes.IndexAny(v, structureBytes(format, delim)); i >= 0 {
		return fmt.Errorf("rule %q: its output contains %q, which would break the %s structure around the value; use a replacement text without it", rule, v[i], format)
	}
	for _, c := range v {
		if c < 0x20 && c != '\t' {
			return fmt.Errorf("rule %q: its output contains a control character", rule)
		}
	}
	return nil
}

// structureBytes are the bytes a replacement must not hold in format.
func structureBytes(format string, delim byte) string {
	bad := "\r\n"
	switch format {
	case connectors.FormatCSV, connectors.FormatTSV:
		bad += "\"" + string(delim)
	case connectors.FormatJSON, connectors.FormatJSONL:
		bad += "\"\\\t" // a raw TAB is a control character JSON strings may not hold
	case connectors.FormatSQL:
		bad += "'\"\\`"
	}
	return bad
}

// compressor writes w compressed as the input was.
func compressor(w io.Writer, c connectors.Compression) (io.WriteCloser, error) {
	switch c {
	case connectors.Gzip:
		return gzip.NewWriter(w), nil
	case connectors.Zstd:
		return zstd.NewWriter(w, zstd.WithEncoderConcurrency(1))
	}
	return nopCloser{w}, nil
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// countRows re-reads a written file with the same reader as the input and
// counts its records. Its errors name the file name (the output a
// temporary file or stream becomes). It also counts, in rows if it is not
// nil, the records of each table (an SQL dump's rows; statements that are
// text have none), and sets *dump, if dump is not nil, to the statements
// of an SQL dump as its parse counted them (an error if the file was not
// read as one SQL dump to its end).
func countRows(ctx context.Context, path, name string, in connectors.Options, format string, rows map[string]int64, dump *sqldump.Counts) (int64, error) {
	in.Format = format
	in.CountOnly = true // the same records and errors, without their fields
	src, err := connectors.Open([]string{path}, in)
	if err != nil {
		return 0, err
	}
	defer src.Close()
	var rec scanner.Record
	var n int64
	var last int64 = -1
	lastTable := ""
	runTable, run := "", int64(0) // rows of runTable not yet in rows
	flush := func() {
		if run > 0 {
			rows[runTable] += run
			run = 0
		}
	}
	defer flush()
	for {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		err := src.Next(&rec)
		if err == io.EOF {
			if dump != nil {
				var ok bool
				if *dump, ok = src.DumpCounts(); !ok {
					return n, fmt.Errorf("%s was not read back as one SQL dump", name)
				}
			}
			return n, nil
		}
		if err != nil {
			// The input read without an error (input with errors is
			// refused), so an error here is the masking breaking the
			// structure ({"m":138****5678}); a reader that resumes after
			// it, or scans the broken part as text, could still match
			// the count.
			if ie, ok := err.(*scanner.InputError); ok && ie.Source == path {
				c := *ie
				c.Source = name
				err = &c
			}
			return n, fmt.Errorf("the masked output does not read back cleanly: %w", err)
		}
		// A long line split in segments is one record; an SQL statement's
		// tail (text, table "") is not its last tuple (same number).
		if rec.Number != last || rec.Table != lastTable {
			n++
			last, lastTable = rec.Number, rec.Table
			if rows != nil && rec.Table != "" {
				// Rows come table by table: one map update per run
				// of a table's rows, not per row.
				if rec.Table != runTable {
					flush()
					runTable = rec.Table
				}
				run++
			}
		}
	}
}

func sameFile(a, b string) (bool, error) {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true, nil
	}
	sa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	sb, err := os.Stat(b)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return os.SameFile(sa, sb), nil
}

// spool copies stdin to a private temporary file, which masking reads
// twice (the engine, then the raw stream). On Linux the file is unlinked
// at once and read through /proc/self/fd, so no copy of the raw input
// outlives the process, even one killed with SIGKILL; elsewhere done
// removes it.
func spool(r io.Reader) (path string, done func(), err error) {
	if r == nil {
		r = os.Stdin
	}
	f, err := os.CreateTemp("", "piiscan-stdin-*")
	if err != nil {
		return "", nil, err
	}
	name := f.Name()
	fail := func(err error) (string, func(), error) {
		f.Close()
		os.Remove(name)
		return "", nil, err
	}
	if err := os.Chmod(name, 0o600); err != nil {
		return fail(err)
	}
	path, done = name, func() { f.Close(); os.Remove(name) }
	if proc := fmt.Sprintf("/proc/self/fd/%d", f.Fd()); runtime.GOOS == "linux" {
		if _, err := os.Stat(proc); err == nil && os.Remove(name) == nil {
			path, done = proc, func() { f.Close() }
		}
	}
	if _, err := io.Copy(f, r); err != nil {
		done()
		return "", nil, fmt.Errorf("reading stdin: %w", err)
	}
	return path, done, nil
}
