package atomicfile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

func TestCommitReplacesAndAbortKeeps(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.txt")
	if err := os.WriteFile(p, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	f, err := Create(p, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("half")
	f.Abort()
	if b, _ := os.ReadFile(p); string(b) != "old" {
		t.Fatalf("after abort: %q", b)
	}
	if err := Write(p, []byte("new"), 0o600); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	fi, _ := os.Stat(p)
	if string(b) != "new" || fi.Mode().Perm() != 0o640 {
		t.Fatalf("after commit: %q %v", b, fi.Mode())
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("temporary files left: %v", ents)
	}
}

// hook replaces syncFile and rename for one test.
func hook(t *testing.T, sync func(*os.File) error, ren func(string, string) error) {
	s, r := syncFile, rename
	t.Cleanup(func() { syncFile, rename = s, r })
	syncFile, rename = sync, ren
}

// oneLeft fails unless p holds want and is the only file of its directory.
func oneLeft(t *testing.T, p, want string) {
	t.Helper()
	if b, _ := os.ReadFile(p); string(b) != want {
		t.Fatalf("target holds %q, want %q", b, want)
	}
	if ents, _ := os.ReadDir(filepath.Dir(p)); len(ents) != 1 {
		t.Fatalf("temporary files left: %v", ents)
	}
}

// TestRenameAfterSyncAndCheck: the rename over the target comes only after
// the fsync has returned and the check has passed, whichever ends last.
func TestRenameAfterSyncAndCheck(t *testing.T) {
	var synced, checked atomic.Bool
	renames := 0
	hook(t, func(f *os.File) error {
		time.Sleep(30 * time.Millisecond) // a slow disk: the check ends first
		err := f.Sync()
		synced.Store(true)
		return err
	}, func(a, b string) error {
		renames++
		if !synced.Load() || !checked.Load() {
			t.Errorf("rename with synced=%v checked=%v", synced.Load(), checked.Load())
		}
		return os.Rename(a, b)
	})
	p := filepath.Join(t.TempDir(), "out")
	for _, slowCheck := range []bool{false, true} {
		synced.Store(false)
		checked.Store(false)
		f, err := Create(p, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("new")
		if err := f.CommitAfter(func() error {
			if slowCheck {
				time.Sleep(60 * time.Millisecond) // the flush ends first
			}
			checked.Store(true)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		oneLeft(t, p, "new")
	}
	synced.Store(false)
	checked.Store(true)
	if err := Write(p, []byte("newer"), 0o600); err != nil {
		t.Fatal(err)
	}
	oneLeft(t, p, "newer")
	if renames != 3 {
		t.Fatalf("%d renames, want 3", renames)
	}
}

// TestFailedCheckOrSyncKeepsTarget: a failed check or a failed fsync
// leaves the target as it was and removes the temporary file.
func TestFailedCheckOrSyncKeepsTarget(t *testing.T) {
	errCheck, errSync := errors.New("check failed"), errors.New("sync failed")
	failSync := false
	hook(t, func(f *os.File) error {
		if failSync {
			return errSync
		}
		return f.Sync()
	}, func(a, b string) error {
		t.Error("renamed")
		return os.Rename(a, b)
	})
	p := filepath.Join(t.TempDir(), "out")
	if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		failSync bool
		check    error
		want     error
	}{{false, errCheck, errCheck}, {true, nil, errSync}, {true, errCheck, errSync}} {
		failSync = c.failSync
		f, err := Create(p, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("new")
		if err := f.CommitAfter(func() error { return c.check }); !errors.Is(err, c.want) {
			t.Fatalf("sync fails %v, check %v: got %v, want %v", c.failSync, c.check, err, c.want)
		}
		oneLeft(t, p, "old")
	}
}

// TestEarlyFlush: Write flushes a growing file in the background, and a
// failure of that early flush fails Commit even when the final fsync
// succeeds (Linux reports a lost writeback to one fsync only).
func TestEarlyFlush(t *testing.T) {
	var syncs atomic.Int32
	fail := false
	hook(t, func(f *os.File) error {
		if syncs.Add(1) == 1 && fail {
			return errors.New("early flush failed")
		}
		return f.Sync()
	}, os.Rename)
	p := filepath.Join(t.TempDir(), "out")
	if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	for _, fail = range []bool{false, true} {
		syncs.Store(0)
		f, err := Create(p, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		for range 3 * earlyChunk / len(chunk) {
			if _, err := f.Write(chunk); err != nil {
				t.Fatal(err)
			}
		}
		f.waitEarly()
		if n := syncs.Load(); n < 1 {
			t.Fatalf("%d early flushes of %d bytes", n, 3*earlyChunk)
		}
		err = f.Commit()
		if fail {
			if err == nil {
				t.Fatal("commit after a failed early flush succeeded")
			}
			oneLeft(t, p, "old")
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(p); !bytes.Equal(b, bytes.Repeat(chunk, 3*earlyChunk/len(chunk))) {
			t.Fatal("committed file differs from what was written")
		}
		if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
