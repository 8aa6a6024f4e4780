package masking

import (
	"net/netip"
	"time"
	"unicode/utf8"

	"github.com/piiscan/piiscan/detectors/pi"
)

// Generalize replaces a value by a coarser one of the same kind:
//
//	birth_date  the year (1990), or with AgeBand > 0 the age band on AsOf
//	            (30-39)
//	cn_address  the province and city (广东省深圳市)
//	ipv4        the network of IPv4Prefix bits (default 24): 192.168.1.0/24
//	ipv6        the network of IPv6Prefix bits (default 48): 2001:db8:1::/48
//
// Other types, and values that do not parse, give ErrUnsupported.
type Generalize struct {
	AgeBand    int       // years per band; 0 writes the year
	AsOf       time.Time // the day ages are computed on (the policy's as_of, or when it was compiled)
	IPv4Prefix int
	IPv6Prefix int
}

func (g Generalize) Apply(dst []byte, t pi.TypeID, v []byte) ([]byte, error) {
	switch t {
	case pi.BirthDate:
		c, _, ok := parseDate(v)
		if !ok {
			return dst, unsupported("generalize", t)
		}
		if g.AgeBand <= 0 {
			return appendPad(dst, c.y, 4), nil
		}
		y, m, d := g.AsOf.Date()
		age := y - c.y
		if int(m) < c.m || int(m) == c.m && d < c.d {
			age--
		}
		if age < 0 {
			return dst, unsupported("generalize", t)
		}
		lo := age / g.AgeBand * g.AgeBand
		dst = appendPad(dst, lo, 1)
		dst = append(dst, '-')
		return appendPad(dst, lo+g.AgeBand-1, 1), nil
	case pi.Address:
		return appendValid(dst, v[:runeOffset(v, addressKeep(v))]), nil
	case pi.IPv4, pi.IPv6:
		if q, ok := parseIPv4(v); ok { // the common case, without netip's allocation
			return appendIPv4Prefix(dst, q, cmpOr(g.IPv4Prefix, 24)), nil
		}
		a, err := netip.ParseAddr(string(v))
		if err != nil {
			return dst, unsupported("generalize", t)
		}
		bits := g.IPv6Prefix
		if a.Is4() || a.Is4In6() {
			a = a.Unmap()
			bits = g.IPv4Prefix
		}
		if bits <= 0 {
			bits = 48
			if a.Is4() {
				bits = 24
			}
		}
		p, err := a.WithZone("").Prefix(bits)
		if err != nil {
			return dst, unsupported("generalize", t)
		}
		return p.AppendTo(dst), nil
	}
	return dst, unsupported("generalize", t)
}

// runeOffset is the byte offset of rune n in v.
func runeOffset(v []byte, n int) int {
	i := 0
	for k := 0; k < n && i < len(v); k++ {
		_, size := utf8.DecodeRune(v[i:])
		i += size
	}
	return i
}

// parseIPv4 reads a dotted quad with no leading zeros (as netip does).
func parseIPv4(v []byte) ([4]byte, bool) {
	var q [4]byte
	k, n, digitsSeen := 0, 0, 0
	for i := 0; i <= len(v); i++ {
		if i == len(v) || v[i] == '.' {
			if digitsSeen == 0 || k == 4 {
				return q, false
			}
			q[k] = byte(n)
			k, n, digitsSeen = k+1, 0, 0
			continue
		}
		if !isDigit(v[i]) || digitsSeen > 0 && n == 0 {
			return q, false
		}
		n = n*10 + int(v[i]-'0')
		digitsSeen++
		if n > 255 {
			return q, false
		}
	}
	return q, k == 4
}

func appendIPv4Prefix(dst []byte, q [4]byte, bits int) []byte {
	x := uint32(q[0])<<24 | uint32(q[1])<<16 | uint32(q[2])<<8 | uint32(q[3])
	if bits < 32 {
		x &^= 1<<(32-bits) - 1
	}
	for i := 3; i >= 0; i-- {
		dst = appendPad(dst, int(x>>(8*i)&0xff), 1)
		if i > 0 {
			dst = append(dst, '.')
		}
	}
	dst = append(dst, '/')
	return appendPad(dst, bits, 1)
}
