use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
}

fn manifest(extra: &str) -> serde_json::Value {
    let text = format!(
        r#"{{"as_of": "2025-06-01", "time_unit": "weeks",
            "tables": {{"transactions": {{"read": 10, "used": 8, "rejected": 2,
                         "rejected_by_check": {{"date: not a date": 2}}}}{extra}}},
            "notes": ["transactions: 3 of unknown customers kept", "customers: other"]}}"#
    );
    serde_json::from_str(&text).unwrap_or_default()
}

#[test]
fn job_facts_read_as_of_counts_and_the_transactions_notes() -> Result<()> {
    let f = job_facts(&manifest(""), Path::new("m.json"))?;
    assert_eq!(f.as_of, d(2025, 6, 1));
    assert_eq!(f.time_unit, "weeks");
    let t = &f.tables["transactions"];
    assert_eq!((t.read, t.used, t.rejected), (10, 8, 2));
    assert_eq!(t.rejected_by_check["date: not a date"], 2);
    assert_eq!(f.notes, vec!["3 of unknown customers kept".to_string()]);
    Ok(())
}

#[test]
fn a_manifest_that_does_not_reconcile_or_lacks_a_date_is_refused() {
    let bad = manifest(r#", "customers": {"read": 5, "used": 3, "rejected": 1}"#);
    let e = job_facts(&bad, Path::new("m.json"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("tables.customers: read 5 is not used 3 + rejected 1"),
        "{e}"
    );
    let mut no_date = manifest("");
    no_date["as_of"] = serde_json::Value::Null;
    let e = job_facts(&no_date, Path::new("m.json"))
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("m.json: has no as_of"), "{e}");
}

#[test]
fn another_as_of_or_time_unit_is_refused_with_the_fix() -> Result<()> {
    let f = job_facts(&manifest(""), Path::new("m.json"))?;
    let p = Path::new("m.json");
    assert!(agrees(&f, None, TimeUnit::Weeks, p).is_ok());
    assert!(agrees(&f, Some(d(2025, 6, 1)), TimeUnit::Weeks, p).is_ok());
    let e = agrees(&f, Some(d(2025, 1, 1)), TimeUnit::Weeks, p)
        .unwrap_err()
        .to_string();
    assert!(e.contains("--as-of 2025-01-01"), "{e}");
    let e = agrees(&f, None, TimeUnit::Days, p).unwrap_err().to_string();
    assert!(
        e.contains("time_unit \"weeks\", this run's is \"days\""),
        "{e}"
    );
    Ok(())
}

/// A feature table of two customers, one without purchases, in kam's types.
fn features() -> Result<DataFrame> {
    let empty = DataFrame::new_infer_height(vec![
        Column::new(s::CUSTOMER_ID.into(), ["A", "A", "B"]),
        Column::new(
            s::DATE.into(),
            [d(2025, 1, 1), d(2025, 3, 1), d(2025, 2, 1)],
        ),
        Column::new(s::AMOUNT.into(), [10.0, 20.0, -5.0]),
    ])?;
    super::super::customer_table(&empty, None, d(2025, 6, 1), TimeUnit::Weeks)
}

#[test]
fn kams_own_features_pass_and_a_broken_value_names_row_and_column() -> Result<()> {
    let t = features()?;
    let f = Path::new("features");
    let ok = checked_features(&t, f, d(2025, 6, 1), TimeUnit::Weeks)?;
    assert_eq!(ok.width(), 1 + s::FEATURES.len());
    // B bought nothing: a frequency there contradicts its blank first_purchase
    let mut bad = t.clone();
    bad.with_column(Column::new(s::FREQUENCY.into(), [Some(1i64), Some(0)]))?;
    let e = checked_features(&bad, f, d(2025, 6, 1), TimeUnit::Weeks)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("row 2, column frequency: 0 is blank exactly when"),
        "{e}"
    );
    // a last purchase after the features' as_of
    let e = checked_features(&t, f, d(2025, 2, 1), TimeUnit::Weeks)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("row 1, column last_purchase: 2025-03-01 is after as_of"),
        "{e}"
    );
    Ok(())
}
