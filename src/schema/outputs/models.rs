//! The models' check tables: the value model's holdout, matrices and histogram, the churn
//! model's diagnostics, the expected-purchases curve.

use super::{OutputKind, OutputSpec};

/// Columns of `models/value_matrices.csv`.
pub const MATRIX_COLUMNS: [&str; 7] = [
    "kind",
    "frequency",
    "recency",
    "age",
    "horizon",
    "unit",
    "value",
];

/// Columns of `models/frequency_histogram.csv`.
pub const HISTOGRAM_COLUMNS: [&str; 3] = ["frequency", "actual_customers", "model_customers"];

/// Columns of the purchase model's holdout check, in `kam run` and `kam clv` alike.
pub(super) const CALIBRATION_COLUMNS: &[&str] = &[
    "frequency",
    "customers",
    "actual_mean",
    "predicted_mean",
    "actual_total",
    "predicted_total",
];

/// Columns of the weekly tracking of the holdout (`models/holdout_tracking.csv`, and
/// `calibration_tracking.csv` of `kam clv`).
pub(super) const TRACKING_COLUMNS: &[&str] = &[
    "week_end",
    "week",
    "period",
    "actual_cumulative",
    "predicted_cumulative",
    "actual_weekly",
    "predicted_weekly",
];

/// `models/holdout_tracking.csv`
pub const HOLDOUT_TRACKING: OutputSpec = OutputSpec {
    file: "models/holdout_tracking.csv",
    kind: OutputKind::Table {
        columns: TRACKING_COLUMNS,
        parquet: false,
        sheet: true,
    },
    doc: "The value model's holdout check week by week: actual against predicted repeat purchases of the calibration customers, cumulative and in each week.",
};

/// `models/value_matrices.csv`
pub const VALUE_MATRICES: OutputSpec = OutputSpec {
    file: "models/value_matrices.csv",
    kind: OutputKind::Table {
        columns: &MATRIX_COLUMNS,
        parquet: false,
        sheet: true,
    },
    doc: "The purchase model's frequency/recency matrices at the longest customer age: expected purchases over the value horizon (`kind = expected_purchases`) and P(alive) (`kind = p_alive`), one row per cell.",
};

/// `models/frequency_histogram.csv`
pub const FREQUENCY_HISTOGRAM: OutputSpec = OutputSpec {
    file: "models/frequency_histogram.csv",
    kind: OutputKind::Table {
        columns: &HISTOGRAM_COLUMNS,
        parquet: false,
        sheet: true,
    },
    doc: "Customers by repeat purchases over the period the purchase model was fitted on (0 to 6, 7+), actual and as the model expects them.",
};

/// `models/churn_diagnostics.csv`
pub const CHURN_DIAGNOSTICS: OutputSpec = OutputSpec {
    file: "models/churn_diagnostics.csv",
    kind: OutputKind::Table {
        columns: &["kind", "x", "y"],
        parquet: false,
        sheet: true,
    },
    doc: "The churn model on its out-of-time cutoff: ROC curve points, cumulative gains and calibration bins, as (kind, x, y) rows for the diagnostics charts.",
};

/// `models/calibration_by_frequency.csv`
pub const CALIBRATION_BY_FREQUENCY: OutputSpec = OutputSpec {
    file: "models/calibration_by_frequency.csv",
    kind: OutputKind::Table {
        columns: CALIBRATION_COLUMNS,
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
