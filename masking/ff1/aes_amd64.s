//go:build amd64 && !purego

#include "textflag.h"

// func encryptWords(rk *[240]byte, rounds int, hi, lo uint64) (uint64, uint64)
TEXT ·encryptWords(SB), NOSPLIT, $0-48
	MOVQ rk+0(FP), AX
	MOVQ rounds+8(FP), CX
	MOVQ hi+16(FP), BX
	MOVQ lo+24(FP), DX
	// The block's bytes in memory order: hi's big-endian bytes first.
	BSWAPQ BX
	BSWAPQ DX
	MOVQ   BX, X0
	PINSRQ $1, DX, X0
	MOVUPS (AX), X1
	PXOR   X1, X0
	CMPQ   CX, $12
	JB     rounds10
	JE     rounds12
	MOVUPS 16(AX), X1
	AESENC X1, X0
	MOVUPS 32(AX), X1
	AESENC X1, X0
	ADDQ   $32, AX

rounds12:
	MOVUPS 16(AX), X1
	AESENC X1, X0
	MOVUPS 32(AX), X1
	AESENC X1, X0
	ADDQ   $32, AX

rounds10:
	MOVUPS     16(AX), X1
	AESENC     X1, X0
	MOVUPS     32(AX), X1
	AESENC     X1, X0
	MOVUPS     48(AX), X1
	AESENC     X1, X0
	MOVUPS     64(AX), X1
	AESENC     X1, X0
	MOVUPS     80(AX), X1
	AESENC     X1, X0
	MOVUPS     96(AX), X1
	AESENC     X1, X0
	MOVUPS     112(AX), X1
	AESENC     X1, X0
	MOVUPS     128(AX), X1
	AESENC     X1, X0
	MOVUPS     144(AX), X1
	AESENC     X1, X0
	MOVUPS     160(AX), X1
	AESENCLAST X1, X0
	MOVQ       X0, BX
	PEXTRQ     $1, X0, DX
	BSWAPQ     BX
	BSWAPQ     DX
	MOVQ       BX, ret+32(FP)
	MOVQ       DX, ret1+40(FP)
	RET
