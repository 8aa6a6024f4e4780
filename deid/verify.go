package deid

import (
	"context"
	"errors"
	"io"
	"os"
	"sync"

	"github.com/piiscan/piiscan/connectors"
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
	err    error
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
	v.more = sync.NewCond(&v.mu)
	ctx, v.cancel = context.WithCancel(ctx)
	in.Stdin = &follower{v: v}
	go func() {
		defer close(v.done)
		v.n, v.err = countRecords(ctx, "-", name, in, format)
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
