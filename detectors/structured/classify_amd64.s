//go:build amd64 && !purego

#include "textflag.h"

DATA zero<>+0x00(SB)/8, $0x3030303030303030
DATA zero<>+0x08(SB)/8, $0x3030303030303030
GLOBL zero<>(SB), RODATA|NOPTR, $16

DATA nine<>+0x00(SB)/8, $0x0909090909090909
DATA nine<>+0x08(SB)/8, $0x0909090909090909
GLOBL nine<>(SB), RODATA|NOPTR, $16

DATA fold<>+0x00(SB)/8, $0x2020202020202020
DATA fold<>+0x08(SB)/8, $0x2020202020202020
GLOBL fold<>(SB), RODATA|NOPTR, $16

DATA lowa<>+0x00(SB)/8, $0x6161616161616161
DATA lowa<>+0x08(SB)/8, $0x6161616161616161
GLOBL lowa<>(SB), RODATA|NOPTR, $16

DATA az<>+0x00(SB)/8, $0x1919191919191919
DATA az<>+0x08(SB)/8, $0x1919191919191919
GLOBL az<>(SB), RODATA|NOPTR, $16

// CLASSIFY16 sets the bits of 16 bytes at off(SI) in the low 16 bits of
// digits (DI) and letters (DX): a byte b is a digit when b-'0' (mod 256)
// is at most 9, a letter when (b|0x20)-'a' is at most 25 (b ≥ 0x80 gives
// neither: b|0x20 - 'a' ≥ 0x3F).
#define CLASSIFY16(off, digits, letters) \
	MOVOU   off(SI), X0 \
	MOVO    X0, X1      \
	PSUBB   X8, X1      \
	MOVO    X1, X2      \
	PMINUB  X9, X2      \
	PCMPEQB X1, X2      \
	PMOVMSKB X2, digits \
	POR     X10, X0     \
	PSUBB   X11, X0     \
	MOVO    X0, X3      \
	PMINUB  X12, X3     \
	PCMPEQB X0, X3      \
	PMOVMSKB X3, letters

// func classify64(p *[64]byte) (digit, letter uint64)
TEXT ·classify64(SB), NOSPLIT, $0-24
	CMPB ·haveAVX2(SB), $0
	JNE  avx2
	JMP  ·classify64SSE2(SB)
avx2:
	JMP  ·classify64AVX2(SB)

// func classify64SSE2(p *[64]byte) (digit, letter uint64)
TEXT ·classify64SSE2(SB), NOSPLIT, $0-24
	MOVQ p+0(FP), SI
	MOVOU zero<>(SB), X8
	MOVOU nine<>(SB), X9
	MOVOU fold<>(SB), X10
	MOVOU lowa<>(SB), X11
	MOVOU az<>(SB), X12
	CLASSIFY16(48, AX, BX)
	SHLQ $16, AX
	SHLQ $16, BX
	CLASSIFY16(32, CX, DX)
	ORQ CX, AX
	ORQ DX, BX
	SHLQ $16, AX
	SHLQ $16, BX
	CLASSIFY16(16, CX, DX)
	ORQ CX, AX
	ORQ DX, BX
	SHLQ $16, AX
	SHLQ $16, BX
	CLASSIFY16(0, CX, DX)
	ORQ CX, AX
	ORQ DX, BX
	MOVQ AX, digit+8(FP)
	MOVQ BX, letter+16(FP)
	RET

// func classify64AVX2(p *[64]byte) (digit, letter uint64)
//
// classify64SSE2 on 32 bytes a step.
TEXT ·classify64AVX2(SB), NOSPLIT, $0-24
	MOVQ p+0(FP), SI
	VPBROADCASTB zero<>(SB), Y8
	VPBROADCASTB nine<>(SB), Y9
	VPBROADCASTB fold<>(SB), Y10
	VPBROADCASTB lowa<>(SB), Y11
	VPBROADCASTB az<>(SB), Y12
	VMOVDQU 32(SI), Y0
	VPSUBB Y8, Y0, Y1
	VPMINUB Y9, Y1, Y2
	VPCMPEQB Y1, Y2, Y2
	VPMOVMSKB Y2, AX
	VPOR Y10, Y0, Y0
	VPSUBB Y11, Y0, Y0
	VPMINUB Y12, Y0, Y3
	VPCMPEQB Y0, Y3, Y3
	VPMOVMSKB Y3, BX
	SHLQ $32, AX
	SHLQ $32, BX
	VMOVDQU (SI), Y0
	VPSUBB Y8, Y0, Y1
	VPMINUB Y9, Y1, Y2
	VPCMPEQB Y1, Y2, Y2
	VPMOVMSKB Y2, CX
	VPOR Y10, Y0, Y0
	VPSUBB Y11, Y0, Y0
	VPMINUB Y12, Y0, Y3
	VPCMPEQB Y0, Y3, Y3
	VPMOVMSKB Y3, DX
	ORQ CX, AX
	ORQ DX, BX
	VZEROUPPER
	MOVQ AX, digit+8(FP)
	MOVQ BX, letter+16(FP)
	RET
