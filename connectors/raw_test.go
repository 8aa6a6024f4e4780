package connectors

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestOpenRawDetects(t *testing.T) {
	dir := t.TempDir()
	csv := []byte("姓名;手机\n张三;13812345678\n")
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes(csv)
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(csv)
	zw.Close()
	zenc, _ := zstd.NewWriter(nil)
	zs := zenc.EncodeAll([]byte(`{"a":"b"}`+"\n"), nil)
	tests := []struct {
		name, file string
		data       []byte
		comp       Compression
		gb         bool
		format     string
		delim      byte
		plain      []byte
	}{
		{"plain utf-8 csv", "a.csv", csv, Uncompressed, false, FormatCSV, ';', csv},
		{"gb18030 csv", "b.csv", gb, Uncompressed, true, FormatCSV, ';', gb},
		{"gzip by magic, not name", "c.dat", gz.Bytes(), Gzip, false, FormatText, 0, csv},
		{"zstd jsonl", "d.jsonl.zst", zs, Zstd, false, FormatJSONL, 0, []byte(`{"a":"b"}` + "\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, tt.file)
			if err := os.WriteFile(p, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}
			r, err := OpenRaw(p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			got, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			if r.Compression != tt.comp || r.GB18030 != tt.gb || r.Format != tt.format || r.Delimiter != tt.delim || !bytes.Equal(got, tt.plain) {
				t.Fatalf("got %v gb=%v %s %q %q", r.Compression, r.GB18030, r.Format, r.Delimiter, got)
			}
		})
	}
}
