package sensitive

import (
	"bytes"
	"unicode/utf8"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/detectors/sensitive/ac"
)

// credentialKeys end a key whose value is a secret. A key matches when it
// ends in one of them at a word boundary: db_password, userPwd, MYSQL_PASSWORD,
// but not password_policy or bypass.
var credentialKeys = [...]string{
	"password", "passwd", "pwd", "pass", "passphrase", "secret", "token", "apikey", "api_key",
	"accesskey", "access_key", "secretkey", "secret_key", "private_key", "privatekey",
	"client_secret", "credential", "credentials", "authorization", "auth",
}

const (
	confCredential     = 0.9
	confCredentialHint = 0.95
	maxSecretLen       = 512
)

// credentials finds secret values after keys: key=value, key: value,
// "key":"value", 密码：value, Authorization: Bearer value. The span is the
// value only.
func (d *Detector) credentials(v []byte, hint, cjkKeys bool, seps sepSet, hits []ac.Hit, dst []pi.Match) []pi.Match {
	n0 := len(dst)
	// Chinese keys come from the automaton.
	if cjkKeys {
		for _, h := range hits {
			p := d.pats[h.Pat]
			if p.kind != kindKey || p.cat != catCredential {
				continue
			}
			i := int(h.End)
			// 密码：x, 密码: x, 密码=x, 密码是x, 密码为x (spaces allowed around).
			i = skipSpaces(v, i)
			switch {
			case hasPrefix(v[i:], "："):
				i += len("：")
			case hasPrefix(v[i:], "是"), hasPrefix(v[i:], "为"):
				i += 3
			case i < len(v) && (v[i] == ':' || v[i] == '='):
				i++
			default:
				continue
			}
			dst = appendSecret(v, skipSpaces(v, i), false, confCredential, dst)
		}
	}
	// ASCII keys: look back from each '=', then from each ':'.
	if seps&sepEq != 0 {
		dst = asciiKeyValues(v, '=', dst)
	}
	if seps&sepColon != 0 {
		dst = asciiKeyValues(v, ':', dst)
	}
	if hint && !hasType(dst[n0:], pi.Credential) {
		s, e := trimSpace(v)
		if e-s >= 3 && e-s <= maxSecretLen && printableASCII(v[s:e]) && !placeholder(v[s:e]) {
			dst = append(dst, pi.Match{Type: pi.Credential, Start: s, End: e, Confidence: confCredentialHint,
				Grade: pi.DefaultGrade(pi.Credential)})
		}
	}
	return dst
}

// asciiKeyValues appends the secrets after each sep ('=' or ':') whose key
// before it names a credential.
func asciiKeyValues(v []byte, sep byte, dst []pi.Match) []pi.Match {
	for off := 0; off < len(v); {
		j := bytes.IndexByte(v[off:], sep)
		if j < 0 {
			break
		}
		i := off + j
		off = i + 1
		if sep == ':' && i+2 < len(v) && v[i+1] == '/' && v[i+2] == '/' {
			continue // scheme://
		}
		if i+1 < len(v) && v[i+1] == '=' {
			off++ // == comparison
			continue
		}
		key, ok := keyBefore(v, i)
		if !ok {
			continue
		}
		auth := hasSuffixFold(key, "authorization")
		dst = appendSecret(v, skipSpaces(v, i+1), auth, confCredential, dst)
	}
	return dst
}

// printableASCII: a secret typed on a keyboard, no spaces (通过 in a
// password-looking column is a status, not a secret).
func printableASCII(s []byte) bool {
	for _, b := range s {
		if b <= ' ' || b >= 0x7f {
			return false
		}
	}
	return true
}

func hasType(ms []pi.Match, t pi.TypeID) bool {
	for _, m := range ms {
		if m.Type == t {
			return true
		}
	}
	return false
}

// keyBefore returns the key token ending before the separator at i (quotes
// and spaces skipped) if it names a credential.
func keyBefore(v []byte, i int) ([]byte, bool) {
	e := i
	for e > 0 && (v[e-1] == ' ' || v[e-1] == '\t') {
		e--
	}
	if e > 0 && (v[e-1] == '"' || v[e-1] == '\'') {
		e--
	}
	if e < 3 {
		return nil, false
	}
	// Most keys (id, url, status, Contact, model) end in two bytes no
	// credential key ends in: decide that before walking back over the key.
	last := lower(v[e-1])
	if !credentialEnd(lower(v[e-2]), last) {
		return nil, false
	}
	s := e
	for s > 0 && (isAlnum(v[s-1]) || v[s-1] == '_' || v[s-1] == '-' || v[s-1] == '.') && e-s < 64 {
		s--
	}
	key := v[s:e]
	if len(key) < 3 {
		return nil, false
	}
	for _, k := range credentialKeys {
		if k[len(k)-1] != last || len(key) < len(k) || !hasSuffixFold(key, k) {
			continue
		}
		at := len(key) - len(k)
		if at == 0 {
			return key, true
		}
		prev, first := key[at-1], key[at]
		if prev == '_' || prev == '-' || prev == '.' || (first >= 'A' && first <= 'Z' && prev >= 'a' && prev <= 'z') {
			return key, true
		}
	}
	return nil, false
}

// credentialEnd reports whether some credential key ends in the bytes
// a, b (lower case): rd wd ss se et en ey al ls on th. TestCredentialEnd
// checks the list against credentialKeys.
func credentialEnd(a, b byte) bool {
	switch uint16(a)<<8 | uint16(b) {
	case 'r'<<8 | 'd', 'w'<<8 | 'd', 's'<<8 | 's', 's'<<8 | 'e', 'e'<<8 | 't', 'e'<<8 | 'n',
		'e'<<8 | 'y', 'a'<<8 | 'l', 'l'<<8 | 's', 'o'<<8 | 'n', 't'<<8 | 'h':
		return true
	}
	return false
}

func hasSuffixFold(b []byte, s string) bool {
	if len(b) < len(s) {
		return false
	}
	b = b[len(b)-len(s):]
	for i := 0; i < len(s); i++ {
		if lower(b[i]) != s[i] {
			return false
		}
	}
	return true
}

func skipSpaces(v []byte, i int) int {
	for i < len(v) && (v[i] == ' ' || v[i] == '\t') {
		i++
	}
	return i
}

// appendSecret reads the value starting at i (optionally quoted; after an
// Authorization key, after its scheme) and appends it unless it is empty, a
// placeholder, a template, code or prose.
func appendSecret(v []byte, i int, auth bool, conf float32, dst []pi.Match) []pi.Match {
	var quote byte
	if i < len(v) && (v[i] == '"' || v[i] == '\'') {
		quote = v[i]
		i++
	}
	if auth {
		for _, scheme := range [...]string{"Bearer ", "Basic ", "Token ", "bearer ", "basic ", "token "} {
			if hasPrefix(v[i:], scheme) {
				i = skipSpaces(v, i+len(scheme))
				break
			}
		}
	}
	s, e := i, i
	for e < len(v) && e-s <= maxSecretLen {
		b := v[e]
		if quote != 0 {
			if b == quote || b == '\n' {
				break
			}
			if b == '\\' && e+1 < len(v) {
				e += 2
				continue
			}
		} else if b <= ' ' || b == '&' || b == ',' || b == ';' || b == '}' || b == ')' || b == ']' || b == '"' || b == '\'' || b == '<' {
			break
		}
		if b >= utf8.RuneSelf {
			// Secrets are typed on ASCII keyboards; Chinese after 密码： is prose
			// (密码：至少8位) and so are CJK punctuation marks ending a value.
			if quote == 0 {
				break
			}
		}
		e++
	}
	if e > len(v) {
		e = len(v)
	}
	if e-s < 3 || e-s > maxSecretLen || placeholder(v[s:e]) {
		return dst
	}
	return append(dst, pi.Match{Type: pi.Credential, Start: s, End: e, Confidence: conf,
		Grade: pi.DefaultGrade(pi.Credential)})
}

var placeholders = [...]string{"null", "nil", "none", "true", "false", "undefined", "empty", "required",
	"optional", "string", "str", "text", "varchar", "yes", "no", "n/a", "todo", "xxx", "your_password",
	"password", "secret", "token", "redacted", "masked", "hidden"}

// placeholder reports values that are not secrets: null/none/true, masks
// (****, xxxx), templates (${DB_PASS}, {{ .pwd }}, %s, <password>) and code
// (os.getenv("X"), process.env.X).
func placeholder(s []byte) bool {
	for _, w := range placeholders {
		if len(w) == len(s) && hasSuffixFold(s, w) {
			return true
		}
	}
	switch s[0] {
	case '{', '%', '<', '[', '(':
		return true
	case '$': // ${DB_PASS}, $(cat f), $DB_PASS; bcrypt hashes ($2a$10$...) are secrets
		if len(s) > 1 && (s[1] == '{' || s[1] == '(' || s[1] == '_' || s[1] >= 'A' && s[1] <= 'Z' || s[1] >= 'a' && s[1] <= 'z') {
			return true
		}
	}
	if bytes.IndexByte(s, '(') >= 0 || bytes.HasPrefix(s, []byte("process.env")) || bytes.HasPrefix(s, []byte("os.")) {
		return true
	}
	same := true
	for _, b := range s[1:] {
		if b != s[0] {
			same = false
			break
		}
	}
	return same && (s[0] == '*' || s[0] == 'x' || s[0] == 'X' || s[0] == '.' || s[0] == '-' || s[0] == '?' || s[0] == '#')
}
