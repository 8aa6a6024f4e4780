package structured_test

import (
	"testing"

	"github.com/piiscan/piiscan/detectors/detectortest"
	"github.com/piiscan/piiscan/detectors/structured"
)

// TestFindLinesOnce: instruction and branch counts over $STRUCTURED_LINES
// (detectortest.FindLinesOnce says how to A/B two builds).
func TestFindLinesOnce(t *testing.T) {
	detectortest.FindLinesOnce(t, "STRUCTURED_LINES", structured.New(testNow))
}
