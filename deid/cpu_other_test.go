//go:build !linux

package deid

import "time"

func cpuTime() (self, servers time.Duration, ok bool) { return 0, 0, false }
