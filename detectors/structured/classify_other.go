//go:build !amd64 || purego

package structured

func classify64(p *[64]byte) (digit, letter uint64) { return classifyWords(p) }
