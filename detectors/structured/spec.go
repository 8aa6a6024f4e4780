package structured

import "github.com/piiscan/piiscan/detectors/pi"

// spec is everything that differs between two structured types: which
// candidate shapes feed it, how a candidate is confirmed, which words around
// a value or in a column name make it likelier, and how confident a match is.
// The scan (scan.go) and the context logic (context.go) are shared.
type spec struct {
	typ pi.TypeID

	// Validators, one per candidate shape the type can take; nil when the
	// type never has that shape. Each returns ok=false to pass.
	// atom is tried first at every ASCII token start, for shapes that span
	// punctuation (e-mail across '.', '@'; IPv6 across ':'); start..end is
	// the alphanumeric run that begins there.
	atom   func(s *scan, start, end int) (hit, bool)
	chain  func(s *scan, c *chain, a, b int) (hit, bool) // digit groups c.g[a:b]
	token  func(s *scan, start, end int) (hit, bool)     // ASCII token v[start:end] led by a letter
	dotted func(s *scan, c *chain) (hit, bool)           // digit groups joined by '.'

	// columns are words in a column name or comment that suggest the type
	// (matched case-insensitively; see hint.go for how short ASCII words
	// must stand alone). keywords are words seen shortly before a value.
	columns  []string
	keywords []string

	// base is the confidence without context, boosted with it (a column
	// that suggests the type, or a keyword just before the value).
	base, boosted float32
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
