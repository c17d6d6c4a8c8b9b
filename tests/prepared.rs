//! `kam run --features`: kam on the Spark feature job's output layout (made here with kam's
//! library, `common::prepared`) gives the outputs of `kam run` on the raw rows, and refuses a
//! feature table, aggregate or manifest that does not fit, in one line naming file, row and
//! column.

mod common;

use std::path::{Path, PathBuf};

use common::prepared::{job_output, write_parts};
use common::{counts, kam, manifest};
use polars::prelude::*;

const DEMO: &str = "data/demo/kam.toml";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A copy of the demo company without the transactions' product and channel columns: kam on
/// raw rows would weigh products, which the job's aggregates do not carry.
fn demo_without_products(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let demo = root().join("data/demo");
    for e in std::fs::read_dir(&demo).unwrap().flatten() {
        let name = e.file_name();
        if name == "transactions.csv" {
            continue;
        }
        if e.path().is_file() {
            std::fs::copy(e.path(), dir.join(name)).unwrap();
        }
    }
    let mut r = csv::Reader::from_path(demo.join("transactions.csv")).unwrap();
    let head = r.headers().unwrap().clone();
    let keep: Vec<usize> = (0..head.len())
        .filter(|&i| !["product", "channel"].contains(&&head[i]))
        .collect();
    let mut w = csv::Writer::from_path(dir.join("transactions.csv")).unwrap();
    w.write_record(keep.iter().map(|&i| &head[i])).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        w.write_record(keep.iter().map(|&i| &rec[i])).unwrap();
    }
    w.flush().unwrap();
    dir.join("kam.toml")
}

/// Every CSV under `a` (but the transactions' rejects, whose original columns differ) is in
/// `b` with the same header and cells: text equal, numbers within 1e-6 + 1e-9 |x| (kam
/// writes 6 decimals; sums of pre-aggregated rows may differ in the last bit).
fn assert_same_csvs(a: &Path, b: &Path) -> usize {
    let mut files = Vec::new();
    let mut dirs = vec![a.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "csv") {
                files.push(p.strip_prefix(a).unwrap().to_path_buf());
            }
        }
    }
    files.retain(|f| f != Path::new("rejects/transactions.csv"));
    files.sort();
    let mut bad = Vec::new();
    for f in &files {
        let read = |dir: &Path| {
            let mut r = csv::Reader::from_path(dir.join(f)).unwrap_or_else(|_| panic!("{f:?}"));
            let head = r.headers().unwrap().clone();
            let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
            (head, rows)
        };
        let ((ha, ra), (hb, rb)) = (read(a), read(b));
        assert_eq!(ha, hb, "{f:?}: headers differ");
        assert_eq!(ra.len(), rb.len(), "{f:?}: row counts differ");
        for (i, (x, y)) in ra.iter().zip(&rb).enumerate() {
            for (j, (u, v)) in x.iter().zip(y.iter()).enumerate() {
                let same = u == v
                    || match (u.parse::<f64>(), v.parse::<f64>()) {
                        (Ok(p), Ok(q)) => (p - q).abs() <= 1e-6 + 1e-9 * p.abs(),
                        _ => false,
                    };
                if !same {
                    bad.push(format!("{f:?} row {} {}: {u} vs {v}", i + 1, &ha[j]));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} cells differ: {:?}",
        bad.len(),
        &bad[..bad.len().min(20)]
    );
    files.len()
}

/// Every `models/*.json` of `a` equals `b`'s: the same keys and texts, numbers within
/// 1e-9 relative (1e-12 absolute).
fn assert_same_models(a: &Path, b: &Path) {
    fn same(x: &serde_json::Value, y: &serde_json::Value, at: &str, bad: &mut Vec<String>) {
        use serde_json::Value as V;
        match (x, y) {
            (V::Number(p), V::Number(q)) => {
                let (p, q) = (p.as_f64().unwrap(), q.as_f64().unwrap());
                if (p - q).abs() > 1e-12 + 1e-9 * p.abs() {
                    bad.push(format!("{at}: {p} vs {q}"));
                }
            }
            (V::Array(p), V::Array(q)) if p.len() == q.len() => {
                for (i, (u, v)) in p.iter().zip(q).enumerate() {
                    same(u, v, &format!("{at}[{i}]"), bad);
                }
            }
            (V::Object(p), V::Object(q)) if p.len() == q.len() => {
                for (k, u) in p {
                    match q.get(k) {
                        Some(v) => same(u, v, &format!("{at}.{k}"), bad),
                        None => bad.push(format!("{at}.{k}: missing")),
                    }
                }
            }
            _ if x == y => {}
            _ => bad.push(format!("{at}: {x} vs {y}")),
        }
    }
    let mut bad = Vec::new();
    let mut n = 0;
    for e in std::fs::read_dir(a.join("models")).unwrap().flatten() {
        let name = e.file_name();
        if !name.to_string_lossy().ends_with(".json") {
            continue;
        }
        let read = |d: &Path| -> serde_json::Value {
            serde_json::from_str(&std::fs::read_to_string(d.join("models").join(&name)).unwrap())
                .unwrap()
        };
        same(&read(a), &read(b), &name.to_string_lossy(), &mut bad);
        n += 1;
    }
    assert!(n >= 3, "only {n} models");
    assert!(
        bad.is_empty(),
        "{} model values differ: {:?}",
        bad.len(),
        &bad[..bad.len().min(20)]
    );
}

#[test]
fn features_run_equals_the_raw_run_on_the_demo() {
    let tmp = tempfile::tempdir().unwrap();
    let stripped = demo_without_products(&tmp.path().join("company"));
    let job = tmp.path().join("job");
    job_output(&root().join(DEMO), None, &job, 3);
    let (raw, feat) = (tmp.path().join("raw"), tmp.path().join("feat"));
    let r = kam(&["run", "--config", s(&stripped), "--out", s(&raw), "--quiet"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let f = kam(&[
        "run",
        "--config",
        DEMO,
        "--features",
        s(&job.join("features")),
        "--out",
        s(&feat),
    ]);
    assert_eq!(f.code, 0, "{}", f.stderr);
    let n = assert_same_csvs(&raw, &feat);
    assert!(n >= 25, "only {n} CSV files compared");
    assert_same_models(&raw, &feat);
    let (mr, mf) = (manifest(&raw), manifest(&feat));
    assert_eq!(mr["as_of"], mf["as_of"]);
    assert_eq!(mr["tables"], mf["tables"]);
    let (read, used, rejected) = counts(&mf, "transactions");
    assert_eq!(read, used + rejected);
    assert!(rejected > 0, "the demo has rejected transactions");
    assert_eq!(
        common::csv_rows(&feat.join("rejects/transactions.csv")),
        rejected as usize
    );
    assert_eq!(
        mf["inputs"]["features"]["path"].as_str(),
        Some(s(&job.join("features")))
    );
    assert!(f.stdout.contains("features: read from"), "{}", f.stdout);
    assert!(f.stdout.contains("order aggregates"), "{}", f.stdout);
    assert!(f.stdout.contains("products: not computed"), "{}", f.stdout);
}

/// The job's layout for the demo, then one table changed by `change`.
fn tampered(dir: &Path, table: &str, change: impl FnOnce(DataFrame) -> DataFrame) -> PathBuf {
    job_output(&root().join(DEMO), None, dir, 1);
    let d = dir.join(table);
    let part = d.join("part-00000.parquet");
    let df = ParquetReader::new(std::fs::File::open(&part).unwrap())
        .finish()
        .unwrap();
    std::fs::remove_dir_all(&d).unwrap();
    write_parts(&change(df), &d, 2);
    dir.join("features")
}

/// `kam run --features` on `features` fails with exit 2 and one line holding each of `want`.
fn refused(features: &Path, extra: &[&str], want: &[&str]) {
    let out = tempfile::tempdir().unwrap();
    let mut args = vec!["run", "--config", DEMO, "--features", s(features)];
    args.extend(["--out", s(out.path()), "--quiet"]);
    args.extend(extra);
    let r = kam(&args);
    assert_eq!(r.code, 2, "stdout {} stderr {}", r.stdout, r.stderr);
    assert_eq!(r.stderr.trim().lines().count(), 1, "{}", r.stderr);
    for w in want {
        assert!(r.stderr.contains(w), "{w:?} not in {}", r.stderr);
    }
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

fn set(df: DataFrame, name: &str, c: Column) -> DataFrame {
    let mut df = df;
    df.with_column(c.with_name(name.into())).unwrap();
    df
}

#[test]
fn a_feature_table_that_breaks_the_contract_is_refused_naming_row_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tampered(&tmp.path().join("dup"), "features", |df| {
        let ids = df.column("customer_id").unwrap().str().unwrap().clone();
        let mut v: Vec<Option<String>> = ids.iter().map(|x| x.map(str::to_string)).collect();
        v[5] = v[4].clone();
        set(df, "customer_id", Column::new("x".into(), v))
    });
    refused(
        &f,
        &[],
        &["features", "row 6, column customer_id", "repeats row 5"],
    );
    let f = tampered(&tmp.path().join("neg"), "features", |df| {
        let v: Vec<Option<i64>> = (0..df.height() as i64)
            .map(|i| Some(if i == 9 { -3 } else { 1 }))
            .collect();
        set(df, "orders", Column::new("x".into(), v))
    });
    refused(&f, &[], &["row 10, column orders: -3 is negative"]);
    let f = tampered(&tmp.path().join("type"), "features", |df| {
        let v: Vec<String> = (0..df.height()).map(|i| format!("{i}")).collect();
        set(df, "frequency", Column::new("x".into(), v))
    });
    refused(&f, &[], &["column frequency: str"]);
    let f = tampered(&tmp.path().join("missing"), "features", |df| {
        df.drop("trend_12m").unwrap()
    });
    refused(&f, &[], &["has no column trend_12m"]);
    // a customer without purchases (in the customers table) missing
    let without = |df: DataFrame, bought: bool| {
        let first = df.column("first_purchase").unwrap().is_not_null();
        let k = first.iter().position(|b| b == Some(bought)).unwrap();
        let keep: BooleanChunked = (0..df.height()).map(|i| i != k).collect();
        df.filter(&keep).unwrap()
    };
    let f = tampered(&tmp.path().join("fewer"), "features", |df| {
        without(df, false)
    });
    refused(&f, &[], &["has no row for customer", "customers table"]);
    // a buyer missing: its orders have no feature row
    let f = tampered(&tmp.path().join("buyer"), "features", |df| {
        without(df, true)
    });
    refused(
        &f,
        &[],
        &["orders", "has orders but no row in the feature table"],
    );
}

#[test]
fn aggregates_and_a_manifest_from_another_run_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tampered(&tmp.path().join("lines"), "orders", |df| {
        df.slice(0, df.height() - 1)
    });
    refused(
        &f,
        &[],
        &[
            "orders",
            "transaction lines where the feature job's manifest says",
        ],
    );
    let f = tampered(&tmp.path().join("zero"), "orders", |df| {
        let v: Vec<i64> = (0..df.height())
            .map(|i| if i == 2 { 0 } else { 1 })
            .collect();
        set(df, "lines", Column::new("x".into(), v))
    });
    refused(&f, &[], &["row 3, column lines: 0 is blank or less than 1"]);
    // the features stand on the job's as_of; another date is refused
    let f = tampered(&tmp.path().join("asof"), "features", |df| df);
    refused(
        &f,
        &["--as-of", "2025-10-01"],
        &["manifest.json", "--as-of 2025-10-01"],
    );
    std::fs::remove_dir_all(tmp.path().join("asof/orders")).unwrap();
    refused(
        &f,
        &[],
        &["orders", "order aggregates the feature job writes"],
    );
}

#[test]
fn plan_and_validate_take_prepared_features_too() {
    let tmp = tempfile::tempdir().unwrap();
    let stripped = demo_without_products(&tmp.path().join("company"));
    let job = tmp.path().join("job");
    job_output(&root().join(DEMO), None, &job, 2);
    let features = job.join("features");
    let (raw, feat) = (tmp.path().join("raw"), tmp.path().join("feat"));
    let r = kam(&[
        "plan",
        "--config",
        s(&stripped),
        "--out",
        s(&raw),
        "--quiet",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let f = kam(&[
        "plan",
        "--config",
        DEMO,
        "--features",
        s(&features),
        "--out",
        s(&feat),
    ]);
    assert_eq!(f.code, 0, "{}", f.stderr);
    assert!(assert_same_csvs(&raw, &feat) >= 8);
    let out = tmp.path().join("validated");
    let v = kam(&[
        "validate",
        "--config",
        DEMO,
        "--features",
        s(&features),
        "--out",
        s(&out),
    ]);
    assert_eq!(v.code, 0, "{}", v.stderr);
    assert!(
        v.stdout
            .contains("transactions: 85655 read = 85449 used + 206 rejected"),
        "{}",
        v.stdout
    );
    common::assert_reconciles(&out);
}
