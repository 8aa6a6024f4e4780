package custom

import (
	"regexp/syntax"
	"unicode/utf8"
)

// literalStart returns the literal every match of re begins with (after
// \b-style assertions) and the maximum byte length of a match (-1 when
// unbounded). anchored is set when the pattern uses ^ $ \A \z, whose meaning
// changes if the regexp runs on a window: those rules scan whole values.
func literalStart(expr string) (prefix string, maxLen int, anchored bool) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return "", -1, false
	}
	re = re.Simplify()
	if hasAnchor(re) {
		return "", -1, true
	}
	return leading(re), maxBytes(re), false
}

func hasAnchor(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText:
		return true
	}
	for _, s := range re.Sub {
		if hasAnchor(s) {
			return true
		}
	}
	return false
}

func leading(re *syntax.Regexp) string {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return ""
		}
		return string(re.Rune)
	case syntax.OpCapture:
		return leading(re.Sub[0])
	case syntax.OpConcat:
		for _, s := range re.Sub {
			if s.Op == syntax.OpWordBoundary || s.Op == syntax.OpNoWordBoundary || s.Op == syntax.OpEmptyMatch {
				continue
			}
			return leading(s)
		}
	}
	return ""
}

// maxBytes is the longest match in bytes, or -1 if unbounded.
func maxBytes(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			n += utf8.RuneLen(r)
		}
		return n
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return utf8.UTFMax
	case syntax.OpEmptyMatch, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return 0
	case syntax.OpCapture:
		return maxBytes(re.Sub[0])
	case syntax.OpQuest:
		return maxBytes(re.Sub[0])
	case syntax.OpRepeat:
		if re.Max < 0 {
			return -1
		}
		m := maxBytes(re.Sub[0])
		if m < 0 {
			return -1
		}
		return m * re.Max
	case syntax.OpConcat:
		n := 0
		for _, s := range re.Sub {
			m := maxBytes(s)
			if m < 0 {
				return -1
			}
			n += m
		}
		return n
	case syntax.OpAlternate:
		n := 0
		for _, s := range re.Sub {
			m := maxBytes(s)
			if m < 0 {
				return -1
			}
			n = max(n, m)
		}
		return n
	}
	return -1 // star, plus, anything else
}
