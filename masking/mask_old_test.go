package masking

import "unicode/utf8"

// The masking functions as they were before their ASCII fast paths: the
// differential tests in mask_fast_test.go hold the fast ones to them, byte
// for byte.

func maskAlnumOld(dst, v []byte, skip, head, tail int, c rune) []byte {
	n := 0
	for i := 0; i < len(v); {
		if v[i] < utf8.RuneSelf {
			if isAlnum(v[i]) {
				n++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(v[i:])
		if isFullWidthAlnum(r) {
			n++
		}
		i += size
	}
	n -= skip
	if head+tail >= n {
		head, tail = n/4, 0
	}
	k := -skip
	for i := 0; i < len(v); {
		size := 1
		sig := isAlnum(v[i])
		r := rune(v[i])
		if v[i] >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(v[i:])
			sig = isFullWidthAlnum(r)
		}
		switch {
		case !sig:
			dst = appendRuneOrByte(dst, r, v[i:i+size])
		case k < head || k >= n-tail:
			dst = append(dst, v[i:i+size]...)
			k++
		default:
			dst = utf8.AppendRune(dst, c)
			k++
		}
		i += size
	}
	return dst
}

func maskRunesNOld(dst, v []byte, n, head, tail int, c rune) []byte {
	head, tail = max(head, 0), max(tail, 0)
	if head+tail >= n {
		head, tail = n/4, 0
	}
	if n == len(v) && c < utf8.RuneSelf && isASCII(v) {
		// IDs, cards, phones: bytes are characters.
		dst = append(dst, v[:head]...)
		for range n - tail - head {
			dst = append(dst, byte(c))
		}
		return append(dst, v[n-tail:]...)
	}
	// The kept head, the masked middle and the kept tail in turn, each
	// copied with an ASCII fast path.
	i := 0
	for k := 0; k < head; k++ {
		i = appendRuneAt(&dst, v, i)
	}
	for k := head; k < n-tail; k++ {
		if v[i] < utf8.RuneSelf {
			i++
		} else {
			i += runeSize(v[i:])
		}
		dst = utf8.AppendRune(dst, c)
	}
	for i < len(v) {
		i = appendRuneAt(&dst, v, i)
	}
	return dst
}

func appendValidOld(dst, b []byte) []byte {
	for len(b) > 0 {
		if b[0] < utf8.RuneSelf {
			dst = append(dst, b[0])
			b = b[1:]
			continue
		}
		r, size := utf8.DecodeRune(b)
		dst = appendRuneOrByte(dst, r, b[:size])
		b = b[size:]
	}
	return dst
}
