//! The tracking tables of `kam run`.

use super::{OutputKind, OutputSpec};

/// `attainment.csv`
pub const ATTAINMENT: OutputSpec = OutputSpec {
    file: "attainment.csv",
    kind: OutputKind::Table {
        columns: &[
            "period",
            "level",
            "unit",
            "metric",
            "actual",
            "target",
            "completion_rate",
            "ytd_actual",
            "ytd_target",
            "ytd_completion_rate",
            "actual_last_year",
            "yoy_change",
        ],
        parquet: false,
        sheet: true,
    },
    doc: "Per month, level, unit and metric: actual against target, completion rate, year to date and against last year.",
};

/// `weekly_progress.csv`
pub const WEEKLY_PROGRESS: OutputSpec = OutputSpec {
    file: "weekly_progress.csv",
    kind: OutputKind::Table {
        columns: &[
            "district",
            "week_end",
            "complete",
            "sales",
            "volume",
            "new_customers",
            "new_key_accounts",
            "first_topups",
            "first_topup_amount",
            "prospects_contacted",
            "deals_opened",
            "deals_advanced",
            "deals_signed",
            "month",
            "mtd_sales",
            "month_target",
            "mtd_completion_rate",
            "days_left_in_month",
            "pace_needed_per_day",
        ],
        parquet: false,
        sheet: true,
    },
    doc: "Per district and week (ending Sunday), complete or still in progress: sales, volume, new customers, key accounts and first top-ups, prospects contacted and deals opened, advanced and signed, month-to-date completion and the pace needed per day.",
};

/// `leaderboard.csv`
pub const LEADERBOARD: OutputSpec = OutputSpec {
    file: "leaderboard.csv",
    kind: OutputKind::Table {
        columns: &["board", "level", "unit", "value", "rank"],
        parquet: false,
        sheet: true,
    },
    doc: "Stations and managers ranked by completion rate, new key accounts and first top-up.",
};

/// `awards.csv`
pub const AWARDS: OutputSpec = OutputSpec {
    file: "awards.csv",
    kind: OutputKind::Table {
        columns: &["award", "board", "level", "unit", "rank", "basis", "amount"],
        parquet: false,
        sheet: true,
    },
    doc: "The leaderboard's awards: the reward for new customers whose first top-up passes the threshold, and the award pool split over the best ranked units.",
};

/// `campaigns.csv`
pub const CAMPAIGNS: OutputSpec = OutputSpec {
    file: "campaigns.csv",
    kind: OutputKind::Table {
        columns: &[
            "by",
            "channel",
            "campaign_id",
            "reached",
            "converted",
            "conversion_rate",
            "cost",
            "cost_per_conversion",
            "first_topup_total",
            "first_topup_per_conversion",
        ],
        parquet: false,
        sheet: true,
    },
    doc: "Conversion by channel and by campaign: reached, converted, cost per conversion, first top-up.",
};

/// `trend.csv`
pub const TREND: OutputSpec = OutputSpec {
    file: "trend.csv",
    kind: OutputKind::Table {
        columns: &[
            "level",
            "unit",
            "month",
            "kind",
            "revenue",
            "volume",
            "revenue_yoy_growth",
            "revenue_ma3",
            "revenue_lo",
            "revenue_hi",
            "method",
        ],
        parquet: false,
        sheet: true,
    },
    doc: "The monthly revenue and volume trend per level and unit with growth, moving average and the forecast with its interval.",
};

/// `portfolios.csv`
pub const PORTFOLIOS: OutputSpec = OutputSpec {
    file: "portfolios.csv",
    kind: OutputKind::Table {
        columns: &[
            "account_manager",
            "district",
            "station",
            "customers",
            "prospects",
            "key_accounts",
            "high_risk_key_accounts",
            "revenue_last_12m",
            "revenue_prev_12m",
            "revenue_growth",
            "clv",
            "revenue_at_risk",
            "b_or_better_share",
            "ytd_revenue",
            "ytd_target",
            "ytd_attainment",
            "open_deals",
            "open_deal_amount",
        ],
        parquet: false,
        sheet: true,
    },
    doc: "One row per account manager: the book of customers and prospects, key accounts, revenue of the last 12 months and its growth, CLV, revenue at risk, the quality-customer share, year-to-date attainment and open deals.",
};
