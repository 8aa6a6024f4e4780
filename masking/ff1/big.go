package ff1

import (
	"encoding/binary"
	"math/big"
)

// cryptBig is SP 800-38G Algorithms 7 and 8 step by step with math/big, for
// strings whose halves do not fit in a uint64. It allocates; the uint64 path
// in crypt covers every PI type piiscan tokenises.
func (c *Cipher) cryptBig(dst, x []uint16, tweak []byte, enc bool) error {
	n := len(x)
	u := n / 2
	v := n - u
	radix := new(big.Int).SetUint64(uint64(c.radix))
	mu := new(big.Int).Exp(radix, big.NewInt(int64(u)), nil)
	mv := new(big.Int).Exp(radix, big.NewInt(int64(v)), nil)
	// ceil(v·log2 radix) = bitlen(radix^v − 1), exactly.
	b := (new(big.Int).Sub(mv, big.NewInt(1)).BitLen() + 7) / 8
	d := 4*((b+3)/4) + 4
	t := len(tweak)

	var p [blockSize]byte
	p[0], p[1], p[2] = 1, 2, 1
	p[3], p[4], p[5] = byte(c.radix>>16), byte(c.radix>>8), byte(c.radix)
	p[6] = 10
	p[7] = byte(u)
	binary.BigEndian.PutUint32(p[8:], uint32(n))
	binary.BigEndian.PutUint32(p[12:], uint32(t))

	pad := ((-t-b-1)%blockSize + blockSize) % blockSize
	q := make([]byte, t+pad+1+b)
	copy(q, tweak)
	s := make([]byte, (d+blockSize-1)/blockSize*blockSize)
	r := make([]byte, blockSize)
	tmp := make([]byte, blockSize)
	nb := make([]byte, b)

	a := numBig(x[:u], radix)
	bb := numBig(x[u:], radix)
	y := new(big.Int)
	cc := new(big.Int)

	prf := func(i int, in *big.Int) {
		q[t+pad] = byte(i)
		in.FillBytes(nb)
		copy(q[t+pad+1:], nb)
		// R = CBC-MAC(P || Q), IV 0.
		copy(r, p[:])
		c.block.Encrypt(r, r)
		for off := 0; off < len(q); off += blockSize {
			for k := range blockSize {
				r[k] ^= q[off+k]
			}
			c.block.Encrypt(r, r)
		}
		// S = R || CIPH(R ⊕ [1]^16) || CIPH(R ⊕ [2]^16) || ...
		copy(s, r)
		for j := 1; j*blockSize < len(s); j++ {
			copy(tmp, r)
			var jb [blockSize]byte
			binary.BigEndian.PutUint64(jb[8:], uint64(j))
			for k := range blockSize {
				tmp[k] ^= jb[k]
			}
			c.block.Encrypt(s[j*blockSize:], tmp)
		}
		y.SetBytes(s[:d])
	}

	if enc {
		for i := range rounds {
			prf(i, bb)
			m := mu
			if i&1 == 1 {
				m = mv
			}
			cc.Add(a, y).Mod(cc, m)
			a, bb, cc = bb, cc, a
		}
	} else {
		for i := rounds - 1; i >= 0; i-- {
			prf(i, a)
			m := mu
			if i&1 == 1 {
				m = mv
			}
			cc.Sub(bb, y).Mod(cc, m) // Mod is Euclidean: non-negative
			bb, a, cc = a, cc, bb
		}
	}
	strBig(dst[:u], a, radix)
	strBig(dst[u:], bb, radix)
	return nil
}

func numBig(x []uint16, radix *big.Int) *big.Int {
	v := new(big.Int)
	d := new(big.Int)
	for _, n := range x {
		v.Mul(v, radix).Add(v, d.SetUint64(uint64(n)))
	}
	return v
}

func strBig(dst []uint16, v, radix *big.Int) {
	v = new(big.Int).Set(v)
	m := new(big.Int)
	for k := len(dst) - 1; k >= 0; k-- {
		v.QuoRem(v, radix, m)
		dst[k] = uint16(m.Uint64())
	}
}
