package mysql

import (
	"context"
	"database/sql"
	"io"
	"testing"
	"time"

	"github.com/piiscan/piiscan/connectors/dbscan"
	"github.com/piiscan/piiscan/scanner"
)

const benchRows = 1_000_000

// benchTable makes sure bench_people holds benchRows rows of about 220
// bytes (PERF.md's shape), creating it on first use with MariaDB's sequence
// engine. A named lock keeps two benchmark processes from building it at once.
func benchTable(b *testing.B) {
	b.Helper()
	db := admin(b)
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	conn.ExecContext(ctx, "SELECT GET_LOCK('piiscan_bench_people', 600)")
	defer conn.ExecContext(ctx, "SELECT RELEASE_LOCK('piiscan_bench_people')")
	var n int64
	if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM bench_people").Scan(&n); err == nil && n == benchRows {
		return
	}
	b.Logf("creating bench_people (%d rows)", benchRows)
	for _, q := range []string{
		"DROP TABLE IF EXISTS bench_people",
		`CREATE TABLE bench_people (id BIGINT PRIMARY KEY, name VARCHAR(32), id_no VARCHAR(18) COMMENT '身份证号',
			phone BIGINT, email VARCHAR(64), address VARCHAR(128), note TEXT) DEFAULT CHARSET utf8mb4`,
		`INSERT INTO bench_people SELECT seq, CONCAT('用户', seq), LPAD(1101051990010100000 + seq % 1000, 18, '0'),
			13800000000 + seq, CONCAT('user', seq, '@example.com'),
			CONCAT('北京市朝阳区建国路', seq % 1000, '号院', seq % 30, '号楼'),
			CONCAT(MD5(seq), MD5(seq * 7), ' order ', seq) FROM seq_1_to_1000000`,
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
}

// bare reads every row with database/sql into sql.RawBytes and discards it.
func bare(b *testing.B, db *sql.DB) (rows int64) {
	rs, err := db.Query("SELECT * FROM bench_people")
	if err != nil {
		b.Fatal(err)
	}
	defer rs.Close()
	raw := make([]sql.RawBytes, 7)
	dest := make([]any, 7)
	for i := range raw {
		dest[i] = &raw[i]
	}
	for rs.Next() {
		if err := rs.Scan(dest...); err != nil {
			b.Fatal(err)
		}
		rows++
	}
	if rs.Err() != nil {
		b.Fatal(rs.Err())
	}
	return rows
}

// BenchmarkFullRead compares a --sample full read of a 1,000,000-row table
// through Source (keyset chunks in primary-key order) with a bare
// go-sql-driver loop over the same rows; the ratio is between the fastest run
// of each:
//
//	go test -run '^$' -bench FullRead -benchtime 3x ./connectors/mysql/
func BenchmarkFullRead(b *testing.B) {
	benchTable(b)
	db := admin(b)
	var bareD, srcD time.Duration
	for b.Loop() {
		t0 := time.Now()
		n := bare(b, db)
		if d := time.Since(t0); bareD == 0 || d < bareD {
			bareD = d
		}
		t0 = time.Now()
		s, err := Open(context.Background(), testDSN, dbscan.Options{Include: []string{"test.bench_people"}})
		if err != nil {
			b.Fatal(err)
		}
		var m int64
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
			m++
		}
		b.SetBytes(s.BytesRead())
		s.Close()
		if d := time.Since(t0); srcD == 0 || d < srcD {
			srcD = d
		}
		if n != benchRows || m != benchRows {
			b.Fatalf("bare read %d rows, source %d", n, m)
		}
	}
	b.ReportMetric(benchRows/bareD.Seconds(), "bare-rows/s")
	b.ReportMetric(benchRows/srcD.Seconds(), "source-rows/s")
	b.ReportMetric(bareD.Seconds()/srcD.Seconds(), "ratio")
}
