package main

import (
	"bytes"
	"os"
	"testing"
)

// The committed tables must be what the generator makes from the committed
// data: a hand edit of tables_gen.go or a data change without `go generate`
// fails here.
func TestGeneratedTablesUpToDate(t *testing.T) {
	want, err := generate("data")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../tables/tables_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("tables_gen.go is stale: run go generate ./detectors/structured/...")
	}
}

func TestGenerateRejectsBadData(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"regions.tsv":        "11010\tbad\n",
		"extra_regions.tsv":  "",
		"bins.tsv":           "622202\t19\n",
		"area_codes.tsv":     "010\tx\n",
		"mobile_carrier.tsv": "138\tx\n",
		"mobile_extra.tsv":   "",
	} {
		if err := os.WriteFile(dir+"/"+name, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := generate(dir); err == nil {
		t.Fatal("a 5-digit region code was accepted")
	}
}
