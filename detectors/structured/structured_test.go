package structured

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/piiscan/piiscan/detectors"
	"github.com/piiscan/piiscan/detectors/detectortest"
	"github.com/piiscan/piiscan/detectors/pi"
)

// testNow is the scan date of every test: ages and "not in the future"
// depend on it.
var testNow = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

var _ detectors.Detector = (*Detector)(nil)
var _ detectors.Hinter = (*Detector)(nil)

func cases(lines ...string) []detectortest.Case {
	cs := make([]detectortest.Case, len(lines))
	for i, l := range lines {
		cs[i] = detectortest.Case{Input: l}
	}
	return cs
}

func run(t *testing.T, lines ...string) {
	t.Helper()
	detectortest.Run(t, New(testNow), cases(lines...))
}

func TestTestdata(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatal("no testdata/*.txt", err)
	}
	d := New(testNow)
	for _, f := range files {
		detectortest.Run(t, d, detectortest.ReadCases(t, f))
	}
}

// Every spec has its own type, each type once, and Types lists them all.
func TestSpecsRegisteredOnce(t *testing.T) {
	seen := map[pi.TypeID]int{}
	for _, s := range specs {
		seen[s.typ]++
		if s.chain == nil && s.token == nil && s.dotted == nil && s.atom == nil {
			t.Errorf("%s: no candidate shape", s.typ)
		}
		if s.base <= 0 || s.base > 1 || s.boosted < s.base || s.boosted > 1 {
			t.Errorf("%s: confidences %v/%v", s.typ, s.base, s.boosted)
		}
		if len(s.columns) == 0 {
			t.Errorf("%s: no column words", s.typ)
		}
	}
	for ty, n := range seen {
		if n != 1 {
			t.Errorf("%s: %d specs", ty, n)
		}
	}
	want := []pi.TypeID{pi.IDCard, pi.Mobile, pi.Landline, pi.BankCard, pi.Email, pi.IPv4, pi.IPv6,
		pi.Passport, pi.TravelPermit, pi.LicensePlate, pi.USCC, pi.BirthDate, pi.Minor}
	got := map[pi.TypeID]bool{}
	for _, ty := range New(testNow).Types() {
		if got[ty] {
			t.Errorf("Types lists %s twice", ty)
		}
		got[ty] = true
	}
	for _, ty := range want {
		if !got[ty] {
			t.Errorf("Types lacks %s", ty)
		}
	}
	if len(got) != len(want) {
		t.Errorf("Types = %v, want %v", New(testNow).Types(), want)
	}
}

func TestGradeAndConfidence(t *testing.T) {
	d := New(testNow)
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
	d := New(testNow)
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

func TestHasAlnum(t *testing.T) {
	for c := 0; c < 256; c++ {
		for pos := 0; pos < 8; pos++ {
			w := uint64(0x8080808080808080)&^(0xff<<(8*pos)) | uint64(c)<<(8*pos)
			if got, want := hasAlnum(w), isAlnum(byte(c)); got != want {
				t.Fatalf("hasAlnum byte %#x at %d = %v, want %v", c, pos, got, want)
			}
			w = uint64(0x2020202020202020)&^(0xff<<(8*pos)) | uint64(c)<<(8*pos)
			if got, want := hasAlnum(w), isAlnum(byte(c)); got != want {
				t.Fatalf("hasAlnum byte %#x among spaces at %d = %v, want %v", c, pos, got, want)
			}
		}
	}
}
