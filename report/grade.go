package report

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/piiscan/piiscan/detectors/pi"
)

// GradeColumn sets c.Grade and c.Rule from c.Types and c.RowsScanned. The
// engine and Merge share it so that a merged report grades exactly as a single
// scan would.
//
// A named column takes the highest grade among the types whose share of
// non-empty values reaches threshold; the rule reads "cn_id_card>=0.5". A
// column named "" is free text (a log, a text file): a single finding decides,
// and the rule reads "cn_id_card:any". Ties between types of the same grade go
// to the type with the larger count, then the smaller type ID, so the rule is
// deterministic.
func GradeColumn(c *Column, threshold float64) {
	c.Grade, c.Rule = pi.GradeNone, "no PI type reached the threshold"
	if len(c.Types) == 0 {
		c.Rule = "no findings"
		return
	}
	types := make([]pi.TypeID, 0, len(c.Types))
	for t := range c.Types {
		types = append(types, t)
	}
	slices.Sort(types)
	var best pi.TypeID
	var bestN int64
	found := false
	for _, t := range types {
		n := c.Types[t]
		if n <= 0 {
			continue
		}
		if c.Column != "" && (c.RowsScanned <= 0 || float64(n)/float64(c.RowsScanned) < threshold) {
			continue
		}
		g, ok := c.TypeGrades[t]
		if !ok {
			g = pi.DefaultGrade(t)
		}
		if !found || g > c.Grade || (g == c.Grade && n > bestN) {
			c.Grade, best, bestN, found = g, t, n, true
		}
	}
	if !found {
		return
	}
	if c.Column == "" {
		c.Rule = string(best) + ":any"
	} else {
		c.Rule = string(best) + ">=" + strconv.FormatFloat(threshold, 'f', -1, 64)
	}
	if c.Grade == pi.GradeNone {
		c.Rule = fmt.Sprintf("%s (not personal information)", c.Rule)
	}
}
