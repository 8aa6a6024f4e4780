package sqldump

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/piiscan/piiscan/internal/cputime"
)

// cpuMBs reports MB per CPU-second of this process: the machine is shared,
// so wall-clock MB/s alone says little.
func cpuMBs(b *testing.B, bytes int) func() {
	b.SetBytes(int64(bytes))
	b.ReportAllocs()
	start := cputime.Process()
	return func() {
		b.ReportMetric(float64(bytes)*float64(b.N)/(cputime.Process()-start).Seconds()/1e6, "cpuMB/s")
	}
}

func benchDump(rows int) []byte {
	var b bytes.Buffer
	b.WriteString("CREATE TABLE `customers` (`id` int, `name` varchar(64) COMMENT '姓名', `phone` varchar(20), `id_no` char(18), `email` varchar(100), `note` text, `amount` decimal(10,2));\n")
	for i := 0; i < rows; i++ {
		if i%100 == 0 {
			if i > 0 {
				b.WriteString(";\n")
			}
			b.WriteString("INSERT INTO `customers` VALUES ")
		} else {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "(%d,'张三%d','138%08d','11010519900307%04d','user%d@example.com','地址：北京市海淀区中关村大街%d号 it\\'s \\\"ok\\\"',%d.%02d)",
			i, i, i, i%10000, i, i%999, i%10000, i%100)
	}
	b.WriteString(";\n")
	return b.Bytes()
}

// BenchmarkScanner is the tuple tokenizer alone (PERF.md: ~1,600 MB/s for a
// hand tokenizer of the same shape).
func BenchmarkScanner(b *testing.B) {
	in := benchDump(50000)
	defer cpuMBs(b, len(in))()
	var it Item
	for b.Loop() {
		s := NewScanner(false)
		p := in
		for len(p) > 0 {
			n, err := s.Next(p, true, &it)
			if err != nil {
				b.Fatal(err)
			}
			p = p[n:]
		}
	}
}

// BenchmarkDecode unescapes the strings of every tuple as a reader does.
func BenchmarkDecode(b *testing.B) {
	in := benchDump(50000)
	defer cpuMBs(b, len(in))()
	var it Item
	var dst []byte
	for b.Loop() {
		s := NewScanner(false)
		p := in
		for len(p) > 0 {
			n, err := s.Next(p, true, &it)
			if err != nil {
				b.Fatal(err)
			}
			for _, v := range it.Values {
				if v.Kind == String && v.Escaped {
					dst = Unescape(dst[:0], v.Content(it.Raw), v.Quote)
				}
			}
			p = p[n:]
		}
	}
}
