//go:build amd64 && !purego

package ac

import "golang.org/x/sys/cpu"

// skipWords32 is skipWords32Go with AVX2: a block's letters and digits are
// classified at once, and the tri probes of its word starts run from a bit
// mask without a loop over eight-byte steps. Needs AVX2 (haveWords32).
//
//go:noescape
func skipWords32(v []byte, i int, prev uint64, tri *[triBits / 64]uint64) int

// haveWords32: the CPU has AVX2 and the OS saves the YMM registers.
var haveWords32 = cpu.X86.HasAVX2
