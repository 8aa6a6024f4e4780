package scanner_test

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/piiscan/piiscan/detectors"
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

// tableSource hands out rows of the shape of connectors/postgres's
// bench_people (a PI value in most columns of every row) without
// allocating: the engine's cost per field and per finding on a database
// table, without the database.
type tableSource struct {
	rows   [][]scanner.Field
	n, i   int
	fields []scanner.Field
}

func (s *tableSource) Next(r *scanner.Record) error {
	if s.i >= s.n {
		return io.EOF
	}
	row := s.rows[s.i%len(s.rows)]
	s.i++
	r.Source, r.Table, r.Number = "postgres://127.0.0.1:5432/test/public.bench_people", "public.bench_people", int64(s.i)
	r.Fields = append(r.Fields, row...)
	return nil
}

func (s *tableSource) Close() error { return nil }

func benchRows(n int) [][]scanner.Field {
	md5ish := func(g int) string {
		return fmt.Sprintf("%016x%016x", uint64(g)*0x9e3779b97f4a7c15, uint64(g)*0xc2b2ae3d27d4eb4f)
	}
	rows := make([][]scanner.Field, n)
	for i := range rows {
		g := i + 1
		vals := []struct{ name, comment, v string }{
			{"id", "", fmt.Sprint(g)},
			{"name", "", fmt.Sprintf("用户%d", g)},
			{"id_no", "身份证号", fmt.Sprintf("%018d", 110105*1000000000000+19900101000*10+g%1000)},
			{"phone", "", fmt.Sprint(13800000000 + g)},
			{"email", "", fmt.Sprintf("user%d@example.com", g)},
			{"address", "", fmt.Sprintf("北京市朝阳区建国路%d号院%d号楼", g%1000, g%30)},
			{"note", "", md5ish(g) + md5ish(g*7) + fmt.Sprintf(" order %d", g)},
		}
		for _, v := range vals {
			rows[i] = append(rows[i], scanner.Field{Name: v.name, Comment: v.comment, Value: []byte(v.v)})
		}
	}
	return rows
}

// BenchmarkEngineTable runs every detector over database-shaped rows, for
// the report alone and with findings built, so that the engine's share next
// to detection shows in a profile:
//
//	go test -run '^$' -bench EngineTable -cpuprofile cpu.out ./scanner/
func BenchmarkEngineTable(b *testing.B) {
	set, err := detectors.NewSet(detectors.Options{})
	if err != nil {
		b.Fatal(err)
	}
	rows := benchRows(20000)
	var size int64
	for _, r := range rows {
		for _, f := range r {
			size += int64(len(f.Value))
		}
	}
	const perOp = 100000
	for _, c := range []struct {
		name string
		sink scanner.Sink
	}{
		{"report", nil},
		{"findings", scanner.SinkFunc(func([]scanner.Finding) error { return nil })},
	} {
		b.Run(c.name, func(b *testing.B) {
			e, err := scanner.New(scanner.Config{Detectors: set})
			if err != nil {
				b.Fatal(err)
			}
			src := &tableSource{rows: rows, n: perOp}
			b.SetBytes(size * perOp / int64(len(rows)))
			b.ReportAllocs()
			for b.Loop() {
				src.i = 0
				if _, err := e.Run(context.Background(), src, c.sink); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(perOp)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
