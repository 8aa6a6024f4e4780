package dbscan_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/piiscan/piiscan/connectors/dbscan"
	"github.com/piiscan/piiscan/scanner"
)

// heapRow is a row of a table in storage order: its physical address and
// its integer primary key (its other column is "v" and the key).
type heapRow struct {
	tid dbscan.Tid
	key int64
}

var (
	errLost    = errors.New("connection lost")
	errTimeout = errors.New("statement timeout")
)

// heapFault cuts the select statement it belongs to after rows rows
// (rows passed to the reader), with err; change, when set, alters the
// table before the statement starts (rows moved or added in between).
type heapFault struct {
	rows   int
	err    error
	change func(h *heapDialect)
}

// heapDialect serves a heapTable the way PostgreSQL does for physical
// reads, with faults scripted per select statement.
type heapDialect struct {
	mu      sync.Mutex
	rows    []heapRow
	faults  map[int]heapFault // by select statement, from 1
	selects int
	byKey   int // statements read without addresses
}

func (d *heapDialect) Session(context.Context) (dbscan.Session, error) { return heapSession{d}, nil }
func (d *heapDialect) Retryable(err error) bool                        { return errors.Is(err, errLost) }
func (d *heapDialect) Timeout(err error) bool                          { return errors.Is(err, errTimeout) }
func (d *heapDialect) Select(_ *dbscan.Table, r *dbscan.Read) (string, []any) {
	return "select", []any{*r}
}
func (d *heapDialect) Extent(*dbscan.Table, string) string { return "extent" }
func (d *heapDialect) Blocks(*dbscan.Table) string         { return "blocks" }
func (d *heapDialect) Tid(v []byte) (dbscan.Tid, bool) {
	var t dbscan.Tid
	_, err := fmt.Sscanf(string(v), "%d,%d", &t.Block, &t.Offset)
	return t, err == nil
}
func (d *heapDialect) PlanSample(context.Context, dbscan.Session, *dbscan.Table, dbscan.Sample, *dbscan.Plan, *rand.Rand) error {
	return nil
}
func (d *heapDialect) Close() error { return nil }

type heapSession struct{ d *heapDialect }

func (s heapSession) Close() {}

func (s heapSession) Rows(_ context.Context, q string, args []any, row func([][]byte) error) error {
	d := s.d
	d.mu.Lock()
	switch q {
	case "extent":
		lo, hi := d.rows[0].key, d.rows[0].key
		for _, r := range d.rows {
			lo, hi = min(lo, r.key), max(hi, r.key)
		}
		d.mu.Unlock()
		return row([][]byte{[]byte(strconv.FormatInt(lo, 10)), []byte(strconv.FormatInt(hi, 10))})
	case "blocks":
		d.mu.Unlock()
		return row([][]byte{[]byte("100")})
	}
	rd := args[0].(dbscan.Read)
	d.selects++
	f, cut := d.faults[d.selects]
	if f.change != nil {
		f.change(d)
	}
	if rd.KeyFromColumn {
		d.byKey++
	}
	rows := slices.Clone(d.rows)
	d.mu.Unlock()
	slices.SortFunc(rows, func(a, b heapRow) int {
		if a.tid.Block != b.tid.Block {
			return int(a.tid.Block - b.tid.Block)
		}
		return int(a.tid.Offset - b.tid.Offset)
	})
	sent := 0
	for _, r := range rows {
		if t := rd.Tid; t != nil && t.HasAfter && (r.tid.Block < t.After.Block || r.tid.Block == t.After.Block && r.tid.Offset <= t.After.Offset) {
			continue
		}
		if cut && sent == f.rows {
			return f.err
		}
		k := []byte(strconv.FormatInt(r.key, 10))
		vals := [][]byte{k, []byte("v" + string(k))}
		if !rd.KeyFromColumn {
			vals = append([][]byte{fmt.Appendf(nil, "%d,%d", r.tid.Block, r.tid.Offset)}, vals...)
		}
		if err := row(vals); err != nil {
			return err
		}
		sent++
	}
	if cut && sent == f.rows {
		return f.err // after the last row, before the statement completes
	}
	return nil
}

// move gives the row with key k a new address at the end of the table, as
// an UPDATE does; a key not in the table is added there.
func (d *heapDialect) move(k int64) {
	last := d.rows[0].tid
	for _, r := range d.rows {
		if r.tid.Block > last.Block || r.tid.Block == last.Block && r.tid.Offset > last.Offset {
			last = r.tid
		}
	}
	to := dbscan.Tid{Block: last.Block + 1, Offset: 1}
	for i := range d.rows {
		if d.rows[i].key == k {
			d.rows[i].tid = to
			return
		}
	}
	d.rows = append(d.rows, heapRow{tid: to, key: k})
}

// TestPhysicalByKeyFaults cuts the full read of a keyed table at every
// point that matters: before its first row, in the middle, after its last
// row before the statement completes, and again while the retry by address
// passes over the keys the first statement read; by a lost connection or
// the statement timeout; with negative keys, rows moved and rows added
// past the planned key range in between. Every row of the table as the
// last statement saw it must come exactly once.
func TestPhysicalByKeyFaults(t *testing.T) {
	const n = 100
	moveAndAdd := func(h *heapDialect) {
		h.move(3)    // read by the first statement, now past its address
		h.move(90)   // not yet read, now at the end
		h.move(1000) // new, past the planned range
		h.move(-1000)
	}
	for _, tc := range []struct {
		name   string
		lo     int64 // first key
		faults map[int]heapFault
		byKey  int   // statements read without addresses
		max    int64 // Options.MaxRows
	}{
		{"no fault", 1, nil, 1, 0},
		{"lost before the first row", 1, map[int]heapFault{1: {0, errLost, nil}}, 1, 0},
		{"lost in the middle", 1, map[int]heapFault{1: {40, errLost, nil}}, 1, 0},
		{"timeout in the middle", 1, map[int]heapFault{1: {40, errTimeout, nil}}, 1, 0},
		{"lost after the last row", 1, map[int]heapFault{1: {n, errLost, nil}}, 1, 0},
		{"timeout after the last row", 1, map[int]heapFault{1: {n, errTimeout, nil}}, 1, 0},
		{"lost again passing over", 1, map[int]heapFault{1: {60, errLost, nil}, 2: {0, errLost, nil}, 3: {10, errLost, nil}, 4: {5, errTimeout, nil}}, 1, 0},
		{"timeout again passing over", 1, map[int]heapFault{1: {60, errTimeout, nil}, 2: {10, errTimeout, nil}}, 1, 0},
		{"cut again past the keys", 1, map[int]heapFault{1: {60, errLost, nil}, 2: {10, errTimeout, nil}, 3: {5, errLost, nil}}, 1, 0},
		{"lost six times passing over", 1, map[int]heapFault{1: {90, errLost, nil}, 2: {10, errLost, nil}, 3: {10, errLost, nil},
			4: {10, errLost, nil}, 5: {10, errLost, nil}, 6: {10, errLost, nil}, 7: {10, errLost, nil}}, 1, 0},
		{"negative keys", -50, map[int]heapFault{1: {30, errLost, nil}, 2: {10, errLost, nil}}, 1, 0},
		{"row cap, lost in the middle", 1, map[int]heapFault{1: {40, errLost, nil}, 2: {20, errLost, nil}}, 1, 70},
		{"row cap, timeout after the cap", 1, map[int]heapFault{1: {69, errTimeout, nil}}, 1, 70},
		{"rows moved and added", 1, map[int]heapFault{1: {50, errLost, nil}, 2: {0, nil, moveAndAdd}}, 1, 0},
		{"rows moved and added, cut again", -50, map[int]heapFault{1: {50, errTimeout, nil}, 2: {20, errLost, moveAndAdd}, 3: {3, errTimeout, nil}}, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &heapDialect{faults: tc.faults}
			for i := range int64(n) {
				// Keys out of storage order: a sequential scan does not
				// return them sorted.
				k := tc.lo + (i*37)%n
				h.rows = append(h.rows, heapRow{tid: dbscan.Tid{Block: i / 10, Offset: i%10 + 1}, key: k})
			}
			for i, f := range tc.faults {
				if f.err == nil { // a change only: no cut
					f.rows = -1
					tc.faults[i] = f
				}
			}
			tab := dbscan.Table{Schema: "public", Name: "heap", Label: "public.heap", Source: "test/public.heap",
				Key: "id", Physical: true, Rows: -1, Pages: -1,
				Columns: []dbscan.Column{{Name: "id", Type: "bigint"}, {Name: "v", Type: "text"}}}
			r, err := dbscan.NewReader(context.Background(), h, dbscan.Catalogue{Source: "test", Tables: []dbscan.Table{tab}},
				dbscan.Options{Seed: 1, RetryBackoff: time.Microsecond, MaxRows: tc.max}, "")
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			got := map[string]int{}
			var rec scanner.Record
			for {
				rec = scanner.Record{Fields: rec.Fields[:0]}
				err := r.Next(&rec)
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if v := string(rec.Fields[1].Value); v != "v"+string(rec.Fields[0].Value) {
					t.Fatalf("row %q with value %q", rec.Fields[0].Value, v)
				}
				got[string(rec.Fields[0].Value)]++
			}
			if res := r.Results()[0]; res.Err != nil || res.Rows != int64(len(got)) {
				t.Errorf("result %+v, %d keys", res, len(got))
			}
			if tc.max > 0 {
				for k, c := range got {
					if c != 1 {
						t.Errorf("key %s read %d times", k, c)
					}
				}
				if int64(len(got)) != tc.max {
					t.Errorf("%d keys read, want the cap, %d", len(got), tc.max)
				}
				return
			}
			for _, row := range h.rows {
				if k := strconv.FormatInt(row.key, 10); got[k] != 1 {
					t.Errorf("key %s read %d times", k, got[k])
				}
			}
			if len(got) != len(h.rows) {
				t.Errorf("%d keys read, the table has %d", len(got), len(h.rows))
			}
			if h.byKey != tc.byKey {
				t.Errorf("%d statements read by key, want %d", h.byKey, tc.byKey)
			}
		})
	}
}
