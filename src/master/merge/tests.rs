//! The fold on tiny validated tables: re-keying, one customers row per survivor, counts.

use polars::prelude::*;

use super::*;
use crate::error::Error;
use crate::io::load::FileInfo;
use crate::schema::TableSpec;
use crate::validate::{Counts, ValidTable};

fn table(spec: &'static TableSpec, clean: DataFrame) -> ValidTable {
    let n = clean.height() as u64;
    ValidTable {
        spec,
        clean,
        rejects: DataFrame::empty(),
        counts: Counts {
            read: n,
            used: n,
            ..Counts::default()
        },
        notes: vec![],
        file: FileInfo {
            path: format!("{}.csv", spec.name),
            bytes: 0,
            blake3: String::new(),
        },
    }
}

fn validation(tables: Vec<ValidTable>) -> Validation {
    Validation {
        tables,
        as_of: None,
    }
}

fn merges(pairs: &[(&str, &str)]) -> Result<ValidTable> {
    let from: Vec<&str> = pairs.iter().map(|p| p.0).collect();
    let to: Vec<&str> = pairs.iter().map(|p| p.1).collect();
    Ok(table(
        &s::CUSTOMER_MERGES,
        df![s::CUSTOMER_ID => from, s::MERGE_INTO => to]?,
    ))
}

fn company(pairs: &[(&str, &str)]) -> Result<Validation> {
    let customers = df![
        s::CUSTOMER_ID => ["A", "B", "C", "D"],
        s::NAME => [Some("Acme Co."), None, Some("ACME"), Some("Delta")],
        s::DISTRICT => [None, Some("North"), Some("South"), None],
    ]?;
    let tx = df![
        s::CUSTOMER_ID => ["A", "B", "C", "D", "A", "X"],
        s::AMOUNT => [1.0, 2.0, 4.0, 8.0, 16.0, 32.0],
    ]?;
    Ok(validation(vec![
        table(&s::CUSTOMERS, customers),
        table(&s::TRANSACTIONS, tx),
        merges(pairs)?,
    ]))
}

fn ids(v: &Validation, t: &str) -> Result<Vec<String>> {
    let t = v.table(t).ok_or(Error::Internal("no table".into()))?;
    crate::frame::strings(&t.clean, s::CUSTOMER_ID)
        .map(|c| c.into_iter().map(Option::unwrap_or_default).collect())
}

#[test]
fn without_a_merge_map_nothing_changes() -> Result<()> {
    let mut v = company(&[])?;
    v.tables.pop();
    let (v, report) = fold(v)?;
    assert!(report.is_none());
    assert_eq!(ids(&v, "customers")?, ["A", "B", "C", "D"]);
    Ok(())
}

#[test]
fn a_chain_rekeys_every_table_and_keeps_one_customer_row_per_survivor() -> Result<()> {
    // A -> B -> C: A and B fold into C
    let (v, report) = fold(company(&[("A", "B"), ("B", "C")])?)?;
    assert_eq!(ids(&v, "transactions")?, ["C", "C", "C", "D", "C", "X"]);
    assert_eq!(ids(&v, "customers")?, ["C", "D"]);
    let r = report.ok_or(Error::Internal("no report".into()))?;
    assert_eq!(
        (r.ids_merged, r.surviving_ids, r.customers_folded),
        (2, 1, 2)
    );
    assert_eq!(r.rows_rekeyed["transactions"], 3);
    assert_eq!(r.rows_rekeyed["customers"], 2);
    assert_eq!((r.map_rows_read, r.map_rows_used, r.ids_unknown), (2, 2, 0));
    Ok(())
}

#[test]
fn the_survivor_keeps_its_own_values_and_fills_blanks_from_merged_rows() -> Result<()> {
    // C's own row: name ACME, district South; A and B hold other values that lose
    let (v, _) = fold(company(&[("A", "C"), ("B", "C")])?)?;
    let c = &v
        .table("customers")
        .ok_or(Error::Internal("x".into()))?
        .clean;
    assert_eq!(
        crate::frame::strings(c, s::NAME)?,
        [Some("ACME".into()), Some("Delta".into())]
    );
    // D has no district and no merged rows: it stays blank
    assert_eq!(
        crate::frame::strings(c, s::DISTRICT)?,
        [Some("South".into()), None]
    );
    let (v, _) = fold(company(&[("B", "A")])?)?;
    let c = &v
        .table("customers")
        .ok_or(Error::Internal("x".into()))?
        .clean;
    // A's blank district is filled from B
    assert_eq!(
        crate::frame::strings(c, s::CUSTOMER_ID)?[0],
        Some("A".into())
    );
    assert_eq!(
        crate::frame::strings(c, s::DISTRICT)?[0],
        Some("North".into())
    );
    Ok(())
}

#[test]
fn a_survivor_without_a_row_takes_the_first_merged_row_in_file_order() -> Result<()> {
    // Z is in no table: A (first in the file) gives its name, B fills A's blank district
    let (v, report) = fold(company(&[("B", "Z"), ("A", "Z")])?)?;
    let c = &v
        .table("customers")
        .ok_or(Error::Internal("x".into()))?
        .clean;
    assert_eq!(ids(&v, "customers")?, ["Z", "C", "D"]);
    assert_eq!(
        crate::frame::strings(c, s::NAME)?[0],
        Some("Acme Co.".into())
    );
    assert_eq!(
        crate::frame::strings(c, s::DISTRICT)?[0],
        Some("North".into())
    );
    let r = report.ok_or(Error::Internal("no report".into()))?;
    assert_eq!(
        (r.ids_unknown, r.ids_unknown_examples.clone()),
        (1, vec!["Z".into()])
    );
    Ok(())
}

#[test]
fn map_ids_in_no_table_are_counted_not_an_error() -> Result<()> {
    let (v, report) = fold(company(&[("Q", "R"), ("A", "C")])?)?;
    let r = report.ok_or(Error::Internal("no report".into()))?;
    assert_eq!(r.ids_unknown, 2);
    assert_eq!(r.ids_unknown_examples, ["Q", "R"]);
    // a survivor takes the place of the first of its rows in the file (A's)
    assert_eq!(ids(&v, "customers")?, ["C", "B", "D"]);
    let notes: Vec<String> = output(&r)
        .summary
        .iter()
        .filter_map(|l| l.note_text())
        .collect();
    assert_eq!(
        notes,
        ["customer_merges: 2 ids of the merge map are in no table (e.g. Q, R)"]
    );
    Ok(())
}

#[test]
fn a_cycle_stops_the_fold() -> Result<()> {
    match fold(company(&[("A", "B"), ("B", "A")])?) {
        Err(Error::MergeCycle { ids }) => assert_eq!(ids, ["A", "B", "A"]),
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("a cycle was folded"),
    }
    Ok(())
}

#[test]
fn deals_without_a_customer_id_column_are_left_alone() -> Result<()> {
    let mut v = company(&[("A", "C")])?;
    v.tables.push(table(&s::DEALS, df![s::DEAL_ID => ["D1"]]?));
    v.tables
        .push(table(&s::CAMPAIGNS, df![s::CAMPAIGN_ID => ["K1"]]?));
    let (v, report) = fold(v)?;
    let r = report.ok_or(Error::Internal("no report".into()))?;
    assert!(!r.rows_rekeyed.contains_key("deals"));
    assert_eq!(v.table("deals").map(|t| t.clean.height()), Some(1));
    Ok(())
}

#[test]
fn the_fold_is_deterministic() -> Result<()> {
    let p = [("A", "B"), ("B", "C"), ("D", "C")];
    let (a, ra) = fold(company(&p)?)?;
    let (b, rb) = fold(company(&p)?)?;
    assert_eq!(ra, rb);
    for t in ["customers", "transactions"] {
        let (x, y) = (a.table(t), b.table(t));
        assert!(
            x.zip(y)
                .is_some_and(|(x, y)| x.clean.equals_missing(&y.clean)),
            "{t}"
        );
    }
    Ok(())
}
