//! What customers say in the feedback table: short Chinese or English phrases per topic and
//! per kind of contact, as a CRM's free-text field holds them.

use rand::RngExt;
use rand::rngs::StdRng;

use super::pick;

/// Complaint phrases, in `feedback::TOPICS` order (delivery, quality, price, invoice, service).
const COMPLAINTS: [&[&str]; 5] = [
    &[
        "送货晚了两天，工地停工等料",
        "Truck arrived four hours late",
        "司机不按约定时间卸货",
        "Delivery slot missed again",
        "散装车排队时间太长",
    ],
    &[
        "这批水泥凝结时间偏长",
        "Early strength below spec on the last batch",
        "袋装水泥有结块",
        "检测报告没有随车",
        "Colour differs from the previous lot",
    ],
    &[
        "比隔壁厂每吨贵二十块",
        "Price rise without notice",
        "量这么大希望有年度优惠",
        "Competitor quotes lower for 42.5",
    ],
    &[
        "发票抬头开错了",
        "Invoice does not match the delivery notes",
        "增值税专票迟迟未到",
        "对账单数量不一致",
    ],
    &[
        "业务员电话打不通",
        "Nobody answered about the order change",
        "投诉处理太慢",
        "Account manager changed without notice",
    ],
];

/// Praise phrases, in `feedback::TOPICS` order (price and invoice draw no praise).
const PRAISE: [&[&str]; 5] = [
    &[
        "夜间送货很准时",
        "Deliveries always on schedule",
        "调度很配合工地进度",
    ],
    &[
        "强度稳定，很满意",
        "Consistent quality, no rejected loads this quarter",
    ],
    &["价格合理"],
    &["对账清楚"],
    &[
        "业务员响应很快",
        "Very helpful with the site schedule",
        "技术服务到位",
    ],
];

/// Survey comments by answer: satisfied, neutral, dissatisfied.
const SURVEY: [&[&str]; 3] = [
    &[
        "整体满意",
        "Good supplier, will keep ordering",
        "质量稳定，服务好",
    ],
    &["还可以，价格再优惠点更好", "OK overall", "送货有时不准时"],
    &[
        "在考虑换供应商",
        "Too many late deliveries",
        "价格没有竞争力",
        "投诉没人跟进",
    ],
];

/// Account managers' visit notes: routine, and when the account is slipping.
const VISITS: [&[&str]; 2] = [
    &[
        "季度拜访，沟通明年用量",
        "Quarterly review of volumes",
        "介绍矿粉和粉煤灰产品",
        "Discussed credit terms",
        "Site visit with the technical team",
    ],
    &[
        "客户反映工地进度放缓",
        "Customer is talking to another supplier",
        "客户对价格不满，订单减少",
    ],
];

pub(super) fn complaint(rng: &mut StdRng, topic: usize) -> &'static str {
    pick::<&str, _>(rng, COMPLAINTS[topic])
}

pub(super) fn praise(rng: &mut StdRng, topic: usize) -> &'static str {
    pick::<&str, _>(rng, PRAISE[topic])
}

/// A survey comment for `score` (1-5), or none (about half the answers have none).
pub(super) fn survey(rng: &mut StdRng, score: i64) -> Option<&'static str> {
    let class = match score {
        4.. => 0,
        3 => 1,
        _ => 2,
    };
    rng.random_bool(0.5).then(|| *pick(rng, SURVEY[class]))
}

pub(super) fn visit(rng: &mut StdRng, slipping: bool) -> &'static str {
    pick::<&str, _>(rng, VISITS[usize::from(slipping)])
}
