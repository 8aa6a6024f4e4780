package structured

import "github.com/piiscan/piiscan/detectors/pi"

// cn_travel_permit: 往来港澳通行证 C + 8 digits or C + letter + 7 digits
// (older W + 8 digits); 往来台湾通行证 L + 8 digits (older T + 8 digits);
// 港澳居民来往内地通行证 (回乡证) H/M + 8 digits, or + 10 digits with the
// renewal count. Weak without context.
var travelPermitSpec = &spec{
	typ:       pi.TravelPermit,
	kind:      kTravelPermit,
	shapes:    shapeToken,
	tokenLens: bits(9, 11),
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
