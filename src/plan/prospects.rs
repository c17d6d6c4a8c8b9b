//! The prospect census ranking (domain.md §2): per station, the organisations with potential
//! (census `potential_volume`, `vehicles`) that buy little or nothing from us, ranked by
//! untapped potential, so field staff know whom to visit first.
//!
//! untapped_potential = potential_volume - max(volume_last_12m, 0);
//! penetration = max(volume_last_12m, 0) / potential_volume; a prospect has
//! penetration below `max_penetration`.

use polars::prelude::*;

use super::data::Account;
use super::params::ProspectParams;
use crate::error::Result;
use crate::schema as s;

pub use crate::schema::columns::plan::{PENETRATION, RANK, UNTAPPED_POTENTIAL, VOLUME_LAST_12M};

/// Untapped census potential of one account (0 without a census figure).
pub fn untapped(a: &Account) -> f64 {
    (a.potential_volume.unwrap_or(0.0) - a.volume_12m.max(0.0)).max(0.0)
}

fn penetration(a: &Account) -> Option<f64> {
    a.potential_volume
        .filter(|p| *p > 0.0)
        .map(|p| a.volume_12m.max(0.0) / p)
}

/// Ranked prospects, sorted by station then rank.
pub fn prospects(accounts: &[Account], p: &ProspectParams) -> Result<DataFrame> {
    let mut rows: Vec<&Account> = accounts
        .iter()
        .filter(|a| {
            let has_potential =
                a.potential_volume.unwrap_or(0.0) > 0.0 || a.vehicles.unwrap_or(0.0) > 0.0;
            has_potential && penetration(a).is_none_or(|x| x < p.max_penetration)
        })
        .filter(|a| penetration(a).is_some() || a.volume_12m <= 0.0)
        .collect();
    rows.sort_by(|x, y| {
        x.station()
            .cmp(y.station())
            .then(untapped(y).total_cmp(&untapped(x)))
            .then(
                y.vehicles
                    .unwrap_or(0.0)
                    .total_cmp(&x.vehicles.unwrap_or(0.0)),
            )
            .then(x.id.cmp(&y.id))
    });
    let mut ranks = Vec::with_capacity(rows.len());
    let mut kept = Vec::with_capacity(rows.len());
    for (i, a) in rows.iter().enumerate() {
        let r = if i > 0 && rows[i - 1].station() == a.station() {
            ranks.last().copied().unwrap_or(0) + 1
        } else {
            1u32
        };
        ranks.push(r);
        if p.top_per_station == 0 || (r as usize) <= p.top_per_station {
            kept.push((r, *a));
        }
    }
    Ok(df![
        s::STATION => kept.iter().map(|r| r.1.station().to_string()).collect::<Vec<_>>(),
        s::DISTRICT => kept.iter().map(|r| r.1.district().to_string()).collect::<Vec<_>>(),
        RANK => kept.iter().map(|r| r.0).collect::<Vec<_>>(),
        s::CUSTOMER_ID => kept.iter().map(|r| r.1.id.clone()).collect::<Vec<_>>(),
        s::NAME => kept.iter().map(|r| r.1.name.clone()).collect::<Vec<_>>(),
        s::CUSTOMER_TYPE => kept.iter().map(|r| r.1.customer_type.clone()).collect::<Vec<_>>(),
        s::ACCOUNT_MANAGER => kept.iter().map(|r| r.1.manager.clone()).collect::<Vec<_>>(),
        s::POTENTIAL_VOLUME => kept.iter().map(|r| r.1.potential_volume).collect::<Vec<_>>(),
        s::VEHICLES => kept.iter().map(|r| r.1.vehicles).collect::<Vec<_>>(),
        VOLUME_LAST_12M => kept.iter().map(|r| r.1.volume_12m).collect::<Vec<_>>(),
        PENETRATION => kept.iter().map(|r| penetration(r.1)).collect::<Vec<_>>(),
        UNTAPPED_POTENTIAL => kept.iter().map(|r| untapped(r.1)).collect::<Vec<_>>(),
        s::REVENUE_LAST_12M => kept.iter().map(|r| r.1.revenue_12m).collect::<Vec<_>>(),
    ]?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acc(id: &str, station: &str, potential: f64, volume: f64) -> Account {
        Account {
            id: id.into(),
            station: Some(station.into()),
            potential_volume: Some(potential),
            volume_12m: volume,
            ..Account::default()
        }
    }

    #[test]
    fn ranked_per_station_by_untapped_potential() -> Result<()> {
        let accounts = vec![
            acc("a", "S1", 1_000.0, 0.0),
            acc("b", "S1", 5_000.0, 100.0),
            acc("c", "S1", 1_000.0, 900.0), // 90% penetrated: a customer, not a prospect
            acc("d", "S2", 300.0, 0.0),
            acc("e", "S1", 0.0, 0.0), // no potential
        ];
        let p = ProspectParams::default();
        let df = prospects(&accounts, &p)?;
        let ids: Vec<Option<&str>> = df.column(s::CUSTOMER_ID)?.str()?.iter().collect();
        assert_eq!(ids, [Some("b"), Some("a"), Some("d")]);
        let ranks: Vec<Option<u32>> = df.column(RANK)?.u32()?.iter().collect();
        assert_eq!(ranks, [Some(1), Some(2), Some(1)]);
        let top1 = prospects(
            &accounts,
            &ProspectParams {
                top_per_station: 1,
                ..p
            },
        )?;
        assert_eq!(top1.height(), 2);
        Ok(())
    }
}
