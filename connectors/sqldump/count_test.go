package sqldump

import (
	"errors"
	"io"
	"os"
	"testing"
)

// chunked reads at most n bytes a call, so that a Reader's Scanner meets
// every item cut at every place (ErrShort) on the way.
type chunked struct {
	p []byte
	n int
}

func (c *chunked) Read(b []byte) (int, error) {
	if len(c.p) == 0 {
		return 0, io.EOF
	}
	k := copy(b[:min(len(b), c.n)], c.p)
	c.p = c.p[k:]
	return k, nil
}

// countDump reads in to its end in reads of at most chunk bytes and returns
// the Scanner's Counts and the first *SyntaxError met (reading goes on
// past it, as the masking verifier's reader does).
func countDump(t testing.TB, in []byte, chunk int) (Counts, error) {
	r := NewReader(&chunked{p: in, n: chunk}, false, 0)
	var it Item
	var first error
	for {
		err := r.Next(&it)
		if err == io.EOF {
			return r.Scanner().Counts(), first
		}
		var serr *SyntaxError
		switch {
		case err == nil || errors.Is(err, ErrTooLong):
		case errors.As(err, &serr):
			if first == nil {
				first = err
			}
		default:
			t.Fatalf("read: %v", err)
		}
	}
}

// TestCounts: rows, statements begun and ended by ';', and where the last
// statement starts, however the dump is cut into reads.
func TestCounts(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     Counts
	}{
		{"empty", "", Counts{}},
		{"blanks and comments only", "-- a\n\n/* b */\n# c\n", Counts{Bytes: 18}},
		{"one insert", "INSERT INTO `t` VALUES (1),(2);\n",
			Counts{Rows: 2, Statements: 1, Ended: 1, LastOffset: 0, LastLine: 1, Bytes: 32}},
		{"statements of every kind", "/*!40101 SET NAMES utf8 */;\nCREATE TABLE `t` (`a` int);\nINSERT INTO `t` VALUES (1,'x;y');\nUPDATE `t` SET a=2;\n",
			Counts{Rows: 1, Statements: 4, Ended: 4, LastOffset: 90, LastLine: 4, Bytes: 110}},
		{"last ';' missing", "INSERT INTO `t` VALUES (1);\nINSERT INTO `t` VALUES (2)\n",
			Counts{Rows: 2, Statements: 2, Ended: 1, LastOffset: 28, LastLine: 2, Bytes: 55}},
		{"last statement a fragment", "INSERT INTO `t` VALUES (1);\nUNLO",
			Counts{Rows: 1, Statements: 2, Ended: 1, LastOffset: 28, LastLine: 2, Bytes: 32}},
		{"tail after tuples", "INSERT INTO `t` VALUES (1) ON DUPLICATE KEY UPDATE a='1;';\nSET x=1;\n",
			Counts{Rows: 1, Statements: 2, Ended: 2, LastOffset: 59, LastLine: 2, Bytes: 68}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, chunk := range []int{1, 3, 7, 64, 1 << 20} {
				got, err := countDump(t, []byte(tc.in), chunk)
				if err != nil || got != tc.want {
					t.Errorf("reads of %d: %+v, err %v; want %+v", chunk, got, err, tc.want)
				}
			}
		})
	}
}

// A syntax error (here in an INSERT's column list) is reported, and
// counting goes on past it.
func TestCountsSyntaxError(t *testing.T) {
	got, err := countDump(t, []byte("INSERT INTO `t` (`a` `b`) VALUES (1);\nSET a=1;\n"), 1<<20)
	if _, ok := err.(*SyntaxError); !ok {
		t.Fatalf("err %v, want a *SyntaxError", err)
	}
	if got.Statements != 2 || got.Ended != 2 {
		t.Errorf("counts %+v: want 2 statements, both ended", got)
	}
}

// FuzzCounts: the Scanner counts any input the same however it is cut into
// reads (an item cut short is counted once, when Next consumes it).
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
		whole, _ := countDump(t, in, len(in)+1)
		step := int(chunk)%64 + 1
		if got, _ := countDump(t, in, step); got != whole {
			t.Fatalf("reads of %d: %+v, whole %+v", step, got, whole)
		}
	})
}

// The counts of mysqldump output read whole and a byte at a time agree,
// and rows are the tuples Next returned.
func TestCountsRows(t *testing.T) {
	for _, in := range [][]byte{benchDump(3000), []byte("-- x\n/*!40101 SET a=1 */;\nLOCK TABLES `t` WRITE;\nINSERT INTO `t` VALUES (1,'a;\\nb'),(2,'c');\nUNLOCK TABLES;\n")} {
		s := NewScanner(false)
		var it Item
		var tuples int64
		for p := in; ; {
			n, err := s.Next(p, true, &it)
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				break
			}
			if it.Kind == Tuple {
				tuples++
			}
			p = p[n:]
		}
		want := s.Counts()
		if want.Rows != tuples || want.Statements == 0 {
			t.Errorf("counts %+v: want %d rows", want, tuples)
		}
		if got, err := countDump(t, in, 1); err != nil || got != want {
			t.Errorf("a byte a read: %+v, err %v; whole %+v", got, err, want)
		}
	}
}
