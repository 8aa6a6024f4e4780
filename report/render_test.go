package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/piiscan/piiscan/detectors/pi"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/golden")

func loadSample(t testing.TB) (*Report, *Annotations) {
	t.Helper()
	r, err := Load("testdata/sample.json")
	if err != nil {
		t.Fatal(err)
	}
	a, err := LoadAnnotations("testdata/annotations.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return r, a
}

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden file (%d vs %d bytes); run go test ./report -update and review the diff", name, len(got), len(want))
	}
}

func TestGolden(t *testing.T) {
	r, a := loadSample(t)
	for _, lang := range Langs {
		for _, ext := range []string{".json", ".html", ".csv", ".md", ".prom"} {
			if ext == ".json" || ext == ".prom" {
				if lang != "en" {
					continue // no labels
				}
			}
			name := "sample." + lang + ext
			t.Run(name, func(t *testing.T) {
				f, err := FormatOf(name)
				if err != nil {
					t.Fatal(err)
				}
				var b bytes.Buffer
				if err := f(&b, r, Options{Lang: lang, Annotations: a}); err != nil {
					t.Fatal(err)
				}
				golden(t, name, b.Bytes())
			})
		}
	}
}

func TestRenderDoesNotModifyReport(t *testing.T) {
	r, a := loadSample(t)
	before, _ := json.Marshal(r)
	for _, f := range []string{"x.json", "x.html", "x.csv", "x.md"} {
		w, _ := FormatOf(f)
		if err := w(new(bytes.Buffer), r, Options{Annotations: a}); err != nil {
			t.Fatal(err)
		}
	}
	after, _ := json.Marshal(r)
	if !bytes.Equal(before, after) {
		t.Error("rendering changed the report")
	}
}

// TestCSVRoundTrip parses the CSV back with encoding/csv and compares every
// row with the JSON report's columns.
func TestCSVRoundTrip(t *testing.T) {
	r, a := loadSample(t)
	var b bytes.Buffer
	if err := WriteCSV(&b, r, Options{Annotations: a}); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	if !bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		t.Fatal("no UTF-8 byte-order mark")
	}
	recs, err := csv.NewReader(bytes.NewReader(data[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(recs[0], csvHeader) {
		t.Fatalf("header %q", recs[0])
	}
	rows := recs[1:]
	if len(rows) != len(r.Columns) {
		t.Fatalf("%d rows, report has %d columns", len(rows), len(r.Columns))
	}
	uncell := func(s string) string {
		if strings.HasPrefix(s, "'") && len(s) > 1 && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
			return s[1:]
		}
		return s
	}
	gaps := ComplianceGaps(func() *Report { a.Apply(r); return r }())
	for i, row := range rows {
		c := r.Columns[i]
		get := func(name string) string { return row[slices.Index(csvHeader, name)] }
		if uncell(get("source")) != c.Source || uncell(get("table")) != c.Table || uncell(get("column")) != c.Column || uncell(get("comment")) != c.Comment {
			t.Errorf("row %d: location %q, want %s/%s/%s", i, row[:4], c.Source, c.Table, c.Column)
		}
		if get("grade") != c.Grade.String() || uncell(get("rule")) != c.Rule {
			t.Errorf("row %d: grade %s %s, want %s %s", i, get("grade"), get("rule"), c.Grade, c.Rule)
		}
		if n, _ := strconv.ParseInt(get("rows_scanned"), 10, 64); n != c.RowsScanned {
			t.Errorf("row %d: rows %d, want %d", i, n, c.RowsScanned)
		}
		types := map[pi.TypeID]int64{}
		if s := get("types"); s != "" {
			for _, kv := range strings.Split(s, ";") {
				k, v, _ := strings.Cut(kv, ":")
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil {
					t.Fatalf("row %d: types %q", i, s)
				}
				types[pi.TypeID(k)] = n
			}
		}
		if len(types) != len(c.Types) {
			t.Errorf("row %d: types %v, want %v", i, types, c.Types)
		}
		for k, v := range c.Types {
			if types[k] != v {
				t.Errorf("row %d: %s = %d, want %d", i, k, types[k], v)
			}
		}
		if f, _ := strconv.ParseFloat(get("encrypted_share"), 64); f != c.EncryptedShare {
			t.Errorf("row %d: encrypted_share %v, want %v", i, f, c.EncryptedShare)
		}
		var samples []string
		if s := get("samples"); s != "" {
			samples = strings.Split(s, "\n")
		}
		if !slices.Equal(samples, c.Samples) && !(len(samples) == 0 && len(c.Samples) == 0) {
			t.Errorf("row %d: samples %q, want %q", i, samples, c.Samples)
		}
		inv := c.Inventory
		if inv == nil {
			inv = &Inventory{}
		}
		if get("owner") != inv.Owner || get("purpose") != inv.Purpose || get("retention") != inv.Retention ||
			get("legal_basis") != inv.LegalBasis || get("system") != inv.System {
			t.Errorf("row %d: inventory %q, want %+v", i, row[9:14], inv)
		}
		var kinds []string
		for _, g := range gaps {
			if g.Source == c.Source && g.Table == c.Table && g.Column == c.Column {
				kinds = append(kinds, string(g.Kind))
			}
		}
		if get("gaps") != strings.Join(kinds, ";") {
			t.Errorf("row %d: gaps %q, want %q", i, get("gaps"), kinds)
		}
	}
	// The formula-looking column name must be defused.
	if !bytes.Contains(data, []byte(`'=cmd|`)) {
		t.Error("formula cell not defused")
	}
}

func TestHTMLEscapesAndIsSelfContained(t *testing.T) {
	r, a := loadSample(t)
	for _, lang := range Langs {
		var b bytes.Buffer
		if err := WriteHTML(&b, r, Options{Lang: lang, Annotations: a}); err != nil {
			t.Fatal(err)
		}
		s := b.String()
		if strings.Contains(s, "<b>&\"") {
			t.Error("comment not escaped")
		}
		for _, bad := range []string{"http://", "https://", "//cdn", "@import", "url("} {
			// Only the SVG namespace URI may look like a URL.
			if n := strings.Count(s, bad); bad == "http://" && n != 3 || bad != "http://" && n != 0 {
				t.Errorf("%s: %d occurrences of %q: page must not reference anything outside itself", lang, n, bad)
			}
		}
		if got := strings.Count(s, "<svg "); got != 3 {
			t.Errorf("%s: %d charts, want 3", lang, got)
		}
		if got := strings.Count(s, `<tr data-grade=`); got != len(r.Columns) {
			t.Errorf("%s: %d inventory rows, want %d", lang, got, len(r.Columns))
		}
	}
}

func TestWriteFileAtomicAndFormats(t *testing.T) {
	r, _ := loadSample(t)
	dir := t.TempDir()
	for _, name := range []string{"r.json", "r.html", "r.csv", "r.md", "r.prom"} {
		p := filepath.Join(dir, name)
		if err := WriteFile(p, r, Options{Lang: "zh"}); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Stat(p); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := WriteFile(filepath.Join(dir, "r.xlsx"), r, Options{}); err == nil {
		t.Error("unknown extension accepted")
	}
	if err := WriteFile(filepath.Join(dir, "r.html"), r, Options{Lang: "fr"}); err == nil {
		t.Error("unknown language accepted")
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 5 {
		t.Errorf("temporary files left: %v", ents)
	}
	back, err := Load(filepath.Join(dir, "r.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Columns) != len(r.Columns) || back.Totals.Findings != r.Totals.Findings {
		t.Error("JSON did not round-trip")
	}
}

func TestRenderEmptyReport(t *testing.T) {
	r := &Report{Version: Version}
	for _, name := range []string{"e.json", "e.html", "e.csv", "e.md", "e.prom"} {
		f, _ := FormatOf(name)
		var b bytes.Buffer
		if err := f(&b, r, Options{Lang: "zh"}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if b.Len() == 0 {
			t.Errorf("%s: empty output", name)
		}
	}
}

// bigReport has n columns over n/20 tables with a mix of types.
func bigReport(n int) *Report {
	r := &Report{Version: Version, Threshold: 0.5, Totals: Totals{ByType: map[pi.TypeID]int64{}, ByGrade: map[string]int64{}}}
	for i := 0; i < n; i++ {
		t := pi.BuiltinTypes[i%len(pi.BuiltinTypes)]
		c := Column{Source: "postgres://db:5432/app", Table: "public.t" + strconv.Itoa(i/20), Column: "c" + strconv.Itoa(i),
			RowsScanned: 10000, Types: map[pi.TypeID]int64{t: int64(i % 10000)}, Samples: []string{"138****0000", "1101**********2315"}}
		GradeColumn(&c, 0.5)
		r.Totals.ByType[t] += c.Types[t]
		r.Columns = append(r.Columns, c)
	}
	RollUp(r)
	return r
}

func BenchmarkWriteHTML(b *testing.B) {
	r := bigReport(10000)
	var buf bytes.Buffer
	WriteHTML(&buf, r, Options{})
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := WriteHTML(&buf, r, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteCSV(b *testing.B) {
	r := bigReport(10000)
	var buf bytes.Buffer
	WriteCSV(&buf, r, Options{})
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := WriteCSV(&buf, r, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
