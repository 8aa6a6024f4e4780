//go:build unix

package textpi

import (
	"syscall"
	"time"
)

// cpuTime is the user plus system CPU time the process has used so far: on
// a shared machine it varies less than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
