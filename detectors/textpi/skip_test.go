package textpi

import (
	"encoding/binary"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/piiscan/piiscan/detectors/pi"
)

// skipRef, singleFailsRef and cueMayStartRef are skip, singleFails and
// cueMayStart as they were before skip took two runes a step (one rune
// and one bounds-checked load at a time) and before it ruled out scan
// words by the bit set itself; singleFailsRef also takes quiet's second
// look (lookMayRef). TestSkipMatchesRef holds the faster code to their
// results.

func (t *tables) skipRef(v []byte, i int, st uint32, stop int) (int, uint16) {
	pair := &t.pair
	j := i + 3
	if j < 0 || j > len(v) {
		return j, 0
	}
	// The inner loop takes runs of three-byte runes up to lim, with no
	// other test per rune: four bytes can be read at j, and the cue
	// position (j == stop) is left to the step after it.
	lim := len(v) - 4
	if stop >= j && stop-3 < lim {
		lim = stop - 3
	}
	for {
		for j <= lim {
			w := binary.LittleEndian.Uint32(v[j : j+4])
			if w&0xC0C0F0 != 0x8080E0 {
				break
			}
			st2 := pair[pairKey(w)]
			if m := uint16(st) & uint16(st2>>16); m != 0 && (m != pSingle || !t.singleFailsRef(v, j-3)) {
				return j - 3, m
			}
			st = st2
			j += 3
		}
		if len(v)-j < 4 {
			break
		}
		w := binary.LittleEndian.Uint32(v[j : j+4])
		if w&0xC0C0F0 != 0x8080E0 {
			if uint8(w) >= 0x80 {
				return j, 0 // another rune or a stray byte: the outer loop steps over it
			}
			// ASCII between ideographs (numbers, the keys of a log
			// line): step over it here and go on at the rune after
			// it, unless the outer loop has something to do there: a
			// key before it (name=; a number before a space is none),
			// a cue position in or after the ASCII, the end of the
			// value.
			k := skipASCII(v, j+1)
			if len(v)-k < 4 || keySep(v[k-1]) && keyEnds(v, k-1) || stop >= j && stop <= k {
				return k, 0
			}
			if w = binary.LittleEndian.Uint32(v[k:]); w&0xC0C0F0 != 0x8080E0 {
				return k, 0
			}
			st = pair[pairKey(w)]
			j = k + 3
			continue
		}
		// A three-byte rune the inner loop left: the cue position.
		st2 := pair[pairKey(w)]
		if m := uint16(st) & uint16(st2>>16); m != 0 {
			return j - 3, m
		}
		if j == stop {
			return j, 0
		}
		st = st2
		j += 3
	}
	// The last rune of the value: its three bytes and nothing after.
	if b := v[j:]; len(b) == 3 {
		if w := uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16; w&0xC0C0F0 == 0x8080E0 {
			st2 := pair[pairKey(w)]
			if m := uint16(st) & uint16(st2>>16); m != 0 {
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
func (t *tables) singleFailsRef(v []byte, i int) bool {
	if i < 0 || len(v)-i < 13 {
		return false
	}
	b := v[i : i+13]
	r := rune(b[0]&0x0F)<<12 | rune(b[1]&0x3F)<<6 | rune(b[2]&0x3F)
	g := rune(b[3]&0x0F)<<12 | rune(b[4]&0x3F)<<6 | rune(b[5]&0x3F)
	if sc, s1 := int(t.surname[r-hanLo]), int(t.given[g-hanLo]); sc >= 0 && sc+s1 >= statMin-30 {
		return false
	}
	for _, p := range []int{6, 9} {
		if t.cueMayStartRef(b, p) != 0 && t.lookMayRef(b, p) {
			return false
		}
	}
	return true
}

// phoneRef is a '1' and a digit 3–9 and digits to the end of the bytes
// quiet holds: the start of a mobile number that phoneAfter may accept.
var phoneRef = regexp.MustCompile(`^1(?:[3-9][0-9]*)?$`)

// lookMayRef is quiet's second look, written from plausibleSingle's
// look-ahead: what it may find at b[p] when b (13 bytes) ends where
// quiet's window ends. A title start; a mobile number; a separator,
// then a '1' or what b holds of 男 or 女.
func (t *tables) lookMayRef(b []byte, p int) bool {
	c := b[p]
	if c >= 0xE4 && c <= 0xE9 && uint8(t.pair[pairKey(uint32(c)|uint32(b[p+1])<<8|uint32(b[p+2])<<16)])&pTitleStart != 0 {
		return true
	}
	if c == '1' {
		return phoneRef.Match(b[p:])
	}
	q := p
	switch {
	case strings.ContainsRune(", (\t:", rune(c)):
		q++
	case c == 0xEF || c == 0xE3:
		q += 3
	default:
		return false
	}
	rest := b[q:]
	if len(rest) > 0 && rest[0] == '1' {
		return true
	}
	for _, g := range []string{"男", "女"} {
		if n := min(len(rest), len(g)); n > 0 && string(rest[:n]) == g[:n] {
			return true
		}
	}
	return false
}
func (t *tables) cueMayStartRef(v []byte, p int) uint8 {
	b := v[p : p+4]
	c := b[0]
	title := uint8(t.pair[pairKey(uint32(c)|uint32(b[1])<<8|uint32(b[2])<<16)]) & cueByte[c] & pTitleStart
	return title | cueByte[c]&cbOne | cueByte[b[cueByte[c]&cbSkip]]&cbNext&(cueByte[c]>>cbSepShift)
}

// skipPieces are what the values of TestSkipMatchesRef are made of: runes
// that start a pair (surnames, cue and division starts, title starts) and
// runes that follow one, quiet runes and punctuation, ASCII (digits, keys
// before a value, separators), other scripts, four-byte runes and bytes
// that are not UTF-8.
var skipPieces = []string{
	"张", "王", "李", "欧", "阳", "伟", "芳", "明", "北", "京", "市", "地", "址", "姓", "名", "先", "生", "女", "男",
	"的", "了", "天", "气", "很", "好", "，", "。", "：", "　", "、",
	"1", "2026", "13912345678", " ", ",", "(", ":", "=", "name=", "addr:", "\"", "x",
	"é", "😀", "\xff", "\x80", "\xe4\xb8", "\xe4",
}

// skipQuietRef is skipRef with what Find does after it at a pair that
// quietRef rules out: go on at the next rune, unless it is the cue
// position. skip takes the same steps inside.
func (t *tables) skipQuietRef(v []byte, i int, st uint32, stop int) (int, uint16) {
	for {
		j, m := t.skipRef(v, i, st, stop)
		if m == 0 || !t.quietRef(v, j, m) {
			return j, m
		}
		i = j + 3
		if i == stop {
			return i, 0
		}
		st = t.pair[pairKey(uint32(v[i])|uint32(v[i+1])<<8|uint32(v[i+2])<<16)]
	}
}

// quietRef is quiet written from mayStart's cases and what Find's full
// path does after them: a scan word does not start (the bit set, then the
// table), a compound surname is not in m, and a single surname fails
// singleFailsRef.
func (t *tables) quietRef(v []byte, i int, m uint16) bool {
	n, _, _ := t.lookup(v, i, scanKinds)
	scan := m&pScan != 0 && t.inScanBloom(rawKey(v[i:i+6])) && n > 0
	single := m&pSingle != 0 && !t.singleFailsRef(v, i)
	return !scan && m&pCompound == 0 && !single
}

// TestSkipMatchesRef compares skip with skipQuietRef from every rune start of
// random and structured values of every length up to 100 bytes, with the
// cue position stop at every rune start after it (and none).
func TestSkipMatchesRef(t *testing.T) {
	d := New()
	tb := d.t
	r := rand.New(rand.NewPCG(45, 1))
	var values [][]byte
	// Runs of ideographs ending at every offset, before ASCII, punctuation,
	// a four-byte rune, a cut rune or the end.
	for n := 0; n <= 33; n++ {
		for _, tail := range []string{"", "1", "name=", "，", "😀", "\xe4\xb8", "\xff"} {
			var b []byte
			for k := 0; k < n; k++ {
				b = append(b, skipPieces[r.IntN(20)]...)
			}
			values = append(values, append(b, tail...))
		}
	}
	// Every pair of runes below before what quiet's second look
	// tells apart: a gender after a separator or not, a mobile number
	// or a '1' inside a shorter number, a title start.
	// (Surnames whose scores pass only with a strong given rune, and
	// given runes that pass with few, are added so that the look is
	// reached.)
	pairRunes := append(strings.Split("国 时 法 车 水 强 高 金 常 文 天 气 好 现 在", " "), skipPieces[:20]...)
	for _, a := range pairRunes {
		for _, g := range pairRunes {
			for _, tail := range []string{"，女，", "，男", ",女 ", " 男", "，现在", "，妈妈", "(女)", "（男）", "13912345678", "19154件",
				"2，1391234", "，13912345678", "经理", "先生", "天，女", "天,男", "天13912345678", "天1915", "天 1"} {
				// Short and with runes after it: quiet looks only
				// where 13 bytes are left.
				values = append(values, []byte("的"+a+g+tail), []byte(a+g+tail), []byte(a+g+tail+"的天气"))
			}
		}
	}
	for n := 0; n < 3000; n++ {
		var b []byte
		for len(b) < 100 {
			p := skipPieces[r.IntN(len(skipPieces))]
			if len(b)+len(p) > 100 {
				break
			}
			b = append(b, p...)
			if len(b) >= r.IntN(101) {
				break
			}
		}
		values = append(values, b)
	}
	for _, l := range corpusLines(t, 200_000) {
		values = append(values, l)
	}
	for _, v := range values {
		for i := range v {
			if len(v)-i < 3 || binary.LittleEndian.Uint32(append(v[i:i+3:i+3], 0))&0xC0C0F0 != 0x8080E0 {
				continue
			}
			st := tb.pair[pairKey(uint32(v[i])|uint32(v[i+1])<<8|uint32(v[i+2])<<16)]
			for stop := -1; stop <= len(v); stop++ {
				if stop >= 0 && stop < i+3 {
					continue
				}
				sw := scanWord{at: -1}
				j, m := tb.skip(v, i, st, stop, &sw)
				jr, mr := tb.skipQuietRef(v, i, st, stop)
				if sw.at >= 0 {
					if n, kind, lvl := tb.lookupVia(v, sw.at, scanKinds, false); sw != (scanWord{sw.at, n, kind, lvl}) {
						t.Fatalf("%q from %d, stop %d: skip's lookup at %d %+v, lookupVia (%d, %#x, %d)", v, i, stop, sw.at, sw, n, kind, lvl)
					}
				}
				if j != jr || m != mr {
					t.Fatalf("%q from %d, stop %d: skip (%d, %#x), skipQuietRef (%d, %#x)", v, i, stop, j, m, jr, mr)
				}
				if len(v) > 120 && stop > i+60 {
					break // long corpus lines: stops near the start are enough
				}
			}
		}
	}
}

// TestSkipKernel compares skip (with the assembly kernel where there is
// one) with skipGo, and the scan lookups they hand Find with the table's,
// from every rune start of the values TestSkipMatchesRef
// builds less its exhaustive stops, of random bytes from the pieces'
// alphabet, and of the corpus lines, with no cue position and with one
// at every rune start after the start.
func TestSkipKernel(t *testing.T) {
	tb := New().t
	r := rand.New(rand.NewPCG(66, 3))
	var values [][]byte
	for n := 0; n < 20000; n++ {
		var b []byte
		for len(b) < 64 {
			b = append(b, skipPieces[r.IntN(len(skipPieces))]...)
			if r.IntN(16) == 0 {
				break
			}
		}
		values = append(values, b)
	}
	values = append(values, corpusLines(t, 400_000)...)
	for _, v := range values {
		for i := 0; i+3 <= len(v); i++ {
			if binary.LittleEndian.Uint32(append(v[i:i+3:i+3], 0))&0xC0C0F0 != 0x8080E0 {
				continue
			}
			st := tb.pair[keyAt(v, i)]
			for _, stop := range []int{-1, i + 3 + 3*r.IntN(8), len(v) - 3} {
				sw, swg := scanWord{at: -1}, scanWord{at: -1}
				j, m := tb.skip(v, i, st, stop, &sw)
				jg, mg := tb.skipGo(v, i, st, stop, &swg)
				if j != jg || m != mg {
					t.Fatalf("%q from %d, stop %d: skip (%d, %#x), skipGo (%d, %#x)", v, i, stop, j, m, jg, mg)
				}
				// The lookups they hand Find (the kernel keeps those
				// it decides itself) must be the table's.
				for _, w := range []scanWord{sw, swg} {
					if w.at < 0 {
						continue
					}
					if n, kind, lvl := tb.lookupVia(v, w.at, scanKinds, false); w != (scanWord{w.at, n, kind, lvl}) {
						t.Fatalf("%q from %d, stop %d: lookup at %d %+v, lookupVia (%d, %#x, %d)", v, i, stop, w.at, w, n, kind, lvl)
					}
				}
			}
		}
	}
}

// TestFindValueEnds compares Find with the exhaustive path on values that
// end a few bytes after an ASCII gap, where skip stops before the end and
// Find stops early when the last three bytes are no ideograph: cues and
// keys before names and addresses at the end, punctuation, other scripts
// and cut runes.
func TestFindValueEnds(t *testing.T) {
	fast, ex := New(), New()
	ex.exhaustive = true
	heads := []string{"", "用户", "name=", "addr: ", "共处理16714条记录", "收件人：", "地址：", "联系人 ", "北京市朝阳区"}
	gaps := []string{"", "1", " ", "2026 ", "82081%", "x=", "\"name\":\""}
	tails := []string{"", "。", "张伟", "王", "，", "路", "北京", "建国路8号", "张伟。", "😀", "é", "\xe4\xb8", "\xff\xfe\xfd", "，男", "先生"}
	for _, h := range heads {
		for _, g := range gaps {
			for _, tl := range tails {
				v := []byte(h + g + tl)
				for _, f := range []*pi.Field{nil, {Hints: []pi.TypeID{pi.Address}}} {
					a, b := fast.Find(v, f, nil), ex.Find(v, f, nil)
					if !slices.Equal(a, b) {
						t.Fatalf("%q (%v): filtered %v, exhaustive %v", v, f, a, b)
					}
				}
			}
		}
	}
}
