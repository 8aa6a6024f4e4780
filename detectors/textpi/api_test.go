package textpi_test

import (
	"slices"
	"testing"

	"github.com/piiscan/piiscan/detectors"
	"github.com/piiscan/piiscan/detectors/detectortest"
	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/detectors/textpi"
)

var (
	_ detectors.Detector = (*textpi.Detector)(nil)
	_ detectors.Hinter   = (*textpi.Detector)(nil)
)

// TestThroughSet runs the detector the way the engine does: through the
// registry, with column hints from Set.Field.
func TestThroughSet(t *testing.T) {
	set, err := detectors.NewSet(detectors.Options{Types: []pi.TypeID{pi.Name, pi.Address}})
	if err != nil {
		t.Fatal(err)
	}
	f := set.Field("customers", "收货地址", "")
	v := []byte("北京市东城区王府井大街1号")
	ms := set.Scan(v, f, nil)
	if len(ms) != 1 || ms[0].Type != pi.Address || ms[0].Start != 0 || ms[0].End != len(v) {
		t.Fatalf("Scan = %+v", ms)
	}
	f = set.Field("customers", "real_name", "")
	ms = set.Scan([]byte("上官婉儿"), f, nil)
	if len(ms) != 1 || ms[0].Type != pi.Name || ms[0].Confidence < 0.9 {
		t.Fatalf("Scan = %+v", ms)
	}
}

// TestCases runs testdata/cases.txt through the shared detector test kit:
// exact spans, the same matches inside neutral text, no panic on prefixes.
func TestCases(t *testing.T) {
	detectortest.Run(t, textpi.New(), detectortest.ReadCases(t, "testdata/cases.txt"))
}

// BenchmarkKitMixed runs the detector over the kit's shared mixed text, the
// input every detector's benchmark uses, so their costs add up comparably.
func BenchmarkKitMixed(b *testing.B) {
	detectortest.Bench(b, textpi.New(), detectortest.MixedText(1<<20, 1), nil)
}

// TestColumnCases checks whole-value judgements in hinted columns with the
// kit's contract checks; embedding them in prose would change their meaning.
func TestColumnCases(t *testing.T) {
	d := textpi.New()
	for _, c := range detectortest.ReadCases(t, "testdata/column_cases.txt") {
		text, want, err := detectortest.Parse(c.Input)
		if err != nil {
			t.Fatal(err)
		}
		got := detectortest.Check(t, d, []byte(text), detectortest.Field(d, c.Column))
		if !slices.Equal(got, want) {
			t.Errorf("%s: %q in column %q: got %v, want %v", c.Where, text, c.Column, got, want)
		}
	}
}
