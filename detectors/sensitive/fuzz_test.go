package sensitive

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/piiscan/piiscan/corpus"
	"github.com/piiscan/piiscan/detectors/pi"
)

// FuzzFind: no panic, spans inside the value and on rune boundaries, and the
// same matches whether the detector sees the value alone or with unrelated
// text around it on separate lines (no state leaks between calls).
func FuzzFind(f *testing.F) {
	d := New()
	_, vals, _ := loadCases(f, "testdata/cases.txt")
	for _, v := range vals {
		f.Add(v, "")
	}
	f.Add("汉", "民族")
	f.Add("39.9042", "lat")
	f.Add("$2a$10$abc", "password")
	f.Add("指纹\xe6\x8c", "")
	f.Fuzz(func(t *testing.T, v, col string) {
		fl := &pi.Field{Column: col, Hints: d.Hint(col, "")}
		ms := d.Find([]byte(v), fl, nil)
		for _, m := range ms {
			if m.Start < 0 || m.End > len(v) || m.Start >= m.End {
				t.Fatalf("bad span %d:%d in %d bytes", m.Start, m.End, len(v))
			}
			if utf8.ValidString(v) && (!utf8.RuneStart(v[m.Start]) || (m.End < len(v) && !utf8.RuneStart(v[m.End]))) {
				t.Fatalf("span %d:%d of %q not on rune boundaries", m.Start, m.End, v)
			}
			if m.Confidence < 0 || m.Confidence > 1 || m.Grade != pi.DefaultGrade(m.Type) {
				t.Fatalf("bad confidence/grade %+v", m)
			}
		}
		if ref := textPath(d).Find([]byte(v), fl, nil); fmt.Sprint(ref) != fmt.Sprint(ms) {
			t.Fatalf("%q in %q: %v, the text path finds %v", v, col, ms, ref)
		}
		again := d.Find([]byte(v), fl, nil)
		if len(again) != len(ms) {
			t.Fatalf("second call differs: %d vs %d matches", len(again), len(ms))
		}
	})
}

// FuzzAutomaton compares the automaton with a naive search over the same
// dictionary (differential test): every occurrence in a valid UTF-8 value is
// found, and nothing else.
func FuzzAutomaton(f *testing.F) {
	d := New()
	f.Add("患者确诊高血压病史，HIV阳性，hiv archive 回族自治州")
	f.Add("Fingerprint iris DNA 性取向 盗窃罪")
	f.Fuzz(func(t *testing.T, v string) { diffNaive(t, d, v) })
}

// diffNaive compares the automaton's hits on v with a naive search.
func diffNaive(t *testing.T, d *Detector, v string) {
	if !utf8.ValidString(v) {
		return
	}
	got := map[[3]int]bool{}
	for _, h := range d.ac.Scan([]byte(v), nil) {
		if isAlnum(v[h.Start]) && h.Start > 0 && isAlnum(v[h.Start-1]) {
			continue // may be reported or not inside an ASCII word; Find drops it
		}
		got[[3]int{int(h.Start), int(h.End), int(h.Pat)}] = true
	}
	lv := asciiLower(v)
	for id, e := range dictionary {
		term := asciiLower(e.term)
		for off := 0; ; {
			i := strings.Index(lv[off:], term)
			if i < 0 {
				break
			}
			s := off + i
			off = s + 1
			if isAlnum(term[0]) && s > 0 && isAlnum(v[s-1]) {
				continue // started inside an ASCII word: skipped by design
			}
			k := [3]int{s, s + len(term), id}
			if !got[k] {
				t.Fatalf("missed %q at %d", e.term, s)
			}
			delete(got, k)
		}
	}
	for k := range got {
		t.Fatalf("spurious hit %v", k)
	}
}

// FuzzAutomatonDense builds inputs from dictionary terms and their prefixes,
// so that long partial matches, failure links and restarts are frequent.
func FuzzAutomatonDense(f *testing.F) {
	d := New()
	f.Add([]byte{1, 2, 3, 200, 17, 99})
	f.Fuzz(func(t *testing.T, in []byte) {
		var sb strings.Builder
		for i := 0; i+1 < len(in); i += 2 {
			term := []rune(dictionary[(int(in[i])*256+int(in[i+1]))%len(dictionary)].term)
			n := len(term)
			if in[i]%3 == 0 && n > 1 {
				n = 1 + int(in[i+1])%(n-1) // a prefix only
			}
			sb.WriteString(string(term[:n]))
			if in[i+1]%5 == 0 {
				sb.WriteString("，")
			}
		}
		diffNaive(t, d, sb.String())
	})
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		b[i] = lower(c)
	}
	return string(b)
}

// TestAutomatonCorpus runs the differential test over lines of generated
// mixed and dense text (prose with numbers, logs, PI), the kind of input
// the fast skips were tuned on.
func TestAutomatonCorpus(t *testing.T) {
	d := New()
	for _, format := range []corpus.Format{corpus.FormatMixed, corpus.FormatDense} {
		var buf bytes.Buffer
		if _, _, err := corpus.Write(&buf, format, corpus.Options{Seed: 3, Size: 150_000}, false); err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(buf.String(), "\n") {
			diffNaive(t, d, l)
		}
	}
}

// textPath returns d with the short-cell pass off: every value goes the
// way of text (sepsOf or the searches, and the automaton), the reference
// the cell path must agree with.
func textPath(d *Detector) *Detector {
	r := *d
	r.cells = false
	return &r
}

// TestCellsEqualText is a differential test of the short-cell path: the
// fields of generated CSV, JSON, log, SQL and text lines, their words and
// short windows, in columns that suggest every type with a column rule
// and none, give the same matches as the text path.
func TestCellsEqualText(t *testing.T) {
	d := New()
	ref := textPath(d)
	var cells [][]byte
	for _, format := range corpus.Formats {
		var buf bytes.Buffer
		if _, _, err := corpus.Write(&buf, format, corpus.Options{Seed: 5, Size: 60_000}, false); err != nil {
			t.Fatal(err)
		}
		for _, l := range bytes.Split(buf.Bytes(), []byte("\n")) {
			cells = append(cells, l)
			cells = append(cells, bytes.FieldsFunc(l, func(r rune) bool { return strings.ContainsRune(",\t|\"'，;&", r) })...)
			cells = append(cells, bytes.Fields(l)...)
			for i := 0; i+24 <= len(l); i += 37 {
				cells = append(cells, l[i:i+24], l[i:min(i+90, len(l))])
			}
		}
	}
	for _, s := range []string{"pwd=hunter22", "lat=39.9042&lng=116.4074", "39.9042,116.4074", "12.3456", "HIV+", "x hiv", "token: abc123", "Authorization: Bearer abc.def"} {
		cells = append(cells, []byte(s))
	}
	cellPath, findings := 0, 0
	for _, col := range []string{"", "note", "password", "lat", "民族", "fingerprint", "diagnosis", "religion"} {
		fl := &pi.Field{Column: col, Hints: d.Hint(col, "")}
		for _, c := range cells {
			got, want := d.Find(c, fl, nil), ref.Find(c, fl, nil)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("%q in %q: %v, the text path finds %v", c, col, got, want)
			}
			findings += len(got)
			if len(c) > 0 && len(c) <= shortMax {
				if _, noHits, _ := d.scanShort(c); noHits {
					cellPath++
				}
			}
		}
	}
	if cellPath < len(cells) || findings < 1000 {
		t.Fatalf("%d cells without hits, %d findings: the test lost its inputs", cellPath, findings)
	}
}
