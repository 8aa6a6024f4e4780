package report

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// sampleLine is the text exposition format's sample line: name, optional
// labels with escaped values, a float.
var sampleLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*")(,[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*")*\})? (-?[0-9.eE+-]+|NaN|[+-]Inf)$`)

func TestWritePrometheus(t *testing.T) {
	r, a := loadSample(t)
	a.Apply(r)
	var b bytes.Buffer
	if err := WritePrometheus(&b, r, Label{"job", `crm "nightly"` + "\n"}); err != nil {
		t.Fatal(err)
	}
	typed := map[string]bool{}
	values := map[string]string{}
	for _, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		if strings.HasPrefix(line, "# TYPE ") {
			f := strings.Fields(line)
			typed[f[2]] = true
			continue
		}
		if strings.HasPrefix(line, "# HELP ") {
			continue
		}
		m := sampleLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("not a sample line: %q", line)
		}
		if !typed[m[1]] {
			t.Errorf("%s without # TYPE before it", m[1])
		}
		if !strings.Contains(line, `job="crm \"nightly\"\n"`) {
			t.Errorf("extra label missing or unescaped: %q", line)
		}
		values[strings.Replace(line[:strings.LastIndexByte(line, ' ')], `,job="crm \"nightly\"\n"`, "", 1)] = m[len(m)-1]
	}
	for k, want := range map[string]string{
		`piiscan_findings{type="cn_id_card",grade="sensitive"}`:  "2990",
		`piiscan_columns{grade="sensitive"}`:                     "2",
		`piiscan_columns{grade="none"}`:                          "3",
		`piiscan_rows_scanned{job="crm \"nightly\"\n"}`:          "94200",
		`piiscan_scan_duration_seconds{job="crm \"nightly\"\n"}`: "200.5",
		`piiscan_compliance_gaps{kind="plaintext"}`:              "2",
		`piiscan_compliance_gaps{kind="pi_in_non_pi"}`:           "1",
	} {
		if values[k] != want {
			t.Errorf("%s = %q, want %s", k, values[k], want)
		}
	}
	if err := WritePrometheus(&b, r, Label{"bad-name", "x"}); err == nil {
		t.Error("invalid label name accepted")
	}
	p := filepath.Join(t.TempDir(), "piiscan.prom")
	if err := WritePrometheusFile(p, r); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(p); !bytes.Contains(got, []byte("piiscan_rows_scanned 94200\n")) {
		t.Errorf("file: %s", got)
	}
}
