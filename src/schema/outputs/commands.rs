//! The files of `kam clv`, `kam segment` and `kam churn`, written into their `--out`
//! directory (outputs shared with `kam run` are declared there).

use super::models::*;
use super::run::*;
use super::{OutputKind, OutputSpec};

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
            "p_alive_low",
            "p_alive_high",
            "expected_purchases_low",
            "expected_purchases_high",
            "expected_avg_value_low",
            "expected_avg_value_high",
            "clv_low",
            "clv_high",
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
        columns: CALIBRATION_COLUMNS,
        parquet: false,
        sheet: false,
    },
    doc: "kam clv --calibration-end: actual against predicted repeat purchases of the holdout, by calibration-period frequency.",
};

/// `calibration_tracking.csv` of `kam clv --calibration-end`
pub const CLV_TRACKING: OutputSpec = OutputSpec {
    file: "calibration_tracking.csv",
    kind: OutputKind::Table {
        columns: TRACKING_COLUMNS,
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

/// `retention.csv` of `kam retention`
pub const RETENTION: OutputSpec = OutputSpec {
    file: "retention.csv",
    kind: OutputKind::Table {
        columns: &[
            "cohort",
            "period",
            "customers",
            "survival",
            "survival_fitted",
            "retention_rate",
            "expected_customers",
            "projected",
        ],
        parquet: false,
        sheet: false,
    },
    doc: "kam retention: one row per cohort and period from 0 to the horizon: the customers under contract observed (empty when projected) and their share, the sBG model's survival, retention rate and expected customers, and whether the period is projected.",
};

/// `models/sbg.json` of `kam retention`
pub const SBG_MODEL: OutputSpec = OutputSpec {
    file: "models/sbg.json",
    kind: OutputKind::Model,
    doc: "kam retention: the discount rate and, per cohort, the shifted-beta-geometric fit (alpha, beta, log_likelihood, customers, periods, the convergence report) and derl_new_customer.",
};

/// `clv.csv` of `kam clv --model bgbb`
pub const BGBB_SCORES: OutputSpec = OutputSpec {
    file: "clv.csv",
    kind: OutputKind::Table {
        columns: &[
            "customer_id",
            "frequency",
            "recency",
            "T",
            "p_alive",
            "expected_purchases",
        ],
        parquet: false,
        sheet: false,
    },
    doc: "kam clv --model bgbb: one row per customer with frequency, recency and T in occasions, the probability of being alive at the next occasion and the expected transactions over the next --horizon occasions.",
};

/// `models/bgbb.json` of `kam clv --model bgbb`
pub const BGBB_MODEL: OutputSpec = OutputSpec {
    file: "models/bgbb.json",
    kind: OutputKind::Model,
    doc: "kam clv --model bgbb: the fitted BG/BB model (alpha, beta, gamma, delta, log_likelihood, customers, histories), the convergence report, standard errors and covariance.",
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
            &MBGNBD_MODEL,
            &PARETO_NBD_MODEL,
            &GAMMA_GAMMA_MODEL,
            &VALUE_FORECAST,
            &VALUE_CHOICE,
            &HOLDOUT_CHECK,
            &EXPECTED_CURVE,
            &VALUE_MATRICES,
            &FREQUENCY_HISTOGRAM,
            &REJECTS,
            &BGBB_SCORES,
            &BGBB_MODEL,
        ],
    ),
    ("segment", &[&SEGMENTED, &SEGMENTS, &KMEANS_MODEL]),
    ("churn", &[&CHURN_SCORES, &CHURN_MODEL, &CHURN_REJECTS]),
    ("retention", &[&RETENTION, &SBG_MODEL]),
];
