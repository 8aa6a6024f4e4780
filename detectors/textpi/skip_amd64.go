//go:build amd64 && !purego

package textpi

import "encoding/binary"

// skipKernel is skipGo in assembly up to the points where that would call
// a function. It returns (j, evEnd) where skipGo returns (j, 0); (q,
// evMeet) at a pair of runes at v[q] and v[q+3] whose pair bits meet and
// which it could not show quiet (a compound surname, a single surname
// whose score passes or that a title, a mobile number or a gender may
// follow, a pair near the end of the value); (q, evScan) where the scan
// bit set passes such a pair's key; and (k, evKey) after ASCII that ends
// at v[k] in a key separator (name=, a space), where keyEnds decides. Its
// own quiet (quietAt) is quiet written out. skipFrom does what skipGo
// would at those points and calls it again: TestSkipMatchesRef and
// TestSkipKernel hold skip to skipGo's results.
//
//go:noescape
func skipKernel(t *tables, v []byte, i int, st uint32, stop int) (j int, ev int)

const (
	evEnd = iota
	evMeet
	evKey
	evScan // evMeet where quiet is false at the scan bit set: no compound, the key passes
)

// skip is skipGo with its loops in assembly (skipKernel): over 16 MB of
// mixed text it calls quiet about 40K times instead of 370K, each call with
// the spills and reloads of skipGo's registers around it.
func (t *tables) skip(v []byte, i int, st uint32, stop int, sw *scanWord) (int, uint16) {
	j, ev := skipKernel(t, v, i, st, stop)
	return t.skipFrom(v, i, st, stop, sw, j, ev)
}

// skipFirst is skipKernel for Find's first call: where it runs to the end
// (ev == evEnd, most values) Find has nothing more to call.
func (t *tables) skipFirst(v []byte, i int, st uint32, stop int) (int, int) {
	return skipKernel(t, v, i, st, stop)
}

// skipFrom is skip from the kernel's return (j, ev) on.
func (t *tables) skipFrom(v []byte, i int, st uint32, stop int, sw *scanWord, j, ev int) (int, uint16) {
	for {
		switch ev {
		case evMeet:
			m := uint16(t.pair[keyAt(v, j)]) & uint16(t.pair[keyAt(v, j+3)]>>16)
			if !t.quiet(v, j, m) && !t.scanMiss(v, j, m, sw) {
				return j, m
			}
			// Quiet after all: go on at the second rune, as skipGo
			// does (skipQuietRef).
			i = j + 3
			if i == stop {
				return i, 0
			}
		case evScan:
			// scanMiss after quiet's false at the bit set, without
			// asking quiet and the bit set again.
			m := uint16(t.pair[keyAt(v, j)]) & uint16(t.pair[keyAt(v, j+3)]>>16)
			n, kind, lvl := t.lookupVia(v, j, scanKinds, false)
			*sw = scanWord{at: j, n: n, kind: kind, lvl: lvl}
			if n > 0 {
				return j, m
			}
			if rest := m &^ pScan; rest != 0 && !t.quiet(v, j, rest) {
				return j, m
			}
			i = j + 3
			if i == stop {
				return i, 0
			}
		case evKey:
			// The end of skipGo's gap: return after a key, or where no
			// three-byte rune follows; else go on at that rune. The
			// kernel has ruled out the end of the value and the cue
			// position in the gap.
			if keyEnds(v, j-1) || binary.LittleEndian.Uint32(v[j:j+4])&0xC0C0F0 != 0x8080E0 {
				return j, 0
			}
			i = j
		default:
			return j, 0
		}
		st = t.pair[keyAt(v, i)]
		j, ev = skipKernel(t, v, i, st, stop)
	}
}
