package structured

// birthYMD returns y-m-d as yyyymmdd when it is a calendar date from
// 1900-01-01 up to the scan date: a birth date a document can carry.
func (d *Detector) birthYMD(y, m, dd int) (int, bool) {
	if y < 1900 || m < 1 || m > 12 || dd < 1 || dd > daysIn(y, m) {
		return 0, false
	}
	ymd := y*10000 + m*100 + dd
	return ymd, ymd <= d.today
}

// minor reports whether someone born on ymd is under 14 on the scan date.
// On yyyymmdd integers, today-ymd < 140000 is exactly "14th birthday not yet
// reached" (the month-day part compares as a number).
func (d *Detector) minor(ymd int) bool { return d.today-ymd < 140000 }

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

// collect returns the digits of groups c.g[a:b]: a single group's own bytes,
// or several copied into buf; ok is false when they do not fit in buf.
func (s *scan) collect(c *chain, a, b int, buf []byte) ([]byte, bool) {
	if b-a == 1 {
		// One group (the usual case): its bytes, without a copy.
		g := c.g[a]
		return s.v[g.s:g.e], g.len() <= len(buf)
	}
	n := 0
	for _, g := range c.g[a:b] {
		if n+g.len() > len(buf) {
			return nil, false
		}
		n += copy(buf[n:], s.v[g.s:g.e])
	}
	return buf[:n], true
}

// sameSeps reports whether the separators inside c.g[a:b] are all sep0 (or
// all the same, when sep0 is 0), and one of ' ' '-'.
func (c *chain) sameSeps(a, b int, sep0 byte) bool {
	if b-a < 2 {
		return true
	}
	if sep0 == 0 {
		sep0 = c.sep[a+1]
	}
	if sep0 != ' ' && sep0 != '-' {
		return false
	}
	for k := a + 1; k < b; k++ {
		if c.sep[k] != sep0 {
			return false
		}
	}
	return true
}

// lens reports whether the groups c.g[a:b] have exactly the lengths ls.
func (c *chain) lens(a, b int, ls ...int) bool {
	if b-a != len(ls) {
		return false
	}
	for k, l := range ls {
		if c.g[a+k].len() != l {
			return false
		}
	}
	return true
}
