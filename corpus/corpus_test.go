package corpus

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestCheckAlgorithmsOnPublishedExamples(t *testing.T) {
	// Examples printed in GB 11643-1999 and GB 32100-2015, and the classic
	// Luhn test number.
	for _, id := range []string{"11010519491231002X", "440524188001010014"} {
		if got := idCheck(id[:17]); got != id[17] {
			t.Errorf("idCheck(%s) = %c, want %c", id[:17], got, id[17])
		}
		if !plausibleID18(id, ScanDate) {
			t.Errorf("plausibleID18(%s) = false", id)
		}
	}
	if !luhnValid("4111111111111111") || luhnValid("4111111111111112") {
		t.Error("luhnValid wrong on 4111111111111111/2")
	}
	if got := luhnCheck("7992739871"); got != '3' {
		t.Errorf("luhnCheck(7992739871) = %c, want 3", got)
	}
	const uscc = "91350100M000100Y43"
	if got := usccCheck(uscc[:17]); got != uscc[17] {
		t.Errorf("usccCheck(%s) = %c, want %c", uscc[:17], got, uscc[17])
	}
	if got := orgCodeCheck(uscc[8:16]); got != uscc[16] {
		t.Errorf("orgCodeCheck(%s) = %c, want %c", uscc[8:16], got, uscc[16])
	}
}

func TestWriteIsDeterministic(t *testing.T) {
	for _, f := range append(slices.Clone(Formats), FormatMixed, FormatDense) {
		var a, b bytes.Buffer
		la, _, err := Write(&a, f, Options{Seed: 7, Size: 20000}, true)
		if err != nil {
			t.Fatal(err)
		}
		lb, _, _ := Write(&b, f, Options{Seed: 7, Size: 20000}, true)
		if !bytes.Equal(a.Bytes(), b.Bytes()) || !slices.EqualFunc(la, lb, func(x, y Label) bool { return x.Offset == y.Offset && x.Type == y.Type }) {
			t.Errorf("%s: two runs with one seed differ", f)
		}
		var c bytes.Buffer
		Write(&c, f, Options{Seed: 8, Size: 20000}, false)
		if bytes.Equal(a.Bytes(), c.Bytes()) {
			t.Errorf("%s: seeds 7 and 8 give the same bytes", f)
		}
	}
}

func binKnown(digits string) bool {
	for _, b := range bins {
		if strings.HasPrefix(digits, b.prefix) && len(digits) == b.length {
			return true
		}
	}
	return false
}

// checkValue validates a planted value with the corpus's own rules, so a
// generator bug cannot hide behind a matching detector bug.
func checkValue(t *testing.T, l Label, v, core string) {
	t.Helper()
	bad := func(why string) { t.Errorf("%s at %d: %q %s", l.Type, l.Offset, v, why) }
	switch l.Type {
	case IDCard, Minor:
		up := strings.ToUpper(v)
		if !plausibleID18(up, ScanDate) && !plausibleID15(up) {
			bad("is not a valid ID number")
		}
		if l.Type == Minor {
			b, _ := time.Parse("20060102", v[6:14])
			if len(v) != 18 || !b.AddDate(14, 0, 0).After(ScanDate) {
				bad("is not a minor's ID")
			}
		}
	case BankCard:
		d := strings.ReplaceAll(v, " ", "")
		if !luhnValid(d) || !binKnown(d) {
			bad("fails Luhn or BIN")
		}
	case Mobile:
		d := strings.NewReplacer(" ", "", "-", "").Replace(core)
		if len(d) != 11 || !isDigits(d) || !slices.Contains(mobilePrefixes, d[:3]) {
			bad("is not a mobile")
		}
		if pre := v[:len(v)-len(core)]; !slices.Contains([]string{"", "+86", "+86 ", "+86-", "0086", "0086 "}, pre) {
			bad("has prefix " + pre)
		}
	case Landline:
		c := strings.TrimLeft(core, "(（")
		ok := false
		for _, ac := range areaCodes {
			ok = ok || strings.HasPrefix(c, ac)
		}
		if !ok {
			bad("has no area code")
		}
	case Email:
		if strings.Count(v, "@") != 1 || !strings.Contains(v[strings.IndexByte(v, '@'):], ".") {
			bad("is not an e-mail")
		}
	case IPv4:
		if ip := net.ParseIP(v); ip == nil || ip.To4() == nil {
			bad("is not IPv4")
		}
	case IPv6:
		if ip := net.ParseIP(v); ip == nil || ip.To4() != nil {
			bad("is not IPv6")
		}
	case USCC:
		if len(v) != 18 || usccCheck(v[:17]) != v[17] {
			bad("fails the USCC check")
		}
	case Passport, TravelPermit:
		if len(v) < 9 || !isDigits(v[len(v)-7:]) {
			bad("is not a document number")
		}
	case Decoy:
		d := strings.NewReplacer(" ", "", "-", "").Replace(v)
		if plausibleID18(d, ScanDate) || len(d) == 15 && plausibleID15(d) ||
			(len(d) >= 16 && len(d) <= 19 && isDigits(d) && luhnValid(d) && binKnown(d)) ||
			len(d) == 11 && isDigits(d) && slices.Contains(mobilePrefixes, d[:3]) {
			bad("(decoy " + l.Kind + ") is a valid value")
		}
	}
	if !utf8.ValidString(v) || strings.TrimSpace(v) != v || v == "" {
		bad("is empty, not UTF-8 or padded")
	}
}

func TestLabelsPointAtValidValues(t *testing.T) {
	for _, f := range append(slices.Clone(Formats), FormatMixed, FormatDense) {
		var buf bytes.Buffer
		labels, n, err := Write(&buf, f, Options{Seed: 3, Size: 300000}, true)
		if err != nil {
			t.Fatal(err)
		}
		data := buf.Bytes()
		if int64(len(data)) != n || n < 300000 {
			t.Fatalf("%s: wrote %d bytes, reported %d", f, len(data), n)
		}
		counts := map[string]int{}
		var prevEnd int64
		for i, l := range labels {
			counts[l.Type]++
			if l.Offset < prevEnd && !(i > 0 && labels[i-1].Offset == l.Offset && labels[i-1].Length == l.Length) {
				t.Fatalf("%s: label %d overlaps the previous one", f, i)
			}
			prevEnd = l.End()
			v := string(data[l.Offset:l.End()])
			cs, ce := l.CoreSpan()
			if cs < l.Offset || ce > l.End() {
				t.Fatalf("%s: label %d core outside label", f, i)
			}
			checkValue(t, l, v, string(data[cs:ce]))
			// Structured values stand alone: no letter or digit glued to them.
			if slices.Contains([]string{IDCard, Passport, TravelPermit, BankCard, Mobile, Landline, Email, IPv4, IPv6, USCC, BirthDate}, l.Type) {
				escaped := l.Offset > 1 && data[l.Offset-2] == '\\' // \t, \n before the value
				if l.Offset > 0 && isAlnum(data[l.Offset-1]) && !escaped || l.End() < n && isAlnum(data[l.End()]) {
					t.Errorf("%s: %s at %d is glued to a neighbour: %q", f, l.Type, l.Offset, data[max(0, l.Offset-3):min(n, l.End()+3)])
				}
			}
		}
		if f == FormatDecoys {
			if len(counts) != 1 || counts[Decoy] == 0 {
				t.Errorf("decoy log has labels %v, want only decoys", counts)
			}
		} else if len(counts) < 4 {
			t.Errorf("%s: only %v planted", f, counts)
		}
		switch f {
		case FormatJSONL:
			for i, line := range bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
				if !json.Valid(line) {
					t.Fatalf("jsonl line %d is not valid JSON", i+1)
				}
			}
		case FormatCSVZh, FormatCSVEn:
			rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
			if err != nil || len(rows) < 10 {
				t.Fatalf("%s: csv: %v (%d rows)", f, err, len(rows))
			}
		}
	}
}

func TestCorpusCoversEveryType(t *testing.T) {
	counts := map[string]int{}
	kinds := map[string]int{}
	for _, f := range Formats {
		labels, _, _ := Write(&bytes.Buffer{}, f, Options{Seed: 1, Size: 200000}, true)
		for _, l := range labels {
			counts[l.Type]++
			kinds[l.Kind]++
		}
	}
	for _, typ := range Types {
		if counts[typ] < 20 {
			t.Errorf("only %d %s values in 1.4 MB", counts[typ], typ)
		}
	}
	for _, k := range decoyKinds {
		if kinds[k] < 5 {
			t.Errorf("only %d decoys of kind %s", kinds[k], k)
		}
	}
}
