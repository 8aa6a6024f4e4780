// Package tables holds the code tables the structured detectors validate
// against: GB/T 2260 region codes, bank BINs, telephone area codes and mobile
// segments. The data is generated (tables_gen.go) from the files and sources
// named in ../gen/data/README.md; this file only looks things up.
//
// Every lookup is allocation-free and reads immutable package data.
package tables

//go:generate go run ../gen -data ../gen/data -out tables_gen.go

type bin struct {
	prefix  uint64 // up to 10 digits: more than uint32 holds
	plen    uint8
	cardLen uint8
}

// regionBits has bit c set for every region code c: an ID candidate's
// region costs one load instead of a binary search. Built once from
// regionCodes when the package loads (125 KB), read-only afterwards.
var regionBits = func() *[1000000/64 + 1]uint64 {
	var b [1000000/64 + 1]uint64
	for _, c := range regionCodes {
		b[c>>6] |= 1 << (c & 63)
	}
	return &b
}()

// Region reports whether code (the first six digits of an ID number) is a
// known GB/T 2260 county or prefecture code, current or retired.
func Region(code uint32) bool {
	return code < 1000000 && regionBits[code>>6]&(1<<(code&63)) != 0
}

// BIN reports whether the card number digits (all ASCII digits) start with a
// known issuer prefix whose cards have exactly len(digits) digits.
func BIN(digits []byte) bool {
	for _, pl := range binPrefixLens {
		if int(pl) > len(digits) {
			break
		}
		var v uint64
		for _, c := range digits[:pl] {
			v = v*10 + uint64(c-'0')
		}
		lo, hi := int(binFrom[pl]), int(binFrom[pl+1])
		end := hi
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if bins[m].prefix < v {
				lo = m + 1
			} else {
				hi = m
			}
		}
		for ; lo < end && bins[lo].prefix == v; lo++ {
			if int(bins[lo].cardLen) == len(digits) {
				return true
			}
		}
	}
	return false
}

// AreaCode reports whether n (the area code without its trunk 0: 10, 20..29,
// 310..999) is a mainland telephone area code.
func AreaCode(n int) bool {
	return n >= 10 && n < 1000 && areaBits[n>>6]&(1<<(n&63)) != 0
}

// MobileSegment reports whether the 11-digit number whose first four digits
// form p4 (1000..1999) is in an allocated mainland mobile segment.
func MobileSegment(p4 int) bool {
	if p4 < 1000 || p4 > 1999 {
		return false
	}
	p3 := p4 / 10
	return mobile3Bits[p3>>6]&(1<<(p3&63)) != 0 || mobile4Bits[p4>>6]&(1<<(p4&63)) != 0
}

// Province reports whether some known region code starts with the two-digit
// province code p (11 北京 ... 82 澳门).
func Province(p uint32) bool {
	lo, hi := 0, len(regionCodes)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if regionCodes[m] < p*10000 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(regionCodes) && regionCodes[lo]/10000 == p
}
