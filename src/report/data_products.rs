//! Adapters from the products, satisfaction and model-diagnostics tables to the rows their charts take (see
//! [`super::data`] for the rule: a missing table or column skips the chart with a note).

use super::charts::products::{MixCell, RuleRow, UnitNps};
use super::charts::value_diag::{HistogramRow, MatrixCell, TrackingWeek};
use super::data::{Note, Table};
use crate::schema::columns::products as p;
use crate::schema::columns::{BY, NPS, NPS_RESPONSES, UNIT};

pub const PRODUCT_PENETRATION: &str = "product_penetration";
pub const CHANNEL_MIX: &str = "channel_mix";
pub const PRODUCT_AFFINITY: &str = "product_affinity";
pub const SATISFACTION: &str = "satisfaction";
pub const CHURN_DIAGNOSTICS: &str = "models/churn_diagnostics";

/// The cells of `product_penetration.csv` or `channel_mix.csv` (`item` = its product or
/// channel column); segments are named "1 Name".
pub fn mix(
    tables: &[(String, polars::prelude::DataFrame)],
    stem: &str,
) -> Result<Vec<MixCell>, Note> {
    let t = Table::find(tables, stem)?;
    let item = if stem == CHANNEL_MIX {
        p::CHANNEL
    } else {
        p::PRODUCT
    };
    let (seg, name, items) = (t.strs(p::SEGMENT)?, t.strs(p::SEGMENT_NAME)?, t.strs(item)?);
    let (pen, share) = (t.f64s(p::PENETRATION)?, t.f64s(p::SHARE_REVENUE)?);
    let out: Vec<MixCell> = (0..t.df.height())
        .map(|i| MixCell {
            segment: seg[i].as_ref().map(|g| match &name[i] {
                Some(n) => format!("{g} {n}"),
                None => g.clone(),
            }),
            item: items[i].clone().unwrap_or_default(),
            penetration: pen[i].unwrap_or(f64::NAN),
            share_revenue: share[i].unwrap_or(0.0),
        })
        .collect();
    if out.is_empty() {
        return Err(format!("{stem}.csv has no rows"));
    }
    Ok(out)
}

/// The rules of `product_affinity.csv`, strongest first.
pub fn rules(tables: &[(String, polars::prelude::DataFrame)]) -> Result<Vec<RuleRow>, Note> {
    let t = Table::find(tables, PRODUCT_AFFINITY)?;
    let (a, c, l) = (
        t.strs(p::ANTECEDENT)?,
        t.strs(p::CONSEQUENT)?,
        t.f64s(p::LIFT)?,
    );
    let out: Vec<RuleRow> = (0..t.df.height())
        .map(|i| RuleRow {
            antecedent: a[i].clone().unwrap_or_default(),
            consequent: c[i].clone().unwrap_or_default(),
            lift: l[i].unwrap_or(f64::NAN),
        })
        .collect();
    if out.is_empty() {
        return Err("product_affinity.csv has no rules at these thresholds".into());
    }
    Ok(out)
}

/// Each district's NPS from `satisfaction.csv`.
pub fn nps_by_district(
    tables: &[(String, polars::prelude::DataFrame)],
) -> Result<Vec<UnitNps>, Note> {
    let t = Table::find(tables, SATISFACTION)?;
    let (by, unit, nps, n) = (
        t.strs(BY)?,
        t.strs(UNIT)?,
        t.f64s(NPS)?,
        t.f64s(NPS_RESPONSES)?,
    );
    let out: Vec<UnitNps> = (0..t.df.height())
        .filter(|&i| by[i].as_deref() == Some("district") && nps[i].is_some())
        .map(|i| UnitNps {
            unit: unit[i].clone().unwrap_or_default(),
            nps: nps[i].unwrap_or(f64::NAN),
            answered: n[i].unwrap_or(0.0),
        })
        .collect();
    if out.is_empty() {
        return Err("satisfaction.csv has no district with NPS answers".into());
    }
    Ok(out)
}

/// The rows of `models/churn_diagnostics.csv`.
pub fn churn_diagnostics(
    tables: &[(String, polars::prelude::DataFrame)],
) -> Result<Vec<super::charts::diagnostics::DiagPoint>, Note> {
    let t = Table::find(tables, CHURN_DIAGNOSTICS)?;
    let (kind, x, y) = (t.strs("kind")?, t.f64s("x")?, t.f64s("y")?);
    Ok((0..t.df.height())
        .map(|i| super::charts::diagnostics::DiagPoint {
            kind: kind[i].clone().unwrap_or_default(),
            x: x[i].unwrap_or(f64::NAN),
            y: y[i].unwrap_or(f64::NAN),
        })
        .collect())
}

/// One of the churn diagnostics charts, or why it is skipped.
pub fn diag_chart(
    inputs: &super::stage::ReportInputs,
    name: &'static str,
    kind: &str,
) -> (&'static str, Result<super::charts::Chart, Note>) {
    let t = crate::report::i18n_diag::diag_texts(inputs.lang);
    let chart = churn_diagnostics(&inputs.tables).and_then(|p| {
        super::charts::diagnostics::diagnostics_chart(&p, kind, t)
            .ok_or_else(|| format!("models/churn_diagnostics.csv has no {kind} rows"))
    });
    (name, chart)
}

pub const VALUE_MATRICES: &str = "models/value_matrices";
pub const FREQUENCY_HISTOGRAM: &str = "models/frequency_histogram";
pub const HOLDOUT_TRACKING: &str = "models/holdout_tracking";

/// The cells of `models/value_matrices.csv`.
pub fn value_matrices(
    tables: &[(String, polars::prelude::DataFrame)],
) -> Result<Vec<MatrixCell>, Note> {
    let t = Table::find(tables, VALUE_MATRICES)?;
    let (kind, unit) = (t.strs("kind")?, t.strs("unit")?);
    let (f, r, v) = (t.f64s("frequency")?, t.f64s("recency")?, t.f64s("value")?);
    let (age, horizon) = (t.f64s("age")?, t.f64s("horizon")?);
    Ok((0..t.df.height())
        .map(|i| MatrixCell {
            kind: kind[i].clone().unwrap_or_default(),
            frequency: f[i].unwrap_or(f64::NAN),
            recency: r[i].unwrap_or(f64::NAN),
            age: age[i].unwrap_or(f64::NAN),
            horizon: horizon[i].unwrap_or(f64::NAN),
            unit: unit[i].clone().unwrap_or_default(),
            value: v[i].unwrap_or(f64::NAN),
        })
        .collect())
}

/// The rows of `models/frequency_histogram.csv`.
pub fn frequency_histogram(
    tables: &[(String, polars::prelude::DataFrame)],
) -> Result<Vec<HistogramRow>, Note> {
    let t = Table::find(tables, FREQUENCY_HISTOGRAM)?;
    let f = t.strs("frequency")?;
    let (a, m) = (t.f64s("actual_customers")?, t.f64s("model_customers")?);
    Ok((0..t.df.height())
        .map(|i| HistogramRow {
            frequency: f[i].clone().unwrap_or_default(),
            actual: a[i].unwrap_or(f64::NAN),
            model: m[i].unwrap_or(f64::NAN),
        })
        .collect())
}

/// The weeks of `models/holdout_tracking.csv`.
pub fn holdout_tracking(
    tables: &[(String, polars::prelude::DataFrame)],
) -> Result<Vec<TrackingWeek>, Note> {
    let t = Table::find(tables, HOLDOUT_TRACKING)?;
    let (end, period) = (t.strs("week_end")?, t.strs("period")?);
    let (ac, pc) = (
        t.f64s("actual_cumulative")?,
        t.f64s("predicted_cumulative")?,
    );
    let (aw, pw) = (t.f64s("actual_weekly")?, t.f64s("predicted_weekly")?);
    let nan = |v: Option<f64>| v.unwrap_or(f64::NAN);
    Ok((0..t.df.height())
        .map(|i| TrackingWeek {
            week_end: end[i].clone().unwrap_or_default(),
            holdout: period[i].as_deref() == Some("holdout"),
            actual_cumulative: nan(ac[i]),
            predicted_cumulative: nan(pc[i]),
            actual_weekly: nan(aw[i]),
            predicted_weekly: nan(pw[i]),
        })
        .collect())
}

/// The purchase model's diagnostics charts, each or why it is skipped.
pub fn value_charts(
    inputs: &super::stage::ReportInputs,
) -> Vec<(&'static str, Result<super::charts::Chart, Note>)> {
    use super::charts::value_diag::{histogram_chart, matrix_chart, tracking_chart};
    let t = crate::report::i18n_value_diag::value_diag_texts(inputs.lang);
    let tables = &inputs.tables;
    let matrix = |kind: &str| {
        value_matrices(tables).and_then(|c| {
            matrix_chart(&c, kind, t)
                .ok_or_else(|| format!("{VALUE_MATRICES}.csv has no {kind} rows"))
        })
    };
    vec![
        ("value_expected_matrix", matrix("expected_purchases")),
        ("value_p_alive_matrix", matrix("p_alive")),
        (
            "value_frequency_histogram",
            frequency_histogram(tables).map(|r| histogram_chart(&r, t)),
        ),
        (
            "value_tracking_cumulative",
            holdout_tracking(tables).map(|w| tracking_chart(&w, false, t)),
        ),
        (
            "value_tracking_weekly",
            holdout_tracking(tables).map(|w| tracking_chart(&w, true, t)),
        ),
    ]
}
