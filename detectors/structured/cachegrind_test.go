package structured_test

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"os"
	"testing"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/detectors/structured"
)

// TestFindLinesOnce runs Find once over each line of the file named by
// $STRUCTURED_LINES, for instruction and branch counts that machine load
// does not disturb; skipped without it. A/B two builds with:
//
//	go test -c -o /tmp/st.test ./detectors/structured/
//	STRUCTURED_LINES=lines.txt GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 valgrind \
//	  --tool=cachegrind --cache-sim=no --branch-sim=yes /tmp/st.test -test.run FindLinesOnce
func TestFindLinesOnce(t *testing.T) {
	p := os.Getenv("STRUCTURED_LINES")
	if p == "" {
		t.Skip("STRUCTURED_LINES not set")
	}
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	d := structured.New(testNow)
	f := &pi.Field{}
	var dst []pi.Match
	n := 0
	// The digest of every match tells two builds found the same.
	h := fnv.New64a()
	for _, l := range bytes.Split(data, []byte("\n")) {
		if len(l) > 0 {
			dst = d.Find(l, f, dst[:0])
			n += len(dst)
			for _, m := range dst {
				fmt.Fprintf(h, "%s %d %d %g|", m.Type, m.Start, m.End, m.Confidence)
			}
			h.Write([]byte{'\n'})
		}
	}
	t.Logf("%d matches, digest %x", n, h.Sum64())
}
