package sensitive

import (
	"bytes"
	"os"
	"testing"

	"github.com/piiscan/piiscan/detectors/pi"
)

// TestFindLinesOnce runs Find once over each line of the file named by
// $SENSITIVE_LINES, for instruction and branch counts that machine load
// does not disturb (README, Measured); skipped without it:
//
//	go test -c -o /tmp/s.test ./detectors/sensitive/
//	SENSITIVE_LINES=lines.txt GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 valgrind \
//	  --tool=cachegrind --cache-sim=no --branch-sim=yes /tmp/s.test -test.run FindLinesOnce
func TestFindLinesOnce(t *testing.T) {
	p := os.Getenv("SENSITIVE_LINES")
	if p == "" {
		t.Skip("SENSITIVE_LINES not set")
	}
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	d := New()
	f := &pi.Field{}
	var dst []pi.Match
	n := 0
	for _, l := range bytes.Split(data, []byte("\n")) {
		if len(l) > 0 {
			dst = d.Find(l, f, dst[:0])
			n += len(dst)
		}
	}
	t.Logf("%d matches", n)
}
