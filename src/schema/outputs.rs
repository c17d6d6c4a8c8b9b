//! Every file kam writes, declared once: its path under the output directory, what it holds
//! and, for tables, its columns in order. The emit step writes what stages return against
//! these declarations (CSV, plus Parquet where declared), the report takes its workbook sheets
//! from them, and `docs/outputs.md` is checked against them by `tests/docs.rs`.
//!
//! A part written `<name>` stands for a family: `rejects/<table>.csv` is one file per input
//! table, `<feature>_mean` one column per clustering feature.

/// What kind of file an output is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputKind {
    /// A table written as CSV (and Parquet when `parquet`); `sheet` puts it in report.xlsx.
    Table {
        columns: &'static [&'static str],
        parquet: bool,
        sheet: bool,
    },
    /// A JSON model: parameters, fit report, metrics.
    Model,
    /// A document: a chart, the report, the manifest.
    Document,
}

/// One declared output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputSpec {
    /// Path relative to the output directory.
    pub file: &'static str,
    pub kind: OutputKind,
    /// One sentence on what it holds.
    pub doc: &'static str,
}

impl OutputSpec {
    /// The declared columns (empty for models and documents).
    pub fn columns(&self) -> &'static [&'static str] {
        match self.kind {
            OutputKind::Table { columns, .. } => columns,
            _ => &[],
        }
    }

    /// The file's stem: its path without the extension (`models/kmeans`).
    pub fn stem(&self) -> &'static str {
        self.file
            .rsplit_once('.')
            .map_or(self.file, |(stem, _)| stem)
    }

    /// Whether `file` is this output (or one of its family).
    pub fn matches(&self, file: &str) -> bool {
        pattern_matches(self.file, file)
    }

    /// Whether `column` is declared (directly or through a `<name>` family).
    pub fn declares(&self, column: &str) -> bool {
        self.columns().iter().any(|c| pattern_matches(c, column))
    }
}

/// `pattern` with `<...>` parts, each standing for one or more characters, against `text`.
pub fn pattern_matches(pattern: &str, text: &str) -> bool {
    match pattern.find('<') {
        None => pattern == text,
        Some(open) => {
            let Some(close) = pattern[open..].find('>').map(|c| open + c) else {
                return pattern == text;
            };
            let (head, rest) = (&pattern[..open], &pattern[close + 1..]);
            let Some(tail) = text.strip_prefix(head) else {
                return false;
            };
            // the family part takes at least one character; try every split
            (1..=tail.len())
                .filter(|&i| tail.is_char_boundary(i))
                .any(|i| pattern_matches(rest, &tail[i..]))
        }
    }
}

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
        ],
        parquet: false,
        sheet: true,
    },
    doc: "One row per segment: size, shares of customers and revenue, the mean and median of every clustering feature, the commonest customer types and districts, and the segment's name.",
};

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
            "sales",
            "volume",
            "new_customers",
            "new_key_accounts",
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
    doc: "Per district and week (ending Sunday): sales, volume, new customers and key accounts, month-to-date completion and the pace needed per day.",
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
            "last_period_actual",
            "potential",
            "quota",
            "change_pct",
            "bound_applied",
            "lower_bound",
            "upper_bound",
            "period",
            "metric",
            "target_source",
        ],
        parquet: false,
        sheet: true,
    },
    doc: "Next period's quota per district, station and manager, summing exactly to its parent, with bounds and where the company target came from.",
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
        ],
        parquet: false,
        sheet: true,
    },
    doc: "The review meeting pack grouped district, station, owner: deals in difficulty, counts by stage, high-risk accounts.",
};

/// `key_accounts.csv`
pub const KEY_ACCOUNTS: OutputSpec = OutputSpec {
    file: "key_accounts.csv",
    kind: OutputKind::Table {
        columns: &[
            "customer_id",
            "name",
            "tier",
            "largest_order",
            "max_intended_deal",
            "basis",
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
    doc: "Key accounts and their tier, with open and stalled deals and churn risk.",
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

/// `models/calibration_by_frequency.csv`
pub const CALIBRATION_BY_FREQUENCY: OutputSpec = OutputSpec {
    file: "models/calibration_by_frequency.csv",
    kind: OutputKind::Table {
        columns: &[
            "frequency",
            "customers",
            "actual_mean",
            "predicted_mean",
            "actual_total",
            "predicted_total",
        ],
        parquet: false,
        sheet: true,
    },
    doc: "The value model's holdout check: actual against predicted repeat purchases of the holdout, by calibration-period frequency.",
};

/// `models/expected_curve.csv`
pub const EXPECTED_CURVE: OutputSpec = OutputSpec {
    file: "models/expected_curve.csv",
    kind: OutputKind::Table {
        columns: &["t", "expected_repeat_purchases"],
        parquet: false,
        sheet: false,
    },
    doc: "Expected cumulative repeat purchases of a new customer over time, E[X(t)], from the purchase model.",
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
    doc: "The churn model: kind and why it was chosen, cutoffs, features and their encoding, coefficients or importances, out-of-time metrics.",
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
    &CAMPAIGNS,
    &TREND,
    &MARKET_SHARE,
    &CREDIT_MIX,
    &QUOTAS,
    &ESCALATIONS,
    &REVIEW_PACK,
    &KEY_ACCOUNTS,
    &PROSPECTS,
    &CALIBRATION_BY_FREQUENCY,
    &EXPECTED_CURVE,
    &REJECTS,
    &BGNBD_MODEL,
    &PARETO_NBD_MODEL,
    &GAMMA_GAMMA_MODEL,
    &KMEANS_MODEL,
    &CHURN_MODEL,
    &FORECAST_MODEL,
    &CHART_PNG,
    &CHART_SVG,
    &REPORT_HTML,
    &REPORT_XLSX,
    &MANIFEST,
];

// ---- the subcommands' own outputs (written into their --out directory) ----

/// `clv.csv` of `kam clv`
pub const CLV_SCORES: OutputSpec = OutputSpec {
    file: "clv.csv",
    kind: OutputKind::Table {
        columns: &[
            "customer_id",
            "frequency",
            "recency",
            "T",
            "monetary_value",
            "p_alive",
            "expected_purchases",
            "expected_avg_value",
            "clv",
            "expected_revenue_12m",
        ],
        parquet: false,
        sheet: false,
    },
    doc: "kam clv: one row per customer with the model inputs (frequency, recency, T, monetary value) and the value scores.",
};

/// `calibration_by_frequency.csv` of `kam clv --calibration-end`
pub const CLV_CALIBRATION: OutputSpec = OutputSpec {
    file: "calibration_by_frequency.csv",
    kind: OutputKind::Table {
        columns: &[
            "frequency",
            "customers",
            "actual_mean",
            "predicted_mean",
            "actual_total",
            "predicted_total",
        ],
        parquet: false,
        sheet: false,
    },
    doc: "kam clv --calibration-end: actual against predicted repeat purchases of the holdout, by calibration-period frequency.",
};

/// `calibration_tracking.csv` of `kam clv --calibration-end`
pub const CLV_TRACKING: OutputSpec = OutputSpec {
    file: "calibration_tracking.csv",
    kind: OutputKind::Table {
        columns: &[
            "week_end",
            "week",
            "actual_cumulative",
            "predicted_cumulative",
        ],
        parquet: false,
        sheet: false,
    },
    doc: "kam clv --calibration-end: cumulative repeat purchases week by week, actual against predicted, over calibration and holdout.",
};

/// `customers.csv` of `kam segment`
pub const SEGMENTED: OutputSpec = OutputSpec {
    file: "customers.csv",
    kind: OutputKind::Table {
        columns: &["<input column>", "segment", "segment_name"],
        parquet: false,
        sheet: false,
    },
    doc: "kam segment: the input table with each customer's segment and segment name (labels of an earlier segmentation replaced).",
};

/// `churn.csv` of `kam churn`
pub const CHURN_SCORES: OutputSpec = OutputSpec {
    file: "churn.csv",
    kind: OutputKind::Table {
        columns: &[
            "<id>",
            "churn_label",
            "churn_probability",
            "cv_probability",
            "churn_risk",
            "churn_driver_1",
            "churn_driver_2",
            "churn_driver_3",
        ],
        parquet: false,
        sheet: false,
    },
    doc: "kam churn: one row per labelled customer (the id column, or `row`), its label, the model's probability, the out-of-fold probability, risk and drivers.",
};

/// `rejects.csv` of `kam churn`
pub const CHURN_REJECTS: OutputSpec = OutputSpec {
    file: "rejects.csv",
    kind: OutputKind::Table {
        columns: &["row", "reason"],
        parquet: false,
        sheet: false,
    },
    doc: "kam churn: the rows left out because their label is blank.",
};

/// What each subcommand writes besides its rejects, by command.
pub const COMMAND_OUTPUTS: &[(&str, &[&OutputSpec])] = &[
    (
        "clv",
        &[
            &CLV_SCORES,
            &CLV_CALIBRATION,
            &CLV_TRACKING,
            &BGNBD_MODEL,
            &PARETO_NBD_MODEL,
            &GAMMA_GAMMA_MODEL,
            &EXPECTED_CURVE,
            &REJECTS,
        ],
    ),
    ("segment", &[&SEGMENTED, &SEGMENTS, &KMEANS_MODEL]),
    ("churn", &[&CHURN_SCORES, &CHURN_MODEL, &CHURN_REJECTS]),
];

/// The declaration `file` belongs to, if any.
pub fn find(file: &str) -> Option<&'static OutputSpec> {
    OUTPUTS.iter().copied().find(|o| o.matches(file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_match_their_members_only() {
        assert!(REJECTS.matches("rejects/transactions.csv"));
        assert!(!REJECTS.matches("rejects/.csv"));
        assert!(!REJECTS.matches("segments.csv"));
        assert!(SEGMENTS.declares("recency_days_mean"));
        assert!(!SEGMENTS.declares("_mean"));
        assert!(!SEGMENTS.declares("recency_days"));
        assert!(CUSTOMERS.declares("churn_driver_3"));
    }

    #[test]
    fn every_file_is_declared_once() {
        for (i, a) in OUTPUTS.iter().enumerate() {
            for b in &OUTPUTS[i + 1..] {
                assert_ne!(a.file, b.file);
            }
        }
        assert_eq!(find("charts/sales_trend.png"), Some(&CHART_PNG));
        assert_eq!(find("nothing.csv"), None);
    }

    #[test]
    fn columns_are_unique_within_a_table() {
        for o in OUTPUTS {
            let c = o.columns();
            for (i, a) in c.iter().enumerate() {
                assert!(!c[i + 1..].contains(a), "{} repeats {a}", o.file);
            }
        }
    }
}
