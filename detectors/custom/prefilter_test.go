package custom

import (
	"slices"
	"testing"
)

func TestLiteralStart(t *testing.T) {
	for _, c := range []struct {
		expr     string
		prefix   string
		maxLen   int
		anchored bool
	}{
		{`E\d{7}\b`, "E", 1 + 7*4, false},
		{`\b62\d{14}\b`, "62", 2 + 14*4, false},
		{`(?:KH|CU)-\d{6}`, "", 2 + 1 + 6*4, false},
		{`工号[:：]?\d+`, "工号", -1, false},
		{`(?i)emp\d{3}`, "", -2, false}, // fold case: no literal prefix (-2: length not checked)
		{`^E\d{7}$`, "", -1, true},
	} {
		p, n, a := literalStart(c.expr)
		if c.maxLen == -2 {
			c.maxLen = n
		}
		if p != c.prefix || n != c.maxLen || a != c.anchored {
			t.Errorf("%s: got (%q, %d, %v), want (%q, %d, %v)", c.expr, p, n, a, c.prefix, c.maxLen, c.anchored)
		}
	}
}

// FuzzWindowed checks that running a regexp only on windows at its literal
// prefix finds exactly what a scan of the whole value finds.
func FuzzWindowed(f *testing.F) {
	d := load(f)
	f.Add("工号E1234567和E12345678以及xE7654321，E7777777")
	f.Add("6200000000000005 626200000000000005 x6200000000000005")
	f.Fuzz(func(t *testing.T, v string) {
		for _, r := range d.rules {
			if r.re == nil || r.prefix == nil {
				continue
			}
			full := *r
			full.prefix = nil
			a := r.find([]byte(v), true, nil)
			b := full.find([]byte(v), true, nil)
			if !slices.Equal(a, b) {
				t.Fatalf("rule %s on %q: windowed %v, whole %v", r.id, v, a, b)
			}
		}
	})
}
