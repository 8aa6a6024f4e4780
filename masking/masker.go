package masking

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/masking/ff1"
	"github.com/piiscan/piiscan/masking/fpe"
)

// Masker applies a compiled policy. It caches rule lookups and holds the
// keyed operators' state, so it is not safe for concurrent use: Clone one per
// goroutine (clones share the immutable parts).
type Masker struct {
	rules    []*CompiledRule
	implicit *CompiledRule
	keyID    string
	cache    map[lookup]*CompiledRule
	// uniqueTok and uniqueHash build the rules UniqueRule substitutes for
	// rules that are not injective (nil without a key); unique caches them
	// per policy rule.
	uniqueTok  *Tokenize
	uniqueHash *Hash
	unique     map[*CompiledRule]*CompiledRule
	// recent holds the last 16 lookups in front of cache: a stream of values
	// cycles through a few columns, and comparing a lookup's strings (the
	// same string headers each time) is cheaper than hashing them.
	recent     [16]recentRule
	recentNext int
	recentLen  int // entries of recent in use
	lastHit    int // the entry of recent the last lookup found or added
}

type recentRule struct {
	k lookup
	r *CompiledRule
}

type lookup struct {
	table, column string
	t             pi.TypeID
	g             pi.Grade
}

// CompiledRule is a rule ready to apply. Callers that mask a whole column
// may look it up once (Masker.Rule) and call its Apply directly.
type CompiledRule struct {
	Name     string
	Operator string
	// Subject is the column holding the subject ID for shift_date, or "".
	Subject string

	types   []pi.TypeID
	columns [][]string // lower-case glob segments
	grades  []pi.Grade
	min     *pi.Grade

	op       Operator
	fallback Operator // nil: fail
}

// Compile builds a Masker. key may be nil if no rule uses a keyed operator
// (hash, tokenize, shift_date).
func (p *Policy) Compile(key *Key) (*Masker, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	m := &Masker{cache: map[lookup]*CompiledRule{}, unique: map[*CompiledRule]*CompiledRule{}}
	// One tokenizer per cipher, shared by all tokenize rules: the same value
	// gets the same token whichever rule tokenises it.
	toks := map[string]*fpe.Tokenizer{}
	if key != nil {
		m.keyID = key.ID()
		tok, err := newTokenizer(key, "aes-256")
		if err != nil {
			return nil, err
		}
		toks["aes-256"] = tok
		m.uniqueTok = &Tokenize{format: fpe.FormatAuto, tok: tok, hexLen: 16} // its fallback is uniqueHash
		if m.uniqueHash, err = NewHash(key, "", false, 16); err != nil {
			return nil, err
		}
	}
	now := time.Now().UTC()
	for i := range p.Rules {
		r := &p.Rules[i]
		where := fmt.Sprintf("policy %s: rule %d %q", p.name(), i+1, r.Name)
		if needsKey(r.Operator) && key == nil {
			return nil, fmt.Errorf("%s: operator %s needs a key: %w", where, r.Operator, ErrNoKey)
		}
		if needsKey(r.Fallback) && key == nil {
			return nil, fmt.Errorf("%s: fallback %s needs a key: %w", where, r.Fallback, ErrNoKey)
		}
		cr := &CompiledRule{Name: r.Name, Operator: r.Operator, Subject: r.Params.Subject,
			types: r.Types, grades: r.Grades, min: r.MinGrade}
		for _, c := range r.Columns {
			cr.columns = append(cr.columns, strings.Split(strings.ToLower(c), "."))
		}
		op, err := buildOp(r, key, toks, now)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		cr.op = op
		switch r.Fallback {
		case "", "mask":
			cr.fallback = NewMask()
		case "redact":
			cr.fallback = Redact{}
		case "replace":
			cr.fallback = Replace{}
		case "null":
			cr.fallback = Null{}
		case "hash":
			if cr.fallback, err = NewHash(key, "", false, 16); err != nil {
				return nil, fmt.Errorf("%s: %w", where, err)
			}
			if t, ok := op.(*Tokenize); ok {
				t.hexLen = 16 // unmask must tell the hash from tokens
			}
		}
		m.rules = append(m.rules, cr)
	}
	m.implicit = &CompiledRule{Name: "(no rule matched: default mask)", Operator: "mask", op: NewMask(), fallback: NewMask()}
	return m, nil
}

func buildOp(r *Rule, key *Key, toks map[string]*fpe.Tokenizer, now time.Time) (Operator, error) {
	p := &r.Params
	switch r.Operator {
	case "mask":
		m := NewMask()
		if p.KeepFirst != nil || p.KeepLast != nil {
			m.KeepFirst, m.KeepLast = 0, 0
			if p.KeepFirst != nil {
				m.KeepFirst = *p.KeepFirst
			}
			if p.KeepLast != nil {
				m.KeepLast = *p.KeepLast
			}
		}
		if p.Char != "" {
			m.Char, _ = utf8.DecodeRuneInString(p.Char)
		}
		return m, nil
	case "redact":
		return Redact{}, nil
	case "replace":
		return Replace{Text: p.Text}, nil
	case "null":
		return Null{}, nil
	case "generalize":
		g := Generalize{AgeBand: p.AgeBand, IPv4Prefix: p.IPv4, IPv6Prefix: p.IPv6}
		asOf := now
		if p.AsOf != "" {
			asOf, _ = time.Parse(time.DateOnly, p.AsOf) // validated
		}
		g.AsOf = asOf
		return g, nil
	case "hash":
		length := 16
		if p.Length != nil {
			length = *p.Length
		}
		return NewHash(key, p.Algorithm, p.Output == "digits", length)
	case "tokenize":
		f, err := fpe.ParseFormat(cmpOr(p.Format, "auto"))
		if err != nil {
			return nil, err
		}
		c := cmpOr(p.Cipher, "aes-256")
		tok, ok := toks[c]
		if !ok {
			if tok, err = newTokenizer(key, c); err != nil {
				return nil, err
			}
			toks[c] = tok
		}
		return &Tokenize{format: f, tok: tok}, nil
	case "shift_date":
		return NewShiftDate(key, cmpOr(p.MaxDays, 30))
	}
	return nil, fmt.Errorf("operator %q unknown", r.Operator)
}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// Clone returns a Masker for another goroutine.
func (m *Masker) Clone() *Masker {
	c := &Masker{implicit: m.implicit, keyID: m.keyID, cache: map[lookup]*CompiledRule{}, unique: map[*CompiledRule]*CompiledRule{}}
	// Tokenize operators of one cipher share a tokenizer; keep them shared
	// in the clone too.
	toks := map[*fpe.Tokenizer]*fpe.Tokenizer{}
	cloneTok := func(t *Tokenize) *Tokenize {
		nt, seen := toks[t.tok]
		if !seen {
			nt = t.tok.Clone()
			toks[t.tok] = nt
		}
		return &Tokenize{format: t.format, tok: nt, hexLen: t.hexLen}
	}
	for _, r := range m.rules {
		cr := *r
		if t, ok := r.op.(*Tokenize); ok {
			cr.op = cloneTok(t)
		} else {
			cr.op = cloneOp(r.op)
		}
		if cr.fallback != nil {
			cr.fallback = cloneOp(cr.fallback)
		}
		c.rules = append(c.rules, &cr)
	}
	if m.uniqueTok != nil {
		c.uniqueTok = cloneTok(m.uniqueTok)
		c.uniqueHash = m.uniqueHash.clone().(*Hash)
	}
	return c
}

// KeyID is the ID of the key the Masker was compiled with, "" if none: record
// it beside the output.
func (m *Masker) KeyID() string { return m.keyID }

// Rule returns the rule that applies to a value of type t and grade g in
// column (table may be "" or qualified, "db.table"; column "" for text
// without columns). It never returns nil: unmatched values get the implicit
// default mask.
func (m *Masker) Rule(table, column string, t pi.TypeID, g pi.Grade) *CompiledRule {
	k := lookup{table, column, t, g}
	// The values of a record come column after column, in the order their
	// lookups were remembered: the entry after the last hit is the likely
	// one, so the scan starts there.
	i := m.lastHit
	for range m.recentLen {
		if i++; i == m.recentLen {
			i = 0
		}
		if e := &m.recent[i]; e.k == k {
			m.lastHit = i
			return e.r
		}
	}
	if r, ok := m.cache[k]; ok {
		m.remember(k, r)
		return r
	}
	r := m.implicit
	var segs []string
	if column != "" {
		// An empty table is one empty segment, so "*.phone" matches a CSV
		// column "phone".
		segs = append(strings.Split(strings.ToLower(table), "."), strings.ToLower(column))
	}
	for _, cr := range m.rules {
		if cr.matches(segs, t, g) {
			r = cr
			break
		}
	}
	if len(m.cache) > 1<<16 { // bound memory on inputs with endless column names
		clear(m.cache)
	}
	m.cache[k] = r
	m.remember(k, r)
	return r
}

func (m *Masker) remember(k lookup, r *CompiledRule) {
	m.lastHit = m.recentNext
	m.recentLen = max(m.recentLen, m.recentNext+1)
	m.recent[m.recentNext] = recentRule{k, r}
	m.recentNext = (m.recentNext + 1) % len(m.recent)
}

func (r *CompiledRule) matches(segs []string, t pi.TypeID, g pi.Grade) bool {
	if len(r.types) > 0 && !slices.Contains(r.types, t) {
		return false
	}
	if len(r.grades) > 0 && !slices.Contains(r.grades, g) {
		return false
	}
	if r.min != nil && g < *r.min {
		return false
	}
	if len(r.columns) == 0 {
		return true
	}
	for _, pat := range r.columns {
		if globMatch(pat, segs) {
			return true
		}
	}
	return false
}

// globMatch matches pattern segments against the last segments of the
// qualified column name.
func globMatch(pat, segs []string) bool {
	if len(pat) > len(segs) {
		return false
	}
	tail := segs[len(segs)-len(pat):]
	for i, p := range pat {
		if ok, _ := path.Match(p, tail[i]); !ok {
			return false
		}
	}
	return true
}

// Mask de-identifies one value found as type t with grade g in table.column
// and appends the result to dst. It returns ErrNull when the value is to
// become NULL. An operator that does not apply to the value hands it to the
// rule's fallback; errors name the rule, never the value.
func (m *Masker) Mask(dst []byte, table, column string, t pi.TypeID, g pi.Grade, value []byte) ([]byte, error) {
	return m.Rule(table, column, t, g).Apply(dst, t, nil, value)
}

// MaskSubject is Mask for a record whose subject (the person it is about) is
// known, for shift_date.
func (m *Masker) MaskSubject(dst []byte, table, column string, t pi.TypeID, g pi.Grade, subject, value []byte) ([]byte, error) {
	return m.Rule(table, column, t, g).Apply(dst, t, subject, value)
}

// ErrIrreversible means the value's rule is not tokenize, so it cannot be
// unmasked.
var ErrIrreversible = errors.New("masking: the rule's operator is not reversible")

// Unmask reverses a token made by Mask under the same policy and key.
func (m *Masker) Unmask(dst []byte, table, column string, t pi.TypeID, g pi.Grade, token []byte) ([]byte, error) {
	return m.Rule(table, column, t, g).Reverse(dst, t, token)
}

// Reverse reverses a token made by the rule (a policy rule or one
// UniqueRule returned) under the same key.
func (r *CompiledRule) Reverse(dst []byte, t pi.TypeID, token []byte) ([]byte, error) {
	rev, ok := r.op.(Reverser)
	if !ok {
		return dst, fmt.Errorf("rule %q (%s): %w", r.Name, r.Operator, ErrIrreversible)
	}
	out, err := rev.Reverse(dst, t, token)
	if err != nil {
		return dst, fmt.Errorf("rule %q: %w", r.Name, err)
	}
	return out, nil
}

// Apply runs the rule's operator, then its fallback if the operator does not
// apply to the value.
func (r *CompiledRule) Apply(dst []byte, t pi.TypeID, subject, value []byte) ([]byte, error) {
	var out []byte
	var err error
	if so, ok := r.op.(SubjectOperator); ok {
		out, err = so.ApplySubject(dst, t, subject, value)
	} else {
		out, err = r.op.Apply(dst, t, value)
	}
	if err == nil || errors.Is(err, ErrNull) {
		return out, err
	}
	if r.fallback == nil {
		return dst, fmt.Errorf("rule %q: %w", r.Name, err)
	}
	return r.fallback.Apply(dst, t, value)
}

// Prefetch adds to b what Apply(dst, t, nil, value) can compute ahead, in
// a batch with other values (Tokenize.Prefetch): Apply's result is the
// same with or without it. Other operators have nothing to add.
func (r *CompiledRule) Prefetch(b *ff1.Batch, t pi.TypeID, value []byte) {
	if tk, ok := r.op.(*Tokenize); ok {
		tk.Prefetch(b, t, value)
	}
}

// Injective reports whether the rule gives distinct values distinct
// outputs, so that a unique or primary-key column, or a join key, stays one:
// tokenize is a permutation (it keeps the parts it keeps and encrypts the
// rest), and a keyed hash of 16 or more hex digits (an e-mail: as its local
// part, the domain kept) collides with a chance of about n²/2⁶⁵ for n
// values. Its fallback must be one of those too, or fail. mask, replace,
// redact, null, generalize, shift_date and short or decimal hashes merge
// values.
func (r *CompiledRule) Injective() bool {
	if _, ok := r.op.(*Hash); ok {
		return injective(r.op) // never fails: the fallback is not used
	}
	return injective(r.op) && (r.fallback == nil || injective(r.fallback))
}

func injective(op Operator) bool {
	switch o := op.(type) {
	case *Tokenize:
		return true
	case *Hash:
		return !o.digits && (o.length == 0 || o.length >= 16)
	}
	return false
}

// UniqueRule is Rule for a column under a unique or primary-key constraint
// (or a key other tables join on): the policy's rule if it is Injective,
// else one that is:
//   - a tokenize rule whose fallback merges values (the default policy's
//     tokenize with fallback mask) keeps its operator, so a foreign key
//     the policy tokenises still matches, and hashes what it cannot
//     tokenise instead;
//   - any other rule is replaced by tokenize (AES-256, the value's own
//     layout: an e-mail keeps its domain and gets a new local part of the
//     same shape) with the keyed hash (16 hex digits; an e-mail keeps its
//     domain) for values tokenize does not take (names, malformed IDs,
//     local parts under 4 letters or 6 digits).
//
// The substitute's Name is the policy rule's with " (unique column)"
// appended. It needs a key; without one it returns an error. The result is
// cached per rule and, like the Masker, is not safe for concurrent use.
func (m *Masker) UniqueRule(table, column string, t pi.TypeID, g pi.Grade) (*CompiledRule, error) {
	r := m.Rule(table, column, t, g)
	if r.Injective() {
		return r, nil
	}
	if u, ok := m.unique[r]; ok {
		return u, nil
	}
	if m.uniqueTok == nil {
		return nil, fmt.Errorf("rule %q (%s) would merge the values of a unique column, and making them unique needs a key: %w", r.Name, r.Operator, ErrNoKey)
	}
	u := &CompiledRule{Name: r.Name + " (unique column)", Operator: "tokenize",
		types: r.types, columns: r.columns, grades: r.grades, min: r.min,
		op: m.uniqueTok, fallback: m.uniqueHash}
	if t, ok := r.op.(*Tokenize); ok {
		// The policy's tokens, kept out of the shape of the hash that
		// now is the fallback.
		u.op = &Tokenize{format: t.format, tok: t.tok, hexLen: 16}
	}
	m.unique[r] = u
	return u, nil
}

// Rules lists the compiled rules in policy order (for summaries).
func (m *Masker) Rules() []*CompiledRule { return slices.Clone(m.rules) }
