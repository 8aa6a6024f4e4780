package ff1

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"math/big"
	"math/bits"
	"math/rand/v2"
	"testing"
)

// barrettMod is feistelLanes' y mod m (FINISH): q = ⌊y·r/2^64⌋ with r =
// ⌊(2^64-1)/m⌋ is ⌊y/m⌋ or one less (y·r/2^64 > y/m - 1 as y < 2^64),
// so one conditional subtraction of m ends the reduction. It also
// reports whether that subtraction was needed.
func barrettMod(y, m, r uint64) (uint64, bool) {
	q, _ := bits.Mul64(y, r)
	rem := y - q*m
	if rem >= m {
		return rem - m, true
	}
	return rem, false
}

// laneModuli is every modulus a Batch lane reduces by: radix^j ≤ 2^32
// (Add takes halves of at most four bytes) for every radix from 2 to
// 2^16, or, with short, for those up to 11000, which hold the radixes the
// fpe tokenisers use (10, 36, 62, 1352, the ID card region radixes, 2382
// to 9951 for today's table), and the top ones; 2^32 = 65536², the
// largest, is in both.
func laneModuli(short bool) []uint64 {
	var ms []uint64
	for radix := uint64(2); radix <= 1<<16; radix++ {
		if short && radix > 11000 && radix < 1<<16-64 {
			continue
		}
		for p := radix; p <= 1<<32; p *= radix {
			ms = append(ms, p)
		}
	}
	return ms
}

// edgeYs are the y values the reduction of y mod m is tried on: both ends
// of the range, the multiples of m there and their neighbours (where the
// quotient estimate is one short, or exact), 2^63's, and random ones.
func edgeYs(r *rand.Rand, m uint64) []uint64 {
	top := ^uint64(0) / m * m // the largest multiple of m
	ys := []uint64{0, 1, m - 1, m, m + 1, 2*m - 1, 2 * m,
		top - m - 1, top - m, top - 1, top, top + 1, ^uint64(0), ^uint64(0) - 1,
		1<<63 - 1, 1 << 63, 1<<63 + 1, r.Uint64(), r.Uint64()}
	k := r.Uint64N(^uint64(0) / m)
	return append(ys, k*m, k*m+m-1, k*m-1)
}

// TestBarrettExact holds the reduction feistelLanes does (barrettMod) to
// math/big on every modulus a lane takes and on the edge values of y, and
// checks that the correction step is both needed and not needed.
func TestBarrettExact(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	var corrected, exact int
	var by, bm, want big.Int
	for _, m := range laneModuli(testing.Short()) {
		rec := ^uint64(0) / m
		for _, y := range edgeYs(r, m) {
			got, c := barrettMod(y, m, rec)
			if c {
				corrected++
			} else {
				exact++
			}
			want.Mod(by.SetUint64(y), bm.SetUint64(m))
			if got != want.Uint64() {
				t.Fatalf("%d mod %d: Barrett %d, math/big %d", y, m, got, want.Uint64())
			}
		}
	}
	if corrected == 0 || exact == 0 {
		t.Fatalf("correction taken %d times, not taken %d: the edges miss a case", corrected, exact)
	}
}

// TestFeistelLanesBarrett drives each lane's first-round y (the first word
// of the encryption of its round block) to the edge values of every
// modulus a lane takes: the lane's base block is the AES decryption of a
// block starting with y, so the assembly's reduction of exactly that y
// decides the lane's ten rounds, which are held to feistelLane's (y mod m
// by division) over crypto/aes. Both moduli of a lane are in play: mu is
// the one under test, mv the next power of the radix where that fits.
func TestFeistelLanesBarrett(t *testing.T) {
	needKernel(t)
	r := rand.New(rand.NewPCG(33, 34))
	var refs [3]cipher.Block
	var rks [3]*[240]byte
	for i, size := range []int{16, 24, 32} {
		key := make([]byte, size)
		for k := range key {
			key[k] = byte(r.Uint32())
		}
		refs[i], _ = aes.NewCipher(key)
		b, _ := AES(key)
		rks[i] = &b.(*aesBlock).rk
	}
	// Lane values queue up until four are there, all with one key.
	var queue []laneState
	var mods []uint64
	kidx := 0
	flush := func() {
		ref := refs[kidx]
		var rk [BatchLanes]*[240]byte
		var st, want [BatchLanes]laneState
		for k := range BatchLanes {
			rk[k] = rks[kidx]
			st[k] = queue[k%len(queue)]
			want[k] = st[k]
			feistelLane(&want[k], firstWord(ref))
		}
		feistelLanes(&rk, kidx*2+10, &st)
		for k := range len(queue) {
			if st[k] != want[k] {
				t.Fatalf("AES-%d lane %d mod %d: %+v, want %+v", 128+64*kidx, k, mods[k], st[k], want[k])
			}
		}
		queue, mods = queue[:0], mods[:0]
		kidx = (kidx + 1) % len(refs)
	}
	ms := laneModuli(testing.Short())
	for i, m := range ms {
		mv := m
		if i+1 < len(ms) && ms[i+1]%m == 0 { // the next power of the same radix
			mv = ms[i+1]
		}
		for _, y := range edgeYs(r, m) {
			a := []uint64{0, m - 1, r.Uint64N(m)}[r.IntN(3)]
			b := []uint64{0, mv - 1, r.Uint64N(mv)}[r.IntN(3)]
			var blk [blockSize]byte
			binary.BigEndian.PutUint64(blk[:8], y)
			binary.BigEndian.PutUint64(blk[8:], r.Uint64())
			refs[kidx].Decrypt(blk[:], blk[:])
			// Round 0's block is (hi, lo ^ B ^ 0<<shift).
			queue = append(queue, laneState{hi: binary.BigEndian.Uint64(blk[:8]), lo: binary.BigEndian.Uint64(blk[8:]) ^ b,
				mu: m, mv: mv, ru: ^uint64(0) / m, rv: ^uint64(0) / mv,
				shift: uint64(8 * ((bits.Len64(mv-1) + 7) / 8)), a: a, b: b})
			mods = append(mods, m)
			if len(queue) == BatchLanes {
				flush()
			}
		}
	}
	if len(queue) > 0 {
		flush()
	}
}
