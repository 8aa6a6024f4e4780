package corpus

import (
	"fmt"
	"strings"
)

// Format is one kind of generated file.
type Format string

const (
	FormatCSVZh  Format = "csv-zh" // customers.csv: Chinese headers, free-text 备注 with quotes and newlines
	FormatCSVEn  Format = "csv-en" // users.csv: English headers, decoy columns
	FormatJSONL  Format = "jsonl"  // app.jsonl: JSON-lines application log, nested keys, escapes
	FormatLog    Format = "log"    // access.log: web access and service log lines
	FormatSQL    Format = "sql"    // shop.sql: mysqldump with extended INSERTs
	FormatText   Format = "text"   // notes.txt: free Chinese prose
	FormatDecoys Format = "decoys" // decoys.log: hard negatives only
	FormatMixed  Format = "mixed"  // bench: mostly neutral prose with numbers, a fifth PI-bearing lines
	FormatDense  Format = "dense"  // bench: PI-bearing paragraphs, log and decoy lines only
)

// Formats lists the formats Generate writes.
var Formats = []Format{FormatCSVZh, FormatCSVEn, FormatJSONL, FormatLog, FormatSQL, FormatText, FormatDecoys}

func csvEscape(s string) string { return strings.ReplaceAll(s, `"`, `""`) }

var jsonReplacer = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`, "\r", `\r`, "。", `\u3002`)

func jsonEscape(s string) string { return jsonReplacer.Replace(s) }

var sqlReplacer = strings.NewReplacer(`\`, `\\`, `'`, `\'`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "\t", `\t`, "\x00", `\0`)

func sqlEscape(s string) string { return sqlReplacer.Replace(s) }

// csvField writes one CSV field, quoted when its text needs it.
func (o *out) csvField(ps ...piece) {
	quote := false
	for _, p := range ps {
		if strings.ContainsAny(p.text, ",\"\r\n") {
			quote = true
		}
	}
	if !quote {
		o.puts(ps, nil)
		return
	}
	o.raw(`"`)
	o.puts(ps, csvEscape)
	o.raw(`"`)
}

func (o *out) jsonString(ps ...piece) {
	o.raw(`"`)
	o.puts(ps, jsonEscape)
	o.raw(`"`)
}

func (o *out) sqlString(ps ...piece) {
	o.raw(`'`)
	o.puts(ps, sqlEscape)
	o.raw(`'`)
}

// remark is free text for note columns: a sentence, sometimes with quotes,
// commas and a line break in the plain text around the planted values.
func (g *gen) remark(p *person) []piece {
	ps := g.sentence(p)
	switch g.n(6) {
	case 0:
		ps = append([]piece{plain(`客服备注"加急",请核实：`)}, ps...)
	case 1:
		ps = append([]piece{plain("回访记录\n第二行：")}, ps...)
	case 2:
		ps = append([]piece{plain(`路径 C:\data\客户, 标记 'VIP' `)}, ps...)
	}
	return ps
}

func (g *gen) maybe(p float64, pc piece) piece {
	if g.chance(p) {
		return pc
	}
	return plain("")
}

func writeCSVZh(o *out, g *gen, size int64) {
	o.raw("编号,姓名,性别,民族,身份证号,手机,银行卡号,地址,备注\n")
	for i := 1; o.off < size; i++ {
		p := g.person()
		o.raw(fmt.Sprintf("%d,", i))
		o.csvField(pii(Name, p.name))
		o.raw("," + p.gender() + ",")
		o.csvField(g.maybe(0.9, pii(Ethnicity, pick(g, ethnicGroups))))
		o.raw(",")
		o.csvField(g.idPiece(p))
		o.raw(",")
		o.csvField(g.maybe(0.95, g.mobilePiece(p.mobile, true)))
		o.raw(",")
		o.csvField(g.maybe(0.9, g.cardPiece(p.card)))
		o.raw(",")
		o.csvField(g.maybe(0.95, pii(Address, p.address)))
		o.raw(",")
		if g.chance(0.6) {
			o.csvField(g.remark(p)...)
		}
		o.raw("\n")
	}
}

func writeCSVEn(o *out, g *gen, size int64) {
	o.raw("user_id,real_name,id_no,phone,tel,email,card_no,passport_no,permit_no,plate_no,birth_date,login_ip,login_ipv6,company_uscc,religion,device_imei,order_no,created_ms\n")
	for i := 0; o.off < size; i++ {
		p := g.person()
		o.raw(fmt.Sprintf("U%08d,", 10000000+i))
		o.csvField(pii(Name, p.name))
		o.raw(",")
		o.csvField(g.idPiece(p))
		o.raw(",")
		o.csvField(g.mobilePiece(p.mobile, true))
		o.raw(",")
		o.csvField(g.maybe(0.5, g.landlinePiece()))
		o.raw(",")
		o.csvField(pii(Email, p.email))
		o.raw(",")
		o.csvField(g.maybe(0.8, g.cardPiece(p.card)))
		o.raw(",")
		o.csvField(g.maybe(0.4, pii(Passport, g.passport())))
		o.raw(",")
		o.csvField(g.maybe(0.3, pii(TravelPermit, g.travelPermit())))
		o.raw(",")
		o.csvField(g.maybe(0.4, pii(LicensePlate, g.plate())))
		o.raw(",")
		o.csvField(pii(BirthDate, g.birthDate(p.birth)))
		o.raw(",")
		o.csvField(pii(IPv4, g.ipv4()))
		o.raw(",")
		o.csvField(g.maybe(0.5, pii(IPv6, g.ipv6())))
		o.raw(",")
		o.csvField(g.maybe(0.2, pii(USCC, g.uscc())))
		o.raw(",")
		o.csvField(g.maybe(0.15, pii(Religion, pick(g, religions))))
		o.raw(",")
		o.csvField(g.decoyPiece(KindIMEI))
		o.raw(",")
		o.csvField(g.decoyPiece(KindOrderNumber))
		o.raw(",")
		o.csvField(g.decoyPiece(KindMsTimestamp))
		o.raw("\n")
	}
}

func writeJSONL(o *out, g *gen, size int64) {
	for o.off < size {
		p := g.person()
		o.raw(`{"ts":`)
		o.jsonString(plain(g.now.AddDate(0, 0, -g.n(30)).Add(timeOfDay(g)).Format("2006-01-02T15:04:05.000+08:00")))
		o.raw(`,"level":"INFO","trace_id":`)
		o.jsonString(g.decoyPiece(KindUUID))
		switch g.n(4) {
		case 0:
			o.raw(`,"event":"register","user":{"name":`)
			o.jsonString(pii(Name, p.name))
			o.raw(`,"mobile":`)
			o.jsonString(g.mobilePiece(p.mobile, true))
			o.raw(`,"id_no":`)
			o.jsonString(g.idPiece(p))
			o.raw(`,"email":`)
			o.jsonString(pii(Email, p.email))
			o.raw(`},"client_ip":`)
			o.jsonString(pii(IPv4, g.ipv4()))
		case 1:
			o.raw(`,"event":"payment","payer":{"card_no":`)
			o.jsonString(g.cardPiece(p.card))
			o.raw(`,"holder":`)
			o.jsonString(pii(Name, p.name))
			o.raw(`},"order_no":`)
			o.jsonString(g.decoyPiece(KindOrderNumber))
			o.raw(`,"amount":`)
			o.raw(fmt.Sprintf("%d.%02d", g.between(1, 9999), g.n(100)))
		case 2:
			o.raw(`,"event":"delivery","receiver":{"name":`)
			o.jsonString(pii(Name, p.name))
			o.raw(`,"phone":`)
			o.jsonString(g.mobilePiece(p.mobile, false))
			o.raw(`,"address":`)
			o.jsonString(pii(Address, p.address))
			o.raw(`},"location":`)
			o.jsonString(pii(GeoCoordinate, g.geo()))
		default:
			o.raw(`,"event":"login","uid":`)
			o.raw(fmt.Sprint(g.between(100000, 999999)))
			o.raw(`,"ipv6":`)
			o.jsonString(pii(IPv6, g.ipv6()))
			o.raw(`,"device":{"imei":`)
			o.jsonString(g.decoyPiece(KindIMEI))
			o.raw(`,"app_version":`)
			o.jsonString(g.decoyPiece(KindVersion))
			o.raw(`}`)
		}
		o.raw(`,"msg":`)
		var msg []piece
		if g.chance(0.3) {
			msg = append(msg, plain("请求参数 {\"q\":\"x\"}\n\t"))
		}
		msg = append(msg, g.sentence(p)...)
		o.jsonString(msg...)
		o.raw("}\n")
	}
}

var userAgents = []string{
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 Safari/537.36",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49.2600",
	"okhttp/4.12.0",
}

func writeLog(o *out, g *gen, size int64) {
	for o.off < size {
		p := g.person()
		t := g.now.AddDate(0, 0, -g.n(30)).Add(timeOfDay(g))
		if g.chance(0.5) {
			o.put(pii(IPv4, g.ipv4()), nil)
			o.raw(" - - [" + t.Format("02/Jan/2006:15:04:05 -0700") + `] "GET /api/v1/user/profile?phone=`)
			o.put(pii(Mobile, p.mobile), nil)
			o.raw("&email=")
			o.put(pii(Email, p.email), nil)
			o.raw(fmt.Sprintf(` HTTP/1.1" 200 %d "-" "%s"`+"\n", g.between(200, 9000), pick(g, userAgents)))
			continue
		}
		o.raw(t.Format("2006-01-02 15:04:05.000") + " INFO [" + pick(g, []string{"OrderService", "UserService", "RiskEngine", "Notify"}) + "] ")
		o.puts(g.sentence(p), nil)
		if g.chance(0.3) {
			o.raw(" trace=")
			o.put(g.decoyPiece(KindTraceID), nil)
		}
		o.raw("\n")
	}
}

func writeText(o *out, g *gen, size int64) {
	for o.off < size {
		o.puts(g.paragraph(), nil)
		o.raw("\n\n")
	}
}

func writeDecoys(o *out, g *gen, size int64) {
	for o.off < size {
		o.puts(g.decoyLine(), nil)
	}
}

// writeMixed is the throughput benchmarks' "mixed Chinese text with
// embedded numbers": mostly neutral business prose and log lines with
// counts, amounts and dates, and every fifth line a paragraph about a person,
// a service log line or a decoy line.
func writeMixed(o *out, g *gen, size int64) {
	for o.off < size {
		switch n := g.n(15); {
		case n == 0:
			o.puts(g.paragraph(), nil)
			o.raw("\n")
		case n == 1:
			writeLog(o, g, o.off+1)
		case n == 2:
			o.puts(g.decoyLine(), nil)
		default:
			o.raw(g.filler())
			if g.chance(0.5) {
				o.raw(g.filler())
			}
			o.raw("\n")
		}
	}
}

// writeDense interleaves paragraphs, log lines and decoy lines with no
// neutral text: a worst case with a value every hundred-odd bytes.
func writeDense(o *out, g *gen, size int64) {
	for o.off < size {
		switch g.n(3) {
		case 0:
			o.puts(g.paragraph(), nil)
			o.raw("\n")
		case 1:
			writeLog(o, g, o.off+1)
		default:
			o.puts(g.decoyLine(), nil)
		}
	}
}
