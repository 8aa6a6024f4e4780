package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

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
