package masking

import (
	"testing"

	"github.com/piiscan/piiscan/detectors/pi"
)

func TestSampleMobileKeepsSegmentAfterCountryCode(t *testing.T) {
	for in, want := range map[string]string{
		"13812345678":       "138****5678",
		"+86-139-2466-1723": "+86-139-****-1723",
		"008617614813941":   "0086176****3941",
		"138 1234 5678":     "138 **** 5678",
	} {
		if got := Sample(pi.Mobile, []byte(in)); got != want {
			t.Errorf("Sample(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSampleEmailKeepsFirstCharacterAndDomain(t *testing.T) {
	for in, want := range map[string]string{
		"zhangwei@example.com": "z*******@example.com",
		"a@b.cn":               "*@b.cn",
		"noat":                 "****",
		"张伟@例子.中国":             "张*@例子.中国",
		"ab\xffc@q.com":        "a***@q.com",
	} {
		if got := Sample(pi.Email, []byte(in)); got != want {
			t.Errorf("Sample(%q) = %q, want %q", in, got, want)
		}
	}
}
