package ac

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// naive finds every occurrence of every pattern (ASCII case folded) that does
// not start inside an ASCII word, the reference Scan must agree with.
func naive(v string, pats []string) map[Hit]bool {
	out := map[Hit]bool{}
	lv := asciiLower(v)
	for id, p := range pats {
		lp := asciiLower(p)
		for off := 0; ; {
			i := strings.Index(lv[off:], lp)
			if i < 0 {
				break
			}
			s := off + i
			off = s + 1
			if !utf8.RuneStart(v[s]) {
				continue
			}
			out[Hit{int32(s), int32(s + len(p)), int32(id)}] = true
		}
	}
	return out
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func check(t *testing.T, v string, pats []string) {
	a := Build(pats)
	got := map[Hit]bool{}
	for _, h := range a.Scan([]byte(v), nil) {
		if isAlnum(v[h.Start]) && h.Start > 0 && isAlnum(v[h.Start-1]) {
			continue
		}
		got[h] = true
	}
	want := naive(v, pats)
	for h := range want {
		if isAlnum(v[h.Start]) && h.Start > 0 && isAlnum(v[h.Start-1]) {
			continue
		}
		if !got[h] {
			t.Fatalf("%q: missed %v (%q)", v, h, pats[h.Pat])
		}
		delete(got, h)
	}
	for h := range got {
		t.Fatalf("%q: spurious %v", v, h)
	}
}

var (
	twoRune = []string{"高血压", "血压", "高血脂", "压力", "he", "hers", "his", "she", "ab", "糖尿病", "尿病", "病史", "病,", "力a"}
	oneRune = append([]string{"病", "a", "史"}, twoRune...) // disables the pair filter
	// accented patterns hold two-byte runes (custom keywords may)
	accented = []string{"café", "°N", "中é文", "é高", "résumé", "高°", "血压"}
)

func TestScan(t *testing.T) {
	for _, v := range []string{"", "高血压病史", "ushers", "他有高血脂和高血压，压力大", "Hers HE his", "糖尿病病史", "高\xff血压", "ab ab", "高高血压",
		// Long ASCII runs go through the eight-byte word-start skip.
		"the ushers and his sisters: Hers, HE, she, xab ab1 ab", "高血压 12345678 hers his abc he 病史 0ab,ab", "sheshesheshe hisab.ab_ab-he", "abcdefgh高血压ijklmnoab"} {
		check(t, v, twoRune)
		check(t, v, oneRune)
	}
	if !Build(twoRune).pairFilter || Build(oneRune).pairFilter || !Build(twoRune).fast || Build(oneRune).fast || Build(oneRune).FastSkip() {
		t.Fatal("pair filter and fast skip should be on only when every pattern has two runes or more")
	}
	if a := Build([]string{"高a", "血压"}); !a.fast {
		t.Fatal("a pattern whose second rune is not 3 bytes must keep the fast skip")
	}
	check(t, "他高a，高血压，高b", []string{"高a", "血压", "高,"})
	for _, v := range []string{"I love café, 40°N 中é文 résumé", "é高血压高°°N", "°°NN café café"} {
		check(t, v, accented)
	}
}

func FuzzScan(f *testing.F) {
	f.Add("他有高血脂和高血压，压力大 ushers")
	f.Fuzz(func(t *testing.T, v string) {

		check(t, v, twoRune)
		check(t, v, oneRune)
	})
}

// BenchmarkScan compares the pair filter on and off over Chinese prose with a
// dictionary whose first characters are common (a stand-in for the disease
// and charge names).
func BenchmarkScan(b *testing.B) {
	var pats []string
	for _, first := range "高生非故过破组走信民宗判前诊确患住入出治服性无不发大中人" {
		for _, second := range "血压尿病法意失坏织私仰族教处科断诊者院罪" {
			pats = append(pats, string(first)+string(second)+"症")
		}
	}
	text := []byte(strings.Repeat("近年来，随着数字经济的快速发展，各地纷纷出台政策支持中小企业数字化转型，推动产业链上下游协同创新。公司第三季度营业收入同比增长，主要得益于海外市场的持续开拓。", 200))
	for _, mode := range []string{"fast", "pairs", "plain"} {
		b.Run(mode, func(b *testing.B) {
			a := Build(pats)
			a.fast = mode == "fast"
			a.pairFilter = mode != "plain"
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			var hits []Hit
			for i := 0; i < b.N; i++ {
				hits = a.Scan(text, hits[:0])
			}
		})
	}
}

// FuzzScanDense builds inputs from the patterns' own runes (and a few
// others), so that partial matches, failures and restarts are frequent.
func FuzzScanDense(f *testing.F) {
	alphabet := []rune("高血压脂尿糖病史力他有，,hersHIab 1é°中文N")
	f.Add([]byte{0, 1, 2, 7, 6, 5, 0, 0, 1, 2})
	f.Fuzz(func(t *testing.T, in []byte) {
		var sb strings.Builder
		for _, b := range in {
			sb.WriteRune(alphabet[int(b)%len(alphabet)])
		}
		v := sb.String()
		check(t, v, twoRune)
		check(t, v, oneRune)
		check(t, v, accented)
	})
}

// plainCopy returns a with every skip and filter off: Scan then walks the
// automaton one rune at a time, the reference the fast paths must agree with.
func plainCopy(a *Automaton) *Automaton {
	p := *a
	p.fast, p.pairFilter = false, false
	return &p
}

// TestFastSkipEqualsPlainWalk is a differential test: on generated text
// dense with pattern runes, ASCII words, digits, punctuation, other widths
// and invalid bytes, Scan with the fast skips reports exactly the hits of
// the plain automaton walk (hits that start inside an ASCII word, which Scan
// may drop by contract, aside), and both agree with the naive search.
func TestFastSkipEqualsPlainWalk(t *testing.T) {
	sets := [][]string{
		twoRune,
		{"1型糖尿病", "2019冠状病毒病", "21三体综合征", "HIV", "HIV阳性", "DNA", "lgbt", "PIN码", "iris", "男,", "女,", "格林-巴利综合征", "高血压", "血压", "密码", "北纬", "回族", "回族自治州"},
		{"高a", "血压", "高,", "ab", "压力"},
		{"hers", "his", "she", "高血压", "血压", "压力", "糖尿病", "病史", "病,", "力ab"},
		{"HIV", "DNA", "高血压", "血压", "尿病", "病x", "经,"},
	}
	pieces := []string{"高", "血", "压", "脂", "尿", "糖", "病", "史", "力", "回", "族", "密", "码", "北", "纬", "型", "男", "女", "格", "林",
		"的", "是", "了", "经", "济", "，", "。", "：", "“", "”",
		"1", "2", "0", "9", "12", "2019", "2024", "21", "a", "b", "h", "e", "r", "s", "A", "B", "H", "I", "V", "D", "N", "he", "HIV", "hiv", "dna", "iris", "lgbt", "ab", "PIN", "hers", "Hi", "sHe", "the", "x",
		" ", ",", ".", ":", "=", "-", "_", "\n", "é", "°", "😀", "\xff", "\xe9\x82", "\xe9", "病é"}
	r := uint64(1)
	next := func(n int) int {
		r ^= r << 13
		r ^= r >> 7
		r ^= r << 17
		return int(r % uint64(n))
	}
	for si, pats := range sets {
		fast := Build(pats)
		if !fast.fast || fast.triOK != (si == 1 || si >= 3) {
			t.Fatalf("set %d: fast %v triOK %v", si, fast.fast, fast.triOK)
		}
		plain := plainCopy(fast)
		var sb strings.Builder
		for k := 0; k < 20000; k++ {
			sb.Reset()
			for n := next(40); n > 0; n-- {
				if next(8) == 0 {
					sb.WriteString(pats[next(len(pats))])
				} else {
					sb.WriteString(pieces[next(len(pieces))])
				}
			}
			v := sb.String()
			got, want := wordHits(v, fast.Scan([]byte(v), nil)), wordHits(v, plain.Scan([]byte(v), nil))
			if len(got) != len(want) {
				t.Fatalf("set %d, %q: fast %v, plain %v", si, v, got, want)
			}
			for h := range want {
				if !got[h] {
					t.Fatalf("set %d, %q: fast %v, plain %v", si, v, got, want)
				}
			}
			if !utf8.ValidString(v) {
				continue
			}
			ref := naive(v, pats)
			for h := range ref {
				if isAlnum(v[h.Start]) && h.Start > 0 && isAlnum(v[h.Start-1]) {
					delete(ref, h)
				}
			}
			if len(ref) != len(want) {
				t.Fatalf("set %d, %q: naive %v, plain %v", si, v, ref, want)
			}
			for h := range ref {
				if !want[h] {
					t.Fatalf("set %d, %q: naive %v, plain %v", si, v, ref, want)
				}
			}
		}
	}
}

// wordHits keeps the hits Scan must report: not starting inside an ASCII word.
func wordHits(v string, hits []Hit) map[Hit]bool {
	out := map[Hit]bool{}
	for _, h := range hits {
		if isAlnum(v[h.Start]) && h.Start > 0 && isAlnum(v[h.Start-1]) {
			continue
		}
		out[h] = true
	}
	return out
}

// TestTwoByteRunes: Supported accepts patterns with two-byte runes (Latin
// accents, the degree sign), so Scan must find them, at the start, inside
// and at the end of a pattern.
func TestTwoByteRunes(t *testing.T) {
	pats := []string{"café", "°N", "中é文", "北纬", "résumé"}
	a := Build(pats)
	v := []byte("I love café, 40°N 中é文 北纬39度 my résumé.")
	var got []string
	for _, h := range a.Scan(v, nil) {
		got = append(got, string(v[h.Start:h.End]))
	}
	want := []string{"café", "°N", "中é文", "北纬", "résumé"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// TestShort64 compares Short64 with a byte loop for every length below
// eight.
func TestShort64(t *testing.T) {
	b := []byte{0x01, 0x80, 0xFF, 0x7F, 0xE4, 0xB8, 0x00, 0x9A}
	for n := 0; n < 8; n++ {
		for off := 0; off+n <= len(b); off++ {
			var want uint64
			for k := n - 1; k >= 0; k-- {
				want = want<<8 | uint64(b[off+k])
			}
			if got := Short64(b[off : off+n]); got != want {
				t.Errorf("Short64(% x) = %#x, want %#x", b[off:off+n], got, want)
			}
		}
	}
}

// TestFirstScanFrom: First and ScanFrom give exactly Scan's hits, in
// order, and First says no only for values Scan finds nothing in; with
// the fast skips on and off (oneRune has a one-rune pattern), on values
// dense with pattern runes, ASCII words, other widths and invalid bytes.
func TestFirstScanFrom(t *testing.T) {
	pieces := []string{"高", "血", "压", "尿", "病", "史", "力", "的", "是", "，", "1", "2019", "a", "he", "HIV", "hers", " ", "é", "\xff", "病,", "x"}
	r := uint64(3)
	next := func(n int) int {
		r ^= r << 13
		r ^= r >> 7
		r ^= r << 17
		return int(r % uint64(n))
	}
	for _, pats := range [][]string{twoRune, oneRune, accented, {"1型糖尿病", "2019冠状病毒病", "HIV", "HIV阳性", "高血压", "血压", "病史"}} {
		a := Build(pats)
		none := 0
		for k := 0; k < 20000; k++ {
			var sb strings.Builder
			for n := next(30); n > 0; n-- {
				sb.WriteString(pieces[next(len(pieces))])
			}
			v := []byte(sb.String())
			want := fmt.Sprint(a.Scan(v, nil))
			st, ok := a.First(v)
			if !ok {
				none++
				if want != "[]" {
					t.Fatalf("%q: First says no hits, Scan finds %s", v, want)
				}
				continue
			}
			if got := fmt.Sprint(a.ScanFrom(v, st, nil)); got != want {
				t.Fatalf("%q: ScanFrom %s, Scan %s", v, got, want)
			}
		}
		if a.FastSkip() && none < 100 {
			t.Fatalf("%v: First said no hits only %d times", pats, none)
		}
	}
}

// TestTokensMayStart: on values of ASCII and 3-byte runes dense with the
// starts of patterns (and of their pairs and triples), whose tokens are
// found a byte at a time, TokensMayStart says no only when the plain
// automaton finds no hit but ones inside ASCII words; and it does say no
// often enough for the test to mean something.
func TestTokensMayStart(t *testing.T) {
	pats := []string{"高血压", "血压", "高血脂", "糖尿病", "系统性红斑狼疮", "病史", "男,", "力a", "HIV", "HIV阳性", "DNA", "2019冠状病毒病", "1型糖尿病", "密码", "北纬"}
	a := Build(pats)
	if !a.FastSkip() {
		t.Fatal("pattern set lost FastSkip: the check is not exercised")
	}
	plain := plainCopy(a)
	pieces := []string{"高", "血", "压", "脂", "糖", "尿", "病", "史", "系统", "系统性", "红斑", "男", "力", "北", "纬", "密", "码", "的", "是", "用户", "北京",
		"HIV", "hiv", "xHIV", "DNA", "2019", "1型", "201", "1", "a", "A", "user", "123", " ", ",", ".", "@", "="}
	r := uint64(5)
	next := func(n int) int {
		r ^= r << 13
		r ^= r >> 7
		r ^= r << 17
		return int(r % uint64(n))
	}
	none := 0
	for k := 0; k < 100000; k++ {
		var sb strings.Builder
		for sb.Len() < next(113) {
			sb.WriteString(pieces[next(len(pieces))])
		}
		v := []byte(sb.String())
		if len(v) > 112 {
			continue
		}
		var pad [128]byte
		copy(pad[:], v)
		var words, runes [2]uint64
		for i, b := range v {
			switch {
			case isAlnum(b) && (i == 0 || !isAlnum(v[i-1])):
				words[i/64] |= 1 << (i % 64)
			case b&0xF0 == 0xE0:
				runes[i/64] |= 1 << (i % 64)
			}
		}
		if a.TokensMayStart(v, &pad, words, runes) {
			continue
		}
		none++
		if want := wordHits(string(v), plain.Scan(v, nil)); len(want) != 0 {
			t.Fatalf("%q: TokensMayStart says no, but plain Scan finds %v", v, want)
		}
	}
	if none < 1000 {
		t.Fatalf("only %d values without candidate tokens", none)
	}
}
