use polars::df;

use super::*;
use crate::schema::columns::master as c;

fn params() -> Result<CandidateValid> {
    CandidateParams::default().check()
}

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default()
}

fn tx() -> Result<DataFrame> {
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
    let mut t = df![
        s::CUSTOMER_ID => ["A", "B", "B", "C"],
        s::DATE => [d("2024-06-01"), d("2024-07-01"), d("2020-01-01"), d("2020-01-01")],
        s::AMOUNT => [10.0, 20.0, 1000.0, 5000.0],
    ]?;
    t.apply(s::DATE, |c| {
        c.cast(&DataType::Date).unwrap_or_else(|_| c.clone())
    })?;
    Ok(t)
}

fn strs(df: &DataFrame, name: &str) -> Result<Vec<Option<String>>> {
    frame::strings(df, name)
}

#[test]
fn the_survivor_is_the_customer_with_more_revenue_in_the_last_12_months() -> Result<()> {
    // B earned 20 in the last 12 months (1,000 before), A 10, C 0 (5,000 long ago)
    let customers = df![
        s::CUSTOMER_ID => ["A", "B", "C"],
        s::NAME => ["ACME Co., Ltd.", "Acme Limited", "ＡＣＭＥ　Ｉｎｃ"],
    ]?;
    let out = run(Some(&customers), &tx()?, as_of(), &params()?)?;
    let t = out
        .find(&o::MERGE_CANDIDATES)
        .ok_or(crate::error::Error::Internal("no table".into()))?;
    assert_eq!(t.get_column_names(), c::MERGE_CANDIDATES);
    let pairs: Vec<(Option<String>, Option<String>)> = strs(t, c::CUSTOMER_ID)?
        .into_iter()
        .zip(strs(t, c::CANDIDATE_ID)?)
        .collect();
    let p = |a: &str, b: &str| (Some(a.to_string()), Some(b.to_string()));
    // equal scores: sorted by customer_id, then candidate_id
    assert_eq!(pairs, [p("A", "B"), p("C", "A"), p("C", "B")]);
    assert_eq!(frame::f64s(t, c::CANDIDATE_REVENUE)?[0], Some(20.0));
    assert_eq!(frame::f64s(t, c::CUSTOMER_REVENUE)?[1], Some(0.0));
    assert_eq!(strs(t, c::RULE)?[0].as_deref(), Some("name"));
    let line = out.summary[0].render_for_report();
    assert!(
        line.starts_with("merge candidates: 3 pairs (name 3) among 3 customers"),
        "{line}"
    );
    Ok(())
}

#[test]
fn ties_go_to_the_smaller_id_and_scores_sort_first() -> Result<()> {
    let customers = df![
        s::CUSTOMER_ID => ["Z", "Y", "X", "W"],
        s::NAME => ["Acme Trading", "ACME TRADING LTD", "Zenith", "Zenith"],
        s::TAX_ID => [None, None, Some("123456789"), Some("123-456-789")],
    ]?;
    let out = run(Some(&customers), &tx()?, as_of(), &params()?)?;
    let t = out
        .find(&o::MERGE_CANDIDATES)
        .ok_or(crate::error::Error::Internal("no table".into()))?;
    assert_eq!(
        strs(t, c::RULE)?,
        [Some("tax_id".into()), Some("name".into())]
    );
    assert_eq!(
        strs(t, c::CANDIDATE_ID)?,
        [Some("W".into()), Some("Y".into())]
    );
    assert_eq!(
        strs(t, c::CUSTOMER_ID)?,
        [Some("X".into()), Some("Z".into())]
    );
    Ok(())
}

#[test]
fn no_pairs_still_write_the_header_and_no_table_or_off_writes_nothing() -> Result<()> {
    let customers = df![s::CUSTOMER_ID => ["A", "B"], s::NAME => ["Acme", "Zenith"]]?;
    let out = run(Some(&customers), &tx()?, as_of(), &params()?)?;
    let t = out.find(&o::MERGE_CANDIDATES).map(DataFrame::height);
    assert_eq!(t, Some(0));
    assert!(run(None, &tx()?, as_of(), &params()?)?.tables.is_empty());
    let off = CandidateParams {
        enabled: false,
        ..CandidateParams::default()
    }
    .check()?;
    assert!(
        run(Some(&customers), &tx()?, as_of(), &off)?
            .tables
            .is_empty()
    );
    Ok(())
}

#[test]
fn skipped_blocks_are_a_note() -> Result<()> {
    let ids: Vec<String> = (0..3).map(|i| format!("S{i}")).collect();
    let customers = df![s::CUSTOMER_ID => ids, s::NAME => ["Station"; 3]]?;
    let small = CandidateParams {
        max_block_size: 2,
        ..CandidateParams::default()
    }
    .check()?;
    let out = run(Some(&customers), &tx()?, as_of(), &small)?;
    let note = out
        .summary
        .iter()
        .find_map(Line::note_text)
        .unwrap_or_default();
    assert!(note.contains("max_block_size (2)"), "{note}");
    assert!(note.contains("name 'station' (3 customers)"), "{note}");
    Ok(())
}
