//go:build amd64 && !purego

package structured

// classifiers are the variants classify64 chooses from on this CPU.
var classifiers = func() []classifier {
	cs := []classifier{{"classify64SSE2", classify64SSE2}}
	if haveAVX2 {
		cs = append(cs, classifier{"classify64AVX2", classify64AVX2})
	}
	return cs
}()
