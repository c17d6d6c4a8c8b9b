//! `kam churn` (labelled mode) end to end: the Telco reference data against scikit-learn's
//! published cross-validated AUC, and clear errors or documented handling for awkward
//! tables. `kam run`'s behavioural churn on the demo company.

mod common;

use std::path::{Path, PathBuf};

use common::*;

fn telco() -> PathBuf {
    let p = common::reference_data("telco/WA_Fn-UseC_-Telco-Customer-Churn.csv");
    assert!(
        p.exists(),
        "reference data missing: {} (set KAM_SHARED_DATA, or keep ../shared/data beside the repository)",
        p.display()
    );
    p
}

fn report(out: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(out.join("models/churn.json")).expect("churn.json");
    serde_json::from_str(&text).expect("churn.json is JSON")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Write a CSV from a header and rows.
fn table(dir: &Path, name: &str, header: &str, rows: &[String]) -> PathBuf {
    let p = dir.join(name);
    let mut text = format!("{header}\n");
    for r in rows {
        text.push_str(r);
        text.push('\n');
    }
    std::fs::write(&p, text).expect("write table");
    p
}

/// n customers whose churn depends on `tenure` and `plan`; a few extra columns per test.
fn company(n: usize, extra: impl Fn(usize) -> String) -> Vec<String> {
    (0..n)
        .map(|i| {
            let tenure = (i * 37) % 72;
            let plan = ["basic", "plus", "pro"][i % 3];
            // deterministic label: short tenure on basic churns, plus every 7th customer
            let churn = (tenure < 20 && plan == "basic") || i % 7 == 0;
            format!(
                "C{i:05},{tenure},{plan},{},{}",
                if churn { "Yes" } else { "No" },
                extra(i)
            )
        })
        .collect()
}

#[test]
fn telco_cross_validated_auc_reaches_scikit_learn() {
    let dir = tempfile::tempdir().expect("temp dir");
    let o = kam(&[
        "churn",
        "--customers",
        s(&telco()),
        "--label",
        "Churn",
        "--id",
        "customerID",
        "--out",
        s(dir.path()),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let r = report(dir.path());
    let auc = r["auc_mean"].as_f64().expect("auc_mean");
    // scikit-learn LogisticRegression, 5-fold stratified, one-hot + standardised: 0.845
    // (../shared/data/README.md); the bar is 0.84.
    assert!(auc >= 0.84, "5-fold AUC {auc} < 0.84");
    assert!(
        (auc - 0.845).abs() < 0.01,
        "5-fold AUC {auc} not within 0.01 of 0.845"
    );
    assert_eq!(r["auc_folds"].as_array().map(Vec::len), Some(5));
    assert!(r["model"].as_str().is_some());
    // TotalCharges is text with 11 blanks: read as a number with a missing indicator
    let feats = r["features"].as_array().expect("features");
    let total = feats
        .iter()
        .find(|f| f["name"] == "TotalCharges")
        .expect("TotalCharges is a feature");
    assert_eq!(total["kind"], "numeric");
    assert_eq!(total["missing_indicator"], true);
    // every customer scored once, sorted by probability
    assert_eq!(csv_rows(&dir.path().join("churn.csv")), 7043);
    let m = &r["metrics"];
    for k in [
        "roc_auc",
        "pr_auc",
        "top_decile_lift",
        "top_decile_capture",
        "brier",
    ] {
        assert!(m[k].as_f64().is_some(), "metrics.{k}");
    }
    assert_eq!(m["calibration"].as_array().map(Vec::len), Some(10));
}

#[test]
fn identifier_blank_and_many_level_columns_are_handled() {
    let dir = tempfile::tempdir().expect("temp dir");
    // row number, a column with no values, a near-unique name, a city with 1,500 levels
    // where most rows live in 5 big cities
    let rows = company(3000, |i| {
        let city = if i % 2 == 0 {
            format!("city{}", i % 5)
        } else {
            format!("town{}", i % 1500)
        };
        format!("{},,name{},{city}", i + 1, i * 7919 % 2999)
    });
    let p = table(
        dir.path(),
        "c.csv",
        "id,tenure,plan,churned,row_number,empty,surname,city",
        &rows,
    );
    let out = dir.path().join("out");
    let o = kam(&[
        "churn",
        "--customers",
        s(&p),
        "--label",
        "churned",
        "--id",
        "id",
        "--out",
        s(&out),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let r = report(&out);
    let dropped: Vec<(String, String)> = r["dropped_columns"]
        .as_array()
        .expect("dropped")
        .iter()
        .map(|d| {
            (
                d["column"].as_str().unwrap_or("").to_string(),
                d["reason"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let reason = |c: &str| {
        dropped
            .iter()
            .find(|(n, _)| n == c)
            .map(|(_, r)| r.clone())
            .unwrap_or_else(|| panic!("{c} not left out: {dropped:?}"))
    };
    assert!(reason("row_number").contains("identifies rows"));
    assert!(reason("empty").contains("blank"));
    assert!(reason("surname").contains("identifies rows"));
    // city kept: its big levels get columns, the 1,500 small towns share "(other)"
    let city = r["features"]
        .as_array()
        .expect("features")
        .iter()
        .find(|f| f["name"] == "city")
        .expect("city is a feature");
    let levels = city["levels"].as_array().expect("levels").len();
    assert!((5..=30).contains(&levels), "{levels} city levels");
    assert_eq!(city["other"], true);
    assert!(o.stdout.contains("left out: "), "{}", o.stdout);
    // the label pattern is learnable
    assert!(
        r["auc_mean"].as_f64().unwrap_or(0.0) > 0.7,
        "{}",
        r["auc_mean"]
    );
}

#[test]
fn one_class_and_missing_label_are_clear_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rows: Vec<String> = (0..50)
        .map(|i| format!("C{i},{},basic,No,x", i % 9))
        .collect();
    let p = table(dir.path(), "c.csv", "id,tenure,plan,churned,extra", &rows);
    let out = dir.path().join("out");
    let o = kam(&[
        "churn",
        "--customers",
        s(&p),
        "--label",
        "churned",
        "--out",
        s(&out),
    ]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert_clean_error(&o);
    assert!(o.stderr.contains("one class only"), "{}", o.stderr);

    let o = kam(&[
        "churn",
        "--customers",
        s(&p),
        "--label",
        "Exited",
        "--out",
        s(&out),
    ]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert_clean_error(&o);
    assert!(
        o.stderr.contains("'Exited'") && o.stderr.contains("churned"),
        "{}",
        o.stderr
    );

    // a label value other than the usual ones needs --positive
    let rows: Vec<String> = (0..50)
        .map(|i| {
            format!(
                "C{i},{},basic,{}",
                i % 9,
                if i % 3 == 0 { "gone" } else { "stayed" }
            )
        })
        .collect();
    let p = table(dir.path(), "d.csv", "id,tenure,plan,status", &rows);
    let o = kam(&[
        "churn",
        "--customers",
        s(&p),
        "--label",
        "status",
        "--out",
        s(&out),
    ]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("--positive"), "{}", o.stderr);
    let o = kam(&[
        "churn",
        "--customers",
        s(&p),
        "--label",
        "status",
        "--positive",
        "gone",
        "--id",
        "id",
        "--folds",
        "3",
        "--out",
        s(&out),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
}

#[test]
fn ten_rows_need_enough_of_each_class_for_the_folds() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rows = company(10, |i| format!("{}", i % 4));
    let p = table(dir.path(), "c.csv", "id,tenure,plan,churned,visits", &rows);
    let out = dir.path().join("out");
    // 10 rows, 4 churners: 5 folds cannot each hold a churner
    let o = kam(&[
        "churn",
        "--customers",
        s(&p),
        "--label",
        "churned",
        "--id",
        "id",
        "--out",
        s(&out),
    ]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert_clean_error(&o);
    assert!(o.stderr.contains("--folds"), "{}", o.stderr);
    // with 2 folds it trains and scores all 10
    let o = kam(&[
        "churn",
        "--customers",
        s(&p),
        "--label",
        "churned",
        "--id",
        "id",
        "--folds",
        "2",
        "--out",
        s(&out),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(csv_rows(&out.join("churn.csv")), 10);
}

#[test]
fn blank_labels_go_to_rejects_and_runs_are_identical() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut rows = company(400, |i| format!("{}", (i * 13) % 17));
    rows[5] = "C00005,3,basic,,4".into();
    let p = table(dir.path(), "c.csv", "id,tenure,plan,churned,visits", &rows);
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for out in [&a, &b] {
        let o = kam(&[
            "churn",
            "--customers",
            s(&p),
            "--label",
            "churned",
            "--id",
            "id",
            "--out",
            s(out),
        ]);
        assert_eq!(o.code, 0, "{}", o.stderr);
    }
    assert_eq!(csv_rows(&a.join("churn.csv")), 399);
    let rej = std::fs::read_to_string(a.join("rejects.csv")).expect("rejects");
    assert!(rej.contains("6,label 'churned' is blank"), "{rej}");
    for f in ["churn.csv", "models/churn.json"] {
        assert!(
            std::fs::read(a.join(f)).ok() == std::fs::read(b.join(f)).ok(),
            "{f} differs between two runs"
        );
    }
}

#[test]
fn demo_company_churners_rank_high_out_of_time() {
    let dir = tempfile::tempdir().expect("temp dir");
    let o = kam(&["run", "--quiet", "--out", s(dir.path())]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let r = report(dir.path());
    assert_eq!(r["mode"], "behavioural");
    let m = &r["metrics"];
    // the generator plants churners (a quarter of customers stop buying for good); judged on
    // the latest complete cutoff, never seen in training
    let auc = m["roc_auc"].as_f64().expect("auc");
    assert!(auc > 0.8, "out-of-time AUC {auc}");
    assert!(m["top_decile_lift"].as_f64().unwrap_or(0.0) > 2.0, "{m}");
    let cutoffs = r["cutoffs"].as_array().expect("cutoffs");
    assert_eq!(cutoffs.iter().filter(|c| c["role"] == "train").count(), 4);
    assert_eq!(
        cutoffs.iter().filter(|c| c["role"] == "evaluate").count(),
        1
    );
    // scored customers carry probability, risk, revenue at risk and drivers
    let text = std::fs::read_to_string(dir.path().join("customers.csv")).expect("customers");
    let header = text.lines().next().unwrap_or("");
    for c in [
        "churn_probability",
        "churn_risk",
        "revenue_at_risk",
        "churn_driver_1",
        "churn_driver_2",
        "churn_driver_3",
    ] {
        assert!(
            header.split(',').any(|h| h == c),
            "{c} missing from {header}"
        );
    }
    assert!(text.contains(",high,"), "no high-risk customer");
    assert!(text.contains(",lapsed,"), "no lapsed customer");
}
