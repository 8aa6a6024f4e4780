package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/piiscan/piiscan/internal/headless"
	"github.com/piiscan/piiscan/report"
)

// TestSampleCorpusHTMLInChromium scans the bundled sample corpus, writes the
// HTML report and opens it in headless Chromium: no console errors, the
// page's script ran, the three charts and one inventory row per column.
func TestSampleCorpusHTMLInChromium(t *testing.T) {
	bin := headless.Browser()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium is not installed (apt-get install chromium)")
		}
		t.Skip("chromium is not installed")
	}
	dir := t.TempDir()
	page, js := filepath.Join(dir, "report.html"), filepath.Join(dir, "report.json")
	cmd := newScanCmd()
	cmd.SetArgs([]string{"--format", "jsonl", "--report", page, "--report", js, "../../corpus/sample"})
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != exitFindings {
			t.Fatal(err)
		}
	}
	rep, err := report.Load(js)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Columns) == 0 {
		t.Fatal("the corpus scan found no columns")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	dom, log, err := headless.DumpDOM(ctx, bin, page, dir)
	if err != nil {
		t.Fatalf("%v\n%s", err, log)
	}
	if p := headless.Problems(log); p != nil {
		t.Errorf("console errors:\n%s", strings.Join(p, "\n"))
	}
	if tag := headless.RootTag(dom); !strings.Contains(tag, `data-piiscan-ready="1"`) || strings.Contains(tag, "data-piiscan-error") {
		t.Errorf("the page's script did not finish: %s", tag)
	}
	n := strconv.Itoa(len(rep.Columns))
	if !strings.Contains(dom, `<span id="shown">`+n+" / "+n+"</span>") {
		t.Errorf("the inventory filter did not count %s rows", n)
	}
	if c := strings.Count(dom, "<svg "); c != 3 {
		t.Errorf("%d SVG charts, want 3", c)
	}
	if c := strings.Count(dom, `<tr data-grade="`); c != len(rep.Columns) {
		t.Errorf("%d inventory rows, want %d", c, len(rep.Columns))
	}
}
