//go:build linux

package textpi

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"testing"
	"unsafe"

	"github.com/piiscan/piiscan/detectors/pi"
)

// guardedPage is one readable page between two PROT_NONE pages: a load
// one byte before or after it faults.
type guardedPage struct {
	mem  []byte // all three pages
	page []byte // the middle one
}

func newGuardedPage(t *testing.T) *guardedPage {
	t.Helper()
	ps := syscall.Getpagesize()
	mem, err := syscall.Mmap(-1, 0, 3*ps, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Skip("mmap:", err)
	}
	t.Cleanup(func() { syscall.Munmap(mem) })
	if err := syscall.Mprotect(mem[:ps], syscall.PROT_NONE); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mprotect(mem[2*ps:], syscall.PROT_NONE); err != nil {
		t.Fatal(err)
	}
	return &guardedPage{mem: mem, page: mem[ps : 2*ps : 2*ps]}
}

// atEnd copies v to the end of the page: v's last byte is the page's.
func (g *guardedPage) atEnd(v []byte) []byte {
	p := g.page[len(g.page)-len(v):]
	copy(p, v)
	return p[:len(v):len(v)]
}

// atStart copies v to the start of the page, which a guard page precedes.
func (g *guardedPage) atStart(v []byte) []byte {
	p := g.page[:len(v):len(v)]
	copy(p, v)
	return p
}

// guardPieces are what the guarded values are made of: the runes and
// bytes skipKernel looks ahead for (surnames that pass the score test and
// given runes, 男 and 女, a mobile number and shorter numbers, ASCII and
// full-width separators, title starts, the keys of scan words), quiet
// ideographs, punctuation, other scripts and broken UTF-8.
var guardPieces = append(slices.Clone(skipPieces),
	"国", "时", "法", "车", "水", "强", "高", "金", "常", "文", "现", "在", "经理", "先生", "女士",
	"条记录", "共处理", "配送", "配送地址", "地址", "北京市", "朝阳区", "省", "收件人", "联系人", "电话",
	"13", "139", "1391234", "19154", "件", "\t", "（", "）", "%", "…", "号", "路")

// guardValues are values of every length from 0 to 80 bytes: random
// mixes of guardPieces cut or padded to the length, the ends and starts
// of corpus lines, and a name before each of quiet's look-ahead patterns.
func guardValues(t *testing.T, tb *tables) [][]byte {
	r := rand.New(rand.NewPCG(80, 7))
	var keys []string // scan words' beginnings from the dictionary
	for _, e := range tb.entries {
		if e.kind&scanKinds != 0 && len(e.word) >= 6 {
			keys = append(keys, e.word)
		}
	}
	piece := func() string {
		if r.IntN(6) == 0 {
			w := keys[r.IntN(len(keys))]
			return w[:6+r.IntN(len(w)-5)]
		}
		return guardPieces[r.IntN(len(guardPieces))]
	}
	var values [][]byte
	for n := 0; n <= 80; n++ {
		for k := 0; k < 400; k++ {
			var b []byte
			for len(b) < n {
				b = append(b, piece()...)
			}
			if r.IntN(2) == 0 {
				b = b[len(b)-n:] // cut at the front: a rune may be cut there
			} else {
				b = b[:n]
			}
			values = append(values, b)
		}
	}
	surnames := strings.Split("张 王 李 欧阳 国 时 法 车 水 强 高 金 常 文", " ")
	given := strings.Split("伟 芳 明 天 气 好 现 在 国 强", " ")
	tails := []string{"", "，女", "，男", ",女", " 男", "(女)", "（男）", "：男", "\t女", "13912345678", "1391234567", "19154件",
		"2，1391234", "，13912345678", ", 13912345678", "经理", "先生", "天，女", "天,男", "天13912345678", "天1915", "天 1", "，现在", "，妈妈"}
	for _, s := range surnames {
		for _, g := range given {
			for _, tl := range tails {
				for _, g2 := range []string{"", g} {
					v := s + g + g2 + tl
					for cut := 0; cut <= len(tl); cut++ {
						values = append(values, []byte(v[:len(v)-cut]))
					}
				}
			}
		}
	}
	for _, l := range corpusLines(t, 200_000) {
		values = append(values, l[max(0, len(l)-80):], l[:min(len(l), 80)])
	}
	return values
}

// TestGuardedValues puts every value of guardValues flush against an
// unmapped page, after it and before it, and holds skip (skipKernel on
// amd64) to skipGo from every rune start with several cue positions, and
// Find to the exhaustive path: a load past either end of a value faults
// and fails the test with the value.
func TestGuardedValues(t *testing.T) {
	d, ex := New(), New()
	ex.exhaustive = true
	tb := d.t
	g := newGuardedPage(t)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	fields := []*pi.Field{nil, {Hints: []pi.TypeID{pi.Name}}, {Hints: []pi.TypeID{pi.Address}}}
	check := func(where string, v []byte) {
		defer func() {
			if e := recover(); e != nil {
				t.Fatalf("%s %q (%d bytes): %v", where, v, len(v), e)
			}
		}()
		for _, f := range fields {
			a := d.Find(v, f, nil)
			b := ex.Find(v, f, nil)
			if !slices.Equal(a, b) {
				t.Fatalf("%s %q (%v): filtered %v, exhaustive %v", where, v, f, a, b)
			}
		}
		// Starts out of range, below 0 most of all (the kernel's loops
		// read from j-3), must return at once in both.
		for _, i := range []int{-3, -2, -1, len(v) - 2, math.MaxInt - 2} {
			sw, swg := scanWord{at: -1}, scanWord{at: -1}
			j, m := tb.skip(v, i, ^uint32(0), -1, &sw)
			jg, mg := tb.skipGo(v, i, ^uint32(0), -1, &swg)
			if j != i+3 || m != 0 || jg != j || mg != m {
				t.Fatalf("%s %q from %d: skip (%d, %#x), skipGo (%d, %#x)", where, v, i, j, m, jg, mg)
			}
		}
		for i := 0; i+3 <= len(v); i++ {
			if binary.LittleEndian.Uint32([]byte{v[i], v[i+1], v[i+2], 0})&0xC0C0F0 != 0x8080E0 {
				continue
			}
			st := tb.pair[keyAt(v, i)]
			for _, stop := range []int{-1, i + 3, i + 6, i + 9, len(v) - 6, len(v) - 3, len(v)} {
				sw, swg := scanWord{at: -1}, scanWord{at: -1}
				j, m := tb.skip(v, i, st, stop, &sw)
				jg, mg := tb.skipGo(v, i, st, stop, &swg)
				if j != jg || m != mg {
					t.Fatalf("%s %q from %d, stop %d: skip (%d, %#x), skipGo (%d, %#x)", where, v, i, stop, j, m, jg, mg)
				}
			}
		}
	}
	for _, v := range guardValues(t, tb) {
		check("at the end of a page", g.atEnd(v))
		check("at the start of a page", g.atStart(v))
	}
	// The guard pages do fault: a test that could not fail would prove
	// nothing.
	for _, off := range []int{-1, len(g.page)} {
		func() {
			defer func() {
				if _, ok := recover().(interface{ Addr() uintptr }); !ok {
					t.Fatalf("no fault reading the byte at %d of the page", off)
				}
			}()
			_ = fmt.Sprint(*(*byte)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(g.page)), off)))
		}()
	}
}
