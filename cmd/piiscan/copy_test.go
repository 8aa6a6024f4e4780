package main

import (
	"strings"
	"testing"

	"github.com/piiscan/piiscan/internal/dbtest"
)

// runMaskCmd runs `piiscan mask ARGS...` with a test key and returns its
// combined output and exit status.
func runMaskCmd(t *testing.T, args ...string) (string, int) {
	t.Helper()
	t.Setenv("PIISCAN_KEY", strings.Repeat("ab", 32))
	out, errOut, code := runCLI(t, append([]string{"mask"}, args...)...)
	return out + errOut, code
}

// TestMaskDatabaseCopy runs `piiscan mask mysql://… postgres://…` end to
// end: one summary line per table, exit 0; a copy into its own source and a
// second copy over filled tables exit 2.
func TestMaskDatabaseCopy(t *testing.T) {
	my := dbtest.MySQL(t)
	pg := dbtest.Postgres(t)
	table := dbtest.Name("cli_copy")
	schema := dbtest.Name("cli_dst")
	t.Cleanup(func() {
		my.Exec("DROP TABLE IF EXISTS " + table)
		pg.Exec(t.Context(), "DROP SCHEMA IF EXISTS "+schema+" CASCADE")
	})
	for _, q := range []string{
		"CREATE TABLE " + table + " (id int PRIMARY KEY, mobile varchar(11), note text, email varchar(64) UNIQUE)",
		"INSERT INTO " + table + " VALUES (1, '13812345678', '请回电13912345678', 'zhang1@qq.com'), (2, NULL, 'none', 'zhang2@qq.com')",
	} {
		if _, err := my.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	in := "mysql://root@127.0.0.1:3306/test"
	out := "postgres://postgres@127.0.0.1:5432/test?sslmode=disable&schema=" + schema
	msg, code := runMaskCmd(t, "--include", "test."+table, in, out)
	if code != 0 || !strings.Contains(msg, table+" → "+schema+"."+table+": 2 rows read, 2 written, 2 counted") {
		t.Fatalf("exit %d:\n%s", code, msg)
	}
	var mobile string
	if err := pg.QueryRow(t.Context(), "SELECT mobile FROM "+schema+"."+table+" WHERE id = 1").Scan(&mobile); err != nil {
		t.Fatal(err)
	}
	if mobile == "13812345678" || len(mobile) != 11 {
		t.Errorf("mobile %q not tokenised", mobile)
	}
	// A unique e-mail column is tokenised, not masked into one z***@qq.com
	// for both rows (which failed the copy on its unique index).
	if !strings.Contains(msg, "email: key or unique column: tokenised") {
		t.Errorf("no note on the unique e-mail column:\n%s", msg)
	}
	var emails int
	if err := pg.QueryRow(t.Context(), "SELECT count(DISTINCT email) FROM "+schema+"."+table+" WHERE email LIKE '%@qq.com' AND email NOT LIKE 'zhang%'").Scan(&emails); err != nil || emails != 2 {
		t.Errorf("%d distinct masked e-mails (%v), want 2", emails, err)
	}
	if msg, code := runMaskCmd(t, "--include", "test."+table, in, out); code != exitInput || !strings.Contains(msg, "--replace") {
		t.Errorf("copy over filled tables: exit %d:\n%s", code, msg)
	}
	if msg, code := runMaskCmd(t, in, "mysql://root@127.0.0.1:3306/test"); code != exitInput || !strings.Contains(msg, "overwrite its source") {
		t.Errorf("copy into its source: exit %d:\n%s", code, msg)
	}
	// The same servers under other host names are still the source, even
	// with --replace, which would drop the source tables.
	for _, c := range [][2]string{
		{in, "mysql://root@localhost:3306/test"},
		{"postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "postgres://postgres@localhost:5432/test?sslmode=disable"},
	} {
		if msg, code := runMaskCmd(t, "--replace", "--include", "*."+table, c[0], c[1]); code != exitInput || !strings.Contains(msg, "overwrite its source") && !strings.Contains(msg, "?schema=") {
			t.Errorf("copy %s into %s: exit %d:\n%s", c[0], c[1], code, msg)
		}
	}
	var n int
	if err := my.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil || n != 2 {
		t.Fatalf("source table has %d rows (%v)", n, err)
	}
}
