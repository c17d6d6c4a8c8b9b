//! Pathological inputs (issue 13 item 4, "nothing hangs"): each case writes a small company to
//! a temp dir and runs the whole `kam run` as a child process under a hang guard. A case must
//! end with success (every table reconciles, read = used + rejected, and every output the
//! manifest lists exists) or with a one-line usage/data error (exit 2), never a panic, a
//! backtrace or a run that does not finish.
//!
//! The guard is not a timing assertion: [`HANG_GUARD`] is about five times the slowest case
//! measured in the debug build (see each case's comment), so only a run that does not end
//! trips it. The cases run one at a time (a lock), so a slow case does not slow the others.
//! Whole suite, debug build, 2 shared cores: 106 s alone, 121 s within a full `cargo test`
//! (`cargo test --test pathological`).

mod common;

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::*;

/// Longest a case may run before it counts as a hang (the slowest case, 20,000 districts,
/// takes about 60 s in the debug build).
const HANG_GUARD: Duration = Duration::from_secs(300);

/// The k scan with fewer restarts and a smaller silhouette sample for the large cases: the
/// defaults (10 restarts, 3 stability refits, a 10,000-row silhouette, all bounded) take
/// minutes in an unoptimised build, and the k scan is not what these cases are about.
const QUICK_SEGMENTS: &str =
    "[segment]\nsilhouette_sample = 1000\nn_init = 2\nstability_runs = 1\n";

/// One case at a time: the guard measures the case, not its neighbours.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// A company to write: transactions rows (`customer_id,date,amount`), optional customers rows
/// (`customer_id,district`), and lines added to kam.toml before the inputs.
struct Company {
    transactions: String,
    customers: Option<String>,
    toml: &'static str,
    /// Notes the manifest must hold (the bounds the case reaches).
    notes: &'static [&'static str],
}

impl Company {
    fn new(rows: impl IntoIterator<Item = (String, String, String)>) -> Self {
        let mut transactions = String::from("customer_id,date,amount\n");
        for (c, d, a) in rows {
            let _ = writeln!(transactions, "{c},{d},{a}");
        }
        Company {
            transactions,
            customers: None,
            toml: "",
            notes: &[],
        }
    }

    fn toml(mut self, toml: &'static str) -> Self {
        self.toml = toml;
        self
    }
}

/// A plain history: `n` customers buying 1 to 12 times between `from` and `to` (years),
/// deterministic (no RNG: the day and amount come from the customer and purchase numbers).
fn history(n: usize, from: i32, to: i32) -> Vec<(String, String, String)> {
    let mut rows = Vec::new();
    let years = (to - from + 1) as usize;
    for i in 0..n {
        for j in 0..(1 + (i * 7 + 3) % 12) {
            let k = i * 31 + j * 17;
            let year = from + ((k / 12) % years) as i32;
            let date = format!("{year}-{:02}-{:02}", k % 12 + 1, (k * 13) % 28 + 1);
            rows.push((
                format!("C{i:03}"),
                date,
                format!("{}.{:02}", 5 + k % 500, k % 100),
            ));
        }
    }
    rows
}

fn row(c: &str, d: &str, a: &str) -> (String, String, String) {
    (c.into(), d.into(), a.into())
}

/// Write `co` to a temp dir, run `kam run` under the guard and check how it ended.
fn check(case: &str, co: Company) {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    std::fs::write(dir.join("transactions.csv"), &co.transactions).expect("write");
    let mut toml = format!(
        "{}\n[input.transactions]\npath = \"transactions.csv\"\n",
        co.toml
    );
    if let Some(c) = &co.customers {
        std::fs::write(dir.join("customers.csv"), c).expect("write");
        toml.push_str("[input.customers]\npath = \"customers.csv\"\n");
    }
    std::fs::write(dir.join("kam.toml"), toml).expect("write");
    let out = dir.join("out");
    let o = run_guarded(case, dir, &out);
    if o.code == 0 {
        assert_reconciles(&out);
        let m = manifest(&out);
        let outputs = m["outputs"].as_object().expect("outputs");
        assert!(!outputs.is_empty(), "{case}: no outputs");
        for file in outputs.keys() {
            assert!(
                out.join(file).exists(),
                "{case}: {file} is listed but absent"
            );
        }
        let notes = m["notes"].to_string();
        for n in co.notes {
            assert!(notes.contains(n), "{case}: no note {n:?} in {notes}");
        }
    } else {
        assert_eq!(o.code, 2, "{case}: exit code; stderr: {}", o.stderr);
        assert_clean_error(&o);
    }
}

/// `kam run --quiet` on `dir/kam.toml`, killed and failed after [`HANG_GUARD`].
fn run_guarded(case: &str, dir: &Path, out: &Path) -> Output {
    let cfg = dir.join("kam.toml");
    let mut child = Command::new(env!("CARGO_BIN_EXE_kam"))
        .args(["run", "--quiet", "--config"])
        .arg(&cfg)
        .arg("--out")
        .arg(out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the kam binary runs");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if start.elapsed() > HANG_GUARD {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{case}: kam run did not finish in {HANG_GUARD:?} (a hang)");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let o = child.wait_with_output().expect("output");
    eprintln!("{case}: {:.1} s", start.elapsed().as_secs_f64());
    Output {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

// Debug-build times below: measured one at a time on the 2 shared cores.

/// 0.6 s.
#[test]
fn one_customer_5000_purchases_on_one_day() {
    let rows = (0..5000).map(|i| row("C1", "2025-03-03", &(1 + i % 97).to_string()));
    check("one customer, 5000 purchases, one day", Company::new(rows));
}

/// 100,000 customers, one purchase each at the same instant: 27 s (k scan as in
/// [`QUICK_SEGMENTS`]).
#[test]
fn hundred_thousand_customers_at_one_instant() {
    let rows = (0..100_000).map(|i| (format!("C{i}"), "2025-03-03 10:00:00".into(), "10".into()));
    let co = Company::new(rows).toml(QUICK_SEGMENTS);
    check("100,000 customers at one instant", co);
}

/// 2.2 s.
#[test]
fn every_amount_zero() {
    let rows = history(60, 2023, 2025)
        .into_iter()
        .map(|(c, d, _)| (c, d, "0".into()));
    check("every amount zero", Company::new(rows));
}

/// 1.3 s.
#[test]
fn every_customer_identical() {
    let days = [
        ("2024-01-05", "10"),
        ("2024-03-05", "20"),
        ("2024-07-05", "15"),
        ("2025-01-05", "30"),
    ];
    let rows = (0..50).flat_map(|i| days.map(|(d, a)| row(&format!("C{i}"), d, a)));
    check("every customer identical", Company::new(rows));
}

/// 1.0 s.
#[test]
fn two_customers() {
    let rows = [
        row("A", "2024-01-05", "10"),
        row("A", "2024-06-05", "12"),
        row("B", "2025-02-01", "7"),
    ];
    check("two customers", Company::new(rows));
}

/// 0.5 s.
#[test]
fn a_single_transaction() {
    check(
        "a single transaction",
        Company::new([row("C1", "2025-03-03", "10")]),
    );
}

/// 6 s.
#[test]
fn as_of_in_2099() {
    let co = Company::new(history(60, 2023, 2025)).toml("as_of = \"2099-01-01\"\n");
    check("as_of in 2099", co);
}

/// 3.2 s.
#[test]
fn a_ten_year_gap() {
    let mut rows = history(30, 2010, 2011);
    rows.extend(
        history(30, 2022, 2025)
            .into_iter()
            .map(|(c, d, a)| (format!("N{c}"), d, a)),
    );
    check("a ten-year gap", Company::new(rows));
}

/// 2.5 s.
#[test]
fn a_1000_character_customer_id() {
    let mut rows = history(60, 2023, 2025);
    let id = "X".repeat(1000);
    rows.extend([row(&id, "2024-05-05", "50"), row(&id, "2025-02-05", "60")]);
    check("a 1000-character customer id", Company::new(rows));
}

/// 20,000 customers, each in its own district: 58 s (k scan as above;
/// most of it writing report.xlsx and the weekly report of 180,000 rows).
#[test]
fn twenty_thousand_districts() {
    let n = 20_000;
    // two months of sales, so the weekly report has 9 weeks x 20,000 districts
    let mut rows: Vec<_> = (0..n)
        .map(|i| {
            (
                format!("C{i}"),
                format!("2025-01-{:02}", i % 28 + 1),
                "10".into(),
            )
        })
        .collect();
    rows.extend((0..n).step_by(3).map(|i| {
        (
            format!("C{i}"),
            format!("2025-02-{:02}", i % 28 + 1),
            "12".into(),
        )
    }));
    let mut co = Company::new(rows).toml(QUICK_SEGMENTS);
    let mut customers = String::from("customer_id,district\n");
    for i in 0..n {
        let _ = writeln!(customers, "C{i},D{i}");
    }
    co.customers = Some(customers);
    check("20,000 districts", co);
}

/// A sale in the year 1 let through by `validation.min_date`, the rest recent: the span is
/// 2,024 years, and the monthly, weekly and curve grids stay bounded. 2.8 s (it hung before: no answer
/// in 300 s).
#[test]
fn a_sale_in_the_year_1() {
    let mut rows = history(60, 2023, 2025);
    rows.push(row("C000", "0001-01-01", "5"));
    let mut co = Company::new(rows).toml("[validation]\nmin_date = \"0001-01-01\"\n");
    let mut customers = String::from("customer_id,district\n");
    for i in 0..60 {
        let _ = writeln!(customers, "C{i:03},D{}", i % 5);
    }
    co.customers = Some(customers);
    co.notes = &[
        "models/expected_curve.csv stops after 20 years",
        "trend.csv keeps the last 240 months",
        "weekly_progress.csv keeps the last 260 weeks",
        "quotas read the last 240 months",
    ];
    check("a sale in the year 1", co);
}
