package textpi

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestKeys: keyBefore returns only identifiers ending in a letter and at
// most maxKeyLen+1 bytes long, which is exact only while every key ends in
// a letter and maxKeyLen is the longest.
func TestKeys(t *testing.T) {
	longest := 0
	for _, k := range append(append([]string(nil), nameKeys...), addrKeys...) {
		if c := k[len(k)-1] | 0x20; c < 'a' || c > 'z' {
			t.Errorf("key %q does not end in a letter", k)
		}
		longest = max(longest, len(k))
	}
	if longest != maxKeyLen {
		t.Errorf("longest key %d bytes, maxKeyLen %d", longest, maxKeyLen)
	}
}

// TestKeySep: keySep's bit test holds exactly the five separators, for
// every byte.
func TestKeySep(t *testing.T) {
	for c := range 256 {
		if got, want := keySep(byte(c)), strings.IndexByte("=:\"' ", byte(c)) >= 0; got != want {
			t.Errorf("keySep(%#x) = %v, want %v", c, got, want)
		}
	}
}

// TestKeyBeforeExact compares keyBefore and keyIn with the plain walk they
// replace (any identifier up to 32 bytes, every key compared) on values
// built from keys, digits, separators and ideographs.
func TestKeyBeforeExact(t *testing.T) {
	plain := func(v []byte, i int) []byte {
		j := i
		for k := 0; k < 3 && j > 0; k++ {
			if c := v[j-1]; c == '=' || c == ':' || c == '"' || c == '\'' || c == ' ' {
				j--
			} else {
				break
			}
		}
		if j == i {
			return nil
		}
		e := j
		for j > 0 && e-j < 32 && identByte[v[j-1]] {
			j--
		}
		return v[j:e]
	}
	plainIn := func(k []byte, keys []string) bool {
		for _, s := range keys {
			if strings.EqualFold(s, string(k)) && len(k) > 0 {
				return true
			}
		}
		return false
	}
	parts := append(append([]string{"1", "2026", "x", "_", "-", "A", "Name", "ADDR", "张", "，", " ", "=", ":", "\"", "'", "user_", "abcdefghijklmnopq"}, nameKeys...), addrKeys...)
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 200000; n++ {
		var sb strings.Builder
		for k := rng.IntN(6); k >= 0; k-- {
			sb.WriteString(parts[rng.IntN(len(parts))])
		}
		v := []byte(sb.String())
		for i := 0; i <= len(v); i++ {
			for _, keys := range [][]string{nameKeys, addrKeys} {
				if got, want := keyIn(keyBefore(v, i), keys), plainIn(plain(v, i), keys); got != want {
					t.Fatalf("%q at %d: keyIn(keyBefore) %v, plain walk %v", v, i, got, want)
				}
			}
		}
	}
}

// TestKeyEnds: keyEnds(v, p) is keyBefore(v, p+1) != nil wherever v[p] is
// a separator.
func TestKeyEnds(t *testing.T) {
	parts := []string{"a", "Z", "1", "_", "-", " ", "=", ":", "\"", "'", "张", "，", "name", "addr"}
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 0; n < 100000; n++ {
		var sb strings.Builder
		for k := rng.IntN(7); k >= 0; k-- {
			sb.WriteString(parts[rng.IntN(len(parts))])
		}
		v := []byte(sb.String())
		for p := range v {
			if keySep(v[p]) && keyEnds(v, p) != (keyBefore(v, p+1) != nil) {
				t.Fatalf("%q at %d: keyEnds %v, keyBefore %q", v, p, keyEnds(v, p), keyBefore(v, p+1))
			}
		}
	}
}

// TestLookupExact compares lookup, lookupVia with no bit set, and scanMay
// and segMay for the kinds they serve, with a plain search of the entries (their words as
// strings, not as lookupVia compares them) for every word of the
// dictionary, alone, cut short by a byte, followed by a rune or a digit,
// changed in a rune after the key, at the start of a value and after a
// rune, with every kind.
func TestLookupExact(t *testing.T) {
	tb, err := newTables()
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[uint64][]entry{}
	for _, sl := range tb.slots {
		if sl.key != 0 {
			byKey[sl.key] = tb.entries[sl.start : sl.start+uint32(sl.count)]
		}
	}
	plain := func(v []byte, kinds uint16) (int, uint16, uint8) {
		if len(v) < 6 {
			return 0, 0, 0
		}
		for _, e := range byKey[rawKey(v)] {
			if e.kind&kinds != 0 && strings.HasPrefix(string(v), e.word) {
				return len(e.word), e.kind & kinds, e.level
			}
		}
		return 0, 0, 0
	}
	for _, e := range tb.entries {
		vs := []string{e.word, e.word[:len(e.word)-1], e.word + "路", e.word + "1", "省" + e.word}
		for p := 6; p+3 <= len(e.word); p += 3 {
			vs = append(vs, e.word[:p]+"路"+e.word[p+3:]) // differs in one rune after the key
		}
		for _, v := range vs {
			for kinds := uint16(1); kinds != 0; kinds <<= 1 {
				for _, ks := range []uint16{kinds, kinds | kDiv | kDivShort, ^uint16(0), scanKinds, segKinds, kAddrSuffix | kAddrCue} {
					// At the start of a value and after a rune.
					for _, pre := range []string{"", "省"} {
						b := []byte(pre + v)
						i := len(pre)
						pn, pk, pl := plain(b[i:], ks)
						n, k, l := tb.lookup(b, i, ks)
						if n != pn || k != pk || l != pl {
							t.Fatalf("lookup(%q, %d, %b) = %d %b %d, plain search %d %b %d", b, i, ks, n, k, l, pn, pk, pl)
						}
						// The narrower filters for the kinds they serve,
						// and no filter.
						if n, k, l := tb.lookupVia(b, i, ks, false); n != pn || k != pk || l != pl {
							t.Fatalf("lookupVia(%q, %d, %b, false) = %d %b %d, plain search %d %b %d", b, i, ks, n, k, l, pn, pk, pl)
						}
						if ks&^scanKinds == 0 && !tb.scanMay(b, i) && pn != 0 {
							t.Fatalf("scanMay(%q, %d) is false, plain search finds %d %b %d", b, i, pn, pk, pl)
						}
						if ks&^segKinds == 0 && !tb.segMay(b, i) && pn != 0 {
							t.Fatalf("segMay(%q, %d) is false, plain search finds %d %b %d", b, i, pn, pk, pl)
						}
					}
				}
			}
		}
	}
}
