package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Inventory is what a scan cannot see but an inventory of PI must record
// (PIPL Art. 51, GB/T 35273 §11): who owns the data, why it is kept, on what
// legal basis, for how long and where.
type Inventory struct {
	Owner      string `json:"owner,omitempty" yaml:"owner"`
	Purpose    string `json:"purpose,omitempty" yaml:"purpose"`
	LegalBasis string `json:"legal_basis,omitempty" yaml:"legal_basis"`
	Retention  string `json:"retention,omitempty" yaml:"retention"`
	System     string `json:"system,omitempty" yaml:"system"` // system or physical location
	// NonPI marks data its owner declares free of personal information;
	// PI found there is a gap.
	NonPI bool `json:"non_pi,omitempty" yaml:"non_pi"`
	// Matched lists the patterns that contributed, in file order, so a
	// reader can see why a column carries this metadata.
	Matched []string `json:"matched,omitempty" yaml:"-"`
}

// Annotation is one entry of an annotations file: a glob and the metadata
// for the columns it matches.
type Annotation struct {
	Match     string `yaml:"match"`
	Inventory `yaml:",inline"`
}

// Annotations is a parsed annotations file:
//
//	columns:
//	  - match: "shop.*"                 # every column of database or schema "shop"
//	    owner: 数据安全部
//	    system: CRM (IDC Shanghai)
//	  - match: "shop.customers.id_no"
//	    purpose: 实名认证
//	    legal_basis: PIPL Art. 13(3)
//	    retention: 3y after account closure
//	  - match: "mysql://10.0.0.5:3306/logs/**"
//	    non_pi: true
//
// Matching. Each column has a path: SOURCE/TABLE.COLUMN, or SOURCE/COLUMN when
// its table is "", or SOURCE for a text file (no table, no column). A pattern
// with a '/' is matched against the whole path. A pattern without '/' is
// matched against TABLE.COLUMN (COLUMN when there is no table) and, for
// database sources (scheme://host/DB/...), also against DB.TABLE.COLUMN, so
// "shop.customers.id_no" names a column whatever host it was scanned on.
// In patterns '*' matches any run of characters except '/', '**' any run
// including '/', '?' one character; everything else, '.' included, is literal;
// matching is case-sensitive (MySQL and PostgreSQL identifiers may differ only
// in case).
//
// Every entry that matches a column applies, in file order; a later entry's
// non-empty fields override earlier ones, so broad defaults go first and
// specific entries after them.
type Annotations struct {
	Columns []Annotation `yaml:"columns"`
}

// LoadAnnotations reads an annotations YAML file.
func LoadAnnotations(path string) (*Annotations, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	a, err := ParseAnnotations(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return a, nil
}

// ParseAnnotations reads annotations YAML; unknown keys are errors (a typo
// like "retension" must not silently leave a gap unexplained).
func ParseAnnotations(r io.Reader) (*Annotations, error) {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	var a Annotations
	if err := dec.Decode(&a); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("annotations: %w", err)
	}
	for i, e := range a.Columns {
		if strings.TrimSpace(e.Match) == "" {
			return nil, fmt.Errorf("annotations: columns[%d]: empty match", i)
		}
		if err := checkGlob(e.Match); err != nil {
			return nil, fmt.Errorf("annotations: columns[%d] (%q): %w", i, e.Match, err)
		}
	}
	return &a, nil
}

// Apply joins the annotations to r's columns (replacing any Inventory they
// had) and recomputes r.Gaps.
func (a *Annotations) Apply(r *Report) {
	for i := range r.Columns {
		c := &r.Columns[i]
		c.Inventory = a.For(c)
	}
	r.Gaps = ComplianceGaps(r)
}

// For returns the merged metadata of every entry matching c, nil if none.
func (a *Annotations) For(c *Column) *Inventory {
	if a == nil {
		return nil
	}
	var inv *Inventory
	for _, e := range a.Columns {
		if !matchColumn(e.Match, c) {
			continue
		}
		if inv == nil {
			inv = &Inventory{}
		}
		over(&inv.Owner, e.Owner)
		over(&inv.Purpose, e.Purpose)
		over(&inv.LegalBasis, e.LegalBasis)
		over(&inv.Retention, e.Retention)
		over(&inv.System, e.System)
		if e.NonPI {
			inv.NonPI = true
		}
		inv.Matched = append(inv.Matched, e.Match)
	}
	return inv
}

func over(dst *string, v string) {
	if v = strings.TrimSpace(v); v != "" {
		*dst = v
	}
}

// ColumnPath is the path annotation patterns with a '/' are matched against.
func ColumnPath(c *Column) string {
	name := columnName(c)
	if name == "" {
		return c.Source
	}
	return c.Source + "/" + name
}

// columnName is TABLE.COLUMN, or COLUMN without a table.
func columnName(c *Column) string {
	switch {
	case c.Table == "":
		return c.Column
	case c.Column == "":
		return c.Table
	}
	return c.Table + "." + c.Column
}

// databaseOf returns DB of a database source "scheme://host[:port]/DB[/...]",
// "" for files.
func databaseOf(source string) string {
	i := strings.Index(source, "://")
	if i <= 0 {
		return ""
	}
	rest := source[i+3:]
	j := strings.IndexByte(rest, '/')
	if j < 0 {
		return ""
	}
	db := rest[j+1:]
	if k := strings.IndexByte(db, '/'); k >= 0 {
		db = db[:k]
	}
	if k := strings.IndexByte(db, '?'); k >= 0 {
		db = db[:k]
	}
	return db
}

func matchColumn(pattern string, c *Column) bool {
	if strings.Contains(pattern, "/") {
		return globMatch(pattern, ColumnPath(c))
	}
	name := columnName(c)
	if name != "" && globMatch(pattern, name) {
		return true
	}
	if db := databaseOf(c.Source); db != "" && name != "" && !strings.HasPrefix(name, db+".") {
		return globMatch(pattern, db+"."+name)
	}
	return false
}

func checkGlob(p string) error {
	if strings.Contains(p, "***") {
		return errors.New("'***' is ambiguous: use '**'")
	}
	return nil
}

// globMatch matches s against p: '**' any run, '*' any run without '/', '?'
// one rune. It backtracks over stars, which is fine for the few-star patterns
// of a hand-written annotations file.
func globMatch(p, s string) bool {
	if p == "" {
		return s == ""
	}
	switch {
	case strings.HasPrefix(p, "**"):
		rest := strings.TrimLeft(p, "*")
		for i := 0; i <= len(s); i++ {
			if globMatch(rest, s[i:]) {
				return true
			}
		}
		return false
	case p[0] == '*':
		rest := p[1:]
		for i := 0; i <= len(s); i++ {
			if globMatch(rest, s[i:]) {
				return true
			}
			if i < len(s) && s[i] == '/' {
				return false
			}
		}
		return false
	case p[0] == '?':
		if s == "" {
			return false
		}
		_, n := utf8.DecodeRuneInString(s)
		return globMatch(p[1:], s[n:])
	}
	if s == "" || p[0] != s[0] {
		return false
	}
	return globMatch(p[1:], s[1:])
}
