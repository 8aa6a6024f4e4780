//go:build !amd64 || purego

package sensitive

// sepsVector would find the separators of a long value with vector
// instructions; there are none in portable Go, where sepsOf's eight bytes
// a step cost more than the searches of the passes it would save (see
// Find), so long values get every separator bit.
var sepsVector func([]byte) sepSet

const haveCellAVX2 = false

// cellMasksAVX2 is never called (haveCellAVX2 is false): the portable
// build classifies with cellMasksGo.
func cellMasksAVX2(v []byte, buf *[128]byte, m *cellBits) { cellMasksGo(v, buf, m) }
