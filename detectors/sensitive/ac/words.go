package ac

import "math/bits"

// wordsBlock is how many bytes the word kernel steps over at a time, and
// wordsNeed how many it needs from a block's start: skipWords' four
// eight-byte steps over the block each need sixteen bytes from their start.
const (
	wordsBlock = 32
	wordsNeed  = wordsBlock + 8
)

// skipWords32Go returns how many bytes from v[i:] skipWords would step
// over in whole blocks of wordsBlock ASCII bytes whose word starts (given
// prev, 0x80 when v[i-1] is alphanumeric) are not in tri, while wordsNeed
// bytes are left from a block's start: a multiple of wordsBlock, or, when
// the first block that is not all ASCII has no word start in tri before
// its first non-ASCII byte, where that byte is (skipWords stops there
// too). It is the portable twin of the vector kernel (words_amd64.s) and
// its reference.
func skipWords32Go(v []byte, i int, prev uint64, tri *[triBits / 64]uint64) int {
	n := 0
	for i+n+wordsNeed <= len(v) {
		p := prev
		for k := 0; k < wordsBlock; k += 8 {
			x := load64(v, i+n+k)
			lim := 8 // bytes before the first non-ASCII one
			if hi := x & msb; hi != 0 {
				lim = bits.TrailingZeros64(hi) >> 3
				if k+lim == 0 {
					return n
				}
			}
			al := alnumMask(x)
			ws := al &^ (al<<8 | p)
			ws &= ^uint64(0) >> ((64 - 8*lim) & 63)
			if lim == 0 {
				ws = 0
			}
			for ; ws != 0; ws &= ws - 1 {
				j := i + n + k + bits.TrailingZeros64(ws)>>3
				t := triHash(load64(v, j))
				if tri[t>>6]&(1<<(t&63)) != 0 {
					return n
				}
			}
			if lim < 8 {
				return n + k + lim
			}
			p = al >> 56 & 0x80
		}
		n += wordsBlock
		prev = p
	}
	// Fewer than wordsNeed bytes left: the kernel looks at them through a
	// window of wordsBlock bytes, at i+n when more are left, else ending
	// at len(v) (none when v is shorter). Up to a non-ASCII byte, a word
	// start with three bytes left is probed; one with fewer starts nothing.
	for {
		s := i + n
		if s == len(v) {
			return n
		}
		w := s
		if len(v)-s <= wordsBlock {
			w = len(v) - wordsBlock
			if w < 0 {
				return n
			}
		}
		end := w + wordsBlock
		p := prev
		for q := s; q < end; q++ {
			if v[q] >= 0x80 {
				return n + q - s
			}
			al := uint64(0)
			if isAlnum(v[q]) {
				al = 0x80
			}
			if al != 0 && p == 0 && q+3 <= len(v) {
				if t := triHash(uint64(v[q]) | uint64(v[q+1])<<8 | uint64(v[q+2])<<16); tri[t>>6]&(1<<(t&63)) != 0 {
					return n
				}
			}
			p = al
		}
		n += end - s
		prev = p
	}
}
