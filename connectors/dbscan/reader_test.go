package dbscan

import (
	"bytes"
	"testing"

	"github.com/piiscan/piiscan/scanner"
)

// TestCopyRow lays rows out in one buffer as drivers do (values after
// length prefixes, NULLs and empty values anywhere) and checks that copyRow
// copies each value exactly, and that it refuses the layouts RowBuffer
// rules out: gaps over maxGap, values out of order or overlapping.
func TestCopyRow(t *testing.T) {
	// row builds a buffer from parts: a string is a value, an int a gap
	// of that many bytes, nil a NULL; it returns the values as a driver
	// lends them.
	row := func(parts ...any) [][]byte {
		var buf []byte
		var at [][2]int // value bounds in buf; {-1}: NULL
		for _, p := range parts {
			switch p := p.(type) {
			case int:
				buf = append(buf, bytes.Repeat([]byte{0xEE}, p)...)
			case string:
				at = append(at, [2]int{len(buf), len(buf) + len(p)})
				buf = append(buf, p...)
			case nil:
				at = append(at, [2]int{-1, -1})
			}
		}
		vals := make([][]byte, len(at))
		for i, a := range at {
			if a[0] >= 0 {
				vals[i] = buf[a[0]:a[1]:a[1]]
			}
		}
		return vals
	}
	swap := func(v [][]byte) [][]byte { v[0], v[1] = v[1], v[0]; return v }
	shared := []byte("abcdef")
	for _, tc := range []struct {
		name string
		vals [][]byte
		ok   bool
	}{
		{"pgx layout", row(4, "110105199001010456", 4, "user1@example.com", 4, "用户1"), true},
		{"no gaps", row("a", "bc", "def"), true},
		{"NULLs and empty values", row(nil, 4, "a", 4, "", nil, 4, "bc", 4, "", nil), true},
		{"only NULLs and empty values", row(nil, 4, "", nil), true},
		{"gap of maxGap", row("abc", maxGap, "de"), true},
		{"gap over maxGap", row("abc", maxGap+1, "de"), false},
		{"out of order", swap(row(4, "abc", 4, "de")), false},
		{"overlapping", [][]byte{shared[:4], shared[2:5]}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := &batch{arena: []byte("earlier rows")}
			spans := make([]scanner.Span, len(tc.vals))
			before := string(b.arena)
			ok := b.copyRow(tc.vals, spans)
			if ok != tc.ok {
				t.Fatalf("copyRow = %v, want %v", ok, tc.ok)
			}
			if !ok {
				if string(b.arena) != before || b.values != 0 {
					t.Errorf("refused, yet copied: arena %q, values %d", b.arena, b.values)
				}
				return
			}
			want := 0
			for j, v := range tc.vals {
				sp := spans[j]
				switch {
				case v == nil:
					if sp.Off >= 0 {
						t.Errorf("value %d: NULL at span %v", j, sp)
					}
				case len(v) == 0:
					if sp.Off < 0 || sp.Off != sp.End {
						t.Errorf("value %d: empty value at span %v", j, sp)
					}
				default:
					if sp.Off < len(before) || sp.End > len(b.arena) || string(b.arena[sp.Off:sp.End]) != string(v) {
						t.Errorf("value %d: span %v, want %q", j, sp, v)
					}
				}
				want += len(v)
			}
			if b.values != want {
				t.Errorf("values = %d, want %d", b.values, want)
			}
			if string(b.arena[:len(before)]) != before {
				t.Errorf("earlier rows overwritten: %q", b.arena)
			}
		})
	}
}

// TestKeySet holds keySet to a map: keys in the bitmap's range, at its
// edges and outside it (rows added after the plan), for ranges at the
// limits of int64.
func TestKeySet(t *testing.T) {
	const maxInt = int64(^uint64(0) >> 1)
	for _, r := range [][2]int64{{1, 1}, {1, 64}, {-100, 100}, {0, 1000}, {maxInt - 70, maxInt}, {-maxInt - 1, -maxInt + 70},
		{-5, maxKeySet - 6}, {1, 3*keyPageBits + 5}} {
		lo, hi := r[0], r[1]
		s := newKeySet(lo, hi)
		want := map[int64]bool{}
		probe := []int64{lo, hi, lo + 1, hi - 1, lo - 1, hi + 1, (lo + hi) / 2, 0, 63, 64, -1, maxInt, -maxInt - 1}
		for _, d := range []int64{keyPageBits - 1, keyPageBits, keyPageBits + 1, 2*keyPageBits + 63, 2*keyPageBits + 64, 3 * keyPageBits} {
			probe = append(probe, lo+d)
		}
		for i, k := range probe {
			if i%3 != 2 { // leave some out
				s.add(k)
				want[k] = true
			}
		}
		for _, k := range probe {
			if s.has(k) != want[k] {
				t.Errorf("range [%d, %d]: has(%d) = %v, want %v", lo, hi, k, s.has(k), want[k])
			}
		}
	}
}
