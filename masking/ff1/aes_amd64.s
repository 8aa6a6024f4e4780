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
