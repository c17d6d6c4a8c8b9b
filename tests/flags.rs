//! The subcommands' flags: enumerations refused by clap with the allowed values, defaults shown
//! from the stage params, and one set of input rules (file type by extension, delimiter names)
//! shared by `kam clv`, `kam segment`, `kam churn` and `kam run`.

mod common;

use std::path::{Path, PathBuf};

use common::*;

fn s(p: &Path) -> &str {
    p.to_str().unwrap_or("")
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// A small generated company in `dir` (CSV, or Parquet with `parquet`).
fn company(dir: &Path, parquet: bool) -> PathBuf {
    let out = dir.join(if parquet { "pq" } else { "csv" });
    let mut args = vec![
        "generate",
        "--out",
        s(&out),
        "--customers",
        "150",
        "--months",
        "18",
    ];
    if parquet {
        args.extend(["--format", "parquet"]);
    }
    let o = kam(&args);
    assert_eq!(o.code, 0, "{}", o.stderr);
    out
}

/// A clap refusal: exit 2, the bad value and every allowed value named.
fn assert_refused(o: &Output, bad: &str, allowed: &[&str]) {
    assert_eq!(o.code, 2, "{}{}", o.stdout, o.stderr);
    assert!(
        o.stderr.contains(&format!("invalid value '{bad}'")),
        "{}",
        o.stderr
    );
    for v in allowed {
        assert!(o.stderr.contains(v), "{v} in {}", o.stderr);
    }
}

#[test]
fn segment_transform_outside_the_list_is_refused_with_the_allowed_values() {
    let o = kam(&[
        "segment",
        "--customers",
        "c.csv",
        "--transform",
        "lg",
        "--out",
        "o",
    ]);
    assert_refused(&o, "lg", &["log1p-standardize, standardize, none"]);
}

#[test]
fn segment_k_is_auto_or_a_number() {
    let o = kam(&[
        "segment",
        "--customers",
        "c.csv",
        "--k",
        "many",
        "--out",
        "o",
    ]);
    assert_refused(&o, "many", &["auto"]);
}

#[test]
fn churn_and_clv_models_outside_the_list_are_refused() {
    let o = kam(&[
        "churn",
        "--customers",
        "c.csv",
        "--label",
        "churn",
        "--model",
        "forest",
        "--out",
        "o",
    ]);
    assert_refused(&o, "forest", &["auto, logistic, trees"]);
    let o = kam(&["clv", "--summary", "s.csv", "--model", "bg", "--out", "o"]);
    assert_refused(&o, "bg", &["bgnbd, pareto"]);
    let o = kam(&[
        "clv",
        "--summary",
        "s.csv",
        "--time-unit",
        "month",
        "--out",
        "o",
    ]);
    assert_refused(&o, "month", &["weeks, days"]);
}

#[test]
fn help_shows_the_defaults_of_the_stage_params() {
    let help = |sub: &str| {
        let o = kam(&[sub, "--help"]);
        assert_eq!(o.code, 0, "{}", o.stderr);
        o.stdout
    };
    let clv = help("clv");
    for d in [
        "Months of CLV [default: 12]",
        "[default: 0.01]",
        "[default: bgnbd]",
        "[default: weeks]",
        "[default: 365 days]",
    ] {
        assert!(clv.contains(d), "{d} in kam clv --help:\n{clv}");
    }
    let seg = help("segment");
    for d in [
        "[default: log1p-standardize]",
        "[default: auto]",
        "[default: 10]",
        "[default: 300]",
        "[default: 42]",
        "[default: monetary_total]",
    ] {
        assert!(seg.contains(d), "{d} in kam segment --help:\n{seg}");
    }
    let churn = help("churn");
    for d in ["[default: 5]", "[default: auto]", "[default: 42]"] {
        assert!(churn.contains(d), "{d} in kam churn --help:\n{churn}");
    }
}

/// `kam clv` on `file`, with extra flags; the output directory.
fn clv(file: &Path, out: &Path, extra: &[&str]) -> PathBuf {
    let mut args = vec!["clv", "--transactions", s(file), "--out", s(out)];
    args.extend(extra);
    let o = kam(&args);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    out.to_path_buf()
}

#[test]
fn clv_delimiter_tab_and_a_tsv_file_read_like_the_csv() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let csv = company(tmp.path(), false).join("transactions.csv");
    let text = std::fs::read_to_string(&csv).expect("transactions.csv");
    assert!(!text.contains('"'), "no quoted fields to keep apart");
    let tabs = text.replace(',', "\t");
    let (txt, tsv) = (tmp.path().join("t.txt"), tmp.path().join("t.tsv"));
    std::fs::write(&txt, &tabs).expect("write");
    std::fs::write(&tsv, &tabs).expect("write");
    let from_csv = clv(&csv, &tmp.path().join("a"), &[]);
    let from_tab = clv(&txt, &tmp.path().join("b"), &["--delimiter", "tab"]);
    let from_tsv = clv(&tsv, &tmp.path().join("c"), &[]);
    for f in ["clv.csv", "models/bgnbd.json", "rejects/transactions.csv"] {
        let want = read(&from_csv.join(f));
        assert!(want == read(&from_tab.join(f)), "{f}: --delimiter tab");
        assert!(want == read(&from_tsv.join(f)), "{f}: .tsv");
    }
}

#[test]
fn pq_is_parquet_in_every_command() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = company(tmp.path(), true);
    let pq = dir.join("transactions.pq");
    std::fs::copy(dir.join("transactions.parquet"), &pq).expect("copy");
    let a = clv(
        &dir.join("transactions.parquet"),
        &tmp.path().join("a"),
        &[],
    );
    let b = clv(&pq, &tmp.path().join("b"), &[]);
    assert!(read(&a.join("clv.csv")) == read(&b.join("clv.csv")));
    // kam churn reads the customers table by the same rule
    let customers = dir.join("customers.pq");
    std::fs::copy(dir.join("customers.parquet"), &customers).expect("copy");
    let o = kam(&[
        "churn",
        "--customers",
        s(&customers),
        "--label",
        "nope",
        "--out",
        s(&tmp.path().join("c")),
    ]);
    // read as Parquet: the columns are found, and only the label is missing
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("nope"), "{}", o.stderr);
    assert!(o.stderr.contains("customer_type"), "{}", o.stderr);
}

#[test]
fn a_bad_delimiter_is_refused_with_the_same_message_everywhere() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("t.csv");
    std::fs::write(&data, "customer_id,date,amount\nA,2025-01-01,1\n").expect("write");
    let want = "delimiter = \";;\" must be one ASCII character, \"tab\" or \"whitespace\"";
    let o = kam(&[
        "clv",
        "--transactions",
        s(&data),
        "--delimiter",
        ";;",
        "--out",
        s(&tmp.path().join("o")),
    ]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert_clean_error(&o);
    assert!(o.stderr.contains(want), "{}", o.stderr);
    let cfg = tmp.path().join("kam.toml");
    std::fs::write(
        &cfg,
        "[input.transactions]\npath = \"t.csv\"\ndelimiter = \";;\"\n",
    )
    .expect("write");
    let o = kam(&[
        "run",
        "--config",
        s(&cfg),
        "--out",
        s(&tmp.path().join("r")),
    ]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert_clean_error(&o);
    assert!(o.stderr.contains(want), "{}", o.stderr);
}
