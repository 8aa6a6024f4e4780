package masking

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/piiscan/piiscan/detectors/pi"
)

// TestBadPolicies: each file in testdata/policies states the error it must
// give in its first line ("# want: ...").
func TestBadPolicies(t *testing.T) {
	files, _ := filepath.Glob("testdata/policies/*.yaml")
	if len(files) < 10 {
		t.Fatalf("%d bad policies", len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		first, _, _ := strings.Cut(string(b), "\n")
		want, ok := strings.CutPrefix(first, "# want: ")
		if !ok {
			t.Fatalf("%s: first line must be '# want: ...'", f)
		}
		_, err = LoadPolicy(f)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), f) {
			t.Errorf("%s: err %v, want it to name the file and contain %q", f, err, want)
		}
	}
}

func TestDefaultPolicy(t *testing.T) {
	p := DefaultPolicy()
	if _, err := p.Compile(nil); !errors.Is(err, ErrNoKey) {
		t.Errorf("default policy compiled without a key: %v", err)
	}
	m, err := p.Compile(testKey(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	if m.KeyID() != testKey(t, 1).ID() {
		t.Error("KeyID differs from the key's")
	}
	for _, tc := range []struct {
		t        pi.TypeID
		v, rule  string
		want     string // "" = check by property
		validate func(string) bool
	}{
		{pi.IDCard, "11010519491231002X", "identifiers-tokenised", "", func(s string) bool { return idOK(s) && s[:6] == "110105" && s != "11010519491231002X" }},
		{pi.Mobile, "13812345678", "identifiers-tokenised", "", func(s string) bool { return len(s) == 11 && s[:3] == "138" && s != "13812345678" }},
		{pi.BankCard, "6222021234567890128", "identifiers-tokenised", "", func(s string) bool { return luhn(s) && s[:6] == "622202" }},
		{pi.IDCard, "110105194902300026", "identifiers-tokenised", "110105********0026", nil}, // 30 Feb: fallback mask
		{pi.Name, "欧阳娜娜", "names-addresses-masked", "欧阳**", nil},
		{pi.Address, "广东省深圳市南山区", "names-addresses-masked", "广东省深圳市***", nil},
		{pi.Email, "zhangsan@example.com", "email-masked", "z*******@example.com", nil},
		{pi.Health, "高血压", "sensitive-categories-replaced", "[健康信息]", nil},
		{pi.Credential, "hunter2", "credentials-redacted", "", func(s string) bool { return s == "" }},
		{pi.Passport, "E12345678", "everything-else-masked", "E1******8", nil},
	} {
		r := m.Rule("shop.customers", "c", tc.t, pi.DefaultGrade(tc.t))
		if r.Name != tc.rule {
			t.Errorf("%s: rule %q, want %q", tc.t, r.Name, tc.rule)
		}
		out, err := m.Mask(nil, "shop.customers", "c", tc.t, pi.DefaultGrade(tc.t), []byte(tc.v))
		if err != nil {
			t.Errorf("%s: %v", tc.t, err)
			continue
		}
		if tc.validate != nil && !tc.validate(string(out)) || tc.validate == nil && string(out) != tc.want {
			t.Errorf("%s: masked to %q", tc.t, out)
		}
		if r.Operator == "tokenize" && tc.validate != nil {
			back, err := m.Unmask(nil, "shop.customers", "c", tc.t, pi.DefaultGrade(tc.t), out)
			if err != nil || string(back) != tc.v {
				t.Errorf("%s: unmask gave %q (%v)", tc.t, back, err)
			}
		}
	}
	if _, err := m.Unmask(nil, "", "", pi.Name, pi.GradeOrdinary, []byte("张*")); !errors.Is(err, ErrIrreversible) {
		t.Errorf("unmask of a masked name: %v", err)
	}
	if !strings.Contains(string(DefaultPolicyYAML()), "identifiers-tokenised") {
		t.Error("DefaultPolicyYAML is not the default policy")
	}
}

// idOK and luhn are independent of the tokenizer (see masking/fpe for the
// full property tests).
func idOK(s string) bool {
	if len(s) != 18 {
		return false
	}
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, x := range w {
		sum += int(s[i]-'0') * x
	}
	return s[17] == "10X98765432"[sum%11]
}

func luhn(s string) bool {
	sum := 0
	for i := range len(s) {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

func TestRuleMatching(t *testing.T) {
	p, err := LoadPolicy("testdata/shop_policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := p.Compile(testKey(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		table, column string
		t             pi.TypeID
		g             pi.Grade
		rule          string
	}{
		{"shop.customers", "id_no", pi.IDCard, pi.GradeSensitive, "customer-ids"},
		{"shop.customers", "ID_NO", pi.IDCard, pi.GradeSensitive, "customer-ids"}, // case-insensitive
		{"customers", "id_no", pi.IDCard, pi.GradeSensitive, "ids"},               // no db: 3-part glob cannot match
		{"other.customers", "id_no", pi.IDCard, pi.GradeSensitive, "ids"},
		{"orders", "phone", pi.Mobile, pi.GradeOrdinary, "any-phone-column"},
		{"shop.orders", "phone", pi.Mobile, pi.GradeOrdinary, "any-phone-column"},
		{"", "mobile_no", pi.Mobile, pi.GradeOrdinary, "any-phone-column"},
		{"", "phone", pi.Mobile, pi.GradeOrdinary, "any-phone-column"}, // "*" matches the empty table
		{"", "", pi.Mobile, pi.GradeOrdinary, "ids"},                   // plain text: no column
		{"", "", pi.Email, pi.GradeOrdinary, "pseudonym-emails"},
		{"clinic.visits", "visited_on", pi.BirthDate, pi.GradeOrdinary, "birth-years"}, // type rule comes first
		{"clinic.visits", "visited_on", "visit_date", pi.GradeOrdinary, "visit-dates"},
		{"x", "notes", pi.Health, pi.GradeSensitive, "notes"},
		{"x", "y", pi.Health, pi.GradeSensitive, "sensitive"},
		{"x", "y", pi.Name, pi.GradeOrdinary, "ordinary"},
		{"x", "y", pi.USCC, pi.GradeNone, "(no rule matched: default mask)"},
	} {
		for range 2 { // second time from the cache
			if r := m.Rule(tc.table, tc.column, tc.t, tc.g); r.Name != tc.rule {
				t.Errorf("%s.%s %s/%s: rule %q, want %q", tc.table, tc.column, tc.t, tc.g, r.Name, tc.rule)
			}
		}
	}
	// Operators of that policy.
	if out, _ := m.Mask(nil, "", "phone", pi.Mobile, pi.GradeOrdinary, []byte("13812345678")); string(out) != "138******78" {
		t.Errorf("phone column mask: %q", out)
	}
	// An e-mail's pseudonym is its local part: the domain is kept.
	if out, _ := m.Mask(nil, "", "", pi.Email, pi.GradeOrdinary, []byte("a@b.cn")); len(out) != 12+len("@b.cn") || !strings.HasSuffix(string(out), "@b.cn") {
		t.Errorf("hash length 12: %q", out)
	}
	if _, err := m.Mask(nil, "x", "notes", pi.Health, pi.GradeSensitive, []byte("高血压")); !errors.Is(err, ErrNull) {
		t.Errorf("null rule: %v", err)
	}
	a, _ := m.MaskSubject(nil, "clinic.visits", "visited_on", "visit_date", pi.GradeOrdinary, []byte("p1"), []byte("2024-01-10"))
	b, _ := m.MaskSubject(nil, "clinic.visits", "visited_on", "visit_date", pi.GradeOrdinary, []byte("p1"), []byte("2024-01-11"))
	if len(a) != 10 || len(b) != 10 || a[9]+1 != b[9] && string(a[5:7]) == string(b[5:7]) {
		t.Errorf("shift_date per subject: %s %s", a, b)
	}
	if r := m.Rule("clinic.visits", "visited_on", "visit_date", pi.GradeOrdinary); r.Subject != "patient_id" {
		t.Errorf("subject column %q", r.Subject)
	}
	// fallback: fail reports the rule, not the value.
	_, err = m.Mask(nil, "x", "y", pi.Name, pi.GradeOrdinary, []byte("张三"))
	if err != nil {
		t.Errorf("mask of a name: %v", err)
	}
	// SM4 column tokens differ from the AES type-rule tokens but both reverse.
	sm, _ := m.Mask(nil, "shop.customers", "id_no", pi.IDCard, pi.GradeSensitive, []byte("11010519491231002X"))
	ae, _ := m.Mask(nil, "customers", "id_no", pi.IDCard, pi.GradeSensitive, []byte("11010519491231002X"))
	if string(sm) == string(ae) || !idOK(string(sm)) || !idOK(string(ae)) {
		t.Errorf("sm4 %s, aes %s", sm, ae)
	}
	if back, _ := m.Unmask(nil, "shop.customers", "id_no", pi.IDCard, pi.GradeSensitive, sm); string(back) != "11010519491231002X" {
		t.Errorf("sm4 unmask %q", back)
	}
}

func TestFallbackFail(t *testing.T) {
	p, err := ParsePolicy([]byte("version: 1\nrules:\n  - name: gen\n    operator: generalize\n    fallback: fail\n"), "inline")
	if err != nil {
		t.Fatal(err)
	}
	m, err := p.Compile(nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Mask([]byte("x"), "", "", pi.Name, pi.GradeOrdinary, []byte("张三"))
	if err == nil || !strings.Contains(err.Error(), `rule "gen"`) || strings.Contains(err.Error(), "张三") {
		t.Errorf("err %v: want the rule named and the value absent", err)
	}
}

// TestConsistency: two Maskers compiled separately from the same policy and
// key (two runs, two files) give identical output; clones used on several
// goroutines too.
func TestConsistency(t *testing.T) {
	key := testKey(t, 9)
	m1, _ := DefaultPolicy().Compile(key)
	m2, _ := DefaultPolicy().Compile(key)
	values := []struct {
		t pi.TypeID
		v string
	}{{pi.IDCard, "11010519491231002X"}, {pi.Mobile, "+86 13812345678"}, {pi.BankCard, "6222021234567890128"}, {pi.Name, "张三"}}
	want := make([]string, len(values))
	for i, v := range values {
		a, _ := m1.Mask(nil, "a", "b", v.t, pi.DefaultGrade(v.t), []byte(v.v))
		b, _ := m2.Mask(nil, "c", "d", v.t, pi.DefaultGrade(v.t), []byte(v.v))
		if string(a) != string(b) {
			t.Errorf("%s: %s vs %s", v.t, a, b)
		}
		want[i] = string(a)
	}
	var wg sync.WaitGroup
	for range 4 {
		c := m1.Clone()
		wg.Go(func() {
			for range 500 {
				for i, v := range values {
					out, err := c.Mask(nil, "a", "b", v.t, pi.DefaultGrade(v.t), []byte(v.v))
					if err != nil || string(out) != want[i] {
						t.Errorf("clone: %s gave %s (%v)", v.t, out, err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

// TestDefaultPolicyCoversEveryType: under the default policy no built-in
// type passes through unchanged.
func TestDefaultPolicyCoversEveryType(t *testing.T) {
	m, err := DefaultPolicy().Compile(testKey(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	samples := map[pi.TypeID]string{
		pi.IDCard: "11010519491231002X", pi.Passport: "E12345678", pi.TravelPermit: "C12345678",
		pi.BankCard: "6222021234567890128", pi.Mobile: "13812345678", pi.Landline: "010-88886666",
		pi.Email: "zhangsan@example.com", pi.IPv4: "192.168.1.77", pi.IPv6: "2001:db8::1",
		pi.LicensePlate: "京A12345", pi.Name: "张三", pi.Address: "广东省深圳市南山区科技园路1号",
		pi.BirthDate: "1990-05-01", pi.GeoCoordinate: "22.5431,114.0579", pi.Credential: "hunter2",
		pi.Minor: "110105201501010012", pi.USCC: "91440300MA5D1234X1",
	}
	for _, typ := range pi.BuiltinTypes {
		v, ok := samples[typ]
		if !ok {
			v = "某种敏感信息"
		}
		out, err := m.Mask(nil, "t", "c", typ, pi.DefaultGrade(typ), []byte(v))
		if err != nil {
			t.Errorf("%s: %v", typ, err)
		}
		if string(out) == v {
			t.Errorf("%s passes through the default policy unchanged", typ)
		}
	}
}
