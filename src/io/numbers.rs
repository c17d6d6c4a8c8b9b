//! A CSV table of numbers read with its number columns parsed by Polars' reader, for the
//! commands that take any per-customer table (`kam segment`). [`super::load`] reads every
//! column as text and the command casts the columns whose values all parse; this gives the
//! same frame without building a million strings per column first (`kam segment` on the
//! 1,000,000 x 6 file of `benches/compare_sklearn.py`: the table read in 0.19 s instead of
//! 0.24 s, best of five).
//!
//! It applies only where the two readings cannot differ, and says `None` otherwise (the caller
//! then reads the file as text):
//! - UTF-8 without a byte-order mark, a one-byte delimiter;
//! - no space or tab anywhere in the file: Polars' number parser skips a field's leading
//!   blanks and takes a blank field as missing, while the text cast does neither;
//! - every value of the columns the first rows show as numbers parses (Polars refuses the file
//!   otherwise, and the text path decides), and no column uses kam's reserved prefix.

use std::io::Cursor;
use std::sync::Arc;

use polars::prelude::*;

use super::load::{RESERVED_PREFIX, csv_options};
use super::spec::{Delimiter, Encoding, Format, ValidInput};
use crate::error::Result;

/// Rows read to guess which columns hold numbers.
const SNIFF_ROWS: usize = 1_000;

/// The table in `bytes` (the file of `input`) with number columns as Float64 and the others
/// (and `text_column`) as text, or `None` when the fast reading does not apply (see the
/// module): then `load::load_bytes` reads the same bytes as text.
pub fn load_numbers(
    input: &ValidInput,
    bytes: &[u8],
    text_column: &str,
) -> Result<Option<DataFrame>> {
    let Delimiter::Byte(sep) = input.delimiter else {
        return Ok(None);
    };
    if input.format != Format::Csv || input.encoding != Encoding::Utf8 {
        return Ok(None);
    }
    let blank = memchr::memchr2(b' ', b'\t', bytes).is_some();
    if blank || bytes.starts_with(b"\xEF\xBB\xBF") || std::str::from_utf8(bytes).is_err() {
        return Ok(None);
    }
    let read = |opts: CsvReadOptions| {
        opts.into_reader_with_file_handle(Cursor::new(bytes))
            .finish()
    };
    let head = read(csv_options(sep, input.has_header).with_n_rows(Some(SNIFF_ROWS)));
    // (an empty or header-only file: the text reading says what it has)
    let Some(head) = head.ok().filter(|h| h.height() > 0 && h.width() > 0) else {
        return Ok(None);
    };
    let mut numbers = Schema::default();
    for c in head.columns() {
        let name = c.name().as_str();
        if name.starts_with(RESERVED_PREFIX) {
            return Ok(None);
        }
        let parsed = c.cast(&DataType::Float64)?;
        if name != text_column && parsed.null_count() == c.null_count() {
            numbers.insert(c.name().clone(), DataType::Float64);
        }
    }
    let opts = csv_options(sep, input.has_header).with_schema_overwrite(Some(Arc::new(numbers)));
    Ok(read(opts).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::io::InputParams;
    use crate::io::load::{ROW_INTERNAL, load};

    fn input(dir: &std::path::Path, name: &str, text: &str) -> Result<ValidInput> {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| Error::Internal(e.to_string()))?;
        InputParams {
            path: path.to_string_lossy().into_owned(),
            ..InputParams::default()
        }
        .check(&crate::schema::CUSTOMERS, std::path::Path::new(""))
    }

    /// The text reading, every column but `id` cast to numbers where all its values parse.
    fn as_text_cast(input: &ValidInput, id: &str) -> Result<DataFrame> {
        let df = load(input)?.frame.collect()?.drop(ROW_INTERNAL)?;
        let cols = df.columns().iter().map(|c| -> Result<Column> {
            let n = c.cast(&DataType::Float64)?;
            let number = c.name().as_str() != id && n.null_count() == c.null_count();
            Ok(if number { n } else { c.clone() })
        });
        Ok(DataFrame::new_infer_height(
            cols.collect::<Result<Vec<_>>>()?,
        )?)
    }

    #[test]
    fn number_columns_come_out_as_the_text_reading_casts_them() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::Internal(e.to_string()))?;
        // quoted numbers, exponents, nan, missing values, an id of digits, a text column,
        // a column empty in the first rows and numbers after them
        let mut text = String::from("id,a,b,name,late\n");
        for i in 0..(SNIFF_ROWS + 50) {
            let late = if i > SNIFF_ROWS {
                format!("{i}.25")
            } else {
                String::new()
            };
            let b = ["\"1.5\"", "2e3", "nan", "", "-0", "7"][i % 6];
            text.push_str(&format!(
                "{i:05},{},{b},n{},{late}\n",
                i as f64 / 7.0,
                i % 3
            ));
        }
        let inp = input(dir.path(), "t.csv", &text)?;
        let fast = load_numbers(&inp, text.as_bytes(), "id")?
            .ok_or_else(|| Error::Internal("no fast path".into()))?;
        assert_eq!(fast.column("a")?.dtype(), &DataType::Float64);
        assert_eq!(fast.column("id")?.dtype(), &DataType::String);
        assert!(fast.equals_missing(&as_text_cast(&inp, "id")?));
        Ok(())
    }

    #[test]
    fn where_the_readings_could_differ_it_leaves_the_file_to_the_text_reading() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::Internal(e.to_string()))?;
        let mut late_text = String::from("id,a\n");
        for i in 0..(SNIFF_ROWS + 5) {
            late_text.push_str(&format!(
                "{i},{}\n",
                if i == SNIFF_ROWS + 2 { "x" } else { "1" }
            ));
        }
        let cases = [
            ("blank", "id,a\n1, 2\n2,3\n".to_string()),
            ("tab", "id,a\n1,\t\n2,3\n".to_string()),
            ("bom", "\u{feff}id,a\n1,2\n".to_string()),
            ("reserved", "id,__kam_row\n1,2\n".to_string()),
            ("header only", "id,a\n".to_string()),
            ("empty", String::new()),
            ("ragged", "id,a\n1,2,3\n".to_string()),
            ("text after the sniffed rows", late_text),
        ];
        for (name, text) in cases {
            let inp = input(dir.path(), "t.csv", &text)?;
            assert!(
                load_numbers(&inp, text.as_bytes(), "id")?.is_none(),
                "{name}"
            );
        }
        Ok(())
    }
}
