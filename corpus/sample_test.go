package corpus

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The committed sample is generated; this is the command that made it.
// Regenerate after changing the generator:
//
//	go run ./corpus/cmd/gencorpus -out corpus/sample -labels corpus/testdata/sample-labels -seed 1 -size 80KB
var sampleOptions = Options{Seed: 1, Size: 80000}

func readMaybeGzip(t *testing.T, path string) []byte {
	t.Helper()
	b, err := ReadRaw(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSampleIsUpToDate(t *testing.T) {
	dir := t.TempDir()
	files, err := Generate(dir, dir, sampleOptions)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		want := readMaybeGzip(t, filepath.Join(dir, f.Name))
		got := readMaybeGzip(t, filepath.Join("sample", f.Name))
		if !bytes.Equal(got, want) {
			t.Errorf("sample/%s differs from what the generator makes now; regenerate it (see sampleOptions)", f.Name)
		}
		wantL, _ := os.ReadFile(filepath.Join(dir, LabelsName(f.Name)))
		gotL, err := os.ReadFile(filepath.Join("testdata", "sample-labels", LabelsName(f.Name)))
		if err != nil || !bytes.Equal(gotL, wantL) {
			t.Errorf("testdata/sample-labels/%s is stale or missing (%v)", LabelsName(f.Name), err)
		}
	}
	var total int64
	entries, _ := os.ReadDir("sample")
	for _, e := range entries {
		info, _ := e.Info()
		total += info.Size()
	}
	if len(entries) != len(files) || total > 200_000 {
		t.Errorf("sample/ has %d files, %d bytes; want %d files under 200 KB", len(entries), total, len(files))
	}
}
