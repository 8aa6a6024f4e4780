package corpus

import (
	"fmt"
	"time"
)

// Decoy kinds: hard negatives from issue 2 and 3 that no detector may report.
const (
	KindOrderNumber   = "order_number"   // 20-24 digit run containing valid-looking numbers
	KindTraceID       = "trace_id"       // hex token with an embedded mobile or ID number
	KindHash          = "hex_hash"       // md5/sha256 hex
	KindUUID          = "uuid"           //
	KindIDBadCheck    = "id_bad_check"   // 18 digits, wrong check digit
	KindIDBadRegion   = "id_bad_region"  // 18 digits, right check digit, no such province
	KindIDBadDate     = "id_bad_date"    // 18 digits, right check digit, impossible or future date
	KindCardBadLuhn   = "card_bad_luhn"  // real BIN, Luhn fails
	KindIMEI          = "imei"           // 15 digits, Luhn-valid
	KindMsTimestamp   = "ms_timestamp"   // 13-digit epoch milliseconds
	KindBadMobile     = "bad_mobile"     // 11 digits starting 10/11/12
	KindVersion       = "version"        // 13.81.234.5678
	KindService       = "service_number" // 95588, 400-820-8820
	KindPlaceEthnic   = "ethnic_place"   // 彭水苗族土家族自治县
	KindNameLookalike = "name_lookalike" // 王府井, 张家界: places starting with a surname
	KindWordLookalike = "word_lookalike" // 金额, 文件: words starting with a surname
	KindDateTime      = "datetime"       // a timestamp that is not a birth date
	KindICP           = "icp_number"     // 京ICP备12345678号
	KindPostcode      = "postcode"       // 6-digit postal code
	KindDate          = "date"           // a date without birth context
)

func (g *gen) hex(n int) string {
	const h = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = h[g.n(16)]
	}
	return string(b)
}

func (g *gen) validID18() string {
	rg := pick(g, regions)
	first := rg.code + g.now.AddDate(-g.between(18, 80), -g.n(12), -g.n(28)).Format("20060102") + g.digits(3)
	return first + string(idCheck(first))
}

// decoyPiece returns one decoy of the given kind.
func (g *gen) decoyPiece(kind string) piece {
	return decoy(kind, g.decoyText(kind))
}

func (g *gen) decoyText(kind string) string {
	switch kind {
	case KindOrderNumber:
		// a date prefix, then a valid mobile or ID number inside the run
		inner := pick(g, mobilePrefixes) + g.digits(8)
		if g.chance(0.5) {
			inner = g.validID18()
			inner = inner[:17] + "7" // stay a digit run
		}
		return g.now.AddDate(0, 0, -g.n(300)).Format("20060102") + inner + g.digits(g.between(1, 3))
	case KindTraceID:
		inner := pick(g, mobilePrefixes) + g.digits(8)
		if g.chance(0.3) {
			inner = g.validID18()
		}
		return g.hex(g.between(2, 8)) + "f" + inner + "e" + g.hex(g.between(4, 10))
	case KindHash:
		if g.chance(0.5) {
			return g.hex(32)
		}
		return g.hex(64)
	case KindUUID:
		return g.hex(8) + "-" + g.hex(4) + "-4" + g.hex(3) + "-a" + g.hex(3) + "-" + g.hex(12)
	case KindIDBadCheck:
		s := g.validID18()
		c := s[17]
		for c == s[17] {
			c = byte('0' + g.n(10))
		}
		return s[:17] + string(c)
	case KindIDBadRegion:
		for {
			pre := pick(g, []string{"00", "09", "19", "28", "39", "49", "58", "68", "77", "99"})
			first := pre + g.digits(4) + g.now.AddDate(-g.between(18, 80), 0, -g.n(300)).Format("20060102") + g.digits(3)
			s := first + string(idCheck(first))
			if !plausibleID18(s, g.now) {
				return s
			}
		}
	case KindIDBadDate:
		for {
			rg := pick(g, regions)
			var date string
			switch g.n(4) {
			case 0:
				date = fmt.Sprintf("%d13%02d", g.between(1950, 2005), g.between(1, 28))
			case 1:
				date = fmt.Sprintf("%d%02d32", g.between(1950, 2005), g.between(1, 12))
			case 2:
				date = fmt.Sprintf("%d0230", g.between(1950, 2005))
			default: // in the future
				date = g.now.AddDate(1+g.n(5), g.n(12), 0).Format("20060102")
			}
			first := rg.code + date + g.digits(3)
			s := first + string(idCheck(first))
			if !plausibleID18(s, g.now) {
				return s
			}
		}
	case KindCardBadLuhn:
		c := g.cardNumber()
		last := c[len(c)-1]
		for last == c[len(c)-1] {
			last = byte('0' + g.n(10))
		}
		c = c[:len(c)-1] + string(last)
		if len(c) == 18 && plausibleID18(c, g.now) {
			return g.decoyText(kind)
		}
		return c
	case KindIMEI:
		for {
			body := pick(g, []string{"86", "35"}) + g.digits(12)
			s := body + string(luhnCheck(body))
			if !plausibleID15(s) {
				return s
			}
		}
	case KindMsTimestamp:
		return fmt.Sprint(g.now.AddDate(0, 0, -g.n(400)).UnixMilli() + int64(g.n(86400000)))
	case KindBadMobile:
		return pick(g, []string{"10", "11", "12"}) + g.digits(9)
	case KindVersion:
		return fmt.Sprintf("%d.%d.%d.%d", g.between(1, 30), g.between(0, 99), g.between(0, 300), g.between(1000, 9999))
	case KindService:
		return pick(g, serviceNumbers)
	case KindPlaceEthnic:
		return pick(g, placesWithEthnicNames)
	case KindNameLookalike:
		return pick(g, placeLookalikes)
	case KindWordLookalike:
		return pick(g, wordLookalikes)
	case KindDateTime:
		return g.now.AddDate(0, 0, -g.n(500)).Add(timeOfDay(g)).Format("2006-01-02 15:04:05")
	case KindPostcode:
		return fmt.Sprintf("%d%d00%d%d", g.between(1, 8), g.n(10), g.n(10), g.n(10))
	case KindDate:
		t := g.now.AddDate(0, 0, -g.n(900))
		if g.chance(0.5) {
			return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
		}
		return t.Format("2006-01-02")
	case KindICP:
		return pick(g, []string{"京", "沪", "粤", "浙"}) + "ICP备" + fmt.Sprint(g.between(2015, 2025)) + g.digits(6) + "号"
	}
	panic("corpus: unknown decoy kind " + kind)
}

// decoyKinds are the kinds the decoy log cycles through.
var decoyKinds = []string{
	KindOrderNumber, KindTraceID, KindHash, KindUUID, KindIDBadCheck, KindIDBadRegion,
	KindIDBadDate, KindCardBadLuhn, KindIMEI, KindMsTimestamp, KindBadMobile, KindVersion,
	KindService, KindPlaceEthnic, KindNameLookalike, KindWordLookalike, KindDateTime, KindICP, KindPostcode, KindDate,
}

// decoyLine is one log line made only of decoys and neutral text.
func (g *gen) decoyLine() []piece {
	ts := plain(g.now.AddDate(0, 0, -g.n(30)).Add(timeOfDay(g)).Format("2006-01-02T15:04:05.000+08:00") + " ")
	lvl := plain(pick(g, []string{"INFO ", "WARN ", "DEBUG ", "ERROR "}))
	d := func(k string) piece { return g.decoyPiece(k) }
	var body []piece
	switch g.n(17) {
	case 0:
		body = []piece{plain("[order] 订单创建成功 order_no="), d(KindOrderNumber), plain(" 金额 128.00 元")}
	case 1:
		body = []piece{plain("[gateway] trace_id="), d(KindTraceID), plain(" span="), d(KindHash), plain(" 耗时 35ms")}
	case 2:
		body = []piece{plain("[auth] session="), d(KindUUID), plain(" 校验失败，证件号格式错误："), d(pick(g, []string{KindIDBadCheck, KindIDBadRegion, KindIDBadDate}))}
	case 3:
		body = []piece{plain("[pay] 卡号校验未通过 card="), d(KindCardBadLuhn), plain(" code=E1023")}
	case 4:
		body = []piece{plain("[device] 设备注册 imei="), d(KindIMEI), plain(" model=HUAWEI-P60 os=HarmonyOS "), d(KindVersion)}
	case 5:
		body = []piece{plain("[job] 定时任务完成 ts="), d(KindMsTimestamp), plain(" cost=1203ms")}
	case 6:
		body = []piece{plain("[crm] 客户编号 "), d(KindBadMobile), plain(" 已归档")}
	case 7:
		body = []piece{plain("[app] 客户端升级到 "), d(KindVersion), plain("，请拨打客服热线 "), d(KindService), plain(" 咨询")}
	case 8:
		body = []piece{plain("[travel] 前往"), d(KindPlaceEthnic), plain("的航班延误，预计晚点两小时")}
	case 9:
		body = []piece{plain("[poi] 热门景点："), d(KindNameLookalike), plain("、"), d(KindNameLookalike), plain("，周边停车场已满")}
	case 10:
		body = []piece{plain("[report] 本月"), d(KindWordLookalike), plain("统计已生成，创建时间 "), d(KindDateTime)}
	case 11:
		body = []piece{plain("[site] 页脚备案号 "), d(KindICP), plain(" 客服 "), d(KindService)}
	case 12:
		body = []piece{plain("[hash] sha="), d(KindHash), plain(" uuid="), d(KindUUID)}
	case 13:
		body = []piece{plain("[stat] "), d(KindPlaceEthnic), plain("旅游收入同比增长 12.5%，数据来源 "), d(KindVersion)}
	case 15:
		body = []piece{plain("[mail] 包裹已到达分拣中心，邮编 "), d(KindPostcode), plain("，预计 "), d(KindDate), plain(" 送达")}
	case 14:
		body = []piece{plain("[risk] 风控规则命中 rule=R"), plain(fmt.Sprint(g.between(100, 999))), plain(" 流水号 "), d(KindOrderNumber)}
	default:
		body = []piece{plain("[mq] msgId="), d(KindTraceID), plain(" 重试 3 次后成功，时间 "), d(KindDateTime)}
	}
	return append(append([]piece{ts, lvl}, body...), plain("\n"))
}

func timeOfDay(g *gen) time.Duration {
	return time.Duration(g.n(86400000)) * time.Millisecond
}
