package scanner_test

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/scanner"
)

// loopSource hands out the same lines over and over, without allocating, so
// the benchmark measures the engine (batching, copying, ordering) and not
// the source.
type loopSource struct {
	lines [][]byte
	n, i  int
	field [1]scanner.Field
}

func (s *loopSource) Next(r *scanner.Record) error {
	if s.i >= s.n {
		return io.EOF
	}
	s.field[0] = scanner.Field{Value: s.lines[s.i%len(s.lines)], Offset: int64(s.i) * 200}
	s.i++
	r.Source, r.Number, r.Fields = "bench.log", int64(s.i), s.field[:]
	return nil
}

func (s *loopSource) Close() error { return nil }

// BenchmarkEngineOverhead runs the pipeline with a detector that reads every
// byte and rarely matches: what the engine costs on top of detection.
func BenchmarkEngineOverhead(b *testing.B) {
	var lines [][]byte
	var size int64
	for i := range 1000 {
		l := fmt.Appendf(nil, "2026-11-24 10:%02d:%02d INFO 用户 下单成功 订单号 20261124%08d 金额 %d.50 元 trace=%x K:%d", i%60, i%60, i, i, i*7919, i)
		lines = append(lines, l)
		size += int64(len(l))
	}
	const perOp = 100000
	b.SetBytes(size * perOp / int64(len(lines)))
	b.ReportAllocs()
	e := newEngine(&testing.T{}, scanner.Config{}, tagDetector{typ: "tag", grade: pi.GradeOrdinary})
	src := &loopSource{lines: lines, n: perOp}
	sink := scanner.SinkFunc(func([]scanner.Finding) error { return nil })
	b.ResetTimer()
	for b.Loop() {
		src.i = 0
		if _, err := e.Run(context.Background(), src, sink); err != nil {
			b.Fatal(err)
		}
	}
}
