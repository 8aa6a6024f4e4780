package detectors

import (
	"testing"
	"time"

	"github.com/piiscan/piiscan/detectors/pi"
)

// TestRegistryCoversEveryTypeOnce is the guard against a type that no
// detector reports (a silent hole in every scan) or that two detectors
// report (double findings).
func TestRegistryCoversEveryTypeOnce(t *testing.T) {
	dets, err := registry(Options{Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	owner := map[pi.TypeID]int{}
	for i, d := range dets {
		for _, ty := range d.Types() {
			if j, dup := owner[ty]; dup {
				t.Errorf("type %s reported by detectors %d (%T) and %d (%T)", ty, j, dets[j], i, d)
			}
			owner[ty] = i
		}
	}
	for _, ty := range pi.BuiltinTypes {
		if _, ok := owner[ty]; !ok {
			t.Errorf("no detector reports built-in type %s", ty)
		}
	}
}

// fixed reports the given matches whatever the input.
type fixed struct {
	types []pi.TypeID
	ms    []pi.Match
}

func (f fixed) Types() []pi.TypeID { return f.types }
func (f fixed) Find(_ []byte, _ *pi.Field, dst []pi.Match) []pi.Match {
	return append(dst, f.ms...)
}

func TestSetScanResolvesOverlaps(t *testing.T) {
	m := func(ty pi.TypeID, s, e int, c float32) pi.Match {
		return pi.Match{Type: ty, Start: s, End: e, Confidence: c}
	}
	tests := []struct {
		name string
		in   []pi.Match
		min  float32
		want []pi.Match
	}{
		{"inside a longer match is dropped",
			[]pi.Match{m(pi.Name, 3, 9, 0.9), m(pi.Address, 0, 20, 0.9)}, 0,
			[]pi.Match{m(pi.Address, 0, 20, 0.9)}},
		{"same span, different types are kept",
			[]pi.Match{m(pi.Minor, 0, 18, 0.99), m(pi.IDCard, 0, 18, 0.99)}, 0,
			[]pi.Match{m(pi.IDCard, 0, 18, 0.99), m(pi.Minor, 0, 18, 0.99)}},
		{"same span, same type once",
			[]pi.Match{m(pi.IDCard, 0, 18, 0.99), m(pi.IDCard, 0, 18, 0.99)}, 0,
			[]pi.Match{m(pi.IDCard, 0, 18, 0.99)}},
		{"partial overlap keeps both, ordered",
			[]pi.Match{m(pi.Address, 5, 15, 0.9), m(pi.Name, 0, 8, 0.9)}, 0,
			[]pi.Match{m(pi.Name, 0, 8, 0.9), m(pi.Address, 5, 15, 0.9)}},
		{"prefix of a longer match is dropped",
			[]pi.Match{m(pi.Name, 0, 3, 0.9), m(pi.Address, 0, 12, 0.9)}, 0,
			[]pi.Match{m(pi.Address, 0, 12, 0.9)}},
		{"low confidence is filtered before overlaps",
			[]pi.Match{m(pi.Address, 0, 20, 0.3), m(pi.Name, 3, 9, 0.9)}, 0.5,
			[]pi.Match{m(pi.Name, 3, 9, 0.9)}},
		{"one match below the minimum is dropped",
			[]pi.Match{m(pi.Email, 0, 20, 0.4)}, 0.5, nil},
		{"one match at the minimum is kept",
			[]pi.Match{m(pi.Email, 0, 20, 0.5)}, 0.5,
			[]pi.Match{m(pi.Email, 0, 20, 0.5)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewSetOf(Options{MinConfidence: tt.min}, []Detector{fixed{types: []pi.TypeID{"x"}, ms: tt.in}})
			if err != nil {
				t.Fatal(err)
			}
			// Matches of an earlier value in dst stay as they are.
			prev := m(pi.Name, 0, 6, 0.1)
			for _, dst := range [][]pi.Match{nil, {prev}} {
				got := s.Scan(nil, nil, dst)
				if len(got) != len(dst)+len(tt.want) || len(dst) > 0 && got[0] != prev {
					t.Fatalf("got %v, want %v after %v", got, tt.want, dst)
				}
				for i, w := range tt.want {
					if got[len(dst)+i] != w {
						t.Fatalf("got %v, want %v after %v", got, tt.want, dst)
					}
				}
			}
		})
	}
}

func TestNewSetRejectsUnknownTypes(t *testing.T) {
	if _, err := NewSetOf(Options{Types: []pi.TypeID{"nope"}}, []Detector{fixed{types: []pi.TypeID{"x"}}}); err == nil {
		t.Fatal("unknown type accepted")
	}
	s, err := NewSetOf(Options{Types: []pi.TypeID{"b"}}, []Detector{fixed{types: []pi.TypeID{"a", "b"},
		ms: []pi.Match{{Type: "a", End: 1}, {Type: "b", Start: 2, End: 3}}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Scan(nil, nil, nil); len(got) != 1 || got[0].Type != "b" {
		t.Fatalf("type filter: %v", got)
	}
}
