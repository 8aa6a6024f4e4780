package fpe

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm4"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/masking/ff1"
)

// TestPrefetchSameTokens: tokens made after Prefetch (their FF1 rounds run
// in a batch, several values at a time) are the tokens made without it, for
// every layout, values that fail included, in groups of one to six values
// (more than a batch holds) with repeats, each through one of two
// Tokenizers sharing the batch; a Tokenizer still attached to the batch
// reverses tokens right. The Tokenizers run on ff1.AES, whose direct path
// the batch needs.
func TestPrefetchSameTokens(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	key := make([]byte, 32)
	for i := range key {
		key[i] = byte(r.Uint32())
	}
	newAES := func() *Tokenizer {
		block, err := ff1.AES(key)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := New(block)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	plain, batched := newAES(), [2]*Tokenizer{newAES(), newAES()}
	type value struct {
		f   Format
		typ pi.TypeID
		v   []byte
	}
	gen := func() value {
		switch r.IntN(9) {
		case 0:
			return value{FormatAuto, pi.IDCard, []byte(randID(r))}
		case 1:
			return value{FormatAuto, pi.IDCard, []byte(randID15(r))}
		case 2:
			return value{FormatAuto, pi.Mobile, []byte(randMobile(r))}
		case 3:
			return value{FormatAuto, pi.BankCard, []byte(randCard(r))}
		case 4:
			return value{FormatAuto, pi.Email, []byte(randAlnum(r) + "@Example.com")}
		case 5:
			return value{FormatAuto, pi.Passport, []byte(randAlnum(r))}
		case 6:
			return value{FormatDigits, pi.Landline, []byte(randMobile(r)[:6+r.IntN(5)])}
		case 7:
			return value{FormatLandline, pi.Landline, []byte("010-" + randMobile(r)[3:])}
		}
		// Values that fail: too short, a mobile without its 1, a bad date.
		return value{FormatAuto, []pi.TypeID{pi.Mobile, pi.IDCard, pi.BankCard}[r.IntN(3)], []byte([]string{"12", "23812345678", "110105194913310021"}[r.IntN(3)])}
	}
	var b ff1.Batch
	hits := 0
	var groups atomic.Int64 // done, for the watchdog below
	sameTokens := func() error {
		for range 20000 {
			vs := make([]value, 1+r.IntN(6))
			for i := range vs {
				switch {
				case i > 0 && r.IntN(8) == 0:
					vs[i] = vs[r.IntN(i)]
				case i > 0 && r.IntN(4) == 0:
					// A sibling: the same encrypted digits under another
					// tweak (another segment, BIN or region digit).
					v := vs[r.IntN(i)]
					w := append([]byte(nil), v.v...)
					if k := len(w) - 12; k >= 0 && w[k] >= '0' && w[k] <= '9' {
						w[k] = '0' + (w[k]-'0'+1)%10
					}
					vs[i] = value{v.f, v.typ, w}
				default:
					vs[i] = gen()
				}
			}
			b.Reset()
			for i, v := range vs {
				batched[i%2].Prefetch(&b, v.f, v.typ, v.v)
			}
			b.Run()
			hits += b.Len()
			for i, v := range vs {
				want, werr := plain.TokenizeAs(nil, v.f, v.typ, v.v)
				got, gerr := batched[i%2].TokenizeAs(nil, v.f, v.typ, v.v)
				if string(got) != string(want) || !errors.Is(gerr, ErrFormat) != !errors.Is(werr, ErrFormat) || (gerr == nil) != (werr == nil) {
					return fmt.Errorf("%s %s: with Prefetch %q (%v), without %q (%v)", v.f, v.typ, got, gerr, want, werr)
				}
				if werr != nil {
					continue
				}
				back, err := batched[i%2].UntokenizeAs(nil, v.f, v.typ, want)
				wantBack, _ := plain.UntokenizeAs(nil, v.f, v.typ, want)
				if err != nil || string(back) != string(wantBack) {
					return fmt.Errorf("%s %s: reversed with a batch attached %q (%v), without %q", v.f, v.typ, back, err, wantBack)
				}
			}
			groups.Add(1)
		}
		return nil
	}
	// A Lookup that hands one value's result to another can make a cycle
	// walk (an ID's date, an alnum class) loop for ever on one lane's
	// result: the groups run in a goroutine whose progress is watched, so
	// that the test fails once none is made for stall, not at go test's
	// timeout. (With Lookup ignoring the numerals, the PCG seeds (s, 22)
	// loop for 4 of s = 1..30, in an ID's six-year window; 21 fails at once.)
	const stall = 20 * time.Second
	errc := make(chan error, 1)
	go func() { errc <- sameTokens() }()
	watch := time.NewTicker(stall / 4)
	defer watch.Stop()
	seen, since := int64(-1), time.Now()
	for waiting := true; waiting; {
		select {
		case err := <-errc:
			if err != nil {
				t.Fatal(err)
			}
			waiting = false
		case now := <-watch.C:
			if g := groups.Load(); g != seen {
				seen, since = g, now
			} else if now.Sub(since) > stall {
				t.Fatalf("group %d made no progress for %v: a cycle walk that never ends (Lookup giving one value's result to another?)", g, stall)
			}
		}
	}
	if hits == 0 && directAES(key) {
		t.Fatal("no value went through the batch")
	}

	// A Tokenizer no lane can take (SM4) does not record: it would only
	// tokenise twice.
	sm, _ := sm4.NewCipher(key[:16])
	tok, _ := New(sm)
	tok.Prefetch(&b, FormatAuto, pi.Mobile, []byte("13812345678"))
	if tok.batch != nil {
		t.Error("an SM4 Tokenizer took a batch")
	}
}

// directAES reports whether ff1 takes the direct AES path here (amd64 with
// AES-NI, not purego), without which a Batch takes no lane.
func directAES(key []byte) bool {
	block, _ := ff1.AES(key)
	c, _ := ff1.New(block, 10)
	var b ff1.Batch
	return b.Add(c, make([]uint16, 8), nil, true)
}
