//! Every text a chart or the report shows, in English and Chinese (`lang` in kam.toml).
//!
//! Texts with a `{}` placeholder are filled with [`fill`]. Chinese texts use only characters
//! of the embedded CJK font (see `fonts.rs` and `scripts/make-fonts.sh`, which subsets the font
//! to GB2312 level-1 hanzi plus every character of this file).

use serde::{Deserialize, Serialize};

/// Language of chart titles, labels and the report: `en` or `zh`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Zh,
}

/// One language's texts.
#[derive(Debug)]
pub struct Texts {
    // ---- sales trend ----
    pub trend_title: &'static str,
    pub month: &'static str,
    pub revenue_axis: &'static str,
    pub actual: &'static str,
    pub forecast: &'static str,
    pub forecast_band: &'static str,
    pub moving_average: &'static str,
    // ---- attainment and leaderboard ----
    /// `{}` = the period, e.g. 2025-12.
    pub attainment_title: &'static str,
    pub completion_axis: &'static str,
    pub district: &'static str,
    pub completion_rate: &'static str,
    pub target_line: &'static str,
    /// `{}` = the level (station or account manager).
    pub leaderboard_title: &'static str,
    pub station: &'static str,
    pub account_manager: &'static str,
    // ---- segments ----
    pub segment_map_title: &'static str,
    pub recency_axis: &'static str,
    pub monetary_axis: &'static str,
    pub segment: &'static str,
    pub segment_profiles_title: &'static str,
    pub share_axis: &'static str,
    pub share_customers: &'static str,
    pub share_revenue: &'static str,
    // ---- value concentration ----
    /// `{}` = the value measure (CLV or total revenue).
    pub concentration_title: &'static str,
    pub clv: &'static str,
    pub monetary_total: &'static str,
    pub top_customers_axis: &'static str,
    pub cumulative_share_axis: &'static str,
    pub lorenz: &'static str,
    pub equal_share: &'static str,
    // ---- churn ----
    pub churn_title: &'static str,
    pub churn_risk: &'static str,
    pub customers_axis: &'static str,
    pub customers: &'static str,
    pub risk_low: &'static str,
    pub risk_medium: &'static str,
    pub risk_high: &'static str,
    pub revenue_at_risk_title: &'static str,
    pub revenue_at_risk_axis: &'static str,
    pub revenue_at_risk: &'static str,
    // ---- CLV holdout calibration ----
    pub calibration_title: &'static str,
    pub frequency_axis: &'static str,
    pub holdout_purchases_axis: &'static str,
    pub predicted: &'static str,
    // ---- plan ----
    pub market_share_title: &'static str,
    pub share_of_capacity_axis: &'static str,
    pub customer: &'static str,
    pub allocation: &'static str,
    /// The first bar of the allocation chart: every selected customer together.
    pub all_selected: &'static str,
    /// `{}` = the cap as a percentage.
    pub cap_line: &'static str,
    /// `{}` = the level of the units (district, station, ...).
    pub credit_mix_title: &'static str,
    pub revenue_share_axis: &'static str,
    /// `{}` = the credit grade.
    pub grade: &'static str,
    // ---- account-manager portfolios ----
    pub portfolios_title: &'static str,
    pub revenue_last_12m: &'static str,
    // ---- channels ----
    pub channels_title: &'static str,
    pub channel: &'static str,
    pub conversion_axis: &'static str,
    pub conversion_rate: &'static str,
    // ---- report.html ----
    pub report_title: &'static str,
    pub as_of: &'static str,
    pub seed: &'static str,
    pub version: &'static str,
    pub summary: &'static str,
    pub charts: &'static str,
    pub tables: &'static str,
    pub notes: &'static str,
    pub top_customers: &'static str,
    pub review_pack: &'static str,
    pub escalations: &'static str,
    pub market_share: &'static str,
    pub quotas: &'static str,
    pub attainment: &'static str,
    /// `{}` = rows shown, then `{}` = rows in the table.
    pub rows_shown: &'static str,
}

pub const EN: Texts = Texts {
    trend_title: "Sales trend and 3-month forecast (company)",
    month: "Month",
    revenue_axis: "Revenue (currency units)",
    actual: "Actual",
    forecast: "Forecast",
    forecast_band: "Forecast interval",
    moving_average: "3-month moving average",
    attainment_title: "Revenue attainment by district, {}",
    completion_axis: "Completion rate (% of target)",
    district: "District",
    completion_rate: "Completion rate",
    target_line: "Target (100%)",
    leaderboard_title: "Leaderboard: completion rate, top 10 ({})",
    station: "Station",
    account_manager: "Account manager",
    segment_map_title: "Customer segments: recency vs total revenue",
    recency_axis: "Days since last purchase",
    monetary_axis: "Total revenue (currency units, log scale)",
    segment: "Segment",
    segment_profiles_title: "Segment profiles: share of customers and of revenue",
    share_axis: "Share (%)",
    share_customers: "Share of customers",
    share_revenue: "Share of revenue",
    concentration_title: "Value concentration: share of {} held by the top customers",
    clv: "CLV",
    monetary_total: "total revenue",
    top_customers_axis: "Top customers (% of customers, largest first)",
    cumulative_share_axis: "Cumulative share of value (%)",
    lorenz: "Customers ranked by value",
    equal_share: "Equal shares",
    churn_title: "Churn risk: customers by risk level",
    churn_risk: "Churn risk",
    customers_axis: "Customers (count)",
    customers: "Customers",
    risk_low: "low",
    risk_medium: "medium",
    risk_high: "high",
    revenue_at_risk_title: "Revenue at risk by churn risk level",
    revenue_at_risk_axis: "Revenue at risk (currency units)",
    revenue_at_risk: "Revenue at risk",
    calibration_title: "CLV model holdout check: mean purchases by frequency",
    frequency_axis: "Repeat purchases in the calibration period",
    holdout_purchases_axis: "Mean purchases in the holdout (per customer)",
    predicted: "Predicted",
    market_share_title: "Market-share allocation against the cap (top 15)",
    share_of_capacity_axis: "Share of capacity (%)",
    customer: "Customer",
    allocation: "Allocation",
    all_selected: "All selected customers",
    cap_line: "Cap ({})",
    credit_mix_title: "Credit-grade mix of revenue by {}",
    revenue_share_axis: "Share of revenue (%)",
    grade: "Grade {}",
    portfolios_title: "Account-manager portfolios: revenue and revenue at risk (top 20)",
    revenue_last_12m: "Revenue, last 12 months",
    channels_title: "Channel conversion",
    channel: "Channel",
    conversion_axis: "Conversion rate (% of customers reached)",
    conversion_rate: "Conversion rate",
    report_title: "kam report",
    as_of: "As of",
    seed: "Seed",
    version: "kam version",
    summary: "Run summary",
    charts: "Charts",
    tables: "Key tables",
    notes: "Notes",
    top_customers: "Top customers",
    review_pack: "Review pack",
    escalations: "Escalations",
    market_share: "Market-share allocation",
    quotas: "Quotas",
    attainment: "Attainment",
    rows_shown: "Showing {} of {} rows; the full table is in report.xlsx.",
};

pub const ZH: Texts = Texts {
    trend_title: "销售趋势与未来三个月预测（公司）",
    month: "月份",
    revenue_axis: "销售额（货币单位）",
    actual: "实际",
    forecast: "预测",
    forecast_band: "预测区间",
    moving_average: "三个月移动平均",
    attainment_title: "各片区销售额完成率，{}",
    completion_axis: "完成率（占目标的百分比）",
    district: "片区",
    completion_rate: "完成率",
    target_line: "目标（100%）",
    leaderboard_title: "排行榜：完成率前十名（{}）",
    station: "站点",
    account_manager: "客户经理",
    segment_map_title: "客户分群：最近购买天数与累计销售额",
    recency_axis: "距最近一次购买的天数",
    monetary_axis: "累计销售额（货币单位，对数刻度）",
    segment: "客户群",
    segment_profiles_title: "客户群画像：客户数占比与销售额占比",
    share_axis: "占比（%）",
    share_customers: "客户数占比",
    share_revenue: "销售额占比",
    concentration_title: "价值集中度：头部客户所占{}份额",
    clv: "客户终身价值",
    monetary_total: "累计销售额",
    top_customers_axis: "头部客户（占客户数的百分比，从大到小）",
    cumulative_share_axis: "累计价值占比（%）",
    lorenz: "按价值排序的客户",
    equal_share: "平均分布",
    churn_title: "流失风险：各风险等级的客户数",
    churn_risk: "流失风险",
    customers_axis: "客户数",
    customers: "客户数",
    risk_low: "低",
    risk_medium: "中",
    risk_high: "高",
    revenue_at_risk_title: "各流失风险等级的风险销售额",
    revenue_at_risk_axis: "风险销售额（货币单位）",
    revenue_at_risk: "风险销售额",
    calibration_title: "客户终身价值模型留出期检验：按购买频次的平均购买次数",
    frequency_axis: "校准期内的重复购买次数",
    holdout_purchases_axis: "留出期平均购买次数（每位客户）",
    predicted: "预测",
    market_share_title: "市场份额分配与上限（前十五名）",
    share_of_capacity_axis: "占产能的百分比（%）",
    customer: "客户",
    allocation: "分配量",
    all_selected: "全部入选客户合计",
    cap_line: "上限（{}）",
    credit_mix_title: "按{}的信用等级销售额结构",
    revenue_share_axis: "销售额占比（%）",
    grade: "{}级",
    portfolios_title: "客户经理业绩：销售额与风险销售额（前二十名）",
    revenue_last_12m: "近十二个月销售额",
    channels_title: "渠道转化率",
    channel: "渠道",
    conversion_axis: "转化率（占触达客户的百分比）",
    conversion_rate: "转化率",
    report_title: "kam 报告",
    as_of: "数据截止日期",
    seed: "随机种子",
    version: "kam 版本",
    summary: "运行摘要",
    charts: "图表",
    tables: "关键表格",
    notes: "说明",
    top_customers: "重点客户",
    review_pack: "复盘材料",
    escalations: "升级事项",
    market_share: "市场份额分配",
    quotas: "任务分配",
    attainment: "目标完成情况",
    rows_shown: "显示 {} 行，共 {} 行；完整表格见 report.xlsx。",
};

/// The texts of `lang`.
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

/// `template` with each `{}` replaced by the next of `args` (extra `{}` stay as they are).
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    let mut args = args.iter();
    while let Some(i) = rest.find("{}") {
        out.push_str(&rest[..i]);
        match args.next() {
            Some(a) => out.push_str(a),
            None => out.push_str("{}"),
        }
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    out
}

impl Texts {
    /// The translated name of a churn risk level (`low`, `medium`, `high`); other values as given.
    pub fn risk_level(&self, level: &str) -> String {
        match level {
            "low" => self.risk_low.into(),
            "medium" => self.risk_medium.into(),
            "high" => self.risk_high.into(),
            other => other.into(),
        }
    }

    /// The translated name of an organisation level.
    pub fn level(&self, level: &str) -> String {
        match level {
            "district" => self.district.into(),
            "station" => self.station.into(),
            "account_manager" => self.account_manager.into(),
            other => other.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_placeholders_in_order() {
        assert_eq!(
            fill("Showing {} of {} rows", &["5", "9"]),
            "Showing 5 of 9 rows"
        );
        assert_eq!(fill("a {} b {}", &["x"]), "a x b {}");
    }

    #[test]
    fn both_languages_fill_every_text() {
        for t in [&EN, &ZH] {
            let s = format!("{t:?}");
            assert!(!s.contains(": \"\""), "an empty text in {s}");
        }
        assert_eq!(texts(Lang::Zh).risk_level("high"), "高");
        assert_eq!(texts(Lang::En).level("station"), "Station");
    }
}
