package deid

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/piiscan/piiscan/masking"
)

// TestMaskFileWhitespaceAroundBare: whether a number is the whole of an SQL
// or JSON value is decided by the bytes before and after it, white space
// skipped however long it is (a pretty-printer's indentation, a comma on a
// line of its own): 70 spaces, or more than the reader's buffer, before or
// after the number must not turn a whole value into a span inside text. A
// masked bare number is then quoted and a nulled one becomes NULL/null;
// neither is left as 138****5678 unquoted nor removed from its list.
func TestMaskFileWhitespaceAroundBare(t *testing.T) {
	sp := strings.Repeat(" ", 70)
	big := strings.Repeat(" ", 70<<10) // more than the raw reader's 64 KiB buffer
	for _, tc := range []struct {
		name, file, in string
		op             string
		want           string
		quoted, nulled int64
	}{
		{"json mask", "w.json", "{\"e\":[\n" + sp + "13812345678\n]}\n", "mask", "{\"e\":[\n" + sp + "\"138****5678\"\n]}\n", 1, 0},
		{"json null", "w.json", "{\"e\":[\n" + sp + "13812345678\n]}\n", `"null"`, "{\"e\":[\n" + sp + "null\n]}\n", 0, 1},
		{"sql mask", "w.sql", "INSERT INTO t VALUES (1," + sp + "13812345678);\n", "mask", "INSERT INTO t VALUES (1," + sp + "'138****5678');\n", 1, 0},
		{"sql null", "w.sql", "INSERT INTO t VALUES (1," + sp + "13812345678);\n", `"null"`, "INSERT INTO t VALUES (1," + sp + "NULL);\n", 0, 1},
		{"json comma line mask", "c.json", "{\"e\":[\n  13812345678\n" + sp + ", null]}\n", "mask", "{\"e\":[\n  \"138****5678\"\n" + sp + ", null]}\n", 1, 0},
		{"json comma line null", "c.json", "{\"e\":[\n  13812345678\n" + sp + ", null]}\n", `"null"`, "{\"e\":[\n  null\n" + sp + ", null]}\n", 0, 1},
		{"json quoted comma line null", "q.json", "{\"e\":[\n  \"13812345678\"\n" + sp + ", null]}\n", `"null"`, "{\"e\":[\n  null\n" + sp + ", null]}\n", 0, 1},
		{"json long before null", "l.json", "{\"e\":[" + big + "13812345678]}\n", `"null"`, "{\"e\":[" + big + "null]}\n", 0, 1},
		{"json long after null", "a.json", "{\"e\":[13812345678" + big + "]}\n", `"null"`, "{\"e\":[null" + big + "]}\n", 0, 1},
		{"json long after mask", "a.json", "{\"e\":[13812345678" + big + "]}\n", "mask", "{\"e\":[\"138****5678\"" + big + "]}\n", 1, 0},
		{"json quoted long after null", "b.json", "{\"e\":[\"13812345678\"" + big + "]}\n", `"null"`, "{\"e\":[null" + big + "]}\n", 0, 1},
		{"sql long after null", "a.sql", "INSERT INTO t VALUES (1,13812345678" + big + ");\n", `"null"`, "INSERT INTO t VALUES (1,NULL" + big + ");\n", 0, 1},
		{"sql quoted long before null", "b.sql", "INSERT INTO t VALUES (1," + big + "'13812345678');\n", `"null"`, "INSERT INTO t VALUES (1," + big + "NULL);\n", 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pol, err := masking.ParsePolicy([]byte("version: 1\nrules:\n  - name: r\n    types: [cn_mobile]\n    operator: "+tc.op+"\n"), "p.yaml")
			if err != nil {
				t.Fatal(err)
			}
			o := testOptions(t)
			if o.Masker, err = pol.Compile(nil); err != nil {
				t.Fatal(err)
			}
			got, sum := maskBytes(t, o, tc.file, []byte(tc.in))
			if string(got) != tc.want {
				t.Errorf("got\n%q\nwant\n%q", shorten(string(got)), shorten(tc.want))
			}
			if sum.QuotedBare != tc.quoted || sum.Nulled != tc.nulled || sum.NullAsEmpty != 0 || !sum.Verified {
				t.Errorf("summary: %d quoted, %d nulled, %d null as empty, verified %v; want %d, %d, 0, true",
					sum.QuotedBare, sum.Nulled, sum.NullAsEmpty, sum.Verified, tc.quoted, tc.nulled)
			}
			if strings.HasSuffix(tc.file, ".json") && !json.Valid(got) {
				t.Errorf("output is not JSON")
			}
		})
	}
}

// shorten collapses runs of spaces, for readable failures.
func shorten(s string) string {
	for strings.Contains(s, "   ") {
		s = strings.ReplaceAll(s, "   ", "  ")
	}
	return s
}
