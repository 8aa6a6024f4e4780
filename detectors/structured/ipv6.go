package structured

import "github.com/piiscan/piiscan/detectors/pi"

// ipv6: eight colon-separated groups of 1-4 hex digits, or fewer with one
// "::" (at least two groups written), optionally ending in a dotted IPv4.
// Times (12:30:45) and MAC addresses (6 groups, no "::") do not parse.
var ipv6Spec = &spec{
	typ:      pi.IPv6,
	kind:     kIPv6,
	shapes:   shapeAtom,
	columns:  ipv4Spec.columns,
	keywords: []string{"ip", "地址", "addr", "host", "client", "from", "登录"},
	base:     0.9,
	boosted:  0.97,
}

func isHex(c byte) bool {
	return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'f'
}

func ipv6Atom(s *scan, i, e int) (hit, bool) {
	v := s.v
	n := len(v)
	// "::1", "::ffff:1.2.3.4": the address starts with the "::" before i.
	lead := i >= 2 && v[i-1] == ':' && v[i-2] == ':' && (i < 3 || !isHex(v[i-3]) && v[i-3] != ':')
	if !lead && (e >= n || v[e] != ':') || e-i > 4 || i < s.noV6 {
		return hit{}, false
	}
	if !lead && e+2 < n && isDigit(v[e+1]) && isDigit(v[e+2]) { // timeEnd's first test
		if k, ok := timeEnd(v, i, e); ok {
			s.noV6 = k // parseIPv6 fails on a time: do not parse it
			return hit{}, false
		}
	}
	end, ok := parseIPv6(v, i, lead)
	if !ok {
		// Do not try again inside this colon run.
		k := e
		for k < n && (isHex(v[k]) || v[k] == ':' || v[k] == '.') {
			k++
		}
		s.noV6 = k
		return hit{}, false
	}
	if lead {
		i -= 2
	}
	return hit{start: i, end: end}, true
}

// timeEnd reports whether the run v[i:e] (at most four characters) starts
// a time or a duration: digits, then one to three colons each before two
// digits (12:30, 12:30:45, 0000:12:30:45), maybe a fraction (.123), then a
// byte that is neither a hex digit, a colon nor a dot. It returns the time's
// end, which is the end of the colon run. Times are common in text and
// logs, and parseIPv6 fails on them: at most four groups, no "::", and a
// fraction is no embedded IPv4.
func timeEnd(v []byte, i, e int) (int, bool) {
	k, g := e, 0
	for ; g < 3 && k+2 < len(v) && v[k] == ':' && isDigit(v[k+1]) && isDigit(v[k+2]); g++ {
		k += 3
	}
	if g == 0 {
		return 0, false // most addresses fail here: a hex letter or one digit
	}
	for _, c := range v[i:e] {
		if !isDigit(c) {
			return 0, false
		}
	}
	if k+1 < len(v) && v[k] == '.' && isDigit(v[k+1]) {
		for k++; k < len(v) && isDigit(v[k]); k++ {
		}
	}
	if k < len(v) && (isHex(v[k]) || v[k] == ':' || v[k] == '.') {
		return 0, false
	}
	return k, true
}

// parseIPv6 parses an address starting at v[i] (a hex digit), after a
// "::" when lead, and returns its end.
func parseIPv6(v []byte, i int, lead bool) (int, bool) {
	n := len(v)
	p := i
	groups := 0
	dbl := lead
	for {
		a := p
		for p < n && p-a < 5 && isHex(v[p]) {
			p++
		}
		if p == a {
			break // after a trailing "::"
		}
		if p-a > 4 {
			return 0, false
		}
		if p < n && v[p] == '.' {
			// embedded IPv4 (::ffff:192.168.0.1): four decimal groups
			p = a
			for k := 0; k < 4; k++ {
				b := p
				for p < n && isDigit(v[p]) && p-b < 4 {
					p++
				}
				if p == b || p-b > 3 || num(v, b, p) > 255 {
					return 0, false
				}
				if k < 3 {
					if p >= n || v[p] != '.' {
						return 0, false
					}
					p++
				}
			}
			groups += 2
			break
		}
		groups++
		if p+1 < n && v[p] == ':' && v[p+1] == ':' {
			if dbl {
				return 0, false
			}
			dbl = true
			p += 2
			continue
		}
		if p+1 < n && v[p] == ':' && isHex(v[p+1]) {
			p++
			continue
		}
		break
	}
	if dbl && (groups < 2 && !lead || groups > 7) || !dbl && groups != 8 {
		return 0, false
	}
	if p < n && (isAlnum(v[p]) || v[p] == '_' || v[p] == ':' || v[p] == '.' && p+1 < n && isDigit(v[p+1])) {
		return 0, false
	}
	return p, true
}
