package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/piiscan/piiscan/detectors/pi"
)

// WriteDiffJSON writes d as indented JSON.
func WriteDiffJSON(w io.Writer, d *DiffResult) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(d)
}

// WriteDiffText writes d for a terminal or a log, one change a line:
//
//   - column SOURCE TABLE.COLUMN: sensitive (cn_id_card>=0.5) +cn_id_card
//     ~ column SOURCE TABLE.COLUMN: ordinary → sensitive +cn_id_card cn_mobile 3→5
//   - table SOURCE TABLE (sensitive)
func WriteDiffText(w io.Writer, d *DiffResult, opts Options) error {
	l, err := labelsFor(opts.Lang)
	if err != nil {
		return err
	}
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "%s: %s → %s\n", l.DiffTitle, stamp(d.Old), stamp(d.New))
	fmt.Fprintf(b, "%s %d → %d, %s %d → %d, %s %d → %d\n",
		l.Columns, d.Old.Columns, d.New.Columns,
		l.SensitiveColumns, d.Old.ByGrade["sensitive"], d.New.ByGrade["sensitive"],
		l.Findings, d.Old.Findings, d.New.Findings)
	if d.Empty() {
		fmt.Fprintln(b, l.NoChanges)
		return b.Flush()
	}
	for _, s := range d.Sources {
		fmt.Fprintf(b, "%s source %s: %s\n", mark(s.Change), printable(s.Source), gradeStep(s.Change, s.OldGrade, s.NewGrade))
	}
	for _, t := range d.Tables {
		fmt.Fprintf(b, "%s table %s %s: %s\n", mark(t.Change), printable(t.Source), printable(t.Table), gradeStep(t.Change, t.OldGrade, t.NewGrade))
	}
	for _, c := range d.Columns {
		fmt.Fprintf(b, "%s column %s %s: %s\n", mark(c.Change), printable(c.Source),
			printable(columnName(&Column{Table: c.Table, Column: c.Column})), printable(columnDetail(&c)))
	}
	return b.Flush()
}

// printable replaces control characters: names come from the scanned
// systems and must not drive the terminal the diff is printed on.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '?'
		}
		return r
	}, s)
}

func stamp(s DiffSide) string {
	if s.Finished.IsZero() {
		return "?"
	}
	return s.Finished.Format("2006-01-02 15:04:05 MST")
}

func mark(c Change) string {
	switch c {
	case Added:
		return "+"
	case Removed:
		return "-"
	}
	return "~"
}

func gradeStep(c Change, o, n pi.Grade) string {
	switch c {
	case Added:
		return n.String()
	case Removed:
		return o.String()
	}
	if o == n {
		return n.String()
	}
	return o.String() + " → " + n.String()
}

// columnDetail is "ordinary → sensitive (cn_id_card>=0.5) +cn_id_card -email cn_mobile 3→5".
func columnDetail(c *ColumnChange) string {
	var s strings.Builder
	s.WriteString(gradeStep(c.Change, c.OldGrade, c.NewGrade))
	if rule := c.NewRule; c.Change != Removed && rule != "" {
		fmt.Fprintf(&s, " (%s)", rule)
	}
	for _, t := range c.Gained {
		fmt.Fprintf(&s, " +%s", t)
	}
	for _, t := range c.Lost {
		fmt.Fprintf(&s, " -%s", t)
	}
	for _, t := range c.Counts {
		if t.Old > 0 && t.New > 0 {
			fmt.Fprintf(&s, " %s %d→%d", t.Type, t.Old, t.New)
		}
	}
	return s.String()
}

// htmlDiff is the diff part of an htmlPage.
type htmlDiff struct {
	Old, New string
	Rows     []htmlDiffRow
	FailOn   string
}

type htmlDiffRow struct {
	Mark, Change, What, Where, Grade, Class, Detail string
	New                                             bool
}

// WriteDiffHTML writes d as one self-contained HTML page, in the report's
// style. Rows that bring something new at or above failOn are marked.
func WriteDiffHTML(w io.Writer, d *DiffResult, opts Options, failOn pi.Grade) error {
	l, err := labelsFor(opts.Lang)
	if err != nil {
		return err
	}
	p := &htmlPage{L: l, Title: l.DiffTitle, Period: stamp(d.Old) + " → " + stamp(d.New)}
	p.Cards = []card{
		{l.Columns, fmt.Sprintf("%d → %d", d.Old.Columns, d.New.Columns), ""},
		{l.SensitiveColumns, fmt.Sprintf("%d → %d", d.Old.ByGrade["sensitive"], d.New.ByGrade["sensitive"]), "g-sensitive"},
		{l.OrdinaryColumns, fmt.Sprintf("%d → %d", d.Old.ByGrade["ordinary"], d.New.ByGrade["ordinary"]), "g-ordinary"},
		{l.Findings, fmt.Sprintf("%d → %d", d.Old.Findings, d.New.Findings), ""},
	}
	news := map[[3]string]bool{}
	for _, c := range d.NewAtOrAbove(failOn) {
		news[[3]string{c.Source, c.Table, c.Column}] = true
	}
	p.Cards = append(p.Cards, card{l.NewAtOrAbove + " " + l.grade(failOn), fmt.Sprint(len(news)), gapsClass(len(news))})
	hd := &htmlDiff{Old: stamp(d.Old), New: stamp(d.New), FailOn: l.grade(failOn)}
	word := map[Change]string{Added: l.Added, Removed: l.Removed, Changed: l.Changed}
	for _, s := range d.Sources {
		g := max(s.OldGrade, s.NewGrade)
		hd.Rows = append(hd.Rows, htmlDiffRow{Mark: mark(s.Change), Change: word[s.Change], What: l.Source, Where: s.Source,
			Grade: gradeStep(s.Change, s.OldGrade, s.NewGrade), Class: gradeClass(g)})
	}
	for _, t := range d.Tables {
		g := max(t.OldGrade, t.NewGrade)
		hd.Rows = append(hd.Rows, htmlDiffRow{Mark: mark(t.Change), Change: word[t.Change], What: l.Table, Where: t.Source + " " + t.Table,
			Grade: gradeStep(t.Change, t.OldGrade, t.NewGrade), Class: gradeClass(g)})
	}
	for _, c := range d.Columns {
		g := max(c.OldGrade, c.NewGrade)
		hd.Rows = append(hd.Rows, htmlDiffRow{Mark: mark(c.Change), Change: word[c.Change], What: l.Column,
			Where: c.Source + " " + columnName(&Column{Table: c.Table, Column: c.Column}),
			Grade: gradeStep(c.Change, c.OldGrade, c.NewGrade), Class: gradeClass(g),
			Detail: strings.TrimSpace(strings.TrimPrefix(columnDetail(&c), gradeStep(c.Change, c.OldGrade, c.NewGrade))),
			New:    news[[3]string{c.Source, c.Table, c.Column}]})
	}
	p.Diff = hd
	t, err := pageTemplate()
	if err != nil {
		return err
	}
	return t.ExecuteTemplate(w, "diff", p)
}
