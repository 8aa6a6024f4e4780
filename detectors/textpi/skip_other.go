//go:build !amd64 || purego

package textpi

// skip is skipGo where there is no assembly kernel.
func (t *tables) skip(v []byte, i int, st uint32, stop int, sw *scanWord) (int, uint16) {
	return t.skipGo(v, i, st, stop, sw)
}

// skipFirst has no kernel to call here: skipFrom does it all.
func (t *tables) skipFirst(v []byte, i int, st uint32, stop int) (int, int) {
	return i, evSkip
}

// skipFrom is skip, for skipFirst's evSkip.
func (t *tables) skipFrom(v []byte, i int, st uint32, stop int, sw *scanWord, j, ev int) (int, uint16) {
	return t.skipGo(v, i, st, stop, sw)
}

const (
	evEnd = iota
	evSkip
)
