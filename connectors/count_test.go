package connectors

import (
	"bytes"
	"fmt"
	"testing"
)

// sameCounts holds a CountOnly read of in to a full one: the same records
// (source, table, number) and the same errors in the same order, and no
// fields.
func sameCounts(t *testing.T, name string, in []byte, opts Options) {
	t.Helper()
	opts.Stdin = bytes.NewReader(in)
	full, fullErrs := openAll(t, []string{"-"}, opts)
	opts.Stdin = bytes.NewReader(in)
	opts.CountOnly = true
	counted, countErrs := openAll(t, []string{"-"}, opts)
	if len(counted) != len(full) {
		t.Fatalf("%s: %d records counted, %d read", name, len(counted), len(full))
	}
	for i, r := range counted {
		f := full[i]
		if r.Source != f.Source || r.Table != f.Table || r.Number != f.Number || len(r.Fields) != 0 {
			t.Fatalf("%s: record %d counted as %s/%s/%d with %d fields, read as %s/%s/%d", name, i,
				r.Source, r.Table, r.Number, len(r.Fields), f.Source, f.Table, f.Number)
		}
	}
	if fmt.Sprint(countErrs) != fmt.Sprint(fullErrs) {
		t.Fatalf("%s: errors %v counted, %v read", name, countErrs, fullErrs)
	}
}

// TestCountOnlySQL: a dump read CountOnly (the masking verifier) gives the
// records and errors of a full read — statement tails and COPY rows read
// as text, malformed tuples, GB18030, tuples longer than the maximum — with
// no fields.
func TestCountOnlySQL(t *testing.T) {
	for _, p := range []string{"dump.sql", "bad.sql", "tails.sql", "dump_gb18030.sql"} {
		in := decompressed(t, "testdata/"+p)
		for _, max := range []int{0, 40, 200} {
			sameCounts(t, fmt.Sprintf("%s max %d", p, max), in, Options{Format: FormatSQL, MaxRecordBytes: max})
		}
	}
	sameCounts(t, "truncated", []byte("INSERT INTO `t` VALUES (1,'a'),(2,'b"), Options{Format: FormatSQL})
	sameCounts(t, "unquoted", []byte("INSERT INTO `t` VALUES (1,'a'),(2,138****5678);\n"), Options{Format: FormatSQL})
	sameCounts(t, "copy", []byte("COPY t (a, b) FROM stdin;\n1\t138\n\\.\nUPDATE t SET a = 'x';\n"), Options{Format: FormatSQL})
}

// FuzzCountOnlySQL: CountOnly and full reads agree on any input.
func FuzzCountOnlySQL(f *testing.F) {
	addSeeds(f, "dump.sql", "bad.sql", "tails.sql")
	f.Add([]byte("INSERT INTO `t` (`a`) VALUES ('x\\'y',0x1,_binary 'z',f('(')),(NULL);\nCREATE TABLE t (a int COMMENT 'c');"), uint16(7))
	f.Fuzz(func(t *testing.T, in []byte, max uint16) {
		sameCounts(t, "fuzz", in, Options{Format: FormatSQL, MaxRecordBytes: 16 + int(max)%4096})
	})
}
