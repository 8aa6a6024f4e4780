//go:build amd64 && !purego

#include "textflag.h"

// func encryptWords(rk *[240]byte, rounds int, hi, lo uint64) (uint64, uint64)
//
// VEX forms only: they take the round keys straight from memory, unaligned,
// and never mix legacy SSE with the AVX code around them.
TEXT ·encryptWords(SB), NOSPLIT, $0-48
	MOVQ rk+0(FP), AX
	MOVQ rounds+8(FP), CX
	MOVQ hi+16(FP), BX
	MOVQ lo+24(FP), DX
	// The block's bytes in memory order: hi's big-endian bytes first.
	BSWAPQ  BX
	BSWAPQ  DX
	VMOVQ   BX, X0
	VPINSRQ $1, DX, X0, X0
	VPXOR   (AX), X0, X0
	CMPQ    CX, $12
	JB      rounds10
	JE      rounds12
	VAESENC 16(AX), X0, X0
	VAESENC 32(AX), X0, X0
	ADDQ    $32, AX

rounds12:
	VAESENC 16(AX), X0, X0
	VAESENC 32(AX), X0, X0
	ADDQ    $32, AX

rounds10:
	VAESENC     16(AX), X0, X0
	VAESENC     32(AX), X0, X0
	VAESENC     48(AX), X0, X0
	VAESENC     64(AX), X0, X0
	VAESENC     80(AX), X0, X0
	VAESENC     96(AX), X0, X0
	VAESENC     112(AX), X0, X0
	VAESENC     128(AX), X0, X0
	VAESENC     144(AX), X0, X0
	VAESENCLAST 160(AX), X0, X0
	VMOVQ       X0, BX
	VPEXTRQ     $1, X0, DX
	BSWAPQ      BX
	BSWAPQ      DX
	MOVQ        BX, ret+32(FP)
	MOVQ        DX, ret1+40(FP)
	RET

// func feistelLanes(rk *[4]*[240]byte, rounds int, st *[4]laneState)
//
// FF1's ten encryption rounds for four strings at once (see Batch): each
// round builds the four lanes' blocks, encrypts them side by side, so the
// AES unit starts one lane's round while the others' are in flight (one
// string's rounds are a chain, its blocks one at a time leave AES-NI idle
// for most of each round's latency), and reduces each lane's first eight
// bytes mod m by Barrett (a multiply by floor((2^64-1)/m) and one
// correction: four DIVs would queue on the divider).
//
// A laneState (uint64s, 72 bytes) is: 0 hi, 8 lo (the base block, see
// prepare, as big-endian words); 16 mu, 24 mv; 32 ru, 40 rv (their
// reciprocals); 48 shift (8·b, the round number's bit offset in lo);
// 56 A, 64 B (in and out).
//
// Registers: R8-R11 the lanes' round keys, DI st, BX the round number i,
// R12 8·(i&1) (so m is 16+R12 and its reciprocal 32+R12 in a lane's
// state), R13 the round-key offset, X4-X7 the lanes' base blocks, X0-X3
// their round blocks; AX CX DX SI scratch.

// BUILD makes lane o's round block in X: base with i and B in lo.
#define BUILD(o, base, X) \
	MOVQ    BX, AX; \
	MOVQ    o+48(DI), CX; \
	SHLQ    CX, AX; \
	XORQ    o+8(DI), AX; \
	XORQ    o+64(DI), AX; \
	BSWAPQ  AX; \
	VPINSRQ $1, AX, base, X

// FINISH takes y = (X's first eight bytes) mod m and sets (A, B) to
// (B, A + y mod m); A + y is A - (m - y) when A ≥ m - y (no overflow for
// m > 2^63).
#define FINISH(o, X) \
	VMOVQ   X, AX; \
	BSWAPQ  AX; \
	MOVQ    AX, SI; \
	MULQ    o+32(DI)(R12*1); \
	IMULQ   o+16(DI)(R12*1), DX; \
	SUBQ    DX, SI; \
	MOVQ    SI, AX; \
	SUBQ    o+16(DI)(R12*1), AX; \
	CMOVQCC AX, SI; \
	MOVQ    o+16(DI)(R12*1), AX; \
	SUBQ    SI, AX; \
	MOVQ    o+56(DI), DX; \
	LEAQ    (DX)(SI*1), SI; \
	SUBQ    AX, DX; \
	CMOVQCS SI, DX; \
	MOVQ    o+64(DI), AX; \
	MOVQ    AX, o+56(DI); \
	MOVQ    DX, o+64(DI)

#define BASE(o, X) \
	MOVQ   o+0(DI), AX; \
	BSWAPQ AX; \
	VMOVQ  AX, X

#define AESLANES(off) \
	VAESENC off(R8)(R13*1), X0, X0; \
	VAESENC off(R9)(R13*1), X1, X1; \
	VAESENC off(R10)(R13*1), X2, X2; \
	VAESENC off(R11)(R13*1), X3, X3

TEXT ·feistelLanes(SB), NOSPLIT, $0-24
	MOVQ rk+0(FP), AX
	MOVQ st+16(FP), DI
	MOVQ 0(AX), R8
	MOVQ 8(AX), R9
	MOVQ 16(AX), R10
	MOVQ 24(AX), R11
	BASE(0, X4)
	BASE(72, X5)
	BASE(144, X6)
	BASE(216, X7)
	XORQ BX, BX

round:
	MOVQ  BX, R12
	ANDQ  $1, R12
	SHLQ  $3, R12
	BUILD(0, X4, X0)
	BUILD(72, X5, X1)
	BUILD(144, X6, X2)
	BUILD(216, X7, X3)
	VPXOR (R8), X0, X0
	VPXOR (R9), X1, X1
	VPXOR (R10), X2, X2
	VPXOR (R11), X3, X3
	XORQ  R13, R13
	CMPQ  rounds+8(FP), $12
	JB    lanes10
	JE    lanes12
	AESLANES(16)
	AESLANES(32)
	ADDQ  $32, R13

lanes12:
	AESLANES(16)
	AESLANES(32)
	ADDQ $32, R13

lanes10:
	AESLANES(16)
	AESLANES(32)
	AESLANES(48)
	AESLANES(64)
	AESLANES(80)
	AESLANES(96)
	AESLANES(112)
	AESLANES(128)
	AESLANES(144)
	VAESENCLAST 160(R8)(R13*1), X0, X0
	VAESENCLAST 160(R9)(R13*1), X1, X1
	VAESENCLAST 160(R10)(R13*1), X2, X2
	VAESENCLAST 160(R11)(R13*1), X3, X3
	FINISH(0, X0)
	FINISH(72, X1)
	FINISH(144, X2)
	FINISH(216, X3)
	INCQ        BX
	CMPQ        BX, $10
	JB          round
	RET
