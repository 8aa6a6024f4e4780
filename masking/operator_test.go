package masking

import (
	"bufio"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/piiscan/piiscan/detectors/pi"
)

func testKey(t testing.TB, b byte) *Key {
	t.Helper()
	raw := make([]byte, KeySize)
	for i := range raw {
		raw[i] = b ^ byte(i*7)
	}
	k, err := NewKey(raw)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestOperatorTable runs testdata/operators.tsv: each case builds the
// operator from its YAML params the way a policy does.
func TestOperatorTable(t *testing.T) {
	f, err := os.Open("testdata/operators.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	key := testKey(t, 1)
	sc := bufio.NewScanner(f)
	cases := 0
	for line := 1; sc.Scan(); line++ {
		s := sc.Text()
		if s == "" || s[0] == '#' {
			continue
		}
		fs := strings.Split(s, "\t")
		if len(fs) != 5 {
			t.Fatalf("operators.tsv:%d: %d fields, want 5", line, len(fs))
		}
		r := Rule{Name: "case", Operator: fs[0]}
		if fs[2] != "-" {
			if err := yaml.Unmarshal([]byte(fs[2]), &r.Params); err != nil {
				t.Fatalf("operators.tsv:%d: params: %v", line, err)
			}
		}
		if err := checkParams(&r); err != nil {
			t.Fatalf("operators.tsv:%d: %v", line, err)
		}
		op, err := buildOp(&r, key, nil, time.Now())
		if err != nil {
			t.Fatalf("operators.tsv:%d: %v", line, err)
		}
		prefix := []byte("pre|")
		got, err := op.Apply(prefix, pi.TypeID(fs[1]), []byte(fs[3]))
		switch fs[4] {
		case "!unsupported":
			if !errors.Is(err, ErrUnsupported) {
				t.Errorf("operators.tsv:%d: err %v, want ErrUnsupported", line, err)
			}
		case "!null":
			if !errors.Is(err, ErrNull) {
				t.Errorf("operators.tsv:%d: err %v, want ErrNull", line, err)
			}
		default:
			if err != nil {
				t.Errorf("operators.tsv:%d: %v", line, err)
			} else if string(got) != "pre|"+fs[4] {
				t.Errorf("operators.tsv:%d: %s %s = %q, want %q", line, fs[0], fs[1], got[4:], fs[4])
			}
		}
		if err != nil && string(got) != "pre|" {
			t.Errorf("operators.tsv:%d: dst changed on error", line)
		}
		cases++
	}
	if cases < 40 {
		t.Fatalf("only %d cases read", cases)
	}
}

func TestMaskInvalidUTF8(t *testing.T) {
	got, _ := NewMask().Apply(nil, pi.Name, []byte("张\xff\xfe三"))
	if string(got) != "张***" {
		t.Errorf("got %q", got)
	}
	got, _ = Mask{KeepFirst: 4, Char: '*'}.Apply(nil, pi.Address, []byte("a\xffbcdef"))
	if string(got) != "a?bc***" {
		t.Errorf("got %q", got)
	}
}

func TestHash(t *testing.T) {
	key := testKey(t, 1)
	h, err := NewHash(key, "hmac-sha256", false, 16)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := h.Apply(nil, pi.Mobile, []byte("13812345678"))
	b, _ := h.clone().Apply(nil, pi.Mobile, []byte("13812345678"))
	c, _ := h.Apply(nil, pi.Landline, []byte("13812345678"))
	if len(a) != 16 || string(a) != string(b) || string(a) == string(c) {
		t.Errorf("hex pseudonyms %s %s %s: want 16 hex digits, equal for equal input, unequal across types", a, b, c)
	}
	other, _ := NewHash(testKey(t, 2), "hmac-sha256", false, 16)
	if d, _ := other.Apply(nil, pi.Mobile, []byte("13812345678")); string(d) == string(a) {
		t.Error("another key gives the same pseudonym")
	}
	sm3, _ := NewHash(key, "hmac-sm3", false, 0)
	if e, _ := sm3.Apply(nil, pi.Mobile, []byte("13812345678")); len(e) != 64 || string(e[:16]) == string(a) {
		t.Errorf("hmac-sm3 full hex %q", e)
	}
	dig, _ := NewHash(key, "", true, 0)
	long := strings.Repeat("1234-", 40) // 160 digits: needs re-keyed MAC blocks
	for _, v := range []string{"110105194912310021", "+86 138-1234-5678", "E12345678", long} {
		out, _ := dig.Apply(nil, pi.IDCard, []byte(v))
		if len(out) != len(v) {
			t.Fatalf("digits pseudonym of %d bytes has %d", len(v), len(out))
		}
		for i := range len(v) {
			if isAlnum(v[i]) != isDigit(out[i]) || !isAlnum(v[i]) && v[i] != out[i] {
				t.Fatalf("digits pseudonym %q does not follow the value's layout", out)
			}
		}
	}
	if _, err := NewHash(key, "md5", false, 0); err == nil {
		t.Error("md5 accepted")
	}
}

func TestShiftDate(t *testing.T) {
	s, err := NewShiftDate(testKey(t, 1), 30)
	if err != nil {
		t.Fatal(err)
	}
	day := func(v string) time.Time {
		for _, l := range []string{"2006-01-02", "2006/1/2", "20060102", "2006年1月2日"} {
			if d, err := time.Parse(l, v); err == nil {
				return d
			}
		}
		t.Fatalf("cannot parse %q", v)
		return time.Time{}
	}
	offsets := map[int]bool{}
	for _, subj := range []string{"customer-1", "customer-2", "customer-3", "customer-4", "customer-5"} {
		a, err := s.ApplySubject(nil, pi.BirthDate, []byte(subj), []byte("2023-05-01"))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := s.ApplySubject(nil, pi.BirthDate, []byte(subj), []byte("2023-06-15 08:30:00"))
		if !strings.HasSuffix(string(b), " 08:30:00") {
			t.Errorf("time part lost: %q", b)
		}
		da, db := day(string(a)), day(string(b[:10]))
		if db.Sub(da) != 45*24*time.Hour {
			t.Errorf("%s: interval changed: %s .. %s", subj, a, b)
		}
		off := int(da.Sub(day("2023-05-01")).Hours() / 24)
		if off < -30 || off > 30 {
			t.Errorf("%s: offset %d outside ±30", subj, off)
		}
		offsets[off] = true
		c, _ := s.ApplySubject(nil, pi.BirthDate, []byte(subj), []byte("2023年5月1日"))
		if day(string(c)) != da {
			t.Errorf("%s: 年月日 layout shifted differently: %s vs %s", subj, c, a)
		}
	}
	if len(offsets) < 3 {
		t.Errorf("5 subjects share %d offsets", len(offsets))
	}
	for _, tc := range []struct{ in, want string }{
		{"20230501", "20230501"}, {"2023/5/1", "2023/5/1"}, {"2023.05.01", "2023.05.01"},
	} {
		out, err := s.Apply(nil, pi.BirthDate, []byte(tc.in))
		if err != nil || len(out) < len(tc.want)-2 || day(strings.ReplaceAll(string(out), ".", "-")).IsZero() {
			t.Errorf("%s -> %s (%v)", tc.in, out, err)
		}
	}
	if _, err := s.Apply(nil, pi.BirthDate, []byte("not a date")); !errors.Is(err, ErrUnsupported) {
		t.Errorf("non-date: %v", err)
	}
}

func TestSampleUnchanged(t *testing.T) {
	for _, tc := range []struct {
		t    pi.TypeID
		v    string
		want string
	}{
		{pi.IDCard, "433127198503120147", "4331**********0147"},
		{pi.Mobile, "13812345678", "138****5678"},
		{pi.Email, "zhangsan@example.com", "z*******@example.com"},
		{pi.Name, "张三", "张*"},
		{pi.Health, "高血压", "高**"},
	} {
		if got := Sample(tc.t, []byte(tc.v)); got != tc.want {
			t.Errorf("Sample(%s) = %q, want %q", tc.t, got, tc.want)
		}
	}
}

func TestZeroAllocs(t *testing.T) {
	key := testKey(t, 1)
	h, _ := NewHash(key, "hmac-sha256", false, 16)
	hd, _ := NewHash(key, "hmac-sha256", true, 0)
	tok, _ := NewTokenize(key, "aes-256", 0)
	sd, _ := NewShiftDate(key, 30)
	buf := make([]byte, 0, 128)
	for _, tc := range []struct {
		name string
		op   Operator
		t    pi.TypeID
		v    string
	}{
		{"mask id", NewMask(), pi.IDCard, "110105194912310021"},
		{"mask name", NewMask(), pi.Name, "欧阳娜娜"},
		{"mask address", NewMask(), pi.Address, "广东省深圳市南山区科技园路1号"},
		{"mask email", NewMask(), pi.Email, "zhangsan@example.com"},
		{"replace", Replace{}, pi.Health, "高血压"},
		{"generalize birth", Generalize{}, pi.BirthDate, "1990-05-01"},
		{"hash hex", h, pi.Mobile, "13812345678"},
		{"hash digits", hd, pi.Mobile, "13812345678"},
		{"hash email", h, pi.Email, "zhangsan@example.com"},
		{"hash email digits", hd, pi.Email, "zhangsan@example.com"},
		{"tokenize", tok, pi.IDCard, "11010519491231002X"},
		{"shift_date", sd, pi.BirthDate, "2023-05-01"},
	} {
		v := []byte(tc.v)
		if a := testing.AllocsPerRun(100, func() { _, _ = tc.op.Apply(buf[:0], tc.t, v) }); a != 0 {
			t.Errorf("%s: %v allocs", tc.name, a)
		}
	}
}

func TestChain(t *testing.T) {
	key := testKey(t, 1)
	h, _ := NewHash(key, "hmac-sha256", false, 8)
	c := Chain(Generalize{}, h)
	a, err := c.Apply([]byte("x="), pi.BirthDate, []byte("1990-05-01"))
	b, _ := c.(cloner).clone().Apply(nil, pi.BirthDate, []byte("1990-12-31"))
	if err != nil || len(a) != 10 || string(a[2:]) != string(b) {
		t.Errorf("generalize+hash: %q %q (%v): same year must give the same pseudonym", a, b, err)
	}
	three := Chain(Generalize{}, Replace{Text: "y"}, NewMask())
	if out, _ := three.Apply(nil, pi.BirthDate, []byte("1990-05-01")); string(out) != "*" {
		t.Errorf("three operators: %q", out)
	}
	if out, err := Chain(Generalize{}, h).Apply([]byte("keep"), pi.Name, []byte("张三")); !errors.Is(err, ErrUnsupported) || string(out) != "keep" {
		t.Errorf("error in the chain: %q %v", out, err)
	}
	if out, _ := Chain().Apply(nil, pi.Name, []byte("张三")); string(out) != "张三" {
		t.Errorf("empty chain: %q", out)
	}
	v := []byte("1990-05-01")
	if a := testing.AllocsPerRun(100, func() { _, _ = three.Apply(nil, pi.BirthDate, v) }); a > 1 {
		t.Errorf("%v allocs", a)
	}
}

func TestHashDigitsFullWidth(t *testing.T) {
	h, _ := NewHash(testKey(t, 1), "", true, 0)
	out, _ := h.Apply(nil, pi.IDCard, []byte("身份证１１０１０５１９４９１２３１００２１。"))
	s := string(out)
	if !strings.HasPrefix(s, "身份证") || !strings.HasSuffix(s, "。") || strings.ContainsAny(s, "０１２３４５６７８９") {
		t.Errorf("full-width digits not replaced: %q", s)
	}
	if n := len(strings.Trim(s, "身份证。")); n != 18 {
		t.Errorf("%d digits, want 18", n)
	}
}
