package deid

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"maps"
	"testing"

	"github.com/piiscan/piiscan/connectors"
	"github.com/piiscan/piiscan/connectors/dbscan"
	"github.com/piiscan/piiscan/detectors"
	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/scanner"
)

// The caches (values by column, outputs by rule and span) and the choice
// to skip the value cache on columns of distinct values change nothing:
// every row comes out as masking each value afresh makes it, with the same
// counts.
func TestMaskBatchCachesChangeNothing(t *testing.T) {
	o := testOptions(t)
	cols := []dbscan.CopyColumn{
		{Column: dbscan.Column{Name: "id"}}, {Column: dbscan.Column{Name: "name"}, Text: true},
		{Column: dbscan.Column{Name: "id_no"}, Text: true}, {Column: dbscan.Column{Name: "mobile"}, Text: true},
		{Column: dbscan.Column{Name: "note"}, Text: true},
	}
	copyOpts := &CopyOptions{Masker: o.Masker, Detectors: o.Detectors}
	c := &tableCopy{t: &dbscan.CopyTable{Label: "people", Columns: cols}, o: copyOpts, sum: &TableSummary{}}
	c.fields = make([]*detectors.Column, len(cols))
	c.whole = make([]pi.TypeID, len(cols))
	c.notNull = make([]bool, len(cols))
	for i, col := range cols {
		c.fields[i] = o.Detectors.Column(o.Detectors.Field("people", col.Name, ""))
	}
	in := &batch{}
	in.reset(len(cols))
	rows := 3*cacheWindow + 100
	for i := range rows {
		// Names repeat, IDs and mobiles do not, and the notes repeat for
		// a while, then stop.
		mob := fmt.Sprintf("139%08d", i*7919%100000000)
		note := "回拨 " + mobiles[i%3]
		if i > cacheWindow {
			note = "回拨 " + mob
		}
		for _, v := range []string{fmt.Sprint(i), []string{"张伟", "王芳", "李娜"}[i%3],
			idCard(fmt.Sprintf("110105%04d%02d%02d%03d", 1950+i%60, 1+i%12, 1+i%28, i%1000)), mob, note} {
			s := len(in.arena)
			in.arena = append(in.arena, v...)
			in.offs = append(in.offs, s, len(in.arena))
		}
		in.rows++
	}
	cached := &maskWorker{c: c, m: o.Masker.Clone(), st: &maskStats{}, seed: maphash.MakeSeed()}
	out := &batch{}
	if err := cached.maskBatch(in, out); err != nil {
		t.Fatal(err)
	}
	if cap(cached.types) > 64 || cap(cached.rules) > 64 {
		t.Errorf("the per-value scratch grew to %d types, %d rules", cap(cached.types), cap(cached.rules))
	}
	if !cached.valueUse[2].off || cached.valueUse[1].off {
		t.Errorf("value cache use: %+v; want it off for the IDs and on for the names", cached.valueUse)
	}
	plain := &maskWorker{c: c, m: o.Masker.Clone(), st: &maskStats{}, seed: maphash.MakeSeed()}
	for r := range in.rows {
		got := out.row(r)
		for i, v := range in.row(r) {
			want, null, err := plain.mask(nil, i, v)
			if err != nil || null {
				t.Fatalf("row %d column %d: %v %v", r, i, err, null)
			}
			if !bytes.Equal(got[i], want) {
				t.Fatalf("row %d column %s: cached and fresh masking differ", r, cols[i].Name)
			}
		}
	}
	a, b := &TableSummary{ByRule: map[string]int64{}, ByType: map[pi.TypeID]int64{}}, &TableSummary{ByRule: map[string]int64{}, ByType: map[pi.TypeID]int64{}}
	cached.st.addTo(a)
	plain.st.addTo(b)
	a.Values = 0 // maskBatch counts values, mask does not
	if a.Findings != b.Findings || a.ValuesMasked != b.ValuesMasked || !maps.Equal(a.ByRule, b.ByRule) || !maps.Equal(a.ByType, b.ByType) {
		t.Fatalf("counts differ: cached %+v, fresh %+v", a, b)
	}
}

// A file replacer's cache of keyed outputs changes nothing: each
// replacement equals the rule applied afresh, whether the values repeat
// (cache hits), stop repeating (the cache turns off) or the cache is off.
func TestReplacerCacheChangesNothing(t *testing.T) {
	o := testOptions(t)
	p := &replacer{m: o.Masker.Clone(), format: connectors.FormatCSV, delim: ',', source: "test",
		unsafe: unsafeBytes(connectors.FormatCSV, ','), seed: maphash.MakeSeed()}
	fresh := o.Masker.Clone()
	var hits int
	for i := range 3 * cacheWindow {
		v := ids[i%3]
		if i >= cacheWindow {
			v = idCard(fmt.Sprintf("110105%04d%02d%02d%03d", 1950+i%60, 1+i%12, 1+i%28, i%1000))
		}
		f := &scanner.Finding{Offset: int64(i), Length: 18, Type: pi.IDCard, Grade: pi.GradeSensitive, Raw: []byte(v), Field: "身份证号", Record: int64(i)}
		before := p.use.hits
		got, rp := p.replace(nil, f)
		if p.use.hits > before {
			hits++
		}
		want, err := fresh.Mask(nil, "", f.Field, f.Type, f.Grade, []byte(v))
		if err != nil || rp.act != replace || !bytes.Equal(got[rp.start:rp.end], want) {
			t.Fatalf("finding %d: cached replacement differs from a fresh one (%v)", i, err)
		}
	}
	if hits < cacheWindow-10 || !p.use.off {
		t.Fatalf("%d cache hits, cache off %v: want hits on the repeated IDs, then the cache off", hits, p.use.off)
	}
}
