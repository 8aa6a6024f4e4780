// Package textpi finds Chinese personal names (cn_name) and mainland postal
// addresses (cn_address) in free text and in columns.
//
// Both are found in one pass over the value's runes. Every CJK ideograph costs
// one pair-table load, which says whether it and the next rune can start
// something (a surname and a given name, a cue word, a division name); only
// those go on to a score bound or a dictionary lookup, which a bit set in
// front of the map usually answers. Names are scored from surname and
// given-name statistics and from context (cue words before, titles after,
// column hints); common words that start with a surname (高血压, 常州, 金额) and
// place or organisation names (张江路, 李宁公司) are rejected unless a strong
// cue says otherwise. An address starts at a GB/T 2260 division name (or right
// after an address cue such as 地址：) and runs to the end of its last component
// (路, 号, 小区, 单元, 室 ...); a division name alone is not an address.
//
// The tables are generated from named sources (see README.md).
package textpi

import (
	"encoding/binary"
	"math/bits"
	"strings"
	"unsafe"

	"github.com/piiscan/piiscan/detectors/pi"
)

// Detector finds cn_name and cn_address. It is immutable after New and safe
// for concurrent use.
type Detector struct {
	t *tables
	// exhaustive turns off the main loop's filters (the pair table, the
	// scan bit set before the full path, plausible), so that tests can
	// check the filters never change a result.
	exhaustive bool
}

// New builds the detector's tables from the embedded generated data (a few
// milliseconds; call it once per scan). The data is fixed at build time and
// TestTables parses it, so a parse error is a build defect and panics, like
// regexp.MustCompile on a constant.
func New() *Detector {
	t, err := newTables()
	if err != nil {
		panic(err)
	}
	return &Detector{t: t}
}

// Types reports cn_name and cn_address.
func (d *Detector) Types() []pi.TypeID { return []pi.TypeID{pi.Name, pi.Address} }

// Hint suggests cn_name or cn_address from a column name or comment.
func (d *Detector) Hint(column, comment string) []pi.TypeID {
	var out []pi.TypeID
	for _, s := range [2]string{column, comment} {
		if s == "" {
			continue
		}
		if nameHint(s) && !contains(out, pi.Name) {
			out = append(out, pi.Name)
		}
		if addrHint(s) && !contains(out, pi.Address) {
			out = append(out, pi.Address)
		}
	}
	return out
}

func contains(ts []pi.TypeID, t pi.TypeID) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

var (
	nameCols     = strings.Fields("linkman link_man lxr shr sjr jjr khmc name real_name realname full_name fullname true_name truename cn_name chinese_name xm xingming contact contact_person consignee receiver sender cardholder card_holder patient")
	namePersonal = strings.Fields("real full true recv buyer seller consignor linkman user customer cust client contact receiver recipient consignee sender patient holder cardholder emp employee staff person member owner applicant student teacher doctor driver guest passenger buyer legal insured beneficiary guardian spouse father mother")
	nameZh       = strings.Fields("姓名 名字 联系人 收件人 收货人 寄件人 持卡人 开户人 户主 患者 客户名称 客户名 用户名称 真实姓名 申请人 法人 法定代表人 负责人 经办人 监护人 投保人 被保险人 受益人")
	addrCols     = strings.Fields("shdz jtzz hjdz txdz lxdz xxdz zz address addr addr1 addr2 address1 address2 street location_address home_address dz dizhi")
	addrTokens   = strings.Fields("address addr street")
	addrZh       = strings.Fields("地址 住址 收货地址 户籍 籍贯 详细地址 通讯地址 居住地 所在地 家庭住址")
)

func splitIdent(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r == '_' || r == '-' || r == '.' || r == ' ' || r == '/'
	})
}

func nameHint(s string) bool {
	for _, z := range nameZh {
		if strings.Contains(s, z) {
			return true
		}
	}
	low := strings.ToLower(s)
	for _, c := range nameCols {
		if low == c {
			return true
		}
	}
	toks := splitIdent(s)
	hasName := false
	for _, t := range toks {
		hasName = hasName || t == "name" || strings.HasSuffix(t, "name") && len(t) > 4 && !strings.HasSuffix(t, "username") && !strings.HasSuffix(t, "nickname") && !strings.HasSuffix(t, "filename")
	}
	if !hasName {
		return false
	}
	for _, t := range toks {
		for _, p := range namePersonal {
			if t == p || strings.HasPrefix(t, p) && strings.HasSuffix(t, "name") {
				return true
			}
		}
	}
	return false
}

func addrHint(s string) bool {
	for _, z := range addrZh {
		if strings.Contains(s, z) {
			return true
		}
	}
	low := strings.ToLower(s)
	for _, c := range addrCols {
		if low == c {
			return true
		}
	}
	for _, t := range splitIdent(s) {
		for _, a := range addrTokens {
			if t == a || strings.HasSuffix(t, a) {
				return true
			}
		}
	}
	return false
}

// Cue strengths for names.
const (
	cueNone int8 = iota
	cueWeak
	cueStrong
	cueColumn
)

// Find appends the names and addresses in value to dst.
func (d *Detector) Find(value []byte, f *pi.Field, dst []pi.Match) []pi.Match {
	v := value
	// Names and addresses need CJK ideographs: most ASCII values leave here.
	i := 0
	if len(v) == 0 || v[0] < 0x80 { // values of ideographs go on at once
		i = asciiPrefix(v)
	}
	if i == len(v) {
		return dst
	}
	t := d.t
	// f.Suggests for both types in one pass over the hints.
	nameCol, addrCol := false, false
	if f != nil && len(f.Hints) != 0 {
		for _, h := range f.Hints {
			nameCol = nameCol || h == pi.Name
			addrCol = addrCol || h == pi.Address
		}
	}
	// trimSpace, with its test of both ends written here (v is not
	// empty), where the compiler would not inline it.
	lo, hi := 0, len(v)
	if spaceEnd[v[0]]&1 != 0 || spaceEnd[v[len(v)-1]]&2 != 0 {
		lo, hi = trimSpaces(v)
	}
	if nameCol {
		if end, conf := d.nameValue(v, lo, hi); end > 0 {
			return append(dst, match(pi.Name, lo, end, conf))
		}
	}
	// A short value of ideographs alone (a cell of an unnamed column) is
	// judged as a whole: a plausible name there is a name.
	if uint(hi-lo-6) <= 12-6 && !nameCol && allHan(v[lo:hi]) {
		if end, _ := d.name(v, lo, cueWeak, 0); end == hi {
			return append(dst, match(pi.Name, lo, hi, 0.75))
		}
	}
	// Cue positions: where a name or address is expected to begin.
	nameCueAt, nameCue := -1, cueNone
	addrCueAt := -1
	if nameCol {
		nameCueAt, nameCue = lo, cueColumn
	}
	if addrCol {
		addrCueAt = lo
	}
	prevR := rune(0) // previous rune if it was an ideograph
	sw := scanWord{at: -1}
outer:
	for i < len(v) {
		// skipped says that skip stopped at i and mayStart passed it,
		// scan that a scan word may start there (the bit set): the
		// full path below need not ask again.
		skipped, scan := false, false
		var r rune
		c := v[i]
		if c < 0x80 {
			i = skipASCIIEnd(v, i+1)
			prevR = 0
			continue
		}
		// An ideograph (hanAt's test): skip needs no more, and the
		// full path below decodes it.
		// (v[i:] has room for both bytes that len(v)-i >= 3 proves.)
		if c-0xE4 > 5 || len(v)-i < 3 || (v[i:][1]^0x80)|(v[i:][2]^0x80) > 0x3F {
			// Punctuation and other scripts: step over the rune by its
			// lead byte (an invalid byte steps one).
			switch {
			case c >= 0xF0:
				i += 4
			case c >= 0xE0:
				i += 3
			case c >= 0xC0:
				i += 2
			default:
				i++
			}
			prevR = 0
			continue
		}
		// Most ideographs start nothing: skip a run of them, decoding each
		// once and deciding with one pair-table load per rune. Cue
		// positions, a cue key before the run (addr=, "name":) and the
		// exhaustive mode take the full path below.
		if !d.exhaustive && i != addrCueAt && i != nameCueAt && (prevR != 0 || i == 0 || !keySep(v[i-1]) || !cueKeyBefore(v, i)) {
			start := i
			stop := -1
			if addrCueAt > i {
				stop = addrCueAt
			}
			if nameCueAt > i && (stop < 0 || nameCueAt < stop) {
				stop = nameCueAt
			}
			st := t.pair[keyAt(v, i)]
			for {
				var m uint16
				if j, ev := t.skipFirst(v, i, st, stop); ev == evEnd {
					if j == len(v) {
						return dst // the kernel took the rest of the value
					}
					i, m = j, 0
				} else {
					i, m = t.skipFrom(v, i, st, stop, &sw, j, ev)
				}
				if i > start && i < len(v) {
					// The rune before i, if an ideograph (not after
					// ASCII or punctuation that skip stepped over);
					// at the end of the value (most values) nothing
					// reads it.
					prevR, _ = hanAt(v, i-3)
				}
				if m == 0 {
					if len(v)-i == 3 && v[i]-0xE4 > 5 {
						// The value ends in three bytes that are not
						// an ideograph (…毫秒。 after a number): the
						// outer loop would step over them and find
						// nothing.
						break outer
					}
					// The outer loop goes on at i: after the run, at
					// a cue position or after a key.
					continue outer
				}
				// skip checked both runes' bytes, and a rune with pair
				// bits is an ideograph: decode without checks.
				var next rune
				r, next = dec3(v[i : i+6])
				if sw.at == i {
					// skip found the bit set passing the key and
					// looked it up: mayStart's first case.
					skipped, scan = true, true
					break
				}
				if skipped, scan = t.mayStart(v, i, r, next, m, prevR); skipped {
					break // the full path decides
				}
				i += 3
				prevR, r = r, next
				if i == stop {
					continue outer
				}
				st = t.pair[keyAt(v, i)]
			}
		}
		if !skipped {
			r = rune(c&0x0F)<<12 | rune(v[i+1]&0x3F)<<6 | rune(v[i+2]&0x3F)
		}
		fl := t.flags[r-hanLo]
		// known says that scan is known: from skip's mayStart, or from
		// the test below, which the scan lookup need not repeat.
		known := skipped
		if !skipped && i != addrCueAt && fl&fSurname == 0 {
			// Neither a surname nor a cue position: only a scan word.
			if scan = fl&fScanStart != 0 && i+6 <= len(v) && t.inScanBloom(rawKey(v[i:i+6])); !scan {
				i += 3
				prevR = r
				continue
			}
			known = true
		}
		if i != addrCueAt && prevR == 0 && i > 0 && v[i-1] < 0x80 && keyIn(keyBefore(v, i), addrKeys) {
			addrCueAt = i // addr=朝阳区…, "address":"…"
		}
		if i == addrCueAt {
			if end, conf := d.address(v, i, true, divMatch{}); end > 0 {
				dst = append(dst, match(pi.Address, i, end, conf))
				i, prevR = end, 0
				continue
			}
		}
		// After skip, a scan word can start only where the pair bits met
		// for one (a bit set hit without them is a false positive that
		// the table would reject).
		if !known {
			scan = fl&fScanStart != 0 && i+6 <= len(v) && t.inScanBloom(rawKey(v[i:i+6]))
		}
		if scan {
			n, kind, lvl := sw.n, sw.kind, sw.lvl
			if sw.at != i {
				n, kind, lvl = t.lookupVia(v, i, scanKinds, false)
			}
			switch {
			case kind&(kDiv|kDivShort) != 0:
				// The longest word of scanKinds is a division, so it is
				// also the longest division (a longer one would be of
				// scanKinds): address need not look it up again.
				if end, conf := d.address(v, i, false, divMatch{n, kind & (kDiv | kDivShort), lvl}); end > 0 {
					dst = append(dst, match(pi.Address, i, end, conf))
					i, prevR = end, 0
					continue
				}
			case kind&kAddrCue != 0:
				i += n
				addrCueAt = skipCueSep(v, i)
				prevR = 0
				continue
			case kind&(kCueStrong|kCueWeak) != 0:
				i += n
				nameCueAt, nameCue = skipCueSep(v, i), cueWeak
				if kind&kCueStrong != 0 {
					nameCue = cueStrong
				}
				prevR = 0
				continue
			}
		}
		if fl&fSurname != 0 {
			cue := cueNone
			if i == nameCueAt {
				cue = nameCue
			} else if prevR == 0 && i > 0 && v[i-1] < 0x80 && keyIn(keyBefore(v, i), nameKeys) {
				cue = cueStrong // name=张伟, "contact":"张伟"
			}
			// mayStart has passed a name here unless it stopped at a
			// scan word: plausible would say the same again.
			if cue == cueNone && !d.exhaustive && (!skipped || scan) && !t.plausible(v, i, r, fl, prevR) {
				i += 3
				prevR = r
				continue
			}
			if end, conf := d.name(v, i, cue, prevR); end > 0 {
				dst = append(dst, match(pi.Name, i, end, conf))
				i, prevR = end, 0
				if cue >= cueWeak {
					// A list of names shares its cue: 联系人：张三、李四和王五.
					if next := listNext(v, end); next > end {
						nameCueAt, nameCue = next, cueWeak
					}
				}
				continue
			}
		}
		i += 3
		prevR = r
	}
	return dst
}

// skipGo is skip in Go (skip_other.go; skip_amd64.go has a kernel in
// assembly that falls back on quiet and scanMiss).
//
// skip steps over three-byte runes from v[i], whose pair-table value is
// st, as long as no rune can start anything with the rune after it. It
// returns the first position whose pair bits meet the next rune's (m != 0)
// where quiet does not rule out what they meet for, or, with m == 0, where
// the outer loop goes on: a byte that starts no
// three-byte rune and no ASCII, an ideograph after a key separator (name=),
// the cue position stop or the rune after ASCII around it, the end.
//
// Punctuation (，。：、) and other three-byte runes have pair value 0, and
// ASCII between runes is stepped over eight bytes at a time, so the outer
// loop sees few run ends; the caller rebuilds the rune before a position
// (prevR) from the bytes, which is 0 after punctuation or ASCII as before.
// Nothing is decoded beyond the table index and only skipASCII (inlined)
// and, at a meeting, quiet are called, so that the loop stays in registers.
func (t *tables) skipGo(v []byte, i int, st uint32, stop int, sw *scanWord) (int, uint16) {
	// With cap equal to len the compiler keeps one value for both: one
	// register fewer to spill at entry and to reload after each of
	// quiet's calls (~400K per 16 MB of mixed text).
	v = v[:len(v):len(v)]
	pair := &t.pair
	j := i + 3
	if uint(j) > uint(len(v)) || i < 0 {
		return j, 0 // (as skipKernel, whose loops read from j-3)
	}
	// The inner loops take runs of three-byte runes up to lim, with no
	// other test per rune: four bytes can be read at j, and the cue
	// position (j == stop) is left to the step after them.
	lim := len(v) - 4
	if stop >= j && stop-3 < lim {
		lim = stop - 3
	}
	// The pair loop takes two runes a step, from one eight-byte load
	// (readable while j <= lim8) and one pattern test: runs are short
	// (most end within eight runes, at ASCII or at a pair), so halving
	// the per-rune loads and tests is what pays, not a wider kernel.
	// The load goes through unsafe because j <= lim8 already proves it
	// in bounds and the compiler's own checks cost five instructions a
	// rune here.
	lim8 := min(lim-3, len(v)-8)
	base := unsafe.Pointer(unsafe.SliceData(v))
	for {
		// w is the four bytes at j once a loop below stops at a byte
		// that starts no three-byte rune and jumps to gap: the pair
		// loop hands over the bytes it has loaded instead of the loop
		// after it loading and testing them again (a goto, because a
		// flag tested after each loop cost more than the loops' exits).
		var w uint32
		for j <= lim8 {
			x := binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(base, j))[:])
			if x&0xC0C0F0C0C0F0 != 0x8080E08080E0 {
				// The run ends at one of the two runes: the first
				// may still be one, and the rune after it is then
				// where it ends (j+3 <= lim, short of stop).
				if uint32(x)&0xC0C0F0 == 0x8080E0 {
					a := pair[pairKey(uint32(x))]
					if m := uint16(st) & uint16(a>>16); m != 0 && !t.quiet(v, j-3, m) && !t.scanMiss(v, j-3, m, sw) {
						return j - 3, m
					}
					st = a
					j += 3
					x >>= 24
				}
				w = uint32(x)
				goto gap
			}
			// pairKey of both runes with one shift: the second's key
			// is bits 24..39 of x ^ x>>6.
			k := x ^ x>>6
			a, b := pair[uint16(k)], pair[uint16(k>>24)]
			if uint16(st)&uint16(a>>16)|uint16(a)&uint16(b>>16) != 0 {
				if m := uint16(st) & uint16(a>>16); m != 0 && !t.quiet(v, j-3, m) && !t.scanMiss(v, j-3, m, sw) {
					return j - 3, m
				}
				if m := uint16(a) & uint16(b>>16); m != 0 && !t.quiet(v, j, m) && !t.scanMiss(v, j, m, sw) {
					return j, m
				}
			}
			st = b
			j += 6
		}
		// Fewer than eight bytes or the cue position ahead: one rune a
		// step.
		for j <= lim {
			w = binary.LittleEndian.Uint32(v[j : j+4])
			if w&0xC0C0F0 != 0x8080E0 {
				goto gap
			}
			st2 := pair[pairKey(w)]
			if m := uint16(st) & uint16(st2>>16); m != 0 && !t.quiet(v, j-3, m) && !t.scanMiss(v, j-3, m, sw) {
				return j - 3, m
			}
			st = st2
			j += 3
		}
		if len(v)-j < 4 {
			break
		}
		w = binary.LittleEndian.Uint32(v[j : j+4])
		if w&0xC0C0F0 == 0x8080E0 {
			// A three-byte rune the inner loops left: the cue position.
			st2 := pair[pairKey(w)]
			if m := uint16(st) & uint16(st2>>16); m != 0 && !t.quiet(v, j-3, m) && !t.scanMiss(v, j-3, m, sw) {
				return j - 3, m
			}
			if j == stop {
				return j, 0
			}
			st = st2
			j += 3
			continue
		}
	gap:
		if uint8(w) >= 0x80 {
			return j, 0 // another rune or a stray byte: the outer loop steps over it
		}
		// ASCII between ideographs (numbers, the keys of a log line):
		// step over it here and go on at the rune after it, unless the
		// outer loop has something to do there: a key before it (name=;
		// a number before a space is none), a cue position in or after
		// the ASCII, the end of the value.
		// w holds v[j:j+4], so a run of up to three bytes ends within
		// it; most others (numbers of four to eleven digits) within one
		// more load (through unsafe, as in the pair loop: j+12 <= len(v)
		// proves it in bounds).
		var k int
		if h := w & 0x80808000; h != 0 {
			k = j + bits.TrailingZeros32(h)>>3
		} else if len(v)-j >= 12 {
			if h := binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(base, j+4))[:]) & 0x8080808080808080; h != 0 {
				k = j + 4 + bits.TrailingZeros64(h)>>3
			} else {
				k = skipASCII(v, j+12)
			}
		} else {
			k = skipASCII(v, j+4)
		}
		if len(v)-k < 4 || keySep(v[k-1]) && keyEnds(v, k-1) || stop >= j && stop <= k {
			return k, 0
		}
		if w = binary.LittleEndian.Uint32(v[k:]); w&0xC0C0F0 != 0x8080E0 {
			return k, 0
		}
		st = pair[pairKey(w)]
		j = k + 3
	}
	// The last rune of the value: its three bytes and nothing after.
	if b := v[j:]; len(b) == 3 {
		if w := uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16; w&0xC0C0F0 == 0x8080E0 {
			st2 := pair[pairKey(w)]
			if m := uint16(st) & uint16(st2>>16); m != 0 && !t.quiet(v, j-3, m) && !t.scanMiss(v, j-3, m, sw) {
				return j - 3, m
			}
			if j == stop {
				return j, 0
			}
			j += 3
		}
	}
	return j, 0
}

// quiet reports, for runes at v[i] and v[i+3] whose pair bits meet in m
// (i+6 <= len(v)), that Find's mayStart is false there whatever the rune
// before, so that skip goes on instead of returning: no scan word may start
// (the bit set), no compound surname, and for a single surname the score
// test of plausibleSingle fails at once while nothing in reach after the
// name can make its right edge a cue. Most pairs in running
// text are rejected here; false means only that Find decides. Most of the
// scan groups' meetings (中 before a rune that follows some other group's
// start) leave at the bit set.
func (t *tables) quiet(v []byte, i int, m uint16) bool {
	if m&pCompound != 0 || i < 0 || len(v)-i < 6 {
		return false
	}
	if m&pScan != 0 && t.inScanBloom(rawKey(v[i:i+6])) {
		return false
	}
	if m&pSingle == 0 {
		return true
	}
	if len(v)-i < 13 {
		return false
	}
	b := (*[13]byte)(v[i : i+13])
	// plausibleSingle's score test (sc >= 0 && sc+s1 >= statMin-30) on
	// the two runes' keys, from one load (buildSingle).
	x := binary.LittleEndian.Uint64(b[:8])
	k := x ^ x>>6
	if int8(t.single[uint16(k>>24)]>>8) >= int8(t.single[uint16(k)]) {
		return false
	}
	// The look-ahead at the end of plausibleSingle can find something
	// only at b[6] or b[9] (after one or two given runes): a rune that
	// starts a title, a '1', or a separator followed by '1' or the
	// first byte of 男 or 女. Both places are tested without a branch
	// (one place is an ideograph, the other not, too often for a branch
	// to predict), from one load of b[6:13] whose shift and xor give
	// both runes' pair keys, as in skip.
	y := binary.LittleEndian.Uint64(b[5:13]) >> 8
	ky := y ^ y>>6
	c6, c9 := cueByte[uint8(y)], cueByte[uint8(y>>24)]
	title := (uint8(t.pair[uint16(ky)])&c6 | uint8(t.pair[uint16(ky>>24)])&c9) & pTitleStart
	sep := cueByte[b[6+int(c6&cbSkip)]]&(c6>>cbSepShift) | cueByte[b[9+int(c9&cbSkip)]]&(c9>>cbSepShift)
	if title|(c6|c9)&cbOne|sep&cbNext == 0 {
		return true
	}
	// Something may follow (about one call in eight). The bytes in
	// reach rule out the common misses before skip returns to Find and
	// plausibleSingle looks again: a '1' inside a shorter number
	// (包裹19154件), a full-width comma before a rune that starts like
	// 男 or 女 but is another (张伟，现在).
	// (Written out here, without calls: a call would cost quiet, a leaf
	// function without one, a frame on every call.)
	if title != 0 {
		return false
	}
	for _, p := range [2]int{6, 9} {
		c := cueByte[b[p]]
		if c&cbOne != 0 && phoneMay(b, p) {
			return false
		}
		if c&cbSep == 0 {
			continue
		}
		// A separator, then a '1' (phoneAfter) or 男 or 女
		// (genderAfter), compared where b holds all three bytes.
		q := p + int(c&cbSkip)
		if q > len(b)-3 || b[q] == '1' {
			if cueByte[b[q]]&cbNext != 0 {
				return false
			}
		} else if w := uint32(b[q]) | uint32(b[q+1])<<8 | uint32(b[q+2])<<16; w == rune3("男") || w == rune3("女") {
			return false
		}
	}
	return true
}

// scanWord is a lookup of scanKinds at v[at] that skip has made (at -1:
// none), so that Find need not make it again where skip stops there.
type scanWord struct {
	at   int
	n    int
	kind uint16
	lvl  uint8
}

// scanMiss reports, where quiet has said false, that the pair at v[i]
// is quiet after all because the scan word its key and the bit set let
// through is not there: the table has no word of scanKinds at v[i] (条记录
// before no 记录人, 配送 before no 配送地址), so Find's full path would
// find none either and decide as though m had no scan group. It is
// apart from quiet, and called only where quiet is false, so that quiet
// stays a leaf function without a frame.
func (t *tables) scanMiss(v []byte, i int, m uint16, sw *scanWord) bool {
	if m&pScan == 0 || m&pCompound != 0 || i < 0 || len(v)-i < 6 || !t.inScanBloom(rawKey(v[i:i+6])) {
		return false // quiet said false for another reason
	}
	n, kind, lvl := t.lookupVia(v, i, scanKinds, false)
	*sw = scanWord{at: i, n: n, kind: kind, lvl: lvl}
	if n > 0 {
		return false
	}
	m &^= pScan
	return m == 0 || t.quiet(v, i, m)
}

// phoneMay reports whether phoneAfter(v, i+p) may hold for b = v[i:i+13],
// p = 6 or 9, with the '1' right at b[p] (a separator before it is
// quiet's separator case), from the bytes b holds: '1', a digit 3–9, digits.
func phoneMay(b *[13]byte, p int) bool {
	if b[p] != '1' || b[p+1]-'3' > 6 {
		return false
	}
	for _, c := range b[p+2:] {
		if c-'0' > 9 {
			return false
		}
	}
	return true
}

// cueByte classes a byte for quiet's look-ahead.
var cueByte = func() (tb [256]uint8) {
	for c := 0xE4; c <= 0xE9; c++ {
		tb[c] |= pTitleStart // an ideograph: its pair bit decides
	}
	tb['1'] |= cbOne | cbNext
	tb[0xE7] |= cbNext // 男
	tb[0xE5] |= cbNext // 女
	for _, c := range []byte{',', ' ', '(', '\t', ':'} {
		tb[c] |= 1 | cbSep // look at the byte after it
	}
	for _, c := range []byte{0xEF, 0xE3} {
		tb[c] |= 3 | cbSep // full-width punctuation: the byte after its three
	}
	return tb
}()

const (
	cbSkip     = 3      // the separator's length (1 or 3; 0: not one)
	cbOne      = 1 << 2 // '1': a phone number may start
	cbNext     = 1 << 3 // may follow a separator: '1', 男 or 女
	cbSep      = 1 << 4 // a separator; cueByte>>cbSepShift has it at cbNext's bit
	cbSepShift = 1
)

// keyAt is pairKey of the three-byte rune at v[i], from its bytes: where
// the caller has decoded the rune, runeKey would encode it again.
func keyAt(v []byte, i int) uint16 {
	b := v[i : i+3]
	return pairKey(uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16)
}

// dec3 decodes the two three-byte runes of b, which skip has checked.
func dec3(b []byte) (rune, rune) {
	_ = b[5]
	return rune(b[0]&0x0F)<<12 | rune(b[1]&0x3F)<<6 | rune(b[2]&0x3F),
		rune(b[3]&0x0F)<<12 | rune(b[4]&0x3F)<<6 | rune(b[5]&0x3F)
}

// mayStart reports whether the full path could do anything at the ideograph
// r at v[i] with no cue there, given m, the pair-table bits of r and the
// ideograph after it: a word of scanKinds may start (bloom; then scan is
// true too), or a name (plausible). False only where the full path would
// step over r.
func (t *tables) mayStart(v []byte, i int, r, next rune, m uint16, prevR rune) (may, scan bool) {
	switch {
	case m&pScan != 0 && t.inScanBloom(rawKey(v[i:i+6])):
		return true, true
	case m&pCompound != 0:
		return t.plausible(v, i, r, t.flags[r-hanLo], prevR), false
	case m&pSingle != 0:
		// The pair table says r is a single surname that is not a
		// function word and next may be its first given rune.
		return t.plausibleSingle(v, i, r, next, prevR), false
	}
	return false, false
}

// cueKeyBefore reports whether a key that announces a name or an address
// (name=, "addr":) ends just before v[i].
func cueKeyBefore(v []byte, i int) bool {
	k := keyBefore(v, i)
	return keyIn(k, addrKeys) || keyIn(k, nameKeys)
}

// keyEnds reports, for a separator at v[p], whether keyBefore(v, p+1) is
// not nil: a letter ends the key before it and at most two more
// separators (three in all).
func keyEnds(v []byte, p int) bool {
	j := p
	for n := 0; n < 2 && j > 0 && keySep(v[j-1]); n++ {
		j--
	}
	return j > 0 && (v[j-1]|0x20)-'a' <= 'z'-'a'
}

// keySep reports whether c may end the key of a key=value pair before a
// value (keyBefore's separators). All five are below 64, so one bit test
// replaces five compares: a digit before a run of ideographs is the common
// case, and it failed all five.
func keySep(c byte) bool {
	return c < 64 && uint64(keySepBits)>>c&1 != 0
}

const keySepBits = 1<<'=' | 1<<':' | 1<<'"' | 1<<'\'' | 1<<' '

// skipASCII returns the index of the first non-ASCII byte at or after i, or
// len(v), testing eight bytes at a time: the first high bit of a word is
// the answer, so the short ASCII runs between ideographs (numbers, commas)
// cost one load and no byte loop.
func skipASCII(v []byte, i int) int {
	for i+8 <= len(v) {
		if w := binary.LittleEndian.Uint64(v[i:i+8]) & 0x8080808080808080; w != 0 {
			return i + bits.TrailingZeros64(w)>>3
		}
		i += 8
	}
	for i < len(v) && v[i] < 0x80 {
		i++
	}
	return i
}

// asciiPrefix is the length of v's ASCII prefix (utf8x.ASCIIPrefix), for
// Find's entry, which most ASCII values leave at once: a database cell of
// 64 hex digits and a word (a hash, a token) cost ~180 instructions in
// ASCIIPrefix, a byte loop for the tail after its sixteen-byte steps, and
// bounds checks on every load. Here a 32-byte step ORs four loads, the
// rest takes eight-byte loads, the last one ending at the end of v over
// bytes already known to be ASCII, and the loads go through unsafe (as in
// skip) where the loop condition already proves them in bounds.
func asciiPrefix(v []byte) int {
	const msb = 0x8080808080808080
	n := len(v)
	if n < 8 {
		for i := range n {
			if v[i] >= 0x80 {
				return i
			}
		}
		return n
	}
	base := unsafe.Pointer(unsafe.SliceData(v))
	load := func(i int) uint64 { return binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(base, i))[:]) }
	i := 0
	for ; n-i >= 32; i += 32 {
		if (load(i)|load(i+8)|load(i+16)|load(i+24))&msb != 0 {
			break // the loop below finds the byte
		}
	}
	for ; n-i >= 8; i += 8 {
		if a := load(i) & msb; a != 0 {
			return i + bits.TrailingZeros64(a)>>3
		}
	}
	if i < n {
		// v[n-8:i] is ASCII: the first high bit of the last eight bytes
		// is at or after i.
		if a := load(n-8) & msb; a != 0 {
			return n - 8 + bits.TrailingZeros64(a)>>3
		}
	}
	return n
}

// skipASCIIEnd is skipASCII for Find's outer loop, where the ASCII after
// an ideograph (a number in a cell: 用户123) often runs to the end of the
// value: fewer than eight bytes from the end, one load that ends at the
// end of v takes them, instead of skipASCII's byte loop.
func skipASCIIEnd(v []byte, i int) int {
	n := len(v) - i
	if n >= 8 || len(v) < 8 {
		return skipASCII(v, i)
	}
	// The last n bytes of the load are v[i:]; a shift of 64 (n == 0)
	// gives 0.
	w := binary.LittleEndian.Uint64(v[len(v)-8:]) & 0x8080808080808080 >> (64 - 8*uint(n))
	if w == 0 {
		return len(v)
	}
	return i + bits.TrailingZeros64(w)>>3
}

func allHan(v []byte) bool {
	for i := 0; i < len(v); i += 3 {
		if _, ok := hanAt(v, i); !ok {
			return false
		}
	}
	return true
}

// Keys of key=value and JSON pairs inside free text (logs) that announce a
// name or an address. Compared case-insensitively, without allocation.
var (
	nameKeys = []string{"name", "real_name", "realname", "full_name", "fullname", "true_name", "customer_name", "cust_name",
		"contact", "contact_name", "contactname", "receiver", "receiver_name", "consignee", "patient", "patient_name",
		"holder_name", "cardholder", "emp_name", "employee_name", "user_real_name", "xm", "xingming", "sender_name"}
	addrKeys = []string{"address", "addr", "home_address", "home_addr", "shipping_address", "receiver_address",
		"delivery_address", "contact_address", "detail_address", "address_detail", "street", "dz", "dizhi"}
)

// keyBefore returns the ASCII identifier that ends just before v[i] behind
// at most three separators (= : " ' space), or nil. Only what keyIn can
// match is returned: an identifier whose last byte is a letter (every key
// of nameKeys and addrKeys ends in one, TestKeys), so that a number before
// a space (订单 2026 已发货) costs one test, and the walk back stops after
// maxKeyLen+1 bytes (a longer run matches no key either).
func keyBefore(v []byte, i int) []byte {
	j := i
	for k := 0; k < 3 && j > 0; k++ {
		if keySep(v[j-1]) {
			j--
		} else {
			break
		}
	}
	if j == i || j == 0 || (v[j-1]|0x20)-'a' > 'z'-'a' {
		return nil
	}
	e := j
	for j > 0 && e-j <= maxKeyLen && identByte[v[j-1]] {
		j--
	}
	return v[j:e]
}

// maxKeyLen is the length of the longest key of nameKeys and addrKeys.
const maxKeyLen = 16

// identByte marks the bytes of an identifier: letters, digits, '_', '-'.
var identByte = func() (tb [256]bool) {
	for c := range tb {
		tb[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
	}
	return tb
}()

// keyLens has bit n set when some key of nameKeys or addrKeys is n bytes
// long: keyIn rejects other lengths before comparing.
var keyLens = func() (m uint32) {
	for _, k := range append(append([]string(nil), nameKeys...), addrKeys...) {
		m |= 1 << len(k)
	}
	return m
}()

func keyIn(k []byte, keys []string) bool {
	if len(k) == 0 || len(k) > maxKeyLen || keyLens&(1<<len(k)) == 0 {
		return false
	}
	for _, s := range keys {
		if len(s) == len(k) && strings.EqualFold(s, string(k)) {
			return true
		}
	}
	return false
}

// listNext returns where the next item of a list of names starts after a
// separator (、 / 和 与 及; not a comma, which ends a clause) at v[p:], or p.
func listNext(v []byte, p int) int {
	switch {
	case hasAt(v, p, "、") || hasAt(v, p, "和") || hasAt(v, p, "与") || hasAt(v, p, "及"):
		p += 3
	case p < len(v) && v[p] == '/':
		p++
	default:
		return p
	}
	if p < len(v) && v[p] == ' ' {
		p++
	}
	return p
}

func match(t pi.TypeID, start, end int, conf float32) pi.Match {
	return pi.Match{Type: t, Start: start, End: end, Confidence: conf, Grade: pi.DefaultGrade(t)}
}

// skipCueSep skips what separates a cue from its value: colons, spaces, 是, 为.
func skipCueSep(v []byte, i int) int {
	for i < len(v) {
		switch c := v[i]; {
		case c == ':' || c == ' ' || c == '\t' || c == '=':
			i++
		case c < 0x80 || len(v)-i < 3:
			return i // a digit or letter, or no room for the runes below
		default:
			switch uint32(c) | uint32(v[i+1])<<8 | uint32(v[i+2])<<16 {
			case rune3("："), rune3("　"), rune3("是"), rune3("为"), rune3("叫"):
				i += 3
			default:
				return i
			}
		}
	}
	return i
}

// rune3 is the three bytes of s (one three-byte rune) little endian, for
// comparing three bytes of a value in one test; constant-folded.
func rune3(s string) uint32 {
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16
}

func hasAt(v []byte, i int, s string) bool {
	return len(v)-i >= len(s) && string(v[i:i+len(s)]) == s
}

// trimSpace returns the bounds of value without ASCII and ideographic
// spaces. Most cells neither start nor end with a space: one table load for
// each end (0xE3 starts 　, 0x80 ends it) decides.
func trimSpace(v []byte) (int, int) {
	if len(v) == 0 || spaceEnd[v[0]]&1 == 0 && spaceEnd[v[len(v)-1]]&2 == 0 {
		return 0, len(v)
	}
	return trimSpaces(v)
}

// trimSpaces is trimSpace for a value that may start or end with a space.
func trimSpaces(v []byte) (int, int) {
	lo, hi := 0, len(v)
	for lo < hi {
		if v[lo] == ' ' || v[lo] == '\t' || v[lo] == '\r' || v[lo] == '\n' {
			lo++
		} else if hasAt(v, lo, "　") {
			lo += 3
		} else {
			break
		}
	}
	for hi > lo {
		if c := v[hi-1]; c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			hi--
		} else if hi-lo >= 3 && string(v[hi-3:hi]) == "　" {
			hi -= 3
		} else {
			break
		}
	}
	return lo, hi
}

// spaceEnd has bit 1 for a byte that may start a space trimSpace removes
// and bit 2 for one that may end it.
var spaceEnd = func() (tb [256]uint8) {
	for _, c := range []byte{' ', '\t', '\r', '\n'} {
		tb[c] = 3
	}
	tb[0xE3] |= 1 // 　 is E3 80 80
	tb[0x80] |= 2
	return tb
}()
