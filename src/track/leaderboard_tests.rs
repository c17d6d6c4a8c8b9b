//! Leaderboard tests: the board keeps its size when units tie at the cut, ties are broken by
//! sales then name, and units with nothing to rank are left out.

use super::*;
use crate::frame::epoch_days;
use crate::track::facts::CustomerFacts;

fn day(m: u32, d: u32) -> i32 {
    epoch_days(chrono::NaiveDate::from_ymd_opt(2025, m, d).unwrap_or_default())
}

/// A customer of `station` won on 3 December with first top-up `topup`.
fn customer(station: &str, topup: f64) -> CustomerFacts {
    CustomerFacts {
        id: format!("c-{station}"),
        station: Some(station.into()),
        manager: Some(format!("m-{station}")),
        new_on: Some(day(12, 3)),
        first_topup: Some(topup),
        ..Default::default()
    }
}

fn revenue(level: Level, unit: &str, amount: f64) -> (Key, f64) {
    let key = Key {
        level,
        unit: unit.into(),
        metric: Metric::Revenue,
        month: month_of(day(12, 1)),
    };
    (key, amount)
}

#[test]
fn rank_breaks_ties_by_sales_then_name_and_leaves_out_zeros() {
    let v = vec![
        ("b".to_string(), 2.0),
        ("c".to_string(), 5.0),
        ("a".to_string(), 2.0),
        ("e".to_string(), 2.0),
        ("d".to_string(), 0.0),
    ];
    // e sold more than a and b; a and b sold the same, so a comes first by name
    let sales: BTreeMap<&str, f64> = [("a", 10.0), ("b", 10.0), ("e", 50.0)].into();
    let r = rank(v.clone(), &sales);
    let got: Vec<(&str, u32)> = r.iter().map(|(u, _, r)| (u.as_str(), *r)).collect();
    assert_eq!(got, [("c", 1), ("e", 2), ("a", 3), ("b", 4)]);
    // any input order gives the same board
    let mut rev = v;
    rev.reverse();
    assert_eq!(rank(rev, &sales), r);
}

/// Regression: eleven stations tied at the cut (0 first top-ups on the demo) grew a 10-row
/// board to 20 rows.
#[test]
fn ties_at_the_cut_keep_the_board_at_its_size() {
    let mut customers: Vec<CustomerFacts> = (0..12)
        .map(|i| customer(&format!("S{i:02}"), 500.0))
        .collect();
    customers.push(customer("Zero", 0.0));
    let f = Facts {
        customers,
        ..Default::default()
    };
    // S11 sold the most in December, so it heads the tie
    let actual: BTreeMap<Key, f64> = [revenue(Level::Station, "S11", 900.0)].into();
    let m = month_of(day(12, 1));
    let all = entries(&f, &actual, &BTreeMap::new(), (m, m));
    let board = cut(&all, Some(10));
    let topup: Vec<(&str, u32)> = board
        .iter()
        .filter(|e| e.board == "first_topup" && e.level == Level::Station)
        .map(|e| (e.unit.as_str(), e.rank))
        .collect();
    assert_eq!(topup.len(), 10);
    assert_eq!(topup[0], ("S11", 1));
    assert_eq!(topup[1], ("S00", 2));
    assert_eq!(topup[9], ("S08", 10));
    // the station with a first top-up of 0 and the boards of nothing are left out
    assert!(all.iter().all(|e| e.unit != "Zero" && e.value > 0.0));
    assert!(all.iter().all(|e| e.board == "first_topup"));
    // per board and level, never more rows than the size
    for level in LEVELS {
        let n = board.iter().filter(|e| e.level == level).count();
        assert_eq!(n, 10, "{level:?}");
    }
    assert_eq!(cut(&all, None).len(), 24);
}
