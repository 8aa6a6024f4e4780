package detectors

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/detectors/structured"
)

var restrictSubsets = [][]pi.TypeID{
	{pi.Mobile},
	{pi.IDCard},
	{pi.Minor},
	{pi.IDCard, pi.Mobile, pi.Email, pi.BankCard, pi.Landline},
	{pi.Passport, pi.TravelPermit, pi.LicensePlate, pi.USCC, pi.IPv4, pi.IPv6},
	{pi.BirthDate, pi.Minor, pi.Landline},
}

// checkRestrict fails when a restricted structured detector does not report
// exactly the full detector's matches of its types.
func checkRestrict(t *testing.T, d *structured.Detector, v []byte) {
	t.Helper()
	for _, keep := range restrictSubsets {
		r := d.Restrict(keep).(Detector)
		for _, f := range []*pi.Field{{}, {Column: "phone", Hints: []pi.TypeID{pi.Mobile}}} {
			want := filtered{d, keep}.Find(v, f, nil)
			got := r.Find(v, f, nil)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("Restrict(%v) on %q:\n got %v\nwant %v", keep, v, got, want)
			}
		}
	}
}

func TestRestrictEqualsFilter(t *testing.T) {
	d := structured.New(time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC))
	n := 0
	for _, name := range []string{"notes.txt", "customers.csv", "users.csv", "decoys.log", "app.jsonl", "shop.sql"} {
		b, err := os.ReadFile("../corpus/sample/" + name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			checkRestrict(t, d, sc.Bytes())
			n++
		}
	}
	if n < 200 {
		t.Fatalf("only %d lines", n)
	}
	// A card's digits hold no mobile under --types cn_mobile.
	r := d.Restrict([]pi.TypeID{pi.Mobile}).(Detector)
	if ms := r.Find([]byte("卡号 6222 0212 3456 7890 128"), &pi.Field{}, nil); len(ms) != 0 {
		t.Fatalf("card fragments reported as %v", ms)
	}
}

func FuzzRestrict(f *testing.F) {
	d := structured.New(time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC))
	for _, s := range []string{"身份证11010520150101001X 电话13812345678", "6222 0212 3456 7890 128", "京A12345 E12345678 1.2.3.4"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, v []byte) { checkRestrict(t, d, v) })
}
