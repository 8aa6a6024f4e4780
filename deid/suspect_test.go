package deid

import (
	"testing"
	"unicode/utf8"

	"github.com/piiscan/piiscan/connectors"
)

// TestSuspectMatchesByteLoop holds suspect's eight-byte steps to its
// definition (a byte of the set, or not UTF-8) for every byte value at
// every position of values around the step's length, with Chinese text
// cut mid-rune after the step.
func TestSuspectMatchesByteLoop(t *testing.T) {
	for _, format := range []string{connectors.FormatCSV, connectors.FormatJSONL, connectors.FormatSQL, connectors.FormatText} {
		s := unsafeBytes(format, ',')
		for _, base := range []string{"", "1", "1380013", "13800138", "138****5678", "订单王", "a订单王伟", "0123456789abcdef订单", "4403041990010112",
			"客户备注：请放门口", "客户备注：请放门口，物流单号 SF000000000003"} {
			for pos := range len(base) {
				for b := range 256 {
					v := []byte(base)
					v[pos] = byte(b)
					want := s.any(v) || !utf8.Valid(v)
					if got := s.suspect(v); got != want {
						t.Fatalf("%s: suspect(%q) = %v, want %v", format, v, got, want)
					}
				}
			}
		}
	}
}
