//go:build !race

package utf8x

const raceEnabled = false
