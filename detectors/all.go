package detectors

import (
	"github.com/piiscan/piiscan/detectors/custom"
	"github.com/piiscan/piiscan/detectors/sensitive"
	"github.com/piiscan/piiscan/detectors/structured"
	"github.com/piiscan/piiscan/detectors/textpi"
)

// registry is the one list of detectors piiscan knows. Adding a detector
// package means adding one line here; detectors_test.go checks that every
// type ID is reported by exactly one detector.
func registry(opts Options) ([]Detector, error) {
	var ds []Detector
	ds = append(ds, structured.New(opts.Now))
	ds = append(ds, sensitive.New())
	ds = append(ds, textpi.New())
	if opts.RulesFile != "" {
		c, err := custom.Load(opts.RulesFile)
		if err != nil {
			return nil, err
		}
		ds = append(ds, c)
	}
	return ds, nil
}
