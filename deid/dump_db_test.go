package deid

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piiscan/piiscan/internal/dbtest"
)

// TestMaskedDumpLoadsIntoMariaDB is the acceptance check for dump masking:
// the masked dump loads, has the same rows and the same non-PI values, holds
// none of the original identifiers, and its ID and card tokens still pass
// the check digit and Luhn.
func TestMaskedDumpLoadsIntoMariaDB(t *testing.T) {
	admin := dbtest.MySQL(t)
	var b strings.Builder
	b.WriteString("-- MySQL dump 10.13\n/*!40101 SET NAMES utf8mb4 */;\nDROP TABLE IF EXISTS `customers`;\n" +
		"CREATE TABLE `customers` (\n  `id` int NOT NULL,\n  `name` varchar(50) DEFAULT NULL COMMENT '姓名',\n" +
		"  `id_no` varchar(18) DEFAULT NULL COMMENT '身份证号',\n  `phone` varchar(20) DEFAULT NULL,\n" +
		"  `card` varchar(25) DEFAULT NULL,\n  `amount` decimal(10,2) DEFAULT NULL,\n  `note` text,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n")
	const rows = 300
	var origIDs, origPhones, origCards []string
	for i := 1; i <= rows; i++ {
		if i%100 == 1 {
			if i > 1 {
				b.WriteString(";\n")
			}
			b.WriteString("INSERT INTO `customers` VALUES ")
		} else {
			b.WriteString(",")
		}
		id := idCard(fmt.Sprintf("110105%04d%02d%02d%03d", 1950+i%50, 1+i%12, 1+i%28, i%1000))
		phone := fmt.Sprintf("138%08d", 10000000+i*7919%90000000)
		c := card(fmt.Sprintf("622202%012d", 100000000000+int64(i)*982451653%900000000000))
		origIDs, origPhones, origCards = append(origIDs, id), append(origPhones, phone), append(origCards, c)
		fmt.Fprintf(&b, "(%d,'张%s','%s','%s','%s',%d.%02d,'第%d位客户 it\\'s fine')", i, []string{"伟", "娜", "敏"}[i%3], id, phone, c, i*13, i%100, i)
	}
	b.WriteString(";\n")

	dir := t.TempDir()
	in, out := filepath.Join(dir, "dump.sql"), filepath.Join(dir, "masked.sql")
	if err := os.WriteFile(in, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	sum, err := MaskFile(context.Background(), in, out, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Records != rows {
		t.Fatalf("summary records %d, want %d", sum.Records, rows)
	}
	masked, _ := os.ReadFile(out)

	load := func(dump []byte) *sql.DB {
		name := dbtest.Name("piiscan_deid")
		if _, err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { admin.Exec("DROP DATABASE " + name) })
		db, err := sql.Open("mysql", strings.Replace(dbtest.MySQLDSN, "/test?", "/"+name+"?", 1))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if _, err := db.Exec(string(dump)); err != nil {
			t.Fatalf("loading dump: %v", err)
		}
		return db
	}
	orig, mdb := load([]byte(b.String())), load(masked)

	q := "SELECT id, name, id_no, phone, card, CAST(amount AS CHAR), note FROM customers ORDER BY id"
	or, err := orig.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer or.Close()
	mr, err := mdb.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer mr.Close()
	seen := map[string]bool{}
	for _, v := range append(append(append([]string{}, origIDs...), origPhones...), origCards...) {
		seen[v] = true
	}
	n := 0
	for or.Next() {
		if !mr.Next() {
			t.Fatalf("masked table has %d rows, original more", n)
		}
		n++
		var o, m [7]string
		if err := or.Scan(&o[0], &o[1], &o[2], &o[3], &o[4], &o[5], &o[6]); err != nil {
			t.Fatal(err)
		}
		if err := mr.Scan(&m[0], &m[1], &m[2], &m[3], &m[4], &m[5], &m[6]); err != nil {
			t.Fatal(err)
		}
		if o[0] != m[0] || o[5] != m[5] || o[6] != m[6] {
			t.Fatalf("row %s: non-PI values changed (amount %q→%q, note %q→%q)", o[0], o[5], m[5], o[6], m[6])
		}
		for _, v := range m[1:5] {
			if seen[v] {
				t.Fatalf("row %s: an original identifier survived masking", o[0])
			}
		}
		if !idValid(m[2]) || !luhnValid(m[4]) || len(m[3]) != 11 || m[3][:3] != o[3][:3] {
			t.Fatalf("row %s: tokens are not valid values (id %s… card %s… phone %s…)", o[0], m[2][:6], m[4][:6], m[3][:3])
		}
		if m[2][:6] != o[2][:6] || !strings.HasPrefix(m[1], "张") {
			t.Fatalf("row %s: region code or surname not kept", o[0])
		}
	}
	if mr.Next() {
		t.Fatal("masked table has more rows than the original")
	}
	if n != rows {
		t.Fatalf("%d rows, want %d", n, rows)
	}
}
