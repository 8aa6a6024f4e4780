// Package atomicfile writes a file so that readers see either the old
// content or the complete new one, never a half-written file: output goes to
// a temporary file beside the target and is renamed over it only on Commit.
package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// File is a pending replacement of a path.
type File struct {
	*os.File
	path string
	done bool
	// Write flushes the file to disk in the background (early) as it
	// grows: started counts the bytes the last early flush covers, bg is
	// that flush's result while it may still run, and bgErr keeps the
	// first failure for Commit.
	written, started int64
	bg               chan error
	bgErr            error
}

// earlyChunk is how many bytes Write lets pile up before it flushes them
// to disk in the background. The fsync of a file costs about its unflushed
// bytes (ext4 in a VM: ~24 ms for 32 MiB, ~3.5 ms once all but the last
// 4 MiB were flushed, 0.3 ms for 4 KiB; sync_file_range's writeback left
// the fsync at ~20 ms), so Commit's own fsync, which nothing can overlap,
// covers at most about two chunks.
const earlyChunk = 8 << 20

// The steps of a commit, as variables so that the tests can watch their
// order (or make one fail): the rename must come after the file is durable
// and, for CommitAfter, after its check passed.
var (
	syncFile = (*os.File).Sync
	rename   = os.Rename
)

// Create starts writing path. Nothing is visible at path until Commit; Abort
// (or a failed Commit) removes the temporary file. The new file gets mode perm
// (before umask), or the mode of the existing file at path.
func Create(path string, perm os.FileMode) (*File, error) {
	if fi, err := os.Stat(path); err == nil {
		if !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("%s: not a regular file", path)
		}
		perm = fi.Mode().Perm()
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(perm); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &File{File: f, path: path}, nil
}

// Write writes p to the temporary file. Every earlyChunk bytes it starts
// an fsync on its own goroutine (one at a time), so that most of the file
// is on disk before Commit. Those flushes only make Commit's cheaper:
// Commit still fsyncs the whole file before the rename, and fails if an
// early flush failed (Linux reports a failed writeback to one fsync only:
// the final one could succeed after pages were lost). Unlike os.File's,
// Write is not safe for concurrent use.
func (f *File) Write(p []byte) (int, error) {
	n, err := f.File.Write(p)
	f.written += int64(n)
	if f.written-f.started >= earlyChunk && !f.flushing() {
		f.started = f.written
		f.bg = make(chan error, 1)
		go func(c chan<- error) { c <- syncFile(f.File) }(f.bg)
	}
	return n, err
}

// flushing says whether an early flush is still running, collecting the
// result of one that has ended.
func (f *File) flushing() bool {
	if f.bg == nil {
		return false
	}
	select {
	case err := <-f.bg:
		f.ended(err)
		return false
	default:
		return true
	}
}

// waitEarly waits for the early flush, if one runs, and returns the first
// early flush's error.
func (f *File) waitEarly() error {
	if f.bg != nil {
		f.ended(<-f.bg)
	}
	return f.bgErr
}

// ended notes the result err of the early flush that has ended.
func (f *File) ended(err error) {
	f.bg = nil
	if f.bgErr == nil {
		f.bgErr = err
	}
}

// WriteString is Write for a string (os.File's own would bypass Write).
func (f *File) WriteString(s string) (int, error) { return f.Write([]byte(s)) }

// Commit flushes the file to disk and renames it over the target.
func (f *File) Commit() error {
	return f.CommitAfter(nil)
}

// CommitAfter is Commit with a last check of the written file, such as
// the end of a re-read of it: check runs while the file is flushed to disk
// (waiting for the early flush, then fsync), and the file is renamed over
// the target only when both the flush and the check succeeded. Otherwise the
// temporary file is removed, the target is left as it was, and the error
// of the flush (first) or of the check is returned; check's error as it is.
// check must not write to the file.
func (f *File) CommitAfter(check func() error) error {
	if f.done {
		return errors.New("atomicfile: already committed or aborted")
	}
	f.done = true
	var err, cerr error
	if check == nil {
		err = errors.Join(f.waitEarly(), syncFile(f.File))
	} else {
		synced := make(chan error, 1)
		go func() { synced <- errors.Join(f.waitEarly(), syncFile(f.File)) }()
		cerr = check()
		err = <-synced
	}
	if clerr := f.File.Close(); err == nil {
		err = clerr
	}
	if err == nil && cerr == nil {
		err = rename(f.Name(), f.path)
	}
	if err != nil || cerr != nil {
		os.Remove(f.Name())
		if err == nil {
			return cerr
		}
		return fmt.Errorf("writing %s: %w", f.path, err)
	}
	if d, err := os.Open(filepath.Dir(f.path)); err == nil {
		d.Sync() // make the rename durable; best effort
		d.Close()
	}
	return nil
}

// Abort discards the temporary file; it is a no-op after Commit, so it can
// be deferred.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.waitEarly() // no flush left running on a removed file
	f.File.Close()
	os.Remove(f.Name())
}

// Write replaces path with data atomically.
func Write(path string, data []byte, perm os.FileMode) error {
	f, err := Create(path, perm)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Commit()
}
