package structured

import (
	"fmt"

	"github.com/piiscan/piiscan/detectors/pi"
)

// spec is everything that differs between two structured types: which
// candidate shapes feed it, how a candidate is confirmed, which words around
// a value or in a column name make it likelier, and how confident a match is.
// The scan (scan.go) and the context logic (context.go) are shared.
type spec struct {
	typ  pi.TypeID
	kind kind // selects the validators in the dispatch switches

	// shapes are the candidate shapes the type can take; the validator
	// for each is the type's function named in the dispatch functions below.
	shapes shape
	// digits has bit n set when a chain candidate with n digits in all
	// (prefixes and extensions included) can be of this type.
	digits uint32
	// single narrows digits for a chain of one group (no separators),
	// where the type takes fewer lengths: 0 means digits.
	single uint32
	// tokenLens has bit n set when a token candidate of n bytes can be of
	// this type (a plate's token is what follows the province character).
	tokenLens uint32
	// groups has bit n set when a dotted candidate of n numbers can be of
	// this type (decimals, with two, are none).
	groups uint32

	// columns are words in a column name or comment that suggest the type
	// (matched case-insensitively; see Hint in context.go for how short ASCII words
	// must stand alone). keywords are words seen shortly before a value.
	columns  []string
	keywords []string
	kw       keywordSet // keywords compiled by init

	// base is the confidence without context, boosted with it (a column
	// that suggests the type, or a keyword just before the value).
	base, boosted float32
	// grade is pi.DefaultGrade(typ), set by init: every match carries it.
	grade pi.Grade
}

// minorGrade is pi.DefaultGrade(pi.Minor).
var minorGrade = pi.DefaultGrade(pi.Minor)

// kind numbers the types for the dispatch switches (an integer switch is
// cheaper per candidate than one over TypeID strings).
type kind uint8

const (
	kIDCard kind = iota + 1
	kBankCard
	kUSCC
	kMobile
	kLandline
	kEmail
	kIPv4
	kIPv6
	kPassport
	kTravelPermit
	kPlate
	kBirthDate
)

// bits returns a mask with the bits ns set.
func bits(ns ...int) uint32 {
	var m uint32
	for _, n := range ns {
		m |= 1 << n
	}
	return m
}

// bitRange returns a mask with the bits lo..hi set.
func bitRange(lo, hi int) uint32 {
	var m uint32
	for n := lo; n <= hi; n++ {
		m |= 1 << n
	}
	return m
}

// shape is a set of candidate shapes.
type shape uint8

const (
	// shapeAtom is tried first at every ASCII token start, for values that
	// span punctuation (e-mail across '.' and '@', IPv6 across ':').
	shapeAtom shape = 1 << iota
	// shapeChain: digit groups c.g[a:b] joined by ' ', '-', '/' or "(...)".
	shapeChain
	// shapeToken: an ASCII token with letters.
	shapeToken
	// shapeDotted: digit groups joined by '.'.
	shapeDotted
)

// The validators are called through these switches rather than through
// function values: an indirect call would make the scan state escape to the
// heap on every Find. Each returns ok=false to pass.

func atomOf(t kind, s *scan, start, end int) (hit, bool) {
	switch t {
	case kEmail:
		return emailAtom(s, start, end)
	case kIPv6:
		return ipv6Atom(s, start, end)
	}
	panic(fmt.Sprintf("structured: no atom validator for kind %d", t))
}

func chainOf(t kind, s *scan, c *chain, a, b int) (hit, bool) {
	switch t {
	case kIDCard:
		return idCardChain(s, c, a, b)
	case kBankCard:
		return bankCardChain(s, c, a, b)
	case kUSCC:
		return usccChain(s, c, a, b)
	case kMobile:
		return mobileChain(s, c, a, b)
	case kLandline:
		return landlineChain(s, c, a, b)
	case kTravelPermit:
		return permitChain(s, c, a, b)
	case kBirthDate:
		return birthChain(s, c, a, b)
	}
	panic(fmt.Sprintf("structured: no chain validator for kind %d", t))
}

func tokenOf(t kind, s *scan, start, end int) (hit, bool) {
	switch t {
	case kUSCC:
		return usccToken(s, start, end)
	case kPassport:
		return passportToken(s, start, end)
	case kTravelPermit:
		return permitToken(s, start, end)
	case kPlate:
		return plateToken(s, start, end)
	}
	panic(fmt.Sprintf("structured: no token validator for kind %d", t))
}

func dottedOf(t kind, s *scan, c *chain) (hit, bool) {
	switch t {
	case kIPv4:
		return ipv4Dotted(s, c)
	case kBirthDate:
		return birthDotted(s, c)
	}
	panic(fmt.Sprintf("structured: no dotted validator for kind %d", t))
}

// hit is one confirmed value.
type hit struct {
	start, end int
	// conf overrides spec.base when non-zero (a weaker variant of the type).
	conf float32
	// needContext: report only when the column or a keyword suggests the type.
	needContext bool
	// minor: the value shows a person under 14; emit pi.Minor with the same span.
	minor bool
}

// specs is the one list of structured types, in priority order: on a
// candidate that two types accept (an 18-digit number that is both a valid ID
// and Luhn-valid), the earlier one wins. detectors_test checks every type is
// listed once.
var specs = []*spec{
	idCardSpec,
	bankCardSpec,
	usccSpec,
	mobileSpec,
	landlineSpec,
	emailSpec,
	ipv4Spec,
	ipv6Spec,
	passportSpec,
	travelPermitSpec,
	plateSpec,
	birthDateSpec,
}
