// Package ac is a rune-level Aho–Corasick automaton for Chinese keyword
// dictionaries, shared by the sensitive-category detector and custom rules.
package ac

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
	"unsafe"
)

// Automaton is an Aho–Corasick automaton over runes rather than bytes.
//
// Why runes: the dictionaries are Chinese, so a byte automaton needs three
// transitions per character and ~3× the states; a rune automaton maps each
// BMP rune to a small symbol id through one 128 KiB table and makes one
// transition per character. Runes that occur in no pattern map to symbol 0,
// which sends the automaton straight back to the root, and at the root a
// rune that starts no pattern costs two table loads. ASCII letters are folded
// to lower case (HIV, hiv).
//
// The automaton is immutable after build and shared by all goroutines.
type Automaton struct {
	sym  []uint16 // rune (BMP) -> symbol id; 0 = in no pattern
	root []int32  // symbol -> state after the root (0 = stay at the root)

	// Per state s (0 is the root): goto edges edgeSym/edgeTo[edgeOff[s]:edgeOff[s+1]],
	// sorted by symbol; the failure link; outputs out[outOff[s]:outOff[s+1]]
	// (pattern ids, this state's own and those of its failure chain).
	edgeOff []int32
	edgeSym []uint16
	edgeTo  []int32
	fail    []int32
	outOff  []int32
	out     []int32

	patLen []int32 // byte length of each pattern

	// pairs is a hashed bitset of the first two symbols of every pattern,
	// used when every pattern has at least two runes (pairFilter). Many
	// common characters start some pattern (性, 非, 高, 生 …) but few pairs do:
	// Scan keeps such a character pending at the root and enters the trie
	// only when the pair can start a pattern, saving a failed step per
	// character in ordinary prose. A hash collision only costs that step.
	pairs      []uint64
	pairFilter bool

	// raw is a hashed bitset of the first bytes of every pattern that starts
	// with a 3-byte rune (all Chinese ones): six bytes when a 3-byte rune
	// follows, else four (男, : the rune and the next byte). With fast set,
	// Scan skips, at the root, each 3-byte rune whose bytes with what follows
	// (rawKey) hash to an empty bit, without decoding or table lookups:
	// ordinary Chinese prose is stepped over three bytes at a time. fast is
	// off when a pattern is one rune long.
	raw  *[rawBits / 64]uint64
	fast bool

	// keyMask[n], by the high nibble n of a rune's fourth byte: six bytes
	// (n = 0xE: a 3-byte rune follows) or four (see rawKey).
	keyMask [16]uint64

	// A second look when two 3-byte runes pass raw, before the automaton
	// is entered (see pairMayStart): pairEnd holds the first two runes of
	// patterns that end there or go on with a rune of another width,
	// raw3 the first three runes of the others (系统性红斑狼疮: 系统 alone,
	// as in 系统于, starts nothing). Hashed, 8 KiB each.
	pairEnd, raw3 *[stage2Bits / 64]uint64

	// asciiClass[b] for ASCII bytes: classAlnum, and classStart when some
	// pattern starts with b; used to skip ASCII runs at the root.
	asciiClass [utf8.RuneSelf]uint8

	// asciiPair is the bit set of the first two bytes (ASCII case folded
	// both ways) of every pattern starting with two ASCII bytes. With fast
	// set, the ASCII skip steps over a start byte followed by an ASCII byte
	// that no pattern continues with: digit runs start with 1 and 2 (1型糖尿病)
	// far more often than they start a pattern.
	asciiPair [utf8.RuneSelf * utf8.RuneSelf / 64]uint64

	// startAlnum: every ASCII byte that starts a pattern is a letter or digit.
	startAlnum bool

	// tri is a hashed bitset of the first three bytes (ASCII letters folded
	// to lower case) of every pattern that starts with an ASCII byte. It is
	// used when all such patterns have three bytes or more (triOK, which
	// also needs fast and startAlnum): then years (2024) and words (the,
	// request) are told from 2019冠状病毒病 and heterosexual without entering
	// the automaton, and skipTokens can walk mixed text.
	tri   *[triBits / 64]uint64
	triOK bool
}

const (
	classAlnum = 1 << iota
	classStart
)

const rawBits = 1 << 18 // 32 KiB

// rawHash hashes a key from rawKey (six bytes or fewer).
func rawHash(x uint64) uint32 { return uint32(x * 0x9E3779B97F4A7C15 >> (64 - 18)) }

const stage2Bits = 1 << 16

// pairEndHash uses another multiplier than rawHash: with the same one its
// bits would be the top bits of rawHash, so a pair colliding in raw would
// always collide here too (平均 did, and stopped the skip on every 平均).
func pairEndHash(k6 uint64) uint32 { return uint32(k6 * 0xC2B2AE3D27D4EB4F >> (64 - 16)) }

// raw3Hash hashes nine bytes: k6, the first six, and k3, the next three.
func raw3Hash(k6, k3 uint64) uint32 {
	return uint32((k6*0x9E3779B97F4A7C15 ^ k3) * 0xC2B2AE3D27D4EB4F >> (64 - 16))
}

const triBits = 1 << 12

// triHash hashes the low three bytes of x with the 0x20 bit of each set:
// that folds ASCII letters to lower case in one OR, and since the pattern
// side is keyed the same way, the other bytes it merges ('[' and '{') only
// cost false stops, never a missed pattern.
func triHash(x uint64) uint32 {
	return uint32(((x | 0x202020) & 0xFFFFFF) * 0x9E3779B97F4A7C15 >> (64 - 12))
}

// rawKey keeps the bytes of x (a 3-byte rune and what follows, little
// endian) that raw is keyed on: six when the fourth byte starts a 3-byte
// rune, else four. No branch: which case it is depends on the text.
func (a *Automaton) rawKey(x uint64) uint64 { return x & a.keyMask[x>>28&0xF] }

// FastSkip reports whether Scan can step over Chinese text three bytes at a
// time (see raw) and over mixed text a token at a time (see tri: every
// pattern that starts with ASCII has three bytes or more); a guard for
// callers whose throughput depends on it. It also means that in ASCII text
// Scan enters the automaton only at the start of a word whose first three
// bytes are in tri, so text with no such word has no hits: a caller that
// classifies short values in a pass of its own (a database cell) can then
// skip Scan on ASCII ones, and with TokensMayStart on ones of ASCII and
// 3-byte runes.
func (a *Automaton) FastSkip() bool { return a.fast && a.triOK }

const pairBits = 1 << 18 // 32 KiB

func pairHash(c1, c2 uint16) uint32 { return (uint32(c1)*40503 + uint32(c2)) & (pairBits - 1) }

func (a *Automaton) pairOK(c1, c2 uint16) bool {
	h := pairHash(c1, c2)
	return a.pairs[h>>6]&(1<<(h&63)) != 0
}

// Hit is one pattern occurrence: value[start:end] equals pattern pat
// (ASCII case folded).
type Hit struct {
	Start, End int32
	Pat        int32 // index into the patterns given to Build
}

// Supported reports whether p can be a pattern: non-empty valid UTF-8 of BMP
// runes (all of Chinese in common use).
func Supported(p string) bool {
	if p == "" || !utf8.ValidString(p) {
		return false
	}
	for _, r := range p {
		if r >= 0x10000 {
			return false
		}
	}
	return true
}

func isAlnum(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

func fold(r rune) rune {
	if r >= 'A' && r <= 'Z' {
		return r + 'a' - 'A'
	}
	return r
}

// Build compiles patterns. Patterns that are not Supported never match.
func Build(patterns []string) *Automaton {
	a := &Automaton{sym: make([]uint16, 0x10000), patLen: make([]int32, len(patterns))}
	nsym := uint16(0)
	symOf := func(r rune) uint16 {
		r = fold(r)
		if a.sym[r] == 0 {
			nsym++
			a.sym[r] = nsym
			if r >= 'a' && r <= 'z' {
				a.sym[r-'a'+'A'] = nsym
			}
		}
		return a.sym[r]
	}
	// Trie with map edges while building; flattened afterwards.
	type node struct {
		next map[uint16]int32
		out  []int32
	}
	nodes := []node{{next: map[uint16]int32{}}}
	for id, p := range patterns {
		a.patLen[id] = int32(len(p))
		if !Supported(p) {
			continue
		}
		s := int32(0)
		for _, r := range p {
			c := symOf(r)
			t, ok := nodes[s].next[c]
			if !ok {
				t = int32(len(nodes))
				nodes = append(nodes, node{next: map[uint16]int32{}})
				nodes[s].next[c] = t
			}
			s = t
		}
		nodes[s].out = append(nodes[s].out, int32(id))
	}
	n := len(nodes)
	a.fail = make([]int32, n)
	a.root = make([]int32, int(nsym)+1)
	for c, t := range nodes[0].next {
		a.root[c] = t
	}
	// BFS for failure links; outputs are inherited along them.
	order := make([]int32, 0, n)
	for _, t := range nodes[0].next {
		order = append(order, t)
	}
	for i := 0; i < len(order); i++ {
		s := order[i]
		for c, t := range nodes[s].next {
			f := a.fail[s]
			for {
				if u, ok := nodes[f].next[c]; ok {
					a.fail[t] = u
					break
				}
				if f == 0 {
					a.fail[t] = 0
					break
				}
				f = a.fail[f]
			}
			nodes[t].out = append(nodes[t].out, nodes[a.fail[t]].out...)
			order = append(order, t)
		}
	}
	a.edgeOff = make([]int32, n+1)
	a.outOff = make([]int32, n+1)
	for s := 0; s < n; s++ {
		a.edgeOff[s] = int32(len(a.edgeSym))
		a.outOff[s] = int32(len(a.out))
		if s != 0 {
			syms := make([]uint16, 0, len(nodes[s].next))
			for c := range nodes[s].next {
				syms = append(syms, c)
			}
			sortU16(syms)
			for _, c := range syms {
				a.edgeSym = append(a.edgeSym, c)
				a.edgeTo = append(a.edgeTo, nodes[s].next[c])
			}
		}
		a.out = append(a.out, nodes[s].out...)
	}
	a.edgeOff[n] = int32(len(a.edgeSym))
	a.outOff[n] = int32(len(a.out))
	a.pairs = make([]uint64, pairBits/64)
	a.pairFilter = true
	for _, p := range patterns {
		if !Supported(p) {
			continue
		}
		rs := []rune(p)
		if len(rs) < 2 {
			a.pairFilter = false
			break
		}
		h := pairHash(a.sym[fold(rs[0])], a.sym[fold(rs[1])])
		a.pairs[h>>6] |= 1 << (h & 63)
	}
	for b := 0; b < utf8.RuneSelf; b++ {
		if isAlnum(byte(b)) {
			a.asciiClass[b] |= classAlnum
		}
		if c := a.sym[b]; c != 0 && a.root[c] != 0 {
			a.asciiClass[b] |= classStart
		}
	}
	for _, p := range patterns {
		if !Supported(p) || len(p) < 2 || p[0] >= utf8.RuneSelf || p[1] >= utf8.RuneSelf {
			continue
		}
		for _, b0 := range caseBoth(p[0]) {
			for _, b1 := range caseBoth(p[1]) {
				k := int(b0)<<7 | int(b1)
				a.asciiPair[k>>6] |= 1 << (k & 63)
			}
		}
	}
	a.startAlnum = true
	for b := 0; b < utf8.RuneSelf; b++ {
		if a.asciiClass[b]&classStart != 0 && a.asciiClass[b]&classAlnum == 0 {
			a.startAlnum = false
		}
	}
	a.raw = new([rawBits / 64]uint64)
	a.fast = a.pairFilter
	for n := range a.keyMask {
		a.keyMask[n] = 0xFFFFFFFF
	}
	a.keyMask[0xE] = 0xFFFFFFFFFFFF
	for _, p := range patterns {
		if !Supported(p) || len(p) < 4 || p[0] < 0xE0 {
			continue // patterns starting with ASCII or 2-byte runes take the normal path
		}
		var x uint64
		for k := min(len(p), 6) - 1; k >= 0; k-- {
			x = x<<8 | uint64(p[k])
		}
		x = a.rawKey(x)
		for _, b3 := range caseBoth(p[3]) { // 力a matches 力A: a letter after the rune in both cases
			h := rawHash(x&^(0xFF<<24) | uint64(b3)<<24)
			a.raw[h>>6] |= 1 << (h & 63)
		}
	}
	a.pairEnd, a.raw3 = new([stage2Bits / 64]uint64), new([stage2Bits / 64]uint64)
	for _, p := range patterns {
		if !Supported(p) || len(p) < 6 || p[0]&0xF0 != 0xE0 || p[3]&0xF0 != 0xE0 {
			continue // not two 3-byte runes first
		}
		var k6, k3 uint64
		for k := 5; k >= 0; k-- {
			k6 = k6<<8 | uint64(p[k])
		}
		if len(p) == 6 || p[6]&0xF0 != 0xE0 {
			h := pairEndHash(k6)
			a.pairEnd[h>>6] |= 1 << (h & 63)
			continue
		}
		k3 = uint64(p[6]) | uint64(p[7])<<8 | uint64(p[8])<<16
		h := raw3Hash(k6, k3)
		a.raw3[h>>6] |= 1 << (h & 63)
	}
	a.tri = new([triBits / 64]uint64)
	a.triOK = a.fast && a.startAlnum
	for _, p := range patterns {
		if !Supported(p) || p[0] >= utf8.RuneSelf {
			continue
		}
		if len(p) < 3 {
			a.triOK = false
			continue
		}
		h := triHash(uint64(p[0]) | uint64(p[1])<<8 | uint64(p[2])<<16)
		a.tri[h>>6] |= 1 << (h & 63)
	}
	return a
}

// caseBoth returns b in both ASCII cases (b once if it is not a letter).
func caseBoth(b byte) []byte {
	switch {
	case b >= 'a' && b <= 'z':
		return []byte{b, b - 'a' + 'A'}
	case b >= 'A' && b <= 'Z':
		return []byte{b, b - 'A' + 'a'}
	}
	return []byte{b}
}

func sortU16(s []uint16) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// alnumMask returns 0x80 in each byte of x that is an ASCII letter or digit
// (bytes ≥ 0x80 give garbage: callers mask them out). Each sum stays below
// 0x100 per byte, so no carry crosses bytes.
// Letters are tested once, on y with the 0x20 bit set ('A' becomes 'a';
// no other byte below 0x80 becomes a lower-case letter).
func alnumMask(x uint64) uint64 {
	y := x &^ msb
	z := y | 0x20*lsb
	digit := (y + (0x80-'0')*lsb) &^ (y + (0x7F-'9')*lsb)
	letter := (z + (0x80-'a')*lsb) &^ (z + (0x7F-'z')*lsb)
	return (digit | letter) & msb
}

// skipASCII steps over the ASCII bytes at v[i:] that cannot start a pattern
// and returns where it stopped (at a non-ASCII byte, the end, or a byte that
// may start a pattern) and whether the byte before is alphanumeric.
//
// When every ASCII start byte is a letter or digit (startAlnum), only a
// word's first byte can start a pattern, so eight bytes at a time are
// classified at once and only word starts are looked at: a digit run or an
// English word costs one check, not one per byte.
func (a *Automaton) skipASCII(v []byte, i int, prevAlnum bool) (int, bool) {
	if a.startAlnum {
		for i+8 <= len(v) {
			x := load64(v, i)
			n := 8
			if hi := x & msb; hi != 0 {
				n = bits.TrailingZeros64(hi) >> 3
				if n == 0 {
					return i, prevAlnum
				}
			}
			al := alnumMask(x)
			carry := uint64(0)
			if prevAlnum {
				carry = 0x80
			}
			ws := al &^ (al<<8 | carry) // word starts
			if n < 8 {
				ws &= 1<<(8*n) - 1
			}
			// Look at each word start of the eight bytes without reloading.
			for ; ws != 0; ws &= ws - 1 {
				j := bits.TrailingZeros64(ws) >> 3
				if !a.asciiStartsNothing(v, i+j) {
					return i + j, j > 0 && al>>(8*j-1)&1 != 0 || j == 0 && prevAlnum
				}
			}
			i += n
			prevAlnum = al>>(8*n-1)&1 != 0
			if n < 8 {
				return i, prevAlnum
			}
		}
	}
	for i < len(v) && v[i] < utf8.RuneSelf {
		cl := a.asciiClass[v[i]]
		if cl&classStart != 0 && !(prevAlnum && cl&classAlnum != 0) && !a.asciiStartsNothing(v, i) {
			break
		}
		prevAlnum = cl&classAlnum != 0
		i++
	}
	return i, prevAlnum
}

// asciiStartsNothing reports that no pattern starts at the ASCII byte v[i]:
// it starts none, or (triOK) no pattern starts with the three bytes at i,
// or every pattern has two runes or more and none continues with the ASCII
// byte after it.
func (a *Automaton) asciiStartsNothing(v []byte, i int) bool {
	if a.asciiClass[v[i]]&classStart == 0 {
		return true
	}
	if a.triOK {
		if i+3 > len(v) {
			return true // every pattern starting with ASCII has three bytes or more
		}
		h := triHash(uint64(v[i]) | uint64(v[i+1])<<8 | uint64(v[i+2])<<16)
		return a.tri[h>>6]&(1<<(h&63)) == 0
	}
	if i+1 >= len(v) || v[i+1] >= utf8.RuneSelf {
		return false
	}
	k := int(v[i])<<7 | int(v[i+1])
	return a.asciiPair[k>>6]&(1<<(k&63)) == 0
}

// skipTokens steps over text at the root, a token at a time: a 3-byte rune
// whose key with what follows (rawKey) is not in raw, or an ASCII run up
// to the next word start (or non-ASCII byte) whose first byte starts
// nothing (tri). It needs triOK and stops at a token that may start a
// pattern (cand), at any other byte (a 2- or 4-byte rune, invalid UTF-8),
// or at the end. The walk itself is walk's; here are the rarer steps.
func (a *Automaton) skipTokens(v []byte, i int, prevAlnum bool) (next int, alnum, cand bool) {
	prev := uint64(0) // 0x80 when the byte before i is alphanumeric
	if prevAlnum {
		prev = 0x80
	}
	for {
		var stop int
		var rest int
		rest, prev, stop = a.walk(v, i, prev)
		i = len(v) - rest
		switch stop {
		case stopRaw:
			if a.pairMayStart(v, i, load64(v, i)) {
				return i, prev != 0, true
			}
			i += 3
			prev = 0
		case stopCand:
			return i, prev != 0, true
		case stopASCII:
			j, p, c := a.skipWords(v, i, prev)
			if c {
				return j, false, true
			}
			i, prev = j, p
		default:
			return a.skipTail(v, i, prev)
		}
	}
}

// Where walk stops.
const (
	stopEnd   = iota // eight bytes or fewer left
	stopRaw          // a 3-byte rune whose key is in raw: pairMayStart decides
	stopCand         // a token that may start a pattern, or another width
	stopASCII        // sixteen ASCII bytes: skipWords takes them
)

// walk is skipTokens' loop; it returns how many bytes of v are left where
// it stopped. Mixed text switches between digits and ideographs every few
// characters: one loop for both kinds keeps that to one branch per switch,
// and each kind's step ends with the next token loaded, so the other's
// test does not repeat its own. A leaf function stepping a bare pointer
// (see p): no bounds checks and no spills in the rune loop, which the
// compiler did not manage with the rarer steps in the same loop (~25%
// fewer instructions a rune). Going two runes a step (one branch for both
// widths, then both probes) saved no instructions and mispredicted more at
// the ends of the short runs between digits.
func (a *Automaton) walk(v []byte, i int, prev uint64) (rest int, prevOut uint64, stop int) {
	raw, tri := a.raw, a.tri
	// p and r view the rest v[i:]: a bare pointer and a count, so a step
	// updates two words (a slice has three) and needs neither a bounds
	// check nor the clamp that keeps a resliced pointer inside its
	// allocation: the walk goes on only while more than eight bytes are
	// left, so no step (eight bytes at most) leaves v. Read only here,
	// while v is live.
	r := len(v) - i
	if r <= 8 {
		return r, prev, stopEnd
	}
	p := unsafe.Add(unsafe.Pointer(unsafe.SliceData(v)), i) // i < len(v)-8: no check or clamp
	x := ptr64(p)
	for {
		// Here r > 8 and x holds the eight bytes at p: each branch below
		// ends with the next token loaded, so a switch between the kinds
		// does not test the same bytes twice.
		if x&0xC0C0F0 == 0x8080E0 {
			if h := rawHash(a.rawKey(x)); raw[h>>6]&(1<<(h&63)) != 0 {
				return r, prev, stopRaw
			}
			p, r = unsafe.Add(p, 3), r-3
			prev = 0
			// The rest of the run of 3-byte runes, two a step while eleven
			// bytes are left: one length test and one update per pair.
			for r > 11 {
				x = ptr64(p)
				if x&0xC0C0F0 != 0x8080E0 {
					goto ascii
				}
				if h := rawHash(a.rawKey(x)); raw[h>>6]&(1<<(h&63)) != 0 {
					return r, 0, stopRaw
				}
				x = ptr64(unsafe.Add(p, 3))
				if x&0xC0C0F0 != 0x8080E0 {
					p, r = unsafe.Add(p, 3), r-3
					goto ascii
				}
				if h := rawHash(a.rawKey(x)); raw[h>>6]&(1<<(h&63)) != 0 {
					return r - 3, 0, stopRaw
				}
				p, r = unsafe.Add(p, 6), r-6
			}
			for {
				if r <= 8 {
					return r, 0, stopEnd
				}
				x = ptr64(p)
				if x&0xC0C0F0 != 0x8080E0 {
					break
				}
				if h := rawHash(a.rawKey(x)); raw[h>>6]&(1<<(h&63)) != 0 {
					return r, 0, stopRaw
				}
				p, r = unsafe.Add(p, 3), r-3
			}
		}
	ascii:
		if x&0x80 != 0 {
			return r, prev, stopCand // another width or invalid: the slow path decides
		}
		hi := x & msb
		if hi == 0 && r >= 16 && ptr64(unsafe.Add(p, 8))&msb == 0 {
			return r, prev, stopASCII
		}
		// ASCII then other bytes (digits between ideographs): up to the next
		// word start. Only a word's first byte can start a pattern (startAlnum).
		// alnumMask without its masks: bytes from the first non-ASCII one
		// on give garbage, but sums carry only upward (to later bytes), and
		// only bit 7 of each byte is read below.
		z := x | 0x20*lsb
		al := (x+(0x80-'0')*lsb)&^(x+(0x7F-'9')*lsb) | (z+(0x80-'a')*lsb)&^(z+(0x7F-'z')*lsb)
		ws := al &^ (al<<8 | prev) // word starts (valid up to the first non-ASCII byte)
		// A word starting here whose three bytes are in tri, decided without
		// a branch on the first. tri holds only the starts of patterns, so
		// it also answers whether the first byte starts one (asciiClass was
		// asked as well: on the engine input that saved a few false stops
		// and cost 4.3M instructions in this loop). Bits are tested with BT,
		// not shifted out: a shift by a variable needs CX, and the compiler
		// spilled the count to free it.
		t := triHash(x)
		if ws>>7&b2u(tri[t>>6]&(1<<(t&63)) != 0) != 0 {
			return r, 0, stopCand
		}
		// The next word start or non-ASCII byte after the first (n, 1 to
		// 8): bit 7 of byte k is bit 8k-1 of m, and bit 63 stands for
		// byte 8, so the count has no zero case to test; bit 8n-1 of al
		// is then whether the byte before is alphanumeric.
		m := (ws|hi)>>8&(msb>>8) | 1<<63
		b := bits.TrailingZeros64(m)
		n := b>>3 + 1
		prev = b2u(al&(1<<(b&63)) != 0) << 7
		p, r = unsafe.Add(p, n), r-n
		if r <= 8 {
			return r, prev, stopEnd
		}
		x = ptr64(p)
	}
}

// b2u is 1 for true (a SETcc, no branch).
func b2u(b bool) uint64 {
	var u uint64
	if b {
		u = 1
	}
	return u
}

// ptr64 reads the eight bytes at p little endian (one load on amd64).
func ptr64(p unsafe.Pointer) uint64 {
	return binary.LittleEndian.Uint64((*[8]byte)(p)[:])
}

// skipTail is skipTokens for the last bytes, eight or fewer, read
// zero-padded: a zero can only make a key match that would not (a false
// stop, which the slow path settles), never hide one.
func (a *Automaton) skipTail(v []byte, i int, prev uint64) (next int, alnum, cand bool) {
	raw, tri := a.raw, a.tri
	// The last eight bytes (all of a shorter value, zero-padded) are read
	// once: each step's bytes from i (zero-padded) are w shifted down to i, which
	// saves a byte loop per token on short values (names, 用户123).
	base, w := 0, uint64(0)
	if len(v) >= 8 {
		base = len(v) - 8
		w = load64(v, base)
	} else {
		w = Short64(v)
	}
	for i < len(v) {
		x := w >> (8 * uint(i-base) & 63)
		if x&0xC0C0F0 == 0x8080E0 {
			if i+3 == len(v) {
				// The last rune (。 ends most lines): every pattern has two
				// or more (triOK implies fast, which implies pairFilter).
				return len(v), false, false
			}
			if h := rawHash(a.rawKey(x)); raw[h>>6]&(1<<(h&63)) != 0 && a.pairMayStart(v, i, x) {
				return i, prev != 0, true
			}
			i += 3 // the rune's three bytes are in v: padding has no continuation bytes
			prev = 0
			continue
		}
		if x&0x80 != 0 {
			return i, prev != 0, true
		}
		al := alnumMask(x)
		ws := al &^ (al<<8 | prev)
		t := triHash(x)
		if ws>>7&(tri[t>>6]>>(t&63)) != 0 { // tri alone, as in walk
			return i, false, true
		}
		n := bits.TrailingZeros64(ws&^0x80|x&msb) >> 3
		if n == 8 {
			n = len(v) - i // only padding after the word
		}
		i += n
		prev = al >> ((8*n - 1) & 63) & 1 << 7
	}
	return len(v), prev != 0, false
}

// skipWords steps over an ASCII run at v[i:] (at least sixteen bytes) eight
// bytes at a time, looking only at word starts (startAlnum), each with one
// probe of tri. It stops at a word start whose three bytes are in tri
// (cand; the byte before is then not alphanumeric), at a non-ASCII byte, or
// fewer than sixteen bytes before the end. prev is 0x80 when the byte
// before i is alphanumeric, and is returned for the stopping point.
func (a *Automaton) skipWords(v []byte, i int, prev uint64) (next int, prevOut uint64, cand bool) {
	tri := a.tri
	// Whole quiet blocks first with vector instructions (skipWords32: what
	// the loop below would do over them, a block at a time), and the quiet
	// bytes of the block that ends the run at a non-ASCII byte.
	if haveWords32 {
		if n := skipWords32(v, i, prev, tri); n > 0 {
			i += n
			prev = 0
			if isAlnum(v[i-1]) {
				prev = 0x80
			}
		}
	}
	for i+16 <= len(v) {
		x := load64(v, i)
		n := 8
		if hi := x & msb; hi != 0 {
			n = bits.TrailingZeros64(hi) >> 3
			if n == 0 {
				return i, prev, false
			}
		}
		al := alnumMask(x)
		ws := al &^ (al<<8 | prev) // word starts
		ws &= ^uint64(0) >> ((64 - 8*n) & 63)
		for ; ws != 0; ws &= ws - 1 {
			j := bits.TrailingZeros64(ws) >> 3
			// i+j+8 ≤ len(v): the word's first three bytes are in v.
			t := triHash(load64(v, i+j))
			if tri[t>>6]&(1<<(t&63)) != 0 {
				return i + j, 0, true
			}
		}
		i += n
		prev = al >> ((8*n - 1) & 63) & 1 << 7
		if n < 8 {
			break
		}
	}
	return i, prev, false
}

// TokensMayStart reports whether a pattern may start at one of the
// tokens of v (at most 112 bytes) given as bit masks (bit i of word i/64
// for v[i]): the ASCII words starting at the bits of words, and the 3-byte
// runes starting at the bits of runes. pad holds v followed by zeros (a
// zero can only make a probe answer true). False means no pattern starts
// at any of them, when FastSkip holds: each word and rune is tested as
// skipTokens tests it (tri; raw, then pairMayStart), and the last rune of
// v is not tested (every pattern has
// two runes or more). A caller that finds the tokens of a short value in
// a pass of its own (a database cell) then knows Scan has no hits but
// ones inside ASCII words, without the automaton's skip loops.
func (a *Automaton) TokensMayStart(v []byte, pad *[128]byte, words, runes [2]uint64) bool {
	if len(v) > 112 {
		panic("ac: TokensMayStart on more than 112 bytes")
	}
	r0, r1 := runes[0], runes[1]
	if p := len(v) - 3; p >= 64 {
		r1 &^= 1 << (p & 63)
	} else if p >= 0 {
		r0 &^= 1 << p
	}
	// Every bit is below 112, so each eight-byte load at one is inside
	// pad. The second word of a mask is looked at from pad[64:] (off) once
	// the first is done: the loops keep no word index. The tables are
	// sliced once: the loops then have no nil checks, and the hashes'
	// ranges leave them no bounds checks.
	tri := a.tri[:]
	p, ws, next := unsafe.Pointer(pad), words[0], words[1]
	for {
		for ; ws != 0; ws &= ws - 1 {
			// tri alone, as in walk: it holds only the starts of patterns.
			t := triHash(ptr64(unsafe.Add(p, bits.TrailingZeros64(ws))))
			if tri[t>>6]&(1<<(t&63)) != 0 {
				return true
			}
		}
		if next == 0 {
			break
		}
		p, ws, next = unsafe.Add(p, 64), next, 0
	}
	raw, off := a.raw[:], 0
	p, rs, next := unsafe.Pointer(pad), r0, r1
	for {
		for ; rs != 0; rs &= rs - 1 {
			j := bits.TrailingZeros64(rs)
			x := ptr64(unsafe.Add(p, j))
			if h := rawHash(a.rawKey(x)); raw[h>>6]&(1<<(h&63)) != 0 && a.pairMayStart(v, off+j, x) {
				return true
			}
		}
		if next == 0 {
			return false
		}
		p, rs, next, off = unsafe.Add(p, 64), next, 0, 64
	}
}

// pairMayStart is the second look at a rune at v[i] (x: its bytes and
// what follows) that passed raw: when a 3-byte rune follows, a pattern can
// start here only if the pair is in pairEnd or the three runes are in
// raw3. Anything else (another width, too near the end to read nine bytes)
// is left to the automaton.
func (a *Automaton) pairMayStart(v []byte, i int, x uint64) bool {
	if x&0xC0C0F0000000 != 0x8080E0000000 || i+11 > len(v) {
		return true
	}
	k6 := x & 0xFFFFFFFFFFFF
	if h := pairEndHash(k6); a.pairEnd[h>>6]&(1<<(h&63)) != 0 {
		return true
	}
	y := load64(v, i+3) >> 24 // the third rune, if it is one
	if y&0xC0C0F0 != 0x8080E0 {
		return false // every pattern starting with the pair goes on with a 3-byte rune
	}
	h := raw3Hash(k6, y&0xFFFFFF)
	return a.raw3[h>>6]&(1<<(h&63)) != 0
}

// load64 reads v[i:i+8] little endian. Slicing both ends costs one bounds
// check; v[i:] would also clamp the pointer for an empty rest (five more
// instructions per load in the skip loops).
func load64(v []byte, i int) uint64 { return binary.LittleEndian.Uint64(v[i : i+8]) }

// Short64 reads b (fewer than eight bytes) little endian, zero-padded: two
// loads that overlap in the middle (their common bytes are equal, so OR
// keeps them) instead of a loop over the bytes.
func Short64(b []byte) uint64 {
	switch n := len(b); {
	case n >= 4:
		return uint64(binary.LittleEndian.Uint32(b)) | uint64(binary.LittleEndian.Uint32(b[n-4:]))<<(8*(n-4)&63)
	case n >= 2:
		return uint64(binary.LittleEndian.Uint16(b)) | uint64(binary.LittleEndian.Uint16(b[n-2:]))<<(8*(n-2)&63)
	case n == 1:
		return uint64(b[0])
	}
	return 0
}

// step returns the state after reading symbol c in state s.
func (a *Automaton) step(s int32, c uint16) int32 {
	for s != 0 {
		lo, hi := a.edgeOff[s], a.edgeOff[s+1]
		for i := lo; i < hi; i++ {
			if e := a.edgeSym[i]; e == c {
				return a.edgeTo[i]
			} else if e > c {
				break
			}
		}
		s = a.fail[s]
	}
	return a.root[c]
}

// skipRaw is Scan's fast skip when skipTokens cannot be used (triOK
// false): the raw skip over 3-byte runes and skipASCII, alternated. end
// reports that nothing can start from i on. Kept out of scan so that its
// variables do not crowd the slow path's registers.
func (a *Automaton) skipRaw(v []byte, i int, prevAlnum bool) (int, bool, bool) {
	// Alternate the two skips until neither moves: mixed text
	// switches between digits and ideographs every few characters,
	// and each switch through the decoding path below costs a miss
	// in the 128 KiB symbol table.
	raw := a.raw
	for {
		i0 := i
		for i+6 <= len(v) {
			var x uint64
			if i+8 <= len(v) {
				x = load64(v, i)
			} else {
				x = uint64(binary.LittleEndian.Uint32(v[i:])) | uint64(binary.LittleEndian.Uint16(v[i+4:]))<<32
			}
			if x&0xC0C0F0 != 0x8080E0 {
				break // not a 3-byte rune here
			}
			if h := rawHash(a.rawKey(x)); raw[h>>6]&(1<<(h&63)) != 0 {
				break // a pattern may start here
			}
			i += 3
		}
		if i+3 == len(v) && v[i]&0xF0 == 0xE0 && v[i+1]&0xC0 == 0x80 && v[i+2]&0xC0 == 0x80 {
			// The last rune: every pattern has two or more, so
			// nothing can start here (fast implies pairFilter).
			return i, prevAlnum, true
		}
		if i != i0 {
			prevAlnum = false
		}
		// ASCII bytes that start no pattern, or continue a word (a pattern
		// starting with a letter must start a word), are skipped here.
		i1 := i
		i, prevAlnum = a.skipASCII(v, i, prevAlnum)
		if i == i1 || i >= len(v) || v[i] < utf8.RuneSelf {
			break
		}
	}
	return i, prevAlnum, false
}

// Scan appends every pattern occurrence in v to hits, ordered by end offset.
// Occurrences that start with an ASCII letter or digit inside an ASCII word
// (hiv in archive) may or may not be reported: callers that care about words
// check the boundary themselves.
// Invalid UTF-8 bytes reset the automaton, so every hit starts and ends on a
// rune boundary. It allocates only when hits must grow.
func (a *Automaton) Scan(v []byte, hits []Hit) []Hit { return a.ScanFrom(v, Start{}, hits) }

// Start is where Scan leaves its fast skip for the first time in a value
// (First).
type Start struct {
	i              int
	prevAlnum, got bool // got: the skip was taken, i is its stop
}

// First takes Scan's first fast skip over v: ok false means Scan(v) has no
// hits; else ScanFrom(v, st, hits) equals Scan(v, hits). Most values of
// text have no candidate at all: a caller can then skip what it prepares
// for hits (Find zeroes a buffer of them).
func (a *Automaton) First(v []byte) (st Start, ok bool) {
	if len(v) == 0 {
		return Start{}, false
	}
	if !a.FastSkip() {
		return Start{}, true // Scan decides from the start
	}
	st.i, st.prevAlnum, ok = a.skipTokens(v, 0, false)
	st.got = true
	return st, ok
}

// ScanFrom is Scan(v, hits) for st from First(v) (with ok true): it
// goes on where First's skip stopped. Scan is ScanFrom from the zero
// Start, the value's beginning.
func (a *Automaton) ScanFrom(v []byte, st Start, hits []Hit) []Hit {
	sym, root := a.sym, a.root
	s := int32(0)
	pend := uint16(0) // with pairFilter: a symbol read at the root that may start a pattern
	i, prevAlnum, skipped := st.i, st.prevAlnum, st.got
	for i < len(v) {
		if s == 0 && pend == 0 && a.fast && !skipped {
			if a.triOK {
				var cand bool
				if i, prevAlnum, cand = a.skipTokens(v, i, prevAlnum); !cand {
					return hits
				}
			} else {
				var end bool
				if i, prevAlnum, end = a.skipRaw(v, i, prevAlnum); end {
					return hits
				}
			}
		}
		skipped = false
		if i >= len(v) {
			break
		}
		start, prevBefore := i, prevAlnum
		b := v[i]
		var c uint16
		switch {
		case b < utf8.RuneSelf:
			c = sym[b]
			i++
			// A pattern starting with an ASCII letter or digit must start a
			// word (HIV, not arcHIVe), so inside a word the root stays put:
			// this keeps ASCII logs off the slow path.
			wasAlnum := prevAlnum
			prevAlnum = isAlnum(b)
			if s == 0 && pend == 0 && wasAlnum && prevAlnum {
				continue
			}
		case i+8 <= len(v) && load64(v, i)&0xC0C0F0 == 0x8080E0:
			// A 3-byte rune read with one load (most of the slow path's
			// runes; the bytes are tested and decoded in a register).
			x := load64(v, i)
			c = sym[x&0x0F<<12|x>>2&0xFC0|x>>16&0x3F]
			i += 3
			prevAlnum = false
		case b&0xF0 == 0xE0 && i+2 < len(v) && v[i+1]&0xC0 == 0x80 && v[i+2]&0xC0 == 0x80:
			c = sym[rune(b&0x0F)<<12|rune(v[i+1]&0x3F)<<6|rune(v[i+2]&0x3F)]
			i += 3
			prevAlnum = false
		default:
			r, n := utf8.DecodeRune(v[i:])
			i += n
			prevAlnum = false
			if n != 2 || r == utf8.RuneError {
				s, pend = 0, 0 // invalid bytes and runes outside the BMP
				continue
			}
			c = sym[r] // é, °: two-byte runes in custom keywords
		}
		if c == 0 {
			s, pend = 0, 0
			continue
		}
		switch {
		case s != 0:
			s = a.step(s, c)
		case pend != 0 && a.pairOK(pend, c):
			s, pend = a.step(root[pend], c), 0
		case a.pairFilter:
			if pend != 0 {
				// The pending rune starts nothing with c: read c again from
				// the top, where the fast skips can take it and what follows.
				pend, i, prevAlnum = 0, start, prevBefore
				continue
			}
			if root[c] != 0 {
				pend = c
			}
			continue // no pattern is one rune long: nothing can end here
		default:
			s = root[c]
		}
		if s != 0 {
			if lo, hi := a.outOff[s], a.outOff[s+1]; lo < hi {
				for _, p := range a.out[lo:hi] {
					hits = append(hits, Hit{Start: int32(i) - a.patLen[p], End: int32(i), Pat: p})
				}
			}
		}
	}
	return hits
}
