//go:build amd64 && !purego

package utf8x

// validAVX2 checks p in blocks of 32 bytes with the Keiser–Lemire lookup
// algorithm and returns where it stopped, a multiple of 32: the first
// block with an error, or the end of the last whole block. The bytes before
// are valid UTF-8 but for a character begun in their last three bytes,
// which the caller checks from its start (see start). Needs AVX2.
//
//go:noescape
func validAVX2(p []byte) int

func cpuid(op, op2 uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax uint32)

// haveAVX2 reports whether the CPU has AVX2 and the OS saves the YMM
// registers.
func haveAVX2() bool {
	max, _, _, _ := cpuid(0, 0)
	if max < 7 {
		return false
	}
	_, _, ecx, _ := cpuid(1, 0)
	const osxsave, avx = 1 << 27, 1 << 28
	if ecx&osxsave == 0 || ecx&avx == 0 || xgetbv()&6 != 6 {
		return false
	}
	_, ebx, _, _ := cpuid(7, 0)
	return ebx&(1<<5) != 0
}

// vector checks p's whole 32-byte blocks and returns where it stopped, as
// validAVX2 does; nil without AVX2.
var vector = func() func([]byte) int {
	if haveAVX2() {
		return validAVX2
	}
	return nil
}()
