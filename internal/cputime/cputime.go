// Package cputime reads the CPU time the process has used. Benchmarks on a
// shared, loaded machine report throughput per CPU second beside wall-clock
// MB/s, which other processes' load distorts.
package cputime

import "time"

// Process is the user plus system CPU time the process has used so far, or
// 0 where the platform does not say.
func Process() time.Duration { return process() }
