package postgres

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/piiscan/piiscan/connectors/dbscan"
	"github.com/piiscan/piiscan/connectors/dbscan/dbtest"
	"github.com/piiscan/piiscan/detectors/pi"
)

// TestColumnGrades plants PI of several types in VARCHAR, BIGINT, NUMERIC,
// TEXT and JSONB columns, scans the table through the engine with every
// detector, and checks the grade of each column.
func TestColumnGrades(t *testing.T) {
	c := admin(t)
	name := table(t, c, "customers", `CREATE TABLE %s (
		id bigserial PRIMARY KEY, id_no varchar(18), phone bigint, order_no varchar(20),
		email text, card numeric(20,0), profile jsonb, note text)`)
	exec(t, c, "COMMENT ON COLUMN "+name+".id_no IS '身份证号'")
	exec(t, c, "COMMENT ON COLUMN "+name+".phone IS '手机号'")
	r := rand.New(rand.NewPCG(11, 12))
	rows := make([][]any, 200)
	for i := range rows {
		profile, _ := json.Marshal(map[string]string{"mobile": dbtest.Mobile(r), "level": "gold"})
		rows[i] = []any{dbtest.IDNumber(r), dbtest.Mobile(r), dbtest.OrderNo(r),
			fmt.Sprintf("user%d@example.com", i), dbtest.BankCard(r), string(profile), "按时发货，包装完好"}
	}
	_, err := c.CopyFrom(t.Context(), pgx.Identifier{name},
		[]string{"id_no", "phone", "order_no", "email", "card", "profile", "note"}, pgx.CopyFromRows(rows))
	if err != nil {
		t.Fatal(err)
	}
	s := open(t, dbscan.Options{Include: []string{"public." + name}})
	grades, rep := dbtest.Grades(t, s)
	tbl := "public." + name + "."
	for col, want := range map[string]pi.Grade{
		"id_no": pi.GradeSensitive, "card": pi.GradeSensitive,
		"phone": pi.GradeOrdinary, "email": pi.GradeOrdinary, "profile": pi.GradeOrdinary,
		"order_no": pi.GradeNone, "note": pi.GradeNone, "id": pi.GradeNone,
	} {
		if got := grades[tbl+col]; got != want {
			t.Errorf("column %s graded %s, want %s", col, got, want)
		}
	}
	for _, col := range rep.Columns {
		if col.Column == "id_no" && (col.RowsScanned != 200 || col.Comment != "身份证号") {
			t.Errorf("id_no column: %+v", col)
		}
	}
	if len(rep.Errors) > 0 {
		t.Errorf("errors: %+v", rep.Errors)
	}
}
