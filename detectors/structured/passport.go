package structured

import "github.com/piiscan/piiscan/detectors/pi"

// cn_passport: E + 8 digits, E + letter (not I/O) + 7 digits (since the E
// digits ran out), G + 8 digits (older ordinary passports), D/S/P + 7 or 8
// digits and DE/SE/PE + 7 digits (diplomatic, service, public affairs). The
// token must be exactly that; without 护照/passport nearby it is weak.
var passportSpec = &spec{
	typ:       pi.Passport,
	kind:      kPassport,
	shapes:    shapeToken,
	tokenLens: bits(8, 9),
	columns:   []string{"护照", "passport", "passport_no", "pass_no"},
	keywords:  []string{"护照", "passport", "证件"},
	base:      0.6,
	boosted:   0.95,
}

func passportToken(s *scan, i, e int) (hit, bool) {
	t := s.v[i:e]
	ok := false
	switch len(t) {
	case 8:
		ok = (t[0] == 'D' || t[0] == 'S' || t[0] == 'P') && allDigits(t[1:])
	case 9:
		switch t[0] {
		case 'E':
			ok = allDigits(t[1:]) || plateLetter(t[1]) && allDigits(t[2:])
		case 'G', 'D', 'S', 'P':
			ok = allDigits(t[1:]) || t[0] != 'G' && t[1] == 'E' && allDigits(t[2:])
		}
	}
	return hit{start: i, end: e}, ok
}

func allDigits(t []byte) bool {
	for _, c := range t {
		if !isDigit(c) {
			return false
		}
	}
	return len(t) > 0
}

// plateLetter reports an upper-case letter other than I and O, the
// alphabet of plates and of passport/permit series letters.
func plateLetter(c byte) bool { return cls[c] == clsUpper && c != 'I' && c != 'O' }
