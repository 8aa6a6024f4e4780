//go:build amd64 && !purego

#include "go_asm.h"
#include "textflag.h"

// skipKernel is skipGo (textpi.go) with quiet's common cases written in
// line; see skip_amd64.go for what it returns.
//
// Registers:
//	SI	v's data	DX	len(v)	BX	j	R8	st (the pair value of the rune before j)
//	R9	stop		R10	lim8	R11	lim	DI	t
// quietAt (below) may change every other register and sets j and st.

// The pattern of two three-byte runes in eight bytes, little endian.
DATA mask6<>+0(SB)/8, $0x0000C0C0F0C0C0F0
GLOBL mask6<>(SB), RODATA|NOPTR, $8
DATA pat6<>+0(SB)/8, $0x00008080E08080E0
GLOBL pat6<>(SB), RODATA|NOPTR, $8
DATA high8<>+0(SB)/8, $0x8080808080808080
GLOBL high8<>(SB), RODATA|NOPTR, $8

// func skipKernel(t *tables, v []byte, i int, st uint32, stop int) (j int, ev int)
TEXT ·skipKernel(SB), NOSPLIT, $0-72
	MOVQ t+0(FP), DI
	MOVQ v_base+8(FP), SI
	MOVQ v_len+16(FP), DX
	MOVQ i+32(FP), BX
	MOVL st+40(FP), R8
	MOVQ stop+48(FP), R9

	// j := i+3; if i < 0 || j > len(v) (unsigned: also j < 0): return j.
	// (The loops read from j-3, so an i below 0 would read before v.)
	TESTQ BX, BX
	LEAQ 3(BX), BX
	JLT  retEndJ
	CMPQ BX, DX
	JHI  retEndJ

	// lim := len(v)-4; if stop >= j && stop-3 < lim { lim = stop-3 }
	LEAQ -4(DX), R11
	CMPQ R9, BX
	JLT  limDone
	LEAQ -3(R9), AX
	CMPQ AX, R11
	JGE  limDone
	MOVQ AX, R11

limDone:
	// lim8 := min(lim-3, len(v)-8)
	LEAQ -3(R11), R10
	LEAQ -8(DX), AX
	CMPQ AX, R10
	JGE  loop2
	MOVQ AX, R10

	// Two runes a step (skipGo's pair loop), its test at the bottom.
loop2:
	CMPQ BX, R10
	JGT  loop1

loop2body:
	MOVQ (SI)(BX*1), AX
	MOVQ AX, CX
	ANDQ mask6<>(SB), CX
	CMPQ CX, pat6<>(SB)
	JNE  runEnd
	MOVQ AX, CX
	SHRQ $6, CX
	XORQ AX, CX
	MOVWQZX CX, R14
	MOVL tables_pair(DI)(R14*4), R14 // a
	SHRQ $24, CX
	MOVWQZX CX, CX
	MOVL tables_pair(DI)(CX*4), CX // b
	MOVL R14, R15
	SHRL $16, R15
	ANDL R8, R15 // m1: st and a
	MOVL CX, R13
	SHRL $16, R13
	ANDL R14, R13 // m2: a and b
	ORL  R13, R15
	JNE  meetB
	MOVL CX, R8
	ADDQ $6, BX
	CMPQ BX, R10
	JLE  loop2body
	JMP  loop1

meetB:
	// m1 again (R15 holds m1|m2).
	MOVL  R14, R15
	SHRL  $16, R15
	ANDL  R8, R15
	JEQ   meetC
	LEAQ  -3(BX), R12
	MOVL  R15, R13
	JMP   quietAt

meetC:
	MOVQ BX, R12
	JMP  quietAt

runEnd:
	// The run ends at one of the two runes (AX = x): the first may
	// still be one, and the rune after it is then where it ends.
	MOVL AX, CX
	ANDL $0xC0C0F0, CX
	CMPL CX, $0x8080E0
	JNE  gap
	MOVL AX, CX
	SHRL $6, CX
	XORL AX, CX
	MOVWQZX CX, CX
	MOVL tables_pair(DI)(CX*4), R14 // a
	MOVL R14, R13
	SHRL $16, R13
	ANDL R8, R13
	JEQ  contA
	LEAQ -3(BX), R12
	JMP  quietAt

contA:
	MOVL R14, R8
	ADDQ $3, BX
	SHRQ $24, AX
	JMP  gap

	// One rune a step: fewer than eight bytes or the cue position ahead.
loop1:
	CMPQ BX, R11
	JGT  post
	MOVL (SI)(BX*1), AX
	MOVL AX, CX
	ANDL $0xC0C0F0, CX
	CMPL CX, $0x8080E0
	JNE  gap
	MOVL AX, CX
	SHRL $6, CX
	XORL AX, CX
	MOVWQZX CX, CX
	MOVL tables_pair(DI)(CX*4), CX // st2
	MOVL CX, R13
	SHRL $16, R13
	ANDL R8, R13
	JNE  retMeetPrev
	MOVL CX, R8
	ADDQ $3, BX
	JMP  loop1

post:
	MOVQ DX, AX
	SUBQ BX, AX
	CMPQ AX, $4
	JLT  last
	MOVL (SI)(BX*1), AX
	MOVL AX, CX
	ANDL $0xC0C0F0, CX
	CMPL CX, $0x8080E0
	JNE  gap
	// A three-byte rune the loops left: the cue position.
	MOVL AX, CX
	SHRL $6, CX
	XORL AX, CX
	MOVWQZX CX, CX
	MOVL tables_pair(DI)(CX*4), CX
	MOVL CX, R13
	SHRL $16, R13
	ANDL R8, R13
	JNE  retMeetPrev
	CMPQ BX, R9
	JEQ  retEndJ
	MOVL CX, R8
	ADDQ $3, BX
	JMP  loop2

last:
	// The last rune of the value: its three bytes and nothing after.
	CMPQ AX, $3
	JNE  retEndJ
	MOVBLZX (SI)(BX*1), AX
	MOVBLZX 1(SI)(BX*1), CX
	SHLL    $8, CX
	ORL     CX, AX
	MOVBLZX 2(SI)(BX*1), CX
	SHLL    $16, CX
	ORL     CX, AX
	MOVL    AX, CX
	ANDL    $0xC0C0F0, CX
	CMPL    CX, $0x8080E0
	JNE     retEndJ
	MOVL    AX, CX
	SHRL    $6, CX
	XORL    AX, CX
	MOVWQZX CX, CX
	MOVL    tables_pair(DI)(CX*4), CX
	SHRL    $16, CX
	ANDL    R8, CX
	JNE     retMeetPrev
	CMPQ    BX, R9
	JEQ     retEndJ
	ADDQ    $3, BX
	JMP     retEndJ

gap:
	// AX's low four bytes are v[j:j+4], the first not a three-byte rune.
	CMPB AL, $0x80
	JAE  retEndJ // another rune or a stray byte
	// k: the end of the ASCII from j+1, mostly within the eight bytes
	// there (numbers).
	LEAQ 9(BX), CX
	CMPQ CX, DX
	JGT  gapNear
	MOVQ 1(SI)(BX*1), CX
	ANDQ high8<>(SB), CX
	JEQ  gapLong
	BSFQ CX, CX
	SHRQ $3, CX
	LEAQ 1(BX)(CX*1), CX
	JMP  gapEnd

gapLong:
	LEAQ 9(BX), CX
	JMP  ascii8

gapNear:
	LEAQ 1(BX), CX

ascii8:
	// skipASCII from CX.
	LEAQ 8(CX), AX
	CMPQ AX, DX
	JGT  ascii1
	MOVQ (SI)(CX*1), AX
	ANDQ high8<>(SB), AX
	JNE  ascii8Found
	ADDQ $8, CX
	JMP  ascii8

ascii8Found:
	BSFQ AX, AX
	SHRQ $3, AX
	ADDQ AX, CX
	JMP  gapEnd

ascii1:
	CMPQ CX, DX
	JGE  gapEnd
	CMPB (SI)(CX*1), $0x80
	JAE  gapEnd
	INCQ CX
	JMP  ascii1

gapEnd:
	// k in CX: return there at the end of the value or with the cue
	// position in the gap; skip decides after a key separator.
	MOVQ DX, AX
	SUBQ CX, AX
	CMPQ AX, $4
	JLT  retEndK
	CMPQ R9, BX
	JLT  gapKey
	CMPQ R9, CX
	JLE  retEndK

gapKey:
	// keySep(v[k-1]): its bit in keySepBits (BTQ takes the byte mod
	// 64), and below 64 (a digit, the common byte here, has no bit).
	MOVBLZX -1(SI)(CX*1), AX
	MOVQ    $0x2400008500000000, R13 // keySepBits
	BTQ     AX, R13
	JCC     gapNext
	CMPL    AX, $64
	JB      retKeyK

gapNext:
	MOVL    (SI)(CX*1), AX
	MOVL    AX, R13
	ANDL    $0xC0C0F0, R13
	CMPL    R13, $0x8080E0
	JNE     retEndK
	MOVL    AX, R13
	SHRL    $6, R13
	XORL    AX, R13
	MOVWQZX R13, R13
	MOVL    tables_pair(DI)(R13*4), R8
	LEAQ    3(CX), BX
	JMP     loop2

	// quietAt is quiet, for runes at v[R12] and v[R12+3] whose pair
	// bits meet in R13, where 0 <= R12 and R12+8 <= len(v), short of the
	// cue position. Where quiet would be true, the walk goes on at the
	// second rune (isQuiet), the same from every place that comes here;
	// where it might be false, it returns (R12, evMeet) or (R12, evScan).
quietAt:
	TESTL $const_pCompound, R13
	JNE   retMeet
	TESTL $const_pScan, R13
	JEQ   noScan
	// The scan bit set (inScanBloom of the six bytes).
	MOVQ  (SI)(R12*1), CX
	SHLQ  $16, CX
	SHRQ  $16, CX // the key
	MOVQ  $0x9E3779B97F4A7C15, AX
	IMULQ CX, AX
	MOVQ  AX, R14 // the hash, for the table
	SHRQ  $46, AX
	MOVQ  AX, R15
	SHRQ  $6, R15
	MOVQ  tables_scanBloom(DI)(R15*8), R15
	BTQ   AX, R15
	JCC   noScan
	// The key passes: look it up (lookupVia) as far as showing that no
	// word of scanKinds starts here (条记录 before no 记录人); a word
	// that may, or a value too short for one load of the word's tail,
	// goes to skipFrom (evScan). v_cap's slot, which nothing reads,
	// keeps m, and DX (len(v)) is a scratch register until the end.
	MOVQ  R13, v_cap+24(FP)
	SHRQ  $(64-const_slotBits), R14
	MOVQ  tables_slots(DI), R15

scanProbe:
	IMUL3Q $slot__size, R14, AX
	ADDQ   R15, AX // &slots[s]
	CMPQ   slot_key(AX), CX
	JEQ    scanSlot
	CMPQ   slot_key(AX), $0
	JEQ    scanMiss
	INCQ   R14
	ANDQ   $(1<<const_slotBits-1), R14
	JMP    scanProbe

scanSlot:
	TESTW   $const_scanKinds, slot_kinds(AX)
	JEQ     scanMiss
	MOVQ    DX, R13
	SUBQ    R12, R13
	CMPQ    R13, $14
	JLT     retScan
	MOVQ    6(SI)(R12*1), CX // the value's bytes 6..13 after the key
	MOVL    slot_start(AX), R14
	MOVWLZX slot_count(AX), AX
	ADDQ    R14, AX
	MOVQ    tables_words(DI), R15

scanWord:
	CMPQ   R14, AX
	JGE    scanMiss
	MOVQ   R14, R13
	ANDQ   $(const_wordsMax-1), R13
	IMUL3Q $word__size, R13, R13
	ADDQ   R15, R13 // &words[j]
	INCQ   R14
	TESTW  $const_scanKinds, word_kind(R13)
	JEQ    scanWord
	MOVQ   CX, DX
	XORQ   word_tail(R13), DX
	ANDQ   word_mask(R13), DX
	JNE    scanWord
	JMP    retScan // a word may start here

scanMiss:
	// No scan word: quiet decides on the rest of m.
	MOVQ v_len+16(FP), DX
	MOVQ v_cap+24(FP), R13
	ANDL $(0xFFFF^const_pScan), R13
	JEQ  isQuiet

noScan:
	TESTL $const_pSingle, R13
	JEQ   isQuiet
	MOVQ  DX, AX
	SUBQ  R12, AX
	CMPQ  AX, $13
	JLT   retMeet
	// The score test: single[next] (its given score, high byte)
	// against single[r] (the score it needs, low byte).
	MOVQ    (SI)(R12*1), AX
	MOVQ    AX, R15
	SHRQ    $6, R15
	XORQ    R15, AX
	MOVWQZX AX, R15
	MOVWLZX tables_single(DI)(R15*2), R15
	SHRQ    $24, AX
	MOVWQZX AX, AX
	MOVWLZX tables_single(DI)(AX*2), AX
	SHRL    $8, AX
	MOVBQSX AX, AX
	MOVBQSX R15, R15
	CMPQ    AX, R15
	JGE     retMeet
	// The look-ahead at b[6] and b[9] (b = v[R12:]), as in quiet.
	MOVQ    5(SI)(R12*1), AX
	SHRQ    $8, AX // y
	MOVQ    AX, CX
	SHRQ    $6, CX
	XORQ    AX, CX // ky
	// Where both are three-byte runes (most often), only a title
	// start or full-width punctuation can be something there, and
	// pair's pTitleStart marks both (pLook).
	MOVQ    AX, R13
	ANDQ    mask6<>(SB), R13
	CMPQ    R13, pat6<>(SB)
	JNE     lookBytes
	MOVWQZX CX, R13
	MOVL    tables_pair(DI)(R13*4), R13
	MOVQ    CX, R14
	SHRQ    $24, R14
	MOVWQZX R14, R14
	ORL     tables_pair(DI)(R14*4), R13
	TESTL   $const_pTitleStart, R13
	JEQ     isQuiet

lookBytes:
	LEAQ    ·cueByte(SB), R15
	MOVBLZX AL, R13
	MOVBLZX (R15)(R13*1), R13 // c6
	MOVQ    AX, R14
	SHRQ    $24, R14
	MOVBLZX R14B, R14
	MOVBLZX (R15)(R14*1), R14 // c9
	// Neither an ideograph's lead byte nor '1' nor a separator (digits
	// after the name): nothing there.
	MOVL    R13, AX
	ORL     R14, AX
	JEQ     isQuiet
	MOVWQZX CX, AX
	MOVL    tables_pair(DI)(AX*4), AX
	ANDL    R13, AX
	SHRQ    $24, CX
	MOVWQZX CX, CX
	MOVL    tables_pair(DI)(CX*4), CX
	ANDL    R14, CX
	ORL     CX, AX
	ANDL    $const_pTitleStart, AX // title
	MOVL    R13, CX
	ORL     R14, CX
	ANDL    $const_cbOne, CX
	ORL     CX, AX
	// sep: cueByte[b[6+c6&cbSkip]] & c6>>cbSepShift, and the same at 9.
	MOVL    R13, CX
	ANDL    $const_cbSkip, CX
	ADDQ    R12, CX
	MOVBLZX 6(SI)(CX*1), CX
	MOVBLZX (R15)(CX*1), CX
	SHRL    $const_cbSepShift, R13
	ANDL    R13, CX
	ANDL    $const_cbNext, CX
	ORL     CX, AX
	MOVL    R14, CX
	ANDL    $const_cbSkip, CX
	ADDQ    R12, CX
	MOVBLZX 9(SI)(CX*1), CX
	MOVBLZX (R15)(CX*1), CX
	SHRL    $const_cbSepShift, R14
	ANDL    R14, CX
	ANDL    $const_cbNext, CX
	ORL     CX, AX
	JEQ     isQuiet
	// Something may follow: quiet's second look at the same bytes (a
	// '1' must begin 1[3-9] and digits to b[12]; a separator must be
	// followed by a '1', or by all of 男 or 女 where b holds them).
	TESTL   $const_pTitleStart, AX
	JNE     retMeet
	MOVQ    $6, R13

lookAt:
	// R13: p (6, then 9); R14: the index of b[p] in v.
	LEAQ    (R12)(R13*1), R14
	MOVBLZX (SI)(R14*1), AX
	MOVBLZX (R15)(AX*1), CX // c
	TESTL   $const_cbOne, CX
	JEQ     lookSep
	// phoneMay: b[p+1] in 3..9, then digits to the end of b.
	MOVBLZX 1(SI)(R14*1), AX
	SUBL    $0x33, AX
	CMPL    AX, $6
	JA      lookNext
	LEAQ    2(R14), AX
	LEAQ    13(R12), CX

lookDigits:
	CMPQ    AX, CX
	JGE     retMeet
	MOVBLZX (SI)(AX*1), R14
	SUBL    $0x30, R14
	CMPL    R14, $9
	JA      lookNext
	INCQ    AX
	JMP     lookDigits

lookSep:
	TESTL   $const_cbSep, CX
	JEQ     lookNext
	ANDL    $const_cbSkip, CX
	ADDQ    R13, CX // q, in b
	CMPQ    CX, $10
	JGT     lookQByte
	ADDQ    R12, CX
	CMPB    (SI)(CX*1), $0x31
	JEQ     lookQByteAbs
	MOVWLZX (SI)(CX*1), AX
	MOVBLZX 2(SI)(CX*1), R14
	SHLL    $16, R14
	ORL     R14, AX
	CMPL    AX, $0xB794E7 // 男
	JEQ     retMeet
	CMPL    AX, $0xB3A5E5 // 女
	JEQ     retMeet
	JMP     lookNext

lookQByte:
	ADDQ    R12, CX

lookQByteAbs:
	MOVBLZX (SI)(CX*1), AX
	MOVBLZX (R15)(AX*1), AX
	TESTL   $const_cbNext, AX
	JNE     retMeet

lookNext:
	CMPQ    R13, $9
	JEQ     isQuiet
	MOVQ    $9, R13
	JMP     lookAt

isQuiet:
	// Go on at the pair's second rune, as skipGo does after a quiet
	// pair: st is its pair value, j the rune after it.
	MOVL    3(SI)(R12*1), AX
	MOVL    AX, CX
	SHRL    $6, CX
	XORL    AX, CX
	MOVWQZX CX, CX
	MOVL    tables_pair(DI)(CX*4), R8
	LEAQ    6(R12), BX
	JMP     loop2

retMeet:
	MOVQ R12, j+56(FP)
	MOVQ $const_evMeet, ev+64(FP)
	RET

retScan:
	MOVQ R12, j+56(FP)
	MOVQ $const_evScan, ev+64(FP)
	RET

retMeetPrev:
	LEAQ -3(BX), AX
	MOVQ AX, j+56(FP)
	MOVQ $const_evMeet, ev+64(FP)
	RET

retEndJ:
	MOVQ BX, j+56(FP)
	MOVQ $const_evEnd, ev+64(FP)
	RET

retEndK:
	MOVQ CX, j+56(FP)
	MOVQ $const_evEnd, ev+64(FP)
	RET

retKeyK:
	MOVQ CX, j+56(FP)
	MOVQ $const_evKey, ev+64(FP)
	RET
