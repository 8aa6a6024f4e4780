package textpi

import (
	"math/rand/v2"
	"testing"
)

// Differential tests for the per-value shortcuts: each is held to the
// general path it stands in front of, written here as it was before.

// nameValueRef is nameValue without allHigh, which only rules out values
// its loop would refuse at their first ASCII byte.
func (d *Detector) nameValueRef(v []byte, lo, hi int) (int, float32) {
	n := hi - lo
	if n < 6 || n > 60 {
		return 0, 0
	}
	dots := 0
	for p := lo; p < hi; {
		if _, ok := hanAt(v, p); ok {
			p += 3
			continue
		}
		if v[p] != 0xC2 && v[p] != 0xE2 {
			return 0, 0
		}
		if hasAt(v, p, "·") && p > lo && p+2 < hi {
			dots++
			p += 2
			continue
		}
		if hasAt(v, p, "•") && p > lo && p+3 < hi {
			dots++
			p += 3
			continue
		}
		return 0, 0
	}
	if dots > 0 {
		return hi, 0.85
	}
	if n > 12 {
		return 0, 0
	}
	if end, conf := d.name(v, lo, cueColumn, 0); end == hi {
		return hi, max(conf, 0.95)
	}
	return 0, 0
}

// TestAllHigh compares allHigh with a byte loop for every length it is
// called with (and past the eight-byte steps), with a byte below 0x80 at
// every position or none.
func TestAllHigh(t *testing.T) {
	for n := 6; n <= 64; n++ {
		for pos := -1; pos < n; pos++ {
			b := make([]byte, n)
			for i := range b {
				b[i] = byte(0x80 + i%0x40)
			}
			if pos >= 0 {
				b[pos] = '1'
			}
			if got := allHigh(b); got != (pos < 0) {
				t.Fatalf("allHigh(% x) = %v", b, got)
			}
		}
	}
}

// TestNameValueMatchesRef runs nameValue and nameValueRef on names (from
// the generated contexts' tables, with dots, too long and too short) and
// on each with an ASCII byte put in at, or over, every position.
func TestNameValueMatchesRef(t *testing.T) {
	d := New()
	r := rand.New(rand.NewPCG(5, 6))
	vals := []string{"阿卜杜拉·艾买提", "阿卜杜•热合曼", "·张伟", "张伟·", "欧阳娜娜", "司马南", "用户123", "张", "张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟张伟"}
	for range 300 {
		vals = append(vals, ctxName(r))
	}
	for _, s := range vals {
		b := []byte(s)
		vs := [][]byte{b}
		for p := 0; p <= len(b); p++ {
			for _, c := range []byte{'1', 'a', ' ', '.'} {
				ins := append(append(append([]byte{}, b[:p]...), c), b[p:]...)
				vs = append(vs, ins)
				if p < len(b) {
					over := append([]byte{}, b...)
					over[p] = c
					vs = append(vs, over)
				}
			}
		}
		for _, v := range vs {
			lo, hi := trimSpace(v)
			e, c := d.nameValue(v, lo, hi)
			re, rc := d.nameValueRef(v, lo, hi)
			if e != re || c != rc {
				t.Fatalf("nameValue(%q) = %d %v, reference %d %v", v, e, c, re, rc)
			}
		}
	}
}

// skipOneSpaceRef is skipOneSpace as it was, testing both spaces in turn.
func skipOneSpaceRef(v []byte, p int) int {
	if p < len(v) && v[p] == ' ' {
		return p + 1
	}
	if hasAt(v, p, "　") {
		return p + 3
	}
	return p
}

// TestSkipOneSpace compares skipOneSpace with skipOneSpaceRef at every
// position of values built from spaces, their prefixes and look-alikes.
func TestSkipOneSpace(t *testing.T) {
	parts := []string{" ", "　", "\xe3\x80", "\xe3", "\xe3\x80\x81", "、", "a", "路", "\t"}
	for _, a := range parts {
		for _, b := range parts {
			for _, c := range parts {
				v := []byte(a + b + c)
				for p := 0; p <= len(v); p++ {
					if got, want := skipOneSpace(v, p), skipOneSpaceRef(v, p); got != want {
						t.Fatalf("skipOneSpace(%q, %d) = %d, want %d", v, p, got, want)
					}
				}
			}
		}
	}
}

// TestSkipASCIIEnd compares skipASCIIEnd with skipASCII from every start
// in values of every length to past eight bytes beyond the eight-byte
// load, with a high byte at every position or none.
func TestSkipASCIIEnd(t *testing.T) {
	for n := 0; n <= 24; n++ {
		for pos := -1; pos < n; pos++ {
			v := make([]byte, n)
			for i := range v {
				v[i] = "a1 ="[i%4]
			}
			if pos >= 0 {
				v[pos] = 0xE5
			}
			for i := 0; i <= n; i++ {
				if got, want := skipASCIIEnd(v, i), skipASCII(v, i); got != want {
					t.Fatalf("skipASCIIEnd(%q, %d) = %d, want %d", v, i, got, want)
				}
			}
		}
	}
}

// addressRef is address as it was before its end-of-value shortcut: it
// calls segment and trailingRoom at the end of v too (they find nothing
// there).
func (d *Detector) addressRef(v []byte, i int, cue bool, div divMatch) (int, float32) {
	t := d.t
	p := i
	nDiv, firstLvl, lastLvl := 0, uint8(0), uint8(0)
	shortOnly := true
	for {
		n, kind, lvl := div.n, div.kind, div.lvl
		if n == 0 && t.scanMay(v, p) {
			n, kind, lvl = t.lookupVia(v, p, kDiv|kDivShort, false)
		}
		div = divMatch{}
		if n == 0 {
			break
		}
		if nDiv == 0 && kind == kDivShort && lvl == 3 && !cue {
			break
		}
		if nDiv > 0 && lvl <= lastLvl && !(lvl == 3 && lastLvl == 3 && kind&kDiv != 0) {
			break
		}
		if nDiv == 0 {
			firstLvl = lvl
		}
		if kind&kDiv != 0 {
			shortOnly = false
		}
		nDiv++
		lastLvl = lvl
		p += n
		if q := skipOneSpace(v, p); q != p {
			if t.scanMay(v, q) {
				if m, _, _ := t.lookupVia(v, q, kDiv|kDivShort, false); m > 0 {
					p = q
				}
			}
		}
	}
	comps, num := 0, false
	for {
		q := p
		if comps > 0 || nDiv > 0 {
			q = skipOneSpace(v, p)
		}
		e, isNum := d.segment(v, q)
		if e == 0 {
			break
		}
		p, num = e, isNum
		comps++
	}
	if comps > 0 {
		p = trailingRoom(v, p)
	}
	if p == i {
		return 0, 0
	}
	switch {
	case nDiv > 0 && firstLvl <= 2 && comps > 0:
		if comps >= 2 || num {
			return p, 0.95
		}
		return p, 0.88
	case nDiv >= 2 && lastLvl == 3 && !shortOnly:
		if cue {
			return p, 0.9
		}
		return p, 0.8
	case nDiv > 0 && firstLvl == 3 && comps > 0:
		if num || comps >= 2 {
			return p, 0.9
		}
		return p, 0.8
	case cue && comps > 0:
		if num || comps >= 2 {
			return p, 0.9
		}
		return p, 0.7
	case cue && nDiv >= 2:
		return p, 0.75
	}
	return 0, 0
}

// TestAddressMatchesRef holds address to addressRef from every byte of
// address-column values (the database harness's, each cut after every
// byte, and with endings that a room number, a space or a division
// could take) and of corpus lines, with and without a cue.
func TestAddressMatchesRef(t *testing.T) {
	d := New()
	var vals [][]byte
	for _, v := range peopleValues(300)[1] {
		for _, end := range []string{"", "5", "-1103", " 5", "B", "　", " ", "#", "-", "朝阳区", " 朝阳区", "5号", "A座"} {
			w := append(append([]byte(nil), v...), end...)
			for n := 0; n <= len(w); n++ {
				vals = append(vals, w[:n])
			}
		}
	}
	vals = append(vals, corpusLines(t, 100_000)...)
	for _, v := range vals {
		for i := range v {
			for _, cue := range []bool{false, true} {
				ge, gc := d.address(v, i, cue, divMatch{})
				we, wc := d.addressRef(v, i, cue, divMatch{})
				if ge != we || gc != wc {
					t.Fatalf("address(%q, %d, %v) = %d, %v, want %d, %v", v, i, cue, ge, gc, we, wc)
				}
			}
		}
	}
}
