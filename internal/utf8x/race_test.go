//go:build race

package utf8x

// raceEnabled: the race detector slows the byte loops tenfold; the
// exhaustive test then places its sequences at fewer offsets.
const raceEnabled = true
