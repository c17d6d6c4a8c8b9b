//! `kam run` on the demo company writes the tracking tables (issue 7, items 1-5) with the
//! agreed columns, the same bytes every run, and a forecast report that says whether the
//! chosen method beat seasonal naive on the holdout.

mod common;

use std::path::Path;

use common::*;

const FILES: [(&str, &str); 5] = [
    (
        "attainment.csv",
        "period,level,unit,metric,actual,target,completion_rate,ytd_actual,ytd_target,ytd_completion_rate,actual_last_year,yoy_change",
    ),
    (
        "weekly_progress.csv",
        "district,week_end,sales,volume,new_customers,new_key_accounts,month,mtd_sales,month_target,mtd_completion_rate,days_left_in_month,pace_needed_per_day",
    ),
    ("leaderboard.csv", "board,level,unit,value,rank"),
    (
        "campaigns.csv",
        "by,channel,campaign_id,reached,converted,conversion_rate,cost,cost_per_conversion,first_topup_total,first_topup_per_conversion",
    ),
    (
        "trend.csv",
        "level,unit,month,kind,revenue,volume,revenue_yoy_growth,revenue_ma3,revenue_lo,revenue_hi,method",
    ),
];

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn demo_run_writes_the_tracking_tables_deterministically() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let o = kam(&["run", "--out", a.to_str().unwrap_or("")]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let m = manifest(&a);
    for (file, header) in FILES {
        let text = read(&a.join(file));
        assert_eq!(text.lines().next(), Some(header), "{file}");
        assert_eq!(
            m["outputs"][file].as_u64(),
            Some(csv_rows(&a.join(file)) as u64),
            "{file} in the manifest"
        );
        assert!(csv_rows(&a.join(file)) > 0, "{file} has rows");
    }
    assert_eq!(m["outputs"]["models/forecast.json"].as_u64(), Some(1));

    // every weekly row closes on a Sunday
    let weekly = read(&a.join("weekly_progress.csv"));
    for line in weekly.lines().skip(1) {
        let day = line.split(',').nth(1).unwrap_or("");
        let date = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").expect("a date");
        assert_eq!(
            chrono::Datelike::weekday(&date),
            chrono::Weekday::Sun,
            "{line}"
        );
    }

    // the forecast beats seasonal naive on the demo's holdout, or says it does not
    let f: serde_json::Value =
        serde_json::from_str(&read(&a.join("models/forecast.json"))).expect("JSON");
    let smape = |method: &str| {
        f["candidates"]
            .as_array()
            .and_then(|c| c.iter().find(|c| c["method"] == method))
            .and_then(|c| c["smape"].as_f64())
    };
    let chosen = f["method"].as_str().expect("a chosen method");
    let (won, naive) = (smape(chosen), smape("seasonal_naive"));
    assert!(won.is_some() && naive.is_some(), "{f}");
    let beat = f["beat_seasonal_naive"].as_bool().expect("a yes or no");
    assert_eq!(beat, won < naive, "{f}");
    let said = if beat {
        "beats seasonal naive"
    } else {
        "does not beat seasonal naive"
    };
    assert!(o.stdout.contains(said), "{}", o.stdout);
    assert_eq!(f["candidates"].as_array().map(Vec::len), Some(4));
    // the demo grows year on year, so a trend-aware method wins there
    assert!(beat, "{f}");

    // forecast rows carry an interval around the forecast
    let trend = read(&a.join("trend.csv"));
    let forecasts: Vec<&str> = trend
        .lines()
        .filter(|l| l.starts_with("company,company,") && l.contains(",forecast,"))
        .collect();
    assert_eq!(forecasts.len(), 3, "{trend}");
    for l in forecasts {
        let v: Vec<&str> = l.split(',').collect();
        let (rev, lo, hi): (f64, f64, f64) = (
            v[4].parse().expect("revenue"),
            v[8].parse().expect("lo"),
            v[9].parse().expect("hi"),
        );
        assert!(lo <= rev && rev <= hi, "{l}");
        assert_eq!(v[10], chosen);
    }

    let o = kam(&["run", "--quiet", "--out", b.to_str().unwrap_or("")]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    for file in FILES.map(|f| f.0).iter().chain(&["models/forecast.json"]) {
        assert!(
            read(&a.join(file)) == read(&b.join(file)),
            "{file} differs between runs"
        );
    }
}
