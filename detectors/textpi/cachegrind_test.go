package textpi_test

import (
	"testing"

	"github.com/piiscan/piiscan/detectors/detectortest"
	"github.com/piiscan/piiscan/detectors/textpi"
)

// TestFindLinesOnce: instruction and branch counts over $TEXTPI_LINES
// (detectortest.FindLinesOnce says how to A/B two builds).
func TestFindLinesOnce(t *testing.T) {
	detectortest.FindLinesOnce(t, "TEXTPI_LINES", textpi.New())
}
