package structured

import "github.com/piiscan/piiscan/detectors/pi"

// cn_travel_permit: 往来港澳通行证 C + 8 digits or C + letter + 7 digits
// (older W + 8 digits); 往来台湾通行证 L + 8 digits (older T + 8 digits);
// 港澳居民来往内地通行证 (回乡证) H/M + 8 digits, or + 10 digits with the
// renewal count. Weak without context.
//
// 台湾居民来往大陆通行证 (台胞证) numbers are 8 digits (10 before 2015):
// reported only after 台胞证 / 台湾居民 or in such a column.
var travelPermitSpec = &spec{
	typ:       pi.TravelPermit,
	kind:      kTravelPermit,
	shapes:    shapeToken | shapeChain,
	tokenLens: bits(9, 11),
	digits:    bits(8, 10),
	columns: []string{"通行证", "回乡证", "台胞证", "港澳证", "permit", "travel_permit", "hk_macao", "hkmo",
		"home_return", "exit_entry"},
	keywords: []string{"通行证", "回乡证", "台胞证", "港澳", "台湾", "permit", "证件"},
	base:     0.55,
	boosted:  0.9,
}

func permitToken(s *scan, i, e int) (hit, bool) {
	t := s.v[i:e]
	ok := false
	switch len(t) {
	case 9:
		switch t[0] {
		case 'C':
			ok = allDigits(t[1:]) || plateLetter(t[1]) && allDigits(t[2:])
		case 'W', 'L', 'T', 'H', 'M':
			ok = allDigits(t[1:])
		}
	case 11:
		ok = (t[0] == 'H' || t[0] == 'M') && allDigits(t[1:])
	}
	return hit{start: i, end: e}, ok
}

// taiwanKeywords must precede an all-digit 台胞证 number.
var taiwanKeywords = compileKeywords([]string{"台胞证", "台湾居民", "台湾同胞", "mtp"})

func permitChain(s *scan, c *chain, a, b int) (hit, bool) {
	if b-a != 1 || c.g[a].x {
		return hit{}, false
	}
	g := c.g[a]
	if !s.f.Suggests(pi.TravelPermit) && !taiwanKeywords.before(s.v, g.s, strictWindow) {
		return hit{}, false
	}
	return hit{start: g.s, end: g.e}, true
}
