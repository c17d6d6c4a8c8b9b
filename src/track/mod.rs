//! Tracking what managers see every week and month (issue 7, items 1-5): attainment against
//! targets, the weekly progress report per district, the leaderboard of stations and account
//! managers, channel and campaign conversion, and the monthly trend with a seasonal forecast.
//!
//! [`stage::track`] takes the clean validated tables and the per-customer table and returns
//! frames and the forecast report; it never touches the disk (the pipeline writes the files).
//! The business definitions (new customer, key account, first top-up) live in [`facts`] and
//! are repeated in the README.

pub mod attainment;
pub mod campaigns;
pub mod facts;
pub mod forecast;
pub mod leaderboard;
pub mod output;
pub mod params;
pub mod stage;
pub mod trend;
pub mod weekly;

pub use params::{TrackParams, TrackValid};
pub use stage::{TrackInputs, track};

/// Output column names of the track tables (the agreed contract of issue 7).
pub mod cols {
    pub const PERIOD: &str = "period";
    pub const LEVEL: &str = "level";
    pub const UNIT: &str = "unit";
    pub const METRIC: &str = "metric";
    pub const ACTUAL: &str = "actual";
    pub const TARGET: &str = "target";
    pub const COMPLETION_RATE: &str = "completion_rate";
    pub const YTD_ACTUAL: &str = "ytd_actual";
    pub const YTD_TARGET: &str = "ytd_target";
    pub const YTD_COMPLETION_RATE: &str = "ytd_completion_rate";
    pub const ACTUAL_LAST_YEAR: &str = "actual_last_year";
    pub const YOY_CHANGE: &str = "yoy_change";

    pub const DISTRICT: &str = "district";
    pub const WEEK_END: &str = "week_end";
    pub const SALES: &str = "sales";
    pub const VOLUME: &str = "volume";
    pub const NEW_CUSTOMERS: &str = "new_customers";
    pub const NEW_KEY_ACCOUNTS: &str = "new_key_accounts";
    pub const MONTH: &str = "month";
    pub const MTD_SALES: &str = "mtd_sales";
    pub const MONTH_TARGET: &str = "month_target";
    pub const MTD_COMPLETION_RATE: &str = "mtd_completion_rate";
    pub const DAYS_LEFT_IN_MONTH: &str = "days_left_in_month";
    pub const PACE_NEEDED_PER_DAY: &str = "pace_needed_per_day";

    pub const BOARD: &str = "board";
    pub const VALUE: &str = "value";
    pub const RANK: &str = "rank";

    pub const BY: &str = "by";
    pub const CHANNEL: &str = "channel";
    pub const CAMPAIGN_ID: &str = "campaign_id";
    pub const REACHED: &str = "reached";
    pub const CONVERTED: &str = "converted";
    pub const CONVERSION_RATE: &str = "conversion_rate";
    pub const COST: &str = "cost";
    pub const COST_PER_CONVERSION: &str = "cost_per_conversion";
    pub const FIRST_TOPUP_TOTAL: &str = "first_topup_total";
    pub const FIRST_TOPUP_PER_CONVERSION: &str = "first_topup_per_conversion";

    pub const KIND: &str = "kind";
    pub const REVENUE: &str = "revenue";
    pub const REVENUE_YOY_GROWTH: &str = "revenue_yoy_growth";
    pub const REVENUE_MA3: &str = "revenue_ma3";
    pub const REVENUE_LO: &str = "revenue_lo";
    pub const REVENUE_HI: &str = "revenue_hi";
    pub const METHOD: &str = "method";

    /// Columns of `attainment.csv`, in order.
    pub const ATTAINMENT: [&str; 12] = [
        PERIOD,
        LEVEL,
        UNIT,
        METRIC,
        ACTUAL,
        TARGET,
        COMPLETION_RATE,
        YTD_ACTUAL,
        YTD_TARGET,
        YTD_COMPLETION_RATE,
        ACTUAL_LAST_YEAR,
        YOY_CHANGE,
    ];
    /// Columns of `weekly_progress.csv`, in order.
    pub const WEEKLY: [&str; 12] = [
        DISTRICT,
        WEEK_END,
        SALES,
        VOLUME,
        NEW_CUSTOMERS,
        NEW_KEY_ACCOUNTS,
        MONTH,
        MTD_SALES,
        MONTH_TARGET,
        MTD_COMPLETION_RATE,
        DAYS_LEFT_IN_MONTH,
        PACE_NEEDED_PER_DAY,
    ];
    /// Columns of `leaderboard.csv`, in order.
    pub const LEADERBOARD: [&str; 5] = [BOARD, LEVEL, UNIT, VALUE, RANK];
    /// Columns of `campaigns.csv`, in order.
    pub const CAMPAIGNS: [&str; 10] = [
        BY,
        CHANNEL,
        CAMPAIGN_ID,
        REACHED,
        CONVERTED,
        CONVERSION_RATE,
        COST,
        COST_PER_CONVERSION,
        FIRST_TOPUP_TOTAL,
        FIRST_TOPUP_PER_CONVERSION,
    ];
    /// Columns of `trend.csv`, in order.
    pub const TREND: [&str; 11] = [
        LEVEL,
        UNIT,
        MONTH,
        KIND,
        REVENUE,
        VOLUME,
        REVENUE_YOY_GROWTH,
        REVENUE_MA3,
        REVENUE_LO,
        REVENUE_HI,
        METHOD,
    ];
}
