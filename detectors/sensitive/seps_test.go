package sensitive

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/piiscan/piiscan/corpus"
	"github.com/piiscan/piiscan/detectors/pi"
)

// sepsInputs: every length from 32 to 200 bytes of Chinese, ASCII and
// mixed text, with each separator at every position, and all three.
func sepsInputs() [][]byte {
	var in [][]byte
	for _, fill := range []string{"中文的字符", "abc 123", "数据2024年a", "\xff\x80"} {
		for n := 32; n <= 200; n++ {
			base := []byte(strings.Repeat(fill, n)[:n])
			in = append(in, base)
			for pos := 0; pos < n; pos++ {
				for _, c := range []byte("=:.") {
					v := append([]byte(nil), base...)
					v[pos] = c
					in = append(in, v)
				}
			}
			v := append([]byte(nil), base...)
			v[0], v[n/2], v[n-1] = '=', ':', '.'
			in = append(in, v)
		}
	}
	return in
}

// TestSepsVector compares sepsOf with bytes.IndexByte, and the vector
// separator test of this CPU (if any) with the same searches, its dot bit
// with a dot that geoDot accepts: on the inputs of sepsInputs and on
// decimals (1 to 5 digits before the dot, 3 to 5 after, signs, other
// dots) at every position of backgrounds of every length from 32 to 140,
// whose digits before or after them run on or stop.
func TestSepsVector(t *testing.T) {
	if sepsVector == nil {
		t.Log("no vector separator test on this CPU or build: sepsOf tested alone")
	}
	in := sepsInputs()
	for _, fill := range []string{"中文的字符", "abc 123", "数据2024年a", "0123456789"} {
		for n := 32; n <= 140; n++ {
			base := strings.Repeat(fill, n)[:n]
			for _, num := range []string{"1.2345", "39.9042", "116.4074", "1234.5678", "12345.6789", "1.234", "12.34567", ".1234", "7.", "-3.14159", "1.2.3456", "9.9999x"} {
				for pos := 0; pos+len(num) <= n; pos++ {
					in = append(in, []byte(base[:pos]+num+base[pos+len(num):]))
				}
			}
		}
	}
	geoDots := 0
	for _, v := range in {
		var want sepSet
		for b, bit := range map[byte]sepSet{'=': sepEq, ':': sepColon, '.': sepDot} {
			if bytes.IndexByte(v, b) >= 0 {
				want |= bit
			}
		}
		if got := sepsOf(v); got != want {
			t.Fatalf("sepsOf(%q) = %b, want %b", v, got, want)
		}
		if sepsVector == nil {
			continue
		}
		want &^= sepDot
		for i, b := range v {
			if b == '.' && geoDot(v, i) {
				want |= sepDot
				geoDots++
				break
			}
		}
		if got := sepsVector(v); got != want {
			t.Fatalf("sepsVector(%q) = %b, want %b", v, got, want)
		}
	}
	if sepsVector != nil && geoDots < 10000 {
		t.Fatalf("only %d values with a dot geoDot accepts", geoDots)
	}
}

// BenchmarkSeps: the separators of a 148-byte line of the engine's mixed
// text (its average length), by the vector test, sepsOf and the three
// searches the passes would do.
func BenchmarkSeps(b *testing.B) {
	line := []byte("本季度营业收入同比增长12829.51800%，净利润26675万元，环比下降46042个百分点。会议纪要：第72637次项目例会讨论了接口改造方案")
	for _, k := range []struct {
		name string
		f    func([]byte) sepSet
	}{
		{"vector", sepsVector},
		{"sepsOf", sepsOf},
		{"IndexByte", func(v []byte) sepSet {
			var s sepSet
			if bytes.IndexByte(v, '=') >= 0 {
				s |= sepEq
			}
			if bytes.IndexByte(v, ':') >= 0 {
				s |= sepColon
			}
			if bytes.IndexByte(v, '.') >= 0 {
				s |= sepDot
			}
			return s
		}},
	} {
		if k.f == nil {
			continue
		}
		b.Run(k.name, func(b *testing.B) {
			b.SetBytes(int64(len(line)))
			for b.Loop() {
				k.f(line)
			}
		})
	}
}

// TestLongSepsEqualSearches is a differential test of longSeps: on the
// labelled corpus, the cases and 2 MB of generated mixed text (dense with
// key=value pairs, times, URLs and decimals), Find with the vector
// separator test reports exactly what it reports when every separator bit
// is set and the passes search.
func TestLongSepsEqualSearches(t *testing.T) {
	if sepsVector == nil {
		t.Skip("no vector separator test on this CPU or build: longSeps sets every bit")
	}
	var lines [][]byte
	for _, p := range []string{"testdata/corpus.txt", "testdata/cases.txt"} {
		_, vals, _ := loadCases(t, p)
		for _, v := range vals {
			lines = append(lines, []byte(v))
		}
	}
	// Long values with a secret after ':' only (the corpora above have
	// those in short values), and coordinates.
	for _, l := range []string{
		"2024-05-01 10:00:00 INFO connected to db host 10.0.0.1 with password: S3cr3tPass! after 3 retries",
		`{"user":"admin","password":"hunter2hunter2","note":"rotated yesterday by the on-call engineer"}`,
		"GET /api/v1/orders HTTP/1.1 Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc123 user-agent curl/8",
		"门店位置：北纬39.9042°，东经116.4074°，营业时间9:00至21:00，联系电话0431-6687837，欢迎光临",
	} {
		lines = append(lines, []byte(l))
	}
	for _, format := range []corpus.Format{corpus.FormatMixed, corpus.FormatDense} {
		var buf bytes.Buffer
		if _, _, err := corpus.Write(&buf, format, corpus.Options{Seed: 3, Size: 1_000_000}, false); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, bytes.Split(buf.Bytes(), []byte("\n"))...)
	}
	d := New()
	f := &pi.Field{}
	got := make([]string, len(lines))
	long := 0
	for i, l := range lines {
		got[i] = fmt.Sprint(d.Find(l, f, nil))
		if len(l) > sepsMax {
			long++
		}
	}
	vector := sepsVector
	sepsVector = nil
	defer func() { sepsVector = vector }()
	for i, l := range lines {
		if want := fmt.Sprint(d.Find(l, f, nil)); got[i] != want {
			t.Fatalf("%q: %s with the vector test, %s with the searches", l, got[i], want)
		}
	}
	if long < 1000 {
		t.Fatalf("only %d values over sepsMax", long)
	}
}

// slowCellBits is cellBits a byte at a time, from the definitions, over
// v zero-padded to whole 32-byte blocks (one at least).
func slowCellBits(v []byte) cellBits {
	var m cellBits
	buf := make([]byte, 32*max((len(v)+31)/32, 1))
	copy(buf, v)
	for i, b := range buf {
		bit := func(set bool, w *[2]uint64) {
			if set {
				w[i/64] |= 1 << (i % 64)
			}
		}
		bit(b >= 0x80, &m.high)
		bit(b&0xF0 == 0xE0, &m.lead)
		bit(b&0xC0 == 0x80, &m.cont)
		bit(isAlnum(b), &m.alnum)
		bit(isDigit(b), &m.digit)
		bit(b == '.', &m.dot)
		bit(b == '=', &m.eq)
		bit(b == ':', &m.colon)
	}
	return m
}

// TestCellMasks compares cellMasksGo and, on a CPU with AVX2,
// cellMasksAVX2 with slowCellBits, and their copies of the value with
// the value: every length up to shortMax, every byte value at every
// position, over backgrounds of text, with other bytes after the value in
// its array (which must not be copied), and random values.
func TestCellMasks(t *testing.T) {
	if !haveCellAVX2 {
		t.Log("no vector kernel on this CPU or build: cellMasksGo tested alone")
	}
	check := func(v []byte) {
		t.Helper()
		want := slowCellBits(v)
		var wantBuf [128]byte
		copy(wantBuf[:], v)
		for _, k := range []struct {
			name string
			f    func([]byte, *[128]byte, *cellBits)
			on   bool
		}{{"cellMasksGo", cellMasksGo, true}, {"cellMasksAVX2", cellMasksAVX2, haveCellAVX2}} {
			if !k.on {
				continue
			}
			var buf [128]byte
			var m cellBits
			k.f(v, &buf, &m)
			if m != want || buf != wantBuf {
				t.Fatalf("%s(% x): %x, buf % x; want %x", k.name, v, m, buf[:len(v)+1], want)
			}
		}
	}
	for _, fill := range []string{"", "中文的字符", "abc 123", "数据2024年a", "\xff\x80", "3141592653", "纬39"} {
		var base [shortMax + 8]byte
		for i := range base {
			base[i] = 0xAA // after the value: not to be copied
		}
		for i := 0; i < shortMax; i++ {
			base[i] = 0
			if fill != "" {
				base[i] = fill[i%len(fill)]
			}
		}
		for n := 0; n <= shortMax; n++ {
			for pos := 0; pos < n; pos++ {
				for b := 0; b < 256; b += 1 + n/8 {
					arr := base
					arr[pos] = byte(b)
					check(arr[:n])
				}
			}
			check(base[:n])
		}
	}
	r := uint64(11)
	var arr [200]byte
	for k := 0; k < 20000; k++ {
		for i := range arr {
			r ^= r << 13
			r ^= r >> 7
			r ^= r << 17
			arr[i] = byte(r)
		}
		off := int(r>>20) % 64
		check(arr[off : off+int(r>>40)%(shortMax+1)])
	}
}
