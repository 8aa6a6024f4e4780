package deid

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPrefetchSameOutput: the maskers' prefetching (tokens' FF1 rounds run
// four values at a time) leaves every masked copy as it is without it: the
// sample corpus's files (every format) and a dump of varied values (IDs of
// both lengths and of births from 2026, mobiles with prefixes, cards of 16
// to 19 digits, e-mail addresses, landlines, repeats, values tokenize
// refuses, a row's two mobiles with the same last eight digits).
func TestPrefetchSameOutput(t *testing.T) {
	o := testOptions(t)
	inputs := map[string][]byte{}
	paths, _ := filepath.Glob("../corpus/sample/*")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		inputs[filepath.Base(p)] = b
	}
	if len(inputs) == 0 {
		t.Fatal("no sample files")
	}
	var sb strings.Builder
	sb.WriteString("CREATE TABLE `people` (\n  `id` int,\n  `name` varchar(50),\n  `id_no` varchar(18),\n  `phone` varchar(20),\n  `card` varchar(25),\n  `email` varchar(60),\n  `note` text\n);\nINSERT INTO `people` VALUES ")
	for i := 1; i <= 3000; i++ {
		if i > 1 {
			sb.WriteString(",")
		}
		id := idCard(fmt.Sprintf("%s%04d%02d%02d%03d", []string{"440304", "110105", "820000", "310115"}[i%4], []int{1950, 1987, 2021, 2026, 2031}[i%5]+i%3, 1+i%12, 1+i%28, i%1000))
		if i%7 == 0 {
			id = fmt.Sprintf("440304%02d%02d%02d%03d", 50+i%40, 1+i%12, 1+i%28, i%1000) // 15 digits
		}
		phone := fmt.Sprintf("1%d%d%08d", 3+i%7, i%10, i*7919%100000000)
		if i%5 == 0 {
			phone = "+86 " + phone
		}
		c := card(fmt.Sprintf("%s%0*d", []string{"622202", "621700", "436742"}[i%3], 9+i%4, int64(i)*982451653%1000000000))
		if i%11 == 0 {
			id, phone = "110105194913310021", "12345" // not tokenised: a bad date, too short
		}
		if i%13 == 0 && i > 13 {
			id, phone, c = idCard(fmt.Sprintf("440304%04d%02d%02d%03d", 1950+(i-13)%50, 1+(i-13)%12, 1+(i-13)%28, (i-13)%1000)), "13912345678", "6222021234567890128"
		}
		// The note's mobile has the phone's last eight digits under
		// another segment (another tweak), in the same batch.
		sibling := fmt.Sprintf("1%d%d%08d", 3+(i+2)%7, (i+5)%10, i*7919%100000000)
		fmt.Fprintf(&sb, "(%d,'王%s','%s','%s','%s','user%d@Example.com','电话 010-%08d，手机 %s，订单 %020d')", i, []string{"伟", "芳", "静"}[i%3], id, phone, c, i%50, i*31%100000000, sibling, int64(i)*1000003)
	}
	sb.WriteString(";\n")
	inputs["varied.sql"] = []byte(sb.String())

	for name, in := range inputs {
		with, _ := maskBytes(t, o, name, in)
		window := prefetchWindow
		prefetchWindow = 0
		without, _ := maskBytes(t, o, name, in)
		prefetchWindow = window
		if !bytes.Equal(with, without) {
			i := 0
			for i < min(len(with), len(without)) && with[i] == without[i] {
				i++
			}
			t.Fatalf("%s: the copies made with and without prefetching differ from byte %d", name, i)
		}
	}
}
