package masking

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/masking/fpe"
)

// Policy says how each value is de-identified: a list of rules, the first
// whose conditions all hold wins. A value no rule matches is masked with the
// type's default (see Mask). Keys are never part of a policy.
type Policy struct {
	Version int    `yaml:"version"`
	Rules   []Rule `yaml:"rules"`
	// Key exists only to reject policies that carry key material.
	Key string `yaml:"key,omitempty"`

	source string // file name for errors, or "default policy"
}

// Rule is one policy entry. Types, Columns and Grades are alternatives
// within a condition (any of); conditions left empty always hold.
type Rule struct {
	Name string `yaml:"name"`
	// Types: PI type IDs (cn_id_card, ...).
	Types []pi.TypeID `yaml:"types,omitempty"`
	// Columns: globs over column, table.column or db.table.column, matched
	// against the end of the value's qualified column name, case-insensitively;
	// '*' and '?' do not cross '.': "shop.customers.id_no", "*.phone", "id_no".
	Columns []string `yaml:"columns,omitempty"`
	// Grades: none, ordinary, sensitive. MinGrade: the grade or above.
	Grades   []pi.Grade `yaml:"grades,omitempty"`
	MinGrade *pi.Grade  `yaml:"min_grade,omitempty"`

	Operator string `yaml:"operator"`
	Params   Params `yaml:"params,omitempty"`
	// Fallback: operator used (with its defaults) when Operator does not
	// apply to a value (e.g. tokenize of a malformed ID): mask (default),
	// redact, replace, null, hash (keyed, 16 hex digits; an e-mail keeps its
	// domain: for unique columns, where mask would merge values), or fail to
	// report an error.
	Fallback string `yaml:"fallback,omitempty"`

	Key string `yaml:"key,omitempty"`
}

// Params are the operators' settings; Validate rejects one that the rule's
// operator does not use.
type Params struct {
	KeepFirst *int   `yaml:"keep_first,omitempty"` // mask
	KeepLast  *int   `yaml:"keep_last,omitempty"`  // mask
	Char      string `yaml:"char,omitempty"`       // mask: one character, default *
	Text      string `yaml:"text,omitempty"`       // replace: default the type's tag, [身份证号]
	AgeBand   int    `yaml:"age_band,omitempty"`   // generalize: birth date → age band of N years
	AsOf      string `yaml:"as_of,omitempty"`      // generalize: YYYY-MM-DD for ages (default: when compiled)
	IPv4      int    `yaml:"ipv4_prefix,omitempty"`
	IPv6      int    `yaml:"ipv6_prefix,omitempty"`
	Algorithm string `yaml:"algorithm,omitempty"` // hash: hmac-sha256 (default) or hmac-sm3
	Output    string `yaml:"output,omitempty"`    // hash: hex (default) or digits
	Length    *int   `yaml:"length,omitempty"`    // hash: hex digits, default 16, 0 = all
	Cipher    string `yaml:"cipher,omitempty"`    // tokenize: aes-256 (default) or sm4
	Format    string `yaml:"format,omitempty"`    // tokenize: auto (default), digits, alnum, or a type's layout
	MaxDays   int    `yaml:"max_days,omitempty"`  // shift_date: shift within ±N days, default 30
	Subject   string `yaml:"subject,omitempty"`   // shift_date: column holding the subject ID
}

// operators are the operator names a rule may use.
var operators = []string{"mask", "redact", "replace", "null", "generalize", "hash", "tokenize", "shift_date"}

// paramsOf lists the params each operator reads.
var paramsOf = map[string][]string{
	"mask":       {"keep_first", "keep_last", "char"},
	"redact":     {},
	"replace":    {"text"},
	"null":       {},
	"generalize": {"age_band", "as_of", "ipv4_prefix", "ipv6_prefix"},
	"hash":       {"algorithm", "output", "length"},
	"tokenize":   {"cipher", "format"},
	"shift_date": {"max_days", "subject"},
}

func (p *Params) set() []string {
	var s []string
	add := func(ok bool, name string) {
		if ok {
			s = append(s, name)
		}
	}
	add(p.KeepFirst != nil, "keep_first")
	add(p.KeepLast != nil, "keep_last")
	add(p.Char != "", "char")
	add(p.Text != "", "text")
	add(p.AgeBand != 0, "age_band")
	add(p.AsOf != "", "as_of")
	add(p.IPv4 != 0, "ipv4_prefix")
	add(p.IPv6 != 0, "ipv6_prefix")
	add(p.Algorithm != "", "algorithm")
	add(p.Output != "", "output")
	add(p.Length != nil, "length")
	add(p.Cipher != "", "cipher")
	add(p.Format != "", "format")
	add(p.MaxDays != 0, "max_days")
	add(p.Subject != "", "subject")
	return s
}

//go:embed default_policy.yaml
var defaultPolicyYAML []byte

// DefaultPolicy is the policy used when --policy is not given, meant for
// copies of data (dumps, database copies): ID numbers, mobiles and bank
// cards tokenised so application validation still accepts them, names,
// addresses and e-mails masked, sensitive categories replaced by a tag,
// credentials redacted, everything else masked. It needs a key.
func DefaultPolicy() *Policy {
	p, err := ParsePolicy(defaultPolicyYAML, "default policy")
	if err != nil {
		panic("masking: built-in default policy: " + err.Error()) // a test covers it
	}
	return p
}

// DefaultPolicyYAML returns the default policy's text, a starting point for
// a policy file.
func DefaultPolicyYAML() []byte { return bytes.Clone(defaultPolicyYAML) }

// LoadPolicy reads and validates a policy file.
func LoadPolicy(file string) (*Policy, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	return ParsePolicy(b, file)
}

// ParsePolicy parses and validates a policy; name is used in errors.
func ParsePolicy(b []byte, name string) (*Policy, error) {
	p := &Policy{source: name}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(p); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("policy %s: empty", name)
		}
		return nil, fmt.Errorf("policy %s: %w", name, err)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// Validate checks every rule and names the rule (by name, or number when
// unnamed) in each error. It returns all problems joined.
func (p *Policy) Validate() error {
	src := p.name()
	var errs []error
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("policy %s: "+format, append([]any{src}, args...)...))
	}
	if p.Version != 1 {
		fail("version %d, want 1", p.Version)
	}
	if p.Key != "" {
		fail("contains a key: keys never go in a policy; use %s or --key-file", KeyEnv)
	}
	if len(p.Rules) == 0 {
		fail("no rules")
	}
	seen := map[string]int{}
	for i := range p.Rules {
		r := &p.Rules[i]
		where := fmt.Sprintf("rule %d", i+1)
		if r.Name != "" {
			where = fmt.Sprintf("rule %d %q", i+1, r.Name)
			if j, dup := seen[r.Name]; dup {
				fail("%s: name already used by rule %d", where, j)
			}
			seen[r.Name] = i + 1
		} else {
			fail("%s: no name", where)
		}
		if r.Key != "" {
			fail("%s: contains a key: keys never go in a policy; use %s or --key-file", where, KeyEnv)
		}
		for _, t := range r.Types {
			if !slices.Contains(pi.BuiltinTypes, t) && !validCustomType(string(t)) {
				fail("%s: type %q is not a type ID", where, t)
			}
		}
		for _, c := range r.Columns {
			if err := checkGlob(c); err != nil {
				fail("%s: column %q: %v", where, c, err)
			}
		}
		allowed, ok := paramsOf[r.Operator]
		if r.Operator == "" {
			// YAML reads a bare `operator: null` as no value at all.
			fail(`%s: no operator (for the null operator write operator: "null", quoted)`, where)
			continue
		}
		if !ok {
			fail("%s: operator %q unknown (want one of %s)", where, r.Operator, strings.Join(operators, ", "))
			continue
		}
		for _, s := range r.Params.set() {
			if !slices.Contains(allowed, s) {
				fail("%s: param %s does not apply to operator %s", where, s, r.Operator)
			}
		}
		if err := checkParams(r); err != nil {
			fail("%s: %v", where, err)
		}
		switch r.Fallback {
		case "", "mask", "redact", "replace", "null", "hash", "fail":
		default:
			fail("%s: fallback %q unknown (want mask, redact, replace, null, hash or fail)", where, r.Fallback)
		}
	}
	return errors.Join(errs...)
}

func (p *Policy) name() string {
	if p.source == "" {
		return "(unnamed)"
	}
	return p.source
}

// validCustomType: custom detectors name their own types; accept the same
// shape as the built-in IDs (lower-case, digits, '_').
func validCustomType(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

func checkGlob(g string) error {
	if g == "" {
		return errors.New("empty")
	}
	for _, seg := range strings.Split(g, ".") {
		if seg == "" {
			return errors.New("empty segment")
		}
		if _, err := path.Match(seg, ""); err != nil {
			return err
		}
	}
	return nil
}

func checkParams(r *Rule) error {
	p := &r.Params
	if p.KeepFirst != nil && *p.KeepFirst < 0 || p.KeepLast != nil && *p.KeepLast < 0 {
		return errors.New("keep_first and keep_last must not be negative")
	}
	if p.Char != "" && len([]rune(p.Char)) != 1 {
		return fmt.Errorf("char %q must be one character", p.Char)
	}
	if p.AgeBand < 0 {
		return errors.New("age_band must be positive")
	}
	if p.AsOf != "" {
		if _, err := time.Parse(time.DateOnly, p.AsOf); err != nil {
			return fmt.Errorf("as_of %q is not YYYY-MM-DD", p.AsOf)
		}
	}
	if p.IPv4 < 0 || p.IPv4 > 32 || p.IPv6 < 0 || p.IPv6 > 128 {
		return errors.New("ipv4_prefix must be in 1..32 and ipv6_prefix in 1..128")
	}
	if p.Algorithm != "" && !slices.Contains(hashAlgorithms, p.Algorithm) {
		return fmt.Errorf("algorithm %q unknown (want hmac-sha256 or hmac-sm3)", p.Algorithm)
	}
	if p.Output != "" && p.Output != "hex" && p.Output != "digits" {
		return fmt.Errorf("output %q unknown (want hex or digits)", p.Output)
	}
	if p.Length != nil && (*p.Length < 0 || *p.Length > 64) {
		return errors.New("length must be in 0..64")
	}
	if p.Cipher != "" && !slices.Contains(tokenCiphers, p.Cipher) {
		return fmt.Errorf("cipher %q unknown (want aes-256 or sm4)", p.Cipher)
	}
	if p.Format != "" {
		if _, err := fpe.ParseFormat(p.Format); err != nil {
			return err
		}
	}
	if p.MaxDays < 0 || p.MaxDays > 36500 {
		return errors.New("max_days must be in 1..36500")
	}
	return nil
}

// needsKey reports whether a rule's operator is keyed.
func needsKey(op string) bool { return op == "hash" || op == "tokenize" || op == "shift_date" }
