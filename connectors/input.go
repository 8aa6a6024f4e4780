package connectors

import (
	"archive/tar"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/piiscan/piiscan/connectors/internal/rawmap"
	"github.com/piiscan/piiscan/internal/utf8x"
	"github.com/piiscan/piiscan/scanner"
)

// recordReader is one format's reader over a window.
type recordReader interface {
	next(rec *scanner.Record) error
}

// fileSource reads one input: file → byte count → decompression → window →
// format reader. After the format reader ends it reports, once each, a bad
// encoding and an early end of the stream.
type fileSource struct {
	name    string
	w       *window
	rd      recordReader
	file    *os.File // nil for stdin
	async   *asyncReader
	encDone bool // the encoding error was reported
	end     bool // the stream error was reported
	member  bool // a member of f.arch
	closers []func()
}

const sniffBytes = 64 << 10

// open prepares one input. It returns nil without an error for a tar
// archive, whose members Next then reads one by one (f.arch), and an
// *scanner.InputError for binary content.
func (f *Files) open(in input) (*fileSource, error) {
	var r io.Reader
	fs := &fileSource{name: in.name}
	if in.path == "-" {
		r = f.opts.Stdin
		if r == nil {
			r = os.Stdin
		}
	} else {
		file, err := os.Open(in.path)
		if err != nil {
			return nil, err
		}
		fs.file = file
		r = file
	}
	cr := &countingReader{r: r}
	f.track(cr)
	return f.openStream(fs, in.path, cr, false)
}

// openStream undoes compression found by magic bytes, sniffs the encoding
// and format, and sets up fs to read records from r. Inside an archive
// (nested) it uses decoders of its own, as the shared ones may be reading
// the archive itself, and does not look for archives again.
func (f *Files) openStream(fs *fileSource, path string, r io.Reader, nested bool) (*fileSource, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	magic, _ := br.Peek(4)
	var dec io.Reader = br
	switch {
	case len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b:
		gz := f.gz
		var err error
		if nested || gz == nil {
			gz, err = gzip.NewReader(br)
			if !nested && err == nil {
				f.gz = gz
			}
		} else {
			err = gz.Reset(br)
		}
		if err != nil {
			fs.close()
			return nil, fmt.Errorf("gzip: %w", err)
		}
		dec = gz
	case bytes.Equal(magic, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		zs := f.zs
		if nested || zs == nil {
			var err error
			if zs, err = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1)); err != nil {
				fs.close()
				return nil, err
			}
			if nested {
				fs.closers = append(fs.closers, zs.Close)
			} else {
				f.zs = zs
			}
		}
		if err := zs.Reset(br); err != nil {
			fs.close()
			return nil, fmt.Errorf("zstd: %w", err)
		}
		dec = zs
	}
	if dec != io.Reader(br) && !f.opts.syncDecompress {
		fs.async = newAsyncReader(dec)
		dec = fs.async
	}

	max := f.opts.MaxRecordBytes
	buf := f.buf
	if buf == nil {
		buf = f.lend.buffer(windowBuf)[:0]
	}
	w := newWindow(dec, buf, max)
	f.buf = nil
	fs.w = w
	w.enc = encNone
	w.fill(sniffBytes)
	av := w.avail()
	if !nested && isTar(av) {
		// read the members from the start of the stream: the bytes in the
		// window, then the rest
		prefix := append([]byte(nil), av...)
		f.arch = &archive{
			tr:    tar.NewReader(io.MultiReader(bytes.NewReader(prefix), w.r)),
			outer: fs,
		}
		f.buf = w.buf[:0]
		return nil, nil
	}
	if bytes.HasPrefix(av, []byte("\xEF\xBB\xBF")) {
		w.pos += 3 // offsets still count the BOM: they are stream offsets
		av = av[3:]
	}
	head := av
	if len(head) > 8<<10 {
		head = head[:8<<10]
	}
	if k := bytes.IndexByte(head, 0); k >= 0 {
		fs.close()
		f.buf = w.buf[:0]
		if nested {
			return nil, nil // an archive's images and binaries are skipped
		}
		// A named file that is not text: reading it as text would find
		// nothing, and a masked copy would pass its PI through (UTF-16
		// exports, zip files), so it is an error, not a skip.
		return nil, &scanner.InputError{Source: fs.name, Offset: w.off(w.pos + k), Err: errBinary}
	}

	gb := false
	switch strings.ToLower(f.opts.Encoding) {
	case EncodingGB18030, "gbk", "gb2312":
		gb = true
	case "", EncodingAuto:
		gb = sniffGB(func(n int) ([]byte, bool) {
			w.fill(n)
			return w.avail(), w.eof
		})
		av = w.avail()
	}
	w.enc = encUTF8
	if gb {
		w.enc = encGB18030
	}
	w.checked = w.pos
	w.check()
	b := rawmap.New(gb)

	format := f.opts.Format
	if format == "" || format == FormatAuto {
		format = formatOf(path, av)
	}
	switch format {
	case FormatCSV, FormatTSV:
		delim := f.opts.Delimiter
		if delim == 0 {
			if format == FormatTSV {
				delim = '\t'
			} else {
				delim = sniffDelimiter(av)
			}
		}
		fs.rd = newCSVReader(w, b, fs.name, max, delim, f.opts.CSVHeader)
	case FormatJSON, FormatJSONL:
		fs.rd = newJSONReader(w, b, fs.name, max, format == FormatJSONL)
	case FormatSQL:
		sr := newSQLReader(w, b, fs.name, max)
		sr.countOnly = f.opts.CountOnly
		fs.rd = sr
	default:
		fs.rd = newTextReader(w, b, fs.name, max)
		if !gb {
			w.ln = &f.lend // lines are scanned where they are read
		}
	}
	return fs, nil
}

// errBinary is the error for input that is not text.
var errBinary = errors.New("binary data (a NUL byte), not text: convert UTF-16 to UTF-8, unpack archives other than tar; not scanned")

func (s *fileSource) next(rec *scanner.Record) error {
	if !s.encDone && s.w.bad >= 0 {
		s.encDone = true
		if s.w.nul {
			return &scanner.InputError{Source: s.name, Offset: s.w.bad, Err: errBinary}
		}
		enc, hint := "UTF-8", " (a GBK/GB18030 file detected as UTF-8: use --encoding gb18030)"
		if s.w.enc == encGB18030 {
			enc, hint = "GB18030", ""
		}
		return &scanner.InputError{Source: s.name, Offset: s.w.bad,
			Err: fmt.Errorf("invalid %s (first bad byte; the bytes are scanned as they are)%s", enc, hint)}
	}
	if s.end {
		return io.EOF
	}
	err := s.rd.next(rec)
	if err != io.EOF {
		return err
	}
	if !s.encDone && s.w.bad >= 0 {
		return s.next(rec) // report it before the end
	}
	s.end = true
	if s.w.err != nil {
		return &scanner.InputError{Source: s.name, Offset: s.w.off(s.w.end),
			Err: fmt.Errorf("input ends early (decompressed bytes read: %d): %w", s.w.off(s.w.end), s.w.err)}
	}
	return io.EOF
}

func (s *fileSource) closeFile() error {
	if s.file != nil {
		err := s.file.Close()
		s.file = nil
		return err
	}
	return nil
}

func (s *fileSource) close() error {
	if s.async != nil {
		s.async.Close()
		s.async = nil
	}
	for _, c := range s.closers {
		c()
	}
	s.closers = nil
	return s.closeFile()
}

// archive is a tar file being read member by member.
type archive struct {
	tr    *tar.Reader
	outer *fileSource // the archive file: closed after the last member
}

// isTar reports whether p starts with a POSIX or GNU tar header.
func isTar(p []byte) bool {
	return len(p) >= 512 && (bytes.Equal(p[257:262], []byte("ustar")))
}

// sniffAhead bounds how far past its first 64 KiB a file that starts with
// ASCII only (both encodings read it alike: log lines, CSV headers, dump
// banners) is read ahead to find the bytes that tell UTF-8 from GB18030.
const sniffAhead = 4 << 20

// sniffGB decides whether a stream is GB18030 rather than UTF-8, from its
// first 64 KiB of non-ASCII text: an all-ASCII start is read further (up to
// sniffAhead) to the first non-ASCII byte. peek returns the stream's first
// n bytes, or fewer when it ends (eof) or no more can be held, and is how
// Open (its window) and OpenRaw (a prefix buffer) make the same decision.
func sniffGB(peek func(n int) (p []byte, eof bool)) bool {
	av, eof := peek(sniffBytes)
	k := utf8x.ASCIIPrefix(av)
	for k == len(av) && !eof && len(av) < sniffAhead {
		seen := len(av)
		if av, eof = peek(seen + sniffBytes); len(av) == seen {
			break // nothing more can be read ahead
		}
		k = seen + utf8x.ASCIIPrefix(av[seen:])
	}
	if k == len(av) {
		return false // ASCII only, as far as was read
	}
	// Decide on sniffBytes from the first non-ASCII byte: a lone lead byte
	// at the end of what happens to be read would be taken for a cut UTF-8
	// character.
	if len(av)-k < sniffBytes && !eof {
		av, eof = peek(k + sniffBytes)
	}
	end := min(len(av), k+sniffBytes)
	return isGB(av[k:end], eof && end == len(av))
}

// isGB reports whether p, a file's first bytes, is not UTF-8 but is GB18030.
func isGB(p []byte, eof bool) bool {
	q := p
	if !eof {
		q = q[:len(q)-incompleteTail(q)]
	}
	if utf8x.Valid(q) {
		return false
	}
	n, short := rawmap.ValidGB(p)
	return n == len(p) || (short && !eof)
}

// formatOf detects a file's format from its name (after removing a
// compression suffix) and, failing that, from its first bytes.
func formatOf(name string, head []byte) string {
	lower := strings.ToLower(path.Base(strings.ReplaceAll(name, "\\", "/")))
	for _, suf := range []string{".gz", ".gzip", ".zst", ".zstd"} {
		lower = strings.TrimSuffix(lower, suf)
	}
	switch path.Ext(lower) {
	case ".csv":
		return FormatCSV
	case ".tsv", ".tab":
		return FormatTSV
	case ".json":
		return FormatJSON
	case ".jsonl", ".ndjson":
		return FormatJSONL
	case ".sql":
		return FormatSQL
	case ".log", ".txt", ".text":
		return FormatText
	}
	return sniffFormat(head)
}

// sniffFormat: a dump starts with a mysqldump banner, a versioned comment or
// a statement; JSON starts with { or [; everything else is text.
func sniffFormat(head []byte) string {
	t := bytes.TrimLeft(head, " \t\r\n")
	if len(t) == 0 {
		return FormatText
	}
	switch t[0] {
	case '{':
		return FormatJSONL
	case '[':
		return FormatJSON
	}
	upper := bytes.ToUpper(t[:min(len(t), 32)])
	for _, p := range []string{"-- MYSQL DUMP", "-- MARIADB DUMP", "/*!", "INSERT INTO", "CREATE TABLE", "DROP TABLE", "LOCK TABLES", "SET NAMES", "REPLACE INTO"} {
		if bytes.HasPrefix(upper, []byte(p)) {
			return FormatSQL
		}
	}
	return FormatText
}

// sniffDelimiter picks the delimiter that occurs most often outside quotes
// on the first line.
func sniffDelimiter(head []byte) byte {
	var counts [4]int
	cands := [4]byte{',', '\t', ';', '|'}
	inQ := false
	for _, c := range head {
		if c == '"' {
			inQ = !inQ
			continue
		}
		if inQ {
			continue
		}
		if c == '\n' {
			break
		}
		for i, d := range cands {
			if c == d {
				counts[i]++
			}
		}
	}
	best := 0
	for i := range counts {
		if counts[i] > counts[best] {
			best = i
		}
	}
	return cands[best]
}
