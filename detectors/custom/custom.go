// Package custom runs user rules from a YAML file, so a user can add a PI type
// (employee numbers, an in-house customer ID) without recompiling:
//
//	rules:
//	  - id: employee_no
//	    description: 工号
//	    grade: ordinary            # none | ordinary | sensitive
//	    regex: 'E\d{7}'            # and/or dictionary / dictionary_file
//	    keywords: [工号, employee]  # context words near a match
//	    keywords_required: true    # only report near a keyword
//	    column_hints: [emp_no, 工号]
//	    validator: none            # luhn | mod11-2 | none
//	    confidence: 0.8
//	    examples:
//	      match: ["工号：E1234567"]
//	      no_match: ["E1234567"]
//
// Load validates every rule up front (gitleaks-style): it compiles patterns,
// checks IDs against the built-in types, and runs each rule's own examples;
// every error names the file and the rule. Rules are not the built-in hot
// path, so a regexp is acceptable, but it is only run where it can match:
// around keyword hits when keywords are required, and only in values that
// contain the regexp's literal prefix.
package custom

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/detectors/sensitive/ac"
)

// File is the YAML document.
type File struct {
	Rules []Rule `yaml:"rules"`
}

// Rule is one user-defined type.
type Rule struct {
	ID               string   `yaml:"id"`
	Description      string   `yaml:"description"`
	Grade            string   `yaml:"grade"`
	Regex            string   `yaml:"regex"`
	Dictionary       []string `yaml:"dictionary"`
	DictionaryFile   string   `yaml:"dictionary_file"`
	Keywords         []string `yaml:"keywords"`
	KeywordsRequired bool     `yaml:"keywords_required"`
	KeywordWindow    int      `yaml:"keyword_window"` // bytes either side of a match; default 48
	ColumnHints      []string `yaml:"column_hints"`
	Validator        string   `yaml:"validator"`
	Confidence       float32  `yaml:"confidence"`
	Examples         struct {
		Match   []string `yaml:"match"`
		NoMatch []string `yaml:"no_match"`
	} `yaml:"examples"`
}

const (
	defaultWindow     = 48
	defaultConfidence = 0.8
	noKeywordPenalty  = 0.2 // keywords given but none nearby
	hintBonus         = 0.1
)

var idPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{1,63}$`)

// rule is a validated, compiled Rule. Immutable.
type rule struct {
	id       pi.TypeID
	grade    pi.Grade
	re       *regexp.Regexp
	prefix   []byte // literal every match of re starts with, nil if none
	maxLen   int    // longest match of re in bytes, -1 if unbounded
	dict     *ac.Automaton
	kw       *ac.Automaton
	hasKw    bool
	required bool
	window   int
	hints    []string // lower-cased
	validate func([]byte) bool
	conf     float32
}

// Detector runs the rules of one file. It is immutable and safe for
// concurrent use.
type Detector struct {
	rules []*rule
	types []pi.TypeID
}

// Load reads, validates and compiles the rules in path. dictionary_file paths
// are relative to the rules file.
func Load(path string) (*Detector, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("custom rules: %w", err)
	}
	d, err := Parse(data, filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("custom rules %s: %w", path, err)
	}
	return d, nil
}

// Parse validates and compiles a rules document; baseDir resolves
// dictionary_file.
func Parse(data []byte, baseDir string) (*Detector, error) {
	var f File
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("yaml: %w", err)
	}
	return f.Compile(baseDir)
}

// Validate checks every rule as Compile does (patterns, IDs, validators,
// dictionary files, each rule's own examples) without keeping the result.
func (f *File) Validate(baseDir string) error {
	_, err := f.Compile(baseDir)
	return err
}

// Compile validates every rule and returns the detector. Errors name the rule.
func (f *File) Compile(baseDir string) (*Detector, error) {
	if len(f.Rules) == 0 {
		return nil, fmt.Errorf("no rules")
	}
	builtin := map[pi.TypeID]bool{}
	for _, t := range pi.BuiltinTypes {
		builtin[t] = true
	}
	d := &Detector{}
	seen := map[string]bool{}
	for i := range f.Rules {
		r := &f.Rules[i]
		name := r.ID
		if name == "" {
			name = fmt.Sprintf("#%d", i+1)
		}
		c, err := compile(r, baseDir, builtin)
		if err == nil && seen[r.ID] {
			err = fmt.Errorf("duplicate id")
		}
		if err == nil {
			err = c.selfTest(r)
		}
		if err != nil {
			return nil, fmt.Errorf("rule %q: %w", name, err)
		}
		seen[r.ID] = true
		d.rules = append(d.rules, c)
		d.types = append(d.types, c.id)
	}
	return d, nil
}

func compile(r *Rule, baseDir string, builtin map[pi.TypeID]bool) (*rule, error) {
	if !idPattern.MatchString(r.ID) {
		return nil, fmt.Errorf("id must match %s", idPattern)
	}
	if builtin[pi.TypeID(r.ID)] {
		return nil, fmt.Errorf("id collides with a built-in type")
	}
	c := &rule{id: pi.TypeID(r.ID), grade: pi.GradeOrdinary, required: r.KeywordsRequired,
		window: r.KeywordWindow, conf: r.Confidence}
	if r.Grade != "" {
		g, err := pi.ParseGrade(r.Grade)
		if err != nil {
			return nil, fmt.Errorf("grade: %w", err)
		}
		c.grade = g
	}
	if c.window == 0 {
		c.window = defaultWindow
	}
	if c.window < 0 || c.window > 4096 {
		return nil, fmt.Errorf("keyword_window must be 1..4096 bytes")
	}
	if c.conf == 0 {
		c.conf = defaultConfidence
	}
	if c.conf < 0 || c.conf > 1 {
		return nil, fmt.Errorf("confidence must be in [0,1]")
	}
	if r.Regex != "" {
		re, err := regexp.Compile(r.Regex)
		if err != nil {
			return nil, fmt.Errorf("regex: %w", err)
		}
		if re.MatchString("") {
			return nil, fmt.Errorf("regex matches the empty string")
		}
		c.re = re
		p, maxLen, _ := literalStart(r.Regex)
		if p != "" {
			c.prefix = []byte(p)
		}
		c.maxLen = maxLen
	}
	words := append([]string(nil), r.Dictionary...)
	if r.DictionaryFile != "" {
		p := r.DictionaryFile
		if !filepath.IsAbs(p) {
			p = filepath.Join(baseDir, p)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("dictionary_file: %w", err)
		}
		for _, l := range strings.Split(string(data), "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
				words = append(words, l)
			}
		}
	}
	if c.re != nil && len(words) > 0 {
		return nil, fmt.Errorf("give either regex or dictionary, not both")
	}
	if c.re == nil && len(words) == 0 {
		return nil, fmt.Errorf("needs a regex, a dictionary or a dictionary_file")
	}
	if len(words) > 0 {
		for j, w := range words {
			if !ac.Supported(w) {
				return nil, fmt.Errorf("dictionary entry %d is empty, invalid UTF-8 or outside the BMP", j+1)
			}
		}
		c.dict = ac.Build(words)
	}
	if len(r.Keywords) > 0 {
		for j, w := range r.Keywords {
			if !ac.Supported(w) {
				return nil, fmt.Errorf("keyword %d is empty, invalid UTF-8 or outside the BMP", j+1)
			}
		}
		c.kw, c.hasKw = ac.Build(r.Keywords), true
	} else if r.KeywordsRequired {
		return nil, fmt.Errorf("keywords_required without keywords")
	}
	for _, h := range r.ColumnHints {
		if h = strings.TrimSpace(h); h != "" {
			c.hints = append(c.hints, strings.ToLower(h))
		}
	}
	switch strings.ToLower(r.Validator) {
	case "", "none":
	case "luhn":
		c.validate = luhn
	case "mod11-2", "mod11_2", "iso7064":
		c.validate = mod112
	default:
		return nil, fmt.Errorf("validator %q (want luhn, mod11-2 or none)", r.Validator)
	}
	return c, nil
}

// selfTest runs the rule's own examples. Errors give the example's index,
// never its text (examples may be real values).
func (c *rule) selfTest(r *Rule) error {
	for i, ex := range r.Examples.Match {
		if len(c.find([]byte(ex), false, nil)) == 0 {
			return fmt.Errorf("examples.match[%d] does not match", i)
		}
	}
	for i, ex := range r.Examples.NoMatch {
		if len(c.find([]byte(ex), false, nil)) != 0 {
			return fmt.Errorf("examples.no_match[%d] matches", i)
		}
	}
	return nil
}

// Types lists the custom type IDs.
func (d *Detector) Types() []pi.TypeID { return d.types }

// Hint suggests a rule's type when the column name or comment contains one
// of its column_hints (case-insensitive).
func (d *Detector) Hint(column, comment string) []pi.TypeID {
	col, com := strings.ToLower(column), strings.ToLower(comment)
	var out []pi.TypeID
	for _, r := range d.rules {
		for _, h := range r.hints {
			if strings.Contains(col, h) || (com != "" && strings.Contains(com, h)) {
				out = append(out, r.id)
				break
			}
		}
	}
	return out
}

// Find appends the matches of every rule.
func (d *Detector) Find(value []byte, f *pi.Field, dst []pi.Match) []pi.Match {
	if len(value) == 0 {
		return dst
	}
	for _, r := range d.rules {
		dst = r.find(value, f.Suggests(r.id), dst)
	}
	return dst
}

func (c *rule) find(v []byte, hinted bool, dst []pi.Match) []pi.Match {
	var kwBuf, dictBuf [32]ac.Hit // on the stack unless a value has more hits
	var kws []ac.Hit
	if c.hasKw {
		kws = c.kw.Scan(v, kwBuf[:0])
		if c.required && len(kws) == 0 && !hinted {
			return dst
		}
	}
	emit := func(s, e int) {
		if c.validate != nil && !c.validate(v[s:e]) {
			return
		}
		near := false
		for _, k := range kws {
			if int(k.End) >= s-c.window && int(k.Start) <= e+c.window && (int(k.End) <= s || int(k.Start) >= e) {
				near = true
				break
			}
		}
		if c.required && !near && !hinted {
			return
		}
		conf := c.conf
		if c.hasKw && !near {
			conf -= noKeywordPenalty
		}
		if hinted {
			conf += hintBonus
		}
		conf = min(max(conf, 0), 1)
		dst = append(dst, pi.Match{Type: c.id, Start: s, End: e, Confidence: conf, Grade: c.grade})
	}
	if c.dict != nil {
		for _, h := range c.dict.Scan(v, dictBuf[:0]) {
			s, e := int(h.Start), int(h.End)
			// ASCII entries match whole words only (VIP, not XVIP).
			if (s > 0 && isWordByte(v[s]) && isWordByte(v[s-1])) || (e < len(v) && isWordByte(v[e-1]) && isWordByte(v[e])) {
				continue
			}
			emit(s, e)
		}
		return dst
	}
	if c.prefix != nil {
		first := bytes.Index(v, c.prefix)
		if first < 0 {
			return dst
		}
		if c.maxLen > 0 {
			// Every match starts at an occurrence of the prefix and is at most
			// maxLen long: run the regexp on a window per occurrence, with one
			// byte of context either side for \b.
			for p := first; p >= 0; {
				lo, hi := max(p-1, 0), min(p+c.maxLen+1, len(v))
				for _, m := range c.re.FindAllIndex(v[lo:hi], -1) {
					if lo+m[0] == p {
						emit(p, lo+m[1])
						break
					}
				}
				next := bytes.Index(v[p+1:], c.prefix)
				if next < 0 {
					break
				}
				p += 1 + next
			}
			return dst
		}
	}
	if c.required && !hinted {
		// Run the regexp only in windows around keyword hits.
		last := 0
		for _, k := range kws {
			lo, hi := max(int(k.Start)-c.window, last), min(int(k.End)+c.window, len(v))
			if lo >= hi {
				continue
			}
			lo, hi = runeStart(v, lo), runeStart(v, hi)
			for _, m := range c.re.FindAllIndex(v[lo:hi], -1) {
				emit(lo+m[0], lo+m[1])
			}
			last = hi
		}
		return dst
	}
	for _, m := range c.re.FindAllIndex(v, -1) {
		emit(m[0], m[1])
	}
	return dst
}

func isWordByte(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_'
}

// runeStart moves i back to the start of the UTF-8 sequence it is in.
func runeStart(v []byte, i int) int {
	for i > 0 && i < len(v) && v[i]&0xC0 == 0x80 {
		i--
	}
	return i
}

// luhn checks the Luhn digit over the digits of s (spaces and dashes ignored).
func luhn(s []byte) bool {
	sum, n, double := 0, 0, false
	for i := len(s) - 1; i >= 0; i-- {
		b := s[i]
		if b == ' ' || b == '-' {
			continue
		}
		if b < '0' || b > '9' {
			return false
		}
		d := int(b - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
		n++
	}
	return n >= 2 && sum%10 == 0
}

// mod112 checks an ISO 7064 MOD 11-2 check character (0-9 or X) at the end
// of a digit string, as in the 18-digit resident ID number.
func mod112(s []byte) bool {
	if len(s) < 2 {
		return false
	}
	sum, w := 0, 2 // weight of the digit just before the check character
	for i := len(s) - 2; i >= 0; i-- {
		b := s[i]
		if b < '0' || b > '9' {
			return false
		}
		sum += int(b-'0') * w
		w = w * 2 % 11
	}
	want := (12 - sum%11) % 11
	last := s[len(s)-1]
	if want == 10 {
		return last == 'X' || last == 'x'
	}
	return int(last-'0') == want
}
