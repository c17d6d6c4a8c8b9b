//! The texts of the district pages (`weekly/<district>.html`) and `weekly.xlsx`, in English
//! and Chinese (kept beside [`super::i18n`]; the same font rule applies, checked in
//! `fonts.rs`). Texts with `{}` are filled with [`super::i18n::fill`].

use super::i18n::Lang;

#[derive(Debug)]
pub struct WeeklyTexts {
    /// `{}` = the district.
    pub page_title: &'static str,
    pub as_of: &'static str,
    /// `{}` = the week's Sunday.
    pub week_ending: &'static str,
    pub week_in_progress: &'static str,
    pub pace_title: &'static str,
    pub mtd_sales: &'static str,
    pub month_target: &'static str,
    pub completion_rate: &'static str,
    pub days_left: &'static str,
    pub pace_needed: &'static str,
    /// `{}` = the month, e.g. 2025-12.
    pub weeks_of_month: &'static str,
    pub development_title: &'static str,
    pub leaderboard_title: &'static str,
    pub escalations_title: &'static str,
    pub high_risk_title: &'static str,
    pub none: &'static str,
    pub no_weekly_rows: &'static str,
    /// Label of the headline sheet block in weekly.xlsx.
    pub headline: &'static str,
}

pub const EN: WeeklyTexts = WeeklyTexts {
    page_title: "Weekly report: {}",
    as_of: "Data as of",
    week_ending: "Week ending {}",
    week_in_progress: "week still in progress",
    pace_title: "Sales pace against the month's target",
    mtd_sales: "Month-to-date sales",
    month_target: "Month target",
    completion_rate: "Completion rate",
    days_left: "Days left in the month",
    pace_needed: "Sales needed per day",
    weeks_of_month: "Weeks of {}",
    development_title: "Development progress",
    leaderboard_title: "Stations on the leaderboard",
    escalations_title: "Escalated deals",
    high_risk_title: "High-risk key accounts",
    none: "None.",
    no_weekly_rows: "No weekly rows for this district.",
    headline: "Headline",
};

pub const ZH: WeeklyTexts = WeeklyTexts {
    page_title: "周报：{}",
    as_of: "数据截至",
    week_ending: "截至 {} 的一周",
    week_in_progress: "本周尚未结束",
    pace_title: "本月销售进度（对比月度目标）",
    mtd_sales: "本月累计销售额",
    month_target: "月度目标",
    completion_rate: "完成率",
    days_left: "本月剩余天数",
    pace_needed: "每天需完成销售额",
    weeks_of_month: "{} 各周",
    development_title: "开发进展",
    leaderboard_title: "排行榜上的站点",
    escalations_title: "升级处理的商机",
    high_risk_title: "高风险重点客户",
    none: "无。",
    no_weekly_rows: "本片区没有周数据。",
    headline: "要点",
};

pub fn weekly_texts(lang: Lang) -> &'static WeeklyTexts {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}
