// Package deid runs de-identification jobs: it wires sources, the detection
// engine and a masking policy into masked copies of files, SQL dumps and
// databases. Operators and policies live in masking; this package only moves
// bytes and keeps the copy faithful.
//
// A file is copied as its raw (decompressed) byte stream with every detected
// span replaced by its masked value, re-encoded in the file's encoding and
// recompressed as the input was. Everything between spans — quoting,
// delimiters, SQL statements, JSON structure, line endings — is copied byte
// for byte, so the output has the input's structure by construction. The
// output is written to a temporary file and renamed over OUT only after it
// was complete and verified; the input is never written.
package deid

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/piiscan/piiscan/connectors"
	"github.com/piiscan/piiscan/detectors"
	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/internal/atomicfile"
	"github.com/piiscan/piiscan/masking"
	"github.com/piiscan/piiscan/masking/fpe"
	"github.com/piiscan/piiscan/report"
	"github.com/piiscan/piiscan/scanner"
)

// FileOptions configure MaskFile.
type FileOptions struct {
	Masker    *masking.Masker
	Detectors *detectors.Set
	// Input are the file-reading options (format, encoding, record size).
	Input connectors.Options
	// Workers for detection; 0 means GOMAXPROCS.
	Workers int
	// NoVerify skips re-reading the output to check it has as many records
	// as the input.
	NoVerify bool
	// Unmask reverses tokens instead of masking: values whose rule is
	// tokenize are detected (tokens are valid values of their type) and
	// decrypted; everything else is copied unchanged.
	Unmask bool
}

// Summary says what a masking job did. It holds counts only, never values.
type Summary struct {
	Source       string              `json:"source"`
	Output       string              `json:"output"`
	KeyID        string              `json:"key_id,omitempty"`
	Records      int64               `json:"records"`
	Values       int64               `json:"values"`        // non-empty values (fields) read
	ValuesMasked int64               `json:"values_masked"` // values with at least one masked span
	Findings     int64               `json:"findings"`      // detected spans
	Masked       int64               `json:"masked"`        // spans replaced
	ByRule       map[string]int64    `json:"by_rule"`
	ByType       map[pi.TypeID]int64 `json:"by_type"`
	Errors       []report.InputError `json:"errors,omitempty"`
	Verified     bool                `json:"verified"`
	OutRecords   int64               `json:"out_records,omitempty"`
}

// ErrInput means the input had parts the readers could not parse.
var ErrInput = errors.New("bad input")

// ErrMismatch means the masked output does not have the input's records.
var ErrMismatch = errors.New("masked output does not match the input")

// MaskFile writes a masked copy of in to out ("-" for either means
// stdin/stdout; stdin is spooled to a temporary file because it is read
// twice). out must not be in.
func MaskFile(ctx context.Context, in, out string, o FileOptions) (*Summary, error) {
	if o.Masker == nil || o.Detectors == nil {
		return nil, errors.New("deid: masker and detectors are required")
	}
	if in != "-" && out != "-" {
		if same, err := sameFile(in, out); err != nil {
			return nil, err
		} else if same {
			return nil, fmt.Errorf("%s: refusing to write the masked copy over its input", out)
		}
	}
	name := in
	if in == "-" {
		tmp, err := spool(o.Input.Stdin)
		if err != nil {
			return nil, err
		}
		defer os.Remove(tmp)
		in = tmp
	}

	raw, err := connectors.OpenRaw(in, o.Input)
	if err != nil {
		return nil, err
	}
	defer raw.Close()

	var dst io.Writer
	var af *atomicfile.File
	if out == "-" {
		dst = os.Stdout
	} else {
		if af, err = atomicfile.Create(out, 0o600); err != nil {
			return nil, err
		}
		defer af.Abort()
		dst = af
	}
	bw := bufio.NewWriterSize(dst, 1<<20)
	cw, err := compressor(bw, raw.Compression)
	if err != nil {
		return nil, err
	}

	set := o.Detectors
	eng, err := scanner.New(scanner.Config{Detectors: set, Workers: o.Workers, Reveal: true, Samples: -1})
	if err != nil {
		return nil, err
	}
	src, err := connectors.Open([]string{in}, o.Input)
	if err != nil {
		return nil, err
	}
	defer src.Close()

	rw := &rewriter{raw: raw, w: cw, m: o.Masker, unmask: o.Unmask, gb: raw.GB18030, format: raw.Format, delim: raw.Delimiter,
		sum: &Summary{Source: name, Output: out, KeyID: o.Masker.KeyID(), ByRule: map[string]int64{}, ByType: map[pi.TypeID]int64{}}}
	if rw.gb {
		rw.enc = simplifiedchinese.GB18030.NewEncoder()
	}
	rep, err := eng.Run(ctx, src, rw)
	if err != nil {
		return rw.sum, err
	}
	if err := rw.finish(); err != nil {
		return rw.sum, err
	}
	sum := rw.sum
	sum.Records = rep.Throughput.Records
	for _, c := range rep.Columns {
		sum.Values += c.RowsScanned
	}
	for _, e := range rep.Errors {
		e.Source, e.Message = name, strings.ReplaceAll(e.Message, in, name) // a spooled stdin is named "-"
		sum.Errors = append(sum.Errors, e)
	}
	if len(sum.Errors) > 0 {
		// The parts of the input the readers could not parse were not
		// scanned, and the copy would carry them over unmasked.
		return sum, fmt.Errorf("%w: %d input error(s) in %s (first: %s); the masked copy was not written because unparsed parts could hold unmasked PI",
			ErrInput, len(sum.Errors), name, sum.Errors[0].Message)
	}
	if err := cw.Close(); err != nil {
		return sum, err
	}
	if err := bw.Flush(); err != nil {
		return sum, err
	}
	if af == nil {
		return sum, nil
	}
	if !o.NoVerify {
		if err := af.Sync(); err != nil {
			return sum, err
		}
		n, err := countRecords(ctx, af.Name(), o.Input, raw.Format)
		if err != nil {
			return sum, fmt.Errorf("verifying %s: %w", out, err)
		}
		sum.OutRecords, sum.Verified = n, true
		if n != sum.Records {
			return sum, fmt.Errorf("%w: %s has %d records, the output %d; nothing was written", ErrMismatch, name, sum.Records, n)
		}
	}
	return sum, af.Commit()
}

// rewriter is the engine's sink: findings arrive in input order, so it
// streams the raw input to the output, replacing each finding's span.
type rewriter struct {
	raw    *connectors.Raw
	w      io.Writer
	m      *masking.Masker
	unmask bool
	gb     bool
	enc    interface{ Bytes([]byte) ([]byte, error) }
	format string
	delim  byte
	pos    int64 // raw bytes consumed
	sum    *Summary
	buf    []byte
	last   valueKey // the last masked value, to count values once
}

type valueKey struct {
	record       int64
	table, field string
}

func (r *rewriter) Write(fs []scanner.Finding) error {
	for i := range fs {
		f := &fs[i]
		r.sum.Findings++
		r.sum.ByType[f.Type]++
		if f.Offset < r.pos {
			continue // an overlapping second type for the same span (e.g. minor beside cn_id_card)
		}
		if err := r.copyTo(f.Offset); err != nil {
			return err
		}
		rule := r.m.Rule(f.Table, f.Field, f.Type, f.Grade)
		var out []byte
		var err error
		if r.unmask {
			if rule.Operator != "tokenize" {
				continue // not a token: copied as it is
			}
			out, err = r.m.Unmask(r.buf[:0], f.Table, f.Field, f.Type, f.Grade, []byte(f.Value))
			if errors.Is(err, fpe.ErrFormat) {
				continue // not a token (its rule's fallback masked it): copied as it is
			}
		} else {
			out, err = rule.Apply(r.buf[:0], f.Type, nil, []byte(f.Value))
		}
		if errors.Is(err, masking.ErrNull) {
			out, err = out[:0], nil // files have no NULL: the value becomes empty
		}
		if err != nil {
			return fmt.Errorf("%s: record %d: field %q: %w", r.sum.Source, f.Record, f.Field, err)
		}
		r.buf = out
		if err := r.checkSafe(out, rule.Name); err != nil {
			return fmt.Errorf("%s: record %d: %w", r.sum.Source, f.Record, err)
		}
		if r.gb {
			if out, err = r.enc.Bytes(out); err != nil {
				return fmt.Errorf("%s: record %d: masked value not encodable in GB18030: %w", r.sum.Source, f.Record, err)
			}
		}
		if _, err := r.w.Write(out); err != nil {
			return err
		}
		if _, err := r.raw.Discard(int(f.Length)); err != nil {
			return fmt.Errorf("%s: input changed while masking (offset %d): %w", r.sum.Source, f.Offset, err)
		}
		r.pos = f.Offset + f.Length
		r.sum.Masked++
		r.sum.ByRule[rule.Name]++
		if k := (valueKey{f.Record, f.Table, f.Field}); k != r.last {
			r.sum.ValuesMasked++
			r.last = k
		}
	}
	return nil
}

func (r *rewriter) copyTo(off int64) error {
	if off == r.pos {
		return nil
	}
	for r.pos < off {
		// Peek+Discard copies straight out of the reader's buffer: no
		// buffer per call (io.CopyN would allocate one per finding).
		b, err := r.raw.Peek(int(min(off-r.pos, int64(r.raw.Size()))))
		if len(b) > 0 {
			if _, werr := r.w.Write(b); werr != nil {
				return werr
			}
			r.raw.Discard(len(b))
			r.pos += int64(len(b))
		}
		if err != nil && err != bufio.ErrBufferFull {
			return fmt.Errorf("%s: copying up to offset %d: %w", r.sum.Source, off, err)
		}
	}
	return nil
}

func (r *rewriter) finish() error {
	n, err := io.Copy(r.w, r.raw)
	r.pos += n
	return err
}

// checkSafe refuses replacement text that would change the structure of the
// file around the span: a masked value cannot be re-quoted in place, so it
// must not contain the format's quoting, escaping or separator characters.
func (r *rewriter) checkSafe(v []byte, rule string) error {
	if !utf8.Valid(v) {
		return fmt.Errorf("rule %q produced invalid UTF-8", rule)
	}
	bad := "\r\n"
	switch r.format {
	case connectors.FormatCSV, connectors.FormatTSV:
		bad += "\"" + string(r.delim)
	case connectors.FormatJSON, connectors.FormatJSONL:
		bad += "\"\\"
	case connectors.FormatSQL:
		bad += "'\"\\`"
	}
	if i := bytes.IndexAny(v, bad); i >= 0 {
		return fmt.Errorf("rule %q: its output contains %q, which would break the %s structure around the value; use a replacement text without it", rule, v[i], r.format)
	}
	for _, c := range v {
		if c < 0x20 && c != '\t' {
			return fmt.Errorf("rule %q: its output contains a control character", rule)
		}
	}
	return nil
}

// compressor writes w compressed as the input was.
func compressor(w io.Writer, c connectors.Compression) (io.WriteCloser, error) {
	switch c {
	case connectors.Gzip:
		return gzip.NewWriter(w), nil
	case connectors.Zstd:
		return zstd.NewWriter(w, zstd.WithEncoderConcurrency(1))
	}
	return nopCloser{w}, nil
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// countRecords re-reads a written file with the same reader as the input.
func countRecords(ctx context.Context, path string, in connectors.Options, format string) (int64, error) {
	in.Format = format
	src, err := connectors.Open([]string{path}, in)
	if err != nil {
		return 0, err
	}
	defer src.Close()
	var rec scanner.Record
	var n int64
	var last int64 = -1
	for {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		err := src.Next(&rec)
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			continue // the input's own errors were reported by the scan; counts decide
		}
		if rec.Number != last { // a long line split in segments is one record
			n++
			last = rec.Number
		}
	}
}

func sameFile(a, b string) (bool, error) {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true, nil
	}
	sa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	sb, err := os.Stat(b)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return os.SameFile(sa, sb), nil
}

func spool(r io.Reader) (string, error) {
	if r == nil {
		r = os.Stdin
	}
	f, err := os.CreateTemp("", "piiscan-stdin-*")
	if err != nil {
		return "", err
	}
	if err := os.Chmod(f.Name(), 0o600); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", fmt.Errorf("reading stdin: %w", err)
	}
	return f.Name(), f.Close()
}
