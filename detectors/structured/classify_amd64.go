//go:build amd64 && !purego

package structured

// classify64 returns the ASCII digits and letters of p as bit masks: bit k
// for p[k]. It jumps to classify64AVX2 where the CPU has AVX2, else to
// classify64SSE2 (every amd64 CPU has SSE2); classifyWords is the same in
// portable Go.
//
//go:noescape
func classify64(p *[64]byte) (digit, letter uint64)

//go:noescape
func classify64SSE2(p *[64]byte) (digit, letter uint64)

//go:noescape
func classify64AVX2(p *[64]byte) (digit, letter uint64)

func cpuid(op, op2 uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax uint32)

// haveAVX2 reports whether the CPU has AVX2 and the OS saves the YMM
// registers (as internal/utf8x checks for its validator).
var haveAVX2 = func() bool {
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
}()
