//! `report.xlsx`: a summary sheet, then one sheet per table, with a styled and frozen header
//! row, an autofilter, column widths and number formats (thousands `#,##0` for integers,
//! `#,##0.00` for decimals, `0.0%` for ratio columns, `yyyy-mm-dd` for dates).
//!
//! **Formula neutralisation.** A text cell whose first character is `=`, `+`, `-`, `@`, a tab
//! or a carriage return is written as a text cell with Excel's quote prefix (the hidden
//! leading apostrophe, `quotePrefix="1"` in the cell style): the cell holds and shows the text
//! unchanged, and Excel and LibreOffice never evaluate it, not even after the cell is edited.
//! Numbers are always written as numbers (so `-5` stays a negative number).

use polars::prelude::*;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format as XFormat, FormatAlign, FormatBorder, Workbook,
    Worksheet, XlsxError,
};

use crate::error::{Error, Result};

/// Rows written per sheet at most (the full tables are in the CSV and Parquet outputs).
pub const MAX_SHEET_ROWS: usize = 50_000;
/// Characters allowed in a sheet name.
const SHEET_NAME_MAX: usize = 31;
/// Days from Excel's day 0 (1899-12-30) to 1970-01-01.
const EXCEL_EPOCH_OFFSET: f64 = 25_569.0;

/// First characters that make a spreadsheet treat text as a formula.
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether `text` needs the quote prefix.
pub fn needs_neutralising(text: &str) -> bool {
    text.starts_with(FORMULA_STARTS)
}

/// Whether a column holds ratios shown as percentages.
pub fn is_ratio_column(name: &str) -> bool {
    name.ends_with("_rate")
        || name.contains("share")
        || name.contains("probability")
        || name == crate::schema::P_ALIVE
        || name == "yoy_change"
        || name.ends_with("_yoy_growth")
}

/// A sheet name Excel accepts: no `[]:*?/\`, at most 31 characters, unique in `taken`.
pub fn sheet_name(stem: &str, taken: &[String]) -> String {
    let base: String = stem
        .rsplit('/')
        .next()
        .unwrap_or(stem)
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(SHEET_NAME_MAX)
        .collect();
    let base = if base.is_empty() {
        "table".to_string()
    } else {
        base
    };
    let mut name = base.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
        let suffix = format!(" ({n})");
        name = base
            .chars()
            .take(SHEET_NAME_MAX - suffix.len())
            .collect::<String>()
            + &suffix;
        n += 1;
    }
    name
}

pub(super) fn xerr(e: XlsxError) -> Error {
    Error::Internal(format!("building report.xlsx failed: {e}"))
}

/// The cell formats of a workbook.
pub(super) struct Styles {
    pub(super) header: XFormat,
    integer: XFormat,
    decimal: XFormat,
    percent: XFormat,
    date: XFormat,
    datetime: XFormat,
    text: XFormat,
    quoted: XFormat,
}

impl Styles {
    pub(super) fn new() -> Self {
        Styles {
            header: XFormat::new()
                .set_bold()
                .set_font_color(Color::White)
                .set_background_color(Color::RGB(0x4E79A7))
                .set_border_bottom(FormatBorder::Thin)
                .set_align(FormatAlign::Center),
            integer: XFormat::new().set_num_format("#,##0"),
            decimal: XFormat::new().set_num_format("#,##0.00"),
            percent: XFormat::new().set_num_format("0.0%"),
            date: XFormat::new().set_num_format("yyyy-mm-dd"),
            datetime: XFormat::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
            text: XFormat::new(),
            quoted: XFormat::new().set_quote_prefix(),
        }
    }
}

/// One column's cells, typed.
enum Cells {
    Numbers(Vec<Option<f64>>, NumKind),
    Text(Vec<Option<String>>),
    Bools(Vec<Option<bool>>),
}

#[derive(Clone, Copy)]
enum NumKind {
    Integer,
    Decimal,
    Percent,
    Date,
    DateTime,
}

fn cells(c: &Column, rows: usize) -> Result<Cells> {
    let c = c.slice(0, rows);
    let dt = c.dtype().clone();
    let nums = |c: &Column, kind| -> Result<Cells> {
        let f = c.cast(&DataType::Float64)?;
        Ok(Cells::Numbers(f.f64()?.iter().collect(), kind))
    };
    Ok(match dt {
        DataType::Boolean => Cells::Bools(c.bool()?.iter().collect()),
        DataType::Date => {
            let f = c.cast(&DataType::Int32)?.cast(&DataType::Float64)?;
            Cells::Numbers(
                f.f64()?
                    .iter()
                    .map(|v| v.map(|d| d + EXCEL_EPOCH_OFFSET))
                    .collect(),
                NumKind::Date,
            )
        }
        DataType::Datetime(unit, _) => {
            let per_day = match unit {
                TimeUnit::Nanoseconds => 86_400e9,
                TimeUnit::Microseconds => 86_400e6,
                TimeUnit::Milliseconds => 86_400e3,
            };
            let f = c.cast(&DataType::Int64)?.cast(&DataType::Float64)?;
            Cells::Numbers(
                f.f64()?
                    .iter()
                    .map(|v| v.map(|t| t / per_day + EXCEL_EPOCH_OFFSET))
                    .collect(),
                NumKind::DateTime,
            )
        }
        d if d.is_integer() => nums(&c, NumKind::Integer)?,
        d if d.is_float() => nums(
            &c,
            if is_ratio_column(c.name()) {
                NumKind::Percent
            } else {
                NumKind::Decimal
            },
        )?,
        _ => {
            let s = c.cast(&DataType::String)?;
            Cells::Text(s.str()?.iter().map(|v| v.map(str::to_string)).collect())
        }
    })
}

/// Write `df` into `ws`: header row, cells, frozen header, autofilter, widths. Returns the
/// rows written (at most [`MAX_SHEET_ROWS`]).
fn write_table(ws: &mut Worksheet, df: &DataFrame, st: &Styles) -> Result<usize> {
    let (rows, widths) = write_block(ws, df, st, 0)?;
    set_widths(ws, &widths)?;
    ws.set_freeze_panes(1, 0).map_err(xerr)?;
    if !df.columns().is_empty() {
        ws.autofilter(0, 0, rows as u32, (df.width() - 1) as u16)
            .map_err(xerr)?;
    }
    Ok(rows)
}

/// Column widths in characters, at most 50.
pub(super) fn set_widths(ws: &mut Worksheet, widths: &[usize]) -> Result<()> {
    for (j, w) in widths.iter().enumerate() {
        ws.set_column_width(j as u16, (*w).min(50) as f64)
            .map_err(xerr)?;
    }
    Ok(())
}

/// Write `df`'s header at row `top` and its cells below. Returns the rows written (at most
/// [`MAX_SHEET_ROWS`]) and each column's width.
pub(super) fn write_block(
    ws: &mut Worksheet,
    df: &DataFrame,
    st: &Styles,
    top: u32,
) -> Result<(usize, Vec<usize>)> {
    let rows = df.height().min(MAX_SHEET_ROWS);
    let cols: Vec<Cells> = df
        .columns()
        .iter()
        .map(|c| cells(c, rows))
        .collect::<Result<_>>()?;
    for (j, c) in df.columns().iter().enumerate() {
        ws.write_string_with_format(top, j as u16, c.name().as_str(), &st.header)
            .map_err(xerr)?;
    }
    let mut widths: Vec<usize> = df
        .columns()
        .iter()
        .map(|c| c.name().chars().count() + 4)
        .collect();
    for i in 0..rows {
        let r = top + (i + 1) as u32;
        for (j, cells) in cols.iter().enumerate() {
            let cj = j as u16;
            match cells {
                Cells::Numbers(v, kind) => {
                    let Some(x) = v[i].filter(|x| x.is_finite()) else {
                        continue;
                    };
                    let f = match kind {
                        NumKind::Integer => &st.integer,
                        NumKind::Decimal => &st.decimal,
                        NumKind::Percent => &st.percent,
                        NumKind::Date => &st.date,
                        NumKind::DateTime => &st.datetime,
                    };
                    ws.write_number_with_format(r, cj, x, f).map_err(xerr)?;
                    widths[j] = widths[j].max(match kind {
                        NumKind::Date => 12,
                        NumKind::DateTime => 20,
                        _ => 14,
                    });
                }
                Cells::Text(v) => {
                    let Some(s) = &v[i] else { continue };
                    let f = if needs_neutralising(s) {
                        &st.quoted
                    } else {
                        &st.text
                    };
                    ws.write_string_with_format(r, cj, s, f).map_err(xerr)?;
                    widths[j] = widths[j].max(s.chars().count() + 2);
                }
                Cells::Bools(v) => {
                    let Some(b) = v[i] else { continue };
                    ws.write_boolean_with_format(r, cj, b, &st.text)
                        .map_err(xerr)?;
                }
            }
        }
    }
    Ok((rows, widths))
}

/// The workbook's creation date: the run's `as_of` (`YYYY-MM-DD`), else 2000-01-01, never
/// the clock, so the same run writes the same bytes.
pub(super) fn created(as_of: Option<&str>) -> Result<ExcelDateTime> {
    let parsed = as_of.and_then(|d| {
        let mut it = d.get(..10)?.split('-');
        Some((
            it.next()?.parse().ok()?,
            it.next()?.parse().ok()?,
            it.next()?.parse().ok()?,
        ))
    });
    let (y, m, d) = parsed.unwrap_or((2000, 1, 1));
    ExcelDateTime::from_ymd(y, m, d)
        .or_else(|_| ExcelDateTime::from_ymd(2000, 1, 1))
        .map_err(xerr)
}

/// The workbook: a `summary` sheet (label, value rows) and one sheet per named table.
/// Returns the bytes and a note per truncated sheet.
pub fn workbook(
    summary: &[(String, String)],
    tables: &[(&str, &DataFrame)],
    as_of: Option<&str>,
) -> Result<(Vec<u8>, Vec<String>)> {
    let st = Styles::new();
    let mut wb = Workbook::new();
    wb.set_properties(&DocProperties::new().set_creation_datetime(&created(as_of)?));
    let mut names: Vec<String> = Vec::new();
    let mut notes = Vec::new();
    {
        let name = sheet_name("summary", &names);
        let ws = wb.add_worksheet();
        ws.set_name(&name).map_err(xerr)?;
        let labels: Vec<&str> = summary.iter().map(|(k, _)| k.as_str()).collect();
        let values: Vec<&str> = summary.iter().map(|(_, v)| v.as_str()).collect();
        let df = DataFrame::new_infer_height(vec![
            Column::new("item".into(), labels),
            Column::new("value".into(), values),
        ])?;
        write_table(ws, &df, &st)?;
        names.push(name);
    }
    for (stem, df) in tables {
        let name = sheet_name(stem, &names);
        let ws = wb.add_worksheet();
        ws.set_name(&name).map_err(xerr)?;
        let written = write_table(ws, df, &st)?;
        if written < df.height() {
            notes.push(format!(
                "report.xlsx sheet '{name}' holds the first {written} of {} rows; the full table is in {stem}.csv",
                df.height()
            ));
        }
        names.push(name);
    }
    Ok((wb.save_to_buffer().map_err(xerr)?, notes))
}

#[cfg(test)]
#[path = "xlsx_tests.rs"]
mod tests;
