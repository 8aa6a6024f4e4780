package masking

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"unicode/utf8"

	"testing"

	"github.com/piiscan/piiscan/detectors/pi"
)

func TestSampleMobileKeepsSegmentAfterCountryCode(t *testing.T) {
	for in, want := range map[string]string{
		"13812345678":       "138****5678",
		"+86-139-2466-1723": "+86-139-****-1723",
		"008617614813941":   "0086176****3941",
		"138 1234 5678":     "138 **** 5678",
	} {
		if got := Sample(pi.Mobile, []byte(in)); got != want {
			t.Errorf("Sample(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSampleEmailKeepsFirstCharacterAndDomain(t *testing.T) {
	for in, want := range map[string]string{
		"zhangwei@example.com": "z*******@example.com",
		"a@b.cn":               "*@b.cn",
		"noat":                 "****",
		"张伟@例子.中国":             "张*@例子.中国",
		"ab\xffc@q.com":        "a***@q.com",
	} {
		if got := Sample(pi.Email, []byte(in)); got != want {
			t.Errorf("Sample(%q) = %q, want %q", in, got, want)
		}
	}
}

// sampleReference is Sample written the plain way, over a rune slice: the
// differential test below holds the fast Sample to it.
func sampleReference(t pi.TypeID, v []byte) string {
	if t == pi.Mobile || t == pi.Email {
		if out, err := NewMask().Apply(nil, t, v); err == nil {
			return string(out)
		}
	}
	rs := []rune(string(v)) // invalid bytes become U+FFFD, one rune each
	n := len(rs)
	head, tail := 0, 0
	switch t {
	case pi.IDCard, pi.BankCard, pi.Minor:
		head, tail = 4, 4
	case pi.Mobile, pi.Email:
		head, tail = 3, 4
	case pi.Landline, pi.USCC:
		head, tail = 4, 2
	case pi.Passport, pi.TravelPermit, pi.LicensePlate:
		head, tail = 2, 1
	case pi.Name:
		head = 1
	case pi.Address:
		head = min(6, n/2)
	case pi.IPv4, pi.IPv6, pi.BirthDate:
		head = n / 3
	case pi.Credential, pi.GeoCoordinate, pi.Biometric:
	default:
		head = min(1, n-1)
	}
	if head+tail >= n {
		head, tail = n/4, 0
	}
	var sb strings.Builder
	for k, r := range rs {
		switch {
		case k >= head && k < n-tail:
			sb.WriteByte('*')
		case r == utf8.RuneError:
			sb.WriteByte('?') // an invalid byte (a real U+FFFD in the input too)
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

var sampleCases = []string{
	"", "a", "ab", "abc", "张", "张三", "欧阳娜娜", "433127198503120147", "43312719850312014X",
	"13812345678", "+86-139-2466-1723", "0086 176 1481 3941", "６２２２０２１２３４５６７８９０１２８",
	"zhangwei@example.com", "张伟@例子.中国", "a@b", "@x.cn", "noat", "ab\xffc@q.com",
	"010-88886666", "91350100M000100Y43", "E12345678", "粤B12345", "192.168.1.20",
	"2001:db8::8a2e:370:7334", "1990-05-01", "广东省深圳市南山区科技园路1号", "北京市朝阳区建国路88号",
	"s3cr3t!", "高血压", "39.9042,116.4074", "\xff", "\xff\xfe", "张\xff三", "\xe5\xbc", "a\xe5\xbcb",
	"广东省深圳市南山区科技园路1号广东省深圳市南山区科技园路1号广东省深圳市南山区科技园路1号广东省深圳市南山区科技园路1号",
	strings.Repeat("x", 300),
	// sampleMobile's eleven-digit test and sampleEmail's ASCII path at
	// their edges; sampleHead's invalid bytes in and past the head
	"/3812345678", "1381234567:", "138123\xff5678", "1381234567", "138123456789", "8613812345678",
	"+8613812345678", "ABC12345678", "@", "ab@", "a@", "b@@c.cn", "张@x.cn", "广东省深圳", "广东省深圳市南",
	"广东省深圳市南山", "广\xff东省深圳市南山区", "广东省深圳市南山\xff区", "\xff高血压", "高\xff", "高血压\xff", "😀高",
}

func TestSampleMatchesReference(t *testing.T) {
	types := append([]pi.TypeID{"", "custom"}, pi.BuiltinTypes...)
	for _, typ := range types {
		for _, v := range sampleCases {
			if got, want := Sample(typ, []byte(v)), sampleReference(typ, []byte(v)); got != want {
				t.Errorf("Sample(%s, %q) = %q, want %q", typ, v, got, want)
			}
		}
	}
}

// TestAppendSampleMatchesSample holds AppendSample to Sample and to the
// reference for every type and edge case, appended after a prefix it must
// keep, into a buffer with exactly len(v) spare bytes it must not outgrow.
func TestAppendSampleMatchesSample(t *testing.T) {
	types := append([]pi.TypeID{"", "custom"}, pi.BuiltinTypes...)
	for _, typ := range types {
		for _, v := range sampleCases {
			for _, prefix := range []string{"", "x", "4331**********0147"} {
				dst := make([]byte, len(prefix), len(prefix)+len(v))
				copy(dst, prefix)
				got := AppendSample(dst, typ, []byte(v))
				want := prefix + Sample(typ, []byte(v))
				if string(got) != want || want != prefix+sampleReference(typ, []byte(v)) {
					t.Errorf("AppendSample(%q, %s, %q) = %q, want %q", prefix, typ, v, got, want)
				}
				if cap(got) > 0 && &got[:cap(got)][0] != &dst[:cap(dst)][0] {
					t.Errorf("AppendSample(%q, %s, %q) reallocated a buffer with len(v) spare bytes", prefix, typ, v)
				}
			}
		}
	}
}

func TestAppendSampleDoesNotAllocate(t *testing.T) {
	dst := make([]byte, 0, 256)
	for _, typ := range pi.BuiltinTypes {
		for _, v := range []string{"433127198503120147", "欧阳娜娜", "zhangwei@example.com", "广东省深圳市南山区科技园路1号", "张\xff三"} {
			b := []byte(v)
			if n := testing.AllocsPerRun(100, func() { AppendSample(dst[:0], typ, b) }); n != 0 {
				t.Errorf("AppendSample(%s) of %d bytes: %.0f allocations, want 0", typ, len(v), n)
			}
		}
	}
}

func FuzzSample(f *testing.F) {
	for i, v := range sampleCases {
		f.Add(i, v)
	}
	types := append([]pi.TypeID{"", "custom"}, pi.BuiltinTypes...)
	f.Fuzz(func(t *testing.T, ti int, v string) {
		typ := types[uint(ti)%uint(len(types))]
		got, want := Sample(typ, []byte(v)), sampleReference(typ, []byte(v))
		if got != want {
			t.Errorf("Sample(%s, %q) = %q, want %q", typ, v, got, want)
		}
		if len(got) > len(v) {
			t.Errorf("Sample(%s, %q) = %q, longer than the value", typ, v, got)
		}
		if app := AppendSample([]byte("p"), typ, []byte(v)); string(app) != "p"+want {
			t.Errorf("AppendSample(p, %s, %q) = %q, want %q", typ, v, app, "p"+want)
		}
	})
}

func TestSampleAllocatesOnlyItsResult(t *testing.T) {
	for _, typ := range pi.BuiltinTypes {
		for _, v := range []string{"433127198503120147", "欧阳娜娜", "zhangwei@example.com", "广东省深圳市南山区科技园路1号"} {
			b := []byte(v)
			if n := testing.AllocsPerRun(100, func() { Sample(typ, b) }); n > 1 {
				t.Errorf("Sample(%s) of %d bytes: %.0f allocations, want at most 1", typ, len(v), n)
			}
		}
	}
}

func BenchmarkSample(b *testing.B) {
	vals := []struct {
		t pi.TypeID
		v []byte
	}{
		{pi.IDCard, []byte("433127198503120147")}, {pi.Mobile, []byte("13812345678")},
		{pi.Name, []byte("欧阳娜娜")}, {pi.Email, []byte("zhangwei@example.com")},
		{pi.Address, []byte("广东省深圳市南山区科技园路1号")}, {pi.BankCard, []byte("6222021234567890128")},
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, v := range vals {
			Sample(v.t, v.v)
		}
	}
}

// BenchmarkAppendSample masks the values of the postgres FullScan table
// (connectors/postgres) and a few more, one type per sub-benchmark, into a
// reused buffer: the engine's per-finding cost without the allocation.
func BenchmarkAppendSample(b *testing.B) {
	for _, c := range []struct {
		t pi.TypeID
		v string
	}{
		{pi.IDCard, "110105199001010123"}, {pi.Mobile, "13800012345"}, {pi.Mobile, "+86-139-2466-1723"},
		{pi.Email, "user12345@example.com"}, {pi.Address, "北京市朝阳区建国路123号院12号楼"},
		{pi.Address, "广东省深圳市南山区科技园路1号"}, {pi.Name, "欧阳娜娜"}, {pi.BankCard, "6222021234567890128"},
		{pi.IPv4, "192.168.1.20"}, {"medical", "高血压"},
	} {
		v := []byte(c.v)
		b.Run(string(c.t)+"/"+c.v, func(b *testing.B) {
			dst := make([]byte, 0, 64)
			b.SetBytes(int64(len(v)))
			b.ReportAllocs()
			for b.Loop() {
				dst = AppendSample(dst[:0], c.t, v)
			}
		})
	}
}

func TestRuneSizeMatchesDecodeRune(t *testing.T) {
	for b0 := 0xC0; b0 <= 0xFF; b0++ {
		for b1 := 0x70; b1 <= 0xC0; b1++ {
			for _, b2 := range []byte{0x7F, 0x80, 0xBF, 0xC0} {
				v := []byte{byte(b0), byte(b1), b2}
				if _, want := utf8.DecodeRune(v); runeSize(v) != want {
					t.Fatalf("runeSize(% x) = %d, want %d", v, runeSize(v), want)
				}
				if _, want := utf8.DecodeRune(v[:2]); runeSize(v[:2]) != want {
					t.Fatalf("runeSize(% x) = %d, want %d", v[:2], runeSize(v[:2]), want)
				}
			}
		}
	}
}

// TestValidRunes holds validRunes to utf8.RuneCount and utf8.Valid, with
// the three-byte pairs its word test takes at every offset next to leads
// it must leave to the rune-by-rune path (E0 overlong, ED surrogate, EE,
// four-byte runes) and broken continuation bytes.
func TestValidRunes(t *testing.T) {
	parts := []string{"a", "12345678", "北京", "市", "\xe0\x80\x80", "\xe0\xa0\x80", "\xed\xa0\x80", "\xed\x9f\xbf",
		"\xee\x80\x80", "😀", "é", "\xe4\xb8", "\xe4\x41\x80", "\xe4\xb8\x41", "\xff", "\xe1\x80\x80", "\xec\xbf\xbf"}
	r := rand.New(rand.NewPCG(6, 2))
	for range 20000 {
		var v []byte
		for range r.IntN(12) {
			v = append(v, parts[r.IntN(len(parts))]...)
		}
		n, ok := validRunes(v)
		if ok != utf8.Valid(v) || ok && n != utf8.RuneCount(v) {
			t.Fatalf("validRunes(%q) = %d, %v; want %d, %v", v, n, ok, utf8.RuneCount(v), utf8.Valid(v))
		}
		for _, head := range []int{1, -2} {
			got := string(sampleHead(nil, v, head))
			if want := string(sampleHeadInvalid(nil, v, head)); got != want {
				t.Fatalf("sampleHead(%q, %d) = %q, the general path %q", v, head, got, want)
			}
		}
	}
}

// TestLastAt holds lastAt to bytes.LastIndexByte for '@' at every place of
// values of every length up to 40, among bytes one bit away from '@'.
func TestLastAt(t *testing.T) {
	fill := []byte{'a', 'A', '@' ^ 0x80, '@' ^ 1, '@' ^ 0x40, 0xff, 0, '.'}
	r := rand.New(rand.NewPCG(62, 4))
	for n := range 41 {
		for range 200 {
			v := make([]byte, n)
			for i := range v {
				v[i] = fill[r.IntN(len(fill))]
				if r.IntN(12) == 0 {
					v[i] = '@'
				}
			}
			if got, want := lastAt(v), bytes.LastIndexByte(v, '@'); got != want {
				t.Fatalf("lastAt(%q) = %d, want %d", v, got, want)
			}
		}
	}
}
