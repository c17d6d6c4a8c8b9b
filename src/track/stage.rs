//! The tracking stage: clean tables in, the five tracking tables and the forecast report out.
//! Pure (no file I/O); an absent input skips what needs it, with a note saying so.

use chrono::NaiveDate;
use polars::prelude::*;

use super::attainment;
use super::facts::{self, Facts, month_label, month_of};
use super::leaderboard;
use super::params::TrackValid;
use super::trend::{self, ForecastReport};
use super::{campaigns, weekly};
use crate::error::Result;

/// What the stage reads.
#[derive(Debug, Clone, Copy)]
pub struct TrackInputs<'a> {
    /// Clean transactions.
    pub transactions: &'a DataFrame,
    /// The per-customer table (`out/customers.*`): ids, units, acquired_on, first_purchase.
    pub customers: &'a DataFrame,
    /// Clean targets, when given.
    pub targets: Option<&'a DataFrame>,
    /// Clean campaigns, when given.
    pub campaigns: Option<&'a DataFrame>,
}

/// What the stage returns; a table is None when its inputs were absent (see `notes`).
#[derive(Debug, Clone, Default)]
pub struct TrackOutputs {
    pub attainment: Option<DataFrame>,
    pub weekly_progress: Option<DataFrame>,
    pub leaderboard: Option<DataFrame>,
    /// First and last month (`YYYY-MM`) the leaderboard covers.
    pub leaderboard_months: Option<(String, String)>,
    pub campaigns: Option<DataFrame>,
    pub trend: Option<DataFrame>,
    pub forecast: Option<ForecastReport>,
    pub notes: Vec<String>,
}

/// Build every tracking table the inputs allow.
pub fn track(input: TrackInputs, as_of: NaiveDate, p: &TrackValid) -> Result<TrackOutputs> {
    let mut out = TrackOutputs::default();
    let f: Facts = facts::gather(
        input.transactions,
        input.customers,
        as_of,
        p.key_account_min_deal,
    )?;
    if let Some(c) = input.campaigns {
        out.campaigns = Some(campaigns::frame(c)?);
    } else {
        out.notes
            .push("no campaigns table: campaigns.csv not written".into());
    }
    let Some((_, last)) = f.span else {
        out.notes
            .push("no sales on or before as_of: attainment, weekly progress, leaderboard and trend not written".into());
        return Ok(out);
    };
    let targets = attainment::targets(input.targets)?;
    if input.targets.is_none() {
        out.notes.push(
            "no targets table: attainment shows actuals only; no completion_rate leaderboard"
                .into(),
        );
    }
    let rows = attainment::rows(&f, &targets, p.key_account_min_deal);
    out.attainment = Some(attainment::frame(&rows)?);

    out.weekly_progress = weekly::frame(&f, &targets)?;
    if out.weekly_progress.is_none() {
        out.notes
            .push("no customer has a district: weekly_progress.csv not written".into());
    }

    let to = month_of(last);
    let from = to - p.leaderboard_months as i32 + 1;
    let actual = attainment::actuals(&f, p.key_account_min_deal);
    let entries = leaderboard::entries(&f, &actual, &targets, (from, to), p.leaderboard_size);
    out.leaderboard = Some(leaderboard::frame(&entries)?);
    out.leaderboard_months = Some((month_label(from), month_label(to)));

    match trend::build(&f, p)? {
        Some((df, report)) => {
            out.trend = Some(df);
            out.forecast = Some(report);
        }
        None => out
            .notes
            .push("no complete month of sales: trend.csv and forecast not written".into()),
    }
    Ok(out)
}
