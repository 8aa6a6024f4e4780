package scanner

import "github.com/piiscan/piiscan/detectors/pi"

// Finding is one detected PI value, as written by `piiscan scan --format jsonl`
// (DESIGN.md §2). Field order follows the contract.
type Finding struct {
	Source     string    `json:"source"`
	Offset     int64     `json:"offset"`
	Length     int64     `json:"length"`
	Type       pi.TypeID `json:"type"`
	Grade      pi.Grade  `json:"grade"`
	Confidence float64   `json:"confidence"`
	Masked     string    `json:"masked"`
	Record     int64     `json:"record"`
	Field      string    `json:"field,omitempty"`
	Table      string    `json:"table,omitempty"`
	// Value is the raw value, set only when the user asked for --reveal.
	Value string `json:"value,omitempty"`
	// Raw is the raw (decoded) value with Config.RawValues, borrowed from the
	// engine until Sink.Write returns; never written out.
	Raw []byte `json:"-"`
}

// Sink receives findings in input order, one batch at a time, from a single
// goroutine. The slice is only valid during the call; a Finding copied out
// of it may be kept, strings included (only Raw is borrowed).
type Sink interface {
	Write(findings []Finding) error
}

// SinkFunc adapts a function to a Sink.
type SinkFunc func([]Finding) error

func (f SinkFunc) Write(fs []Finding) error { return f(fs) }
