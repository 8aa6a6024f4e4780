// Package pi holds the vocabulary shared by every detector and by the code that
// consumes their matches: PI type IDs, grades, matches and field context.
//
// It is a leaf package so that detector packages, the scan engine, masking and
// reporting can all speak the same types without importing each other.
// The type IDs and grade names are a public contract (shared/DESIGN.md §3):
// extend them, never rename them.
package pi

import (
	"fmt"
	"strings"
)

// TypeID names a PI type in findings, reports and policies.
type TypeID string

// Type IDs from DESIGN.md §3.
const (
	IDCard            TypeID = "cn_id_card"
	Passport          TypeID = "cn_passport"
	TravelPermit      TypeID = "cn_travel_permit"
	BankCard          TypeID = "bank_card"
	Mobile            TypeID = "cn_mobile"
	Landline          TypeID = "cn_landline"
	Email             TypeID = "email"
	IPv4              TypeID = "ipv4"
	IPv6              TypeID = "ipv6"
	LicensePlate      TypeID = "cn_license_plate"
	Name              TypeID = "cn_name"
	Address           TypeID = "cn_address"
	BirthDate         TypeID = "birth_date"
	GeoCoordinate     TypeID = "geo_coordinate"
	Credential        TypeID = "credential"
	Health            TypeID = "health"
	Religion          TypeID = "religion"
	Ethnicity         TypeID = "ethnicity"
	SexualOrientation TypeID = "sexual_orientation"
	CriminalRecord    TypeID = "criminal_record"
	Biometric         TypeID = "biometric"
	Minor             TypeID = "minor"
	USCC              TypeID = "cn_uscc"
)

// BuiltinTypes lists every built-in type ID once, in report order.
var BuiltinTypes = []TypeID{
	IDCard, Passport, TravelPermit, BankCard, Mobile, Landline, Email, IPv4, IPv6,
	LicensePlate, Name, Address, BirthDate, GeoCoordinate, Credential, Health,
	Religion, Ethnicity, SexualOrientation, CriminalRecord, Biometric, Minor, USCC,
}

// Grade is the classification of a finding, column, table or source.
// The order matters: a higher value is a more protected grade.
type Grade uint8

const (
	GradeNone      Grade = iota // not personal information (e.g. cn_uscc)
	GradeOrdinary               // 一般个人信息
	GradeSensitive              // 敏感个人信息 (PIPL Art. 28)
)

var gradeNames = [...]string{"none", "ordinary", "sensitive"}

func (g Grade) String() string {
	if int(g) < len(gradeNames) {
		return gradeNames[g]
	}
	return fmt.Sprintf("grade(%d)", uint8(g))
}

// Label is the grade's Chinese name for reports.
func (g Grade) Label() string {
	switch g {
	case GradeOrdinary:
		return "一般个人信息"
	case GradeSensitive:
		return "敏感个人信息"
	}
	return "非个人信息"
}

// ParseGrade accepts the names printed by String.
func ParseGrade(s string) (Grade, error) {
	for i, n := range gradeNames {
		if strings.EqualFold(s, n) {
			return Grade(i), nil
		}
	}
	return 0, fmt.Errorf("unknown grade %q (want none, ordinary or sensitive)", s)
}

func (g Grade) MarshalText() ([]byte, error) { return []byte(g.String()), nil }

func (g *Grade) UnmarshalText(b []byte) error {
	v, err := ParseGrade(string(b))
	if err != nil {
		return err
	}
	*g = v
	return nil
}

// DefaultGrade is the grade of a built-in type per DESIGN.md §3. Unknown
// (custom) types are ordinary unless their rule says otherwise.
func DefaultGrade(t TypeID) Grade {
	switch t {
	case IDCard, Passport, TravelPermit, BankCard, GeoCoordinate, Credential,
		Health, Religion, Ethnicity, SexualOrientation, CriminalRecord, Biometric, Minor:
		return GradeSensitive
	case USCC:
		return GradeNone
	}
	return GradeOrdinary
}

// Match is one detected value inside a field value. Start and End are byte
// offsets into the value that was scanned (UTF-8), End exclusive.
type Match struct {
	Type       TypeID
	Start, End int
	Confidence float32 // in [0,1]
	Grade      Grade   // grade of this match (usually DefaultGrade(Type); custom rules set their own)
}

// Field is the context a value is scanned in: where it lives and what the
// schema says about it. Detectors use it to raise or lower confidence; they
// never see where the bytes came from beyond this.
//
// A Field is built once per column (detectors.Set.Field) and shared read-only
// by every value of that column.
type Field struct {
	Table   string   // table or file-level grouping, may be ""
	Column  string   // column name or JSON key path, "" for plain text
	Comment string   // schema comment (MySQL COLUMN_COMMENT, PostgreSQL COMMENT ON), may be ""
	Hints   []TypeID // types the column name or comment suggests, strongest first
}

// Suggests reports whether the column's name or comment points at t.
func (f *Field) Suggests(t TypeID) bool {
	if f == nil {
		return false
	}
	for _, h := range f.Hints {
		if h == t {
			return true
		}
	}
	return false
}
