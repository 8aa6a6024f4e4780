package structured

import (
	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/detectors/structured/internal/tables"
)

// cn_uscc: 统一社会信用代码 (GB 32100): registration authority, organisation
// type, 6-digit region code, 9-character organisation code, and a check
// character over the alphabet 0-9 A-H J-N P-R T U W-Y (no I O S V Z).
// Organisations are not persons: the grade is none.
var usccSpec = &spec{
	typ:       pi.USCC,
	kind:      kUSCC,
	shapes:    shapeChain | shapeToken,
	tokenLens: bits(18),
	digits:    bits(18),
	columns:   []string{"信用代码", "统一社会信用", "uscc", "credit_code", "social_credit", "税号", "tax_no", "纳税人识别号"},
	keywords:  []string{"信用代码", "统一社会", "纳税人识别号", "税号", "uscc"},
	base:      0.95,
	boosted:   0.99,
}

// usccValue maps a code character to its value, -1 when not in the alphabet.
var usccValue = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i, c := range []byte("0123456789ABCDEFGHJKLMNPQRTUWXY") {
		t[c] = int8(i)
	}
	return t
}()

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

func usccValid(t []byte) bool {
	if len(t) != 18 {
		return false
	}
	// registration authority: 1-9, A, N, Y; organisation type: 1-9 or Y
	switch c := t[0]; {
	case c >= '1' && c <= '9', c == 'A', c == 'N', c == 'Y':
	default:
		return false
	}
	if !(t[1] >= '1' && t[1] <= '9' || t[1] == 'Y') {
		return false
	}
	if !allDigits(t[2:8]) || !usccRegion(uint32(num6(t, 2))) {
		return false
	}
	sum := 0
	for i, w := range usccWeights {
		x := usccValue[t[i]]
		if x < 0 {
			return false
		}
		sum += int(x) * w
	}
	want := (31 - sum%31) % 31
	return int(usccValue[t[17]]) == want
}

// usccRegion accepts region codes and the national/provincial-level codes
// (100000, 110000) that registrations of central bodies carry.
func usccRegion(r uint32) bool {
	return r == 100000 || tables.Region(r) || r%10000 == 0 && tables.Province(r/10000)
}

func usccToken(s *scan, i, e int) (hit, bool) {
	return hit{start: i, end: e}, usccValid(s.v[i:e])
}

func usccChain(s *scan, c *chain, a, b int) (hit, bool) {
	if b-a != 1 || c.g[a].len() != 18 {
		return hit{}, false
	}
	g := c.g[a]
	return hit{start: g.s, end: g.e}, usccValid(s.v[g.s:g.e])
}
