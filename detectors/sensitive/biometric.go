package sensitive

import (
	"unicode/utf8"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/detectors/sensitive/ac"
)

const (
	minBlob       = 32 // base64/hex characters of a template
	minVector     = 8  // numbers of a feature vector [0.12, -0.03, ...]
	keyReach      = 40 // bytes after a keyword in which the template must start
	confBioKey    = 0.9
	confBioColumn = 0.95
)

// biometric reports template data: a base64/hex blob or a feature vector
// shortly after a biometric keyword (指纹模板: AAAB3N...), or filling a column
// whose name says biometric (face_feature, 指纹). A keyword alone (人脸识别技术)
// is not a finding.
func (d *Detector) biometric(v []byte, hint bool, hits []ac.Hit, dst []pi.Match) []pi.Match {
	if hint {
		s, e := trimSpace(v)
		if e > s && (isTemplate(v[s:e]) || binary(v[s:e])) {
			return append(dst, pi.Match{Type: pi.Biometric, Start: s, End: e, Confidence: confBioColumn,
				Grade: pi.DefaultGrade(pi.Biometric)})
		}
	}
	last := -1
	for _, h := range hits {
		p := d.pats[h.Pat]
		if p.kind != kindTerm || p.cat != catBiometric || int(h.End) <= last {
			continue
		}
		i, stop := int(h.End), int(h.End)+keyReach
		for i < len(v) && i < stop && v[i] != '\n' {
			if v[i] == '[' {
				if e := vectorEnd(v, i); e > 0 {
					dst = append(dst, bioMatch(i, e))
					last = e
					break
				}
			}
			if blobChar(v[i]) {
				e := i
				for e < len(v) && blobChar(v[e]) {
					e++
				}
				if isTemplate(v[i:e]) {
					dst = append(dst, bioMatch(i, e))
					last = e
					break
				}
				i = e
				continue
			}
			if v[i] < utf8.RuneSelf {
				i++
			} else {
				_, n := utf8.DecodeRune(v[i:])
				i += n
			}
		}
	}
	return dst
}

func bioMatch(s, e int) pi.Match {
	return pi.Match{Type: pi.Biometric, Start: s, End: e, Confidence: confBioKey, Grade: pi.DefaultGrade(pi.Biometric)}
}

func blobChar(b byte) bool {
	return isAlnum(b) || b == '+' || b == '/' || b == '=' || b == '-' || b == '_'
}

// isTemplate: a base64 or hex blob of at least minBlob characters with both
// letters and digits (not a long identifier), or a feature vector.
func isTemplate(s []byte) bool {
	if len(s) > 0 && s[0] == '[' {
		return vectorEnd(s, 0) == len(s)
	}
	if len(s) < minBlob {
		return false
	}
	var upper, lowerc, digits, sym bool
	for _, b := range s {
		switch {
		case isDigit(b):
			digits = true
		case b >= 'a' && b <= 'z':
			lowerc = true
		case b >= 'A' && b <= 'Z':
			upper = true
		case b == '+' || b == '/' || b == '=' || b == '-' || b == '_':
			sym = true
		default:
			return false
		}
	}
	// Encoded binary mixes character classes; a long identifier or word has no digits or symbols.
	classes := 0
	for _, c := range [...]bool{upper, lowerc, digits} {
		if c {
			classes++
		}
	}
	return classes >= 2 && (digits || sym)
}

// vectorEnd returns the end of a JSON array of at least minVector numbers
// starting at v[i] == '[', or -1.
func vectorEnd(v []byte, i int) int {
	n, inNum := 0, false
	for j := i + 1; j < len(v); j++ {
		b := v[j]
		switch {
		case isDigit(b) || b == '.' || b == '-' || b == 'e' || b == 'E' || b == '+':
			if !inNum {
				n++
				inNum = true
			}
		case b == ',' || b == ' ':
			inNum = false
		case b == ']':
			if n >= minVector {
				return j + 1
			}
			return -1
		default:
			return -1
		}
	}
	return -1
}

// binary: a raw BLOB (control bytes or invalid UTF-8) of template size.
func binary(s []byte) bool {
	if len(s) < 16 {
		return false
	}
	if !utf8.Valid(s) {
		return true
	}
	for _, b := range s {
		if b < 0x09 {
			return true
		}
	}
	return false
}
