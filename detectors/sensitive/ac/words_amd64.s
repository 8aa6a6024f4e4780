//go:build amd64 && !purego

#include "textflag.h"

DATA wZero<>+0x00(SB)/8, $0x3030303030303030
DATA wZero<>+0x08(SB)/8, $0x3030303030303030
DATA wZero<>+0x10(SB)/8, $0x3030303030303030
DATA wZero<>+0x18(SB)/8, $0x3030303030303030
GLOBL wZero<>(SB), RODATA|NOPTR, $32

DATA wNine<>+0x00(SB)/8, $0x0909090909090909
DATA wNine<>+0x08(SB)/8, $0x0909090909090909
DATA wNine<>+0x10(SB)/8, $0x0909090909090909
DATA wNine<>+0x18(SB)/8, $0x0909090909090909
GLOBL wNine<>(SB), RODATA|NOPTR, $32

DATA wFold<>+0x00(SB)/8, $0x2020202020202020
DATA wFold<>+0x08(SB)/8, $0x2020202020202020
DATA wFold<>+0x10(SB)/8, $0x2020202020202020
DATA wFold<>+0x18(SB)/8, $0x2020202020202020
GLOBL wFold<>(SB), RODATA|NOPTR, $32

DATA wLowA<>+0x00(SB)/8, $0x6161616161616161
DATA wLowA<>+0x08(SB)/8, $0x6161616161616161
DATA wLowA<>+0x10(SB)/8, $0x6161616161616161
DATA wLowA<>+0x18(SB)/8, $0x6161616161616161
GLOBL wLowA<>(SB), RODATA|NOPTR, $32

DATA wAZ<>+0x00(SB)/8, $0x1919191919191919
DATA wAZ<>+0x08(SB)/8, $0x1919191919191919
DATA wAZ<>+0x10(SB)/8, $0x1919191919191919
DATA wAZ<>+0x18(SB)/8, $0x1919191919191919
GLOBL wAZ<>(SB), RODATA|NOPTR, $32

// func skipWords32(v []byte, i int, prev uint64, tri *[triBits / 64]uint64) int
//
// SI is the block, DX the end of v, BX the bytes skipped, R8 1 when the
// byte before the block is alphanumeric, R13 triHash's multiplier. Per
// block: CX the bytes before its first non-ASCII byte (all when none;
// none there → stop); R9 its letters and digits (bit k: byte k), R10 its
// word starts among CX, each probed in tri as triHash does (its first
// three bytes, the 0x20 bit set). A block with a non-ASCII byte and no
// probe in tri ends the walk at that byte.
TEXT ·skipWords32(SB), NOSPLIT, $0-56
	MOVQ v_base+0(FP), SI
	MOVQ v_len+8(FP), DX
	ADDQ SI, DX
	ADDQ i+24(FP), SI
	MOVQ prev+32(FP), R8
	SHRQ $7, R8
	MOVQ tri+40(FP), DI
	XORQ BX, BX
	MOVQ $0x9E3779B97F4A7C15, R13

block:
	LEAQ 40(SI), AX
	CMPQ AX, DX
	JHI  tail
	VMOVDQU (SI), Y0
	VPMOVMSKB Y0, AX
	MOVL $-1, CX
	TESTL AX, AX
	JZ   classify
	BSFL AX, AX // the first non-ASCII byte
	JZ   done   // (not reached: AX ≠ 0)
	TESTL AX, AX
	JZ   done   // at the block's start: skipWords stops there
	MOVL AX, CX
	MOVL $1, AX
	SHLL CX, AX
	LEAL -1(AX), CX // the bytes before it

classify:
	VPSUBB wZero<>(SB), Y0, Y1
	VPMINUB wNine<>(SB), Y1, Y2
	VPCMPEQB Y1, Y2, Y2 // digits
	VPOR wFold<>(SB), Y0, Y3
	VPSUBB wLowA<>(SB), Y3, Y3
	VPMINUB wAZ<>(SB), Y3, Y4
	VPCMPEQB Y3, Y4, Y4 // letters
	VPOR Y2, Y4, Y4
	VPMOVMSKB Y4, R9
	MOVL R9, R10
	SHLL $1, R10
	ORL  R8, R10
	NOTL R10
	ANDL R9, R10 // word starts
	ANDL CX, R10 // before a non-ASCII byte
	JZ   next

start:
	BSFL R10, R11
	MOVL (SI)(R11*1), R12
	ORL  $0x202020, R12
	ANDL $0xFFFFFF, R12
	IMULQ R13, R12
	SHRQ $52, R12
	MOVQ R12, R14
	SHRQ $6, R14
	MOVQ (DI)(R14*8), R14
	BTQ  R12, R14
	JCS  done
	LEAL -1(R10), R15
	ANDL R15, R10
	JNZ  start

next:
	CMPL CX, $-1
	JNE  partial
	MOVL R9, R8
	SHRL $31, R8
	ADDQ $32, SI
	ADDQ $32, BX
	JMP  block

partial:
	NOTL CX
	BSFL CX, CX
	ADDQ CX, BX // up to the non-ASCII byte
	JMP  done

// Fewer than 40 bytes left at SI: a window of 32 bytes, R15, at SI when
// more than 32 are left, else ending at DX (when v has 32 bytes there);
// CX the offset of SI in it. Its bytes from SI up to a non-ASCII byte are
// looked at as in a block; a word start with fewer than three bytes left
// starts nothing (every pattern starting with ASCII has three or more),
// and the others are read three bytes at a time, not four, so that no
// read passes DX. R11: how far the window takes SI.
tail:
	MOVQ DX, AX
	SUBQ SI, AX
	JZ   done
	CMPQ AX, $32
	JHI  first
	LEAQ -32(DX), R15
	MOVQ v_base+0(FP), R12
	CMPQ R15, R12
	JCS  done
	MOVL $32, CX
	SUBL AX, CX
	JMP  window

first:
	MOVQ SI, R15
	XORL CX, CX

window:
	MOVL $-1, R10
	SHLL CX, R10 // from SI on
	VMOVDQU (R15), Y0
	VPMOVMSKB Y0, AX
	ANDL R10, AX
	JZ   quiet
	BSFL AX, AX
	CMPL AX, CX
	JEQ  done // a non-ASCII byte at SI
	MOVL AX, R11
	SUBL CX, R11
	XORL R9, R9
	BTSL AX, R9 // 1<<k (a shift would need CX, which holds the offset)
	JMP  limit

quiet:
	MOVL $32, R11
	SUBL CX, R11
	XORL R9, R9 // no non-ASCII byte: no bound from it

limit:
	// R10 &= below the non-ASCII byte (R9 = 1<<k, or 0 when none).
	TESTL R9, R9
	JZ   prevbit
	DECL R9
	ANDL R9, R10

prevbit:
	// R12: bit j set when byte j-1 of the window is alphanumeric, with the
	// byte before SI taken from R8 (bit CX).
	VPSUBB wZero<>(SB), Y0, Y1
	VPMINUB wNine<>(SB), Y1, Y2
	VPCMPEQB Y1, Y2, Y2 // digits
	VPOR wFold<>(SB), Y0, Y3
	VPSUBB wLowA<>(SB), Y3, Y3
	VPMINUB wAZ<>(SB), Y3, Y4
	VPCMPEQB Y3, Y4, Y4 // letters
	VPOR Y2, Y4, Y4
	VPMOVMSKB Y4, R9
	MOVL R9, R12
	SHLL $1, R12
	MOVL $1, R14
	SHLL CX, R14
	NOTL R14
	ANDL R14, R12
	MOVL R8, R14
	SHLL CX, R14
	ORL  R14, R12
	NOTL R12
	ANDL R9, R12
	ANDL R12, R10 // word starts from SI on
	// Only those with three bytes left: j ≤ DX-R15-3.
	MOVQ DX, CX
	SUBQ R15, CX
	SUBQ $3, CX
	CMPQ CX, $31
	JCC  probe
	MOVL $2, R14
	SHLL CX, R14
	DECL R14
	ANDL R14, R10

probe:
	TESTL R10, R10
	JZ   advance

tstart:
	BSFL R10, CX
	MOVWLZX (R15)(CX*1), R12
	MOVBLZX 2(R15)(CX*1), R14
	SHLL $16, R14
	ORL  R14, R12
	ORL  $0x202020, R12
	IMULQ R13, R12
	SHRQ $52, R12
	MOVQ R12, R14
	SHRQ $6, R14
	MOVQ (DI)(R14*8), R14
	BTQ  R12, R14
	JCS  done
	LEAL -1(R10), R14
	ANDL R14, R10
	JNZ  tstart

advance:
	ADDQ R11, SI
	ADDQ R11, BX
	CMPQ SI, DX
	JCC  done
	MOVBLZX (SI), AX
	CMPL AX, $0x80
	JCC  done // stopped at a non-ASCII byte
	MOVL R9, R8
	SHRL $31, R8
	JMP  tail

done:
	VZEROUPPER
	MOVQ BX, ret+48(FP)
	RET
