// Package detectortest is the shared test kit for PI detectors: every
// detector's positive and negative examples go through the same checks.
//
// A case is one input with its expected matches marked inline:
//
//	身份证«cn_id_card:110105199001011237»号
//	«cn_id_card,minor:110105201801011231»       (two types, same span)
//	订单号 202401011381234567890123             (no marker: nothing may match)
//
// Run checks for each case that the detector reports exactly the marked
// spans and types (nothing more), that every match is inside the value, in
// start order, with a confidence in [0,1], that Find appends to dst without
// touching what was there, that Find does not panic on any prefix of the
// input, and that the same matches, shifted, come back when the input is
// embedded in neutral Chinese text. Cases live in testdata files (ReadCases)
// or in Go tables.
package detectortest

import (
	"bufio"
	"bytes"
	"fmt"
	"hash/fnv"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/piiscan/piiscan/detectors"
	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/internal/cputime"
)

// Case is one test input.
type Case struct {
	// Input is the value with «type:value» markers (see the package doc).
	Input string
	// Column, when set, is the column name the value comes from; detectors
	// that implement detectors.Hinter turn it into hints.
	Column string
	// Where names the case in failures (e.g. "cases.txt:12").
	Where string
}

// Span is one expected match.
type Span struct {
	Type       pi.TypeID
	Start, End int
}

func (s Span) String() string { return fmt.Sprintf("%s[%d:%d]", s.Type, s.Start, s.End) }

const (
	markOpen  = "«"
	markClose = "»"
)

// Parse removes the markers from marked and returns the plain text and the
// expected spans (byte offsets into text), sorted by start, then type.
func Parse(marked string) (string, []Span, error) {
	var b strings.Builder
	var spans []Span
	rest := marked
	for {
		i := strings.Index(rest, markOpen)
		if i < 0 {
			if strings.Contains(rest, markClose) {
				return "", nil, fmt.Errorf("%q: %s without %s", marked, markClose, markOpen)
			}
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i])
		rest = rest[i+len(markOpen):]
		j := strings.Index(rest, markClose)
		colon := strings.Index(rest, ":")
		if j < 0 || colon < 0 || colon > j {
			return "", nil, fmt.Errorf("%q: marker needs «type:value»", marked)
		}
		value := rest[colon+1 : j]
		if strings.Contains(value, markOpen) {
			return "", nil, fmt.Errorf("%q: nested markers", marked)
		}
		start := b.Len()
		b.WriteString(value)
		for _, t := range strings.Split(rest[:colon], ",") {
			spans = append(spans, Span{pi.TypeID(strings.TrimSpace(t)), start, b.Len()})
		}
		rest = rest[j+len(markClose):]
	}
	sortSpans(spans)
	return b.String(), spans, nil
}

func sortSpans(s []Span) {
	slices.SortFunc(s, func(a, b Span) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		if a.End != b.End {
			return a.End - b.End
		}
		return strings.Compare(string(a.Type), string(b.Type))
	})
}

// ReadCases reads one case per line from a testdata file. Blank lines and
// lines starting with '#' are skipped. A line "column=NAME<TAB>input" sets
// the case's column.
func ReadCases(t testing.TB, path string) []Case {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cs []Case
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c := Case{Input: line, Where: fmt.Sprintf("%s:%d", path, n)}
		if rest, ok := strings.CutPrefix(line, "column="); ok {
			col, in, found := strings.Cut(rest, "\t")
			if !found {
				t.Fatalf("%s: column= needs a tab before the input", c.Where)
			}
			c.Column, c.Input = col, in
		}
		cs = append(cs, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cs
}

// Field returns the context Run gives a case with this column: hints from
// d when it is a detectors.Hinter.
func Field(d detectors.Detector, column string) *pi.Field {
	f := &pi.Field{Column: column}
	if h, ok := d.(detectors.Hinter); ok && column != "" {
		f.Hints = h.Hint(column, "")
	}
	return f
}

// Neutral is Chinese text without digits, ASCII letters or any context
// keyword, used to embed inputs. Detectors must treat it as plain text.
const Neutral = "今天天气很好，我们去公园散步。"

// Run checks every case against d (see the package doc).
func Run(t *testing.T, d detectors.Detector, cases []Case) {
	t.Helper()
	for _, c := range cases {
		name := c.Where
		if name == "" {
			name = c.Input
		}
		t.Run(name, func(t *testing.T) {
			text, want, err := Parse(c.Input)
			if err != nil {
				t.Fatal(err)
			}
			f := Field(d, c.Column)
			if msg := Diff(d, text, want, f); msg != "" {
				t.Error(msg)
			}
			// No panic and sane output on every prefix.
			for k := range len(text) {
				Check(t, d, []byte(text[:k]), f)
			}
		})
	}
}

// Diff runs d on text, alone and embedded in Neutral text, and describes
// how its matches differ from want ("" when they agree or the contract
// checks of Spans fail in a way it reports).
func Diff(d detectors.Detector, text string, want []Span, f *pi.Field) string {
	got, err := Spans(d, []byte(text), f)
	if err != nil {
		return err.Error()
	}
	if !slices.Equal(got, want) {
		return fmt.Sprintf("input %q\n got %v\nwant %v", text, got, want)
	}
	emb := Neutral + text + Neutral
	got, err = Spans(d, []byte(emb), f)
	if err != nil {
		return err.Error()
	}
	shifted := make([]Span, len(want))
	for i, s := range want {
		shifted[i] = Span{s.Type, s.Start + len(Neutral), s.End + len(Neutral)}
	}
	if !slices.Equal(got, shifted) {
		return fmt.Sprintf("embedded in neutral text %q\n got %v\nwant %v", emb, got, shifted)
	}
	return ""
}

// Check runs d on value and verifies the contract every result must keep
// (see Spans); it returns the matches as sorted spans.
func Check(t testing.TB, d detectors.Detector, value []byte, f *pi.Field) []Span {
	t.Helper()
	spans, err := Spans(d, value, f)
	if err != nil {
		t.Fatal(err)
	}
	return spans
}

// Spans runs d on value and checks the contract every result must keep:
// dst's earlier content untouched, matches within the value, ordered by
// start, confidence in [0,1]. It returns the matches as spans sorted by
// start, end and type.
func Spans(d detectors.Detector, value []byte, f *pi.Field) ([]Span, error) {
	sentinel := pi.Match{Type: "sentinel", Start: -7, End: -3}
	dst := d.Find(value, f, []pi.Match{sentinel})
	if len(dst) == 0 || dst[0] != sentinel {
		return nil, fmt.Errorf("%q: Find did not keep dst's existing content: %v", value, dst)
	}
	ms := dst[1:]
	var spans []Span
	for i, m := range ms {
		if m.Start < 0 || m.End > len(value) || m.Start >= m.End {
			return nil, fmt.Errorf("%q: match %d %v out of bounds for a %d-byte value", value, i, m, len(value))
		}
		if i > 0 && m.Start < ms[i-1].Start {
			return nil, fmt.Errorf("%q: matches not ordered by start: %v", value, ms)
		}
		if !(m.Confidence >= 0 && m.Confidence <= 1) {
			return nil, fmt.Errorf("%q: match %v: confidence outside [0,1]", value, m)
		}
		spans = append(spans, Span{m.Type, m.Start, m.End})
	}
	sortSpans(spans)
	return spans, nil
}

// Shifted checks the differential property fuzz targets rely on: the
// matches on Neutral+value are those on value, shifted by len(Neutral), with
// the same confidence and grade.
func Shifted(t testing.TB, d detectors.Detector, value []byte) {
	t.Helper()
	a := d.Find(value, nil, nil)
	b := d.Find(append([]byte(Neutral), value...), nil, nil)
	if len(a) != len(b) {
		t.Fatalf("%q: %d matches alone, %d after neutral text:\n%v\n%v", value, len(a), len(b), a, b)
	}
	for i := range a {
		m := b[i]
		m.Start -= len(Neutral)
		m.End -= len(Neutral)
		if m != a[i] {
			t.Fatalf("%q: match %d differs after neutral text: %v vs %v", value, i, a[i], b[i])
		}
	}
}

// Bench measures d over value with b.SetBytes and b.ReportAllocs, reusing
// one dst so that a detector that allocates per value or per match shows it.
// It also reports MB/cpu-s, throughput per CPU second of the process (run
// with -cpu=1 so that it counts one core).
func Bench(b *testing.B, d detectors.Detector, value []byte, f *pi.Field) {
	b.Helper()
	b.SetBytes(int64(len(value)))
	b.ReportAllocs()
	dst := make([]pi.Match, 0, 4096)
	cpu0 := cputime.Process()
	for b.Loop() {
		dst = d.Find(value, f, dst[:0])
	}
	if cpu := cputime.Process() - cpu0; cpu > 0 {
		// Throughput per CPU second of this process: on a shared machine
		// this is closer to the single-core rate than wall-clock MB/s.
		b.ReportMetric(float64(len(value))*float64(b.N)/1e6/cpu.Seconds(), "MB/cpu-s")
	}
}

// FindLinesOnce runs d.Find once over each line of the file named by the
// environment variable env, for instruction and branch counts that machine
// load does not disturb; it is skipped when env is not set. It logs the
// matches and a digest of every one, so that two builds can be shown to
// find the same. A/B two builds with:
//
//	go test -c -o /tmp/x.test ./detectors/PKG/
//	ENV=lines.txt GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 valgrind \
//	  --tool=cachegrind --cache-sim=no --branch-sim=yes /tmp/x.test -test.run FindLinesOnce -test.v
func FindLinesOnce(t *testing.T, env string, d detectors.Detector) {
	p := os.Getenv(env)
	if p == "" {
		t.Skip(env + " not set")
	}
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	f := &pi.Field{}
	var dst []pi.Match
	n := 0
	h := fnv.New64a()
	for _, l := range bytes.Split(data, []byte("\n")) {
		if len(l) > 0 {
			dst = d.Find(l, f, dst[:0])
			n += len(dst)
			for _, m := range dst {
				fmt.Fprintf(h, "%s %d %d %g|", m.Type, m.Start, m.End, m.Confidence)
			}
			h.Write([]byte{'\n'})
		}
	}
	t.Logf("%d matches, digest %x", n, h.Sum64())
}
