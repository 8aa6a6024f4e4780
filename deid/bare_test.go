package deid

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/piiscan/piiscan/connectors"
	"github.com/piiscan/piiscan/masking"
)

// TestMaskFileBare runs testdata/bare: a value that is a bare (unquoted)
// number in an SQL dump or JSON document, and whose replacement is no
// number of that syntax (mask, replace, redact, hash in hex, and a sign
// kept in front of masked digits), is written as a quoted string: a bare
// 138****5678 would break the statement or document. Replacements that are
// still numbers (hash digits, tokenize) stay bare. Numbers inside strings
// that only look whole by the bytes around them ('1,18600001111,x', an
// escaped quote before them) are masked in place, unquoted.
func TestMaskFileBare(t *testing.T) {
	pol, err := masking.LoadPolicy("testdata/bare/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file   string
		quoted int64
	}{
		{"dump.sql", 7},
		{"people.jsonl", 6},
		{"people.json", 3},
	} {
		t.Run(tc.file, func(t *testing.T) {
			o := testOptions(t)
			if o.Masker, err = pol.Compile(mustKey(t)); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), tc.file)
			sum, err := MaskFile(context.Background(), filepath.Join("testdata/bare", tc.file), out, o)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(out)
			want, err := os.ReadFile(filepath.Join("testdata/bare", tc.file+".want"))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
			if sum.QuotedBare != tc.quoted || !sum.Verified {
				t.Errorf("summary: %d quoted bare values, verified %v; want %d, true", sum.QuotedBare, sum.Verified, tc.quoted)
			}
			if strings.HasPrefix(filepath.Ext(tc.file), ".json") {
				dec := json.NewDecoder(strings.NewReader(string(got)))
				for {
					var v any
					if err := dec.Decode(&v); err != nil {
						if err.Error() != "EOF" {
							t.Errorf("output is not JSON: %v", err)
						}
						break
					}
				}
			}
		})
	}
}

// TestMaskFileBareLong masks many records whose strings hold escaped quotes
// and backslashes of many lengths, some longer than the second reader's
// buffer, whose reads then end inside strings and escapes.
func TestMaskFileBareLong(t *testing.T) {
	pol, err := masking.LoadPolicy("testdata/bare/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var js, jsWant, sq, sqWant strings.Builder
	sq.WriteString("CREATE TABLE `p` (`id` int, `s` text, `m` bigint, `n` text);\n")
	sqWant.WriteString("CREATE TABLE `p` (`id` int, `s` text, `m` bigint, `n` text);\n")
	const rows = 3000
	for i := range rows {
		pad := strings.Repeat("x", i%97) + strings.Repeat(`\"`, i%7) + strings.Repeat(`\\`, i%5) + strings.Repeat("y", i%1013)
		if i%300 == 7 {
			pad += strings.Repeat(`\"\\`, 20000+i) // longer than a read buffer (64 KiB)
		}
		fmt.Fprintf(&js, `{"s":"%s","m":13812345678,"n":"a,13912345678,b"}`+"\n", pad)
		fmt.Fprintf(&jsWant, `{"s":"%s","m":"138****5678","n":"a,139****5678,b"}`+"\n", pad)
		spad := strings.ReplaceAll(pad, `\"`, `\'`)
		if i%100 == 0 {
			sq.WriteString("INSERT INTO `p` VALUES ")
			sqWant.WriteString("INSERT INTO `p` VALUES ")
		}
		sep := ","
		if i%100 == 99 {
			sep = ";\n"
		}
		fmt.Fprintf(&sq, `(%d,'%s',13812345678,'a,13912345678,b')%s`, i, spad, sep)
		fmt.Fprintf(&sqWant, `(%d,'%s','138****5678','a,139****5678,b')%s`, i, spad, sep)
	}
	for _, tc := range []struct{ file, in, want string }{
		{"long.jsonl", js.String(), jsWant.String()},
		{"long.sql", sq.String(), sqWant.String()},
	} {
		t.Run(tc.file, func(t *testing.T) {
			o := testOptions(t)
			if o.Masker, err = pol.Compile(mustKey(t)); err != nil {
				t.Fatal(err)
			}
			got, sum := maskBytes(t, o, tc.file, []byte(tc.in))
			if string(got) != tc.want {
				g, w := strings.Split(string(got), "\n"), strings.Split(tc.want, "\n")
				for i := range min(len(g), len(w)) {
					if g[i] != w[i] {
						t.Fatalf("line %d:\n%.300s\nwant\n%.300s", i+1, g[i], w[i])
					}
				}
				t.Fatalf("%d lines, want %d", len(g), len(w))
			}
			if sum.QuotedBare != rows {
				t.Errorf("%d quoted bare values, want %d", sum.QuotedBare, rows)
			}
		})
	}
}

// TestMaskFileBareGB18030 has a character whose second GB18030 byte is 0x5C
// before a string's closing quote: it is no backslash, so the number after
// the string is bare and gets quotes.
func TestMaskFileBareGB18030(t *testing.T) {
	enc := simplifiedchinese.GB18030.NewEncoder()
	var ch string
	for r := rune(0x4E00); r < 0x9FA6 && ch == ""; r++ {
		if b, err := enc.Bytes([]byte(string(r))); err == nil && len(b) == 2 && b[1] == '\\' {
			ch = string(r)
		}
	}
	if ch == "" {
		t.Fatal("no character with a 0x5C trail byte")
	}
	pol, err := masking.LoadPolicy("testdata/bare/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ file, in, want string }{
		{"gb.jsonl", `{"s":"备注` + ch + `","m":13812345678,"n":"` + ch + `,13912345678,"}` + "\n",
			`{"s":"备注` + ch + `","m":"138****5678","n":"` + ch + `,139****5678,"}` + "\n"},
		{"gb.sql", "CREATE TABLE `p` (`s` text, `m` bigint, `n` text);\nINSERT INTO `p` VALUES ('备注" + ch + "',13812345678,'" + ch + ",13912345678,');\n",
			"CREATE TABLE `p` (`s` text, `m` bigint, `n` text);\nINSERT INTO `p` VALUES ('备注" + ch + "','138****5678','" + ch + ",139****5678,');\n"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			o := testOptions(t)
			o.Input.Encoding = connectors.EncodingGB18030
			if o.Masker, err = pol.Compile(mustKey(t)); err != nil {
				t.Fatal(err)
			}
			got, sum := maskBytes(t, o, tc.file, gb(t, tc.in))
			if want := gb(t, tc.want); !bytes.Equal(got, want) {
				u, _ := simplifiedchinese.GB18030.NewDecoder().Bytes(got)
				t.Errorf("got\n%s\nwant\n%s", u, tc.want)
			}
			if sum.QuotedBare != 1 {
				t.Errorf("%d quoted bare values, want 1", sum.QuotedBare)
			}
		})
	}
}

func TestNumberLiteral(t *testing.T) {
	for _, tc := range []struct {
		v         string
		sql, json bool
	}{
		{"13812345678", true, true},
		{"-13812345678", true, true},
		{"+13812345678", true, false},
		{"0138", true, false},
		{"0", true, true},
		{"1.5", true, true},
		{".5", true, false},
		{"5.", true, false},
		{"1e9", true, true},
		{"1E-9", true, true},
		{"1.5e+3", true, true},
		{"", false, false},
		{"-", false, false},
		{".", false, false},
		{"1e", false, false},
		{"138****5678", false, false},
		{"[手机号]", false, false},
		{"884a10d6192f694a", false, false},
		{"1-2", false, false},
		{"--5", false, false},
	} {
		if got := number(connectors.FormatSQL, []byte(tc.v)); got != tc.sql {
			t.Errorf("SQL number %q = %v", tc.v, got)
		}
		if got := number(connectors.FormatJSON, []byte(tc.v)); got != tc.json {
			t.Errorf("JSON number %q = %v", tc.v, got)
		}
	}
}

func TestAppendEscaped(t *testing.T) {
	for _, tc := range []struct {
		quote   byte
		in, out string
	}{
		{'\'', `it's a\b "x"`, `it\'s a\\b "x"`},
		{'\'', "a\nb\x00\x1a", `a\nb\0\Z`},
		{'"', `say "hi" \o/`, `say \"hi\" \\o/`},
		{'"', "a\tb\n\x01", `a\tb\n\u0001`},
		{'"', "138****5678", "138****5678"},
	} {
		if got := string(appendEscaped(nil, tc.quote, []byte(tc.in), false)); got != tc.out {
			t.Errorf("%c %q: %q, want %q", tc.quote, tc.in, got, tc.out)
		}
		var v any
		if tc.quote == '"' {
			if err := json.Unmarshal([]byte(`"`+tc.out+`"`), &v); err != nil || v != tc.in {
				t.Errorf("%q does not decode to %q: %v %v", tc.out, tc.in, v, err)
			}
		}
	}
	// GB18030: the second byte of a character is never escaped.
	in := []byte{'a', 0x81, '\\', 0x81, 0x30, 0x81, 0x30, '\''}
	want := []byte{'a', 0x81, '\\', 0x81, 0x30, 0x81, 0x30, '\\', '\''}
	if got := appendEscaped(nil, '\'', in, true); !bytes.Equal(got, want) {
		t.Errorf("GB18030: % x, want % x", got, want)
	}
}

// BenchmarkMaskDumpBare masks the mobiles of a generated dump with mask,
// once stored as strings and once as bare BIGINTs, which get quotes and
// make the rewriter parse the dump a second time (bareQuote).
func BenchmarkMaskDumpBare(b *testing.B) {
	pol, err := masking.ParsePolicy([]byte("version: 1\nrules:\n  - name: m\n    operator: mask\n"), "bench")
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{"'", ""} {
		name := map[string]string{"'": "quoted", "": "bare"}[q]
		b.Run(name, func(b *testing.B) {
			var sb strings.Builder
			sb.WriteString("CREATE TABLE `orders` (\n  `id` int NOT NULL,\n  `phone` bigint,\n  `amount` decimal(10,2),\n  `note` text\n);\n")
			for i := 1; sb.Len() < 16<<20; i++ {
				if i%500 == 1 {
					if i > 1 {
						sb.WriteString(";\n")
					}
					sb.WriteString("INSERT INTO `orders` VALUES ")
				} else {
					sb.WriteString(",")
				}
				fmt.Fprintf(&sb, "(%d,%s139%08d%s,%d.%02d,'订单 %020d 已发货，客户备注：请放门口')", i, q, i*7919%100000000, q, i*13, i%100, int64(i)*1000003)
			}
			sb.WriteString(";\n")
			dir := b.TempDir()
			in := filepath.Join(dir, "dump.sql")
			if err := os.WriteFile(in, []byte(sb.String()), 0o600); err != nil {
				b.Fatal(err)
			}
			o := testOptions(&testing.T{})
			if o.Masker, err = pol.Compile(nil); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(sb.Len()))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := MaskFile(context.Background(), in, filepath.Join(dir, "out.sql"), o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestMaskFileNullSigned: the null operator makes a signed bare number NULL
// with its sign (a '-' left alone broke the statement), and leaves a
// signed number inside a string as the null operator does any span there.
func TestMaskFileNullSigned(t *testing.T) {
	pol, err := masking.LoadPolicy("testdata/null/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file, in, want  string
		nulled, asEmpty int64
	}{
		{"n.sql", "CREATE TABLE `p` (`id` int, `m` bigint, `n` text);\nINSERT INTO `p` VALUES (1,-13812345678,'x -13912345678,y'),(2, +13812345678 ,'a,-13912345678,b');\n",
			"CREATE TABLE `p` (`id` int, `m` bigint, `n` text);\nINSERT INTO `p` VALUES (1,NULL,'x -,y'),(2, NULL ,'a,-,b');\n", 2, 2},
		{"n.jsonl", `{"m":-13812345678,"l":[ -13812345678 ],"n":"a,-13912345678,b"}` + "\n",
			`{"m":null,"l":[ null ],"n":"a,-,b"}` + "\n", 2, 1},
	} {
		t.Run(tc.file, func(t *testing.T) {
			o := testOptions(t)
			if o.Masker, err = pol.Compile(nil); err != nil {
				t.Fatal(err)
			}
			got, sum := maskBytes(t, o, tc.file, []byte(tc.in))
			if string(got) != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
			if sum.Nulled != tc.nulled || sum.NullAsEmpty != tc.asEmpty {
				t.Errorf("%d nulled, %d null as empty; want %d, %d", sum.Nulled, sum.NullAsEmpty, tc.nulled, tc.asEmpty)
			}
		})
	}
}
