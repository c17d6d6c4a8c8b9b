//! Headless Chromium for the report tests: open a page and read its network log, console and
//! screenshot; drive report.html through a page that clicks and types in it.
//!
//! Chromium is required (CI installs Debian's `chromium`): the tests fail, never skip, when
//! it is missing. `KAM_CHROMIUM` overrides its path.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn chromium() -> PathBuf {
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
pub struct BrowserRun {
    /// URLs the page asked the network for (Chromium's own service requests are not counted).
    pub page_requests: Vec<String>,
    /// Console messages (errors, warnings, logs, CSP violations).
    pub console: Vec<String>,
    pub screenshot: Vec<u8>,
}

/// Headless Chromium with a fresh profile at `profile` and no background networking (the
/// flags this machine's closed network needs), before the run's own flags.
pub fn headless(profile: &Path) -> Command {
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
pub fn open_in_chromium(page: &Path, work: &Path) -> BrowserRun {
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
pub fn page_requests(netlog: &Path) -> Vec<String> {
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

/// A page beside report.html that loads it in a frame once it has run its own script, reads
/// the key figures (`data-kpi` -> `data-value`) and findings from the rendered page, clicks the
/// `clv` header of the top-customers table twice, types into that table's filter box and
/// writes what it saw as JSON; Chromium dumps the DOM after the frame's load.
pub const DRIVER: &str = r#"<!DOCTYPE html><html><body><pre id="result">none</pre>
<iframe id="f" src="report.html" onload="go()"></iframe>
<script>
function cells(t,i){return Array.prototype.map.call(t.tBodies[0].rows,function(r){return r.cells[i].textContent;});}
function go(){try{var d=document.getElementById('f').contentDocument;
var kpis={};d.querySelectorAll('[data-kpi]').forEach(function(k){kpis[k.getAttribute('data-kpi')]=k.getAttribute('data-value');});
var findings=[],broken=[];d.querySelectorAll('[data-finding]').forEach(function(f){findings.push(f.textContent);
var a=f.querySelector('a');var id=a?a.getAttribute('href').slice(1):'';if(!d.getElementById(id))broken.push(id);});
var t=d.getElementById('rows-table-top_customers');var ths=t.querySelectorAll('th');var i=-1;
ths.forEach(function(th,k){if(th.textContent==='clv')i=k;});
ths[i].click();var asc=cells(t,i);ths[i].click();var desc=cells(t,i);
var f=d.querySelector('input.filter[data-table="rows-table-top_customers"]');f.value='zz-no-such-row';f.dispatchEvent(new Event('input'));
var shown=Array.prototype.filter.call(t.tBodies[0].rows,function(r){return r.style.display!=='none';}).length;
document.getElementById('result').textContent=JSON.stringify({asc:asc,desc:desc,shown:shown,kpis:kpis,findings:findings,
broken_links:broken,lang:d.documentElement.lang,figures:d.querySelectorAll('figure svg').length,
cjk_font:Array.from(d.fonts).some(function(x){return x.family.indexOf('WenQuanYi')>=0&&x.status==='loaded';})});
}catch(e){document.getElementById('result').textContent='error '+e;}}
</script></body></html>"#;

pub fn number(s: &str) -> f64 {
    s.replace(',', "").parse().unwrap_or(f64::NAN)
}

/// Load report.html of `out` through [`DRIVER`] (a Chromium profile at `profile`): what the
/// driver saw, as JSON and as its text.
pub fn drive(out: &Path, profile: &Path) -> (serde_json::Value, String) {
    let driver = out.join("driver.html");
    std::fs::write(&driver, DRIVER).unwrap();
    let dom = headless(profile)
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
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let seen = serde_json::from_str(&json).unwrap_or_else(|_| panic!("driver saw: {json}"));
    (seen, json)
}
