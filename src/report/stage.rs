//! The report stage: from the run's tables to chart, HTML and XLSX bytes (the district pages
//! come from [`super::weekly_html`]). No file I/O here;
//! the pipeline writes [`ReportFiles`]. A chart whose table or column is missing is skipped
//! with a note, never an error.

use polars::prelude::*;

use super::charts::{self, Chart, customers, plan, portfolios, products, sales};
use super::data::{self, Note};
use super::data_products as dp;
use super::html::{self, HtmlTable, Page, SvgChart};
use super::i18n::Lang;
use super::i18n::{Texts, texts};
use super::{fonts, weekly_html, xlsx};
use crate::error::Result;
use crate::schema as s;

/// Rows of the "top customers" table in report.html.
pub const TOP_CUSTOMERS: usize = 20;
/// Columns of the "top customers" table (those present are shown).
const TOP_CUSTOMER_COLUMNS: &[&str] = &[
    s::CUSTOMER_ID,
    s::NAME,
    s::CUSTOMER_TYPE,
    s::DISTRICT,
    s::ACCOUNT_MANAGER,
    s::SEGMENT_NAME,
    s::MONETARY_TOTAL,
    s::REVENUE_LAST_12M,
    s::CLV,
    s::P_ALIVE,
    s::CHURN_RISK,
    s::REVENUE_AT_RISK,
];

/// Every chart the report can draw (file stems under `charts/`), in report order.
pub const CHART_NAMES: [&str; 25] = [
    "sales_trend",
    "attainment_by_district",
    "leaderboard",
    "portfolios",
    "segment_map",
    "segment_profiles",
    "clv_concentration",
    "churn_risk",
    "revenue_at_risk",
    "clv_calibration",
    "market_share",
    "credit_mix",
    "channel_conversion",
    "product_penetration",
    "product_affinity",
    "channel_mix",
    "nps_by_district",
    "churn_roc",
    "churn_gains",
    "churn_calibration",
    "value_expected_matrix",
    "value_p_alive_matrix",
    "value_frequency_histogram",
    "value_tracking_cumulative",
    "value_tracking_weekly",
];

/// Facts about the run shown at the top of the report.
#[derive(Debug, Clone, Default)]
pub struct RunFacts {
    pub as_of: Option<String>,
    pub seed: u64,
    pub version: String,
}

/// What the report is built from.
pub struct ReportInputs {
    /// The customer table as the run wrote it.
    pub customers: DataFrame,
    /// The other output tables in sheet order, by file stem relative to `out/` without
    /// `.csv` (`segments`, `attainment`, `models/calibration_by_frequency`, ...), typed and
    /// rounded as they were written.
    pub tables: Vec<(String, DataFrame)>,
    /// The run summary lines, files relative to `out/` and without wall times.
    pub summary: Vec<String>,
    pub facts: RunFacts,
    pub lang: Lang,
}

/// The report's files (paths relative to `out/`) and the notes on what was skipped.
#[derive(Debug, Default)]
pub struct ReportFiles {
    pub files: Vec<(String, Vec<u8>)>,
    pub notes: Vec<String>,
}

/// The charts that the inputs allow, by file stem, with a note for each one skipped.
pub fn charts(inputs: &ReportInputs, t: &Texts) -> (Vec<(&'static str, Chart)>, Vec<Note>) {
    let (tables, c) = (&inputs.tables, &inputs.customers);
    let as_of = inputs.facts.as_of.as_deref();
    let candidates: Vec<(&'static str, std::result::Result<Chart, Note>)> = vec![
        (
            "sales_trend",
            data::trend(tables).map(|p| sales::trend_chart(&p, t)),
        ),
        (
            "attainment_by_district",
            data::attainment(tables, as_of).map(|(p, r)| sales::attainment_chart(&p, &r, t)),
        ),
        (
            "leaderboard",
            data::leaderboard(tables).map(|(l, r)| sales::leaderboard_chart(&l, &r, t)),
        ),
        (
            "portfolios",
            data::portfolios(tables).map(|r| portfolios::portfolios_chart(&r, t)),
        ),
        (
            "segment_map",
            data::segment_map(c).map(|p| customers::segment_map_chart(&p, t)),
        ),
        (
            "segment_profiles",
            data::segment_profiles(tables).map(|r| customers::segment_profiles_chart(&r, t)),
        ),
        (
            "clv_concentration",
            data::concentration(c).map(|(v, clv)| customers::concentration_chart(&v, clv, t)),
        ),
        (
            "churn_risk",
            data::churn(c).map(|r| customers::churn_risk_chart(&r, t)),
        ),
        (
            "revenue_at_risk",
            data::churn(c).map(|r| customers::revenue_at_risk_chart(&r, t)),
        ),
        (
            "clv_calibration",
            data::calibration(tables).map(|r| customers::calibration_chart(&r, t)),
        ),
        (
            "market_share",
            data::market_share(tables).map(|(r, cap)| plan::market_share_chart(&r, cap, t)),
        ),
        (
            "credit_mix",
            data::credit_mix(tables).map(|(l, r)| plan::credit_mix_chart(&l, &r, t)),
        ),
        (
            "channel_conversion",
            data::channels(tables).map(|r| sales::channels_chart(&r, t)),
        ),
    ];
    let mut out = Vec::new();
    let mut notes = Vec::new();
    let candidates = candidates.into_iter().chain(product_charts(inputs));
    for (name, chart) in candidates {
        match chart {
            Ok(c) => out.push((name, c)),
            Err(n) => notes.push(format!("chart {name} skipped: {n}")),
        }
    }
    (out, notes)
}

/// The product, channel and satisfaction charts (see [`charts`]).
fn product_charts(inputs: &ReportInputs) -> Vec<(&'static str, std::result::Result<Chart, Note>)> {
    let tables = &inputs.tables;
    let pt = crate::report::i18n_products::product_texts(inputs.lang);
    vec![
        (
            "product_penetration",
            dp::mix(tables, dp::PRODUCT_PENETRATION).map(|r| products::penetration_chart(&r, pt)),
        ),
        (
            "product_affinity",
            dp::rules(tables).map(|r| products::affinity_chart(&r, pt)),
        ),
        (
            "channel_mix",
            dp::mix(tables, dp::CHANNEL_MIX).map(|r| products::channel_mix_chart(&r, pt)),
        ),
        (
            "nps_by_district",
            dp::nps_by_district(tables).map(|r| products::nps_chart(&r, pt)),
        ),
        dp::diag_chart(inputs, "churn_roc", "roc"),
        dp::diag_chart(inputs, "churn_gains", "gains"),
        dp::diag_chart(inputs, "churn_calibration", "calibration"),
    ]
    .into_iter()
    .chain(dp::value_charts(inputs))
    .collect()
}

/// The top customers by CLV (or total revenue), with the columns a manager reads.
fn top_customers(c: &DataFrame) -> Result<DataFrame> {
    let by = [s::CLV, s::MONETARY_TOTAL]
        .into_iter()
        .find(|n| c.column(n).is_ok_and(|col| col.null_count() < col.len()));
    let cols: Vec<&str> = TOP_CUSTOMER_COLUMNS
        .iter()
        .copied()
        .filter(|n| c.column(n).is_ok())
        .collect();
    let sorted = match by {
        Some(by) => c.sort(
            [by],
            SortMultipleOptions::default()
                .with_order_descending(true)
                .with_nulls_last(true)
                .with_maintain_order(true),
        )?,
        None => c.clone(),
    };
    Ok(sorted.select(cols)?.head(Some(TOP_CUSTOMERS)))
}

/// Attainment rows of one period (the chart's), or the table as is.
fn attainment_rows(df: &DataFrame, period: Option<&str>) -> Result<DataFrame> {
    match (period, df.column(s::PERIOD)) {
        (Some(p), Ok(_)) => Ok(df
            .clone()
            .lazy()
            .filter(col(s::PERIOD).cast(DataType::String).eq(lit(p.to_string())))
            .collect()?),
        _ => Ok(df.clone()),
    }
}

/// Build every report file in memory.
pub fn build(inputs: &ReportInputs) -> Result<ReportFiles> {
    fonts::register()?;
    let t = texts(inputs.lang);
    let (charts, mut notes) = charts(inputs, t);
    let mut files = Vec::new();
    let mut svgs = Vec::new();
    let as_of = inputs.facts.as_of.as_deref();
    for (name, chart) in &charts {
        let footer = super::i18n_captions::footer(name, inputs.lang, as_of);
        let (png, svg) = charts::render_with_footer(chart, fonts::family(inputs.lang), &footer)?;
        files.push((format!("charts/{name}.png"), png));
        files.push((format!("charts/{name}.svg"), svg.clone().into_bytes()));
        svgs.push((*name, chart.title().to_string(), svg, footer));
    }
    let facts = facts(inputs, t);
    let (workbook, xlsx_notes) = workbook(inputs, t, &facts)?;
    notes.extend(xlsx_notes);
    let weekly = weekly_html::build(inputs)?;
    notes.extend(weekly.notes);
    let top = top_customers(&inputs.customers)?;
    let period = data::attainment(&inputs.tables, inputs.facts.as_of.as_deref())
        .ok()
        .map(|(p, _)| p);
    let attainment = find(inputs, data::ATTAINMENT)
        .map(|df| attainment_rows(df, period.as_deref()))
        .transpose()?;
    let tables = html_tables(inputs, t, &top, attainment.as_ref(), period.as_deref());
    let chart_refs: Vec<SvgChart> = svgs
        .iter()
        .map(|(name, title, svg, caption)| SvgChart {
            name,
            title,
            svg,
            caption,
        })
        .collect();
    let ft = super::i18n_findings::finding_texts(inputs.lang);
    let kpis = super::kpis::key_figures(inputs, ft);
    let findings = super::findings::findings(inputs, ft);
    let sections = super::sections::sections(ft);
    let page = super::page::page(&Page {
        texts: t,
        lang: inputs.lang,
        facts: &facts,
        summary: &inputs.summary,
        charts: &chart_refs,
        tables: &tables,
        notes: &notes,
        top: html::Summary {
            key_figures: ft.key_figures,
            kpis: &kpis,
            findings_title: ft.findings,
            findings: &findings,
        },
        sections: &sections,
        contents: ft.contents,
        filter: ft.filter,
    });
    files.push(("report.html".into(), page.into_bytes()));
    files.push(("report.xlsx".into(), workbook));
    files.extend(weekly.files);
    Ok(ReportFiles { files, notes })
}

/// The run's date, seed and version, as (label, value) rows; empty values left out.
fn facts(inputs: &ReportInputs, t: &Texts) -> Vec<(String, String)> {
    let mut facts = vec![
        (
            t.as_of.to_string(),
            inputs.facts.as_of.clone().unwrap_or_default(),
        ),
        (t.seed.to_string(), inputs.facts.seed.to_string()),
        (t.version.to_string(), inputs.facts.version.clone()),
    ];
    facts.retain(|(_, v)| !v.is_empty());
    facts
}

/// The table of `inputs` with this file stem.
pub(super) fn find<'a>(inputs: &'a ReportInputs, stem: &str) -> Option<&'a DataFrame> {
    inputs
        .tables
        .iter()
        .find(|(n, _)| n == stem)
        .map(|(_, df)| df)
}

/// The tables report.html shows: the top customers, then the planner's tables present, then
/// the attainment of the chart's period.
fn html_tables<'a>(
    inputs: &'a ReportInputs,
    t: &Texts,
    top: &'a DataFrame,
    attainment: Option<&'a DataFrame>,
    period: Option<&str>,
) -> Vec<HtmlTable<'a>> {
    let mut tables = vec![HtmlTable {
        id: "table-top_customers".into(),
        title: t.top_customers.into(),
        df: top,
    }];
    let pt = crate::report::i18n_products::product_texts(inputs.lang);
    for (stem, title) in [
        ("review_pack", t.review_pack),
        ("escalations", t.escalations),
        (data::MARKET_SHARE, t.market_share),
        ("quotas", t.quotas),
        ("portfolios", pt.portfolios_table),
        ("cross_sell", pt.cross_sell_table),
        (dp::PRODUCT_AFFINITY, pt.affinity_table),
        (dp::SATISFACTION, pt.satisfaction_table),
    ] {
        if let Some(df) = find(inputs, stem) {
            tables.push(HtmlTable {
                id: format!("table-{stem}"),
                title: title.into(),
                df,
            });
        }
    }
    // every other table of the workbook too (the page shows its first rows)
    for (stem, df) in &inputs.tables {
        let id = format!("table-{}", stem.replace('/', "-"));
        if stem != data::ATTAINMENT && !tables.iter().any(|x| x.id == id) {
            tables.push(HtmlTable {
                id,
                title: stem.rsplit('/').next().unwrap_or(stem).to_string(),
                df,
            });
        }
    }
    if let Some(df) = attainment {
        let title = match period {
            Some(p) => format!("{} ({p})", t.attainment),
            None => t.attainment.into(),
        };
        tables.push(HtmlTable {
            id: "table-attainment".into(),
            title,
            df,
        });
    }
    tables
}

/// report.xlsx: the summary sheet (facts and summary lines), the customers, then every table.
fn workbook(
    inputs: &ReportInputs,
    t: &Texts,
    facts: &[(String, String)],
) -> Result<(Vec<u8>, Vec<String>)> {
    let mut sheets: Vec<(&str, &DataFrame)> = vec![("customers", &inputs.customers)];
    sheets.extend(inputs.tables.iter().map(|(n, df)| (n.as_str(), df)));
    let mut summary_rows = facts.to_vec();
    summary_rows.extend(
        inputs
            .summary
            .iter()
            .map(|l| (t.summary.to_string(), l.clone())),
    );
    xlsx::workbook(&summary_rows, &sheets, inputs.facts.as_of.as_deref())
}

#[cfg(test)]
#[path = "stage_tests.rs"]
mod tests;
