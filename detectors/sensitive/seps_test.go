package sensitive

import (
	"bytes"
	"strings"
	"testing"
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

// TestSepsVector compares the vector separator test of this CPU (if any)
// and sepsOf, its portable twin, with bytes.IndexByte.
func TestSepsVector(t *testing.T) {
	if sepsVector == nil {
		t.Log("no vector separator test on this CPU or build: sepsOf tested alone")
	}
	for _, v := range sepsInputs() {
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
		if got := sepsVector(v); got != want {
			t.Fatalf("sepsVector(%q) = %b, want %b", v, got, want)
		}
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
