package sensitive_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/piiscan/piiscan/detectors"
	"github.com/piiscan/piiscan/detectors/detectortest"
	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/detectors/sensitive"
	"github.com/piiscan/piiscan/internal/cputime"
)

// TestRegistered checks the wiring in detectors/all.go: the sensitive types
// are in the default set, and a rules file adds its types.
func TestRegistered(t *testing.T) {
	p := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(p, []byte("rules: [{id: employee_no, regex: 'E\\d{7}', grade: ordinary}]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	set, err := detectors.NewSet(detectors.Options{RulesFile: p})
	if err != nil {
		t.Fatal(err)
	}
	have := map[pi.TypeID]bool{}
	for _, ty := range set.Types() {
		have[ty] = true
	}
	for _, ty := range []pi.TypeID{pi.Health, pi.Religion, pi.Ethnicity, pi.SexualOrientation, pi.CriminalRecord,
		pi.Biometric, pi.GeoCoordinate, pi.Credential, "employee_no"} {
		if !have[ty] {
			t.Errorf("type %s not registered", ty)
		}
	}
	f := set.Field("", "民族", "")
	ms := set.Scan([]byte("汉"), f, nil)
	found := false
	for _, m := range ms {
		found = found || m.Type == pi.Ethnicity
	}
	if !found {
		t.Errorf("民族 column hint not applied through the set: %+v", ms)
	}
	if _, err := detectors.NewSet(detectors.Options{RulesFile: filepath.Join(t.TempDir(), "missing.yaml")}); err == nil {
		t.Error("a missing rules file must fail NewSet")
	}
}

// The set skips Find on values without the classes Needs names.
var _ detectors.Needer = sensitive.New()

// TestNeedsDigits: values of digits alone find nothing outside a
// password-like column, the promise Needs makes (detectors' FuzzNeeds
// checks it on more inputs).
func TestNeedsDigits(t *testing.T) {
	d := sensitive.New()
	for _, col := range []string{"", "diagnosis", "民族", "lat", "face_feature", "religion", "phone"} {
		f := &pi.Field{Column: col, Hints: d.Hint(col, "")}
		if need := d.Needs(f); need&pi.ClassDigit != 0 || need == 0 {
			t.Fatalf("column %q: needs %v", col, need)
		}
		for _, v := range []string{"123456", "13800000123", "110105199001010123", "2019", "21", "1", "39", "116"} {
			if ms := d.Find([]byte(v), f, nil); len(ms) > 0 {
				t.Errorf("column %q, %q: %v", col, v, ms)
			}
		}
	}
	if f := (&pi.Field{Column: "password", Hints: d.Hint("password", "")}); d.Needs(f) != 0 || len(d.Find([]byte("123456"), f, nil)) == 0 {
		t.Error("a password column must keep digits-only secrets")
	}
}

// TestKit runs the free-text cases through the shared detector test kit:
// exact spans at any confidence, dst kept, ordering, every prefix, and the
// same matches when the input is embedded in neutral text.
func TestKit(t *testing.T) {
	detectortest.Run(t, sensitive.New(), detectortest.ReadCases(t, "testdata/kit.txt"))
}

// BenchmarkMixedText scans the shared kit's mixed Chinese text (structured
// identifiers, logs, prose), the same input the other detectors benchmark.
func BenchmarkMixedText(b *testing.B) {
	detectortest.Bench(b, sensitive.New(), detectortest.MixedText(1<<20, 1), &pi.Field{})
}

// BenchmarkMixedRecords scans the same mixed text cut into sentence-sized
// records (~100 bytes), as the engine hands over lines of a text file: the
// fixed cost per Find call shows here.
func BenchmarkMixedRecords(b *testing.B) {
	text := detectortest.MixedText(1<<20, 1)
	var recs [][]byte
	for _, r := range bytes.SplitAfter(text, []byte("。")) {
		if len(r) > 0 {
			recs = append(recs, r)
		}
	}
	d := sensitive.New()
	f := &pi.Field{}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	dst := make([]pi.Match, 0, 64)
	cpu0 := cputime.Process()
	for b.Loop() {
		for _, r := range recs {
			dst = d.Find(r, f, dst[:0])
		}
	}
	if cpu := cputime.Process() - cpu0; cpu > 0 {
		b.ReportMetric(float64(len(text))*float64(b.N)/1e6/cpu.Seconds(), "MB/cpu-s")
	}
}
