package structured

import "github.com/piiscan/piiscan/detectors/pi"

// birth_date: a calendar date from 1900 to the scan date, reported only in
// context (a column such as 出生日期/birthday, or 出生/生日/DOB shortly
// before): 1990-01-02, 1990/1/2, 1990.01.02, 19900102, 1990年1月2日.
// Other dates (order times, log timestamps) are not PI.
var birthDateSpec = &spec{
	typ:      pi.BirthDate,
	kind:     kBirthDate,
	shapes:   shapeChain | shapeDotted,
	digits:   bits(4, 6, 7, 8),
	groups:   bits(3),
	columns:  []string{"出生", "生日", "birth", "birthday", "birthdate", "dob", "born", "date_of_birth"},
	keywords: []string{"出生", "生日", "生于", "dob", "birth", "born"},
	base:     0.9,
	boosted:  0.9,
}

var nian, yue, ri = []byte("年"), []byte("月"), []byte("日")

func birthChain(s *scan, c *chain, a, b int) (hit, bool) {
	v := s.v
	h := hit{start: c.g[a].s, end: c.g[b-1].e, needContext: true}
	var y, m, d int
	switch {
	case b-a == 1 && c.g[a].len() == 8:
		g := c.g[a]
		y, m, d = num4(v, g.s), num2(v, g.s+4), num2(v, g.s+6)
	case b-a == 1 && c.g[a].len() == 4:
		// 1990年1月2日
		g := c.g[a]
		k := g.e
		var ok bool
		if m, k, ok = numAfter(v, k, nian); !ok {
			return hit{}, false
		}
		if d, k, ok = numAfter(v, k, yue); !ok {
			return hit{}, false
		}
		if k+len(ri) <= len(v) && string(v[k:k+len(ri)]) == string(ri) {
			k += len(ri)
		}
		y, h.end = num4(v, g.s), k
	case b-a == 3 && c.g[a].len() == 4 && c.g[a+1].len() <= 2 && c.g[a+2].len() <= 2 &&
		(c.sep[a+1] == '-' || c.sep[a+1] == '/') && c.sep[a+2] == c.sep[a+1]:
		y, m, d = num4(v, c.g[a].s), num(v, c.g[a+1].s, c.g[a+1].e), num(v, c.g[a+2].s, c.g[a+2].e)
	default:
		return hit{}, false
	}
	if _, ok := s.d.birthYMD(y, m, d); !ok {
		return hit{}, false
	}
	return h, true
}

// numAfter reads sep then 1-2 digits at v[k:]; it returns them and the end.
func numAfter(v []byte, k int, sep []byte) (int, int, bool) {
	if k+len(sep) > len(v) || string(v[k:k+len(sep)]) != string(sep) {
		return 0, 0, false
	}
	k += len(sep)
	b := k
	for b < len(v) && b-k < 3 && isDigit(v[b]) {
		b++
	}
	if b == k || b-k > 2 || b < len(v) && isAlnum(v[b]) {
		return 0, 0, false
	}
	return num(v, k, b), b, true
}

func birthDotted(s *scan, c *chain) (hit, bool) {
	if c.n != 3 || c.g[0].len() != 4 || c.g[1].len() > 2 || c.g[2].len() > 2 {
		return hit{}, false
	}
	v := s.v
	if _, ok := s.d.birthYMD(num4(v, c.g[0].s), num(v, c.g[1].s, c.g[1].e), num(v, c.g[2].s, c.g[2].e)); !ok {
		return hit{}, false
	}
	return hit{start: c.g[0].s, end: c.g[2].e, needContext: true}, true
}
