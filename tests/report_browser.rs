//! The report of a small generated company, end to end: `report.html` opens in headless
//! Chromium with no request leaving the page and no console message; customers named
//! `=HYPERLINK(...)` and `<script>...` come out inert in report.xlsx and report.html; the
//! workbook has its sheets and styles; a click on a table header sorts it and the filter box
//! hides rows, driven in the browser, with the key figures and findings on the page.
//!
//! Chromium is required (CI installs Debian's `chromium`): the test fails, never skips, when
//! it is missing. `KAM_CHROMIUM` overrides its path.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

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

fn chromium() -> PathBuf {
    if let Some(p) = std::env::var_os("KAM_CHROMIUM") {
        return PathBuf::from(p);
    }
    for p in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if Path::new(p).exists() {
            return PathBuf::from(p);
        }
    }
    panic!(
        "Chromium is missing: install it with `apt-get install -y chromium` (CI does) or set KAM_CHROMIUM"
    );
}

/// What a headless Chromium saw while loading `page`.
struct BrowserRun {
    /// URLs the page asked the network for (Chromium's own service requests are not counted).
    page_requests: Vec<String>,
    /// Console messages (errors, warnings, logs, CSP violations).
    console: Vec<String>,
    screenshot: Vec<u8>,
}

/// Headless Chromium with a fresh profile at `profile` and no background networking (the
/// flags this machine's closed network needs), before the run's own flags.
fn headless(profile: &Path) -> Command {
    let _ = std::fs::remove_dir_all(profile);
    let mut c = Command::new(chromium());
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

/// Open `page` in headless Chromium, take a full-page screenshot and read the net log.
fn open_in_chromium(page: &Path, work: &Path) -> BrowserRun {
    std::fs::create_dir_all(work).unwrap();
    let (netlog, shot) = (work.join("netlog.json"), work.join("screenshot.png"));
    let out = headless(&work.join("profile"))
        .args([
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--window-size=1280,3000",
        ])
        .arg(format!("--log-net-log={}", netlog.display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium starts");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let console = stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect();
    BrowserRun {
        page_requests: page_requests(&netlog),
        console,
        screenshot: std::fs::read(&shot).unwrap_or_default(),
    }
}

/// URL requests in a Chromium net log that a `file://` page started: their network
/// isolation key is the file origin (Chromium's own update and account requests have none).
fn page_requests(netlog: &Path) -> Vec<String> {
    let mut text = String::new();
    std::fs::File::open(netlog)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    // Chromium may stop before closing the JSON array; close it.
    let text = text.trim_end().trim_end_matches(',');
    let log: serde_json::Value = serde_json::from_str(text)
        .or_else(|_| serde_json::from_str(&format!("{text}]}}")))
        .expect("the net log is JSON");
    let start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
        .as_u64()
        .expect("event type");
    log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"].as_u64() == Some(start))
        .filter(|e| {
            e["params"]["network_isolation_key"]
                .as_str()
                .is_some_and(|k| k.contains("file://"))
        })
        .filter_map(|e| e["params"]["url"].as_str().map(str::to_string))
        .collect()
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

/// A page beside report.html that loads it in a frame once it has run its own script, clicks
/// the `clv` header of the top-customers table twice, types into that table's filter box and
/// writes what it saw as JSON; Chromium dumps the DOM after the frame's load.
const DRIVER: &str = r#"<!DOCTYPE html><html><body><pre id="result">none</pre>
<iframe id="f" src="report.html" onload="go()"></iframe>
<script>
function cells(t,i){return Array.prototype.map.call(t.tBodies[0].rows,function(r){return r.cells[i].textContent;});}
function go(){try{var d=document.getElementById('f').contentDocument;
var t=d.getElementById('rows-table-top_customers');var ths=t.querySelectorAll('th');var i=-1;
ths.forEach(function(th,k){if(th.textContent==='clv')i=k;});
ths[i].click();var asc=cells(t,i);ths[i].click();var desc=cells(t,i);
var f=d.querySelector('input.filter[data-table="rows-table-top_customers"]');f.value='zz-no-such-row';f.dispatchEvent(new Event('input'));
var shown=Array.prototype.filter.call(t.tBodies[0].rows,function(r){return r.style.display!=='none';}).length;
var kpis=d.querySelectorAll('[data-kpi]').length,findings=d.querySelectorAll('[data-finding]').length;
document.getElementById('result').textContent=JSON.stringify({asc:asc,desc:desc,shown:shown,kpis:kpis,findings:findings});
}catch(e){document.getElementById('result').textContent='error '+e;}}
</script></body></html>"#;

fn number(s: &str) -> f64 {
    s.replace(',', "").parse().unwrap_or(f64::NAN)
}

#[test]
fn a_click_on_a_header_sorts_the_table_in_chromium() {
    let out = run_dir();
    let driver = out.join("driver.html");
    std::fs::write(&driver, DRIVER).unwrap();
    let profile = out.parent().unwrap().join("browser").join("driver-profile");
    let dom = headless(&profile)
        .args([
            "--allow-file-access-from-files",
            "--virtual-time-budget=5000",
            "--dump-dom",
        ])
        .arg(format!("file://{}", driver.display()))
        .output()
        .expect("chromium starts");
    let dom = String::from_utf8_lossy(&dom.stdout);
    let json = dom
        .split("<pre id=\"result\">")
        .nth(1)
        .and_then(|r| r.split("</pre>").next())
        .unwrap_or("")
        .replace("&quot;", "\"");
    let seen: serde_json::Value =
        serde_json::from_str(&json).unwrap_or_else(|_| panic!("driver saw: {json}"));
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
    assert_eq!(seen["kpis"], 8, "{json}");
    assert!(seen["findings"].as_u64().unwrap_or(0) >= 5, "{json}");
}
