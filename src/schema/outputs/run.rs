//! The files of `kam run`, in the order the report's workbook takes its sheets.

use super::models::*;
use super::plan::*;
use super::products::*;
use super::track::*;
use super::{OutputKind, OutputSpec};

/// `customers.csv`
pub const CUSTOMERS: OutputSpec = OutputSpec {
    file: "customers.csv",
    kind: OutputKind::Table {
        columns: &[
            "customer_id",
            "name",
            "customer_type",
            "district",
            "station",
            "account_manager",
            "credit_grade",
            "payment_terms",
            "credit_days",
            "acquired_on",
            "potential_volume",
            "vehicles",
            "shares_resources",
            "phone",
            "tax_id",
            "address",
            "contract_start",
            "contract_end",
            "renewal_months",
            "in_customer_table",
            "first_purchase",
            "last_purchase",
            "orders",
            "frequency",
            "recency",
            "T",
            "recency_days",
            "monetary_total",
            "monetary_value",
            "returns_total",
            "quantity_total",
            "tenure_days",
            "largest_order",
            "revenue_last_12m",
            "revenue_prev_12m",
            "trend_12m",
            "key_account_tier",
            "key_account_basis",
            "product_count",
            "top_product",
            "top_product_share",
            "products",
            "main_channel",
            "main_channel_share",
            "channel_mix",
            "csat_mean",
            "nps_score",
            "nps_class",
            "complaints",
            "open_complaints",
            "mean_days_to_resolve",
            "days_since_contact",
            "r_score",
            "f_score",
            "m_score",
            "rfm_cell",
            "rfm_segment",
            "p_alive",
            "expected_purchases",
            "expected_avg_value",
            "clv",
            "expected_revenue_12m",
            "revenue_if_stays",
            "p_alive_low",
            "p_alive_high",
            "expected_purchases_low",
            "expected_purchases_high",
            "expected_avg_value_low",
            "expected_avg_value_high",
            "clv_low",
            "clv_high",
            "contract_renewals",
            "renewal_probability",
            "expected_remaining_periods",
            "contract_clv",
            "next_renewal",
            "segment",
            "segment_name",
            "churn_probability",
            "churn_risk",
            "revenue_at_risk",
            "churn_driver_1",
            "churn_driver_2",
            "churn_driver_3",
        ],
        parquet: true,
        sheet: true,
    },
    doc: "One row per customer: the customers' own columns, the per-customer features, RFM and value scores, the segment, churn risk and revenue at risk (columns of absent inputs or skipped stages are left out).",
};

/// `segments.csv`
pub const SEGMENTS: OutputSpec = OutputSpec {
    file: "segments.csv",
    kind: OutputKind::Table {
        columns: &[
            "segment",
            "segment_name",
            "customers",
            "share_customers",
            "share_revenue",
            "<feature>_mean",
            "<feature>_median",
            "top_customer_types",
            "top_districts",
            "top_products",
        ],
        parquet: false,
        sheet: true,
    },
    doc: "One row per segment: size, shares of customers and revenue, the mean and median of every clustering feature, the commonest customer types and districts, and the segment's name.",
};

/// `merge_candidates.csv`
pub const MERGE_CANDIDATES: OutputSpec = OutputSpec {
    file: "merge_candidates.csv",
    kind: OutputKind::Table {
        columns: &crate::schema::columns::master::MERGE_CANDIDATES,
        parquet: false,
        sheet: false,
    },
    doc: "Pairs of customers that may be one customer (same tax id, normalised name, phone or address, or a similar name, within a district): customer_id is the id to merge into the suggested survivor candidate_id, with the rule, its score and both customers' revenue of the last 12 months.",
};

/// `rejects/<table>.csv`
pub const REJECTS: OutputSpec = OutputSpec {
    file: "rejects/<table>.csv",
    kind: OutputKind::Table {
        columns: &["row", "check", "reason", "<field>"],
        parquet: false,
        sheet: false,
    },
    doc: "Every rejected row of that input: its 1-based data row, the check it failed, the reason in words, then all its original fields as text.",
};

/// `models/bgnbd.json`
pub const BGNBD_MODEL: OutputSpec = OutputSpec {
    file: "models/bgnbd.json",
    kind: OutputKind::Model,
    doc: "The fitted BG/NBD purchase model: r, alpha, a, b, the distinct triples fitted and the convergence report.",
};

/// `models/pareto_nbd.json`
pub const PARETO_NBD_MODEL: OutputSpec = OutputSpec {
    file: "models/pareto_nbd.json",
    kind: OutputKind::Model,
    doc: "The fitted Pareto/NBD purchase model (with `[value] model = \"pareto\"`): r, alpha, s, beta and the convergence report.",
};

/// `models/mbgnbd.json`
pub const MBGNBD_MODEL: OutputSpec = OutputSpec {
    file: "models/mbgnbd.json",
    kind: OutputKind::Model,
    doc: "The fitted MBG/NBD purchase model (with `[value] model = \"mbgnbd\"`): r, alpha, a, b, the distinct triples fitted and the convergence report.",
};

/// `models/value_forecast.json`
pub const VALUE_FORECAST: OutputSpec = OutputSpec {
    file: "models/value_forecast.json",
    kind: OutputKind::Model,
    doc: "The company's repeat purchases, revenue and CLV over the value horizon with their intervals (absent with `[value] intervals = \"none\"`).",
};

/// `models/contract_retention.json`
pub const CONTRACT_MODEL: OutputSpec = OutputSpec {
    file: "models/contract_retention.json",
    kind: OutputKind::Model,
    doc: "Contractual mode: the shifted-beta-geometric retention model fitted on the customers' contracts (alpha, beta, the cohorts and customers fitted, the convergence report, standard errors).",
};

/// `models/value_choice.json`
pub const VALUE_CHOICE: OutputSpec = OutputSpec {
    file: "models/value_choice.json",
    kind: OutputKind::Model,
    doc: "With `[value] model = \"auto\"`: the purchase model chosen, on what basis (holdout or BIC), and every candidate's log-likelihood, BIC and holdout error.",
};

/// `models/holdout_check.json`
pub const HOLDOUT_CHECK: OutputSpec = OutputSpec {
    file: "models/holdout_check.json",
    kind: OutputKind::Model,
    doc: "The holdout's actual repeat purchases against the calibration model's forecast and its interval, and whether the interval covers the actual.",
};

/// `models/gamma_gamma.json`
pub const GAMMA_GAMMA_MODEL: OutputSpec = OutputSpec {
    file: "models/gamma_gamma.json",
    kind: OutputKind::Model,
    doc: "The fitted Gamma-Gamma spend model: p, q, gamma, the repeat buyers used and the convergence report.",
};

/// `models/kmeans.json`
pub const KMEANS_MODEL: OutputSpec = OutputSpec {
    file: "models/kmeans.json",
    kind: OutputKind::Model,
    doc: "The k-means segmentation: k and how it was chosen, features and transform, centroids, silhouette, stability.",
};

/// `models/churn.json`
pub const CHURN_MODEL: OutputSpec = OutputSpec {
    file: "models/churn.json",
    kind: OutputKind::Model,
    doc: "The churn model: kind and why it was chosen, cutoffs, features and their encoding, coefficients or importances, out-of-time metrics, and the fitted model as data (scoring).",
};

/// `models/forecast.json`
pub const FORECAST_MODEL: OutputSpec = OutputSpec {
    file: "models/forecast.json",
    kind: OutputKind::Model,
    doc: "The revenue forecast: the method chosen on the holdout, its error against seasonal naive, and how many series beat it.",
};

/// `charts/<chart>.png`
pub const CHART_PNG: OutputSpec = OutputSpec {
    file: "charts/<chart>.png",
    kind: OutputKind::Document,
    doc: "Each chart as a PNG image (fonts rendered in).",
};

/// `charts/<chart>.svg`
pub const CHART_SVG: OutputSpec = OutputSpec {
    file: "charts/<chart>.svg",
    kind: OutputKind::Document,
    doc: "Each chart as SVG.",
};

/// `report.html`
pub const REPORT_HTML: OutputSpec = OutputSpec {
    file: "report.html",
    kind: OutputKind::Document,
    doc: "One self-contained page: the run summary, every chart and the key tables.",
};

/// `report.xlsx`
pub const REPORT_XLSX: OutputSpec = OutputSpec {
    file: "report.xlsx",
    kind: OutputKind::Document,
    doc: "One workbook: a summary sheet, then a sheet per table.",
};

/// `weekly/<district>.html`
pub const WEEKLY_HTML: OutputSpec = OutputSpec {
    file: "weekly/<district>.html",
    kind: OutputKind::Document,
    doc: "One self-contained page per district: its sales pace against the month's target, its development work, its stations on the leaderboard, its escalated deals and its high-risk key accounts.",
};

/// `weekly.xlsx`
pub const WEEKLY_XLSX: OutputSpec = OutputSpec {
    file: "weekly.xlsx",
    kind: OutputKind::Document,
    doc: "The district pages as one workbook: a sheet per district.",
};

/// `manifest.json`
pub const MANIFEST: OutputSpec = OutputSpec {
    file: "manifest.json",
    kind: OutputKind::Document,
    doc: "What the run read (with hashes), used and rejected per input, its notes, the resolved config, seed, as_of, version, each output's row count and each stage's time.",
};

/// Every output of `kam run`, in the order the report's workbook takes its sheets.
pub const OUTPUTS: &[&OutputSpec] = &[
    &CUSTOMERS,
    &SEGMENTS,
    &ATTAINMENT,
    &WEEKLY_PROGRESS,
    &LEADERBOARD,
    &AWARDS,
    &CAMPAIGNS,
    &TREND,
    &PORTFOLIOS,
    &MARKET_SHARE,
    &CREDIT_MIX,
    &QUOTAS,
    &ESCALATIONS,
    &REVIEW_PACK,
    &KEY_ACCOUNTS,
    &PROSPECTS,
    &CROSS_SELL,
    &PRODUCT_AFFINITY,
    &PRODUCT_PENETRATION,
    &CHANNEL_MIX,
    &SATISFACTION,
    &CALIBRATION_BY_FREQUENCY,
    &HOLDOUT_TRACKING,
    &VALUE_MATRICES,
    &FREQUENCY_HISTOGRAM,
    &CHURN_DIAGNOSTICS,
    &EXPECTED_CURVE,
    &MERGE_CANDIDATES,
    &REJECTS,
    &BGNBD_MODEL,
    &MBGNBD_MODEL,
    &PARETO_NBD_MODEL,
    &GAMMA_GAMMA_MODEL,
    &VALUE_FORECAST,
    &VALUE_CHOICE,
    &HOLDOUT_CHECK,
    &CONTRACT_MODEL,
    &KMEANS_MODEL,
    &CHURN_MODEL,
    &FORECAST_MODEL,
    &CHART_PNG,
    &CHART_SVG,
    &REPORT_HTML,
    &REPORT_XLSX,
    &WEEKLY_HTML,
    &WEEKLY_XLSX,
    &MANIFEST,
];
