//! The binary end to end: the demo run, determinism, generate → run, Parquet input, init,
//! help texts and exit codes.

mod common;

use std::path::Path;

use common::*;

fn s(p: &Path) -> &str {
    p.to_str().unwrap_or("")
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn demo_run_writes_customers_and_a_reconciling_manifest() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    // the default config is the bundled demo
    let o = kam(&["run", "--out", s(&out)]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.contains("transactions:") && o.stdout.contains("customers:"),
        "{}",
        o.stdout
    );
    // the value forecast and the holdout check state their intervals
    for line in ["value forecast, next 365 days (80%)", "% interval "] {
        assert!(o.stdout.contains(line), "{line}: {}", o.stdout);
    }
    assert_reconciles(&out);
    let m = manifest(&out);
    assert_eq!(m["as_of"], "2026-01-01");
    assert_eq!(m["seed"], 42);
    assert_eq!(m["kam_version"], env!("CARGO_PKG_VERSION"));
    for t in ["customers", "transactions", "targets", "deals", "campaigns"] {
        let (read, used, _) = counts(&m, t);
        assert!(read > 0 && used > 0, "{t}");
        assert_eq!(
            m["inputs"][t]["blake3"].as_str().map(str::len),
            Some(64),
            "{t}"
        );
    }
    for stage in ["load", "validate", "features", "value", "total"] {
        assert!(m["timings_ms"][stage].is_u64(), "{stage}");
    }
    let customers = std::fs::read_to_string(out.join("customers.csv")).expect("customers.csv");
    let header = customers.lines().next().unwrap_or("");
    for col in [
        "customer_id",
        "name",
        "first_purchase",
        "frequency",
        "recency",
        "T",
        "monetary_value",
        "trend_12m",
    ] {
        assert!(header.split(',').any(|h| h == col), "{col} in {header}");
    }
    // value: RFM for everyone, model scores for buyers, model files with a convergence report
    for col in [
        "r_score",
        "rfm_segment",
        "p_alive",
        "expected_purchases",
        "expected_avg_value",
        "clv",
    ] {
        assert!(header.split(',').any(|h| h == col), "{col} in {header}");
    }
    let bg: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("models/bgnbd.json")).expect("models/bgnbd.json"),
    )
    .expect("json");
    assert_eq!(bg["converged"], true, "{bg}");
    assert!(out.join("models/gamma_gamma.json").exists());
    // one row per customer of the customers table (the demo has no unknown customers)
    assert_eq!(
        csv_rows(&out.join("customers.csv")) as u64,
        counts(&m, "customers").1
    );
    assert!(out.join("customers.parquet").exists());
    assert_every_buyer_valued_and_risk_within_revenue(&out);
    // nothing half-written is left behind
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .expect("out")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
    assert_every_output_is_declared(&out);
}

#[test]
fn same_inputs_and_seed_give_byte_identical_outputs() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for out in [&a, &b] {
        let o = kam(&["run", "--quiet", "--out", s(out)]);
        assert_eq!(o.code, 0, "{}", o.stderr);
        assert!(o.stdout.is_empty(), "--quiet prints nothing: {}", o.stdout);
    }
    for f in [
        "customers.csv",
        "customers.parquet",
        "rejects/transactions.csv",
        "rejects/customers.csv",
        "report.html",
        "report.xlsx",
        "charts/segment_map.png",
        "charts/segment_map.svg",
    ] {
        assert!(
            read(&a.join(f)) == read(&b.join(f)),
            "{f} differs between runs"
        );
    }
}

#[test]
fn generate_is_deterministic_and_runs_from_csv_and_parquet_alike() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = |n: &str| tmp.path().join(n);
    let gen_args = |out: &Path, seed: &str, fmt: &str| {
        kam(&[
            "generate",
            "--quiet",
            "--out",
            s(out),
            "--customers",
            "150",
            "--months",
            "14",
            "--seed",
            seed,
            "--format",
            fmt,
        ])
    };
    for (d, seed, fmt) in [
        ("g1", "7", "csv"),
        ("g2", "7", "csv"),
        ("g3", "8", "csv"),
        ("gp", "7", "parquet"),
    ] {
        let o = gen_args(&dir(d), seed, fmt);
        assert_eq!(o.code, 0, "{}", o.stderr);
    }
    for f in [
        "customers.csv",
        "transactions.csv",
        "targets.csv",
        "deals.csv",
        "campaigns.csv",
        "kam.toml",
    ] {
        assert!(
            read(&dir("g1").join(f)) == read(&dir("g2").join(f)),
            "{f}: same seed, different bytes"
        );
    }
    assert!(read(&dir("g1").join("transactions.csv")) != read(&dir("g3").join("transactions.csv")));

    let run = |cfg: &Path, out: &Path| {
        let o = kam(&["run", "--config", s(cfg), "--out", s(out)]);
        assert_eq!(o.code, 0, "{}", o.stderr);
        assert_reconciles(out);
    };
    run(&dir("g1").join("kam.toml"), &dir("o1"));
    run(&dir("gp").join("kam.toml"), &dir("op"));
    assert!(
        read(&dir("o1").join("customers.csv")) == read(&dir("op").join("customers.csv")),
        "Parquet and CSV inputs of the same company give different customer tables"
    );
    // the transactions as a directory of parts: the same table, rows numbered across parts
    let o = kam(&[
        "generate",
        "--quiet",
        "--out",
        s(&dir("gq")),
        "--customers",
        "150",
        "--months",
        "14",
        "--seed",
        "7",
        "--format",
        "parquet",
        "--parts",
        "3",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let parts: Vec<_> = std::fs::read_dir(dir("gq").join("transactions"))
        .unwrap()
        .collect();
    assert_eq!(parts.len(), 3);
    run(&dir("gq").join("kam.toml"), &dir("oq"));
    for f in ["customers.csv", "rejects/transactions.csv", "trend.csv"] {
        assert!(
            read(&dir("op").join(f)) == read(&dir("oq").join(f)),
            "{f}: a directory of Parquet parts reads otherwise than the single file"
        );
    }
    let csv = kam(&["generate", "--out", s(&dir("gx")), "--parts", "2"]);
    assert_eq!(
        csv.code, 2,
        "--parts without --format parquet: {}",
        csv.stderr
    );
}

#[test]
fn bundled_demo_is_what_the_generator_writes() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("demo");
    let o = kam(&[
        "generate",
        "--quiet",
        "--out",
        s(&out),
        "--customers",
        "2000",
        "--months",
        "36",
        "--seed",
        "42",
        "--activity",
        "0.7",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
    for f in [
        "customers.csv",
        "transactions.csv",
        "targets.csv",
        "deals.csv",
        "campaigns.csv",
        "feedback.csv",
        "kam.toml",
    ] {
        assert!(
            read(&demo.join(f)) == read(&out.join(f)),
            "data/demo/{f} is stale: regenerate with `kam generate --out data/demo --customers 2000 --months 36 --seed 42 --activity 0.7`"
        );
    }
}

#[test]
fn validate_writes_rejects_and_summary_only() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let cfg = fixture("wholesaler_export").join("kam.toml");
    let o = kam(&["validate", "--config", s(&cfg), "--out", s(&out)]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout
            .contains("transactions: 9 read = 6 used + 3 rejected"),
        "{}",
        o.stdout
    );
    assert!(out.join("rejects/transactions.csv").exists());
    assert!(!out.join("customers.csv").exists());
}

#[test]
fn init_writes_a_commented_config_and_refuses_to_overwrite() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let p = tmp.path().join("kam.toml");
    let o = kam(&["init", "--out", s(&p)]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let text = std::fs::read_to_string(&p).expect("kam.toml");
    for key in [
        "[input.transactions]",
        "date_format",
        "encoding",
        "unknown_customers",
        "time_unit",
        "seed",
    ] {
        assert!(text.contains(key), "{key}");
    }
    let o = kam(&["init", "--out", s(&p)]);
    assert_eq!(o.code, 2);
    assert_clean_error(&o);
    assert!(o.stderr.contains("--force"));
    assert_eq!(kam(&["init", "--force", "--out", s(&p)]).code, 0);
}

#[test]
fn every_subcommand_help_shows_an_example() {
    for sub in ["run", "validate", "plan", "generate", "init"] {
        let o = kam(&[sub, "--help"]);
        assert_eq!(o.code, 0);
        assert!(o.stdout.contains("Example"), "{sub} --help:\n{}", o.stdout);
    }
}

#[test]
fn usage_errors_exit_2_in_one_line() {
    let o = kam(&["run", "--config", "does/not/exist.toml"]);
    assert_eq!(o.code, 2);
    assert_clean_error(&o);
    assert!(
        o.stderr
            .contains("does/not/exist.toml: cannot read the config: file not found")
    );
    let o = kam(&["generate", "--out", "x", "--customers", "0"]);
    assert_eq!(o.code, 2);
    assert_clean_error(&o);
    let o = kam(&["run", "--as-of", "2026-02-30"]);
    assert_eq!(o.code, 2);
    assert_clean_error(&o);
    assert_eq!(kam(&["frobnicate"]).code, 2);
}

/// Every file a demo run writes is declared in `kam::schema::outputs`, every table's header
/// holds only declared columns, and the tables whose columns do not depend on the data have
/// exactly the declared ones, in order (the demo has every input, so every column).
fn assert_every_output_is_declared(out: &Path) {
    use kam::schema::outputs::{self as o, OutputKind};
    let mut files = Vec::new();
    let mut dirs = vec![out.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).expect("out dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else {
                let rel = p
                    .strip_prefix(out)
                    .expect("under out")
                    .to_string_lossy()
                    .into_owned();
                files.push(rel);
            }
        }
    }
    files.sort();
    for f in &files {
        let spec = if f.ends_with(".parquet") {
            o::find(&f.replace(".parquet", ".csv"))
                .filter(|s| matches!(s.kind, OutputKind::Table { parquet: true, .. }))
        } else {
            o::find(f)
        };
        let spec = spec.unwrap_or_else(|| panic!("{f} is written but not declared"));
        if !f.ends_with(".csv") {
            continue;
        }
        let text = std::fs::read_to_string(out.join(f)).expect("csv");
        let header: Vec<&str> = text.lines().next().unwrap_or("").split(',').collect();
        for c in &header {
            assert!(spec.declares(c), "{f}: column {c} is not declared");
        }
        let fixed = spec.columns().iter().all(|c| !c.contains('<'));
        if fixed {
            // the demo does not generate the optional merge keys (phone, tax_id, address) nor
            // contracts (so no contract columns either)
            let c = kam::schema::columns::CONTRACT_COLUMNS;
            let declared: Vec<&str> = spec
                .columns()
                .iter()
                .copied()
                .filter(|k| !kam::schema::NOT_GENERATED.contains(k) && !c.contains(k))
                .collect();
            assert_eq!(header, declared, "{f}: columns differ from the declaration");
        }
    }
    // and every declared output of a full run is there (MBG/NBD and Pareto/NBD only when
    // chosen, the model choice only with model = "auto")
    let optional = [
        o::PARETO_NBD_MODEL.file,
        o::MBGNBD_MODEL.file,
        o::VALUE_CHOICE.file,
        o::CONTRACT_MODEL.file,
    ];
    for spec in o::OUTPUTS {
        if optional.contains(&spec.file) {
            continue;
        }
        assert!(
            files.iter().any(|f| spec.matches(f)),
            "{} is declared but the demo run did not write it",
            spec.file
        );
    }
}

/// Issue 12: every customer with a purchase has a CLV (one-time buyers included), and revenue
/// at risk, a share of `revenue_if_stays`, never exceeds it.
fn assert_every_buyer_valued_and_risk_within_revenue(out: &Path) {
    use polars::prelude::*;
    let file = std::fs::File::open(out.join("customers.parquet")).expect("customers.parquet");
    let df = ParquetReader::new(file).finish().expect("parquet");
    let col = |c: &str| df.column(c).unwrap_or_else(|e| panic!("{c}: {e}")).clone();
    let bought = col("first_purchase").is_not_null();
    let clv = col("clv").cast(&DataType::Float64).expect("clv");
    let missing = bought
        .iter()
        .zip(clv.f64().expect("f64").iter())
        .filter(|(b, c)| b.unwrap_or(false) && c.is_none())
        .count();
    assert_eq!(missing, 0, "buyers without a CLV");
    let at_risk = col("revenue_at_risk")
        .cast(&DataType::Float64)
        .expect("f64");
    let if_stays = col("revenue_if_stays")
        .cast(&DataType::Float64)
        .expect("f64");
    let over: Vec<(f64, Option<f64>)> = at_risk
        .f64()
        .expect("f64")
        .iter()
        .zip(if_stays.f64().expect("f64").iter())
        .filter_map(|(r, s)| r.map(|r| (r, s)))
        .filter(|(r, s)| s.is_none_or(|s| *r > s + 1e-6))
        .collect();
    assert!(
        over.is_empty(),
        "revenue at risk above revenue_if_stays: {over:?}"
    );
}
