package structured

import (
	"encoding/binary"
	mbits "math/bits"
	"slices"
	"strings"
	"unicode"

	"github.com/piiscan/piiscan/detectors/pi"
)

// keywordWindow is how many bytes before a value are searched for a keyword:
// "联系电话（手机）：" is 27 bytes, "身份证号码：" 18.
const keywordWindow = 30

// strictWindow is the window for values reported only in context (birth
// dates, Luhn-valid legacy IDs, cards without a known BIN): 7 Chinese
// characters, enough for "身份证号码：" or "出生年月日：".
const strictWindow = 21

// context reports whether the column suggests sp's type or one of its
// keywords ends shortly before start. When strict (the value is reported
// only in context), the keyword must be nearer (strictWindow: "出生日期："
// but not "生日快乐！活动时间 ") and come after any earlier number: in
// "出生1990-01-02 入职2015-03-01" only the first date is a birth date.
func (s *scan) context(sp *spec, start int, strict bool) bool {
	if s.f.Suggests(sp.typ) {
		return true
	}
	if start == 0 {
		// Nothing before the value (a database cell, most often): the
		// window is empty.
		return false
	}
	window := keywordWindow
	if strict {
		window = strictWindow
		k, may := sp.kw.lastDigit(s.v, max(0, start-strictWindow), start)
		if k >= 0 {
			window = start - k - 1
		}
		// Most strict values (dates) have no keyword before them: answer
		// those without walking the window's characters.
		if !may && sp.kw.nneed >= 0 {
			return false
		}
	}
	return sp.kw.before(s.v, start, window)
}

// lastDigit returns the offset of the last ASCII digit in v[lo:hi], or -1,
// and whether the bytes after it (all of v[lo:hi] when there is none) hold
// an ASCII letter (where ks has ASCII keywords) or one of ks.need: when
// they do not, they hold none of ks's keywords (a keyword that before's
// walk finds lies whole in them). Eight bytes a step from hi down, the
// last step overlapping bytes below lo (masked off) when lo is not the
// start of v.
func (ks *keywordSet) lastDigit(v []byte, lo, hi int) (int, bool) {
	may := false
	for hi-lo >= 8 {
		x := binary.LittleEndian.Uint64(v[hi-8:])
		d, l := pi.ASCIIMasks(x)
		h := ks.held(x, l)
		if d != 0 {
			b := 63 - mbits.LeadingZeros64(d) // bit 7 of the digit's byte
			return hi - 8 + b>>3, may || h>>b>>1 != 0
		}
		may = may || h != 0
		hi -= 8
	}
	if hi-lo > 0 && hi >= 8 {
		x := binary.LittleEndian.Uint64(v[hi-8:])
		d, l := pi.ASCIIMasks(x)
		in := ^uint64(0) << ((8 - hi + lo) * 8)
		h := ks.held(x, l) & in
		if d &= in; d != 0 {
			b := 63 - mbits.LeadingZeros64(d)
			return hi - 8 + b>>3, may || h>>b>>1 != 0
		}
		return -1, may || h != 0
	}
	for hi > lo {
		hi--
		if isDigit(v[hi]) {
			return hi, may
		}
		c := v[hi]
		may = may || ks.letters && cls[c] >= clsUpper || ks.held(uint64(c), 0) != 0
	}
	return -1, may
}

// held returns bit 7 of each byte of x that is an ASCII letter (letters
// has those bits, as pi.ASCIIMasks returns them; counted only where ks has
// ASCII keywords) or one of ks.need.
func (ks *keywordSet) held(x, letters uint64) uint64 {
	var h uint64
	if ks.letters {
		h = letters
	}
	for _, b := range ks.need[:max(ks.nneed, 0)] {
		// the zero bytes of y, exactly: neither low bits nor the high one
		y := x ^ b
		h |= ^((y&low7 + low7) | y) & high
	}
	return h
}

// keywordSet is a compiled keyword list: Chinese keywords are found by
// walking the window's characters and testing each against hanFirst (one
// bit per BMP code point that starts any keyword), so a window costs about
// one table lookup per character; ASCII keywords (letters only) match the
// window's words case-insensitively, only when it has an ASCII letter.
type keywordSet struct {
	han   []string
	first []uint32 // first[k] is han[k]'s first code point
	ascii []string
	// need holds, repeated in every byte of a word, up to maxNeed
	// continuation bytes such that every Chinese keyword contains one of
	// them (生 for 出生, 生日, 生于); a window holding none of them and no
	// ASCII letter holds no keyword (lastDigit). nneed < 0: no such bytes
	// were found, and every window is walked.
	need    [maxNeed]uint64
	nneed   int
	letters bool // len(ascii) > 0
}

// maxNeed bounds keywordSet.need: each costs four operations a word.
const maxNeed = 3

// hanFirst has bit cp set when code point cp (3-byte UTF-8) starts a
// keyword of some spec. Filled once by init, read-only afterwards.
var hanFirst [1 << 16 / 64]uint64

func compileKeywords(kws []string) keywordSet {
	var ks keywordSet
	for _, k := range kws {
		if k[0] >= 0xe0 && k[0] < 0xf0 && len(k) >= 3 {
			cp := codePoint3(k[0], k[1], k[2])
			ks.han = append(ks.han, k)
			ks.first = append(ks.first, cp)
			hanFirst[cp>>6] |= 1 << (cp & 63)
		} else {
			ks.ascii = append(ks.ascii, strings.ToLower(k))
		}
	}
	ks.letters = len(ks.ascii) > 0
	ks.nneed = -1
	if need, ok := coverBytes(ks.han); ok && len(need) <= maxNeed {
		ks.nneed = len(need)
		for n, b := range need {
			ks.need[n] = ones * uint64(b)
		}
	}
	return ks
}

// coverBytes returns UTF-8 continuation bytes such that each of kws holds
// one: greedily, the byte held by the most keywords not yet covered (of
// equal ones, the smallest). Continuation bytes, not lead bytes: most
// Chinese characters share a handful of lead bytes (0xe4 to 0xe9). It
// reports false when a keyword holds no continuation byte.
func coverBytes(kws []string) ([]byte, bool) {
	var out []byte
	left := slices.Clone(kws)
	for len(left) > 0 {
		var count [256]int
		for _, k := range left {
			var seen [256]bool
			for _, c := range []byte(k) {
				if c >= 0x80 && c < 0xc0 && !seen[c] {
					seen[c] = true
					count[c]++
				}
			}
		}
		best := 0
		for c := range count {
			if count[c] > count[best] {
				best = c
			}
		}
		if count[best] == 0 {
			return nil, false
		}
		out = append(out, byte(best))
		left = slices.DeleteFunc(left, func(k string) bool { return strings.IndexByte(k, byte(best)) >= 0 })
	}
	return out, true
}

// ones has the low bit of every byte of a word, low7 all but the high one.
const (
	ones = 0x0101010101010101
	low7 = 0x7f7f7f7f7f7f7f7f
)

func codePoint3(b0, b1, b2 byte) uint32 {
	return uint32(b0&0x0f)<<12 | uint32(b1&0x3f)<<6 | uint32(b2&0x3f)
}

var versionKeywords keywordSet

func init() {
	for _, sp := range specs {
		sp.kw = compileKeywords(sp.keywords)
		sp.grade = pi.DefaultGrade(sp.typ)
	}
	versionKeywords = compileKeywords(versionWords)
}

// before reports whether a keyword occurs in the window bytes before start.
// (Classifying the window's words into bit masks first cost more: most
// windows are a few characters, cut at the number before.)
func (ks *keywordSet) before(v []byte, start, window int) bool {
	w := v[max(0, start-window):start]
	var classes uint8 // the cls bits of the bytes not inside a character
	p := 0
	for ; p < len(w)-2; p++ { // a character starting later would end past w
		c := w[p]
		if c&0xf0 != 0xe0 {
			classes |= cls[c] // 0 for bytes >= 0x80
			continue
		}
		if cp := codePoint3(c, w[p+1], w[p+2]); hanFirst[cp>>6]&(1<<(cp&63)) != 0 {
			// hanFirst is shared by all specs: most hits start another
			// spec's keyword, which the first code point tells apart.
			for n, k := range ks.han {
				if ks.first[n] == cp && len(w)-p >= len(k) && string(w[p:p+len(k)]) == k {
					return true
				}
			}
		}
		p += 2
	}
	for ; p < len(w); p++ {
		classes |= cls[w[p]]
	}
	return classes >= clsUpper && ks.asciiBefore(w)
}

// asciiBefore matches the ASCII keywords against the letter words of w
// (lower-cased): a keyword of up to three letters (tel, dob, ip) must be a
// whole word, a longer one may be part of a word (clientIP has no "ip"
// word, but mobilePhone has "phone"). Words are taken from the end: a
// keyword is most often the last word before the value ("?phone=").
func (ks *keywordSet) asciiBefore(w []byte) bool {
	var buf [24]byte
	for q := len(w); q > 0; {
		if cls[w[q-1]] < clsUpper {
			q--
			continue
		}
		p := q - 1
		for p > 0 && cls[w[p-1]] >= clsUpper {
			p--
		}
		// the word is w[p:q]; its first len(buf) letters are compared
		n := 0
		for _, c := range w[p:min(q, p+len(buf))] {
			buf[n] = c | 0x20
			n++
		}
		word := buf[:n]
		for _, k := range ks.ascii {
			if len(k) <= 3 {
				if string(word) == k {
					return true
				}
			} else if hasSub(word, k) {
				return true
			}
		}
		q = p
	}
	return false
}

func hasSub(w []byte, k string) bool {
	for i := 0; i+len(k) <= len(w); i++ {
		if w[i] == k[0] && string(w[i:i+len(k)]) == k {
			return true
		}
	}
	return false
}

// Hint returns the types that a column name or comment suggests (身份证号,
// id_no, 手机, phone ...). Words of three ASCII letters or fewer (ip, tel,
// dob) count only as a whole word of the name, so "zip" or "description"
// suggest nothing; longer words and Chinese words count anywhere.
func (d *Detector) Hint(column, comment string) []pi.TypeID {
	var out []pi.TypeID
	words := append(splitWords(column), splitWords(comment)...)
	text := strings.ToLower(column + "\x00" + comment)
	for _, sp := range specs {
		for _, w := range sp.columns {
			if hintMatches(text, words, w) {
				out = append(out, sp.typ)
				break
			}
		}
	}
	// "id_card_no", "证件卡号" name an ID column, not a bank card one.
	if slices.Contains(out, pi.IDCard) && !strings.Contains(text, "bank") && !strings.Contains(text, "银行") {
		out = slices.DeleteFunc(out, func(t pi.TypeID) bool { return t == pi.BankCard })
	}
	return out
}

func hintMatches(text string, words []string, w string) bool {
	if len(w) > 3 || w[0] >= 0x80 {
		return strings.Contains(text, w)
	}
	for _, x := range words {
		if x == w {
			return true
		}
	}
	return false
}

// splitWords splits a column name into lower-case ASCII words at non-letters
// and at camelCase boundaries: "clientIP" -> client, ip; "ip_addr" -> ip, addr.
func splitWords(s string) []string {
	var out []string
	start := -1
	flush := func(i int) {
		if start >= 0 {
			out = append(out, strings.ToLower(s[start:i]))
			start = -1
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		isLetter := c < 0x80 && unicode.IsLetter(rune(c))
		switch {
		case !isLetter:
			flush(i)
		case start < 0:
			start = i
		case c >= 'A' && c <= 'Z' && s[i-1] >= 'a' && s[i-1] <= 'z':
			flush(i)
			start = i
		}
	}
	flush(len(s))
	return out
}
