//go:build amd64 && !purego

package ff1

import "golang.org/x/sys/cpu"

// encryptWords encrypts the block whose bytes are hi and lo, big-endian,
// with the round keys rk (rounds 10, 12 or 14), and returns the result the
// same way. Needs AES-NI, SSE4.1 and AVX (haveAESNI).
//
//go:noescape
func encryptWords(rk *[240]byte, rounds int, hi, lo uint64) (uint64, uint64)

// feistelLanes runs FF1's ten encryption rounds on the four lanes st,
// lane k with the round keys rk[k] (rounds 10, 12 or 14 for all). Needs
// what encryptWords needs.
//
//go:noescape
func feistelLanes(rk *[BatchLanes]*[240]byte, rounds int, st *[BatchLanes]laneState)

var haveAESNI = cpu.X86.HasAES && cpu.X86.HasSSE41 && cpu.X86.HasAVX

// encrypt encrypts the block hi || lo (big-endian words).
func (a *aesBlock) encrypt(hi, lo uint64) (uint64, uint64) {
	return encryptWords(&a.rk, a.rounds, hi, lo)
}

// fastAES returns block as the aesBlock whose round blocks crypt encrypts
// with encrypt, or nil: without AES-NI, crypto/aes (through the
// interface) is as fast as anything here.
func fastAES(block any) *aesBlock {
	if a, ok := block.(*aesBlock); ok && haveAESNI {
		return a
	}
	return nil
}
