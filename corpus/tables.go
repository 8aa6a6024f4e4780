package corpus

// The tables below are the corpus generator's own, hand-picked from public
// references (GB/T 2260 administrative division codes, banks' published BIN
// prefixes, MIIT number-segment allocations, the list of China's 56 ethnic
// groups, Criminal Law 罪名). They are deliberately small and independent of
// the tables in detectors/: a value the corpus calls valid must be valid by
// the standard, not by the code under test.

// region is one county-level division: its GB/T 2260 code and the names an
// address uses. province is "" for the municipalities' own names.
type region struct {
	code                     string
	province, city, district string
}

var regions = []region{
	{"110101", "", "北京市", "东城区"},
	{"110102", "", "北京市", "西城区"},
	{"110105", "", "北京市", "朝阳区"},
	{"110106", "", "北京市", "丰台区"},
	{"110108", "", "北京市", "海淀区"},
	{"120101", "", "天津市", "和平区"},
	{"120104", "", "天津市", "南开区"},
	{"130102", "河北省", "石家庄市", "长安区"},
	{"140105", "山西省", "太原市", "小店区"},
	{"210102", "辽宁省", "沈阳市", "和平区"},
	{"210202", "辽宁省", "大连市", "中山区"},
	{"220102", "吉林省", "长春市", "南关区"},
	{"222401", "吉林省", "延边朝鲜族自治州", "延吉市"},
	{"230102", "黑龙江省", "哈尔滨市", "道里区"},
	{"310101", "", "上海市", "黄浦区"},
	{"310104", "", "上海市", "徐汇区"},
	{"310105", "", "上海市", "长宁区"},
	{"310115", "", "上海市", "浦东新区"},
	{"320102", "江苏省", "南京市", "玄武区"},
	{"320106", "江苏省", "南京市", "鼓楼区"},
	{"320508", "江苏省", "苏州市", "姑苏区"},
	{"330106", "浙江省", "杭州市", "西湖区"},
	{"330203", "浙江省", "宁波市", "海曙区"},
	{"340102", "安徽省", "合肥市", "瑶海区"},
	{"350102", "福建省", "福州市", "鼓楼区"},
	{"350203", "福建省", "厦门市", "思明区"},
	{"360102", "江西省", "南昌市", "东湖区"},
	{"370102", "山东省", "济南市", "历下区"},
	{"370202", "山东省", "青岛市", "市南区"},
	{"410102", "河南省", "郑州市", "中原区"},
	{"420102", "湖北省", "武汉市", "江岸区"},
	{"420106", "湖北省", "武汉市", "武昌区"},
	{"422801", "湖北省", "恩施土家族苗族自治州", "恩施市"},
	{"430102", "湖南省", "长沙市", "芙蓉区"},
	{"440104", "广东省", "广州市", "越秀区"},
	{"440106", "广东省", "广州市", "天河区"},
	{"440303", "广东省", "深圳市", "罗湖区"},
	{"440304", "广东省", "深圳市", "福田区"},
	{"440305", "广东省", "深圳市", "南山区"},
	{"450102", "广西壮族自治区", "南宁市", "兴宁区"},
	{"460105", "海南省", "海口市", "秀英区"},
	{"500103", "", "重庆市", "渝中区"},
	{"500243", "", "重庆市", "彭水苗族土家族自治县"},
	{"510104", "四川省", "成都市", "锦江区"},
	{"510107", "四川省", "成都市", "武侯区"},
	{"520102", "贵州省", "贵阳市", "南明区"},
	{"522601", "贵州省", "黔东南苗族侗族自治州", "凯里市"},
	{"530102", "云南省", "昆明市", "五华区"},
	{"532901", "云南省", "大理白族自治州", "大理市"},
	{"610113", "陕西省", "西安市", "雁塔区"},
	{"620102", "甘肃省", "兰州市", "城关区"},
	{"622901", "甘肃省", "临夏回族自治州", "临夏市"},
	{"640104", "宁夏回族自治区", "银川市", "兴庆区"},
	{"650102", "新疆维吾尔自治区", "乌鲁木齐市", "天山区"},
}

// provincePrefixes are the first two digits of every province-level code.
// Decoys with an invalid region use a prefix outside this set.
var provincePrefixes = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true, "83": true, "91": true,
}

// bin is an issuer identification number prefix of a Chinese bank card and
// the card length that issuer uses for it.
type bin struct {
	prefix string
	length int
	bank   string
}

var bins = []bin{
	{"622202", 19, "工商银行"},
	{"622208", 19, "工商银行"},
	{"621226", 19, "工商银行"},
	{"621700", 19, "建设银行"},
	{"622700", 19, "建设银行"},
	{"436742", 19, "建设银行"},
	{"622280", 19, "建设银行"},
	{"622848", 19, "农业银行"},
	{"622845", 19, "农业银行"},
	{"621661", 19, "中国银行"},
	{"621660", 19, "中国银行"},
	{"601382", 19, "中国银行"},
	{"622588", 16, "招商银行"},
	{"621483", 16, "招商银行"},
	{"622262", 19, "交通银行"},
	{"621799", 19, "邮储银行"},
	{"622188", 19, "邮储银行"},
	{"622690", 16, "中信银行"},
	{"622909", 18, "兴业银行"},
	{"622908", 18, "兴业银行"},
	{"622622", 16, "民生银行"},
	{"622630", 16, "华夏银行"},
}

// mobilePrefixes are the allocated 3-digit mainland mobile segments the
// corpus uses (voice, data and virtual-operator segments).
var mobilePrefixes = []string{
	"130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
	"145", "147", "149",
	"150", "151", "152", "153", "155", "156", "157", "158", "159",
	"162", "165", "166", "167",
	"170", "171", "172", "173", "175", "176", "177", "178",
	"180", "181", "182", "183", "184", "185", "186", "187", "188", "189",
	"190", "191", "192", "193", "195", "196", "197", "198", "199",
}

// areaCodes are long-distance area codes; 3-digit codes (010, 02x) have
// 8-digit subscriber numbers, 4-digit ones 7 or 8.
var areaCodes = []string{
	"010", "020", "021", "022", "023", "024", "025", "027", "028", "029",
	"0311", "0351", "0371", "0431", "0451", "0531", "0532", "0551", "0571",
	"0574", "0591", "0592", "0755", "0756", "0769", "0512", "0510", "0731",
	"0771", "0851", "0871", "0898", "0931", "0991",
}

var plateProvinces = []string{
	"京", "津", "沪", "渝", "冀", "晋", "辽", "吉", "黑", "苏", "浙", "皖", "闽",
	"赣", "鲁", "豫", "鄂", "湘", "粤", "桂", "琼", "川", "贵", "云", "陕", "甘",
	"青", "宁", "新", "蒙", "藏",
}

// plateLetters excludes I and O, which plates do not use.
const plateLetters = "ABCDEFGHJKLMNPQRSTUVWXYZ"

var surnames = []string{
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马",
	"朱", "胡", "郭", "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "许",
	"韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋",
	"蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢",
	"姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦",
	"付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "闫", "段",
	"雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万",
}

var compoundSurnames = []string{
	"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "司徒", "慕容", "令狐", "夏侯", "公孙",
}

// givenChars are characters common in given names.
var givenChars = []rune("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰玲华飞鹏辉建红燕" +
	"志宇俊浩婷雪梅琳晨欣怡子轩涵博文彬鑫慧倩颖璐佳瑶思雨嘉琪昊然睿泽" +
	"晓东海波宁凯锋斌佩珊峰萍琴蕾瑞诗悦梓航豪妍")

var roads = []string{
	"人民路", "解放路", "中山路", "建设路", "和平路", "长江路", "文化路", "新华路",
	"胜利路", "青年路", "东风路", "光明路", "幸福路", "朝阳路", "滨河路", "学府路",
	"科技路", "南京西路", "建国路", "中关村大街", "淮海中路", "天府大道",
}

var communities = []string{
	"阳光花园", "锦绣华庭", "金色家园", "翠湖小区", "幸福里小区", "新城公寓", "绿城桂花园", "碧桂园",
}

var emailDomains = []string{
	"163.com", "126.com", "qq.com", "sina.com", "sohu.com", "foxmail.com",
	"gmail.com", "outlook.com", "139.com", "aliyun.com", "example.com.cn", "corp.example.cn",
}

var pinyin = []string{
	"wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou",
	"xu", "sun", "ma", "zhu", "hu", "guo", "lin", "gao", "wei", "fang", "jing",
	"min", "lei", "jun", "yong", "tao", "ming", "chao", "xia", "hui", "yu", "hao",
}

var ethnicGroups = []string{
	"汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族",
	"朝鲜族", "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族",
	"黎族", "傈僳族", "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族",
	"景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族",
	"毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族",
	"俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族", "独龙族",
	"鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
}

var religions = []string{"佛教", "道教", "伊斯兰教", "基督教", "天主教", "东正教"}

var diseases = []string{
	"高血压", "糖尿病", "冠心病", "慢性乙型病毒性肝炎", "肺结核", "抑郁症", "精神分裂症",
	"艾滋病", "支气管哮喘", "慢性胃炎", "类风湿关节炎", "帕金森病", "阿尔茨海默病",
	"脑梗死", "乳腺癌", "肺癌", "白血病", "癫痫", "系统性红斑狼疮", "慢性肾脏病",
	"甲状腺功能亢进症", "病毒性心肌炎", "梅毒", "双相情感障碍", "胃溃疡", "痛风",
}

var orientations = []string{"同性恋", "双性恋", "异性恋", "无性恋"}

var crimes = []string{
	"盗窃罪", "诈骗罪", "故意伤害罪", "抢劫罪", "危险驾驶罪", "交通肇事罪", "贪污罪",
	"受贿罪", "非法吸收公众存款罪", "寻衅滋事罪", "职务侵占罪", "开设赌场罪", "敲诈勒索罪",
	"聚众斗殴罪", "非法拘禁罪",
}

// biometricKinds are cues that precede biometric template data.
var biometricKinds = []string{"指纹模板", "人脸特征值", "虹膜编码", "声纹特征"}

// credentialKeys are key names whose values are secrets.
var credentialKeys = []string{"password", "passwd", "pwd", "口令", "密码", "token", "api_key", "secret"}

// cities with plausible coordinates (lat, lng) for geo positions.
var cityCoords = [][2]float64{
	{39.9042, 116.4074}, {31.2304, 121.4737}, {23.1291, 113.2644}, {22.5431, 114.0579},
	{30.2741, 120.1551}, {30.5728, 104.0668}, {34.3416, 108.9398}, {29.5630, 106.5516},
}

// placeLookalikes and wordLookalikes start with a surname character but are
// not names; the decoy sentences put them where a name detector might look.
var placeLookalikes = []string{
	"王府井", "张家界", "常州", "石家庄", "江南古镇", "万达广场", "黄山", "高新园区", "周庄", "金沙滩",
}

var wordLookalikes = []string{
	"金额", "文件", "安全", "方案", "程序", "周末", "林业", "高速公路", "黄金周", "白天", "马上", "宋体", "杜绝",
}

// placesWithEthnicNames contain an ethnic group's name but are places.
var placesWithEthnicNames = []string{
	"彭水苗族土家族自治县", "延边朝鲜族自治州", "恩施土家族苗族自治州", "大理白族自治州",
	"西双版纳傣族自治州", "广西壮族自治区", "宁夏回族自治区", "黔东南苗族侗族自治州", "长阳土家族自治县",
}

// serviceNumbers are customer-service and short numbers, not personal phones.
var serviceNumbers = []string{
	"95588", "95533", "95599", "95566", "95555", "10086", "10010", "10000", "12306",
	"12315", "12345", "400-820-8820", "400-600-8888", "4008208820", "800-820-8820", "95508",
}
