// Package sensitive detects the sensitive categories of PIPL Art. 28 and
// GB/T 35273-2020 App. B in free text and columns: health, religion,
// ethnicity, sexual orientation, criminal records, biometric templates,
// precise geo-coordinates and credentials.
//
// The dictionary categories are matched by one rune-level Aho–Corasick pass
// over the value (package ac) built from generated tables (tables_gen.go,
// from data/ by ./gen; provenance in README.md). The same pass finds the
// Chinese keys of credentials (密码：) and coordinates (北纬); the ASCII-driven
// types look only at '=' ':' '.' positions found with bytes.IndexByte.
//
// Confidence is simple and measurable: a bare dictionary hit in free text has
// a moderate base; a cue of the same category within cueWindow bytes, or a
// column whose name or comment points at the category, raises it; a
// negation word right before lowers it; a generic phrase touching the hit
// (高血压防治知识, 肿瘤医院, 水族馆) drops it; ethnic names followed by
// 自治州/自治县/乡… are part of a place name and dropped.
package sensitive

//go:generate go run ./gen -data data -out tables_gen.go

import (
	"slices"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/detectors/sensitive/ac"
)

type category uint8

const (
	catHealth category = iota
	catReligion
	catEthnicity
	catSexualOrientation
	catCriminalRecord
	catBiometric
	catCredential
	catGeo
	numCats
)

// catType maps categories to their public type IDs (a constant table).
var catType = [numCats]pi.TypeID{
	catHealth:            pi.Health,
	catReligion:          pi.Religion,
	catEthnicity:         pi.Ethnicity,
	catSexualOrientation: pi.SexualOrientation,
	catCriminalRecord:    pi.CriminalRecord,
	catBiometric:         pi.Biometric,
	catCredential:        pi.Credential,
	catGeo:               pi.GeoCoordinate,
}

type kind uint8

const (
	kindTerm    kind = iota // a finding (or, for biometric, a key that needs template data)
	kindCue                 // raises confidence of findings nearby
	kindGeneric             // touching a finding, marks general text: drop it
	kindKey                 // a key whose value follows (密码：…, 北纬…)
	kindTopic               // in the same sentence and with no cue, marks general discourse: lower
)

type dictEntry struct {
	term string
	cat  category
	kind kind
}

type patInfo struct {
	cat                  category
	kind                 kind
	asciiStart, asciiEnd bool // first/last rune is an ASCII letter or digit: needs a word boundary
}

// Confidence levels. Base is for a bare hit in free text; a cue or a column
// hint raises it; both raise it further.
const (
	cueWindow = 60 // bytes either side (~20 Chinese characters)

	confCue  = 0.85
	confHint = 0.9
	confBoth = 0.95

	// minReport: below it a dictionary hit is more likely general text than a
	// person's record (a bare 侗族 in prose, 经济的“高血压”, news about 胃癌早筛)
	// and is not reported at all: the engine's default keeps every match, and
	// --min-confidence can only raise the bar.
	minReport = 0.5

	negationPenalty = 0.1 // 否认糖尿病 in a medical record is still about the patient's health
	quotedPenalty   = 0.3 // 经济的“高血压”: a figure of speech
	topicPenalty    = 0.2 // 胃癌早筛技术取得新突破: news, not a person's record
)

var baseConf = [numCats]float32{
	catHealth:            0.6,
	catReligion:          0.6,
	catEthnicity:         0.45, // below 0.5: a bare 侗族 in prose is culture, not a person's record
	catSexualOrientation: 0.65,
	catCriminalRecord:    0.65,
}

// Detector finds all sensitive-category types. It is immutable after New and
// safe for concurrent use; Find keeps its scratch on the stack.
type Detector struct {
	ac    *ac.Automaton
	pats  []patInfo
	types []pi.TypeID
	// cells: short values go through scanShort. Always on; tests turn
	// it off for the reference their differential checks compare with.
	cells bool
}

// New builds the detector from the embedded dictionaries. It is done once per
// detector set (~ms); Find never rebuilds anything.
func New() *Detector {
	terms := make([]string, len(dictionary))
	pats := make([]patInfo, len(dictionary))
	for i, e := range dictionary {
		terms[i] = e.term
		pats[i] = patInfo{cat: e.cat, kind: e.kind,
			asciiStart: isAlnum(e.term[0]), asciiEnd: isAlnum(e.term[len(e.term)-1])}
	}
	d := &Detector{ac: ac.Build(terms), pats: pats, cells: true}
	for c := category(0); c < numCats; c++ {
		d.types = append(d.types, catType[c])
	}
	return d
}

// Types lists the types this detector reports.
func (d *Detector) Types() []pi.TypeID { return d.types }

// Needs implements detectors.Needer. Every dictionary term and Chinese or
// ASCII key holds a Chinese character or an ASCII letter; a coordinate
// holds a '.'; a template holds letters, symbols or control bytes; so a
// value of digits alone (a phone or ID number, an amount) finds nothing,
// except in a password-like column, where "123456" is a secret.
func (d *Detector) Needs(f *pi.Field) pi.Classes {
	if f.Suggests(pi.Credential) {
		return 0
	}
	return pi.ClassHigh | pi.ClassLetter | pi.ClassOther
}

// hintSet holds the column hints the passes after the automaton look at,
// read from the field once per value instead of once per pass.
type hintSet uint8

const (
	hintBiometric hintSet = 1 << iota
	hintCredential
	hintGeo
	hintEthnicity
)

func hintsOf(f *pi.Field) hintSet {
	var hs hintSet
	if f == nil {
		return 0
	}
	for _, t := range f.Hints {
		switch t {
		case pi.Biometric:
			hs |= hintBiometric
		case pi.Credential:
			hs |= hintCredential
		case pi.GeoCoordinate:
			hs |= hintGeo
		case pi.Ethnicity:
			hs |= hintEthnicity
		}
	}
	return hs
}

// kindBit is the bit of a (kind, category) pair in the summary of a
// value's hits: passes with nothing to look at are skipped.
func kindBit(k kind, c category) uint64 { return 1 << (uint(k)*uint(numCats) + uint(c)) }

// textTerms: the findings entities resolves (terms of catHealth through
// catCriminalRecord).
const textTerms = (1<<(uint(catCriminalRecord)+1) - 1) << (uint(kindTerm) * uint(numCats))

// sepSet holds which of the separators the ASCII passes look for a value
// has: '=' and ':' after credential keys, a '.' in coordinates.
type sepSet uint8

const (
	sepEq sepSet = 1 << iota
	sepColon
	// sepDot: a '.'; from scanShort, one with a digit before and
	// minDecimals after, and from sepsAVX2 one geoDot accepts (those
	// parseGeoNum needs).
	sepDot

	// sepsMax bounds the values whose separators are found in one pass
	// first (database cells, CSV fields, addresses): on those the three
	// searches with bytes.IndexByte cost more than the rest of Find (on a
	// 43-byte address they and their passes took ~330 instructions, the
	// pass half that). Longer values get longSeps: every bit and the
	// searches, which are cheaper than sepsOf on text (64 costs text
	// lines nothing measurable, 96 did), unless the CPU has vector
	// instructions.
	sepsMax = 64

	// shortMax bounds the values that get scanShort instead (database
	// cells: names, addresses, e-mails, codes, hashes, dates): its pass
	// also tells whether the automaton can have hits, which in such cells
	// it nearly never has.
	shortMax = 96
)

// sepsOf returns the separators in v, eight bytes a step (the last step
// overlaps the one before; fewer than eight bytes are read padded).
func sepsOf(v []byte) sepSet {
	var eq, colon, dot uint64
	add := func(x uint64) {
		eq |= zeroByte(x ^ '='*lsb)
		colon |= zeroByte(x ^ ':'*lsb)
		dot |= zeroByte(x ^ '.'*lsb)
	}
	if len(v) < 8 {
		add(ac.Short64(v) | ^uint64(0)<<(8*len(v))) // padding of 0xFF: no separator
	} else {
		// Words of Chinese text alone (every byte ≥ 0x80) hold no
		// separator: one test instead of three.
		for i := 0; i < len(v)-8; i += 8 {
			if x := le64(v[i : i+8]); x&msb != msb {
				add(x)
			}
		}
		add(le64(v[len(v)-8:]))
	}
	var s sepSet
	if eq != 0 {
		s |= sepEq
	}
	if colon != 0 {
		s |= sepColon
	}
	if dot != 0 {
		s |= sepDot
	}
	return s
}

// scanShort classifies a value of at most shortMax bytes of ASCII and
// 3-byte runes (names, addresses, e-mails, codes, hashes, dates: database
// cells) from bit masks of its bytes (cellBits): the separators it has,
// and noHits when the automaton can have no hits in it that Find keeps
// (ac.TokensMayStart: Scan's skip tests, token by token, on the ASCII
// word starts and the runes). A database cell then costs one pass instead
// of the automaton's skip loops and three searches. A value with other
// bytes (a 2- or 4-byte rune, invalid UTF-8) is not classified (ok
// false): Find then goes the way of text.
//
// The value is copied to a zero-padded buffer first (zero is no separator,
// digit, letter or rune byte): the masks are then computed in whole
// 32-byte blocks, and each probe reads eight bytes with no tail case.
func (d *Detector) scanShort(v []byte) (seps sepSet, noHits, ok bool) {
	var buf [128]byte // ≥ shortMax rounded up to 32, plus the eight bytes a probe reads
	var m cellBits
	if haveCellAVX2 {
		cellMasksAVX2(v, &buf, &m)
	} else {
		cellMasksGo(v, &buf, &m)
	}
	// Every byte ≥ 0x80 is a 3-byte rune's: a lead byte E0–EF and its two
	// continuation bytes. A lead byte within two bytes of the end expects
	// continuations in the padding, which has none.
	lead0, lead1 := m.lead[0], m.lead[1]
	cont0 := lead0<<1 | lead0<<2
	cont1 := lead1<<1 | lead1<<2 | lead0>>63 | lead0>>62
	if m.cont[0] != cont0 || m.cont[1] != cont1 || m.high[0] != lead0|cont0 || m.high[1] != lead1|cont1 {
		return 0, false, false
	}
	if m.eq[0]|m.eq[1] != 0 {
		seps |= sepEq
	}
	if m.colon[0]|m.colon[1] != 0 {
		seps |= sepColon
	}
	// A '.' with a digit before it and minDecimals after it: only such a
	// dot can be a coordinate's (parseGeoNum), which saves the coordinate
	// pass on amounts (12.50). The padding has no digits, so the decimals
	// are inside the value.
	d0, d1 := m.digit[0], m.digit[1]
	if m.dot[0]&(d0<<1)|m.dot[1]&(d1<<1|d0>>63) != 0 {
		after := func(k uint) (uint64, uint64) { return d0>>k | d1<<(64-k), d1 >> k } // a digit k bytes on
		a1, b1 := after(1)
		a2, b2 := after(2)
		a3, b3 := after(3)
		a4, b4 := after(4)
		if m.dot[0]&(d0<<1)&a1&a2&a3&a4|m.dot[1]&(d1<<1|d0>>63)&b1&b2&b3&b4 != 0 {
			seps |= sepDot
		}
	}
	if !d.ac.FastSkip() {
		return seps, false, true
	}
	al0, al1 := m.alnum[0], m.alnum[1]
	words := [2]uint64{al0 &^ (al0 << 1), al1 &^ (al1<<1 | al0>>63)}
	return seps, !d.ac.TokensMayStart(v, &buf, words, m.lead), true
}

// cellBits holds bit masks of the bytes of a value of at most 128 bytes
// (bit i of word i/64 is byte i): bytes ≥ 0x80; lead bytes of 3-byte runes
// (E0–EF); continuation bytes (80–BF); ASCII letters and digits; digits;
// and the separators.
type cellBits struct {
	high, lead, cont, alnum, digit, dot, eq, colon [2]uint64
}

// cellMasksGo copies v (at most shortMax bytes) to buf and fills m with
// the masks of its bytes, eight bytes a step: per-byte masks (0x80 where
// the byte is of the class) packed to one bit a byte. buf and m must be
// zero; whole 32-byte blocks are classified, one at least, as the vector
// kernel does (the padding is zero bytes, which are in no class).
func cellMasksGo(v []byte, buf *[128]byte, m *cellBits) {
	blocks := max((copy(buf[:shortMax], v)+31)/32, 1)
	for i := 0; i < 32*blocks; i += 8 {
		x := le64(buf[i&127:])
		digit, letter := pi.ASCIIMasks(x)
		w, sh := i>>6, uint(i&63)
		m.high[w] |= pack8(x&msb) << sh
		m.lead[w] |= pack8(zeroBytes(x&(0xF0*lsb)^0xE0*lsb)) << sh
		m.cont[w] |= pack8(zeroBytes(x&(0xC0*lsb)^0x80*lsb)) << sh
		m.alnum[w] |= pack8(digit|letter) << sh
		m.digit[w] |= pack8(digit) << sh
		m.dot[w] |= pack8(zeroBytes(x^'.'*lsb)) << sh
		m.eq[w] |= pack8(zeroBytes(x^'='*lsb)) << sh
		m.colon[w] |= pack8(zeroBytes(x^':'*lsb)) << sh
	}
}

// zeroBytes returns 0x80 in each byte of x that is zero, exactly (the low
// seven bits are added apart from bit 7, so no carry crosses bytes).
func zeroBytes(x uint64) uint64 {
	return ^((x&^msb + 0x7F*lsb) | x) & msb
}

// pack8 gathers bit 7 of each byte of x (the rest zero) into the low eight
// bits: the product puts bit 8k+7 at bit 56+k, with no carries between
// the partial products.
func pack8(x uint64) uint64 { return (x >> 7) * 0x0102040810204080 >> 56 }

// longSeps returns the separators of a value longer than sepsMax: found
// with vector instructions where there are some (sepsVector), which costs
// less than the passes' searches it saves (on 16 MB of the engine's
// input, 22M instructions fewer in all, the vector pass taking 9M);
// else every bit, and the passes search.
func longSeps(v []byte) sepSet {
	if sepsVector != nil {
		return sepsVector(v)
	}
	return sepEq | sepColon | sepDot
}

func le64(b []byte) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// zeroByte is nonzero when some byte of x is zero (exact: no false
// positives, since a borrow only starts at a zero byte).
func zeroByte(x uint64) uint64 { return (x - lsb) &^ x & msb }

// Find appends the sensitive-category matches in value to dst.
func (d *Detector) Find(value []byte, f *pi.Field, dst []pi.Match) []pi.Match {
	if len(value) == 0 {
		return dst
	}
	var seps sepSet
	switch {
	case len(value) <= shortMax && d.cells:
		// A database cell (a name, an address, an e-mail, a code, a
		// hash, a date): one pass tells whether the automaton can have
		// hits at all.
		s, noHits, ok := d.scanShort(value)
		if noHits {
			if s == 0 && (f == nil || len(f.Hints) == 0) {
				return dst // what passes would find out after its call and hintsOf
			}
			return d.passes(value, f, nil, 0, s, dst)
		}
		switch {
		case ok:
			seps = s
		case len(value) <= sepsMax:
			seps = sepsOf(value)
		default:
			seps = longSeps(value)
		}
	case len(value) <= sepsMax:
		seps = sepsOf(value)
	default:
		seps = longSeps(value)
	}
	st, ok := d.ac.First(value)
	if !ok {
		return d.passes(value, f, nil, 0, seps, dst) // no hits: the buffer below is not zeroed
	}
	// Hits live on the stack unless a value has more than 32 of them (zeroing
	// a bigger array costs more than most short values take to scan).
	var hitBuf [32]ac.Hit
	hits := d.ac.ScanFrom(value, st, hitBuf[:0])
	// Word boundaries for ASCII ends (HIV, not arcHIVe).
	k, kinds := 0, uint64(0)
	for _, h := range hits {
		p := d.pats[h.Pat]
		if p.asciiStart && h.Start > 0 && isAlnum(value[h.Start-1]) {
			continue
		}
		if p.asciiEnd && int(h.End) < len(value) && isAlnum(value[h.End]) {
			continue
		}
		hits[k] = h
		k++
		kinds |= kindBit(p.kind, p.cat)
	}
	return d.passes(value, f, hits[:k], kinds, seps, dst)
}

// passes runs the category passes on value's automaton hits (of the kinds
// in kinds) and the separators seps: dictionary entities, biometrics,
// credentials, coordinates. A short ASCII value whose words start no term
// comes here straight from scanShort, with no hits: only what the
// separators or the column ask for runs.
func (d *Detector) passes(value []byte, f *pi.Field, hits []ac.Hit, kinds uint64, seps sepSet, dst []pi.Match) []pi.Match {
	n0 := len(dst)
	hs := hintsOf(f)
	if seps == 0 && kinds == 0 && hs == 0 {
		return dst // no hit, separator or column hint: every pass below would be skipped
	}
	if kinds&textTerms != 0 {
		dst = d.entities(value, f, hits, kinds, dst)
	}
	if hs&hintBiometric != 0 || kinds&kindBit(kindTerm, catBiometric) != 0 {
		dst = d.biometric(value, hs&hintBiometric != 0, hits, dst)
	}
	// A secret follows a '=' or ':', a Chinese key, or fills a secret's column.
	if cjkKeys := kinds&kindBit(kindKey, catCredential) != 0; seps&(sepEq|sepColon) != 0 || cjkKeys || hs&hintCredential != 0 {
		dst = d.credentials(value, hs&hintCredential != 0, cjkKeys, seps, hits, dst)
	}
	if seps&sepDot != 0 { // every coordinate has a '.'
		dst = d.geo(value, hs&hintGeo != 0, hits, dst)
	}
	if hs&hintEthnicity != 0 {
		dst = wholeValue(value, dst)
	}
	if ms := dst[n0:]; len(ms) > 1 {
		slices.SortStableFunc(ms, func(a, b pi.Match) int { return a.Start - b.Start })
	}
	return dst
}

// entities reports dictionary findings of the five text categories,
// leftmost-longest, after the place-name, generic-phrase and context rules.
//
// kinds summarises the hits (kindBit): the look-ups for generic phrases,
// cues and topic words of a category are skipped when the value has none.
func (d *Detector) entities(v []byte, f *pi.Field, hits []ac.Hit, kinds uint64, dst []pi.Match) []pi.Match {
	var entBuf [16]ac.Hit // zeroed only for values with findings to resolve
	ents := entBuf[:0]
	for _, h := range hits {
		p := d.pats[h.Pat]
		if p.kind == kindTerm && p.cat <= catCriminalRecord {
			ents = append(ents, h)
		}
	}
	if len(ents) == 0 {
		return dst
	}
	slices.SortFunc(ents, func(a, b ac.Hit) int {
		if a.Start != b.Start {
			return int(a.Start - b.Start)
		}
		return int(b.End - a.End)
	})
	k, end := 0, int32(-1)
	for _, e := range ents {
		if e.Start < end {
			continue // inside or overlapping a longer/earlier finding
		}
		ents[k] = e
		k++
		end = e.End
	}
	ents = ents[:k]
	for i := 0; i < len(ents); i++ {
		e := ents[i]
		cat := d.pats[e.Pat].cat
		// 高血压病史 is 高血压 + 病史, not 高血压病 + 史.
		if hasSuffix(v[e.Start:e.End], "病") && hasPrefix(v[e.End:], "史") && d.hasTerm(hits, e.Start, e.End-int32(len("病")), cat) {
			e.End -= int32(len("病"))
		}
		if cat == catEthnicity {
			// A run of adjacent ethnic names followed by a place suffix is a
			// place name: 彭水苗族土家族自治县, 延边朝鲜族自治州, 回族乡.
			j := i
			for j+1 < len(ents) && ents[j+1].Start == ents[j].End && d.pats[ents[j+1].Pat].cat == catEthnicity {
				j++
			}
			if isPlaceSuffix(v[ents[j].End:]) {
				i = j
				continue
			}
		}
		if kinds&kindBit(kindGeneric, cat) != 0 && d.touchesGeneric(hits, e, cat) {
			continue
		}
		if e.Start > 0 && v[e.Start-1] == '[' && int(e.End) < len(v) && v[e.End] == ']' {
			continue // [犯罪记录]: the tag a masked value was replaced by
		}
		conf := baseConf[cat]
		cue, hint := kinds&kindBit(kindCue, cat) != 0 && d.cueNear(hits, e, cat, len(v)), f.Suggests(catType[cat])
		if !cue && !hint && kinds&kindBit(kindTopic, cat) != 0 && d.topicInSentence(v, hits, e, cat) {
			conf -= topicPenalty
		}
		switch {
		case cue && hint:
			conf = confBoth
		case hint:
			conf = confHint
		case cue:
			conf = confCue
		}
		if negated(v[:e.Start]) {
			conf -= negationPenalty
		}
		if quoted(v, int(e.Start), int(e.End)) {
			conf -= quotedPenalty
		}
		if conf < minReport {
			continue
		}
		dst = append(dst, pi.Match{Type: catType[cat], Start: int(e.Start), End: int(e.End),
			Confidence: conf, Grade: pi.DefaultGrade(catType[cat])})
	}
	return dst
}

func (d *Detector) hasTerm(hits []ac.Hit, s, e int32, cat category) bool {
	for _, h := range hits {
		if h.Start == s && h.End == e && d.pats[h.Pat].kind == kindTerm && d.pats[h.Pat].cat == cat {
			return true
		}
	}
	return false
}

// quoted reports a finding wrapped in quotation marks, as figures of speech are.
func quoted(v []byte, s, e int) bool {
	return (hasSuffix(v[:s], "“") && hasPrefix(v[e:], "”")) ||
		(hasSuffix(v[:s], "「") && hasPrefix(v[e:], "」"))
}

func isPlaceSuffix(rest []byte) bool {
	for _, s := range placeSuffixes {
		if hasPrefix(rest, s) {
			// 回族乡亲 are fellow villagers, not a township.
			return !(s == "乡" && hasPrefix(rest, "乡亲"))
		}
	}
	return false
}

func (d *Detector) touchesGeneric(hits []ac.Hit, e ac.Hit, cat category) bool {
	for _, g := range hits {
		p := d.pats[g.Pat]
		if p.kind == kindGeneric && p.cat == cat && g.Start <= e.End && g.End >= e.Start {
			return true
		}
	}
	return false
}

// topicInSentence reports a topic word of cat in the sentence around e
// (bounded by 。！？； or a line break, and by cueWindow). The sentence is
// only delimited when a topic word is near at all.
func (d *Detector) topicInSentence(v []byte, hits []ac.Hit, e ac.Hit, cat category) bool {
	lo, hi := -1, -1
	for _, h := range hits {
		p := d.pats[h.Pat]
		if p.kind != kindTopic || p.cat != cat || h.End < e.Start-cueWindow || h.Start > e.End+cueWindow {
			continue
		}
		if lo < 0 {
			lo, hi = sentence(v, int(e.Start), int(e.End))
		}
		if int(h.Start) >= lo && int(h.End) <= hi {
			return true
		}
	}
	return false
}

// sentence returns the bounds of the sentence around v[s:e], at most
// cueWindow bytes either side.
func sentence(v []byte, s, e int) (int, int) {
	lo := s
	for lo > 0 && s-lo < cueWindow && !breakEndsAt(v, lo) {
		lo--
	}
	hi := e
	for hi < len(v) && hi-e < cueWindow && !breakStartsAt(v, hi) {
		hi++
	}
	return lo, hi
}

// breakEndsAt reports a sentence break (。！？； or \n) ending just before v[i].
func breakEndsAt(v []byte, i int) bool {
	b := v[i-1]
	if b == '\n' {
		return true
	}
	if i < 3 {
		return false
	}
	return isBreak(v[i-3], v[i-2], b)
}

// breakStartsAt reports a sentence break starting at v[i].
func breakStartsAt(v []byte, i int) bool {
	if v[i] == '\n' {
		return true
	}
	return i+2 < len(v) && isBreak(v[i], v[i+1], v[i+2])
}

// isBreak: 。 is E3 80 82; ！ ？ ； are EF BC 81, EF BC 9F, EF BC 9B.
func isBreak(a, b, c byte) bool {
	return a == 0xE3 && b == 0x80 && c == 0x82 || a == 0xEF && b == 0xBC && (c == 0x81 || c == 0x9F || c == 0x9B)
}

func (d *Detector) cueNear(hits []ac.Hit, e ac.Hit, cat category, n int) bool {
	lo, hi := e.Start-cueWindow, e.End+cueWindow
	for _, c := range hits {
		p := d.pats[c.Pat]
		if p.kind == kindCue && p.cat == cat && c.End >= lo && c.Start <= hi && (c.End <= e.Start || c.Start >= e.End) {
			return true
		}
	}
	return false
}

// negations right before a finding (否认高血压, 无糖尿病史, 未发现) lower confidence.
var negations = [...]string{"否认", "排除", "无", "未", "非", "不是"}

// negationEnds holds the last rune (3 bytes, as key3 reads them) of each
// negation: most findings follow none of them, and one comparison of
// integers per negation tells so (six hasSuffix calls were ~6M instructions
// on 16 MB of the engine's input).
var negationEnds = func() (e [len(negations)]uint32) {
	for i, n := range negations {
		e[i] = key3([]byte(n[len(n)-3:]))
	}
	return e
}()

// key3 packs three bytes into an integer.
func key3(b []byte) uint32 { return uint32(b[0])<<16 | uint32(b[1])<<8 | uint32(b[2]) }

func negated(before []byte) bool {
	if len(before) < 3 {
		return false // every negation ends in a 3-byte rune
	}
	last := key3(before[len(before)-3:])
	for i, e := range negationEnds {
		if e == last && hasSuffix(before, negations[i]) {
			return true
		}
	}
	return false
}

// wholeValue reports a short ethnic name that is the whole value of an
// ethnicity column (民族: 汉); Find calls it for such columns only.
func wholeValue(v []byte, dst []pi.Match) []pi.Match {
	if len(v) > 16 {
		return dst
	}
	s, e := trimSpace(v)
	for _, name := range ethnicShort {
		if string(v[s:e]) == name {
			return append(dst, pi.Match{Type: pi.Ethnicity, Start: s, End: e, Confidence: confHint,
				Grade: pi.DefaultGrade(pi.Ethnicity)})
		}
	}
	return dst
}

func trimSpace(v []byte) (int, int) {
	s, e := 0, len(v)
	for s < e && (v[s] == ' ' || v[s] == '\t' || v[s] == '\r' || v[s] == '\n') {
		s++
	}
	for e > s && (v[e-1] == ' ' || v[e-1] == '\t' || v[e-1] == '\r' || v[e-1] == '\n') {
		e--
	}
	return s, e
}

func isAlnum(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func lower(b byte) byte {
	if b >= 'A' && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

func hasPrefix(b []byte, s string) bool { return len(b) >= len(s) && string(b[:len(s)]) == s }

func hasSuffix(b []byte, s string) bool { return len(b) >= len(s) && string(b[len(b)-len(s):]) == s }
