package cputime

import (
	"runtime"
	"testing"
)

func TestProcessGrows(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skip("no rusage")
	}
	t0 := Process()
	x := 0
	for i := 0; i < 50_000_000; i++ {
		x += i ^ x
	}
	if Process() <= t0 || x == 42 {
		t.Fatalf("CPU time did not grow: %v -> %v", t0, Process())
	}
}
