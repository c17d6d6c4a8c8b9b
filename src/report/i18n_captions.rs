//! One line under each chart saying what to read from it, in English and Chinese, and the
//! data's date. The same line is drawn under the PNG and SVG (so a chart embedded on its own
//! still says it) and is the chart's caption in `report.html`.

use super::i18n::{Lang, fill};

/// (chart, English, Chinese).
pub const CAPTIONS: [(&str, &str, &str); 25] = [
    (
        "sales_trend",
        "Monthly revenue with its 3-month average; the shaded band is the forecast interval.",
        "月度收入及3个月移动平均；阴影为预测区间。",
    ),
    (
        "attainment_by_district",
        "Each district's revenue against its target in the month; bars short of the line missed it.",
        "各片区当月收入完成率；未达红线即未完成目标。",
    ),
    (
        "leaderboard",
        "The best units by completion rate; the line is 100% of target.",
        "完成率最高的单位；红线为目标 100%。",
    ),
    (
        "portfolios",
        "Each account manager's revenue of the last 12 months beside the part of it at risk.",
        "各客户经理近12个月收入及其中的风险收入。",
    ),
    (
        "segment_map",
        "Each dot a customer: left = bought recently, up = spent more; colours are segments.",
        "每个点是一个客户：越靠左越近期购买，越靠上消费越多；颜色为客户群。",
    ),
    (
        "segment_profiles",
        "A segment whose revenue bar is much longer than its customer bar holds the value.",
        "收入占比远高于客户占比的客户群是价值所在。",
    ),
    (
        "clv_concentration",
        "How much of the value the top customers hold; the steeper the curve, the more concentrated.",
        "头部客户占有的价值；曲线越陡越集中。",
    ),
    (
        "churn_risk",
        "Active customers by churn risk level.",
        "活跃客户按流失风险分级。",
    ),
    (
        "revenue_at_risk",
        "Revenue at risk by churn risk level: where keeping customers pays most.",
        "各风险等级的风险收入：留住客户的重点。",
    ),
    (
        "clv_calibration",
        "Holdout purchases, actual against predicted, by purchases before; close bars mean a model to trust.",
        "验证期实际与预测购买次数（按此前购买次数分组）；越接近模型越可信。",
    ),
    (
        "market_share",
        "Each long-term customer's share of capacity against the cap.",
        "各长期客户占产能的比例及上限。",
    ),
    (
        "credit_mix",
        "Revenue by credit grade in each district; more A and B is safer.",
        "各片区按信用等级的收入结构；A、B级越多越安全。",
    ),
    (
        "channel_conversion",
        "Share of the people reached who became customers, by campaign channel.",
        "各推广渠道触达人群的转化率。",
    ),
    (
        "product_penetration",
        "Share of each segment's buyers who buy each product; pale cells are room to cross-sell.",
        "各客户群购买各产品的客户占比；浅色格为交叉销售空间。",
    ),
    (
        "product_affinity",
        "Products bought together more often than chance; lift 2 = twice as often.",
        "比随机更常一起购买的产品；提升度 2 即两倍。",
    ),
    (
        "channel_mix",
        "How each segment's revenue splits over the sales channels.",
        "各客户群收入的渠道构成。",
    ),
    (
        "nps_by_district",
        "Net promoter score per district with the customers who answered; a small base is uncertain.",
        "各片区净推荐值及回答客户数；样本少时不确定。",
    ),
    (
        "churn_roc",
        "How well the churn score ranks who leaves: the further above the diagonal, the better.",
        "流失评分区分流失客户的能力：离对角线越远越好。",
    ),
    (
        "churn_gains",
        "Share of the churners found by contacting the highest-risk customers first.",
        "按风险从高到低联系客户时找到的流失客户比例。",
    ),
    (
        "churn_calibration",
        "Predicted against observed churn by probability band; on the diagonal, the probabilities can be taken at face value.",
        "按概率分组的预测与实际流失率；越贴近对角线，概率越可信。",
    ),
    (
        "value_expected_matrix",
        "What a customer of the longest age is expected to buy, by how often and how recently it bought; the top right is the best.",
        "最长客户年龄下，按购买频次与最近购买时间的预期购买次数；右上角最好。",
    ),
    (
        "value_p_alive_matrix",
        "Chance that a customer is still buying: frequent buyers who have not bought for a long time are the ones slipping away.",
        "客户仍在购买的概率：频次高但久未购买的客户正在流失。",
    ),
    (
        "value_frequency_histogram",
        "Customers by repeat purchases against the model's expectation; close bars mean the purchase model fits.",
        "按重复购买次数的客户数与模型预期；柱高接近说明购买模型拟合良好。",
    ),
    (
        "value_tracking_cumulative",
        "Repeat purchases of the calibration customers, actual against predicted; after the dashed line the model forecasts weeks it never saw.",
        "校准期客户的累计重复购买，实际与预测；虚线之后是模型未见过的周。",
    ),
    (
        "value_tracking_weekly",
        "The same week by week: the prediction is smooth, the actual follows the season.",
        "逐周对比：预测平滑，实际随季节波动。",
    ),
];

/// The line under chart `name`: its caption and, with a date, "Data as of <date>."
pub fn footer(name: &str, lang: Lang, as_of: Option<&str>) -> String {
    let caption = CAPTIONS
        .iter()
        .find(|c| c.0 == name)
        .map_or("", |c| if lang == Lang::Zh { c.2 } else { c.1 });
    let date = match (as_of, lang) {
        (Some(d), Lang::En) => fill(" Data as of {}.", &[d]),
        (Some(d), Lang::Zh) => fill(" 数据截至 {}。", &[d]),
        (None, _) => String::new(),
    };
    format!("{caption}{date}").trim().to_string()
}
