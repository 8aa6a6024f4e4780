package corpus_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/piiscan/piiscan/connectors"
	"github.com/piiscan/piiscan/corpus"
	"github.com/piiscan/piiscan/detectors"
	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/masking"
	"github.com/piiscan/piiscan/scanner"
)

// Accuracy floors from issues 2 and 3 (F1 per type). geo_coordinate,
// credential and biometric have no floor in the issues; 0.90 like the other
// sensitive categories.
var floors = map[string]float64{
	corpus.IDCard:            0.995,
	corpus.Landline:          0.95,
	corpus.Passport:          0.95,
	corpus.TravelPermit:      0.99,
	corpus.BankCard:          0.99,
	corpus.Mobile:            0.99,
	corpus.Email:             0.99,
	corpus.IPv4:              0.99,
	corpus.IPv6:              0.99,
	corpus.LicensePlate:      0.99,
	corpus.BirthDate:         0.99,
	corpus.USCC:              0.99,
	corpus.Minor:             0.99,
	corpus.Name:              0.92,
	corpus.Address:           0.90,
	corpus.Health:            0.90,
	corpus.Religion:          0.90,
	corpus.Ethnicity:         0.90,
	corpus.CriminalRecord:    0.90,
	corpus.SexualOrientation: 0.90,
	corpus.GeoCoordinate:     0.90,
	corpus.Credential:        0.90,
	corpus.Biometric:         0.90,
}

// overlapTypes are matched by overlap: a finding and a label of the type are
// the same value when they share at least half of the longer span. Where a
// name, an address or a sensitive word ends is a judgement call (张伟先生,
// 诊断为高血压); the other types are matched exactly: the finding equals the
// label, or lies inside the label and covers its core (a mobile without its
// "+86 ", a landline without its extension, see corpus.Label).
var overlapTypes = map[string]bool{
	corpus.Name: true, corpus.Address: true, corpus.Health: true, corpus.Religion: true,
	corpus.Ethnicity: true, corpus.CriminalRecord: true, corpus.SexualOrientation: true,
	corpus.GeoCoordinate: true, corpus.Credential: true, corpus.Biometric: true,
}

func matches(typ string, f scanner.Finding, l corpus.Label) bool {
	fs, fe := f.Offset, f.Offset+f.Length
	if overlapTypes[typ] {
		inter := min(fe, l.End()) - max(fs, l.Offset)
		return inter > 0 && 2*inter >= max(f.Length, l.Length)
	}
	if fs == l.Offset && fe == l.End() {
		return true
	}
	cs, ce := l.CoreSpan()
	return fs >= l.Offset && fs <= cs && fe >= ce && fe <= l.End()
}

type tally struct {
	labels, findings, tp, fp, fn int
	fpEx, fnEx                   []string
}

func (t *tally) scores() (p, r, f1 float64) {
	if t.tp+t.fp > 0 {
		p = float64(t.tp) / float64(t.tp+t.fp)
	}
	if t.tp+t.fn > 0 {
		r = float64(t.tp) / float64(t.tp+t.fn)
	}
	if p+r > 0 {
		f1 = 2 * p * r / (p + r)
	}
	return
}

const maxExamples = 6

// describe names what a span overlaps in the labels, so a false positive
// says which planted value or decoy it was taken from.
func describe(labels []corpus.Label, off, end int64) string {
	var parts []string
	for _, l := range overlapping(labels, off, end) {
		if l.Type == corpus.Decoy {
			parts = append(parts, "decoy:"+l.Kind)
		} else {
			parts = append(parts, l.Type)
		}
	}
	if len(parts) == 0 {
		return "unlabelled text"
	}
	return strings.Join(parts, "+")
}

// overlapping returns the labels that share a byte with [off, end). Labels
// are in offset order and do not nest (same-span labels aside), so their ends
// are in order too.
func overlapping(labels []corpus.Label, off, end int64) []corpus.Label {
	i := sort.Search(len(labels), func(i int) bool { return labels[i].End() > off })
	j := i
	for j < len(labels) && labels[j].Offset < end {
		j++
	}
	return labels[i:j]
}

// context shows the bytes around a span with digits and Latin letters of
// neighbouring values kept: the corpus is synthetic, and a developer needs to
// see the shape that fooled a detector.
func context_(data []byte, off, end int64) string {
	a, b := max(0, off-24), min(int64(len(data)), end+24)
	for a > 0 && data[a]&0xC0 == 0x80 {
		a--
	}
	for b < int64(len(data)) && data[b]&0xC0 == 0x80 {
		b++
	}
	return fmt.Sprintf("%q", data[a:b])
}

func scanFile(t *testing.T, eng *scanner.Engine, path string) []scanner.Finding {
	t.Helper()
	src, err := connectors.Open([]string{path}, connectors.Options{})
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer src.Close()
	var out []scanner.Finding
	rep, err := eng.Run(context.Background(), src, scanner.SinkFunc(func(fs []scanner.Finding) error {
		out = append(out, fs...)
		return nil
	}))
	if err != nil {
		t.Fatalf("scan %s: %v", path, err)
	}
	for _, e := range rep.Errors {
		t.Errorf("scan %s: input error: %v", filepath.Base(path), e)
	}
	return out
}

// TestAccuracy generates a labelled corpus the detectors have never seen,
// scans every file through the real pipeline (connectors, detectors, engine)
// and checks precision, recall and F1 per type against the issues' floors,
// and that the decoy-only log yields no finding at all.
//
// Set PIISCAN_CORPUS_DIR to keep the generated files for inspection, and
// PIISCAN_CORPUS_SEED to draw a corpus the detectors were never tuned on;
// the per-type table is logged, with examples of misses (file@offset) under -v.
func TestAccuracy(t *testing.T) {
	dir := os.Getenv("PIISCAN_CORPUS_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	seed := uint64(20260601)
	if s := os.Getenv("PIISCAN_CORPUS_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("PIISCAN_CORPUS_SEED: %v", err)
		}
	}
	t.Logf("corpus seed %d", seed)
	files, err := corpus.Generate(dir, dir, corpus.Options{Seed: seed, Size: 2_500_000})
	if err != nil {
		t.Fatal(err)
	}
	set, err := detectors.NewSet(detectors.Options{Now: corpus.ScanDate})
	if err != nil {
		t.Fatal(err)
	}
	registered := map[string]bool{}
	for _, typ := range set.Types() {
		registered[string(typ)] = true
	}
	eng, err := scanner.New(scanner.Config{Detectors: set, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}

	tallies := map[string]*tally{}
	get := func(typ string) *tally {
		if tallies[typ] == nil {
			tallies[typ] = &tally{}
		}
		return tallies[typ]
	}
	var decoyFindings []string
	decoyHits := map[string]int{}
	for _, f := range files {
		path := filepath.Join(dir, f.Name)
		data, err := corpus.ReadRaw(path)
		if err != nil {
			t.Fatal(err)
		}
		findings := scanFile(t, eng, path)
		byType := map[string][]scanner.Finding{}
		for _, fd := range findings {
			if fd.Source != path {
				t.Errorf("finding source %q, want %q", fd.Source, path)
			}
			byType[string(fd.Type)] = append(byType[string(fd.Type)], fd)
			if f.Format == corpus.FormatDecoys && len(decoyFindings) < 20 {
				decoyFindings = append(decoyFindings, fmt.Sprintf("%s %s@%d %s on %s", fd.Type, f.Name, fd.Offset, fd.Masked, describe(f.Labels, fd.Offset, fd.Offset+fd.Length)))
			}
			for _, l := range overlapping(f.Labels, fd.Offset, fd.Offset+fd.Length) {
				if l.Type == corpus.Decoy {
					decoyHits[l.Kind+"→"+string(fd.Type)]++
				}
			}
		}
		if f.Format == corpus.FormatDecoys && len(findings) > 0 {
			t.Errorf("decoy-only log %s: %d findings, want 0", f.Name, len(findings))
		}
		labelsByType := map[string][]corpus.Label{}
		for _, l := range f.Labels {
			if l.Type != corpus.Decoy {
				labelsByType[l.Type] = append(labelsByType[l.Type], l)
			}
		}
		types := map[string]bool{}
		for typ := range byType {
			types[typ] = true
		}
		for typ := range labelsByType {
			types[typ] = true
		}
		for typ := range types {
			tl := get(typ)
			ls, fs := labelsByType[typ], byType[typ]
			for _, l := range ls {
				if !l.Optional {
					tl.labels++
				}
			}
			tl.findings += len(fs)
			used := make([]bool, len(ls))
			// Both are in offset order; a finding can only match labels
			// near it, so walk a window.
			lo := 0
			for _, fd := range fs {
				for lo < len(ls) && ls[lo].End() <= fd.Offset {
					lo++
				}
				hit, matched := false, 0
				for i := lo; i < len(ls) && ls[i].Offset < fd.Offset+fd.Length; i++ {
					if !used[i] && matches(typ, fd, ls[i]) {
						used[i], hit, matched = true, true, i
						break
					}
				}
				if hit {
					if !ls[matched].Optional {
						tl.tp++
					}
					continue
				}
				tl.fp++
				if len(tl.fpEx) < maxExamples {
					tl.fpEx = append(tl.fpEx, fmt.Sprintf("FP %s@%d len %d %s on %s: %s", f.Name, fd.Offset, fd.Length, fd.Masked,
						describe(f.Labels, fd.Offset, fd.Offset+fd.Length), context_(data, fd.Offset, fd.Offset+fd.Length)))
				}
			}
			for i, l := range ls {
				if used[i] || l.Optional {
					continue
				}
				tl.fn++
				if len(tl.fnEx) < maxExamples {
					got := "nothing"
					for _, fd := range findings {
						if fd.Offset < l.End() && fd.Offset+fd.Length > l.Offset {
							got = fmt.Sprintf("%s@%d len %d", fd.Type, fd.Offset, fd.Length)
							break
						}
					}
					tl.fnEx = append(tl.fnEx, fmt.Sprintf("FN %s@%d len %d %s (found %s): %s", f.Name, l.Offset, l.Length,
						masking.Sample(pi.TypeID(typ), data[l.Offset:l.End()]), got, context_(data, l.Offset, l.End())))
				}
			}
		}
	}

	var keys []string
	for typ := range tallies {
		keys = append(keys, typ)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := slices.Index(corpus.Types, keys[i]), slices.Index(corpus.Types, keys[j])
		if a < 0 || b < 0 {
			return a > b || a == b && keys[i] < keys[j]
		}
		return a < b
	})
	t.Logf("%-19s %7s %8s %7s %6s %6s %9s %7s %6s %6s", "type", "labels", "findings", "TP", "FP", "FN", "precision", "recall", "F1", "floor")
	for _, typ := range keys {
		tl := tallies[typ]
		p, r, f1 := tl.scores()
		t.Logf("%-19s %7d %8d %7d %6d %6d %9.4f %7.4f %6.4f %6.3f", typ, tl.labels, tl.findings, tl.tp, tl.fp, tl.fn, p, r, f1, floors[typ])
	}
	if testing.Verbose() {
		for _, typ := range keys {
			for _, e := range append(tallies[typ].fpEx, tallies[typ].fnEx...) {
				t.Log(typ, e)
			}
		}
	}
	if len(decoyHits) > 0 {
		var hs []string
		for k, n := range decoyHits {
			hs = append(hs, fmt.Sprintf("%s:%d", k, n))
		}
		sort.Strings(hs)
		t.Logf("decoys reported (kind→type:count): %s", strings.Join(hs, " "))
	}

	for _, typ := range corpus.Types {
		t.Run(typ, func(t *testing.T) {
			if !registered[typ] {
				t.Fatalf("no registered detector reports %s", typ)
			}
			tl := get(typ)
			p, r, f1 := tl.scores()
			if f1 >= floors[typ] {
				return
			}
			t.Errorf("%s: F1 %.4f below floor %.3f (precision %.4f, recall %.4f, %d labels, %d findings)", typ, f1, floors[typ], p, r, tl.labels, tl.findings)
			for _, e := range append(tl.fpEx, tl.fnEx...) {
				t.Log(e)
			}
		})
	}
	t.Run("unlabelled_types", func(t *testing.T) {
		for _, typ := range keys {
			if floors[typ] == 0 && tallies[typ].fp > 0 {
				t.Errorf("%d findings of a type the corpus never plants: %s", tallies[typ].fp, typ)
				for _, e := range tallies[typ].fpEx {
					t.Log(e)
				}
			}
		}
	})
	t.Run("decoy_log", func(t *testing.T) {
		for _, d := range decoyFindings {
			t.Error("decoy reported:", d)
		}
	})
}
