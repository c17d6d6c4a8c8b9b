//! The district pages of the demo run: every district of data/demo/customers.csv gets
//! `out/weekly/<district>.html` with its month-to-date sales, and a sheet in weekly.xlsx.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use calamine::{Reader, Xlsx, open_workbook};
use common::*;

/// Each row of a CSV as (header -> value) pairs.
fn rows(path: &Path) -> Vec<csv::StringRecord> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    r.records().map(|x| x.expect("csv row")).collect()
}

fn index(path: &Path, column: &str) -> usize {
    let mut r = csv::Reader::from_path(path).expect("csv");
    let h = r.headers().expect("header").clone();
    h.iter()
        .position(|c| c == column)
        .unwrap_or_else(|| panic!("{column} not in {}", path.display()))
}

#[test]
fn every_demo_district_gets_a_page_and_a_sheet() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let o = kam(&["run", "--out", out.to_str().unwrap_or("")]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("district pages: "), "{}", o.stdout);

    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo/customers.csv");
    let d = index(&demo, "district");
    let districts: BTreeSet<String> = rows(&demo).iter().map(|r| r[d].to_string()).collect();
    assert!(districts.len() >= 5, "{districts:?}");

    // the headline is the latest complete week of each district
    let weekly = out.join("weekly_progress.csv");
    let (wd, we, wc, wm) = (
        index(&weekly, "district"),
        index(&weekly, "week_end"),
        index(&weekly, "complete"),
        index(&weekly, "mtd_sales"),
    );
    let weekly_rows = rows(&weekly);
    let book: Xlsx<_> = open_workbook(out.join("weekly.xlsx")).expect("weekly.xlsx");
    let sheets = book.sheet_names();
    for district in &districts {
        let page = out.join("weekly").join(format!("{district}.html"));
        let html =
            std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
        let latest = weekly_rows
            .iter()
            .filter(|r| &r[wd] == district && &r[wc] == "true")
            .max_by(|a, b| a[we].cmp(&b[we]))
            .unwrap_or_else(|| panic!("{district}: no complete week"));
        let mtd: f64 = latest[wm].parse().expect("mtd_sales");
        let shown = kam::report::charts::thousands(mtd, 2);
        assert!(
            html.contains(&format!(">{shown}<")),
            "{district}: mtd_sales {shown} not on its page"
        );
        assert!(html.contains(&format!("Week ending {}", &latest[we])));
        assert!(html.contains("default-src 'none'") && !html.contains("<script"));
        assert!(sheets.contains(district), "{district} not in {sheets:?}");
    }
    assert_eq!(sheets.len(), districts.len(), "{sheets:?}");
}
