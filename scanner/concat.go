package scanner

import (
	"errors"
	"io"
)

// Concat reads each source to the end, in order. Its BytesRead sums the
// sources that count bytes; Close closes them all.
func Concat(srcs ...Source) Source {
	if len(srcs) == 1 {
		return srcs[0]
	}
	return &concat{srcs: srcs}
}

type concat struct {
	srcs []Source
	i    int
}

func (c *concat) Next(r *Record) error {
	for c.i < len(c.srcs) {
		err := c.srcs[c.i].Next(r)
		if err != io.EOF {
			return err
		}
		c.i++
	}
	return io.EOF
}

func (c *concat) BytesRead() int64 {
	var n int64
	for _, s := range c.srcs {
		if bc, ok := s.(ByteCounter); ok {
			n += bc.BytesRead()
		}
	}
	return n
}

// Incremental asks each source that knows (see Incremental).
func (c *concat) Incremental(source, table string) bool {
	for _, s := range c.srcs {
		if inc, ok := s.(Incremental); ok && inc.Incremental(source, table) {
			return true
		}
	}
	return false
}

func (c *concat) Close() error {
	var errs []error
	for _, s := range c.srcs {
		errs = append(errs, s.Close())
	}
	return errors.Join(errs...)
}
