package ff1

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
)

// AES returns an AES block cipher for key (16, 24 or 32 bytes). It is
// crypto/aes's, and New recognises it: where the CPU has AES instructions
// (amd64 with AES-NI), a Cipher built on it encrypts its round blocks with
// its own key schedule, in one assembly call per block, instead of through
// the cipher.Block interface, crypto/aes's checks and its dispatch, which
// cost more than the block's 10 to 14 AES rounds themselves (an FF1 token
// of a PI value is about ten blocks). The ciphertexts are the same.
func AES(key []byte) (cipher.Block, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	a := &aesBlock{Block: b, rounds: len(key)/4 + 6}
	expandKey(&a.rk, key)
	return a, nil
}

// aesBlock is crypto/aes's block with the encryption key schedule: the
// (rounds+1) round keys, 16 bytes each, in FIPS-197 byte order, as AES-NI
// takes them.
type aesBlock struct {
	cipher.Block
	rounds int
	rk     [240]byte
}

// expandKey writes the AES key schedule of key (FIPS-197 §5.2) to rk.
func expandKey(rk *[240]byte, key []byte) {
	var sbox [256]byte
	// The S-box: the inverse in GF(2^8) (p and q walk the group by 3 and
	// 1/3), then the affine map.
	p, q := byte(1), byte(1)
	for {
		hi := p >> 7
		p ^= p<<1 ^ hi*0x1B
		q ^= q << 1
		q ^= q << 2
		q ^= q << 4
		if q&0x80 != 0 {
			q ^= 0x09
		}
		sbox[p] = q ^ rotl8(q, 1) ^ rotl8(q, 2) ^ rotl8(q, 3) ^ rotl8(q, 4) ^ 0x63
		if p == 1 {
			break
		}
	}
	sbox[0] = 0x63
	sub := func(w uint32) uint32 {
		return uint32(sbox[w>>24])<<24 | uint32(sbox[w>>16&0xFF])<<16 | uint32(sbox[w>>8&0xFF])<<8 | uint32(sbox[w&0xFF])
	}

	nk := len(key) / 4
	n := 4 * (nk + 7) // 4·(rounds+1) words
	var w [60]uint32
	for i := range nk {
		w[i] = binary.BigEndian.Uint32(key[4*i:])
	}
	rcon := uint32(1)
	for i := nk; i < n; i++ {
		t := w[i-1]
		switch {
		case i%nk == 0:
			t = sub(t<<8|t>>24) ^ rcon<<24
			rcon <<= 1
			if rcon&0x100 != 0 {
				rcon ^= 0x11B
			}
		case nk > 6 && i%nk == 4:
			t = sub(t)
		}
		w[i] = w[i-nk] ^ t
	}
	for i := range n {
		binary.BigEndian.PutUint32(rk[4*i:], w[i])
	}
}

func rotl8(x byte, k uint) byte { return x<<k | x>>(8-k) }
