package custom

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/piiscan/piiscan/detectors/pi"
)

func load(t testing.TB) *Detector {
	t.Helper()
	d, err := Load("testdata/rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestFind(t *testing.T) {
	d := load(t)
	cases := []struct {
		column, value string
		want          []string // "type:text"
	}{
		{"", "员工工号：E1234567，入职2020年", []string{"employee_no:E1234567"}},
		{"", "快递单号E1234567", nil}, // keyword required
		{"emp_no", "E1234567", []string{"employee_no:E1234567"}},
		{"", "会员等级：黄金会员", []string{"vip_level:黄金会员"}},
		{"", "卡号6200000000000005", nil}, // \b needs a word boundary before 62: 号 is not a word char, so this matches? see below
		{"", "loyalty 6200000000000005 ok", []string{"loyalty_card:6200000000000005"}},
		{"", "loyalty 6200000000000006 ok", nil},
		{"", "参与北斗工程的同事", []string{"project_code:北斗工程"}},
	}
	for _, c := range cases {
		f := &pi.Field{Column: c.column, Hints: d.Hint(c.column, "")}
		var got []string
		for _, m := range d.Find([]byte(c.value), f, nil) {
			got = append(got, string(m.Type)+":"+c.value[m.Start:m.End])
		}
		if c.value == "卡号6200000000000005" {
			// Go's \b is ASCII-only: 号 counts as a non-word byte, so the card is found.
			c.want = []string{"loyalty_card:6200000000000005"}
		}
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("%q in column %q: got %v, want %v", c.value, c.column, got, c.want)
		}
	}
}

func TestGradesAndConfidence(t *testing.T) {
	d := load(t)
	ms := d.Find([]byte("等级：钻石会员。"+strings.Repeat("其他说明文字", 10)+"白银会员"), &pi.Field{}, nil)
	if len(ms) != 2 || ms[0].Grade != pi.GradeNone {
		t.Fatalf("got %+v", ms)
	}
	if !(ms[0].Confidence > ms[1].Confidence) {
		t.Errorf("a keyword nearby should raise confidence: %v vs %v", ms[0].Confidence, ms[1].Confidence)
	}
	ms = d.Find([]byte("loyalty 6200000000000005"), &pi.Field{}, nil)
	if len(ms) != 1 || ms[0].Grade != pi.GradeSensitive || ms[0].Confidence != 0.9 {
		t.Fatalf("got %+v", ms)
	}
}

func TestValidateErrors(t *testing.T) {
	cases := []struct {
		yaml, want string
	}{
		{`rules: [{id: cn_id_card, regex: 'x'}]`, `rule "cn_id_card": id collides with a built-in type`},
		{`rules: [{id: Bad-ID, regex: 'x'}]`, `rule "Bad-ID": id must match`},
		{`rules: [{id: a1, regex: '(['}]`, `rule "a1": regex:`},
		{`rules: [{id: a1, regex: 'x*'}]`, `rule "a1": regex matches the empty string`},
		{`rules: [{id: a1}]`, `rule "a1": needs a regex`},
		{`rules: [{id: a1, regex: x, dictionary: [y]}]`, `rule "a1": give either regex or dictionary`},
		{`rules: [{id: a1, regex: x, grade: secret}]`, `rule "a1": grade:`},
		{`rules: [{id: a1, regex: x, validator: crc}]`, `rule "a1": validator "crc"`},
		{`rules: [{id: a1, regex: x, confidence: 2}]`, `rule "a1": confidence must be in [0,1]`},
		{`rules: [{id: a1, regex: x, keywords_required: true}]`, `rule "a1": keywords_required without keywords`},
		{`rules: [{id: a1, regex: x}, {id: a1, regex: y}]`, `rule "a1": duplicate id`},
		{`rules: [{id: a1, regex: 'A\d{3}', examples: {match: ["A12"]}}]`, `rule "a1": examples.match[0] does not match`},
		{`rules: [{id: a1, regex: 'A\d{3}', examples: {no_match: ["x A123"]}}]`, `rule "a1": examples.no_match[0] matches`},
		{`rules: [{id: a1, dictionary_file: nope.txt}]`, `rule "a1": dictionary_file:`},
		{`rules: [{id: a1, regex: x, colour: red}]`, `yaml:`},
		{`rules: []`, `no rules`},
	}
	for _, c := range cases {
		_, err := Parse([]byte(c.yaml), t.TempDir())
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got error %v, want %q", c.yaml, err, c.want)
		}
	}
}

func TestLoadErrorNamesFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "r.yaml")
	if err := os.WriteFile(p, []byte(`rules: [{id: email, regex: x}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(p)
	if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), `rule "email"`) {
		t.Fatalf("got %v", err)
	}
}

func TestValidators(t *testing.T) {
	for _, c := range []struct {
		s    string
		f    func([]byte) bool
		want bool
	}{
		{"4111111111111111", luhn, true},
		{"4111111111111112", luhn, false},
		{"4111-1111-1111-1111", luhn, true},
		{"79927398713", luhn, true},
		{"11010519491231002X", mod112, true}, // GB 11643 example
		{"110105194912310021", mod112, false},
		{"440524188001010014", mod112, true},
		{"44052418800101001", mod112, false},
	} {
		if got := c.f([]byte(c.s)); got != c.want {
			t.Errorf("%s: got %v, want %v", c.s, got, c.want)
		}
	}
}

func FuzzFind(f *testing.F) {
	d := load(f)
	for _, s := range []string{"员工工号：E1234567", "等级：钻石会员", "loyalty 6200000000000005", "北斗工程", "工号\xffE1234567"} {
		f.Add(s, "")
	}
	f.Add("E1234567", "emp_no")
	f.Fuzz(func(t *testing.T, v, col string) {
		fl := &pi.Field{Column: col, Hints: d.Hint(col, "")}
		for _, m := range d.Find([]byte(v), fl, nil) {
			if m.Start < 0 || m.End > len(v) || m.Start >= m.End {
				t.Fatalf("bad span %d:%d in %d bytes", m.Start, m.End, len(v))
			}
			if utf8.ValidString(v) && (!utf8.RuneStart(v[m.Start]) || (m.End < len(v) && !utf8.RuneStart(v[m.End]))) {
				t.Fatalf("span %d:%d not on rune boundaries", m.Start, m.End)
			}
		}
	})
}

func BenchmarkFind(b *testing.B) {
	d := load(b)
	v := []byte(strings.Repeat("员工工号：E1234567，会员等级：钻石会员，参与北斗工程。今天天气很好，我们去公园散步。", 20))
	f := &pi.Field{}
	b.SetBytes(int64(len(v)))
	b.ReportAllocs()
	dst := make([]pi.Match, 0, 256)
	for b.Loop() {
		dst = d.Find(v, f, dst[:0])
	}
}

func TestValidate(t *testing.T) {
	f := File{Rules: []Rule{{ID: "emp_no", Regex: `E\d{7}`}}}
	if err := f.Validate(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	f.Rules[0].ID = "ipv4"
	if err := f.Validate(t.TempDir()); err == nil || !strings.Contains(err.Error(), `rule "ipv4"`) {
		t.Fatalf("got %v", err)
	}
}
