// Package fpe makes reversible, format-preserving tokens of PI values with
// FF1 (package ff1): a token is still a valid value of its type, so
// application validation accepts it, and the same value with the same key
// gives the same token everywhere, so joins still match.
//
//   - cn_id_card: the sex digit's parity is kept and the birth date stays a
//     real date near the real one; the sequence code is encrypted together
//     with the date; the GB 11643 check character is recomputed. Births up
//     to 2025 (and 15-digit legacy numbers) keep the region code (first 6
//     digits) and stay in their decade up to 2019, or in 2020–2025, so their
//     tokens are never in the future. Births from 2026 keep their birth
//     year (a token is in the future only while its real birth year is
//     still running) and, to keep the encrypted domain above 10^6, get
//     another GB/T 2260 region code of the same province (first 2 digits
//     kept; regions_gen.go, a frozen snapshot of the detector's table).
//     Where that cannot be done (provinces 81, 82, 83 with one code each;
//     codes outside the table) the region is kept and the window is six
//     years (2026–2031, 2032–2037, ...). See idCard.
//   - cn_mobile: the 3-digit segment (and any +86/0086 prefix) is kept, the
//     8 remaining digits are encrypted.
//   - bank_card: the 6-digit BIN is kept, the middle digits are encrypted and
//     the Luhn check digit is recomputed.
//   - cn_landline: the first 3 digits (area code prefix) are kept, the rest
//     encrypted.
//   - email: the address is lower-cased, then the local part is tokenised
//     as alnum and the domain kept. Domains are case-insensitive, and so
//     are local parts at the providers that matter (QQ, 163, 126, Sina,
//     Gmail; RFC 5321 allows otherwise, nobody relies on it): so
//     Zhang.San@QQ.com and zhang.san@qq.com, one mailbox, get one token,
//     and Untokenize gives the address back in lower case. (Tokens made
//     before this rule, mixed-case ones included, still reverse.)
//   - anything else: alnum over the ASCII letters and digits, keeping the
//     case class (digits only, upper-case, lower-case or mixed): FF1 runs in
//     radix 10, 36 or 62 and cycle-walks until the token is in the same
//     class, so the class tells Untokenize which alphabet to use.
//
// Separators and other characters stay where they were. A check digit that
// was wrong in the input is wrong by the same amount in the token, so every
// value round-trips exactly (except a lower-case ID check 'x', which comes
// back as 'X').
//
// The type ID is part of every FF1 tweak: the same digits tokenised as two
// types give unrelated tokens. The kept parts (region or province and date
// window, segment, BIN) are in the tweak too, so each gets its own
// permutation.
//
// A Tokenizer holds scratch space and is not safe for concurrent use; Clone
// one per goroutine.
package fpe

import (
	"bytes"
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/internal/utf8x"
	"github.com/piiscan/piiscan/masking/ff1"
)

// Format is a token layout.
type Format uint8

const (
	FormatAuto     Format = iota // chosen from the type: FormatFor
	FormatIDCard                 // GB 11643 resident ID, 18 or 15 characters
	FormatMobile                 // mainland mobile, 11 digits, optional 86/0086
	FormatBankCard               // 13–19 digits, BIN kept, Luhn recomputed
	FormatLandline               // digits, first 3 kept
	FormatEmail                  // local part as alnum, domain kept
	FormatDigits                 // every ASCII digit encrypted, radix 10
	FormatAlnum                  // every ASCII letter and digit, case class kept
)

var formatNames = [...]string{"auto", "cn_id_card", "cn_mobile", "bank_card", "cn_landline", "email", "digits", "alnum"}

func (f Format) String() string {
	if int(f) < len(formatNames) {
		return formatNames[f]
	}
	return fmt.Sprintf("format(%d)", uint8(f))
}

// ParseFormat accepts the names printed by String.
func ParseFormat(s string) (Format, error) {
	for i, n := range formatNames {
		if s == n {
			return Format(i), nil
		}
	}
	return 0, fmt.Errorf("unknown token format %q (want auto, digits, alnum or a type: cn_id_card, cn_mobile, bank_card, cn_landline, email)", s)
}

// FormatFor is the layout FormatAuto uses for a type.
func FormatFor(t pi.TypeID) Format {
	switch t {
	case pi.IDCard, pi.Minor:
		return FormatIDCard
	case pi.Mobile:
		return FormatMobile
	case pi.BankCard:
		return FormatBankCard
	case pi.Landline:
		return FormatLandline
	case pi.Email:
		return FormatEmail
	}
	return FormatAlnum
}

// ErrFormat means the value does not have the shape its format needs (wrong
// length, not a date, too few characters to encrypt safely). Errors wrap it
// and never quote the value.
var ErrFormat = errors.New("fpe: value does not fit the token format")

// maxChars bounds the characters one token encrypts; longer values are
// refused rather than sent through FF1's allocating big-number path.
const maxChars = 128

// minDomain is SP 800-38G Rev. 1's bound on radix^n: smaller domains are
// refused (and the ID card's date domain is built to exceed it).
const minDomain = 1_000_000

// Tokenizer makes and reverses tokens with one block cipher.
type Tokenizer struct {
	dec, b36, b62, date *ff1.Cipher

	// region[p] encrypts the ID numbers of births from 2026 in province p
	// (idCardYear), in that province's radix; made on first use, since a
	// Cipher holds kilobytes of scratch and most data comes from a few
	// provinces.
	block  cipher.Block
	region [100]*ff1.Cipher

	tweak []byte
	pos   [maxChars]int32 // byte offsets of the significant characters in dst
	dense bool            // collectDigits took every byte: pos[k] == k
	num   [maxChars]uint16
	tmp   [maxChars]uint16

	// batch is where crypt looks its results up (Prefetch); recording
	// makes crypt add its computation to batch and stop.
	batch     *ff1.Batch
	recording bool
	scratch   []byte // Prefetch's discarded output
}

// dateRadix is the radix of the ID card's (day, sequence) pair encrypted as
// two numerals: 1352² = 1,827,904 ≥ 3,653 days × 500 sequence halves, and
// ≥ 10^6.
const dateRadix = 1352

// New returns a Tokenizer over block (AES-256 or SM4 in piiscan).
func New(block cipher.Block) (*Tokenizer, error) {
	t := &Tokenizer{block: block}
	var err error
	for _, c := range []struct {
		dst   **ff1.Cipher
		radix int
	}{{&t.dec, 10}, {&t.b36, 36}, {&t.b62, 62}, {&t.date, dateRadix}} {
		if *c.dst, err = ff1.New(block, c.radix); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// Clone returns a Tokenizer with the same key and its own scratch.
func (t *Tokenizer) Clone() *Tokenizer {
	return &Tokenizer{dec: t.dec.Clone(), b36: t.b36.Clone(), b62: t.b62.Clone(), date: t.date.Clone(), block: t.block}
}

// Tokenize appends the token of v, a value of type typ, to dst.
func (t *Tokenizer) Tokenize(dst []byte, typ pi.TypeID, v []byte) ([]byte, error) {
	return t.run(dst, FormatAuto, typ, v, true)
}

// Untokenize appends the value whose token is v to dst.
func (t *Tokenizer) Untokenize(dst []byte, typ pi.TypeID, v []byte) ([]byte, error) {
	return t.run(dst, FormatAuto, typ, v, false)
}

// TokenizeAs is Tokenize with an explicit layout; typ still goes in the tweak.
func (t *Tokenizer) TokenizeAs(dst []byte, f Format, typ pi.TypeID, v []byte) ([]byte, error) {
	return t.run(dst, f, typ, v, true)
}

// UntokenizeAs reverses TokenizeAs.
func (t *Tokenizer) UntokenizeAs(dst []byte, f Format, typ pi.TypeID, v []byte) ([]byte, error) {
	return t.run(dst, f, typ, v, false)
}

func (t *Tokenizer) run(dst []byte, f Format, typ pi.TypeID, v []byte, enc bool) ([]byte, error) {
	if f == FormatAuto {
		f = FormatFor(typ)
	}
	start := len(dst)
	dst = append(dst, v...)
	out := dst[start:]
	var err error
	switch f {
	case FormatIDCard:
		err = t.idCard(out, typ, enc)
	case FormatMobile:
		err = t.mobile(out, typ, enc)
	case FormatBankCard:
		err = t.bankCard(out, typ, enc)
	case FormatLandline:
		err = t.digits(out, typ, 3, enc)
	case FormatDigits:
		err = t.digits(out, typ, 0, enc)
	case FormatEmail:
		at := bytes.LastIndexByte(out, '@')
		if at < 0 {
			err = fmt.Errorf("%w: %s without '@'", ErrFormat, typ)
			break
		}
		if enc {
			// One address, one token, whatever its case (see the
			// package comment).
			utf8x.LowerASCII(out)
		}
		err = t.alnum(out[:at], typ, enc)
	case FormatAlnum:
		err = t.alnum(out, typ, enc)
	default:
		err = fmt.Errorf("fpe: unknown format %d", f)
	}
	if err != nil {
		return dst[:start], err
	}
	return dst, nil
}

// collectDigits records the offsets of ASCII digits (and, with x, a final
// 'X'/'x') in b and their values in t.num, and whether they are all of b
// (t.dense: then t.pos[k] == k).
func (t *Tokenizer) collectDigits(b []byte, x bool) (int, error) {
	n := 0
	pos, num := t.pos[:], t.num[:len(t.pos)]
	for i := 0; i < len(b); {
		// Eight digits at a time (most of an ID, a card or a mobile): a
		// digit's value is its low four bits.
		if i+8 <= len(b) && n+8 <= len(pos) {
			if w := binary.LittleEndian.Uint64(b[i:]); utf8x.Digits8(w) {
				p, q, o := pos[n:n+8:n+8], num[n:n+8:n+8], int32(i)
				p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7] = o, o+1, o+2, o+3, o+4, o+5, o+6, o+7
				q[0], q[1] = uint16(w&0xF), uint16(w>>8&0xF)
				q[2], q[3] = uint16(w>>16&0xF), uint16(w>>24&0xF)
				q[4], q[5] = uint16(w>>32&0xF), uint16(w>>40&0xF)
				q[6], q[7] = uint16(w>>48&0xF), uint16(w>>56&0xF)
				i, n = i+8, n+8
				continue
			}
		}
		c := b[i]
		d := c - '0'
		if d > 9 {
			if !x || c|0x20 != 'x' { // 'X' or 'x'
				i++
				continue
			}
			d = 10
		}
		if n >= len(pos) {
			return 0, fmt.Errorf("%w: more than %d characters", ErrFormat, maxChars)
		}
		pos[n] = int32(i)
		num[n] = uint16(d)
		n++
		i++
	}
	t.dense = n == len(b)
	return n, nil
}

func (t *Tokenizer) setTweak(typ pi.TypeID, kept ...uint16) []byte {
	t.tweak = append(t.tweak[:0], typ...)
	t.tweak = append(t.tweak, 0)
	for _, k := range kept {
		t.tweak = append(t.tweak, byte(k>>8), byte(k))
	}
	return t.tweak
}

// crypt encrypts (enc) or decrypts the numerals x in place. With a batch
// (Prefetch), it takes the result from the batch where a lane computed it;
// while Prefetch records, it adds the computation to the batch instead
// and stops the tokenisation (errRecorded).
func (t *Tokenizer) crypt(c *ff1.Cipher, x []uint16, tweak []byte, enc bool) error {
	if b := t.batch; b != nil {
		if t.recording {
			b.Add(c, x, tweak, enc)
			return errRecorded
		}
		if b.Lookup(c, x, x, tweak, enc) {
			return nil
		}
	}
	if enc {
		return c.Encrypt(x, x, tweak)
	}
	return c.Decrypt(x, x, tweak)
}

// errRecorded stops a tokenisation that Prefetch runs at its first FF1
// computation, which it has added to the batch.
var errRecorded = errors.New("fpe: recorded for a batch")

// Prefetch adds the first FF1 computation the token of v (as TokenizeAs(f,
// typ, v) makes it) needs to b, if b takes it, and lets the Tokenizer look
// its computations up in b from then on: after b.Run, TokenizeAs(f, typ,
// v) finds that computation's result there instead of running it, its FF1
// rounds having run beside other values' (ff1.Batch). Tokens are the same
// with or without it; a value the batch does not take (or that needs more
// computations, as a cycle walk may) costs what it did. b must outlive
// its use here: Prefetch with another batch, or nil, detaches it.
func (t *Tokenizer) Prefetch(b *ff1.Batch, f Format, typ pi.TypeID, v []byte) {
	if !t.dec.Batchable() {
		// SM4, or no AES-NI: no lane would be taken, and recording
		// would only run the tokenisation twice.
		b = nil
	}
	t.batch = b
	if b == nil {
		return
	}
	t.recording = true
	t.scratch, _ = t.run(t.scratch[:0], f, typ, v, true)
	t.recording = false
}

func (t *Tokenizer) writeDigits(b []byte, lo, hi int) {
	if t.dense {
		for k := lo; k < hi; k++ {
			b[k] = byte('0' + t.num[k])
		}
		return
	}
	for k := lo; k < hi; k++ {
		b[t.pos[k]] = byte('0' + t.num[k])
	}
}

func (t *Tokenizer) mobile(b []byte, typ pi.TypeID, enc bool) error {
	n, err := t.collectDigits(b, false)
	if err != nil {
		return err
	}
	// Skip a country prefix: 86 or 0086 before the 11 national digits.
	p := n - 11
	switch {
	case p == 0:
	case p == 2 && t.num[0] == 8 && t.num[1] == 6:
	case p == 4 && t.num[0] == 0 && t.num[1] == 0 && t.num[2] == 8 && t.num[3] == 6:
	default:
		return fmt.Errorf("%w: %s needs 11 digits after an optional 86/0086, has %d digits", ErrFormat, typ, n)
	}
	if t.num[p] != 1 {
		return fmt.Errorf("%w: %s does not start with 1", ErrFormat, typ)
	}
	tw := t.setTweak(typ, t.num[p], t.num[p+1], t.num[p+2])
	if err := t.crypt(t.dec, t.num[p+3:n], tw, enc); err != nil {
		return err
	}
	t.writeDigits(b, p+3, n)
	return nil
}

func (t *Tokenizer) digits(b []byte, typ pi.TypeID, keep int, enc bool) error {
	n, err := t.collectDigits(b, false)
	if err != nil {
		return err
	}
	if n-keep < 6 {
		return fmt.Errorf("%w: %s has %d digits to encrypt, need at least 6", ErrFormat, typ, max(n-keep, 0))
	}
	tw := t.setTweak(typ, t.num[:keep]...)
	if err := t.crypt(t.dec, t.num[keep:n], tw, enc); err != nil {
		return err
	}
	t.writeDigits(b, keep, n)
	return nil
}

func (t *Tokenizer) bankCard(b []byte, typ pi.TypeID, enc bool) error {
	n, err := t.collectDigits(b, false)
	if err != nil {
		return err
	}
	if n < 13 || n > 19 {
		return fmt.Errorf("%w: %s has %d digits, want 13 to 19", ErrFormat, typ, n)
	}
	// The check digit's offset from a valid Luhn digit is carried over, so
	// valid cards give valid tokens and every value round-trips.
	delta := (t.num[n-1] + 10 - luhnDigit(t.num[:n-1])) % 10
	tw := t.setTweak(typ, t.num[0], t.num[1], t.num[2], t.num[3], t.num[4], t.num[5], uint16(n))
	if err := t.crypt(t.dec, t.num[6:n-1], tw, enc); err != nil {
		return err
	}
	t.num[n-1] = (luhnDigit(t.num[:n-1]) + delta) % 10
	t.writeDigits(b, 6, n)
	return nil
}

// luhnDigit is the digit that makes payload||digit pass the Luhn check.
// Every numeral of payload is a decimal digit.
func luhnDigit(payload []uint16) uint16 {
	var sum uint16
	i := len(payload) - 1 // the digit left of the check digit is doubled
	for ; i >= 1; i -= 2 {
		sum += luhnDoubled[payload[i]] + payload[i-1]
	}
	if i == 0 {
		sum += luhnDoubled[payload[0]]
	}
	return (10 - sum%10) % 10
}

// luhnDoubled[d] is the digit sum of 2d.
var luhnDoubled = [10]uint16{0, 2, 4, 6, 8, 1, 3, 5, 7, 9}
