package sqldump

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"testing/iotest"
)

// TestReaderRewrite masks every string value through Reader, as a masking
// rewriter would, and checks that everything else is copied byte for byte.
func TestReaderRewrite(t *testing.T) {
	in, err := os.ReadFile("../testdata/dump.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []io.Reader{bytes.NewReader(in), iotest.OneByteReader(bytes.NewReader(in))} {
		rd := NewReader(r, false, 0)
		var out, same bytes.Buffer
		var it Item
		for {
			err := rd.Next(&it)
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			same.Write(it.Raw)
			last := 0
			for _, v := range it.Values {
				if v.Kind != String {
					continue
				}
				s, e := it.Span(v)
				if s != it.Offset+int64(v.Start) || !bytes.Equal(in[s:e], it.Raw[v.Start:v.End]) {
					t.Fatalf("span [%d,%d) does not hold the value", s, e)
				}
				out.Write(it.Raw[last:v.Start])
				out.WriteString("'***'")
				last = v.End
			}
			out.Write(it.Raw[last:])
		}
		if !bytes.Equal(same.Bytes(), in) {
			t.Fatal("items do not reproduce the input")
		}
		masked := out.String()
		if strings.Contains(masked, "13800138000") || !strings.Contains(masked, "INSERT INTO `customers` VALUES (1,'***','***','***','***',12.50),(2,") {
			t.Errorf("masked dump:\n%s", masked)
		}
	}
}

func TestReaderTooLong(t *testing.T) {
	in := "INSERT INTO t VALUES ('" + strings.Repeat("x", 1000) + "'),('y');\nINSERT INTO t VALUES ('ok');\n"
	rd := NewReader(strings.NewReader(in), false, 100)
	var it Item
	var all bytes.Buffer
	var vals []string
	tooLong := 0
	for {
		err := rd.Next(&it)
		if err == io.EOF {
			break
		}
		if errors.Is(err, ErrTooLong) {
			tooLong++
		} else if err != nil {
			t.Fatal(err)
		}
		all.Write(it.Raw)
		for _, v := range it.Values {
			vals = append(vals, string(v.Content(it.Raw)))
		}
	}
	if all.String() != in || tooLong == 0 || strings.Join(vals, ",") != "ok" {
		t.Errorf("too long: %d errors, values %v, reproduced %v", tooLong, vals, all.String() == in)
	}
}
