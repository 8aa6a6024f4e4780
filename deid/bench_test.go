package deid

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piiscan/piiscan/connectors"
)

// BenchmarkMaskDump masks a generated mysqldump with the default policy:
// detection, tokenisation of every ID/mobile/card, masking of names, and the
// verifying re-read. Memory per op stays flat (b.ReportAllocs; the dump is
// streamed, never loaded). MB/cpu-s is the input divided by the CPU time
// (user + system, every goroutine) the masking took: on a shared machine
// wall-clock MB/s swings with the other load, the CPU cost much less.
func BenchmarkMaskDump(b *testing.B) {
	in, size := benchDump(b, 32<<20)
	o := testOptions(&testing.T{})
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0, _, ok := cpuTime()
	for b.Loop() {
		if _, err := MaskFile(context.Background(), in, filepath.Join(filepath.Dir(in), "out.sql"), o); err != nil {
			b.Fatal(err)
		}
	}
	if cpu1, _, _ := cpuTime(); ok && cpu1 > cpu0 {
		b.ReportMetric(float64(size)*float64(b.N)/1e6/(cpu1-cpu0).Seconds(), "MB/cpu-s")
	}
}

// benchDump writes a mysqldump of at least size bytes to a temporary
// directory: customers with a name, an ID number, a mobile, a card and a
// note holding an order number, a date and a tracking number.
func benchDump(b *testing.B, size int) (path string, n int64) {
	var sb strings.Builder
	sb.WriteString("CREATE TABLE `customers` (\n  `id` int NOT NULL,\n  `name` varchar(50),\n  `id_no` varchar(18),\n  `phone` varchar(20),\n  `card` varchar(25),\n  `amount` decimal(10,2),\n  `note` text\n);\n")
	for i := 1; sb.Len() < size; i++ {
		if i%500 == 1 {
			if i > 1 {
				sb.WriteString(";\n")
			}
			sb.WriteString("INSERT INTO `customers` VALUES ")
		} else {
			sb.WriteString(",")
		}
		id := idCard(fmt.Sprintf("440304%04d%02d%02d%03d", 1950+i%50, 1+i%12, 1+i%28, i%1000))
		c := card(fmt.Sprintf("622202%012d", 100000000000+int64(i)*982451653%900000000000))
		fmt.Fprintf(&sb, "(%d,'王%s','%s','139%08d','%s',%d.%02d,'订单 %020d 已于 2026-11-%02d 发货，物流单号 SF%012d，客户备注：请放门口')",
			i, []string{"伟", "芳", "静"}[i%3], id, i*7919%100000000, c, i*13, i%100, int64(i)*1000003, 1+i%28, i)
	}
	sb.WriteString(";\n")
	path = filepath.Join(b.TempDir(), "dump.sql")
	if err := os.WriteFile(path, []byte(sb.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	return path, int64(sb.Len())
}

// BenchmarkVerifyDump is the verifier's share of BenchmarkMaskDump: the
// re-read that counts the records of a (here unmasked) 32 MiB dump.
func BenchmarkVerifyDump(b *testing.B) {
	in, size := benchDump(b, 32<<20)
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := countRecords(context.Background(), in, in, connectors.Options{}, connectors.FormatSQL); err != nil {
			b.Fatal(err)
		}
	}
}
