//go:build !amd64 || purego

package ff1

import "testing"

// needKernel: the portable twins run anywhere.
func needKernel(testing.TB) {}
