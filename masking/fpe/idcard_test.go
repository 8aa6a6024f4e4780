package fpe

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/masking/ff1"
)

// snapshotRegions lists the region codes of the tokenizer's table, by
// province (inputs for the tests; the tokens are checked with the
// detector's table, not this one).
func snapshotRegions() map[string][]string {
	m := map[string][]string{}
	for p := range 100 {
		for _, s := range regionSuffix[regionFrom[p]:regionFrom[p+1]] {
			m[fmt.Sprintf("%02d", p)] = append(m[fmt.Sprintf("%02d", p)], fmt.Sprintf("%02d%04d", p, s))
		}
	}
	return m
}

// randBirth is an 18-digit number of region reg, born on a random day of a
// year in [y0, y1].
func randBirth(r *rand.Rand, reg string, y0, y1 int) string {
	start := time.Date(y0, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(y1+1, 1, 1, 0, 0, 0, 0, time.UTC).Sub(start).Hours() / 24)
	d := start.AddDate(0, 0, r.IntN(days))
	return withCheck(reg + d.Format("20060102") + fmt.Sprintf("%03d", r.IntN(1000)))
}

// TestIDCardFrom2026: tokens of births from 2026 keep the birth year (so
// they are valid ID numbers, to the detector, from the last day of that
// year on), the province and the sex, get another valid region of the
// province, a real date and a correct check character; they reverse, and
// distinct numbers get distinct tokens. Every province is covered.
func TestIDCardFrom2026(t *testing.T) {
	per := 400
	if raceEnabled || testing.Short() {
		per = 100
	}
	provinces := snapshotRegions()
	type tc struct {
		name    string
		regions []string
		y0, y1  int
		n       int
	}
	var cases []tc
	for p, regs := range provinces {
		cases = append(cases, tc{"province " + p, regs, 2026, 2040, per})
	}
	cases = append(cases,
		tc{"first year", []string{"110105", "440305", "542621"}, 2026, 2026, 20 * per},
		tc{"leap day year", []string{"310104", "650102"}, 2028, 2028, 20 * per},
		tc{"far future", []string{"110105", "513436"}, 2090, 2130, 5 * per},
		tc{"not in any table", []string{"119999", "999999", "000000"}, 2026, 2040, 5 * per},
		tc{"one-code provinces", []string{"810000", "820000", "830000"}, 2026, 2040, 5 * per},
	)
	for ci, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok := newTok(t, 3)
			r := rand.New(rand.NewPCG(uint64(ci), 2026))
			seen := map[string]string{}
			for range c.n {
				v := randBirth(r, c.regions[r.IntN(len(c.regions))], c.y0, c.y1)
				out := roundTrip(t, tok, pi.IDCard, v)
				checkToken(t, pi.IDCard, v, out)
				if w, ok := seen[out]; ok && w != v {
					t.Fatalf("two numbers gave one token")
				}
				seen[out] = v
			}
		})
	}
}

// TestIDCardFrom2026Expectations pins which layout each kind of number
// gets, independently of checkToken's own classification.
func TestIDCardFrom2026Expectations(t *testing.T) {
	tok := newTok(t, 4)
	r := rand.New(rand.NewPCG(4, 4))
	for _, c := range []struct {
		reg           string
		y             int
		sameYear      bool // token's birth year is always the input's
		regionChanges bool // some tokens get another region code
		maxYearsAhead int
	}{
		{"110105", 2026, true, true, 0},
		{"120101", 2035, true, true, 0},
		{"659001", 2040, true, true, 0},
		{"810000", 2026, false, false, 5},
		{"830000", 2031, false, false, 0}, // last year of 2026-2031
		{"119999", 2032, false, false, 5},
		{"110105", 2025, false, false, 0}, // 2020-2025, unchanged layout
	} {
		t.Run(fmt.Sprint(c.reg, "/", c.y), func(t *testing.T) {
			moved, years := false, map[string]bool{}
			for range 300 {
				v := randBirth(r, c.reg, c.y, c.y)
				out := roundTrip(t, tok, pi.IDCard, v)
				years[out[6:10]] = true
				moved = moved || out[:6] != v[:6]
				if out[:2] != v[:2] {
					t.Fatalf("province changed")
				}
				var ty int
				fmt.Sscan(out[6:10], &ty)
				if ty-c.y > c.maxYearsAhead {
					t.Fatalf("token birth year %d years after the real one", ty-c.y)
				}
			}
			if moved != c.regionChanges {
				t.Errorf("region moved: %v, want %v", moved, c.regionChanges)
			}
			if same := len(years) == 1; same != c.sameYear {
				t.Errorf("tokens have %d birth years", len(years))
			}
		})
	}
}

// regionTableDigest pins the tokenizer's region table: it is part of the
// token layout of births from 2026 (a code added to a province changes all
// their tokens there), so it is a frozen snapshot, regenerated only for a
// deliberate layout change.
const regionTableDigest = "eec54cf1e49fa2c1e538af4835774ceea2bd82464dc5b01eaf4d8d225827be5f"

func TestRegionTableFrozen(t *testing.T) {
	h := sha256.New()
	binary.Write(h, binary.BigEndian, regionSuffix[:])
	binary.Write(h, binary.BigEndian, regionFrom[:])
	if got := hex.EncodeToString(h.Sum(nil)); got != regionTableDigest {
		t.Errorf("region table changed (digest %s, want %s): tokens of births from 2026 would change", got, regionTableDigest)
	}
}

// TestRegionTableValid: every region a token can take is one the detector
// (its own GB/T 2260 table) accepts, and every province but the one-code
// ones (81, 82, 83) has enough codes for one-year windows.
func TestRegionTableValid(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	for p, regs := range snapshotRegions() {
		for _, reg := range regs {
			if id := withCheck(reg + "20000101123"); !idAccepted(id, now) {
				t.Errorf("region %s of the token table is not a valid region to the detector", reg)
			}
		}
		if small := len(regs) < minRegionCodes; small != smallProvince(p) {
			t.Errorf("province %s: %d codes", p, len(regs))
		}
		k := len(regs)
		if r := regionRadix(k); k >= minRegionCodes && (r*r < 366*500*k || (r-1)*(r-1) >= 366*500*k || r*r < minDomain) {
			t.Errorf("province %s: radix %d for %d codes", p, r, k)
		}
	}
}

// TestWalkEndsWhenNotPermutation: a cycle walk whose cipher never brings it
// back to its domain (modelled by an empty domain: FF1 itself is always a
// permutation) ends with errWalk after at most r² + 1 steps instead of
// looping for ever; a walk over a real domain still ends in it.
func TestWalkEndsWhenNotPermutation(t *testing.T) {
	tok := newTok(t, 7)
	const r = 1000
	c, err := ff1.New(tok.block, r)
	if err != nil {
		t.Fatal(err)
	}
	tw := []byte{1, 2, 3}
	if _, err := tok.walk(c, r, 0, 0, tw, true); !errors.Is(err, errWalk) {
		t.Fatalf("walk with an empty domain: err %v, want errWalk", err)
	}
	for x := range 50 {
		y, err := tok.walk(c, r, x, 400_000, tw, true)
		if err != nil || y >= 400_000 {
			t.Fatalf("walk(%d): %d, %v", x, y, err)
		}
		if back, err := tok.walk(c, r, y, 400_000, tw, false); err != nil || back != x {
			t.Fatalf("walk(%d) = %d, back %d, %v", x, y, back, err)
		}
	}
}
