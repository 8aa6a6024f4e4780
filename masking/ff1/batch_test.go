package ff1

import (
	"crypto/aes"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestFeistelLanes holds feistelLanes (the amd64 assembly, or its
// portable twin under purego) to feistelLane over crypto/aes, each lane
// with its own key, for every key size, on moduli from 2 to 2^32 (powers
// of two among them, whose reciprocal is not exact) and halves at the
// edges of their range.
func TestFeistelLanes(t *testing.T) {
	needKernel(t)
	r := rand.New(rand.NewPCG(11, 12))
	for _, size := range []int{16, 24, 32} {
		for range 500 {
			var rk [BatchLanes]*[240]byte
			var st, want [BatchLanes]laneState
			for k := range BatchLanes {
				key := make([]byte, size)
				for i := range key {
					key[i] = byte(r.Uint32())
				}
				b, _ := AES(key)
				rk[k] = &b.(*aesBlock).rk
				radix := uint64([]int{2, 10, 36, 62, 1352, 1 << 16, 2 + r.IntN(1<<16-1)}[r.IntN(7)])
				vmax := 0 // the longest v with radix^v ≤ 2^32
				for p := radix; p <= 1<<32; p *= radix {
					vmax++
				}
				v := 1 + r.IntN(vmax)
				u := max(v-r.IntN(2), 1)
				mu, _ := pow(radix, u)
				mv, _ := pow(radix, v)
				pick := func(m uint64) uint64 {
					switch r.IntN(4) {
					case 0:
						return 0
					case 1:
						return m - 1
					}
					return r.Uint64N(m)
				}
				st[k] = laneState{hi: r.Uint64(), lo: r.Uint64(), mu: mu, mv: mv, ru: ^uint64(0) / mu, rv: ^uint64(0) / mv,
					shift: uint64(8 * ((bits.Len64(mv-1) + 7) / 8)), a: pick(mu), b: pick(mv)}
				ref, _ := aes.NewCipher(key)
				want[k] = st[k]
				feistelLane(&want[k], firstWord(ref))
			}
			feistelLanes(&rk, size/4+6, &st)
			if st != want {
				t.Fatalf("AES-%d: lanes %+v, want %+v", 8*size, st, want)
			}
		}
	}
}

// TestBatch holds a Batch's results to Encrypt and Decrypt: lanes of
// several Ciphers (radixes, key sizes refused beside the first lane's),
// lengths, tweaks and both directions, every lane found by Lookup, and
// nothing found for what no lane computed.
func TestBatch(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	keys := [][]byte{make([]byte, 32), make([]byte, 32), make([]byte, 16)}
	for _, k := range keys {
		for i := range k {
			k[i] = byte(r.Uint32())
		}
	}
	var ciphers []*Cipher
	for _, k := range keys {
		b, _ := AES(k)
		for _, radix := range []int{10, 36, 62, 1352, 2, 1 << 16} {
			c, _ := New(b, radix)
			ciphers = append(ciphers, c)
		}
	}
	var b Batch
	lanes := 0
	for range 5000 {
		b.Reset()
		type job struct {
			c     *Cipher
			x     []uint16
			tweak []byte
			enc   bool
			added bool
		}
		var jobs []job
		for range 1 + r.IntN(6) {
			c := ciphers[r.IntN(len(ciphers))]
			n := 2 + r.IntN(40)
			if r.IntN(2) == 0 {
				n = 2 + r.IntN(18)
			}
			x := randNumerals(r, c.Radix(), n)
			tweak := make([]byte, r.IntN(56))
			for i := range tweak {
				tweak[i] = byte(r.IntN(3)) // tweaks that repeat: the prepare cache's hits
			}
			enc := r.IntN(2) == 0
			jobs = append(jobs, job{c: c, x: x, tweak: tweak, enc: enc, added: b.Add(c, x, tweak, enc)})
		}
		b.Run()
		for _, j := range jobs {
			want := make([]uint16, len(j.x))
			var err error
			if j.enc {
				err = j.c.Encrypt(want, j.x, j.tweak)
			} else {
				err = j.c.Decrypt(want, j.x, j.tweak)
			}
			got := make([]uint16, len(j.x))
			found := b.Lookup(j.c, got, j.x, j.tweak, j.enc)
			if found != j.added {
				t.Fatalf("radix %d n %d: added %v, found %v", j.c.Radix(), len(j.x), j.added, found)
			}
			if !found {
				continue
			}
			lanes++
			if err != nil || !slices.Equal(got, want) {
				t.Fatalf("radix %d n %d enc %v: lane %v, Encrypt/Decrypt %v (%v)", j.c.Radix(), len(j.x), j.enc, got, want, err)
			}
			if b.Lookup(j.c, got, j.x, j.tweak, false) {
				// An unmask path would read an encryption as x's decryption.
				t.Fatalf("radix %d n %d: a decryption found an encryption's lane", j.c.Radix(), len(j.x))
			}
			if len(j.tweak) > 0 && b.Lookup(j.c, got, j.x, j.tweak[1:], j.enc) {
				t.Fatalf("radix %d n %d: found with another tweak", j.c.Radix(), len(j.x))
			}
		}
	}
	if fastAES(&aesBlock{}) != nil && lanes < 2000 {
		t.Fatalf("only %d lanes run", lanes)
	}
}

// TestBatchOrder: Lookup finds nothing between Add and Run (a lane's
// result is still the last batch's then), Add takes nothing after Run
// until Reset, and a second Run leaves the results as they are (it would
// encrypt them again).
func TestBatchOrder(t *testing.T) {
	block, _ := AES(benchKey)
	c, _ := New(block, 10)
	tweak := []byte("cn_mobile\x00")
	x1 := []uint16{1, 2, 3, 4, 5, 6, 7, 8}
	x2 := []uint16{8, 7, 6, 5, 4, 3, 2, 1}
	var b Batch
	if !b.Add(c, x1, tweak, true) {
		t.Skip("no Batch lanes here (no AES-NI, or purego)")
	}
	b.Run()
	b.Reset()
	b.Add(c, x2, tweak, true)
	got := make([]uint16, len(x2))
	if b.Lookup(c, got, x2, tweak, true) {
		t.Fatalf("found %v before Run", got)
	}
	b.Run()
	if b.Add(c, x1, tweak, true) {
		t.Fatal("Add took a lane after Run")
	}
	b.Run()
	want := make([]uint16, len(x2))
	_ = c.Encrypt(want, x2, tweak)
	if !b.Lookup(c, got, x2, tweak, true) || !slices.Equal(got, want) {
		t.Fatalf("after Run twice: %v, want %v", got, want)
	}
}

// BenchmarkBatch is four 12-digit strings (a card's middle digits) per op,
// one at a time with Encrypt and as one Batch.
func BenchmarkBatch(b *testing.B) {
	block, _ := AES(benchKey)
	c, _ := New(block, 10)
	tweak := []byte("bank_card\x00")
	var xs [BatchLanes][]uint16
	for k := range xs {
		xs[k] = make([]uint16, 12)
		for i := range xs[k] {
			xs[k][i] = uint16((i + k) % 10)
		}
	}
	b.Run("Encrypt", func(b *testing.B) {
		b.SetBytes(BatchLanes * 12)
		b.ReportAllocs()
		for b.Loop() {
			for k := range xs {
				_ = c.Encrypt(xs[k], xs[k], tweak)
			}
		}
	})
	b.Run("Batch", func(b *testing.B) {
		var bt Batch
		b.SetBytes(BatchLanes * 12)
		b.ReportAllocs()
		for b.Loop() {
			bt.Reset()
			for k := range xs {
				bt.Add(c, xs[k], tweak, true)
			}
			bt.Run()
			for k := range xs {
				bt.Lookup(c, xs[k], xs[k], tweak, true)
			}
		}
	})
}
