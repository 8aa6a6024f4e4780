package sensitive

import (
	"strings"

	"github.com/piiscan/piiscan/detectors/pi"
)

// hintRule says which column names or comments point at a type: contains
// matches a substring of the lower-cased name or the comment (long, specific
// words: diagnosis, 民族); tokens must equal a whole word of the name
// (lat, pwd, dna), because as substrings they occur in unrelated names
// (template, flat).
type hintRule struct {
	t        pi.TypeID
	contains []string
	tokens   []string
}

var hintRules = [...]hintRule{
	{pi.Health, []string{"diagnos", "disease", "illness", "symptom", "medical_history", "medicalhistory",
		"诊断", "病症", "疾病", "病史", "病名", "症状", "既往", "主诉", "病情", "病因", "患病"}, []string{"dx", "icd", "icd10"}},
	{pi.Religion, []string{"religion", "religious", "faith", "宗教", "信仰"}, nil},
	{pi.Ethnicity, []string{"ethnic", "民族", "族别"}, []string{"nation", "mz", "race", "minzu"}},
	{pi.SexualOrientation, []string{"orientation", "sexuality", "性取向", "性倾向"}, nil},
	{pi.CriminalRecord, []string{"criminal", "crime", "conviction", "犯罪", "前科", "罪名", "刑罚", "判决", "刑期", "违法记录"}, nil},
	{pi.Biometric, []string{"fingerprint", "face_feature", "facefeature", "face_template", "facetemplate", "face_embedding",
		"iris", "voiceprint", "palmprint", "biometric", "feature_vector",
		"指纹", "人脸", "面部特征", "虹膜", "声纹", "掌纹", "步态", "生物特征", "基因"}, []string{"dna", "gene", "genome"}},
	{pi.GeoCoordinate, []string{"latitude", "longitude", "经度", "纬度", "经纬度", "坐标", "coordinate"}, []string{"lat", "lng", "lon", "gps", "coord", "coords"}},
	{pi.Credential, []string{"password", "passwd", "secret", "密码", "口令", "密钥", "秘钥", "apikey", "api_key", "access_key", "accesskey", "private_key", "privatekey"},
		[]string{"pwd", "token", "pin"}}, // not "pass": pass_rate, is_pass
}

// Hint implements detectors.Hinter: it is called once per column.
func (d *Detector) Hint(column, comment string) []pi.TypeID {
	name := strings.ToLower(column)
	words := splitWords(column)
	var out []pi.TypeID
	for _, r := range hintRules {
		if hintMatches(r, name, comment, words) {
			out = append(out, r.t)
		}
	}
	return out
}

func hintMatches(r hintRule, name, comment string, words []string) bool {
	for _, c := range r.contains {
		if strings.Contains(name, c) || (comment != "" && strings.Contains(strings.ToLower(comment), c)) {
			return true
		}
	}
	for _, t := range r.tokens {
		for _, w := range words {
			if w == t {
				return true
			}
		}
	}
	return false
}

// splitWords splits a column name into lower-case words at non-alphanumerics
// and lower→upper case changes: userPwd, user_pwd, USER-PWD → user, pwd.
func splitWords(s string) []string {
	var out []string
	start := -1
	for i := 0; i <= len(s); i++ {
		boundary := i == len(s) || !isAlnum(s[i])
		camel := !boundary && i > 0 && s[i] >= 'A' && s[i] <= 'Z' && s[i-1] >= 'a' && s[i-1] <= 'z'
		if (boundary || camel) && start >= 0 {
			out = append(out, strings.ToLower(s[start:i]))
			start = -1
		}
		if !boundary && start < 0 {
			start = i
		}
	}
	return out
}
