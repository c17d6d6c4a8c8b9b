//! A seeded synthetic customers table with planted near-duplicates, for the candidate
//! search's tests and bench: realistic Chinese company names (a place, a four-character
//! brand, an industry, a company suffix), each with its own phone, tax id and address, in
//! twelve districts. Every `PLANT_EVERY`-th customer gets a twin spelled another way that one
//! rule (and only that one) should find; apart from the twins no two customers match any
//! rule (names are kept at least two edits apart).

use std::collections::HashSet;

use super::search::{Customer, Rule};

/// One customer in this many gets a planted twin.
pub const PLANT_EVERY: usize = 50;
const DISTRICTS: usize = 12;
const PLACES: &[&str] = &[
    "南宁", "柳州", "桂林", "梧州", "北海", "钦州", "贵港", "玉林", "百色", "贺州", "河池", "来宾",
    "崇左", "平南", "桂平", "武宣", "象州", "宾阳", "横县", "容县",
];
const INDUSTRIES: &[&str] = &[
    "建材",
    "水泥",
    "混凝土",
    "物流",
    "运输",
    "建设",
    "置业",
    "商贸",
    "矿业",
    "电力",
    "石化",
    "机械",
];
const SUFFIXES: &[&str] = &["有限公司", "有限责任公司", "股份有限公司", "公司", ""];
/// Brand characters: common characters of company names.
const BRAND: &str = "华润海螺中天鸿远金鼎盛通达信恒泰安顺宏发兴隆永昌富康瑞祥和丰汇聚鑫源广利新宇\
                     博雅嘉诚明辉德正凯旋东方西江南山北斗天成地久长城大业宝骏伟业协力同心启航";

/// A 64-bit SplitMix generator: enough for test data, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick(&mut self, xs: &[&'static str]) -> &'static str {
        xs[self.below(xs.len())]
    }
}

/// A planted pair: the original's id, its twin's id and the rule that should pair them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planted {
    pub original: String,
    pub twin: String,
    pub rule: Rule,
}

/// `n` distinct customers (ids `C000001`, ...) plus one twin (id `D000050`, ...) for every
/// `PLANT_EVERY`-th, seeded.
pub fn customers(n: usize, seed: u64) -> (Vec<Customer>, Vec<Planted>) {
    let mut rng = Rng(seed);
    let brand: Vec<char> = BRAND.chars().collect();
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(n + n / PLANT_EVERY);
    let mut planted = Vec::new();
    for i in 1..=n {
        let (place, core, industry) = fresh(&mut rng, &mut seen, &brand);
        let c = Customer {
            id: format!("C{i:06}"),
            name: Some(format!("{place}{core}{industry}{}", rng.pick(SUFFIXES))),
            district: Some(format!("片区{}", i % DISTRICTS + 1)),
            phone: Some(format!("0771-{:07}", 1_000_000 + i)),
            tax_id: Some(format!("9145{i:014}")),
            address: Some(format!("{place}市{core}路{i}号")),
        };
        if i % PLANT_EVERY == 0 {
            let (p, o, d) = fresh(&mut rng, &mut seen, &brand);
            let other = format!("{p}{o}{d}");
            let (twin, rule) = twin(&c, i, (place, &core, industry), other, &brand);
            planted.push(Planted {
                original: c.id.clone(),
                twin: twin.id.clone(),
                rule,
            });
            out.push(twin);
        }
        out.push(c);
    }
    (out, planted)
}

/// A place, a brand and an industry whose name key is at least two edits from every earlier
/// one: `seen` holds each key and its one-deletion variants, and two keys one edit apart
/// share one of those (at nine characters or fewer, two edits score below 0.85).
fn fresh(
    rng: &mut Rng,
    seen: &mut HashSet<String>,
    brand: &[char],
) -> (&'static str, String, &'static str) {
    loop {
        let (place, industry) = (rng.pick(PLACES), rng.pick(INDUSTRIES));
        let c: String = (0..4).map(|_| brand[rng.below(brand.len())]).collect();
        let key: Vec<char> = format!("{place}{c}{industry}").chars().collect();
        let mut near: Vec<String> = (0..key.len())
            .map(|k| key[..k].iter().chain(&key[k + 1..]).collect())
            .collect();
        near.push(key.iter().collect());
        if near.iter().all(|v| !seen.contains(v)) {
            seen.extend(near);
            return (place, c, industry);
        }
    }
}

/// The twin of customer `i`: another spelling that exactly one rule should find, in the same
/// district (or with no district, every fifth kind).
/// Its name is `other` (a name of its own) unless the rule is about names.
fn twin(
    c: &Customer,
    i: usize,
    parts: (&str, &str, &str),
    other: String,
    brand: &[char],
) -> (Customer, Rule) {
    let (place, core, industry) = parts;
    let mut t = Customer {
        id: format!("D{i:06}"),
        name: Some(other),
        district: c.district.clone(),
        ..Customer::default()
    };
    let kind = (i / PLANT_EVERY) % 5;
    let rule = match kind {
        0 => {
            t.name = Some(format!("{place}（{core}）{industry} 有限责任公司"));
            Rule::Name
        }
        1 => {
            // one brand character changed: similar, not equal
            let mut chars: Vec<char> = core.chars().collect();
            let k = brand.iter().position(|&b| b == chars[1]).unwrap_or(0);
            chars[1] = brand[(k + 1) % brand.len()];
            let typo: String = chars.into_iter().collect();
            t.name = Some(format!("{place}{typo}{industry}有限公司"));
            Rule::SimilarName
        }
        2 => {
            t.phone = c
                .phone
                .as_ref()
                .map(|p| format!("+86 {}", p.replace('-', " ")));
            Rule::Phone
        }
        3 => {
            t.tax_id = c
                .tax_id
                .as_ref()
                .map(|x| format!("{}-{}", &x[..6], &x[6..]));
            Rule::TaxId
        }
        _ => {
            t.address = c
                .address
                .as_ref()
                .map(|a| format!(" {}。", a.replace('路', "（路）")));
            t.district = None;
            Rule::Address
        }
    };
    (t, rule)
}
