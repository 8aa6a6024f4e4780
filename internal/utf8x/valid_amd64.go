//go:build amd64 && !purego

package utf8x

import "golang.org/x/sys/cpu"

// validAVX2 checks p in blocks of 32 bytes with the Keiser–Lemire lookup
// algorithm and returns where it stopped, a multiple of 32: the first
// block with an error, or the end of the last whole block. The bytes before
// are valid UTF-8 but for a character begun in their last three bytes,
// which the caller checks from its start (see start). Needs AVX2.
//
//go:noescape
func validAVX2(p []byte) int

// vector checks p's whole 32-byte blocks and returns where it stopped, as
// validAVX2 does; nil without AVX2.
var vector = func() func([]byte) int {
	if cpu.X86.HasAVX2 { // AVX2, and the OS saves the YMM registers
		return validAVX2
	}
	return nil
}()
