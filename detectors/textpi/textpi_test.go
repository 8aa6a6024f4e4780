package textpi

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/internal/utf8x"
)

func TestTables(t *testing.T) {
	tb, err := newTables()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"王", "李", "张", "欧", "司", "诸", "尉"} {
		r, _ := utf8.DecodeRuneInString(s)
		if tb.flags[r-hanLo]&fSurname == 0 {
			t.Errorf("%s is not a surname start", s)
		}
	}
	for _, w := range []string{"欧阳", "司徒", "尉迟", "上官", "诸葛", "东方", "皇甫", "慕容", "令狐", "司马", "夏侯", "公孙", "长孙", "宇文"} {
		v := []byte(w + "某")
		if n, _, _ := tb.lookup(v, 0, kCompound); n != 6 {
			t.Errorf("compound surname %s missing", w)
		}
	}
	for _, w := range []string{"高血压", "王府井", "张家界", "常州", "金额", "文件", "安全", "方法", "周末", "黄金", "马上", "白色", "明天"} {
		if n, _, _ := tb.lookup([]byte(w), 0, kStop|kDiv|kDivShort); n != len(w) {
			t.Errorf("stop-list lacks %s", w)
		}
	}
	// Callers look behind a candidate (tail words, cue words): a position
	// before the value must miss, not wrap around.
	for _, i := range []int{-6, -3, -1, 1, 4} {
		if n, _, _ := tb.lookup([]byte("北京市"), i, kDiv|kDivShort); n != 0 {
			t.Errorf("lookup at %d matched %d bytes", i, n)
		}
	}
	for _, c := range []struct {
		w   string
		lvl uint8
	}{{"北京市", 1}, {"北京", 1}, {"广西壮族自治区", 1}, {"广西", 1}, {"深圳市", 2}, {"延边朝鲜族自治州", 2}, {"延边", 2}, {"海淀区", 3}, {"彭水苗族土家族自治县", 3}} {
		n, _, lvl := tb.lookup([]byte(c.w), 0, kDiv|kDivShort)
		if n != len(c.w) || lvl != c.lvl {
			t.Errorf("division %s: length %d level %d, want %d level %d", c.w, n, lvl, len(c.w), c.lvl)
		}
	}
}

func TestTypesAndGrade(t *testing.T) {
	d := New()
	if got := d.Types(); !slices.Equal(got, []pi.TypeID{pi.Name, pi.Address}) {
		t.Fatalf("Types() = %v", got)
	}
	for _, m := range d.Find([]byte("收件人：张伟，地址：北京市朝阳区建国路88号"), nil, nil) {
		if m.Grade != pi.DefaultGrade(m.Type) || m.Confidence <= 0 || m.Confidence > 1 {
			t.Errorf("match %+v: bad grade or confidence", m)
		}
	}
}

func TestHint(t *testing.T) {
	d := New()
	cases := []struct {
		column, comment string
		want            []pi.TypeID
	}{
		{"name", "", []pi.TypeID{pi.Name}},
		{"real_name", "", []pi.TypeID{pi.Name}},
		{"customer_name", "", []pi.TypeID{pi.Name}},
		{"CONTACT_NAME", "", []pi.TypeID{pi.Name}},
		{"姓名", "", []pi.TypeID{pi.Name}},
		{"lxr", "联系人", []pi.TypeID{pi.Name}},
		{"收件人", "", []pi.TypeID{pi.Name}},
		{"address", "", []pi.TypeID{pi.Address}},
		{"home_addr", "", []pi.TypeID{pi.Address}},
		{"shipping_address", "", []pi.TypeID{pi.Address}},
		{"dz", "收货地址", []pi.TypeID{pi.Address}},
		{"住址", "", []pi.TypeID{pi.Address}},
		{"receiver_name", "收货人地址", []pi.TypeID{pi.Name, pi.Address}},
		{"product_name", "", nil},
		{"file_name", "", nil},
		{"username", "", nil},
		{"nickname", "", nil},
		{"company_name", "", nil},
		{"id", "", nil},
		{"", "", nil},
	}
	for _, c := range cases {
		if got := d.Hint(c.column, c.comment); !slices.Equal(got, c.want) {
			t.Errorf("Hint(%q, %q) = %v, want %v", c.column, c.comment, got, c.want)
		}
	}
}

// TestSpans pins exact spans for the shapes the detector must get right.
func TestSpans(t *testing.T) {
	d := New()
	type span struct {
		typ  pi.TypeID
		text string
	}
	cases := []struct {
		column string
		in     string
		want   []span
	}{
		{"", "王建国先生您好", []span{{pi.Name, "王建国"}}}, // span excludes the title
		{"", "李娜女士：您的快递已到", []span{{pi.Name, "李娜"}}},
		{"", "收件人：欧阳娜娜", []span{{pi.Name, "欧阳娜娜"}}},
		{"", "持卡人 诸葛亮，卡号见附件", []span{{pi.Name, "诸葛亮"}}},
		{"", "我叫卢慧，想查快递", []span{{pi.Name, "卢慧"}}},
		{"", "患者董明珠自述头痛", []span{{pi.Name, "董明珠"}}},
		{"", "张先生您好", nil}, // a bare surname is not a name
		{"", "我去了北京", nil}, // a city alone is not an address
		{"", "上海市浦东新区张江路100号", []span{{pi.Address, "上海市浦东新区张江路100号"}}},
		{"", "地址：朝阳区望京街道阜通东大街6号院3号楼2单元501，谢谢", []span{{pi.Address, "朝阳区望京街道阜通东大街6号院3号楼2单元501"}}},
		{"", "寄到广东省 深圳市 南山区 科技园路1号", []span{{pi.Address, "广东省 深圳市 南山区 科技园路1号"}}},
		{"", "住在北京市朝阳区，联系人王芳", []span{{pi.Address, "北京市朝阳区"}, {pi.Name, "王芳"}}},
		{"", "张家口市桥西区胜利北路18号", []span{{pi.Address, "张家口市桥西区胜利北路18号"}}},
		{"姓名", " 司马南 ", []span{{pi.Name, "司马南"}}},
		{"姓名", "阿卜杜拉·艾买提", []span{{pi.Name, "阿卜杜拉·艾买提"}}},
		{"name", "未知", nil},
		{"address", "建国路88号", []span{{pi.Address, "建国路88号"}}},
		{"address", "北京", nil},
	}
	for _, c := range cases {
		f := &pi.Field{Column: c.column, Hints: d.Hint(c.column, "")}
		var got []span
		for _, m := range d.Find([]byte(c.in), f, nil) {
			got = append(got, span{m.Type, c.in[m.Start:m.End]})
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("Find(%q, column %q) = %v, want %v", c.in, c.column, got, c.want)
		}
	}
}

// TestHardNegatives: none of these lines may produce a match.
func TestHardNegatives(t *testing.T) {
	d := New()
	f, err := os.Open("testdata/negatives.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for line := 1; sc.Scan(); line++ {
		s := sc.Text()
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		n++
		for _, m := range d.Find([]byte(s), nil, nil) {
			t.Errorf("negatives.txt:%d: %s %q in %q", line, m.Type, s[m.Start:m.End], s)
		}
	}
	if n < 50 {
		t.Fatalf("only %d negatives", n)
	}
}

func TestASCIIAndEmpty(t *testing.T) {
	d := New()
	for _, s := range []string{"", "hello world", "user=alice id=1234", "\xff\xfe", "é"} {
		if ms := d.Find([]byte(s), nil, nil); len(ms) != 0 {
			t.Errorf("Find(%q) = %v", s, ms)
		}
	}
}

func TestFindAppends(t *testing.T) {
	d := New()
	prior := []pi.Match{{Type: pi.Email, Start: 0, End: 1}}
	got := d.Find([]byte("联系人：王芳"), nil, prior)
	if len(got) != 2 || got[0].Type != pi.Email || got[1].Type != pi.Name {
		t.Fatalf("Find did not append: %+v", got)
	}
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{
		"收件人：张伟 电话：13800138000 地址：北京市朝阳区建国路88号SOHO现代城A座1203",
		"患者王建国，男，56岁", "司徒雷登先生", "地址：", "姓名：", "北京市", "欧阳",
		"广东省 深圳市 南山区 科技园路1号-", "阿卜杜拉·艾买提", "张\xe4\xb8", "\xe4\xb8\xad\xe4",
		// ASCII between runes, keys and cue positions inside it (skip steps over ASCII).
		"ok 200 name=张伟 addr=北京市朝阳区建国路1号", "地址： 12号楼 联系人：王芳 139", "客户 李娜，女，电话13912345678",
	} {
		f.Add(s, 0)
	}
	d := New()
	fields := []*pi.Field{
		nil,
		{Column: "姓名", Hints: []pi.TypeID{pi.Name}},
		{Column: "address", Hints: []pi.TypeID{pi.Address}},
		{Column: "x", Hints: []pi.TypeID{pi.Name, pi.Address}},
	}
	ex := New()
	ex.exhaustive = true
	f.Fuzz(func(t *testing.T, s string, fi int) {
		v := []byte(s)
		fld := fields[uint(fi)%uint(len(fields))]
		ms := d.Find(v, fld, nil)
		if ms2 := ex.Find(v, fld, nil); !slices.Equal(ms, ms2) {
			t.Fatalf("cheap filter changed the result on %q: %v vs %v", s, ms, ms2)
		}
		valid := utf8.Valid(v)
		last := 0
		for _, m := range ms {
			if m.Start < last || m.End <= m.Start || m.End > len(v) {
				t.Fatalf("bad span %d..%d (previous end %d, len %d) in %q", m.Start, m.End, last, len(v), s)
			}
			// On invalid input a span may end before a stray continuation
			// byte; on valid input it ends on a rune boundary.
			if !utf8.RuneStart(v[m.Start]) || valid && m.End < len(v) && !utf8.RuneStart(v[m.End]) {
				t.Fatalf("span %d..%d splits a rune in %q", m.Start, m.End, s)
			}
			if !utf8.Valid(v[m.Start:m.End]) {
				t.Fatalf("span %d..%d is not valid UTF-8 in %q", m.Start, m.End, s)
			}
			if m.Confidence <= 0 || m.Confidence > 1 || (m.Type != pi.Name && m.Type != pi.Address) {
				t.Fatalf("bad match %+v", m)
			}
			last = m.End
		}
	})
}

// TestEverySuffix runs every rune-aligned suffix of every labelled line: cue,
// title and tail-word checks look behind the candidate, and a candidate a
// few bytes from the start must not look before the value.
func TestEverySuffix(t *testing.T) {
	d := New()
	for _, c := range loadLabelled(t, "testdata/labelled.txt") {
		v := []byte(c.text)
		for s := range v {
			if !utf8.RuneStart(v[s]) {
				continue
			}
			for _, m := range d.Find(v[s:], nil, nil) {
				if m.Start < 0 || m.End > len(v)-s || m.Start >= m.End {
					t.Fatalf("line %d from byte %d: bad span %+v", c.line, s, m)
				}
			}
		}
	}
}

// TestFilterIsExact: the main loop's cheap name filter must never change a
// result. Every rune-aligned suffix of the labelled lines and the
// generated-context values runs with and without it.
func TestFilterIsExact(t *testing.T) {
	fast, ex := New(), New()
	ex.exhaustive = true
	var inputs []string
	for _, c := range loadLabelled(t, "testdata/labelled.txt") {
		inputs = append(inputs, c.text)
	}
	for _, tpl := range ctxTemplates {
		s := strings.ReplaceAll(tpl, "%N", "王者荣耀")
		s = strings.ReplaceAll(s, "%A", ctxAddrs[0])
		inputs = append(inputs, strings.ReplaceAll(s, "%P", "13912345678"))
	}
	for _, in := range inputs {
		v := []byte(in)
		for s := range v {
			if !utf8.RuneStart(v[s]) {
				continue
			}
			a, b := fast.Find(v[s:], nil, nil), ex.Find(v[s:], nil, nil)
			if !slices.Equal(a, b) {
				t.Fatalf("%q: filtered %v, exhaustive %v", v[s:], a, b)
			}
		}
	}
}

// TestFilterIsExactCorpus runs the filters against the exhaustive path over
// the generator's mixed text (the engine benchmark's input) in every kind of
// field, and over every rune-aligned suffix of some of its lines.
func TestFilterIsExactCorpus(t *testing.T) {
	fast, ex := New(), New()
	ex.exhaustive = true
	fields := []*pi.Field{
		nil,
		{Column: "姓名", Hints: []pi.TypeID{pi.Name}},
		{Column: "address", Hints: []pi.TypeID{pi.Address}},
	}
	var a, b []pi.Match
	lines := corpusLines(t, 400_000)
	// Keys before a run take the full path; other words before a space do not.
	for _, s := range []string{
		"addr=建国路12号 name=王小明 contact: 李雷 \"receiver\":\"韩梅梅\" user 张三 addr 朝阳区建国路88号",
		"msg=\"用户 张伟 于 北京市海淀区 下单\" Address='上海市徐汇区漕溪北路398号' NAME=欧阳娜娜 dz:杭州市西湖区",
		"with 王芳先生 and 李四，男 then 赵六（13912345678） xm=钱七 street: 文三路478号",
	} {
		lines = append(lines, []byte(s))
	}
	for n, l := range lines {
		for _, f := range fields {
			a, b = fast.Find(l, f, a[:0]), ex.Find(l, f, b[:0])
			if !slices.Equal(a, b) {
				t.Fatalf("line %d, field %v: filtered %v, exhaustive %v", n+1, f, a, b)
			}
		}
		if n%20 != 0 && n < len(lines)-3 {
			continue
		}
		for s := range l {
			if utf8.RuneStart(l[s]) {
				a, b = fast.Find(l[s:], nil, a[:0]), ex.Find(l[s:], nil, b[:0])
				if !slices.Equal(a, b) {
					t.Fatalf("line %d from byte %d: filtered %v, exhaustive %v", n+1, s, a, b)
				}
			}
		}
	}
}

// TestSkipASCII compares skipASCII, asciiPrefix (which Find starts with)
// and utf8x.ASCIIPrefix (which it stands for) with a byte loop for
// every start, every length up to past two sixteen-byte steps and a high
// byte at every position (or none), alone or with another at the end.
func TestSkipASCII(t *testing.T) {
	for n := 0; n <= 40; n++ {
		for c := -1; c < 2*n; c++ {
			v := []byte(strings.Repeat("a1 =", n)[:n])
			pos := c
			if pos >= n {
				// A second high byte at the end: the first one is the answer.
				pos -= n
				v[n-1] = 0x80
			}
			if pos >= 0 {
				v[pos] = 0xE5
			}
			for i := 0; i <= n; i++ {
				want := i
				for want < n && v[want] < 0x80 {
					want++
				}
				if got := skipASCII(v, i); got != want {
					t.Fatalf("skipASCII(%q, %d) = %d, want %d", v, i, got, want)
				}
				if got := utf8x.ASCIIPrefix(v); i == 0 && got != want {
					t.Fatalf("ASCIIPrefix(%q) = %d, want %d", v, got, want)
				}
				if got := asciiPrefix(v[i:]); got != want-i {
					t.Fatalf("asciiPrefix(%q) = %d, want %d", v[i:], got, want-i)
				}
			}
		}
	}
}

// TestPairKey: pairKey gives every three-byte UTF-8 sequence its own
// index, whatever byte follows it, so that the pair table keyed by it
// says exactly what the table keyed by the rune said.
func TestPairKey(t *testing.T) {
	var seen [1 << 16]bool
	for r := rune(0x800); r <= 0xFFFF; r++ {
		var b [4]byte
		b[0], b[1], b[2] = byte(0xE0|r>>12), byte(0x80|r>>6&0x3F), byte(0x80|r&0x3F)
		w := uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16
		k := pairKey(w)
		if seen[k] {
			t.Fatalf("pairKey(%U) = %#x, shared with another rune", r, k)
		}
		seen[k] = true
		if runeKey(r) != k {
			t.Fatalf("runeKey(%U) = %#x, pairKey of its bytes %#x", r, runeKey(r), k)
		}
		for _, next := range []uint32{0x00, 0x31, 0x7F, 0x80, 0xBF, 0xE5, 0xFF} {
			if pairKey(w|next<<24) != k {
				t.Fatalf("pairKey(%U) depends on the byte after it (%#x)", r, next)
			}
		}
	}
}
