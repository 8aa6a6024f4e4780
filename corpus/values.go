package corpus

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// gen makes values. All randomness comes from r, so a seed fixes the output.
type gen struct {
	r   *rand.Rand
	now time.Time
}

func newGen(seed uint64, now time.Time) *gen {
	return &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), now: now}
}

func (g *gen) n(k int) int               { return g.r.IntN(k) }
func (g *gen) chance(p float64) bool     { return g.r.Float64() < p }
func pick[T any](g *gen, xs []T) T       { return xs[g.r.IntN(len(xs))] }
func (g *gen) digits(k int) string       { return g.digitsFrom(k, '0') }
func (g *gen) between(lo, hi int) int    { return lo + g.r.IntN(hi-lo+1) }
func (g *gen) pickRune(rs []rune) string { return string(rs[g.r.IntN(len(rs))]) }

// digitsFrom returns k random digits, the first not below first.
func (g *gen) digitsFrom(k int, first byte) string {
	b := make([]byte, k)
	for i := range b {
		b[i] = byte('0' + g.r.IntN(10))
	}
	if k > 0 && b[0] < first {
		b[0] = first + byte(g.r.IntN(int('9'-first)+1))
	}
	return string(b)
}

// person is one synthetic data subject; fields are rendered per format.
type person struct {
	name    string
	male    bool
	birth   time.Time
	region  region
	id      string // 18 or 15 digits
	minor   bool
	mobile  string // 11 digits
	email   string
	card    string
	address string
}

func (g *gen) person() *person {
	p := &person{male: g.chance(0.5), region: pick(g, regions)}
	p.name = g.name()
	switch {
	case g.chance(0.12): // minor under 14 on the scan date, with a margin
		p.birth = g.now.AddDate(-13, -g.n(10)-1, -g.n(28)-3) // 13y1m3d .. 13y11m1d
		p.minor = true
	case g.chance(0.08): // legacy 15-digit card holder, born before 1985
		p.birth = time.Date(g.between(1935, 1984), time.Month(g.between(1, 12)), g.between(1, 28), 0, 0, 0, 0, time.UTC)
	default:
		p.birth = g.now.AddDate(-g.between(18, 85), -g.n(12), -g.n(28))
	}
	seq := g.digits(3)
	if !p.male && (seq[2]-'0')%2 == 1 || p.male && (seq[2]-'0')%2 == 0 {
		seq = seq[:2] + string('0'+(seq[2]-'0'+1)%10)
	}
	if !p.minor && p.birth.Year() < 1985 && g.chance(0.5) {
		p.id = p.region.code + p.birth.Format("060102") + seq
	} else {
		first := p.region.code + p.birth.Format("20060102") + seq
		p.id = first + string(idCheck(first))
	}
	p.mobile = pick(g, mobilePrefixes) + g.digits(8)
	p.email = g.email(p.mobile)
	p.card = g.cardNumber()
	p.address = g.address(p.region)
	return p
}

func (g *gen) name() string {
	var b strings.Builder
	if g.chance(0.08) {
		b.WriteString(pick(g, compoundSurnames))
	} else {
		b.WriteString(pick(g, surnames))
	}
	b.WriteString(g.pickRune(givenChars))
	if g.chance(0.65) {
		b.WriteString(g.pickRune(givenChars))
	}
	return b.String()
}

func (g *gen) email(mobile string) string {
	var local string
	switch g.n(5) {
	case 0:
		local = pick(g, pinyin) + pick(g, pinyin) + g.digits(g.between(0, 4))
	case 1:
		local = pick(g, pinyin) + "." + pick(g, pinyin)
	case 2:
		local = pick(g, pinyin) + "_" + g.digits(2)
	case 3:
		return g.digitsFrom(g.between(6, 10), '1') + "@qq.com"
	default:
		if g.chance(0.3) {
			return mobile + "@139.com"
		}
		local = pick(g, pinyin) + g.digits(4)
	}
	return local + "@" + pick(g, emailDomains)
}

func (g *gen) cardNumber() string {
	b := pick(g, bins)
	body := b.prefix + g.digits(b.length-len(b.prefix)-1)
	return body + string(luhnCheck(body))
}

func (g *gen) address(rg region) string {
	var b strings.Builder
	short := g.chance(0.2)
	if rg.province != "" && (!short || g.chance(0.5)) {
		b.WriteString(rg.province)
	}
	city := rg.city
	if short && strings.HasSuffix(city, "市") {
		city = strings.TrimSuffix(city, "市")
	}
	b.WriteString(city)
	b.WriteString(rg.district)
	b.WriteString(pick(g, roads))
	fmt.Fprintf(&b, "%d号", g.between(1, 999))
	switch g.n(3) {
	case 0:
		fmt.Fprintf(&b, "%s%d栋%d单元%d室", pick(g, communities), g.between(1, 30), g.between(1, 6), g.between(1, 33)*100+g.between(1, 6))
	case 1:
		fmt.Fprintf(&b, "%d室", g.between(1, 28)*100+g.between(1, 12))
	}
	return b.String()
}

// --- rendered values: each returns the piece to plant ---

func (g *gen) idPiece(p *person) piece {
	s := p.id
	if s[len(s)-1] == 'X' && g.chance(0.2) {
		s = s[:len(s)-1] + "x"
	}
	pc := pii(IDCard, s)
	if p.minor {
		pc.also = []string{Minor}
	}
	return pc
}

// mobilePiece renders an 11-digit mobile in one of the common forms.
func (g *gen) mobilePiece(m string, allowPrefix bool) piece {
	core := m
	switch g.n(8) {
	case 0:
		core = m[:3] + "-" + m[3:7] + "-" + m[7:]
	case 1:
		core = m[:3] + " " + m[3:7] + " " + m[7:]
	}
	pre := ""
	if allowPrefix {
		switch g.n(10) {
		case 0:
			pre = "+86"
		case 1:
			pre = "+86 "
		case 2:
			pre = "0086"
		case 3:
			pre = "+86-"
		case 4:
			pre = "0086 "
		}
	}
	return piece{typ: Mobile, text: pre + core, core0: len(pre), core1: len(pre) + len(core)}
}

func (g *gen) landlinePiece() piece {
	ac := pick(g, areaCodes)
	subLen := 8
	if len(ac) == 4 && g.chance(0.4) {
		subLen = 7
	}
	sub := g.digitsFrom(subLen, '2')
	if sub[0] == '9' {
		sub = "6" + sub[1:]
	}
	var text string
	c0, c1 := 0, 0
	switch g.n(7) {
	case 0, 1:
		text = ac + "-" + sub
	case 2:
		text = "(" + ac + ")" + sub
		c0 = 1
	case 3:
		text = "（" + ac + "）" + sub
		c0 = len("（")
	case 4:
		text = ac + "-" + sub + "-" + g.digits(g.between(2, 4))
		c1 = len(ac) + 1 + len(sub)
	case 5:
		text = ac + "-" + sub + "转" + g.digits(g.between(2, 4))
		c1 = len(ac) + 1 + len(sub)
	default:
		text = ac + sub
	}
	if c1 == 0 {
		c1 = len(text)
	}
	return piece{typ: Landline, text: text, core0: c0, core1: c1}
}

func (g *gen) cardPiece(card string) piece {
	if g.chance(0.25) {
		var b strings.Builder
		for i := 0; i < len(card); i += 4 {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(card[i:min(i+4, len(card))])
		}
		return pii(BankCard, b.String())
	}
	return pii(BankCard, card)
}

func (g *gen) passport() string {
	switch g.n(3) {
	case 0:
		return "E" + string(plateLetters[g.n(len(plateLetters))]) + g.digits(7)
	case 1:
		return "G" + g.digits(8)
	}
	return "E" + g.digits(8)
}

func (g *gen) travelPermit() string {
	switch g.n(6) {
	case 0:
		return "H" + g.digits(10)
	case 1:
		return "M" + g.digits(8)
	case 2:
		return "H" + g.digits(8)
	case 3:
		return "T" + g.digits(8)
	}
	return "C" + g.digits(8)
}

func (g *gen) plate() string {
	prov := pick(g, plateProvinces)
	letter := string(plateLetters[g.n(len(plateLetters))])
	switch g.n(5) {
	case 0: // new-energy small car: D/F + 5 digits
		return prov + letter + string("DF"[g.n(2)]) + g.digits(5)
	case 1: // one letter among the five
		k := g.n(5)
		tail := []byte(g.digits(5))
		tail[k] = plateLetters[g.n(len(plateLetters))]
		return prov + letter + string(tail)
	}
	return prov + letter + g.digits(5)
}

func (g *gen) uscc() string {
	rg := pick(g, regions)
	var org strings.Builder
	for range 8 {
		if g.chance(0.15) {
			org.WriteByte(usccAlphabet[10+g.n(len(usccAlphabet)-10)])
		} else {
			org.WriteByte(byte('0' + g.n(10)))
		}
	}
	o := org.String()
	first := pick(g, []string{"91", "92", "93", "12", "52", "11", "51"}) + rg.code + o + string(orgCodeCheck(o))
	return first + string(usccCheck(first))
}

func (g *gen) ipv4() string {
	switch g.n(4) {
	case 0:
		return fmt.Sprintf("192.168.%d.%d", g.n(256), g.between(1, 254))
	case 1:
		return fmt.Sprintf("10.%d.%d.%d", g.n(256), g.n(256), g.between(1, 254))
	}
	first := pick(g, []int{36, 39, 42, 58, 59, 60, 61, 101, 106, 110, 111, 112, 113, 114, 115, 116, 117, 119, 120, 121, 122, 123, 124, 125, 171, 175, 180, 182, 183, 202, 203, 210, 211, 218, 219, 220, 221, 222, 223})
	return fmt.Sprintf("%d.%d.%d.%d", first, g.n(256), g.n(256), g.between(1, 254))
}

func (g *gen) ipv6() string {
	pre := pick(g, []string{"240e", "2408", "2409", "2400", "2001:da8", "240a"})
	h := func() string { return fmt.Sprintf("%x", g.n(0x10000)) }
	if strings.Contains(pre, ":") {
		return pre + ":" + h() + ":" + h() + "::" + h()
	}
	switch g.n(3) {
	case 0: // full, zero-padded
		parts := []string{pre}
		for range 7 {
			parts = append(parts, fmt.Sprintf("%04x", g.n(0x10000)))
		}
		return strings.Join(parts, ":")
	case 1:
		return pre + ":" + h() + ":" + h() + ":" + h() + "::" + h()
	}
	return pre + ":" + h() + ":" + h() + ":" + h() + ":" + h() + ":" + h() + ":" + h() + ":" + h()
}

func (g *gen) birthDate(t time.Time) string {
	switch g.n(4) {
	case 0:
		return t.Format("2006/01/02")
	case 1:
		return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
	}
	return t.Format("2006-01-02")
}

func (g *gen) geo() string {
	c := pick(g, cityCoords)
	lat := c[0] + (g.r.Float64()-0.5)*0.2
	lng := c[1] + (g.r.Float64()-0.5)*0.2
	sep := ","
	if g.chance(0.3) {
		sep = ", "
	}
	return fmt.Sprintf("%.6f%s%.6f", lat, sep, lng)
}

// noLongDigitRun reports whether s has no run of 5 or more digits, so a
// random secret cannot double as a planted number of another type.
func noLongDigitRun(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			run++
			if run >= 5 {
				return false
			}
		} else {
			run = 0
		}
	}
	return true
}

// secretChars leave out & and ?, which end a value in key=value&... text.
const secretChars = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#$%*+-=@^_"

func (g *gen) secret(key string) string {
	for {
		var s string
		switch key {
		case "token":
			b := make([]byte, g.between(30, 45))
			for i := range b {
				b[i] = byte(g.r.UintN(256))
			}
			s = "eyJ" + base64.RawURLEncoding.EncodeToString(b)
		case "api_key", "secret":
			b := make([]byte, 32)
			for i := range b {
				b[i] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[g.n(62)]
			}
			s = "sk-" + string(b)
		default:
			b := make([]byte, g.between(10, 18))
			for i := range b {
				b[i] = secretChars[g.n(len(secretChars))]
			}
			s = string(b)
		}
		// A leading $, %, = or - reads as a variable, a format verb or
		// an operator (password=$DB_PASS), which a detector rightly skips.
		if noLongDigitRun(s) && !strings.Contains(s, "@") && isAlnum(s[0]) {
			return s
		}
	}
}

func (g *gen) biometric() string {
	for {
		b := make([]byte, g.between(48, 90))
		for i := range b {
			b[i] = byte(g.r.UintN(256))
		}
		s := base64.StdEncoding.EncodeToString(b)
		if noLongDigitRun(s) {
			return s
		}
	}
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
