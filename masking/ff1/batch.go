package ff1

import (
	"bytes"
	"crypto/cipher"
	"encoding/binary"
	"slices"
)

// BatchLanes is the most encryptions a Batch runs at once.
const BatchLanes = 4

// maxLaneNumerals bounds the strings a Batch takes (PI values are short).
const maxLaneNumerals = 40

// Batch runs the FF1 encryptions of several values at once, their rounds
// side by side. FF1's ten rounds are a chain (each round's block needs the
// last one's result), so one value at a time leaves AES-NI waiting on the
// latency of its rounds (14 AES rounds of about 4 cycles each for
// AES-256), while it could start another AES round every cycle: four
// values take little longer than one.
//
// A Batch is a memo: Add takes a computation, Run computes every one, and
// Lookup hands a result to a caller that asks for the same computation
// (the same Cipher, tweak and numerals) again. A caller first adds the
// encryptions it will need (fpe records them by running its tokenisations
// up to their first FF1 call), runs the batch, and then computes as usual,
// finding the results in the batch. A result is a function of what Lookup
// compares, so a lookup is right whoever added the lane. The order is
// Reset, Add, Run, Lookup: Lookup finds nothing before Run (a lane's
// result would be the last batch's), and Add takes nothing after it
// until Reset (a second Run would encrypt the lanes' results again).
// Add uses a Cipher's scratch as Encrypt does: a Batch and the Ciphers it
// takes belong to one goroutine (deid: one per masking worker).
type Batch struct {
	n     int
	ran   int // the lanes Run computed: 0 before Run, then n; Lookup reads those
	lanes [BatchLanes]lane
	rk    [BatchLanes]*[240]byte
	st    [BatchLanes]laneState
}

type lane struct {
	c     *Cipher
	n, u  int
	tlen  int
	tweak [maxPrepTweak]byte
	x, y  [maxLaneNumerals]uint16 // the input and, after Run, the result
}

// laneState is what feistelLanes reads and writes for a lane (its layout
// is the assembly's).
type laneState struct {
	hi, lo uint64 // the base block (see prepare), big-endian words
	mu, mv uint64 // radix^u, radix^v: even and odd rounds' modulus
	ru, rv uint64 // floor((2^64-1)/mu), floor((2^64-1)/mv), for Barrett
	shift  uint64 // 8·b: the round number's bit offset in lo
	a, b   uint64 // NUM(A), NUM(B): in, then out
}

// Batchable reports whether a Batch takes c's encryptions (some of them:
// see Add): whether c has the direct AES path.
func (c *Cipher) Batchable() bool { return c.aes != nil }

// Reset empties the batch.
func (b *Batch) Reset() { b.n, b.ran = 0, 0 }

// Len is the number of lanes added since the last Reset.
func (b *Batch) Len() int { return b.n }

// Add adds the encryption (enc) of x with tweak by c as a lane, and
// reports whether it did: not when the batch is full or has run, nor for a
// computation a lane does not take (a decryption, c without the direct
// AES path or with another AES key size than the first lane's, a string
// whose halves take more than 32 bits, a long tweak or string, a numeral
// out of range): the caller computes those itself, errors included.
func (b *Batch) Add(c *Cipher, x []uint16, tweak []byte, enc bool) bool {
	n := len(x)
	if !enc || b.n == BatchLanes || b.ran > 0 || c.aes == nil || n >= len(c.shapes) || n > maxLaneNumerals || len(tweak) > maxPrepTweak {
		return false
	}
	if b.n > 0 && c.aes.rounds != b.lanes[0].c.aes.rounds {
		return false
	}
	sh := &c.shapes[n]
	if !sh.known {
		*sh = c.shapeOf(n)
	}
	if sh.short || sh.big || sh.b > 4 {
		return false
	}
	radix := uint64(c.radix)
	for _, d := range x {
		if uint64(d) >= radix {
			return false
		}
	}
	c.prepare(n, sh.u, sh.b, tweak)
	l := &b.lanes[b.n]
	l.c, l.n, l.u, l.tlen = c, n, sh.u, len(tweak)
	copy(l.tweak[:], tweak)
	copy(l.x[:], x)
	b.st[b.n] = laneState{hi: c.baseHi, lo: c.baseLo, mu: sh.mu, mv: sh.mv, ru: sh.ru, rv: sh.rv,
		shift: uint64(8 * sh.b), a: num(x[:sh.u], radix), b: num(x[sh.u:], radix)}
	b.rk[b.n] = &c.aes.rk
	b.n++
	return true
}

// Run computes every lane, once.
func (b *Batch) Run() {
	if b.n == 0 || b.ran > 0 {
		return
	}
	b.ran = b.n
	for k := b.n; k < BatchLanes; k++ {
		b.rk[k], b.st[k] = b.rk[0], b.st[0] // unused lanes repeat the first
	}
	feistelLanes(&b.rk, b.lanes[0].c.aes.rounds, &b.st)
	for k := range b.n {
		l := &b.lanes[k]
		radix := uint64(l.c.radix)
		str(l.y[:l.u], b.st[k].a, radix)
		str(l.y[l.u:l.n], b.st[k].b, radix)
	}
}

// Lookup writes to dst (len(x) numerals; it may alias x) the result of a
// lane that encrypted x with tweak by c (enc; decryptions are never
// lanes), and reports whether there was one: never before Run.
func (b *Batch) Lookup(c *Cipher, dst, x []uint16, tweak []byte, enc bool) bool {
	if !enc || len(dst) != len(x) {
		return false
	}
	for k := range b.ran {
		l := &b.lanes[k]
		if l.c == c && l.n == len(x) && l.tlen == len(tweak) &&
			slices.Equal(l.x[:l.n], x) && bytes.Equal(l.tweak[:l.tlen], tweak) {
			copy(dst, l.y[:l.n])
			return true
		}
	}
	return false
}

// feistelLane is crypt's encryption rounds on one lane, with encrypt
// giving the first word of a round block's encryption: the reference the
// tests hold feistelLanes to.
func feistelLane(s *laneState, encrypt func(hi, lo uint64) uint64) {
	for i := range uint64(rounds) {
		m := s.mu
		if i&1 == 1 {
			m = s.mv
		}
		y := encrypt(s.hi, s.lo^s.b^i<<s.shift) % m
		c := s.a + y
		if s.a >= m-y {
			c = s.a - (m - y)
		}
		s.a, s.b = s.b, c
	}
}

// firstWord returns feistelLane's encrypt over block: the first word of
// the encryption of hi || lo (big-endian words).
func firstWord(block cipher.Block) func(hi, lo uint64) uint64 {
	return func(hi, lo uint64) uint64 {
		var b [blockSize]byte
		binary.BigEndian.PutUint64(b[:8], hi)
		binary.BigEndian.PutUint64(b[8:], lo)
		block.Encrypt(b[:], b[:])
		return binary.BigEndian.Uint64(b[:8])
	}
}
