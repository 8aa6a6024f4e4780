package structured_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/piiscan/piiscan/detectors"
	"github.com/piiscan/piiscan/detectors/detectortest"
	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/detectors/structured"
)

// testNow is the scan date of every test: ages and "not in the future"
// depend on it.
var testNow = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

var _ detectors.Detector = (*structured.Detector)(nil)
var _ detectors.Hinter = (*structured.Detector)(nil)

func cases(lines ...string) []detectortest.Case {
	cs := make([]detectortest.Case, len(lines))
	for i, l := range lines {
		cs[i] = detectortest.Case{Input: l}
	}
	return cs
}

func run(t *testing.T, lines ...string) {
	t.Helper()
	detectortest.Run(t, structured.New(testNow), cases(lines...))
}

// TestTestdata runs every testdata/*.txt file through the kit: one file of
// positive cases per type (named by its type ID), mixed.txt with several
// types in one value, hard_negatives.txt with values nothing may match.
func TestTestdata(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatal("no testdata/*.txt", err)
	}
	d := structured.New(testNow)
	for _, f := range files {
		detectortest.Run(t, d, detectortest.ReadCases(t, f))
	}
}

func TestGradeAndConfidence(t *testing.T) {
	d := structured.New(testNow)
	ms := d.Find([]byte("身份证110105199001011232，手机13812345678，护照E12345678，代码91110108MA01ABCD1E"), nil, nil)
	if len(ms) != 4 {
		t.Fatalf("got %v", ms)
	}
	for _, m := range ms {
		if m.Grade != pi.DefaultGrade(m.Type) {
			t.Errorf("%v: grade %v", m, m.Grade)
		}
	}
	if ms[0].Confidence < 0.99 {
		t.Errorf("ID confidence %v", ms[0].Confidence)
	}
	weak := d.Find([]byte("编号E12345678"), nil, nil)
	strong := d.Find([]byte("护照号码：E12345678"), nil, nil)
	if len(weak) != 1 || len(strong) != 1 || weak[0].Confidence >= strong[0].Confidence {
		t.Errorf("context should raise passport confidence: %v vs %v", weak, strong)
	}
	col := d.Find([]byte("E12345678"), &pi.Field{Column: "passport_no", Hints: d.Hint("passport_no", "")}, nil)
	if len(col) != 1 || col[0].Confidence != strong[0].Confidence {
		t.Errorf("column hint should raise passport confidence: %v", col)
	}
}

func TestHint(t *testing.T) {
	d := structured.New(testNow)
	for _, c := range []struct {
		column, comment string
		want            []pi.TypeID
	}{
		{"身份证号", "", []pi.TypeID{pi.IDCard}},
		{"id_no", "", []pi.TypeID{pi.IDCard}},
		{"user_id", "", nil},
		{"mobile", "", []pi.TypeID{pi.Mobile}},
		{"tel", "", []pi.TypeID{pi.Mobile, pi.Landline}},
		{"zip", "", nil},
		{"description", "", nil},
		{"clientIP", "", []pi.TypeID{pi.IPv4, pi.IPv6}},
		{"ip", "", []pi.TypeID{pi.IPv4, pi.IPv6}},
		{"col3", "客户银行卡号", []pi.TypeID{pi.BankCard}},
		{"email", "", []pi.TypeID{pi.Email}},
		{"护照号码", "", []pi.TypeID{pi.Passport}},
		{"plate_no", "", []pi.TypeID{pi.LicensePlate}},
		{"出生日期", "", []pi.TypeID{pi.BirthDate}},
		{"birthday", "", []pi.TypeID{pi.BirthDate}},
		{"统一社会信用代码", "", []pi.TypeID{pi.USCC}},
		{"id_card_no", "", []pi.TypeID{pi.IDCard}},
		{"cancellation", "", nil},
		{"hotel_name", "", nil},
		{"user.idCard", "", []pi.TypeID{pi.IDCard}},
		{"client.ip", "", []pi.TypeID{pi.IPv4, pi.IPv6}},
	} {
		got := d.Hint(c.column, c.comment)
		if len(got) != len(c.want) {
			t.Errorf("Hint(%q, %q) = %v, want %v", c.column, c.comment, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("Hint(%q, %q) = %v, want %v", c.column, c.comment, got, c.want)
			}
		}
	}
}

// One Detector serves many goroutines (run with -race): same results as
// a single caller.
func TestConcurrentFind(t *testing.T) {
	d := structured.New(testNow)
	text := detectortest.MixedText(32<<10, 5)
	want := d.Find(text, nil, nil)
	done := make(chan []pi.Match)
	for range 4 {
		go func() { done <- d.Find(text, nil, nil) }()
	}
	for range 4 {
		got := <-done
		if len(got) != len(want) {
			t.Fatalf("concurrent Find: %d matches, want %d", len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("concurrent Find: match %d = %v, want %v", i, got[i], want[i])
			}
		}
	}
}

// Every reported type (but minor, which rides on cn_id_card) has its own
// file of positive cases.
func TestEveryTypeHasCases(t *testing.T) {
	for _, ty := range structured.New(testNow).Types() {
		if ty == pi.Minor {
			continue
		}
		if _, err := os.Stat(filepath.Join("testdata", string(ty)+".txt")); err != nil {
			t.Errorf("%s: no testdata/%s.txt", ty, ty)
		}
	}
}

// TestWindowEdges: a value shorter than 64 bytes is scanned a word at a
// time; the same value after and before neutral text is scanned through
// the 64-byte masks, where run and decimal answer some runs themselves.
// Every placement of the value against a window's end (prefix and suffix
// of 0 to 70 bytes) must find what the value alone finds, shifted.
func TestWindowEdges(t *testing.T) {
	d := structured.New(testNow)
	for _, v := range []string{
		"价格3.5元", "3.5.6", "1.5.x", "1.5.", "1.2a", "v1.2", "_1.5", "-1.5", "x:1.5", "12.5%",
		"1.23456789", "3.14159265358979", "192.168.1.1", "出生 1990.01.02", "生日1990.1.2",
		"3.5 和 4.25", "3.5a@b.cn", "a 1.5@qq.com", "1.5 x@qq.com", "12 件", "12 34", "7/8",
		"12/3", "3在", "2024年", "1990年1月2日出生", "7）", "(0755)1234567",
		"30%的", "5%x@qq.com", "ab:30%", "增长 30% 和 5%",
		"12:30 开会", "12:30:45，", "0000:12:30:45 x", "10:30:45.123 INFO", "9:05", "12:30:45:67", "12345:1",
		"2001:db8::1", "fe80::1%eth0", "1:2:3:4:5:6:7:8", "1111:2222:3333:4444:5555:6666:7777:8888", "12:30 a@b.cn",
		"见 example.com.", "a.b", "Hello.World", "user.name@qq.com", "x:abc.def", "::abc.d", "A.B", "ab.12", "京A.12345",
		// Runs that reach a window's end: run hands atom the run's end and
		// letters from the masks.
		"京A12345", "tel13812345678", "G12345678", "11010519900101123X", "91350100M000100Y43",
		"e10adc3949ba59abbe56e057f20f883ec4ca4238a0b923820dcc509a6f75849b order 13812345678",
		"13812345678e10adc3949ba59abbe56e057f20f883ec4ca4238a0b923820dcc509a6f75849b",
	} {
		want := d.Find([]byte(v), nil, nil)
		for pre := 0; pre <= 70; pre++ {
			for _, post := range []int{0, 1, 2, 3, 5, 40, 70} {
				p := strings.Repeat("中", pre/3) + strings.Repeat(" ", pre%3)
				got := d.Find([]byte(p+v+strings.Repeat(" ", post)), nil, nil)
				if len(got) != len(want) {
					t.Fatalf("%q after %d bytes, before %d: %v, alone %v", v, pre, post, got, want)
				}
				for k, m := range got {
					m.Start -= len(p)
					m.End -= len(p)
					if m != want[k] {
						t.Fatalf("%q after %d bytes, before %d: %v, alone %v", v, pre, post, got, want)
					}
				}
			}
		}
	}
}
