package corpus

import (
	"fmt"
	"strings"
)

var companyWords = []string{"星辰", "汇通", "远航", "恒信", "博远", "云图", "瑞丰", "嘉禾", "启明", "华彩"}

var companyKinds = []string{"科技有限公司", "贸易有限公司", "信息技术股份有限公司", "餐饮管理有限公司", "物流有限公司"}

func (g *gen) company() string { return pick(g, companyWords) + pick(g, companyKinds) }

func (p *person) gender() string {
	if p.male {
		return "男"
	}
	return "女"
}

func (p *person) age(g *gen) int {
	a := g.now.Year() - p.birth.Year()
	if g.now.YearDay() < p.birth.YearDay() {
		a--
	}
	return a
}

func (p *person) honorific() string {
	if p.male {
		return "先生"
	}
	return "女士"
}

// sentence is one sentence of free text about p with planted values, in
// the style of customer-service notes, medical records and HR files.
func (g *gen) sentence(p *person) []piece {
	nm := pii(Name, p.name)
	if g.chance(0.3) {
		return g.fieldSentence(p)
	}
	switch g.n(34) {
	case 0:
		return []piece{plain("联系人："), nm, plain("，电话："), g.mobilePiece(p.mobile, true), plain("，地址："), pii(Address, p.address), plain("。")}
	case 1:
		return []piece{plain("患者"), nm, plain("，" + p.gender() + fmt.Sprintf("，%d岁，确诊", p.age(g))), pii(Health, pick(g, diseases)), plain("，既往有"), pii(Health, pick(g, diseases)), plain("病史。")}
	case 2:
		return []piece{plain("客户"), nm, plain("的身份证号为"), g.idPiece(p), plain("，出生日期"), pii(BirthDate, g.birthDate(p.birth)), plain("，银行卡号"), g.cardPiece(p.card), plain("。")}
	case 3:
		return []piece{plain("收件人："), nm, plain("，"), g.mobilePiece(p.mobile, false), plain("，"), pii(Address, p.address), plain("。")}
	case 4:
		return []piece{nm, plain(p.honorific() + "您好，您的订单已发货，如有疑问请拨打"), g.landlinePiece(), plain("。")}
	case 5:
		return []piece{plain("宗教信仰："), pii(Religion, pick(g, religions)), plain("；民族："), pii(Ethnicity, pick(g, ethnicGroups)), plain("。")}
	case 6:
		return []piece{plain("该员工曾因"), pii(CriminalRecord, pick(g, crimes)), plain("被判处"), cue(CriminalRecord, "有期徒刑"), plain(fmt.Sprintf("%d年，另有", g.between(1, 9))), pii(CriminalRecord, pick(g, crimes)), cue(CriminalRecord, "前科"), plain("。")}
	case 7:
		return []piece{plain("经本人自述，其性取向为"), pii(SexualOrientation, pick(g, orientations)), plain("，已签署知情同意书。")}
	case 8:
		return []piece{plain("用户"), nm, plain("于"), g.decoyPiece(KindDateTime), plain("登录，IP "), pii(IPv4, g.ipv4()), plain("，设备定位 "), pii(GeoCoordinate, g.geo()), plain("。")}
	case 9:
		return []piece{plain("护照号码："), pii(Passport, g.passport()), plain("，往来港澳通行证："), pii(TravelPermit, g.travelPermit()), plain("。")}
	case 10:
		return []piece{plain("车主"), nm, plain("，车牌号"), pii(LicensePlate, g.plate()), plain("，联系电话"), g.landlinePiece(), plain("。")}
	case 11:
		return []piece{plain("请将发票开具给" + g.company() + "，统一社会信用代码"), pii(USCC, g.uscc()), plain("。")}
	case 12:
		return []piece{plain("邮箱："), pii(Email, p.email), plain("，备用手机 "), g.mobilePiece(pick(g, mobilePrefixes)+g.digits(8), true), plain("。")}
	case 13:
		key := pick(g, credentialKeys)
		sep := "="
		if strings.ContainsRune("口令密码", []rune(key)[0]) {
			sep = "："
		}
		return []piece{plain("测试账号 " + key + sep), pii(Credential, g.secret(key)), plain(" 请勿外传。")}
	case 14:
		return []piece{plain("门禁系统已采集" + pick(g, biometricKinds) + "："), pii(Biometric, g.biometric()), plain("。")}
	case 15:
		return []piece{plain("访问来源 "), pii(IPv6, g.ipv6()), plain("，订单号"), g.decoyPiece(KindOrderNumber), plain("，客服热线"), g.decoyPiece(KindService), plain("。")}
	case 16:
		return []piece{plain("病史："), pii(Health, pick(g, diseases)), plain("。诊断："), pii(Health, pick(g, diseases)), plain("，建议复查。")}
	case 17:
		return []piece{plain("持卡人"), nm, plain("，卡号 "), g.cardPiece(p.card), plain("，预留手机"), g.mobilePiece(p.mobile, false), plain("。")}
	case 18:
		return []piece{plain("姓名："), nm, plain("，证件号码："), g.idPiece(p), plain("，现住址："), pii(Address, p.address), plain("。")}
	case 19:
		return []piece{plain("本次活动在"), g.decoyPiece(KindNameLookalike), plain("举行，"), g.decoyPiece(KindPlaceEthnic), plain("文旅局协办，版本号 "), g.decoyPiece(KindVersion), plain("。")}
	case 20:
		return []piece{plain("该生"), nm, plain("，"), plain(fmt.Sprintf("%d岁", p.age(g))), plain("，民族"), pii(Ethnicity, pick(g, ethnicGroups)), plain("，监护人电话"), g.mobilePiece(pick(g, mobilePrefixes)+g.digits(8), false), plain("。")}
	case 21:
		return []piece{plain("投保人"), nm, plain("患有"), pii(Health, pick(g, diseases)), plain("，信仰"), pii(Religion, pick(g, religions)), plain("。")}
	case 22:
		return []piece{plain("设备 imei "), g.decoyPiece(KindIMEI), plain(" 于 "), g.decoyPiece(KindMsTimestamp), plain(" 上报位置 "), pii(GeoCoordinate, g.geo()), plain("。")}
	case 24:
		return []piece{nm, plain(fmt.Sprintf("（%s，%d岁）于", p.gender(), p.age(g))), g.decoyPiece(KindDate), plain("入院，主诉头痛三天，初步诊断为"), pii(Health, pick(g, diseases)), plain("，有"), pii(Health, pick(g, diseases)), plain("家族史。")}
	case 25:
		return []piece{plain("兹证明"), nm, plain("同志系我单位职工，身份证号码"), g.idPiece(p), plain("，特此证明。")}
	case 26:
		return []piece{plain("经办人："), nm, plain("  复核："), pii(Name, g.name()), plain("  日期："), g.decoyPiece(KindDate), plain("。")}
	case 27:
		return []piece{plain("快递请寄往"), pii(Address, p.address), plain("，邮编"), g.decoyPiece(KindPostcode), plain("，收件人"), nm, plain("。")}
	case 28:
		return []piece{plain("Contact: "), pii(Email, p.email), plain(", Tel: "), g.mobilePiece(p.mobile, true), plain(", Office: "), g.landlinePiece(), plain(".")}
	case 29:
		return []piece{plain("乘客"), nm, plain("，证件类型：护照，证件号"), pii(Passport, g.passport()), plain("，航班 CA1831。")}
	case 30:
		return []piece{nm, plain("，" + p.gender() + "，生于"), pii(BirthDate, g.birthDate(p.birth)), plain("，现居"), pii(Address, p.address), plain("。")}
	case 31:
		return []piece{plain("合同于"), g.decoyPiece(KindDate), plain("签署，总金额¥"), plain(fmt.Sprintf("%d,%03d.%02d", g.between(1, 999), g.n(1000), g.n(100))), plain("，甲方开户行"), plain(pick(g, bins).bank), plain("，账号"), g.cardPiece(g.cardNumber()), plain("。")}
	case 32:
		return []piece{plain("登录日志：用户 "), pii(Email, p.email), plain(" 从 "), pii(IPv6, g.ipv6()), plain(" 登录，客户端版本 "), g.decoyPiece(KindVersion), plain("。")}
	case 33:
		return []piece{plain("访客"), nm, plain("驾驶"), pii(LicensePlate, g.plate()), plain("进入园区，登记手机"), g.mobilePiece(p.mobile, false), plain("，宗教"), pii(Religion, pick(g, religions)), plain("。")}
	default:
		return []piece{cue(CriminalRecord, "犯罪记录"), plain("："), pii(CriminalRecord, pick(g, crimes)), plain("；生日 "), pii(BirthDate, g.birthDate(p.birth)), plain("；联系人"), nm, plain("。")}
	}
}

// paragraph is 2-4 sentences about one person.
func (g *gen) paragraph() []piece {
	p := g.person()
	var ps []piece
	for range g.between(2, 4) {
		ps = append(ps, g.sentence(p)...)
	}
	return ps
}

// fillerClauses are neutral sentences with the numbers ordinary business
// text carries (counts, amounts, durations, percentages, dates) and no PI.
var fillerClauses = []string{
	"系统于%s完成第%d批数据同步，共处理%d条记录，耗时%d毫秒。",
	"本季度营业收入同比增长%d.%d%%，净利润%d万元，环比下降%d个百分点。",
	"会议纪要：第%d次项目例会讨论了接口改造方案，预计%d个工作日内完成。",
	"仓库盘点结果显示库存%d件，其中破损%d件，退货率%d.%d%%。",
	"根据平台规则，单笔订单满%d元可享受%d元优惠，活动截止到%s。",
	"服务器集群共有%d个节点，CPU平均使用率%d%%，内存占用%dGB。",
	"今日天气多云转晴，气温%d至%d摄氏度，空气质量指数%d。",
	"新版本修复了%d个已知问题，并对首页加载速度进行了优化，平均提升%d%%。",
	"培训课程共%d课时，参加人数%d人，考核通过率%d%%。",
	"物流中心当日发出包裹%d件，准时率%d.%d%%，平均配送时长%d小时。",
	"The batch job processed %d rows in %d ms with %d retries.",
	"cache hit ratio %d%%, evictions %d, p99 latency %dms",
}

// filler is one line of neutral text.
func (g *gen) filler() string {
	c := pick(g, fillerClauses)
	var args []any
	for i := 0; i < len(c)-1; i++ {
		if c[i] != '%' {
			continue
		}
		switch c[i+1] {
		case 'd':
			args = append(args, g.between(1, 99999))
		case 's':
			args = append(args, g.decoyText(KindDate))
		}
		i++
	}
	return fmt.Sprintf(c, args...)
}

// cued is a value with the words that may introduce it.
type cued struct {
	cues []string
	val  func(g *gen, p *person) piece
}

var cuedValues = []cued{
	{[]string{"联系人", "客户", "用户", "患者", "收件人", "持卡人", "经办人", "申请人", "乘客", "员工", "姓名", "户主", "监护人", "委托人"},
		func(g *gen, p *person) piece { return pii(Name, p.name) }},
	{[]string{"地址", "住址", "现住址", "家庭住址", "收货地址", "户籍地址", "通讯地址", "居住地"},
		func(g *gen, p *person) piece { return pii(Address, p.address) }},
	{[]string{"身份证", "身份证号", "证件号", "公民身份号码", "身份证号码", "ID"},
		func(g *gen, p *person) piece { return g.idPiece(p) }},
	{[]string{"手机", "电话", "联系方式", "Tel", "手机号码", "联系电话", "微信同号"},
		func(g *gen, p *person) piece { return g.mobilePiece(p.mobile, true) }},
	{[]string{"座机", "办公电话", "固话", "电话"},
		func(g *gen, p *person) piece { return g.landlinePiece() }},
	{[]string{"卡号", "银行卡", "银行账号", "收款账户", "还款卡"},
		func(g *gen, p *person) piece { return g.cardPiece(p.card) }},
	{[]string{"邮箱", "Email", "电子邮件", "E-mail"},
		func(g *gen, p *person) piece { return pii(Email, p.email) }},
	{[]string{"出生日期", "生日", "出生年月日", "DOB"},
		func(g *gen, p *person) piece { return pii(BirthDate, g.birthDate(p.birth)) }},
	{[]string{"护照", "护照号", "护照号码"},
		func(g *gen, p *person) piece { return pii(Passport, g.passport()) }},
	{[]string{"通行证", "港澳通行证", "回乡证", "台湾通行证"},
		func(g *gen, p *person) piece { return pii(TravelPermit, g.travelPermit()) }},
	{[]string{"车牌", "车牌号", "号牌"},
		func(g *gen, p *person) piece { return pii(LicensePlate, g.plate()) }},
	{[]string{"IP", "登录IP", "来源地址"},
		func(g *gen, p *person) piece { return pii(IPv4, g.ipv4()) }},
	{[]string{"民族"},
		func(g *gen, p *person) piece { return pii(Ethnicity, pick(g, ethnicGroups)) }},
	{[]string{"宗教信仰", "信仰", "宗教"},
		func(g *gen, p *person) piece { return pii(Religion, pick(g, religions)) }},
	{[]string{"诊断", "病史", "确诊", "既往史", "主要诊断"},
		func(g *gen, p *person) piece { return pii(Health, pick(g, diseases)) }},
	{[]string{"罪名", "涉嫌", "前科记录"},
		func(g *gen, p *person) piece { return pii(CriminalRecord, pick(g, crimes)) }},
	{[]string{"性取向"},
		func(g *gen, p *person) piece { return pii(SexualOrientation, pick(g, orientations)) }},
	{[]string{"定位", "坐标", "经纬度", "GPS"},
		func(g *gen, p *person) piece { return pii(GeoCoordinate, g.geo()) }},
	{[]string{"订单号", "流水号", "设备号", "请求ID"},
		func(g *gen, p *person) piece {
			return g.decoyPiece(pick(g, []string{KindOrderNumber, KindTraceID, KindIMEI, KindUUID, KindMsTimestamp}))
		}},
}

var cueSeparators = []string{"：", ":", "：", " ", "为", "是"}
var fieldSeparators = []string{"，", "；", "、", " ", " | ", "，"}

// fieldSentence is 2-5 "cue: value" pairs in random order with varied
// punctuation, the shape of form dumps and customer-service notes.
func (g *gen) fieldSentence(p *person) []piece {
	var ps []piece
	k := g.between(2, 5)
	for i := 0; i < k; i++ {
		c := pick(g, cuedValues)
		if i > 0 {
			ps = append(ps, plain(pick(g, fieldSeparators)))
		}
		cw := pick(g, c.cues)
		if strings.Contains(cw, "前科") {
			ps = append(ps, cue(CriminalRecord, cw)) // 前科 itself tells of a record
		} else {
			ps = append(ps, plain(cw))
		}
		ps = append(ps, plain(pick(g, cueSeparators)), c.val(g, p))
	}
	return append(ps, plain(pick(g, []string{"。", "。", "；"})))
}
