package detectors

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/piiscan/piiscan/detectors/pi"
)

// TestColumnScanIsSetScan checks that Column.Scan reports exactly what
// Set.Scan does, value by value, in columns whose hints change what the
// detectors need (a password column needs no class at all), for the whole
// set and for sets restricted by --types: the corpus's lines, their
// comma-separated cells (short values, which Scan gates by class) and those
// cells with only some classes of their bytes left.
func TestColumnScanIsSetScan(t *testing.T) {
	now := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	var vals [][]byte
	for _, line := range sampleLines(t) {
		vals = append(vals, line)
		for _, cell := range bytes.FieldsFunc(line, func(r rune) bool { return r == ',' || r == '\t' || r == '"' }) {
			vals = append(vals, cell)
			for _, k := range []pi.Classes{pi.ClassDigit, pi.ClassHigh | pi.ClassDigit, pi.ClassLetter | pi.ClassOther} {
				vals = append(vals, strip(cell, k))
			}
		}
	}
	vals = append(vals, nil, []byte{}, []byte("123456"), []byte("hunter2"))
	for _, types := range [][]pi.TypeID{nil, {pi.Credential, pi.Mobile}, {pi.Name, pi.Health}} {
		set, err := NewSet(Options{Now: now, Types: types})
		if err != nil {
			t.Fatal(err)
		}
		fields := append(slices.Clone(needsFields), set.Field("people", "id_no", "身份证号"), set.Field("users", "passwd", ""))
		n := 0
		for _, f := range fields {
			c := set.Column(f)
			if c.Field() != f {
				t.Fatal("Column.Field is not the field it was built from")
			}
			for _, v := range vals {
				want := set.Scan(v, f, nil)
				got := c.Scan(v, nil)
				if !slices.Equal(got, want) {
					t.Fatalf("types %v, column %q, value %q: Column.Scan = %v, Set.Scan = %v", types, f.Column, v, got, want)
				}
				n += len(want)
			}
		}
		if n == 0 {
			t.Fatalf("types %v: no matches at all, the test checks nothing", types)
		}
	}
}

// TestColumnScanAppends checks that Column.Scan keeps what dst held and
// resolves only its own matches, as Set.Scan does.
func TestColumnScanAppends(t *testing.T) {
	set, err := NewSetOf(Options{}, []Detector{fixed{[]pi.TypeID{pi.Name, pi.Address}, []pi.Match{
		{Type: pi.Name, Start: 3, End: 9, Confidence: 0.9}, {Type: pi.Address, Start: 0, End: 20, Confidence: 0.9}}}})
	if err != nil {
		t.Fatal(err)
	}
	prev := pi.Match{Type: pi.Email, Start: 5, End: 6, Confidence: 1}
	got := set.Column(&pi.Field{}).Scan([]byte("x"), []pi.Match{prev})
	want := []pi.Match{prev, {Type: pi.Address, Start: 0, End: 20, Confidence: 0.9}}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}
