package sensitive

import (
	"bytes"
	"strconv"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/detectors/sensitive/ac"
)

// geoNum is a decimal number with at least minDecimals fraction digits that
// could be a latitude or longitude: 1–3 integer digits, optional sign.
type geoNum struct {
	start, end int32
	val        float64
}

const (
	minDecimals = 4
	maxPairGap  = 24 // bytes between the two numbers of a pair: `, ` `&lng=` `° 东经` `,"lng":`

	confGeoKey   = 0.95 // lat/lng keys or 北纬/东经 around the pair
	confGeoChina = 0.85 // both values inside China's bounding box
	confGeoBare  = 0.55
	confGeoHint  = 0.9
)

// geo finds coordinate pairs ("39.9042, 116.4074", lat=..&lng=.., 北纬39.9042°
// 东经116.4074°, {"lat":..,"lng":..}) and, in a coordinate column, single
// coordinates. It only looks at '.' bytes, found with bytes.IndexByte.
func (d *Detector) geo(v []byte, hint bool, hits []ac.Hit, dst []pi.Match) []pi.Match {
	var prev geoNum
	havePrev := false
	n0 := len(dst)
	for off := 0; off < len(v); {
		j := bytes.IndexByte(v[off:], '.')
		if j < 0 {
			break
		}
		dot := off + j
		num, next, ok := parseGeoNum(v, dot)
		off = next
		if !ok {
			continue
		}
		if havePrev && int(num.start-prev.end) <= maxPairGap && pairGap(v[prev.end:num.start]) {
			if m, ok := d.geoPair(v, hits, prev, num, hint); ok {
				dst = append(dst, m)
				havePrev = false
				continue
			}
		}
		prev, havePrev = num, true
	}
	if hint && len(dst) == n0 {
		// A lone coordinate filling a lat or lng column.
		s, e := trimSpace(v)
		if e > s {
			if num, _, ok := parseGeoNum(v, s+bytes.IndexByte(v[s:e], '.')); ok && int(num.start) == s && int(num.end) == e &&
				num.val >= -180 && num.val <= 180 {
				dst = append(dst, pi.Match{Type: pi.GeoCoordinate, Start: s, End: e, Confidence: confGeoHint,
					Grade: pi.DefaultGrade(pi.GeoCoordinate)})
			}
		}
	}
	return dst
}

// parseGeoNum parses the number around the '.' at dot. next is where the
// search for the next '.' continues.
func parseGeoNum(v []byte, dot int) (geoNum, int, bool) {
	if dot < 0 || dot >= len(v) {
		return geoNum{}, len(v), false
	}
	if !geoDot(v, dot) {
		return geoNum{}, dot + 1, false // only digits before the next '.': search on from here
	}
	s := dot
	for s > 0 && isDigit(v[s-1]) && dot-s < 4 {
		s--
	}
	e := dot + 1
	for e < len(v) && isDigit(v[e]) {
		e++
	}
	next := e
	if s == dot || dot-s > 3 || e-dot-1 < minDecimals || e-dot-1 > 15 {
		return geoNum{}, next, false
	}
	if s > 0 && v[s-1] == '-' {
		s--
	}
	// Not part of a longer token: 1.2.3.4567 (versions, IPs), v1.2345, 12345.6789.
	if s > 0 {
		b := v[s-1]
		if isAlnum(b) || b == '.' || b == '_' || b == '/' {
			return geoNum{}, next, false
		}
	}
	if e < len(v) {
		b := v[e]
		if b == '.' || b == '_' || (isAlnum(b) && !(b == 'N' || b == 'S' || b == 'E' || b == 'W')) {
			return geoNum{}, next, false
		}
	}
	val, err := strconv.ParseFloat(string(v[s:e]), 64) // small, non-escaping: no allocation
	if err != nil {
		return geoNum{}, next, false
	}
	return geoNum{start: int32(s), end: int32(e), val: val}, next, true
}

// geoDot reports whether parseGeoNum looks further at the '.' at v[dot]
// (0 ≤ dot < len(v)). Most dots (sentences, versions, IPs, times, prices)
// fail here, on a digit before and minDecimals digits after, without
// walking digits; four digits or more before the dot is no latitude or
// longitude (amounts and percentages: 12829.51800%), decided without
// walking the digits after it (they hold no '.', so the search goes on
// there). The vector separator test (sepsAVX2) sets sepDot only for a
// value with such a dot.
func geoDot(v []byte, dot int) bool {
	return dot > 0 && dot+minDecimals < len(v) && isDigit(v[dot-1]) && digits4(v[dot+1:dot+5]) &&
		!(dot >= 4 && digits4(v[dot-4:dot]))
}

// digits4 reports that the four bytes of b are ASCII digits (minDecimals),
// testing them together: each has the high nibble 3, and still has it
// plus 6 (no carry can cross bytes once the first test holds).
func digits4(b []byte) bool {
	_ = b[3]
	x := uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
	return x&0xF0F0F0F0 == 0x30303030 && (x+0x06060606)&0xF0F0F0F0 == 0x30303030
}

// pairGap accepts separators between the two numbers of a pair; a digit or
// a line break means they are not a pair.
func pairGap(g []byte) bool {
	if len(g) == 0 {
		return false
	}
	for _, b := range g {
		if isDigit(b) || b == '\n' || b == '\r' {
			return false
		}
	}
	return true
}

func (d *Detector) geoPair(v []byte, hits []ac.Hit, a, b geoNum, hint bool) (pi.Match, bool) {
	lat, lng := a.val, b.val
	if !(abs(lat) <= 90 && abs(lng) <= 180) {
		lat, lng = b.val, a.val // GeoJSON order: [lng, lat]
		if !(abs(lat) <= 90 && abs(lng) <= 180) {
			return pi.Match{}, false
		}
	}
	if abs(lat) < 1 && abs(lng) < 1 {
		return pi.Match{}, false // (0.1234, 0.5678): scores, not a place
	}
	gap := v[a.end:b.start]
	keyed := hint || geoKeyNear(v[max(int(a.start)-24, 0):b.start]) || d.geoCJKKey(hits, max(a.start-24, 0), b.start)
	if !keyed && !plainGap(gap) {
		return pi.Match{}, false // 温度 36.5678, 湿度 45.1234: two readings, not a position
	}
	conf := float32(confGeoBare)
	inChina := func(la, ln float64) bool { return la >= 3.5 && la <= 54 && ln >= 73 && ln <= 136 }
	if inChina(a.val, b.val) || inChina(b.val, a.val) {
		conf = confGeoChina
	}
	if keyed {
		conf = confGeoKey
	}
	return pi.Match{Type: pi.GeoCoordinate, Start: int(a.start), End: int(b.end), Confidence: conf,
		Grade: pi.DefaultGrade(pi.GeoCoordinate)}, true
}

// plainGap: only punctuation and spaces between the numbers ("39.9, 116.4",
// "[116.4,39.9]", "39.9°/116.4°").
func plainGap(g []byte) bool {
	for len(g) > 0 {
		if hasPrefix(g, "°") {
			g = g[len("°"):]
			continue
		}
		if hasPrefix(g, "，") {
			g = g[len("，"):]
			continue
		}
		switch g[0] {
		case ' ', '\t', ',', ';', '/', '|', '"', '\'', ':', '=', '&', '{', '}', '[', ']', '(', ')':
			g = g[1:]
		default:
			return false
		}
	}
	return true
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// geoKeyNear looks for lat/lng/lon key names (any case) in w.
func geoKeyNear(w []byte) bool {
	for i := 0; i+3 <= len(w); i++ {
		if lower(w[i]) != 'l' {
			continue
		}
		a, b := lower(w[i+1]), lower(w[i+2])
		if (a == 'a' && b == 't') || (a == 'n' && b == 'g') || (a == 'o' && b == 'n') {
			if i == 0 || !isAlnum(w[i-1]) || w[i-1] == '_' {
				return true
			}
		}
	}
	return false
}

func (d *Detector) geoCJKKey(hits []ac.Hit, lo, hi int32) bool {
	for _, h := range hits {
		if p := d.pats[h.Pat]; p.kind == kindKey && p.cat == catGeo && h.Start >= lo && h.End <= hi {
			return true
		}
	}
	return false
}
