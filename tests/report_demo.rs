//! The demo's report.html, in English and in Chinese, rendered in headless Chromium as its
//! readers open it: no request leaves the page and nothing reaches the console (so the
//! policy's script hash and, in Chinese, its embedded font are allowed); the eight key figures
//! read from the rendered page equal the figures of the output tables behind them; at least
//! five findings, in the report's language (in Chinese, drawn in the font the page carries), each linking to a chart or table on the page;
//! every chart is drawn; a click on a table header sorts it both ways; a screenshot is taken
//! (kept as `report-screenshot.png` beside the outputs).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::browser::*;
use common::figures::cards_agree;

/// The charts the demo draws: every one kam has.
const DEMO_CHARTS: usize = kam::report::stage::CHART_NAMES.len();

/// `kam run` on the demo with `lang` (the demo's own config, its input paths made absolute,
/// so that the copy in `dir` reads the bundled files): the output directory.
fn run_demo(dir: &Path, lang: &str) -> PathBuf {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
    let toml = std::fs::read_to_string(demo.join("kam.toml")).unwrap();
    let toml: String = toml
        .lines()
        .map(|l| match l.strip_prefix("path = \"") {
            Some(rest) => format!("path = \"{}/{rest}", demo.display()),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let config = dir.join(format!("kam-{lang}.toml"));
    std::fs::write(&config, format!("lang = \"{lang}\"\n{toml}\n")).unwrap();
    let out = dir.join(lang);
    let o = common::kam(&[
        "run",
        "--quiet",
        "--config",
        config.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    out
}

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Everything the header of this file says, on the report of `out` in `lang`.
fn report_reads_right_in_chromium(out: &Path, lang: &str) {
    let work = out.parent().unwrap().join(format!("browser-{lang}"));
    let r = open_in_chromium(&out.join("report.html"), &work);
    assert!(r.page_requests.is_empty(), "{lang}: {:?}", r.page_requests);
    assert!(r.console.is_empty(), "{lang}: {:?}", r.console);
    assert_eq!(&r.screenshot[1..4], b"PNG");
    assert!(r.screenshot.len() > 20_000, "{lang}: a blank screenshot?");
    std::fs::write(out.join("report-screenshot.png"), &r.screenshot).unwrap();

    let (seen, json) = drive(out, &work.join("driver-profile"));
    assert_eq!(seen["lang"], if lang == "zh" { "zh-CN" } else { "en" });
    // a Chinese page draws its text in the font it carries (this machine has no other)
    assert_eq!(seen["cjk_font"], lang == "zh", "{json}");
    let kpis: BTreeMap<String, f64> = (seen["kpis"].as_object().unwrap().iter())
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str().unwrap_or("").parse().unwrap_or(f64::NAN),
            )
        })
        .collect();
    assert_eq!(kpis.len(), 8, "{json}");
    cards_agree(&kpis, out);
    let findings: Vec<&str> = (seen["findings"].as_array().unwrap().iter())
        .map(|f| f.as_str().unwrap_or(""))
        .collect();
    assert!(findings.len() >= 5, "{lang}: {findings:?}");
    assert!(
        findings.iter().all(|f| has_chinese(f) == (lang == "zh")),
        "{lang}: {findings:?}"
    );
    assert_eq!(
        seen["broken_links"].as_array().map(Vec::len),
        Some(0),
        "{json}"
    );
    assert_eq!(seen["figures"].as_u64(), Some(DEMO_CHARTS as u64), "{json}");
    let col = |k: &str| -> Vec<f64> {
        (seen[k].as_array().unwrap().iter())
            .map(|v| number(v.as_str().unwrap_or("")))
            .collect()
    };
    let (asc, desc) = (col("asc"), col("desc"));
    assert!(asc.len() >= 5, "{json}");
    assert!(asc.windows(2).all(|w| w[0] <= w[1]), "{lang}: {asc:?}");
    assert!(desc.windows(2).all(|w| w[0] >= w[1]), "{lang}: {desc:?}");
    assert_eq!(seen["shown"], 0, "the filter hid no row");
}

#[test]
fn the_demo_report_reads_right_in_english_and_chinese() {
    let tmp = tempfile::tempdir().unwrap();
    for lang in ["en", "zh"] {
        let out = run_demo(tmp.path(), lang);
        report_reads_right_in_chromium(&out, lang);
    }
}
