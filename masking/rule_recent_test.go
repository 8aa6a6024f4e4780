package masking

import (
	"math/rand/v2"
	"testing"

	"github.com/piiscan/piiscan/detectors/pi"
)

// TestRuleRecent: lookups through the recent-rule ring (more keys than it
// holds, in column order, repeated and shuffled) give the rule a Masker
// without history gives.
func TestRuleRecent(t *testing.T) {
	p, err := ParsePolicy([]byte(`version: 1
rules:
  - {name: phone-col, columns: ["shop.*.phone"], operator: redact}
  - {name: ids, types: [cn_id_card], operator: replace}
  - {name: names, types: [cn_name], operator: mask}
  - {name: rest, operator: "null"}
`), "recent.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := p.Compile(nil)
	if err != nil {
		t.Fatal(err)
	}
	type key struct {
		table, column string
		t             pi.TypeID
	}
	var keys []key
	for _, tab := range []string{"shop.a", "shop.b", "crm.c"} {
		for _, col := range []string{"phone", "name", "id_no"} {
			for _, typ := range []pi.TypeID{pi.Mobile, pi.Name, pi.IDCard} {
				keys = append(keys, key{tab, col, typ})
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 20000 {
		var k key
		switch i % 3 {
		case 0: // columns in order, a few of them
			k = keys[i/3%5]
		case 1:
			k = keys[i%len(keys)]
		default:
			k = keys[r.IntN(len(keys))]
		}
		fresh, _ := p.Compile(nil)
		got := m.Rule(k.table, k.column, k.t, pi.DefaultGrade(k.t))
		want := fresh.Rule(k.table, k.column, k.t, pi.DefaultGrade(k.t))
		if got.Name != want.Name {
			t.Fatalf("lookup %d %v: rule %q, want %q", i, k, got.Name, want.Name)
		}
	}
}
