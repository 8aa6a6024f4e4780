package textpi

import "strings"

// Address grammar limits.
const (
	// segMax is the most runes a component may have before its suffix
	// (建国门外大街 is 6; 12 leaves room for estate names).
	segMax = 12
)

// address tries an address starting at v[i]. cue says that context (a cue
// word or the column) announces an address, so it may start without a
// division name. It returns the end of the address and a confidence, or 0.
// div, when not zero, is what t.lookup(v, i, kDiv|kDivShort) returns,
// which the caller has already looked up.
func (d *Detector) address(v []byte, i int, cue bool, div divMatch) (int, float32) {
	t := d.t
	p := i
	nDiv, firstLvl, lastLvl := 0, uint8(0), uint8(0)
	shortOnly := true
	for {
		n, kind, lvl := div.n, div.kind, div.lvl
		if n == 0 && t.scanMay(v, p) {
			n, kind, lvl = t.lookupVia(v, p, kDiv|kDivShort, false)
		}
		div = divMatch{}
		if n == 0 {
			break
		}
		if nDiv == 0 && kind == kDivShort && lvl == 3 && !cue {
			break // 朝阳, 海淀 alone are too ambiguous to start an address
		}
		if nDiv > 0 && lvl <= lastLvl && !(lvl == 3 && lastLvl == 3 && kind&kDiv != 0) {
			break // 北京上海 is two places, not one address
		}
		if nDiv == 0 {
			firstLvl = lvl
		}
		if kind&kDiv != 0 {
			shortOnly = false
		}
		nDiv++
		lastLvl = lvl
		p += n
		if q := skipOneSpace(v, p); q != p {
			if t.scanMay(v, q) {
				if m, _, _ := t.lookupVia(v, q, kDiv|kDivShort, false); m > 0 {
					p = q
				}
			}
		}
	}
	comps, num := 0, false
	for {
		q := p
		if comps > 0 || nDiv > 0 {
			q = skipOneSpace(v, p)
		}
		e, isNum := d.segment(v, q)
		if e == 0 {
			break
		}
		p, num = e, isNum
		comps++
		if p >= len(v) {
			// A cell that ends with its last component (an address
			// column's value): segment would find nothing more, nor
			// trailingRoom a room number. Tested here, after a
			// component, the step costs the scan of text nothing.
			goto judge
		}
	}
	if comps > 0 {
		p = trailingRoom(v, p)
	}
judge:
	if p == i {
		return 0, 0
	}
	switch {
	case nDiv > 0 && firstLvl <= 2 && comps > 0:
		if comps >= 2 || num {
			return p, 0.95
		}
		return p, 0.88
	case nDiv >= 2 && lastLvl == 3 && !shortOnly:
		if cue {
			return p, 0.9
		}
		return p, 0.8
	case nDiv > 0 && firstLvl == 3 && comps > 0:
		if num || comps >= 2 {
			return p, 0.9
		}
		return p, 0.8
	case cue && comps > 0:
		if num || comps >= 2 {
			return p, 0.9
		}
		return p, 0.7
	case cue && nDiv >= 2:
		return p, 0.75
	}
	return 0, 0
}

// divMatch is a division name found at the start of an address: its
// length, kinds (kDiv, kDivShort) and level, as lookup returns them.
type divMatch struct {
	n    int
	kind uint16
	lvl  uint8
}

// segment reads one address component at v[q:]: up to segMax runes ending in a
// component suffix (路, 号, 小区 ...). It returns the end and whether the
// suffix numbers something (号, 栋, 室), or 0.
func (d *Detector) segment(v []byte, q int) (int, bool) {
	t := d.t
	p := q
	for k := 0; k <= segMax && p < len(v); k++ {
		c := v[p]
		if c < 0x80 {
			if isAlnum(c) || (c == '-' || c == '#') && p > q {
				p++
				continue
			}
			return 0, false
		}
		if c == 0xEF && p+2 < len(v) && v[p+1] == 0xBC && v[p+2] >= 0x90 && v[p+2] <= 0x99 {
			p += 3 // full-width digit
			continue
		}
		r, ok := hanAt(v, p)
		if !ok {
			return 0, false
		}
		fl := t.flags[r-hanLo]
		if fl&fAddrBreak != 0 {
			return 0, false
		}
		if fl&fDictStart != 0 && t.segMay(v, p) {
			n, kind, lvl := t.lookupVia(v, p, segKinds, false)
			switch {
			case kind&kAddrCue != 0 || kind&kDiv != 0 && lvl <= 2 && p > q:
				return 0, false // another address or its cue begins
			case kind&kAddrSuffix != 0 && p > q:
				return p + n, false
			}
		}
		if p > q && fl&fAddrSuffix != 0 {
			if fl&fAreaEnd != 0 && d.areaWord(v, q, p+3) {
				return 0, false // 西湖风景区 is an area, not a component
			}
			if fl&fNumSuffix != 0 && !numberBefore(v, q, p) {
				return 0, false // 车牌号, 办公室: not a number
			}
			return p + 3, fl&fNumSuffix != 0
		}
		p += 3
	}
	return 0, false
}

// numberBefore reports whether the rune before v[p] (inside the component
// that starts at q) is a digit, a letter or a Chinese numeral, as in 88号,
// A座, 十八栋, 甲6号.
func numberBefore(v []byte, q, p int) bool {
	if p-1 >= q && v[p-1] < 0x80 {
		return isAlnum(v[p-1])
	}
	if p-3 >= q {
		if r, ok := hanAt(v, p-3); ok {
			return strings.ContainsRune("一二三四五六七八九十百千零〇两甲乙丙丁", r)
		}
		if v[p-3] == 0xEF && v[p-2] == 0xBC && (v[p-1] >= 0x90 && v[p-1] <= 0x99 || v[p-1] >= 0xA1 && v[p-1] <= 0xBA) {
			return true // full-width digit or capital letter
		}
	}
	return false
}

// areaWord reports whether v[q:end] ends with a word that names an area
// rather than an address component (风景区, 市区, 路口).
func (d *Detector) areaWord(v []byte, q, end int) bool {
	for s := end - 9; s <= end-6; s += 3 {
		if s < q {
			continue
		}
		if n, _, _ := d.t.lookup(v, s, kAddrStop); s+n == end {
			return true
		}
	}
	return false
}

// trailingRoom takes a bare room or door number after the last component
// (…3单元 501, …18号楼2-1103).
func trailingRoom(v []byte, p int) int {
	q := p
	if q < len(v) && (v[q] == '-' || v[q] == '#') {
		q++
	}
	s := q
	for q < len(v) && (isAlnum(v[q]) || v[q] == '-') {
		q++
	}
	if q > s && v[q-1] != '-' {
		if _, han := hanAt(v, q); !han {
			return q // B塔 is a component, not a room number
		}
	}
	return p
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

// skipOneSpace steps over one ASCII or ideographic space at v[p]. The
// byte decides first: between the parts of an address (after every
// division and component) there is seldom either, and hasAt's compare of
// three bytes cost more than the rest of the step.
func skipOneSpace(v []byte, p int) int {
	if p < len(v) {
		switch v[p] {
		case ' ':
			return p + 1
		case 0xE3: // 　 is E3 80 80
			if hasAt(v, p, "　") {
				return p + 3
			}
		}
	}
	return p
}
