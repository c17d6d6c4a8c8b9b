//! Repeats found through the row hash equal the repeats of the text comparison: typed
//! columns, blank against missing text, rows rejected for other reasons.

use polars::prelude::*;

use super::super::{ValidTable, Validation, ValidationParams, validate};
use super::*;
use crate::error::{Error, Result};
use crate::io::InputParams;
use crate::io::load::load;

/// Load and validate the inputs of `settings` (TOML `[input.*]` tables) from `dir`.
fn run_files(settings: &str, dir: &std::path::Path) -> Result<Validation> {
    #[derive(serde::Deserialize)]
    struct Settings {
        input: std::collections::BTreeMap<String, InputParams>,
    }
    let s: Settings = toml::from_str(settings).map_err(|e| Error::Internal(e.to_string()))?;
    let mut raw = Vec::new();
    for (name, p) in &s.input {
        let spec = crate::schema::table(name).ok_or_else(|| Error::Internal(name.clone()))?;
        raw.push(load(&p.check(spec, dir)?)?);
    }
    validate(&raw, &ValidationParams::default().check()?, None)
}

/// The check of every rejected row, in row order.
fn checks(t: &ValidTable) -> Vec<String> {
    t.rejects
        .column("check")
        .ok()
        .and_then(|c| c.str().ok().cloned())
        .map(|c| c.iter().map(|s| s.unwrap_or("").to_string()).collect())
        .unwrap_or_default()
}

/// The validated transactions.
fn transactions(v: &Validation) -> Result<&ValidTable> {
    v.table("transactions")
        .ok_or_else(|| Error::Internal("no transactions".into()))
}

/// The row number of every rejected row, in order.
fn rejected_rows(t: &ValidTable) -> Result<Vec<Option<i64>>> {
    Ok(t.rejects.column("row")?.i64()?.iter().collect())
}

fn internal(e: impl std::fmt::Display) -> Error {
    Error::Internal(e.to_string())
}

/// The candidates of a frame whose rows 1 and 3 are equal and row 4 differs only in a
/// column kam does not read.
#[test]
fn equal_rows_hash_equal_and_a_rejected_row_is_no_candidate() -> Result<()> {
    let all = df![
        ROW_INTERNAL => [1i64, 2, 3, 4, 5],
        "a" => [Some("x"), Some("y"), Some("x"), Some("x"), None],
        "b" => [1.5, 2.0, 1.5, 1.5, 2.0],
        "c" => ["p", "p", "p", "q", "p"],
    ]?;
    let schema = all.schema().clone();
    let with_hash = all.lazy().with_column(row_hash(&schema)).collect()?;
    let every = BooleanChunked::full("ok".into(), true, 5);
    let mask = candidates(&with_hash, &every)?.map(|m| m.iter().collect::<Vec<_>>());
    let t = Some(true);
    let f = Some(false);
    assert_eq!(mask, Some(vec![t, f, t, f, f]));
    // row 3 rejected for another reason: row 1 has no twin among the used rows
    let ok: BooleanChunked = [true, true, false, true, true].into_iter().collect();
    assert!(candidates(&with_hash, &ok)?.is_none());
    Ok(())
}

/// From Parquet (typed columns): a missing text equals a blank one, as in the text of the
/// rows; -0 and 0 read differently and are two sales.
#[test]
fn parquet_rows_repeat_as_their_text_does() -> Result<()> {
    let mut df = df![
        "customer_id" => ["C1", "C1", "C1", "C2", "C2"],
        "date" => ["2025-01-05", "2025-01-05", "2025-01-05", "2025-01-06", "2025-01-06"],
        "amount" => [10.0, 10.0, 10.0, 0.0, -0.0],
        "note" => [Some("a"), Some(""), None, None, None],
    ]?
    .lazy()
    .with_column(col("date").str().to_date(StrptimeOptions::default()))
    .collect()?;
    let dir = tempfile::tempdir().map_err(internal)?;
    let path = dir.path().join("t.parquet");
    let file = std::fs::File::create(&path).map_err(internal)?;
    ParquetWriter::new(file).finish(&mut df)?;
    let v = run_files("[input.transactions]\npath = \"t.parquet\"\n", dir.path())?;
    let t = transactions(&v)?;
    assert_eq!((t.counts.read, t.counts.used, t.counts.rejected), (5, 4, 1));
    assert_eq!(checks(t), [DUPLICATE_ROW]);
    assert_eq!(rejected_rows(t)?, [Some(3)]);
    Ok(())
}

/// Two equal rows both cut as a far-ahead tail are rejected for that, once each, not also
/// as repeats (read = used + rejected).
#[test]
fn equal_rows_rejected_by_a_table_check_are_not_repeats_too() -> Result<()> {
    let mut csv = String::from("customer_id,date,amount\n");
    for d in 1..=28 {
        for m in 1..=9 {
            csv.push_str(&format!("C{d},2024-0{m}-{d:02},5\n"));
        }
    }
    csv.push_str("C1,2061-01-01,5\nC1,2061-01-01,5\n");
    let dir = tempfile::tempdir().map_err(internal)?;
    std::fs::write(dir.path().join("t.csv"), csv).map_err(internal)?;
    let v = run_files("[input.transactions]\npath = \"t.csv\"\n", dir.path())?;
    let t = transactions(&v)?;
    assert_eq!(
        (t.counts.read, t.counts.used, t.counts.rejected),
        (254, 252, 2)
    );
    assert_eq!(checks(t), [super::super::future::FAR_AHEAD; 2]);
    Ok(())
}

/// From CSV: values that would parse equal but read differently
/// (1.5 and 1.50, a padded id, another date spelling) are different rows; the exact repeat is
/// the one rejected, naming its first row.
#[test]
fn csv_rows_that_parse_equal_but_read_differently_are_not_repeats() -> Result<()> {
    let csv = "customer_id,date,amount,note\n\
               C1,2025-01-05,1.5,a\n\
               C1,2025-01-05,1.50,a\n\
               \" C1\",2025-01-05,1.5,a\n\
               C1,2025-01-05 00:00:00,1.5,a\n\
               C1,2025-01-05,1.5,a\n\
               C1,2025-01-05,1.5,\n";
    let dir = tempfile::tempdir().map_err(internal)?;
    std::fs::write(dir.path().join("t.csv"), csv).map_err(internal)?;
    let v = run_files("[input.transactions]\npath = \"t.csv\"\n", dir.path())?;
    let t = transactions(&v)?;
    assert_eq!((t.counts.read, t.counts.used, t.counts.rejected), (6, 5, 1));
    assert_eq!(checks(t), [DUPLICATE_ROW]);
    assert_eq!(rejected_rows(t)?, [Some(5)]);
    let reason: Vec<Option<&str>> = t.rejects.column("reason")?.str()?.iter().collect();
    assert_eq!(reason, [Some("repeats row 1 in every column")]);
    Ok(())
}

/// The row hashes computed in runs of rows on every core are those of one pass over whole
/// columns (strings with missing values, floats, small integers, booleans, dates).
#[test]
fn row_hashes_in_runs_are_those_of_one_pass() {
    let n = 3 * super::HASH_RUN + 17;
    let text: Vec<Option<String>> = (0..n)
        .map(|i| (i % 7 != 0).then(|| format!("C{:05}", i % 9_973)))
        .collect();
    let amount: Vec<f64> = (0..n).map(|i| (i % 1_000) as f64 * 0.25).collect();
    let small: Vec<i32> = (0..n).map(|i| (i % 300) as i32).collect();
    let flag: Vec<bool> = (0..n).map(|i| i % 3 == 0).collect();
    let mut cols = vec![
        Column::new("t".into(), text),
        Column::new("a".into(), amount),
        Column::new("s".into(), small)
            .cast(&DataType::Int16)
            .unwrap(),
        Column::new("b".into(), flag),
        Column::new("d".into(), (0..n as i32).collect::<Vec<_>>())
            .cast(&DataType::Date)
            .unwrap(),
    ];
    let mut one_pass = vec![0u64; n];
    for c in &cols {
        let s = c.as_materialized_series().to_physical_repr().into_owned();
        super::hash_into(&s, &mut one_pass).unwrap();
    }
    let runs = super::hash_columns(&mut cols).unwrap();
    let runs: Vec<u64> = runs.u64().unwrap().into_no_null_iter().collect();
    assert!(runs == one_pass, "hashes in runs differ from one pass");
}
