package fpe

import (
	"fmt"

	"github.com/piiscan/piiscan/detectors/pi"
)

// seqHalves is the number of sequence codes of one sex: the sequence code's
// parity (the sex) is kept, its other 500 values are encrypted with the date.
const seqHalves = 500

// idCard tokenises a GB 11643 number in place. The birth date's window (its
// decade; see dateWindow), the region code and the sex are kept (they go
// into the tweak); the pair (day within the window, sequence code / 2) —
// 1.1 to 1.8 million values — is encrypted as two radix-1352 numerals,
// cycle-walking until it lands back inside the window, so the token's date
// is always a real date.
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

	y0, y1 := dateWindow(year)
	base := daysFromCivil(y0, 1, 1)
	domain := (daysFromCivil(y1+1, 1, 1) - base) * seqHalves
	x := (daysFromCivil(year, month, day)-base)*seqHalves + seq/2
	parity := seq % 2

	tw := t.setTweak(typ, t.num[0], t.num[1], t.num[2], t.num[3], t.num[4], t.num[5],
		uint16(y0), uint16(parity), uint16(n))
	pair := t.tmp[:2]
	for {
		pair[0], pair[1] = uint16(x/dateRadix), uint16(x%dateRadix)
		var err error
		if enc {
			err = t.date.Encrypt(pair, pair, tw)
		} else {
			err = t.date.Decrypt(pair, pair, tw)
		}
		if err != nil {
			return err
		}
		x = int(pair[0])*dateRadix + int(pair[1])
		if x < domain {
			break
		}
	}
	year, month, day = civilFromDays(base + x/seqHalves)
	seq = x%seqHalves*2 + parity

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
	t.writeDigits(b, 6, p+7)
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

// lastPastYear ends the window [2020, lastPastYear]: a birth date up to
// then gets a token date up to then, never a date in the future. It is part
// of the token layout (changing it changes tokens of 2020s births), so it
// stays fixed; the windows after it are decades again.
const lastPastYear = 2025

// dateWindow is the range of years [y0, y1] a birth year's token stays in:
// its decade before 2020, 2020–2025, then decades from 2026. Every window
// holds at least 2,192 days, so days × 500 ≥ 10^6 (SP 800-38G Rev. 1's
// minimum domain) and ≤ 3,653 days fits in dateRadix².
func dateWindow(y int) (y0, y1 int) {
	switch {
	case y < 2020:
		y0 = y - y%10
		return y0, y0 + 9
	case y <= lastPastYear:
		return 2020, lastPastYear
	}
	y0 = lastPastYear + 1 + (y-lastPastYear-1)/10*10
	return y0, y0 + 9
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

var gbWeights = [17]uint16{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// gbCheck is the GB 11643-1999 check value (10 stands for 'X').
func gbCheck(d []uint16) uint16 {
	var s uint16
	for k, w := range gbWeights {
		s += d[k] * w
	}
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
