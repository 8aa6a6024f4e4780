// Package corpus generates labelled synthetic Chinese personal information
// for piiscan's accuracy test, its sample folder and its benchmarks.
//
// The generator is independent of the detectors on purpose: it computes
// GB 11643 check digits, Luhn digits and USCC check characters with its own
// code and draws region codes, bank BINs, number segments and dictionaries
// from its own small tables (tables.go). It never imports detectors/.
//
// Every generated file comes with labels: the byte offset, length and type of
// each planted value in the file's raw (decompressed) stream, exactly as the
// generator wrote it, and of each planted decoy (type "decoy"). Output is a
// pure function of the seed, the size and the scan date.
package corpus

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/klauspost/compress/gzip"
)

// ScanDate is the default scan date of a corpus: birth dates are before it
// and minors are under 14 on it. Pass the same date to detectors.Options.Now.
var ScanDate = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// Version changes whenever the same seed and size start giving different
// bytes, so caches of generated files (bench/out) can tell they are stale.
const Version = 3

// Options configure a generated corpus.
type Options struct {
	Seed uint64
	// Size is the total number of (uncompressed) bytes to write; each file
	// gets a share. Files end at the first record boundary past their share.
	Size int64
	// Now is the scan date; zero means ScanDate.
	Now time.Time
}

// File describes one generated file.
type File struct {
	Name   string // base name inside the output directory
	Format Format
	Gzip   bool
	Bytes  int64 // uncompressed bytes
	Labels []Label
}

// LabelsName is the name of a file's sidecar labels file.
func LabelsName(name string) string { return name + ".labels.jsonl" }

type fileSpec struct {
	name   string
	format Format
	gzip   bool
	share  float64
}

var fileSpecs = []fileSpec{
	{"customers.csv", FormatCSVZh, false, 0.20},
	{"users.csv", FormatCSVEn, false, 0.14},
	{"app.jsonl", FormatJSONL, false, 0.18},
	{"access.log.gz", FormatLog, true, 0.14},
	{"shop.sql", FormatSQL, false, 0.17},
	{"notes.txt", FormatText, false, 0.12},
	{"decoys.log", FormatDecoys, false, 0.05},
}

// Generate writes one file per format into dataDir and, if labelsDir is not
// "", a sidecar LabelsName(file) in labelsDir for each. It returns the files
// with their labels.
func Generate(dataDir, labelsDir string, opts Options) ([]File, error) {
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return nil, err
	}
	if labelsDir != "" {
		if err := os.MkdirAll(labelsDir, 0o755); err != nil {
			return nil, err
		}
	}
	var files []File
	for i, spec := range fileSpecs {
		o := opts
		o.Seed = opts.Seed*1000003 + uint64(i) // each file its own stream, stable if others change
		o.Size = max(int64(float64(opts.Size)*spec.share), 1)
		f, err := writeFile(filepath.Join(dataDir, spec.name), spec, o)
		if err != nil {
			return nil, err
		}
		if labelsDir != "" {
			if err := writeLabelsFile(filepath.Join(labelsDir, LabelsName(spec.name)), f.Labels); err != nil {
				return nil, err
			}
		}
		files = append(files, f)
	}
	return files, nil
}

func writeFile(path string, spec fileSpec, opts Options) (File, error) {
	f := File{Name: filepath.Base(path), Format: spec.format, Gzip: spec.gzip}
	fh, err := os.Create(path)
	if err != nil {
		return f, err
	}
	var w io.Writer = fh
	var zw *gzip.Writer
	if spec.gzip {
		zw = gzip.NewWriter(fh)
		w = zw
	}
	f.Labels, f.Bytes, err = Write(w, spec.format, opts, true)
	if zw != nil {
		if cerr := zw.Close(); err == nil {
			err = cerr
		}
	}
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return f, fmt.Errorf("writing %s: %w", path, err)
	}
	return f, nil
}

func writeLabelsFile(path string, labels []Label) error {
	fh, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := WriteLabels(fh, labels); err != nil {
		fh.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return fh.Close()
}

// Write streams opts.Size bytes (rounded up to a record) of one format to w
// and returns the labels (if keepLabels) and the number of bytes written.
// Memory use does not grow with Size when keepLabels is false.
func Write(w io.Writer, format Format, opts Options, keepLabels bool) ([]Label, int64, error) {
	if opts.Now.IsZero() {
		opts.Now = ScanDate
	}
	g := newGen(opts.Seed, opts.Now)
	o := newOut(w, keepLabels)
	var write func(*out, *gen, int64)
	switch format {
	case FormatCSVZh:
		write = writeCSVZh
	case FormatCSVEn:
		write = writeCSVEn
	case FormatJSONL:
		write = writeJSONL
	case FormatLog:
		write = writeLog
	case FormatSQL:
		write = writeSQL
	case FormatText:
		write = writeText
	case FormatDecoys:
		write = writeDecoys
	case FormatMixed:
		write = writeMixed
	case FormatDense:
		write = writeDense
	default:
		return nil, 0, fmt.Errorf("corpus: unknown format %q", format)
	}
	// A failed write makes the buffered writer drop everything after it, so
	// memory stays flat; the error surfaces at the flush.
	write(o, g, opts.Size)
	if err := o.flush(); err != nil {
		return nil, o.off, err
	}
	return o.labels, o.off, nil
}

// ReadRaw returns a generated file's raw stream, gunzipped if it is a .gz
// file: the bytes label offsets refer to.
func ReadRaw(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil || filepath.Ext(path) != ".gz" {
		return b, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer zr.Close()
	out, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}
