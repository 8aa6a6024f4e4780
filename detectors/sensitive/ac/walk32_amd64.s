//go:build amd64 && !purego

#include "go_asm.h"
#include "textflag.h"

// Byte masks, 32 bytes each (read as vector operands).
#define BYTES(name, b) \
	DATA name<>+0x00(SB)/8, $b \
	DATA name<>+0x08(SB)/8, $b \
	DATA name<>+0x10(SB)/8, $b \
	DATA name<>+0x18(SB)/8, $b \
	GLOBL name<>(SB), RODATA|NOPTR, $32

BYTES(kF0, 0xF0F0F0F0F0F0F0F0)
BYTES(kE0, 0xE0E0E0E0E0E0E0E0)
BYTES(kC0, 0xC0C0C0C0C0C0C0C0)
BYTES(k50, 0x5050505050505050)
BYTES(k8A, 0x8A8A8A8A8A8A8A8A)
BYTES(k20, 0x2020202020202020)
BYTES(k1F, 0x1F1F1F1F1F1F1F1F)
BYTES(k9A, 0x9A9A9A9A9A9A9A9A)

DATA k48<>+0(SB)/8, $0x0000FFFFFFFFFFFF
GLOBL k48<>(SB), RODATA|NOPTR, $8
DATA kMul<>+0(SB)/8, $0x9E3779B97F4A7C15 // rawHash, triHash, raw3Hash
GLOBL kMul<>(SB), RODATA|NOPTR, $8
DATA kMul2<>+0(SB)/8, $0xC2B2AE3D27D4EB4F // pairEndHash, raw3Hash
GLOBL kMul2<>(SB), RODATA|NOPTR, $8

// MASKS classifies the block at BX (and the three bytes after it): R11
// the leads of 3-byte runes, R12 those followed by a lead byte, CX the
// bytes ≥ 0x80, R14 the letters and digits, R15 the digits that start no
// pattern (quietDigits, looked up by the low nibble). Lead bytes are E0–EF, and
// continuation bytes 80–BF, below C0 as signed; a digit plus 0x50 is
// 0x80–0x89, below 0x8A (Y8) as signed; a letter with 0x20 set plus 0x1F
// is 0x80–0x99, below 0x9A (Y9).
#define MASKS \
	VMOVDQU (BX), Y0 \
	VMOVDQU 1(BX), Y1 \
	VMOVDQU 2(BX), Y2 \
	VMOVDQU 3(BX), Y3 \
	CLASSIFY

// CLASSIFY is MASKS from the block's bytes in Y0 and the same shifted by
// one to three in Y1–Y3.
#define CLASSIFY \
	VPAND    kF0<>(SB), Y0, Y4 \
	VPCMPEQB kE0<>(SB), Y4, Y4 \
	VMOVDQU  kC0<>(SB), Y7 \
	VPCMPGTB Y1, Y7, Y5 \
	VPCMPGTB Y2, Y7, Y6 \
	VPAND    Y5, Y4, Y4 \
	VPAND    Y6, Y4, Y4 \
	VPAND    kF0<>(SB), Y3, Y5 \
	VPCMPEQB kE0<>(SB), Y5, Y5 \
	VPAND    Y4, Y5, Y5 \
	VPMOVMSKB Y4, R11 \
	VPMOVMSKB Y5, R12 \
	VPMOVMSKB Y0, CX \
	VPADDB   k50<>(SB), Y0, Y1 \
	VPCMPGTB Y1, Y8, Y2 \
	VPOR     k20<>(SB), Y0, Y3 \
	VPADDB   k1F<>(SB), Y3, Y3 \
	VPCMPGTB Y3, Y9, Y3 \
	VPSHUFB  Y0, Y10, Y4 \
	VPAND    Y2, Y4, Y4 \
	VPMOVMSKB Y4, R15 \
	VPOR     Y2, Y3, Y3 \
	VPMOVMSKB Y3, R14

// COVER: AX the block's bytes that its runes and the one before cover
// (leads are three bytes apart at least, so L, 2L and 4L have no bit in
// common and their union is 7L), R9 those of the next block, CX the bytes
// ≥ 0x80 in no rune.
#define COVER \
	LEAQ  (R11)(R11*2), AX \
	LEAQ  (AX)(R11*4), AX \
	ORQ   R9, AX \
	MOVQ  AX, R9 \
	SHRQ  $32, R9 \
	ANDNQ CX, AX, CX

// WORDS: AX the word starts (letters and digits after none) but those
// with a digit that starts no pattern, R8 whether the block's last byte
// is alphanumeric.
#define WORDS \
	LEAL  (R8)(R14*2), AX \
	ANDNL R14, AX, AX \
	ANDNL AX, R15, AX \
	MOVL  R14, R8 \
	SHRL  $31, R8

// LIMIT: the word starts (R14), leads with a four-byte key (R11) and
// with a six-byte key (R12) before the first byte in no rune (CX); R13
// is that byte until a probe stops earlier.
#define LIMIT \
	BZHIL CX, AX, R14 \
	ANDNL R11, R12, R11 \
	BZHIL CX, R11, R11 \
	BZHIL CX, R12, R12 \
	MOVL  CX, R13

// func walk32(v []byte, i int, prev uint64, t *skipTables) (next, stop int)
//
// BX is the block, DX the last block start with walkNeed bytes from it,
// DI the tables. Carried from block to block: R8 1 when the byte before
// the block is alphanumeric, R9 the block's first bytes that the last
// rune of the block before covers (bit k: byte k; 0, 1 or 3).
//
// Per block, from its bytes (Y0) and the same shifted by one to three:
// R11 the leads of 3-byte runes (E0–EF, then two continuation bytes),
// R12 those followed by another lead byte (E0–EF: rawKey takes six bytes
// there, else four), CX the first byte ≥ 0x80 not in such a rune (32:
// none), R14 the word starts (letters and digits after none). The probes
// run in position order per mask, each below the first stop found so far:
// R13 holds it (CX until a probe stops).
TEXT ·walk32(SB), NOSPLIT, $0-64
	MOVQ v_base+0(FP), SI
	MOVQ v_len+8(FP), DX
	MOVQ i+24(FP), BX
	ADDQ SI, BX
	LEAQ -const_walkNeed(SI)(DX*1), DX
	MOVQ prev+32(FP), R8
	SHRQ $7, R8
	XORL R9, R9
	MOVQ t+40(FP), DI
	VMOVDQU k8A<>(SB), Y8
	VMOVDQU k9A<>(SB), Y9
	VMOVDQU skipTables_quietDigits(DI), Y10

	CMPQ BX, DX
	JGT  short // fewer than walkNeed bytes: walk takes them

block:
	MASKS
	COVER
	TZCNTL CX, CX
	WORDS
	LIMIT

probes:
	TESTL R12, R12
	JZ    four

six:
	TZCNTL R12, R15
	MOVQ  (BX)(R15*1), AX
	ANDQ  k48<>(SB), AX
	IMULQ kMul<>(SB), AX
	MOVQ  AX, SI
	SHRQ  $52, SI
	SHRQ  $46, AX
	MOVQ  skipTables_raw(DI)(SI*8), SI
	BTQ   AX, SI
	JCS   pair

next6:
	BLSRL R12, R12
	JNZ   six
	JMP   four

pair:
	// pairMayStart in line (R10 and R13, which is CX here, are free): the
	// rune stops the walk when the next is not a 3-byte rune or fewer than
	// eleven bytes are left from it, or when the pair is in pairEnd or the
	// three runes are in raw3.
	MOVQ  (BX)(R15*1), AX
	MOVQ  $0xC0C0F0000000, SI
	ANDQ  AX, SI
	MOVQ  $0x8080E0000000, R10
	CMPQ  SI, R10
	JNE   stop6
	LEAQ  -(const_walkNeed-11)(BX)(R15*1), SI
	CMPQ  SI, DX
	JGT   stop6
	ANDQ  k48<>(SB), AX // the pair's six bytes
	MOVQ  AX, SI
	IMULQ kMul2<>(SB), SI
	SHRQ  $48, SI
	MOVQ  SI, R10
	SHRQ  $6, R10
	MOVQ  skipTables_pairEnd(DI)(R10*8), R10
	BTQ   SI, R10
	JCS   stop6
	MOVL  6(BX)(R15*1), SI // the third rune, if it is one
	MOVL  SI, R10
	ANDL  $0xC0C0F0, R10
	CMPL  R10, $0x8080E0
	JNE   next6 // no pattern starting with the pair ends there
	ANDL  $0xFFFFFF, SI
	IMULQ kMul<>(SB), AX
	XORQ  SI, AX
	IMULQ kMul2<>(SB), AX
	SHRQ  $48, AX
	MOVQ  AX, SI
	SHRQ  $6, SI
	MOVQ  skipTables_raw3(DI)(SI*8), SI
	BTQ   AX, SI
	JCC   next6

stop6:
	MOVL  R15, R13
	BZHIL R15, R11, R11
	BZHIL R15, R14, R14

four:
	TESTL R11, R11
	JZ    words

four1:
	// A four-byte key: pairMayStart lets every such rune through.
	TZCNTL R11, R15
	MOVL  (BX)(R15*1), AX
	IMULQ kMul<>(SB), AX
	MOVQ  AX, SI
	SHRQ  $52, SI
	SHRQ  $46, AX
	MOVQ  skipTables_raw(DI)(SI*8), SI
	BTQ   AX, SI
	JCS   stop4
	BLSRL R11, R11
	JNZ   four1
	JMP   words

stop4:
	MOVL  R15, R13
	BZHIL R15, R14, R14

words:
	TESTL R14, R14
	JZ    decide

word1:
	TZCNTL R14, R15
	MOVL  (BX)(R15*1), AX
	ORL   $0x202020, AX
	ANDL  $0xFFFFFF, AX
	IMULQ kMul<>(SB), AX
	SHRQ  $52, AX
	MOVL  AX, SI
	SHRL  $6, SI
	MOVQ  skipTables_tri(DI)(SI*8), SI
	BTQ   AX, SI
	JCS   wordAt
	BLSRL R14, R14
	JNZ   word1

decide:
	CMPL R13, $32
	JCS  stopAt // a rune's probe or a stray byte
	ADDQ $32, BX
	CMPQ BX, DX
	JLE  block

	// The bytes from BX up to the last eight (walk's limit): one more
	// block, ending eight bytes before the end (at DX+32), whose first
	// bytes, before BX, the block before looked at already (o, 1 to 31
	// of them: R10 masks them out).
	LEAQ  32(DX), AX
	CMPQ  BX, AX
	JGE   more
	MOVQ  BX, CX
	SUBQ  DX, CX
	SHLQ  CX, R9 // the coverage carried, at its bytes here
	MOVL  $-1, R10
	SHLL  CX, R10
	MOVQ  DX, BX
	MASKS
	COVER
	ANDL  R10, CX
	TZCNTL CX, CX
	WORDS
	ANDL  R10, AX
	ANDL  R10, R11
	ANDL  R10, R12
	LIMIT
	JMP   probes

stopAt:
	ADDQ R13, BX
	MOVQ $const_stopCand, AX
	JMP  done

wordAt:
	ADDQ R15, BX
	MOVQ $const_stopCand, AX
	JMP  done

more:
	// The last eight bytes (BX is 8 before the end here, R9 its bytes the
	// rune before covers), read as skipTail reads them, zero-padded: a
	// block of the last 32 bytes (Y0), shifted in registers with zeros
	// after (VPERM2I128 brings the upper half down, VPALIGNR shifts each
	// half), its bytes before BX (24) masked out and the last rune (at
	// 29) not probed (every pattern has two runes or more). The probes
	// take each position's bytes from the last eight, R10, shifted down
	// (a copy to the stack would stall its unaligned reloads); every rune
	// whose key is in raw is a candidate (fewer than eleven bytes are
	// left: pairMayStart lets it through).
	VMOVDQU -24(BX), Y0
	VPERM2I128 $0x81, Y0, Y0, Y5
	VPALIGNR $1, Y0, Y5, Y1
	VPALIGNR $2, Y0, Y5, Y2
	VPALIGNR $3, Y0, Y5, Y3
	SUBQ  $24, BX // the block's start
	SHLQ  $24, R9
	CLASSIFY
	COVER
	ANDL  $0xFF000000, CX
	TZCNTL CX, CX
	WORDS
	ANDL  $0xFF000000, AX
	ANDL  $0xDF000000, R11
	ANDL  $0xDF000000, R12
	LIMIT
	MOVQ  24(BX), R10 // the last eight bytes

	TESTL R12, R12
	JZ    tfour

tsix:
	TZCNTL R12, R15
	LEAL  -192(R15*8), SI
	SHRXQ SI, R10, AX
	ANDQ  k48<>(SB), AX
	IMULQ kMul<>(SB), AX
	MOVQ  AX, SI
	SHRQ  $52, SI
	SHRQ  $46, AX
	MOVQ  skipTables_raw(DI)(SI*8), SI
	BTQ   AX, SI
	JCS   tstop6
	BLSRL R12, R12
	JNZ   tsix
	JMP   tfour

tstop6:
	MOVL  R15, R13
	BZHIL R15, R11, R11
	BZHIL R15, R14, R14

tfour:
	TESTL R11, R11
	JZ    twords

tfour1:
	TZCNTL R11, R15
	LEAL  -192(R15*8), SI
	SHRXQ SI, R10, AX
	MOVL  AX, AX
	IMULQ kMul<>(SB), AX
	MOVQ  AX, SI
	SHRQ  $52, SI
	SHRQ  $46, AX
	MOVQ  skipTables_raw(DI)(SI*8), SI
	BTQ   AX, SI
	JCS   tstop4
	BLSRL R11, R11
	JNZ   tfour1
	JMP   twords

tstop4:
	MOVL  R15, R13
	BZHIL R15, R14, R14

twords:
	TESTL R14, R14
	JZ    tdecide

tword1:
	TZCNTL R14, R15
	LEAL  -192(R15*8), SI
	SHRXQ SI, R10, AX
	ORL   $0x202020, AX
	ANDL  $0xFFFFFF, AX
	IMULQ kMul<>(SB), AX
	SHRQ  $52, AX
	MOVL  AX, SI
	SHRL  $6, SI
	MOVQ  skipTables_tri(DI)(SI*8), SI
	BTQ   AX, SI
	JCS   wordAt
	BLSRL R14, R14
	JNZ   tword1

tdecide:
	CMPL R13, $32
	JCS  stopAt
	ADDQ $32, BX // the end of v
	MOVQ $const_stopNone, AX
	JMP  done

short:
	MOVQ $const_stopMore, AX

done:
	VZEROUPPER
	SUBQ v_base+0(FP), BX
	MOVQ BX, next+48(FP)
	MOVQ AX, stop+56(FP)
	RET
