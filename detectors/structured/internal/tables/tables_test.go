package tables

import "testing"

func TestLookups(t *testing.T) {
	for _, c := range []struct {
		name string
		got  bool
		want bool
	}{
		{"region 110105 朝阳区", Region(110105), true},
		{"retired region 110103 崇文区", Region(110103), true},
		{"region 440305 南山区", Region(440305), true},
		{"region 990105", Region(990105), false},
		{"region 110199", Region(110199), false},
		{"province 11", Province(11), true},
		{"province 99", Province(99), false},
		{"BIN 622202 19 digits", BIN([]byte("6222021234567890128")), true},
		{"BIN 622202 16 digits", BIN([]byte("6222021234567890")), false},
		{"BIN 622588 16 digits", BIN([]byte("6225881234567898")), true},
		{"10-digit BIN 6223093310 (above uint32)", BIN([]byte("6223093310123456789")), true},
		{"no BIN 111111", BIN([]byte("1111111234567890")), false},
		{"area 010", AreaCode(10), true},
		{"area 0755", AreaCode(755), true},
		{"area 0400", AreaCode(400), false},
		{"mobile 138", MobileSegment(1381), true},
		{"mobile 199", MobileSegment(1991), true},
		{"mobile 154", MobileSegment(1541), false},
		{"mobile 120", MobileSegment(1201), false},
		{"mobile 1349", MobileSegment(1349), true},
		{"mobile 150 (extra)", MobileSegment(1501), true},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %v", c.name, c.got)
		}
	}
}

// Ten-digit prefixes exceed uint32: they must survive generation intact.
func TestTenDigitBINs(t *testing.T) {
	found := false
	for i := binFrom[10]; i < binFrom[11]; i++ {
		if bins[i].prefix == 6223093310 && bins[i].cardLen == 19 {
			found = true
		}
	}
	if !found {
		t.Fatal("10-digit BIN 6223093310 lost")
	}
	for l := 1; l < len(binFrom); l++ {
		for i := binFrom[l-1]; i < binFrom[l]; i++ {
			if int(bins[i].plen) != l-1 {
				t.Fatalf("bins[%d] has prefix length %d, binFrom says %d", i, bins[i].plen, l-1)
			}
		}
	}
}

// The bitmap and the sorted list agree.
func TestRegionBits(t *testing.T) {
	n := 0
	for c := uint32(0); c < 1000000; c++ {
		if Region(c) {
			n++
		}
	}
	if n != len(regionCodes) {
		t.Fatalf("%d codes in the bitmap, %d in the list", n, len(regionCodes))
	}
	if Region(1 << 30) {
		t.Fatal("out-of-range code accepted")
	}
}
