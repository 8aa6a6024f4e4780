package connectors

import (
	"strings"
	"testing"
)

func TestEmptyInputs(t *testing.T) {
	for _, format := range []string{FormatAuto, FormatText, FormatCSV, FormatJSON, FormatJSONL, FormatSQL} {
		for _, in := range []string{"", "\xEF\xBB\xBF", "\n\n", "   "} {
			recs, errs := openAll(t, []string{"-"}, Options{Format: format, Stdin: strings.NewReader(in)})
			if len(errs) > 0 || (len(recs) > 0 && format != FormatText && format != FormatAuto) {
				t.Errorf("%s %q: records %v errors %v", format, in, recs, errs)
			}
		}
	}
}
