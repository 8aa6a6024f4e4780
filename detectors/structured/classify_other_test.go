//go:build !amd64 || purego

package structured

var classifiers []struct {
	name string
	f    func(*[64]byte) (uint64, uint64)
}
