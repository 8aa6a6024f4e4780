package report

import (
	"bufio"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// csvHeader is the column inventory's header; csvHeaderZH the same in
// Chinese. The order is a contract for scripts that read the CSV by position.
var (
	csvHeader = []string{"source", "table", "column", "comment", "grade", "rule", "rows_scanned",
		"types", "encrypted_share", "owner", "purpose", "legal_basis", "retention", "system", "gaps", "samples"}
	csvHeaderZH = []string{"数据源", "表", "字段", "注释", "级别", "判定规则", "已扫描值",
		"类型", "加密比例", "负责人", "处理目的", "合法性基础", "保存期限", "系统/位置", "合规差距", "脱敏样例"}
)

// CSV cell encodings: types as "cn_id_card:1998;cn_mobile:3" (grade, count
// and ID order), gaps as "undocumented;plaintext", samples one a line.
const (
	csvListSep   = ";"
	csvSampleSep = "\n"
)

// WriteCSV writes the column inventory, one row per column, as UTF-8 with a
// byte-order mark (Excel needs it to read Chinese as UTF-8) and RFC 4180
// quoting, CRLF line ends. Text cells that a spreadsheet would run as a
// formula (starting with = + - @, tab or CR) get a leading apostrophe: column
// names and comments come from the scanned systems and must not execute.
func WriteCSV(w io.Writer, r *Report, opts Options) error {
	l, err := labelsFor(opts.Lang)
	if err != nil {
		return err
	}
	v := prepare(r, opts)
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	header := csvHeader
	if l.Lang == "zh-CN" {
		header = csvHeaderZH
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	gaps := map[[3]string][]string{}
	for _, g := range v.Gaps {
		k := [3]string{g.Source, g.Table, g.Column}
		gaps[k] = append(gaps[k], string(g.Kind))
	}
	for i := range v.Columns {
		c := &v.Columns[i]
		inv := c.Inventory
		if inv == nil {
			inv = &Inventory{}
		}
		samples := make([]string, len(c.Samples))
		for j, s := range c.Samples {
			samples[j] = strings.ReplaceAll(s, csvSampleSep, " ")
		}
		rec := []string{
			cell(c.Source), cell(c.Table), cell(c.Column), cell(c.Comment),
			c.Grade.String(), cell(c.Rule), strconv.FormatInt(c.RowsScanned, 10),
			typesString(c), strconv.FormatFloat(c.EncryptedShare, 'f', -1, 64),
			cell(inv.Owner), cell(inv.Purpose), cell(inv.LegalBasis), cell(inv.Retention), cell(inv.System),
			strings.Join(gaps[[3]string{c.Source, c.Table, c.Column}], csvListSep),
			cell(strings.Join(samples, csvSampleSep)),
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// cell defuses spreadsheet formulas (CWE-1236).
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
