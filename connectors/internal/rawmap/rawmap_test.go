package rawmap

import (
	"fmt"
	"testing"
)

func TestBuilder(t *testing.T) {
	b := New(false)
	b.Begin()
	b.Lit([]byte("ab"))
	b.Esc([]byte{'\n'}, 2) // \n
	b.Esc([]byte{'"'}, 2)  // \" right after: one merged breakpoint
	b.Lit([]byte("cd"))
	v, m := b.End()
	if string(v) != "ab\n\"cd" || fmt.Sprint(m) != "[{2 2} {3 4} {4 6} {6 8}]" {
		t.Fatalf("value %q map %v", v, m)
	}
	for dec, raw := range map[int]int64{0: 0, 2: 2, 3: 4, 4: 6, 5: 7, 6: 8} {
		if got := m.Raw(dec); got != raw {
			t.Errorf("Raw(%d) = %d, want %d", dec, got, raw)
		}
	}
	// a plain value is the raw slice itself
	raw := []byte("plain")
	if v, m := b.Plain(raw); &v[0] != &raw[0] || m != nil {
		t.Error("Plain copied an unchanged value")
	}
	// earlier values survive later appends until Reset
	b.Begin()
	b.Lit([]byte("x"))
	b.Esc([]byte("y"), 3)
	v2, _ := b.End()
	if string(v) != "ab\n\"cd" || string(v2) != "xy" {
		t.Errorf("values %q %q", v, v2)
	}
}

func TestGB18030(t *testing.T) {
	b := New(true)
	// "a张三b" + a 4-byte character (U+20AC is 0xA2E3; U+00B8 ¸ is 0x81 0x30 0x86 0x30)
	raw := []byte("a\xd5\xc5\xc8\xfdb\x81\x30\x86\x30")
	v, m := b.Plain(raw)
	if string(v) != "a张三b¸" {
		t.Fatalf("value %q", v)
	}
	// every character start maps to its raw start
	for dec, r := range map[int]int64{0: 0, 1: 1, 4: 3, 7: 5, 8: 6, 10: 10} {
		if got := m.Raw(dec); got != r {
			t.Errorf("Raw(%d) = %d, want %d (map %v)", dec, got, r, m)
		}
	}
	if b.Bad {
		t.Error("valid input flagged bad")
	}
	b.Plain([]byte("\xff"))
	if !b.Bad {
		t.Error("0xFF not flagged")
	}
}

func TestValidGB(t *testing.T) {
	for _, tc := range []struct {
		in    string
		n     int
		short bool
	}{
		{"abc", 3, false},
		{"\xd5\xc5", 2, false},
		{"a\xd5", 1, true},
		{"a\x81\x30", 1, true},
		{"a\x81\x30\x86", 1, true},
		{"a\xff", 1, false},
		{"a\xd5\x20", 1, false},
	} {
		n, short := ValidGB([]byte(tc.in))
		if n != tc.n || short != tc.short {
			t.Errorf("ValidGB(%q) = %d %v, want %d %v", tc.in, n, short, tc.n, tc.short)
		}
	}
}

// FuzzGBRun: decoding a run at once gives the same value, map and Bad flag
// as decoding it character by character.
func FuzzGBRun(f *testing.F) {
	f.Add([]byte("a\xd5\xc5\xc8\xfdb\x81\x30\x86\x30\xff\x80\xfe\x39\xfe\x39x\x97\x5c"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		fast, slow := New(true), New(true)
		slow.slow = true
		v1, m1 := fast.Plain(raw)
		v2, m2 := slow.Plain(raw)
		if string(v1) != string(v2) || fmt.Sprint(m1) != fmt.Sprint(m2) || fast.Bad != slow.Bad {
			t.Fatalf("%q: fast %q %v %v, slow %q %v %v", raw, v1, m1, fast.Bad, v2, m2, slow.Bad)
		}
	})
}
