package deid

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/klauspost/compress/gzip"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/piiscan/piiscan/connectors"
	"github.com/piiscan/piiscan/detectors"
	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/masking"
	"github.com/piiscan/piiscan/scanner"
)

// The test computes check digits and Luhn with its own code, not the
// detectors' or the tokenizer's, so a wrong algorithm cannot pass.
func idCard(prefix17 string) string {
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range prefix17 {
		sum += int(c-'0') * w[i]
	}
	return prefix17 + string("10X98765432"[sum%11])
}

func idValid(s string) bool {
	return len(s) == 18 && idCard(s[:17]) == s
}

func luhnValid(s string) bool {
	sum, alt := 0, false
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if alt {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
		alt = !alt
	}
	return sum%10 == 0
}

func card(prefix string) string {
	for d := '0'; d <= '9'; d++ {
		if c := prefix + string(d); luhnValid(c) {
			return c
		}
	}
	panic("unreachable")
}

var (
	ids     = []string{idCard("11010519491231002"), idCard("44030419900307123"), idCard("32010219851111567")}
	mobiles = []string{"13812345678", "15987654321", "18600001111"}
	cards   = []string{card("622202123456789012"), card("621700000012345"), card("622848001122334455")}
)

func testOptions(t *testing.T) FileOptions {
	t.Helper()
	key, err := masking.NewKey(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	m, err := masking.DefaultPolicy().Compile(key)
	if err != nil {
		t.Fatal(err)
	}
	set, err := detectors.NewSet(detectors.Options{Now: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return FileOptions{Masker: m, Detectors: set, Workers: 2}
}

// maskBytes writes in to a file called name in a temporary directory, masks
// it with o (failing the test on an error) and returns the masked copy and
// the summary.
func maskBytes(t *testing.T, o FileOptions, name string, in []byte) ([]byte, *Summary) {
	t.Helper()
	dir := t.TempDir()
	src, out := filepath.Join(dir, name), filepath.Join(dir, "out-"+name)
	if err := os.WriteFile(src, in, 0o600); err != nil {
		t.Fatal(err)
	}
	sum, err := MaskFile(context.Background(), src, out, o)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return got, sum
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func gunzip(t *testing.T, b []byte) []byte {
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func gb(t *testing.T, s string) []byte {
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestMaskFileFormats(t *testing.T) {
	csv := "姓名,身份证号,手机,银行卡号,备注\n" +
		fmt.Sprintf("张伟,%s,%s,%s,\"订单, 已发货\"\n", ids[0], mobiles[0], cards[0]) +
		fmt.Sprintf("李娜,%s,%s,%s,无\n", ids[1], mobiles[1], cards[1])
	jsonl := fmt.Sprintf(`{"user":{"id_no":"%s","phone":"%s"},"msg":"\u5361\u53f7 %s"}`+"\n", ids[2], mobiles[2], cards[2])
	text := fmt.Sprintf("2026-11-24 INFO 用户手机 %s 身份证 %s 订单 202611240000000012345\n", mobiles[0], ids[0])
	sql := "CREATE TABLE `people` (\n  `id` int NOT NULL,\n  `id_no` varchar(18),\n  `phone` varchar(20),\n  `note` text\n);\n" +
		fmt.Sprintf("INSERT INTO `people` VALUES (1,'%s','%s','it\\'s ok'),(2,'%s','%s',NULL);\n", ids[0], mobiles[0], ids[1], mobiles[1])
	tests := []struct {
		name, file string
		data       []byte
		plain      func([]byte) []byte // the output's plain bytes (decompress, decode)
		keep       []string            // text that must survive byte for byte
	}{
		{"csv", "people.csv", []byte(csv), nil, []string{"姓名,身份证号,手机,银行卡号,备注\n", "\"订单, 已发货\"\n"}},
		{"jsonl with escapes", "app.jsonl", []byte(jsonl), nil, []string{`{"user":{"id_no":"`, `"},"msg":"\u5361\u53f7 `}},
		{"gzip log", "app.log.gz", gz([]byte(text)), func(b []byte) []byte { return gunzip(t, b) }, []string{"订单 202611240000000012345\n"}},
		{"gb18030 csv", "gbk.csv", gb(t, csv), func(b []byte) []byte {
			u, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
			if err != nil {
				t.Fatal(err)
			}
			return u
		}, []string{"姓名,身份证号,手机,银行卡号,备注\n"}},
		{"mysqldump", "dump.sql", []byte(sql), nil, []string{"CREATE TABLE `people`", "'it\\'s ok'),(2,'", "',NULL);\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			in, out := filepath.Join(dir, tt.file), filepath.Join(dir, "masked-"+tt.file)
			if err := os.WriteFile(in, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}
			sum, err := MaskFile(context.Background(), in, out, testOptions(t))
			if err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if tt.plain != nil {
				got = tt.plain(got)
			}
			orig, _ := os.ReadFile(in)
			if !bytes.Equal(orig, tt.data) {
				t.Fatal("input was modified")
			}
			for _, v := range append(append(append([]string{}, ids...), mobiles...), cards...) {
				if bytes.Contains(got, []byte(v)) {
					t.Errorf("original value %s…%s still in the output", v[:3], v[len(v)-2:])
				}
			}
			for _, k := range tt.keep {
				if !bytes.Contains(got, []byte(k)) {
					t.Errorf("structure %q not kept in\n%s", k, got)
				}
			}
			if !sum.Verified || sum.OutRecords != sum.Records || sum.Masked == 0 {
				t.Errorf("summary %+v", sum)
			}
			checkTokens(t, got)
		})
	}
}

// checkTokens re-scans masked output: every ID and card token must still be
// a valid value of its type, by the test's own check-digit and Luhn code.
func checkTokens(t *testing.T, b []byte) {
	t.Helper()
	for _, f := range scanBytes(t, b) {
		switch f.Type {
		case pi.IDCard:
			if !idValid(f.Value) {
				t.Errorf("ID token %s fails the check digit", f.Masked)
			}
		case pi.BankCard:
			if !luhnValid(f.Value) {
				t.Errorf("card token %s fails Luhn", f.Masked)
			}
		}
	}
}

func scanBytes(t *testing.T, b []byte) []scanner.Finding {
	t.Helper()
	p := filepath.Join(t.TempDir(), "rescan.txt")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	set, _ := detectors.NewSet(detectors.Options{Types: []pi.TypeID{pi.IDCard, pi.BankCard, pi.Mobile}})
	eng, _ := scanner.New(scanner.Config{Detectors: set, Reveal: true})
	src, err := connectors.Open([]string{p}, connectors.Options{Format: connectors.FormatText})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var fs []scanner.Finding
	if _, err := eng.Run(context.Background(), src, scanner.SinkFunc(func(b []scanner.Finding) error {
		fs = append(fs, b...)
		return nil
	})); err != nil {
		t.Fatal(err)
	}
	return fs
}

func TestMaskFileIsConsistentAcrossFiles(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.csv")
	os.WriteFile(a, []byte("身份证 "+ids[0]+"\n"), 0o600)
	os.WriteFile(b, []byte("id_no\n"+ids[0]+"\n"), 0o600)
	o := testOptions(t)
	for _, p := range []string{a, b} {
		if _, err := MaskFile(context.Background(), p, p+".out", o); err != nil {
			t.Fatal(err)
		}
	}
	ta, _ := os.ReadFile(a + ".out")
	tb, _ := os.ReadFile(b + ".out")
	tokA := strings.Fields(string(ta))[1]
	tokB := strings.Split(strings.TrimSpace(string(tb)), "\n")[1]
	if tokA != tokB || tokA == ids[0] || !idValid(tokA) {
		t.Fatalf("tokens differ or invalid: %s… vs %s…", tokA[:6], tokB[:6])
	}
}

func TestMaskFileRefusesBadInputAndOverwrite(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "bad.csv")
	os.WriteFile(in, []byte("a,b\n1,\"unterminated "+ids[0]+"\n"), 0o600)
	out := filepath.Join(dir, "out.csv")
	os.WriteFile(out, []byte("previous"), 0o600)
	_, err := MaskFile(context.Background(), in, out, testOptions(t))
	if !errors.Is(err, ErrInput) {
		t.Fatalf("err = %v, want ErrInput", err)
	}
	if strings.Contains(err.Error(), ids[0]) {
		t.Fatal("error quotes the raw value")
	}
	if b, _ := os.ReadFile(out); string(b) != "previous" {
		t.Fatalf("output replaced after a failure: %q", b)
	}
	if _, err := MaskFile(context.Background(), in, in, testOptions(t)); err == nil || !strings.Contains(err.Error(), "over its input") {
		t.Fatalf("masking over the input: %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Fatalf("temporary files left behind: %v", ents)
	}
}

func TestUnmaskReversesTokens(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	body := "姓名,身份证号,手机,银行卡号\n" + fmt.Sprintf("张伟,%s,%s,%s\n", ids[0], mobiles[0], cards[0])
	os.WriteFile(in, []byte(body), 0o600)
	o := testOptions(t)
	if _, err := MaskFile(context.Background(), in, in+".masked", o); err != nil {
		t.Fatal(err)
	}
	o.Unmask = true
	if _, err := MaskFile(context.Background(), in+".masked", in+".back", o); err != nil {
		t.Fatal(err)
	}
	back, _ := os.ReadFile(in + ".back")
	want := "姓名,身份证号,手机,银行卡号\n" + fmt.Sprintf("张*,%s,%s,%s\n", ids[0], mobiles[0], cards[0])
	if string(back) != want {
		t.Fatalf("unmasked\n%s\nwant\n%s", back, want)
	}
}

// bigCSV has enough rows for many engine batches, so masking runs on
// several jobs at once.
func bigCSV(rows int) string {
	var sb strings.Builder
	sb.WriteString("姓名,身份证号,手机,银行卡号,备注\n")
	for i := range rows {
		fmt.Fprintf(&sb, "张伟,%s,%s,%s,\"回拨 %s\"\n", ids[i%3], mobiles[i%3], cards[i%3], mobiles[(i+1)%3])
	}
	return sb.String()
}

func TestMaskFileOutputDoesNotDependOnWorkers(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	os.WriteFile(in, []byte(bigCSV(3000)), 0o600)
	var first []byte
	for _, w := range []int{1, 3} {
		o := testOptions(t)
		o.Workers = w
		out := filepath.Join(dir, fmt.Sprintf("out%d.csv", w))
		sum, err := MaskFile(context.Background(), in, out, o)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Masked != 3000*5 || sum.ValuesMasked != 3000*5 {
			t.Fatalf("workers %d: %d spans in %d values masked, want %d", w, sum.Masked, sum.ValuesMasked, 3000*5)
		}
		b, _ := os.ReadFile(out)
		if first == nil {
			first = b
			checkTokens(t, b)
		} else if !bytes.Equal(b, first) {
			t.Fatalf("workers %d: output differs from workers 1", w)
		}
	}
}

func TestMaskFileRefusesUnsafeReplacement(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	os.WriteFile(in, []byte(bigCSV(3000)), 0o600)
	p, err := masking.ParsePolicy([]byte("version: 1\nrules:\n  - name: quoted\n    types: [cn_mobile]\n    operator: replace\n    params: {text: 'a\"b'}\n"), "test")
	if err != nil {
		t.Fatal(err)
	}
	o := testOptions(t)
	if o.Masker, err = p.Compile(nil); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.csv")
	_, err = MaskFile(context.Background(), in, out, o)
	if err == nil || !strings.Contains(err.Error(), `rule "quoted"`) || !strings.Contains(err.Error(), "record 1") {
		t.Fatalf("err = %v, want the unsafe rule named at record 1", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("output or temporary files left behind: %v", ents)
	}
}

// The fast screen in replacer.replace must flag every value checkSafe
// refuses: all single bytes and byte pairs, in every format.
func TestUnsafeBytesCoverCheckSafe(t *testing.T) {
	for _, f := range []struct {
		format string
		delim  byte
	}{{connectors.FormatCSV, ','}, {connectors.FormatTSV, '\t'}, {connectors.FormatCSV, ';'}, {connectors.FormatJSON, 0},
		{connectors.FormatJSONL, 0}, {connectors.FormatSQL, 0}, {connectors.FormatText, 0}} {
		set := unsafeBytes(f.format, f.delim)
		for a := range 256 {
			for b := range 257 {
				v := []byte{byte(a)}
				if b < 256 {
					v = append(v, byte(b))
				}
				refused := checkSafe(v, "r", f.format, f.delim) != nil
				if refused && !set.any(v) && utf8.Valid(v) {
					t.Fatalf("%s: % x refused by checkSafe but passes the screen", f.format, v)
				}
				if want := set.any(v) || !utf8.Valid(v); set.suspect(v) != want {
					t.Fatalf("%s: suspect(% x) = %v, want %v", f.format, v, !want, want)
				}
			}
		}
		for _, v := range []string{"", "王伟", "138****5678", "440304198001011234", "王\xe4\xbc", "a\xffb", "12345678\x00", "\xc0\x80",
			"\xed\xa0\x80", "订单'王", "客户备注：请放门口", "X\u00e9"} {
			if want := set.any([]byte(v)) || !utf8.ValidString(v); set.suspect([]byte(v)) != want {
				t.Fatalf("%s: suspect(%q) = %v, want %v", f.format, v, !want, want)
			}
		}
	}
}

// TestCheckSafeJSONTab: a raw TAB is not allowed in a JSON string, so a
// replacement holding one is refused there (it produced invalid JSON),
// and allowed in CSV and text.
func TestCheckSafeJSONTab(t *testing.T) {
	v := []byte("a\tb")
	for _, f := range []string{connectors.FormatJSON, connectors.FormatJSONL} {
		if checkSafe(v, "r", f, 0) == nil {
			t.Errorf("%s: TAB accepted", f)
		}
	}
	if err := checkSafe(v, "r", connectors.FormatCSV, ','); err != nil {
		t.Errorf("csv: %v", err)
	}
}

// TestMaskFileHeaderlessCSV: a CSV whose first row is data of names and
// addresses (no digits to tell it by) is masked row for row, and the
// verifier reads the output with the input's header decision: its masked
// first row (张*,男,北京市****) no longer looks like data by itself, and was
// taken for a header, failing the record count with nothing written.
func TestMaskFileHeaderlessCSV(t *testing.T) {
	for _, c := range []struct {
		name, data string
		records    int64
		keep       string
	}{
		{"no header", "张三,男,北京市朝阳区建国路88号\n李四,女,上海市浦东新区世纪大道100号\n", 2, ",男,"},
		{"header", "姓名,性别,地址\n张三,男,北京市朝阳区建国路88号\n", 1, "姓名,性别,地址\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			in, out := filepath.Join(dir, "people.csv"), filepath.Join(dir, "masked.csv")
			if err := os.WriteFile(in, []byte(c.data), 0o600); err != nil {
				t.Fatal(err)
			}
			sum, err := MaskFile(context.Background(), in, out, testOptions(t))
			if err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(out)
			for _, raw := range []string{"张三", "李四", "建国路88号", "世纪大道100号"} {
				if bytes.Contains(got, []byte(raw)) {
					t.Errorf("%s still in the output:\n%s", raw, got)
				}
			}
			if !bytes.Contains(got, []byte(c.keep)) {
				t.Errorf("%q not kept:\n%s", c.keep, got)
			}
			if !sum.Verified || sum.Records != c.records || sum.OutRecords != c.records {
				t.Errorf("summary %+v", sum)
			}
		})
	}
}
