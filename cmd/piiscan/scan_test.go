package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs the piiscan command line in-process and returns what it
// printed (stdout and stderr) and its exit status.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := newRootCmd()
	var out, errb bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	cmd.SetArgs(args)
	err := cmd.Execute()
	var ee *exitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.code
		errb.WriteString(ee.Error())
	default:
		code = exitInput
		errb.WriteString(err.Error())
	}
	return out.String(), errb.String(), code
}

// A valid ID number (check digit computed here), a mobile and a Luhn-valid
// card with a real BIN.
const (
	testID     = "11010519491231002X"
	testMobile = "13812345678"
	testCard   = "6222021234567890128"
)

func TestScanExitCodesAndMasking(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "people.csv")
	os.WriteFile(csv, []byte("姓名,身份证号,手机,银行卡号\n张伟,"+testID+","+testMobile+","+testCard+"\n"), 0o600)
	clean := filepath.Join(dir, "clean.txt")
	os.WriteFile(clean, []byte("订单 20261124000012345678 已发货\n版本 13.81.234.5678\n"), 0o600)

	out, _, code := runCLI(t, "scan", csv)
	if code != 0 {
		t.Fatalf("scan without --fail-on exited %d", code)
	}
	for _, raw := range []string{testID, testMobile, testCard} {
		if strings.Contains(out, raw) {
			t.Fatalf("findings contain a raw value:\n%s", out)
		}
	}
	types := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var f struct{ Type, Masked, Source, Field string }
		if err := json.Unmarshal([]byte(line), &f); err != nil {
			t.Fatalf("not a JSON line: %q", line)
		}
		types[f.Type] = true
		if f.Source != csv || f.Field == "" || !strings.Contains(f.Masked, "*") {
			t.Fatalf("finding %+v", f)
		}
	}
	for _, want := range []string{"cn_id_card", "cn_mobile", "bank_card", "cn_name"} {
		if !types[want] {
			t.Errorf("no %s finding in\n%s", want, out)
		}
	}

	if _, _, code := runCLI(t, "scan", "--fail-on", "sensitive", csv); code != exitFindings {
		t.Fatalf("--fail-on sensitive with an ID number: exit %d, want 1", code)
	}
	if _, _, code := runCLI(t, "scan", "--fail-on", "ordinary", clean); code != 0 {
		t.Fatalf("--fail-on ordinary on decoys only: exit %d, want 0", code)
	}
	out, _, _ = runCLI(t, "scan", "--reveal", csv)
	if !strings.Contains(out, testID) {
		t.Fatal("--reveal does not show the value")
	}
	if _, _, code := runCLI(t, "scan", "--format", "yaml", csv); code != exitInput {
		t.Fatalf("bad --format: exit %d, want 2", code)
	}
	if _, _, code := runCLI(t, "scan", filepath.Join(dir, "missing")); code != exitInput {
		t.Fatalf("missing input: exit %d, want 2", code)
	}
}

func TestScanBrokenInputIsReportedAndTheRestScanned(t *testing.T) {
	dir := t.TempDir()
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	for i := range 2000 {
		fmt.Fprintf(w, "line %d 手机 %s\n", i, testMobile)
	}
	w.Close()
	trunc := filepath.Join(dir, "app.log.gz")
	os.WriteFile(trunc, gz.Bytes()[:gz.Len()/2], 0o600)
	badCSV := filepath.Join(dir, "bad.csv")
	os.WriteFile(badCSV, []byte("a,b\n1,\"open "+testID+"\n"), 0o600)
	good := filepath.Join(dir, "good.txt")
	os.WriteFile(good, []byte("身份证 "+testID+"\n"), 0o600)

	report := filepath.Join(dir, "r.json")
	// A database that cannot be reached, among other inputs, is one input
	// error too: named without its password, the rest still scanned.
	down := "postgres://scanner:hunter2pw@127.0.0.1:1/crm"
	out, stderr, code := runCLI(t, "scan", "--report", report, trunc, badCSV, down, good)
	if code != exitInput {
		t.Fatalf("broken input: exit %d, want 2", code)
	}
	if !strings.Contains(stderr, trunc) || !strings.Contains(stderr, badCSV) {
		t.Fatalf("errors do not name the files:\n%s", stderr)
	}
	if strings.Contains(stderr, testID) || strings.Contains(stderr, testMobile) {
		t.Fatalf("errors quote raw values:\n%s", stderr)
	}
	if !strings.Contains(out, `"source":"`+good+`"`) || !strings.Contains(out, `"source":"`+trunc+`"`) {
		t.Fatalf("the readable input was not scanned:\n%.600s", out)
	}
	b, err := os.ReadFile(report)
	if err != nil || !bytes.Contains(b, []byte(`"errors"`)) {
		t.Fatalf("report without errors: %v", err)
	}
	if !bytes.Contains(b, []byte(`"source": "postgres://127.0.0.1:1/crm"`)) || !strings.Contains(stderr, "postgres://127.0.0.1:1/crm") {
		t.Errorf("the unreachable database is not an input error:\n%s", stderr)
	}
	if bytes.Contains(b, []byte("hunter2pw")) || strings.Contains(stderr, "hunter2pw") || strings.Contains(out, "hunter2pw") {
		t.Error("the password is in the output")
	}
}

func TestTypesListsEveryBuiltinType(t *testing.T) {
	out, _, code := runCLI(t, "types")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"cn_id_card", "sensitive", "cn_mobile", "ordinary", "cn_uscc", "none", "minor"} {
		if !strings.Contains(out, want) {
			t.Errorf("types output lacks %q:\n%s", want, out)
		}
	}
}

// TestScanFormatNone: the report alone, with the same totals and exit codes
// as a run that prints every finding.
func TestScanFormatNone(t *testing.T) {
	dir := t.TempDir()
	full, only := filepath.Join(dir, "full.json"), filepath.Join(dir, "only.json")
	if _, _, code := runCLI(t, "scan", "--format", "jsonl", "--report", full, "../../corpus/sample"); code != 0 {
		t.Fatalf("jsonl scan exited %d", code)
	}
	out, _, code := runCLI(t, "scan", "--format", "none", "--report", only, "--fail-on", "sensitive", "../../corpus/sample")
	if code != exitFindings || out != "" {
		t.Fatalf("--format none --fail-on sensitive: exit %d, stdout %q", code, out)
	}
	totals := func(p string) string {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var r struct {
			Totals  json.RawMessage
			Columns []struct{ Grade, Rule string }
		}
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%s %v", r.Totals, r.Columns)
	}
	if a, b := totals(full), totals(only); a != b || !strings.Contains(a, "cn_id_card") {
		t.Fatalf("report totals differ:\n jsonl %s\n  none %s", a, b)
	}
	if _, _, code := runCLI(t, "scan", "--format", "none", "--out", filepath.Join(dir, "x"), "../../corpus/sample"); code != exitInput {
		t.Fatalf("--format none with --out: exit %d, want 2", code)
	}
}

// TestScanOutputIsNotInput: -o or --report naming an input file is refused
// before anything is written (it would replace the data with findings).
func TestScanOutputIsNotInput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "x.json")
	data := []byte(`{"手机": "13812345678"}`)
	os.WriteFile(in, data, 0o600)
	for _, args := range [][]string{{"scan", in, "-o", in}, {"scan", in, "--format", "none", "--report", filepath.Join(dir, ".", "x.json")}} {
		if _, msg, code := runCLI(t, args...); code != exitInput || !strings.Contains(msg, "would be overwritten") {
			t.Errorf("%v: exit %d: %s", args, code, msg)
		}
		if b, _ := os.ReadFile(in); string(b) != string(data) {
			t.Fatalf("%v overwrote the input", args)
		}
	}
}

func TestPrintable(t *testing.T) {
	if got := printable("ph\x1b[31mone\tx"); got != `ph\x1b[31mone\x09x` {
		t.Fatalf("printable = %q", got)
	}
	if got := printable("张三 13812345678"); got != "张三 13812345678" {
		t.Fatalf("printable changed plain text: %q", got)
	}
}

// TestScanCSVHeaderFlag: --csv-header no reads a first row of field names
// as data (its own record, columns #1, #2); yes and auto keep it a header.
func TestScanCSVHeaderFlag(t *testing.T) {
	p := filepath.Join(t.TempDir(), "people.csv")
	if err := os.WriteFile(p, []byte("姓名,手机\n张三,"+testMobile+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		setting, field string
	}{{"auto", `"field":"手机"`}, {"yes", `"field":"手机"`}, {"no", `"field":"#2"`}} {
		out, errs, code := runCLI(t, "scan", "--format", "jsonl", "--csv-header", c.setting, p)
		if code != 0 || !strings.Contains(out, c.field) {
			t.Errorf("--csv-header %s: exit %d, want a finding in %s:\n%s%s", c.setting, code, c.field, out, errs)
		}
	}
	if _, errs, code := runCLI(t, "scan", "--csv-header", "maybe", p); code != exitInput || !strings.Contains(errs, "CSV header") {
		t.Errorf("bad setting: exit %d %s", code, errs)
	}
}
