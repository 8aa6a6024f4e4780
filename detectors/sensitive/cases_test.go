package sensitive

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/piiscan/piiscan/detectors/pi"
)

// reportThreshold is the confidence at which a match counts as reported in
// the case table and the accuracy corpus.
const reportThreshold = 0.5

type want struct {
	t          pi.TypeID
	start, end int
}

// parseMarked strips [[type|text]] markers and returns the plain value and
// the expected spans in it.
func parseMarked(s string) (string, []want, error) {
	var b strings.Builder
	var ws []want
	for {
		i := strings.Index(s, "[[")
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		s = s[i+2:]
		bar := strings.IndexByte(s, '|')
		// The marked text may itself contain "]" (a JSON array): the marker ends at the last "]]" of a run.
		j := strings.Index(s, "]]")
		for j >= 0 && j+2 < len(s) && s[j+2] == ']' {
			j++
		}
		if bar < 0 || j < bar {
			return "", nil, fmt.Errorf("bad marker in %q", s)
		}
		start := b.Len()
		b.WriteString(s[bar+1 : j])
		ws = append(ws, want{pi.TypeID(s[:bar]), start, b.Len()})
		s = s[j+2:]
	}
	return b.String(), ws, nil
}

func loadCases(t testing.TB, path string) (cols, vals []string, wants [][]want) {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	line := 0
	for sc.Scan() {
		line++
		l := sc.Text()
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		col, val, ok := strings.Cut(l, "\t")
		if !ok {
			t.Fatalf("%s:%d: want column<TAB>value", path, line)
		}
		v, ws, err := parseMarked(val)
		if err != nil {
			t.Fatalf("%s:%d: %v", path, line, err)
		}
		cols, vals, wants = append(cols, col), append(vals, v), append(wants, ws)
	}
	return cols, vals, wants
}

func reported(d *Detector, col, val string) []want {
	f := &pi.Field{Column: col, Hints: d.Hint(col, "")}
	var got []want
	for _, m := range d.Find([]byte(val), f, nil) {
		if m.Confidence >= reportThreshold {
			got = append(got, want{m.Type, m.Start, m.End})
		}
	}
	slices.SortFunc(got, func(a, b want) int { return a.start - b.start })
	return got
}

func TestCases(t *testing.T) {
	d := New()
	cols, vals, wants := loadCases(t, "testdata/cases.txt")
	for i := range vals {
		got := reported(d, cols[i], vals[i])
		if !slices.Equal(got, wants[i]) {
			t.Errorf("column %q value %q:\n got %s\nwant %s", cols[i], vals[i], show(vals[i], got), show(vals[i], wants[i]))
		}
	}
}

func show(v string, ws []want) string {
	var parts []string
	for _, w := range ws {
		parts = append(parts, fmt.Sprintf("%s[%d:%d]%q", w.t, w.start, w.end, v[w.start:w.end]))
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// TestFastSkip guards throughput: a dictionary entry of the wrong shape
// once turned off the three-bytes-at-a-time skip and halved the speed.
func TestFastSkip(t *testing.T) {
	if !New().ac.FastSkip() {
		t.Fatal("the dictionary disables the automaton's fast skip (a one-rune term, or an ASCII one shorter than three bytes?)")
	}
}

func TestSentence(t *testing.T) {
	for _, c := range []struct{ v, word, want string }{
		{"甲。乙丙丁！戊", "丙", "乙丙丁"},
		{"甲；乙丙丁？戊", "丙", "乙丙丁"},
		{"a\n乙丙\nb", "丙", "乙丙"},
		{"乙丙", "丙", "乙丙"},
		{"研究表明，高血压很常见。患者确诊高血压", "患者", "患者确诊高血压"},
	} {
		s := strings.Index(c.v, c.word)
		lo, hi := sentence([]byte(c.v), s, s+len(c.word))
		if c.v[lo:hi] != c.want {
			t.Errorf("%q around %q: got %q, want %q", c.v, c.word, c.v[lo:hi], c.want)
		}
	}
}

// TestScanShort compares the one-pass separator test with a byte loop on
// every length up to past shortMax and every position of each separator,
// next to digits, letters, the zero byte and (which it must give up on)
// high bytes; and checks that
// a value it says has no hits has none at a word start (the only ones Find
// keeps), and that plain ASCII cells do take that way.
func TestScanShort(t *testing.T) {
	d := New()
	slow := func(v []byte) sepSet {
		var s sepSet
		for i, b := range v {
			switch {
			case b == '=':
				s |= sepEq
			case b == ':':
				s |= sepColon
			case b == '.' && i > 0 && isDigit(v[i-1]) && i+minDecimals < len(v) && digits4(v[i+1:i+5]):
				s |= sepDot
			}
		}
		return s
	}
	// wellFormed: only ASCII and 3-byte runes, which scanShort classifies.
	wellFormed := func(v []byte) bool {
		for i := 0; i < len(v); i++ {
			if b := v[i]; b >= utf8.RuneSelf {
				if b&0xF0 != 0xE0 || i+2 >= len(v) || v[i+1]&0xC0 != 0x80 || v[i+2]&0xC0 != 0x80 {
					return false
				}
				i += 2
			}
		}
		return true
	}
	noHitsChecked := 0
	for _, fill := range []string{"a1;中", "9", "/\x00", "\xb9\xae", "a\x7f:", "hiv ", "xHIV", "a DNA", "Lgbt", "9iri", "s", "user@example.com",
		"患者高血压", "高血压病史", "用户12", "北纬39.9042", "a高血压", "密码：x", "回族", "中é", "\xe4\xb8", "\xe0\x80\x80"} {
		for n := 0; n <= shortMax+9; n++ {
			base := []byte(strings.Repeat(fill, n)[:n])
			for pos := -1; pos < n; pos++ {
				for _, c := range []byte("=:. ") {
					v := append([]byte(nil), base...)
					if pos >= 0 {
						v[pos] = c
					}
					if len(v) > shortMax {
						continue
					}
					got, noHits, ok := d.scanShort(v)
					if ok != wellFormed(v) {
						t.Fatalf("%q: ok %v", v, ok)
					}
					if !ok {
						continue
					}
					if want := slow(v); got != want {
						t.Fatalf("%q: got %b, want %b", v, got, want)
					}
					if noHits {
						noHitsChecked++
						// The only hits Find drops: a pattern starting
						// with ASCII inside an ASCII word.
						for _, h := range d.ac.Scan(v, nil) {
							if !d.pats[h.Pat].asciiStart || h.Start == 0 || !isAlnum(v[h.Start-1]) {
								t.Fatalf("%q: noHits, but %q at %d", v, v[h.Start:h.End], h.Start)
							}
						}
					}
				}
			}
		}
	}
	if noHitsChecked < 10000 {
		t.Fatalf("only %d values without hits", noHitsChecked)
	}
	for _, v := range []string{"user1037@example.com", "e10adc3949ba59abbe56e057f20f883ec4ca4238a0b923820dcc509a6f75849b order 1000", "12.50", "2024-05-01 10:00:00", "x",
		"用户123", "北京市朝阳区建国路12号院3号楼", "张伟", "已发货"} {
		if _, noHits, _ := d.scanShort([]byte(v)); !noHits {
			t.Errorf("%q: may have hits", v)
		}
	}
	for _, v := range []string{"HIV", "hiv+", "a,DNA", "status: lgbtq", "sexual_orientation", "高血压", "患者有高血压病史", "回族", "密码：123"} {
		if _, noHits, _ := d.scanShort([]byte(v)); noHits {
			t.Errorf("%q: no hits", v)
		}
	}
}

// TestSepsOf compares the one-pass separator test with bytes.IndexByte on
// every length up to past sepsMax and every position of each separator.
func TestSepsOf(t *testing.T) {
	for n := 0; n <= sepsMax+9; n++ {
		base := []byte(strings.Repeat("a1;中", n)[:n])
		for pos := -1; pos < n; pos++ {
			for _, c := range []byte("=:.") {
				v := append([]byte(nil), base...)
				if pos >= 0 {
					v[pos] = c
				}
				want := sepSet(0)
				if len(v) > sepsMax {
					want = sepEq | sepColon | sepDot
				} else {
					for b, bit := range map[byte]sepSet{'=': sepEq, ':': sepColon, '.': sepDot} {
						if bytes.IndexByte(v, b) >= 0 {
							want |= bit
						}
					}
				}
				got := sepEq | sepColon | sepDot
				if len(v) <= sepsMax {
					got = sepsOf(v)
				}
				if got != want {
					t.Fatalf("%q: got %b, want %b", v, got, want)
				}
			}
		}
	}
}

// TestCredentialEnd: keyBefore's two-byte filter lets every credential key
// through and rejects ordinary key endings.
func TestCredentialEnd(t *testing.T) {
	for _, k := range credentialKeys {
		if !credentialEnd(k[len(k)-2], k[len(k)-1]) {
			t.Errorf("credentialEnd rejects %q", k)
		}
	}
	for _, k := range []string{"id", "url", "status", "contact", "model", "time"} {
		if credentialEnd(k[len(k)-2], k[len(k)-1]) {
			t.Errorf("credentialEnd accepts %q", k)
		}
	}
}

// TestNegated compares negated, which tests the last rune first, with
// hasSuffix over every negation: each negation alone and after text, its
// last rune alone (认 without 否), other runes and ASCII, every length
// from 0.
func TestNegated(t *testing.T) {
	ref := func(b []byte) bool {
		for _, n := range negations {
			if hasSuffix(b, n) {
				return true
			}
		}
		return false
	}
	ends := []string{"", "a", "ab", "认", "除", "是", "不", "否", "患者", "高血压", "确诊", "\xe6", "\xe6\x97"}
	for _, n := range negations {
		ends = append(ends, n, "病人"+n, "x"+n, n[len(n)-3:], n[:3])
	}
	for _, pre := range []string{"", "a", "他", "否认无", "12"} {
		for _, e := range ends {
			v := []byte(pre + e)
			for k := 0; k <= len(v); k++ {
				if got, want := negated(v[:k]), ref(v[:k]); got != want {
					t.Fatalf("negated(%q) = %v, want %v", v[:k], got, want)
				}
			}
		}
	}
}
