package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/piiscan/piiscan/detectors/pi"
)

// mdLimit caps the lists of the Markdown summary; the HTML and CSV carry all.
const mdLimit = 20

// WriteMarkdown writes a short summary: totals, findings by type, the most
// sensitive columns and the compliance gaps (each list capped at 20 lines),
// for a ticket, a merge request or a chat message.
func WriteMarkdown(w io.Writer, r *Report, opts Options) error {
	l, err := labelsFor(opts.Lang)
	if err != nil {
		return err
	}
	v := prepare(r, opts)
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "# %s\n\n", l.Title)
	if p := period(v.Started, v.Finished); p != "" {
		fmt.Fprintf(b, "%s: %s\n\n", l.Period, p)
	}
	g := columnsByGrade(v)
	fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s |\n|---:|---:|---:|---:|---:|---:|---:|\n",
		l.Sources, l.Columns, l.SensitiveColumns, l.OrdinaryColumns, l.Findings, l.Gaps, l.InputErrors)
	fmt.Fprintf(b, "| %d | %d | %d | %d | %d | %d | %d |\n\n",
		len(v.Sources), len(v.Columns), g[pi.GradeSensitive], g[pi.GradeOrdinary], v.Totals.Findings, len(v.Gaps), len(v.Errors))

	if types := findingsByType(v); len(types) > 0 {
		fmt.Fprintf(b, "## %s\n\n| %s | ID | %s | %s |\n|---|---|---|---:|\n", l.FindingsByType, l.Types, l.Grade, l.Findings)
		for _, tc := range types {
			fmt.Fprintf(b, "| %s | `%s` | %s | %d |\n", md(l.typeName(tc.Type)), tc.Type, l.grade(tc.Grade), tc.N)
		}
		b.WriteString("\n")
	}

	var sens []*Column
	for i := range v.Columns {
		if v.Columns[i].Grade == pi.GradeSensitive {
			sens = append(sens, &v.Columns[i])
		}
	}
	if len(sens) > 0 {
		fmt.Fprintf(b, "## %s (%d)\n\n| %s | %s | %s | %s | %s |\n|---|---|---|---|---|\n",
			l.Top, len(sens), l.Source, l.Table, l.Column, l.Types, l.Rule)
		for i, c := range sens {
			if i == mdLimit {
				fmt.Fprintf(b, "| … +%d | | | | |\n", len(sens)-mdLimit)
				break
			}
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", md(c.Source), md(c.Table), md(c.Column), md(typesString(c)), md(c.Rule))
		}
		b.WriteString("\n")
	}

	fmt.Fprintf(b, "## %s (%d)\n\n", l.Gaps, len(v.Gaps))
	if len(v.Gaps) == 0 {
		fmt.Fprintf(b, "%s\n", l.NoGaps)
	}
	for i := range v.Gaps {
		if i == mdLimit {
			fmt.Fprintf(b, "- … +%d\n", len(v.Gaps)-mdLimit)
			break
		}
		gp := &v.Gaps[i]
		where := gp.Source
		if n := columnName(&Column{Table: gp.Table, Column: gp.Column}); n != "" {
			where += " " + n
		}
		fmt.Fprintf(b, "- **%s** %s: %s\n", l.gap(gp.Kind), md(where), md(l.gapDetail(gp)))
	}
	fmt.Fprintf(b, "\n_%s. %s_\n", l.Generated, l.Masked)
	return b.Flush()
}

var mdReplacer = strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ", "<", "&lt;", ">", "&gt;", "`", "'", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`)

// md escapes text for a Markdown table cell or list item: values come from
// scanned systems and must not inject markup or links.
func md(s string) string { return mdReplacer.Replace(s) }
