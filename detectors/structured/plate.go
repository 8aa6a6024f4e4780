package structured

import "github.com/piiscan/piiscan/detectors/pi"

// cn_license_plate: a province abbreviation, a letter (not I/O), then five
// letters/digits (at most two letters), 京A12345, 京A·12345, 京A 12345, 京A-12345;
// new-energy plates with six: D/F + letter-or-digit + 4 digits (京AD12345),
// or 5 digits + D/F (京A12345D); four plus a use character: 学 警 挂 港 澳
// 领 试 超 (粤Z1234港, 京A1234警).
var plateSpec = &spec{
	typ:       pi.LicensePlate,
	kind:      kPlate,
	shapes:    shapeToken,
	tokenLens: bits(1, 5, 6, 7),
	columns:   []string{"车牌", "号牌", "plate", "plate_no", "license_plate", "car_no", "vehicle_no", "车辆号"},
	keywords:  []string{"车牌", "号牌", "车辆", "车号", "plate"},
	base:      0.85,
	boosted:   0.95,
}

// provinces are the plate province characters.
const provinces = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"

// useChars end a plate with four characters after the city letter.
const useChars = "学警挂港澳领试超"

// provinceSet and useSet have bit cp set for the code points of provinces
// and useChars. Filled once by init, read-only afterwards.
var provinceSet, useSet [1 << 16 / 64]uint64

func init() {
	for _, r := range provinces {
		provinceSet[r>>6] |= 1 << (r & 63)
	}
	for _, r := range useChars {
		useSet[r>>6] |= 1 << (r & 63)
	}
}

// isHan3 reports whether the 3-byte UTF-8 character v[i:i+3] is in set.
func isHan3(set *[1 << 16 / 64]uint64, v []byte, i int) bool {
	if i < 0 || i+3 > len(v) || v[i] < 0xe0 || v[i] >= 0xf0 {
		return false
	}
	cp := codePoint3(v[i], v[i+1], v[i+2])
	return set[cp>>6]&(1<<(cp&63)) != 0
}

func plateToken(s *scan, i, e int) (hit, bool) {
	v := s.v
	if !plateLetter(v[i]) {
		return hit{}, false
	}
	// the province right before the letter, or after a space: 京 A12345
	p := i - 3
	if !isHan3(&provinceSet, v, p) {
		if p = i - 4; i < 1 || v[i-1] != ' ' || !isHan3(&provinceSet, v, p) {
			return hit{}, false
		}
	}
	h := hit{start: p, end: e}
	t := v[i+1 : e]
	if len(t) == 0 {
		// 京A·12345, 京A 12345
		k := e
		if k+1 < len(v) && v[k] == 0xc2 && v[k+1] == 0xb7 {
			k += 2
		} else if k < len(v) && (v[k] == ' ' || v[k] == '-') {
			k++
		} else {
			return hit{}, false
		}
		b := k
		for b < len(v) && isAlnum(v[b]) {
			b++
		}
		t, h.end = v[k:b], b
	}
	switch len(t) {
	case 5:
		return h, plateTail(t, 2)
	case 6:
		if (t[0] == 'D' || t[0] == 'F') && (plateLetter(t[1]) || isDigit(t[1])) && allDigits(t[2:]) ||
			allDigits(t[:5]) && (t[5] == 'D' || t[5] == 'F') {
			return h, true
		}
	case 4:
		if isHan3(&useSet, v, h.end) && plateTail(t, 1) {
			h.end += 3
			return h, true
		}
	}
	return hit{}, false
}

// plateTail reports whether t is plate letters/digits with at most maxLetters letters.
func plateTail(t []byte, maxLetters int) bool {
	letters := 0
	for _, c := range t {
		switch {
		case isDigit(c):
		case plateLetter(c):
			letters++
		default:
			return false
		}
	}
	return letters <= maxLetters
}
