package structured

import (
	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/detectors/structured/internal/tables"
)

// bank_card: 16-19 digits with a valid Luhn check, plain or in groups of
// four (6222 0212 3456 7890 123). A known issuer BIN (tables) makes it
// strong; an unknown UnionPay (62) number is weaker; other unknown prefixes
// need context (卡号, card_no).
var bankCardSpec = &spec{
	typ:    pi.BankCard,
	kind:   kBankCard,
	shapes: shapeChain,
	digits: bitRange(16, 19),
	columns: []string{"卡号", "银行卡", "银行账号", "银行帐号", "账号", "帐号", "账户", "card_no", "cardno",
		"card_num", "cardnum", "bank_card", "bankcard", "bank_account", "bank_no", "account_no", "acct_no", "card_number"},
	keywords: []string{"卡号", "银行卡", "账号", "帐号", "账户", "借记卡", "信用卡", "储蓄卡", "card", "account", "acct"},
	base:     0.95,
	boosted:  0.99,
}

func bankCardChain(s *scan, c *chain, a, b int) (hit, bool) {
	if b-a == 1 {
		if l := c.g[a].len(); l < 16 || l > 19 {
			return hit{}, false
		}
	} else {
		// 4-4-4-4(-1..4), one kind of separator
		if b-a < 4 || b-a > 5 || !c.sameSeps(a, b, 0) {
			return hit{}, false
		}
		for k := a; k < b-1; k++ {
			if c.g[k].len() != 4 {
				return hit{}, false
			}
		}
		if l := c.g[b-1].len(); l > 4 || b-a == 4 && l != 4 {
			return hit{}, false
		}
	}
	var buf [19]byte
	d, ok := s.collect(c, a, b, buf[:])
	n := len(d)
	if !ok || n < 16 {
		return hit{}, false
	}
	if !luhn(d) {
		return hit{}, false
	}
	h := hit{start: c.g[a].s, end: c.g[b-1].e}
	switch {
	case n == 18 && idShaped(s.d, d):
		// An ID number with a wrong check digit that happens to pass Luhn,
		// on a BIN like 620302 that is also a Gansu region code: a card
		// only where the context says so.
		h.conf, h.needContext = 0.8, true
	case tables.BIN(d):
	case d[0] == '6' && d[1] == '2':
		h.conf = 0.7
	default:
		h.conf, h.needContext = 0.8, true
	}
	return h, true
}

// idShaped reports whether 18 digits have two of an ID number's three
// marks (region code, birth date, check digit): an ID number with one bad
// part (the decoys of a wrong check digit or an impossible date) is not
// re-read as a card without context.
func idShaped(det *Detector, d []byte) bool {
	_, date := det.birthYMD(num4(d, 6), num2(d, 10), num2(d, 12))
	region := tables.Region(uint32(num6(d, 0)))
	last := d[17]
	check := idCheck(d) == last
	return region && date || region && check || date && check
}

// luhn reports whether the digits pass the Luhn (mod 10) check.
// Two digits per step from the right, the doubled one through luhnDouble,
// without the per-digit branches.
func luhn(d []byte) bool {
	sum := 0
	i := len(d) - 1
	for ; i >= 1; i -= 2 {
		sum += int(d[i]-'0') + int(luhnDouble[d[i-1]])
	}
	if i == 0 {
		sum += int(d[0] - '0')
	}
	return sum%10 == 0
}

// luhnDouble is a doubled digit's share of the Luhn sum, for every byte b
// as x = b-'0' (mod 256): 2x, less 9 when over 9. A byte other than a digit
// ('X' of an ID number read as a card) counts as in the plain loop.
var luhnDouble = func() (t [256]uint16) {
	for b := range t {
		x := int(byte(b) - '0')
		if x *= 2; x > 9 {
			x -= 9
		}
		t[b] = uint16(x)
	}
	return t
}()
