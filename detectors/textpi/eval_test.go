package textpi

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/piiscan/piiscan/detectors/pi"
)

// labelled is one case of testdata/labelled.txt: a value, its column and the
// spans it must produce.
type labelled struct {
	line   int
	column string
	text   string
	want   []pi.Match // Type, Start, End only
}

func loadLabelled(t testing.TB, path string) []labelled {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []labelled
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c := labelled{line: n}
		if strings.HasPrefix(line, "col=") {
			col, rest, ok := strings.Cut(line[4:], "\t")
			if !ok {
				t.Fatalf("%s:%d: col= without a tab", path, n)
			}
			c.column, line = col, rest
		}
		var b strings.Builder
		for {
			i := strings.Index(line, "[[")
			if i < 0 {
				b.WriteString(line)
				break
			}
			b.WriteString(line[:i])
			j := strings.Index(line[i:], "]]")
			if j < 0 || len(line) < i+4 || line[i+3] != '|' {
				t.Fatalf("%s:%d: bad marker", path, n)
			}
			typ := pi.Name
			if line[i+2] == 'A' {
				typ = pi.Address
			}
			span := line[i+4 : i+j]
			c.want = append(c.want, pi.Match{Type: typ, Start: b.Len(), End: b.Len() + len(span)})
			b.WriteString(span)
			line = line[i+j+2:]
		}
		c.text = b.String()
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

type counts struct{ tp, fp, fn int }

func (c counts) scores() (p, r, f1 float64) {
	if c.tp+c.fp > 0 {
		p = float64(c.tp) / float64(c.tp+c.fp)
	}
	if c.tp+c.fn > 0 {
		r = float64(c.tp) / float64(c.tp+c.fn)
	}
	if p+r > 0 {
		f1 = 2 * p * r / (p + r)
	}
	return
}

// TestLabelledCorpus measures precision and recall with exact spans on the
// hand-labelled corpus and fails below the project's accuracy floors.
func TestLabelledCorpus(t *testing.T) {
	d := newDetector(t)
	byType := map[pi.TypeID]*counts{pi.Name: {}, pi.Address: {}}
	for _, c := range loadLabelled(t, "testdata/labelled.txt") {
		f := &pi.Field{Column: c.column, Hints: d.Hint(c.column, "")}
		got := d.Find([]byte(c.text), f, nil)
		key := func(m pi.Match) string { return fmt.Sprintf("%s %d %d", m.Type, m.Start, m.End) }
		want := map[string]bool{}
		for _, m := range c.want {
			want[key(m)] = true
		}
		seen := map[string]bool{}
		for _, m := range got {
			k := key(m)
			seen[k] = true
			if want[k] {
				byType[m.Type].tp++
			} else {
				byType[m.Type].fp++
				t.Logf("line %d: unexpected %s %q (%.2f)", c.line, m.Type, c.text[m.Start:m.End], m.Confidence)
			}
		}
		for _, m := range c.want {
			if !seen[key(m)] {
				byType[m.Type].fn++
				t.Logf("line %d: missed %s %q", c.line, m.Type, c.text[m.Start:m.End])
			}
		}
	}
	floors := map[pi.TypeID]float64{pi.Name: 0.92, pi.Address: 0.90}
	for _, typ := range []pi.TypeID{pi.Name, pi.Address} {
		c := byType[typ]
		p, r, f1 := c.scores()
		t.Logf("%s: precision %.3f recall %.3f F1 %.3f (tp %d fp %d fn %d)", typ, p, r, f1, c.tp, c.fp, c.fn)
		if f1 < floors[typ] {
			t.Errorf("%s F1 %.3f below floor %.2f", typ, f1, floors[typ])
		}
	}
}

func newDetector(t testing.TB) *Detector {
	t.Helper()
	if _, err := newTables(); err != nil {
		t.Fatal(err)
	}
	return New()
}
