package detectortest

import (
	"slices"
	"testing"

	"github.com/piiscan/piiscan/detectors/pi"
)

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in, text string
		spans    []Span
		bad      bool
	}{
		{in: "无", text: "无"},
		{in: "身份证«cn_id_card:110105199001011232»号", text: "身份证110105199001011232号",
			spans: []Span{{pi.IDCard, 9, 27}}},
		{in: "«cn_id_card,minor:110105201803150023»", text: "110105201803150023",
			spans: []Span{{pi.IDCard, 0, 18}, {pi.Minor, 0, 18}}},
		{in: "«ipv6:2001:db8::1» «email:a@b.cn»", text: "2001:db8::1 a@b.cn",
			spans: []Span{{pi.IPv6, 0, 11}, {pi.Email, 12, 18}}},
		{in: "«cn_mobile 13812345678»", bad: true},
		{in: "«cn_mobile:1", bad: true},
		{in: "1»", bad: true},
		{in: "«a:«b:1»»", bad: true},
	} {
		text, spans, err := Parse(c.in)
		if c.bad {
			if err == nil {
				t.Errorf("Parse(%q) accepted a malformed marker", c.in)
			}
			continue
		}
		if err != nil || text != c.text || !slices.Equal(spans, c.spans) {
			t.Errorf("Parse(%q) = %q, %v, %v; want %q, %v", c.in, text, spans, err, c.text, c.spans)
		}
	}
}

// digitsDetector reports every run of 11 ASCII digits as a mobile: enough
// to exercise Run's checks.
type digitsDetector struct{ offByOne bool }

func (digitsDetector) Types() []pi.TypeID { return []pi.TypeID{pi.Mobile} }

func (d digitsDetector) Find(v []byte, _ *pi.Field, dst []pi.Match) []pi.Match {
	run := 0
	for i := 0; i <= len(v); i++ {
		if i < len(v) && v[i] >= '0' && v[i] <= '9' {
			run++
			continue
		}
		if run == 11 {
			end := i
			if d.offByOne {
				end--
			}
			dst = append(dst, pi.Match{Type: pi.Mobile, Start: i - 11, End: end, Confidence: 0.9})
		}
		run = 0
	}
	return dst
}

func TestRun(t *testing.T) {
	Run(t, digitsDetector{}, []Case{
		{Input: "手机«cn_mobile:13812345678»。"},
		{Input: "无号码"},
	})
}

func TestDiffCatchesWrongSpans(t *testing.T) {
	text, want, err := Parse("手机«cn_mobile:13812345678»")
	if err != nil {
		t.Fatal(err)
	}
	if msg := Diff(digitsDetector{}, text, want, nil); msg != "" {
		t.Fatalf("a correct detector fails: %s", msg)
	}
	if msg := Diff(digitsDetector{offByOne: true}, text, want, nil); msg == "" {
		t.Fatal("Diff passed a detector whose spans are off by one")
	}
	if msg := Diff(digitsDetector{}, "13812345678", nil, nil); msg == "" {
		t.Fatal("Diff passed an unexpected match")
	}
}

func TestMixedText(t *testing.T) {
	a, b := MixedText(4096, 7), MixedText(4096, 7)
	if !slices.Equal(a, b) || len(a) < 4096 {
		t.Fatal("MixedText is not deterministic or too short")
	}
}
