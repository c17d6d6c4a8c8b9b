//! The key-account rule as the pipeline runs it: the customer table with `key_account_tier`
//! and `key_account_basis` added, and one summary line (it names `key_accounts.csv`, which
//! the planner writes from the column).

use polars::prelude::*;

use super::{KEY_ACCOUNT_BASIS, KEY_ACCOUNT_TIER, KeyAccountValid, classify};
use crate::error::Result;
use crate::schema::outputs as o;
use crate::stage::{Line, StageOutput};

/// The customer table with the tier columns, and the stage's summary and notes.
pub fn run(
    mut table: DataFrame,
    deals: Option<&DataFrame>,
    v: &KeyAccountValid,
) -> Result<(DataFrame, StageOutput)> {
    let c = classify(&table, deals, v)?;
    let mut out = StageOutput::default();
    let n = table.height();
    let tiers: Vec<String> = c
        .per_tier
        .iter()
        .rev()
        .map(|(t, k)| format!("{t} {k}"))
        .collect();
    let share = c.revenue_share.map_or(String::new(), |s| {
        format!(", {:.0}% of the last 12 months' revenue", 100.0 * s)
    });
    out.line(Line::about(
        format!(
            "key accounts: {} of {n} customers ({:.1}%){share} ({})",
            c.count(),
            if n > 0 {
                100.0 * c.count() as f64 / n as f64
            } else {
                0.0
            },
            tiers.join(", "),
        ),
        &[o::KEY_ACCOUNTS.file],
    ));
    if c.unknown_deals > 0 {
        out.add_note(format!(
            "key accounts: {} live deals name customers missing from the customer table; they are \
             not classified until the customer is in the customers or transactions table",
            c.unknown_deals
        ));
    }
    table.with_column(Column::new(KEY_ACCOUNT_TIER.into(), c.tier))?;
    table.with_column(Column::new(KEY_ACCOUNT_BASIS.into(), c.basis))?;
    Ok((table, out))
}
