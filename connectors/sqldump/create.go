package sqldump

import (
	"bytes"
	"strings"

	"github.com/xwb1989/sqlparser"

	"github.com/piiscan/piiscan/connectors/internal/rawmap"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// parseCreate returns the table and columns of a CREATE TABLE statement. It
// asks sqlparser first; for what sqlparser rejects (some mysqldump options)
// or drops, it falls back to scanning the column list itself.
func parseCreate(stmt []byte, gb bool) (string, []Column) {
	text := string(bytes.TrimRight(stmt, "; \t\r\n"))
	if gb {
		if u, err := simplifiedchinese.GB18030.NewDecoder().String(text); err == nil {
			text = u
		}
	}
	table, scanned := scanCreate(text)
	st, err := sqlparser.ParseStrictDDL(text) // Parse would log the statement
	if err != nil {
		return table, scanned
	}
	ddl, ok := st.(*sqlparser.DDL)
	if !ok || ddl.TableSpec == nil {
		return table, scanned
	}
	name := ddl.NewName.Name.String()
	if q := ddl.NewName.Qualifier.String(); q != "" {
		name = q + "." + name
	}
	if name == "" {
		name = table
	}
	cols := make([]Column, 0, len(ddl.TableSpec.Columns))
	for i, c := range ddl.TableSpec.Columns {
		col := Column{Name: c.Name.String()}
		if c.Type.Comment != nil {
			col.Comment = string(c.Type.Comment.Val)
		} else if i < len(scanned) && scanned[i].Name == col.Name {
			col.Comment = scanned[i].Comment
		}
		cols = append(cols, col)
	}
	return name, cols
}

// scanCreate reads "CREATE TABLE [IF NOT EXISTS] name ( col def, ... )"
// without a grammar: the column definitions are the top-level comma-separated
// parts that do not start with a key or constraint keyword.
func scanCreate(text string) (string, []Column) {
	p := []byte(text)
	i := 0
	for _, kw := range []string{"CREATE", "TABLE"} {
		i, _ = skipBlank(p, i, true)
		w, e := word(p, i)
		if !eqFold(w, kw) {
			return "", nil
		}
		i = e
	}
	i, _ = skipBlank(p, i, true)
	if w, e := word(p, i); eqFold(w, "IF") {
		for k := 0; k < 2; k++ { // NOT EXISTS
			i, _ = skipBlank(p, e, true)
			_, e = word(p, i)
		}
		i, _ = skipBlank(p, e, true)
	}
	s := &Scanner{}
	table, i, err := s.tableName(p, i, true)
	if err != nil {
		return "", nil
	}
	i, _ = skipBlank(p, i, true)
	if i >= len(p) || p[i] != '(' {
		return table, nil
	}
	i++
	var cols []Column
	for i < len(p) {
		i, _ = skipBlank(p, i, true)
		start := i
		depth := 0
		for i < len(p) {
			c := p[i]
			if c == '\'' || c == '"' || c == '`' {
				e, _, err := s.quoted(p, i, true)
				if err != nil {
					return table, cols
				}
				i = e
				continue
			}
			if c == '(' {
				depth++
			} else if c == ')' {
				if depth == 0 {
					break
				}
				depth--
			} else if c == ',' && depth == 0 {
				break
			}
			i++
		}
		if col, ok := columnDef(p[start:i]); ok {
			cols = append(cols, col)
		}
		if i >= len(p) || p[i] == ')' {
			break
		}
		i++ // ','
	}
	return table, cols
}

func columnDef(def []byte) (Column, bool) {
	w, _ := word(def, 0)
	for _, kw := range []string{"PRIMARY", "KEY", "INDEX", "UNIQUE", "CONSTRAINT", "FOREIGN", "FULLTEXT", "SPATIAL", "CHECK"} {
		if len(w) > 0 && eqFold(w, kw) {
			return Column{}, false
		}
	}
	name, e, err := ident(def, 0, true)
	if err != nil {
		return Column{}, false
	}
	col := Column{Name: string(name)}
	// COMMENT 'text' somewhere after the type
	s := &Scanner{}
	for i := e; i < len(def); {
		c := def[i]
		if c == '\'' || c == '"' || c == '`' {
			q, _, err := s.quoted(def, i, true)
			if err != nil {
				break
			}
			i = q
			continue
		}
		w, we := word(def, i)
		if len(w) == 0 {
			i++
			continue
		}
		if eqFold(w, "COMMENT") {
			j, _ := skipBlank(def, we, true)
			if j < len(def) && (def[j] == '\'' || def[j] == '"') {
				q, esc, err := s.quoted(def, j, true)
				if err == nil {
					body := def[j+1 : q-1]
					if esc {
						body = Unescape(nil, body, def[j])
					}
					col.Comment = string(body)
				}
			}
			break
		}
		i = we
	}
	return col, true
}

func decodeName(b []byte, gb bool) string {
	if gb {
		for _, c := range b {
			if c >= 0x80 {
				if u, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b); err == nil {
					return string(u)
				}
				break
			}
		}
	}
	return string(b)
}

// Appender receives a decoded string piece by piece (see Decode).
type Appender interface {
	// Lit appends raw bytes that stand for themselves.
	Lit(raw []byte)
	// Esc appends dec, which stands for rawLen raw bytes.
	Esc(dec []byte, rawLen int)
}

// Decode feeds the content of a quoted string (Value.Content) to a, undoing
// MySQL escapes (\0 \' \" \b \n \r \t \Z \\, \x → x; \% and \_ stay as they
// are, as MySQL keeps them) and doubled quotes. gb makes it skip GB18030
// trail bytes that look like a backslash.
func Decode(a Appender, content []byte, quote byte, gb bool) {
	i := 0
	for i < len(content) {
		j := i
		for j < len(content) && content[j] != '\\' && content[j] != quote {
			if gb && content[j] >= 0x80 {
				j += rawmap.GBLen(content[j:])
				continue
			}
			j++
		}
		if j > len(content) {
			j = len(content)
		}
		if j > i {
			a.Lit(content[i:j])
		}
		if j >= len(content) {
			return
		}
		if content[j] == quote {
			if j+1 < len(content) && content[j+1] == quote {
				a.Esc(content[j:j+1], 2)
				i = j + 2
				continue
			}
			a.Lit(content[j : j+1]) // a lone quote cannot occur in a valid literal
			i = j + 1
			continue
		}
		if j+1 >= len(content) {
			a.Lit(content[j:])
			return
		}
		c := content[j+1]
		var d byte
		switch c {
		case '0':
			d = 0
		case 'b':
			d = '\b'
		case 'n':
			d = '\n'
		case 'r':
			d = '\r'
		case 't':
			d = '\t'
		case 'Z':
			d = 0x1a
		case '%', '_':
			a.Lit(content[j : j+2])
			i = j + 2
			continue
		default:
			if c >= 0x80 { // a backslash before a multi-byte character
				a.Esc(nil, 1)
				i = j + 1
				continue
			}
			d = c
		}
		a.Esc(bytesOf[d:d+1], 2)
		i = j + 2
	}
}

// bytesOf holds every byte value, so one-byte slices need no allocation.
var bytesOf = func() (b [256]byte) {
	for i := range b {
		b[i] = byte(i)
	}
	return
}()

type byteAppender struct{ b []byte }

func (a *byteAppender) Lit(raw []byte)             { a.b = append(a.b, raw...) }
func (a *byteAppender) Esc(dec []byte, rawLen int) { a.b = append(a.b, dec...) }

// Unescape appends the decoded content of a quoted string to dst.
func Unescape(dst, content []byte, quote byte) []byte {
	a := byteAppender{dst}
	Decode(&a, content, quote, false)
	return a.b
}

var _ = strings.TrimSpace
