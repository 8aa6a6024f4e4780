package deid

import (
	"database/sql"
	"errors"
	"os"
	"strings"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/piiscan/piiscan/internal/dbtest"
	"github.com/piiscan/piiscan/masking"
)

// TestBareQuotedLoadsIntoMariaDB loads dumps whose BIGINT columns were
// masked: quoted replacements of bare numbers are valid SQL. Digits (hash
// digits, tokenize) load anywhere; a non-numeric string such as
// '138****5678' loads into a BIGINT column only without strict mode (as
// its leading digits, with a warning), and strict mode refuses it with
// "incorrect integer value", never a syntax error: the README tells users
// to tokenise or hash such columns to digits.
func TestBareQuotedLoadsIntoMariaDB(t *testing.T) {
	admin := dbtest.MySQL(t)
	pol, err := masking.LoadPolicy("testdata/bare/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	mask := func(dump string) string {
		t.Helper()
		o := testOptions(t)
		if o.Masker, err = pol.Compile(mustKey(t)); err != nil {
			t.Fatal(err)
		}
		b, _ := maskBytes(t, o, "dump.sql", []byte(dump))
		return string(b)
	}
	load := func(mode, dump string) (*sql.DB, error) {
		t.Helper()
		name := dbtest.Name("piiscan_bare")
		if _, err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { admin.Exec("DROP DATABASE " + name) })
		db, err := sql.Open("mysql", strings.Replace(dbtest.MySQLDSN, "/test?", "/"+name+"?", 1))
		if err != nil {
			t.Fatal(err)
		}
		db.SetMaxOpenConns(1) // the session's sql_mode holds for the load
		t.Cleanup(func() { db.Close() })
		if _, err := db.Exec("SET SESSION sql_mode = '" + mode + "'"); err != nil {
			t.Fatal(err)
		}
		_, err = db.Exec(dump)
		return db, err
	}

	raw, err := os.ReadFile("testdata/bare/dump.sql")
	if err != nil {
		t.Fatal(err)
	}
	masked := mask(string(raw))

	t.Run("strict refuses text in BIGINT", func(t *testing.T) {
		_, err := load("STRICT_TRANS_TABLES", masked)
		var me *gomysql.MySQLError
		if !errors.As(err, &me) || me.Number == 1064 {
			t.Fatalf("loading in strict mode: %v; want an incorrect-value error, not a syntax error", err)
		}
	})

	t.Run("not strict", func(t *testing.T) {
		db, err := load("", masked)
		if err != nil {
			t.Fatalf("loading: %v", err)
		}
		var n int
		var m, d, tok, neg sql.NullInt64
		var note string
		if err := db.QueryRow("SELECT COUNT(*) FROM p").Scan(&n); err != nil || n != 3 {
			t.Fatalf("%d rows (%v), want 3", n, err)
		}
		if err := db.QueryRow("SELECT m, d, t, neg, note FROM p WHERE id = 1").Scan(&m, &d, &tok, &neg, &note); err != nil {
			t.Fatal(err)
		}
		if m.Int64 != 138 || neg.Int64 != -159 || d.Int64 != 10747257554 || tok.Int64 != 13698715721 || note != "1,186****1111,x" {
			t.Errorf("row 1: m %d, d %d, t %d, neg %d, note %q", m.Int64, d.Int64, tok.Int64, neg.Int64, note)
		}
	})

	t.Run("strict with digits", func(t *testing.T) {
		// The columns tokenised or hashed to digits stay bare and load in
		// strict mode.
		dump := "CREATE TABLE `q` (`id` int, `d` bigint, `t` bigint, `note` varchar(64));\n" +
			"INSERT INTO `q` VALUES (1,13712345678,13612345678,'1,18600001111,x'),(2,15987654321,-13612345678,'it\\'s 1,18600001111,x');\n"
		out := mask(dump)
		if strings.Count(out, "'") != strings.Count(dump, "'") {
			t.Fatalf("digits were quoted:\n%s", out)
		}
		db, err := load("STRICT_TRANS_TABLES", out)
		if err != nil {
			t.Fatalf("loading in strict mode: %v", err)
		}
		var d, tok int64
		if err := db.QueryRow("SELECT d, t FROM q WHERE id = 2").Scan(&d, &tok); err != nil {
			t.Fatal(err)
		}
		if d == 15987654321 || tok >= 0 || tok == -13612345678 {
			t.Errorf("row 2: d %d, t %d: not masked, or the sign lost", d, tok)
		}
	})
}
