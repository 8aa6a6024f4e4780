//go:build !amd64 || purego

package ac

// skipWords32 is the word kernel's portable twin; skipWords does not call
// it (haveWords32 is false): in Go it is skipWords' own loop.
func skipWords32(v []byte, i int, prev uint64, tri *[triBits / 64]uint64) int {
	return skipWords32Go(v, i, prev, tri)
}

const haveWords32 = false
