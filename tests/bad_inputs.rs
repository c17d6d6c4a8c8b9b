//! The bad-input corpus (tests/fixtures/, written by make_fixtures.py): each case gives a clear
//! one-line error with exit code 2, or loads with every row used or rejected with its reason.

mod common;

use common::*;

/// How a case must end.
enum Expect {
    /// Exit 2 with this text in the one-line message.
    Fails(&'static str),
    /// Exit 0; transactions (read, used, rejected); reasons that must appear in the rejects.
    Loads((u64, u64, u64), &'static [&'static str]),
}
use Expect::*;

const CASES: &[(&str, Expect)] = &[
    ("empty_file", Fails("transactions.csv: the file is empty")),
    ("blank_lines_only", Fails("the file is empty")),
    (
        "header_only",
        Fails("transactions: no usable rows (0 read, 0 rejected)"),
    ),
    (
        "missing_column",
        Fails("missing required column 'date'; found columns: customer_id, amount"),
    ),
    ("wrong_delimiter", Fails("set delimiter = \";\"")),
    ("utf8_bom", Loads((3, 3, 0), &[])),
    ("crlf", Loads((3, 3, 0), &[])),
    ("gbk_declared", Loads((3, 3, 0), &[])),
    (
        "gbk_undeclared",
        Fails("customers.csv: line 2 is not valid UTF-8; set encoding"),
    ),
    ("quoted_newlines", Loads((3, 3, 0), &[])),
    (
        "bad_dates",
        Loads(
            (5, 1, 4),
            &[
                "date '2025-02-30' is not a date (%Y-%m-%d)",
                "date 'yesterday' is not a date",
                "date '02/01/2025' is not a date",
                "date is blank",
            ],
        ),
    ),
    (
        "text_amounts",
        Loads(
            (4, 1, 3),
            &[
                "amount 'abc' is not a number",
                "amount '12,50' is not a number",
                "amount '$5' is not a number",
            ],
        ),
    ),
    (
        "nan_inf_amounts",
        Loads(
            (4, 1, 3),
            &[
                "amount 'NaN' is not a finite number",
                "amount 'inf' is not a finite number",
                "amount '-inf' is not a finite number",
            ],
        ),
    ),
    ("duplicate_customer_ids", Loads((3, 3, 0), &[])),
    (
        "absurd_values",
        Loads(
            (4, 1, 3),
            &[
                "is beyond validation.max_abs_amount",
                "date '1850-01-01' is before validation.min_date (1990-01-01)",
            ],
        ),
    ),
    (
        "truncated_last_line",
        Loads((2, 1, 1), &["date '2025-01-0' is not a date"]),
    ),
    (
        "ragged_rows",
        Loads(
            (3, 2, 1),
            &["row has 4 fields, the header has 3: C2,2025-01-03,2,extra"],
        ),
    ),
    (
        "short_rows",
        Loads((3, 1, 2), &["amount is blank", "date is blank"]),
    ),
    ("missing_file", Fails("nowhere.csv: file not found")),
    (
        "directory_as_file",
        Fails("adir: is a directory, not a file"),
    ),
    ("bad_config_syntax", Fails("kam.toml: line 1:")),
    ("unknown_config_key", Fails("unknown field `delimitter`")),
    (
        "after_as_of",
        Loads(
            (3, 2, 1),
            &["date '2025-02-01' is after as_of (2025-01-31)"],
        ),
    ),
    (
        "year_one",
        Loads(
            (3, 2, 1),
            &["date '0001-01-01' is before validation.min_date (1990-01-01)"],
        ),
    ),
    (
        "overlapping_extracts",
        Loads(
            (6, 4, 2),
            &[
                "repeats row 2 in every column",
                "repeats row 3 in every column",
            ],
        ),
    ),
    (
        "stray_future_year",
        Loads(
            (301, 300, 1),
            &[
                "date '2052-06-01' is more than validation.max_future_days (366) after 2024-11-20, where the rest of the history ends",
            ],
        ),
    ),
    (
        "all_rejected",
        Fails("transactions: no usable rows (3 read, 3 rejected)"),
    ),
    (
        "unknown_customers_rejected",
        Loads(
            (3, 2, 1),
            &["customer_id 'C2' is not in the customers table"],
        ),
    ),
    (
        "mapped_column_absent",
        Fails("missing required column 'order_id' (mapped to 'Invoice')"),
    ),
    ("binary_garbage", Fails("is not valid UTF-8")),
    ("duplicate_header", Loads((1, 1, 0), &[])),
    (
        "not_parquet",
        Fails("transactions.parquet: cannot be read as Parquet"),
    ),
    ("bad_targets_and_deals", Loads((3, 3, 0), &[])),
    (
        "wholesaler_export",
        Loads(
            (9, 6, 3),
            &[
                "customer_id ('Customer ID') is blank",
                "date ('InvoiceDate') '13/01/2009 09:42' is not a date (%m/%d/%Y %H:%M)",
                "quantity ('Quantity') is blank (amount = quantity x unit_price)",
            ],
        ),
    ),
    ("cdnow_whitespace", Loads((4, 4, 0), &[])),
    (
        "xlsx_blank_sheet",
        Fails("sales.xlsx: sheet 'Sheet1' is empty"),
    ),
    (
        "xlsx_named_sheet",
        Loads(
            (4, 2, 2),
            &[
                "amount ('Amount') 'n/a' is not a number",
                "amount ('Amount') is blank",
            ],
        ),
    ),
    (
        "xlsx_missing_sheet",
        Fails("has no sheet 'Sales'; sheets: Sheet1"),
    ),
    (
        "xlsx_not_a_workbook",
        Fails("sales.xlsx: is not a readable XLSX workbook"),
    ),
];

#[test]
fn corpus_has_at_least_25_cases_and_every_fixture_is_covered() {
    assert!(CASES.len() >= 25);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for entry in std::fs::read_dir(dir).expect("fixtures dir").flatten() {
        // fuzz/ is the fuzzing regression corpus, run by tests/fuzz.rs
        if entry.path().is_dir() && entry.file_name() != "fuzz" {
            let name = entry.file_name().to_string_lossy().into_owned();
            assert!(
                CASES.iter().any(|(c, _)| *c == name),
                "fixture {name} has no expectation"
            );
        }
    }
}

#[test]
fn every_bad_input_fails_clearly_or_is_accounted_for() {
    let mut failures = Vec::new();
    for (case, expect) in CASES {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("out");
        let cfg = fixture(case).join("kam.toml");
        let o = kam(&[
            "validate",
            "--config",
            cfg.to_str().unwrap_or(""),
            "--out",
            out.to_str().unwrap_or(""),
        ]);
        let result = std::panic::catch_unwind(|| match expect {
            Fails(msg) => {
                assert_eq!(o.code, 2, "{case}: exit code; stderr: {}", o.stderr);
                assert_clean_error(&o);
                assert!(
                    o.stderr.contains(msg),
                    "{case}: expected {msg:?} in {:?}",
                    o.stderr
                );
            }
            Loads(tx, reasons) => {
                assert_eq!(o.code, 0, "{case}: exit code; stderr: {}", o.stderr);
                assert!(o.stderr.is_empty(), "{case}: {}", o.stderr);
                assert_reconciles(&out);
                assert_eq!(
                    counts(&manifest(&out), "transactions"),
                    *tx,
                    "{case}: transactions counts"
                );
                let rejects = std::fs::read_to_string(out.join("rejects/transactions.csv"))
                    .unwrap_or_default();
                for r in *reasons {
                    assert!(
                        rejects.contains(r),
                        "{case}: expected reject reason {r:?} in\n{rejects}"
                    );
                }
            }
        });
        if result.is_err() {
            failures.push(*case);
        }
    }
    assert!(failures.is_empty(), "failing cases: {failures:?}");
}

#[test]
fn other_tables_reject_with_reasons() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let cfg = fixture("bad_targets_and_deals").join("kam.toml");
    let o = kam(&[
        "validate",
        "--config",
        cfg.to_str().unwrap_or(""),
        "--out",
        out.to_str().unwrap_or(""),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let m = manifest(&out);
    assert_eq!(counts(&m, "targets"), (5, 1, 4));
    assert_eq!(counts(&m, "deals"), (3, 1, 2));
    assert_eq!(counts(&m, "campaigns"), (3, 1, 2));
    let targets = std::fs::read_to_string(out.join("rejects/targets.csv")).unwrap_or_default();
    for r in [
        "period '2025-13' is not a month",
        "unit is blank for level 'station'",
        "metric 'profit' is not one of",
        "target '-5' is negative",
    ] {
        assert!(targets.contains(r), "{r} in {targets}");
    }
    let deals = std::fs::read_to_string(out.join("rejects/deals.csv")).unwrap_or_default();
    assert!(
        deals.contains("stage 'won' is not one of")
            && deals.contains("duplicate deal_id (first on row 1)"),
        "{deals}"
    );

    let cfg = fixture("duplicate_customer_ids").join("kam.toml");
    let o = kam(&[
        "validate",
        "--config",
        cfg.to_str().unwrap_or(""),
        "--out",
        out.to_str().unwrap_or(""),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(counts(&manifest(&out), "customers"), (4, 2, 2));
    let c = std::fs::read_to_string(out.join("rejects/customers.csv")).unwrap_or_default();
    assert!(
        c.contains("duplicate customer_id (first on row 1)") && c.contains("customer_id is blank"),
        "{c}"
    );
}

#[test]
fn encodings_are_decoded_into_the_outputs() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let cfg = fixture("gbk_declared").join("kam.toml");
    let o = kam(&[
        "run",
        "--config",
        cfg.to_str().unwrap_or(""),
        "--out",
        out.to_str().unwrap_or(""),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let c = std::fs::read_to_string(out.join("customers.csv")).unwrap_or_default();
    assert!(
        c.contains("华北水泥贸易有限公司") && c.contains("海淀"),
        "{c}"
    );

    let cfg = fixture("wholesaler_export").join("kam.toml");
    let o = kam(&[
        "run",
        "--config",
        cfg.to_str().unwrap_or(""),
        "--out",
        out.to_str().unwrap_or(""),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let c = std::fs::read_to_string(out.join("customers.csv")).unwrap_or_default();
    // 13085 bought 12 x 6.95 + 12 x 6.75 on one invoice; 16321 only cancelled (-12 x 2.95)
    assert!(c.contains("13085,"), "{c}");
    let line = c.lines().find(|l| l.starts_with("16321,")).unwrap_or("");
    assert!(line.contains(",-35.4,"), "{line}");
}

/// The reproduction: `kam run` on `customer_id,date,amount` with a sale dated
/// 0001-01-01 gave no answer in 300 s (the value stage walked two thousand years). The row is
/// rejected and the whole run finishes, with the run date from the remaining sales.
#[test]
fn a_sale_in_the_year_one_is_rejected_and_the_run_finishes() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let cfg = fixture("year_one").join("kam.toml");
    let o = kam(&[
        "run",
        "--quiet",
        "--config",
        cfg.to_str().unwrap_or(""),
        "--out",
        out.to_str().unwrap_or(""),
    ]);
    assert_eq!(o.code, 0, "stderr: {}", o.stderr);
    assert_reconciles(&out);
    assert_eq!(counts(&manifest(&out), "transactions"), (3, 2, 1));
    assert!(out.join("customers.csv").exists());
}
