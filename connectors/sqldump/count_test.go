package sqldump

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestCounts: a Counter's statements begun and ended by ';', and where the
// last statement starts, however the dump is cut into writes.
func TestCounts(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     Counts
	}{
		{"empty", "", Counts{}},
		{"blanks and comments only", "-- a\n\n/* b */\n# c\n", Counts{Bytes: 18}},
		{"one insert", "INSERT INTO `t` VALUES (1),(2);\n",
			Counts{Statements: 1, Ended: 1, LastOffset: 0, LastLine: 1, Bytes: 32}},
		{"statements of every kind", "/*!40101 SET NAMES utf8 */;\nCREATE TABLE `t` (`a` int);\nINSERT INTO `t` VALUES (1,'x;y');\nUPDATE `t` SET a=2;\n",
			Counts{Statements: 4, Ended: 4, LastOffset: 90, LastLine: 4, Bytes: 110}},
		{"last ';' missing", "INSERT INTO `t` VALUES (1);\nINSERT INTO `t` VALUES (2)\n",
			Counts{Statements: 2, Ended: 1, LastOffset: 28, LastLine: 2, Bytes: 55}},
		{"last statement a fragment", "INSERT INTO `t` VALUES (1);\nUNLO",
			Counts{Statements: 2, Ended: 1, LastOffset: 28, LastLine: 2, Bytes: 32}},
		{"tail after tuples", "INSERT INTO `t` VALUES (1) ON DUPLICATE KEY UPDATE a='1;';\nSET x=1;\n",
			Counts{Statements: 2, Ended: 2, LastOffset: 59, LastLine: 2, Bytes: 68}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, chunk := range []int{1, 3, 7, 64, 1 << 20} {
				c := NewCounter(false, 0)
				for rest := tc.in; rest != ""; rest = rest[min(chunk, len(rest)):] {
					c.Write([]byte(rest[:min(chunk, len(rest))]))
				}
				got, err := c.Close()
				if err != nil || got != tc.want {
					t.Errorf("writes of %d: %+v, err %v; want %+v", chunk, got, err, tc.want)
				}
				if got, err := Count(strings.NewReader(tc.in), false, 0); err != nil || got != tc.want {
					t.Errorf("Count: %+v, err %v; want %+v", got, err, tc.want)
				}
			}
		})
	}
}

// A syntax error in what a Counter parses (here an INSERT's column list)
// is reported, and counting goes on past it. (Errors in tuples, which it
// passes unread, are the readers' to report.)
func TestCountsSyntaxError(t *testing.T) {
	got, err := Count(strings.NewReader("INSERT INTO `t` (`a` `b`) VALUES (1);\nSET a=1;\n"), false, 0)
	if _, ok := err.(*SyntaxError); !ok {
		t.Fatalf("err %v, want a *SyntaxError", err)
	}
	if got.Statements != 2 || got.Ended != 2 {
		t.Errorf("counts %+v: want 2 statements, both ended", got)
	}
}

// FuzzCounts: a Counter never panics or stalls, and counts any input the
// same however it is cut into writes; on a mysqldump (whose INSERTs end
// with ";" at the end of a line, and whose strings hold no raw newline) it
// counts the statements a full Scanner counts.
func FuzzCounts(f *testing.F) {
	for _, p := range []string{"../testdata/dump.sql", "../testdata/bad.sql"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint8(3))
	}
	f.Add(benchDump(300), uint8(200))
	f.Add([]byte("INSERT INTO t (`a`,b) VALUES ('x\\'y''z',-1.5e3,0xAB,X'CD',_utf8mb4'u',N'n',f(1,'(')),(NULL) ,\n (2) ON DUPLICATE KEY UPDATE a=';';\nSET x=1"), uint8(1))
	f.Fuzz(func(t *testing.T, in []byte, chunk uint8) {
		whole, _ := Count(bytes.NewReader(in), false, 0)
		c := NewCounter(false, 0)
		step := int(chunk)%64 + 1
		for p := in; len(p) > 0; p = p[min(step, len(p)):] {
			c.Write(p[:min(step, len(p))])
		}
		if got, _ := c.Close(); got != whole {
			t.Fatalf("Counter in writes of %d: %+v, whole %+v", step, got, whole)
		}
	})
}

// On mysqldump output a Counter counts the statements a Scanner counts.
func TestCountsAsScanner(t *testing.T) {
	for _, in := range [][]byte{benchDump(3000), []byte("-- x\n/*!40101 SET a=1 */;\nLOCK TABLES `t` WRITE;\nINSERT INTO `t` VALUES (1,'a;\\nb'),(2,'c');\nUNLOCK TABLES;\n")} {
		s := NewScanner(false)
		var it Item
		for p := in; ; {
			n, err := s.Next(p, true, &it)
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				break
			}
			p = p[n:]
		}
		want := s.Counts()
		want.Rows = 0
		if got, err := Count(bytes.NewReader(in), false, 0); err != nil || got != want {
			t.Errorf("Counter %+v, err %v; Scanner %+v", got, err, want)
		}
	}
}
