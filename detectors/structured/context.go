package structured

import (
	"bytes"
	"strings"
	"unicode"

	"github.com/piiscan/piiscan/detectors/pi"
)

// keywordWindow is how many bytes before a value are searched for a keyword:
// "联系电话（手机）：" is 27 bytes, "身份证号码：" 18.
const keywordWindow = 30

// context reports whether the column suggests sp's type or one of its
// keywords ends shortly before start.
func (s *scan) context(sp *spec, start int) bool {
	return s.f.Suggests(sp.typ) || keywordBefore(s.v, start, sp.keywords)
}

// keywordBefore reports whether one of kws occurs in the window before start.
// ASCII keywords match case-insensitively (Phone, TEL, phone) and are only
// tried when the window has an ASCII letter; the others match exactly.
func keywordBefore(v []byte, start int, kws []string) bool {
	w := v[max(0, start-keywordWindow):start]
	letters := false
	for _, c := range w {
		if cls[c] >= clsUpper {
			letters = true
			break
		}
	}
	for _, k := range kws {
		if k[0] < 0x80 {
			if letters && containsFold(w, k) {
				return true
			}
		} else if containsExact(w, k) {
			return true
		}
	}
	return false
}

// containsExact is bytes.Contains(w, []byte(k)) without the conversion.
func containsExact(w []byte, k string) bool {
	for len(w) >= len(k) {
		i := bytes.IndexByte(w[:len(w)-len(k)+1], k[0])
		if i < 0 {
			return false
		}
		if string(w[i:i+len(k)]) == k {
			return true
		}
		w = w[i+1:]
	}
	return false
}

// containsFold reports whether k (lower case) occurs in w, folding ASCII
// upper case in w, without allocating. Bytes ≥ 0x80 compare exactly.
func containsFold(w []byte, k string) bool {
	for i := 0; i+len(k) <= len(w); i++ {
		j := 0
		for j < len(k) {
			c := w[i+j]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != k[j] {
				break
			}
			j++
		}
		if j == len(k) {
			return true
		}
	}
	return false
}

// Hint returns the types that a column name or comment suggests (身份证号,
// id_no, 手机, phone ...). Words of three ASCII letters or fewer (ip, tel,
// dob) count only as a whole word of the name, so "zip" or "description"
// suggest nothing; longer words and Chinese words count anywhere.
func (d *Detector) Hint(column, comment string) []pi.TypeID {
	var out []pi.TypeID
	words := append(splitWords(column), splitWords(comment)...)
	text := strings.ToLower(column + "\x00" + comment)
	for _, sp := range specs {
		for _, w := range sp.columns {
			if hintMatches(text, words, w) {
				out = append(out, sp.typ)
				break
			}
		}
	}
	return out
}

func hintMatches(text string, words []string, w string) bool {
	if len(w) > 3 || w[0] >= 0x80 {
		return strings.Contains(text, w)
	}
	for _, x := range words {
		if x == w {
			return true
		}
	}
	return false
}

// splitWords splits a column name into lower-case ASCII words at non-letters
// and at camelCase boundaries: "clientIP" -> client, ip; "ip_addr" -> ip, addr.
func splitWords(s string) []string {
	var out []string
	start := -1
	flush := func(i int) {
		if start >= 0 {
			out = append(out, strings.ToLower(s[start:i]))
			start = -1
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		isLetter := c < 0x80 && unicode.IsLetter(rune(c))
		switch {
		case !isLetter:
			flush(i)
		case start < 0:
			start = i
		case c >= 'A' && c <= 'Z' && s[i-1] >= 'a' && s[i-1] <= 'z':
			flush(i)
			start = i
		}
	}
	flush(len(s))
	return out
}
