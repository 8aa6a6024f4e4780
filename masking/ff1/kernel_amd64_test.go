//go:build amd64 && !purego

package ff1

import "testing"

// needKernel skips a test that calls the assembly directly on a CPU it
// cannot run on (it would die of an illegal instruction); Batch and
// Cipher never call it there (haveAESNI).
func needKernel(t testing.TB) {
	t.Helper()
	if !haveAESNI {
		t.Skip("no AES-NI, SSE4.1 and AVX: the assembly cannot run here")
	}
}
