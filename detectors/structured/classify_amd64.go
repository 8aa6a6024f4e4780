//go:build amd64 && !purego

package structured

// classify64 returns the ASCII digits and letters of p as bit masks: bit k
// for p[k]. SSE2 (every amd64 CPU has it); classifyWords is the same in
// portable Go.
//
//go:noescape
func classify64(p *[64]byte) (digit, letter uint64)
