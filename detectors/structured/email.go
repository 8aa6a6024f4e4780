package structured

import "github.com/piiscan/piiscan/detectors/pi"

// email: local@domain.tld found from the start of the local part: ASCII
// local part (letters, digits, . _ % + -), at least two domain labels, a
// TLD of two or more letters. A mobile number as local part
// (13812345678@139.com) is part of the address, not a mobile of its own.
var emailSpec = &spec{
	typ:      pi.Email,
	kind:     kEmail,
	shapes:   shapeAtom,
	columns:  []string{"email", "e_mail", "mail", "邮箱", "邮件", "电邮"},
	keywords: []string{"邮箱", "邮件", "mail"},
	base:     0.95,
	boosted:  0.99,
}

func isLocal(c byte) bool {
	return isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
}

// maxLocal is the longest local part (RFC 5321).
const maxLocal = 64

func emailAtom(s *scan, i, e int) (hit, bool) {
	v := s.v
	n := len(v)
	if i > 0 && isLocal(v[i-1]) {
		return hit{}, false // not where a local part starts
	}
	k := e
	for k < n && isLocal(v[k]) {
		k++
	}
	if k >= n || v[k] != '@' || k-i > maxLocal || v[k-1] == '.' {
		return hit{}, false
	}
	for j := i + 1; j < k; j++ {
		if v[j] == '.' && v[j-1] == '.' {
			return hit{}, false
		}
	}
	// domain labels
	p := k + 1
	labels, tld := 0, 0
	for {
		a := p
		letters := true
		for p < n && (isAlnum(v[p]) || v[p] == '-') && p-a < 64 {
			letters = letters && cls[v[p]] >= clsUpper
			p++
		}
		if p == a || v[a] == '-' || v[p-1] == '-' {
			return hit{}, false
		}
		labels++
		tld = 0
		if letters {
			tld = p - a
		}
		if p+1 < n && v[p] == '.' && isAlnum(v[p+1]) {
			p++
			continue
		}
		break
	}
	if labels < 2 || tld < 2 || p-k-1 > 253 {
		return hit{}, false
	}
	if p < n && (v[p] == '_' || v[p] == '@' || isAlnum(v[p]) || v[p] == '-') {
		return hit{}, false
	}
	return hit{start: i, end: p}, true
}
