package postgres

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/piiscan/piiscan/connectors/dbscan"
	"github.com/piiscan/piiscan/detectors"
	"github.com/piiscan/piiscan/internal/cputime"
	"github.com/piiscan/piiscan/report"
	"github.com/piiscan/piiscan/scanner"
)

const benchRows = 1_000_000

// benchTable makes sure bench_people holds benchRows rows of about 220 bytes
// (PERF.md's shape), creating it on first use. An advisory lock keeps two
// benchmark processes from building it at once.
func benchTable(b *testing.B) {
	b.Helper()
	c := admin(b)
	ctx := context.Background()
	exec(b, c, "SELECT pg_advisory_lock(8675309)")
	defer c.Exec(ctx, "SELECT pg_advisory_unlock(8675309)")
	var n int64
	err := c.QueryRow(ctx, "SELECT count(*) FROM bench_people").Scan(&n)
	if err == nil && n == benchRows {
		return
	}
	b.Logf("creating bench_people (%d rows)", benchRows)
	exec(b, c, "DROP TABLE IF EXISTS bench_people")
	exec(b, c, `CREATE TABLE bench_people (id bigint PRIMARY KEY, name text, id_no varchar(18),
		phone bigint, email text, address text, note text)`)
	exec(b, c, "COMMENT ON COLUMN bench_people.id_no IS '身份证号'")
	exec(b, c, `INSERT INTO bench_people SELECT g,
		'用户' || g,
		lpad((110105 * 1000000000000 + 19900101000 * 10 + g % 1000)::text, 18, '0'),
		13800000000 + g,
		'user' || g || '@example.com',
		'北京市朝阳区建国路' || (g % 1000) || '号院' || (g % 30) || '号楼',
		md5(g::text) || md5((g * 7)::text) || ' order ' || g
		FROM generate_series(1, $1) g`, benchRows)
	exec(b, c, "VACUUM ANALYZE bench_people")
}

// peakHeap samples the heap in use while f runs.
func peakHeap(f func()) uint64 {
	done := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var m runtime.MemStats
		var p uint64
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&m)
			p = max(p, m.HeapInuse)
			select {
			case <-done:
				peak <- p
				return
			case <-t.C:
			}
		}
	}()
	f()
	close(done)
	return <-peak
}

// backendCPU is the CPU time the server processes pids have used so far,
// from /proc (10 ms ticks): 0 when the server is not on this machine. A
// remote server's pid may name some local process: only one whose command
// is postgres is counted.
func backendCPU(pids ...uint32) time.Duration {
	var d time.Duration
	for _, pid := range pids {
		comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
		if err != nil || strings.TrimSpace(string(comm)) != "postgres" {
			return 0
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return 0
		}
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) < 13 {
			return 0
		}
		u, err1 := strconv.ParseInt(f[11], 10, 64) // utime, after state (f[0])
		k, err2 := strconv.ParseInt(f[12], 10, 64) // stime
		if err1 != nil || err2 != nil {
			return 0
		}
		d += time.Duration(u+k) * 10 * time.Millisecond
	}
	return d
}

// backends are the server processes of the connections named app.
func backends(b *testing.B, app string) []uint32 {
	c := admin(b)
	rows, err := c.Query(context.Background(), "SELECT pid FROM pg_stat_activity WHERE application_name = $1", app)
	if err != nil {
		b.Fatal(err)
	}
	var pids []uint32
	for rows.Next() {
		var pid int32
		if err := rows.Scan(&pid); err != nil {
			b.Fatal(err)
		}
		pids = append(pids, uint32(pid))
	}
	if rows.Err() != nil {
		b.Fatal(rows.Err())
	}
	return pids
}

// bare reads every row of bench_people with pgx and discards it: the
// ceiling a Source can reach.
func bare(b *testing.B) (rows, bytes int64) {
	rows, bytes, _ = bareCPU(b)
	return rows, bytes
}

// bareCPU is bare, also returning the server's CPU time for the read.
func bareCPU(b *testing.B) (rows, bytes int64, server time.Duration) {
	ctx := context.Background()
	c, err := pgx.Connect(ctx, testDSN())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close(ctx)
	s0 := backendCPU(c.PgConn().PID())
	defer func() { server = backendCPU(c.PgConn().PID()) - s0 }()
	rs, err := c.Query(ctx, "SELECT * FROM bench_people")
	if err != nil {
		b.Fatal(err)
	}
	for rs.Next() {
		for _, v := range rs.RawValues() {
			bytes += int64(len(v))
		}
		rows++
	}
	if rs.Err() != nil {
		b.Fatal(rs.Err())
	}
	return rows, bytes, 0
}

// source reads every row of bench_people through Source, as the engine would.
func source(b *testing.B, parallel int) (rows, bytes int64) {
	s, err := Open(context.Background(), testDSN(), dbscan.Options{Include: []string{"public.bench_people"}, Parallel: parallel})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var rec scanner.Record
	for {
		rec = scanner.Record{Fields: rec.Fields[:0]}
		err := s.Next(&rec)
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		rows++
	}
	return rows, s.BytesRead()
}

// BenchmarkFullRead compares a --sample full read of a 1,000,000-row table
// through Source with a bare pgx loop over the same rows. Each iteration runs
// both, one after the other; the ratio is taken between the fastest run of
// each, which a busy shared machine disturbs least:
//
//	go test -run '^$' -bench FullRead -benchtime 5x ./connectors/postgres/
func BenchmarkFullRead(b *testing.B) {
	benchTable(b)
	var bareD, srcD time.Duration
	var heap uint64
	for b.Loop() {
		t0 := time.Now()
		n, _ := bare(b)
		if d := time.Since(t0); bareD == 0 || d < bareD {
			bareD = d
		}
		t0 = time.Now()
		var m, mb int64
		heap = max(heap, peakHeap(func() { m, mb = source(b, 1) }))
		if d := time.Since(t0); srcD == 0 || d < srcD {
			srcD = d
		}
		if n != benchRows || m != benchRows {
			b.Fatalf("bare read %d rows, source %d", n, m)
		}
		b.SetBytes(mb)
	}
	b.ReportMetric(benchRows/bareD.Seconds(), "bare-rows/s")
	b.ReportMetric(benchRows/srcD.Seconds(), "source-rows/s")
	b.ReportMetric(bareD.Seconds()/srcD.Seconds(), "ratio")
	b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MiB")
}

// BenchmarkFullScan is BenchmarkFullRead with the whole engine behind the
// Source (every detector, 2 workers): the rate a user sees from piiscan scan
// postgres://... --sample full. "report" is --format none (findings counted
// into the inventory, never built); "findings" builds every finding, with
// its masked sample, and discards it. client-cpu-ns/row is this process's
// CPU time per row during the scan (least of the runs), steadier than the
// ratio on a busy machine; server-cpu-ns/row and bare-server-cpu-ns/row the
// server's for the scan and the bare loop, where /proc shows it (a local
// server).
//
//	go test -run '^$' -bench FullScan -benchtime 3x ./connectors/postgres/
func BenchmarkFullScan(b *testing.B) {
	benchTable(b)
	set, err := detectors.NewSet(detectors.Options{})
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
			var bareD, scanD, scanCPU, bareSrv, scanSrv time.Duration
			var heap uint64
			for b.Loop() {
				t0 := time.Now()
				_, _, srv := bareCPU(b)
				if d := time.Since(t0); bareD == 0 || d < bareD {
					bareD = d
				}
				if bareSrv == 0 || srv < bareSrv {
					bareSrv = srv
				}
				const app = "piiscan-bench"
				t0, c0 := time.Now(), cputime.Process()
				s, err := Open(context.Background(), testDSN(), dbscan.Options{Include: []string{"public.bench_people"}, ApplicationName: app})
				if err != nil {
					b.Fatal(err)
				}
				var rep *report.Report
				heap = max(heap, peakHeap(func() { rep, err = eng.Run(context.Background(), s, c.sink) }))
				// The scan's connections are still open: the pool keeps them.
				srv = backendCPU(backends(b, app)...)
				s.Close()
				if err != nil {
					b.Fatal(err)
				}
				if d := time.Since(t0); scanD == 0 || d < scanD {
					scanD = d
				}
				if c := cputime.Process() - c0; scanCPU == 0 || c < scanCPU {
					scanCPU = c
				}
				if scanSrv == 0 || srv < scanSrv {
					scanSrv = srv
				}
				if rep.Throughput.Records != benchRows {
					b.Fatalf("scanned %d records", rep.Throughput.Records)
				}
				b.SetBytes(rep.Throughput.Bytes)
			}
			b.ReportMetric(benchRows/bareD.Seconds(), "bare-rows/s")
			b.ReportMetric(benchRows/scanD.Seconds(), "scan-rows/s")
			b.ReportMetric(bareD.Seconds()/scanD.Seconds(), "ratio")
			// The client's CPU per row, which the server's does not blur:
			// compare the client's work of builds by this, and the
			// statements' cost (readPhysicalByKey's scan without ctid, say)
			// by server-cpu-ns/row, which is no longer the same for every
			// build.
			b.ReportMetric(float64(scanCPU.Nanoseconds())/benchRows, "client-cpu-ns/row")
			if bareSrv > 0 && scanSrv > 0 {
				b.ReportMetric(float64(scanSrv.Nanoseconds())/benchRows, "server-cpu-ns/row")
				b.ReportMetric(float64(bareSrv.Nanoseconds())/benchRows, "bare-server-cpu-ns/row")
			}
			b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MiB")
		})
	}
}
