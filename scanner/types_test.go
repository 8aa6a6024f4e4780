package scanner

import (
	"fmt"
	"strings"
	"testing"

	"github.com/piiscan/piiscan/detectors/pi"
)

// TestTypeTable checks that typeTable numbers types by value, whatever the
// address of the string a detector reports them in: constants, copies built
// at run time (custom rules), more types than the cache has slots, and a
// type seen again after its cache slot went to another.
func TestTypeTable(t *testing.T) {
	copyOf := func(s pi.TypeID) pi.TypeID { return pi.TypeID(strings.Clone(string(s))) }
	many := make([]pi.TypeID, 200)
	for i := range many {
		many[i] = pi.TypeID(fmt.Sprintf("rule_%d", i))
	}
	for _, c := range []struct {
		name string
		seq  []pi.TypeID
		// want[i] is the number seq[i] must get
		want []int32
	}{
		{"constants", []pi.TypeID{pi.IDCard, pi.Mobile, pi.IDCard, pi.Email, pi.Mobile}, []int32{0, 1, 0, 2, 1}},
		{"copies share a number", []pi.TypeID{pi.IDCard, copyOf(pi.IDCard), copyOf(pi.IDCard), pi.Mobile, copyOf(pi.Mobile)}, []int32{0, 0, 0, 1, 1}},
		{"empty type", []pi.TypeID{"", pi.IDCard, "", copyOf("")}, []int32{0, 1, 0, 0}},
		{"more types than slots", append(append([]pi.TypeID{}, many...), many...), func() []int32 {
			w := make([]int32, 2*len(many))
			for i := range w {
				w[i] = int32(i % len(many))
			}
			return w
		}()},
	} {
		t.Run(c.name, func(t *testing.T) {
			var tt typeTable
			for i, typ := range c.seq {
				if got := tt.number(typ); got != c.want[i] {
					t.Fatalf("seq[%d] %q: number %d, want %d", i, typ, got, c.want[i])
				}
			}
			for id, name := range tt.names {
				if tt.ids[name] != int32(id) || tt.def[id] != pi.DefaultGrade(name) {
					t.Errorf("number %d: name %q, ids %d, default %v", id, name, tt.ids[name], tt.def[id])
				}
			}
		})
	}
}

// BenchmarkTypeTable is the cost of numbering one match's type, the
// engine's per-match lookup.
func BenchmarkTypeTable(b *testing.B) {
	types := []pi.TypeID{pi.IDCard, pi.Mobile, pi.Email, pi.BankCard, pi.Name, pi.Address, pi.BirthDate, pi.IPv4}
	var tt typeTable
	var sum int32
	for i := 0; b.Loop(); i++ {
		sum += tt.number(types[i%len(types)])
	}
	if sum < 0 {
		b.Fatal(sum)
	}
}

// number is how the worker numbers a match's type (worker.found).
func (tt *typeTable) number(t pi.TypeID) int32 {
	if id, ok := tt.cached(t); ok {
		return id
	}
	return tt.miss(t)
}

// TestResetClearsOnlyRawFindings: a batch whose findings may carry raw
// values (Reveal, RawValues) clears them on reset; others only drop them,
// and keep their masked samples until written over.
func TestResetClearsOnlyRawFindings(t *testing.T) {
	for _, raw := range []bool{false, true} {
		b := &batch{raw: raw}
		b.findings = append(b.findings, Finding{Masked: "138****0001", Value: "13800000001", Raw: []byte("13800000001")})
		b.reset()
		if len(b.findings) != 0 {
			t.Fatalf("raw %v: %d findings after reset", raw, len(b.findings))
		}
		if got := b.findings[:1][0]; raw != (got.Value == "" && got.Raw == nil && got.Masked == "") {
			t.Errorf("raw %v: after reset the dropped finding is %+v", raw, got)
		}
	}
}
