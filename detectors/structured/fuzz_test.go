package structured_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piiscan/piiscan/detectors/detectortest"
	"github.com/piiscan/piiscan/detectors/structured"
)

func seedFuzz(f *testing.F) {
	names, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(names) == 0 {
		f.Fatal("no testdata/*.txt", err)
	}
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if line == "" || line[0] == '#' {
				continue
			}
			_, in, _ := strings.Cut(line, "\t")
			if !strings.HasPrefix(line, "column=") {
				in = line
			}
			text, _, err := detectortest.Parse(in)
			if err != nil {
				f.Fatal(err)
			}
			f.Add([]byte(text))
		}
	}
	f.Add(detectortest.MixedText(2000, 3))
}

// FuzzFind: no panic; matches inside the value, ordered, confidences in [0,1].
func FuzzFind(f *testing.F) {
	seedFuzz(f)
	d := structured.New(testNow)
	f.Fuzz(func(t *testing.T, value []byte) {
		detectortest.Check(t, d, value, nil)
	})
}

// FuzzShift is differential: matches on a value and on the same value after
// neutral Chinese text must agree, shifted.
func FuzzShift(f *testing.F) {
	seedFuzz(f)
	d := structured.New(testNow)
	f.Fuzz(func(t *testing.T, value []byte) {
		detectortest.Shifted(t, d, value)
	})
}
