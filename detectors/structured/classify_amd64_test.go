//go:build amd64 && !purego

package structured

// classifiers are the variants classify64 chooses from on this CPU.
var classifiers = func() []struct {
	name string
	f    func(*[64]byte) (uint64, uint64)
} {
	cs := []struct {
		name string
		f    func(*[64]byte) (uint64, uint64)
	}{{"classify64SSE2", classify64SSE2}}
	if haveAVX2 {
		cs = append(cs, struct {
			name string
			f    func(*[64]byte) (uint64, uint64)
		}{"classify64AVX2", classify64AVX2})
	}
	return cs
}()
