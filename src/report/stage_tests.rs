//! Stage tests on hand-made frames with the agreed columns of every table.

use super::*;
use crate::report::i18n::EN;

type R = std::result::Result<(), Box<dyn std::error::Error>>;

fn customers() -> PolarsResult<DataFrame> {
    df!(
        "customer_id" => ["C1", "C2", "C3", "C4"],
        "name" => ["=HYPERLINK(\"http://x\",\"y\")", "<script>alert(1)</script>", "Acme", "Beta"],
        "district" => ["N", "N", "E", "E"],
        "station" => ["S1", "S1", "S2", "S2"],
        "segment" => [Some(1i64), Some(2), Some(2), None],
        "segment_name" => [Some("Big"), Some("Small"), Some("Small"), None],
        "recency_days" => [5.0, 50.0, 100.0, 400.0],
        "monetary_total" => [1000.0, 100.0, 50.0, 0.0],
        "clv" => [Some(800.0), Some(20.0), None, None],
        "churn_risk" => [Some("low"), Some("high"), Some("medium"), None],
        "revenue_at_risk" => [Some(10.0), Some(90.0), Some(5.0), None],
    )
}

/// Every agreed table, one or two rows each.
pub fn all_tables() -> PolarsResult<Vec<(String, DataFrame)>> {
    Ok(vec![
        (
            "segments".into(),
            df!("segment" => [Some(1i64), Some(2), None], "segment_name" => ["Big", "Small", "No purchases"],
                "customers" => [1i64, 2, 1], "share_customers" => [0.25, 0.5, 0.25],
                "share_revenue" => [Some(0.87), Some(0.13), None])?,
        ),
        (
            "trend".into(),
            df!("level" => ["company", "company", "company"], "unit" => ["company", "company", "company"],
                "month" => ["2025-11", "2025-12", "2026-01"], "kind" => ["actual", "actual", "forecast"],
                "revenue" => [100.0, 120.0, 130.0], "volume" => [1.0, 1.2, 1.3],
                "revenue_yoy_growth" => [None, Some(0.1), None], "revenue_ma3" => [None, Some(110.0), None],
                "revenue_lo" => [None, None, Some(110.0)], "revenue_hi" => [None, None, Some(150.0)],
                "method" => ["holt_winters", "holt_winters", "holt_winters"])?,
        ),
        (
            "attainment".into(),
            df!("period" => ["2025-12", "2025-12"], "level" => ["district", "district"], "unit" => ["N", "E"],
                "metric" => ["revenue", "revenue"], "actual" => [90.0, 0.0], "target" => [Some(100.0), Some(50.0)],
                "completion_rate" => [Some(0.9), Some(0.0)])?,
        ),
        (
            "leaderboard".into(),
            df!("board" => ["completion_rate"; 2], "level" => ["station"; 2], "unit" => ["S1", "S2"],
                "value" => [1.1, 0.7], "rank" => [1i64, 2])?,
        ),
        (
            "weekly_progress".into(),
            df!("district" => ["N", "E"], "week_end" => ["2025-12-28"; 2], "complete" => [true; 2],
                "sales" => [90.0, 10.0], "month" => ["2025-12"; 2], "mtd_sales" => [900.0, 100.0],
                "month_target" => [1000.0, 50.0], "mtd_completion_rate" => [0.9, 2.0],
                "days_left_in_month" => [3i64, 3], "pace_needed_per_day" => [Some(33.3), None])?,
        ),
        (
            "portfolios".into(),
            df!("account_manager" => ["M1", "M2"], "revenue_last_12m" => [900.0, 1200.0],
                "revenue_at_risk" => [Some(100.0), None])?,
        ),
        (
            "campaigns".into(),
            df!("by" => ["channel", "campaign"], "channel" => ["flyer", "flyer"], "campaign_id" => [None, Some("CP1")],
                "reached" => [100i64, 100], "converted" => [5i64, 5], "conversion_rate" => [0.05, 0.05])?,
        ),
        (
            "models/calibration_by_frequency".into(),
            df!("frequency" => ["0", "1", "7+"], "customers" => [10i64, 5, 1], "actual_mean" => [0.1, 0.8, 6.0],
                "predicted_mean" => [0.2, 0.7, 5.5])?,
        ),
        (
            "market_share".into(),
            df!("customer_id" => ["C1", "C2"], "name" => ["=cmd|' /C calc'!A0", "Acme"], "eligible" => [true, true],
                "share_of_capacity" => [0.3, 0.1], "allocation" => [300.0, 100.0],
                "capacity" => [1000.0, 1000.0], "cap_max_volume" => [300.0, 300.0])?,
        ),
        (
            "credit_mix".into(),
            df!("level" => ["district", "district"], "unit" => ["N", "N"], "credit_grade" => ["A", "B"],
                "revenue_share" => [0.7, 0.3])?,
        ),
        (
            "quotas".into(),
            df!("level" => ["district"], "unit" => ["N"], "quota" => [1000.0])?,
        ),
        (
            "escalations".into(),
            df!("deal_id" => ["D1"], "name" => ["<img src=x onerror=alert(1)>"], "days_stalled" => [40i64])?,
        ),
        (
            "product_penetration".into(),
            df!("segment" => [Some(1i64), Some(1), None], "segment_name" => ["Big", "Big", "all customers"],
                "product" => ["cement", "fly ash", "cement"], "penetration" => [1.0, 0.5, 1.0],
                "share_revenue" => [0.9, 0.1, 1.0])?,
        ),
        (
            "product_affinity".into(),
            df!("antecedent" => ["fly ash"], "consequent" => ["slag"], "lift" => [2.5])?,
        ),
        (
            "channel_mix".into(),
            df!("segment" => [Some(1i64), None], "segment_name" => ["Big", "all customers"],
                "channel" => ["direct", "direct"], "penetration" => [1.0, 1.0], "share_revenue" => [1.0, 1.0])?,
        ),
        (
            "models/value_matrices".into(),
            df!("kind" => ["expected_purchases", "expected_purchases", "p_alive", "p_alive"],
                "frequency" => [0.0, 2.0, 0.0, 2.0], "recency" => [0.0, 30.0, 0.0, 30.0],
                "age" => [30.0; 4], "horizon" => [52.0; 4], "unit" => ["weeks"; 4],
                "value" => [0.2, 3.1, 1.0, 0.9])?,
        ),
        (
            "models/frequency_histogram".into(),
            df!("frequency" => ["0", "1", "7+"], "actual_customers" => [5u64, 3, 1],
                "model_customers" => [5.2, 2.6, 1.2])?,
        ),
        (
            "models/holdout_tracking".into(),
            df!("week_end" => ["2025-01-04", "2025-01-11"], "week" => [1u32, 2],
                "period" => ["calibration", "holdout"], "actual_cumulative" => [1.0, 3.0],
                "predicted_cumulative" => [1.5, 2.5], "actual_weekly" => [1.0, 2.0],
                "predicted_weekly" => [1.5, 1.0])?,
        ),
        (
            "models/churn_diagnostics".into(),
            df!("kind" => ["roc", "roc", "roc", "gains", "gains", "calibration", "calibration"],
                "x" => [0.0, 0.3, 1.0, 0.1, 1.0, 0.2, 0.7], "y" => [0.0, 0.8, 1.0, 0.4, 1.0, 0.25, 0.6])?,
        ),
        (
            "satisfaction".into(),
            df!("by" => ["company", "district"], "unit" => ["all", "N"], "nps" => [Some(10.0), Some(-5.0)],
                "nps_responses" => [20i64, 8])?,
        ),
    ])
}

fn inputs(tables: Vec<(String, DataFrame)>, lang: Lang) -> PolarsResult<ReportInputs> {
    Ok(ReportInputs {
        customers: customers()?,
        tables,
        summary: vec!["customers: 4 rows".into()],
        facts: RunFacts {
            as_of: Some("2026-01-01".into()),
            seed: 42,
            version: "0.1.0".into(),
        },
        lang,
    })
}

#[test]
fn every_chart_renders_from_the_agreed_tables() -> R {
    let files = build(&inputs(all_tables()?, Lang::En)?)?;
    assert!(files.notes.is_empty(), "{:?}", files.notes);
    let names: Vec<&str> = files.files.iter().map(|f| f.0.as_str()).collect();
    for chart in CHART_NAMES {
        assert!(
            names.contains(&format!("charts/{chart}.png").as_str()),
            "{chart} missing: {names:?}"
        );
        assert!(names.contains(&format!("charts/{chart}.svg").as_str()));
    }
    assert!(names.contains(&"report.html") && names.contains(&"report.xlsx"));
    for page in ["weekly/E.html", "weekly/N.html", "weekly.xlsx"] {
        assert!(names.contains(&page), "{page} missing: {names:?}");
    }
    let html = files
        .files
        .iter()
        .find(|f| f.0 == "report.html")
        .map(|f| String::from_utf8_lossy(&f.1).into_owned());
    let html = html.unwrap_or_default();
    // kam's one sorting script, nothing from the data
    assert!(html.matches("<script").count() == 1 && !html.contains("<img"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_eq!(html.matches("<svg").count(), CHART_NAMES.len());
    Ok(())
}

#[test]
fn missing_tables_skip_their_charts_with_notes() -> R {
    let files = build(&inputs(vec![], Lang::Zh)?)?;
    let names: Vec<&str> = files.files.iter().map(|f| f.0.as_str()).collect();
    assert!(names.contains(&"charts/segment_map.png"));
    assert!(names.contains(&"charts/clv_concentration.svg"));
    assert!(names.contains(&"charts/churn_risk.png"));
    assert!(!names.contains(&"charts/sales_trend.png"));
    assert!(
        files
            .notes
            .iter()
            .any(|n| n == "chart sales_trend skipped: trend.csv was not written by this run")
    );
    let html = files
        .files
        .iter()
        .find(|f| f.0 == "report.html")
        .map(|f| String::from_utf8_lossy(&f.1).into_owned());
    assert!(html.unwrap_or_default().contains("客户分群"));
    Ok(())
}

#[test]
fn same_inputs_give_identical_bytes() -> R {
    let a = build(&inputs(all_tables()?, Lang::En)?)?;
    let b = build(&inputs(all_tables()?, Lang::En)?)?;
    assert_eq!(a.files.len(), b.files.len());
    for (x, y) in a.files.iter().zip(&b.files) {
        assert!(x == y, "{} differs", x.0);
    }
    Ok(())
}

#[test]
fn readme_lists_every_chart_and_shows_committed_pngs() -> R {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md"))?;
    for chart in CHART_NAMES {
        assert!(
            readme.contains(&format!("`{chart}`")),
            "README does not list chart {chart}"
        );
    }
    for png in ["segment_map", "segment_profiles", "clv_concentration"] {
        let path = format!("docs/charts/{png}.png");
        assert!(
            readme.contains(&format!("]({path})")),
            "README does not show {path}"
        );
        assert!(
            root.join(&path).exists(),
            "{path} is not committed (scripts/readme-charts.sh)"
        );
    }
    let (charts, _) = charts(&inputs(all_tables()?, Lang::En)?, &EN);
    let names: Vec<&str> = charts.iter().map(|c| c.0).collect();
    assert_eq!(names, CHART_NAMES);
    Ok(())
}

#[test]
fn every_chart_has_a_caption_with_the_data_date() -> R {
    for chart in CHART_NAMES {
        let en = crate::report::i18n_captions::footer(chart, Lang::En, Some("2026-01-01"));
        assert!(
            en.ends_with("Data as of 2026-01-01.") && en.len() > 40,
            "{chart}: {en}"
        );
        let zh = crate::report::i18n_captions::footer(chart, Lang::Zh, Some("2026-01-01"));
        assert!(zh.ends_with("数据截至 2026-01-01。"), "{chart}: {zh}");
    }
    let files = build(&inputs(all_tables()?, Lang::En)?)?;
    let html = files
        .files
        .iter()
        .find(|f| f.0 == "report.html")
        .map(|f| String::from_utf8_lossy(&f.1).into_owned())
        .unwrap_or_default();
    assert_eq!(html.matches("<figcaption>").count(), CHART_NAMES.len());
    assert!(html.contains("Data as of 2026-01-01.</figcaption>"));
    Ok(())
}
