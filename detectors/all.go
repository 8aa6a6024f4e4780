package detectors

// registry is the one list of detectors piiscan knows. Adding a detector
// package means adding one line here; detectors_test.go checks that every
// type ID is reported by exactly one detector.
func registry(opts Options) ([]Detector, error) {
	var ds []Detector
	return ds, nil
}
