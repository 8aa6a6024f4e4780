//go:build !amd64 || purego

package textpi

// skip is skipGo where there is no assembly kernel.
func (t *tables) skip(v []byte, i int, st uint32, stop int, sw *scanWord) (int, uint16) {
	return t.skipGo(v, i, st, stop, sw)
}
