package structured

import (
	"bytes"
	"encoding/binary"
	mbits "math/bits"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
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
// loop for every window of these values, digits at both ends included, for
// every keyword set: the last digit, and whether the bytes after it hold an
// ASCII letter (for a set with ASCII keywords) or one of the set's need
// bytes. When they hold neither, before finds no keyword in them.
func TestLastDigit(t *testing.T) {
	sets := []*keywordSet{&versionKeywords, &taiwanKeywords}
	for _, sp := range specs {
		sets = append(sets, &sp.kw)
	}
	for _, v := range []string{
		"", "1", "a", "出生日期：1990年", "7出生日期：x", "0123456789abcdefghij0", "abcdefghijklmnopqrstuvwxyz",
		"生日快乐！活动时间 2024-01-02 出生1990", "9aaaaaaaaaaaaaaaaaaaaaaa9", "\xff\x80\x30\x39\xb9\xc0/:",
		"于2023年5月12日，活动时间：2024-01-02 ", "1出生1于于于于于于于于9生日12", "身份证号码：邮箱地址9A电话1",
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
				for _, ks := range sets {
					held := false
					for _, c := range b[max(lo, want+1):hi] {
						held = held || ks.letters && cls[c] >= clsUpper
						for _, n := range ks.need[:max(ks.nneed, 0)] {
							held = held || c == byte(n)
						}
					}
					got, may := ks.lastDigit(b, lo, hi)
					if got != want || may != held {
						t.Fatalf("lastDigit(%q, %d, %d) = %d, %v, want %d, %v", v, lo, hi, got, may, want, held)
					}
					if !may && ks.nneed >= 0 && ks.before(b, hi, hi-max(lo, want+1)) {
						t.Fatalf("before(%q, %d, %d) found a keyword that lastDigit says is not there", v, hi, hi-max(lo, want+1))
					}
				}
			}
		}
	}
}

// coverBytes picks few continuation bytes that every keyword holds.
func TestCoverBytes(t *testing.T) {
	for _, c := range []struct {
		kws  []string
		want string // "!" where coverBytes reports false
	}{
		{[]string{"生日", "\xe4ab"}, "!"},      // a keyword without a continuation byte: no filter
		{[]string{"出生", "生日", "生于"}, "\x94"}, // 生 is e7 94 9f; 0x94 < 0x9f
		{nil, ""},
		{[]string{"邮箱"}, "\x82"},
		// 牌 (e7 89 8c) covers two, 车 (e8 bd a6) too; 0x89 is the smallest
		// byte of those; 辆 (e8 be 86) is left, and 0x86 < 0xa6 < 0xbd < 0xbe.
		{[]string{"车牌", "号牌", "车辆"}, "\x89\x86"},
	} {
		need, ok := coverBytes(c.kws)
		got := string(need)
		if !ok {
			got = "!"
		}
		if got != c.want {
			t.Errorf("coverBytes(%q) = %q, want %q", c.kws, got, c.want)
		}
	}
	if n := birthDateSpec.kw.nneed; n != 1 {
		t.Errorf("birth dates need %d bytes, want 1 (生)", n)
	}
}

// beforeWalk is keywordSet.before as a plain byte loop: the reference the
// faster walk must agree with, malformed UTF-8 included.
func beforeWalk(ks *keywordSet, v []byte, start, window int) bool {
	w := v[max(0, start-window):start]
	letters := false
	for p := 0; p < len(w); p++ {
		c := w[p]
		if c < 0x80 {
			letters = letters || cls[c] >= clsUpper
			continue
		}
		if c < 0xe0 || c >= 0xf0 || p+2 >= len(w) {
			continue
		}
		for _, k := range ks.han {
			if len(w)-p >= len(k) && string(w[p:p+len(k)]) == k {
				return true
			}
		}
		p += 2
	}
	if !letters {
		return false
	}
	for p := 0; p < len(w); {
		if cls[w[p]] < clsUpper {
			p++
			continue
		}
		q := p
		for q < len(w) && cls[w[q]] >= clsUpper {
			q++
		}
		word := []byte(strings.ToLower(string(w[p:min(q, p+24)])))
		for _, k := range ks.ascii {
			if len(k) <= 3 && string(word) == k || len(k) > 3 && strings.Contains(string(word), k) {
				return true
			}
		}
		p = q
	}
	return false
}

// before agrees with beforeWalk at every offset of the testdata lines, and
// of lines with malformed UTF-8 (a lead byte before ASCII letters hides
// them from the walk), for every spec's keywords.
func TestBeforeMatchesWalk(t *testing.T) {
	names, _ := filepath.Glob("testdata/*.txt")
	var lines [][]byte
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range bytes.Split(b, []byte("\n")) {
			lines = append(lines, l)
		}
	}
	lines = append(lines, []byte("\xe5tel\xe5\xb9phone\xe6\x89\x8b\xe6\x9c\xba1"), []byte("出生\xe7\x94dob\xe7\x94\x9f日"),
		[]byte("\xef\xbc手机\xe6mobile"), []byte("ab\xe6\x89"))
	if len(lines) < 100 {
		t.Fatalf("only %d lines", len(lines))
	}
	sets := []*keywordSet{&versionKeywords, &taiwanKeywords}
	for _, sp := range specs {
		sets = append(sets, &sp.kw)
	}
	n := 0
	for _, l := range lines {
		for start := 0; start <= len(l); start++ {
			for _, window := range []int{strictWindow, keywordWindow, 5} {
				for _, ks := range sets {
					got, want := ks.before(l, start, window), beforeWalk(ks, l, start, window)
					if got != want {
						t.Fatalf("before(%q, %d, %d) = %v, walk says %v", l, start, window, got, want)
					}
					n += b2i(want)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no window holds a keyword")
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// timeEnd accepts times and durations, and only runs that parseIPv6
// rejects, ending where ipv6Atom's walk over the colon run ends.
func TestTimeEnd(t *testing.T) {
	for _, c := range []struct {
		v    string
		e    int // the run is v[0:e]
		want int // timeEnd's end, or -1
	}{
		{"12:30 开会", 2, 5},
		{"12:30:45，", 2, 8},
		{"0000:12:30:45 x", 4, 13},
		{"10:30:45.123 INFO", 2, 12},
		{"9:05", 1, 4},
		{"12:30:45:67", 2, 11},
		{"12:30:45:67:89", 2, -1},          // a fourth colon: left to parseIPv6
		{"12:34:56:78:90:12:34:56", 2, -1}, // eight groups: an address
		{"12:3a", 2, -1},                   // a hex digit after the group
		{"12:30.1.2", 2, -1},               // a second dot
		{"2001:db8::1", 4, -1},             // an address
		{"1:22:33:44:55:66:77:88", 1, -1},
		{"fe80:12:34", 4, -1}, // letters in the run
		{"12:30::1", 2, -1},
	} {
		v := []byte(c.v)
		k, ok := timeEnd(v, 0, c.e)
		if !ok {
			k = -1
		}
		if k != c.want {
			t.Errorf("timeEnd(%q, 0, %d) = %d, want %d", c.v, c.e, k, c.want)
		}
		if !ok {
			continue
		}
		if _, parsed := parseIPv6(v, 0, false); parsed {
			t.Errorf("%q: timeEnd accepts an address", c.v)
		}
		walk := c.e
		for walk < len(v) && (isHex(v[walk]) || v[walk] == ':' || v[walk] == '.') {
			walk++
		}
		if k != walk {
			t.Errorf("%q: timeEnd ends at %d, the colon run at %d", c.v, k, walk)
		}
	}
}

// TestTail: tail's word holds v[e:] byte for byte, zero above, for every
// value length up to 20 and every start with fewer than eight bytes left
// (values shorter than eight bytes take the overlapping 4- and 1-byte loads).
func TestTail(t *testing.T) {
	src := []byte("\x01\x80\xff0123456789abcdefghij")
	for n := 1; n <= 20; n++ {
		v := src[len(src)-n:]
		for e := max(0, n-7); e < n; e++ {
			var want uint64
			for k := n - 1; k >= e; k-- {
				want = want<<8 | uint64(v[k])
			}
			if got := tail(v, e); got != want {
				t.Fatalf("tail(%q, %d) = %#x, want %#x", v, e, got, want)
			}
		}
	}
}

// luhnLoop and idCheckLoop are the digit-at-a-time definitions that luhn
// and idCheck compute with fewer instructions.
func luhnLoop(d []byte) bool {
	sum := 0
	double := false
	for i := len(d) - 1; i >= 0; i-- {
		x := int(d[i] - '0')
		if double {
			x *= 2
			if x > 9 {
				x -= 9
			}
		}
		sum += x
		double = !double
	}
	return sum%10 == 0
}

func idCheckLoop(d []byte) byte {
	sum := 0
	for i, w := range [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2} {
		sum += int(d[i]-'0') * w
	}
	return "10X98765432"[sum%11]
}

// TestLuhnIDCheck compares luhn and idCheck with their loops on random
// digit strings of every length a card or an ID can have (for luhn also
// with an 'X' or any byte in them, as an X-ended ID read as a card is).
func TestLuhnIDCheck(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 200_000 {
		d := make([]byte, r.IntN(20))
		for k := range d {
			d[k] = '0' + byte(r.IntN(10))
		}
		if len(d) > 0 && r.IntN(4) == 0 {
			d[r.IntN(len(d))] = byte(r.IntN(256))
		}
		if got, want := luhn(d), luhnLoop(d); got != want {
			t.Fatalf("luhn(%q) = %v, loop %v", d, got, want)
		}
		if len(d) >= 17 && allDigits(d[:17]) {
			if got, want := idCheck(d), idCheckLoop(d); got != want {
				t.Fatalf("idCheck(%q) = %c, loop %c", d, got, want)
			}
		}
	}
}

// TestWordRun: atomAt (atomFrom for a run past the word) on wordRun's
// start, end and letters, as run calls them, returns and finds what atom
// does at the run's first byte, for random values of digits, letters and
// the bytes around candidates, at every word start (full words and tail
// words).
func TestWordRun(t *testing.T) {
	d := New(testNow)
	r := rand.New(rand.NewPCG(3, 4))
	alpha := []string{"0", "1", "3", "8", "9", "a", "X", "x", "e", "A", "@", ".", " ", "-", ":", "_", "中", "年", "(", ")"}
	for range 20_000 {
		var b []byte
		for n := r.IntN(30); len(b) < n; {
			b = append(b, alpha[r.IntN(len(alpha))]...)
		}
		for i := range b {
			var x uint64
			full := i+8 <= len(b)
			if full {
				x = binary.LittleEndian.Uint64(b[i:])
			} else {
				x = tail(b, i)
			}
			dm, lm := pi.ASCIIMasks(x)
			if dm|lm == 0 {
				continue
			}
			f := &pi.Field{}
			s1 := scan{d: d, v: b, f: f}
			s2 := scan{d: d, v: b, f: f}
			j, k, letters := wordRun(dm, lm)
			var got int
			if k == 8 {
				got = s1.atomFrom(i+j, i+8, letters)
			} else {
				got = s1.atomAt(i+j, i+k, letters)
			}
			want := s2.atom(i + mbits.TrailingZeros64(dm|lm)>>3)
			if got != want || len(s1.dst) != len(s2.dst) {
				t.Fatalf("%q at %d: wordRun %d %v, atom %d %v", b, i, got, s1.dst, want, s2.dst)
			}
			for k := range s1.dst {
				if s1.dst[k] != s2.dst[k] {
					t.Fatalf("%q at %d: wordRun %v, atom %v", b, i, s1.dst, s2.dst)
				}
			}
		}
	}
}

// TestNumFixed: num2, num4 and num6 parse what num parses, at every offset
// of random digit strings.
func TestNumFixed(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 20_000 {
		d := make([]byte, 6+r.IntN(14))
		for k := range d {
			d[k] = '0' + byte(r.IntN(10))
		}
		for a := 0; a+6 <= len(d); a++ {
			if num2(d, a) != num(d, a, a+2) || num4(d, a) != num(d, a, a+4) || num6(d, a) != num(d, a, a+6) {
				t.Fatalf("%q at %d: num2/4/6 %d %d %d, num %d %d %d", d, a, num2(d, a), num4(d, a), num6(d, a),
					num(d, a, a+2), num(d, a, a+4), num(d, a, a+6))
			}
		}
	}
}

// TestContextAtStart: context answers a value at the start of v (nothing
// before it) without walking the window; the walk (lastDigit and before
// over the empty window) must agree, for every spec, strict or not.
func TestContextAtStart(t *testing.T) {
	d := New(testNow)
	for _, v := range []string{"13812345678", "身份证13812345678", "tel 138", "x", "出生 1990-01-02"} {
		for _, sp := range specs {
			for _, strict := range []bool{false, true} {
				s := scan{d: d, v: []byte(v), f: &pi.Field{}}
				window := keywordWindow
				if strict {
					window = strictWindow
				}
				_, may := sp.kw.lastDigit(s.v, 0, 0)
				walk := (!strict || may || sp.kw.nneed < 0) && sp.kw.before(s.v, 0, window)
				if got := s.context(sp, 0, strict); got != walk {
					t.Fatalf("%s strict=%v on %q: context %v, walk %v", sp.typ, strict, v, got, walk)
				}
			}
		}
	}
}

// TestChainBy1: a spec left out of chainBy1[n] (its single excludes n)
// accepts no chain of one group of n digits: random ones, led by the
// prefixes of real values, with a column that suggests every type (so that
// context never decides), are offered to every chain spec of chainBy[n].
func TestChainBy1(t *testing.T) {
	d := New(testNow)
	f := &pi.Field{}
	for _, sp := range specs {
		f.Hints = append(f.Hints, sp.typ)
	}
	r := rand.New(rand.NewPCG(7, 8))
	prefixes := []string{"", "0", "010", "021", "0755", "0571", "1", "138", "86", "0086", "19", "199", "20", "62", "6222", "110105", "91"}
	for n := minDigits; n <= maxDigits; n++ {
		for _, sp := range d.chainBy[n] {
			if slices.Contains(d.chainBy1[n], sp) {
				continue
			}
			for range 20_000 {
				b := []byte(prefixes[r.IntN(len(prefixes))])
				for len(b) < n {
					b = append(b, '0'+byte(r.IntN(10)))
				}
				b = b[:n]
				s := scan{d: d, v: b, f: f}
				var c chain
				c.g[0], c.n = group{0, n, false}, 1
				if _, ok := chainOf(sp.kind, &s, &c, 0, 1); ok {
					t.Fatalf("%s takes %q, one group of %d digits, which chainBy1 does not offer it", sp.typ, b, n)
				}
			}
		}
	}
}

// TestAtFind: atFind's answer and the '@' it records, with its shortcut
// for an '@' at e, match bytes.IndexByte's, at every e and limit of random
// values.
func TestAtFind(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	alpha := []byte("a1@. 中")
	for range 5_000 {
		b := make([]byte, r.IntN(12))
		for k := range b {
			b[k] = alpha[r.IntN(len(alpha))]
		}
		for e := 0; e <= len(b); e++ {
			for limit := e - 1; limit <= len(b)+1; limit++ {
				s := scan{v: b}
				got := s.atFind(e, limit)
				k := bytes.IndexByte(b[e:], '@')
				if want := k >= 0 && e+k <= limit; got != want || k >= 0 && s.at != e+k || s.noAt != (k < 0) {
					t.Fatalf("atFind(%q, %d, %d) = %v (at %d, noAt %v), IndexByte %d", b, e, limit, got, s.at, s.noAt, k)
				}
			}
		}
	}
}
