package report

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/piiscan/piiscan/detectors/pi"
)

// GapKind names a compliance gap. The IDs are a contract like type IDs.
type GapKind string

const (
	// GapUndocumented: sensitive PI without an owner, purpose or retention
	// period in the inventory (PIPL Art. 51, GB/T 35273 §11.2).
	GapUndocumented GapKind = "undocumented"
	// GapPlaintext: sensitive PI the detectors could read, i.e. stored in
	// plaintext (GB/T 35273 §6.3 asks for encryption of sensitive PI).
	GapPlaintext GapKind = "plaintext"
	// GapMinor: data of minors under 14, sensitive by PIPL Art. 28 and
	// needing guardian consent (Art. 31).
	GapMinor GapKind = "minor"
	// GapPIInNonPI: PI in data annotated as free of PI.
	GapPIInNonPI GapKind = "pi_in_non_pi"
)

// GapKinds lists the kinds in report order.
var GapKinds = []GapKind{GapUndocumented, GapPlaintext, GapMinor, GapPIInNonPI}

// Gap is one compliance gap of one column.
type Gap struct {
	Kind   GapKind `json:"kind"`
	Source string  `json:"source"`
	Table  string  `json:"table"`
	Column string  `json:"column"`
	// Missing names the inventory fields absent (GapUndocumented).
	Missing []string `json:"missing,omitempty"`
	// Detail says why, in English, never quoting a value.
	Detail string `json:"detail"`
}

// EncryptedThreshold is the EncryptedShare from which a column counts as
// stored encrypted.
const EncryptedThreshold = 0.8

// ComplianceGaps lists the gaps of r's columns, ordered by column then kind:
//
//   - undocumented: a sensitive column whose Inventory lacks owner, purpose
//     or retention;
//   - plaintext: a sensitive column. Its grade means the detectors read
//     sensitive values, so they are stored in plaintext; columns whose values
//     look encrypted (EncryptedShare) carry no readable findings and so no gap;
//   - minor: any value of type minor;
//   - pi_in_non_pi: a column at grade ordinary or above whose Inventory says
//     non_pi.
func ComplianceGaps(r *Report) []Gap {
	var gaps []Gap
	for i := range r.Columns {
		c := &r.Columns[i]
		add := func(k GapKind, detail string, missing []string) {
			gaps = append(gaps, Gap{Kind: k, Source: c.Source, Table: c.Table, Column: c.Column, Missing: missing, Detail: detail})
		}
		inv := c.Inventory
		if inv == nil {
			inv = &Inventory{}
		}
		if c.Grade == pi.GradeSensitive {
			var missing []string
			if inv.Owner == "" {
				missing = append(missing, "owner")
			}
			if inv.Purpose == "" {
				missing = append(missing, "purpose")
			}
			if inv.Retention == "" {
				missing = append(missing, "retention")
			}
			if len(missing) > 0 {
				add(GapUndocumented, fmt.Sprintf("sensitive PI (%s) without %s", c.Rule, joinAnd(missing)), missing)
			}
			d := fmt.Sprintf("sensitive PI readable in plaintext (%s)", c.Rule)
			if c.EncryptedShare > 0 {
				d += fmt.Sprintf("; only %.0f%% of values look encrypted", c.EncryptedShare*100)
			}
			add(GapPlaintext, d, nil)
		}
		if n := c.Types[pi.Minor]; n > 0 {
			add(GapMinor, fmt.Sprintf("%d values identify minors under 14", n), nil)
		}
		if inv.NonPI && c.Grade >= pi.GradeOrdinary {
			add(GapPIInNonPI, fmt.Sprintf("%s PI (%s) in data annotated as non-PI", c.Grade, c.Rule), nil)
		}
	}
	slices.SortStableFunc(gaps, func(a, b Gap) int {
		return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.Table, b.Table),
			cmp.Compare(a.Column, b.Column), cmp.Compare(slices.Index(GapKinds, a.Kind), slices.Index(GapKinds, b.Kind)))
	})
	return gaps
}

func joinAnd(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	out := s[0]
	for _, v := range s[1 : len(s)-1] {
		out += ", " + v
	}
	return out + " and " + s[len(s)-1]
}
