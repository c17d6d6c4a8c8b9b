//! The one-pass features equal the per-cutoff reference (`features_at`, `bought_after`)
//! exactly, on fixtures with returns, same-day purchases, orders spanning days, rows without an
//! order id and customers who appear after some cutoffs.

use chrono::NaiveDate;
use polars::prelude::*;

use super::*;
use crate::churn::cutoff::{bought_after, features_at};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

/// 80 customers over three years from a seeded LCG: purchases and returns (a fifth of rows),
/// several rows on one day, order ids shared by rows of different days, some rows without an
/// order id, and customers whose first row comes late (after the early cutoffs).
fn fixture() -> Result<DataFrame> {
    let mut state: u64 = 11;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as f64 / (1u64 << 31) as f64
    };
    let start = d(2023, 1, 1);
    let (mut ids, mut dates, mut amounts, mut orders) = (vec![], vec![], vec![], vec![]);
    for c in 0..80 {
        let first = if c % 4 == 0 {
            600 + c * 5
        } else {
            (next() * 60.0) as i64
        };
        let n = 3 + (next() * 25.0) as usize;
        let mut day = first;
        for k in 0..n {
            let amount = if next() < 0.2 {
                -(next() * 80.0).round() / 4.0
            } else {
                (next() * 50_000.0).round() / 100.0 + 0.005
            };
            // same-day repeats, and an order id reused two rows later (a later day)
            let order = match k % 5 {
                0 => None,
                1 | 3 if k > 2 => Some(format!("O{c}-{}", k - 2)),
                _ => Some(format!("O{c}-{k}")),
            };
            ids.push(format!("C{c:03}"));
            dates.push(start + chrono::Duration::days(day));
            amounts.push(amount);
            orders.push(order);
            if next() > 0.25 {
                day += 1 + (next() * 120.0) as i64;
            }
        }
    }
    Ok(df!(
        s::CUSTOMER_ID => ids,
        s::DATE => dates,
        s::AMOUNT => amounts,
        s::ORDER_ID => orders,
    )?)
}

/// Cutoffs across the history, month ends and a leap day among them.
fn cutoffs() -> Vec<(NaiveDate, bool)> {
    vec![
        (d(2023, 3, 31), true),
        (d(2024, 2, 29), true),
        (d(2024, 5, 31), true),
        (d(2024, 12, 15), true),
        (d(2025, 6, 30), true),
        (d(2025, 9, 28), false),
    ]
}

fn same_as_reference(tx: &DataFrame) -> Result<()> {
    let (active, horizon) = (365, 90);
    let got = at_cutoffs(tx, &cutoffs(), active, horizon)?;
    let mut examples = 0;
    for ((cut, labelled), g) in cutoffs().into_iter().zip(&got) {
        let want = features_at(tx, cut, active)?;
        assert!(
            g.features.equals_missing(&want),
            "{cut}\none pass:\n{}\nper cutoff:\n{want}",
            g.features
        );
        examples += want.height();
        let bought = bought_after(tx, cut, horizon)?;
        let churned: Option<Vec<bool>> = labelled.then(|| {
            want.column(s::CUSTOMER_ID)
                .and_then(|c| c.str().cloned())
                .map(|ids| {
                    ids.iter()
                        .map(|i| !bought.contains(i.unwrap_or("")))
                        .collect()
                })
                .unwrap_or_default()
        });
        assert_eq!(g.churned, churned, "{cut}");
    }
    assert!(examples > 150, "the fixture must give examples: {examples}");
    Ok(())
}

#[test]
fn one_pass_features_equal_the_per_cutoff_ones_with_order_ids() -> Result<()> {
    same_as_reference(&fixture()?)
}

#[test]
fn one_pass_features_equal_the_per_cutoff_ones_without_order_ids() -> Result<()> {
    same_as_reference(&fixture()?.drop(s::ORDER_ID)?)
}

#[test]
fn the_fixture_has_what_the_comparison_needs() -> Result<()> {
    let tx = fixture()?;
    let returns = tx.column(s::AMOUNT)?.f64()?.lt(0.0).sum().unwrap_or(0);
    assert!(returns > 50, "returns: {returns}");
    let per_day = tx
        .clone()
        .lazy()
        .group_by([col(s::CUSTOMER_ID), col(s::DATE)])
        .agg([len().alias("n")])
        .filter(col("n").gt(lit(1)))
        .collect()?;
    assert!(per_day.height() > 20, "same-day rows: {}", per_day.height());
    let spanning = tx
        .clone()
        .lazy()
        .filter(col(s::ORDER_ID).is_not_null())
        .group_by([col(s::ORDER_ID)])
        .agg([col(s::DATE).n_unique().alias("days")])
        .filter(col("days").gt(lit(1)))
        .collect()?;
    assert!(
        spanning.height() > 20,
        "orders over days: {}",
        spanning.height()
    );
    // a customer first seen after the first two cutoffs
    let late = features_at(&tx, d(2024, 2, 29), 365)?;
    assert!(
        late.column(s::CUSTOMER_ID)?
            .str()?
            .iter()
            .all(|v| v != Some("C076"))
    );
    Ok(())
}
