//! Awards tests: the arithmetic of top-up rewards and of the pool split.

use super::*;
use crate::frame::epoch_days;
use crate::track::facts::CustomerFacts;

fn day(m: u32, d: u32) -> i32 {
    epoch_days(chrono::NaiveDate::from_ymd_opt(2025, m, d).unwrap_or_default())
}

fn entry(unit: &str, value: f64, rank: u32) -> Entry {
    Entry {
        board: "first_topup",
        level: Level::AccountManager,
        unit: unit.into(),
        value,
        rank,
    }
}

#[test]
fn split_by_rank_weight_adds_up_to_the_pool_in_cents() {
    // weights 3, 2, 1 of 6: 500, 333.33 and 166.66, and the cent left goes to rank 1
    assert_eq!(split(1_000.0, &[3, 2, 1]), [500.01, 333.33, 166.66]);
    assert_eq!(
        split(3_000.0, &[4, 3, 2, 1]),
        [1_200.0, 900.0, 600.0, 300.0]
    );
    // equal: 100 / 3 = 33.33 each, the cent left to the first
    assert_eq!(split(100.0, &[1, 1, 1]), [33.34, 33.33, 33.33]);
    assert_eq!(split(100.0, &[]), Vec::<f64>::new());
}

#[test]
fn winners_are_the_top_share_rounded_up_and_at_most_the_board() {
    assert_eq!(winners(10, 0.3, None), 3);
    assert_eq!(winners(13, 0.3, None), 4);
    assert_eq!(winners(2, 0.3, None), 1);
    assert_eq!(winners(40, 0.5, Some(10)), 10);
    assert_eq!(winners(3, 1.0, None), 3);
}

#[test]
fn the_pool_is_paid_on_its_board_and_level_by_rank() {
    let mut ranked: Vec<Entry> = (1..=10)
        .map(|r| entry(&format!("m{r:02}"), 1_000.0 / f64::from(r), r))
        .collect();
    // another board and another level never share the pool
    ranked.push(Entry {
        board: "new_key_accounts",
        ..entry("x", 9.0, 1)
    });
    ranked.push(Entry {
        level: Level::Station,
        ..entry("s", 9.0, 1)
    });
    let p = AwardParams::default();
    let got = pool(&ranked, Level::AccountManager, &p, Some(10));
    let rows: Vec<(&str, u32, f64)> = got
        .iter()
        .map(|a| (a.unit.as_str(), a.rank, a.amount))
        .collect();
    // 3,000 over the top 30% of 10 units: weights 3, 2, 1
    assert_eq!(
        rows,
        [("m01", 1, 1_500.0), ("m02", 2, 1_000.0), ("m03", 3, 500.0)]
    );
    assert_eq!(got[1].basis, 500.0);
    assert_eq!(got[0].board.as_deref(), Some("first_topup"));
    let equal = AwardParams {
        pool_split: PoolSplit::Equal,
        ..AwardParams::default()
    };
    let amounts: Vec<f64> = pool(&ranked, Level::AccountManager, &equal, Some(10))
        .iter()
        .map(|a| a.amount)
        .collect();
    assert_eq!(amounts, [1_000.0; 3]);
    let off = AwardParams {
        pool: 0.0,
        ..AwardParams::default()
    };
    assert!(pool(&ranked, Level::AccountManager, &off, Some(10)).is_empty());
}

#[test]
fn topup_rewards_count_new_customers_at_or_above_the_threshold() {
    let cust = |id: &str, manager: &str, new_on: i32, topup: f64| CustomerFacts {
        id: id.into(),
        manager: Some(manager.into()),
        new_on: Some(new_on),
        first_topup: Some(topup),
        ..Default::default()
    };
    let f = Facts {
        customers: vec![
            cust("a", "Li", day(12, 2), 1_000.0), // exactly the threshold: rewarded
            cust("b", "Li", day(12, 9), 5_000.0), // rewarded
            cust("c", "Wu", day(12, 9), 999.99),  // below
            cust("d", "Wu", day(11, 30), 9_000.0), // new before the window
            cust("e", "Ma", day(12, 20), 20_000.0), // rewarded
        ],
        ..Default::default()
    };
    let m = month_of(day(12, 1));
    let got = topup_rewards(&f, Level::AccountManager, (m, m), &AwardParams::default());
    let rows: Vec<(&str, u32, f64, f64)> = got
        .iter()
        .map(|a| (a.unit.as_str(), a.rank, a.basis, a.amount))
        .collect();
    assert_eq!(rows, [("Li", 1, 2.0, 400.0), ("Ma", 2, 1.0, 200.0)]);
    assert!(
        got.iter()
            .all(|a| a.award == TOPUP_REWARD && a.board.is_none())
    );
    let off = AwardParams {
        reward_per_customer: 0.0,
        ..AwardParams::default()
    };
    assert!(topup_rewards(&f, Level::AccountManager, (m, m), &off).is_empty());
}

#[test]
fn the_summary_names_each_award_and_its_units() {
    let paid = [
        Award {
            award: TOPUP_REWARD,
            board: None,
            level: Level::Station,
            unit: "S1".into(),
            rank: 1,
            basis: 2.0,
            amount: 400.0,
        },
        Award {
            award: POOL,
            board: Some("first_topup".into()),
            level: Level::Station,
            unit: "S1".into(),
            rank: 1,
            basis: 5_000.0,
            amount: 3_000.0,
        },
    ];
    assert_eq!(
        summary(&paid, Level::Station, &AwardParams::default()),
        "awards (station): 400.00 in top-up rewards to 1 units for 2 new customers at or \
         above 1000.00; 3000.00 from the first_topup pool to 1 units"
    );
    // nothing paid reads as zeros, never "-0.00"
    assert_eq!(
        summary(&[], Level::Station, &AwardParams::default()),
        "awards (station): 0.00 in top-up rewards to 0 units for 0 new customers at or \
         above 1000.00; 0.00 from the first_topup pool to 0 units"
    );
}
