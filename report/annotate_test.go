package report

import (
	"strings"
	"testing"

	"github.com/piiscan/piiscan/detectors/pi"
)

func TestAnnotationMatching(t *testing.T) {
	mysqlCol := &Column{Source: "mysql://10.0.0.5:3306/shop", Table: "customers", Column: "id_no"}
	pgCol := &Column{Source: "postgres://db:5432/crm", Table: "public.users", Column: "phone"}
	fileCol := &Column{Source: "exports/2026/客户.csv", Column: "手机"}
	textCol := &Column{Source: "logs/app.log"}
	for _, tc := range []struct {
		pattern string
		c       *Column
		want    bool
	}{
		{"customers.id_no", mysqlCol, true},
		{"shop.customers.id_no", mysqlCol, true},
		{"shop.*", mysqlCol, true}, // '*' crosses '.'
		{"shop.customers.*", mysqlCol, true},
		{"*.id_no", mysqlCol, true},
		{"other.customers.id_no", mysqlCol, false},
		{"customers.ID_NO", mysqlCol, false}, // case-sensitive
		{"mysql://10.0.0.5:3306/shop/customers.id_no", mysqlCol, true},
		{"mysql://*/shop/customers.*", mysqlCol, true},
		{"mysql://*/customers.*", mysqlCol, false}, // '*' does not cross '/'
		{"mysql://**", mysqlCol, true},
		{"crm.public.users.phone", pgCol, true},
		{"public.users.phone", pgCol, true},
		{"users.phone", pgCol, false},
		{"*.users.phone", pgCol, true},
		{"exports/**/客户.csv/手机", fileCol, true},
		{"exports/*/客户.csv/*", fileCol, true},
		{"exports/*/客户.csv/??", fileCol, true}, // '?' is one character, not one byte
		{"手机", fileCol, true},
		{"logs/app.log", textCol, true},
		{"logs/*.log", textCol, true},
		{"app.log", textCol, false},
	} {
		if got := matchColumn(tc.pattern, tc.c); got != tc.want {
			t.Errorf("%q vs %s: %v, want %v", tc.pattern, ColumnPath(tc.c), got, tc.want)
		}
	}
}

func TestAnnotationsCascadeAndGaps(t *testing.T) {
	a, err := ParseAnnotations(strings.NewReader(`
columns:
  - match: "shop.**"
    owner: A
    retention: 1y
  - match: "shop.customers.id_no"
    owner: B
    purpose: KYC
  - match: "shop.tmp.*"
    non_pi: true
`))
	if err != nil {
		t.Fatal(err)
	}
	const db = "mysql://h:3306/shop"
	r := rep(t0,
		col(db, "customers", "id_no", 10, map[pi.TypeID]int64{"cn_id_card": 10}),
		col(db, "customers", "card", 10, map[pi.TypeID]int64{"bank_card": 10, "minor": 2}),
		col(db, "tmp", "x", 10, map[pi.TypeID]int64{"email": 10}),
		col(db, "tmp", "y", 10, map[pi.TypeID]int64{}),
		col("f.csv", "", "secret", 10, map[pi.TypeID]int64{"credential": 10}),
	)
	a.Apply(r)
	inv := r.Columns[0].Inventory
	if inv == nil || inv.Owner != "B" || inv.Purpose != "KYC" || inv.Retention != "1y" || len(inv.Matched) != 2 {
		t.Errorf("cascade: %+v", inv)
	}
	var got []string
	for _, g := range r.Gaps {
		got = append(got, string(g.Kind)+" "+g.Table+"."+g.Column+" "+strings.Join(g.Missing, "+"))
	}
	want := []string{
		"undocumented .secret owner+purpose+retention",
		"plaintext .secret ",
		"undocumented customers.card purpose",
		"plaintext customers.card ",
		"minor customers.card ",
		"plaintext customers.id_no ",
		"pi_in_non_pi tmp.x ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("gaps:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestAnnotationsErrors(t *testing.T) {
	for _, in := range []string{
		"columns:\n  - match: a.b\n    retension: 1y\n", // typo
		"columns:\n  - owner: x\n",                      // no match
		"columns:\n  - match: 'a***'\n",
		"columns: [",
	} {
		if _, err := ParseAnnotations(strings.NewReader(in)); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
	if a, err := ParseAnnotations(strings.NewReader("")); err != nil || len(a.Columns) != 0 {
		t.Errorf("empty file: %v", err)
	}
}
