//! `kam retention` end to end on Fader & Hardie (2007)'s two cohorts ("How to project customer
//! retention", Table 1: years 0-7 of 1,000 customers, published alpha/beta 0.704/1.182 and
//! 0.668/3.806), and its one-line errors for broken cohort tables.

mod common;

use std::path::Path;

use common::*;

const REGULAR: [u32; 8] = [1000, 631, 468, 382, 326, 289, 262, 241];
const HIGH_END: [u32; 8] = [1000, 869, 743, 653, 593, 551, 517, 491];

/// The two cohorts as a long table, the high-end rows first and in reverse period order (the
/// command may not depend on row order).
fn write_cohorts(path: &Path) {
    let mut text = String::from("year signed,t,active\n");
    for (t, n) in HIGH_END.iter().enumerate().rev() {
        text.push_str(&format!("high end,{t},{n}\n"));
    }
    for (t, n) in REGULAR.iter().enumerate() {
        text.push_str(&format!("regular,{t},{n}\n"));
    }
    std::fs::write(path, text).expect("write cohorts");
}

fn run(cohorts: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "retention",
        "--cohorts",
        cohorts.to_str().unwrap_or(""),
        "--cohort-col",
        "year signed",
        "--period-col",
        "t",
        "--customers-col",
        "active",
        "--out",
        out.to_str().unwrap_or(""),
    ];
    args.extend(extra);
    kam(&args)
}

#[test]
fn the_papers_cohorts_give_the_published_parameters_and_projections() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (file, out) = (tmp.path().join("cohorts.csv"), tmp.path().join("out"));
    write_cohorts(&file);
    let o = run(&file, &out, &["--horizon", "12"]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let text = std::fs::read_to_string(out.join("models/sbg.json")).expect("sbg.json");
    let m: serde_json::Value = serde_json::from_str(&text).expect("json");
    let fits = m["cohorts"].as_array().cloned().unwrap_or_default();
    // cohorts in order of first appearance
    let want = [("high end", 0.668, 3.806), ("regular", 0.704, 1.182)];
    assert_eq!(fits.len(), 2, "{m}");
    for (f, (name, alpha, beta)) in fits.iter().zip(want) {
        assert_eq!(f["cohort"], name);
        for (k, v) in [("alpha", alpha), ("beta", beta)] {
            let got = f[k].as_f64().unwrap_or(f64::NAN);
            assert!(
                (got - v).abs() < 0.01 * v,
                "{name} {k}: {got} vs published {v}"
            );
        }
        assert_eq!(f["periods"], 7);
        assert!(f["derl_new_customer"].as_f64().unwrap_or(0.0) > 1.0, "{f}");
    }
    // 2 cohorts x periods 0..=12, header included
    assert_eq!(csv_rows(&out.join("retention.csv")), 26);
    let table = std::fs::read_to_string(out.join("retention.csv")).unwrap_or_default();
    // the regular cohort's year 12, not fitted on: 173 of 1,000 in Table 1
    let year12 = table
        .lines()
        .find(|l| l.starts_with("regular,12,"))
        .unwrap_or("");
    let expected: f64 = year12
        .split(',')
        .nth(6)
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN);
    assert!((expected - 173.0).abs() < 20.0, "{year12}");
    assert!(year12.ends_with(",true"), "{year12}");
}

#[test]
fn a_broken_table_stops_with_file_row_and_column() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let cases = [
        ("regular,0,1000\nregular,1,x\n", "row 2, column 'active'"),
        ("regular,0,1000\nregular,1.5,900\n", "row 2, column 't'"),
        (
            "regular,0,1000\nregular,0,900\n",
            "has period 0 already (row 1)",
        ),
        ("regular,0,1000\nregular,2,900\n", "has no period 1"),
        (",0,1000\n", "row 1, column 'year signed'"),
        ("regular,0,1000\nregular,1,1200\n", "survivors cannot grow"),
    ];
    for (rows, why) in cases {
        let file = tmp.path().join("bad.csv");
        std::fs::write(&file, format!("year signed,t,active\n{rows}")).expect("write");
        let o = run(&file, &out, &[]);
        assert_eq!(o.code, 2, "{rows}: {}{}", o.stdout, o.stderr);
        assert_clean_error(&o);
        assert!(o.stderr.contains(why), "{rows}: {}", o.stderr);
    }
    let o = kam(&[
        "retention",
        "--cohorts",
        tmp.path().join("bad.csv").to_str().unwrap_or(""),
        "--out",
        out.to_str().unwrap_or(""),
    ]);
    assert!(o.stderr.contains("has no column 'cohort'"), "{}", o.stderr);
}
