package ff1

import (
	"bufio"
	"crypto/aes"
	"crypto/cipher"
	"encoding/hex"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	capff1 "github.com/capitalone/fpe/ff1"
	"github.com/emmansun/gmsm/sm4"
)

const alphabet36 = "0123456789abcdefghijklmnopqrstuvwxyz"

func toNumerals(t testing.TB, s string) []uint16 {
	t.Helper()
	out := make([]uint16, len(s))
	for i := range len(s) {
		k := strings.IndexByte(alphabet36, s[i])
		if k < 0 {
			t.Fatalf("numeral %q not in 0-9a-z", s[i])
		}
		out[i] = uint16(k)
	}
	return out
}

func fromNumerals(x []uint16) string {
	var sb strings.Builder
	for _, d := range x {
		sb.WriteByte(alphabet36[d])
	}
	return sb.String()
}

type sample struct {
	name                  string
	radix                 int
	key, tweak            []byte
	plaintext, ciphertext string
}

func loadSamples(t *testing.T) []sample {
	f, err := os.Open("testdata/nist_sp800_38g_ff1_samples.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []sample
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		if s == "" || s[0] == '#' {
			continue
		}
		fs := strings.Fields(s)
		if len(fs) != 7 {
			t.Fatalf("line %d: %d fields, want 7", line, len(fs))
		}
		radix, err := strconv.Atoi(fs[2])
		if err != nil {
			t.Fatalf("line %d: radix: %v", line, err)
		}
		key, err := hex.DecodeString(fs[3])
		if err != nil || len(key)*8 != atoi(fs[1]) {
			t.Fatalf("line %d: key %q does not match %s bits (%v)", line, fs[3], fs[1], err)
		}
		var tweak []byte
		if fs[4] != "-" {
			if tweak, err = hex.DecodeString(fs[4]); err != nil {
				t.Fatalf("line %d: tweak: %v", line, err)
			}
		}
		out = append(out, sample{"Sample" + fs[0] + "/AES-" + fs[1], radix, key, tweak, fs[5], fs[6]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) != 9 {
		t.Fatalf("%d samples, want all 9 NIST FF1 samples", len(out))
	}
	return out
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

func TestNISTSamples(t *testing.T) {
	for _, s := range loadSamples(t) {
		t.Run(s.name, func(t *testing.T) {
			block, err := aes.NewCipher(s.key)
			if err != nil {
				t.Fatal(err)
			}
			c, err := New(block, s.radix)
			if err != nil {
				t.Fatal(err)
			}
			// AES's block: the direct round-block path where the CPU
			// has AES-NI.
			fastBlock, err := AES(s.key)
			if err != nil {
				t.Fatal(err)
			}
			fast, err := New(fastBlock, s.radix)
			if err != nil {
				t.Fatal(err)
			}
			pt := toNumerals(t, s.plaintext)
			for _, path := range []struct {
				name string
				f    func(dst, x []uint16, tweak []byte, enc bool) error
			}{{"uint64", c.crypt}, {"big", c.cryptBig}, {"AES", fast.crypt}} {
				got := make([]uint16, len(pt))
				if err := path.f(got, pt, s.tweak, true); err != nil {
					t.Fatalf("%s encrypt: %v", path.name, err)
				}
				if g := fromNumerals(got); g != s.ciphertext {
					t.Errorf("%s encrypt = %s, want %s", path.name, g, s.ciphertext)
				}
				back := make([]uint16, len(pt))
				if err := path.f(back, got, s.tweak, false); err != nil {
					t.Fatalf("%s decrypt: %v", path.name, err)
				}
				if b := fromNumerals(back); b != s.plaintext {
					t.Errorf("%s decrypt = %s, want %s", path.name, b, s.plaintext)
				}
			}
		})
	}
}

func TestErrors(t *testing.T) {
	block, _ := aes.NewCipher(make([]byte, 16))
	if _, err := New(block, 1); err == nil {
		t.Error("radix 1 accepted")
	}
	if _, err := New(block, 1<<16+1); err == nil {
		t.Error("radix 65537 accepted")
	}
	c, _ := New(block, 10)
	for _, tc := range []struct {
		name string
		x    []uint16
		want error
	}{
		{"no numeral", []uint16{}, ErrLength},
		{"one numeral", []uint16{1}, ErrLength},
		{"domain 10^1", []uint16{1}, ErrLength},
		{"numeral 10", []uint16{1, 10, 3}, ErrNumeral},
	} {
		if err := c.Encrypt(make([]uint16, len(tc.x)), tc.x, nil); err != tc.want {
			t.Errorf("%s: err %v, want %v", tc.name, err, tc.want)
		}
	}
	if err := c.Encrypt(make([]uint16, 3), []uint16{1, 2}, nil); err == nil {
		t.Error("dst of wrong length accepted")
	}
	c2, _ := New(block, 2)
	if err := c2.Encrypt(make([]uint16, 6), make([]uint16, 6), nil); err != ErrLength {
		t.Errorf("radix 2, 6 numerals (64 < 100): err %v", err)
	}
	if err := c2.Encrypt(make([]uint16, 7), make([]uint16, 7), nil); err != nil {
		t.Errorf("radix 2, 7 numerals: %v", err)
	}
}

// capEncrypt runs the reference implementation on numerals of radix ≤ 36.
func capEncrypt(t testing.TB, key, tweak []byte, radix int, x []uint16, enc bool) string {
	t.Helper()
	c, err := capff1.NewCipher(radix, len(tweak), key, tweak)
	if err != nil {
		t.Fatalf("capitalone NewCipher: %v", err)
	}
	var out string
	if enc {
		out, err = c.Encrypt(fromNumerals(x))
	} else {
		out, err = c.Decrypt(fromNumerals(x))
	}
	if err != nil {
		t.Fatalf("capitalone: %v", err)
	}
	return out
}

func randNumerals(r *rand.Rand, radix, n int) []uint16 {
	x := make([]uint16, n)
	for i := range x {
		x[i] = uint16(r.IntN(radix))
	}
	return x
}

// TestAgainstCapitalOne compares both paths with github.com/capitalone/fpe on
// random keys, tweaks, radices and lengths.
func TestAgainstCapitalOne(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		key := make([]byte, []int{16, 24, 32}[r.IntN(3)])
		for i := range key {
			key[i] = byte(r.Uint32())
		}
		tweak := make([]byte, r.IntN(40))
		for i := range tweak {
			tweak[i] = byte(r.Uint32())
		}
		radix := 2 + r.IntN(35)
		n := 2 + r.IntN(60)
		if !domainOK(uint64(radix), n) {
			continue
		}
		block, _ := aes.NewCipher(key)
		c, _ := New(block, radix)
		x := randNumerals(r, radix, n)
		got := make([]uint16, n)
		if err := c.Encrypt(got, x, tweak); err != nil {
			t.Fatal(err)
		}
		want := capEncrypt(t, key, tweak, radix, x, true)
		if fromNumerals(got) != want {
			t.Fatalf("radix %d n %d tweak %d bytes: got %s, capitalone %s", radix, n, len(tweak), fromNumerals(got), want)
		}
		back := make([]uint16, n)
		if err := c.Decrypt(back, got, tweak); err != nil || !slices.Equal(back, x) {
			t.Fatalf("radix %d n %d: decrypt %v err %v, want %v", radix, n, back, err, x)
		}
	}
}

// TestFastEqualsBig covers radices above 36 (which capitalone/fpe does not
// take) and SM4, comparing the uint64 path with the math/big one.
func TestFastEqualsBig(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	aesBlock, _ := aes.NewCipher(make([]byte, 32))
	sm4Block, _ := sm4.NewCipher(make([]byte, 16))
	for _, block := range []cipher.Block{aesBlock, sm4Block} {
		for range 300 {
			radix := 2 + r.IntN(1<<16-1)
			if r.IntN(2) == 0 {
				radix = 2 + r.IntN(100)
			}
			n := 2 + r.IntN(12)
			if !domainOK(uint64(radix), n) {
				continue
			}
			if _, ok := pow(uint64(radix), n-n/2); !ok {
				continue
			}
			tweak := make([]byte, r.IntN(30))
			for i := range tweak {
				tweak[i] = byte(r.Uint32())
			}
			c, _ := New(block, radix)
			x := randNumerals(r, radix, n)
			fast := make([]uint16, n)
			slow := make([]uint16, n)
			if err := c.crypt(fast, x, tweak, true); err != nil {
				t.Fatal(err)
			}
			if err := c.cryptBig(slow, x, tweak, true); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(fast, slow) {
				t.Fatalf("radix %d n %d: uint64 %v, big %v", radix, n, fast, slow)
			}
			if err := c.Decrypt(fast, fast, tweak); err != nil || !slices.Equal(fast, x) {
				t.Fatalf("radix %d n %d: in-place decrypt %v, want %v (%v)", radix, n, fast, x, err)
			}
		}
	}
}

func TestZeroAllocs(t *testing.T) {
	block, _ := aes.NewCipher(make([]byte, 32))
	fastBlock, _ := AES(make([]byte, 32))
	for _, b := range []cipher.Block{block, fastBlock} {
		c, _ := New(b, 10)
		x := make([]uint16, 18)
		tweak := []byte("cn_id_card-a-long-tweak-over-one-block")
		if a := testing.AllocsPerRun(100, func() {
			_ = c.Encrypt(x, x, tweak)
			_ = c.Decrypt(x, x, tweak)
		}); a != 0 {
			t.Errorf("%T: %v allocs per Encrypt+Decrypt, want 0", b, a)
		}
	}
}

// FuzzFF1 checks decrypt(encrypt(x)) = x, the uint64 path against math/big,
// and radix ≤ 36 against capitalone/fpe.
func FuzzFF1(f *testing.F) {
	f.Add([]byte("0123456789abcdef"), []byte{}, uint16(10), []byte("0123456789"))
	f.Add([]byte("k"), []byte("tweak"), uint16(36), []byte("0123456789abcdefghi"))
	f.Add([]byte("k2"), []byte("t"), uint16(1352), []byte{1, 2, 3, 4})
	f.Fuzz(func(t *testing.T, keySeed, tweak []byte, radix uint16, raw []byte) {
		if radix < 2 || len(raw) > 80 || len(tweak) > 64 {
			return
		}
		key := make([]byte, 32)
		copy(key, keySeed)
		x := make([]uint16, len(raw))
		for i, b := range raw {
			x[i] = uint16(b) % radix
		}
		if len(x) < 2 || !domainOK(uint64(radix), len(x)) {
			return
		}
		block, _ := aes.NewCipher(key)
		c, err := New(block, int(radix))
		if err != nil {
			t.Fatal(err)
		}
		ct := make([]uint16, len(x))
		if err := c.Encrypt(ct, x, tweak); err != nil {
			t.Fatal(err)
		}
		pt := make([]uint16, len(x))
		if err := c.Decrypt(pt, ct, tweak); err != nil || !slices.Equal(pt, x) {
			t.Fatalf("round trip: %v -> %v -> %v (%v)", x, ct, pt, err)
		}
		slow := make([]uint16, len(x))
		if err := c.cryptBig(slow, x, tweak, true); err != nil || !slices.Equal(slow, ct) {
			t.Fatalf("big path %v, fast %v (%v)", slow, ct, err)
		}
		if radix <= 36 {
			if want := capEncrypt(t, key, tweak, int(radix), x, true); fromNumerals(ct) != want {
				t.Fatalf("got %s, capitalone %s", fromNumerals(ct), want)
			}
		}
	})
}

var benchKey = []byte("0123456789abcdef0123456789abcdef")

func BenchmarkEncrypt(b *testing.B) {
	aes128, _ := aes.NewCipher(benchKey[:16])
	aes256, _ := aes.NewCipher(benchKey)
	sm4b, _ := sm4.NewCipher(benchKey[:16])
	fast256, _ := AES(benchKey)
	tweak := []byte("cn_id_card")
	for _, bc := range []struct {
		name  string
		block cipher.Block
		n     int
	}{
		{"AES128/radix10/n10", aes128, 10},
		{"AES128/radix10/n18", aes128, 18},
		{"AES256/radix10/n18", aes256, 18},
		{"AES256-direct/radix10/n18", fast256, 18},
		{"SM4/radix10/n18", sm4b, 18},
		{"AES256/radix10/n32", aes256, 32},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c, _ := New(bc.block, 10)
			x := make([]uint16, bc.n)
			for i := range x {
				x[i] = uint16(i % 10)
			}
			b.SetBytes(int64(bc.n))
			b.ReportAllocs()
			for b.Loop() {
				_ = c.Encrypt(x, x, tweak)
			}
		})
	}
	b.Run("AES128/radix10/n60-big", func(b *testing.B) {
		c, _ := New(aes128, 10)
		x := make([]uint16, 60)
		b.SetBytes(60)
		b.ReportAllocs()
		for b.Loop() {
			_ = c.Encrypt(x, x, tweak)
		}
	})
}

// BenchmarkCapitalOne is the reference for the same inputs (PERF.md:
// ~2,500 ns and 43 allocs for 18 digits).
func BenchmarkCapitalOne(b *testing.B) {
	for _, bc := range []struct {
		name string
		key  []byte
		n    int
	}{
		{"AES128/radix10/n10", benchKey[:16], 10},
		{"AES128/radix10/n18", benchKey[:16], 18},
		{"AES256/radix10/n18", benchKey, 18},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c, _ := capff1.NewCipher(10, 16, bc.key, []byte("cn_id_card"))
			x := strings.Repeat("0123456789", 4)[:bc.n]
			b.SetBytes(int64(bc.n))
			b.ReportAllocs()
			for b.Loop() {
				_, _ = c.Encrypt(x)
			}
		})
	}
}

// TestReuse: a Cipher reused across calls with repeated and changing
// tweaks and lengths (its P/tweak cache, its per-length shapes: lengths too
// short, within and past the shape table, past the uint64 path) agrees with
// a fresh one, errors included.
func TestReuse(t *testing.T) {
	block, _ := aes.NewCipher(make([]byte, 16))
	reused, _ := New(block, 10)
	r := rand.New(rand.NewPCG(7, 8))
	tweaks := [][]byte{nil, []byte("a"), []byte("b"), []byte("cn_id_card\x00long tweak spanning blocks")}
	// More tweaks than the prepared-state cache has slots, of every length
	// around its limit, so slots are evicted and collide.
	for i := range 300 {
		tweaks = append(tweaks, []byte(strings.Repeat("t", i%60)+strconv.Itoa(i)))
	}
	for range 20000 {
		n := 6 + r.IntN(3)
		if r.IntN(4) == 0 {
			n = r.IntN(46)
		}
		tw := tweaks[r.IntN(len(tweaks))]
		x := randNumerals(r, 10, n)
		fresh, _ := New(block, 10)
		a := make([]uint16, n)
		b := make([]uint16, n)
		err1, err2 := reused.Encrypt(a, x, tw), fresh.Encrypt(b, x, tw)
		if err1 != err2 {
			t.Fatalf("n %d: reused says %v, fresh %v", n, err1, err2)
		}
		if !slices.Equal(a, b) {
			t.Fatalf("n %d tweak %q: reused %v, fresh %v", n, tw, a, b)
		}
	}
}
