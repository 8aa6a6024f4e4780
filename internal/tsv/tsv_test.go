package tsv

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestEach(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.tsv")
	data := "# comment\n110000\t北京市\r\n\n   \n110101\t东城区\textra\nlast"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	var got [][]string
	if err := Each(path, func(c []string) error { got = append(got, c); return nil }); err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"110000", "北京市"}, {"110101", "东城区", "extra"}, {"last"}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Fatalf("got %q, want %q", got, want)
	}
	bad := errors.New("bad row")
	err := Each(path, func(c []string) error {
		if c[0] == "110101" {
			return bad
		}
		return nil
	})
	if !errors.Is(err, bad) || !strings.HasPrefix(err.Error(), path+":5: ") {
		t.Fatalf("error %v: want bad row at %s:5", err, path)
	}
	if err := Each(filepath.Join(t.TempDir(), "missing.tsv"), func([]string) error { return nil }); err == nil {
		t.Fatal("a missing file gave no error")
	}
}
