package report

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/internal/headless"
)

// chromium returns the browser's path, skipping the test without one unless
// CI=true (CI installs Debian's chromium package).
func chromium(t *testing.T) string {
	t.Helper()
	if p := headless.Browser(); p != "" {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed (apt-get install chromium)")
	}
	t.Skip("chromium is not installed")
	return ""
}

func dumpDOM(t *testing.T, bin, page string) (dom, log string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	dom, log, err := headless.DumpDOM(ctx, bin, page, t.TempDir())
	if err != nil {
		t.Fatalf("%v\n%s", err, log)
	}
	return dom, log
}

func TestHTMLInChromium(t *testing.T) {
	bin := chromium(t)
	r, a := loadSample(t)
	dir := t.TempDir()
	// One language: the script is the same in both, and each browser start
	// costs seconds on a busy machine.
	for _, lang := range []string{"zh"} {
		page := filepath.Join(dir, "report."+lang+".html")
		if err := WriteFile(page, r, Options{Lang: lang, Annotations: a}); err != nil {
			t.Fatal(err)
		}
		dom, log := dumpDOM(t, bin, page)
		if m := headless.Problems(log); m != nil {
			t.Errorf("%s: console errors:\n%s", lang, strings.Join(m, "\n"))
		}
		if tag := headless.RootTag(dom); !strings.Contains(tag, `data-piiscan-ready="1"`) || strings.Contains(tag, "data-piiscan-error") {
			t.Errorf("%s: the page's script did not finish: %s", lang, tag)
		}
		// The count of shown rows is written by the script only.
		n := strconv.Itoa(len(r.Columns))
		if !strings.Contains(dom, `<span id="shown">`+n+" / "+n+"</span>") {
			t.Errorf("%s: filter did not count %s rows", lang, n)
		}
		if c := strings.Count(dom, "<svg "); c != 3 {
			t.Errorf("%s: %d SVG charts, want 3", lang, c)
		}
		if c := strings.Count(dom, "<rect "); c < 3 {
			t.Errorf("%s: %d chart bars", lang, c)
		}
		if c := strings.Count(dom, `<tr data-grade="`); c != len(r.Columns) {
			t.Errorf("%s: %d inventory rows, want %d", lang, c, len(r.Columns))
		}
	}

	// The diff page too.
	d := Diff(&Report{Version: Version}, r)
	page := filepath.Join(dir, "diff.html")
	f, err := os.Create(page)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteDiffHTML(f, d, Options{Lang: "zh"}, pi.GradeSensitive); err != nil {
		t.Fatal(err)
	}
	f.Close()
	dom, log := dumpDOM(t, bin, page)
	if m := headless.Problems(log); m != nil || !strings.Contains(headless.RootTag(dom), `data-piiscan-ready="1"`) {
		t.Errorf("diff page: %q", m)
	}
}

// TestChromiumCheckCanFail proves the checks above see a script error.
func TestChromiumCheckCanFail(t *testing.T) {
	bin := chromium(t)
	page := filepath.Join(t.TempDir(), "broken.html")
	os.WriteFile(page, []byte(`<!DOCTYPE html><html><body><script>null.x();document.documentElement.setAttribute("data-piiscan-ready","1")</script></body></html>`), 0o644)
	dom, log := dumpDOM(t, bin, page)
	if strings.Contains(headless.RootTag(dom), "data-piiscan-ready") {
		t.Error("marker set despite the error")
	}
	if len(headless.Problems(log)) == 0 {
		t.Errorf("script error not in the browser log:\n%s", log)
	}
}
