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

// func validAVX2(p []byte) int
//
// Y0 block, Y7 block before, Y6 open characters at the end of the block
// before, Y8..Y15 constants.
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
	VMOVDQU high<>(SB), Y14
	VMOVDQU open<>(SB), Y15

loop:
	LEAQ 32(AX), DX
	CMPQ DX, CX
	JGT  done
	VMOVDQU (SI)(AX*1), Y0
	VPMOVMSKB Y0, DX
	TESTL DX, DX
	JNZ  multi
	VPTEST Y6, Y6
	JNZ  multi // ASCII after an open character: the check reports it
	VMOVDQU Y0, Y7
	ADDQ $32, AX
	JMP  loop

multi:
	VPERM2I128 $0x21, Y0, Y7, Y1 // [block before's high lane, block's low lane]
	VPALIGNR $15, Y1, Y0, Y2     // prev1: the byte before each
	VPSRLW $4, Y2, Y3
	VPAND Y11, Y3, Y3
	VPSHUFB Y3, Y8, Y3
	VPAND Y11, Y2, Y4
	VPSHUFB Y4, Y9, Y4
	VPAND Y4, Y3, Y3
	VPSRLW $4, Y0, Y4
	VPAND Y11, Y4, Y4
	VPSHUFB Y4, Y10, Y4
	VPAND Y4, Y3, Y3             // errors of each byte pair
	VPALIGNR $14, Y1, Y0, Y4     // prev2
	VPALIGNR $13, Y1, Y0, Y5     // prev3
	VPSUBUSB Y12, Y4, Y4
	VPSUBUSB Y13, Y5, Y5
	VPOR Y5, Y4, Y4
	VPAND Y14, Y4, Y4            // 0x80 where a three- or four-byte lead needs a continuation
	VPXOR Y4, Y3, Y3
	VPTEST Y3, Y3
	JNZ  done
	VPSUBUSB Y15, Y0, Y6
	VMOVDQU Y0, Y7
	ADDQ $32, AX
	JMP  loop

done:
	VZEROUPPER
	MOVQ AX, ret+24(FP)
	RET

// func cpuid(op, op2 uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL op+0(FP), AX
	MOVL op2+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv() (eax uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-4
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	RET
