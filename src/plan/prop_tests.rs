//! Property tests over random companies: the market-share allocation never exceeds the caps
//! and never selects an excluded type; quotas sum exactly to their parent at every level and
//! stay within their bounds; neither depends on the order of the input rows.

use std::collections::BTreeMap;

use polars::prelude::*;
use proptest::prelude::*;

use super::data::{Account, Periods};
use super::history::History;
use super::market_share::{self, ALLOCATION, ELIGIBLE};
use super::params::{PlanParams, QuotaParams};
use super::quotas::{self, Child, LOWER_BOUND, PARENT, QUOTA, QuotaInputs, UNIT, UPPER_BOUND};
use crate::error::Error;
use crate::schema as s;

const TYPES: [&str; 6] = [
    "ready_mix",
    "developer",
    "distributor",
    "construction",
    "hydropower",
    "fleet",
];
const GRADES: [&str; 6] = ["AAA", "AA", "A", "B", "C", "D"];
const TERMS: [&str; 3] = ["cash", "prepay", "credit"];

fn account() -> impl Strategy<Value = Account> {
    (
        (0..6usize, 0..6usize, 0..3usize, 0..=12u32),
        (
            0.0..300_000.0f64,
            0.0..300_000.0f64,
            0.0..120.0f64,
            any::<bool>(),
        ),
        (0..3usize, 0..3usize, 0..3usize),
        (0.0..5_000_000.0f64, -0.5..1.0f64, 0.0..50_000.0f64),
    )
        .prop_map(
            |((t, g, pt, months), (v, vp, days, share), (d, st, m), (last, trend, pot))| Account {
                customer_type: Some(TYPES[t].into()),
                grade: Some(GRADES[g].into()),
                terms: Some(TERMS[pt].into()),
                credit_days: Some(days.round()),
                active_months: months,
                volume_12m: v,
                volume_prev_12m: vp,
                shares_resources: share,
                avg_price: Some(400.0),
                revenue_12m: last * 12.0,
                trend_12m: Some(trend),
                potential_volume: Some(pot),
                district: Some(format!("D{d}")),
                station: Some(format!("D{d}-S{st}")),
                manager: Some(format!("M{m}")),
                last_revenue: last,
                ..Account::default()
            },
        )
}

/// Random accounts with unique ids, and a permutation of them.
fn company() -> impl Strategy<Value = (Vec<Account>, Vec<Account>)> {
    prop::collection::vec(account(), 1..60)
        .prop_map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(i, a)| Account {
                    id: format!("C{i:04}"),
                    ..a
                })
                .collect::<Vec<_>>()
        })
        .prop_flat_map(|v| {
            let shuffled = Just(v.clone()).prop_shuffle();
            (Just(v), shuffled)
        })
}

/// The quota table of `accounts` whose every month of 2024-2025 was their last revenue.
fn quota_table(
    accounts: &[Account],
    p: &super::PlanValid,
    periods: &Periods,
) -> crate::Result<DataFrame> {
    let mut leaves: BTreeMap<super::history::Leaf, f64> = BTreeMap::new();
    let mut sorted: Vec<&Account> = accounts.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id)); // sums in one order, whatever the input order
    for a in sorted {
        let key = (a.district().into(), a.station().into(), a.manager().into());
        *leaves.entry(key).or_default() += a.last_revenue;
    }
    let keys: Vec<_> = leaves.keys().cloned().collect();
    let history = History::from_fn(2024 * 12, 24, &keys, |l, _| leaves[l]);
    let inp = QuotaInputs {
        accounts,
        history: &history,
        targets: None,
        forecast: crate::track::TrackValid::default().forecast_settings(),
    };
    Ok(quotas::quotas(&inp, p, periods)?.table)
}

fn f64s(df: &DataFrame, c: &str) -> Vec<Option<f64>> {
    df.column(c)
        .and_then(|c| c.cast(&DataType::Float64))
        .map(|c| c.f64().map(|x| x.iter().collect()).unwrap_or_default())
        .unwrap_or_default()
}

fn strs(df: &DataFrame, c: &str) -> Vec<Option<String>> {
    df.column(c)
        .map(|c| {
            c.str()
                .map(|x| x.iter().map(|v| v.map(String::from)).collect())
                .unwrap_or_default()
        })
        .unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn allocation_respects_caps_and_exclusions(
        (accounts, shuffled) in company(),
        capacity in 100_000.0..3_000_000.0f64,
        cap_max in 0.05..0.6f64,
        per in 0.01..0.3f64,
    ) {
        let mut pp = PlanParams::default();
        pp.market_share.capacity = capacity;
        pp.market_share.cap_share_max = cap_max;
        pp.market_share.cap_share_min = cap_max * 0.8;
        pp.market_share.max_customer_share = per;
        let p = pp.check().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let (df, _) = market_share::market_share(&accounts, &p)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let alloc: Vec<f64> = f64s(&df, ALLOCATION).into_iter().map(|v| v.unwrap_or(0.0)).collect();
        let total: f64 = alloc.iter().sum();
        prop_assert!(total <= cap_max * capacity + 1e-6, "total {total} above cap");
        for a in &alloc {
            prop_assert!(*a >= 0.0 && *a <= per * capacity + 1e-6, "allocation {a} above the per-customer cap");
        }
        let types = strs(&df, s::CUSTOMER_TYPE);
        let eligible: Vec<Option<bool>> = df.column(ELIGIBLE).map(|c| c.bool().map(|b| b.iter().collect()).unwrap_or_default()).unwrap_or_default();
        for ((t, a), e) in types.iter().zip(&alloc).zip(&eligible) {
            if matches!(t.as_deref(), Some("construction" | "hydropower")) {
                prop_assert!(*a == 0.0 && *e == Some(false), "excluded type {t:?} selected");
            }
        }
        let (again, _) = market_share::market_share(&shuffled, &p)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(df.equals_missing(&again), "row order changed the result");
    }

    #[test]
    fn quotas_sum_to_parents_within_bounds(
        (accounts, shuffled) in company(),
        inc in 0.0..0.6f64,
        dec in 0.0..0.5f64,
        frac in 0.0..1.0f64,
        unit in prop::sample::select(vec![1.0, 100.0, 1_000.0, 10_000.0]),
    ) {
        // growth inside the band the bounds allow, so most cases are feasible
        let growth = -dec + (inc + dec) * frac;
        let pp = PlanParams {
            quotas: QuotaParams { max_increase: inc, max_decrease: dec, growth, rounding_unit: unit, ..QuotaParams::default() },
            ..PlanParams::default()
        };
        let p = pp.check().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
        let periods = Periods::around(as_of, 1);
        let df = match quota_table(&accounts, &p, &periods) {
            Ok(df) => df,
            // an infeasible target is a valid answer, as long as it is reported as such
            Err(Error::Infeasible { .. }) => return Ok(()),
            Err(e) => return Err(TestCaseError::fail(e.to_string())),
        };
        let units = strs(&df, UNIT);
        let parents = strs(&df, PARENT);
        let levels = strs(&df, quotas::LEVEL);
        let q = f64s(&df, QUOTA);
        let lo = f64s(&df, LOWER_BOUND);
        let hi = f64s(&df, UPPER_BOUND);
        // children's quotas per (parent level, parent)
        let level_ix = |l: &str| ["company", "district", "station", "account_manager"].iter().position(|x| *x == l).unwrap_or(9);
        let mut sums: BTreeMap<(usize, String), f64> = BTreeMap::new();
        for i in 0..df.height() {
            let l = level_ix(levels[i].as_deref().unwrap_or(""));
            if let Some(par) = &parents[i] {
                *sums.entry((l - 1, par.clone())).or_default() += q[i].unwrap_or(0.0);
            }
            let qi = q[i].unwrap_or(0.0);
            prop_assert!((qi / unit - (qi / unit).round()).abs() < 1e-6, "quota {qi} not a multiple of {unit}");
            if let Some(l) = lo[i] { prop_assert!(qi >= l - 1e-6, "quota {qi} below its bound {l}"); }
            if let Some(h) = hi[i] { prop_assert!(qi <= h + 1e-6, "quota {qi} above its bound {h}"); }
        }
        for i in 0..df.height() {
            let l = level_ix(levels[i].as_deref().unwrap_or(""));
            if l < 3 {
                let key = (l, units[i].clone().unwrap_or_default());
                let got = sums.get(&key).copied().unwrap_or(0.0);
                prop_assert!((got - q[i].unwrap_or(0.0)).abs() < 1e-6, "{key:?}: children sum {got} != {:?}", q[i]);
            }
        }
        let again = quota_table(&shuffled, &p, &periods)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(df.equals_missing(&again), "row order changed the quotas");
    }

    #[test]
    fn split_is_exact_whenever_feasible(
        kids in prop::collection::vec((0.0..10_000.0f64, 0.0..100.0f64), 1..12),
        at in 0.0..1.0f64,
    ) {
        let q = QuotaParams { rounding_unit: 10.0, ..QuotaParams::default() };
        let kids: Vec<Child> = kids.iter().map(|(l, p)| Child::new(*l, *p, &q)).collect();
        let lo: i64 = kids.iter().map(|k| k.lo).sum();
        let hi: i64 = kids.iter().map(|k| k.hi.min(1_000_000)).sum();
        let total = lo + ((hi - lo) as f64 * at) as i64;
        let got = quotas::split(total, &kids, &q, "x").map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(got.iter().map(|g| g.0).sum::<i64>(), total);
        for (k, g) in kids.iter().zip(&got) {
            prop_assert!(k.lo <= g.0 && g.0 <= k.hi);
        }
    }
}
