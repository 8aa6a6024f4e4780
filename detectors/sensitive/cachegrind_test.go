package sensitive_test

import (
	"testing"

	"github.com/piiscan/piiscan/detectors/detectortest"
	"github.com/piiscan/piiscan/detectors/sensitive"
)

// TestFindLinesOnce: instruction and branch counts over $SENSITIVE_LINES
// (README, Measured; detectortest.FindLinesOnce says how to A/B two builds).
func TestFindLinesOnce(t *testing.T) {
	detectortest.FindLinesOnce(t, "SENSITIVE_LINES", sensitive.New())
}
