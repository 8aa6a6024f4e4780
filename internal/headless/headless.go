// Package headless loads a page in headless Chromium for tests: the DOM after
// the page's scripts ran, and the browser's log with console errors. Tests
// of the self-contained HTML reports use it.
package headless

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// Browser returns the path of Debian's chromium, or "" when it is absent.
func Browser() string {
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// DumpDOM loads file page (an absolute path) in headless Chromium with a
// fresh profile under tmp, with networking features off, and returns the
// serialised DOM after load and the browser's stderr log (console messages
// included).
func DumpDOM(ctx context.Context, bin, page, tmp string) (dom, log string, err error) {
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(tmp, "profile"), "--enable-logging=stderr", "--v=0",
		"--dump-dom", "file://"+page)
	cmd.Env = append(os.Environ(), "HOME="+tmp)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", errb.String(), fmt.Errorf("chromium: %w", err)
	}
	return out.String(), errb.String(), nil
}

// RootTag is the document's opening <html> tag, where a page's script can
// leave marks (searching the whole DOM would find them in the script text).
func RootTag(dom string) string {
	i := strings.Index(dom, "<html")
	if i < 0 {
		return ""
	}
	j := strings.IndexByte(dom[i:], '>')
	if j < 0 {
		return ""
	}
	return dom[i : i+j+1]
}

// consoleProblems are what Chromium logs for a script error or a blocked
// (external) resource.
var consoleProblems = regexp.MustCompile(`(?m)^.*(CONSOLE.*(Uncaught|Error)|Refused to|net::ERR_).*$`)

// Problems returns the log lines that report script errors or blocked loads.
func Problems(log string) []string { return consoleProblems.FindAllString(log, -1) }
