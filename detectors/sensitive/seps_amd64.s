//go:build amd64 && !purego

#include "textflag.h"

DATA sepEq<>+0x00(SB)/8, $0x3D3D3D3D3D3D3D3D
DATA sepEq<>+0x08(SB)/8, $0x3D3D3D3D3D3D3D3D
DATA sepEq<>+0x10(SB)/8, $0x3D3D3D3D3D3D3D3D
DATA sepEq<>+0x18(SB)/8, $0x3D3D3D3D3D3D3D3D
GLOBL sepEq<>(SB), RODATA|NOPTR, $32

DATA sepColon<>+0x00(SB)/8, $0x3A3A3A3A3A3A3A3A
DATA sepColon<>+0x08(SB)/8, $0x3A3A3A3A3A3A3A3A
DATA sepColon<>+0x10(SB)/8, $0x3A3A3A3A3A3A3A3A
DATA sepColon<>+0x18(SB)/8, $0x3A3A3A3A3A3A3A3A
GLOBL sepColon<>(SB), RODATA|NOPTR, $32

DATA sepDot<>+0x00(SB)/8, $0x2E2E2E2E2E2E2E2E
DATA sepDot<>+0x08(SB)/8, $0x2E2E2E2E2E2E2E2E
DATA sepDot<>+0x10(SB)/8, $0x2E2E2E2E2E2E2E2E
DATA sepDot<>+0x18(SB)/8, $0x2E2E2E2E2E2E2E2E
GLOBL sepDot<>(SB), RODATA|NOPTR, $32

// SEPS32 ORs the bytes of the 32 at addr equal to '=', ':' and '.' into
// Y4, Y5 and Y6 (0xFF where equal).
#define SEPS32(addr) \
	VMOVDQU addr, Y0 \
	VPCMPEQB Y1, Y0, Y7 \
	VPOR Y7, Y4, Y4 \
	VPCMPEQB Y2, Y0, Y7 \
	VPOR Y7, Y5, Y5 \
	VPCMPEQB Y3, Y0, Y7 \
	VPOR Y7, Y6, Y6

// func sepsAVX2(v []byte) sepSet
//
// len(v) >= 32: whole 32-byte blocks from the start, then the last 32
// bytes (overlapping the block before; presence does not mind).
TEXT ·sepsAVX2(SB), NOSPLIT, $0-25
	MOVQ v_base+0(FP), SI
	MOVQ v_len+8(FP), CX
	LEAQ -32(SI)(CX*1), DX // the last block
	VMOVDQU sepEq<>(SB), Y1
	VMOVDQU sepColon<>(SB), Y2
	VMOVDQU sepDot<>(SB), Y3
	VPXOR Y4, Y4, Y4
	VPXOR Y5, Y5, Y5
	VPXOR Y6, Y6, Y6

loop:
	CMPQ SI, DX
	JAE  last
	SEPS32((SI))
	ADDQ $32, SI
	JMP  loop

last:
	SEPS32((DX))
	XORL AX, AX
	VPTEST Y4, Y4
	SETNE AL // sepEq = 1
	VPTEST Y5, Y5
	SETNE BL
	SHLB $1, BL // sepColon = 2
	ORB BL, AL
	VPTEST Y6, Y6
	SETNE BL
	SHLB $2, BL // sepDot = 4
	ORB BL, AL
	VZEROUPPER
	MOVB AL, ret+24(FP)
	RET
