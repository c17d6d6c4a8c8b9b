//! Rendering the district weeks of [`super::weekly`]: one self-contained HTML page per
//! district (the head, Content-Security-Policy and escaping of report.html, no script, no
//! request) and `weekly.xlsx` with one sheet per district, its blocks one under another.

use polars::prelude::*;
use rust_xlsxwriter::{DocProperties, Format as XFormat, Workbook};

use super::charts::{Format, thousands};
use super::html::{self, escape};
use super::i18n::{Lang, fill};
use super::i18n_weekly::{WeeklyTexts, weekly_texts};
use super::stage::{ReportFiles, ReportInputs};
use super::weekly::{self, DistrictWeek, Headline};
use super::xlsx::{self, Styles, xerr};
use crate::error::Result;
use crate::schema::outputs as o;
use crate::schema::track as tc;

/// The district pages (`weekly/<district>.html`) and `weekly.xlsx`, or a note on why none.
pub fn build(inputs: &ReportInputs) -> Result<ReportFiles> {
    let skipped = |note: String| ReportFiles {
        files: Vec::new(),
        notes: vec![note],
    };
    let weeks = match weekly::district_weeks(inputs)? {
        Ok(w) if !w.is_empty() => w,
        Ok(_) => return Ok(skipped("district pages skipped: no district".into())),
        Err(note) => return Ok(skipped(note)),
    };
    let t = weekly_texts(inputs.lang);
    let as_of = inputs.facts.as_of.as_deref();
    let names: Vec<String> = weeks.iter().map(|w| w.district.clone()).collect();
    let mut files: Vec<(String, Vec<u8>)> = weekly::file_stems(&names)
        .into_iter()
        .zip(&weeks)
        .map(|(stem, w)| {
            (
                format!("weekly/{stem}.html"),
                page(w, t, inputs.lang, as_of).into_bytes(),
            )
        })
        .collect();
    files.push((o::WEEKLY_XLSX.file.into(), workbook(&weeks, t, as_of)?));
    Ok(ReportFiles {
        files,
        notes: Vec::new(),
    })
}

/// A number with thousands separators and two decimals; empty when missing.
fn money(v: Option<f64>) -> String {
    v.map_or_else(String::new, |v| thousands(v, 2))
}

/// The headline's week: "Week ending 2025-12-28", marked when still in progress.
fn week_label(h: &Headline, t: &WeeklyTexts) -> String {
    let week = fill(t.week_ending, &[&h.week_end]);
    if h.complete {
        week
    } else {
        format!("{week} ({})", t.week_in_progress)
    }
}

/// The headline figures as (label, value) rows.
fn headline_rows(h: &Headline, t: &WeeklyTexts) -> Vec<(String, String)> {
    vec![
        (t.mtd_sales.into(), money(h.mtd_sales)),
        (t.month_target.into(), money(h.month_target)),
        (
            t.completion_rate.into(),
            h.mtd_completion_rate
                .map_or_else(String::new, |r| Format::Percent.fmt(r)),
        ),
        (
            t.days_left.into(),
            h.days_left.map_or_else(String::new, |d| thousands(d, 0)),
        ),
        (t.pace_needed.into(), money(h.pace_needed)),
    ]
}

/// The district's page as HTML text; every data text escaped.
pub fn page(w: &DistrictWeek, t: &WeeklyTexts, lang: Lang, as_of: Option<&str>) -> String {
    let mut h = html::head(&fill(t.page_title, &[&w.district]), lang);
    if let Some(d) = as_of {
        h.push_str(&format!("<p>{}: {}</p>\n", escape(t.as_of), escape(d)));
    }
    h.push_str(&format!("<h2>{}</h2>\n", escape(t.pace_title)));
    match &w.headline {
        Some(head) => {
            h.push_str(&format!(
                "<p><strong>{}</strong></p>\n",
                escape(&week_label(head, t))
            ));
            h.push_str("<dl class=\"headline\">\n");
            for (k, v) in headline_rows(head, t) {
                h.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", escape(&k), escape(&v)));
            }
            h.push_str("</dl>\n");
            let title = fill(t.weeks_of_month, &[&head.month]);
            section(&mut h, &title, &w.pace, t);
        }
        None => h.push_str(&format!("<p>{}</p>\n", escape(t.no_weekly_rows))),
    }
    section(&mut h, t.development_title, &w.development, t);
    let board = leaderboard_display(&w.leaderboard).unwrap_or_else(|_| w.leaderboard.clone());
    section(&mut h, t.leaderboard_title, &board, t);
    section(&mut h, t.escalations_title, &w.escalations, t);
    section(&mut h, t.high_risk_title, &w.high_risk, t);
    h.push_str("</body>\n</html>\n");
    h
}

/// One titled table, or "None." when it has no row.
fn section(h: &mut String, title: &str, df: &DataFrame, t: &WeeklyTexts) {
    h.push_str(&format!("<h3>{}</h3>\n", escape(title)));
    if df.height() == 0 {
        h.push_str(&format!("<p class=\"more\">{}</p>\n", escape(t.none)));
    } else {
        h.push_str(&html::table(df, html::MAX_ROWS));
    }
}

/// The leaderboard with each value as its board reads it: a completion rate as a
/// percentage, counts and amounts with thousands separators.
fn leaderboard_display(board: &DataFrame) -> Result<DataFrame> {
    let (Ok(b), Ok(v)) = (board.column(tc::BOARD), board.column(tc::VALUE)) else {
        return Ok(board.clone());
    };
    let boards = b.cast(&DataType::String)?;
    let values = v.cast(&DataType::Float64)?;
    let shown: Vec<Option<String>> = boards
        .str()?
        .iter()
        .zip(values.f64()?.iter())
        .map(|(b, v)| {
            let f = if b.is_some_and(xlsx::is_ratio_column) {
                Format::Percent
            } else {
                Format::Thousands
            };
            v.map(|v| f.fmt(v))
        })
        .collect();
    let mut out = board.clone();
    out.replace(tc::VALUE, Column::new(tc::VALUE.into(), shown))?;
    Ok(out)
}

/// weekly.xlsx: one sheet per district (a valid, unique Excel name), its blocks one under
/// another: the headline row, the month's weeks, development, stations, escalations, risks.
fn workbook(weeks: &[DistrictWeek], t: &WeeklyTexts, as_of: Option<&str>) -> Result<Vec<u8>> {
    let st = Styles::new();
    let title = XFormat::new().set_bold().set_font_size(13);
    let mut wb = Workbook::new();
    wb.set_properties(&DocProperties::new().set_creation_datetime(&xlsx::created(as_of)?));
    let mut names: Vec<String> = Vec::new();
    for w in weeks {
        let name = sheet_name(&w.district, &names);
        let ws = wb.add_worksheet();
        ws.set_name(&name).map_err(xerr)?;
        names.push(name);
        let month = w
            .headline
            .as_ref()
            .map(|h| fill(t.weeks_of_month, &[&h.month]));
        let blocks: Vec<(&str, Option<&DataFrame>)> = vec![
            (t.headline, w.headline.as_ref().map(|h| &h.row)),
            (month.as_deref().unwrap_or(t.pace_title), Some(&w.pace)),
            (t.development_title, Some(&w.development)),
            (t.leaderboard_title, Some(&w.leaderboard)),
            (t.escalations_title, Some(&w.escalations)),
            (t.high_risk_title, Some(&w.high_risk)),
        ];
        ws.write_string_with_format(0, 0, fill(t.page_title, &[&w.district]), &title)
            .map_err(xerr)?;
        let (mut row, mut widths) = (2u32, Vec::<usize>::new());
        for (label, df) in blocks {
            ws.write_string_with_format(row, 0, label, &st.header)
                .map_err(xerr)?;
            match df.filter(|d| d.width() > 0 && d.height() > 0) {
                Some(df) => {
                    let (rows, w) = xlsx::write_block(ws, df, &st, row + 1)?;
                    widths.resize(widths.len().max(w.len()), 0);
                    widths.iter_mut().zip(w).for_each(|(a, b)| *a = (*a).max(b));
                    row += rows as u32 + 3;
                }
                None => {
                    ws.write_string(row + 1, 0, t.none).map_err(xerr)?;
                    row += 3;
                }
            }
        }
        xlsx::set_widths(ws, &widths)?;
    }
    wb.save_to_buffer().map_err(xerr)
}

/// A valid Excel sheet name for a district: no `[]:*?/\` and no apostrophe (Excel refuses
/// one at either end), at most 31 characters, unique in `taken`.
pub fn sheet_name(district: &str, taken: &[String]) -> String {
    let clean: String = district
        .chars()
        .map(|c| {
            if "/'".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let clean = if clean.is_empty() { "district" } else { &clean };
    xlsx::sheet_name(clean, taken)
}
