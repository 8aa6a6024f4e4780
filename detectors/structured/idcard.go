package structured

import (
	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/detectors/structured/internal/tables"
)

// cn_id_card: 居民身份证号码 (GB 11643): 6-digit GB/T 2260 region, birth date
// yyyymmdd, 3-digit sequence, ISO 7064 MOD 11-2 check character (0-9, X).
// Legacy 15-digit numbers: region, yymmdd (19yy), 3-digit sequence.
var idCardSpec = &spec{
	typ:    pi.IDCard,
	kind:   kIDCard,
	shapes: shapeChain,
	digits: bits(15, 18),
	columns: []string{"身份证", "证件号", "证件编号", "身份号", "公民身份", "idcard", "id_card", "id_no",
		"idno", "id_num", "idnum", "identity", "sfz", "sfzh", "cert_no", "certno", "citizen_id", "national_id"},
	keywords: []string{"身份证", "证件", "身份号", "公民身份", "idcard", "identity", "id", "sfz"},
	base:     0.99,
	boosted:  0.99,
}

// idCheck returns the GB 11643 check character of the first 17 digits
// (d[:17] are ASCII digits). Written out weight by weight, with the digits'
// '0' taken off the sum once (the weights add up to 100): a loop over the
// weights costs three times the instructions, on every 18-digit candidate.
func idCheck(d []byte) byte {
	_ = d[16]
	sum := int(d[0])*7 + int(d[1])*9 + int(d[2])*10 + int(d[3])*5 + int(d[4])*8 + int(d[5])*4 +
		int(d[6])*2 + int(d[7])*1 + int(d[8])*6 + int(d[9])*3 + int(d[10])*7 + int(d[11])*9 +
		int(d[12])*10 + int(d[13])*5 + int(d[14])*8 + int(d[15])*4 + int(d[16])*2 - '0'*100
	return "10X98765432"[sum%11]
}

func idCardChain(s *scan, c *chain, a, b int) (hit, bool) {
	var buf [18]byte
	switch {
	case b-a == 1 && (c.g[a].len() == 18 || c.g[a].len() == 15):
	case c.lens(a, b, 6, 8, 4) && c.sameSeps(a, b, 0): // 110105 19900101 1232
	case c.lens(a, b, 6, 4, 4, 4) && c.sameSeps(a, b, 0): // 110105 1990 0101 1232
	default:
		return hit{}, false
	}
	d, _ := s.collect(c, a, b, buf[:])
	n := len(d)
	h := hit{start: c.g[a].s, end: c.g[b-1].e}
	if !tables.Region(uint32(num6(d, 0))) {
		return hit{}, false
	}
	if n == 15 {
		ymd, ok := s.d.birthYMD(1900+num2(d, 6), num2(d, 8), num2(d, 10))
		if !ok {
			return hit{}, false
		}
		h.conf = 0.85
		// A Luhn-valid 15-digit number is as likely an IMEI: only with context.
		h.needContext = luhn(d)
		h.minor = s.d.minor(ymd)
		return h, true
	}
	ymd, ok := s.d.birthYMD(num4(d, 6), num2(d, 10), num2(d, 12))
	last := d[17]
	if last == 'x' {
		last = 'X'
	}
	if !ok || idCheck(d) != last {
		return hit{}, false
	}
	h.minor = s.d.minor(ymd)
	return h, true
}
