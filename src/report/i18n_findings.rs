//! The texts of the key figures and the findings at the top of `report.html`, in English and
//! Chinese. Templates fill their `{}` in order ([`super::i18n::fill`]); the same font rule as
//! [`super::i18n`] applies (tested in `fonts.rs`).

use super::i18n::Lang;

#[derive(Debug)]
pub struct FindingTexts {
    pub contents: &'static str,
    pub sec_manager: &'static str,
    pub sec_planning: &'static str,
    pub sec_tracking: &'static str,
    pub sec_customers: &'static str,
    pub filter: &'static str,
    pub key_figures: &'static str,
    pub findings: &'static str,
    // ---- cards: label, then the comparison ----
    pub revenue_12m: &'static str,
    /// `{}` = the growth, e.g. +12.3%.
    pub vs_last_year: &'static str,
    pub active_customers: &'static str,
    /// `{}` = the change in customers, e.g. +5.
    pub customers_vs_last_year: &'static str,
    pub key_accounts: &'static str,
    /// `{}` = a share, e.g. 83%.
    pub of_revenue: &'static str,
    pub revenue_at_risk: &'static str,
    pub ytd_attainment: &'static str,
    /// `{}` = the month.
    pub vs_target: &'static str,
    pub b_or_better: &'static str,
    /// `{}` = the goal.
    pub vs_goal: &'static str,
    pub market_share: &'static str,
    /// `{}` = the cap.
    pub vs_cap: &'static str,
    /// `{}` = the period.
    pub next_quota: &'static str,
    /// `{}` = the difference to the forecast, e.g. -2.1%.
    pub vs_forecast: &'static str,
    // ---- findings ----
    /// revenue, up/down, change
    pub f_revenue: &'static str,
    pub up: &'static str,
    pub down: &'static str,
    /// district, rate, period
    pub f_lowest_district: &'static str,
    /// the open month, amount per day
    pub f_pace: &'static str,
    /// customers, revenue at risk, key accounts
    pub f_high_risk: &'static str,
    /// share
    pub f_concentration: &'static str,
    /// key accounts, share of customers, share of revenue
    pub f_key_accounts: &'static str,
    /// period, quota, [`FindingTexts::above`] or `below` filled with the difference, forecast
    pub f_quota: &'static str,
    pub above: &'static str,
    pub below: &'static str,
    /// a, b, confidence, a, b, lift
    pub f_affinity: &'static str,
    /// nps, answered, district, its nps, its answers, open complaints, at key accounts
    pub f_satisfaction: &'static str,
    /// deals, threshold
    pub f_escalations: &'static str,
}

pub const EN: FindingTexts = FindingTexts {
    contents: "Contents",
    sec_manager: "For the general manager: trend and top customers",
    sec_planning: "Planning: key accounts, escalations, quotas, market share, credit mix",
    sec_tracking: "Tracking: attainment, weekly progress, leaderboard, campaigns, portfolios",
    sec_customers: "Customers: segments, value, churn, products and satisfaction",
    filter: "Filter rows",
    key_figures: "Key figures",
    findings: "What matters this week",
    revenue_12m: "Revenue, last 12 months",
    vs_last_year: "{} vs the 12 months before",
    active_customers: "Active customers (bought in 12 months)",
    customers_vs_last_year: "{} vs a year earlier",
    key_accounts: "Key accounts",
    of_revenue: "{} of revenue",
    revenue_at_risk: "Revenue at risk",
    ytd_attainment: "Year-to-date attainment",
    vs_target: "vs target 100% (to {})",
    b_or_better: "B-or-better share",
    vs_goal: "goal {}",
    market_share: "Market-share allocation (of capacity)",
    vs_cap: "cap {}",
    next_quota: "Quota for {}",
    vs_forecast: "{} vs the forecast",
    f_revenue: "Revenue of the last 12 months is {}, {} {} on the 12 months before.",
    up: "up",
    down: "down",
    f_lowest_district: "{} is at {} of its {} revenue target, the lowest district.",
    f_pace: " In {} it needs {} a day to reach its target.",
    f_high_risk: "{} active customers are at high risk of leaving, with {} of revenue at risk; {} of them are key accounts.",
    f_concentration: "The top 20% of customers hold {} of CLV.",
    f_key_accounts: "{} key accounts ({} of customers) bring {} of the last 12 months' revenue.",
    f_quota: "The {} quota is {}, {} the forecast of {}.",
    above: "{} above",
    below: "{} below",
    f_affinity: "{} and {} go together: {} of the baskets with {} hold {} (lift {}).",
    f_satisfaction: "NPS is {} over {} customers; {} is lowest at {} ({} answers); {} complaints are open, {} of them at key accounts.",
    f_escalations: "{} stalled deals of {} or more are escalated.",
};

pub const ZH: FindingTexts = FindingTexts {
    contents: "目录",
    sec_manager: "总经理：趋势与重点客户",
    sec_planning: "计划：大客户、升级事项、任务、市场份额、信用结构",
    sec_tracking: "跟踪：目标完成、周进度、排行榜、推广活动、客户经理",
    sec_customers: "客户：分群、价值、流失、产品与满意度",
    filter: "筛选",
    key_figures: "关键指标",
    findings: "本周要点",
    revenue_12m: "近12个月收入",
    vs_last_year: "较前12个月 {}",
    active_customers: "活跃客户（12个月内有购买）",
    customers_vs_last_year: "较一年前 {}",
    key_accounts: "大客户",
    of_revenue: "占收入 {}",
    revenue_at_risk: "风险收入",
    ytd_attainment: "年度累计完成率",
    vs_target: "目标 100%（至 {}）",
    b_or_better: "B级及以上客户占比",
    vs_goal: "目标 {}",
    market_share: "市场份额分配（占产能）",
    vs_cap: "上限 {}",
    next_quota: "{} 任务",
    vs_forecast: "较预测 {}",
    f_revenue: "近12个月收入 {}，较前12个月{} {}。",
    up: "增长",
    down: "下降",
    f_lowest_district: "{} 完成 {} 的 {} 收入目标，为各片区最低。",
    f_pace: "{} 还需每天完成 {} 才能达成目标。",
    f_high_risk: "{} 个活跃客户流失风险高，风险收入 {}，其中 {} 个是大客户。",
    f_concentration: "前20%的客户占客户终身价值的 {}。",
    f_key_accounts: "{} 个大客户（占客户 {}）贡献近12个月收入的 {}。",
    f_quota: "{} 任务为 {}，{}，预测值为 {}。",
    above: "高于预测 {}",
    below: "低于预测 {}",
    f_affinity: "{} 与 {} 常一起购买：{} 的含 {} 的订单同时含 {}（提升度 {}）。",
    f_satisfaction: "净推荐值 {}（{} 个客户回答）；{} 最低，为 {}（{} 个回答）；{} 个投诉未解决，其中 {} 个在大客户。",
    f_escalations: "{} 个金额 {} 及以上的停滞商机已升级。",
};

pub fn finding_texts(lang: Lang) -> &'static FindingTexts {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}
