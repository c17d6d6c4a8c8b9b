//! The tracking stage: clean tables in, the seven tracking tables and the forecast report out.
//! Pure (no file I/O); an absent input skips what needs it, with a note saying so.

use chrono::NaiveDate;
use polars::prelude::*;

use super::attainment;
use super::facts::{self, Facts, month_label, month_of};
use super::leaderboard;
use super::params::TrackValid;
use super::trend::{self, ForecastReport};
use super::{awards, campaigns, development, portfolios, weekly};
use crate::error::Result;
use crate::frame::epoch_days;
use crate::grades::QualityRule;

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
    /// Clean deals (the development tracking sheet), when given: the weekly development
    /// counts and the portfolios' open deals.
    pub deals: Option<&'a DataFrame>,
    /// The quality-customer rule (`[plan]` grades), for the portfolios' b_or_better_share.
    pub quality: &'a QualityRule,
}

/// What the stage returns; a table is None when its inputs were absent (see `notes`).
#[derive(Debug, Clone, Default)]
pub struct TrackOutputs {
    pub attainment: Option<DataFrame>,
    pub weekly_progress: Option<DataFrame>,
    pub leaderboard: Option<DataFrame>,
    /// The leaderboard's awards (written with the leaderboard) and their summary line.
    pub awards: Option<(DataFrame, String)>,
    /// First and last month (`YYYY-MM`) the leaderboard covers.
    pub leaderboard_months: Option<(String, String)>,
    pub campaigns: Option<DataFrame>,
    pub trend: Option<DataFrame>,
    /// `portfolios.csv` and its summary line.
    pub portfolios: Option<(DataFrame, String)>,
    pub forecast: Option<ForecastReport>,
    pub notes: Vec<String>,
}

/// The notes of the grids cut at their bound: the trend's months ([`crate::frame::MAX_MONTHS`])
/// and, when written, the weekly report's weeks ([`weekly::MAX_WEEKS`]).
fn grid_notes(f: &Facts, weekly_written: bool) -> Vec<String> {
    let Some((first, last)) = f.span else {
        return Vec::new();
    };
    let mut notes = Vec::new();
    if crate::frame::month_window(month_of(first), month_of(last)).1 {
        notes.push(format!(
            "trend.csv keeps the last {} months of a longer history",
            crate::frame::MAX_MONTHS
        ));
    }
    if weekly_written && weekly::grid_start(first, last).1 {
        notes.push(format!(
            "weekly_progress.csv keeps the last {} weeks of a longer history",
            weekly::MAX_WEEKS
        ));
    }
    notes
}

/// `portfolios.csv` with its summary line, or a note when no customer has an account manager.
fn add_portfolios(
    input: &TrackInputs,
    rows: &[attainment::Row],
    last_month: i32,
    out: &mut TrackOutputs,
) -> Result<()> {
    let inp = portfolios::Inputs {
        customers: input.customers,
        deals: input.deals,
        attainment: rows,
        last_month,
        rule: input.quality,
    };
    let Some((books, unattributed)) = portfolios::portfolios(&inp)? else {
        out.notes
            .push("no customer has an account manager: portfolios.csv not written".into());
        return Ok(());
    };
    if unattributed > 0 {
        out.notes.push(format!(
            "portfolios.csv: {unattributed} open deals have neither a customer with an account manager nor a manager as owner"
        ));
    }
    let line = format!("portfolios: {} account managers", books.len());
    out.portfolios = Some((portfolios::frame(&books)?, line));
    Ok(())
}

/// Build every tracking table the inputs allow.
pub fn track(input: TrackInputs, as_of: NaiveDate, p: &TrackValid) -> Result<TrackOutputs> {
    let mut out = TrackOutputs::default();
    let f: Facts = facts::gather(input.transactions, input.customers, as_of)?;
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
    let actual = attainment::actuals(&f);
    let rows = attainment::rows(&f, &actual, &targets);
    out.attainment = Some(attainment::frame(&rows)?);
    add_portfolios(&input, &rows, month_of(last), &mut out)?;

    let dev = match input.deals {
        Some(deals) => Some(development::by_week(deals, &f, epoch_days(as_of))?),
        None => {
            out.notes
                .push("no deals table: the weekly report's development columns are empty".into());
            None
        }
    };
    out.weekly_progress = weekly::frame(&f, &targets, dev.as_ref(), epoch_days(as_of))?;
    out.notes
        .extend(grid_notes(&f, out.weekly_progress.is_some()));
    if out.weekly_progress.is_none() {
        out.notes
            .push("no customer has a district: weekly_progress.csv not written".into());
    }

    let to = month_of(last);
    let from = to - p.leaderboard_months as i32 + 1;
    let ranked = leaderboard::entries(&f, &actual, &targets, (from, to));
    let board = leaderboard::cut(&ranked, p.leaderboard_limit());
    out.leaderboard = Some(leaderboard::frame(&board)?);
    let level = p.award_level();
    let mut paid = awards::topup_rewards(&f, level, (from, to), &p.awards);
    paid.extend(awards::pool(
        &ranked,
        level,
        &p.awards,
        p.leaderboard_limit(),
    ));
    out.awards = Some((
        awards::frame(&paid)?,
        awards::summary(&paid, level, &p.awards),
    ));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema as s;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn rule() -> QualityRule {
        let plan = crate::plan::params::PlanParams::default().check();
        plan.expect("the default [plan] is valid").quality_rule()
    }

    #[test]
    fn absent_inputs_skip_their_outputs_with_a_note() -> Result<()> {
        let tx = df!(
            s::CUSTOMER_ID => ["a", "b"],
            s::DATE => [d(2025, 1, 5), d(2025, 2, 7)],
            s::AMOUNT => [100.0, 200.0],
        )?;
        // a per-customer table without customers' own columns (no customers input)
        let cust = df!(s::CUSTOMER_ID => ["a", "b"])?;
        let input = TrackInputs {
            transactions: &tx,
            customers: &cust,
            targets: None,
            campaigns: None,
            deals: None,
            quality: &rule(),
        };
        let out = track(input, d(2025, 3, 1), &TrackValid::default())?;
        assert!(out.campaigns.is_none() && out.weekly_progress.is_none());
        let notes = out.notes.join("\n");
        for word in ["campaigns", "targets", "district"] {
            assert!(notes.contains(word), "{word}: {notes}");
        }
        // company actuals are still there; the trend holds January only, since February
        // (last sale on the 7th) is still in progress
        assert!(out.attainment.is_some_and(|a| a.height() > 0));
        let trend = out.trend.ok_or(crate::Error::Internal("trend".into()))?;
        assert_eq!(trend.height(), 1);
        assert!(out.forecast.is_some_and(|f| f.series.is_empty()));
        Ok(())
    }

    #[test]
    fn the_leaderboard_covers_the_last_months_with_sales() -> Result<()> {
        let tx = df!(
            s::CUSTOMER_ID => ["a", "b", "c"],
            s::DATE => [d(2025, 1, 5), d(2025, 2, 7), d(2025, 2, 9)],
            s::AMOUNT => [100.0, 300.0, 300.0],
        )?;
        let cust = df!(
            s::CUSTOMER_ID => ["a", "b", "c"],
            s::STATION => ["S1", "S2", "S3"],
            s::ACCOUNT_MANAGER => ["M1", "M1", "M2"],
        )?;
        let input = TrackInputs {
            transactions: &tx,
            customers: &cust,
            targets: None,
            campaigns: None,
            deals: None,
            quality: &rule(),
        };
        let out = track(input, d(2025, 3, 1), &TrackValid::default())?;
        assert_eq!(
            out.leaderboard_months,
            Some(("2025-02".to_string(), "2025-02".to_string()))
        );
        let lb = out
            .leaderboard
            .ok_or(crate::Error::Internal("leaderboard".into()))?;
        let rows: Vec<String> = (0..lb.height())
            .map(|i| {
                lb.columns()
                    .iter()
                    .map(|c| c.get(i).map(|v| v.to_string()).unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect();
        // first top-ups of February's new customers: S2 and S3 tie at 300 and sold the same,
        // so S2 comes first by name; S1 had none and is left out
        let topup: Vec<&String> = rows.iter().filter(|r| r.contains("first_topup")).collect();
        assert_eq!(
            topup,
            [
                "\"first_topup\",\"station\",\"S2\",300.0,1",
                "\"first_topup\",\"station\",\"S3\",300.0,2",
                "\"first_topup\",\"account_manager\",\"M1\",300.0,1",
                "\"first_topup\",\"account_manager\",\"M2\",300.0,2",
            ]
        );
        Ok(())
    }
}
