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

fn xerr(e: XlsxError) -> Error {
    Error::Internal(format!("building report.xlsx failed: {e}"))
}

/// The cell formats of a workbook.
struct Styles {
    header: XFormat,
    integer: XFormat,
    decimal: XFormat,
    percent: XFormat,
    date: XFormat,
    datetime: XFormat,
    text: XFormat,
    quoted: XFormat,
}

impl Styles {
    fn new() -> Self {
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
    let rows = df.height().min(MAX_SHEET_ROWS);
    let cols: Vec<Cells> = df
        .columns()
        .iter()
        .map(|c| cells(c, rows))
        .collect::<Result<_>>()?;
    for (j, c) in df.columns().iter().enumerate() {
        ws.write_string_with_format(0, j as u16, c.name().as_str(), &st.header)
            .map_err(xerr)?;
    }
    let mut widths: Vec<usize> = df
        .columns()
        .iter()
        .map(|c| c.name().chars().count() + 4)
        .collect();
    for i in 0..rows {
        let r = (i + 1) as u32;
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
    for (j, w) in widths.iter().enumerate() {
        ws.set_column_width(j as u16, (*w).min(50) as f64)
            .map_err(xerr)?;
    }
    ws.set_freeze_panes(1, 0).map_err(xerr)?;
    if !df.columns().is_empty() {
        ws.autofilter(0, 0, rows as u32, (df.width() - 1) as u16)
            .map_err(xerr)?;
    }
    Ok(rows)
}

/// The workbook's creation date: the run's `as_of` (`YYYY-MM-DD`), else 2000-01-01, never
/// the clock, so the same run writes the same bytes.
fn created(as_of: Option<&str>) -> Result<ExcelDateTime> {
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
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};
    use std::io::Cursor;

    type R = std::result::Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn formula_like_text_is_neutralised_and_numbers_stay_numbers() -> R {
        assert!(needs_neutralising("=1+1"));
        assert!(needs_neutralising("@SUM(A1)"));
        assert!(needs_neutralising("\tx"));
        assert!(!needs_neutralising("Acme = good"));
        let df = df!(
            "name" => ["=HYPERLINK(\"http://x\",\"y\")", "-2+3", "Acme"],
            "amount" => [-5.0, 1234.5, 0.0],
            "share_of_capacity" => [0.25, 0.5, 0.0],
        )?;
        let (bytes, notes) = workbook(
            &[("as_of".into(), "2026-01-01".into())],
            &[("customers", &df)],
            Some("2026-01-01"),
        )?;
        assert!(notes.is_empty());
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes))?;
        assert_eq!(book.sheet_names(), ["summary", "customers"]);
        let range = book.worksheet_range("customers")?;
        assert_eq!(
            range.get((1, 0)),
            Some(&Data::String("=HYPERLINK(\"http://x\",\"y\")".into()))
        );
        assert_eq!(range.get((2, 0)), Some(&Data::String("-2+3".into())));
        assert_eq!(range.get((1, 1)), Some(&Data::Float(-5.0)));
        let formulas = book.worksheet_formula("customers")?;
        assert!(
            formulas.cells().all(|(_, _, f)| f.is_empty()),
            "a cell holds a formula"
        );
        Ok(())
    }

    #[test]
    fn creation_date_comes_from_as_of_not_the_clock() -> R {
        let df = df!("x" => [1i64])?;
        let a = workbook(&[], &[("t", &df)], Some("2026-01-01"))?.0;
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let b = workbook(&[], &[("t", &df)], Some("2026-01-01"))?.0;
        assert!(a == b, "two builds differ");
        assert!(created(Some("garbage")).is_ok());
        Ok(())
    }

    #[test]
    fn long_tables_are_cut_with_a_note() -> R {
        let n = MAX_SHEET_ROWS as i64 + 1;
        let df = df!("x" => (0..n).collect::<Vec<i64>>())?;
        let (bytes, notes) = workbook(&[], &[("customers", &df)], None)?;
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("first 50000 of 50001 rows"));
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes))?;
        assert_eq!(
            book.worksheet_range("customers")?.height(),
            MAX_SHEET_ROWS + 1
        );
        Ok(())
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let taken = vec!["summary".to_string()];
        assert_eq!(
            sheet_name("models/calibration_by_frequency", &taken),
            "calibration_by_frequency"
        );
        assert_eq!(sheet_name("Summary", &taken), "Summary (2)");
        assert_eq!(sheet_name("a:b", &[]), "a_b");
        assert_eq!(sheet_name(&"x".repeat(40), &[]).len(), 31);
    }
}
