package textpi

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/piiscan/piiscan/detectors/textpi/internal/gen"
)

// The rune tables cover every three-byte UTF-8 sequence with lead byte
// E4..E9: the CJK Unified Ideographs block (U+4E00–U+9FFF), where every
// character of a mainland name or address lives, and the tail of Extension A
// below it, so that decoding needs no range check; anything else is a separator.
const (
	hanLo = 0x4000
	hanHi = 0x9FFF
)

// Per-rune flags: what a character can start or be. Checked before any
// dictionary lookup so that most runes cost one array load.
const (
	fSurname     uint16 = 1 << iota // single surname, or first rune of a compound one
	fDictStart                      // first rune of a multi-rune dictionary word (cues, divisions, titles)
	fNoGiven                        // never part of a given name (的, 了, 说, 省, 路 ...)
	fBoundary                       // ends a name on its right (的, 说, 在, 男 ...)
	fLeftOK                         // a name may follow it directly (是, 叫, 和, 给 ...)
	fOrgSuffix                      // after a name-like run makes it a place or organisation (路, 公, 村 ...)
	fAddrSuffix                     // ends an address component (路, 号, 室, 村 ...)
	fAddrBreak                      // never inside an address component (的, 了, 我 ...)
	fNumSuffix                      // an address component that numbers something (号, 栋, 室 ...)
	fSingle                         // a single-rune surname
	fCompFirst                      // first rune of a compound surname
	fPlaceEnd                       // ends place names (庄, 山, 村) even where it is also a given-name rune
	fFuncSurname                    // a surname that is far more often a function word (和, 都, 有)
	fScanStart                      // first rune of a word the main loop looks for (cues, divisions)
	fTitleStart                     // first rune of a title (先生, 经理)
	fAreaEnd                        // last rune of an area word (风景区, 路口): areaWord looks only there
)

// scanKinds are the dictionary kinds the main loop looks up at every flagged rune.
const scanKinds = kDiv | kDivShort | kCueStrong | kCueWeak | kAddrCue

// Dictionary word kinds.
const (
	kCompound   uint16 = 1 << iota // compound surname (欧阳)
	kStop                          // common word starting with a surname rune (高血压)
	kDiv                           // full division name (北京市)
	kDivShort                      // short form of a division (北京)
	kCueStrong                     // name cue: 姓名, 收件人, 我叫
	kCueWeak                       // name cue: 用户, 我是, 客户
	kTitle                         // title after a name: 先生, 女士, 经理
	kTitleStr                      // strong title: 先生, 女士
	kBoundary                      // word that ends a name: 电话, 今年
	kOrg                           // organisation or place suffix word: 公司, 银行
	kAddrCue                       // address cue: 地址, 住在
	kAddrSuffix                    // multi-rune address component end: 小区, 单元
	kTail                          // frequent word ending in a surname rune: 证明, 大连
	kAddrStop                      // ends like a component but is an area, not an address: 风景区
)

type entry struct {
	word  string
	kind  uint16
	level uint8 // division level 1..3
}

// slot is one key of the frozen dictionary and its words.
type slot struct {
	key   uint64 // the six bytes of the words' first two runes; 0: empty
	start uint32 // the words: words[start : start+count] (and entries), longest first
	count uint16
	kinds uint16 // the union of the words' kinds: a lookup of other kinds stops here
}

// word is an entry as lookupVia compares it: the bytes after the key
// (bytes 6 to 13 of the word) as one integer, so that a word of up to
// 14 bytes (four runes and two of ASCII; nearly every word) is matched
// by one xor and mask against the same eight bytes of the value instead
// of a byte loop or a call to the runtime's memequal.
type word struct {
	tail  uint64 // the word's bytes 6..13, little endian, zero past its end
	mask  uint64 // the bits of tail that hold the word's bytes
	kind  uint16
	n     uint8  // the word's length in bytes
	level uint8  // division level 1..3
	long  uint32 // for n > 14: the index in longs of the word's bytes from 14 on
}

// slotBits is log2 of the number of slots: at most half of them full
// (freeze checks), so that a miss probes one or two.
const slotBits = 15

// wordsMax bounds the number of words (freeze checks): words is an array
// of it, a power of two, so that an index masked with it needs no check.
const wordsMax = 1 << 15

// tables is everything the detector knows, built once by New and read-only after.
type tables struct {
	flags   [hanHi - hanLo + 1]uint16
	surname [hanHi - hanLo + 1]int8 // single-surname score; 0 when not a surname
	given   [hanHi - hanLo + 1]int8 // given-name score; minGiven when unseen
	dict    map[uint64][]entry      // construction only: keyed by the six bytes of the first two runes, longest word first
	slots   *[1 << slotBits]slot    // frozen dict: open-addressing table (key 0 = empty)
	entries []entry                 // every entry, grouped by key (tests read the words here)
	words   *[wordsMax]word         // entries as lookupVia compares them
	longs   []string                // the ends of the words longer than 14 bytes (word.long)
	bloom   [bloomWords]uint64      // bit set of hashed two-rune keys in dict: most misses cost no map lookup
	// scanBloom holds only the keys of words of scanKinds: the main loop
	// looks up nothing else, and many scan-start runes (中, 安, 新) begin
	// far more stop words (中国, 安全, 新闻) than divisions or cues.
	scanBloom [bloomWords]uint64
	// suffixBloom holds the keys of the multi-rune component suffixes
	// (小区, 号楼), a few dozen: with scanBloom, which holds the divisions
	// and address cues, it is segment's filter (segMay), which the keys
	// of the stop and tail words (建国, 中国) that fill bloom do not pass.
	suffixBloom [suffixBloomWords]uint64
	compSc      map[string]int8 // compound surname scores
	// pair is the main loop's one-load filter (see buildPair): its low
	// byte says what a rune can start, its high byte what it can follow.
	// Indexed by pairKey of the rune's UTF-8 bytes, a uint16, so that the
	// hot loop needs no bounds check and no decoding (only U+4000–U+9FFF
	// is ever set).
	pair [1 << 16]uint32
	// single is quiet's score test for a single surname and the rune
	// after it, indexed by pairKey like pair so that the two runes need
	// no decoding (see buildSingle).
	single [1 << 16]uint16
}

// pairKey is pair's index for the three-byte rune whose UTF-8 bytes are
// the low three bytes of w (little endian; the byte above them does not
// matter). w ^ w>>6 keeps apart the sixteen bits that vary between
// three-byte sequences (TestPairKey checks all of them), in three
// instructions where decoding the rune took nine.
func pairKey(w uint32) uint16 { return uint16(w ^ w>>6) }

// runeKey is pairKey for a rune in U+0800–U+FFFF.
func runeKey(r rune) uint16 {
	return pairKey(uint32(0xE0|r>>12&0x0F) | uint32(0x80|r>>6&0x3F)<<8 | uint32(0x80|r&0x3F)<<16)
}

// Bits of pair's low half ("first" role, the rune's own) and high half
// ("second" role, shifted down: what the rune after it must allow). A rune
// at v[i] can start something only where first(r) & second(next rune) != 0.
const (
	// pScan is the scan group of a rune that starts a word of scanKinds;
	// as a second rune, the groups of the first runes of the scan words it
	// continues. Thirteen groups (bits 0-4 and 8-15) keep most unrelated
	// pairs apart: with five, ~145K meetings over 16 MB of mixed text
	// were scan groups alone that the bit set then rejected in quiet.
	pScan uint16 = 0xFF1F
	// pTitleStart (first role only, so never in a pair's intersection)
	// marks the first rune of a title (先生, 经理), for plausible. It is
	// in the low byte, where quiet's cueByte holds it too.
	pTitleStart        = 1 << 5 // untyped: quiet tests it in bytes
	pCompound   uint16 = 1 << 6 // first rune of a compound surname; as a second rune, a compound's second
	pSingle     uint16 = 1 << 7 // single surname, not a function word; followed by a possible given rune
)

// pLook marks the runes after a name where quiet's look-ahead may find
// something, for skipKernel, which tests two of them with one load each:
// pTitleStart, which the first roles of the runes led by E3 or EF (that
// quiet takes for separators) have too. Those runes start nothing else and
// no second role has the bit, so it never meets; quiet and plausible test
// it only where cueByte says a rune is an ideograph.
const pLook = uint32(pTitleStart)

const scanGroups = 13

// scanGroup is the pScan bit of r's group: group g < 5 is bit g, the
// others bits 8 and up.
func scanGroup(r rune) uint16 {
	g := uint32(r) % scanGroups
	if g >= 5 {
		g += 3
	}
	return 1 << g
}

// orgGivenMax is the given-name score from which a place or organisation
// suffix rune (峰, 江) stops being one by itself.
const orgGivenMax = 10

// minGiven is the score of a character never seen in a given name. The
// dictionary under-represents recent naming fashion (睿, 航, 萱), so an unseen
// character is only mildly unlikely; function words are excluded by flags.
const minGiven = -5

const bloomWords = 1 << 12 // 2^18 bits, 32 KiB

// bloomBit is the word and bit of a key in the bit set; lookup inlines the same hash.
func bloomBit(k uint64) (int, uint64) {
	h := (k * 0x9E3779B97F4A7C15) >> 46 // 18 bits
	return int(h >> 6), 1 << (h & 63)
}

// suffixBloomWords sizes suffixBloom: 4096 bits for a few dozen keys.
const suffixBloomWords = 1 << 6

func suffixBloomBit(k uint64) (int, uint64) {
	h := (k * 0x9E3779B97F4A7C15) >> 52 // 12 bits
	return int(h >> 6), 1 << (h & 63)
}

func han(r rune) bool { return r >= hanLo && r <= hanHi }

func (t *tables) flag(r rune, f uint16) {
	if han(r) {
		t.flags[r-hanLo] |= f
	}
}

func (t *tables) flagAll(s string, f uint16) {
	for _, r := range s {
		t.flag(r, f)
	}
}

// add puts a multi-rune word in the dictionary; single-rune words are flags.
func (t *tables) add(w string, kind uint16, level uint8) {
	r1, _ := utf8.DecodeRuneInString(w)
	r2, n2 := utf8.DecodeRuneInString(w[3:])
	if len(w) < 6 || n2 != 3 || !han(r1) || !han(r2) {
		panic("textpi: dictionary word must start with two ideographs: " + w)
	}
	k := rawKey([]byte(w[:6]))
	t.flag(r1, fDictStart)
	if kind&scanKinds != 0 {
		t.flag(r1, fScanStart)
	}
	if kind&(kTitle|kTitleStr) != 0 {
		t.flag(r1, fTitleStart)
	}
	w8, bit := bloomBit(k)
	t.bloom[w8] |= bit
	if kind&scanKinds != 0 {
		t.scanBloom[w8] |= bit
	}
	if kind&kAddrSuffix != 0 {
		sw, sbit := suffixBloomBit(k)
		t.suffixBloom[sw] |= sbit
	}
	es := t.dict[k]
	for i := range es {
		if es[i].word == w && es[i].level == level {
			es[i].kind |= kind
			return
		}
	}
	es = append(es, entry{word: w, kind: kind, level: level})
	// Longest first, so the first hit is the longest match.
	for i := len(es) - 1; i > 0 && len(es[i].word) > len(es[i-1].word); i-- {
		es[i], es[i-1] = es[i-1], es[i]
	}
	t.dict[k] = es
}

// lookup returns the longest dictionary word of one of kinds that starts at
// v[i:], its kinds and level. The key is the first six bytes, so no decoding
// is needed: only a key built from two ideographs can match.
func (t *tables) lookup(v []byte, i int, kinds uint16) (int, uint16, uint8) {
	return t.lookupVia(v, i, kinds, true)
}

// segKinds are the kinds segment looks up.
const segKinds = kAddrSuffix | kAddrCue | kDiv

// scanMay reports whether a word of scanKinds may start at v[i:] (i >= 0):
// scanBloom passes fewer keys than bloom, whose stop and tail words (建国,
// 中国) would each cost a probe of the table. Inlined, so that a key it
// rejects costs no call; lookupVia(v, i, kinds, false) then looks up a
// key it passes.
func (t *tables) scanMay(v []byte, i int) bool {
	if len(v)-i < 6 {
		return false
	}
	h := rawKey(v[i:i+6]) * 0x9E3779B97F4A7C15 >> 46
	return t.scanBloom[h>>6]&(1<<(h&63)) != 0
}

// segMay is scanMay for segKinds: a key must pass scanBloom (divisions and
// address cues) or suffixBloom (the suffixes).
func (t *tables) segMay(v []byte, i int) bool {
	if len(v)-i < 6 {
		return false
	}
	h := rawKey(v[i:i+6]) * 0x9E3779B97F4A7C15
	hb, hx := h>>46, h>>52
	return t.scanBloom[hb>>6]&(1<<(hb&63)) != 0 || t.suffixBloom[hx>>6]&(1<<(hx&63)) != 0
}

// lookupVia is lookup, with bloom's test or, when bloom is false, none:
// the caller has tested a narrower bit set (scanMay, segMay), or the
// kinds it looks up (scanKinds in Find's loop). One function, so that a
// key that passes its bit set costs one call, not a filter's and then
// the table's.
func (t *tables) lookupVia(v []byte, i int, kinds uint16, bloom bool) (int, uint16, uint8) {
	if i < 0 || i+6 > len(v) {
		return 0, 0, 0
	}
	k := rawKey(v[i : i+6]) // both ends: one bounds check, no pointer clamp
	h := k * 0x9E3779B97F4A7C15
	if hb := h >> 46; bloom && t.bloom[hb>>6]&(1<<(hb&63)) == 0 {
		return 0, 0, 0
	}
	s := h >> (64 - slotBits)
	sl := &t.slots[s]
	for sl.key != k {
		if sl.key == 0 {
			return 0, 0, 0
		}
		s = (s + 1) & (1<<slotBits - 1)
		sl = &t.slots[s]
	}
	if sl.kinds&kinds == 0 {
		return 0, 0, 0 // 中国 when a division is asked for
	}
	// The key is the words' first six bytes (add): only the rest is
	// compared, eight bytes of it at once (word).
	rem := len(v) - i
	var x uint64
	if rem >= 14 {
		x = binary.LittleEndian.Uint64(v[i+6 : i+14])
	} else {
		x = tailShort(v, i)
	}
	ws := t.words
	for j, e := sl.start, sl.start+uint32(sl.count); j < e; j++ {
		w := &ws[j&(wordsMax-1)] // j < len(entries) <= wordsMax (freeze)
		if w.kind&kinds == 0 || int(w.n) > rem || (x^w.tail)&w.mask != 0 {
			continue
		}
		if w.n > 14 {
			// No call in this loop: the registers stay unspilled for
			// the common words.
			return t.lookupLong(v, i, j, e, kinds, x)
		}
		return int(w.n), w.kind & kinds, w.level
	}
	return 0, 0, 0
}

// lookupLong is lookupVia's loop over words[j:e] from a word longer than
// 14 bytes whose first 14 match v[i:]: its remaining bytes are compared
// here.
func (t *tables) lookupLong(v []byte, i int, j, e uint32, kinds uint16, x uint64) (int, uint16, uint8) {
	rem := len(v) - i
	for ; j < e; j++ {
		w := &t.words[j&(wordsMax-1)]
		if w.kind&kinds == 0 || int(w.n) > rem || (x^w.tail)&w.mask != 0 ||
			w.n > 14 && string(v[i+14:i+int(w.n)]) != t.longs[w.long] {
			continue
		}
		return int(w.n), w.kind & kinds, w.level
	}
	return 0, 0, 0
}

// rawKey packs the six bytes at b[0:6] (two ideographs) into a key, in
// the machine's order on little-endian hardware: no byte swaps (the key
// is only hashed and compared).
func rawKey(b []byte) uint64 {
	return uint64(binary.LittleEndian.Uint32(b)) | uint64(binary.LittleEndian.Uint16(b[4:]))<<32
}

// freeze moves the dictionary into a flat open-addressing table: probing a
// few cache lines beats the general-purpose map on the hot path.
func (t *tables) freeze() {
	const n = 1 << slotBits
	if 2*len(t.dict) > n {
		panic("textpi: the dictionary has outgrown slotBits")
	}
	t.slots = new([n]slot)
	t.words = new([wordsMax]word)
	keys := make([]uint64, 0, len(t.dict))
	for k := range t.dict {
		keys = append(keys, k)
	}
	slices.Sort(keys) // deterministic layout
	for _, k := range keys {
		es := t.dict[k]
		h := (k * 0x9E3779B97F4A7C15) >> (64 - slotBits)
		for t.slots[h].key != 0 {
			h = (h + 1) & (n - 1)
		}
		sl := slot{key: k, start: uint32(len(t.entries)), count: uint16(len(es))}
		for j, e := range es {
			sl.kinds |= e.kind
			if len(t.entries)+len(es) > wordsMax {
				panic("textpi: the dictionary has outgrown wordsMax")
			}
			t.words[len(t.entries)+j] = t.frozenWord(e)
		}
		t.slots[h] = sl
		t.entries = append(t.entries, es...)
	}
	t.dict = nil
}

// frozenWord is e as lookupVia compares it.
func (t *tables) frozenWord(e entry) word {
	w := word{kind: e.kind, n: uint8(len(e.word)), level: e.level}
	if len(e.word) > 255 {
		panic("textpi: dictionary word too long: " + e.word)
	}
	for j := min(len(e.word), 14) - 1; j >= 6; j-- {
		w.tail = w.tail<<8 | uint64(e.word[j])
		w.mask = w.mask<<8 | 0xFF
	}
	if len(e.word) > 14 {
		w.long = uint32(len(t.longs))
		t.longs = append(t.longs, e.word[14:])
	}
	return w
}

// tailShort returns v[i+6:], fewer than eight bytes (i+6 <= len(v)),
// little endian, zero above: what word.tail is compared with near the end
// of v, where lookupVia cannot load v[i+6:i+14].
func tailShort(v []byte, i int) uint64 {
	rem := len(v) - i - 6 // 0..7
	if len(v) >= 8 {
		return binary.LittleEndian.Uint64(v[len(v)-8:]) >> (64 - 8*uint(rem)) // a shift of 64 gives 0
	}
	x := uint64(0)
	for j := len(v) - 1; j >= i+6; j-- {
		x = x<<8 | uint64(v[j])
	}
	return x
}

// inScanBloom reports whether the two-rune key k may start a word of scanKinds.
func (t *tables) inScanBloom(k uint64) bool {
	h := (k * 0x9E3779B97F4A7C15) >> 46
	return t.scanBloom[h>>6]&(1<<(h&63)) != 0
}

// tailAt reports whether a tail word (证明) starts at v[p:].
func (t *tables) tailAt(v []byte, p int) bool {
	n, _, _ := t.lookup(v, p, kTail)
	return n == 6
}

// hanAt decodes the ideograph at v[i:], if there is one: a three-byte
// sequence with lead byte E4..E9 (U+4000–U+9FFF).
func hanAt(v []byte, i int) (rune, bool) {
	// This form of the bounds test leaves one slice check instead of
	// three index checks and keeps hanAt inlined (it is on every hot path).
	if i < 0 || len(v)-i < 3 {
		return 0, false
	}
	b := v[i:]
	c, c1, c2 := b[0], b[1], b[2]
	if c-0xE4 > 5 || (c1^0x80)|(c2^0x80) > 0x3F {
		return 0, false
	}
	return rune(c&0x0F)<<12 | rune(c1&0x3F)<<6 | rune(c2&0x3F), true
}

// Hand-chosen context vocabulary. These are small closed classes (function
// words, cues, suffixes), not data tables, so they live in code.
const (
	// Runes that are never in a given name, and end a name on its right.
	boundaryRunes = "称的了说是在和与跟等已也都就又把被让给对从今昨您你我他她吗呢吧啊呀及或因所则却而并很还要会能去来到这那哪么着过其年日岁男女于病患入住称曾"
	// Surnames that are far more often function words: a name starting
	// with one needs a strong cue before it.
	funcSurnameRunes = "和都从那有能"
	// Runes after which a name may start directly.
	leftOKRunes = "的是叫和与跟给找让请问由被向对把及为称名人者户者长员师生士姐哥弟妹爸妈友"
	// Runes after a name-like run that make it a place or organisation.
	orgRunes = "省市县区州镇乡村路街道巷山河湖江桥家氏寺庙站港湾岛厂所局院楼馆店园城社处科组部队府宫里屯庄寨堡沟坡岭峰洲塘坝渡口门"
	// Single-rune ends of address components.
	addrSuffixRunes = "路街道巷弄号栋幢座塔室楼层村镇乡屯组苑庄坊湾城区寨堡坪营"
	numSuffixRunes  = "号栋幢座室楼层单户"
	// Runes that never occur inside an address component.
	addrBreakRunes = "不过的了是我你他她们吗呢吧啊请您把被说要会就也还很已将从对或但给到去有在及与这那个想让"
)

var (
	strongCueWords  = strings.Fields("发件人 收信人 经手人 签收人 代收人 户名 账户名 开户名 法人代表 持有人 托运人 发货人 报修人 预约人 送检人 联系人姓名 复核 复核人 审核 审核人 审批人 制单 制单人 制表人 填表人 记录人 检查人 验收人 收款人 付款人 交款人 领款人 承办人 出纳 会计 开票人 姓名 车主 该生 该员工 该患者 该用户 该客户 患儿 产妇 死者 名字 名叫 我叫 叫做 本人姓名 真实姓名 收件人 寄件人 收货人 联系人 持卡人 开户人 户主 申请人 患者 病人 就诊人 投保人 被保险人 受益人 法定代表人 借款人 担保人 签名 签字 经办人 负责人 委托人 监护人 紧急联系人 业主 乘车人 乘机人 入住人 购买人 领取人 报案人 当事人 嫌疑人 被告人 原告 被告 家属 配偶 客户姓名 用户姓名 学生姓名 员工姓名")
	weakCueWords    = strings.Fields("尊敬的 亲爱的 访客 证明 兹证明 驾驶员 用户 客户 会员 员工 学生 同学 同事 朋友 老师 医生 护士 经理 主任 我是 他是 她是 名为 父亲 母亲 丈夫 妻子 儿子 女儿 爱人 司机 骑手 快递员 乘客 旅客 租客 房东 教授 律师 记者 主治医师 医师 工号")
	titles          = strings.Fields("王爷 大叔 大爷 大妈 大娘 大哥 大姐 叔叔 伯伯 婆婆 奶奶 爷爷 秀才 木匠 老汉 老人 老太 师父 同志 老师 医生 护士 教授 经理 主任 总监 律师 同学 小姐 阿姨 师傅 警官 院长 所长 局长 部长 处长 科长 队长 站长 馆长 店长 厂长 校长 书记 主席 总裁 董事长 先生 女士 大夫 医师 主管 组长 博士 老板 您好 你好")
	strongTitles    = strings.Fields("先生 女士")
	boundaryWords   = strings.Fields("主持 主讲 发言 签发 批准 否认 承认 声称 签字 签名 说明 提出 拒绝 回答 回复 报告 陈述 介绍 证实 出示 填写 提供 接受 接到 联系电话 手机号 驾驶 进入 前往 来到 到达 离开 申请 提交 签署 参加 入住 乘坐 拨打 致电 发送 支付 下单 登录 注册 使用 预订 报名 确诊 持有 携带 领取 生于 毕业 就职 任职 担任 负责 通过 完成 同意 拒绝 取消 退货 退款 名下 本月 本周 上午 下午 晚上 电话 自述 自诉 自己 自幼 自称 手机 联系 身份证 证件 性别 年龄 今年 出生 住址 地址 家住 现住 来自 已经 因为 于是 目前 今天 昨天 明天 表示 认为 反映 告诉 需要 希望 要求 投诉 咨询 办理 签收 确认 收到 购买 预约 就诊 入院 出院 主诉 诊断 患有 男性 女性 本人 您好 你好 同学 同事 一起 共同")
	orgWords        = strings.Fields("公司 集团 银行 医院 大学 学院 学校 中学 小学 幼儿园 酒店 饭店 宾馆 商店 超市 商场 大厦 广场 中心 研究所 委员会 政府 法院 检察院 派出所 公安 分局 支行 分行 营业部 工作室 事务所 有限 股份 科技 实业 贸易 物流 餐厅 诊所 药店 车站 机场 大街 大道 胡同 小区 花园 公园 景区 街道 社区 新村 家园 工厂 合作社")
	addrCues        = strings.Fields("居住于 现居住于 现居住 居住地 现居住地 住所 所在地 住处 寄至 送至 发至 邮寄至 送货至 收货地 注册地址 办公地址 地址 住址 家庭住址 现住址 居住地址 户籍地址 户籍地 通讯地址 通信地址 收货地址 收件地址 寄件地址 送货地址 配送地址 联系地址 详细地址 家住 住在 居住在 现住 现居 寄到 送到 发往 寄往 搬到 位于 住于 籍贯")
	addrStopWords   = strings.Fields("风景区 景区 旅游区 度假区 保护区 商圈 市区 郊区 地区 片区 辖区 城区 山区 灾区 景点 城里 城外 路上 路口 路边 街上 街头")
	addrSuffixWords = strings.Fields("小区 花园 公寓 大厦 广场 中心 大道 大街 胡同 新村 家园 单元 号楼 号院 街道 社区 开发区 工业园 产业园 科技园 园区 新区 大楼 宿舍 商城 市场 别墅 山庄 村委会 居委会 组团 期")
)

// newTables parses the embedded generated tables and adds the closed-class
// vocabulary above.
func newTables() (*tables, error) {
	t := &tables{dict: make(map[uint64][]entry, 16384), compSc: map[string]int8{}}
	for i := range t.given {
		t.given[i] = minGiven
	}
	if err := eachRow(gen.Surnames, "surnames.tsv", 3, func(f []string) error {
		sc, err := strconv.Atoi(f[2])
		if err != nil {
			return err
		}
		rs := []rune(f[0])
		switch len(rs) {
		case 1:
			if han(rs[0]) {
				t.flag(rs[0], fSurname|fSingle)
				t.surname[rs[0]-hanLo] = int8(sc)
			}
		case 2:
			t.add(f[0], kCompound, 0)
			t.flag(rs[0], fSurname|fCompFirst)
			t.compSc[f[0]] = int8(sc)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if err := eachRow(gen.Given, "given.tsv", 3, func(f []string) error {
		sc, err := strconv.Atoi(f[2])
		if err != nil {
			return err
		}
		r, _ := utf8.DecodeRuneInString(f[0])
		if han(r) {
			t.given[r-hanLo] = int8(max(sc, minGiven))
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if err := eachRow(gen.StopWords, "stopwords.txt", 1, func(f []string) error {
		if utf8.RuneCountInString(f[0]) >= 2 {
			t.add(f[0], kStop, 0)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if err := eachRow(gen.TailWords, "tailwords.txt", 1, func(f []string) error {
		t.add(f[0], kTail, 0)
		return nil
	}); err != nil {
		return nil, err
	}
	if err := eachRow(gen.Divisions, "divisions.tsv", 3, func(f []string) error {
		lvl, err := strconv.Atoi(f[1])
		if err != nil || lvl < 1 || lvl > 3 {
			return fmt.Errorf("bad level %q", f[1])
		}
		t.add(f[2], kDiv, uint8(lvl))
		if len(f) > 3 && utf8.RuneCountInString(f[3]) >= 2 {
			t.add(f[3], kDivShort, uint8(lvl))
		}
		return nil
	}); err != nil {
		return nil, err
	}
	for _, w := range strongCueWords {
		t.add(w, kCueStrong, 0)
	}
	for _, w := range weakCueWords {
		t.add(w, kCueWeak, 0)
	}
	for _, w := range titles {
		t.add(w, kTitle, 0)
	}
	for _, w := range strongTitles {
		t.add(w, kTitleStr, 0)
	}
	for _, w := range boundaryWords {
		t.add(w, kBoundary, 0)
	}
	for _, w := range orgWords {
		t.add(w, kOrg, 0)
	}
	for _, w := range addrCues {
		t.add(w, kAddrCue, 0)
	}
	for _, w := range addrStopWords {
		t.add(w, kAddrStop, 0)
		r, _ := utf8.DecodeLastRuneInString(w)
		t.flag(r, fAreaEnd)
	}
	for _, w := range addrSuffixWords {
		if utf8.RuneCountInString(w) >= 2 {
			t.add(w, kAddrSuffix, 0)
		}
	}
	t.flagAll(boundaryRunes, fBoundary|fNoGiven)
	t.flagAll(leftOKRunes, fLeftOK)
	t.flagAll(funcSurnameRunes, fFuncSurname)
	t.flagAll("氏人老某族", fNoGiven) // 某: 高某某 is an anonymised name; 族: 苗族, 蒙古族 are ethnic groups
	// A place suffix that is also typical of given names (峰, 海, 江) rules a
	// name out only when nothing else says it is a name.
	for _, r := range orgRunes {
		t.flag(r, fPlaceEnd)
		if t.given[r-hanLo] < orgGivenMax {
			t.flag(r, fOrgSuffix)
		}
	}
	t.flagAll(addrSuffixRunes, fAddrSuffix)
	t.flagAll(numSuffixRunes, fNumSuffix)
	t.buildPair()
	t.buildSingle()
	t.freeze()
	t.flagAll(addrBreakRunes, fAddrBreak)
	return t, nil
}

// buildPair fills pair from the flags and the dictionary (before freeze).
func (t *tables) buildPair() {
	for i, fl := range t.flags {
		first, second := uint16(0), uint16(0)
		if fl&fCompFirst != 0 {
			first |= pCompound
		}
		if fl&fSingle != 0 && fl&fFuncSurname == 0 {
			first |= pSingle
		}
		if fl&fNoGiven == 0 {
			second |= pSingle
		}
		if fl&fTitleStart != 0 {
			first |= pTitleStart
		}
		t.pair[runeKey(rune(i+hanLo))] = uint32(second)<<16 | uint32(first)
	}
	// pLook: the runes led by E3 and EF are full-width punctuation
	// (，：（) and 　, which quiet's look-ahead takes for separators.
	for r := rune(0x3000); r <= 0x3FFF; r++ {
		t.pair[runeKey(r)] |= pLook
	}
	for r := rune(0xF000); r <= 0xFFFF; r++ {
		t.pair[runeKey(r)] |= pLook
	}
	for _, es := range t.dict {
		for _, e := range es {
			r1, _ := utf8.DecodeRuneInString(e.word)
			r2, _ := utf8.DecodeRuneInString(e.word[3:])
			if utf8.RuneLen(r1) != 3 || utf8.RuneLen(r2) != 3 {
				continue // the loops read pair for three-byte runes only
			}
			if e.kind&scanKinds != 0 {
				g := scanGroup(r1)
				t.pair[runeKey(r1)] |= uint32(g)
				t.pair[runeKey(r2)] |= uint32(g) << 16
			}
			if e.kind&kCompound != 0 {
				t.pair[runeKey(r2)] |= uint32(pCompound) << 16
			}
		}
	}
}

// buildSingle fills single: the low byte of a rune's value is, as a
// single surname, the least given-name score (int8) with which
// plausibleSingle's first test passes (statMin-30 - its score; 127, which
// no given score reaches, when its score is negative), and the high byte
// is its own given-name score, kept below 127. quiet then tests the pair
// with one compare, int8(single[next]>>8) >= int8(single[r]), instead of
// decoding both runes and loading two arrays.
func (t *tables) buildSingle() {
	for i := range t.flags {
		need := 127
		if sc := int(t.surname[i]); sc >= 0 {
			need = max(statMin-30-sc, -128)
		}
		g := min(int(t.given[i]), 126)
		t.single[runeKey(rune(i+hanLo))] = uint16(uint8(int8(g)))<<8 | uint16(uint8(int8(need)))
	}
}

// eachRow calls fn with the tab-separated fields of every data line. The
// fields slice is reused from line to line (fn keeps the strings, never
// the slice), and lines are cut from data in place: a slice of every
// file's ~19k lines and a new slice for each line's fields cost New about
// an eighth of its instructions.
func eachRow(data, name string, minFields int, fn func([]string) error) error {
	var f []string
	for n := 1; data != ""; n++ {
		line, rest, _ := strings.Cut(data, "\n")
		data = rest
		if line == "" || line[0] == '#' {
			continue
		}
		f = f[:0]
		for {
			c, r, ok := strings.Cut(line, "\t")
			f = append(f, c)
			if !ok {
				break
			}
			line = r
		}
		if len(f) < minFields {
			return fmt.Errorf("textpi: %s:%d: want %d fields, have %d", name, n, minFields, len(f))
		}
		if err := fn(f); err != nil {
			return fmt.Errorf("textpi: %s:%d: %w", name, n, err)
		}
	}
	return nil
}
