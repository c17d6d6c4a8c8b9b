//! The key-account rule on hand-made customers: the deal rule, both existing-customer rules,
//! tiers, lost deals, unknown customers, and the checks of `[key_accounts]`.

use polars::prelude::*;

use super::*;
use crate::error::Result;

/// Ten customers: "c0" brings half the revenue, "c1" a quarter, the rest share the last
/// quarter; "c9" bought nothing in the last 12 months.
fn table() -> Result<DataFrame> {
    Ok(df![
        s::CUSTOMER_ID => ["c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9"],
        s::REVENUE_LAST_12M => [5_000.0, 2_500.0, 500.0, 500.0, 400.0, 400.0, 300.0, 200.0, 200.0, 0.0],
        // a large past order plays no part in the rule
        s::LARGEST_ORDER => [100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 90_000.0],
    ]?)
}

fn deals(rows: &[(&str, &str, f64)]) -> Result<DataFrame> {
    Ok(df![
        s::CUSTOMER_ID => rows.iter().map(|r| r.0).collect::<Vec<_>>(),
        s::STAGE => rows.iter().map(|r| r.1).collect::<Vec<_>>(),
        s::INTENDED_AMOUNT => rows.iter().map(|r| r.2).collect::<Vec<_>>(),
    ]?)
}

fn tiers(c: &Classification) -> Vec<Option<&str>> {
    c.tier.iter().map(|t| t.as_deref()).collect()
}

#[test]
fn top_share_takes_the_customers_that_bring_the_share() -> Result<()> {
    let c = classify(&table()?, None, &KeyAccountValid::default())?;
    // 80%: c0 (50%) and c1 (75%) fall short, c2 crosses the line and is in; strategic (50%)
    // is c0 alone
    assert_eq!(
        tiers(&c),
        [
            Some("strategic"),
            Some("key"),
            Some("key"),
            None,
            None,
            None,
            None,
            None,
            None,
            None
        ]
    );
    assert_eq!(c.basis[1], Some(BASIS_SHARE));
    assert_eq!(c.count(), 3);
    assert_eq!(c.revenue_share, Some(0.8));
    Ok(())
}

#[test]
fn a_live_intended_deal_makes_a_key_account_a_lost_one_does_not() -> Result<()> {
    let d = deals(&[
        ("c9", "negotiation", 10_000.0),
        ("c8", "lost", 2_000_000.0),
        ("c7", "signed", 9_999.0),
        ("c5", "lead", 1_000_000.0),
        ("nobody", "lead", 50_000.0),
    ])?;
    let c = classify(&table()?, Some(&d), &KeyAccountValid::default())?;
    let t = tiers(&c);
    assert_eq!(t[9], Some("key"));
    assert_eq!(c.basis[9], Some(BASIS_DEAL));
    assert_eq!((t[8], t[7]), (None, None));
    // a deal of 1,000,000 reaches the strategic tier
    assert_eq!(t[5], Some("strategic"));
    // the deal of a customer missing from the table is counted, not classified
    assert_eq!(c.unknown_deals, 1);
    Ok(())
}

#[test]
fn annual_revenue_rule_and_deal_only_rule() -> Result<()> {
    let p = KeyAccountParams {
        existing: ExistingRule::AnnualRevenue,
        min_annual_revenue: 400.0,
        tiers: vec![Tier {
            name: "strategic".into(),
            min_deal: 1_000_000.0,
            revenue_share: None,
            min_annual_revenue: Some(2_500.0),
        }],
        ..KeyAccountParams::default()
    };
    let c = classify(&table()?, None, &p.check()?)?;
    assert_eq!(
        tiers(&c),
        [
            Some("strategic"),
            Some("strategic"),
            Some("key"),
            Some("key"),
            Some("key"),
            Some("key"),
            None,
            None,
            None,
            None
        ]
    );
    assert_eq!(c.basis[2], Some(BASIS_REVENUE));
    let p = KeyAccountParams {
        existing: ExistingRule::None,
        ..KeyAccountParams::default()
    };
    let c = classify(&table()?, None, &p.check()?)?;
    assert_eq!(c.count(), 0);
    Ok(())
}

#[test]
fn the_rule_ignores_row_order() -> Result<()> {
    let t = table()?;
    let reversed = t.reverse();
    let a = classify(&t, None, &KeyAccountValid::default())?;
    let mut b = classify(&reversed, None, &KeyAccountValid::default())?;
    b.tier.reverse();
    assert_eq!(a.tier, b.tier);
    Ok(())
}

#[test]
fn output_adds_the_two_columns() -> Result<()> {
    let (t, out) = output::run(table()?, None, &KeyAccountValid::default())?;
    assert!(t.column(KEY_ACCOUNT_TIER).is_ok() && t.column(KEY_ACCOUNT_BASIS).is_ok());
    let line = out.summary[0].render_for_report();
    assert!(
        line.contains("key accounts: 3 of 10 customers (30.0%)"),
        "{line}"
    );
    Ok(())
}

fn err(p: KeyAccountParams) -> String {
    p.check().err().map(|e| e.to_string()).unwrap_or_default()
}

#[test]
fn settings_are_checked() {
    let p = |f: fn(&mut KeyAccountParams)| {
        let mut p = KeyAccountParams::default();
        f(&mut p);
        p
    };
    assert!(err(p(|p| p.min_deal = 0.0)).contains("key_accounts.min_deal"));
    assert!(err(p(|p| p.revenue_share = 1.5)).contains("revenue_share"));
    assert!(err(p(|p| p.tiers[0].min_deal = 5_000.0)).contains("min_deal above"));
    assert!(err(p(|p| p.tiers[0].revenue_share = Some(0.9))).contains("revenue_share below"));
    assert!(err(p(|p| p.tiers[0].revenue_share = None)).contains("needs revenue_share"));
    assert!(err(p(|p| p.tiers[0].name = "key".into())).contains("share a name"));
    assert!(err(p(|p| p.tiers[0].name = " ".into())).contains("tier name is empty"));
    let mut q = KeyAccountParams {
        existing: ExistingRule::AnnualRevenue,
        ..KeyAccountParams::default()
    };
    q.tiers[0].min_annual_revenue = Some(10.0);
    assert!(err(q).contains("min_annual_revenue above"));
}
