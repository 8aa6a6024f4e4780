package mysql

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/piiscan/piiscan/connectors/dbscan"
	"github.com/piiscan/piiscan/connectors/dbscan/dbtest"
	"github.com/piiscan/piiscan/detectors/pi"
)

// TestColumnGrades plants PI of several types in VARCHAR, BIGINT, DECIMAL,
// TEXT and JSON columns, scans the table through the engine with every
// detector, and checks the grade of each column.
func TestColumnGrades(t *testing.T) {
	db := admin(t)
	name := table(t, db, "customers", `CREATE TABLE %s (
		id BIGINT AUTO_INCREMENT PRIMARY KEY, id_no VARCHAR(18) COMMENT '身份证号', phone BIGINT COMMENT '手机号',
		order_no VARCHAR(20), email TEXT, card DECIMAL(20,0), profile JSON, note TEXT) DEFAULT CHARSET utf8mb4`)
	r := rand.New(rand.NewPCG(21, 22))
	var sb strings.Builder
	var args []any
	sb.WriteString("INSERT INTO " + name + " (id_no, phone, order_no, email, card, profile, note) VALUES ")
	for i := range 200 {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString("(?, ?, ?, ?, ?, ?, ?)")
		profile, _ := json.Marshal(map[string]string{"mobile": dbtest.Mobile(r), "level": "gold"})
		args = append(args, dbtest.IDNumber(r), dbtest.Mobile(r), dbtest.OrderNo(r),
			fmt.Sprintf("user%d@example.com", i), dbtest.BankCard(r), string(profile), "按时发货，包装完好")
	}
	exec(t, db, sb.String(), args...)
	s := open(t, testDSN, dbscan.Options{Include: []string{"test." + name}})
	grades, rep := dbtest.Grades(t, s)
	tbl := name + "."
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
		if col.Column == "id_no" && (col.RowsScanned != 200 || col.Comment != "身份证号" || col.Source != src+name) {
			t.Errorf("id_no column: %+v", col)
		}
	}
	if len(rep.Errors) > 0 {
		t.Errorf("errors: %+v", rep.Errors)
	}
}
