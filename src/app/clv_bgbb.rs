//! `kam clv --model bgbb`: BG/BB on a summary counted in discrete occasions (frequency =
//! occasions with a transaction, recency = the last such occasion, T = occasions observed).

use std::collections::BTreeMap;

use polars::prelude::*;

use super::{print, render};
use crate::cli::ClvArgs;
use crate::error::{Error, Result};
use crate::pipeline::emit::write_all;
use crate::schema::{self as s, outputs as o};
use crate::stage::{Line, StageOutput};
use crate::value::bgbb::{self, Histories};

pub fn run(a: &ClvArgs, quiet: bool) -> Result<()> {
    let Some(path) = &a.summary else {
        return Err(Error::Usage(
            "--model bgbb takes --summary FILE: frequency, recency and T counted in occasions"
                .into(),
        ));
    };
    let horizon = a.horizon.unwrap_or(1.0);
    if !(horizon >= 1.0 && horizon.fract() == 0.0 && horizon <= f64::from(u32::MAX)) {
        return Err(Error::Usage(format!(
            "--horizon is a whole number of occasions >= 1 with --model bgbb; got {horizon}"
        )));
    }
    let mut out = StageOutput::default();
    let summary = super::clv::read_summary(path, a, &mut out)?;
    let r = &summary.rfm;
    let rows = occasions(&summary.ids, &r.x, &r.t_x, &r.t)?;
    let mut counts: BTreeMap<(u32, u32, u32), f64> = BTreeMap::new();
    for h in &rows {
        *counts.entry(*h).or_default() += 1.0;
    }
    let hist = Histories {
        x: counts.keys().map(|k| k.0).collect(),
        t_x: counts.keys().map(|k| k.1).collect(),
        n: counts.keys().map(|k| k.2).collect(),
        count: counts.values().copied().collect(),
    };
    let m = bgbb::fit(&hist)?;
    let model = model_json(&m, counts.len())?;
    out.model(&o::BGBB_MODEL, &model)?;
    out.line(Line::about(
        format!(
            "BG/BB: alpha {:.3}, beta {:.3}, gamma {:.3}, delta {:.3} ({}) on {} distinct histories of {} customers",
            m.alpha, m.beta, m.gamma, m.delta, m.convergence.reason, counts.len(), rows.len()
        ),
        &[o::BGBB_MODEL.file],
    ));
    if !m.convergence.converged {
        write_all(&out, &a.out)?;
        print(&render(&out.summary, &a.out), quiet)?;
        return Err(Error::validation(
            "BG/BB",
            format!("{}; no predictions were written", m.convergence.reason),
        ));
    }
    let k = horizon as u32;
    // one prediction per distinct history, looked up by each customer
    let scores: BTreeMap<(u32, u32, u32), (f64, f64)> = counts
        .keys()
        .map(|&(x, tx, n)| {
            let p = m.p_alive(1, x, tx, n);
            ((x, tx, n), (p, m.expected_purchases(k, x, tx, n)))
        })
        .collect();
    let per_row = |f: fn(&(f64, f64)) -> f64| -> Vec<f64> {
        rows.iter()
            .map(|h| scores.get(h).map_or(f64::NAN, f))
            .collect()
    };
    let table = df!(
        s::CUSTOMER_ID => summary.ids.clone(),
        s::FREQUENCY => r.x.clone(),
        s::RECENCY => r.t_x.clone(),
        s::T => r.t.clone(),
        s::P_ALIVE => per_row(|v| v.0),
        s::EXPECTED_PURCHASES => per_row(|v| v.1),
    )?;
    out.line(Line::about(
        format!(
            "clv: {} customers: alive at the next occasion, transactions in the next {k}",
            table.height()
        ),
        &[o::BGBB_SCORES.file],
    ));
    out.table(&o::BGBB_SCORES, table);
    write_all(&out, &a.out)?;
    print(&render(&out.summary, &a.out), quiet)
}

/// The model file: the fit with its convergence report at the top level, as in the other
/// model files, and the number of distinct histories.
fn model_json(
    m: &bgbb::BgBb,
    histories: usize,
) -> Result<serde_json::Map<String, serde_json::Value>> {
    let mut model = match serde_json::to_value(m) {
        Ok(serde_json::Value::Object(o)) => o,
        _ => return Err(Error::Internal("the BG/BB model did not serialise".into())),
    };
    if let Some(serde_json::Value::Object(c)) = model.remove("convergence") {
        model.extend(c);
    }
    model.insert("histories".into(), histories.into());
    Ok(model)
}

/// Each customer's (frequency, recency, T) in whole occasions; one that is not such a history
/// is an error naming the customer.
fn occasions(ids: &[String], x: &[f64], t_x: &[f64], t: &[f64]) -> Result<Vec<(u32, u32, u32)>> {
    let whole =
        |v: f64| (v >= 0.0 && v.fract() == 0.0 && v <= f64::from(u32::MAX)).then_some(v as u32);
    (0..x.len())
        .map(|i| {
            let h = (whole(x[i]), whole(t_x[i]), whole(t[i]));
            match h {
                (Some(f), Some(r), Some(n)) if n >= 1 && f <= r && r <= n && (f > 0 || r == 0) => {
                    Ok((f, r, n))
                }
                _ => Err(Error::validation(
                    "summary",
                    format!(
                        "customer '{}': frequency {}, recency {}, T {} is not a history in occasions (whole numbers, 0 <= frequency <= recency <= T, T >= 1, recency 0 without transactions)",
                        ids[i],
                        x[i],
                        t_x[i],
                        t[i]
                    ),
                )),
            }
        })
        .collect()
}
