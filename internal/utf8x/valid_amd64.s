//go:build amd64 && !purego

#include "textflag.h"

// Lookup tables of the Keiser–Lemire check ("Validating UTF-8 in less than
// one instruction per byte", 2021), each repeated in both 128-bit lanes for
// VPSHUFB. Each bit of a table entry names one error; a byte pair (prev1,
// cur) is an error where the three entries for prev1's high nibble, prev1's
// low nibble and cur's high nibble share a bit:
//	0x01 too short (a lead or ASCII byte after a lead)
//	0x02 too long (a continuation byte after ASCII)
//	0x04 overlong three-byte form (E0 80..9F)
//	0x08 too large (F4 90.., F5..FF with a continuation)
//	0x10 surrogate (ED A0..BF)
//	0x20 overlong two-byte form (C0, C1)
//	0x40 overlong four-byte form (F0 80..8F), or too large (F5.. 80..8F)
//	0x80 two continuation bytes (cancelled where a lead 2 or 3 bytes before needs them)

// byte 1 high nibble
DATA hi1<>+0x00(SB)/8, $0x0202020202020202
DATA hi1<>+0x08(SB)/8, $0x4915012180808080
DATA hi1<>+0x10(SB)/8, $0x0202020202020202
DATA hi1<>+0x18(SB)/8, $0x4915012180808080
GLOBL hi1<>(SB), RODATA|NOPTR, $32

// byte 1 low nibble
DATA lo1<>+0x00(SB)/8, $0xCBCBCB8B8383A3E7
DATA lo1<>+0x08(SB)/8, $0xCBCBDBCBCBCBCBCB
DATA lo1<>+0x10(SB)/8, $0xCBCBCB8B8383A3E7
DATA lo1<>+0x18(SB)/8, $0xCBCBDBCBCBCBCBCB
GLOBL lo1<>(SB), RODATA|NOPTR, $32

// byte 2 high nibble
DATA hi2<>+0x00(SB)/8, $0x0101010101010101
DATA hi2<>+0x08(SB)/8, $0x01010101BABAAEE6
DATA hi2<>+0x10(SB)/8, $0x0101010101010101
DATA hi2<>+0x18(SB)/8, $0x01010101BABAAEE6
GLOBL hi2<>(SB), RODATA|NOPTR, $32

DATA nibble<>+0x00(SB)/8, $0x0F0F0F0F0F0F0F0F
DATA nibble<>+0x08(SB)/8, $0x0F0F0F0F0F0F0F0F
DATA nibble<>+0x10(SB)/8, $0x0F0F0F0F0F0F0F0F
DATA nibble<>+0x18(SB)/8, $0x0F0F0F0F0F0F0F0F
GLOBL nibble<>(SB), RODATA|NOPTR, $32

// 0xE0-0x80: a byte minus it (saturating) has its high bit set iff ≥ E0
DATA third<>+0x00(SB)/8, $0x6060606060606060
DATA third<>+0x08(SB)/8, $0x6060606060606060
DATA third<>+0x10(SB)/8, $0x6060606060606060
DATA third<>+0x18(SB)/8, $0x6060606060606060
GLOBL third<>(SB), RODATA|NOPTR, $32

// 0xF0-0x80: likewise iff ≥ F0
DATA fourth<>+0x00(SB)/8, $0x7070707070707070
DATA fourth<>+0x08(SB)/8, $0x7070707070707070
DATA fourth<>+0x10(SB)/8, $0x7070707070707070
DATA fourth<>+0x18(SB)/8, $0x7070707070707070
GLOBL fourth<>(SB), RODATA|NOPTR, $32

DATA high<>+0x00(SB)/8, $0x8080808080808080
DATA high<>+0x08(SB)/8, $0x8080808080808080
DATA high<>+0x10(SB)/8, $0x8080808080808080
DATA high<>+0x18(SB)/8, $0x8080808080808080
GLOBL high<>(SB), RODATA|NOPTR, $32

// A block's bytes minus these (saturating) are non-zero iff a character
// begun in its last three bytes continues after it.
DATA open<>+0x00(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA open<>+0x08(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA open<>+0x10(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA open<>+0x18(SB)/8, $0xBFDFEFFFFFFFFFFF
GLOBL open<>(SB), RODATA|NOPTR, $32

// CHECK sets err to the errors of the 32-byte block in, whose block before
// is prev (Keiser–Lemire); it uses Y2, Y4, Y5 and Y15. Y15 is [prev's high
// lane, in's low lane], from which VPALIGNR takes the bytes 1, 2 and 3
// before each (Y2, Y4, Y5); Y4 ends with 0x80 where a three- or four-byte
// lead needs a continuation byte, which cancels the "two continuations"
// error bit.
#define CHECK(in, prev, err) \
	VPERM2I128 $0x21, in, prev, Y15 \
	VPALIGNR $15, Y15, in, Y2 \
	VPSRLW $4, Y2, err \
	VPAND Y11, err, err \
	VPSHUFB err, Y8, err \
	VPAND Y11, Y2, Y4 \
	VPSHUFB Y4, Y9, Y4 \
	VPAND Y4, err, err \
	VPSRLW $4, in, Y4 \
	VPAND Y11, Y4, Y4 \
	VPSHUFB Y4, Y10, Y4 \
	VPAND Y4, err, err \
	VPALIGNR $14, Y15, in, Y4 \
	VPALIGNR $13, Y15, in, Y5 \
	VPSUBUSB Y12, Y4, Y4 \
	VPSUBUSB Y13, Y5, Y5 \
	VPOR Y5, Y4, Y4 \
	VPAND high<>(SB), Y4, Y4 \
	VPXOR Y4, err, err

// func validAVX2(p []byte) int
//
// 64 bytes a step (Y0, Y1), then 32; Y7 is the block before, Y6 the
// characters open at its end, Y8..Y13 constants.
TEXT ·validAVX2(SB), NOSPLIT, $0-32
	MOVQ p_base+0(FP), SI
	MOVQ p_len+8(FP), CX
	XORQ AX, AX
	VPXOR Y7, Y7, Y7
	VPXOR Y6, Y6, Y6
	VMOVDQU hi1<>(SB), Y8
	VMOVDQU lo1<>(SB), Y9
	VMOVDQU hi2<>(SB), Y10
	VMOVDQU nibble<>(SB), Y11
	VMOVDQU third<>(SB), Y12
	VMOVDQU fourth<>(SB), Y13

loop64:
	LEAQ 64(AX), DX
	CMPQ DX, CX
	JGT  loop32
	VMOVDQU (SI)(AX*1), Y0
	VMOVDQU 32(SI)(AX*1), Y1
	VPOR Y0, Y1, Y3
	VPMOVMSKB Y3, DX
	TESTL DX, DX
	JNZ  multi64
	VPTEST Y6, Y6
	JNZ  multi64 // ASCII after an open character: the check reports it
	VMOVDQU Y1, Y7
	ADDQ $64, AX
	JMP  loop64

multi64:
	CHECK(Y0, Y7, Y3)
	CHECK(Y1, Y0, Y14)
	VPOR Y14, Y3, Y3
	VPTEST Y3, Y3
	JNZ  done
	VPSUBUSB open<>(SB), Y1, Y6
	VMOVDQU Y1, Y7
	ADDQ $64, AX
	JMP  loop64

loop32:
	LEAQ 32(AX), DX
	CMPQ DX, CX
	JGT  done
	VMOVDQU (SI)(AX*1), Y0
	CHECK(Y0, Y7, Y3)
	VPTEST Y3, Y3
	JNZ  done
	VPSUBUSB open<>(SB), Y0, Y6
	VMOVDQU Y0, Y7
	ADDQ $32, AX
	JMP  loop32

done:
	VZEROUPPER
	MOVQ AX, ret+24(FP)
	RET
