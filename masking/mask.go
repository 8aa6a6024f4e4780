package masking

import (
	"bytes"
	"encoding/binary"
	"slices"
	"unicode/utf8"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/internal/utf8x"
)

// Mask keeps the first KeepFirst and last KeepLast characters and writes
// Char for each other one. With KeepFirst and KeepLast both negative (the
// zero Mask from NewMask), each type has its own rule:
//
//	cn_id_card  6+4 over the characters: 110105********1234
//	cn_mobile   3+4 over the national number (+86 kept): 138****5678
//	bank_card   6+4; cn_landline 3+4
//	cn_name     the surname, compound ones included: 张*, 欧阳**
//	email       the first character of the local part and the domain
//	cn_address  the province and city: up to the first 市/州/盟/地区 after
//	            the province (省/自治区/特别行政区, or 北京/上海/天津/重庆
//	            alone); the province alone if no city follows within 10
//	            characters; the first 6 characters if there is neither
//	others      as Sample: a little of the head (and tail) per type
//
// For ID-like types (IDs, phones, cards, passports) characters are ASCII
// letters and digits, and separators stay in place; for the others they are
// runes.
type Mask struct {
	KeepFirst, KeepLast int
	Char                rune
}

// NewMask is a Mask with the per-type defaults and '*'.
func NewMask() Mask { return Mask{KeepFirst: -1, KeepLast: -1, Char: '*'} }

func (m Mask) Apply(dst []byte, t pi.TypeID, v []byte) ([]byte, error) {
	c := m.Char
	if c == 0 {
		c = '*'
	}
	if m.KeepFirst >= 0 || m.KeepLast >= 0 {
		head, tail := max(m.KeepFirst, 0), max(m.KeepLast, 0)
		switch {
		case alnumCounted(t):
			return maskAlnum(dst, v, 0, head, tail, c), nil
		case t == pi.Email:
			if at := bytes.LastIndexByte(v, '@'); at > 0 {
				dst = maskRunes(dst, v[:at], head, tail, c)
				return appendValid(dst, v[at:]), nil
			}
		}
		return maskRunes(dst, v, head, tail, c), nil
	}
	switch t {
	case pi.IDCard, pi.Minor, pi.BankCard:
		return maskAlnum(dst, v, 0, 6, 4, c), nil
	case pi.Mobile:
		return maskAlnum(dst, v, mobilePrefix(v), 3, 4, c), nil
	case pi.Landline:
		return maskAlnum(dst, v, 0, 3, 4, c), nil
	case pi.Passport, pi.TravelPermit, pi.LicensePlate:
		return maskAlnum(dst, v, 0, 2, 1, c), nil
	case pi.USCC:
		return maskAlnum(dst, v, 0, 4, 2, c), nil
	case pi.Name:
		return maskRunes(dst, v, surnameRunes(v), 0, c), nil
	case pi.Email:
		at := bytes.LastIndexByte(v, '@')
		if at <= 0 {
			return maskRunes(dst, v, 0, 0, c), nil
		}
		dst = maskRunes(dst, v[:at], 1, 0, c)
		return appendValid(dst, v[at:]), nil
	case pi.Address:
		return maskRunes(dst, v, addressKeep(v), 0, c), nil
	case pi.IPv4, pi.IPv6, pi.BirthDate:
		return maskRunes(dst, v, runeCount(v)/3, 0, c), nil
	case pi.Credential, pi.GeoCoordinate, pi.Biometric:
		return maskRunes(dst, v, 0, 0, c), nil
	}
	return maskRunes(dst, v, min(1, runeCount(v)-1), 0, c), nil
}

// alnumCounted: types whose characters are ASCII letters and digits with
// separators between them.
func alnumCounted(t pi.TypeID) bool {
	switch t {
	case pi.IDCard, pi.Minor, pi.BankCard, pi.Mobile, pi.Landline, pi.Passport,
		pi.TravelPermit, pi.USCC:
		return true
	}
	return false
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

// maskAlnum masks the letters and digits of v — ASCII or full-width
// (０-９, Ａ-Ｚ, ａ-ｚ, as in some Chinese text) — after the first skip of
// them, keeping head and tail of the rest; everything else is copied. If
// head+tail would keep everything, at least half is masked.
func maskAlnum(dst, v []byte, skip, head, tail int, c rune) []byte {
	if c < utf8.RuneSelf && isASCII(v) {
		return maskAlnumASCII(dst, v, skip, head, tail, byte(c))
	}
	n := 0
	for i := 0; i < len(v); {
		if v[i] < utf8.RuneSelf {
			if isAlnum(v[i]) {
				n++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(v[i:])
		if isFullWidthAlnum(r) {
			n++
		}
		i += size
	}
	n -= skip
	if head+tail >= n {
		head, tail = n/4, 0
	}
	k := -skip
	for i := 0; i < len(v); {
		size := 1
		sig := isAlnum(v[i])
		r := rune(v[i])
		if v[i] >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(v[i:])
			sig = isFullWidthAlnum(r)
		}
		switch {
		case !sig:
			dst = appendRuneOrByte(dst, r, v[i:i+size])
		case k < head || k >= n-tail:
			dst = append(dst, v[i:i+size]...)
			k++
		default:
			dst = utf8.AppendRune(dst, c)
			k++
		}
		i += size
	}
	return dst
}

// maskAlnumASCII is maskAlnum for ASCII v and c (most IDs, phones and
// cards): a byte is a character and the output is as long as v, so it is
// written in place without decoding.
func maskAlnumASCII(dst, v []byte, skip, head, tail int, c byte) []byte {
	n := 0
	for _, b := range v {
		if isAlnum(b) {
			n++
		}
	}
	return maskAlnumASCIICounted(dst, v, n, skip, head, tail, c)
}

// maskAlnumASCIICounted is maskAlnumASCII for v with n letters and digits.
func maskAlnumASCIICounted(dst, v []byte, n, skip, head, tail int, c byte) []byte {
	all := n == len(v)
	n -= skip
	if head+tail >= n {
		head, tail = n/4, 0
	}
	if all && n >= 0 { // no separators (13812345678): three copies
		dst = append(dst, v[:skip+head]...)
		dst = appendRepeat(dst, rune(c), n-head-tail)
		return append(dst, v[len(v)-tail:]...)
	}
	dst = slices.Grow(dst, len(v))
	out := dst[len(dst) : len(dst)+len(v)]
	k := -skip
	for i, b := range v {
		if isAlnum(b) {
			if k >= head && k < n-tail {
				b = c
			}
			k++
		}
		out[i] = b
	}
	return dst[:len(dst)+len(v)]
}

func isFullWidthAlnum(r rune) bool {
	return r >= '０' && r <= '９' || r >= 'Ａ' && r <= 'Ｚ' || r >= 'ａ' && r <= 'ｚ'
}

// maskRunes keeps head and tail runes of v and writes c for the others. If
// that would keep everything, at least half is masked.
func maskRunes(dst, v []byte, head, tail int, c rune) []byte {
	return maskRunesN(dst, v, runeCount(v), head, tail, c)
}

// maskRunesN is maskRunes for v of n runes.
func maskRunesN(dst, v []byte, n, head, tail int, c rune) []byte {
	head, tail = max(head, 0), max(tail, 0)
	if head+tail >= n {
		head, tail = n/4, 0
	}
	if n == len(v) && c < utf8.RuneSelf && isASCII(v) {
		return maskASCII(dst, v, head, tail, byte(c))
	}
	// The kept head, the masked middle and the kept tail in turn. The
	// head's leading valid ASCII and three-byte runes (Chinese) are copied
	// in one go; the rest, from the first other rune, one at a time.
	i, k := 0, 0
	for ; k < head; k++ {
		if v[i] < utf8.RuneSelf {
			i++
		} else if is3(v[i:]) {
			i += 3
		} else {
			break
		}
	}
	dst = append(dst, v[:i]...)
	for ; k < head; k++ {
		i = appendRuneAt(&dst, v, i)
	}
	dst = appendRepeat(dst, c, n-tail-head)
	if tail == 0 {
		return dst // nothing after the masked runes to find
	}
	for k := head; k < n-tail; k++ {
		if v[i] < utf8.RuneSelf {
			i++
		} else {
			i += runeSize(v[i:])
		}
	}
	for i < len(v) {
		i = appendRuneAt(&dst, v, i)
	}
	return dst
}

// stars is what appendRepeat copies for the usual mask character.
const stars = "****************************************************************"

// appendRepeat appends n copies of c.
func appendRepeat(dst []byte, c rune, n int) []byte {
	if n <= 0 {
		return dst
	}
	if c == '*' {
		for ; n > len(stars); n -= len(stars) {
			dst = append(dst, stars...)
		}
		return append(dst, stars[:n]...)
	}
	for range n {
		dst = utf8.AppendRune(dst, c)
	}
	return dst
}

// appendRuneAt appends the rune at v[i:] as appendRuneOrByte does and
// returns the index after it.
func appendRuneAt(dst *[]byte, v []byte, i int) int {
	if v[i] < utf8.RuneSelf {
		*dst = append(*dst, v[i])
		return i + 1
	}
	if is3(v[i:]) {
		*dst = append(*dst, v[i:i+3]...)
		return i + 3
	}
	r, size := utf8.DecodeRune(v[i:])
	*dst = appendRuneOrByte(*dst, r, v[i:i+size])
	return i + size
}

// appendRuneOrByte copies a rune's bytes, or '?' for invalid UTF-8 so the
// output is always valid UTF-8.
func appendRuneOrByte(dst []byte, r rune, b []byte) []byte {
	if r == utf8.RuneError && len(b) <= 1 {
		return append(dst, '?')
	}
	return append(dst, b...)
}

// mobilePrefix counts the country-code digits (86 or 0086) before an
// 11-digit mobile number, which masking keeps and does not count.
func mobilePrefix(v []byte) int {
	n := 0
	for _, b := range v {
		if isDigit(b) {
			n++
		}
	}
	return mobileSkip(n)
}

// mobileSkip is mobilePrefix for a value of n digits.
func mobileSkip(n int) int {
	if n == 13 || n == 15 {
		return n - 11
	}
	return 0
}

// surnameRunes is how many leading runes of a name are the surname: two for
// the compound surnames of the 百家姓 (Hundred Family Surnames) and a few
// common modern ones, when a given name follows; else one. (A switch on
// the first six bytes compiles to a binary search: no allocation.)
func surnameRunes(v []byte) int {
	if len(v) <= 6 || runeCount(v) <= 2 {
		return 1
	}
	switch string(v[:6]) {
	case "万俟", "司马", "上官", "欧阳", "夏侯", "诸葛", "闻人", "东方", "赫连", "皇甫",
		"尉迟", "公羊", "澹台", "公冶", "宗政", "濮阳", "淳于", "单于", "太叔", "申屠",
		"公孙", "仲孙", "轩辕", "令狐", "钟离", "宇文", "长孙", "慕容", "鲜于", "闾丘",
		"司徒", "司空", "亓官", "司寇", "子车", "颛孙", "端木", "巫马", "公西", "漆雕",
		"乐正", "壤驷", "公良", "拓跋", "夹谷", "宰父", "谷梁", "段干", "百里", "东郭",
		"南门", "呼延", "羊舌", "微生", "梁丘", "左丘", "东门", "西门", "南宫", "第五",
		"独孤", "尚官", "东里", "公门", "呼衍":
		return 2
	}
	return 1
}

// addressKeep is how many leading runes of an address name its province and
// city.
func addressKeep(v []byte) int {
	var runes [24]rune // the province and city are within the first 20
	n := 0
	for i := 0; i < len(v) && n < len(runes); {
		r, size := utf8.DecodeRune(v[i:])
		runes[n] = r
		n++
		i += size
	}
	rs := runes[:n]
	total := runeCount(v)
	for _, m := range [...]string{"北京", "上海", "天津", "重庆"} {
		if hasPrefix(v, m) {
			k := 2
			if k < n && rs[k] == '市' {
				k++
			}
			return min(k, total)
		}
	}
	// The province: up to 省, 自治区 or 特别行政区 within the first 10 runes.
	prov := 0
	for i := 0; i < min(n, 10); i++ {
		if rs[i] == '省' || rs[i] == '区' && i >= 2 && (rs[i-1] == '治' || rs[i-1] == '政') {
			prov = i + 1
			break
		}
	}
	// The city: the first 市, 州, 盟 or 地区 within 10 runes after it.
	for i := prov; i < min(n, prov+10); i++ {
		switch {
		case rs[i] == '市' || rs[i] == '州' || rs[i] == '盟':
			return i + 1
		case rs[i] == '区' && i > prov && rs[i-1] == '地':
			return i + 1
		}
	}
	if prov > 0 {
		return prov
	}
	return min(6, total)
}

// runeCount is utf8.RuneCount without its allocation: in Go 1.26 it
// converts to a string, which escapes for values over 32 bytes.
// ASCII (a word at a time) and the three-byte runes of Chinese text are
// decoded in the loop, without a call per rune (is3's checks, written out).
func runeCount(v []byte) int {
	n := 0
	for i := 0; i < len(v); n++ {
		b := v[i]
		switch {
		case b < utf8.RuneSelf:
			// IDs and cards: eight ASCII bytes at a time, then this one.
			for i+9 <= len(v) && binary.LittleEndian.Uint64(v[i+1:])&0x8080808080808080 == 0 {
				i, n = i+8, n+8
			}
			i++
		case b&0xF0 == 0xE0 && i+2 < len(v) && v[i+1]&0xC0 == 0x80 && v[i+2]&0xC0 == 0x80 &&
			(b != 0xE0 || v[i+1] >= 0xA0) && (b != 0xED || v[i+1] < 0xA0):
			i += 3
		default:
			_, size := utf8.DecodeRune(v[i:])
			i += size
		}
	}
	return n
}

// isASCII reports whether v is all ASCII.
func isASCII(v []byte) bool { return utf8x.ASCIIPrefix(v) == len(v) }

// runeSize is the size utf8.DecodeRune gives the first rune of v (1 for an
// invalid byte), with fast paths for ASCII and the three-byte runes of
// Chinese text.
func runeSize(v []byte) int {
	if v[0] < utf8.RuneSelf {
		return 1
	}
	if is3(v) {
		return 3
	}
	_, size := utf8.DecodeRune(v)
	return size
}

// is3 reports whether v starts with a valid three-byte UTF-8 sequence
// (U+0800–U+FFFF without the surrogates), as utf8.DecodeRune checks it.
func is3(v []byte) bool {
	if len(v) < 3 || v[0]&0xF0 != 0xE0 || v[1]&0xC0 != 0x80 || v[2]&0xC0 != 0x80 {
		return false
	}
	switch v[0] {
	case 0xE0:
		return v[1] >= 0xA0 // not overlong
	case 0xED:
		return v[1] < 0xA0 // not a surrogate
	}
	return true
}

// appendValid copies b with each invalid UTF-8 byte written as '?', so
// masked output is always valid UTF-8.
func appendValid(dst, b []byte) []byte {
	if isASCII(b) { // e-mail domains
		return append(dst, b...)
	}
	for len(b) > 0 {
		if b[0] < utf8.RuneSelf {
			dst = append(dst, b[0])
			b = b[1:]
			continue
		}
		r, size := utf8.DecodeRune(b)
		dst = appendRuneOrByte(dst, r, b[:size])
		b = b[size:]
	}
	return dst
}
