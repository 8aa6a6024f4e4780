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

DATA sepDigit<>+0x00(SB)/8, $0x5050505050505050 // plus 0x50, a digit is 0x80–0x89
DATA sepDigit<>+0x08(SB)/8, $0x8A8A8A8A8A8A8A8A // below 0x8A as signed
GLOBL sepDigit<>(SB), RODATA|NOPTR, $16

// SEPS32 ORs the bytes of the 32 in Y0 equal to '=' and ':' into Y4 and
// Y5 (0xFF where equal), and sets AX to the block's dots and BX to its
// digits (bit k: byte k).
#define SEPS32 \
	VPCMPEQB Y1, Y0, Y7 \
	VPOR Y7, Y4, Y4 \
	VPCMPEQB Y2, Y0, Y7 \
	VPOR Y7, Y5, Y5 \
	VPCMPEQB Y3, Y0, Y7 \
	VPMOVMSKB Y7, AX \
	VPADDB Y8, Y0, Y7 \
	VPCMPGTB Y7, Y9, Y7 \
	VPMOVMSKB Y7, BX

// GEODOTS ORs into R10 the dots of the block before (R9) that parseGeoNum
// looks further at (geoDot): a digit before, four after, and not four
// before. R11, R8 and BX are the digits of the blocks before it, of it
// and after it; X, bit j+4 for byte j of the block (its four bytes
// before at bits 0–3, its four after at 36–39), is put together in R12:
// then Y = X & X>>1 & X>>2 & X>>3 has bit j for four digits from byte
// j-4, so the dots with four before are those of Y, and the ones with a
// digit before and four after those of X>>3 & Y>>5.
#define GEODOTS \
	MOVQ R11, R12 \
	SHRQ $28, R12 \
	MOVQ R8, R13 \
	SHLQ $4, R13 \
	ORQ  R13, R12 \
	MOVQ BX, R13 \
	ANDQ $15, R13 \
	SHLQ $36, R13 \
	ORQ  R13, R12 \
	MOVQ R12, R13 \
	SHRQ $1, R13 \
	ANDQ R12, R13 \
	MOVQ R13, R14 \
	SHRQ $2, R14 \
	ANDQ R14, R13 \
	MOVQ R13, R14 \
	SHRQ $5, R14 \
	SHRQ $3, R12 \
	ANDQ R14, R12 \
	ANDNQ R12, R13, R12 \
	ANDQ R9, R12 \
	ORQ  R12, R10

// func sepsAVX2(v []byte) sepSet
//
// len(v) >= 32: whole 32-byte blocks from the start while more than 32
// bytes are left, then the last 32 bytes (overlapping the block before),
// their masks shifted down to the first byte no block had. sepDot is set
// only for a dot parseGeoNum looks further at (geoDot): the dots of a
// block are looked at when the next block's digits are known (R9: the
// dots of the block before, R8 and R11 the digits of the two blocks
// before; bytes outside v are no digits).
TEXT ·sepsAVX2(SB), NOSPLIT, $0-25
	MOVQ v_base+0(FP), SI
	MOVQ v_len+8(FP), CX
	LEAQ -32(SI)(CX*1), DX // the last block
	VPBROADCASTB sepEq<>(SB), Y1
	VPBROADCASTB sepColon<>(SB), Y2
	VPBROADCASTB sepDot<>(SB), Y3
	VPBROADCASTQ sepDigit<>+0(SB), Y8
	VPBROADCASTQ sepDigit<>+8(SB), Y9
	VPXOR Y4, Y4, Y4
	VPXOR Y5, Y5, Y5
	XORL R8, R8
	XORL R9, R9
	XORL R10, R10
	XORL R11, R11

loop:
	CMPQ SI, DX
	JAE  last
	VMOVDQU (SI), Y0
	SEPS32
	TESTQ R9, R9
	JZ   shift
	GEODOTS

shift:
	MOVQ R8, R11
	MOVQ BX, R8
	MOVQ AX, R9
	ADDQ $32, SI
	JMP  loop

last:
	VMOVDQU (DX), Y0
	SEPS32
	// Its bytes from SI on (SI-DX of them came in the block before) down
	// to bit 0.
	MOVQ SI, CX
	SUBQ DX, CX
	SHRL CX, AX
	SHRL CX, BX
	TESTQ R9, R9
	JZ   final
	GEODOTS

final:
	MOVQ R8, R11
	MOVQ BX, R8
	MOVQ AX, R9
	XORL BX, BX // no digits after v
	TESTQ R9, R9
	JZ   result
	GEODOTS

result:
	XORL AX, AX
	VPTEST Y4, Y4
	SETNE AL // sepEq = 1
	VPTEST Y5, Y5
	SETNE BL
	SHLB $1, BL // sepColon = 2
	ORB BL, AL
	TESTQ R10, R10
	SETNE BL
	SHLB $2, BL // sepDot = 4
	ORB BL, AL
	VZEROUPPER
	MOVB AL, ret+24(FP)
	RET

// The byte constants of cellMasksAVX2, broadcast to Y4–Y15.
DATA cellK<>+0x00(SB)/8, $0x1F208A5080C0E0F0
DATA cellK<>+0x08(SB)/8, $0x000000003A3D2E9A
GLOBL cellK<>(SB), RODATA|NOPTR, $16

// func cellMasksAVX2(v []byte, buf *[128]byte, m *cellBits)
//
// len(v) ≤ 96; buf and m are zero. v is copied to buf with two moves of
// the widest size that fits, overlapping (the last ends at len(v); a
// value of three bytes or fewer is copied a byte at a time), so the
// masks see zero padding after it; then per 32-byte block k of the
// value (one at least), each mask's 32 bits are stored at its byte
// offset 4k (little endian: bit i of the [2]uint64 is byte i). The ranges
// are signed compares after an add that maps the range to 0x80 upward:
// a digit '0'–'9' plus 0x50 is 0x80–0x89, below 0x8A; a letter with bit
// 0x20 set ('a'–'z'; nothing else maps there) plus 0x1F is 0x80–0x99,
// below 0x9A.
TEXT ·cellMasksAVX2(SB), NOSPLIT, $0-40
	MOVQ v_base+0(FP), SI
	MOVQ v_len+8(FP), CX
	MOVQ buf+24(FP), DI
	CMPQ CX, $32
	JB   copy16
	VMOVDQU (SI), Y0
	VMOVDQU Y0, (DI)
	VMOVDQU -32(SI)(CX*1), Y1
	VMOVDQU Y1, -32(DI)(CX*1)
	CMPQ    CX, $64
	JBE     copied
	VMOVDQU 32(SI), Y0 // 64 < n ≤ 96: the last 32 bytes start at 32 or later
	VMOVDQU Y0, 32(DI)
	JMP     copied

copy16:
	CMPQ    CX, $16
	JB      copy8
	VMOVDQU (SI), X0
	VMOVDQU X0, (DI)
	VMOVDQU -16(SI)(CX*1), X1
	VMOVDQU X1, -16(DI)(CX*1)
	JMP     copied

copy8:
	CMPQ CX, $8
	JB   copy4
	MOVQ (SI), AX
	MOVQ AX, (DI)
	MOVQ -8(SI)(CX*1), AX
	MOVQ AX, -8(DI)(CX*1)
	JMP  copied

copy4:
	CMPQ CX, $4
	JB   copy1
	MOVL (SI), AX
	MOVL AX, (DI)
	MOVL -4(SI)(CX*1), AX
	MOVL AX, -4(DI)(CX*1)
	JMP  copied

copy1:
	TESTQ CX, CX
	JEQ   copied
	MOVB  (SI), AX
	MOVB  AX, (DI)
	MOVB  -1(SI)(CX*1), AX
	MOVB  AX, -1(DI)(CX*1)
	CMPQ  CX, $2
	JBE   copied
	MOVB  1(SI), AX
	MOVB  AX, 1(DI)

copied:
	MOVQ DI, SI
	ADDQ $31, CX
	SHRQ $5, CX   // blocks
	MOVQ $1, AX
	CMPQ CX, $0
	CMOVQEQ AX, CX // an empty value: one block of padding
	MOVQ m+32(FP), DI
	VPBROADCASTB cellK<>+0(SB), Y4   // 0xF0: a lead byte's high nibble...
	VPBROADCASTB cellK<>+1(SB), Y5   // 0xE0: ...is E
	VPBROADCASTB cellK<>+2(SB), Y6   // 0xC0: a continuation byte's top bits...
	VPBROADCASTB cellK<>+3(SB), Y7   // 0x80: ...are 10
	VPBROADCASTB cellK<>+4(SB), Y8   // 0x50
	VPBROADCASTB cellK<>+5(SB), Y9   // 0x8A
	VPBROADCASTB cellK<>+6(SB), Y10  // 0x20
	VPBROADCASTB cellK<>+7(SB), Y11  // 0x1F
	VPBROADCASTB cellK<>+8(SB), Y12  // 0x9A
	VPBROADCASTB cellK<>+9(SB), Y13  // '.'
	VPBROADCASTB cellK<>+10(SB), Y14 // '='
	VPBROADCASTB cellK<>+11(SB), Y15 // ':'

cellLoop:
	VMOVDQU   (SI), Y0
	VPMOVMSKB Y0, AX
	MOVL      AX, 0(DI) // high
	VPAND     Y4, Y0, Y1
	VPCMPEQB  Y5, Y1, Y1
	VPMOVMSKB Y1, AX
	MOVL      AX, 16(DI) // lead
	VPAND     Y6, Y0, Y1
	VPCMPEQB  Y7, Y1, Y1
	VPMOVMSKB Y1, AX
	MOVL      AX, 32(DI) // cont
	VPADDB    Y8, Y0, Y1
	VPCMPGTB  Y1, Y9, Y1 // Y1 = 0x8A > Y1: digits
	VPOR      Y10, Y0, Y2
	VPADDB    Y11, Y2, Y2
	VPCMPGTB  Y2, Y12, Y2 // letters
	VPOR      Y1, Y2, Y2
	VPMOVMSKB Y2, AX
	MOVL      AX, 48(DI) // alnum
	VPMOVMSKB Y1, AX
	MOVL      AX, 64(DI) // digit
	VPCMPEQB  Y13, Y0, Y1
	VPMOVMSKB Y1, AX
	MOVL      AX, 80(DI) // dot
	VPCMPEQB  Y14, Y0, Y1
	VPMOVMSKB Y1, AX
	MOVL      AX, 96(DI) // eq
	VPCMPEQB  Y15, Y0, Y1
	VPMOVMSKB Y1, AX
	MOVL      AX, 112(DI) // colon
	ADDQ      $32, SI
	ADDQ      $4, DI
	DECQ      CX
	JNZ       cellLoop
	VZEROUPPER
	RET
