package textpi_test

import (
	"testing"

	"github.com/piiscan/piiscan/detectors"
	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/detectors/textpi"
)

var (
	_ detectors.Detector = (*textpi.Detector)(nil)
	_ detectors.Hinter   = (*textpi.Detector)(nil)
)

// TestThroughSet runs the detector the way the engine does: through the
// registry, with column hints from Set.Field.
func TestThroughSet(t *testing.T) {
	set, err := detectors.NewSet(detectors.Options{Types: []pi.TypeID{pi.Name, pi.Address}})
	if err != nil {
		t.Fatal(err)
	}
	f := set.Field("customers", "收货地址", "")
	v := []byte("北京市东城区王府井大街1号")
	ms := set.Scan(v, f, nil)
	if len(ms) != 1 || ms[0].Type != pi.Address || ms[0].Start != 0 || ms[0].End != len(v) {
		t.Fatalf("Scan = %+v", ms)
	}
	f = set.Field("customers", "real_name", "")
	ms = set.Scan([]byte("上官婉儿"), f, nil)
	if len(ms) != 1 || ms[0].Type != pi.Name || ms[0].Confidence < 0.9 {
		t.Fatalf("Scan = %+v", ms)
	}
}
