package corpus

import "time"

// idWeights are the GB 11643-1999 weights 2^(17-i) mod 11 of the first 17
// digits of an 18-digit resident ID number.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheck returns the ISO 7064 MOD 11-2 check character of the first 17
// digits of an ID number.
func idCheck(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	c := (12 - sum%11) % 11
	if c == 10 {
		return 'X'
	}
	return byte('0' + c)
}

// luhnCheck returns the Luhn check digit to append to digits.
func luhnCheck(digits string) byte {
	sum := 0
	double := true // the rightmost payload digit is doubled
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return byte('0' + (10-sum%10)%10)
}

// luhnValid reports whether a digit string passes the Luhn check.
func luhnValid(digits string) bool {
	return len(digits) > 1 && luhnCheck(digits[:len(digits)-1]) == digits[len(digits)-1]
}

// usccAlphabet is GB 32100-2015's character set: digits and upper-case
// letters without I, O, S, V and Z; a character's value is its index.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

func usccCheck(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		for v := 0; v < len(usccAlphabet); v++ {
			if usccAlphabet[v] == first17[i] {
				sum += v * usccWeights[i]
				break
			}
		}
	}
	return usccAlphabet[(31-sum%31)%31]
}

// orgCodeCheck is the GB 11714-1997 check character of an 8-character
// organisation code, which forms characters 9-17 of a USCC.
func orgCodeCheck(first8 string) byte {
	w := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 8; i++ {
		c := first8[i]
		v := int(c - '0')
		if c >= 'A' && c <= 'Z' {
			v = int(c-'A') + 10
		}
		sum += v * w[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}

// validDate reports whether yyyy-mm-dd is a real calendar date.
func validDate(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t.Day() == d && int(t.Month()) == m
}

// atoi2 parses digits without error handling; callers pass digit strings.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

// plausibleID18 is the corpus's own check that an 18-character string could
// be accepted as an ID number by a correct validator: province prefix, a
// real birth date not after now, and the check character. Decoys must fail it.
func plausibleID18(s string, now time.Time) bool {
	if len(s) != 18 || !isDigits(s[:17]) || !provincePrefixes[s[:2]] {
		return false
	}
	y, m, d := atoi(s[6:10]), atoi(s[10:12]), atoi(s[12:14])
	if !validDate(y, m, d) || y < 1880 || time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).After(now) {
		return false
	}
	return idCheck(s[:17]) == s[17]
}

// plausibleID15 is the same for the 15-digit legacy form (region + YYMMDD + 3).
func plausibleID15(s string) bool {
	if len(s) != 15 || !isDigits(s) || !provincePrefixes[s[:2]] {
		return false
	}
	return validDate(1900+atoi(s[6:8]), atoi(s[8:10]), atoi(s[10:12]))
}
