//go:build !amd64 || purego

package ff1

import (
	"crypto/aes"
	"encoding/binary"
)

// encrypt encrypts the block hi || lo (big-endian words) through the
// cipher.Block: the portable twin of the amd64 assembly, which the tests
// compare with crypto/aes. crypt does not use it (fastAES is nil here).
func (a *aesBlock) encrypt(hi, lo uint64) (uint64, uint64) {
	var b [blockSize]byte
	binary.BigEndian.PutUint64(b[:8], hi)
	binary.BigEndian.PutUint64(b[8:], lo)
	a.Block.Encrypt(b[:], b[:])
	return binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])
}

// feistelLanes runs FF1's ten encryption rounds on the four lanes st,
// lane k with the round keys rk[k]: the portable twin of the amd64
// assembly (Batch does not call it here, fastAES being nil, but the tests
// hold it to the same reference).
func feistelLanes(rk *[BatchLanes]*[240]byte, rounds int, st *[BatchLanes]laneState) {
	for k := range st {
		// The key is the schedule's first Nk = rounds-6 words (FIPS-197).
		c, _ := aes.NewCipher(rk[k][:4*(rounds-6)])
		feistelLane(&st[k], firstWord(c))
	}
}

func fastAES(block any) *aesBlock { return nil }
