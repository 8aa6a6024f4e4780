// Package dbtest makes planted PI for the database connectors' tests and
// grades columns through the real engine (connections and the skip-or-fail
// rule are internal/dbtest's). Its generators compute check
// digits with their own code, never the detectors', so a wrong detector
// algorithm cannot pass its own test.
package dbtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/piiscan/piiscan/connectors/dbscan"
	"github.com/piiscan/piiscan/detectors"
	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/report"
	"github.com/piiscan/piiscan/scanner"
)

// Region codes of GB/T 2260 districts (Beijing Chaoyang, Shanghai Xuhui,
// Shenzhen Nanshan, Chengdu Wuhou, Hangzhou Xihu).
var regions = []string{"110105", "310104", "440305", "510107", "330106"}

// IDNumber is a valid 18-digit resident ID number of an adult: region,
// birth date, sequence and the GB 11643-1999 ISO 7064 MOD 11-2 check
// character.
func IDNumber(r *rand.Rand) string {
	body := fmt.Sprintf("%s%04d%02d%02d%03d", regions[r.IntN(len(regions))],
		1950+r.IntN(50), 1+r.IntN(12), 1+r.IntN(28), r.IntN(1000))
	sum := 0
	for i := 0; i < 17; i++ {
		w := 1
		for range 17 - i {
			w = w * 2 % 11 // weight 2^(17-i) mod 11
		}
		sum += int(body[i]-'0') * w
	}
	return body + string("10X98765432"[sum%11])
}

// Mobile is a mainland mobile number with a common prefix.
func Mobile(r *rand.Rand) string {
	prefixes := []string{"138", "139", "150", "186", "177", "199"}
	return fmt.Sprintf("%s%08d", prefixes[r.IntN(len(prefixes))], r.IntN(100_000_000))
}

// BankCard is a 19-digit ICBC debit card number (BIN 622202) with a valid
// Luhn check digit.
func BankCard(r *rand.Rand) string {
	body := fmt.Sprintf("622202%012d", r.Int64N(1_000_000_000_000))
	sum := 0
	for i := len(body) - 1; i >= 0; i-- {
		d := int(body[i] - '0')
		if (len(body)-1-i)%2 == 0 { // doubled: every second digit from the right, starting with the last body digit
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return body + string(rune('0'+(10-sum%10)%10))
}

// OrderNo is an order number that is no PI: letters and a 12-digit serial.
func OrderNo(r *rand.Rand) string {
	return fmt.Sprintf("SO-%012d", r.Int64N(1_000_000_000_000))
}

// Grades scans src with every registered detector and returns the grade of
// each column of the report by "table.column".
func Grades(tb testing.TB, src scanner.Source) (map[string]pi.Grade, *report.Report) {
	tb.Helper()
	set, err := detectors.NewSet(detectors.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	eng, err := scanner.New(scanner.Config{Detectors: set, Workers: 2})
	if err != nil {
		tb.Fatal(err)
	}
	rep, err := eng.Run(context.Background(), src, scanner.SinkFunc(func([]scanner.Finding) error { return nil }))
	if err != nil {
		tb.Fatal(err)
	}
	grades := map[string]pi.Grade{}
	for _, c := range rep.Columns {
		grades[c.Table+"."+c.Column] = c.Grade
	}
	return grades, rep
}

// Row is one record a database Source produced: its number and its values
// by column.
type Row struct {
	Num    int64
	Fields map[string]string
}

// ReadAll reads src to the end and returns its rows per source name (one per
// table) and the errors it reported; more than 100 errors fail the test.
func ReadAll(tb testing.TB, src scanner.Source) (map[string][]Row, []error) {
	tb.Helper()
	var rec scanner.Record
	return collect(tb, func(out map[string][]Row) error {
		rec = scanner.Record{Fields: rec.Fields[:0]}
		if err := src.Next(&rec); err != nil {
			return err
		}
		r := Row{Num: rec.Number, Fields: map[string]string{}}
		for _, f := range rec.Fields {
			r.Fields[f.Name] = string(f.Value)
		}
		out[rec.Source] = append(out[rec.Source], r)
		return nil
	})
}

// collect calls read until it returns io.EOF: read adds rows to out, or
// returns the error its source reported instead; more than 100 errors fail
// the test.
func collect(tb testing.TB, read func(out map[string][]Row) error) (map[string][]Row, []error) {
	tb.Helper()
	out := map[string][]Row{}
	var errs []error
	for {
		err := read(out)
		if err == io.EOF {
			return out, errs
		}
		if err != nil {
			errs = append(errs, err)
			if len(errs) > 100 {
				tb.Fatalf("too many errors: %v", errs)
			}
		}
	}
}

// ReadBlocks is ReadAll through NextBlock, the way the engine reads a
// database source; each block is released once read.
func ReadBlocks(tb testing.TB, src scanner.BlockSource) (map[string][]Row, []error) {
	tb.Helper()
	return collect(tb, func(out map[string][]Row) error {
		blk, err := src.NextBlock()
		if err != nil {
			return err
		}
		n := len(blk.Columns)
		for i := range blk.Rows {
			r := Row{Num: blk.First + int64(i), Fields: map[string]string{}}
			for j, sp := range blk.Spans[i*n : i*n+n] {
				if sp.Off >= 0 && sp.Off < sp.End {
					r.Fields[blk.Columns[j].Name] = string(blk.Values[sp.Off:sp.End])
				}
			}
			out[blk.Source] = append(out[blk.Source], r)
		}
		if blk.Release != nil {
			blk.Release()
		}
		return nil
	})
}

// SameBlocks reads a second source, opened as the first, through NextBlock
// and fails the test unless it gives the rows and errors ReadAll gave.
func SameBlocks(tb testing.TB, src scanner.BlockSource, rows map[string][]Row, errs []error) {
	tb.Helper()
	brows, berrs := ReadBlocks(tb, src)
	if !reflect.DeepEqual(brows, rows) {
		tb.Errorf("NextBlock rows differ from Next's\n got %v\nwant %v", brows, rows)
	}
	if fmt.Sprint(berrs) != fmt.Sprint(errs) {
		tb.Errorf("NextBlock errors %v, Next's %v", berrs, errs)
	}
}

// SourceErrors fails the test unless errs are one *scanner.InputError for
// each source in want, whose message contains want[source].
func SourceErrors(tb testing.TB, errs []error, want map[string]string) {
	tb.Helper()
	if len(errs) != len(want) {
		tb.Fatalf("errors %v", errs)
	}
	for _, err := range errs {
		var ie *scanner.InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), want[ie.Source]) {
			tb.Errorf("error %v", err)
		}
	}
}

// ReadIDs reads src to the end, failing the test on any error, and returns
// the integer values of column col in the order read. after, if not nil,
// runs after the i-th record (1-based) with it: where tests kill the
// connection mid-table.
func ReadIDs(tb testing.TB, src scanner.Source, col string, after func(i int, rec *scanner.Record)) []int64 {
	tb.Helper()
	var ids []int64
	var rec scanner.Record
	for i := 1; ; i++ {
		rec = scanner.Record{Fields: rec.Fields[:0]}
		err := src.Next(&rec)
		if err == io.EOF {
			return ids
		}
		if err != nil {
			tb.Fatal(err)
		}
		for _, f := range rec.Fields {
			if f.Name == col {
				id, err := strconv.ParseInt(string(f.Value), 10, 64)
				if err != nil {
					tb.Fatalf("record %d: %s %q is not an integer", i, col, f.Value)
				}
				ids = append(ids, id)
			}
		}
		if after != nil {
			after(i, &rec)
		}
	}
}

// ReadCopy reads every row of ct from a copy source; a nil pointer is NULL.
func ReadCopy(tb testing.TB, src dbscan.CopySource, ct *dbscan.CopyTable) [][]*string {
	tb.Helper()
	var out [][]*string
	err := src.ReadRows(context.Background(), ct, 0, func(vals [][]byte) error {
		row := make([]*string, len(vals))
		for i, v := range vals {
			if v != nil {
				s := string(v)
				row[i] = &s
			}
		}
		out = append(out, row)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// WriteCopy writes rows (as ReadCopy returns them) to a copy target table
// and returns how many it wrote.
func WriteCopy(ctx context.Context, tt dbscan.TargetTable, rows [][]*string) (int64, error) {
	i := 0
	return tt.Write(ctx, func() ([][]byte, error) {
		if i == len(rows) {
			return nil, io.EOF
		}
		vals := make([][]byte, len(rows[i]))
		for j, v := range rows[i] {
			if v != nil {
				vals[j] = []byte(*v)
			}
		}
		i++
		return vals, nil
	})
}

// SameRows fails the test for every value of got that differs from want
// (NULL included), naming the row and column.
func SameRows(tb testing.TB, ct *dbscan.CopyTable, want, got [][]*string) {
	tb.Helper()
	if len(got) != len(want) {
		tb.Fatalf("%d rows back, want %d", len(got), len(want))
	}
	for i := range want {
		for j := range want[i] {
			w, g := want[i][j], got[i][j]
			if (w == nil) != (g == nil) || w != nil && *w != *g {
				tb.Errorf("row %d column %s: got %q, want %q", i, ct.Columns[j].Name, deref(g), deref(w))
			}
		}
	}
}

func deref(p *string) string {
	if p == nil {
		return "<NULL>"
	}
	return *p
}
