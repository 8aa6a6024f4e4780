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

// Byte classes of an address, one table lookup per byte: the local part
// and domain loops run over every byte of every e-mail in a column.
const (
	emLocal  = 1 // letters, digits, . _ % + -
	emLabel  = 2 // letters, digits, - (a domain label)
	emLetter = 4 // letters (a TLD)
)

var emailCls = func() (t [256]uint8) {
	for c := range t {
		if isAlnum(byte(c)) {
			t[c] |= emLocal | emLabel
		}
		if cls[c] >= clsUpper {
			t[c] |= emLetter
		}
	}
	for _, c := range []byte("._%+-") {
		t[c] |= emLocal
	}
	t['-'] |= emLabel
	return t
}()

func isLocal(c byte) bool { return emailCls[c]&emLocal != 0 }

// maxLocal is the longest local part (RFC 5321).
const maxLocal = 64

func emailAtom(s *scan, i, e int) (hit, bool) {
	v := s.v
	n := len(v)
	if i > 0 && isLocal(v[i-1]) {
		return hit{}, false // not where a local part starts
	}
	// v[i:e] is letters and digits; the local part goes on from e, with
	// no two dots in a row.
	k := e
	for k < n && isLocal(v[k]) {
		if v[k] == '.' && v[k-1] == '.' {
			return hit{}, false
		}
		k++
	}
	if k >= n || v[k] != '@' || k-i > maxLocal || v[k-1] == '.' {
		return hit{}, false
	}
	// domain labels
	p := k + 1
	labels, tld := 0, 0
	for {
		a := p
		all := uint8(emLetter)
		for p < n && emailCls[v[p]]&emLabel != 0 && p-a < 64 {
			all &= emailCls[v[p]]
			p++
		}
		letters := all != 0
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
	if p < n && (v[p] == '_' || v[p] == '@' || emailCls[v[p]]&emLabel != 0) {
		return hit{}, false
	}
	return hit{start: i, end: p}, true
}
