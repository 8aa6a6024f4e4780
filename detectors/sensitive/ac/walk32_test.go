package ac

import (
	"strings"
	"testing"
)

// walkInputs are values for the block walk's tests: ASCII words, digits,
// punctuation, pattern runes and their pairs, other widths and invalid
// bytes, of every length to 300 bytes, so that blocks start on every kind
// of byte and runes straddle every block boundary.
func walkInputs(pats []string, n int, seed uint64) [][]byte {
	pieces := []string{"高", "血", "压", "脂", "尿", "糖", "病", "史", "力", "系统", "系统性", "红斑", "回", "族", "密", "码", "北", "纬", "型", "男",
		"的", "是", "了", "经", "济", "，", "。", "：",
		"1", "2", "0", "9", "12", "2019", "2024", "21", "a", "b", "h", "A", "H", "I", "V", "he", "HIV", "hiv", "dna", "iris", "the", "x", "request",
		" ", ",", ".", ":", "=", "-", "\n", "\x00", "é", "°", "😀", "\xff", "\xe9\x82", "\xe9", "\x80", "病é", "高\xe9"}
	r := seed
	next := func(n int) int {
		r ^= r << 13
		r ^= r >> 7
		r ^= r << 17
		return int(r % uint64(n))
	}
	var in [][]byte
	var sb strings.Builder
	for k := 0; k < n; k++ {
		sb.Reset()
		for size := next(300); sb.Len() < size; {
			switch next(10) {
			case 0:
				sb.WriteString(pats[next(len(pats))])
			case 1, 2, 3:
				sb.WriteString("的是了经济") // runs of quiet runes
			default:
				sb.WriteString(pieces[next(len(pieces))])
			}
		}
		in = append(in, []byte(sb.String()))
	}
	return in
}

var walkSets = [][]string{
	{"1型糖尿病", "2019冠状病毒病", "21三体综合征", "HIV", "HIV阳性", "DNA", "lgbt", "PIN码", "iris", "男,", "女,", "格林-巴利综合征", "高血压", "血压", "密码", "北纬", "回族", "回族自治州", "系统性红斑狼疮"},
	{"hers", "his", "she", "高血压", "血压", "压力", "糖尿病", "病史", "病,", "力ab", "的是"},
	// Few candidates, so that walks reach the end: 史 then a zero byte
	// puts the key of a value's last rune 史 (read zero-padded, as
	// skipTail reads) in raw; it must still not be a candidate (every
	// pattern has two runes or more).
	{"史\x00", "高血压", "HIV", "90后"},
}

// TestWalk32 is the block walk's differential test: the kernel of this
// build returns exactly what its twin walk32Go does, from every start and
// with both prev values; and skipTokens with the block walk returns exactly
// what it returns with walk alone (where it stops, the bit of the byte
// before, whether it is a candidate), walk going on past the words it
// stops at only by a collision in tri, those starting with a digit that
// starts no pattern (quietDigits), which the block walk does not probe.
func TestWalk32(t *testing.T) {
	for si, pats := range walkSets {
		a := Build(pats)
		if !a.FastSkip() {
			t.Fatalf("set %d: no FastSkip", si)
		}
		kernel, blocks, quiet := 0, 0, 0
		for _, v := range walkInputs(pats, 3000, uint64(si)+7) {
			for i := 0; i < len(v); i++ {
				for _, prev := range []uint64{0, 0x80} {
					n, stop := walk32Go(v, i, prev, a.skip)
					if gn, gs := walk32(v, i, prev, a.skip); gn != n || gs != stop {
						t.Fatalf("set %d, %q from %d, prev %#x: walk32 (%d, %d), walk32Go (%d, %d)", si, v, i, prev, gn, gs, n, stop)
					}
					if n != i {
						blocks++
					}
					blockWalk = false
					wn, wa, wc := a.skipTokens(v, i, prev != 0)
					for haveWalk32 && wc && wn < len(v) && v[wn]-'0' < 10 && a.skip.quietDigits[v[wn]-'0'] != 0 {
						wn, wa, wc = a.skipTokens(v, wn+1, true)
						quiet++
					}
					blockWalk = haveWalk32
					kernel++
					if gn, ga, gc := a.skipTokens(v, i, prev != 0); gn != wn || ga != wa || gc != wc {
						t.Fatalf("set %d, %q from %d, prev %#x: skipTokens with blocks (%d %v %v), walk alone (%d %v %v)", si, v, i, prev, gn, ga, gc, wn, wa, wc)
					}
				}
			}
		}
		if blocks < kernel/4 {
			t.Fatalf("set %d: the block walk moved in %d of %d calls", si, blocks, kernel)
		}
		t.Logf("set %d: walk went on past %d collisions at quiet digits", si, quiet)
	}
}
