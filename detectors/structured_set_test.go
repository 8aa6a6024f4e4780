package detectors_test

import (
	"testing"
	"time"

	"github.com/piiscan/piiscan/detectors"
	"github.com/piiscan/piiscan/detectors/pi"
)

// The structured detector through the registry and the Set: type
// selection, column hints, the minor beside its ID number.
func TestSetStructured(t *testing.T) {
	now := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	structuredTypes := []pi.TypeID{pi.IDCard, pi.Mobile, pi.Landline, pi.BankCard, pi.Email, pi.IPv4, pi.IPv6,
		pi.Passport, pi.TravelPermit, pi.LicensePlate, pi.USCC, pi.BirthDate, pi.Minor}
	s, err := detectors.NewSet(detectors.Options{Now: now, Types: structuredTypes})
	if err != nil {
		t.Fatal(err)
	}
	value := []byte("身份证110105201803150023，手机+86 138-1234-5678，邮箱13912345678@139.com，IP 10.0.0.1")
	got := s.Scan(value, s.Field("users", "remark", ""), nil)
	want := []struct {
		typ  pi.TypeID
		text string
	}{
		{pi.IDCard, "110105201803150023"},
		{pi.Minor, "110105201803150023"},
		{pi.Mobile, "+86 138-1234-5678"},
		{pi.Email, "13912345678@139.com"},
		{pi.IPv4, "10.0.0.1"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i, w := range want {
		if got[i].Type != w.typ || string(value[got[i].Start:got[i].End]) != w.text {
			t.Errorf("match %d = %s %q, want %s %q", i, got[i].Type, value[got[i].Start:got[i].End], w.typ, w.text)
		}
		if got[i].Grade != pi.DefaultGrade(w.typ) {
			t.Errorf("match %d grade %v", i, got[i].Grade)
		}
	}

	f := s.Field("customers", "id_no", "证件号码")
	if !f.Suggests(pi.IDCard) {
		t.Errorf("column id_no / 证件号码 hints %v", f.Hints)
	}
	bd := s.Field("customers", "birthday", "")
	if ms := s.Scan([]byte("1990-01-02"), bd, nil); len(ms) != 1 || ms[0].Type != pi.BirthDate {
		t.Errorf("birth date in a birthday column: %v", ms)
	}
	if ms := s.Scan([]byte("1990-01-02"), s.Field("orders", "created", ""), nil); len(ms) != 0 {
		t.Errorf("a date in an order column is not a birth date: %v", ms)
	}

	only, err := detectors.NewSet(detectors.Options{Now: now, Types: []pi.TypeID{pi.Mobile}})
	if err != nil {
		t.Fatal(err)
	}
	if ms := only.Scan(value, nil, nil); len(ms) != 1 || ms[0].Type != pi.Mobile {
		t.Errorf("--types cn_mobile: %v", ms)
	}
}
