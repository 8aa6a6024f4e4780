package sensitive

import (
	"os"
	"strings"
	"testing"

	"github.com/piiscan/piiscan/detectors/pi"
)

// accuracyFloor is the F1 each text category must reach on testdata/corpus.txt.
const accuracyFloor = 0.90

// TestAccuracy measures precision, recall and F1 per type on the labelled
// corpus, counting exact spans at reportThreshold, and fails below the floor.
// Run with -v to see the figures.
func TestAccuracy(t *testing.T) {
	for _, c := range []string{"testdata/corpus.txt", "testdata/holdout.txt", "testdata/holdout2.txt", "testdata/holdout3.txt"} {
		t.Run(c[len("testdata/"):], func(t *testing.T) { accuracy(t, c) })
	}
}

func accuracy(t *testing.T, path string) {
	d := New()
	cols, vals, wants := loadCases(t, path)
	type pr struct{ tp, fp, fn int }
	stats := map[pi.TypeID]*pr{}
	for _, tt := range []pi.TypeID{pi.Health, pi.Religion, pi.Ethnicity, pi.SexualOrientation, pi.CriminalRecord} {
		stats[tt] = &pr{}
	}
	for i := range vals {
		got := reported(d, cols[i], vals[i])
		for _, g := range got {
			s := stats[g.t]
			if s == nil {
				continue
			}
			if contains(wants[i], g) {
				s.tp++
			} else {
				s.fp++
				t.Logf("false positive %s in %q", show(vals[i], []want{g}), vals[i])
			}
		}
		for _, w := range wants[i] {
			if s := stats[w.t]; s != nil && !contains(got, w) {
				s.fn++
				t.Logf("missed %s in %q", show(vals[i], []want{w}), vals[i])
			}
		}
	}
	for tt, s := range stats {
		p := float64(s.tp) / float64(max(1, s.tp+s.fp))
		r := float64(s.tp) / float64(max(1, s.tp+s.fn))
		f1 := 0.0
		if p+r > 0 {
			f1 = 2 * p * r / (p + r)
		}
		t.Logf("%-18s tp=%3d fp=%2d fn=%2d precision=%.3f recall=%.3f F1=%.3f", tt, s.tp, s.fp, s.fn, p, r, f1)
		if s.tp+s.fn < 3 {
			t.Errorf("%s: only %d labelled findings; the corpus is too small to measure", tt, s.tp+s.fn)
		}
		if f1 < accuracyFloor {
			t.Errorf("%s: F1 %.3f below floor %.2f", tt, f1, accuracyFloor)
		}
	}
}

func contains(ws []want, w want) bool {
	for _, x := range ws {
		if x == w {
			return true
		}
	}
	return false
}

// TestNoEthnicityInPlaceNames: a place name is never an ethnicity finding,
// alone, in an address, or in an ethnicity column.
func TestNoEthnicityInPlaceNames(t *testing.T) {
	d := New()
	places := loadPlaces(t)
	for _, p := range places {
		for _, v := range []string{p, "收货地址：" + p + "人民路12号", "籍贯：" + p} {
			for _, col := range []string{"", "民族"} {
				f := &pi.Field{Column: col, Hints: d.Hint(col, "")}
				for _, m := range d.Find([]byte(v), f, nil) {
					if m.Type == pi.Ethnicity {
						t.Errorf("ethnicity %q found in place name %q (column %q)", v[m.Start:m.End], v, col)
					}
				}
			}
		}
	}
	if len(places) < 100 {
		t.Fatalf("only %d place names", len(places))
	}
}

func loadPlaces(t *testing.T) []string {
	data, err := os.ReadFile("testdata/places.txt")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}
