package connectors

import (
	"bytes"
	"runtime"
	"testing"
)

// TestMemoryFlat reads inputs of 1× and 4× the size and checks that the
// bytes allocated do not grow with the input: buffers are reused and
// records borrow them.
func TestMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("reads some MB")
	}
	for _, tc := range []struct {
		format string
		gen    func(n int) []byte
	}{
		{FormatText, func(n int) []byte { return benchRows(n, logLine) }},
		{FormatCSV, func(n int) []byte { return benchRows(n, csvLine) }},
		{FormatJSONL, func(n int) []byte { return benchRows(n, jsonLine) }},
		{FormatSQL, sqlDump},
	} {
		small, large := tc.gen(5000), tc.gen(20000)
		alloc := func(in []byte) uint64 {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			src, err := Open([]string{"-"}, Options{Format: tc.format, Stdin: bytes.NewReader(in)})
			if err != nil {
				t.Fatal(err)
			}
			readAllDiscard(t, src)
			runtime.ReadMemStats(&after)
			return after.TotalAlloc - before.TotalAlloc
		}
		a, b := alloc(small), alloc(large)
		if b > a+a/2+64<<10 {
			t.Errorf("%s: %d bytes allocated for %d KB, %d for %d KB", tc.format, a, len(small)>>10, b, len(large)>>10)
		}
	}
}
