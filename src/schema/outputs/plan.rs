//! The planner's tables of `kam run`.

use super::{OutputKind, OutputSpec};

/// `market_share.csv`
pub const MARKET_SHARE: OutputSpec = OutputSpec {
    file: "market_share.csv",
    kind: OutputKind::Table {
        columns: &[
            "customer_id",
            "name",
            "customer_type",
            "credit_grade",
            "payment_terms",
            "eligible",
            "reason",
            "score",
            "rank",
            "volume_last_12m",
            "active_months",
            "forecast_volume",
            "allocation",
            "share_of_capacity",
            "binding_constraint",
            "price_floor",
            "max_rolling_credit",
            "max_payment_days",
            "shares_resources",
            "district",
            "station",
            "account_manager",
            "capacity",
            "cap_min_volume",
            "cap_max_volume",
            "eligible_demand",
            "demand_short_of_min",
        ],
        parquet: false,
        sheet: true,
    },
    doc: "Market-share (long-term) customers: eligibility and its reasons, priority, allocation under the capacity cap and negotiation limits.",
};

/// `credit_mix.csv`
pub const CREDIT_MIX: OutputSpec = OutputSpec {
    file: "credit_mix.csv",
    kind: OutputKind::Table {
        columns: &[
            "level",
            "unit",
            "credit_grade",
            "customers",
            "customer_share",
            "revenue",
            "revenue_share",
            "quality_share",
            "goal",
            "meets_goal",
        ],
        parquet: false,
        sheet: true,
    },
    doc: "Shares of customers and revenue by credit grade and the B-or-better share against the goal, per company, district, station and manager.",
};

/// `quotas.csv`
pub const QUOTAS: OutputSpec = OutputSpec {
    file: "quotas.csv",
    kind: OutputKind::Table {
        columns: &[
            "level",
            "unit",
            "parent",
            "basis",
            "quota",
            "last_year_same_period",
            "change_vs_last_year_pct",
            "forecast",
            "quota_vs_forecast",
            "forecast_lo",
            "forecast_hi",
            "last_period_actual",
            "potential",
            "bound_applied",
            "lower_bound",
            "upper_bound",
            "period",
            "metric",
        ],
        parquet: false,
        sheet: true,
    },
    doc: "Next period's quota per district, station and manager, summing exactly to its parent: where each number came from, the same period last year, kam's forecast, and the bounds.",
};

/// `escalations.csv`
pub const ESCALATIONS: OutputSpec = OutputSpec {
    file: "escalations.csv",
    kind: OutputKind::Table {
        columns: &[
            "deal_id",
            "customer_id",
            "name",
            "owner",
            "account_manager",
            "stage",
            "intended_amount",
            "days_stalled",
            "main_obstacle",
            "strategy",
            "core_need",
            "tier",
            "stall_reason",
            "days_open",
            "district",
            "station",
            "opened_on",
            "last_follow_up",
        ],
        parquet: false,
        sheet: true,
    },
    doc: "Open deals above the escalation threshold that have stalled, with owner, stage, obstacle and strategy.",
};

/// `review_pack.csv`
pub const REVIEW_PACK: OutputSpec = OutputSpec {
    file: "review_pack.csv",
    kind: OutputKind::Table {
        columns: &[
            "district",
            "station",
            "owner",
            "section",
            "stage",
            "deals",
            "amount",
            "deal_id",
            "customer_id",
            "name",
            "days_stalled",
            "stall_reason",
            "core_need",
            "main_obstacle",
            "strategy",
            "escalated",
            "churn_probability",
            "revenue_at_risk",
            "open_complaints",
        ],
        parquet: false,
        sheet: true,
    },
    doc: "The review meeting pack grouped district, station, owner: deals in difficulty, counts by stage, high-risk key accounts, key accounts with open complaints (with a feedback table).",
};

/// `key_accounts.csv`
pub const KEY_ACCOUNTS: OutputSpec = OutputSpec {
    file: "key_accounts.csv",
    kind: OutputKind::Table {
        columns: &[
            "customer_id",
            "name",
            "tier",
            "basis",
            "max_intended_deal",
            "customer_type",
            "district",
            "station",
            "account_manager",
            "credit_grade",
            "revenue_last_12m",
            "open_deals",
            "open_amount",
            "stalled_deals",
            "churn_risk",
        ],
        parquet: false,
        sheet: true,
    },
    doc: "Key accounts (customers whose key_account_tier is set) and their tier, with open and stalled deals and churn risk.",
};

/// `prospects.csv`
pub const PROSPECTS: OutputSpec = OutputSpec {
    file: "prospects.csv",
    kind: OutputKind::Table {
        columns: &[
            "station",
            "district",
            "rank",
            "customer_id",
            "name",
            "customer_type",
            "account_manager",
            "potential_volume",
            "vehicles",
            "volume_last_12m",
            "penetration",
            "untapped_potential",
            "revenue_last_12m",
        ],
        parquet: false,
        sheet: true,
    },
    doc: "Per station, organisations with potential but little purchase, ranked by untapped potential.",
};
