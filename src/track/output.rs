//! The tracking stage as the pipeline runs it: attainment, weekly progress, leaderboard,
//! campaigns, trend and portfolios tables with a summary line each, and `models/forecast.json`. A company
//! the stage cannot track gets a note; the rest of the run stands.

use chrono::NaiveDate;

use super::params::TrackValid;
use super::stage::{TrackInputs, TrackOutputs, track};
use crate::error::Result;
use crate::schema::outputs as o;
use crate::stage::{Line, StageOutput};

/// Every tracking output the inputs allow; an input the stage lacks skips its output with a
/// note.
pub fn run(input: TrackInputs, as_of: NaiveDate, v: &TrackValid) -> Result<StageOutput> {
    let t = match track(input, as_of, v) {
        Ok(t) => t,
        Err(e) => return Ok(StageOutput::note(format!("track: not computed: {e}"))),
    };
    let mut out = StageOutput::default();
    let months = t.leaderboard_months.clone();
    let TrackOutputs {
        attainment,
        weekly_progress,
        leaderboard,
        awards,
        campaigns,
        trend,
        portfolios,
        forecast,
        notes,
        ..
    } = t;
    let (awards, awards_line) = awards.unzip();
    let (portfolios, portfolios_line) = portfolios.unzip();
    let tables = [
        (&o::ATTAINMENT, attainment, "attainment"),
        (&o::WEEKLY_PROGRESS, weekly_progress, "weekly progress"),
        (&o::LEADERBOARD, leaderboard, "leaderboard"),
        (&o::AWARDS, awards, "awards"),
        (&o::CAMPAIGNS, campaigns, "campaigns"),
        (&o::TREND, trend, "trend"),
        (&o::PORTFOLIOS, portfolios, "portfolios"),
    ];
    for (spec, df, what) in tables {
        let Some(df) = df else { continue };
        let mut line = format!("{what}: {} rows", df.height());
        if let (Some((from, to)), true) = (&months, spec.file == o::LEADERBOARD.file) {
            line.push_str(&format!(" ({from} to {to})"));
        }
        if let (Some(l), true) = (&awards_line, spec.file == o::AWARDS.file) {
            line = l.clone();
        }
        if let (Some(l), true) = (&portfolios_line, spec.file == o::PORTFOLIOS.file) {
            line = l.clone();
        }
        out.line(Line::about(line, &[spec.file]));
        out.table(spec, df);
    }
    if let Some(f) = &forecast {
        out.model(&o::FORECAST_MODEL, f)?;
        let method = f.method.map_or("none", |m| m.name());
        let verdict = match (f.candidates.is_empty(), f.beat_seasonal_naive) {
            (true, _) => "no holdout: the series is too short".to_string(),
            (false, beat) => format!(
                "{} seasonal naive on the {}-month holdout",
                if beat { "beats" } else { "does not beat" },
                f.holdout_months
            ),
        };
        out.line(Line::about(
            format!(
                "forecast: company revenue by {method} ({verdict}; {} of {} series beat seasonal naive)",
                f.series_beating_seasonal_naive, f.series_total,
            ),
            &[o::FORECAST_MODEL.file],
        ));
    }
    for n in notes {
        out.add_note(format!("track: {n}"));
    }
    Ok(out)
}
