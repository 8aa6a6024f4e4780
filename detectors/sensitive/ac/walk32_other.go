//go:build !amd64 || purego

package ac

// walk32 is the block walk's portable twin; skipTokens does not call it
// (haveWalk32 is false): in Go, walk's own loop is as fast.
func walk32(v []byte, i int, prev uint64, t *skipTables) (next, stop int) {
	return walk32Go(v, i, prev, t)
}

const haveWalk32 = false
