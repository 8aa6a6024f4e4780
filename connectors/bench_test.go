package connectors

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/piiscan/piiscan/internal/cputime"
	"github.com/piiscan/piiscan/scanner"
)

// benchRows makes n realistic rows: Chinese text, numbers, phones, IDs,
// e-mails, addresses (not random bytes).
func benchRows(n int, row func(w io.Writer, i int, r *rand.Rand)) []byte {
	var b bytes.Buffer
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < n; i++ {
		row(&b, i, r)
	}
	return b.Bytes()
}

var surnames = []string{"张", "王", "李", "赵", "刘", "陈", "杨", "黄"}

func logLine(w io.Writer, i int, r *rand.Rand) {
	fmt.Fprintf(w, "2024-05-01 10:%02d:%02d INFO [trace=%016x] 用户%s%d 登录成功 手机=1%d%09d ip=10.%d.%d.%d 地址=北京市朝阳区望京街道%d号 订单号%d\n",
		i/60%60, i%60, r.Uint64(), surnames[i%len(surnames)], i, 3+r.IntN(7), r.IntN(1e9), r.IntN(256), r.IntN(256), r.IntN(256), r.IntN(500), 1e11+r.IntN(1e11))
}

func csvLine(w io.Writer, i int, r *rand.Rand) {
	if i == 0 {
		io.WriteString(w, "id,name,phone,id_no,email,address,note\n")
	}
	fmt.Fprintf(w, "%d,%s%d,1%d%09d,11010519%02d%02d%02d%03d%d,user%d@example.com,\"上海市浦东新区世纪大道%d号, %d室\",\"备注 \"\"VIP\"\" %d\"\n",
		i, surnames[i%len(surnames)], i, 3+r.IntN(7), r.IntN(1e9), 60+r.IntN(40), 1+r.IntN(12), 1+r.IntN(28), r.IntN(1000), r.IntN(10), i, r.IntN(999), r.IntN(3000), i)
}

func jsonLine(w io.Writer, i int, r *rand.Rand) {
	fmt.Fprintf(w, `{"ts":"2024-05-01T10:00:%02dZ","level":"info","user":{"id":%d,"name":"%s%d","phones":["1%d%09d"],"email":"u%d@example.com"},"msg":"登录成功 \u6765\u81ea APP","ip":"10.%d.%d.%d","amount":%d.%02d}`+"\n",
		i%60, i, surnames[i%len(surnames)], i, 3+r.IntN(7), r.IntN(1e9), i, r.IntN(256), r.IntN(256), r.IntN(256), r.IntN(1e5), r.IntN(100))
}

// sqlDump makes a mysqldump-like file: extended INSERTs of ~100 tuples a line.
func sqlDump(rows int) []byte {
	var b bytes.Buffer
	b.WriteString("-- MySQL dump 10.13\n/*!40101 SET NAMES utf8mb4 */;\nCREATE TABLE `customers` (\n  `id` int NOT NULL,\n  `name` varchar(64) COMMENT '姓名',\n  `phone` varchar(20) COMMENT '手机',\n  `id_no` char(18),\n  `email` varchar(100),\n  `note` text,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB;\n")
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < rows; i++ {
		if i%100 == 0 {
			if i > 0 {
				b.WriteString(";\n")
			}
			b.WriteString("INSERT INTO `customers` VALUES ")
		} else {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "(%d,'%s%d','1%d%09d','110105199%d%02d%02d%03d%d','user%d@example.com','地址：北京市海淀区中关村大街%d号 it\\'s \\\"ok\\\"',%d.%02d)",
			i, surnames[i%len(surnames)], i, 3+r.IntN(7), r.IntN(1e9), r.IntN(10), 1+r.IntN(12), 1+r.IntN(28), r.IntN(1000), r.IntN(10), i, r.IntN(999), r.IntN(1e4), r.IntN(100))
	}
	b.WriteString(";\n")
	return b.Bytes()
}

// drain reads a source to the end, failing on errors.
func drain(b *testing.B, src scanner.Source) int {
	var rec scanner.Record
	n := 0
	for {
		rec = scanner.Record{Fields: rec.Fields[:0]}
		err := src.Next(&rec)
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
	src.Close()
	return n
}

type cpuMeter struct {
	b     *testing.B
	start time.Duration
	bytes int64
}

func startCPU(b *testing.B, bytes int64) *cpuMeter {
	b.SetBytes(bytes)
	b.ReportAllocs()
	return &cpuMeter{b, cputime.Process(), bytes}
}

func (m *cpuMeter) stop() {
	used := cputime.Process() - m.start
	m.b.ReportMetric(float64(m.bytes)*float64(m.b.N)/used.Seconds()/1e6, "cpuMB/s")
}

func benchSource(b *testing.B, data []byte, opts Options) {
	var recs int
	m := startCPU(b, int64(len(data)))
	defer m.stop()
	for b.Loop() {
		opts.Stdin = bytes.NewReader(data)
		src, err := Open([]string{"-"}, opts)
		if err != nil {
			b.Fatal(err)
		}
		recs = drain(b, src)
	}
	b.ReportMetric(float64(recs)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

const benchRowsN = 100000

func BenchmarkText(b *testing.B) {
	benchSource(b, benchRows(benchRowsN, logLine), Options{Format: FormatText})
}

func BenchmarkCSV(b *testing.B) {
	benchSource(b, benchRows(benchRowsN, csvLine), Options{Format: FormatCSV})
}

func BenchmarkJSONL(b *testing.B) {
	benchSource(b, benchRows(benchRowsN, jsonLine), Options{Format: FormatJSONL})
}

func BenchmarkSQL(b *testing.B) {
	benchSource(b, sqlDump(benchRowsN), Options{Format: FormatSQL})
}

func BenchmarkGB18030CSV(b *testing.B) {
	utf := benchRows(benchRowsN/4, csvLine)
	gb, err := gbEncode(utf)
	if err != nil {
		b.Fatal(err)
	}
	benchSource(b, gb, Options{Format: FormatCSV})
}

// compressed files are read from disk, as in use; MB/s count decompressed bytes
func benchFile(b *testing.B, name string, plain, packed []byte, opts Options) {
	p := filepath.Join(b.TempDir(), name)
	if err := os.WriteFile(p, packed, 0o644); err != nil {
		b.Fatal(err)
	}
	m := startCPU(b, int64(len(plain)))
	defer m.stop()
	for b.Loop() {
		src, err := Open([]string{p}, opts)
		if err != nil {
			b.Fatal(err)
		}
		drain(b, src)
	}
}

func BenchmarkGzipText(b *testing.B) {
	plain := benchRows(benchRowsN, logLine)
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	w.Write(plain)
	w.Close()
	b.Run("decode-only", func(b *testing.B) {
		m := startCPU(b, int64(len(plain)))
		defer m.stop()
		for b.Loop() {
			r, _ := gzip.NewReader(bytes.NewReader(z.Bytes()))
			io.Copy(io.Discard, r)
		}
	})
	b.Run("source", func(b *testing.B) { benchFile(b, "app.log.gz", plain, z.Bytes(), Options{}) })
	b.Run("source-sync", func(b *testing.B) { benchFile(b, "app.log.gz", plain, z.Bytes(), Options{syncDecompress: true}) })
}

func BenchmarkZstdText(b *testing.B) {
	plain := benchRows(benchRowsN, logLine)
	enc, _ := zstd.NewWriter(nil)
	packed := enc.EncodeAll(plain, nil)
	b.Run("decode-only", func(b *testing.B) {
		m := startCPU(b, int64(len(plain)))
		defer m.stop()
		d, _ := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1))
		defer d.Close()
		for b.Loop() {
			d.Reset(bytes.NewReader(packed))
			io.Copy(io.Discard, d)
		}
	})
	b.Run("source", func(b *testing.B) { benchFile(b, "app.log.zst", plain, packed, Options{}) })
	b.Run("source-sync", func(b *testing.B) { benchFile(b, "app.log.zst", plain, packed, Options{syncDecompress: true}) })
}
