package deid

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/piiscan/piiscan/masking"
)

// TestMaskFileNull runs testdata/null: the null operator makes a whole value
// the format's NULL (SQL NULL and JSON null, unquoted), leaves a CSV field
// empty, removes the span from text, and removes a span that is only part
// of a value (a phone number inside a note) instead of breaking the SQL or
// JSON around it. A bare number between commas inside a longer SQL string
// ('1,18600001111,x') cannot be told from a whole unquoted value without
// parsing the string: it becomes the text NULL, which is still valid.
func TestMaskFileNull(t *testing.T) {
	pol, err := masking.LoadPolicy("testdata/null/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file            string
		nulled, asEmpty int64
	}{
		{"dump.sql", 5, 3},
		{"people.json", 5, 1},
		{"people.jsonl", 2, 1},
		{"deep.json", 2, 0}, // indented further than a few bytes
		{"people.csv", 0, 2},
		{"app.log", 0, 2},
	} {
		t.Run(tc.file, func(t *testing.T) {
			o := testOptions(t)
			if o.Masker, err = pol.Compile(nil); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), tc.file)
			sum, err := MaskFile(context.Background(), filepath.Join("testdata/null", tc.file), out, o)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(out)
			want, err := os.ReadFile(filepath.Join("testdata/null", tc.file+".want"))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
			if sum.Nulled != tc.nulled || sum.NullAsEmpty != tc.asEmpty || !sum.Verified {
				t.Errorf("summary: %d nulled, %d null as empty, verified %v; want %d, %d, true", sum.Nulled, sum.NullAsEmpty, sum.Verified, tc.nulled, tc.asEmpty)
			}
		})
	}
}
