package corpus

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// Type IDs the corpus labels, spelled as in shared/DESIGN.md §3. They are
// the corpus's own strings (not imported from detectors/pi) so that a renamed
// constant on the detector side shows up as a failing accuracy test.
const (
	IDCard            = "cn_id_card"
	Passport          = "cn_passport"
	TravelPermit      = "cn_travel_permit"
	BankCard          = "bank_card"
	Mobile            = "cn_mobile"
	Landline          = "cn_landline"
	Email             = "email"
	IPv4              = "ipv4"
	IPv6              = "ipv6"
	LicensePlate      = "cn_license_plate"
	Name              = "cn_name"
	Address           = "cn_address"
	BirthDate         = "birth_date"
	GeoCoordinate     = "geo_coordinate"
	Credential        = "credential"
	Health            = "health"
	Religion          = "religion"
	Ethnicity         = "ethnicity"
	SexualOrientation = "sexual_orientation"
	CriminalRecord    = "criminal_record"
	Biometric         = "biometric"
	Minor             = "minor"
	USCC              = "cn_uscc"

	// Decoy labels mark planted hard negatives: values a detector must not
	// report. Kind says which trap it is.
	Decoy = "decoy"
)

// Types lists every PI type the corpus plants, in DESIGN.md order.
var Types = []string{
	IDCard, Passport, TravelPermit, BankCard, Mobile, Landline, Email, IPv4, IPv6,
	LicensePlate, Name, Address, BirthDate, GeoCoordinate, Credential, Health,
	Religion, Ethnicity, SexualOrientation, CriminalRecord, Biometric, Minor, USCC,
}

// Label is one planted value. Offset and Length are bytes in the raw
// (decompressed) stream of the file, the same semantics as a finding's
// offset and length (DESIGN.md §2).
//
// Span conventions: the label covers the value as written, including a
// country prefix (+86, 0086), separators (spaces, dashes), a landline's
// parentheses and extension. Core, when set, is the part a detector must at
// least cover: a finding inside the label and covering Core is the same
// value (e.g. a mobile reported without its "+86 ", a landline without its
// extension). Text categories (names, addresses, sensitive words) are
// labelled on the term itself, not on the cue before it (诊断：高血压 labels
// 高血压).
type Label struct {
	Offset int64  `json:"offset"`
	Length int64  `json:"length"`
	Type   string `json:"type"`
	// Core is [offset, length] of the minimal span, omitted when it is the
	// whole label.
	Core []int64 `json:"core,omitempty"`
	// Kind names the trap of a Decoy label (imei, ms_timestamp, ...).
	Kind string `json:"kind,omitempty"`
	// Optional marks a cue word that reveals its category by itself (前科,
	// 有期徒刑, 犯罪记录): a finding on it is correct, but a detector that
	// reports only the value beside it (盗窃罪) misses nothing.
	Optional bool `json:"optional,omitempty"`
}

// End is the exclusive end offset of the label.
func (l Label) End() int64 { return l.Offset + l.Length }

// CoreSpan returns the core's start and end, the whole label when unset.
func (l Label) CoreSpan() (start, end int64) {
	if len(l.Core) == 2 {
		return l.Core[0], l.Core[0] + l.Core[1]
	}
	return l.Offset, l.End()
}

// WriteLabels writes labels as JSON lines.
func WriteLabels(w io.Writer, labels []Label) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	for _, l := range labels {
		if err := enc.Encode(l); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// ReadLabels reads a sidecar labels file written by Generate.
func ReadLabels(path string) ([]Label, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Label
	dec := json.NewDecoder(bufio.NewReader(f))
	for n := 1; ; n++ {
		var l Label
		if err := dec.Decode(&l); err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, fmt.Errorf("%s: label %d: %w", path, n, err)
		}
		out = append(out, l)
	}
}
