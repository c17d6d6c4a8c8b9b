//! Tests of report.xlsx and the workbook helpers.
use super::*;
use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;

type R = std::result::Result<(), Box<dyn std::error::Error>>;

#[test]
fn formula_like_text_is_neutralised_and_numbers_stay_numbers() -> R {
    assert!(needs_neutralising("=1+1"));
    assert!(needs_neutralising("@SUM(A1)"));
    assert!(needs_neutralising("\tx"));
    assert!(!needs_neutralising("Acme = good"));
    let df = df!(
        "name" => ["=HYPERLINK(\"http://x\",\"y\")", "-2+3", "Acme"],
        "amount" => [-5.0, 1234.5, 0.0],
        "share_of_capacity" => [0.25, 0.5, 0.0],
    )?;
    let (bytes, notes) = workbook(
        &[("as_of".into(), "2026-01-01".into())],
        &[("customers", &df)],
        Some("2026-01-01"),
    )?;
    assert!(notes.is_empty());
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes))?;
    assert_eq!(book.sheet_names(), ["summary", "customers"]);
    let range = book.worksheet_range("customers")?;
    assert_eq!(
        range.get((1, 0)),
        Some(&Data::String("=HYPERLINK(\"http://x\",\"y\")".into()))
    );
    assert_eq!(range.get((2, 0)), Some(&Data::String("-2+3".into())));
    assert_eq!(range.get((1, 1)), Some(&Data::Float(-5.0)));
    let formulas = book.worksheet_formula("customers")?;
    assert!(
        formulas.cells().all(|(_, _, f)| f.is_empty()),
        "a cell holds a formula"
    );
    Ok(())
}

#[test]
fn creation_date_comes_from_as_of_not_the_clock() -> R {
    let df = df!("x" => [1i64])?;
    let a = workbook(&[], &[("t", &df)], Some("2026-01-01"))?.0;
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let b = workbook(&[], &[("t", &df)], Some("2026-01-01"))?.0;
    assert!(a == b, "two builds differ");
    assert!(created(Some("garbage")).is_ok());
    Ok(())
}

#[test]
fn long_tables_are_cut_with_a_note() -> R {
    let n = MAX_SHEET_ROWS as i64 + 1;
    let df = df!("x" => (0..n).collect::<Vec<i64>>())?;
    let (bytes, notes) = workbook(&[], &[("customers", &df)], None)?;
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("first 50000 of 50001 rows"));
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes))?;
    assert_eq!(
        book.worksheet_range("customers")?.height(),
        MAX_SHEET_ROWS + 1
    );
    Ok(())
}

#[test]
fn sheet_names_are_valid_and_unique() {
    let taken = vec!["summary".to_string()];
    assert_eq!(
        sheet_name("models/calibration_by_frequency", &taken),
        "calibration_by_frequency"
    );
    assert_eq!(sheet_name("Summary", &taken), "Summary (2)");
    assert_eq!(sheet_name("a:b", &[]), "a_b");
    assert_eq!(sheet_name(&"x".repeat(40), &[]).len(), 31);
}
