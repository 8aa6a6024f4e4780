package bench

import (
	"context"
	"os"
	"testing"

	"github.com/piiscan/piiscan/corpus"
	"github.com/piiscan/piiscan/detectors/pi"
)

// benchInput is a generated file of mixed Chinese text with embedded
// numbers (free-text paragraphs, service log lines, decoy lines), the input
// issue 2's throughput target is stated for. Files are cached in bench/out.
func benchInput(b *testing.B, format corpus.Format, size int64) string {
	b.Helper()
	path, err := EnsureFile("out", format, 1, size)
	if err != nil {
		b.Fatal(err)
	}
	return path
}

func benchEngine(b *testing.B, path string, types []pi.TypeID, workers int) {
	b.Helper()
	eng, err := NewEngine(types, workers)
	if err != nil {
		b.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	var rec, byts int64
	var cpu float64
	for b.Loop() {
		r, err := ScanFile(context.Background(), eng, path)
		if err != nil {
			b.Fatal(err)
		}
		rec += r.Records
		byts += r.Bytes
		cpu += r.CPU.Seconds()
	}
	b.ReportMetric(float64(rec)/b.Elapsed().Seconds(), "records/s")
	if cpu > 0 {
		b.ReportMetric(float64(byts)/1e6/cpu, "MB/cpu-s")
	}
}

// BenchmarkEngine scans 16 MB of mixed text through connectors and the
// engine on one worker (MB/s is then per core) and on GOMAXPROCS workers,
// with structured detectors only and with every detector. Issue 3 wants
// all ≥ 60% of structured-only; compare the MB/s columns of one run:
//
//	go test ./bench -run '^$' -bench Engine -benchtime 5x
func BenchmarkEngine(b *testing.B) {
	path := benchInput(b, corpus.FormatMixed, 16_000_000)
	for _, c := range []struct {
		name    string
		types   []pi.TypeID
		workers int
	}{
		{"structured/1worker", Registered(StructuredTypes), 1},
		{"all/1worker", nil, 1},
		{"structured/allworkers", Registered(StructuredTypes), 0},
		{"all/allworkers", nil, 0},
	} {
		b.Run(c.name, func(b *testing.B) { benchEngine(b, path, c.types, c.workers) })
	}
}

// BenchmarkFormats scans each structured format with every detector on one
// worker, to see what the connectors' parsing costs relative to plain text.
func BenchmarkFormats(b *testing.B) {
	for _, f := range []corpus.Format{corpus.FormatDense, corpus.FormatText, corpus.FormatLog, corpus.FormatCSVZh, corpus.FormatJSONL, corpus.FormatSQL} {
		path := benchInput(b, f, 8_000_000)
		b.Run(string(f), func(b *testing.B) { benchEngine(b, path, nil, 1) })
	}
}
