package structured

import (
	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/detectors/structured/internal/tables"
)

// cn_landline: a mainland area code (tables; 010 and 02x take 8-digit
// subscriber numbers, 0xxx 7 or 8) and a subscriber number starting 2-8:
// 010-12345678, (0755)1234567, （0755）1234567, 0755 1234567, 075512345678,
// with an extension (-123, 转123) inside the span. Service numbers (400, 800,
// 95xxx) have no area code and never match.
var landlineSpec = &spec{
	typ:      pi.Landline,
	kind:     kLandline,
	shapes:   shapeChain,
	digits:   bitRange(10, 18),
	single:   bits(11, 12), // unseparated: 01012345678, 075512345678
	columns:  []string{"电话", "座机", "固话", "固定电话", "办公电话", "传真", "tel", "telephone", "phone", "fax", "landline"},
	keywords: []string{"电话", "座机", "固话", "传真", "总机", "热线", "tel", "phone", "fax"},
	base:     0.85,
	boosted:  0.95,
}

var zhuan = []byte("转")

func landlineChain(s *scan, c *chain, a, b int) (hit, bool) {
	v := s.v
	h := hit{start: c.g[a].s, end: c.g[b-1].e}
	if b-a == 1 {
		// unseparated: 01012345678, 075512345678
		g := c.g[a]
		if g.len() < 11 || g.len() > 12 || v[g.s] != '0' {
			return hit{}, false
		}
		al := 4
		if v[g.s+1] <= '2' {
			al = 3
		}
		if !areaCode(v[g.s:g.s+al]) || !subscriber(v[g.s+al:g.e], al) || v[g.s+al] == '1' || v[g.s+al] == '9' {
			return hit{}, false
		}
		h.conf = 0.7
		return landlineExt(s, h), true
	}
	// +86 10 12345678, 0086-755-12345678: the area code loses its trunk 0.
	area := v[c.g[a].s:c.g[a].e]
	areaLen := len(area)
	paren := c.sep[a+1] == ')'
	if b-a >= 3 && !paren && isCountryCode(area) {
		ag := c.g[a+1]
		n := num(v, ag.s, ag.e)
		if !(ag.len() == 2 && n < 30 || ag.len() == 3 && n >= 300) || !tables.AreaCode(n) || c.sep[a+2] == ')' {
			return hit{}, false
		}
		if a == 0 && c.plus {
			h.start--
		}
		a++
		areaLen = ag.len() + 1
	} else {
		if paren {
			if a != 0 {
				return hit{}, false
			}
			h.start = c.start
		} else if c.sep[a+1] != '-' && c.sep[a+1] != ' ' {
			return hit{}, false
		}
		if !areaCode(area) {
			return hit{}, false
		}
	}
	k := a + 1
	sub := c.g[k]
	switch {
	case sub.len() >= 7:
		k++
	case k+1 < b && sub.len() >= 3 && sub.len() <= 4 && c.g[k+1].len() == 4 && c.sep[k+1] != '/':
		// 010-1234-5678, 0755 123 4567
		sub.e = c.g[k+1].e
		k += 2
	default:
		return hit{}, false
	}
	var buf [8]byte
	sd := buf[:0]
	for _, g := range c.g[a+1 : k] {
		if len(sd)+g.len() > len(buf) {
			return hit{}, false
		}
		sd = append(sd, v[g.s:g.e]...)
	}
	if !subscriber(sd, areaLen) {
		return hit{}, false
	}
	switch {
	case k == b:
	case k+1 == b && c.sep[k] == '-' && c.g[k].len() <= 6:
		// extension after a dash: 010-12345678-123
	default:
		return hit{}, false
	}
	return landlineExt(s, h), true
}

// landlineExt extends h over a "转123" extension.
func landlineExt(s *scan, h hit) hit {
	v := s.v
	if h.end+len(zhuan) < len(v) && string(v[h.end:h.end+len(zhuan)]) == string(zhuan) {
		if e, ok := s.digitAtom(h.end + len(zhuan)); ok && e-h.end-len(zhuan) <= 6 {
			h.end = e
		}
	}
	return h
}

// areaCode reports whether a (with its trunk 0) is an area code: 3 digits
// for 010 and 02x, 4 for the rest.
func areaCode(a []byte) bool {
	if len(a) < 3 || len(a) > 4 || a[0] != '0' {
		return false
	}
	n := num(a, 1, len(a))
	if len(a) == 3 && n >= 30 || len(a) == 4 && n < 300 {
		return false
	}
	return tables.AreaCode(n)
}

// subscriber reports whether d is a subscriber number for an area code of
// length al: 8 digits after 010/02x, 7 or 8 elsewhere, not starting with 0.
// (Real ones start 2-8; written examples like 010-12345678 start with 1, so
// only unseparated numbers, which are weaker, insist on 2-8.)
func subscriber(d []byte, al int) bool {
	if len(d) != 8 && (len(d) != 7 || al == 3) {
		return false
	}
	return d[0] >= '1' && d[0] != '9'
}
