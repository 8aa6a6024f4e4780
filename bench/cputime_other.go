//go:build !unix

package bench

import "time"

// cpuTime is unknown here; results then show no CPU-time rate.
func cpuTime() time.Duration { return 0 }
