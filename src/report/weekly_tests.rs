//! District pages on hand-made frames: hostile names, colliding names, missing tables.

use super::*;
use crate::report::i18n::Lang;
use crate::report::stage::{ReportFiles, ReportInputs, RunFacts};
use crate::report::weekly_html;
use calamine::{Reader, Xlsx};
use std::io::Cursor;

type R = std::result::Result<(), Box<dyn std::error::Error>>;

const HOSTILE: &str = "<script>alert(1)</script>";

fn customers(districts: [&str; 3]) -> PolarsResult<DataFrame> {
    df!(
        "customer_id" => ["C1", "C2", "C3"],
        "name" => ["Acme <b>", "Beta", "Gamma"],
        "district" => districts,
        "station" => ["S1", "S2", "S3"],
        "account_manager" => ["Ann", "Bo", "Cy"],
        "key_account_tier" => [Some("strategic"), Some("core"), None],
        "churn_risk" => ["high", "high", "high"],
        "revenue_last_12m" => [1000.0, 5000.0, 9.0],
        "revenue_at_risk" => [100.0, 2500.5, 9.0],
        "churn_driver_1" => ["recency_days = 90 (+1.0)", "orders = 1 (+0.5)", "x"],
    )
}

/// Two weeks of December for each district: the second still in progress.
fn weekly(districts: [&str; 2]) -> PolarsResult<DataFrame> {
    let d = |i: usize| districts[i];
    df!(
        "district" => [d(0), d(0), d(1), d(1)],
        "week_end" => ["2025-12-21", "2025-12-28", "2025-12-21", "2025-12-28"],
        "complete" => [true, false, true, false],
        "sales" => [1000.0, 2000.0, 10.0, 20.0],
        "new_customers" => [1i64, 2, 0, 0],
        "deals_signed" => [0i64, 1, 0, 0],
        "month" => ["2025-12", "2025-12", "2025-12", "2025-12"],
        "mtd_sales" => [1234567.891, 2234567.891, 10.0, 30.0],
        "month_target" => [Some(4_000_000.0), Some(4_000_000.0), None, None],
        "mtd_completion_rate" => [Some(0.3086), Some(0.5586), None, None],
        "days_left_in_month" => [10i64, 3, 10, 3],
        "pace_needed_per_day" => [Some(276543.2), Some(588477.4), None, None],
    )
}

fn inputs(customers: DataFrame, tables: Vec<(String, DataFrame)>) -> ReportInputs {
    ReportInputs {
        customers,
        tables,
        summary: Vec::new(),
        facts: RunFacts {
            as_of: Some("2025-12-25".into()),
            ..RunFacts::default()
        },
        lang: Lang::En,
    }
}

fn page<'a>(files: &'a [(String, Vec<u8>)], name: &str) -> Option<&'a str> {
    files
        .iter()
        .find(|(f, _)| f == name)
        .and_then(|(_, b)| std::str::from_utf8(b).ok())
}

#[test]
fn hostile_district_is_escaped_in_the_page_and_safe_in_the_file_name() -> R {
    let c = customers([HOSTILE, HOSTILE, "../x"])?;
    let w = weekly([HOSTILE, "../x"])?;
    let ReportFiles { files, notes } =
        weekly_html::build(&inputs(c, vec![(WEEKLY_PROGRESS.into(), w)]))?;
    assert!(notes.is_empty(), "{notes:?}");
    let names: Vec<&str> = files.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        names,
        [
            "weekly/___x.html",
            "weekly/_script_alert(1)__script_.html",
            "weekly.xlsx"
        ]
    );
    let html = page(&files, "weekly/_script_alert(1)__script_.html").ok_or("no page")?;
    assert!(!html.contains("<script"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("Acme &lt;b&gt;"));
    assert!(html.contains(crate::report::html::CSP));
    assert!(
        !html.contains("href") && !html.contains("src=\""),
        "no link, no request"
    );
    // headline: the latest complete week, numbers formatted
    assert!(html.contains("Week ending 2025-12-21"));
    assert!(html.contains(">1,234,567.89<"), "{html}");
    assert!(html.contains(">31%<"));
    assert!(html.contains(">276,543.20<"));
    // high-risk key accounts: only key accounts, largest revenue at risk first
    let risky = html.find("2,500.50").ok_or("C2 missing")?;
    assert!(risky < html.find(">100.00<").ok_or("C1 missing")?);
    assert!(!html.contains("Gamma"));
    for (f, _) in &files {
        assert!(
            crate::schema::outputs::find(f).is_some(),
            "{f} is not declared"
        );
    }
    Ok(())
}

#[test]
fn safe_names_replace_every_unsafe_character() {
    assert_eq!(safe_name("../x"), "___x");
    assert_eq!(safe_name("a/b\\c:d*e?f\"g<h>i|j"), "a_b_c_d_e_f_g_h_i_j");
    assert_eq!(safe_name("tab\there\u{7}"), "tab_here_");
    assert_eq!(safe_name("..."), "___");
    assert_eq!(safe_name("a.b"), "a.b");
    assert_eq!(safe_name(""), "_");
    assert_eq!(safe_name("con"), "_con");
    assert_eq!(safe_name("海淀区"), "海淀区");
    assert!(safe_name(&"长".repeat(100)).len() <= MAX_STEM_BYTES);
}

#[test]
fn colliding_districts_get_distinct_files() -> R {
    let names: Vec<String> = ["a/b", "a:b", "A_B", "a_b_2"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(file_stems(&names), ["a_b", "a_b_2", "A_B_3", "a_b_2_2"]);
    let c = customers(["a/b", "a:b", "a:b"])?;
    let files = weekly_html::build(&inputs(
        c,
        vec![(WEEKLY_PROGRESS.into(), weekly(["a/b", "a:b"])?)],
    ))?
    .files;
    let a = page(&files, "weekly/a_b.html").ok_or("a_b")?;
    let b = page(&files, "weekly/a_b_2.html").ok_or("a_b_2")?;
    assert!(a.contains("Weekly report: a/b"));
    assert!(b.contains("Weekly report: a:b"));
    let xlsx = &files
        .iter()
        .find(|(f, _)| f == "weekly.xlsx")
        .ok_or("xlsx")?
        .1;
    let book: Xlsx<_> = Xlsx::new(Cursor::new(xlsx.clone()))?;
    assert_eq!(book.sheet_names(), ["a_b", "a_b (2)"]);
    Ok(())
}

#[test]
fn page_without_leaderboard_or_escalations_still_renders() -> R {
    let c = customers(["N", "N", "E"])?;
    let files = weekly_html::build(&inputs(
        c,
        vec![(WEEKLY_PROGRESS.into(), weekly(["N", "E"])?)],
    ))?
    .files;
    let html = page(&files, "weekly/N.html").ok_or("N")?;
    assert!(html.contains("Stations on the leaderboard"));
    assert!(html.contains("Escalated deals"));
    assert!(html.contains("None."));
    assert!(html.ends_with("</html>\n"));
    Ok(())
}

#[test]
fn leaderboard_and_escalations_are_the_districts_own() -> R {
    let c = customers(["N", "N", "E"])?;
    let board = df!(
        "board" => ["completion_rate", "completion_rate", "completion_rate", "first_topup"],
        "level" => ["station", "station", "account_manager", "station"],
        "unit" => ["S1", "S3", "S1", "S2"],
        "value" => [1.2179, 0.9, 0.5, 87875.74],
        "rank" => [1i64, 2, 1, 1],
    )?;
    let esc = df!("deal_id" => ["D1", "D2"], "customer_id" => ["C3", "C2"], "intended_amount" => [5.0, 7.0])?;
    let tables = vec![
        (WEEKLY_PROGRESS.into(), weekly(["N", "E"])?),
        (LEADERBOARD.into(), board),
        (ESCALATIONS.into(), esc),
    ];
    let weeks = district_weeks(&inputs(c, tables))?.map_err(|n| n.to_string())?;
    let n = weeks.iter().find(|w| w.district == "N").ok_or("N")?;
    assert_eq!(n.leaderboard.height(), 2, "{}", n.leaderboard);
    assert_eq!(n.escalations.height(), 1);
    assert_eq!(n.escalations.column("deal_id")?.str()?.get(0), Some("D2"));
    let html = weekly_html::page(
        n,
        crate::report::i18n_weekly::weekly_texts(Lang::En),
        Lang::En,
        None,
    );
    assert!(html.contains(">122%<"), "{html}");
    assert!(html.contains(">87,876<"));
    Ok(())
}

#[test]
fn no_weekly_progress_or_no_stations_means_no_pages_and_a_note() -> R {
    let ReportFiles { files, notes } =
        weekly_html::build(&inputs(customers(["N", "N", "E"])?, Vec::new()))?;
    assert!(files.is_empty());
    assert!(notes[0].contains("no weekly_progress"), "{notes:?}");
    let bare = df!("customer_id" => ["C1"])?;
    let tables = vec![(WEEKLY_PROGRESS.into(), weekly(["N", "E"])?)];
    let ReportFiles { files, notes } = weekly_html::build(&inputs(bare, tables))?;
    assert!(files.is_empty());
    assert!(notes[0].contains("district and station"), "{notes:?}");
    Ok(())
}

#[test]
fn chinese_pages_use_chinese_texts() -> R {
    let c = customers(["海淀", "海淀", "朝阳"])?;
    let mut i = inputs(c, vec![(WEEKLY_PROGRESS.into(), weekly(["海淀", "朝阳"])?)]);
    i.lang = Lang::Zh;
    let files = weekly_html::build(&i)?.files;
    let html = page(&files, "weekly/海淀.html").ok_or("海淀")?;
    assert!(html.contains("周报：海淀"));
    assert!(html.contains("lang=\"zh-CN\""));
    Ok(())
}
