package ac

// The block walk: skipTokens' walk over 32 bytes at a time from bit masks
// of the block's bytes (lead bytes of 3-byte runes, continuation bytes,
// letters and digits), found with vector instructions (walk32_amd64.s).
// The per-token work of walk (which kind, how far to step, the word-start
// arithmetic of an ASCII step) becomes mask arithmetic once per block;
// what is left per token is the probe itself, taken from the masks' bits:
// raw for each 3-byte rune (then pairMayStart, in line), tri for each word
// start but one with a digit that starts no pattern (quietDigits: numbers
// are most of the words in text; walk probes them too). It stops where
// skipTokens would (but at a word whose digit starts no pattern, which
// only a collision in tri stops walk at): at a rune whose key is in raw
// and that pairMayStart lets through, a word start whose three bytes are
// in tri, or a byte that is neither ASCII nor in a 3-byte rune (all
// stopCand), and when fewer than walkNeed bytes are left from a block's
// start, it takes one more block ending eight bytes before the end, then
// the last eight bytes read zero-padded in registers, as skipTail reads
// them (stopNone: no candidate up to the end).
//
// Measured (README, seventh round): fewer instructions than walk on every
// kind of text, and less time on the engine's mixed text and on ASCII,
// but more time on lines of Chinese prose without digits (~1.2× walk's
// on lines of ~120 bytes, ~1.06× on lines of ~1 KB): walk's loop over a
// run of runes is predicted perfectly, while each block's loops over
// mask bits end with a mispredicted branch, and each value pays the
// kernel's entry and its last two blocks.

const (
	walkBlock = 32
	// walkNeed: a block's probes read eight bytes at each of its 32
	// positions, and its masks look three bytes past it.
	walkNeed = walkBlock + 8

	stopMore = 4 // fewer than walkNeed bytes from i: walk goes on from there
	stopNone = 5 // no candidate up to the end
)

// walk32Go is the block walk's portable twin and the reference of the
// vector kernel: from v[i] (a token's start; prev 0x80 when v[i-1] is
// alphanumeric; walkNeed bytes or more from i, else it returns (i,
// stopMore) at once) it looks at the tokens of v byte by byte, as the
// kernel does in blocks: up to eight bytes before the end as walk does,
// then the last ones as skipTail does (read zero-padded, the last rune
// not looked at, pairMayStart letting every rune through). It returns
// where it stopped (stopCand), or len(v) and stopNone.
func walk32Go(v []byte, i int, prev uint64, t *skipTables) (next, stop int) {
	if i+walkNeed > len(v) {
		return i, stopMore
	}
	pad := append(v[:len(v):len(v)], make([]byte, 8)...) // skipTail's zero padding
	cov := 0                                             // continuation bytes of the last rune still ahead
	alnum := prev != 0
	for j := i; j < len(v); j++ {
		b := v[j]
		if cov > 0 {
			cov--
			continue
		}
		if b&0xF0 == 0xE0 && pad[j+1]&0xC0 == 0x80 && pad[j+2]&0xC0 == 0x80 {
			x := load64(pad, j)
			key := x & 0xFFFFFFFF
			if x>>28&0xF == 0xE {
				key = x & 0xFFFFFFFFFFFF // as rawKey: a 3-byte rune follows
			}
			if h := rawHash(key); j+3 < len(v) && t.raw[h>>6]&(1<<(h&63)) != 0 && t.pairMayStart(v, j, x) {
				return j, stopCand
			}
			cov, alnum = 2, false
			continue
		}
		if b >= 0x80 {
			return j, stopCand
		}
		a := isAlnum(b)
		if a && !alnum && !(b-'0' < 10 && t.quietDigits[b-'0'] != 0) {
			if h := triHash(load64(pad, j)); t.tri[h>>6]&(1<<(h&63)) != 0 {
				return j, stopCand
			}
		}
		alnum = a
	}
	return len(v), stopNone
}

// blockWalk: skipTokens walks blocks with the kernel. A variable so that
// tests can compare it with walk alone.
var blockWalk = haveWalk32
