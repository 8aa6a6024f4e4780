package textpi

import "encoding/binary"

// Score thresholds, in the generator's units (10 × natural log odds).
const (
	// statMin is the least surname+given score a name needs with no cue at all.
	statMin = 55
	// weakGivenMin is the least given-name score for the first given rune
	// after a weak cue (用户有问题 must not become 有问).
	weakGivenMin = -12
	// framedBonus is added to a cue-less name between a rune that introduces
	// names (由, 给, 和) and a word that follows them (主持, 表示, 电话).
	framedBonus = 30
	// weakSurname is the surname score under which a surname rune is as
	// likely an ordinary word's (向, 连, 冷).
	weakSurname = 30
	// weakStatMin is the least surname+given score after a weak cue.
	weakStatMin = -12
	// titleStatMin is the least score of a name known only from a title
	// after it (张伟先生); titleStatMinMidWord applies when an ideograph
	// that does not introduce names precedes it (犒劳阴阳先生).
	titleStatMin        = -20
	titleStatMinMidWord = 25
	// g2Min is the given-name score from which a third rune is taken into the
	// name even when no boundary follows it.
	g2Min = 18
)

// name tries a personal name whose surname starts at v[i]. cue says what
// precedes it, prevR is the ideograph just before it (0 if none). It returns
// the end of the name and a confidence, or 0.
func (d *Detector) name(v []byte, i int, cue int8, prevR rune) (int, float32) {
	t := d.t
	r1, _ := hanAt(v, i)
	sEnd := i + 3
	sScore := int(t.surname[r1-hanLo])
	single := t.flags[r1-hanLo]&fSingle != 0
	if t.flags[r1-hanLo]&fCompFirst == 0 {
		// most surnames start no compound one
	} else if n, _, _ := t.lookup(v, i, kCompound); n == 6 {
		if r, ok := hanAt(v, i+6); ok && t.flags[r-hanLo]&fNoGiven == 0 {
			sEnd = i + 6
			sScore = int(t.compSc[string(v[i:i+6])]) + 20 // two-rune surnames rarely start ordinary words
			single = true
		}
	}
	if !single || sEnd == i+3 && t.flags[r1-hanLo]&fFuncSurname != 0 && cue < cueStrong {
		return 0, 0
	}
	// First given rune, and the cheap statistical exit before any more
	// dictionary lookups: most surname runes in running text are just words.
	g1, ok := hanAt(v, sEnd)
	if !ok || t.flags[g1-hanLo]&fNoGiven != 0 {
		return 0, 0
	}
	s1 := int(t.given[g1-hanLo])
	if cue == cueWeak && s1 < weakGivenMin {
		return 0, 0
	}
	if cue == cueNone && (sScore < 0 || sScore+s1 < statMin-30) {
		// 于, 和, 有 ... start names only after a cue or before a title.
		if d.titleAhead(v, sEnd) == cueNone {
			return 0, 0
		}
	}
	if cue == cueNone && prevR != 0 && t.tailAt(v, i-3) {
		return 0, 0 // 证|明丁梅: the surname rune ends a word
	}
	if n, _, _ := t.lookup(v, sEnd, kTitle|kBoundary|kOrg|kCueStrong|kCueWeak); n > 0 {
		return 0, 0 // a bare surname: 张先生, 王电话
	}
	// Second given rune, if the name goes on.
	end := sEnd + 3
	s2, two := 0, false
	if g2, ok := hanAt(v, end); ok {
		fl := t.flags[g2-hanLo]
		if fl&(fNoGiven|fOrgSuffix) == 0 {
			if n, _, _ := t.lookup(v, end, kTitle|kBoundary|kOrg|kCueStrong|kCueWeak); n == 0 {
				s2 = int(t.given[g2-hanLo])
				// Three-rune names are the most common shape: take the
				// rune when the name can end after it, or when it is
				// typical of given names.
				if s2 >= g2Min || d.rightOK(v, end+3) {
					two = true
					end += 3
				}
			}
		}
	}
	// What follows: a title is a cue, a place or organisation suffix rules the name out.
	right := cueNone
	rightOK, rightWord := true, false
	if r, ok := hanAt(v, end); ok {
		n, kind, _ := t.lookup(v, end, kTitle|kTitleStr|kBoundary|kOrg|kCueStrong|kCueWeak)
		rightWord = kind&kBoundary != 0
		switch {
		case kind&kTitleStr != 0:
			right = cueStrong
		case kind&kTitle != 0:
			right = cueWeak
		case kind&kOrg != 0:
			return 0, 0
		case n > 0:
		case t.flags[r-hanLo]&fOrgSuffix != 0:
			return 0, 0
		case t.flags[r-hanLo]&fBoundary == 0:
			// A division name may follow directly on a waybill
			// (收件人张伟北京市…); anything else runs on.
			m, _, _ := t.lookup(v, end, kDiv|kDivShort)
			rightOK = m > 0
		}
	} else if end < len(v) && (genderAfter(v, end) || phoneAfter(v, end)) { // both need a byte at end
		right = cueWeak // 任琳航，男，35岁; 江英（13912345678）
	}
	leftCue := cue
	if right > cue {
		if cue == cueNone && prevR != 0 && t.flags[prevR-hanLo]&(fSurname|fLeftOK) == fSurname && !t.tailAt(v, i-6) {
			return 0, 0 // 邹|琴海女士: the name started one rune earlier
		}
		if sg1 := int(t.surname[g1-hanLo]); cue == cueNone && prevR != 0 && !two && t.flags[g1-hanLo]&fSingle != 0 &&
			sg1 > int(t.given[g1-hanLo]) && sg1 > sScore {
			return 0, 0 // 向|冷先生: the surname is the second rune
		}
		if n, _, _ := t.lookup(v, sEnd, kStop); cue == cueNone && sScore < weakSurname && n > 0 && sEnd+n == end {
			return 0, 0 // 向|阴阳先生: the title belongs to a word
		}
		if cue == cueNone {
			// A title alone still wants a name-like run: 一边作为先生 is not one.
			need := titleStatMin
			if prevR != 0 && t.flags[prevR-hanLo]&fLeftOK == 0 {
				need = titleStatMinMidWord
			}
			if sScore+s1+s2 < need {
				return 0, 0
			}
		}
		cue = right
	}
	// Common words and place names that start with a surname.
	runes := (end - i) / 3
	// A division name (常州, 张家口) counts as such a word too.
	if n, _, _ := t.lookup(v, i, kStop|kDiv|kDivShort); n > sEnd-i {
		sw := n / 3
		switch {
		case cue == cueColumn:
		case sw > runes:
			return 0, 0
		case sw == runes:
			if leftCue < cueStrong || !rightOK { // 阴阳先生 is a trade, not a name
				return 0, 0
			}
		default: // 王国 + 庆
			if !rightOK || leftCue < cueStrong && s2 < 10 {
				return 0, 0
			}
		}
	}
	switch cue {
	case cueColumn, cueStrong:
		if !rightOK && right == cueNone && !two {
			return 0, 0 // 海尔|冰箱: a two-rune "name" that runs on into a word
		}
		if leftCue == cueColumn {
			return end, 0.9
		}
		if right == cueStrong {
			return end, 0.95
		}
		return end, 0.93
	case cueWeak:
		if !rightOK && right == cueNone || sScore+s1+s2 < weakStatMin {
			return 0, 0 // 用户有问题: a weak cue needs a clean right edge
		}
		return end, 0.85
	}
	// No cue: statistics and the runes around the name.
	stat := sScore + s1
	if two {
		stat += s2
	} else {
		stat += 5 // two-rune names are common; do not ask them for a third rune's evidence
	}
	if last, _ := hanAt(v, end-3); t.flags[last-hanLo]&fPlaceEnd != 0 {
		return 0, 0 // 周庄, 黄山: a place unless a cue says otherwise
	}
	if prevR != 0 && t.flags[prevR-hanLo]&fLeftOK == 0 {
		stat -= 25 // probably inside a word
	}
	if !rightOK {
		stat -= 25
	}
	if rightWord && prevR != 0 && t.flags[prevR-hanLo]&fLeftOK != 0 {
		stat += framedBonus // 由|范娟|主持: framed by words that surround names
	}
	if stat < statMin {
		return 0, 0
	}
	conf := 0.55 + float32(stat-statMin)/200
	return end, min(conf, 0.8)
}

// genderAfter reports whether a gender follows a name: "，男，", ",女 ", "（男）".
func genderAfter(v []byte, p int) bool {
	switch {
	case hasAt(v, p, "，") || hasAt(v, p, "（") || hasAt(v, p, "、"):
		p += 3
	case p < len(v) && (v[p] == ',' || v[p] == ' ' || v[p] == '(' || v[p] == '\t'):
		p++
	default:
		return false
	}
	if !hasAt(v, p, "男") && !hasAt(v, p, "女") {
		return false
	}
	p += 3
	r, ok := hanAt(v, p)
	return !ok || r == '性'
}

// plausible is the main loop's cheap filter for a surname rune r (flags fl)
// at v[i] with no cue before it and prevR before it: false only where name
// would return 0 anyway (no given rune; a score that cannot reach statMin and
// no title, gender or phone number in reach), using array loads and at most
// a compound-surname or title lookup. Keep it in step with name's scoring.
func (t *tables) plausible(v []byte, i int, r rune, fl uint16, prevR rune) bool {
	if fl&fCompFirst != 0 {
		if n, _, _ := t.lookup(v, i, kCompound); n == 6 {
			if g, ok := hanAt(v, i+6); ok && t.flags[g-hanLo]&fNoGiven == 0 {
				return true // a compound surname (欧阳): name decides
			}
		}
		if fl&fSingle == 0 {
			return false // 第, 百: no single surname to fall back on
		}
	}
	if fl&fFuncSurname != 0 {
		return false // 和, 有: name wants a strong cue before these
	}
	g1, ok := hanAt(v, i+3)
	if !ok || t.flags[g1-hanLo]&fNoGiven != 0 {
		return false
	}
	return t.plausibleSingle(v, i, r, g1, prevR)
}

// plausibleSingle is plausible for a single surname r at v[i] (not a
// function word) followed by g1, a rune that may start a given name.
func (t *tables) plausibleSingle(v []byte, i int, r, g1 rune, prevR rune) bool {
	sc, s1 := int(t.surname[r-hanLo]), int(t.given[g1-hanLo])
	if sc >= 0 && sc+s1 >= statMin-30 {
		// The best score name could reach: the larger of a third rune's
		// score and the two-rune allowance, and the left edge's effect.
		best := 5
		if g2, ok := hanAt(v, i+6); ok {
			best = max(best, int(t.given[g2-hanLo]))
		}
		if prevR != 0 {
			if t.flags[prevR-hanLo]&fLeftOK != 0 {
				best += framedBonus
			} else {
				best -= 25
			}
		}
		if sc+s1+best >= statMin {
			return true
		}
	}
	// What name's titleAhead would find, and what would make the right
	// edge a cue: a title, a gender or a phone number after one or two
	// given runes.
	// Most surname pairs in running text get here, so the common misses
	// (another ideograph that starts no title, punctuation before an
	// ordinary rune) leave after a byte test or a pair load, with no call.
	for _, p := range [2]int{i + 6, i + 9} {
		if p >= len(v) {
			break
		}
		b := v[p:]
		switch c := b[0]; {
		case c-0xE4 <= 5:
			// An invalid sequence may pass here; lookup compares bytes.
			if len(b) >= 6 && uint8(t.pair[pairKey(uint32(c)|uint32(b[1])<<8|uint32(b[2])<<16)])&pTitleStart != 0 {
				if _, kind, _ := t.lookup(v, p, kTitle|kTitleStr); kind != 0 {
					return true
				}
			}
		case c == '1':
			if phoneAfter(v, p) {
				return true
			}
		case c == ',' || c == ' ' || c == '(' || c == '\t' || c == ':' || c == 0xEF || c == 0xE3:
			// genderAfter and phoneAfter want, after one separator,
			// a 1 or 男 (E7 ...) or 女 (E5 ...).
			q := 1
			if c >= 0x80 {
				q = 3
			}
			if len(b) > q && (b[q] == '1' || b[q] == 0xE7 || b[q] == 0xE5) && (genderAfter(v, p) || phoneAfter(v, p)) {
				return true
			}
		}
	}
	return false
}

// phoneAfter reports whether a mainland mobile number follows a name at
// v[p:], after at most one separator: "江英（13912345678）", "范志 139…".
func phoneAfter(v []byte, p int) bool {
	switch {
	case hasAt(v, p, "（") || hasAt(v, p, "：") || hasAt(v, p, "，"):
		p += 3
	case p < len(v) && (v[p] == '(' || v[p] == ' ' || v[p] == ':' || v[p] == ',' || v[p] == '\t'):
		p++
	}
	if p+11 > len(v) || v[p] != '1' || v[p+1] < '3' || v[p+1] > '9' {
		return false
	}
	for _, c := range v[p+2 : p+11] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return p+11 == len(v) || v[p+11] < '0' || v[p+11] > '9'
}

// titleAhead reports the cue strength of a title (先生, 经理) or a gender after a given
// name of one or two runes starting at g.
func (d *Detector) titleAhead(v []byte, g int) int8 {
	for _, p := range [2]int{g + 3, g + 6} {
		if _, kind, _ := d.t.lookup(v, p, kTitle|kTitleStr); kind&kTitleStr != 0 {
			return cueStrong
		} else if kind != 0 || genderAfter(v, p) || phoneAfter(v, p) {
			return cueWeak
		}
	}
	return cueNone
}

// rightOK reports whether a name may end before v[i]: end of value,
// punctuation, a boundary rune, a title or a boundary word.
func (d *Detector) rightOK(v []byte, i int) bool {
	r, ok := hanAt(v, i)
	if !ok {
		return true
	}
	if d.t.flags[r-hanLo]&fBoundary != 0 {
		return true
	}
	n, _, _ := d.t.lookup(v, i, kTitle|kBoundary|kCueStrong|kCueWeak)
	return n > 0
}

// nameValue treats the whole trimmed value v[lo:hi] of a name column as a
// name: 2–4 ideographs starting with a surname, or an ethnic-minority name
// with a middle dot (阿卜杜·热合曼). Every byte of such a value is 0x80 or
// above (ideographs, · and •), so a value with an ASCII byte (用户123, an
// account number) leaves after allHigh's few loads, before the loop that
// would find the byte rune by rune.
func (d *Detector) nameValue(v []byte, lo, hi int) (int, float32) {
	n := hi - lo
	if n < 6 || n > 60 || !allHigh(v[lo:hi]) {
		return 0, 0
	}
	dots := 0
	for p := lo; p < hi; {
		if _, ok := hanAt(v, p); ok {
			p += 3
			continue
		}
		if v[p] != 0xC2 && v[p] != 0xE2 {
			return 0, 0 // neither dot below (C2 B7, E2 80 A2): a digit, a letter, punctuation
		}
		if hasAt(v, p, "·") && p > lo && p+2 < hi {
			dots++
			p += 2
			continue
		}
		if hasAt(v, p, "•") && p > lo && p+3 < hi {
			dots++
			p += 3
			continue
		}
		return 0, 0
	}
	if dots > 0 {
		return hi, 0.85
	}
	if n > 12 {
		return 0, 0
	}
	if end, conf := d.name(v, lo, cueColumn, 0); end == hi {
		return hi, max(conf, 0.95)
	}
	return 0, 0
}

// allHigh reports whether every byte of b (six bytes or more) is 0x80 or
// above, from eight-byte loads (four-byte ones under eight bytes), the
// last of them ending at the end of b.
func allHigh(b []byte) bool {
	const msb = 0x8080808080808080
	n := len(b)
	if n < 8 {
		return binary.LittleEndian.Uint32(b)&binary.LittleEndian.Uint32(b[n-4:])&0x80808080 == 0x80808080
	}
	acc := binary.LittleEndian.Uint64(b[n-8:])
	for i := 0; n-i >= 8; i += 8 {
		acc &= binary.LittleEndian.Uint64(b[i : i+8])
	}
	return acc&msb == msb
}
