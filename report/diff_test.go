package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/piiscan/piiscan/detectors/pi"
)

func TestDiff(t *testing.T) {
	const db = "mysql://127.0.0.1:3306/shop"
	old := rep(t0,
		col(db, "customers", "id_no", 100, map[pi.TypeID]int64{pi.IDCard: 100}),
		col(db, "customers", "note", 100, map[pi.TypeID]int64{pi.Mobile: 60}),
		col(db, "customers", "city", 100, map[pi.TypeID]int64{}),
		col(db, "legacy", "fax", 100, map[pi.TypeID]int64{pi.Landline: 80}),
	)
	new := rep(t0,
		col(db, "customers", "id_no", 120, map[pi.TypeID]int64{pi.IDCard: 120}), // counts changed: listed
		col(db, "customers", "note", 100, map[pi.TypeID]int64{pi.Mobile: 60, pi.IDCard: 55}),
		col(db, "customers", "city", 130, map[pi.TypeID]int64{}), // rows only: not listed
		col(db, "orders", "email", 100, map[pi.TypeID]int64{pi.Email: 90}),
	)
	d := Diff(old, new)
	var got []string
	for _, c := range d.Columns {
		got = append(got, string(c.Change)+" "+c.Table+"."+c.Column)
	}
	want := "changed customers.id_no|changed customers.note|removed legacy.fax|added orders.email"
	if strings.Join(got, "|") != want {
		t.Fatalf("columns %q\nwant %q", strings.Join(got, "|"), want)
	}
	note := d.Columns[1]
	if note.OldGrade != pi.GradeOrdinary || note.NewGrade != pi.GradeSensitive || len(note.Gained) != 1 || note.Gained[0] != pi.IDCard || note.GainedGrade != pi.GradeSensitive {
		t.Errorf("note change %+v", note)
	}
	if len(d.Tables) != 2 || d.Tables[0].Table != "legacy" || d.Tables[0].Change != Removed || d.Tables[1].Table != "orders" || d.Tables[1].Change != Added {
		t.Errorf("tables %+v", d.Tables)
	}
	for _, tc := range []struct {
		g    pi.Grade
		want string
	}{{pi.GradeSensitive, "note"}, {pi.GradeOrdinary, "note,email"}, {pi.GradeNone, "note,email"}} {
		var names []string
		for _, c := range d.NewAtOrAbove(tc.g) {
			names = append(names, c.Column)
		}
		if strings.Join(names, ",") != tc.want {
			t.Errorf("NewAtOrAbove(%s) = %v, want %s", tc.g, names, tc.want)
		}
	}
	if !Diff(new, new).Empty() {
		t.Error("diff of a report with itself is not empty")
	}

	var text bytes.Buffer
	if err := WriteDiffText(&text, d, Options{}); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"~ column " + db + " customers.note: ordinary → sensitive (cn_id_card>=0.5) +cn_id_card",
		"- column " + db + " legacy.fax: ordinary -cn_landline",
		"+ column " + db + " orders.email: ordinary (email>=0.5) +email",
		"~ column " + db + " customers.id_no: sensitive (cn_id_card>=0.5) cn_id_card 100→120",
	} {
		if !strings.Contains(text.String(), line+"\n") {
			t.Errorf("text diff lacks %q:\n%s", line, text.String())
		}
	}
	var js bytes.Buffer
	if err := WriteDiffJSON(&js, d); err != nil {
		t.Fatal(err)
	}
	var back DiffResult
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || len(back.Columns) != 4 {
		t.Errorf("JSON diff: %v %d", err, len(back.Columns))
	}
	var html bytes.Buffer
	if err := WriteDiffHTML(&html, d, Options{Lang: "zh"}, pi.GradeSensitive); err != nil {
		t.Fatal(err)
	}
	if c := strings.Count(html.String(), `<tr class="new">`); c != 1 {
		t.Errorf("HTML diff marks %d rows new, want 1", c)
	}
}

// TestDiffGolden diffs the sample report against a changed copy: a column
// gains ID numbers, one loses its e-mails, one is dropped, a table appears.
func TestDiffGolden(t *testing.T) {
	old, _ := loadSample(t)
	new, _ := loadSample(t)
	new.Finished = new.Finished.Add(24 * time.Hour)
	new.Columns[3].Types = map[pi.TypeID]int64{pi.Mobile: 40, pi.Health: 3, pi.IDCard: 700} // note
	new.Columns[6].Types = map[pi.TypeID]int64{}                                            // audit_kv.detail
	new.Columns = append(new.Columns[:5], new.Columns[6:]...)                               // drop the odd column
	new.Columns[0].Column = "id_no\x1b[2J"                                                  // a terminal escape in a name
	new.Columns = append(new.Columns, Column{Source: "mysql://10.0.0.5:3306/shop", Table: "refunds", Column: "card",
		RowsScanned: 50, Types: map[pi.TypeID]int64{pi.BankCard: 50}, Samples: []string{}})
	for i := range new.Columns {
		GradeColumn(&new.Columns[i], 0.5)
	}
	RollUp(new)
	d := Diff(old, new)
	var b bytes.Buffer
	if err := WriteDiffJSON(&b, d); err != nil {
		t.Fatal(err)
	}
	golden(t, "diff.json", b.Bytes())
	b.Reset()
	WriteDiffText(&b, d, Options{})
	if strings.Contains(b.String(), "\x1b") {
		t.Error("control character in the text diff")
	}
	for _, lang := range Langs {
		b.Reset()
		if err := WriteDiffText(&b, d, Options{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		golden(t, "diff."+lang+".txt", b.Bytes())
		b.Reset()
		if err := WriteDiffHTML(&b, d, Options{Lang: lang}, pi.GradeSensitive); err != nil {
			t.Fatal(err)
		}
		golden(t, "diff."+lang+".html", b.Bytes())
	}
}
