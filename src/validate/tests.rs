//! Validation on tiny inline files: every row used or rejected with its reason.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::*;
use crate::io::InputParams;
use crate::io::load::load;

fn io_err(e: std::io::Error) -> Error {
    Error::Internal(e.to_string())
}

/// The part of kam.toml validation reads: the run date, the inputs, `[validation]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    #[serde(default)]
    as_of: Option<String>,
    input: BTreeMap<String, InputParams>,
    #[serde(default)]
    validation: ValidationParams,
}

/// Write `files` (name, content) into a temp dir, read the settings, load and validate.
fn run(settings: &str, files: &[(&str, &str)]) -> Result<(Validation, tempfile::TempDir)> {
    let dir = tempfile::tempdir().map_err(io_err)?;
    for (name, content) in files {
        std::fs::write(dir.path().join(name), content).map_err(io_err)?;
    }
    let s: Settings = toml::from_str(settings).map_err(|e| Error::Internal(e.to_string()))?;
    let mut raw = Vec::new();
    for (name, p) in &s.input {
        let spec = schema::table(name).ok_or_else(|| Error::Internal(name.clone()))?;
        raw.push(load(&p.check(spec, dir.path())?)?);
    }
    let as_of = s.as_of.as_deref().and_then(schema::parse_iso_date);
    Ok((validate(&raw, &s.validation.check()?, as_of)?, dir))
}

const TX: &str = "[input.transactions]\npath = \"t.csv\"\n";

fn reasons(t: &ValidTable) -> Vec<String> {
    t.rejects
        .column("reason")
        .ok()
        .and_then(|c| c.str().ok().cloned())
        .map(|c| c.iter().map(|s| s.unwrap_or("").to_string()).collect())
        .unwrap_or_default()
}

fn tx(v: &Validation) -> Result<&ValidTable> {
    v.table("transactions")
        .ok_or_else(|| Error::Internal("no transactions".into()))
}

#[test]
fn bad_rows_are_rejected_with_reasons_and_counts_reconcile() -> Result<()> {
    let csv = "customer_id,date,amount\n\
               C1,2025-01-02,100\n\
               ,2025-01-03,5\n\
               C2,2025-13-01,5\n\
               C3,2025-01-04,abc\n\
               C4,2025-01-05,NaN\n\
               C5,2025-01-06,-20\n";
    let (v, _d) = run(TX, &[("t.csv", csv)])?;
    let t = tx(&v)?;
    assert_eq!((t.counts.read, t.counts.used, t.counts.rejected), (6, 2, 4));
    assert_eq!(
        reasons(t),
        [
            "customer_id is blank",
            "date '2025-13-01' is not a date (%Y-%m-%d)",
            "amount 'abc' is not a number",
            "amount 'NaN' is not a finite number",
        ]
    );
    let rows: Vec<Option<i64>> = t.rejects.column("row")?.i64()?.iter().collect();
    assert_eq!(rows, [Some(2), Some(3), Some(4), Some(5)]);
    // original fields are kept as text
    assert_eq!(t.rejects.column("amount")?.str()?.get(2), Some("abc"));
    // the negative amount is a return, kept
    let amounts: Vec<Option<f64>> = t.clean.column("amount")?.f64()?.iter().collect();
    assert_eq!(amounts, [Some(100.0), Some(-20.0)]);
    assert_eq!(v.as_of, chrono::NaiveDate::from_ymd_opt(2025, 1, 7));
    Ok(())
}

#[test]
fn mapped_columns_formats_and_amount_from_quantity_times_price() -> Result<()> {
    let cfg = "[input.transactions]\npath = \"t.csv\"\ndelimiter = \";\"\n\
               date_format = \"%m/%d/%Y %H:%M\"\n\
               [input.transactions.columns]\ncustomer_id = \"Customer ID\"\ndate = \"InvoiceDate\"\n\
               quantity = \"Quantity\"\nunit_price = \"Price\"\norder_id = \"Invoice\"\n";
    let csv = "Invoice;Customer ID;InvoiceDate;Quantity;Price\n\
               536365;17850;12/01/2010 08:26;6;2.55\n\
               C536379;17850;12/01/2010 09:41;-1;27.50\n\
               536366;;12/01/2010 08:28;6;1.85\n";
    let (v, _d) = run(cfg, &[("t.csv", csv)])?;
    let t = tx(&v)?;
    assert_eq!((t.counts.used, t.counts.rejected), (2, 1));
    let a: Vec<Option<f64>> = t.clean.column("amount")?.f64()?.iter().collect();
    assert!((a[0].unwrap_or(0.0) - 15.3).abs() < 1e-9);
    assert!((a[1].unwrap_or(0.0) + 27.5).abs() < 1e-9);
    assert_eq!(reasons(t), ["customer_id ('Customer ID') is blank"]);
    Ok(())
}

#[test]
fn missing_column_names_file_mapping_and_found_columns() {
    let cfg =
        "[input.transactions]\npath = \"t.csv\"\ncolumns = { customer_id = \"CustomerID\" }\n";
    let err = run(cfg, &[("t.csv", "Customer,date,amount\nC1,2025-01-01,1\n")])
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("t.csv: missing required column 'customer_id' (mapped to 'CustomerID'); found columns: Customer, date, amount"), "{err}");
}

#[test]
fn wrong_delimiter_is_diagnosed() {
    let err = run(
        TX,
        &[("t.csv", "customer_id;date;amount\nC1;2025-01-01;1\n")],
    )
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(err.contains("set delimiter = \";\""), "{err}");
}

#[test]
fn after_as_of_and_implausible_values_are_rejected() -> Result<()> {
    let cfg = format!(
        "as_of = \"2025-01-31\"\n{TX}[validation]\nmax_abs_amount = 1e6\nmin_date = \"2000-01-01\"\n"
    );
    let csv = "customer_id,date,amount\nC1,2025-01-02,1\nC1,2025-02-02,1\nC1,2025-01-03,5e9\nC1,1970-01-01,1\n";
    let (v, _d) = run(&cfg, &[("t.csv", csv)])?;
    let t = tx(&v)?;
    assert_eq!(t.counts.used, 1);
    assert_eq!(
        reasons(t),
        [
            "date '2025-02-02' is after as_of (2025-01-31)",
            "amount '5000000000.0' is beyond validation.max_abs_amount (1000000)",
            "date '1970-01-01' is before validation.min_date (2000-01-01)",
        ]
    );
    Ok(())
}

/// Regression: a sale dated in the year 1 (or 1200, or 3000) passed the date checks, since a
/// date literal compares through nanosecond datetimes, which wrap outside 1677-2262.
#[test]
fn dates_far_from_today_are_still_checked() -> Result<()> {
    let cfg = format!("as_of = \"2025-01-31\"\n{TX}");
    let csv = "customer_id,date,amount\nC1,2025-01-02,1\nC1,0001-01-01,5\nC1,1200-06-01,5\nC1,3000-01-01,5\n";
    let (v, _d) = run(&cfg, &[("t.csv", csv)])?;
    let t = tx(&v)?;
    assert_eq!(t.counts.used, 1);
    assert_eq!(
        reasons(t),
        [
            "date '0001-01-01' is before validation.min_date (1990-01-01)",
            "date '1200-06-01' is before validation.min_date (1990-01-01)",
            "date '3000-01-01' is more than validation.max_future_days (366) after as_of (2025-01-31)",
        ]
    );
    Ok(())
}

/// With an `as_of`, a date a few days after it is outside the run; one more than
/// `max_future_days` after it is a typo, and says so.
#[test]
fn far_future_dates_are_rejected_after_as_of() -> Result<()> {
    let cfg = format!("as_of = \"2025-01-31\"\n{TX}[validation]\nmax_future_days = 30\n");
    let csv = "customer_id,date,amount\nC1,2025-01-02,1\nC1,2025-02-20,1\nC1,2025-03-05,1\n";
    let (v, _d) = run(&cfg, &[("t.csv", csv)])?;
    let t = tx(&v)?;
    assert_eq!(
        reasons(t),
        [
            "date '2025-02-20' is after as_of (2025-01-31)",
            "date '2025-03-05' is more than validation.max_future_days (30) after as_of (2025-01-31)",
        ]
    );
    assert_eq!(t.counts.rejected_by_check.get(future::FAR_AHEAD), Some(&1));
    Ok(())
}

/// Without an `as_of`, one sale typed as 2052 among three years of history would move the
/// run's date 27 years ahead: it is rejected, and the run stands on the day after the rest.
#[test]
fn a_stray_far_future_sale_does_not_move_the_run_date() -> Result<()> {
    let mut csv = String::from("customer_id,date,amount\n");
    let start = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or_default();
    for i in 0..300 {
        let d = start + chrono::Duration::days(i * 3);
        csv.push_str(&format!("C{},{d},10\n", i % 7));
    }
    csv.push_str("C1,2052-06-01,10\n");
    let (v, _d) = run(TX, &[("t.csv", &csv)])?;
    let t = tx(&v)?;
    assert_eq!((t.counts.used, t.counts.rejected), (300, 1));
    let last = start + chrono::Duration::days(299 * 3);
    assert_eq!(
        reasons(t),
        [format!(
            "date '2052-06-01' is more than validation.max_future_days (366) after {last}, \
             where the rest of the history ends"
        )]
    );
    assert_eq!(v.as_of, Some(last + chrono::Duration::days(1)));
    // a ten-year pause with half the history after it is history, not a typo
    let mut csv = String::from("customer_id,date,amount\n");
    for i in 0..100 {
        let early = start - chrono::Duration::days(4000 - i);
        let late = start + chrono::Duration::days(i);
        csv.push_str(&format!("C1,{early},10\nC2,{late},10\n"));
    }
    let (v, _d) = run(TX, &[("t.csv", &csv)])?;
    assert_eq!(tx(&v)?.counts.rejected, 0);
    Ok(())
}

/// Two monthly extracts that overlap in February, concatenated: each sale is used once, the
/// repeats are rejected naming their first row; `note` keeps them with a note, `keep` silently.
#[test]
fn overlapping_exports_give_each_sale_once() -> Result<()> {
    let jan_feb = "C1,2025-01-05,10\nC2,2025-02-03,20\nC2,2025-02-03,20\n";
    let feb_mar = "C2,2025-02-03,20\nC2,2025-02-03,20\nC3,2025-03-09,30\n";
    let csv = format!("customer_id,date,amount\n{jan_feb}{feb_mar}");
    let (v, _d) = run(TX, &[("t.csv", &csv)])?;
    let t = tx(&v)?;
    // C2 bought 20 on 3 February once; every later copy is a repeat of row 2
    assert_eq!((t.counts.read, t.counts.used, t.counts.rejected), (6, 3, 3));
    assert_eq!(reasons(t), ["repeats row 2 in every column"; 3]);
    let amounts: Vec<Option<f64>> = t
        .clean
        .column(crate::schema::AMOUNT)?
        .f64()?
        .iter()
        .collect();
    assert_eq!(amounts, [Some(10.0), Some(20.0), Some(30.0)]);
    let (v, _d) = run(
        &format!("{TX}[validation]\nduplicate_transactions = \"note\"\n"),
        &[("t.csv", &csv)],
    )?;
    let t = tx(&v)?;
    assert_eq!(t.counts.used, 6);
    assert!(
        t.notes.iter().any(|n| n.starts_with("3 rows repeat")),
        "{:?}",
        t.notes
    );
    let (v, _d) = run(
        &format!("{TX}[validation]\nduplicate_transactions = \"keep\"\n"),
        &[("t.csv", &csv)],
    )?;
    assert_eq!((tx(&v)?.counts.used, tx(&v)?.notes.len()), (6, 0));
    Ok(())
}

/// Rows that differ in any column of the file, even one kam does not read, are separate sales.
#[test]
fn rows_differing_in_any_file_column_are_not_repeats() -> Result<()> {
    let csv = "customer_id,date,amount,line\nC1,2025-01-05,10,1\nC1,2025-01-05,10,2\n";
    let (v, _d) = run(TX, &[("t.csv", csv)])?;
    assert_eq!(tx(&v)?.counts.used, 2);
    Ok(())
}

#[test]
fn a_history_longer_than_max_span_years_is_noted() -> Result<()> {
    let csv = "customer_id,date,amount\nC1,1991-01-02,1\nC1,2025-01-03,5\n";
    let (v, _d) = run(TX, &[("t.csv", csv)])?;
    let notes = &tx(&v)?.notes;
    assert!(
        notes
            .iter()
            .any(|n| n.contains("span 34 years") && n.contains("max_span_years (30)")),
        "{notes:?}"
    );
    let (v, _d) = run(
        &format!("{TX}[validation]\nmax_span_years = 40\n"),
        &[("t.csv", csv)],
    )?;
    assert!(tx(&v)?.notes.is_empty());
    Ok(())
}

#[test]
fn duplicate_customers_keep_the_first_and_unknown_customers_are_kept_and_counted() -> Result<()> {
    let cfg = format!("{TX}[input.customers]\npath = \"c.csv\"\n");
    let customers = "customer_id,name,payment_terms,shares_resources,region\n\
                     C1,Acme,Cash,yes,N\nC2,Beta,credit,no,S\nC1,Acme again,cash,no,N\nC3,Gamma,barter,no,S\n";
    let csv = "customer_id,date,amount\nC1,2025-01-02,1\nC9,2025-01-03,2\n";
    let (v, _d) = run(&cfg, &[("t.csv", csv), ("c.csv", customers)])?;
    let c = v
        .table("customers")
        .ok_or_else(|| Error::Internal("c".into()))?;
    assert_eq!((c.counts.used, c.counts.rejected), (2, 2));
    assert_eq!(
        reasons(c),
        [
            "duplicate customer_id (first on row 1)",
            "payment_terms 'barter' is not one of cash, prepay, credit",
        ]
    );
    // extra columns pass through; payment terms normalised
    assert_eq!(c.clean.column("region")?.str()?.get(0), Some("N"));
    assert_eq!(c.clean.column("payment_terms")?.str()?.get(0), Some("cash"));
    let t = tx(&v)?;
    assert_eq!(t.counts.used, 2);
    assert_eq!(t.notes.len(), 1, "{:?}", t.notes);
    assert!(t.notes[0].starts_with("1 transactions of customers not in"));
    Ok(())
}

#[test]
fn unknown_customers_can_be_rejected() -> Result<()> {
    let cfg = format!(
        "{TX}[input.customers]\npath = \"c.csv\"\n[validation]\nunknown_customers = \"reject\"\n"
    );
    let (v, _d) = run(
        &cfg,
        &[
            (
                "t.csv",
                "customer_id,date,amount\nC1,2025-01-02,1\nC9,2025-01-03,2\n",
            ),
            ("c.csv", "customer_id\nC1\n"),
        ],
    )?;
    assert_eq!(
        reasons(tx(&v)?),
        ["customer_id 'C9' is not in the customers table"]
    );
    Ok(())
}

#[test]
fn targets_need_units_below_company_level_and_unique_keys() -> Result<()> {
    let cfg = format!("{TX}[input.targets]\npath = \"g.csv\"\n");
    let g = "period,level,unit,metric,target\n2025-01,company,,revenue,100\n2025-01,district,,revenue,10\n\
             2025/01,company,,revenue,100\n2025-01,region,x,revenue,1\n";
    let (v, _d) = run(
        &cfg,
        &[
            ("t.csv", "customer_id,date,amount\nC1,2025-01-02,1\n"),
            ("g.csv", g),
        ],
    )?;
    let t = v
        .table("targets")
        .ok_or_else(|| Error::Internal("t".into()))?;
    assert_eq!(t.counts.used, 1);
    assert_eq!(t.clean.column("unit")?.str()?.get(0), Some("company"));
    assert_eq!(
        reasons(t),
        [
            "unit is blank for level 'district'",
            "duplicate period, level, unit, metric (first on row 1)",
            "level 'region' is not one of company, district, station, account_manager",
        ]
    );
    Ok(())
}

#[test]
fn no_usable_transactions_is_a_clear_error() -> Result<()> {
    let (v, _d) = run(TX, &[("t.csv", "customer_id,date,amount\n")])?;
    let e = v
        .transactions()
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert_eq!(
        e,
        "transactions: no usable rows (0 read, 0 rejected); see rejects/transactions.csv"
    );
    assert!(v.as_of.is_none());
    Ok(())
}

#[test]
fn whitespace_file_without_header_like_cdnow() -> Result<()> {
    let cfg = "[input.transactions]\npath = \"t.txt\"\ndelimiter = \"whitespace\"\nhas_header = false\n\
               date_format = \"%Y%m%d\"\ncolumns = { customer_id = \"column_1\", date = \"column_2\", quantity = \"column_3\", amount = \"column_4\" }\n";
    let txt = "   00001 19970101  1   11.77\r\n   00002 19970112  1   12.00\r\n   00002 19970112  5   77.00\r\n";
    let (v, _d) = run(cfg, &[("t.txt", txt)])?;
    let t = tx(&v)?;
    assert_eq!(t.counts.used, 3);
    assert_eq!(t.clean.column("customer_id")?.str()?.get(1), Some("00002"));
    assert!(Path::new("x").is_relative());
    Ok(())
}

/// Found by fuzzing: a file with both `row` and `row_original` (the rejects' own first
/// columns and the name `row` is renamed to) failed with a data-engine error.
#[test]
fn file_columns_named_like_the_rejects_columns_keep_distinct_names() -> Result<()> {
    let csv = "customer_id,date,amount,row_original,check,reason,row\n\
               A,2024-01-01,10,x,y,z,1\n\
               A,2024-01-02,bad,1,2,3,5\n";
    let (v, _d) = run(TX, &[("t.csv", csv)])?;
    let t = tx(&v)?;
    assert_eq!((t.counts.used, t.counts.rejected), (1, 1));
    let names: Vec<&str> = t
        .rejects
        .get_column_names()
        .iter()
        .map(|n| n.as_str())
        .collect();
    let want = [
        "row",
        "check",
        "reason",
        "customer_id",
        "date",
        "amount",
        "row_original",
        "check_original",
        "reason_original",
        "row_original_original",
    ];
    assert_eq!(names, want);
    assert_eq!(t.rejects.column("row_original")?.str()?.get(0), Some("1"));
    assert_eq!(
        t.rejects.column("row_original_original")?.str()?.get(0),
        Some("5")
    );
    Ok(())
}

#[test]
fn used_transactions_keep_only_the_columns_stages_read() -> Result<()> {
    let csv = "customer_id,date,quantity,unit_price,order_id,product,channel\n\
               A,2024-01-01,2,5,o1,P.O 42.5,direct\n\
               B,2024-01-02,1,x,o2,P.C 32.5,depot\n";
    let (v, _dir) = run(TX, &[("t.csv", csv)])?;
    let t = tx(&v)?;
    // unit_price is still checked (B's price is no number), then dropped; product and channel
    // are kept for the products stage
    assert_eq!((t.counts.used, t.counts.rejected), (1, 1));
    let names: Vec<&str> = t
        .clean
        .get_column_names()
        .iter()
        .map(|n| n.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "customer_id",
            "date",
            "quantity",
            "order_id",
            "product",
            "channel",
            "amount"
        ]
    );
    assert_eq!(
        crate::frame::f64_at(&t.clean, schema::AMOUNT, 0),
        Some(10.0)
    );
    Ok(())
}

#[test]
fn feedback_scores_off_their_scale_are_rejected_with_their_reason() -> Result<()> {
    let cfg = format!("{TX}[input.feedback]\npath = \"f.csv\"\n");
    let tx_csv = "customer_id,date,amount\nC1,2025-01-02,100\n";
    let fb = "customer_id,date,kind,score,nps,resolved_on,topic,comment\n\
              C1,2025-01-02,survey,4,9,,,fine\n\
              C1,2025-01-03,survey,7,,,,\n\
              C1,2025-01-04,survey,,11,,,\n\
              C1,2025-01-05,complaint,,,2025-01-01,delivery,late\n\
              C1,2025-01-06,call,,,,,\n\
              C1,2025-01-07,Complaint,1,,,Quality,\"cracks, twice\"\n";
    let (v, _d) = run(&cfg, &[("t.csv", tx_csv), ("f.csv", fb)])?;
    let t = v
        .table("feedback")
        .ok_or_else(|| Error::Internal("no feedback".into()))?;
    assert_eq!((t.counts.read, t.counts.used, t.counts.rejected), (6, 2, 4));
    assert_eq!(
        reasons(t),
        [
            "score '7' is outside 1-5",
            "nps '11' is outside 0-10",
            "resolved_on is before date",
            "kind 'call' is not one of survey, complaint, praise, visit",
        ]
    );
    assert_eq!(
        t.counts.rejected_by_check.get("score: outside 1-5"),
        Some(&1)
    );
    // kinds and topics are read as codes
    let kinds: Vec<Option<&str>> = t.clean.column("kind")?.str()?.iter().collect();
    assert_eq!(kinds, [Some("survey"), Some("complaint")]);
    Ok(())
}
