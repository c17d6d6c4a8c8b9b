//! Helpers shared by the CLI tests: run the `kam` binary, read its outputs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Run the kam binary with `args` from the package root.
pub fn kam(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_kam"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the kam binary runs");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(case)
}

pub fn manifest(out: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(out.join("manifest.json")).expect("manifest.json exists");
    serde_json::from_str(&text).expect("manifest.json is JSON")
}

/// (read, used, rejected) of one table in a manifest.
pub fn counts(m: &serde_json::Value, table: &str) -> (u64, u64, u64) {
    let t = &m["tables"][table];
    let n = |k: &str| t[k].as_u64().unwrap_or(u64::MAX);
    (n("read"), n("used"), n("rejected"))
}

/// Data rows of a CSV file (records, not lines: quoted fields may hold newlines).
pub fn csv_rows(path: &Path) -> usize {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(path)
        .expect("csv opens");
    r.records().count()
}

/// Every table reconciles, and each rejects file holds exactly the rejected rows.
pub fn assert_reconciles(out: &Path) {
    let m = manifest(out);
    let tables = m["tables"].as_object().expect("tables");
    assert!(!tables.is_empty());
    for (name, _) in tables {
        let (read, used, rejected) = counts(&m, name);
        assert_eq!(read, used + rejected, "{name} does not reconcile");
        let rej = out.join(format!("rejects/{name}.csv"));
        assert_eq!(csv_rows(&rej) as u64, rejected, "rows of {}", rej.display());
    }
}

/// A user-facing error: one line, no panic, no backtrace.
pub fn assert_clean_error(o: &Output) {
    let lines: Vec<&str> = o.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "stderr should be one line:\n{}", o.stderr);
    assert!(lines[0].starts_with("kam: "), "{}", o.stderr);
    for bad in ["panicked", "backtrace", "RUST_BACKTRACE", "internal"] {
        assert!(!o.stderr.contains(bad), "{}", o.stderr);
    }
}

/// Where the public reference data sets (CDNOW, Telco) live: `$KAM_SHARED_DATA`, else
/// `../shared/data` beside the repository (where CI has it). `rel` is a path inside it.
pub fn reference_data(rel: &str) -> std::path::PathBuf {
    match std::env::var_os("KAM_SHARED_DATA") {
        Some(d) => std::path::PathBuf::from(d),
        None => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"),
    }
    .join(rel)
}
