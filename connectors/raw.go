package connectors

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// Compression is how a stream is compressed, found by its magic bytes.
type Compression int

const (
	Uncompressed Compression = iota
	Gzip
	Zstd
)

func (c Compression) String() string {
	return [...]string{"none", "gzip", "zstd"}[c]
}

// Raw is one file's decompressed byte stream and what detection found about
// it: the same stream, in the same encoding, that the file sources' Offsets
// count in. A rewriter (masking) copies it with some spans replaced.
type Raw struct {
	// Reader is buffered so that rewriters can copy and skip spans without
	// buffers of their own (Peek, Discard).
	*bufio.Reader
	Compression Compression
	GB18030     bool   // the bytes are GB18030, not UTF-8
	Format      string // FormatText, FormatCSV, ...
	Delimiter   byte   // for CSV/TSV
	// CSVHeader is, for CSV/TSV, whether the first row names the columns
	// (HeaderYes, HeaderNo) as Open's reader decides it; "" if that could
	// not be told from the file's first bytes. Reading a rewritten copy
	// with it set keeps the decision, whatever the rewrite did to the row.
	CSVHeader string
	closers   []func() error
}

// Close releases the file and decoder.
func (r *Raw) Close() error {
	var errs []error
	for i := len(r.closers) - 1; i >= 0; i-- {
		errs = append(errs, r.closers[i]())
	}
	return errors.Join(errs...)
}

// OpenRaw opens path ("-" is opts.Stdin or os.Stdin) and detects compression,
// encoding and format exactly as Open does for the same options.
func OpenRaw(path string, opts Options) (*Raw, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	raw := &Raw{}
	var r io.Reader
	if path == "-" {
		r = opts.Stdin
		if r == nil {
			r = os.Stdin
		}
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		raw.closers = append(raw.closers, f.Close)
		r = f
	}
	br := bufio.NewReaderSize(r, 64<<10)
	magic, _ := br.Peek(4)
	var dec io.Reader = br
	switch {
	case len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b:
		gz, err := gzip.NewReader(br)
		if err != nil {
			raw.Close()
			return nil, fmt.Errorf("%s: gzip: %w", path, err)
		}
		raw.closers = append(raw.closers, gz.Close)
		raw.Compression, dec = Gzip, gz
	case bytes.Equal(magic, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		zs, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1))
		if err != nil {
			raw.Close()
			return nil, fmt.Errorf("%s: zstd: %w", path, err)
		}
		raw.closers = append(raw.closers, func() error { zs.Close(); return nil })
		raw.Compression, dec = Zstd, zs
	}
	pr := &prefixReader{r: dec}
	pr.peek(sniffBytes)
	if pr.err != nil {
		raw.Close()
		return nil, fmt.Errorf("%s: %w", path, pr.err)
	}
	bom := 0
	if bytes.HasPrefix(pr.buf, []byte("\xEF\xBB\xBF")) {
		bom = 3
	}
	switch strings.ToLower(opts.Encoding) {
	case EncodingGB18030, "gbk", "gb2312":
		raw.GB18030 = true
	case "", EncodingAuto:
		// The sniff Open makes on its window, here on the prefix: a file
		// that starts with ASCII is read ahead as far.
		raw.GB18030 = sniffGB(func(n int) ([]byte, bool) {
			p, eof := pr.peek(bom + n)
			return p[bom:], eof
		})
		if pr.err != nil {
			raw.Close()
			return nil, fmt.Errorf("%s: %w", path, pr.err)
		}
	}
	av, eof := pr.buf[bom:], pr.eof
	raw.Format = opts.Format
	if raw.Format == "" || raw.Format == FormatAuto {
		raw.Format = formatOf(path, av)
	}
	switch raw.Format {
	case FormatCSV, FormatTSV:
		raw.Delimiter = opts.Delimiter
		if raw.Delimiter == 0 {
			if raw.Format == FormatTSV {
				raw.Delimiter = '\t'
			} else {
				raw.Delimiter = sniffDelimiter(av)
			}
		}
		raw.CSVHeader = opts.CSVHeader
		if raw.CSVHeader == "" || raw.CSVHeader == HeaderAuto {
			raw.CSVHeader = sniffHeader(av, eof, raw.GB18030, raw.Delimiter)
		}
	}
	// The bytes read for detection, then the rest of the stream.
	raw.Reader = bufio.NewReaderSize(io.MultiReader(bytes.NewReader(pr.buf), dec), sniffBytes+4)
	return raw, nil
}

// prefixReader reads the start of a stream into a buffer that grows as far
// as detection asks (peek); OpenRaw then reads those bytes again before the
// rest of the stream.
type prefixReader struct {
	r   io.Reader
	buf []byte
	eof bool  // the stream ends at len(buf)
	err error // a read error other than io.EOF
}

// peek reads until buf holds n bytes or the stream ends or fails, and
// returns buf and whether it is the whole stream.
func (p *prefixReader) peek(n int) ([]byte, bool) {
	if len(p.buf) < n && !p.eof && p.err == nil {
		p.buf = slices.Grow(p.buf, n-len(p.buf))
		m, err := io.ReadAtLeast(p.r, p.buf[len(p.buf):n], n-len(p.buf))
		p.buf = p.buf[:len(p.buf)+m]
		switch {
		case err == io.EOF || err == io.ErrUnexpectedEOF:
			p.eof = true
		case err != nil:
			p.err = err
		}
	}
	return p.buf, p.eof
}
