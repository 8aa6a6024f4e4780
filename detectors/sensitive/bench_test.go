package sensitive

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/piiscan/piiscan/corpus"
	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/internal/cputime"
)

// benchText is realistic mixed input: the labelled corpus and case values
// (medical records, HR rows, court text, news, key=value logs) plus ordinary
// Chinese prose without findings, repeated to ~1 MiB and scanned line by line
// as the engine does for text files.
func benchLines(b *testing.B, plainShare int) [][]byte {
	b.Helper()
	var vals []string
	for _, p := range []string{"testdata/corpus.txt", "testdata/cases.txt"} {
		_, vs, _ := loadCases(b, p)
		vals = append(vals, vs...)
	}
	prose, err := os.ReadFile("testdata/prose.txt")
	if err != nil {
		b.Fatal(err)
	}
	plain := strings.Split(strings.TrimSpace(string(prose)), "\n")
	var lines [][]byte
	size := 0
	for i := 0; size < 1<<20; i++ {
		var l string
		if i%(plainShare+1) == 0 {
			l = vals[(i/(plainShare+1))%len(vals)]
		} else {
			l = plain[i%len(plain)]
		}
		lines = append(lines, []byte(l))
		size += len(l)
	}
	return lines
}

func benchFind(b *testing.B, lines [][]byte) {
	d := New()
	f := &pi.Field{}
	n := 0
	for _, l := range lines {
		n += len(l)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	b.ResetTimer()
	var dst []pi.Match
	cpu0 := cputime.Process()
	for i := 0; i < b.N; i++ {
		for _, l := range lines {
			dst = d.Find(l, f, dst[:0])
		}
	}
	if cpu := cputime.Process() - cpu0; cpu > 0 {
		// Per CPU second of the process (run with -cpu=1): on a shared,
		// loaded machine this is closer to the single-core rate than MB/s.
		b.ReportMetric(float64(n)*float64(b.N)/1e6/cpu.Seconds(), "MB/cpu-s")
	}
}

// BenchmarkFindDense: every line carries sensitive findings.
func BenchmarkFindDense(b *testing.B) { benchFind(b, benchLines(b, 0)) }

// BenchmarkFindMixed: one line in five carries findings, the rest is prose.
func BenchmarkFindMixed(b *testing.B) { benchFind(b, benchLines(b, 4)) }

// BenchmarkFindASCII: ASCII logs (key=value, JSON), the credential/geo path.
func BenchmarkFindASCII(b *testing.B) {
	line := []byte(`2024-05-01T10:00:00Z INFO request id=8f2c1a path=/api/v1/orders?page=2&size=50 status=200 latency_ms=12.5 user_agent="Mozilla/5.0" {"order":{"id":1234567,"amount":99.50,"items":3}}`)
	benchFind(b, [][]byte{bytes.Repeat(append(line, '\n'), 4096)})
}

// corpusLines is the engine's benchmark input in miniature: lines of a
// corpus-generated mixed file (Chinese prose dense with PI, numbers and log
// lines), each handed to Find on its own as the engine does for text files.
func corpusLines(b *testing.B, size int64) [][]byte {
	b.Helper()
	var buf bytes.Buffer
	if _, _, err := corpus.Write(&buf, corpus.FormatMixed, corpus.Options{Seed: 1, Size: size}, false); err != nil {
		b.Fatal(err)
	}
	var lines [][]byte
	for _, l := range bytes.Split(buf.Bytes(), []byte("\n")) {
		if len(l) > 0 {
			lines = append(lines, l)
		}
	}
	return lines
}

// BenchmarkFindCorpusLines: 4 MB of the engine's mixed text, line by line.
func BenchmarkFindCorpusLines(b *testing.B) { benchFind(b, corpusLines(b, 4_000_000)) }

// shortValues are database fields of the kind a table scan hands over one
// at a time: the fixed cost of a Find call dominates here.
var shortValues = []struct{ column, value string }{
	{"username", "用户123"},
	{"id_no", "110105199001010123"},
	{"mobile", "13800000123"},
	{"email", "user123@example.com"},
	{"address", "北京市朝阳区建国路12号院3号楼"},
	{"note", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 order 123"},
	{"amount", "12.50"},
	{"created_at", "2024-05-01 10:00:00"},
	{"status", "已发货"},
	{"name", "张伟"},
}

// BenchmarkFindShortValues: one Find per field of short database values.
func BenchmarkFindShortValues(b *testing.B) {
	d := New()
	vals := make([][]byte, len(shortValues))
	fields := make([]*pi.Field, len(shortValues))
	n := 0
	for i, sv := range shortValues {
		vals[i] = []byte(sv.value)
		fields[i] = &pi.Field{Column: sv.column, Hints: d.Hint(sv.column, "")}
		n += len(sv.value)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	dst := make([]pi.Match, 0, 16)
	for b.Loop() {
		for i, v := range vals {
			dst = d.Find(v, fields[i], dst[:0])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(vals)), "ns/field")
}
