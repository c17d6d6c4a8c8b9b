//! The texts of the product, channel and satisfaction charts, in English and Chinese (kept
//! beside [`super::i18n`] so each file stays readable; the same font rule applies).

use super::i18n::Lang;

#[derive(Debug)]
pub struct ProductTexts {
    pub penetration_title: &'static str,
    pub product: &'static str,
    pub segment: &'static str,
    pub all_customers: &'static str,
    pub affinity_title: &'static str,
    pub rule: &'static str,
    pub lift_axis: &'static str,
    pub lift: &'static str,
    pub independent: &'static str,
    pub channel_mix_title: &'static str,
    pub share_revenue_axis: &'static str,
    pub nps_title: &'static str,
    pub district: &'static str,
    pub nps_axis: &'static str,
    pub nps: &'static str,
    // ---- table titles in report.html ----
    pub cross_sell_table: &'static str,
    pub affinity_table: &'static str,
    pub satisfaction_table: &'static str,
    pub portfolios_table: &'static str,
}

pub const EN: ProductTexts = ProductTexts {
    penetration_title: "Product penetration by segment (share of buying customers)",
    product: "Product",
    segment: "Segment",
    all_customers: "All customers",
    affinity_title: "Products bought together (strongest rules)",
    rule: "Rule (antecedent -> consequent)",
    lift_axis: "Lift (1 = independent)",
    lift: "Lift",
    independent: "Independent (lift 1)",
    channel_mix_title: "Channel mix by segment (share of revenue)",
    share_revenue_axis: "Share of the segment's revenue (%)",
    nps_title: "Net promoter score by district",
    district: "District (customers who answered)",
    nps_axis: "NPS (% promoters - % detractors)",
    nps: "NPS",
    cross_sell_table: "Cross-sell proposals",
    affinity_table: "Product affinity rules",
    satisfaction_table: "Satisfaction by unit",
    portfolios_table: "Account-manager portfolios",
};

pub const ZH: ProductTexts = ProductTexts {
    penetration_title: "各客户群产品渗透率（购买客户占比）",
    product: "产品",
    segment: "客户群",
    all_customers: "全部客户",
    affinity_title: "常一起购买的产品（最强关联规则）",
    rule: "规则（前项 -> 后项）",
    lift_axis: "提升度（1 = 无关联）",
    lift: "提升度",
    independent: "无关联（提升度 1）",
    channel_mix_title: "各客户群渠道结构（收入占比）",
    share_revenue_axis: "占客户群收入的百分比",
    nps_title: "各片区净推荐值",
    district: "片区（回答客户数）",
    nps_axis: "净推荐值（推荐者% - 贬损者%）",
    nps: "净推荐值",
    cross_sell_table: "交叉销售建议",
    affinity_table: "产品关联规则",
    satisfaction_table: "各单位满意度",
    portfolios_table: "客户经理客户组合",
};

pub fn product_texts(lang: Lang) -> &'static ProductTexts {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}
