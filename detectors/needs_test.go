package detectors

import (
	"bufio"
	"bytes"
	"os"
	"testing"
	"time"

	"github.com/piiscan/piiscan/detectors/pi"
)

// needsFields are the contexts a value is tried in: hints change what some
// detectors accept (a name column, an ethnicity column), never what Needs
// may promise.
var needsFields = []*pi.Field{
	{},
	{Column: "name", Hints: []pi.TypeID{pi.Name}},
	{Column: "address", Hints: []pi.TypeID{pi.Address}},
	{Column: "民族", Hints: []pi.TypeID{pi.Ethnicity}},
	{Column: "phone", Hints: []pi.TypeID{pi.Mobile, pi.Landline}},
	{Column: "id_no", Hints: []pi.TypeID{pi.IDCard}},
	{Column: "password", Hints: []pi.TypeID{pi.Credential}},
	{Column: "lat", Hints: []pi.TypeID{pi.GeoCoordinate}},
	{Column: "diagnosis", Hints: []pi.TypeID{pi.Health}},
}

// checkNeeds fails when a registered detector with Needs finds something
// in v although v holds none of the classes it needs.
func checkNeeds(t *testing.T, dets []Detector, v []byte) {
	t.Helper()
	have := pi.ClassesOf(v)
	for _, d := range dets {
		n, ok := d.(Needer)
		if !ok {
			continue
		}
		for _, f := range needsFields {
			need := n.Needs(f)
			if need == 0 || have&need != 0 {
				continue
			}
			if ms := d.Find(v, f, nil); len(ms) > 0 {
				t.Fatalf("%T needs %v in column %q, but found %v in %q (classes %v)", d, need, f.Column, ms, v, have)
			}
		}
	}
}

// strip keeps the bytes of v whose class is in keep, dropping whole UTF-8
// sequences for ClassHigh.
func strip(v []byte, keep pi.Classes) []byte {
	var out []byte
	for _, b := range v {
		if pi.ClassesOf([]byte{b})&keep != 0 {
			out = append(out, b)
		}
	}
	return out
}

// TestNeedsOnSample takes the sample corpus's lines, keeps only some classes
// of their bytes (all Chinese, only digits, digits and punctuation ...) and
// checks every detector's Needs on what is left: lines rich in PI of every
// type make the strongest test of the promise.
func TestNeedsOnSample(t *testing.T) {
	dets, err := registry(Options{Now: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	keeps := []pi.Classes{
		pi.ClassHigh, pi.ClassHigh | pi.ClassOther, pi.ClassDigit, pi.ClassDigit | pi.ClassOther,
		pi.ClassLetter | pi.ClassOther, pi.ClassLetter | pi.ClassDigit, pi.ClassOther,
	}
	n := 0
	for _, line := range sampleLines(t) {
		for _, k := range keeps {
			checkNeeds(t, dets, strip(line, k))
			n++
		}
	}
	if n < 1000 {
		t.Fatalf("only %d values checked", n)
	}
}

// sampleLines returns the lines of the sample corpus's uncompressed files:
// lines rich in PI of every type.
func sampleLines(t *testing.T) [][]byte {
	t.Helper()
	var lines [][]byte
	for _, name := range []string{"notes.txt", "customers.csv", "users.csv", "decoys.log", "app.jsonl", "shop.sql"} {
		f, err := os.Open("../corpus/sample/" + name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			lines = append(lines, bytes.Clone(sc.Bytes()))
		}
		err = sc.Err()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return lines
}

func FuzzNeeds(f *testing.F) {
	dets, err := registry(Options{Now: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"患者张伟，诊断：高血压", "北京市朝阳区建国路88号", "13812345678", "11010519491231002X",
		"39.9042,116.4074", "password=hunter2", "民族：回族", "信仰佛教，性取向同性恋", "曾因盗窃罪被判处有期徒刑"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, v []byte) { checkNeeds(t, dets, v) })
}
