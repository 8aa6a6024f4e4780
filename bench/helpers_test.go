package bench

import (
	"os"
	"runtime"
	"testing"

	"github.com/piiscan/piiscan/corpus"
)

func TestEnsureFileGeneratesOnceAndReuses(t *testing.T) {
	dir := t.TempDir()
	p1, err := EnsureFile(dir, corpus.FormatMixed, 3, 50_000)
	if err != nil {
		t.Fatal(err)
	}
	st1, err := os.Stat(p1)
	if err != nil || st1.Size() < 50_000 {
		t.Fatalf("generated file: %v, %d bytes", err, st1.Size())
	}
	if err := os.WriteFile(p1, append(make([]byte, 0, st1.Size()), make([]byte, st1.Size())...), 0o644); err != nil {
		t.Fatal(err)
	}
	p2, err := EnsureFile(dir, corpus.FormatMixed, 3, 50_000)
	if err != nil || p2 != p1 {
		t.Fatalf("second call: %q, %v", p2, err)
	}
	if b, _ := os.ReadFile(p2); b[0] != 0 {
		t.Error("EnsureFile regenerated a cached file")
	}
	if p3, _ := EnsureFile(dir, corpus.FormatMixed, 4, 50_000); p3 == p1 {
		t.Error("another seed maps to the same cache file")
	}
}

func TestPeakRSS(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("VmHWM is Linux-only")
	}
	if PeakRSS() <= 0 {
		t.Fatal("PeakRSS found no VmHWM in /proc/self/status")
	}
}
