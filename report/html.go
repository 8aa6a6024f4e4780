package report

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/piiscan/piiscan/detectors/pi"
)

//go:embed html.tmpl
var templateFS embed.FS

// pageTemplate is parsed once per render: a render is rare and the cost is
// small, and it keeps the package free of global state.
func pageTemplate() (*template.Template, error) {
	return template.New("html.tmpl").Funcs(template.FuncMap{
		"f1": func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) },
	}).ParseFS(templateFS, "html.tmpl")
}

// htmlPage is what html.tmpl renders.
type htmlPage struct {
	L       *labels
	Title   string
	Period  string
	Cards   []card
	Charts  []chart
	Rows    []htmlRow
	Gaps    []htmlGap
	Sources []Source
	Tables  []Table
	Errors  []InputError
	Diff    *htmlDiff
	Grades  []gradeOption
}

type card struct {
	Label, Value, Class string
}

type gradeOption struct{ Value, Label string }

type chart struct {
	ID, Title, Note, Empty string
	Width, Height          int
	LabelWidth             int
	Bars                   []bar
}

type bar struct {
	Label, Full, Value, Class string
	Y, TextY, W, ValueX       float64
}

type htmlRow struct {
	Grade, GradeLabel, Rule                       string
	Source, Table, Column, Comment                string
	Types                                         []htmlType
	TypesKey                                      string
	Rows                                          int64
	Encrypted, EncryptedKey                       string
	Owner, Purpose, LegalBasis, Retention, System string
	Samples                                       []string
	GapCount                                      int
}

type htmlType struct {
	ID, Name, Share, Class string
	N                      int64
}

type htmlGap struct {
	Kind, Class                   string
	Source, Table, Column, Detail string
}

const (
	chartWidth  = 640
	chartLabelW = 200
	chartValueW = 70
	chartRowH   = 24
)

func newChart(id, title, note, empty string, bars []bar) chart {
	var maxV float64
	for _, b := range bars {
		v, _ := strconv.ParseFloat(b.Value, 64)
		maxV = max(maxV, v)
	}
	area := float64(chartWidth - chartLabelW - chartValueW)
	for i := range bars {
		b := &bars[i]
		v, _ := strconv.ParseFloat(b.Value, 64)
		b.Y = float64(i*chartRowH + 4)
		b.TextY = b.Y + chartRowH/2 + 1
		if maxV > 0 {
			b.W = max(1, v/maxV*area)
		}
		b.ValueX = float64(chartLabelW) + b.W + 6
		b.Full = b.Label
		b.Label = truncate(b.Label, 30)
	}
	return chart{ID: id, Title: title, Note: note, Empty: empty, Width: chartWidth,
		Height: max(1, len(bars))*chartRowH + 8, LabelWidth: chartLabelW, Bars: bars}
}

// truncate shortens s to n runes, keeping the end (table names differ at
// their end more often than at their start).
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return "…" + string(r[len(r)-n+1:])
}

func gradeClass(g pi.Grade) string { return "g-" + g.String() }

func percent(v float64) string {
	if v > 0 && v < 0.001 {
		return "<0.1%"
	}
	return strconv.FormatFloat(v*100, 'f', 1, 64) + "%"
}

// WriteHTML writes r as one self-contained HTML page: inline CSS, inline SVG
// charts and a small inline script for sorting and filtering. Nothing is
// loaded from elsewhere (a Content-Security-Policy forbids it), so the page
// works on an air-gapped machine. Every value goes through html/template.
func WriteHTML(w io.Writer, r *Report, opts Options) error {
	l, err := labelsFor(opts.Lang)
	if err != nil {
		return err
	}
	v := prepare(r, opts)
	p := &htmlPage{L: l, Title: l.Title, Period: period(v.Started, v.Finished)}
	byGrade := columnsByGrade(v)
	tables := map[[2]string]bool{}
	for _, c := range v.Columns {
		if c.Table != "" {
			tables[[2]string{c.Source, c.Table}] = true
		}
	}
	p.Cards = []card{
		{l.Sources, strconv.Itoa(len(v.Sources)), ""},
		{l.Tables, strconv.Itoa(len(tables)), ""},
		{l.Columns, strconv.Itoa(len(v.Columns)), ""},
		{l.SensitiveColumns, strconv.Itoa(byGrade[pi.GradeSensitive]), "g-sensitive"},
		{l.OrdinaryColumns, strconv.Itoa(byGrade[pi.GradeOrdinary]), "g-ordinary"},
		{l.Findings, strconv.FormatInt(v.Totals.Findings, 10), ""},
		{l.Records, strconv.FormatInt(v.Throughput.Records, 10), ""},
		{l.Bytes, humanBytes(v.Throughput.Bytes), ""},
		{l.Duration, strconv.FormatFloat(v.Throughput.Seconds, 'f', 1, 64) + " " + l.Seconds, ""},
		{l.Gaps, strconv.Itoa(len(v.Gaps)), gapsClass(len(v.Gaps))},
		{l.InputErrors, strconv.Itoa(len(v.Errors)), errorsClass(len(v.Errors))},
	}
	if v.Threshold > 0 {
		p.Cards = append(p.Cards, card{l.Threshold, strconv.FormatFloat(v.Threshold, 'f', -1, 64), ""})
	}

	var typeBars []bar
	for _, tc := range findingsByType(v) {
		typeBars = append(typeBars, bar{Label: l.typeName(tc.Type), Value: strconv.FormatInt(tc.N, 10), Class: gradeClass(tc.Grade)})
	}
	var gradeBars []bar
	for g := pi.GradeSensitive; ; g-- {
		gradeBars = append(gradeBars, bar{Label: l.grade(g), Value: strconv.Itoa(byGrade[g]), Class: gradeClass(g)})
		if g == pi.GradeNone {
			break
		}
	}
	var tableBars []bar
	top := opts.TopTables
	if top <= 0 {
		top = 10
	}
	for _, t := range topTables(v, top) {
		tableBars = append(tableBars, bar{Label: t.label(), Value: strconv.FormatInt(t.N, 10), Class: gradeClass(t.Grade)})
	}
	p.Charts = []chart{
		newChart("chart-types", l.FindingsByType, "", l.NoColumns, typeBars),
		newChart("chart-grades", l.ColumnsByGrade, "", l.NoColumns, gradeBars),
		newChart("chart-tables", l.TopTables, l.TopTablesNote, l.NoColumns, tableBars),
	}

	gapCount := map[[3]string]int{}
	for _, g := range v.Gaps {
		gapCount[[3]string{g.Source, g.Table, g.Column}]++
		p.Gaps = append(p.Gaps, htmlGap{Kind: l.gap(g.Kind), Class: "k-" + string(g.Kind),
			Source: g.Source, Table: g.Table, Column: g.Column, Detail: l.gapDetail(&g)})
	}
	for i := range v.Columns {
		c := &v.Columns[i]
		row := htmlRow{Grade: c.Grade.String(), GradeLabel: l.grade(c.Grade), Rule: c.Rule,
			Source: c.Source, Table: c.Table, Column: c.Column, Comment: c.Comment,
			Rows: c.RowsScanned, Samples: c.Samples, GapCount: gapCount[[3]string{c.Source, c.Table, c.Column}],
			EncryptedKey: strconv.FormatFloat(c.EncryptedShare, 'f', 4, 64)}
		if c.EncryptedShare > 0 {
			row.Encrypted = percent(c.EncryptedShare)
		}
		var keys []string
		for _, tc := range sortedTypes(c) {
			ht := htmlType{ID: string(tc.Type), Name: l.typeName(tc.Type), N: tc.N, Class: gradeClass(tc.Grade)}
			if c.RowsScanned > 0 {
				ht.Share = percent(float64(tc.N) / float64(c.RowsScanned))
			}
			row.Types = append(row.Types, ht)
			keys = append(keys, string(tc.Type))
		}
		row.TypesKey = strings.Join(keys, " ")
		if inv := c.Inventory; inv != nil {
			row.Owner, row.Purpose, row.LegalBasis, row.Retention, row.System = inv.Owner, inv.Purpose, inv.LegalBasis, inv.Retention, inv.System
		}
		p.Rows = append(p.Rows, row)
	}
	for g := pi.GradeSensitive; ; g-- {
		p.Grades = append(p.Grades, gradeOption{g.String(), l.grade(g)})
		if g == pi.GradeNone {
			break
		}
	}
	p.Sources, p.Tables, p.Errors = v.Sources, v.Tables, v.Errors
	t, err := pageTemplate()
	if err != nil {
		return err
	}
	return t.ExecuteTemplate(w, "report", p)
}

func gapsClass(n int) string {
	if n > 0 {
		return "g-sensitive"
	}
	return ""
}

func errorsClass(n int) string {
	if n > 0 {
		return "g-ordinary"
	}
	return ""
}

func period(a, b time.Time) string {
	if a.IsZero() {
		return ""
	}
	const f = "2006-01-02 15:04:05 MST"
	if b.IsZero() {
		return a.Format(f)
	}
	return a.Format(f) + " – " + b.Format(f)
}

func humanBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}
