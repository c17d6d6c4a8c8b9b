//! Adapters from kam's output tables (DataFrames with the agreed columns) to the plain rows
//! the charts take. A missing table or column is not an error: the adapter returns
//! `Err(note)` and the report skips that chart with the note.

use polars::prelude::*;

use super::charts::customers::{CalibrationRow, ChurnRisk, CustomerPoint, SegmentProfile};
use super::charts::plan::{Allocation, CreditMix};
use super::charts::portfolios::ManagerBook;
use super::charts::sales::{ChannelConversion, LeaderEntry, TrendPoint, UnitAttainment};
use crate::schema as s;

/// Why a chart was skipped.
pub type Note = String;

// ---- the tables the charts read, by file stem (declared in schema::outputs) ----
pub const TREND: &str = "trend";
pub const ATTAINMENT: &str = "attainment";
pub const LEADERBOARD: &str = "leaderboard";
pub const CAMPAIGNS: &str = "campaigns";
pub const SEGMENTS: &str = "segments";
pub const CALIBRATION: &str = "models/calibration_by_frequency";
pub const MARKET_SHARE: &str = "market_share";
pub const CREDIT_MIX: &str = "credit_mix";
pub const PORTFOLIOS: &str = "portfolios";

// ---- their columns, defined once in schema::columns ----
use crate::schema::columns::track::{
    ACTUAL, BOARD, BY, COMPLETION_RATE, CONVERSION_RATE, KIND, MONTH, RANK, REVENUE, REVENUE_HI,
    REVENUE_LO, REVENUE_MA3, VALUE,
};
use crate::schema::columns::{
    ACTUAL_MEAN, CAP_MAX_VOLUME, CAPACITY, CHURN_RISK, CLV, ELIGIBLE, PREDICTED_MEAN,
    REVENUE_AT_RISK, REVENUE_SHARE, SEGMENT, SEGMENT_NAME, SHARE_CUSTOMERS, SHARE_OF_CAPACITY,
    SHARE_REVENUE,
};
use crate::schema::{CREDIT_GRADE, FREQUENCY};

/// One output table by its file stem, with typed column access that turns absences into notes.
pub struct Table<'a> {
    pub stem: &'a str,
    pub df: &'a DataFrame,
}

impl<'a> Table<'a> {
    /// The table named `stem` among `tables`.
    pub fn find(tables: &'a [(String, DataFrame)], stem: &'a str) -> Result<Self, Note> {
        tables
            .iter()
            .find(|(n, _)| n == stem)
            .map(|(_, df)| Table { stem, df })
            .ok_or_else(|| format!("{stem}.csv was not written by this run"))
    }

    fn missing(&self, column: &str) -> Note {
        format!("{}.csv has no column '{column}'", self.stem)
    }

    /// A column as numbers (text that is not a number becomes missing).
    pub fn f64s(&self, column: &str) -> Result<Vec<Option<f64>>, Note> {
        let c = self.df.column(column).map_err(|_| self.missing(column))?;
        let c = c
            .cast(&DataType::Float64)
            .map_err(|e| format!("{}.csv column '{column}': {e}", self.stem))?;
        let ca = c
            .f64()
            .map_err(|e| format!("{}.csv column '{column}': {e}", self.stem))?;
        Ok(ca.iter().collect())
    }

    /// A column as text.
    pub fn strs(&self, column: &str) -> Result<Vec<Option<String>>, Note> {
        let c = self.df.column(column).map_err(|_| self.missing(column))?;
        let c = c
            .cast(&DataType::String)
            .map_err(|e| format!("{}.csv column '{column}': {e}", self.stem))?;
        let ca = c
            .str()
            .map_err(|e| format!("{}.csv column '{column}': {e}", self.stem))?;
        Ok(ca.iter().map(|v| v.map(str::to_string)).collect())
    }
}

impl Table<'_> {
    /// A boolean column (a flag the stage typed as one).
    pub fn bools(&self, column: &str) -> Result<Vec<Option<bool>>, Note> {
        let c = self.df.column(column).map_err(|_| self.missing(column))?;
        let ca = c
            .bool()
            .map_err(|e| format!("{}.csv column '{column}': {e}", self.stem))?;
        Ok(ca.iter().collect())
    }
}

fn nz(v: Option<f64>) -> f64 {
    v.unwrap_or(f64::NAN)
}

/// Company rows of `trend.csv`.
pub fn trend(tables: &[(String, DataFrame)]) -> Result<Vec<TrendPoint>, Note> {
    let t = Table::find(tables, TREND)?;
    let (level, month, kind) = (t.strs(s::LEVEL)?, t.strs(MONTH)?, t.strs(KIND)?);
    let (rev, ma3, lo, hi) = (
        t.f64s(REVENUE)?,
        t.f64s(REVENUE_MA3)?,
        t.f64s(REVENUE_LO)?,
        t.f64s(REVENUE_HI)?,
    );
    let out: Vec<TrendPoint> = (0..t.df.height())
        .filter(|&i| level[i].as_deref() == Some("company"))
        .filter_map(|i| {
            Some(TrendPoint {
                month: month[i].clone()?,
                forecast: kind[i].as_deref() == Some("forecast"),
                revenue: nz(rev[i]),
                ma3: ma3[i],
                lo: lo[i],
                hi: hi[i],
            })
        })
        .collect();
    if out.is_empty() {
        return Err("trend.csv has no company rows".into());
    }
    Ok(out)
}

/// District revenue completion of the latest complete period: the latest period before the
/// month of `as_of` (or the latest period when `as_of` is unknown) with a completion rate.
pub fn attainment(
    tables: &[(String, DataFrame)],
    as_of: Option<&str>,
) -> Result<(String, Vec<UnitAttainment>), Note> {
    let t = Table::find(tables, ATTAINMENT)?;
    let (period, level, unit, metric) = (
        t.strs(s::PERIOD)?,
        t.strs(s::LEVEL)?,
        t.strs(s::UNIT)?,
        t.strs(s::METRIC)?,
    );
    let (actual, rate) = (t.f64s(ACTUAL)?, t.f64s(COMPLETION_RATE)?);
    let current = as_of.and_then(|d| d.get(..7));
    let rows: Vec<usize> = (0..t.df.height())
        .filter(|&i| {
            level[i].as_deref() == Some("district") && metric[i].as_deref() == Some(REVENUE)
        })
        .filter(|&i| rate[i].is_some() && actual[i].is_some())
        .filter(|&i| match (period[i].as_deref(), current) {
            (Some(p), Some(c)) => p < c,
            (p, None) => p.is_some(),
            _ => false,
        })
        .collect();
    let latest =
        rows.iter().filter_map(|&i| period[i].clone()).max().ok_or(
            "attainment.csv has no district revenue rows with a target in a complete period",
        )?;
    let out = rows
        .iter()
        .filter(|&&i| period[i].as_deref() == Some(latest.as_str()))
        .map(|&i| UnitAttainment {
            unit: unit[i].clone().unwrap_or_default(),
            completion_rate: nz(rate[i]),
        })
        .collect();
    Ok((latest, out))
}

/// The completion-rate board of stations (or of the first level present).
pub fn leaderboard(tables: &[(String, DataFrame)]) -> Result<(String, Vec<LeaderEntry>), Note> {
    let t = Table::find(tables, LEADERBOARD)?;
    let (board, level, unit, value, rank) = (
        t.strs(BOARD)?,
        t.strs(s::LEVEL)?,
        t.strs(s::UNIT)?,
        t.f64s(VALUE)?,
        t.f64s(RANK)?,
    );
    let rows: Vec<usize> = (0..t.df.height())
        .filter(|&i| board[i].as_deref() == Some(COMPLETION_RATE) && rank[i].is_some())
        .collect();
    let chosen = if rows.iter().any(|&i| level[i].as_deref() == Some("station")) {
        "station".to_string()
    } else {
        rows.iter()
            .find_map(|&i| level[i].clone())
            .ok_or("leaderboard.csv has no completion_rate board")?
    };
    let out = rows
        .iter()
        .filter(|&&i| level[i].as_deref() == Some(chosen.as_str()))
        .map(|&i| LeaderEntry {
            unit: unit[i].clone().unwrap_or_default(),
            value: nz(value[i]),
            rank: rank[i].unwrap_or(f64::MAX).clamp(0.0, u32::MAX as f64) as u32,
        })
        .collect();
    Ok((chosen, out))
}

/// Channel rows of `campaigns.csv`.
pub fn channels(tables: &[(String, DataFrame)]) -> Result<Vec<ChannelConversion>, Note> {
    let t = Table::find(tables, CAMPAIGNS)?;
    let (by, channel, rate) = (t.strs(BY)?, t.strs(s::CHANNEL)?, t.f64s(CONVERSION_RATE)?);
    let out: Vec<ChannelConversion> = (0..t.df.height())
        .filter(|&i| by[i].as_deref() == Some("channel"))
        .map(|i| ChannelConversion {
            channel: channel[i].clone().unwrap_or_default(),
            conversion_rate: nz(rate[i]),
        })
        .collect();
    if out.is_empty() {
        return Err("campaigns.csv has no channel rows".into());
    }
    Ok(out)
}

/// Placed customers (with a segment) by segment number, for the segment map.
pub fn segment_map(customers: &DataFrame) -> Result<Vec<CustomerPoint>, Note> {
    let t = Table {
        stem: "customers",
        df: customers,
    };
    let (seg, name, rec, mon) = (
        t.f64s(SEGMENT)?,
        t.strs(SEGMENT_NAME)?,
        t.f64s(s::RECENCY_DAYS)?,
        t.f64s(s::MONETARY_TOTAL)?,
    );
    let mut rows: Vec<usize> = (0..customers.height())
        .filter(|&i| seg[i].is_some())
        .collect();
    if rows.is_empty() {
        return Err("customers has no segmented customer".into());
    }
    rows.sort_by(|&a, &b| nz(seg[a]).total_cmp(&nz(seg[b])).then(a.cmp(&b)));
    Ok(rows
        .into_iter()
        .map(|i| CustomerPoint {
            segment: name[i].clone().unwrap_or_else(|| format!("{}", nz(seg[i]))),
            recency_days: nz(rec[i]),
            monetary: nz(mon[i]),
        })
        .collect())
}

/// Rows of `segments.csv` in table order.
pub fn segment_profiles(tables: &[(String, DataFrame)]) -> Result<Vec<SegmentProfile>, Note> {
    let t = Table::find(tables, SEGMENTS)?;
    let (name, sc, sr) = (
        t.strs(SEGMENT_NAME)?,
        t.f64s(SHARE_CUSTOMERS)?,
        t.f64s(SHARE_REVENUE)?,
    );
    Ok((0..t.df.height())
        .map(|i| SegmentProfile {
            name: name[i].clone().unwrap_or_default(),
            share_customers: nz(sc[i]),
            share_revenue: nz(sr[i]),
        })
        .collect())
}

/// Customer values for the concentration curve: `clv` when any customer has one, else
/// `monetary_total`. The flag says which.
pub fn concentration(customers: &DataFrame) -> Result<(Vec<f64>, bool), Note> {
    let t = Table {
        stem: "customers",
        df: customers,
    };
    if let Ok(clv) = t.f64s(CLV)
        && clv.iter().any(|v| v.is_some_and(|x| x > 0.0))
    {
        return Ok((clv.into_iter().map(nz).collect(), true));
    }
    let m = t.f64s(s::MONETARY_TOTAL)?;
    Ok((m.into_iter().map(nz).collect(), false))
}

/// Churn risk level and revenue at risk of every scored customer.
pub fn churn(customers: &DataFrame) -> Result<Vec<ChurnRisk>, Note> {
    let t = Table {
        stem: "customers",
        df: customers,
    };
    let (risk, rar) = (t.strs(CHURN_RISK)?, t.f64s(REVENUE_AT_RISK)?);
    let out: Vec<ChurnRisk> = (0..customers.height())
        .filter_map(|i| {
            Some(ChurnRisk {
                level: risk[i].clone()?,
                revenue_at_risk: nz(rar[i]),
            })
        })
        .collect();
    if out.is_empty() {
        return Err("customers has no churn_risk values".into());
    }
    Ok(out)
}

/// Rows of `models/calibration_by_frequency.csv` in table order.
pub fn calibration(tables: &[(String, DataFrame)]) -> Result<Vec<CalibrationRow>, Note> {
    let t = Table::find(tables, CALIBRATION)?;
    let (f, a, p) = (
        t.strs(FREQUENCY)?,
        t.f64s(ACTUAL_MEAN)?,
        t.f64s(PREDICTED_MEAN)?,
    );
    Ok((0..t.df.height())
        .map(|i| CalibrationRow {
            frequency: f[i].clone().unwrap_or_default(),
            actual_mean: nz(a[i]),
            predicted_mean: nz(p[i]),
        })
        .collect())
}

/// Eligible customers of `market_share.csv` and the cap as a share of capacity, from the
/// plant columns the table repeats on every row (`cap_max_volume / capacity`).
pub fn market_share(
    tables: &[(String, DataFrame)],
) -> Result<(Vec<Allocation>, Option<f64>), Note> {
    let t = Table::find(tables, MARKET_SHARE)?;
    let (name, eligible, share) = (
        t.strs(s::NAME)?,
        t.bools(ELIGIBLE)?,
        t.f64s(SHARE_OF_CAPACITY)?,
    );
    let rows = (0..t.df.height())
        .filter(|&i| eligible[i] == Some(true))
        .map(|i| Allocation {
            name: name[i].clone().unwrap_or_default(),
            share_of_capacity: nz(share[i]),
        })
        .collect();
    let first = |c: &str| t.f64s(c).ok().and_then(|v| v.first().copied().flatten());
    let (cap, capacity) = (first(CAP_MAX_VOLUME), first(CAPACITY));
    let cap = match (cap, capacity) {
        (Some(c), Some(k)) if k > 0.0 => Some(c / k),
        _ => None,
    };
    Ok((rows, cap))
}

/// Rows of `credit_mix.csv` at the district level (or the first level present).
pub fn credit_mix(tables: &[(String, DataFrame)]) -> Result<(String, Vec<CreditMix>), Note> {
    let t = Table::find(tables, CREDIT_MIX)?;
    let (level, unit, grade, share) = (
        t.strs(s::LEVEL)?,
        t.strs(s::UNIT)?,
        t.strs(CREDIT_GRADE)?,
        t.f64s(REVENUE_SHARE)?,
    );
    let chosen = if level.iter().any(|l| l.as_deref() == Some("district")) {
        "district".to_string()
    } else {
        level
            .iter()
            .flatten()
            .next()
            .cloned()
            .ok_or("credit_mix.csv has no rows")?
    };
    let out = (0..t.df.height())
        .filter(|&i| level[i].as_deref() == Some(chosen.as_str()))
        .map(|i| CreditMix {
            unit: unit[i].clone().unwrap_or_default(),
            grade: grade[i].clone().unwrap_or_default(),
            revenue_share: nz(share[i]),
        })
        .collect();
    Ok((chosen, out))
}

/// Rows of `portfolios.csv` (revenue at risk NaN when the run scored no churn).
pub fn portfolios(tables: &[(String, DataFrame)]) -> Result<Vec<ManagerBook>, Note> {
    let t = Table::find(tables, PORTFOLIOS)?;
    let (m, rev) = (t.strs(s::ACCOUNT_MANAGER)?, t.f64s(s::REVENUE_LAST_12M)?);
    let risk = t.f64s(REVENUE_AT_RISK)?;
    Ok((0..t.df.height())
        .map(|i| ManagerBook {
            manager: m[i].clone().unwrap_or_default(),
            revenue_last_12m: nz(rev[i]),
            revenue_at_risk: nz(risk[i]),
        })
        .collect())
}

#[cfg(test)]
#[path = "data_tests.rs"]
mod tests;
