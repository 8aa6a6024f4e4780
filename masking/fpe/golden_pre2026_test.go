package fpe

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/piiscan/piiscan/detectors/pi"
)

// pre2026Digest is the SHA-256 of the tokens of pre2026IDs under the test
// key 0, taken from the layout before births from 2026 got one-year windows:
// the tokens of births up to 2025 are fixed (data tokenised then must keep
// joining and reversing), so this must never change.
const pre2026Digest = "d495771fb1856aa645d890d0d9ed1287e8c3a460600b28fb5f8db0b8d51956ae"

// pre2026IDs are 18-digit numbers of births from 1900-01-01 to 2025-12-31
// (every 3rd day, rotating regions and sequence codes) and 15-digit ones
// for 1900-1999, made without math/rand so they are the same in every Go
// release.
func pre2026IDs() []string {
	regions := append([]string{"810000", "820000", "830000", "130133", "999999"}, testRegions...)
	var ids []string
	start := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; ; i++ {
		d := start.AddDate(0, 0, 3*i)
		if d.Year() >= 2026 {
			break
		}
		s := regions[i%len(regions)] + d.Format("20060102") + fmt.Sprintf("%03d", i*37%1000)
		ids = append(ids, withCheck(s))
		if d.Year() < 2000 {
			ids = append(ids, regions[(i+3)%len(regions)]+d.Format("060102")+fmt.Sprintf("%03d", i*91%1000))
		}
	}
	return ids
}

// withCheck appends the GB 11643 check character to 17 digits.
func withCheck(s string) string {
	for _, c := range "0123456789X" {
		if idCheckOK(s + string(c)) {
			return s + string(c)
		}
	}
	panic("no check character")
}

func TestGoldenPre2026(t *testing.T) {
	tok := newTok(t, 0)
	h := sha256.New()
	ids := pre2026IDs()
	for _, v := range ids {
		out, err := tok.Tokenize(nil, pi.IDCard, []byte(v))
		if err != nil {
			t.Fatalf("tokenize: %v", err)
		}
		h.Write(out)
		h.Write([]byte{'\n'})
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != pre2026Digest {
		t.Errorf("tokens of %d births before 2026 changed: digest %s, want %s", len(ids), got, pre2026Digest)
	}
}
