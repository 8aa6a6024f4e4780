package dbscan_test

import (
	"context"
	"crypto/md5"
	"encoding/binary"
	"encoding/hex"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/piiscan/piiscan/connectors/dbscan"
	"github.com/piiscan/piiscan/detectors"
	"github.com/piiscan/piiscan/scanner"
)

// memRows is bench_people (connectors/postgres/bench_test.go) built in
// memory, value for value: id, name, id_no, phone, email, address, note.
// The values share one arena, so the garbage collector has next to nothing
// to mark in them during the scan, each after a 4-byte length as in the
// DataRow messages pgx decodes.
type memRows struct {
	arena []byte
	ends  []int // memCols per row: the end of each value in arena
}

const memCols = 7

func newMemRows(n int) *memRows {
	m := &memRows{ends: make([]int, 0, n*memCols)}
	for i := range n {
		g := int64(i + 1)
		s := strconv.FormatInt
		idNo := s(110105*1_000_000_000_000+19900101000*10+g%1000, 10)
		for len(idNo) < 18 {
			idNo = "0" + idNo
		}
		h1 := md5.Sum([]byte(s(g, 10)))
		h2 := md5.Sum([]byte(s(g*7, 10)))
		for _, v := range []string{
			s(g, 10),
			"用户" + s(g, 10),
			idNo,
			s(13800000000+g, 10),
			"user" + s(g, 10) + "@example.com",
			"北京市朝阳区建国路" + s(g%1000, 10) + "号院" + s(g%30, 10) + "号楼",
			hex.EncodeToString(h1[:]) + hex.EncodeToString(h2[:]) + " order " + s(g, 10),
		} {
			m.arena = binary.BigEndian.AppendUint32(m.arena, uint32(len(v)))
			m.arena = append(m.arena, v...)
			m.ends = append(m.ends, len(m.arena))
		}
	}
	return m
}

// memDialect serves rows from memory as one keyless table: the Reader's
// and the engine's share of a database scan, without a server.
type memDialect struct{ rows *memRows }

type memSession struct{ rows *memRows }

func (d *memDialect) Session(context.Context) (dbscan.Session, error) {
	return &memSession{d.rows}, nil
}
func (d *memDialect) Retryable(error) bool { return false }
func (d *memDialect) Select(*dbscan.Table, *dbscan.Read) (string, []any) {
	return "SELECT *", nil
}
func (d *memDialect) Extent(*dbscan.Table, string) string { return "" }
func (d *memDialect) PlanSample(context.Context, dbscan.Session, *dbscan.Table, dbscan.Sample, *dbscan.Plan, *rand.Rand) error {
	return nil
}
func (d *memDialect) Close() error { return nil }

func (s *memSession) Rows(_ context.Context, _ string, _ []any, row func([][]byte) error) error {
	m := s.rows
	vals := make([][]byte, memCols) // one row's values, as a driver lends them
	start := 0
	for i := 0; i < len(m.ends); i += memCols {
		for j := range vals {
			vals[j] = m.arena[start+4 : m.ends[i+j]]
			start = m.ends[i+j]
		}
		if err := row(vals); err != nil {
			return err
		}
	}
	return nil
}
func (s *memSession) Close() {}

// OneBufferRows implements dbscan.RowBuffer, as the PostgreSQL session does.
func (s *memSession) OneBufferRows() {}

func memTable() dbscan.Table {
	t := dbscan.Table{Schema: "public", Name: "bench_people", Label: "public.bench_people",
		Source: "postgres://127.0.0.1:5432/test/public.bench_people", Rows: -1, Pages: -1}
	for _, c := range []struct{ name, typ, comment string }{
		{"id", "bigint", ""}, {"name", "text", ""}, {"id_no", "character varying(18)", "身份证号"},
		{"phone", "bigint", ""}, {"email", "text", ""}, {"address", "text", ""}, {"note", "text", ""},
	} {
		t.Columns = append(t.Columns, dbscan.Column{Name: c.name, Type: c.typ, Comment: c.comment})
	}
	return t
}

// BenchmarkReaderScan is the client's work in BenchmarkFullScan
// (connectors/postgres) without the server and the driver: bench_people's
// rows, from memory, through Reader and the whole engine (every detector,
// 2 workers). Its instruction count is steady on a busy machine:
//
//	go test -run '^$' -bench ReaderScan -benchtime 1x ./connectors/dbscan/
//	valgrind --tool=callgrind ./dbscan.test -test.run '^$' -test.bench ReaderScan/report -test.benchtime 1x
func BenchmarkReaderScan(b *testing.B) {
	const n = 200_000
	rows := newMemRows(n)
	size := int64(len(rows.arena) - 4*len(rows.ends))
	set, err := detectors.NewSet(detectors.Options{Now: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		b.Fatal(err)
	}
	eng, err := scanner.New(scanner.Config{Detectors: set})
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		sink scanner.Sink
	}{
		{"report", nil},
		{"findings", scanner.SinkFunc(func([]scanner.Finding) error { return nil })},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				cat := dbscan.Catalogue{Source: "postgres://127.0.0.1:5432/test", Tables: []dbscan.Table{memTable()}}
				r, err := dbscan.NewReader(context.Background(), &memDialect{rows}, cat, dbscan.Options{Seed: 1}, "")
				if err != nil {
					b.Fatal(err)
				}
				rep, err := eng.Run(context.Background(), r, c.sink)
				r.Close()
				if err != nil {
					b.Fatal(err)
				}
				if rep.Throughput.Records != n {
					b.Fatalf("scanned %d records", rep.Throughput.Records)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/row")
		})
	}
}
