package report

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/piiscan/piiscan/detectors/pi"
)

// chromium returns the browser's path, skipping the test without one unless
// CI=true (CI installs Debian's chromium package).
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed (apt-get install chromium)")
	}
	t.Skip("chromium is not installed")
	return ""
}

// dumpDOM loads page in headless Chromium and returns the DOM after its
// scripts ran, and the browser's log (console messages included).
func dumpDOM(t *testing.T, bin, page string) (dom, log string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	tmp := t.TempDir()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(tmp, "profile"), "--enable-logging=stderr", "--v=0",
		"--dump-dom", "file://"+page)
	cmd.Env = append(os.Environ(), "HOME="+tmp)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, errb.String())
	}
	return out.String(), errb.String()
}

// htmlTag is the document's opening tag, where the script leaves its marks
// (the script's own text names them too, so search the tag only).
func htmlTag(dom string) string {
	i := strings.Index(dom, "<html")
	if i < 0 {
		return ""
	}
	j := strings.IndexByte(dom[i:], '>')
	return dom[i : i+j+1]
}

// consoleProblems are what Chromium logs for a script error or a blocked
// (external) resource.
var consoleProblems = regexp.MustCompile(`(?m)^.*(CONSOLE.*(Uncaught|Error)|Refused to|net::ERR_).*$`)

func TestHTMLInChromium(t *testing.T) {
	bin := chromium(t)
	r, a := loadSample(t)
	dir := t.TempDir()
	for _, lang := range Langs {
		page := filepath.Join(dir, "report."+lang+".html")
		if err := WriteFile(page, r, Options{Lang: lang, Annotations: a}); err != nil {
			t.Fatal(err)
		}
		dom, log := dumpDOM(t, bin, page)
		if m := consoleProblems.FindAllString(log, -1); m != nil {
			t.Errorf("%s: console errors:\n%s", lang, strings.Join(m, "\n"))
		}
		if tag := htmlTag(dom); !strings.Contains(tag, `data-piiscan-ready="1"`) || strings.Contains(tag, "data-piiscan-error") {
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
	if m := consoleProblems.FindAllString(log, -1); m != nil || !strings.Contains(htmlTag(dom), `data-piiscan-ready="1"`) {
		t.Errorf("diff page: %q", m)
	}
}

// TestChromiumCheckCanFail proves the checks above see a script error.
func TestChromiumCheckCanFail(t *testing.T) {
	bin := chromium(t)
	page := filepath.Join(t.TempDir(), "broken.html")
	os.WriteFile(page, []byte(`<!DOCTYPE html><html><body><script>null.x();document.documentElement.setAttribute("data-piiscan-ready","1")</script></body></html>`), 0o644)
	dom, log := dumpDOM(t, bin, page)
	if strings.Contains(htmlTag(dom), "data-piiscan-ready") {
		t.Error("marker set despite the error")
	}
	if consoleProblems.FindString(log) == "" {
		t.Errorf("script error not in the browser log:\n%s", log)
	}
}
