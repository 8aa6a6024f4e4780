package structured

import (
	"testing"
	"time"

	"github.com/piiscan/piiscan/detectors/pi"
)

var testNow = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

// Every spec has its own type, each type once, and Types lists them all.
func TestSpecsRegisteredOnce(t *testing.T) {
	seen := map[pi.TypeID]int{}
	kinds := map[kind]bool{}
	for _, s := range specs {
		seen[s.typ]++
		if s.kind == 0 || kinds[s.kind] {
			t.Errorf("%s: kind %d unset or shared", s.typ, s.kind)
		}
		kinds[s.kind] = true
		if s.shapes&shapeChain != 0 && s.digits == 0 {
			t.Errorf("%s: chain shape without digit counts", s.typ)
		}
		for _, k := range s.kw.ascii {
			for _, c := range []byte(k) {
				if c < 'a' || c > 'z' {
					t.Errorf("%s: ASCII keyword %q must be lower-case letters", s.typ, k)
				}
			}
		}
		if s.shapes&shapeToken != 0 && s.tokenLens == 0 {
			t.Errorf("%s: token shape without token lengths", s.typ)
		}
		if s.shapes == 0 {
			t.Errorf("%s: no candidate shape", s.typ)
		}
		if s.base <= 0 || s.base > 1 || s.boosted < s.base || s.boosted > 1 {
			t.Errorf("%s: confidences %v/%v", s.typ, s.base, s.boosted)
		}
		if len(s.columns) == 0 {
			t.Errorf("%s: no column words", s.typ)
		}
	}
	for ty, n := range seen {
		if n != 1 {
			t.Errorf("%s: %d specs", ty, n)
		}
	}
	want := []pi.TypeID{pi.IDCard, pi.Mobile, pi.Landline, pi.BankCard, pi.Email, pi.IPv4, pi.IPv6,
		pi.Passport, pi.TravelPermit, pi.LicensePlate, pi.USCC, pi.BirthDate, pi.Minor}
	got := map[pi.TypeID]bool{}
	for _, ty := range New(testNow).Types() {
		if got[ty] {
			t.Errorf("Types lists %s twice", ty)
		}
		got[ty] = true
	}
	for _, ty := range want {
		if !got[ty] {
			t.Errorf("Types lacks %s", ty)
		}
	}
	if len(got) != len(want) {
		t.Errorf("Types = %v, want %v", New(testNow).Types(), want)
	}
}

// Every shape a spec declares has a validator in the dispatch switches
// (they panic otherwise).
func TestSpecShapesDispatch(t *testing.T) {
	d := New(testNow)
	s := &scan{d: d, v: []byte("1")}
	c := &chain{n: 1, g: [maxGroups]group{{0, 1, false}}}
	for _, sp := range specs {
		if sp.shapes&shapeAtom != 0 {
			atomOf(sp.kind, s, 0, 1)
		}
		if sp.shapes&shapeChain != 0 {
			chainOf(sp.kind, s, c, 0, 1)
		}
		if sp.shapes&shapeToken != 0 {
			tokenOf(sp.kind, s, 0, 1)
		}
		if sp.shapes&shapeDotted != 0 {
			dottedOf(sp.kind, s, c)
		}
	}
}

func TestKeywordSet(t *testing.T) {
	ks := compileKeywords([]string{"手机", "tel", "phone"})
	for _, c := range []struct {
		text string
		want bool
	}{
		{"手机：", true},
		{"联系人手机号码是", true},
		{"Tel: ", true},
		{"mobilePhone=", true},
		{"hotel ", false},
		{"电话", false},
		{"很长很长很长很长很长的一段话手机", true},
		{"手机很长很长很长很长很长很长的一段话", false}, // outside the window
		{"Phone: no. ab ", true},                // the first word, others after it
		{"aVeryLongFieldNameWithPhone=", false}, // past the 24 letters compared
		{"mobilePhoneNumberOfUser=", true},      // 24 letters, "phone" inside
		{"x tel", true},
		{"hotel motel ", false},
	} {
		v := []byte(c.text + "13812345678")
		if got := ks.before(v, len(c.text), keywordWindow); got != c.want {
			t.Errorf("%q: got %v, want %v", c.text, got, c.want)
		}
	}
}

// A dotted spec's groups lists every number of dotted groups its validator
// can accept: dotted tries no spec on other runs (decimals).
func TestDottedGroups(t *testing.T) {
	d := New(testNow)
	for _, sp := range specs {
		if sp.shapes&shapeDotted == 0 {
			continue
		}
		if sp.groups == 0 {
			t.Errorf("%s: dotted without groups", sp.typ)
		}
		// runs a validator accepts with the right number of groups
		for _, nums := range [][]string{{"1990", "01", "02", "10", "1", "2", "3", "4"}, {"10", "1", "2", "3", "4", "5", "6", "7"}} {
			for n := 1; n <= maxGroups; n++ {
				var c chain
				var v []byte
				for k, g := range nums[:n] {
					if k > 0 {
						v = append(v, '.')
					}
					c.g[k] = group{len(v), len(v) + len(g), false}
					v = append(v, g...)
				}
				c.n, c.dots = n, true
				_, ok := dottedOf(sp.kind, &scan{d: d, v: v}, &c)
				if ok && sp.groups&(1<<n) == 0 {
					t.Errorf("%s accepts %q, with %d groups, not in its groups", sp.typ, v, n)
				}
			}
		}
	}
}

// lastDigit (eight bytes a step, overlapping below lo) agrees with a byte
// loop for every window of these values, digits at both ends included.
func TestLastDigit(t *testing.T) {
	for _, v := range []string{
		"", "1", "a", "出生日期：1990年", "7出生日期：x", "0123456789abcdefghij0", "abcdefghijklmnopqrstuvwxyz",
		"生日快乐！活动时间 2024-01-02 出生1990", "9aaaaaaaaaaaaaaaaaaaaaaa9", "\xff\x80\x30\x39\xb9\xc0/:",
	} {
		b := []byte(v)
		for lo := 0; lo <= len(b); lo++ {
			for hi := lo; hi <= len(b); hi++ {
				want := -1
				for k := hi - 1; k >= lo; k-- {
					if b[k] >= '0' && b[k] <= '9' {
						want = k
						break
					}
				}
				if got := lastDigit(b, lo, hi); got != want {
					t.Errorf("lastDigit(%q, %d, %d) = %d, want %d", v, lo, hi, got, want)
				}
			}
		}
	}
}
