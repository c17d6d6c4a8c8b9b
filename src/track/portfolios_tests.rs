//! Portfolios on hand-made books: counts and sums against the company's, the district tie,
//! the quality share, open-deal attribution, year-to-date attainment, and no managers at all.

use chrono::NaiveDate;
use polars::prelude::*;

use super::*;
use crate::error::Error;
use crate::track::attainment;
use crate::track::facts::{gather, month_of, parse_month};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

fn rule() -> QualityRule {
    let scale: Vec<String> = ["AAA", "AA", "A", "B", "C", "D"].map(String::from).to_vec();
    QualityRule::new(&scale, "B")
}

/// M1: a (key, high risk), b (key, low risk), p (prospect, key by a deal); M2: c; x has no
/// manager. Districts of M1 tie 1-1 (South, North) after p has none.
fn table() -> Result<DataFrame> {
    Ok(df!(
        s::CUSTOMER_ID => ["a", "b", "p", "c", "x"],
        s::DISTRICT => [Some("South"), Some("North"), None, Some("East"), Some("East")],
        s::STATION => [Some("S1"), Some("S1"), Some("S2"), Some("E1"), Some("E1")],
        s::ACCOUNT_MANAGER => [Some("M1"), Some("M1"), Some("M1"), Some("M2"), None],
        s::CREDIT_GRADE => [Some("AA"), Some("C"), None, Some("B"), Some("A")],
        s::FIRST_PURCHASE => [Some(d(2024, 1, 5)), Some(d(2024, 3, 1)), None, Some(d(2025, 1, 2)), Some(d(2025, 1, 3))],
        KEY_ACCOUNT_TIER => [Some("key"), Some("key"), Some("key"), None, Some("key")],
        CHURN_RISK => [Some("high"), Some("low"), None, Some("high"), Some("high")],
        s::REVENUE_LAST_12M => [Some(1000.25), Some(300.0), Some(0.0), Some(2000.0), Some(50.0)],
        s::REVENUE_PREV_12M => [Some(800.0), Some(0.0), None, Some(0.0), Some(10.0)],
        s::CLV => [Some(5000.0), Some(100.5), None, Some(900.0), Some(1.0)],
        s::REVENUE_AT_RISK => [Some(600.0), Some(10.0), None, Some(1500.0), Some(40.0)],
    )?)
}

fn inputs<'a>(t: &'a DataFrame, deals: Option<&'a DataFrame>, r: &'a QualityRule) -> Inputs<'a> {
    Inputs {
        customers: t,
        deals,
        attainment: &[],
        last_month: 0,
        rule: r,
    }
}

fn book<'a>(books: &'a [Book], m: &str) -> Result<&'a Book> {
    books
        .iter()
        .find(|b| b.manager == m)
        .ok_or(Error::Internal(format!("no book of {m}")))
}

#[test]
fn books_add_up_to_the_customers_with_a_manager() -> Result<()> {
    let (t, r) = (table()?, rule());
    let (books, _) = portfolios(&inputs(&t, None, &r))?.ok_or(Error::Internal("none".into()))?;
    // M2 sold more, so it comes first
    let names: Vec<&str> = books.iter().map(|b| b.manager.as_str()).collect();
    assert_eq!(names, ["M2", "M1"]);
    let m1 = book(&books, "M1")?;
    assert_eq!((m1.customers, m1.prospects), (2, 1));
    assert_eq!((m1.key_accounts, m1.high_risk_key_accounts), (3, Some(1)));
    assert_eq!(m1.district.as_deref(), Some("North")); // 1-1 tie: first by name
    assert_eq!(m1.station.as_deref(), Some("S1"));
    assert_eq!(m1.revenue_last_12m, 1300.25);
    assert_eq!(m1.revenue_growth(), Some(1300.25 / 800.0 - 1.0));
    assert_eq!(book(&books, "M2")?.revenue_growth(), None); // prior 12 months = 0
    // the sums over books are the sums over the rows with a manager (x is left out)
    let sum = |f: &dyn Fn(&Book) -> f64| books.iter().map(f).sum::<f64>();
    assert_eq!(sum(&|b| b.revenue_last_12m), 3300.25);
    assert_eq!(sum(&|b| b.clv.unwrap_or(0.0)), 6000.5);
    assert_eq!(sum(&|b| b.revenue_at_risk.unwrap_or(0.0)), 2110.0);
    assert_eq!(sum(&|b| b.key_accounts as f64), 3.0);
    assert_eq!(sum(&|b| (b.customers + b.prospects) as f64), 4.0);
    let df = frame(&books)?;
    assert_eq!(df.get_column_names(), c::PORTFOLIOS);
    assert_eq!(df.height(), 2);
    // no deals table: the deal columns are empty
    assert_eq!(df.column(c::OPEN_DEALS)?.null_count(), 2);
    Ok(())
}

#[test]
fn b_or_better_share_counts_unrated_customers_as_customers() -> Result<()> {
    let (t, r) = (table()?, rule());
    let (books, _) = portfolios(&inputs(&t, None, &r))?.ok_or(Error::Internal("none".into()))?;
    // M1: AA (quality), C, unrated -> 1 of 3, as credit_mix.csv's quality_share counts them
    assert_eq!(book(&books, "M1")?.b_or_better_share, Some(1.0 / 3.0));
    assert_eq!(book(&books, "M2")?.b_or_better_share, Some(1.0)); // B is B or better
    let no_grades = t.drop(s::CREDIT_GRADE)?;
    let (books, _) =
        portfolios(&inputs(&no_grades, None, &r))?.ok_or(Error::Internal("none".into()))?;
    assert!(books.iter().all(|b| b.b_or_better_share.is_none()));
    Ok(())
}

#[test]
fn open_deals_go_to_the_customers_manager_else_to_a_managing_owner() -> Result<()> {
    let (t, r) = (table()?, rule());
    let deals = df!(
        s::DEAL_ID => ["D1", "D2", "D3", "D4", "D5", "D6"],
        s::CUSTOMER_ID => [Some("a"), Some("new"), Some("x"), Some("c"), Some("c"), None],
        s::OWNER => [Some("M2"), Some("M2"), Some("Bob"), None, Some("M1"), Some("M1")],
        s::STAGE => ["negotiation", "lead", "contact", "signed", "lost", "contact"],
        s::INTENDED_AMOUNT => [Some(50_000.0), Some(12_000.0), Some(1.0), Some(9.0), Some(9.0), None],
    )?;
    let (books, unattributed) =
        portfolios(&inputs(&t, Some(&deals), &r))?.ok_or(Error::Internal("none".into()))?;
    // D1: a's manager M1 (not the owner M2); D2: a prospect not in the table, owner M2;
    // D3: x has no manager and Bob is no manager; D4, D5 are closed; D6: owner M1, no amount
    let m1 = book(&books, "M1")?;
    assert_eq!(
        (m1.open_deals, m1.open_deal_amount),
        (Some(2), Some(50_000.0))
    );
    let m2 = book(&books, "M2")?;
    assert_eq!(
        (m2.open_deals, m2.open_deal_amount),
        (Some(1), Some(12_000.0))
    );
    assert_eq!(unattributed, 1);
    Ok(())
}

#[test]
fn ytd_attainment_is_the_managers_attainment_row_of_the_last_month() -> Result<()> {
    let tx = df!(
        s::CUSTOMER_ID => ["a", "a", "a", "c"],
        s::DATE => [d(2024, 12, 5), d(2025, 1, 10), d(2025, 2, 3), d(2025, 1, 20)],
        s::AMOUNT => [999.0, 50.0, 150.0, 40.0],
    )?;
    let t = table()?;
    let targets = df!(
        s::PERIOD => ["2024-12", "2025-01", "2025-02", "2025-03"],
        s::LEVEL => ["account_manager"; 4],
        s::UNIT => ["M1"; 4],
        s::METRIC => ["revenue"; 4],
        s::TARGET => [1.0, 100.0, 300.0, 7.0],
    )?;
    let f = gather(&tx, &t, d(2025, 3, 1))?;
    let rows = attainment::rows(
        &f,
        &attainment::actuals(&f),
        &attainment::targets(Some(&targets))?,
    );
    let last = f.span.map(|s| month_of(s.1));
    assert_eq!(last, parse_month("2025-02"));
    let r = rule();
    let inp = Inputs {
        attainment: &rows,
        last_month: last.unwrap_or(0),
        ..inputs(&t, None, &r)
    };
    let (books, _) = portfolios(&inp)?.ok_or(Error::Internal("none".into()))?;
    // M1: 2025 to February, 200 of 400 (December 2024 and March 2025 are outside)
    let m1 = book(&books, "M1")?;
    assert_eq!(m1.ytd.revenue, 200.0);
    assert_eq!((m1.ytd.target, m1.ytd.attainment), (Some(400.0), Some(0.5)));
    // M2 sold in January and has no target
    let m2 = book(&books, "M2")?;
    assert_eq!(
        (m2.ytd.revenue, m2.ytd.target, m2.ytd.attainment),
        (40.0, None, None)
    );
    Ok(())
}

#[test]
fn no_account_manager_means_no_portfolios() -> Result<()> {
    let r = rule();
    let t = table()?.drop(s::ACCOUNT_MANAGER)?;
    assert!(portfolios(&inputs(&t, None, &r))?.is_none());
    let none = df!(s::CUSTOMER_ID => ["a"], s::ACCOUNT_MANAGER => [None::<&str>])?;
    assert!(portfolios(&inputs(&none, None, &r))?.is_none());
    Ok(())
}
