//go:build amd64 && !purego

package ac

import "golang.org/x/sys/cpu"

// walk32 is walk32Go with AVX2 (masks of a block's bytes) and BMI1/2 (the
// loops over their bits). Needs haveWalk32.
//
//go:noescape
func walk32(v []byte, i int, prev uint64, t *skipTables) (next, stop int)

// haveWalk32: the CPU has AVX2, BMI1 and BMI2 (and the OS saves the YMM
// registers).
var haveWalk32 = cpu.X86.HasAVX2 && cpu.X86.HasBMI1 && cpu.X86.HasBMI2
