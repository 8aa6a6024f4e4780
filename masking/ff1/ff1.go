// Package ff1 implements the FF1 format-preserving encryption mode of NIST
// SP 800-38G over any 128-bit block cipher (AES-128/192/256, SM4, ...).
//
// Plaintexts and ciphertexts are numeral strings: slices of uint16 numerals,
// each below the radix (2 ≤ radix ≤ 2^16). When radix^ceil(n/2) fits in a
// uint64 (radix 10: up to 38 numerals; radix 36: up to 24) the Feistel rounds
// run on two machine words and allocate nothing; longer strings fall back to
// math/big, which is correct but allocates.
//
// A Cipher keeps scratch buffers: it is not safe for concurrent use. Clone
// gives each goroutine its own (the block cipher is shared; crypto/aes and
// gmsm/sm4 blocks are safe for concurrent use).
package ff1

import (
	"bytes"
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
)

const (
	rounds    = 10
	blockSize = 16
	maxRadix  = 1 << 16
	// minDomain is the smallest radix^n SP 800-38G (2016) admits. Callers
	// wanting the Rev. 1 bound of 10^6 check it themselves.
	minDomain = 100
)

var (
	// ErrNumeral means a numeral is not below the radix.
	ErrNumeral = errors.New("ff1: numeral out of range for radix")
	// ErrLength means the string is too short for the radix (radix^n < 100 or n < 2).
	ErrLength = errors.New("ff1: numeral string too short for radix")
)

// Cipher is FF1 with one block cipher and one radix.
type Cipher struct {
	block cipher.Block
	radix uint32
	// aes is block when it is AES (the AES function) and the CPU lets
	// crypt encrypt the round blocks directly: nil otherwise.
	aes *aesBlock

	// Scratch kept on the heap with the Cipher: slices handed to the
	// cipher.Block interface escape, so stack arrays would be allocated per
	// call.
	st   [blockSize]byte // CBC-MAC state after P and the constant part of Q
	blk  [blockSize]byte // last block of Q for the current round
	r    [blockSize]byte // PRF output
	last [blockSize]byte // constant bytes of Q's last block

	// base = st ⊕ last as two big-endian words: a round's block is base with
	// [i] and NUM(B) xored into their slots.
	baseHi, baseLo uint64

	shapes [40]shape // by length; zero until used

	// Recent (P, tweak) pairs and their base words: values of one column
	// share a few tweaks (a mobile's segment, a card's BIN, an ID's region
	// and decade), and a hit saves the CBC-MAC over P and the tweak, two or
	// more of the dozen block encryptions of a short value.
	prep [prepSlots]prepSlot
}

const (
	prepSlots    = 64 // a power of two
	maxPrepTweak = 48 // longer tweaks are not cached
)

type prepSlot struct {
	ok             bool
	tlen           uint8
	p              [blockSize]byte
	tweak          [maxPrepTweak]byte
	baseHi, baseLo uint64
}

// prepSlotOf picks the cache slot of (p, tweak), len(tweak) ≤ maxPrepTweak.
func prepSlotOf(p *[blockSize]byte, tweak []byte) int {
	const m = 0x9E3779B97F4A7C15
	h := (binary.LittleEndian.Uint64(p[:8]) ^ binary.LittleEndian.Uint64(p[8:])) * m
	for ; len(tweak) >= 8; tweak = tweak[8:] {
		h = (h ^ binary.LittleEndian.Uint64(tweak)) * m
	}
	for _, b := range tweak {
		h = (h ^ uint64(b)) * m
	}
	return int(h >> 58 & (prepSlots - 1))
}

// New returns FF1 over block for numerals of the given radix.
func New(block cipher.Block, radix int) (*Cipher, error) {
	if block.BlockSize() != blockSize {
		return nil, fmt.Errorf("ff1: block size %d, want %d", block.BlockSize(), blockSize)
	}
	if radix < 2 || radix > maxRadix {
		return nil, fmt.Errorf("ff1: radix %d outside [2, 65536]", radix)
	}
	return &Cipher{block: block, radix: uint32(radix), aes: fastAES(block)}, nil
}

// Clone returns a Cipher sharing the block cipher but with its own scratch,
// for use on another goroutine.
func (c *Cipher) Clone() *Cipher { return &Cipher{block: c.block, radix: c.radix, aes: c.aes} }

// Radix is the radix the Cipher was built for.
func (c *Cipher) Radix() int { return int(c.radix) }

// Encrypt writes FF1.Encrypt(x, tweak) to dst, which must have len(x)
// numerals and may alias x.
func (c *Cipher) Encrypt(dst, x []uint16, tweak []byte) error {
	return c.crypt(dst, x, tweak, true)
}

// Decrypt writes FF1.Decrypt(x, tweak) to dst, which must have len(x)
// numerals and may alias x.
func (c *Cipher) Decrypt(dst, x []uint16, tweak []byte) error {
	return c.crypt(dst, x, tweak, false)
}

// pow returns radix^m and whether it fits in a uint64.
func pow(radix uint64, m int) (uint64, bool) {
	p := uint64(1)
	for range m {
		hi, lo := bits.Mul64(p, radix)
		if hi != 0 {
			return 0, false
		}
		p = lo
	}
	return p, true
}

// domainOK reports radix^n ≥ 100 without overflow.
func domainOK(radix uint64, n int) bool {
	p := uint64(1)
	for range n {
		p *= radix
		if p >= minDomain {
			return true
		}
	}
	return false
}

func (c *Cipher) crypt(dst, x []uint16, tweak []byte, enc bool) error {
	n := len(x)
	if len(dst) != n {
		return fmt.Errorf("ff1: dst has %d numerals, want %d", len(dst), n)
	}
	var sh *shape
	if n < len(c.shapes) {
		sh = &c.shapes[n]
		if !sh.known {
			*sh = c.shapeOf(n)
		}
	} else {
		s := c.shapeOf(n)
		sh = &s
	}
	if sh.short {
		return ErrLength
	}
	radix := uint64(c.radix)
	for _, d := range x {
		if uint64(d) >= radix {
			return ErrNumeral
		}
	}
	if sh.big {
		return c.cryptBig(dst, x, tweak, enc)
	}
	u, b, mu, mv := sh.u, sh.b, sh.mu, sh.mv

	c.prepare(n, u, b, tweak)

	// The rounds, inlined: round i's PRF input is base with i and NUM(B)
	// xored into the last block's low bytes (see prepare); y is the first
	// d bytes of its encryption as a number, d = 8 for b ≤ 4, else 12.
	// Decryption runs the rounds backwards with A and B's roles swapped.
	hi0, lo0 := c.baseHi, c.baseLo
	ishift := uint(8 * b) // i's byte sits just above NUM(B)'s b bytes
	wide := b > 4
	a := num(x[:u], radix)
	bb := num(x[u:], radix)
	for k := range rounds {
		i, nb := k, bb
		if !enc {
			i, nb = rounds-1-k, a
		}
		m := mu
		if i&1 == 1 {
			m = mv
		}
		hi, lo := hi0, lo0^nb
		if b < 8 {
			lo ^= uint64(i) << ishift
		} else {
			hi ^= uint64(i)
		}
		var rhi, rlo uint64
		if c.aes != nil {
			rhi, rlo = c.aes.encrypt(hi, lo)
		} else {
			rhi, rlo = c.encryptBlock(hi, lo)
		}
		var y uint64
		if wide { // the first 12 bytes
			y = bits.Rem64(rhi>>32, rhi<<32|rlo>>32, m)
		} else {
			y = rhi % m
		}
		var cc uint64
		if enc {
			// (A + y) mod m without overflowing when m > 2^63.
			if a >= m-y {
				cc = a - (m - y)
			} else {
				cc = a + y
			}
			a, bb = bb, cc
		} else {
			if bb >= y {
				cc = bb - y
			} else {
				cc = m - (y - bb)
			}
			bb, a = a, cc
		}
	}
	str(dst[:u], a, radix)
	str(dst[u:], bb, radix)
	return nil
}

// encryptBlock encrypts the block hi || lo (big-endian words) through the
// cipher.Block interface.
func (c *Cipher) encryptBlock(hi, lo uint64) (uint64, uint64) {
	binary.BigEndian.PutUint64(c.blk[:8], hi)
	binary.BigEndian.PutUint64(c.blk[8:], lo)
	c.block.Encrypt(c.r[:], c.blk[:])
	return binary.BigEndian.Uint64(c.r[:8]), binary.BigEndian.Uint64(c.r[8:])
}

// shape is what crypt derives from the length of a string, kept per length
// (shapes) for the short strings PI values are.
type shape struct {
	known  bool // computed (shapes start zero)
	short  bool // radix^n < minDomain or n < 2: ErrLength
	big    bool // radix^v overflows a uint64: cryptBig
	u, b   int
	mu, mv uint64
	ru, rv uint64 // floor((2^64-1)/mu), floor((2^64-1)/mv): a Batch's Barrett reciprocals
}

func (c *Cipher) shapeOf(n int) shape {
	radix := uint64(c.radix)
	sh := shape{known: true, u: n / 2}
	v := n - sh.u
	var ok bool
	sh.mv, ok = pow(radix, v)
	switch {
	case n < 2 || !domainOK(radix, n):
		sh.short = true
	case !ok || uint64(n) > 1<<32-1:
		sh.big = true
	default:
		sh.mu, _ = pow(radix, sh.u)
		sh.ru, sh.rv = ^uint64(0)/sh.mu, ^uint64(0)/sh.mv
		sh.b = (bits.Len64(sh.mv-1) + 7) / 8 // ceil(ceil(v·log2 radix)/8), exact
	}
	return sh
}

// prepare computes the CBC-MAC state over P and every block of Q except the
// last, and the constant bytes of Q's last block. Q = T || 0^pad || [i] ||
// [NUM(B)]^b with 1+b ≤ 9, so only the last block changes between rounds.
func (c *Cipher) prepare(n, u, b int, tweak []byte) {
	t := len(tweak)
	var p [blockSize]byte
	p[0], p[1], p[2] = 1, 2, 1
	p[3], p[4], p[5] = byte(c.radix>>16), byte(c.radix>>8), byte(c.radix)
	p[6] = 10
	p[7] = byte(u)
	binary.BigEndian.PutUint32(p[8:], uint32(n))
	binary.BigEndian.PutUint32(p[12:], uint32(t))
	var slot *prepSlot
	if t <= maxPrepTweak {
		slot = &c.prep[prepSlotOf(&p, tweak)]
		if slot.ok && slot.p == p && int(slot.tlen) == t && bytes.Equal(slot.tweak[:t], tweak) {
			c.baseHi, c.baseLo = slot.baseHi, slot.baseLo
			return
		}
	}
	c.st = p
	c.block.Encrypt(c.st[:], c.st[:])

	pad := ((-t-b-1)%blockSize + blockSize) % blockSize
	qlen := t + pad + 1 + b
	// T || zeros, block by block, up to the last block.
	for off := 0; off+blockSize < qlen; off += blockSize {
		for k := range blockSize {
			if off+k < t {
				c.st[k] ^= tweak[off+k]
			}
		}
		c.block.Encrypt(c.st[:], c.st[:])
	}
	c.last = [blockSize]byte{}
	base := qlen - blockSize
	for k := 0; k < blockSize-1-b; k++ {
		if base+k < t {
			c.last[k] = tweak[base+k]
		}
	}
	c.baseHi = binary.BigEndian.Uint64(c.st[:8]) ^ binary.BigEndian.Uint64(c.last[:8])
	c.baseLo = binary.BigEndian.Uint64(c.st[8:]) ^ binary.BigEndian.Uint64(c.last[8:])
	if slot != nil {
		slot.ok, slot.p, slot.tlen, slot.baseHi, slot.baseLo = true, p, uint8(t), c.baseHi, c.baseLo
		copy(slot.tweak[:], tweak)
	}
}

func num(x []uint16, radix uint64) uint64 {
	var v uint64
	for _, d := range x {
		v = v*radix + uint64(d)
	}
	return v
}

func str(dst []uint16, v, radix uint64) {
	if radix == 10 { // a constant divisor compiles to a multiply
		for k := len(dst) - 1; k >= 0; k-- {
			dst[k] = uint16(v % 10)
			v /= 10
		}
		return
	}
	for k := len(dst) - 1; k >= 0; k-- {
		dst[k] = uint16(v % radix)
		v /= radix
	}
}
