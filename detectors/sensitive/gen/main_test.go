package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestTablesCurrent fails when data/ changed without `go generate`.
func TestTablesCurrent(t *testing.T) {
	out := filepath.Join(t.TempDir(), "tables_gen.go")
	if err := run("../data", out); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../tables_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("tables_gen.go is stale: run go generate ./detectors/sensitive/")
	}
}

func TestExpandCharge(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"走私、贩卖、运输、制造毒品罪", []string{"走私毒品罪", "贩卖毒品罪", "运输毒品罪", "制造毒品罪"}},
		{"盗窃、抢夺枪支、弹药、爆炸物、危险物质罪", nil},
		{"强制猥亵、侮辱罪", nil},
		{"盗窃罪", nil},
	} {
		got := expandCharge(c.in)
		if len(got) != len(c.want) {
			t.Errorf("%s: got %v, want %v", c.in, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: got %v, want %v", c.in, got, c.want)
			}
		}
	}
}
