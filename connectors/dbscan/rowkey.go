package dbscan

import (
	"strconv"
	"strings"
)

// RowKey names a row in a copy's error: its primary key's columns (key
// indexes into cols and vals) with the values as written, which are the
// masked values, never the source's; or, without a key, the row's number in
// the copy.
func RowKey(cols []string, key []int, vals [][]byte, num int64) string {
	if len(key) == 0 {
		return "row " + strconv.FormatInt(num, 10)
	}
	var b strings.Builder
	b.WriteString("row with ")
	for j, i := range key {
		if j > 0 {
			b.WriteString(", ")
		}
		v := "NULL"
		if vals[i] != nil {
			v = strconv.Quote(string(vals[i]))
		}
		b.WriteString(cols[i] + "=" + v)
	}
	return b.String()
}
