//! Names of places, people and companies. About 1% of customer names carry characters that
//! a writer must escape (commas, quotes, `&`, an apostrophe) and about 3% are Chinese, so every
//! output path is exercised by the demo. Every name starts with a letter or a Chinese
//! character (tested): formula-like names such as `=HYPERLINK(...)` are tested on their own
//! frames in the report's tests, not planted in the demo company.

use rand::RngExt;
use rand::rngs::StdRng;

use super::pick;

pub(super) const DISTRICTS: &[&str] = &[
    "Dongcheng",
    "Xicheng",
    "Chaoyang",
    "Haidian",
    "Fengtai",
    "Shijingshan",
    "Tongzhou",
    "Changping",
    "Daxing",
    "Shunyi",
];

pub(super) const PLACES: &[&str] = &[
    "Jingxi",
    "Yanshan",
    "Beiyuan",
    "Xishan",
    "Nanhu",
    "Yongding",
    "Wenyu",
    "Huilongguan",
    "Tiantongyuan",
    "Yizhuang",
    "Liangxiang",
    "Mentougou",
];

pub(super) const BRANDS: &[&str] = &[
    "Hengtai",
    "Jinyu",
    "Huaxin",
    "Xinyuan",
    "Dingsheng",
    "Ruifeng",
    "Hongda",
    "Tianrun",
    "Zhongxing",
    "Yuanda",
    "Jiahe",
    "Shengli",
    "Guotai",
    "Hongxing",
    "Lianfa",
    "Changcheng",
    "Jinshan",
    "Fuxing",
    "Longteng",
    "Taihe",
    "Anhe",
    "Xingye",
    "Kaiyuan",
    "Hengfeng",
    "Rongsheng",
    "Huamao",
    "Dongfang",
    "Yongan",
    "Baorun",
    "Jiaxin",
    "Mingda",
    "Tongda",
    "Chengxin",
    "Haoyun",
    "Jintai",
    "Wanfeng",
    "Zhenghe",
    "Hualian",
    "Sanhe",
    "Xinda",
];

const RIVERS: &[&str] = &[
    "Yongding", "Chaobai", "Wenyu", "Juma", "Jiyun", "Baihe", "Heihe", "Nanjuma",
];

const SURNAMES: &[&str] = &[
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun", "Hu",
    "Zhu", "Gao", "Lin", "He", "Guo", "Ma", "Luo",
];

const GIVEN: &[&str] = &[
    "Wei", "Fang", "Na", "Min", "Jing", "Lei", "Qiang", "Jun", "Yang", "Yan", "Jie", "Tao", "Ming",
    "Chao", "Xiu", "Hui", "Ping", "Gang", "Hong", "Bo", "Xiaoming", "Jianguo", "Lihua", "Haiyan",
];

const INDUSTRIES: &[&str] = &[
    "Precast Components",
    "Pipe Pile",
    "Steel Structure",
    "Brick and Block",
    "Logistics Park",
    "Industrial Park",
    "Mining",
    "Power Plant",
    "Water Treatment",
];

const ZH_PLACES: &[&str] = &[
    "华北", "京西", "海淀", "朝阳", "通州", "昌平", "丰台", "大兴", "顺义", "燕山",
];
pub(super) const ZH_BRANDS: &[&str] = &[
    "宏泰", "金隅", "鑫源", "恒达", "华润", "中兴", "远大", "嘉禾", "盛利", "国泰", "长城", "龙腾",
];
const ZH_SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
const ZH_GIVEN: &[&str] = &[
    "伟", "娜", "敏", "洋", "静", "磊", "强", "军", "建国", "丽华",
];

/// Every "Surname Given" pair once, in a fixed order (shuffled by the caller).
pub(super) fn person_pool() -> Vec<String> {
    SURNAMES
        .iter()
        .flat_map(|s| GIVEN.iter().map(move |g| format!("{s} {g}")))
        .collect()
}

/// A display name for a customer of type `code` served from `district`.
pub(super) fn customer(rng: &mut StdRng, code: &str, district: &str) -> String {
    let roll: f64 = rng.random();
    if roll < 0.01 {
        return awkward(rng);
    }
    if roll < 0.04 {
        return chinese(rng, code);
    }
    let b = pick(rng, BRANDS);
    let place = if rng.random_bool(0.5) {
        district
    } else {
        pick(rng, PLACES)
    };
    let variant = rng.random_range(0..3_u8);
    match (code, variant) {
        ("ready_mix", 0) => format!("{b} Ready-Mix Concrete Ltd"),
        ("ready_mix", 1) => format!("{place} {b} Concrete Ltd"),
        ("ready_mix", _) => format!("{b} Commercial Concrete Ltd"),
        ("developer", 0) => format!("{b} Real Estate Development Ltd"),
        ("developer", 1) => format!("{b} Properties Group"),
        ("developer", _) => format!("{place} {b} Land Development Ltd"),
        ("distributor", 0) => format!("{b} Building Materials Trading Ltd"),
        ("distributor", 1) => format!("{place} {b} Cement Distribution Ltd"),
        ("distributor", _) => format!("{b} Construction Supplies"),
        ("construction", 0) => format!("{b} Construction Engineering Ltd"),
        ("construction", 1) => {
            format!(
                "{place} No. {} Construction Company",
                rng.random_range(1..=9)
            )
        }
        ("construction", _) => format!("{b} Civil Engineering Group"),
        ("hydropower", 0 | 1) => format!("{} Hydropower Development Ltd", pick(rng, RIVERS)),
        ("hydropower", _) => format!("{} {b} Hydro Project Company", pick(rng, RIVERS)),
        ("government", _) => {
            let office = pick(
                rng,
                &[
                    "Public Works Bureau",
                    "Municipal Roads Administration",
                    "Water Affairs Bureau",
                    "Housing and Construction Commission",
                    "Rural Roads Office",
                    "Flood Control Office",
                ],
            );
            format!("{place} {office}")
        }
        ("enterprise", _) => format!("{b} {} Ltd", pick(rng, INDUSTRIES)),
        ("fleet", 0) => format!("{b} Transport Fleet"),
        ("fleet", 1) => format!("{place} {b} Logistics Ltd"),
        ("fleet", _) => format!("{b} Haulage Team"),
        _ => format!("{} {}", pick(rng, SURNAMES), pick(rng, GIVEN)),
    }
}

/// A name that needs escaping in CSV or HTML, written as a company would write it: commas,
/// quotes, `&`, an apostrophe, a `+` or `-` inside, never a stray character in front.
fn awkward(rng: &mut StdRng) -> String {
    let b = pick(rng, BRANDS);
    match rng.random_range(0..7_u8) {
        0 => format!("{b} Building Materials Co., Ltd."),
        1 => format!("{b} \"Golden Bridge\" Cement Trading"),
        2 => format!("{b} & Sons Construction"),
        3 => format!("{b} Brothers' Concrete"),
        4 => format!("{b} Logistics (+86 10 6512 3456)"),
        5 => format!("{b} Haulage - {} Team", pick(rng, PLACES)),
        _ => format!("{b}, {} Branch", pick(rng, PLACES)),
    }
}

fn chinese(rng: &mut StdRng, code: &str) -> String {
    let suffix = match code {
        "ready_mix" => "混凝土有限公司",
        "developer" => "房地产开发有限公司",
        "distributor" => "水泥贸易有限公司",
        "construction" => "建筑工程有限公司",
        "hydropower" => "水电开发有限公司",
        "government" => "市政工程管理处",
        "enterprise" => "建材制品有限公司",
        "fleet" => "运输车队",
        _ => return format!("{}{}", pick(rng, ZH_SURNAMES), pick(rng, ZH_GIVEN)),
    };
    let place = pick(rng, ZH_PLACES);
    if rng.random_bool(0.3) {
        format!("{place}{suffix}")
    } else {
        format!("{place}{}{suffix}", pick(rng, ZH_BRANDS))
    }
}
