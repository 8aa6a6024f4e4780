package masking

// A date as written in data: 2006-01-02, 2006/01/02, 2006.01.02, 20060102 or
// 2006年1月2日, optionally followed by anything (a time) that is kept. The
// layout is remembered so a shifted date is written the same way.
type dateLayout struct {
	sep        byte // '-', '/', '.', 0 for none, 'c' for 年月日
	padM, padD bool // month/day written with two digits
	end        int  // bytes of the value the date used
}

type civil struct{ y, m, d int }

func parseDate(v []byte) (civil, dateLayout, bool) {
	var c civil
	var l dateLayout
	if len(v) < 8 || !digits(v[:4]) {
		return c, l, false
	}
	c.y = atoiASCII(v[:4])
	i := 4
	switch {
	case digits(v[4:8]) && (len(v) == 8 || !isDigit(v[8])):
		c.m, c.d = atoiASCII(v[4:6]), atoiASCII(v[6:8])
		l.padM, l.padD, l.end = true, true, 8
	case v[4] == '-' || v[4] == '/' || v[4] == '.':
		l.sep = v[4]
		i++
		var ok bool
		if c.m, l.padM, i, ok = num12(v, i); !ok || i >= len(v) || v[i] != l.sep {
			return c, l, false
		}
		if c.d, l.padD, i, ok = num12(v, i+1); !ok {
			return c, l, false
		}
		l.end = i
	case hasPrefix(v[4:], "年"):
		l.sep = 'c'
		i += len("年")
		var ok bool
		if c.m, l.padM, i, ok = num12(v, i); !ok || !hasPrefix(v[i:], "月") {
			return c, l, false
		}
		if c.d, l.padD, i, ok = num12(v, i+len("月")); !ok {
			return c, l, false
		}
		if hasPrefix(v[i:], "日") {
			i += len("日")
		} else if hasPrefix(v[i:], "号") {
			i += len("号")
		}
		l.end = i
	default:
		return c, l, false
	}
	if c.m < 1 || c.m > 12 || c.d < 1 || c.d > daysIn(c.y, c.m) {
		return c, l, false
	}
	return c, l, true
}

// num12 reads one or two digits at v[i:].
func num12(v []byte, i int) (n int, two bool, next int, ok bool) {
	if i >= len(v) || !isDigit(v[i]) {
		return 0, false, i, false
	}
	n = int(v[i] - '0')
	i++
	if i < len(v) && isDigit(v[i]) {
		n = n*10 + int(v[i]-'0')
		i++
		two = true
	}
	if i < len(v) && isDigit(v[i]) {
		return 0, false, i, false
	}
	return n, two, i, true
}

func appendDate(dst []byte, c civil, l dateLayout) []byte {
	dst = appendPad(dst, c.y, 4)
	switch l.sep {
	case 0:
		dst = appendPad(dst, c.m, 2)
		return appendPad(dst, c.d, 2)
	case 'c':
		dst = append(dst, "年"...)
		dst = appendPad(dst, c.m, width(l.padM))
		dst = append(dst, "月"...)
		dst = appendPad(dst, c.d, width(l.padD))
		return append(dst, "日"...)
	}
	dst = append(dst, l.sep)
	dst = appendPad(dst, c.m, width(l.padM))
	dst = append(dst, l.sep)
	return appendPad(dst, c.d, width(l.padD))
}

func width(pad bool) int {
	if pad {
		return 2
	}
	return 1
}

// appendPad writes a non-negative n with at least w digits.
func appendPad(dst []byte, n, w int) []byte {
	var buf [20]byte
	i := len(buf)
	for n > 0 || w > 0 || i == len(buf) {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
		w--
	}
	return append(dst, buf[i:]...)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func digits(b []byte) bool {
	for _, c := range b {
		if !isDigit(c) {
			return false
		}
	}
	return len(b) > 0
}

func atoiASCII(b []byte) int {
	n := 0
	for _, c := range b {
		n = n*10 + int(c-'0')
	}
	return n
}

func hasPrefix(b []byte, s string) bool { return len(b) >= len(s) && string(b[:len(s)]) == s }

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

// dayNumber counts days from 1970-01-01, proleptic Gregorian (H. Hinnant).
func dayNumber(c civil) int {
	y, m := c.y, c.m
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	doy := (153*((m+9)%12)+2)/5 + c.d - 1
	return era*146097 + yoe*365 + yoe/4 - yoe/100 + doy - 719468
}

func fromDayNumber(z int) civil {
	z += 719468
	era := z / 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	c := civil{y: yoe + era*400, d: doy - (153*mp+2)/5 + 1}
	if mp < 10 {
		c.m = mp + 3
	} else {
		c.m = mp - 9
	}
	if c.m <= 2 {
		c.y++
	}
	return c
}
