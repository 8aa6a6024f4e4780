//go:build !amd64 || purego

package ff1

import "encoding/binary"

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

func fastAES(block any) *aesBlock { return nil }
