// extract_cedict.mjs: selects CC-CEDICT entries that name a disease or diagnosis.
// An entry is kept when its simplified form ends in a Chinese disease morpheme
// (病, 症, 炎, 癌, 瘤 ...) and its first English sense names a disease, or when the
// first sense is a well-known disease name. Figurative senses, TCM-only senses,
// surnames and verbs ("to ...") are dropped.
import d from './package/data/all.js';
const dis = /(cancer|carcinoma|tumou?r|sarcoma|leuk(a)?emia|lymphoma|melanoma|myeloma|glioma|syndrome|disease|[a-z]{3,}itis\b|[a-z]{4,}osis\b|(a|ae)mia\b|hepatitis|diabetes|hypertension|schizophrenia|dementia|epilepsy|tuberculosis|\bAIDS\b|\bHIV\b|influenza|pneumonia|asthma|stroke|infarct|autism|insomnia|depressi|bipolar|psychosis|disorder|palsy|paralysis|hernia|ulcer|fever|infection|cataract|glaucoma|gout|malaria|cholera|plague|measles|smallpox|rabies|leprosy|syphilis|gonorrh|herpes|dysentery|typhoid|mumps|polio|tetanus|diphtheria|pertussis|whooping|obesity|h(a)?emorrhoid|aneurysm|thrombo|embolism|arrhythmia|angina|cyst|polyp|fibroid|neuralgia|migraine|myopia|deafness|blindness|dystrophy|sclerosis|anorexia|bulimia|phobia|neurosis|mania|deficiency|allergy|eczema|psoriasis|acne|vitiligo|gallstone|kidney stone|calculus|infertility|impotence|hemophilia|haemophilia|dwarfism|goiter|goitre|rickets|scurvy|beriberi|jaundice|apoplexy|pox|virus|illness|sickness|ailment|condition|lesion|dermatitis|hyperplasia|dysfunction|edema|oedema|sepsis|toxemia|uremia|cirrhosis|fibrosis|necrosis|aphasia|dyslexia|stutter|tinnitus|vertigo|ADHD|PTSD|OCD)/i;
const bad = /(\bfig\.|figurative|\blit\.|idiom|variant of|old variant|surname|\bTCM\b|Chinese medicine|\bsee\b|^to |^\(derog|^\(slang|^\(Internet|^\(coll|computer|software|plant|insect|fungus|^cf\b)/i;
const suffix = /(病|症|炎|癌|瘤|征|障碍|疹|疮|痢|疾|结核|中风|卒中|梗死|梗塞|硬化|瘫|痪|痹|疝|溃疡|结石|囊肿|息肉|白内障|青光眼|近视|远视|散光|贫血|麻痹|艾滋|梅毒|淋病|疟疾|霍乱|鼠疫|天花|麻疹|水痘|哮喘|痛风|痴呆|失明|失聪|耳聋|聋哑|肥胖|不孕|不育|阳痿|早泄|流产|骨折|抑郁|自闭|多动|失眠|癫痫|偏头痛|痔|疣|癣|瘘|瘀|肿|毒|感冒|流感|黄疸|水肿|休克|脑瘫|白血|血友|侏儒|佝偻|甲亢|甲减|乙肝|丙肝|肝硬化|尿毒|败血|脓毒|坏疽|坏死|出血|栓塞|血栓|动脉瘤|综合症|综合征|失调|畸形|缺损|缺陷|狭窄|增生|肥大|扩张|积液|积水|衰竭|功能不全|功能障碍|过敏|成瘾|依赖|中毒)$/;
const seen = new Map();
for (const [trad, simp, py, g0] of d.all) {
  const gloss = Array.isArray(g0) ? g0.join(' / ') : String(g0);
  if (!/^[\u4e00-\u9fff0-9A-Za-z]+$/.test(simp)) continue;
  if ([...simp].length < 2) continue;
  const first = gloss.split(/ \/ |; /)[0].replace(/^\((medicine|medical|pathology|dentistry|psychiatry|psychology|physiology|ophthalmology)\) */i, '');
  if (bad.test(first)) continue;
  if (!dis.test(first)) continue;
  if (!suffix.test(simp)) continue;
  if (!seen.has(simp)) seen.set(simp, gloss.replace(/[\t\n]/g, ' ').slice(0, 120));
}
for (const [k, v] of [...seen].sort()) console.log(k + '\t' + v);
