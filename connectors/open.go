// Package connectors turns files, directories and stdin into a
// scanner.Source: it walks directories, undoes gzip/zstd compression (found by
// magic bytes), detects GB18030 and decodes it, and reads each file with the
// reader of its format (text lines, CSV/TSV, JSON/JSON lines, mysqldump SQL).
//
// Every Field it yields keeps its place in the raw input: Offset is the byte
// offset of the value in the decompressed stream, in the file's own encoding,
// and Map leads from offsets in the decoded value back to raw bytes.
//
// Bad input never stops the scan: a truncated compressed stream, invalid
// UTF-8, an unterminated CSV quote, malformed JSON or SQL each yield a
// *scanner.InputError naming the file and position, and reading continues
// with the next line, statement or file.
//
// Choices made here:
//   - Invalid UTF-8 (or invalid GB18030 in a GB18030 file) is passed through
//     to detectors, which see it as non-PI, and reported once per file as an
//     InputError at the first bad byte; the file is read to the end.
//   - Encoding: a UTF-8 BOM is skipped (offsets still count it); a file
//     whose first 64 KiB of non-ASCII text (looked for up to 4 MiB in) are
//     not UTF-8 but are GB18030 (GBK, GB2312) is decoded from GB18030, with
//     offsets in GB18030 bytes.
//   - Files with a NUL byte in their first 8 KiB (after decompression) are
//     binary and are skipped without an error.
//   - Record.Number: the line for text (segments of a split line share it);
//     the data row for CSV (header excluded; a bad row still counts); for
//     JSON the line a top-level value starts on, or the 1-based index of an
//     element of a top-level array; for SQL the tuple's row in its table.
//   - Field names: CSV header names; JSON key paths a.b[0].c; SQL column
//     names. Values past the known columns are named by position, "#4".
//   - Record.Source is the path as given, joined with "/" and the path
//     relative to it for files found in a directory; "-" for stdin. A tar
//     archive (plain, gzip or zstd; found by its header, not its name) is
//     read member by member as "a.tar.gz!dir/inner.csv", each member with
//     its own format, compression and offsets (within the member).
package connectors

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/piiscan/piiscan/connectors/sqldump"
	"github.com/piiscan/piiscan/scanner"
)

// Format names accepted by Options.Format.
const (
	FormatAuto  = "auto"
	FormatText  = "text"
	FormatCSV   = "csv"
	FormatTSV   = "tsv"
	FormatJSON  = "json"  // a JSON document: an array of objects or objects
	FormatJSONL = "jsonl" // JSON lines (read by the same reader as JSON)
	FormatSQL   = "sql"   // mysqldump output
)

// Encoding names accepted by Options.Encoding.
const (
	EncodingAuto    = "auto"
	EncodingUTF8    = "utf-8"
	EncodingGB18030 = "gb18030" // also reads GBK and GB2312, its subsets
)

// Options.CSVHeader settings.
const (
	HeaderAuto = "auto"
	HeaderYes  = "yes"
	HeaderNo   = "no"
)

// DefaultMaxRecordBytes is the default Options.MaxRecordBytes.
const DefaultMaxRecordBytes = 16 << 20

// Options configure Open. The zero value reads everything with detection.
type Options struct {
	// Include and Exclude are glob lists (path.Match syntax) for files found
	// by walking a directory; each pattern is matched against the path
	// relative to that directory (slash-separated) and against the base name.
	// A file is read when it matches some Include pattern (or Include is empty)
	// and no Exclude pattern. A directory matching Exclude is not entered.
	// Paths named on the command line are always read.
	Include, Exclude []string
	// MaxRecordBytes caps the raw size of one record. A longer text line is
	// split into several records (see SplitPoint); a longer CSV row, JSON
	// value or SQL tuple is reported as an InputError and skipped.
	// 0 means DefaultMaxRecordBytes.
	MaxRecordBytes int
	// Format overrides format detection for every input ("" or "auto":
	// by extension after removing .gz/.zst, then by sniffing the content).
	Format string
	// Encoding overrides encoding detection ("" or "auto": UTF-8 unless the
	// first 64 KiB of non-ASCII text are not UTF-8 but are GB18030).
	Encoding string
	// Delimiter overrides the CSV delimiter (0: tab for .tsv, else sniffed
	// from the header line among , tab ; |).
	Delimiter byte
	// CSVHeader says whether a CSV/TSV file's first row names its columns:
	// HeaderYes, HeaderNo (columns are named #1, #2, ...), or "" / HeaderAuto:
	// a first row holding PI (digit runs of ID or phone numbers, e-mail
	// addresses, Chinese names or addresses) is data.
	CSVHeader string
	// Stdin is read for the path "-"; nil means os.Stdin.
	Stdin io.Reader
	// CountOnly is for callers that count records and look at no value
	// (the masking verifier re-reading its output): SQL dumps are parsed
	// by the same rules, with the same records (Source, Table, Number) and
	// errors, but records carry no Fields. Other formats ignore it.
	CountOnly bool

	// syncDecompress decompresses on the reading goroutine (benchmarks
	// compare it with the default, a goroutine of its own).
	syncDecompress bool
}

func (o *Options) check() error {
	switch o.Format {
	case "", FormatAuto, FormatText, FormatCSV, FormatTSV, FormatJSON, FormatJSONL, FormatSQL:
	default:
		return fmt.Errorf("unknown input format %q (want auto, text, csv, tsv, json, jsonl or sql)", o.Format)
	}
	switch o.CSVHeader {
	case "", HeaderAuto, HeaderYes, HeaderNo:
	default:
		return fmt.Errorf("unknown CSV header setting %q (want auto, yes or no)", o.CSVHeader)
	}
	switch strings.ToLower(o.Encoding) {
	case "", EncodingAuto, EncodingUTF8, "utf8", EncodingGB18030, "gbk", "gb2312":
	default:
		return fmt.Errorf("unknown input encoding %q (want auto, utf-8 or gb18030)", o.Encoding)
	}
	for _, list := range [][]string{o.Include, o.Exclude} {
		for _, p := range list {
			if _, err := path.Match(p, ""); err != nil {
				return fmt.Errorf("bad glob %q: %w", p, err)
			}
		}
	}
	if o.MaxRecordBytes < 0 {
		return fmt.Errorf("negative MaxRecordBytes")
	}
	if o.MaxRecordBytes == 0 {
		o.MaxRecordBytes = DefaultMaxRecordBytes
	}
	return nil
}

// input is one file to read, found on the command line or by walking.
type input struct {
	path string // to open; "-" is stdin
	name string // Record.Source
	err  error  // a walk error to report in its place
}

// Open returns one Source over all paths in order: files as given, the files
// of each directory (recursively, sorted by name), and "-" for stdin. It fails
// only for options it cannot use or a path that does not exist; unreadable
// files and directory entries become InputErrors from Next.
func Open(paths []string, opts Options) (*Files, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	f := &Files{opts: opts}
	for _, p := range paths {
		if p == "-" {
			f.inputs = append(f.inputs, input{path: p, name: p})
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			f.inputs = append(f.inputs, input{path: p, name: p})
			continue
		}
		f.inputs = walk(f.inputs, p, opts.Include, opts.Exclude)
	}
	return f, nil
}

// walk appends the files under dir in sorted order. Symbolic links are
// followed, except to a directory that is already being walked (a loop).
func walk(dst []input, dir string, include, exclude []string) []input {
	root := strings.TrimSuffix(dir, string(filepath.Separator))
	if root == "" {
		root = dir
	}
	var rec func(abs, rel string, ancestors []os.FileInfo)
	rec = func(abs, rel string, ancestors []os.FileInfo) {
		ents, err := os.ReadDir(abs)
		if err != nil {
			dst = append(dst, input{name: join(root, rel), err: err})
			return
		}
		// os.ReadDir sorts by name.
		for _, e := range ents {
			childAbs := filepath.Join(abs, e.Name())
			childRel := e.Name()
			if rel != "" {
				childRel = rel + "/" + e.Name()
			}
			typ := e.Type()
			var info os.FileInfo
			if typ&fs.ModeSymlink != 0 {
				info, err = os.Stat(childAbs)
				if err != nil {
					dst = append(dst, input{name: join(root, childRel), err: err})
					continue
				}
				typ = info.Mode().Type()
			}
			switch {
			case typ.IsDir():
				if matchAny(exclude, childRel) {
					continue
				}
				if info == nil {
					if info, err = os.Stat(childAbs); err != nil {
						dst = append(dst, input{name: join(root, childRel), err: err})
						continue
					}
				}
				if slices.ContainsFunc(ancestors, func(a os.FileInfo) bool { return os.SameFile(a, info) }) {
					continue // a symlink back into the walk
				}
				rec(childAbs, childRel, append(ancestors, info))
			case typ.IsRegular():
				if (len(include) == 0 || matchAny(include, childRel)) && !matchAny(exclude, childRel) {
					dst = append(dst, input{path: childAbs, name: join(root, childRel)})
				}
			}
			// devices, sockets and pipes inside directories are not read
		}
	}
	st, err := os.Stat(dir)
	if err != nil {
		return append(dst, input{name: dir, err: err})
	}
	rec(dir, "", []os.FileInfo{st})
	return dst
}

func join(root, rel string) string {
	if rel == "" {
		return root
	}
	if strings.HasSuffix(root, "/") {
		return root + rel
	}
	return root + "/" + rel
}

func matchAny(globs []string, rel string) bool {
	base := path.Base(rel)
	for _, g := range globs {
		if ok, _ := path.Match(g, rel); ok {
			return true
		}
		if ok, _ := path.Match(g, base); ok {
			return true
		}
	}
	return false
}

// Files is the Source Open returns. It reads one file at a time and reuses
// its buffers and decompressors from file to file.
type Files struct {
	opts   Options
	inputs []input
	i      int
	cur    *fileSource
	buf    []byte // the window buffer, reused
	lend   lender // buffers lent to the engine (NextBlock)

	gz   *gzip.Reader
	zs   *zstd.Decoder
	arch *archive // the tar file whose members are being read

	// mu guards done and count, changed when a file is opened or closed;
	// BytesRead takes it from other goroutines (the engine's progress).
	mu    sync.Mutex
	done  int64           // bytes read from files already closed
	count *countingReader // the current file's

	// dump is the shape (statements begun and ended, rows) of the SQL
	// dumps that Next read to their end, dumps how many: a caller that
	// compares a dump with its masked copy (deid's verifier) takes them
	// from the parse that reads the records instead of parsing again.
	dump  sqldump.Counts
	dumps int
}

var _ scanner.BlockSource = (*Files)(nil)
var _ scanner.ByteCounter = (*Files)(nil)

// Names lists the sources in the order they are read.
func (f *Files) Names() []string {
	out := make([]string, len(f.inputs))
	for i, in := range f.inputs {
		out[i] = in.name
	}
	return out
}

// Next implements scanner.Source.
func (f *Files) Next(rec *scanner.Record) error {
	for {
		if f.cur == nil && f.arch != nil {
			if err := f.nextMember(); err != nil {
				return err
			}
			continue
		}
		if f.cur == nil {
			if f.i >= len(f.inputs) {
				return io.EOF
			}
			in := f.inputs[f.i]
			f.i++
			if in.err != nil {
				return &scanner.InputError{Source: in.name, Offset: -1, Err: in.err}
			}
			cur, err := f.open(in)
			if cur == nil && f.arch == nil { // not read further: count what was
				f.retire()
			}
			if err != nil {
				var ie *scanner.InputError
				if errors.As(err, &ie) {
					return ie
				}
				return &scanner.InputError{Source: in.name, Offset: -1, Err: err}
			}
			if cur == nil {
				continue
			}
			f.cur = cur
		}
		err := f.cur.next(rec)
		if err == io.EOF {
			name := f.cur.name
			if sr, ok := f.cur.rd.(*sqlReader); ok {
				f.dump, f.dumps = sr.s.Counts(), f.dumps+1
			}
			err = f.closeCur()
			if err != nil {
				return &scanner.InputError{Source: name, Offset: -1, Err: err}
			}
			continue
		}
		return err
	}
}

// DumpCounts returns the sqldump.Counts of the input, an SQL dump, as the
// parse that gave Next its records counted them; ok is false unless Next
// read exactly one SQL dump (a file, or a tar archive's member) to its end.
func (f *Files) DumpCounts() (c sqldump.Counts, ok bool) {
	return f.dump, f.dumps == 1
}

// NextBlock implements scanner.BlockSource: the lines of a UTF-8 text file
// come in blocks that borrow the read buffer (textReader.nextBlock); every
// other record, and the first of each file, comes from Next (a nil block).
func (f *Files) NextBlock() (*scanner.Block, error) {
	c := f.cur
	if c == nil || c.end || !c.encDone && c.w.bad >= 0 {
		return nil, nil // Next opens the file, or reports the error first
	}
	if t, ok := c.rd.(*textReader); ok {
		return t.nextBlock(), nil
	}
	return nil, nil
}

// nextMember opens the next regular file of the current tar archive as
// f.cur, named "archive!member"; at the end it closes the archive.
func (f *Files) nextMember() error {
	a := f.arch
	for {
		hdr, err := a.tr.Next()
		if err != nil {
			f.arch = nil
			a.outer.close()
			f.retire()
			if err == io.EOF {
				return nil
			}
			return &scanner.InputError{Source: a.outer.name, Offset: -1, Err: fmt.Errorf("tar: %w", err)}
		}
		if hdr.Typeflag != tar.TypeReg && hdr.Typeflag != tar.TypeRegA {
			continue
		}
		fs := &fileSource{name: a.outer.name + "!" + hdr.Name, member: true}
		cur, err := f.openStream(fs, hdr.Name, a.tr, true)
		if err != nil {
			var ie *scanner.InputError
			if errors.As(err, &ie) {
				return ie
			}
			return &scanner.InputError{Source: fs.name, Offset: -1, Err: err}
		}
		if cur != nil {
			f.cur = cur
			return nil
		}
	}
}

// BytesRead implements scanner.ByteCounter: bytes read from files (before
// decompression). It is safe to call from another goroutine.
func (f *Files) BytesRead() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := f.done
	if f.count != nil {
		n += f.count.n.Load()
	}
	return n
}

func (f *Files) closeCur() error {
	c := f.cur
	f.cur = nil
	if c == nil {
		return nil
	}
	err := c.close()
	f.buf = c.w.buf[:0]
	if c.w.unlend() {
		f.buf = nil // blocks may still borrow it
	}
	if !c.member {
		f.retire()
	}
	return err
}

// Close implements scanner.Source.
func (f *Files) Close() error {
	err := f.closeCur()
	if a := f.arch; a != nil {
		f.arch = nil
		a.outer.close()
		f.retire()
	}
	f.i = len(f.inputs)
	if f.zs != nil {
		f.zs.Close()
		f.zs = nil
	}
	return err
}

// retire moves the current file's count into done.
func (f *Files) retire() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.count != nil {
		f.done += f.count.n.Load()
		f.count = nil
	}
}

// track starts counting a new file.
func (f *Files) track(c *countingReader) {
	f.mu.Lock()
	f.count = c
	f.mu.Unlock()
}

type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
