package deid

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"sync"

	"github.com/piiscan/piiscan/connectors"
	"github.com/piiscan/piiscan/connectors/sqldump"
)

// verifier re-reads the output file while it is being written: it counts
// the records of the bytes already in the file, with the same reader as the
// input, and waits at the file's current end for more. The count is ready
// soon after the last write instead of costing a second pass over the
// whole file once masking is done.
type verifier struct {
	f      *os.File // the output, opened for reading
	mu     sync.Mutex
	more   *sync.Cond
	size   int64 // bytes written to the file so far
	closed bool
	abort  error // set when the write was abandoned

	cancel context.CancelFunc
	done   chan struct{}
	n      int64
	rows   map[string]int64 // SQL dumps: the records (rows) of each table
	err    error

	// For SQL dumps the record count alone does not catch every cut: a
	// dump whose last statement lost its ';' has all its records, and one
	// cut to "INSERT INTO `t` V" reads the fragment as a text record in
	// place of the row it lost. So the rows of each table (rows) and the
	// statements, begun and ended (dump, counted by the parse of the same
	// re-read), are compared with the input's too.
	dump sqldump.Counts
}

var errAbandoned = errors.New("the masked copy was abandoned")

// startVerify opens path, which w is about to write, and counts its records
// as they arrive. Writes must go through the returned writer. name is what
// errors call the file: the output it becomes, not the temporary path.
func startVerify(ctx context.Context, path string, w io.Writer, in connectors.Options, format, name string) (*verifier, io.Writer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	v := &verifier{f: f, done: make(chan struct{})}
	var dump *sqldump.Counts // a dump's rows by table and statements (check)
	if format == connectors.FormatSQL {
		v.rows, dump = map[string]int64{}, &v.dump
	}
	v.more = sync.NewCond(&v.mu)
	ctx, v.cancel = context.WithCancel(ctx)
	in.Stdin = &follower{v: v}
	go func() {
		defer close(v.done)
		v.n, v.err = countRows(ctx, "-", name, in, format, v.rows, dump)
	}()
	return v, &teller{w: w, v: v}, nil
}

// finish says every byte is written and returns the count of records.
func (v *verifier) finish() (int64, error) {
	v.mu.Lock()
	v.closed = true
	v.more.Broadcast()
	v.mu.Unlock()
	<-v.done
	return v.n, v.err
}

// check waits for the count of the output's records (finish) and compares
// it with records, the input's; for a dump (inDump not nil: the input's
// statements, as its reader's parse counted them) it also compares the
// output's rows with tables (the input's rows by table) and its statements
// with the input's.
// in and out name the input and output in errors. It returns the output's
// count of records.
func (v *verifier) check(records int64, tables map[string]int64, inDump *sqldump.Counts, in, out string) (int64, error) {
	n, err := v.finish()
	if err != nil {
		return n, fmt.Errorf("verifying the masked copy: %w", err) // err names out
	}
	if n != records {
		return n, fmt.Errorf("%w: %s has %d records, the output %d; nothing was written", ErrMismatch, in, records, n)
	}
	if inDump == nil {
		return n, nil
	}
	got := v.dump
	for _, t := range slices.Sorted(maps.Keys(tables)) {
		if rows := v.rows[t]; rows != tables[t] {
			return n, fmt.Errorf("%w: %s has %d rows of table %s, the input %d; %s; nothing was written", ErrMismatch, out, rows, t, tables[t], lastStatement(got))
		}
	}
	if err := compareDumps(out, *inDump, got); err != nil {
		return n, fmt.Errorf("%w; nothing was written", err)
	}
	return n, nil
}

// lastStatement says where the last statement of a dump starts.
func lastStatement(c sqldump.Counts) string {
	return fmt.Sprintf("its last statement starts at line %d (byte %d)", c.LastLine, c.LastOffset)
}

// compareDumps checks that out, the masked copy of a dump, has in's
// statements, each ended as in the input (a copy cut in its last
// statement, or of its final ';', can have the same records).
// name is the output's name; the error says where its last statement
// starts.
func compareDumps(name string, in, out sqldump.Counts) error {
	where := lastStatement(out)
	switch {
	case out.Statements != in.Statements:
		return fmt.Errorf("%w: %s has %d statements, the input %d; %s", ErrMismatch, name, out.Statements, in.Statements, where)
	case out.Ended != in.Ended:
		return fmt.Errorf("%w: %s has %d statements ended by ';', the input %d: a statement is cut short; %s", ErrMismatch, name, out.Ended, in.Ended, where)
	}
	return nil
}

// stop abandons the count (if it is still running) and releases the file.
func (v *verifier) stop() {
	v.mu.Lock()
	if !v.closed {
		v.closed, v.abort = true, errAbandoned
	}
	v.more.Broadcast()
	v.mu.Unlock()
	v.cancel()
	<-v.done
	v.f.Close()
}

// teller passes writes on to the file and tells the verifier about them.
type teller struct {
	w io.Writer
	v *verifier
}

func (t *teller) Write(p []byte) (int, error) {
	n, err := t.w.Write(p)
	t.v.mu.Lock()
	t.v.size += int64(n)
	t.v.more.Broadcast()
	t.v.mu.Unlock()
	return n, err
}

// follower reads the output up to what has been written, waiting for more
// until the writer is done.
type follower struct {
	v   *verifier
	off int64
}

func (r *follower) Read(p []byte) (int, error) {
	v := r.v
	v.mu.Lock()
	for r.off >= v.size && !v.closed {
		v.more.Wait()
	}
	size, closed, abort := v.size, v.closed, v.abort
	v.mu.Unlock()
	if abort != nil {
		return 0, abort
	}
	if r.off >= size && closed {
		return 0, io.EOF
	}
	n, err := v.f.ReadAt(p[:min(int64(len(p)), size-r.off)], r.off)
	r.off += int64(n)
	if err == io.EOF && n > 0 {
		err = nil
	}
	return n, err
}
