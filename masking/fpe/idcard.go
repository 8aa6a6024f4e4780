package fpe

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/masking/ff1"
)

// seqHalves is the number of sequence codes of one sex: the sequence code's
// parity (the sex) is kept, its other 500 values are encrypted with the date.
const seqHalves = 500

// idCard tokenises a GB 11643 number in place. The sex (the sequence code's
// parity) is always kept, and the token's birth date is always a real date
// in a window of years around the real one:
//
//   - Births up to 2025 (and every 15-digit number): the window is the
//     decade before 2020, then 2020–2025 (see dateWindow); the region code
//     is kept. The pair (day within the window, sequence code / 2), 1.1 to
//     1.8 million values, is encrypted as two radix-1352 numerals,
//     cycle-walking until it lands back inside the window.
//   - Births from 2026 (18 digits): the window is the birth year itself, so
//     a token's date is never in the future once its birth year has passed
//     (validators reject future birth dates; a decade window gave newborns
//     tokens up to nine years ahead). One year holds only 182,500 (day,
//     sequence half) values, below SP 800-38G Rev. 1's 10^6, so the region
//     is encrypted too, among the GB/T 2260 codes of its province (the
//     first two digits are kept): the triple (day of the year, region,
//     sequence code / 2), 365 × k × 500 values for a province of k codes
//     (31 to 541), is encrypted as two numerals of the province's radix
//     (regionRadix). See idCardYear.
//   - Births from 2026 whose province has fewer than minRegionCodes codes
//     (81, 82, 83: one code each) or whose region code is not in the table
//     keep the region and use six-year windows from 2026 (2026–2031,
//     2032–2037, ...), the shortest that hold 10^6 values: their tokens
//     may lie up to five years after the birth year.
//
// The kept parts (type, region or province, window, sex, length) are the
// FF1 tweak. The check character is recomputed with the input's offset
// from a valid one.
func (t *Tokenizer) idCard(b []byte, typ pi.TypeID, enc bool) error {
	n, err := t.collectDigits(b, true)
	if err != nil {
		return err
	}
	var year, month, day, seq int
	switch n {
	case 18:
		for k := range 17 {
			if t.num[k] > 9 {
				return fmt.Errorf("%w: %s has 'X' before the check character", ErrFormat, typ)
			}
		}
		year = dec(t.num[6:10])
		month, day, seq = dec(t.num[10:12]), dec(t.num[12:14]), dec(t.num[14:17])
		if year < 1000 {
			return fmt.Errorf("%w: %s birth year before 1000", ErrFormat, typ)
		}
	case 15:
		for k := range 15 {
			if t.num[k] > 9 {
				return fmt.Errorf("%w: 15-digit %s contains 'X'", ErrFormat, typ)
			}
		}
		year = 1900 + dec(t.num[6:8])
		month, day, seq = dec(t.num[8:10]), dec(t.num[10:12]), dec(t.num[12:15])
	default:
		return fmt.Errorf("%w: %s has %d digits, want 18 or 15", ErrFormat, typ, n)
	}
	if !validDate(year, month, day) {
		return fmt.Errorf("%w: %s birth date is not a calendar date", ErrFormat, typ)
	}
	var delta uint16
	if n == 18 {
		delta = (t.num[17] + 11 - gbCheck(t.num[:17])) % 11
	}

	oneYear := false
	if n == 18 && year > lastPastYear {
		prov := int(t.num[0]*10 + t.num[1])
		codes := regionSuffix[regionFrom[prov]:regionFrom[prov+1]]
		ri, ok := slices.BinarySearch(codes, uint16(dec(t.num[2:6])))
		if oneYear = ok && len(codes) >= minRegionCodes; oneYear {
			if ri, month, day, seq, err = t.idCardYear(typ, prov, len(codes), ri, year, month, day, seq, enc); err != nil {
				return err
			}
			putDec(t.num[2:6], int(codes[ri]))
		}
	}
	if !oneYear {
		if year, month, day, seq, err = t.idCardWindow(typ, n, year, month, day, seq, enc); err != nil {
			return err
		}
	}

	p := 6
	if n == 18 {
		putDec(t.num[p:p+4], year)
		p += 4
	} else {
		putDec(t.num[p:p+2], year-1900)
		p += 2
	}
	putDec(t.num[p:p+2], month)
	putDec(t.num[p+2:p+4], day)
	putDec(t.num[p+4:p+7], seq)
	t.writeDigits(b, 0, p+7)
	if n == 18 {
		c := (gbCheck(t.num[:17]) + delta) % 11
		if c == 10 {
			b[t.pos[17]] = 'X'
		} else {
			b[t.pos[17]] = byte('0' + c)
		}
	}
	return nil
}

// idCardWindow encrypts (day within dateWindow(year), seq / 2), keeping the
// region in t.num[:6] and the sex.
func (t *Tokenizer) idCardWindow(typ pi.TypeID, n, year, month, day, seq int, enc bool) (int, int, int, int, error) {
	y0, y1 := dateWindow(year)
	base := daysFromCivil(y0, 1, 1)
	domain := (daysFromCivil(y1+1, 1, 1) - base) * seqHalves
	x := (daysFromCivil(year, month, day)-base)*seqHalves + seq/2
	parity := seq % 2

	kept := [...]uint16{t.num[0], t.num[1], t.num[2], t.num[3], t.num[4], t.num[5],
		uint16(y0), uint16(parity), uint16(n), uint16(y1)}
	// Windows up to 2025 keep the tweak they always had; the six-year
	// windows from 2026 add their last year, so no tweak of theirs is one
	// the retired decade windows from 2026 used.
	nk := len(kept) - 1
	if y0 > lastPastYear {
		nk++
	}
	tw := t.setTweak(typ, kept[:nk]...)
	x, err := t.walk(t.date, dateRadix, x, domain, tw, enc)
	if err != nil {
		return 0, 0, 0, 0, err
	}
	year, month, day = civilFromDays(base + x/seqHalves)
	return year, month, day, x%seqHalves*2 + parity, nil
}

// idCardYear encrypts (day of the year, region index ri among the k codes
// of province prov, seq / 2) for a birth from 2026, keeping the year, the
// province and the sex. It returns the new region index and date.
func (t *Tokenizer) idCardYear(typ pi.TypeID, prov, k, ri, year, month, day, seq int, enc bool) (int, int, int, int, error) {
	c := t.region[prov]
	if c == nil {
		var err error
		if c, err = ff1.New(t.block, regionRadix(k)); err != nil {
			return 0, 0, 0, 0, err
		}
		t.region[prov] = c
	}
	base := daysFromCivil(year, 1, 1)
	domain := (daysFromCivil(year+1, 1, 1) - base) * k * seqHalves
	x := ((daysFromCivil(year, month, day)-base)*k+ri)*seqHalves + seq/2
	parity := seq % 2

	tw := t.setTweak(typ, uint16(prov/10), uint16(prov%10), uint16(year), uint16(parity), 18)
	x, err := t.walk(c, c.Radix(), x, domain, tw, enc)
	if err != nil {
		return 0, 0, 0, 0, err
	}
	seq = x%seqHalves*2 + parity
	x /= seqHalves
	year, month, day = civilFromDays(base + x/k)
	return x % k, month, day, seq, nil
}

// walk encrypts (or decrypts) x < domain ≤ radix² as two radix-r numerals,
// cycle-walking until the result is below domain again. FF1 is a
// permutation of the r² pairs, so the walk meets at most r² - domain pairs
// outside the domain before it is back inside: past that many steps the
// cipher is not a permutation (a fault, or a batch result handed to the
// wrong value), and walk returns an error rather than loop for ever.
func (t *Tokenizer) walk(c *ff1.Cipher, r, x, domain int, tw []byte, enc bool) (int, error) {
	pair := t.tmp[:2]
	for steps := r*r - domain + 1; steps > 0; steps-- {
		pair[0], pair[1] = uint16(x/r), uint16(x%r)
		if err := t.crypt(c, pair, tw, enc); err != nil {
			return 0, err
		}
		x = int(pair[0])*r + int(pair[1])
		if x < domain {
			return x, nil
		}
	}
	return 0, errWalk
}

// errWalk is walk's error when the cipher is not a permutation.
var errWalk = errors.New("fpe: cycle walk did not return to its domain (cipher fault)")

// minRegionCodes is the fewest region codes a province needs for its
// one-year windows: 365 days × 500 × 6 ≥ 10^6 (minDomain) > 365 × 500 × 5.
const minRegionCodes = 6

// regionRadix is the radix of the two numerals a province of k ≥
// minRegionCodes codes encrypts its (day, region, sequence half) triple in:
// the smallest r with r² ≥ 366 × k × 500, so cycle-walking a 365- or 366-day
// year takes about one round, and r ≥ 1048 (r² ≥ 10^6).
func regionRadix(k int) int {
	d := 366 * k * seqHalves
	r := int(math.Sqrt(float64(d)))
	for r*r < d {
		r++
	}
	for (r-1)*(r-1) >= d {
		r--
	}
	return r
}

// lastPastYear ends the window [2020, lastPastYear]: a birth date up to
// then gets a token date up to then, never a date in the future. It is part
// of the token layout (changing it changes tokens of 2020s births), so it
// stays fixed; later births get one-year windows (idCardYear), or six-year
// ones (dateWindow) where their region cannot be encrypted.
const lastPastYear = 2025

// dateWindow is the range of years [y0, y1] a birth year's token stays in
// when the region is kept: its decade before 2020, 2020–2025, then six
// years at a time from 2026. Every window holds at least 2,191 days, so
// days × 500 ≥ 10^6 (SP 800-38G Rev. 1's minimum domain) and ≤ 3,653 days
// fits in dateRadix².
func dateWindow(y int) (y0, y1 int) {
	switch {
	case y < 2020:
		y0 = y - y%10
		return y0, y0 + 9
	case y <= lastPastYear:
		return 2020, lastPastYear
	}
	y0 = lastPastYear + 1 + (y-lastPastYear-1)/6*6
	return y0, y0 + 5
}

func dec(d []uint16) int {
	v := 0
	for _, x := range d {
		v = v*10 + int(x)
	}
	return v
}

func putDec(d []uint16, v int) {
	for k := len(d) - 1; k >= 0; k-- {
		d[k] = uint16(v % 10)
		v /= 10
	}
}

// gbCheck is the GB 11643-1999 check value (10 stands for 'X') of the
// first 17 numerals of d. It runs twice per ID token: the weights are
// written out, with one bounds check for all 17.
func gbCheck(d []uint16) uint16 {
	d = d[:17]
	s := d[0]*7 + d[1]*9 + d[2]*10 + d[3]*5 + d[4]*8 + d[5]*4 + d[6]*2 + d[7] + d[8]*6 +
		d[9]*3 + d[10]*7 + d[11]*9 + d[12]*10 + d[13]*5 + d[14]*8 + d[15]*4 + d[16]*2
	return (12 - s%11) % 11
}

func validDate(y, m, d int) bool {
	return m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m)
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil counts days from 1970-01-01 in the proleptic Gregorian
// calendar (H. Hinnant's algorithm), for years ≥ 0.
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func civilFromDays(z int) (y, m, d int) {
	z += 719468
	era := z / 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}
