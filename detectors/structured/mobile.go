package structured

import (
	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/detectors/structured/internal/tables"
)

// cn_mobile: 11 digits in an allocated mainland segment (tables), plain,
// 3-4-4 with spaces or dashes, or 3-8; optionally after +86, 86 or 0086,
// which the span includes.
var mobileSpec = &spec{
	typ:    pi.Mobile,
	kind:   kMobile,
	shapes: shapeChain,
	digits: bits(11, 13, 15),
	columns: []string{"手机", "移动电话", "联系电话", "联系方式", "电话", "mobile", "phone", "cellphone",
		"tel", "telephone", "msisdn"},
	keywords: []string{"手机", "电话", "联系", "致电", "来电", "短信", "微信", "tel", "phone", "mobile", "cell"},
	base:     0.9,
	boosted:  0.98,
}

func mobileChain(s *scan, c *chain, a, b int) (hit, bool) {
	v := s.v
	start := c.g[a].s
	// +86 / 86 / 0086 as a group of its own, or (+86)
	if b-a >= 2 && isCountryCode(v[c.g[a].s:c.g[a].e]) {
		if c.sep[a+1] == ')' {
			start = c.start
		}
		a++
	} else if b-a >= 2 && c.sep[a+1] == ')' {
		return hit{}, false
	}
	var buf [15]byte
	first := c.g[a].len()
	switch {
	case b-a == 1:
	case b-a == 3 && (first == 3 || first == 5 || first == 7) && c.lens(a+1, b, 4, 4) && c.sameSeps(a, b, 0):
		// 138-1234-5678, and +86138-1234-5678 with the prefix glued on
	case c.lens(a, b, 3, 8):
	default:
		return hit{}, false
	}
	d, ok := s.collect(c, a, b, buf[:])
	if !ok {
		return hit{}, false
	}
	n := len(d)
	prefixed := start != c.g[a].s
	if c.sep[a] == ')' {
		prefixed = false // the span already starts at the parenthesis
	}
	switch {
	case n == 13 && d[0] == '8' && d[1] == '6':
		d, prefixed = d[2:], true
	case n == 15 && d[0] == '0' && d[1] == '0' && d[2] == '8' && d[3] == '6':
		d, prefixed = d[4:], true
	}
	if len(d) != 11 || d[0] != '1' || !tables.MobileSegment(num4(d, 0)) {
		return hit{}, false
	}
	if prefixed && start == c.g[0].s && c.plus {
		start-- // include the '+'
	}
	return hit{start: start, end: c.g[b-1].e}, true
}

func isCountryCode(g []byte) bool {
	return string(g) == "86" || string(g) == "0086"
}
