package masking

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/masking/fpe"
)

func BenchmarkOperators(b *testing.B) {
	key := testKey(b, 1)
	hx, _ := NewHash(key, "hmac-sha256", false, 16)
	hsm3, _ := NewHash(key, "hmac-sm3", false, 16)
	hd, _ := NewHash(key, "hmac-sha256", true, 0)
	aes, _ := NewTokenize(key, "aes-256", fpe.FormatAuto)
	sm4, _ := NewTokenize(key, "sm4", fpe.FormatAuto)
	sd, _ := NewShiftDate(key, 30)
	for _, bc := range []struct {
		name string
		op   Operator
		t    pi.TypeID
		v    string
	}{
		{"mask/cn_id_card", NewMask(), pi.IDCard, "110105194912310021"},
		{"mask/cn_mobile", NewMask(), pi.Mobile, "+86 138 1234 5678"},
		{"mask/cn_name", NewMask(), pi.Name, "欧阳娜娜"},
		{"mask/cn_address", NewMask(), pi.Address, "广东省深圳市南山区科技园路1号"},
		{"mask/email", NewMask(), pi.Email, "zhangsan@example.com"},
		{"redact", Redact{}, pi.Credential, "hunter2"},
		{"replace/tag", Replace{}, pi.Health, "高血压"},
		{"generalize/birth_date", Generalize{}, pi.BirthDate, "1990-05-01"},
		{"generalize/ipv4", Generalize{}, pi.IPv4, "192.168.1.77"},
		{"hash/hmac-sha256/hex", hx, pi.IDCard, "110105194912310021"},
		{"hash/hmac-sm3/hex", hsm3, pi.IDCard, "110105194912310021"},
		{"hash/hmac-sha256/digits", hd, pi.IDCard, "110105194912310021"},
		{"tokenize/aes-256/cn_id_card", aes, pi.IDCard, "11010519491231002X"},
		{"tokenize/aes-256/cn_mobile", aes, pi.Mobile, "13812345678"},
		{"tokenize/aes-256/bank_card", aes, pi.BankCard, "6222021234567890128"},
		{"tokenize/sm4/cn_id_card", sm4, pi.IDCard, "11010519491231002X"},
		{"shift_date", sd, pi.BirthDate, "2023-05-01"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			v := []byte(bc.v)
			buf := make([]byte, 0, 128)
			b.SetBytes(int64(len(v)))
			b.ReportAllocs()
			for b.Loop() {
				_, _ = bc.op.Apply(buf[:0], bc.t, v)
			}
		})
	}
}

// BenchmarkMasker includes the rule lookup (cached) per value.
func BenchmarkMasker(b *testing.B) {
	m, err := DefaultPolicy().Compile(testKey(b, 1))
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		t pi.TypeID
		v string
	}{{pi.IDCard, "11010519491231002X"}, {pi.Name, "张三"}} {
		b.Run(string(bc.t), func(b *testing.B) {
			v := []byte(bc.v)
			buf := make([]byte, 0, 64)
			g := pi.DefaultGrade(bc.t)
			b.SetBytes(int64(len(v)))
			b.ReportAllocs()
			for b.Loop() {
				_, _ = m.Mask(buf[:0], "shop.customers", "id_no", bc.t, g, v)
			}
		})
	}
}

// FuzzOperators: no operator panics on any input, output stays valid UTF-8
// for the unkeyed ones, and errors leave dst alone.
func FuzzOperators(f *testing.F) {
	f.Add(uint8(0), uint8(0), "110105194912310021")
	f.Add(uint8(1), uint8(10), "欧阳娜娜")
	f.Add(uint8(2), uint8(11), "广东省深圳市南山区")
	f.Add(uint8(3), uint8(12), "1990年5月1日 10:00")
	f.Add(uint8(4), uint8(7), "2001:db8::1")
	key := testKey(f, 1)
	hx, _ := NewHash(key, "hmac-sha256", true, 0)
	tok, _ := NewTokenize(key, "aes-256", fpe.FormatAuto)
	sd, _ := NewShiftDate(key, 30)
	ops := []Operator{NewMask(), Mask{KeepFirst: 2, KeepLast: 1, Char: '×'}, Generalize{AgeBand: 10, AsOf: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}, hx, tok, sd, Replace{}}
	f.Fuzz(func(t *testing.T, oi, ti uint8, v string) {
		op := ops[int(oi)%len(ops)]
		typ := pi.BuiltinTypes[int(ti)%len(pi.BuiltinTypes)]
		out, err := op.Apply([]byte("dst"), typ, []byte(v))
		if err != nil {
			if string(out) != "dst" {
				t.Fatalf("dst changed on error %v", err)
			}
			if !errors.Is(err, ErrUnsupported) && !errors.Is(err, fpe.ErrFormat) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if _, isTok := op.(*Tokenize); isTok {
			back, err := tok.Reverse(nil, typ, out[3:])
			if err != nil {
				t.Fatalf("reverse: %v", err)
			}
			if typ != pi.IDCard && typ != pi.Minor && string(back) != v {
				t.Fatalf("token did not reverse")
			}
		}
		_, isMask := op.(Mask)
		_, isGen := op.(Generalize)
		if (isMask || isGen) && !utf8.Valid(out) {
			t.Fatalf("output is not UTF-8: %q", out)
		}
	})
}

// FuzzIPv4 compares the hand-written dotted-quad parser with net/netip.
func FuzzIPv4(f *testing.F) {
	for _, s := range []string{"192.168.1.77", "0.0.0.0", "255.255.255.255", "01.2.3.4", "1.2.3", "256.1.1.1", "::1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, ok := parseIPv4([]byte(s))
		a, err := netip.ParseAddr(s)
		want := err == nil && a.Is4()
		if ok != want || ok && q != a.As4() {
			t.Fatalf("parseIPv4(%q) = %v %v, netip %v %v", s, q, ok, a, err)
		}
	})
}

// BenchmarkRule looks up the rules of a row's columns in turn, as a copy
// does for every value.
func BenchmarkRule(b *testing.B) {
	m, err := DefaultPolicy().Compile(testKey(b, 1))
	if err != nil {
		b.Fatal(err)
	}
	cols := []struct {
		col string
		t   pi.TypeID
	}{{"name", pi.Name}, {"id_no", pi.IDCard}, {"mobile", pi.Mobile}, {"card", pi.BankCard}, {"email", pi.Email}, {"note", pi.Mobile}}
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range cols {
			m.Rule("shop.customers", c.col, c.t, pi.DefaultGrade(c.t))
		}
	}
}

// BenchmarkRuleWideTable is BenchmarkRule over a table with twelve column
// and type pairs.
func BenchmarkRuleWideTable(b *testing.B) {
	m, err := DefaultPolicy().Compile(testKey(b, 1))
	if err != nil {
		b.Fatal(err)
	}
	var cols []string
	for i := range 12 {
		cols = append(cols, fmt.Sprintf("col%d", i))
	}
	b.ReportAllocs()
	for b.Loop() {
		for i, c := range cols {
			t := pi.BuiltinTypes[i%len(pi.BuiltinTypes)]
			m.Rule("shop.orders", c, t, pi.DefaultGrade(t))
		}
	}
}

// BenchmarkRuleMixedRow is BenchmarkRule over rows like the generated
// dumps' (bench/cmd/throughput -format sql): ten columns of one type each,
// then a free-text column holding one to three values of eight other types,
// varying from row to row.
func BenchmarkRuleMixedRow(b *testing.B) {
	m, err := DefaultPolicy().Compile(testKey(b, 1))
	if err != nil {
		b.Fatal(err)
	}
	type key struct {
		col string
		t   pi.TypeID
	}
	fixed := []key{{"real_name", pi.Name}, {"id_no", pi.IDCard}, {"id_no", pi.Minor}, {"mobile", pi.Mobile}, {"tel", pi.Landline},
		{"email", pi.Email}, {"bank_card", pi.BankCard}, {"address", pi.Address}, {"birthday", pi.BirthDate}, {"ip", pi.IPv4}}
	var free []key
	for _, t := range pi.BuiltinTypes[:8] {
		free = append(free, key{"remark", t})
	}
	r := rand.New(rand.NewPCG(3, 4))
	var rows [64][]key
	for i := range rows {
		rows[i] = append([]key(nil), fixed...)
		for range 1 + r.IntN(3) {
			rows[i] = append(rows[i], free[r.IntN(len(free))])
		}
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for _, k := range rows[n%len(rows)] {
			m.Rule("shop.customer", k.col, k.t, pi.DefaultGrade(k.t))
		}
		n++
	}
}
