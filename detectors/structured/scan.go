package structured

import (
	"bytes"
	"encoding/binary"
	mbits "math/bits"

	"github.com/piiscan/piiscan/detectors/pi"
)

// Byte classes of the scan. Only ASCII letters and digits start a candidate;
// every other byte (Chinese text, punctuation, spaces) is skipped.
const (
	clsDigit = 1
	clsUpper = 2
	clsLower = 4
)

var cls = func() (t [256]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] = clsDigit
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = clsUpper
		t[c+'a'-'A'] = clsLower
	}
	return t
}()

// punct are the bytes after an alphanumeric run that an atom shape (e-mail
// local part, '@', IPv6 ':') can continue over.
var punct = func() (t [256]bool) {
	for _, c := range []byte("@._%+-:") {
		t[c] = true
	}
	return t
}()

func isDigit(c byte) bool { return cls[c] == clsDigit }
func isAlnum(c byte) bool { return cls[c] != 0 }

// high has bit 7 of every byte of a word (pi.ASCIIMasks' answer bits).
const high = 0x8080808080808080

// minDigits and maxDigits bound the digits of any chain value: a date
// 1990-1-2 has 6, an extension landline or a bank card up to 19 (20 with
// a 0086-prefixed mobile is 15).
const (
	minDigits = 6
	maxDigits = 19
)

// maxGroups bounds a digit chain; longer runs of separated numbers are
// scanned as consecutive chains.
const maxGroups = 8

// group is a run of ASCII digits v[s:e]; x marks an 18-character run whose
// last byte is X or x (an ID number's check character).
type group struct {
	s, e int
	x    bool
}

func (g group) len() int { return g.e - g.s }

// chain is digit groups joined by single separators: ' ', '-', '/', or a
// closing parenthesis after an area code in parentheses.
type chain struct {
	g     [maxGroups]group
	sep   [maxGroups]byte // sep[k] joins g[k-1] and g[k]; ')' after "(0755)"
	n     int
	start int  // first byte: g[0].s, or the '(' / '（' of a parenthesised first group
	plus  bool // a '+' right before g[0] (+86)
	dots  bool // joined by '.' (a dotted run), not by sep
}

// scan is the state of one Find call; it lives on the caller's stack.
type scan struct {
	d   *Detector
	v   []byte
	f   *pi.Field
	dst []pi.Match
	// noV6 is the end of a colon run on which IPv6 already failed, so that
	// the atoms inside it are not parsed again (keeps the scan linear).
	noV6 int
	// at is the offset of an '@' found at or after some earlier atom end
	// (0: not looked for yet); noAt: no '@' follows it.
	at   int
	noAt bool
	// glued is the start of a digit run that follows a field-name prefix
	// (tel13812345678): it is not glued to that prefix.
	glued int
}

// atWithin reports whether the first '@' at or after e is at most at
// limit: an e-mail's local part ends at its '@', so an atom without one
// close ahead cannot start an address. Dates, decimals and hyphenated words
// stop here instead of walking the local-part rules.
//
// Inlined where it runs, before most atoms of a run of text: it answers
// from its state (no '@' left, or one known at or after e) without a call.
func (s *scan) atWithin(e, limit int) bool {
	if s.noAt {
		return false
	}
	if s.at < e {
		return s.atFind(e, limit)
	}
	return s.at <= limit
}

// atFind is atWithin where the '@' known (if any) is before e.
func (s *scan) atFind(e, limit int) bool {
	if e < len(s.v) && s.v[e] == '@' {
		// The '@' right after the atom (an e-mail's local part ends
		// there), without IndexByte's call and setup.
		s.at = e
		return e <= limit
	}
	k := bytes.IndexByte(s.v[e:], '@')
	if k < 0 {
		s.noAt = true
		return false
	}
	s.at = e + k
	return s.at <= limit
}

// run hands each alphanumeric run to atom. It classifies 64 bytes at a
// time into bit masks (classify64); an atom whose run ends inside the 64
// bytes takes its end and its letters from them instead of reading its
// bytes again, and scanning resumes in the same masks after it. The last
// 64 bytes of a value overlap the 64 before (with classify64 in SSE2 that
// costs less than scanning the rest a word at a time); values shorter than
// 64 bytes are scanned a word at a time.
func (s *scan) run() {
	v := s.v
	n := len(v)
	i := 0
	for n >= 64 && i < n {
		c := min(i, n-64)
		w := (*[64]byte)(v[c : c+64])
		d, l := classify64(w)
		m := (d | l) &^ (1<<((i-c)&63) - 1) // i-c < 64
		i = c + 64
		for m != 0 {
			// lo is the run's first bit; adding it carries through the
			// run's bits into end, the bit of the byte after the run (0
			// when the run goes on past the masks).
			lo := m & -m
			end := (m + lo) &^ m
			j := mbits.TrailingZeros64(lo) // the run starts at c+j
			if end == 0 {
				// The run goes on past the masks: classify again from the
				// byte before it (kept in the masks for the ':' test below;
				// from the run itself when that would not move on), unless
				// the run began the masks or they end the value.
				if j == 0 || c+64 == n {
					// The masks hold the run from c+j to c+64 and its
					// letters: atom goes on from there (a 64-character
					// hex digest is not read again a word at a time).
					i = s.atomFrom(c+j, c+64, mbits.OnesCount64(l&^(lo-1)))
				} else {
					i = c + j - min(j-1, 1)
				}
				break
			}
			e := mbits.TrailingZeros64(end)
			bits := end - lo // the run's
			next := w[e&63]  // e < 64: the run ends inside the masks
			// atomAt's first answers, without the call, for most runs:
			// short numbers and words before Chinese text or a space, when
			// the byte before is not ':' (j == 0: the byte is outside w,
			// and atomAt decides).
			var r int
			if l&bits == 0 && e-j < 8 {
				if j > 0 && w[(j-1)&63] != ':' && (quiet[next] ||
					// short's next answers, from the masks: a space or '/'
					// before no digit, a character led by 0xe5 other than 年
					// (在, 年 is e5 b9 b4). Neither byte is punct.
					e < 62 && (next == 0xe5 && (w[(e+1)&63] != 0xb9 || w[(e+2)&63] != 0xb4) ||
						(next == ' ' || next == '/') && d&(2<<e) == 0)) {
					m ^= bits
					continue
				}
				switch next {
				case '.':
					r = s.decimal(w, c, j, e, d, l)
				case '%':
					r = s.percent(w, c, j, e)
				case ':':
					r = s.colon(w, c, j, e, d)
				default:
					r = s.short(c+j, c+e, true)
				}
			} else if d&bits == 0 && e-j > 1 && !punct[next] && j > 0 && w[(j-1)&63] != ':' {
				m ^= bits
				continue
			} else if next == '.' && d&bits == 0 {
				r = s.wordDot(w, c, j, e)
			} else {
				r = s.atomAt(c+j, c+e, mbits.OnesCount64(l&bits))
			}
			if r >= c+64 {
				i = r
				break
			}
			m &= ^uint64(0) << ((r - c) & 63) // r < c+64
		}
	}
	for i+8 <= n {
		// Chinese text is mostly bytes ≥ 0x80: skip words without ASCII
		// letters or digits, and jump straight to the first one otherwise.
		x := binary.LittleEndian.Uint64(v[i:])
		if x&high == high {
			i += 8
			continue
		}
		d, l := pi.ASCIIMasks(x)
		if d|l == 0 {
			i += 8
			continue
		}
		// atom for the first run in the word, its start, end and
		// letters taken from the masks (wordRun).
		j, k, letters := wordRun(d, l)
		if k == 8 {
			i = s.atomFrom(i+j, i+8, letters) // the run goes on past the word
		} else {
			i = s.atomAt(i+j, i+k, letters)
		}
	}
	// The last bytes (fewer than eight) in one word, zero above them.
	for i < n {
		d, l := pi.ASCIIMasks(tail(v, i))
		if d|l == 0 {
			return
		}
		// The zero bytes past the value end the run inside the word.
		j, k, letters := wordRun(d, l)
		i = s.atomAt(i+j, i+k, letters)
	}
}

// wordRun returns the first run of letters and digits in the masks d and l
// (pi.ASCIIMasks of a word, at least one bit set): the byte offsets j of its
// start and k of its end (8 when it goes on past the word), and its
// letters. run hands them to atomAt (or atomFrom, for a run past the word)
// instead of atom reading the run again from its first byte.
func wordRun(d, l uint64) (j, k, letters int) {
	m := d | l
	jb := mbits.TrailingZeros64(m) // bit 7 of the run's first byte
	below := uint64(1)<<jb - 1
	kb := mbits.TrailingZeros64(^m & high &^ below) // bit 7 of the byte after the run; 64 if none
	return jb >> 3, kb >> 3, mbits.OnesCount64(l & (1<<kb - 1) &^ below)
}

// tail returns the bytes v[e:] (one to seven of them) in a word,
// little-endian, with zero bytes above them: neither letters nor digits, so
// pi.ASCIIMasks of the word stops at the value's end. It loads whole words
// (overlapping where the value is short) instead of reading a byte at a time.
func tail(v []byte, e int) uint64 {
	n := len(v)
	switch {
	case n >= 8:
		return binary.LittleEndian.Uint64(v[n-8:]) >> (8 * (8 - (n - e)) & 63) // 1 <= n-e < 8
	case n >= 4:
		x := uint64(binary.LittleEndian.Uint32(v)) | uint64(binary.LittleEndian.Uint32(v[n-4:]))<<(8*(n-4))
		return x >> (8 * e & 63)
	}
	x := uint64(v[0]) | uint64(v[n/2])<<(8*(n/2)) | uint64(v[n-1])<<(8*(n-1))
	return x >> (8 * e & 63)
}

// decimal is short for a run of fewer than eight digits at w[j:e] (w =
// v[c:c+64], d and l its digit and letter masks) before '.'. Before '.'
// and a digit, not glued to the byte before it (not ':', '_', '-', '.' or
// alphanumeric), most such runs are decimals (3.5): two groups, which
// dotted consumes without trying a spec. decimal answers those from the
// masks, and hands short the rest: where an e-mail can start (atWithin),
// where the second group goes on past the masks
// or is followed by '.' (IPv4, a dotted date), or where a spec takes two
// groups.
func (s *scan) decimal(w *[64]byte, c, j, e int, d, l uint64) int {
	if e < 62 && d&(2<<e) != 0 && j > 0 && !glueLeft[w[(j-1)&63]] && !s.atWithin(c+e, c+j+maxLocal) {
		end := e + 1 + mbits.TrailingZeros64(^((d | l) >> (e + 1))) // e+1 < 63
		// dotted's answer: a group with letters ends the run (not ok),
		// two digit groups take no spec.
		if end < 64 && w[end&63] != '.' && (l&(1<<end-1)>>(e+1) != 0 || s.d.groups&(1<<2) == 0) {
			return c + end
		}
	}
	return s.short(c+j, c+e, true)
}

// percent is short for a run of fewer than eight digits at w[j:e] (w =
// v[c:c+64]) before '%' (12.5%, 30%): after a byte other than ':', such
// a run is nothing unless an e-mail can start at it ('%' may be in a local
// part), which short decides (atWithin).
func (s *scan) percent(w *[64]byte, c, j, e int) int {
	if j > 0 && w[(j-1)&63] != ':' && !s.atWithin(c+e, c+j+maxLocal) {
		return c + e
	}
	return s.short(c+j, c+e, true)
}

// colon is short for a run of fewer than eight digits at w[j:e] (w =
// v[c:c+64], d its digit mask) before ':', after a byte other than ':',
// where no e-mail can start (atWithin): atomAt's
// answer without its tests. IPv6 cannot start inside a colon run it
// failed on (noV6) or at a run of more than four digits; at the hours of
// a time (12:30, 12:30:45) ipv6Atom's timeEnd ends it and marks the run
// (noV6). Either way the run is nothing. Other runs go to short.
func (s *scan) colon(w *[64]byte, c, j, e int, d uint64) int {
	if j > 0 && w[(j-1)&63] != ':' && !s.atWithin(c+e, c+j+maxLocal) {
		if c+j < s.noV6 || e-j > 4 {
			return c + e
		}
		if e < 61 && d&(6<<e) == 6<<e {
			if k, ok := timeEnd(s.v, c+j, c+e); ok {
				s.noV6 = k
				return c + e
			}
		}
	}
	return s.short(c+j, c+e, true)
}

// wordDot is atomAt for a word (letters only) at w[j:e] (w = v[c:c+64])
// before '.' (a sentence's end, a domain's label): after a byte other than
// ':', where no e-mail can start (atWithin), a
// word of two letters or more is nothing (no spec's token is all letters).
func (s *scan) wordDot(w *[64]byte, c, j, e int) int {
	if e-j > 1 && j > 0 && w[(j-1)&63] != ':' && !s.atWithin(c+e, c+j+maxLocal) {
		return c + e
	}
	return s.atomAt(c+j, c+e, e-j)
}

// classifyWords is classify64 in portable Go, a word at a time: a word of
// bytes ≥ 0x80 alone (Chinese text) is skipped without classifying its
// bytes.
func classifyWords(p *[64]byte) (digit, letter uint64) {
	for k := 0; k < 64; k += 8 {
		x := binary.LittleEndian.Uint64(p[k:])
		if x&high == high {
			continue
		}
		d, l := pi.ASCIIMasks(x)
		digit |= gather(d) << k
		letter |= gather(l) << k
	}
	return digit, letter
}

// gather packs bit 7 of each byte of m (its only bits) into the low eight
// bits, byte k's into bit k: each byte's bit is multiplied to bit 56+k, and
// no two partial products share a bit, so nothing carries.
func gather(m uint64) uint64 {
	return m * 0x02040810204081 >> 56
}

// atom handles the alphanumeric run starting at i (v[i-1] is not
// alphanumeric) and returns where scanning resumes, at or after its end.
func (s *scan) atom(i int) int { return s.atomFrom(i, i, 0) }

// atomFrom is atom where v[i:e] is known to be alphanumeric with letters
// letters among it.
func (s *scan) atomFrom(i, e, letters int) int {
	v := s.v
	n := len(v)
	// Eight bytes per load: the run ends at the first byte that is neither
	// digit nor letter; count the letters before it.
	for e+8 <= n {
		d, l := pi.ASCIIMasks(binary.LittleEndian.Uint64(v[e:]))
		stop := ^(d | l) & high
		if stop == 0 {
			letters += mbits.OnesCount64(l)
			e += 8
			continue
		}
		k := mbits.TrailingZeros64(stop) // bit 7 of the first byte outside
		letters += mbits.OnesCount64(l & (1<<k - 1))
		e += k >> 3
		return s.atomAt(i, e, letters)
	}
	if e < n {
		// The rest in one word: its zero bytes past the value stop the run.
		d, l := pi.ASCIIMasks(tail(v, e))
		k := mbits.TrailingZeros64(^(d | l) & high)
		letters += mbits.OnesCount64(l & (1<<k - 1))
		e += k >> 3
	}
	return s.atomAt(i, e, letters)
}

// short is atomAt for a run of fewer than eight digits v[i:e] before a
// byte (e < len(v)): the atom shapes are tried (when atoms) only where
// they can start (an '@' close ahead for e-mail, a colon for IPv6). Alone,
// such a run needs 8 digits (or 4 before 年) to be anything, so it is a
// chain only where it can grow: before a separator or '.' and a digit, a
// closing parenthesis (of an area code), or 年. Most short runs are counts
// and amounts before '%', a space or Chinese text, and end here.
func (s *scan) short(i, e int, atoms bool) int {
	v := s.v
	c := v[e]
	if colon := i >= 2 && v[i-1] == ':'; atoms && (punct[c] || colon) {
		// IPv6 at a colon, unless inside a colon run it failed on (noV6:
		// the later numbers of a time, 12:30:45); an e-mail with an '@'
		// close ahead.
		if (c == ':' || colon && v[i-2] == ':') && i >= s.noV6 || s.atWithin(e, i+maxLocal) {
			return s.atomAt(i, e, 0)
		}
	}
	switch c {
	case ' ', '-', '/', '.':
		if e+1 >= len(v) || !isDigit(v[e+1]) {
			return e
		}
	case ')':
	case 0xef: // '）' closes a parenthesised area code
		if e+2 >= len(v) || v[e+1] != 0xbc || v[e+2] != 0x89 {
			return e
		}
	case 0xe5: // not 号, 元, 台 ...
		if !nianAt(v, e) {
			return e
		}
	default:
		return e
	}
	if s.gluedLeft(i) {
		return e
	}
	if c == '.' {
		return s.dotted(i, e) // chainAt's first test, without the call
	}
	return s.chainAt(i, e, false) // digits, past its own tests
}

// atomAt is atom once the run's end e and its number of letters are known.
func (s *scan) atomAt(i, e, letters int) int {
	v := s.v
	n := len(v)
	// E-mail and IPv6 continue over punctuation; most atoms are followed
	// by Chinese text or a space and skip them.
	if e < n && punct[v[e]] || i >= 2 && v[i-1] == ':' {
		// Where each shape can start: an '@' close ahead, a colon next to
		// the run outside a colon run IPv6 failed on (ipv6Atom's own first
		// tests).
		email := s.atWithin(e, i+maxLocal)
		ipv6 := (e < n && v[e] == ':' || i >= 2 && v[i-1] == ':' && v[i-2] == ':') && i >= s.noV6
		for _, sp := range s.d.atoms {
			if sp.kind == kEmail && !email || sp.kind == kIPv6 && !ipv6 {
				continue
			}
			if h, ok := atomOf(sp.kind, s, i, e); ok && s.accept(sp, h) {
				return max(h.end, e)
			}
		}
	}
	if letters == 0 || letters == 1 && e-i == 18 && v[e-1]|0x20 == 'x' {
		if e-i < 8 {
			if e == n || !growByte[v[e]] || v[e] == 0xe5 && !nianAt(v, e) {
				return e // short's first answers, without the call: most runs
			}
			return s.short(i, e, false) // the atom shapes were tried above
		}
		// digits for a run of eight or more, without the call: every
		// ID, phone and card number comes here.
		if s.gluedLeft(i) {
			return e
		}
		return s.chainAt(i, e, e-i == 18 && v[e-1]|0x20 == 'x')
	}
	// A field name glued to its number (tel13812345678; user_sjh138...:
	// an atom always starts after a non-alphanumeric byte).
	if letters >= 2 && letters <= maxFieldName && e-i-letters >= 3 {
		if p := namePrefix(v[i:e], letters); p > 0 {
			s.glued = i + p
			return max(s.digits(i+p, e), e)
		}
	}
	// Every token type (plate, passport, permit, USCC) starts with an
	// upper-case letter or a digit, and past a lone plate letter (京A·12345)
	// holds a digit: the words of English log lines end here.
	if cls[v[i]] == clsLower || letters == e-i && letters > 1 {
		return e
	}
	if s.gluedLeft(i) {
		return e
	}
	l := e - i
	if l > 31 {
		return e
	}
	for _, sp := range s.d.token {
		if sp.tokenLens&(1<<l) == 0 {
			continue
		}
		if h, ok := tokenOf(sp.kind, s, i, e); ok && !s.gluedRight(h.end) && s.accept(sp, h) {
			return max(h.end, e)
		}
	}
	return e
}

// fieldPrefixes are the field names that logs and hand-made keys glue to a
// number without a separator (tel13812345678, sfz110105199001011237): the
// number after one is still a candidate. Any other letters before digits
// make one token (v13812345678, a trace or order ID).
var fieldPrefixes = [...]string{"tel", "telno", "phone", "phoneno", "mobile", "mobileno", "mob", "cell",
	"sj", "sjh", "shouji", "shoujihao", "dh", "dianhua", "lxdh", "sfz", "sfzh", "idcard", "idno", "card", "cardno", "bankcard"}

// maxFieldName is the length of the longest of fieldPrefixes: the most
// letters a glued name can have.
var maxFieldName = func() (n int) {
	for _, p := range fieldPrefixes {
		n = max(n, len(p))
	}
	return n
}()

// namePrefix returns the length of a field-name prefix of the token t (letters
// ASCII letters among its bytes, 2 to maxFieldName, before at least three
// other bytes: the first group of a number, 138-1234-5678) when the rest is
// digits, else 0.
func namePrefix(t []byte, letters int) int {
	for k := 0; k < letters; k++ {
		if c := t[k] | 0x20; c < 'a' || c > 'z' {
			return 0 // letters and digits are interleaved
		}
	}
	for _, c := range t[letters:] {
		if !isDigit(c) {
			return 0
		}
	}
	if isFieldName(t[:letters]) {
		return letters
	}
	return 0
}

// fieldNameBefore reports whether v ends with a word (letters after a
// non-letter or the start) that is one of fieldPrefixes.
func fieldNameBefore(v []byte) bool {
	j := len(v)
	for j > 0 && len(v)-j < maxFieldName && (v[j-1]|0x20 >= 'a' && v[j-1]|0x20 <= 'z') {
		j--
	}
	if j > 0 && isAlnum(v[j-1]) {
		return false // the letters follow digits: part of a longer token
	}
	return isFieldName(v[j:])
}

// isFieldName reports whether w is one of fieldPrefixes, in any case.
func isFieldName(w []byte) bool {
	for _, p := range fieldPrefixes {
		if len(p) == len(w) && asciiFoldEq(w, p) {
			return true
		}
	}
	return false
}

func asciiFoldEq(b []byte, lower string) bool {
	for k := range b {
		if b[k]|0x20 != lower[k] {
			return false
		}
	}
	return true
}

// gluedLeft reports whether a candidate starting at i continues a longer
// ASCII token: '_' before it, or '-' / '.' right after a letter or digit
// (SN-13812345678, v1.2.3.4, a UUID's groups).
func (s *scan) gluedLeft(i int) bool {
	// Inlined where it runs, for every digit run: most are preceded by
	// Chinese text or a space.
	return i > 0 && glueLeft[s.v[i-1]] && s.gluedSlow(i)
}

// glueLeft marks the bytes that can glue a candidate to what precedes it
// (gluedLeft) or follows it (gluedRight).
var glueLeft = func() (t [256]bool) {
	for c := range t {
		t[c] = cls[c] != 0 || c == '_' || c == '-' || c == '.'
	}
	return t
}()

func (s *scan) gluedSlow(i int) bool {
	switch c := s.v[i-1]; {
	case isAlnum(c):
		return i != s.glued
	case c == '_' || c == '-':
		return s.gluedSep(i, c)
	}
	return i >= 2 && isAlnum(s.v[i-2]) // '.'
}

// gluedSep is gluedLeft after a '_' or '-' at i-1: a field name before it
// (tel_13812345678, mobile-13812345678) makes the number a candidate.
func (s *scan) gluedSep(i int, c byte) bool {
	if i >= 3 && fieldNameBefore(s.v[:i-1]) {
		return false
	}
	return c == '_' || i >= 2 && isAlnum(s.v[i-2])
}

// gluedRight is gluedLeft for a candidate ending at e, except that a '.'
// before a letter ends a sentence ("021-36158316.Contact"); before a digit
// it continues a number.
func (s *scan) gluedRight(e int) bool {
	// Inlined where it runs, for every chain: most end before Chinese
	// text or a space (glueLeft holds every byte that can glue).
	return e < len(s.v) && glueLeft[s.v[e]] && s.gluedRightSlow(e)
}

func (s *scan) gluedRightSlow(e int) bool {
	v := s.v
	c := v[e]
	if c == 'T' && isoTime(v, e) {
		return false
	}
	return isAlnum(c) || c == '_' || e+1 < len(v) && (c == '-' && isAlnum(v[e+1]) || c == '.' && isDigit(v[e+1]))
}

// isoTime reports whether v[e] is the 'T' of an ISO 8601 date-time after a
// date's day (1990-01-02T08:00:00).
func isoTime(v []byte, e int) bool {
	return e >= 3 && e+1 < len(v) && v[e] == 'T' && isDigit(v[e+1]) && v[e-3] == '-' && isDigit(v[e-2]) && isDigit(v[e-1])
}

// digits handles a digit run v[i:e] (or an ID number ending in X): a dotted
// run, or a chain of separated groups tried against the chain specs.
func (s *scan) digits(i, e int) int {
	if e-i < 8 {
		if e == len(s.v) || !growByte[s.v[e]] {
			return e
		}
		return s.short(i, e, false)
	}
	if s.gluedLeft(i) {
		return e
	}
	return s.chainAt(i, e, e-i == 18 && s.v[e-1]|0x20 == 'x')
}

// chainAt is digits for a run that is not glued to what precedes it and
// can be a value or grow into one.
func (s *scan) chainAt(i, e int, x bool) int {
	v := s.v
	if !x && e+1 < len(v) && v[e] == '.' && isDigit(v[e+1]) {
		return s.dotted(i, e)
	}
	var c chain
	c.g[0], c.n, c.start = group{i, e, x}, 1, i
	end := s.extend(&c)
	if s.gluedRight(end) {
		return end
	}
	if c.n == 1 {
		// One group (an ID, card or phone number, a year before 年): the
		// loop below on it, without the digit counts of sub-chains.
		if d := e - i; d <= maxDigits && (d >= 8 || d == 4 && nianAt(v, e)) {
			for _, t := range s.d.chainBy1[d] {
				if h, ok := chainOf(t.kind, s, &c, 0, 1); ok && !s.gluedRight(h.end) && s.accept(t, h) {
					return max(end, h.end)
				}
			}
		}
		return end
	}
	// Longest sub-chain first at each group; a sub-chain may not begin or
	// end at a '-' (138-1234-5678-9 is one token, not a mobile).
	resume := end
	// tot[k] is the number of digits in c.g[:k]: sub-chains whose digit
	// count no type takes are skipped before any validator runs.
	var tot [maxGroups + 1]int
	for k := 0; k < c.n; k++ {
		tot[k+1] = tot[k] + c.g[k].len()
	}
	for a := 0; a < c.n; {
		b := c.n
		var sp *spec
		var h hit
	outer:
		for ; b > a; b-- {
			if a > 0 && c.sep[a] == '-' || b < c.n && c.sep[b] == '-' {
				continue
			}
			if d := tot[b] - tot[a]; d > maxDigits || b-a > 1 && d < minDigits ||
				b-a == 1 && d < 8 && !(d == 4 && nianAt(v, c.g[a].e)) {
				continue // alone, a run needs 8 digits, or 4 before 年
			}
			for _, t := range s.d.chainBy[tot[b]-tot[a]] {
				if hh, ok := chainOf(t.kind, s, &c, a, b); ok && !s.gluedRight(hh.end) && s.accept(t, hh) {
					sp, h = t, hh
					break outer
				}
			}
		}
		if sp == nil {
			a++
			continue
		}
		for a < c.n && c.g[a].s < h.end {
			a++
		}
		resume = max(resume, h.end)
	}
	return resume
}

// quiet marks the bytes after which a run of fewer than eight digits is
// nothing: neither punct (e-mail, IPv6) nor growByte.
var quiet = func() (t [256]bool) {
	for c := range t {
		t[c] = !punct[c] && !growByte[c]
	}
	return t
}()

// growByte marks the bytes short looks further at: a separator, '.', ')',
// and the first bytes of '）' and '年'.
var growByte = func() (t [256]bool) {
	for _, c := range []byte(" -/.)\xef\xe5") {
		t[c] = true
	}
	return t
}()

// nianAt reports '年' at v[e:], after the year of a date (1990年1月2日).
func nianAt(v []byte, e int) bool {
	return e+3 <= len(v) && v[e] == 0xe5 && v[e+1] == 0xb9 && v[e+2] == 0xb4 // nian, without a call
}

// extend grows the chain from its first group over separators and returns
// the end of its last group. The first separator is free (+86 138-1234-5678,
// (0755) 1234567); later ones must repeat the second.
func (s *scan) extend(c *chain) int {
	v := s.v
	n := len(v)
	k := c.g[0].e
	if c.g[0].x {
		return k
	}
	i := c.g[0].s
	if i >= 1 && v[i-1] == '+' {
		c.plus = true
	}
	// "(0755)1234567", "（0755）1234567"
	open := -1
	j := i
	if c.plus {
		j-- // (+86)13812345678
	}
	if j >= 1 && v[j-1] == '(' {
		open = j - 1
	} else if j >= 3 && v[j-3] == 0xef && v[j-2] == 0xbc && v[j-1] == 0x88 {
		open = j - 3
	}
	if open >= 0 {
		k2 := -1
		if k < n && v[k] == ')' {
			k2 = k + 1
		} else if k+2 < n && v[k] == 0xef && v[k+1] == 0xbc && v[k+2] == 0x89 {
			k2 = k + 3
		}
		if k2 >= 0 {
			if k2 < n && (v[k2] == ' ' || v[k2] == '-') {
				k2++
			}
			if b, ok := s.digitAtom(k2); ok {
				c.start = open
				c.g[1], c.sep[1], c.n = group{k2, b, false}, ')', 2
				k = b
			}
		}
	}
	for c.n < maxGroups && k+1 < n {
		sep := v[k]
		if sep != ' ' && sep != '-' && sep != '/' || !isDigit(v[k+1]) {
			break
		}
		if c.n > 2 && sep != c.sep[c.n-1] {
			break
		}
		b, ok := s.digitAtom(k + 1)
		if !ok && !(b < n && isoTime(v, b)) {
			break // a digit-letter token follows: gluedRight decides
		}
		if b+1 < n && v[b] == '.' && isDigit(v[b+1]) {
			break // a dotted run (decimal, IP, version) starts there
		}
		c.g[c.n], c.sep[c.n] = group{k + 1, b, false}, sep
		c.n++
		k = b
	}
	return k
}

// digitAtom returns the end of the alphanumeric run at i if it is all digits.
func (s *scan) digitAtom(i int) (int, bool) {
	v := s.v
	b := i
	for b < len(v) && isDigit(v[b]) {
		b++
	}
	if b == i || b < len(v) && isAlnum(v[b]) {
		return b, false
	}
	return b, true
}

// dotted reads the digit groups joined by '.' from the run v[i:e] and tries
// the dotted specs on the whole run; the run is consumed either way, so no
// part of a version string or a longer dotted number is reported. The
// groups are counted before a chain is built: most dotted runs are
// decimals, of two groups, which no spec takes.
func (s *scan) dotted(i, e int) int {
	v := s.v
	n := len(v)
	k, groups := e, 1
	ok := true
	for k+1 < n && v[k] == '.' && isDigit(v[k+1]) {
		b, digitsOnly := s.digitAtom(k + 1)
		if !digitsOnly {
			for b < n && isAlnum(v[b]) {
				b++
			}
			ok = false
		} else if groups < maxGroups {
			groups++
		} else {
			ok = false
		}
		k = b
	}
	if !ok || s.d.groups&(1<<groups) == 0 || s.gluedRight(k) {
		return k
	}
	var c chain
	c.g[0], c.n, c.start, c.dots = group{i, e, false}, 1, i, true
	for k := e; c.n < groups; {
		b, _ := s.digitAtom(k + 1)
		c.g[c.n], c.sep[c.n] = group{k + 1, b, false}, '.'
		c.n++
		k = b
	}
	for _, sp := range s.d.dots {
		if sp.groups&(1<<c.n) == 0 {
			continue
		}
		if h, found := dottedOf(sp.kind, s, &c); found && s.accept(sp, h) {
			break
		}
	}
	return k
}

// accept applies the context rules to a confirmed value and appends it.
// It reports false when the value needs context it does not have.
func (s *scan) accept(sp *spec, h hit) bool {
	conf := sp.base
	if h.conf != 0 {
		conf = h.conf
	}
	// Context is looked for only when it changes something.
	if h.needContext || sp.boosted > conf {
		ctx := s.context(sp, h.start, h.needContext)
		if h.needContext && !ctx {
			return false
		}
		if ctx {
			conf = sp.boosted
		}
	}
	if s.d.mute&(1<<sp.kind) == 0 {
		s.dst = append(s.dst, pi.Match{Type: sp.typ, Start: h.start, End: h.end, Confidence: conf, Grade: sp.grade})
	}
	if h.minor && !s.d.muteMinor {
		s.dst = append(s.dst, pi.Match{Type: pi.Minor, Start: h.start, End: h.end, Confidence: conf, Grade: minorGrade})
	}
	return true
}

// num parses the ASCII digits v[a:b] (at most 9).
func num(v []byte, a, b int) int {
	n := 0
	for _, c := range v[a:b] {
		n = n*10 + int(c-'0')
	}
	return n
}

// num2, num4 and num6 are num for the 2, 4 or 6 ASCII digits at v[a:],
// written out with the digits' '0' taken off once: the validators of every
// 18-digit candidate (ID region and birth date, USCC region) and of every
// mobile number read fixed-width fields, where num's loop costs about three
// times the instructions.
func num2(v []byte, a int) int {
	_ = v[a+1]
	return int(v[a])*10 + int(v[a+1]) - '0'*11
}

func num4(v []byte, a int) int {
	_ = v[a+3]
	return int(v[a])*1000 + int(v[a+1])*100 + int(v[a+2])*10 + int(v[a+3]) - '0'*1111
}

func num6(v []byte, a int) int {
	_ = v[a+5]
	return int(v[a])*100000 + int(v[a+1])*10000 + int(v[a+2])*1000 + int(v[a+3])*100 + int(v[a+4])*10 + int(v[a+5]) - '0'*111111
}
