package detectortest

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// MixedText returns about size bytes of realistic Chinese prose for
// benchmarks: mostly plain sentences, some with embedded ID numbers, mobile
// and landline numbers, bank cards, e-mail and IP addresses, and the numbers
// that are not PI (order numbers, millisecond timestamps, prices, trace IDs).
// The same seed gives the same text. Check digits are computed here, not by
// any detector, so benchmark inputs do not depend on the code under test.
func MixedText(size int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x5bd1e995))
	var b strings.Builder
	for b.Len() < size {
		if r.IntN(10) < 7 {
			b.WriteString(plainSentences[r.IntN(len(plainSentences))])
			continue
		}
		switch r.IntN(8) {
		case 0:
			fmt.Fprintf(&b, "用户于2024-03-%02d 10:%02d:%02d下单，订单号%s，金额%d.%02d元，联系电话%s。",
				1+r.IntN(28), r.IntN(60), r.IntN(60), digits(r, 22), r.IntN(10000), r.IntN(100), mobile(r))
		case 1:
			fmt.Fprintf(&b, "客户身份证号%s，居住在北京市朝阳区建国路%d号，登记日期%d年%d月%d日。",
				idNumber(r), 1+r.IntN(300), 2015+r.IntN(9), 1+r.IntN(12), 1+r.IntN(28))
		case 2:
			fmt.Fprintf(&b, "请于本月底前将款项转入账户%s，如有疑问请致电0%d-%d。", card(r), 10, 20000000+r.IntN(79999999))
		case 3:
			fmt.Fprintf(&b, "日志记录：trace_id=%s ts=%d 来源%d.%d.%d.%d 访问了商品%d，浏览时长%d秒。",
				hex(r, 32), 1700000000000+r.Int64N(99999999999), 1+r.IntN(223), r.IntN(256), r.IntN(256), 1+r.IntN(254), r.IntN(100000), r.IntN(600))
		case 4:
			fmt.Fprintf(&b, "我们的客服邮箱是service%d@example.com.cn，工作时间为每天九点到十八点，节假日除外。", r.IntN(100))
		case 5:
			fmt.Fprintf(&b, "本次活动共有%d人参加，比去年增长了%d.%d%%，其中%d人获得了奖品。", r.IntN(5000), r.IntN(100), r.IntN(10), r.IntN(300))
		case 6:
			fmt.Fprintf(&b, "快递单号SF%s已签收，收件人手机%s，版本号%d.%d.%d。", digits(r, 12), mobile(r), r.IntN(20), r.IntN(100), r.IntN(1000))
		default:
			fmt.Fprintf(&b, "设备IMEI %s 于%d年%d月接入，累计流量%dMB。", digits(r, 15), 2018+r.IntN(6), 1+r.IntN(12), r.IntN(90000))
		}
	}
	return []byte(b.String())
}

var plainSentences = []string{
	"本公司致力于为广大客户提供优质的产品和服务，欢迎各位新老朋友莅临指导。",
	"随着城市化进程的加快，越来越多的年轻人选择到大城市工作和生活。",
	"会议讨论了下一阶段的工作重点，并对相关部门提出了具体要求。",
	"春天来了，公园里的花都开了，许多市民带着家人出来游玩。",
	"根据相关规定，用户在注册时需要阅读并同意服务协议和隐私政策。",
	"项目组成员经过反复讨论，最终确定了系统的总体架构和技术路线。",
	"天气预报显示，未来三天本市将有小到中雨，请市民出行注意安全。",
	"图书馆每周一闭馆，其余时间正常开放，读者可凭借阅证入馆。",
}

var mobileSegments = []string{"130", "133", "135", "136", "138", "139", "150", "152", "155", "158", "166", "176", "177", "180", "186", "188", "189", "199"}

func digits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	if b[0] == '0' {
		b[0] = '1'
	}
	return string(b)
}

func hex(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = "0123456789abcdef"[r.IntN(16)]
	}
	return string(b)
}

func mobile(r *rand.Rand) string {
	return mobileSegments[r.IntN(len(mobileSegments))] + digits(r, 8)
}

// idNumber returns a valid 18-digit resident ID number (GB 11643 check).
func idNumber(r *rand.Rand) string {
	regions := []string{"110105", "310104", "440305", "330106", "510107", "420102"}
	body := fmt.Sprintf("%s%04d%02d%02d%03d", regions[r.IntN(len(regions))], 1950+r.IntN(55), 1+r.IntN(12), 1+r.IntN(28), r.IntN(1000))
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range body {
		sum += int(c-'0') * w[i]
	}
	return body + string("10X98765432"[sum%11])
}

// card returns a Luhn-valid 19-digit card number on an ICBC BIN.
func card(r *rand.Rand) string {
	body := "622202" + digits(r, 12)
	sum := 0
	for i := len(body) - 1; i >= 0; i-- {
		x := int(body[i] - '0')
		if (len(body)-i)%2 == 1 {
			x *= 2
			if x > 9 {
				x -= 9
			}
		}
		sum += x
	}
	return body + string(byte('0'+(10-sum%10)%10))
}
