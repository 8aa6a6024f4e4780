//go:build !amd64 || purego

package utf8x

// vector would check whole blocks of p with vector instructions; there are
// none in portable Go, and Valid uses validSWAR.
var vector func([]byte) int
