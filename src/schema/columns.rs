//! Output column names: every column a stage adds or writes, defined once. Input contract
//! columns and the per-customer features are in the parent module; the files and their
//! column lists are declared in [`super::outputs`].

// ---- value: RFM and the purchase / spend models (customers.csv) ----
/// The customer's key-account tier (None: not a key account) and the rule that gave it.
pub const KEY_ACCOUNT_TIER: &str = "key_account_tier";
/// Working column of the used transactions during a run: each row's customer as a number
/// (first appearance order), added once so stages need not hash the ids again
/// (`rows::with_customer_codes`). Never written.
pub const CUSTOMER_CODE: &str = "__kam_customer_code";
/// The order aggregates of the Spark feature job (one row per customer, day, order and
/// direction, read by `kam run --features` as its transactions): how many transaction rows a
/// row sums, and the largest amount among them.
pub const LINES: &str = "lines";
pub const LARGEST_LINE: &str = "largest_line";
pub const KEY_ACCOUNT_BASIS: &str = "key_account_basis";
pub const R_SCORE: &str = "r_score";
pub const F_SCORE: &str = "f_score";
pub const M_SCORE: &str = "m_score";
pub const RFM_CELL: &str = "rfm_cell";
pub const RFM_SEGMENT: &str = "rfm_segment";
/// The RFM segment (and k-means segment name) of customers without purchases.
pub const NO_PURCHASES: &str = "No purchases";
pub const P_ALIVE: &str = "p_alive";
pub const EXPECTED_PURCHASES: &str = "expected_purchases";
pub const EXPECTED_AVG_VALUE: &str = "expected_avg_value";
pub const CLV: &str = "clv";
/// The interval of each value prediction at `value.interval_level` (default 80%; see
/// `value::intervals`): parameter uncertainty, Laplace or bootstrap.
pub const P_ALIVE_LOW: &str = "p_alive_low";
pub const P_ALIVE_HIGH: &str = "p_alive_high";
pub const EXPECTED_PURCHASES_LOW: &str = "expected_purchases_low";
pub const EXPECTED_PURCHASES_HIGH: &str = "expected_purchases_high";
pub const EXPECTED_AVG_VALUE_LOW: &str = "expected_avg_value_low";
pub const EXPECTED_AVG_VALUE_HIGH: &str = "expected_avg_value_high";
pub const CLV_LOW: &str = "clv_low";
pub const CLV_HIGH: &str = "clv_high";
/// Contractual mode (`value::contract`): renewals completed, the probability of renewing at
/// the next renewal, the discounted expected remaining periods and their value.
pub const CONTRACT_RENEWALS: &str = "contract_renewals";
pub const RENEWAL_PROBABILITY: &str = "renewal_probability";
pub const EXPECTED_REMAINING_PERIODS: &str = "expected_remaining_periods";
pub const CONTRACT_CLV: &str = "contract_clv";
/// The next renewal date of a running contract: where it falls within the churn horizon, the
/// churn stage takes the contract's lapse probability.
pub const NEXT_RENEWAL: &str = "next_renewal";
pub const CONTRACT_COLUMNS: [&str; 5] = [
    CONTRACT_RENEWALS,
    RENEWAL_PROBABILITY,
    EXPECTED_REMAINING_PERIODS,
    CONTRACT_CLV,
    NEXT_RENEWAL,
];
/// Expected revenue of the next 365 days (expected purchases x expected average value); it
/// already counts the chance that the customer has left (p_alive).
pub const EXPECTED_REVENUE_12M: &str = "expected_revenue_12m";
/// Revenue of the next 365 days if the customer stays: the purchase model's expectation for a
/// customer alive now x expected average value, else `revenue_last_12m` (>= 0). The churn
/// stage's revenue at risk is its churn probability times this.
pub const REVENUE_IF_STAYS: &str = "revenue_if_stays";

// ---- segments (customers.csv, segments.csv) ----
pub const SEGMENT: &str = "segment";
pub const SEGMENT_NAME: &str = "segment_name";
pub const SHARE_CUSTOMERS: &str = "share_customers";
pub const SHARE_REVENUE: &str = "share_revenue";
/// Customers counted in a group (segments.csv, credit_mix.csv).
pub const CUSTOMER_COUNT: &str = "customers";
pub const TOP_CUSTOMER_TYPES: &str = "top_customer_types";
pub const TOP_DISTRICTS: &str = "top_districts";

// ---- products and channels (customers.csv; products::bought) ----
/// Distinct products the customer bought (lines with a positive amount).
pub const PRODUCT_COUNT: &str = "product_count";
pub const TOP_PRODUCT: &str = "top_product";
/// The top product's share of the customer's purchase revenue.
pub const TOP_PRODUCT_SHARE: &str = "top_product_share";
/// The products bought, by revenue, "; "-separated (at most 10, then "+N more").
pub const PRODUCTS: &str = "products";
pub const MAIN_CHANNEL: &str = "main_channel";
pub const MAIN_CHANNEL_SHARE: &str = "main_channel_share";
/// Revenue by channel, "direct 85%, phone 15%".
pub const CHANNEL_MIX: &str = "channel_mix";
/// The per-customer product and channel columns, in customers.csv order.
pub const PRODUCT_COLUMNS: [&str; 7] = [
    PRODUCT_COUNT,
    TOP_PRODUCT,
    TOP_PRODUCT_SHARE,
    PRODUCTS,
    MAIN_CHANNEL,
    MAIN_CHANNEL_SHARE,
    CHANNEL_MIX,
];
/// segments.csv: the most common main products of a segment with their shares.
pub const TOP_PRODUCTS: &str = "top_products";

// ---- satisfaction (customers.csv; satisfaction.csv) ----
#[path = "columns_satisfaction.rs"]
mod satisfaction;
pub use satisfaction::*;

// ---- churn (customers.csv; churn.csv of kam churn) ----
pub const CHURN_PROBABILITY: &str = "churn_probability";
pub const CHURN_RISK: &str = "churn_risk";
pub const REVENUE_AT_RISK: &str = "revenue_at_risk";
pub const CHURN_DRIVERS: [&str; 3] = ["churn_driver_1", "churn_driver_2", "churn_driver_3"];
pub const CHURN_LABEL: &str = "churn_label";
pub const CV_PROBABILITY: &str = "cv_probability";

// ---- the value model's holdout check (models/calibration_by_frequency.csv) ----
pub const ACTUAL_MEAN: &str = "actual_mean";
pub const PREDICTED_MEAN: &str = "predicted_mean";

// ---- market share and credit mix, as the report reads them ----
pub const ELIGIBLE: &str = "eligible";
pub const SHARE_OF_CAPACITY: &str = "share_of_capacity";
pub const CAPACITY: &str = "capacity";
pub const CAP_MAX_VOLUME: &str = "cap_max_volume";
pub const REVENUE_SHARE: &str = "revenue_share";

/// Columns of the track tables (attainment, weekly progress, leaderboard, campaigns, trend,
/// portfolios).
pub mod track {
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
    pub const COMPLETE: &str = "complete";
    pub const FIRST_TOPUPS: &str = "first_topups";
    pub const FIRST_TOPUP_AMOUNT: &str = "first_topup_amount";
    pub const PROSPECTS_CONTACTED: &str = "prospects_contacted";
    pub const DEALS_OPENED: &str = "deals_opened";
    pub const DEALS_ADVANCED: &str = "deals_advanced";
    pub const DEALS_SIGNED: &str = "deals_signed";

    pub const BOARD: &str = "board";
    pub const VALUE: &str = "value";
    pub const RANK: &str = "rank";

    pub const AWARD: &str = "award";
    pub const BASIS: &str = "basis";
    pub const AMOUNT: &str = "amount";

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

    pub const ACCOUNT_MANAGER: &str = "account_manager";
    pub const STATION: &str = "station";
    pub const CUSTOMERS: &str = "customers";
    pub const PROSPECTS: &str = "prospects";
    pub const KEY_ACCOUNTS: &str = "key_accounts";
    pub const HIGH_RISK_KEY_ACCOUNTS: &str = "high_risk_key_accounts";
    pub const REVENUE_LAST_12M: &str = "revenue_last_12m";
    pub const REVENUE_PREV_12M: &str = "revenue_prev_12m";
    pub const REVENUE_GROWTH: &str = "revenue_growth";
    pub const CLV: &str = "clv";
    pub const REVENUE_AT_RISK: &str = "revenue_at_risk";
    pub const B_OR_BETTER_SHARE: &str = "b_or_better_share";
    pub const YTD_REVENUE: &str = "ytd_revenue";
    pub const YTD_ATTAINMENT: &str = "ytd_attainment";
    pub const OPEN_DEALS: &str = "open_deals";
    pub const OPEN_DEAL_AMOUNT: &str = "open_deal_amount";

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
    pub const WEEKLY: [&str; 19] = [
        DISTRICT,
        WEEK_END,
        COMPLETE,
        SALES,
        VOLUME,
        NEW_CUSTOMERS,
        NEW_KEY_ACCOUNTS,
        FIRST_TOPUPS,
        FIRST_TOPUP_AMOUNT,
        PROSPECTS_CONTACTED,
        DEALS_OPENED,
        DEALS_ADVANCED,
        DEALS_SIGNED,
        MONTH,
        MTD_SALES,
        MONTH_TARGET,
        MTD_COMPLETION_RATE,
        DAYS_LEFT_IN_MONTH,
        PACE_NEEDED_PER_DAY,
    ];
    /// Columns of `leaderboard.csv`, in order.
    pub const LEADERBOARD: [&str; 5] = [BOARD, LEVEL, UNIT, VALUE, RANK];
    /// Columns of `awards.csv`, in order.
    pub const AWARDS: [&str; 7] = [AWARD, BOARD, LEVEL, UNIT, RANK, BASIS, AMOUNT];
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
    /// Columns of `portfolios.csv`, in order.
    pub const PORTFOLIOS: [&str; 18] = [
        ACCOUNT_MANAGER,
        DISTRICT,
        STATION,
        CUSTOMERS,
        PROSPECTS,
        KEY_ACCOUNTS,
        HIGH_RISK_KEY_ACCOUNTS,
        REVENUE_LAST_12M,
        REVENUE_PREV_12M,
        REVENUE_GROWTH,
        CLV,
        REVENUE_AT_RISK,
        B_OR_BETTER_SHARE,
        YTD_REVENUE,
        YTD_TARGET,
        YTD_ATTAINMENT,
        OPEN_DEALS,
        OPEN_DEAL_AMOUNT,
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

/// Columns of the planner's tables (key accounts, escalations, review pack, prospects,
/// credit mix, market share, quotas).
pub mod plan {
    pub const ACTIVE_MONTHS: &str = "active_months";
    pub const ALLOCATION: &str = "allocation";
    pub const AMOUNT: &str = "amount";
    pub const BASIS: &str = "basis";
    pub const BINDING_CONSTRAINT: &str = "binding_constraint";
    pub const BOUND_APPLIED: &str = "bound_applied";
    pub const CAP_MIN_VOLUME: &str = "cap_min_volume";
    pub const CHANGE_VS_LAST_YEAR_PCT: &str = "change_vs_last_year_pct";
    pub const CUSTOMER_SHARE: &str = "customer_share";
    pub const DAYS_OPEN: &str = "days_open";
    pub const DAYS_STALLED: &str = "days_stalled";
    pub const DEALS: &str = "deals";
    pub const DEMAND_SHORT_OF_MIN: &str = "demand_short_of_min";
    pub const ELIGIBLE_DEMAND: &str = "eligible_demand";
    pub const ESCALATED: &str = "escalated";
    pub const FORECAST: &str = "forecast";
    pub const FORECAST_HI: &str = "forecast_hi";
    pub const FORECAST_LO: &str = "forecast_lo";
    pub const FORECAST_VOLUME: &str = "forecast_volume";
    pub const GOAL: &str = "goal";
    pub const LAST_PERIOD_ACTUAL: &str = "last_period_actual";
    pub const LAST_YEAR_SAME_PERIOD: &str = "last_year_same_period";
    pub const LEVEL: &str = "level";
    pub const LOWER_BOUND: &str = "lower_bound";
    pub const MAX_INTENDED_DEAL: &str = "max_intended_deal";
    pub const MAX_PAYMENT_DAYS: &str = "max_payment_days";
    pub const MAX_ROLLING_CREDIT: &str = "max_rolling_credit";
    pub const MEETS_GOAL: &str = "meets_goal";
    pub const METRIC: &str = "metric";
    pub const OPEN_AMOUNT: &str = "open_amount";
    pub const OPEN_DEALS: &str = "open_deals";
    pub const PARENT: &str = "parent";
    pub const PENETRATION: &str = "penetration";
    pub const PERIOD: &str = "period";
    pub const POTENTIAL: &str = "potential";
    pub const PRICE_FLOOR: &str = "price_floor";
    pub const QUALITY_SHARE: &str = "quality_share";
    pub const QUOTA: &str = "quota";
    pub const QUOTA_VS_FORECAST: &str = "quota_vs_forecast";
    pub const RANK: &str = "rank";
    pub const REASON: &str = "reason";
    pub const REVENUE: &str = "revenue";
    pub const SCORE: &str = "score";
    pub const SECTION: &str = "section";
    pub const STALLED_DEALS: &str = "stalled_deals";
    pub const STALL_REASON: &str = "stall_reason";
    pub const TIER: &str = "tier";
    pub const UNIT: &str = "unit";
    pub const UNTAPPED_POTENTIAL: &str = "untapped_potential";
    pub const UPPER_BOUND: &str = "upper_bound";
    pub const VOLUME_LAST_12M: &str = "volume_last_12m";
}

/// Columns of `merge_candidates.csv`: pairs of customers that may be one customer, oriented
/// so `candidate_id` is the suggested survivor and `customer_id` the id to merge into it.
pub mod master {
    pub const CUSTOMER_ID: &str = "customer_id";
    pub const CANDIDATE_ID: &str = "candidate_id";
    pub const CUSTOMER_NAME: &str = "customer_name";
    pub const CANDIDATE_NAME: &str = "candidate_name";
    pub const DISTRICT: &str = "district";
    pub const RULE: &str = "rule";
    pub const SCORE: &str = "score";
    pub const CUSTOMER_REVENUE: &str = "customer_revenue_last_12m";
    pub const CANDIDATE_REVENUE: &str = "candidate_revenue_last_12m";

    /// Columns of `merge_candidates.csv`, in order.
    pub const MERGE_CANDIDATES: [&str; 9] = [
        CUSTOMER_ID,
        CANDIDATE_ID,
        CUSTOMER_NAME,
        CANDIDATE_NAME,
        DISTRICT,
        RULE,
        SCORE,
        CUSTOMER_REVENUE,
        CANDIDATE_REVENUE,
    ];
}

// ---- kam retention (retention.csv) ----
/// The cohort a row belongs to (as the input names it).
pub const COHORT: &str = "cohort";
/// Periods since the cohort's start (0 = the start).
pub const PERIOD: &str = "period";
/// Observed share of the cohort still under contract.
pub const SURVIVAL: &str = "survival";
/// The sBG model's share still under contract, S(t).
pub const SURVIVAL_FITTED: &str = "survival_fitted";
/// The model's share of those under contract after t - 1 periods who renew in period t.
pub const RETENTION_RATE: &str = "retention_rate";
/// The cohort's starting customers times `survival_fitted`.
pub const EXPECTED_CUSTOMERS: &str = "expected_customers";
/// True beyond the observed periods.
pub const PROJECTED: &str = "projected";

/// Columns of the products stage's tables (`product_affinity.csv`, `cross_sell.csv`,
/// `product_penetration.csv`, `channel_mix.csv`).
#[path = "columns_products.rs"]
pub mod products;
