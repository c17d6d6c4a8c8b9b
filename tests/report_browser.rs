//! The report of a small generated company, end to end: `report.html` opens in headless
//! Chromium with no request leaving the page and no console message; customers named
//! `=HYPERLINK(...)` and `<script>...` come out inert in report.xlsx and report.html; the
//! workbook has its sheets and styles; a click on a table header sorts it and the filter box
//! hides rows, driven in the browser, with the key figures and findings on the page.
//! The demo's report in English and Chinese is driven the same way in tests/report_demo.rs.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::browser::*;

use calamine::{Data, Reader, Xlsx};

const FORMULA_NAME: &str = "=HYPERLINK(\"http://x\",\"y\")";
const SCRIPT_NAME: &str = "<script>alert(1)</script>";

/// `kam generate` a small company, rename two customers, `kam run` it: the output directory.
fn run_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("kam-report-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let data = root.join("data");
        let gen_out = common::kam(&[
            "generate",
            "--out",
            data.to_str().unwrap(),
            "--customers",
            "150",
            "--months",
            "24",
            "--seed",
            "7",
        ]);
        assert_eq!(gen_out.code, 0, "{}", gen_out.stderr);
        let top = largest_buyers(&data.join("transactions.csv"), 2);
        rename_customers(
            &data.join("customers.csv"),
            &top,
            &[FORMULA_NAME, SCRIPT_NAME],
        );
        let out = root.join("out");
        let run = common::kam(&[
            "run",
            "--config",
            data.join("kam.toml").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
        out
    })
}

/// The `n` customers with the largest total amount (they head report.html's top customers).
fn largest_buyers(transactions: &Path, n: usize) -> Vec<String> {
    let mut r = csv::Reader::from_path(transactions).unwrap();
    let h = r.headers().unwrap().clone();
    let (id, amount) = (
        h.iter().position(|c| c == "customer_id").unwrap(),
        h.iter().position(|c| c == "amount").unwrap(),
    );
    let mut totals: std::collections::BTreeMap<String, f64> = Default::default();
    for row in r.records() {
        let row = row.unwrap();
        *totals.entry(row[id].to_string()).or_default() +=
            row[amount].parse::<f64>().unwrap_or(0.0);
    }
    let mut v: Vec<(String, f64)> = totals.into_iter().collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1));
    v.into_iter().take(n).map(|x| x.0).collect()
}

/// Give customers `ids` of `path` the names `names`.
fn rename_customers(path: &Path, ids: &[String], names: &[&str]) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let headers = r.headers().unwrap().clone();
    let id_col = headers.iter().position(|h| h == "customer_id").unwrap();
    let name_col = headers.iter().position(|h| h == "name").unwrap();
    let rows: Vec<csv::StringRecord> = r
        .records()
        .map(|x| {
            let row = x.unwrap();
            let mut fields: Vec<String> = row.iter().map(str::to_string).collect();
            if let Some(k) = ids.iter().position(|i| *i == fields[id_col]) {
                fields[name_col] = names[k].to_string();
            }
            csv::StringRecord::from(fields)
        })
        .collect();
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(&headers).unwrap();
    for row in rows {
        w.write_record(&row).unwrap();
    }
    w.flush().unwrap();
}

#[test]
fn report_opens_in_headless_chromium_without_requests_or_console_messages() {
    let out = run_dir();
    let work = out.parent().unwrap().join("browser");
    // The detector must see what it looks for: a page with an image URL and a console error.
    let control = work.join("control.html");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(
        &control,
        "<!DOCTYPE html><html><body><img src=\"http://example.invalid/x.png\"><script>console.error('boom')</script></body></html>",
    )
    .unwrap();
    let c = open_in_chromium(&control, &work.join("control"));
    assert_eq!(
        c.page_requests,
        ["http://example.invalid/x.png"],
        "the net-log check is blind"
    );
    assert!(
        c.console.iter().any(|l| l.contains("boom")),
        "the console check is blind"
    );

    let r = open_in_chromium(&out.join("report.html"), &work.join("report"));
    assert!(
        r.page_requests.is_empty(),
        "report.html made requests: {:?}",
        r.page_requests
    );
    assert!(r.console.is_empty(), "console messages: {:?}", r.console);
    assert_eq!(&r.screenshot[1..4], b"PNG");
    assert!(
        r.screenshot.len() > 20_000,
        "a blank screenshot? {} bytes",
        r.screenshot.len()
    );
    // Kept beside the outputs for a person to look at.
    std::fs::write(out.join("report-screenshot.png"), &r.screenshot).unwrap();
}

#[test]
fn hostile_customer_names_are_inert_in_xlsx_and_html() {
    let out = run_dir();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    // one script tag: kam's own table sorter (allowed by its hash), none from the data
    assert_eq!(
        html.to_lowercase().matches("<script").count(),
        1,
        "a script tag reached report.html"
    );
    assert!(html.contains(&format!(
        "<script>{}</script>",
        kam::report::sections::SCRIPT
    )));
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the <script> customer is not shown escaped"
    );
    assert!(html.contains("default-src 'none'"));

    let mut book: Xlsx<_> = calamine::open_workbook(out.join("report.xlsx")).unwrap();
    let range = book.worksheet_range("customers").unwrap();
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let name_col = header.iter().position(|h| h == "name").unwrap();
    let names: Vec<&Data> = range.rows().skip(1).map(|r| &r[name_col]).collect();
    assert!(
        names.contains(&&Data::String(FORMULA_NAME.into())),
        "the formula-like name is not kept as text"
    );
    assert!(names.contains(&&Data::String(SCRIPT_NAME.into())));
    for sheet in book.sheet_names() {
        let formulas = book.worksheet_formula(&sheet).unwrap();
        assert!(
            formulas.cells().all(|(_, _, f)| f.is_empty()),
            "sheet {sheet} holds a formula"
        );
    }
    // Numbers stay numbers.
    let m_col = header.iter().position(|h| h == "monetary_total").unwrap();
    assert!(
        range
            .rows()
            .skip(1)
            .any(|r| matches!(r[m_col], Data::Float(_)))
    );
}

/// One file of the report.xlsx zip archive.
fn xlsx_part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn report_xlsx_has_sheets_styles_frozen_headers_and_filters() {
    let out = run_dir();
    let path = out.join("report.xlsx");
    let book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let sheets = book.sheet_names();
    assert_eq!(
        sheets[..2],
        ["summary".to_string(), "customers".to_string()]
    );
    assert!(sheets.contains(&"segments".to_string()), "{sheets:?}");
    let styles = xlsx_part(&path, "xl/styles.xml");
    assert!(
        styles.contains("quotePrefix=\"1\""),
        "no quote-prefix style"
    );
    assert!(
        styles.contains("#,##0.00") && styles.contains("0.0%"),
        "number formats missing"
    );
    assert!(styles.contains("<b/>"), "no bold header font");
    let customers = xlsx_part(&path, "xl/worksheets/sheet2.xml");
    assert!(
        customers.contains("state=\"frozen\""),
        "header row not frozen"
    );
    assert!(customers.contains("<autoFilter"), "no autofilter");

    let manifest = common::manifest(out);
    for f in [
        "report.html",
        "report.xlsx",
        // The charts the run's own tables allow today (segments, customers).
        "charts/segment_map.png",
        "charts/segment_map.svg",
        "charts/segment_profiles.png",
        "charts/segment_profiles.svg",
        "charts/clv_concentration.png",
        "charts/clv_concentration.svg",
    ] {
        assert!(manifest["outputs"][f].is_u64(), "{f} not in the manifest");
        assert!(out.join(f).exists(), "{f} not written");
    }
}

#[test]
fn a_click_on_a_header_sorts_the_table_in_chromium() {
    let out = run_dir();
    let profile = out.parent().unwrap().join("browser").join("driver-profile");
    let (seen, json) = drive(out, &profile);
    let col = |k: &str| -> Vec<f64> {
        seen[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| number(v.as_str().unwrap_or("")))
            .collect()
    };
    let (asc, desc) = (col("asc"), col("desc"));
    assert!(asc.len() >= 5, "{json}");
    assert!(
        asc.windows(2).all(|w| w[0] <= w[1]),
        "not ascending: {asc:?}"
    );
    assert!(
        desc.windows(2).all(|w| w[0] >= w[1]),
        "not descending: {desc:?}"
    );
    assert_eq!(seen["shown"], 0, "the filter hid no row");
    assert_eq!(seen["kpis"].as_object().map(|k| k.len()), Some(8), "{json}");
    assert!(seen["findings"].as_array().unwrap().len() >= 5, "{json}");
    assert_eq!(
        seen["broken_links"].as_array().map(Vec::len),
        Some(0),
        "{json}"
    );
}
