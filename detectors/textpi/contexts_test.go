package textpi

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/piiscan/piiscan/detectors/pi"
)

// Independent material for TestGeneratedContexts: surnames, given-name
// characters and addresses typed here, not read from the generated tables,
// so that random names the tables never saw (梓萱, 浩宇) are part of the test.
var (
	ctxSurnames = strings.Fields("王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 林 罗 高 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 彭 曾 肖 田 董 袁 潘 于 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈 姚 卢 姜 崔 钟 谭 陆 汪 范 金 石 廖 贾 夏 韦 付 方 白 邹 孟 熊 秦 邱 江 尹 薛 闫 段 雷 侯 龙 史 黎 贺 顾 毛 郝 龚 邵 万 覃 欧阳 司马 上官 诸葛 东方 皇甫 尉迟 司徒 慕容 令狐")
	ctxGiven    = []rune("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰玲华飞鹏辉建红燕志宇俊浩婷雪梅琳晨欣怡子轩涵博文彬鑫慧倩颖璐佳瑶思雨嘉琪昊然睿泽晓东海波宁凯锋斌佩珊峰萍琴蕾瑞诗悦梓航豪妍萱烨琛逸霖钰婕翔炜")
	ctxAddrs    = []string{
		"北京市海淀区学院路30号",
		"上海市闵行区莘庄镇都市路5001号",
		"广东省佛山市顺德区大良街道德和路8号",
		"江苏省无锡市滨湖区蠡湖大道1800号",
		"湖南省株洲市天元区黄河北路1199号",
		"陕西省宝鸡市渭滨区经二路63号3单元402室",
		"黑龙江省大庆市萨尔图区东风路22号",
		"广西壮族自治区桂林市七星区漓江路12号",
		"四川省绵阳市涪城区临园路东段59号",
		"浙江省温州市鹿城区五马街道解放街113号",
		"天津市南开区卫津路94号",
		"福建省福州市鼓楼区五四路158号环球广场15层",
		"山东省济南市历下区泉城路180号",
		"辽宁省沈阳市皇姑区北陵大街45号",
		"云南省丽江市古城区束河街道龙泉村",
		"安徽省芜湖市镜湖区中山北路77号",
	}
	// Templates: %N a name, %A an address, %P a mobile number.
	ctxTemplates = []string{
		"%N，男，45岁，因腹痛两天入院。",
		"%N，女，32岁，主诉头晕乏力。",
		"尊敬的%N先生，您的账户已开通。",
		"经办人：%N  审核人：%N",
		"收货人：%N，收货地址：%A，电话：%P",
		"%N（%P）已签收",
		"请%N同学到教务处领取证书。",
		"%N女士您好，您预约的体检时间为周三上午。",
		"学生姓名：%N，班级：三年二班",
		"我是%N，请问我的订单到哪了？",
		"紧急联系人：%N（配偶）%P",
		"申请人%N的住址为%A。",
		"被告人%N，男，住%A。",
		"医生：%N  护士：%N",
		"司机%N师傅已接单，车牌尾号1234。",
		"%N老师布置了作业。",
		"寄件人：%N，寄件地址：%A",
		"您的快递已送达%A，签收人：%N",
		"持卡人%N于今日办理了挂失。",
		"患者%N，既往体健，否认过敏史。",
		"联系人：%N、%N",
		"户主%N，家庭住址%A",
		"%N先生，您的包裹已放在%A。",
		"乘客%N，证件类型：身份证。",
		"投保人：%N，被保险人：%N，受益人：%N",
		"现住址：%A，联系人%N，手机%P",
		"本次会议由%N主持。",
		"发件人 %N <service@example.cn>",
		"%N 13800001111 %A",
		"客户%N对处理结果表示满意。",
	}
)

func ctxName(r *rand.Rand) string {
	n := ctxSurnames[r.IntN(len(ctxSurnames))] + string(ctxGiven[r.IntN(len(ctxGiven))])
	if r.IntN(3) > 0 {
		n += string(ctxGiven[r.IntN(len(ctxGiven))])
	}
	return n
}

// TestGeneratedContexts plants random names and addresses into varied
// templates (records, letters, chats, forms) and scores exact spans. It
// measures generalisation to names the tables never saw, with floors a
// little under the project's.
func TestGeneratedContexts(t *testing.T) {
	d := New()
	r := rand.New(rand.NewPCG(11, 12))
	c := map[pi.TypeID]*counts{pi.Name: {}, pi.Address: {}}
	shown := 0
	for range 3000 {
		tpl := ctxTemplates[r.IntN(len(ctxTemplates))]
		var b strings.Builder
		var want []pi.Match
		for i := 0; i < len(tpl); i++ {
			if tpl[i] != '%' || i+1 == len(tpl) {
				b.WriteByte(tpl[i])
				continue
			}
			i++
			start := b.Len()
			switch tpl[i] {
			case 'N':
				b.WriteString(ctxName(r))
				want = append(want, pi.Match{Type: pi.Name, Start: start, End: b.Len()})
			case 'A':
				b.WriteString(ctxAddrs[r.IntN(len(ctxAddrs))])
				want = append(want, pi.Match{Type: pi.Address, Start: start, End: b.Len()})
			case 'P':
				fmt.Fprintf(&b, "1%d%09d", 3+r.IntN(7), r.IntN(1000000000))
			}
		}
		text := b.String()
		got := d.Find([]byte(text), nil, nil)
		key := func(m pi.Match) string { return fmt.Sprintf("%s %d %d", m.Type, m.Start, m.End) }
		wantSet := map[string]bool{}
		for _, m := range want {
			wantSet[key(m)] = true
		}
		gotSet := map[string]bool{}
		for _, m := range got {
			gotSet[key(m)] = true
			if wantSet[key(m)] {
				c[m.Type].tp++
			} else {
				c[m.Type].fp++
				if shown < 20 {
					shown++
					t.Logf("unexpected %s %q in %q", m.Type, text[m.Start:m.End], text)
				}
			}
		}
		for _, m := range want {
			if !gotSet[key(m)] {
				c[m.Type].fn++
				if shown < 20 {
					shown++
					t.Logf("missed %s %q in %q", m.Type, text[m.Start:m.End], text)
				}
			}
		}
	}
	floors := map[pi.TypeID]float64{pi.Name: 0.90, pi.Address: 0.90}
	for _, typ := range []pi.TypeID{pi.Name, pi.Address} {
		p, rc, f1 := c[typ].scores()
		t.Logf("%s: precision %.3f recall %.3f F1 %.3f %+v", typ, p, rc, f1, *c[typ])
		if f1 < floors[typ] {
			t.Errorf("%s F1 %.3f below %.2f", typ, f1, floors[typ])
		}
	}
}
