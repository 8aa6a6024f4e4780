// Package report defines the JSON inventory report (DESIGN.md §4) that scans
// write and that renderers, diffs and merges read. It depends on nothing but
// the PI vocabulary, so every tool can read a report without the engine.
package report

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/piiscan/piiscan/detectors/pi"
)

// Version is the report format version written in Report.Version.
const Version = 1

// Report is the inventory of one scan.
type Report struct {
	Version    int          `json:"version"`
	Started    time.Time    `json:"started"`
	Finished   time.Time    `json:"finished"`
	Sources    []Source     `json:"sources"`
	Tables     []Table      `json:"tables,omitempty"`
	Columns    []Column     `json:"columns"`
	Totals     Totals       `json:"totals"`
	Throughput Throughput   `json:"throughput"`
	Errors     []InputError `json:"errors,omitempty"`
	// Threshold is the column share the scan graded with (GradeColumn);
	// Merge regrades with it. 0 in reports written before it existed.
	Threshold float64 `json:"threshold,omitempty"`
	// Gaps are the compliance gaps found in the inventory (ComplianceGaps),
	// written when a renderer or Annotate computed them.
	Gaps []Gap `json:"gaps,omitempty"`
	// Scans identifies the scans whose counts the report holds: one random
	// ID written by the scan, the union of its inputs' after Merge. Merge
	// refuses inputs that share a scan, which would count rows twice.
	Scans []string        `json:"scans,omitempty"`
	Extra json.RawMessage `json:"extra,omitempty"` // reserved for tools that extend the report
}

// Source is the roll-up of one source (a file, a database).
type Source struct {
	Name     string   `json:"name"`
	Records  int64    `json:"records"`
	Findings int64    `json:"findings"`
	Grade    pi.Grade `json:"grade"`
	Rule     string   `json:"rule"`
	Errors   int      `json:"errors,omitempty"`
}

// Table is the roll-up of one table: the highest grade of its columns.
type Table struct {
	Source string   `json:"source"`
	Table  string   `json:"table"`
	Rows   int64    `json:"rows"`
	Grade  pi.Grade `json:"grade"`
	Rule   string   `json:"rule"`
	// Incremental: the scan read only rows past a watermark (--since-state),
	// so Merge adds its counts to an earlier report's. Otherwise the scan
	// read the table in full and its counts replace an earlier report's.
	Incremental bool `json:"incremental,omitempty"`
}

// Column is the classification of one column (or of a whole text file, whose
// table and column are "").
type Column struct {
	Source      string              `json:"source"`
	Table       string              `json:"table"`
	Column      string              `json:"column"`
	Comment     string              `json:"comment,omitempty"`
	RowsScanned int64               `json:"rows_scanned"` // non-empty values scanned
	Types       map[pi.TypeID]int64 `json:"types"`        // values with at least one finding of the type
	// Findings counts the column's findings per type (a value may hold
	// several); Merge subtracts them when a later scan replaces the table.
	// Absent in reports written before it existed.
	Findings map[pi.TypeID]int64 `json:"findings,omitempty"`
	// TypeGrades holds the grade of types whose grade is not their
	// pi.DefaultGrade (custom rules declare their own).
	TypeGrades map[pi.TypeID]pi.Grade `json:"type_grades,omitempty"`
	Grade      pi.Grade               `json:"grade"`
	Rule       string                 `json:"rule"`
	Samples    []string               `json:"samples"` // masked, never raw
	// EncryptedShare is the share of the column's non-empty values that look
	// like ciphertext (LooksEncrypted), in [0,1]; the engine fills it.
	EncryptedShare float64 `json:"encrypted_share,omitempty"`
	// Inventory is the owner, purpose, retention... joined from an
	// annotations file (Annotations.Apply); nil when none matched.
	Inventory *Inventory `json:"inventory,omitempty"`
}

// Totals counts findings over the whole scan.
type Totals struct {
	Findings int64               `json:"findings"`
	ByType   map[pi.TypeID]int64 `json:"by_type"`
	ByGrade  map[string]int64    `json:"by_grade"`
}

// Throughput is what the scan read and how long it took.
type Throughput struct {
	Bytes   int64   `json:"bytes"`
	Records int64   `json:"records"`
	Seconds float64 `json:"seconds"`
}

// InputError is bad input the scan went past: where, and why (never the value).
type InputError struct {
	Source  string `json:"source"`
	Record  int64  `json:"record,omitempty"`
	Offset  int64  `json:"offset"`
	Message string `json:"message"`
}

// Load reads a JSON report.
func Load(path string) (*Report, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: not a piiscan report: %w", path, err)
	}
	if r.Version != Version {
		return nil, fmt.Errorf("%s: report version %d, this piiscan reads version %d", path, r.Version, Version)
	}
	return &r, nil
}

// NewScanID returns a random scan identifier for Report.Scans.
func NewScanID() string {
	var b [8]byte
	rand.Read(b[:]) // never fails (crypto/rand panics instead)
	return hex.EncodeToString(b[:])
}
