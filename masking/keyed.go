package masking

import (
	"bytes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"unicode/utf8"

	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"
	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/internal/utf8x"
	"github.com/piiscan/piiscan/masking/ff1"
	"github.com/piiscan/piiscan/masking/fpe"
)

// Hash writes a keyed pseudonym: HMAC-SHA256 or HMAC-SM3 of the type and the
// value, as hex (Length digits, default 16; 0 or ≥ 64 for all) or as digits
// in place of the value's letters and digits (ASCII or full-width), so the
// pseudonym keeps the value's layout and separators.
//
// An e-mail address keeps its domain (in lower case) and gets the pseudonym
// as its local part (3f9c04e1a7b2d856@qq.com; with digits, Length digits,
// default 16, like a QQ number), so it is still an address; the address is
// hashed in lower case, so its case does not matter. Distinct addresses get
// distinct ones (64 bits at the default length) where the default mask
// merges them (z***@qq.com): unique and primary-key e-mail columns and joins
// on e-mail survive.
type Hash struct {
	digits bool
	length int
	mac    hash.Hash
	newMac func() hash.Hash
	in     []byte
	sum    [64]byte
}

// hashAlgorithms are the names NewHash accepts.
var hashAlgorithms = []string{"hmac-sha256", "hmac-sm3"}

// NewHash builds a Hash with a subkey of key for the algorithm.
func NewHash(key *Key, algorithm string, digits bool, length int) (*Hash, error) {
	var h func() hash.Hash
	switch algorithm {
	case "", "hmac-sha256":
		sk := key.derive("hash/hmac-sha256", 32)
		h = func() hash.Hash { return hmac.New(sha256.New, sk) }
	case "hmac-sm3":
		sk := key.derive("hash/hmac-sm3", 32)
		h = func() hash.Hash { return hmac.New(sm3.New, sk) }
	default:
		return nil, fmt.Errorf("unknown hash algorithm %q (want hmac-sha256 or hmac-sm3)", algorithm)
	}
	if length < 0 {
		return nil, fmt.Errorf("hash length %d is negative", length)
	}
	return &Hash{digits: digits, length: length, mac: h(), newMac: h}, nil
}

func (h *Hash) clone() Operator {
	return &Hash{digits: h.digits, length: h.length, mac: h.newMac(), newMac: h.newMac}
}

func (h *Hash) Apply(dst []byte, t pi.TypeID, v []byte) ([]byte, error) {
	// The type goes in first, NUL-separated, so one value under two types
	// gives unrelated pseudonyms.
	h.in = append(append(append(h.in[:0], t...), 0), v...)
	if t == pi.Email {
		// One address, one pseudonym, whatever its case: domains are
		// case-insensitive, and so are local parts at the providers
		// that matter (QQ, 163, Gmail). The domain is written in lower
		// case, as tokenize writes it.
		utf8x.LowerASCII(h.in[len(t)+1:])
	}
	h.mac.Reset()
	h.mac.Write(h.in)
	sum := h.mac.Sum(h.sum[:0])
	if t == pi.Email {
		if at := bytes.LastIndexByte(v, '@'); at > 0 && at < len(v)-1 {
			return appendValid(h.local(dst, sum), h.in[len(t)+1+at:]), nil
		}
	}
	if !h.digits {
		n := h.length
		if n == 0 || n > 2*len(sum) {
			n = 2 * len(sum)
		}
		var hx [64]byte
		hex.Encode(hx[:], sum)
		return append(dst, hx[:n]...), nil
	}
	// Digits: 19 from each 8 bytes of the MAC; for longer values the MAC is
	// re-keyed on itself (HMAC(sum)) as often as needed.
	var pool [19]byte
	left := 0
	chunk := 0
	for i := 0; i < len(v); i++ {
		if !isAlnum(v[i]) {
			if v[i] < utf8.RuneSelf {
				dst = append(dst, v[i])
				continue
			}
			r, size := utf8.DecodeRune(v[i:])
			i += size - 1
			if !isFullWidthAlnum(r) { // full-width digits are replaced like ASCII ones
				dst = appendRuneOrByte(dst, r, v[i-size+1:i+1])
				continue
			}
		}
		if left == 0 {
			if chunk == len(sum)/8 {
				h.mac.Reset()
				h.mac.Write(sum)
				sum = h.mac.Sum(h.sum[:0])
				chunk = 0
			}
			x := binary.BigEndian.Uint64(sum[chunk*8:])
			chunk++
			for k := range pool {
				pool[k] = byte('0' + x%10)
				x /= 10
			}
			left = len(pool)
		}
		left--
		dst = append(dst, pool[left])
	}
	return dst, nil
}

// local appends an e-mail local part made from sum: Length hex digits, or
// Length decimal digits (16 for 0) with digits.
func (h *Hash) local(dst, sum []byte) []byte {
	n := h.length
	if !h.digits {
		if n == 0 || n > 2*len(sum) {
			n = 2 * len(sum)
		}
		var hx [64]byte
		hex.Encode(hx[:], sum)
		return append(dst, hx[:n]...)
	}
	if n == 0 {
		n = 16
	}
	n = min(n, 64) // RFC 5321's longest local part
	// 19 digits from each 8 bytes of the MAC, re-keyed on itself as the
	// digits layout does.
	for n > 0 {
		for chunk := 0; chunk < len(sum)/8 && n > 0; chunk++ {
			x := binary.BigEndian.Uint64(sum[chunk*8:])
			for k := 0; k < 19 && n > 0; k++ {
				dst = append(dst, byte('0'+x%10))
				x /= 10
				n--
			}
		}
		if n > 0 {
			h.mac.Reset()
			h.mac.Write(sum)
			sum = h.mac.Sum(h.sum[:0])
		}
	}
	return dst
}

// Tokenize is reversible format-preserving encryption (package fpe) with
// FF1 over AES-256 or SM4.
//
// With a keyed hash as its fallback (fallback: hash, and the rules
// UniqueRule builds), a file holds tokens and hash pseudonyms side by side,
// and unmask must tell them apart: the hash is irreversible, and decrypting
// it as a token gives a valid-looking but invented value. For e-mail
// addresses and the alnum layout, whose tokens keep the value's shape,
// hexLen is the hash's length (16 lower-case hex digits: the local part of
// an address, the whole value otherwise) and that shape is reserved to the
// hash: a value of that shape is not tokenised (ErrFormat: the fallback
// hashes it), and a token that would have it is encrypted again until it
// has not (cycle walking: FF1 stays a permutation of the remaining
// values), so Reverse refuses exactly the hash outputs. Other layouts (ID,
// mobile, card, landline numbers) give digits in a layout the hash does
// not have.
type Tokenize struct {
	format fpe.Format
	tok    *fpe.Tokenizer
	hexLen int
	walk   []byte
}

// tokenCiphers are the names NewTokenize accepts.
var tokenCiphers = []string{"aes-256", "sm4"}

func newTokenizer(key *Key, cipherName string) (*fpe.Tokenizer, error) {
	var block cipher.Block
	var err error
	switch cipherName {
	case "", "aes-256":
		// crypto/aes's block, which ff1 encrypts its rounds with
		// directly where the CPU has AES instructions.
		block, err = ff1.AES(key.derive("tokenize/aes-256", 32))
	case "sm4":
		block, err = sm4.NewCipher(key.derive("tokenize/sm4", 16))
	default:
		return nil, fmt.Errorf("unknown token cipher %q (want aes-256 or sm4)", cipherName)
	}
	if err != nil {
		return nil, err
	}
	return fpe.New(block)
}

// NewTokenize builds a Tokenize with a subkey of key for the cipher.
func NewTokenize(key *Key, cipherName string, format fpe.Format) (*Tokenize, error) {
	tok, err := newTokenizer(key, cipherName)
	if err != nil {
		return nil, err
	}
	return &Tokenize{format: format, tok: tok}, nil
}

func (t *Tokenize) clone() Operator {
	return &Tokenize{format: t.format, tok: t.tok.Clone(), hexLen: t.hexLen}
}

// hashPart returns the part of v a hash fallback of hexLen hex digits would
// write in v's layout (the local part of an address, all of an alnum
// value), and whether the layout keeps shapes that can be the hash's.
func (t *Tokenize) hashPart(typ pi.TypeID, v []byte) ([]byte, bool) {
	if t.hexLen == 0 {
		return nil, false
	}
	f := t.format
	if f == fpe.FormatAuto {
		f = fpe.FormatFor(typ)
	}
	switch f {
	case fpe.FormatEmail:
		if at := bytes.LastIndexByte(v, '@'); at >= 0 {
			return v[:at], true
		}
	case fpe.FormatAlnum:
		return v, true
	}
	return nil, false
}

// hexShaped reports whether b is n hex digits, lower-case (or either case
// with fold): the shape of the hash fallback's output.
func hexShaped(b []byte, n int, fold bool) bool {
	if len(b) != n {
		return false
	}
	for _, c := range b {
		if fold {
			c |= 0x20 // digits already have the bit
		}
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func (t *Tokenize) Apply(dst []byte, typ pi.TypeID, v []byte) ([]byte, error) {
	part, ok := t.hashPart(typ, v)
	if !ok {
		return t.tok.TokenizeAs(dst, t.format, typ, v)
	}
	// An address is tokenised in lower case (fpe), so an upper-case hex
	// local part would give a lower-case one: refused as well.
	if hexShaped(part, t.hexLen, typ == pi.Email || t.format == fpe.FormatEmail) {
		return dst, fmt.Errorf("%w: %s has the shape of the keyed hash its rule falls back to, so its token could not be told from a hash", fpe.ErrFormat, typ)
	}
	return t.walkOut(dst, typ, v, (*fpe.Tokenizer).TokenizeAs)
}

// Prefetch adds to b the first FF1 computation of v's token, for Apply to
// find there after b.Run (fpe.Tokenizer.Prefetch). Values whose layout
// can take the fallback hash's shape (walkOut) are left out.
func (t *Tokenize) Prefetch(b *ff1.Batch, typ pi.TypeID, v []byte) {
	if _, ok := t.hashPart(typ, v); ok {
		return
	}
	t.tok.Prefetch(b, t.format, typ, v)
}

func (t *Tokenize) Reverse(dst []byte, typ pi.TypeID, v []byte) ([]byte, error) {
	part, ok := t.hashPart(typ, v)
	if !ok {
		return t.tok.UntokenizeAs(dst, t.format, typ, v)
	}
	if hexShaped(part, t.hexLen, false) {
		return dst, fmt.Errorf("%w: %s is a keyed hash (the rule's fallback), which cannot be reversed", fpe.ErrFormat, typ)
	}
	return t.walkOut(dst, typ, v, (*fpe.Tokenizer).UntokenizeAs)
}

// walkOut appends run(v) (TokenizeAs or UntokenizeAs), run again on its own
// output while that has the hash's shape: the cycle walk that keeps tokens,
// and the values they reverse to, out of that shape.
func (t *Tokenize) walkOut(dst []byte, typ pi.TypeID, v []byte,
	run func(*fpe.Tokenizer, []byte, fpe.Format, pi.TypeID, []byte) ([]byte, error)) ([]byte, error) {
	start := len(dst)
	out, err := run(t.tok, dst, t.format, typ, v)
	for err == nil {
		if p, _ := t.hashPart(typ, out[start:]); !hexShaped(p, t.hexLen, false) {
			break
		}
		t.walk = append(t.walk[:0], out[start:]...)
		out, err = run(t.tok, out[:start], t.format, typ, t.walk)
	}
	return out, err
}

// ShiftDate moves a date by a number of days in [-MaxDays, MaxDays] that
// depends only on the key and the subject (the person a record is about), so
// intervals between one person's dates are kept. Without a subject every
// date moves by one key-wide offset. The date's layout and anything after it
// (a time) are kept.
type ShiftDate struct {
	maxDays int
	mac     hash.Hash
	newMac  func() hash.Hash
	sum     [32]byte
}

// NewShiftDate builds a ShiftDate with a subkey of key.
func NewShiftDate(key *Key, maxDays int) (*ShiftDate, error) {
	if maxDays <= 0 {
		return nil, fmt.Errorf("max_days %d must be positive", maxDays)
	}
	sk := key.derive("shift_date", 32)
	h := func() hash.Hash { return hmac.New(sha256.New, sk) }
	return &ShiftDate{maxDays: maxDays, mac: h(), newMac: h}, nil
}

func (s *ShiftDate) clone() Operator {
	return &ShiftDate{maxDays: s.maxDays, mac: s.newMac(), newMac: s.newMac}
}

func (s *ShiftDate) Apply(dst []byte, t pi.TypeID, v []byte) ([]byte, error) {
	return s.ApplySubject(dst, t, nil, v)
}

// Offset is the shift in days for a subject.
func (s *ShiftDate) Offset(subject []byte) int {
	s.mac.Reset()
	s.mac.Write(subject)
	sum := s.mac.Sum(s.sum[:0])
	span := uint64(2*s.maxDays + 1)
	return int(binary.BigEndian.Uint64(sum)%span) - s.maxDays
}

func (s *ShiftDate) ApplySubject(dst []byte, t pi.TypeID, subject, v []byte) ([]byte, error) {
	c, l, ok := parseDate(v)
	if !ok {
		return dst, unsupported("shift_date", t)
	}
	shifted := fromDayNumber(dayNumber(c) + s.Offset(subject))
	if shifted.y < 0 || shifted.y > 9999 {
		return dst, unsupported("shift_date", t)
	}
	dst = appendDate(dst, shifted, l)
	return append(dst, v[l.end:]...), nil
}
