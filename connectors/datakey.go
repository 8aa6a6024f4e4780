package connectors

import (
	"sync"

	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/detectors/textpi"
	"github.com/piiscan/piiscan/internal/utf8x"
)

// Names of fields are printed raw in findings and reports, so a CSV header
// cell or a JSON object key that is itself PI must not become one. Digit runs
// and e-mail addresses are recognised by their bytes (headerIsData, dataKey);
// a Chinese personal name or address needs the name and address detector.

// personDetector is built on first use: most inputs never hold a non-ASCII
// header cell or key.
var personDetector = sync.OnceValue(textpi.New)

// maxPersonKey bounds the names checked: an address as a key is still
// short; a longer key is a sentence, and not worth a detector pass per key.
const maxPersonKey = 96

// personData reports whether s, a header cell or an object key, is in whole a
// Chinese personal name or a mainland address (张伟, 欧阳娜娜,
// 北京市朝阳区建国路88号) as the name and address detector reads a value
// without context, rather than a field name (姓名, 联系人, 收件人地址).
func personData(s []byte) bool {
	if !mayBePerson(s) {
		return false
	}
	var buf [4]pi.Match
	for _, m := range personDetector().Find(s, &pi.Field{}, buf[:0]) {
		if (m.Type == pi.Name || m.Type == pi.Address) && m.Start == 0 && m.End == len(s) {
			return true
		}
	}
	return false
}

// mayBePerson is personData's cheap test: two Chinese characters at least,
// a key-sized length, a byte ≥ 0x80.
func mayBePerson(s []byte) bool {
	return len(s) >= 6 && len(s) <= maxPersonKey && utf8x.ASCIIPrefix(s) < len(s)
}

// personKeys remembers personData per distinct key of one reader: JSON lines
// repeat the same few keys in every record. Data keys are unbounded, so the
// cache stops growing at maxPersonKeys and later keys are checked each time.
type personKeys map[string]bool

const maxPersonKeys = 4096

func (c *personKeys) is(k []byte) bool {
	if !mayBePerson(k) {
		return false // not worth a map lookup either
	}
	if v, ok := (*c)[string(k)]; ok {
		return v
	}
	v := personData(k)
	if *c == nil {
		*c = personKeys{}
	}
	if len(*c) < maxPersonKeys {
		(*c)[string(k)] = v
	}
	return v
}
