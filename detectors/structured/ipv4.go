package structured

import "github.com/piiscan/piiscan/detectors/pi"

// ipv4: exactly four dotted numbers 0-255 that are not part of a longer
// dotted run (1.2.3.4.5) or a version string (13.81.234.5678, v1.2.3.4,
// "版本 1.2.0.3").
var ipv4Spec = &spec{
	typ:      pi.IPv4,
	kind:     kIPv4,
	shapes:   shapeDotted,
	groups:   bits(4),
	columns:  []string{"ip", "ipv4", "ip地址", "ip_addr", "ipaddr", "ip_address", "client_ip", "remote_addr", "host_ip", "src_ip", "dst_ip"},
	keywords: []string{"ip", "地址", "addr", "host", "client", "from", "登录"},
	base:     0.9,
	boosted:  0.97,
}

var versionWords = []string{"版本", "version", "ver", "build"}

func ipv4Dotted(s *scan, c *chain) (hit, bool) {
	if c.n != 4 {
		return hit{}, false
	}
	for _, g := range c.g[:4] {
		if g.len() > 3 || num(s.v, g.s, g.e) > 255 {
			return hit{}, false
		}
	}
	start := c.g[0].s
	// product/version tokens of user agents: Chrome/120.0.0.0
	if start >= 2 && s.v[start-1] == '/' && cls[s.v[start-2]] >= clsUpper {
		return hit{}, false
	}
	// Only right before the number ("版本号：1.2.0.3", "version 1.2.3.4"):
	// a version string earlier in the sentence says nothing about this one.
	if versionKeywords.before(s.v, start, 15) {
		return hit{}, false
	}
	return hit{start: start, end: c.g[3].e}, true
}
