// Package dbtest connects tests to the real MariaDB/MySQL and PostgreSQL
// servers (127.0.0.1:3306 root, 127.0.0.1:5432 postgres, database test).
// A test skips when no server answers, except under CI=true or
// PIISCAN_REQUIRE_DB=1, where it fails: CI must not pass by skipping.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
)

// Required reports whether database tests must run rather than skip.
func Required() bool {
	return os.Getenv("CI") == "true" || os.Getenv("PIISCAN_REQUIRE_DB") == "1"
}

func unavailable(tb testing.TB, what string, err error) {
	tb.Helper()
	if Required() {
		tb.Fatalf("%s not reachable (CI=true or PIISCAN_REQUIRE_DB=1): %v", what, err)
	}
	tb.Skipf("%s not reachable: %v", what, err)
}

// MySQLDSN is the driver DSN of the test database (multi-statement enabled,
// so a dump can be loaded in one Exec). PIISCAN_TEST_MYSQL overrides it for
// MySQL(), in go-sql-driver form.
const MySQLDSN = "root@tcp(127.0.0.1:3306)/test?multiStatements=true"

// MySQL returns a connection pool to the test database, closed when the
// test ends.
func MySQL(tb testing.TB) *sql.DB {
	tb.Helper()
	dsn := MySQLDSN
	if s := os.Getenv("PIISCAN_TEST_MYSQL"); s != "" {
		dsn = s
	}
	cfg, err := gomysql.ParseDSN(dsn)
	if err != nil {
		tb.Fatal(err)
	}
	cfg.Timeout = 5 * time.Second
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		tb.Fatal(err)
	}
	if err := db.Ping(); err != nil {
		db.Close()
		unavailable(tb, "MySQL/MariaDB", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// PostgresURL is the URL of the test database; PIISCAN_TEST_POSTGRES
// overrides it.
const PostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// PostgresDSN is PostgresURL or its override.
func PostgresDSN() string {
	if s := os.Getenv("PIISCAN_TEST_POSTGRES"); s != "" {
		return s
	}
	return PostgresURL
}

// Postgres returns a connection to the test database, closed when the test
// ends.
func Postgres(tb testing.TB) *pgx.Conn {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, PostgresDSN())
	if err != nil {
		unavailable(tb, "PostgreSQL", err)
	}
	tb.Cleanup(func() { c.Close(context.Background()) })
	return c
}

// Name returns a unique identifier with the given prefix, for tables and
// databases that tests create and drop.
func Name(prefix string) string {
	b := make([]byte, 4)
	rand.Read(b)
	return prefix + "_" + hex.EncodeToString(b)
}
