package connectors

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/piiscan/piiscan/detectors"
	"github.com/piiscan/piiscan/detectors/pi"
	"github.com/piiscan/piiscan/scanner"
)

func TestSplitPoint(t *testing.T) {
	for _, tc := range []struct {
		seg  string
		gb   bool
		want string // the first piece
	}{
		{"abc def ghi jkl", false, "abc def ghi "},
		{"id 1 2", false, "id "},
		{"card 6222 0212 3456 7890", false, "card "},               // no cut between digit groups
		{"aaaa,bbbb;cccc", false, "aaaa,bbbb;"},                    // last break in the second half
		{"用户张三，手机13800138000", false, "用户张三，"},                     // after full-width comma
		{"北京市朝阳区望京街道a@b.com", false, "北京市朝阳区望京街道"},                 // rule 2: between a CJK character and a token
		{"电话6222 0212 3456", false, "电话"},                          // rule 2 keeps digit groups together
		{"x@yyyyyyyyyyyyyyy.com中", false, "x@yyyyyyyyyyyyyyy.com"}, // rule 2
		{"abcdefghij", false, "abcdefghi"},                         // rule 3
		{"ab\xe4\xb8\xad\xe4\xb8\xad", false, "ab\xe4\xb8\xad"},    // never inside a character
		{"\xd5\xc5\xc8\xfd\xd5\xc5", true, "\xd5\xc5\xc8\xfd"},     // GB18030: 张三|张
		{"aa \xd5\x7c\xd5\x7c", true, "aa "},                       // 0x7C is a trail byte, not '|'
	} {
		got := SplitPoint([]byte(tc.seg), tc.gb)
		if tc.seg[:got] != tc.want {
			t.Errorf("SplitPoint(%q) = %q, want %q", tc.seg, tc.seg[:got], tc.want)
		}
	}
}

func TestLongLines(t *testing.T) {
	line := strings.Repeat("用户张三，手机13800138000；邮箱 zs@example.com\t", 200)
	in := "short\n" + line + "\nafter\n"
	recs, errs := openAll(t, []string{"-"}, Options{Format: FormatText, MaxRecordBytes: 256, Stdin: strings.NewReader(in)})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var joined strings.Builder
	for _, r := range recs {
		if r.Number == 2 {
			if len(r.Fields[0].Value) > 256 {
				t.Fatalf("segment of %d bytes", len(r.Fields[0].Value))
			}
			if strings.Contains(r.Fields[0].Value, "1380013") && !strings.Contains(r.Fields[0].Value, "13800138000") {
				t.Fatalf("mobile cut: %q", r.Fields[0].Value)
			}
			joined.WriteString(r.Fields[0].Value)
		}
	}
	if joined.String() != line {
		t.Fatal("segments do not add up to the line")
	}
	if last := recs[len(recs)-1]; last.Number != 3 || last.Fields[0].Value != "after" {
		t.Errorf("last record %+v", last)
	}
	checkOffsets(t, []byte(in), recs, FormatText, false)

	// a line of 3 MiB: longer than the read buffer, no 64 KiB limit
	big := strings.Repeat("0123456789 ", 300000)
	recs, errs = openAll(t, []string{"-"}, Options{Stdin: strings.NewReader(big + "\nend\n")})
	if len(errs) > 0 || len(recs) != 2 || recs[0].Fields[0].Value != big {
		t.Fatalf("big line: %d records, errors %v", len(recs), errs)
	}
}

// fragments hold no break byte of SplitPoint; separators are break bytes.
var (
	splitFragments = []string{
		"13800138000", "手机：13912345678", "身份证号：11010519491231002X", "6222 0212 3456 7890",
		"zhang.san@example.com", "192.168.1.20", "2001:db8::8a2e:370:7334", "京A12345", "粤B·D12345",
		"护照号：E12345678", "张三", "北京市朝阳区望京街道1号", "订单号123456789012345678", "0755-12345678",
		"+86 138 0013 8000", "出生日期：1990-01-01", "91350100M000100Y43", "糖尿病", "信仰佛教", "汉族",
		"INFO", "用户", "的", "abc", "x", "中",
	}
	splitSeparators = []string{"，", "；", "\t", ", ", "; ", " | ", "。"}
)

// splitLine builds a line from fuzz bytes and returns it with its longest
// fragment+separator length.
func splitLine(data []byte) ([]byte, int) {
	var b bytes.Buffer
	longest := 0
	for i := 0; i+1 < len(data); i += 2 {
		f := splitFragments[int(data[i])%len(splitFragments)]
		s := splitSeparators[int(data[i+1])%len(splitSeparators)]
		b.WriteString(f)
		b.WriteString(s)
		longest = max(longest, len(f)+len(s))
	}
	return b.Bytes(), longest
}

// structuredTypes are found from the value alone (check digits, formats,
// keywords inside the value's own fragment): for them a chunked scan must
// find exactly what a whole scan finds. Names, addresses and the sensitive
// categories also weigh the sentence around a value, which a piece of a line
// changes; for those the test asks that no value is cut: a match in one scan
// never overlaps a match of the same type with another span in the other.
var structuredTypes = []pi.TypeID{pi.IDCard, pi.Mobile, pi.Landline, pi.BankCard, pi.Email,
	pi.IPv4, pi.IPv6, pi.LicensePlate, pi.USCC, pi.Passport, pi.BirthDate}

// FuzzTextSplit checks that scanning a long line in the pieces the text
// reader makes finds what scanning it whole finds.
func FuzzTextSplit(f *testing.F) {
	f.Add([]byte{0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 0, 8, 1, 9, 2, 10, 3}, uint16(40))
	f.Add([]byte("some random bytes to pick fragments from, many of them"), uint16(0))
	all, err := detectors.NewSet(detectors.Options{})
	if err != nil {
		f.Fatal(err)
	}
	var picked []pi.TypeID
	for _, t := range structuredTypes {
		if slices.Contains(all.Types(), t) {
			picked = append(picked, t)
		}
	}
	structured := all
	if len(picked) > 0 {
		if structured, err = detectors.NewSet(detectors.Options{Types: picked}); err != nil {
			f.Fatal(err)
		}
	}
	field := all.Field("", "", "")
	f.Fuzz(func(t *testing.T, data []byte, size uint16) {
		line, longest := splitLine(data)
		if len(line) == 0 {
			return
		}
		max := 2*longest + 64 + int(size)%512
		recs, errs := openAll(t, []string{"-"}, Options{Format: FormatText, MaxRecordBytes: max, Stdin: bytes.NewReader(line)})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		var joined []byte
		for _, r := range recs {
			joined = append(joined, r.Fields[0].Value...)
		}
		if !bytes.Equal(joined, line) {
			t.Fatalf("pieces do not add up to the line")
		}
		scan := func(set *detectors.Set) (whole, chunked []pi.Match) {
			whole = set.Scan(line, field, nil)
			for _, r := range recs {
				off := int(r.Fields[0].Offset)
				for _, m := range set.Scan([]byte(r.Fields[0].Value), field, nil) {
					m.Start += off
					m.End += off
					chunked = append(chunked, m)
				}
			}
			return whole, chunked
		}
		whole, chunked := scan(structured)
		if fmt.Sprint(matchSet(whole, 0)) != fmt.Sprint(matchSet(chunked, 0)) {
			t.Fatalf("max %d: whole %v, chunked %v\nline %q", max, matchSet(whole, 0), matchSet(chunked, 0), line)
		}
		whole, chunked = scan(all)
		for _, pair := range [][2][]pi.Match{{whole, chunked}, {chunked, whole}} {
			for _, a := range pair[0] {
				for _, b := range pair[1] {
					if a.Type == b.Type && a.Start < b.End && b.Start < a.End && (a.Start != b.Start || a.End != b.End) {
						t.Fatalf("max %d: %s cut: [%d:%d] vs [%d:%d]\nline %q", max, a.Type, a.Start, a.End, b.Start, b.End, line)
					}
				}
			}
		}
	})
}

func matchSet(ms []pi.Match, off int) []string {
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		out = append(out, fmt.Sprintf("%s[%d:%d]", m.Type, m.Start+off, m.End+off))
	}
	return out
}

// TestLateGB18030: a GBK log whose first 64 KiB are ASCII (both encodings
// read it alike) is still detected, from its first non-ASCII bytes; a UTF-8
// one stays UTF-8. OpenRaw (masking's reader) decides the same, and gives
// back the stream byte for byte after reading that far ahead.
func TestLateGB18030(t *testing.T) {
	var head bytes.Buffer
	for i := 0; head.Len() < 100<<10; i++ {
		fmt.Fprintf(&head, "2024-05-01 10:00:00 INFO request %d ok\n", i)
	}
	line := "用户张三 手机13812345678"
	gbLine, err := simplifiedchinese.GB18030.NewEncoder().String(line)
	if err != nil {
		t.Fatal(err)
	}
	// ASCII up to a read boundary: the first non-ASCII byte is the last
	// byte read so far, which alone looks like a cut UTF-8 character.
	x := append(bytes.Repeat([]byte("x"), 262142), '\n')
	for _, tc := range []struct {
		name, tail string
		head       []byte
	}{
		{"gbk.log", gbLine, head.Bytes()}, {"utf8.log", line, head.Bytes()},
		{"gbk65535.log", gbLine, x[len(x)-65535:]}, {"gbk262143.log", gbLine, x},
		{"bom-gbk.log", gbLine, append([]byte("\xEF\xBB\xBF"), head.Bytes()...)},
	} {
		path := filepath.Join(t.TempDir(), tc.name)
		data := append(slices.Clone(tc.head), tc.tail+"\n"...)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		raw, err := OpenRaw(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(raw)
		raw.Close()
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("%s: OpenRaw reads %d bytes (%v), want the file's %d", tc.name, len(got), err, len(data))
		}
		if want := strings.HasPrefix(tc.name, "gbk") || strings.HasPrefix(tc.name, "bom-gbk"); raw.GB18030 != want {
			t.Errorf("%s: OpenRaw GB18030 = %v, want %v", tc.name, raw.GB18030, want)
		}
		recs, errs := openAll(t, []string{path}, Options{})
		if len(errs) != 0 {
			t.Errorf("%s: errors %v", tc.name, errs)
		}
		last := recs[len(recs)-1]
		if got := last.Fields[0].Value; got != line {
			t.Errorf("%s: last line %.80q, want %q", tc.name, got, line)
		}
	}
}

// appendField reuses the spare capacity of fs: whatever an earlier record
// left there must not leak into the new field.
func TestAppendFieldOverwritesStaleCapacity(t *testing.T) {
	stale := scanner.Field{Name: "old", Comment: "备注", Value: []byte("x"), Offset: 9, Map: scanner.OffsetMap{{Dec: 1, Raw: 2}}}
	for _, c := range []struct {
		name   string
		fs     []scanner.Field
		wantAt int
	}{
		{"empty", nil, 0},
		{"spare capacity", append(make([]scanner.Field, 0, 4), stale, stale)[:0], 0},
		{"after one", append(make([]scanner.Field, 0, 4), stale, stale)[:1], 1},
		{"full", []scanner.Field{stale}, 1},
	} {
		got := appendField(c.fs, "name", []byte("值"), 42, nil)
		want := scanner.Field{Name: "name", Value: []byte("值"), Offset: 42}
		if len(got) != c.wantAt+1 {
			t.Fatalf("%s: len %d, want %d", c.name, len(got), c.wantAt+1)
		}
		f := got[c.wantAt]
		if f.Name != want.Name || f.Comment != "" || !bytes.Equal(f.Value, want.Value) || f.Offset != want.Offset || f.Map != nil {
			t.Errorf("%s: got %+v, want %+v", c.name, f, want)
		}
	}
}
