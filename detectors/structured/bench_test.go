package structured_test

import (
	"bytes"
	"testing"

	"github.com/piiscan/piiscan/corpus"

	"github.com/piiscan/piiscan/detectors/detectortest"
	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/detectors/structured"
)

// BenchmarkMixed is the whole detector over ~1 MB of Chinese prose with
// embedded IDs, phones, cards, order numbers, timestamps and prices.
func BenchmarkMixed(b *testing.B) {
	text := detectortest.MixedText(1<<20, 1)
	detectortest.Bench(b, structured.New(testNow), text, nil)
}

// BenchmarkPlainChinese has no candidates at all: the skip loop alone.
func BenchmarkPlainChinese(b *testing.B) {
	var text []byte
	for len(text) < 1<<20 {
		text = append(text, detectortest.Neutral...)
	}
	detectortest.Bench(b, structured.New(testNow), text, nil)
}

// BenchmarkNoFindingsAllocs checks the per-value path: a short value
// without findings must not allocate.
func BenchmarkShortValue(b *testing.B) {
	d := structured.New(testNow)
	for _, c := range []struct{ name, value string }{
		{"none", "订单号2024010113812345678901，金额12.50元"},
		{"id", "110105199001011232"},
		{"mobile", "联系电话：138-1234-5678"},
		{"card", "6222 0212 3456 7890 128"},
		{"email", "zhang.san@163.com"},
		{"ipv6", "2001:db8::1"},
		{"plate", "车牌京A12345"},
		// The columns of a typical customer table (connectors/postgres'
		// bench_people): every row costs one call per column.
		{"db-name", "用户123456"},
		{"db-phone", "13800123456"},
		{"db-email", "user123456@example.com"},
		{"db-address", "北京市朝阳区建国路456号院12号楼"},
		{"db-note", "e10adc3949ba59abbe56e057f20f883ec4ca4238a0b923820dcc509a6f75849b order 123456"},
	} {
		b.Run(c.name, func(b *testing.B) {
			detectortest.Bench(b, d, []byte(c.value), &pi.Field{})
		})
	}
}

func TestNoAllocs(t *testing.T) {
	d := structured.New(testNow)
	text := detectortest.MixedText(64<<10, 2)
	dst := make([]pi.Match, 0, 4096)
	dst = d.Find(text, nil, dst)
	if len(dst) == 0 {
		t.Fatal("mixed text has no findings")
	}
	if n := testing.AllocsPerRun(10, func() { dst = d.Find(text, nil, dst[:0]) }); n != 0 {
		t.Errorf("Find allocated %v times per run with a preallocated dst", n)
	}
	none := []byte("订单号2024010113812345678901，金额12.50元，版本13.81.234.5678")
	if n := testing.AllocsPerRun(100, func() { dst = d.Find(none, nil, dst[:0]) }); n != 0 {
		t.Errorf("Find allocated %v times on a value without findings", n)
	}
}

// byteLoop is the reference PERF.md quotes at ~2,500 MB/s: a loop touching
// every byte (counting digits). Run through detectortest.Bench like the
// detector, its MB/cpu-s in the same run turns BenchmarkMixed's figure into
// a ratio that a loaded, shared machine distorts less than absolute MB/s.
type byteLoop struct{ n *int }

func (byteLoop) Types() []pi.TypeID { return nil }

func (b byteLoop) Find(v []byte, _ *pi.Field, dst []pi.Match) []pi.Match {
	n := 0
	for _, c := range v {
		if c-'0' < 10 {
			n++
		}
	}
	*b.n += n
	return dst
}

func BenchmarkBaselineByteLoop(b *testing.B) {
	n := 0
	detectortest.Bench(b, byteLoop{&n}, detectortest.MixedText(1<<20, 1), nil)
}

// BenchmarkEngineCorpus runs the detector line by line over the text the
// engine benchmark scans (bench/: corpus.FormatMixed, number-dense prose,
// service logs and decoys), without the engine around it.
func BenchmarkEngineCorpus(b *testing.B) {
	var buf bytes.Buffer
	if _, _, err := corpus.Write(&buf, corpus.FormatMixed, corpus.Options{Seed: 1, Size: 4 << 20}, false); err != nil {
		b.Fatal(err)
	}
	lines := bytes.Split(buf.Bytes(), []byte("\n"))
	d := structured.New(testNow)
	dst := make([]pi.Match, 0, 64)
	f := &pi.Field{}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		for _, l := range lines {
			dst = d.Find(l, f, dst[:0])
		}
	}
}
