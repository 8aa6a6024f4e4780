package fpe

// Independent checks for tests: written here from the standards, not shared
// with the tokenizer or the detectors, so a wrong algorithm cannot pass its
// own test.

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/detectors/structured"
)

// idCheckOK: GB 11643-1999, ISO 7064 MOD 11-2 over 17 digits.
func idCheckOK(s string) bool {
	if len(s) != 18 {
		return false
	}
	sum := 0
	for i := range 17 {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		w := 1
		for range 17 - i {
			w = w * 2 % 11
		}
		sum += int(s[i]-'0') * w
	}
	want := "10X98765432"[sum%11]
	return s[17] == want
}

func luhnOK(s string) bool {
	sum := 0
	for i := range len(s) {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			d = d * 2
			if d > 9 {
				d = d/10 + d%10
			}
		}
		sum += d
	}
	return sum%10 == 0
}

func dateOK(s string) bool {
	_, err := time.Parse("20060102", s)
	return err == nil
}

// digitsOnly keeps the digits, and 'X' for ID numbers.
func digitsOnly(s string) string { return digitsX(s, true) }

func digitsX(s string, x bool) string {
	var b strings.Builder
	for i := range len(s) {
		if s[i] >= '0' && s[i] <= '9' || x && s[i] == 'X' {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// A few real GB/T 2260 county codes; tokens must keep them.
var testRegions = []string{"110105", "310104", "440305", "330106", "510107", "650102", "542621"}

func randID(r *rand.Rand) string {
	day := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(55000)) // to 2050
	s := testRegions[r.IntN(len(testRegions))] + day.Format("20060102") + fmt.Sprintf("%03d", r.IntN(1000))
	for _, c := range "0123456789X" {
		if idCheckOK(s + string(c)) {
			return s + string(c)
		}
	}
	panic("no check character")
}

func randID15(r *rand.Rand) string {
	day := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(36500))
	return testRegions[r.IntN(len(testRegions))] + day.Format("060102") + fmt.Sprintf("%03d", r.IntN(1000))
}

var testSegments = []string{"130", "133", "138", "139", "147", "150", "158", "166", "177", "180", "186", "189", "199"}

func randMobile(r *rand.Rand) string {
	s := testSegments[r.IntN(len(testSegments))] + fmt.Sprintf("%08d", r.IntN(100000000))
	switch r.IntN(5) {
	case 1:
		return "+86 " + s
	case 2:
		return s[:3] + "-" + s[3:7] + "-" + s[7:]
	case 3:
		return "0086" + s
	case 4:
		return "+86 " + s[:3] + " " + s[3:7] + " " + s[7:]
	}
	return s
}

var testBINs = []string{"622202", "621700", "622848", "436742", "524091", "625965"}

func randCard(r *rand.Rand) string {
	n := 16 + r.IntN(4)
	var b strings.Builder
	b.WriteString(testBINs[r.IntN(len(testBINs))])
	for b.Len() < n-1 {
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	s := b.String()
	for c := byte('0'); c <= '9'; c++ {
		if luhnOK(s + string(c)) {
			s += string(c)
			break
		}
	}
	if r.IntN(4) == 0 { // 4-4-4-4 grouping
		var g strings.Builder
		for i := range len(s) {
			if i > 0 && i%4 == 0 {
				g.WriteByte(' ')
			}
			g.WriteByte(s[i])
		}
		return g.String()
	}
	return s
}

func randAlnum(r *rand.Rand) string {
	alpha := []string{"0123456789", "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz0123456789", "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"}[r.IntN(4)]
	n := 6 + r.IntN(20)
	var b strings.Builder
	for range n {
		if r.IntN(8) == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(alpha[r.IntN(len(alpha))])
	}
	return b.String()
}

// window names the years an ID token's birth date stays within when its
// region is kept: decades, except 2020-2025 (so no token of a past birth is
// in the future), then six years at a time from 2026.
func window(year string) string {
	y := 0
	fmt.Sscan(year, &y)
	switch {
	case y >= 2020 && y <= 2025:
		return "2020-2025"
	case y >= 2026:
		return fmt.Sprint("from ", 2026+(y-2026)/6*6)
	}
	return fmt.Sprint("decade ", y/10)
}

// smallProvince: GB/T 2260 provinces with too few codes (one each) to
// encrypt a region within: 81 Hong Kong, 82 Macao, 83 Taiwan (on
// residence-permit numbers).
func smallProvince(id string) bool {
	return id[:2] == "81" || id[:2] == "82" || id[:2] == "83"
}

// idAccepted reports whether the structured detector, scanning on date
// now, reports id (18 digits) as an ID number: GB/T 2260 region from its
// own table, a birth date not after now, check character. It is the
// validator applications run, and its region table is not the tokenizer's.
func idAccepted(id string, now time.Time) bool {
	d := structured.New(now)
	f := &pi.Field{Column: "身份证号"}
	for _, m := range d.Find([]byte(id), f, nil) {
		if m.Type == pi.IDCard && m.Start == 0 && m.End == len(id) {
			return true
		}
	}
	return false
}

// endOfYear is the last day of the birth year of an 18-digit id.
func endOfYear(id string) time.Time {
	y := 0
	fmt.Sscan(id[6:10], &y)
	return time.Date(y, 12, 31, 12, 0, 0, 0, time.UTC)
}
