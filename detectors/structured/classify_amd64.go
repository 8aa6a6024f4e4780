//go:build amd64 && !purego

package structured

import "golang.org/x/sys/cpu"

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

// haveAVX2 reports whether the CPU has AVX2 and the OS saves the YMM
// registers; classify64's assembly reads it.
var haveAVX2 = cpu.X86.HasAVX2
