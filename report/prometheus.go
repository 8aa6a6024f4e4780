package report

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/piiscan/piiscan/detectors/pi"
)

// Label is an extra Prometheus label put on every metric, e.g. job="crm"
// when several scheduled jobs write into one textfile collector directory.
type Label struct{ Name, Value string }

// WritePrometheus writes r's gauges in the Prometheus text exposition format
// (version 0.0.4) for node-exporter's textfile collector:
//
//	piiscan_findings{type,grade}        findings by type (grade: the type's grade)
//	piiscan_columns{grade}              columns per grade (all three, zeros too)
//	piiscan_rows_scanned                records read
//	piiscan_bytes_scanned               bytes read
//	piiscan_scan_duration_seconds       scan duration
//	piiscan_last_scan_timestamp_seconds when the scan finished (for staleness alerts)
//	piiscan_compliance_gaps{kind}       gaps per kind (all kinds, zeros too)
//	piiscan_input_errors                input errors the scan went past
//
// No label carries a value from the data: only type IDs, grades and the
// caller's labels. Write it with AtomicWrite (or WriteFile to a .prom path):
// the collector must never read half a file.
func WritePrometheus(w io.Writer, r *Report, extra ...Label) error {
	for _, l := range extra {
		if !validLabelName(l.Name) {
			return fmt.Errorf("prometheus: invalid label name %q", l.Name)
		}
	}
	b := bufio.NewWriter(w)
	labels := func(kv ...string) string {
		var s strings.Builder
		for _, l := range extra {
			kv = append(kv, l.Name, l.Value)
		}
		if len(kv) == 0 {
			return ""
		}
		s.WriteByte('{')
		for i := 0; i < len(kv); i += 2 {
			if i > 0 {
				s.WriteByte(',')
			}
			s.WriteString(kv[i])
			s.WriteString(`="`)
			s.WriteString(escapeLabel(kv[i+1]))
			s.WriteByte('"')
		}
		s.WriteByte('}')
		return s.String()
	}
	gauge := func(name, help string) {
		fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name)
	}
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

	gauge("piiscan_findings", "PI findings of the last scan by type and grade.")
	types := findingsByType(r)
	slices.SortFunc(types, func(a, b typeCount) int { return cmp.Compare(a.Type, b.Type) })
	for _, tc := range types {
		fmt.Fprintf(b, "piiscan_findings%s %d\n", labels("type", string(tc.Type), "grade", tc.Grade.String()), tc.N)
	}
	gauge("piiscan_columns", "Columns of the last scan by grade.")
	byGrade := columnsByGrade(r)
	for g := pi.GradeNone; g <= pi.GradeSensitive; g++ {
		fmt.Fprintf(b, "piiscan_columns%s %d\n", labels("grade", g.String()), byGrade[g])
	}
	gauge("piiscan_rows_scanned", "Records read by the last scan.")
	fmt.Fprintf(b, "piiscan_rows_scanned%s %d\n", labels(), r.Throughput.Records)
	gauge("piiscan_bytes_scanned", "Bytes read by the last scan.")
	fmt.Fprintf(b, "piiscan_bytes_scanned%s %d\n", labels(), r.Throughput.Bytes)
	gauge("piiscan_scan_duration_seconds", "Duration of the last scan.")
	fmt.Fprintf(b, "piiscan_scan_duration_seconds%s %s\n", labels(), num(r.Throughput.Seconds))
	if !r.Finished.IsZero() {
		gauge("piiscan_last_scan_timestamp_seconds", "Unix time the last scan finished.")
		fmt.Fprintf(b, "piiscan_last_scan_timestamp_seconds%s %s\n", labels(), strconv.FormatFloat(float64(r.Finished.UnixMilli())/1000, 'f', -1, 64))
	}
	gauge("piiscan_compliance_gaps", "Compliance gaps of the last scan by kind.")
	gaps := r.Gaps
	if gaps == nil {
		gaps = ComplianceGaps(r)
	}
	perKind := map[GapKind]int{}
	for _, g := range gaps {
		perKind[g.Kind]++
	}
	for _, k := range GapKinds {
		fmt.Fprintf(b, "piiscan_compliance_gaps%s %d\n", labels("kind", string(k)), perKind[k])
	}
	gauge("piiscan_input_errors", "Input errors the last scan went past.")
	fmt.Fprintf(b, "piiscan_input_errors%s %d\n", labels(), len(r.Errors))
	return b.Flush()
}

// WritePrometheusFile writes the metrics atomically into path.
func WritePrometheusFile(path string, r *Report, extra ...Label) error {
	return AtomicWrite(path, func(w io.Writer) error { return WritePrometheus(w, r, extra...) })
}

var labelEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)

func escapeLabel(s string) string { return labelEscaper.Replace(s) }

func validLabelName(s string) bool {
	if s == "" || strings.HasPrefix(s, "__") {
		return false
	}
	for i, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
