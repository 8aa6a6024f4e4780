package sqldump

import (
	"os"
	"strings"
	"testing"
)

// FuzzScanner: over any input the scanner never panics or stalls, its items
// cover the input exactly, value spans lie inside their tuple, and the items
// are the same whether the input comes whole or in small pieces.
func FuzzScanner(f *testing.F) {
	for _, p := range []string{"../testdata/dump.sql", "../testdata/bad.sql"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint8(3))
	}
	f.Add([]byte("INSERT INTO t (`a`,b) VALUES ('x\\'y''z',-1.5e3,0xAB,X'CD',_utf8mb4'u',N'n',f(1,'(')),(NULL);"), uint8(1))
	f.Fuzz(func(t *testing.T, in []byte, chunk uint8) {
		whole := mergeOther(items(t, in, len(in)+1))
		pieces := mergeOther(items(t, in, int(chunk)%64+1))
		if strings.Join(whole, "\n") != strings.Join(pieces, "\n") {
			t.Fatalf("whole\n%s\npieces of %d\n%s", strings.Join(whole, "\n"), int(chunk)%64+1, strings.Join(pieces, "\n"))
		}
	})
}

// FuzzDecode: Unescape inverts MySQL's escaping of any byte string.
func FuzzDecode(f *testing.F) {
	f.Add([]byte("it's a \"test\"\n\\ \x00 \x1a 100% _"))
	f.Fuzz(func(t *testing.T, v []byte) {
		var esc []byte
		for _, c := range v {
			switch c {
			case 0:
				esc = append(esc, '\\', '0')
			case '\'':
				esc = append(esc, '\'', '\'') // the doubled form
			case '"':
				esc = append(esc, '\\', '"')
			case '\\':
				esc = append(esc, '\\', '\\')
			case '\n':
				esc = append(esc, '\\', 'n')
			case '\r':
				esc = append(esc, '\\', 'r')
			case 0x1a:
				esc = append(esc, '\\', 'Z')
			default:
				esc = append(esc, c)
			}
		}
		if got := Unescape(nil, esc, '\''); string(got) != string(v) {
			t.Fatalf("Unescape(%q) = %q, want %q", esc, got, v)
		}
		// and the scanner finds the literal's end
		stmt := append(append([]byte("INSERT INTO t VALUES ('"), esc...), "',1);\n"...)
		s := NewScanner(false)
		var it Item
		for p := stmt; len(p) > 0; {
			n, err := s.Next(p, true, &it)
			if err != nil {
				t.Fatalf("%q: %v", stmt, err)
			}
			if it.Kind == Tuple {
				if len(it.Values) != 2 || string(Unescape(nil, it.Values[0].Content(it.Raw), '\'')) != string(v) {
					t.Fatalf("%q: values %+v", stmt, it.Values)
				}
			}
			p = p[n:]
		}
	})
}

// mergeOther joins runs of Other items: how skipped or uninteresting bytes
// are cut into items depends on the buffer, and does not matter.
func mergeOther(descs []string, its []Item) []string {
	var out []string
	for i, d := range descs {
		if its[i].Kind == Other && i > 0 && its[i-1].Kind == Other && !strings.Contains(d, " err ") {
			continue
		}
		out = append(out, d)
	}
	return out
}
