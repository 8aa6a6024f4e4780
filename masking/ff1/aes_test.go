package ff1

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestAESBlock checks the key schedule and encrypt (the amd64 assembly, or
// its portable twin under purego) against crypto/aes for every key size.
func TestAESBlock(t *testing.T) {
	needKernel(t)
	r := rand.New(rand.NewPCG(5, 6))
	for _, size := range []int{16, 24, 32} {
		for range 50 {
			key := make([]byte, size)
			for i := range key {
				key[i] = byte(r.Uint32())
			}
			ref, _ := aes.NewCipher(key)
			b, err := AES(key)
			if err != nil {
				t.Fatal(err)
			}
			a := b.(*aesBlock)
			for range 40 {
				var in, want [16]byte
				hi, lo := r.Uint64(), r.Uint64()
				binary.BigEndian.PutUint64(in[:8], hi)
				binary.BigEndian.PutUint64(in[8:], lo)
				ref.Encrypt(want[:], in[:])
				ghi, glo := a.encrypt(hi, lo)
				if ghi != binary.BigEndian.Uint64(want[:8]) || glo != binary.BigEndian.Uint64(want[8:]) {
					t.Fatalf("AES-%d: encrypt(%x) = %016x%016x, crypto/aes %x", 8*size, in, ghi, glo, want)
				}
			}
		}
	}
	if _, err := AES(make([]byte, 20)); err == nil {
		t.Error("AES accepted a 20-byte key")
	}
}

// plainBlock hides an AES block's type from New, which then takes the
// cipher.Block path.
type plainBlock struct{ cipher.Block }

// TestAESFastPath checks FF1 over AES (the direct round-block path where
// the CPU has it) against FF1 over the same key through the cipher.Block
// interface, in every radix and length the uint64 path takes, both ways.
func TestAESFastPath(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, size := range []int{16, 32} {
		key := make([]byte, size)
		for i := range key {
			key[i] = byte(r.Uint32())
		}
		b, _ := AES(key)
		ref, _ := aes.NewCipher(key)
		for range 400 {
			radix := []int{10, 36, 62, 1352, 2 + r.IntN(1<<16-1)}[r.IntN(5)]
			n := 2 + r.IntN(38)
			if !domainOK(uint64(radix), n) {
				continue
			}
			if _, ok := pow(uint64(radix), n-n/2); !ok {
				continue
			}
			tweak := make([]byte, r.IntN(40))
			for i := range tweak {
				tweak[i] = byte(r.Uint32())
			}
			fast, _ := New(b, radix)
			slow, _ := New(plainBlock{ref}, radix)
			if slow.aes != nil {
				t.Fatal("New took a wrapped block for AES")
			}
			x := randNumerals(r, radix, n)
			got := make([]uint16, n)
			want := make([]uint16, n)
			if err := fast.Encrypt(got, x, tweak); err != nil {
				t.Fatal(err)
			}
			if err := slow.Encrypt(want, x, tweak); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("radix %d n %d: AES %v, cipher.Block %v", radix, n, got, want)
			}
			if err := fast.Decrypt(got, got, tweak); err != nil || !slices.Equal(got, x) {
				t.Fatalf("radix %d n %d: decrypt %v, want %v (%v)", radix, n, got, x, err)
			}
			if err := fast.Decrypt(got, x, tweak); err != nil {
				t.Fatal(err)
			}
			if err := slow.Decrypt(want, x, tweak); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("radix %d n %d: AES decrypt %v, cipher.Block %v", radix, n, got, want)
			}
		}
	}
}
