package textpi

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/piiscan/piiscan/corpus"
	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/internal/cputime"
)

// Templates for realistic mixed input: waybills, medical notes, chat lines,
// application logs with ASCII keys, and prose with no PI at all (most real
// text). %N is a name, %A an address, %D digits.
var benchTemplates = []string{
	"收件人：%N 电话：1%D 地址：%A",
	"患者%N，男，%D岁，因胸闷气短三天入院，既往高血压病史十年，否认药物过敏史。",
	"您好，%N女士，您的订单已发货，预计明天送达，如有疑问请拨打客服热线400%D。",
	"2024-05-01T12:00:00Z INFO order=%D user_id=%D status=shipped region=cn-east-1 latency_ms=%D",
	"用户%N反映APP无法登录，已转技术支持处理，工单号%D。",
	"会议纪要：本季度销售额同比增长百分之十二，华东区表现突出，下季度重点推进线上渠道建设。",
	"今天天气不错，我们去公园散步，顺便买了一些水果和蔬菜，晚上做了红烧肉。",
	"{\"ts\":1714550400,\"level\":\"info\",\"msg\":\"payment ok\",\"amount\":%D,\"currency\":\"CNY\"}",
	"请将发票寄到%A，联系人%N，谢谢。",
	"系统升级通知：为提升服务质量，平台将于本周六凌晨两点至六点进行维护，期间暂停服务。",
	"黄金价格持续上涨，高血压患者应注意饮食，常州和张家界的旅游人数创新高。",
	"GET /api/v1/users/%D HTTP/1.1 200 512 \"Mozilla/5.0 (X11; Linux x86_64)\"",
}

var (
	benchNames = []string{"张伟", "王芳", "李秀英", "刘洋", "陈静", "欧阳娜娜", "赵磊", "黄志强", "周杰", "吴敏", "司马南", "林晓燕"}
	benchAddrs = []string{
		"北京市朝阳区建国路88号SOHO现代城A座1203",
		"上海市徐汇区漕溪北路398号",
		"广东省广州市天河区天河路385号太古汇2座",
		"浙江省杭州市西湖区文三路478号华星时代广场",
		"四川省成都市武侯区人民南路四段9号",
		"朝阳区望京街道阜通东大街6号院3号楼2单元501",
	}
)

// benchLines builds about size bytes of lines from the templates, seeded.
func benchLines(size int) [][]byte {
	r := rand.New(rand.NewPCG(1, 2))
	var lines [][]byte
	total := 0
	for total < size {
		tpl := benchTemplates[r.IntN(len(benchTemplates))]
		var b bytes.Buffer
		for i := 0; i < len(tpl); i++ {
			if tpl[i] == '%' && i+1 < len(tpl) {
				switch tpl[i+1] {
				case 'N':
					b.WriteString(benchNames[r.IntN(len(benchNames))])
				case 'A':
					b.WriteString(benchAddrs[r.IntN(len(benchAddrs))])
				case 'D':
					fmt.Fprintf(&b, "%d", r.IntN(100000000))
				}
				i++
				continue
			}
			b.WriteByte(tpl[i])
		}
		lines = append(lines, b.Bytes())
		total += b.Len()
	}
	return lines
}

func BenchmarkFindMixed(b *testing.B) {
	d := New()
	lines := benchLines(1 << 20)
	n := 0
	for _, l := range lines {
		n += len(l)
	}
	benchFind(b, d, lines, nil, n)
}

// BenchmarkFindASCII is the common case of values with no ideograph at all.
func BenchmarkFindASCII(b *testing.B) {
	d := New()
	line := []byte(`2024-05-01T12:00:00Z INFO order=123456 user_id=998877 status=shipped region=cn-east-1 latency_ms=12 path=/api/v1/orders`)
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	var dst []pi.Match
	for b.Loop() {
		dst = d.Find(line, nil, dst[:0])
	}
}

// BenchmarkFindColumn scans short values of a name column.
func BenchmarkFindColumn(b *testing.B) {
	d := New()
	f := &pi.Field{Column: "姓名", Hints: d.Hint("姓名", "")}
	n := 0
	vals := make([][]byte, len(benchNames))
	for i, s := range benchNames {
		vals[i] = []byte(s)
		n += len(s)
	}
	benchFind(b, d, vals, f, n)
}

func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		New()
	}
}

// BenchmarkBaselineLoop touches every byte of the same input with a plain
// loop (PERF.md: ~2,500 MB/s on a quiet machine): shared machines are noisy,
// so quote FindMixed as a ratio to this, measured in the same run.
func BenchmarkBaselineLoop(b *testing.B) {
	lines := benchLines(1 << 20)
	n := 0
	for _, l := range lines {
		n += len(l)
	}
	b.SetBytes(int64(n))
	sum := 0
	for b.Loop() {
		for _, l := range lines {
			for _, c := range l {
				if c >= 0xE4 {
					sum++
				}
			}
		}
	}
	if sum == 0 {
		b.Fatal("no ideographs in the benchmark input")
	}
}

// reportCPU adds MB/cpu-s for n bytes per op since cpu0: on a shared
// machine CPU time varies less than wall time.
// benchFind runs Find over vals (n bytes in all, as b.SetBytes counts them)
// per iteration and reports MB per CPU-second beside the wall-clock MB/s.
func benchFind(b *testing.B, d *Detector, vals [][]byte, f *pi.Field, n int) {
	b.SetBytes(int64(n))
	b.ReportAllocs()
	var dst []pi.Match
	cpu0 := cputime.Process()
	for b.Loop() {
		for _, v := range vals {
			dst = d.Find(v, f, dst[:0])
		}
	}
	reportCPU(b, cpu0, n)
}

func reportCPU(b *testing.B, cpu0 time.Duration, n int) {
	if cpu := (cputime.Process() - cpu0).Seconds(); cpu > 0 {
		b.ReportMetric(float64(n)*float64(b.N)/1e6/cpu, "MB/cpu-s")
	}
}

// corpusLines returns the lines of about size bytes of the generator's mixed
// text, the input of the engine's benchmark (bench.BenchmarkEngine): mostly
// prose with numbers, dense with names, addresses and log lines.
func corpusLines(tb testing.TB, size int64) [][]byte {
	tb.Helper()
	var buf bytes.Buffer
	if _, _, err := corpus.Write(&buf, corpus.FormatMixed, corpus.Options{Seed: 1, Size: size}, false); err != nil {
		tb.Fatal(err)
	}
	return bytes.Split(bytes.TrimSuffix(buf.Bytes(), []byte("\n")), []byte("\n"))
}

// BenchmarkFindCorpus calls Find per line of the engine's mixed text, as the
// engine does for a plain-text file (a field with no column).
func BenchmarkFindCorpus(b *testing.B) {
	d := New()
	lines := corpusLines(b, 4<<20)
	n := 0
	for _, l := range lines {
		n += len(l) + 1
	}
	f := &pi.Field{}
	benchFind(b, d, lines, f, n)
}

// BenchmarkFindShortValues calls Find on short database cells of columns
// with no hint, where the per-call setup counts as much as the scan.
func BenchmarkFindShortValues(b *testing.B) {
	d := New()
	f := &pi.Field{Column: "c"}
	vals := [][]byte{}
	n := 0
	for _, s := range []string{"用户123", "北京市朝阳区建国路12号院3号楼", "张伟", "已完成", "正常", "男", "汉族",
		"13800138000", "2024-05-01", "上海", "备注：无", "客服部", "王芳女士", "收货地址待确认", "订单已发货，请注意查收", "ok"} {
		vals = append(vals, []byte(s))
		n += len(s)
	}
	benchFind(b, d, vals, f, n)
}

// peopleValues returns the values of n rows of bench_people
// (connectors/dbscan/bench_test.go builds the same table) that reach textpi
// in a database scan, column by column: name (用户N), address and note (64
// hex digits and an order number, too long for detectors.Column's class
// gate). id, id_no, phone and email are short ASCII values the gate keeps
// from textpi.
func peopleValues(n int) (cols [3][][]byte) {
	for i := range n {
		g := i + 1
		h1 := md5.Sum([]byte(strconv.Itoa(g)))
		h2 := md5.Sum([]byte(strconv.Itoa(g * 7)))
		cols[0] = append(cols[0], []byte("用户"+strconv.Itoa(g)))
		cols[1] = append(cols[1], []byte("北京市朝阳区建国路"+strconv.Itoa(g%1000)+"号院"+strconv.Itoa(g%30)+"号楼"))
		cols[2] = append(cols[2], []byte(hex.EncodeToString(h1[:])+hex.EncodeToString(h2[:])+" order "+strconv.Itoa(g)))
	}
	return cols
}

// peopleFields are the Fields of peopleValues' columns, hinted as
// Set.Field hints them.
func peopleFields(d *Detector) [3]*pi.Field {
	var fs [3]*pi.Field
	for i, c := range []string{"name", "address", "note"} {
		fs[i] = &pi.Field{Table: "bench_people", Column: c, Hints: d.Hint(c, "")}
	}
	return fs
}

// BenchmarkFindPeople is textpi's share of a database table scan
// (connectors/dbscan BenchmarkReaderScan): the name, address and note of
// each row, in their columns. Per-call setup and per-value work count here
// as much as the scan of the text. For instruction counts:
//
//	go test -c -o /tmp/textpi.test ./detectors/textpi/
//	valgrind --tool=callgrind /tmp/textpi.test -test.run '^$' -test.bench FindPeople -test.benchtime 1x
func BenchmarkFindPeople(b *testing.B) {
	d := New()
	cols := peopleValues(50_000)
	fs := peopleFields(d)
	n := 0
	for _, col := range cols {
		for _, v := range col {
			n += len(v)
		}
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	var dst []pi.Match
	cpu0 := cputime.Process()
	for b.Loop() {
		for r := range cols[0] {
			for c, col := range cols {
				dst = d.Find(col[r], fs[c], dst[:0])
			}
		}
	}
	reportCPU(b, cpu0, n)
}
