package detectors_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/piiscan/piiscan/detectors"
	"github.com/piiscan/piiscan/detectors/pi"
)

// BenchmarkDBRow scans the columns of a customer table the way a database
// scan does: one Set.Scan per value, with the column's hints. Issue 4's
// full-table scan pays this per row; the sub-benchmarks show which
// detector a column's values cost in.
//
//	go test -run '^$' -bench DBRow ./detectors/
func BenchmarkDBRow(b *testing.B) {
	cols := []struct{ name, comment, format string }{
		{"id", "", "%d"},
		{"name", "", "用户%d"},
		{"id_no", "身份证号", "11010519900101%04d"},
		{"phone", "", "138%08d"},
		{"email", "", "user%d@example.com"},
		{"address", "", "北京市朝阳区建国路%d号院12号楼"},
		{"note", "", "e10adc3949ba59abbe56e057f20f883ec4ca4238a0b923820dcc509a6f75849b order %d"},
	}
	now := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	for _, types := range []struct {
		name  string
		types []pi.TypeID
	}{{"all", nil}, {"structured", []pi.TypeID{pi.IDCard, pi.Mobile, pi.Email, pi.BankCard, pi.Landline}}, {"names", []pi.TypeID{pi.Name, pi.Address}}, {"sensitive", []pi.TypeID{pi.Health, pi.Religion, pi.Credential}}} {
		set, err := detectors.NewSet(detectors.Options{Types: types.types, Now: now})
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range cols {
			f := set.Field("people", c.name, c.comment)
			vals := make([][]byte, 1024)
			var size int64
			for i := range vals {
				vals[i] = fmt.Appendf(nil, c.format, 1000+i*37)
				size += int64(len(vals[i]))
			}
			b.Run(types.name+"/"+c.name, func(b *testing.B) {
				dst := make([]pi.Match, 0, 16)
				b.SetBytes(size / int64(len(vals)))
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					dst = set.Scan(vals[i&1023], f, dst[:0])
					i++
				}
			})
		}
	}
}
