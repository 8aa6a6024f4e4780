//go:build amd64 && !purego

package sensitive

import "golang.org/x/sys/cpu"

// sepsAVX2 is sepsOf for values of 32 bytes or more, 32 bytes a step (the
// last step overlaps the one before). Needs AVX2.
//
//go:noescape
func sepsAVX2(v []byte) sepSet

// longSeps calls sepsVector for values over sepsMax bytes only: a
// compile-time check that those have the 32 bytes sepsAVX2 needs.
const _ = uint(sepsMax + 1 - 32)

// sepsVector finds the separators of a long value with vector
// instructions: sepsAVX2 where the CPU has AVX2 and the OS saves the YMM
// registers, else nil.
var sepsVector = func() func([]byte) sepSet {
	if cpu.X86.HasAVX2 {
		return sepsAVX2
	}
	return nil
}()

// cellMasksAVX2 is cellMasksGo with AVX2, 32 bytes a step, and its own
// copy (no call to memmove, and no registers saved around one). Needs
// AVX2 (haveCellAVX2).
//
//go:noescape
func cellMasksAVX2(v []byte, buf *[128]byte, m *cellBits)

// haveCellAVX2: the CPU has AVX2 and the OS saves the YMM registers.
var haveCellAVX2 = cpu.X86.HasAVX2
