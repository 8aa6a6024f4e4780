//go:build unix

package postgres

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time this process has used: on a machine shared with
// other work, a scan's CPU cost varies far less than its wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
