//! How to read one input file: [`InputParams`] as written (an `[input.<table>]` section of
//! kam.toml, or the flags of `kam clv`/`segment`/`churn`) and [`ValidInput`], built only by
//! [`InputParams::check`]. The one set of input rules every command uses: the file type from
//! the extension, the delimiter names, the date format, the column mapping.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::schema::TableSpec;

/// How to read one input file, as the user gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputParams {
    /// The file; relative to the config file (or, on the command line, to where kam runs).
    pub path: String,
    /// `csv`, `parquet` or `xlsx`; default from the file extension (`.parquet`/`.pq`,
    /// `.xlsx`/`.xlsm`, anything else is CSV).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<Format>,
    /// Any single character, `tab`, or `whitespace` (runs of spaces or tabs; `spaces` is the
    /// same). Default `,` (`tab` for `.tsv`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    /// Without a header, columns are named `column_1`, `column_2`, ... for the mapping.
    /// Default true.
    #[serde(default = "has_header_default")]
    pub has_header: bool,
    /// Text encoding of a CSV file. Default UTF-8.
    #[serde(default)]
    pub encoding: Encoding,
    /// chrono/strftime format of the date columns, e.g. `%m/%d/%Y %H:%M`. Default: ISO date or
    /// datetime. ISO values are accepted as well whatever the format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_format: Option<String>,
    /// XLSX sheet name; default: the first sheet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Contract column name = the file's column name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub columns: BTreeMap<String, String>,
}

/// serde's default of `has_header`, read from [`InputParams::default`]: an input section must
/// name its `path`, so the section has no container-wide default.
fn has_header_default() -> bool {
    InputParams::default().has_header
}

impl Default for InputParams {
    fn default() -> Self {
        InputParams {
            path: String::new(),
            format: None,
            delimiter: None,
            has_header: true,
            encoding: Encoding::Utf8,
            date_format: None,
            sheet: None,
            columns: BTreeMap::new(),
        }
    }
}

/// File type of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Parquet,
    Xlsx,
}

impl Format {
    /// The type a file extension (any case) implies: Parquet, XLSX, else CSV.
    pub fn from_extension(ext: &str) -> Format {
        match ext.to_ascii_lowercase().as_str() {
            "parquet" | "pq" => Format::Parquet,
            "xlsx" | "xlsm" => Format::Xlsx,
            _ => Format::Csv,
        }
    }
}

/// Text encoding of a CSV input.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Encoding {
    #[default]
    #[serde(rename = "utf-8", alias = "utf8", alias = "UTF-8")]
    Utf8,
    #[serde(rename = "gbk", alias = "GBK")]
    Gbk,
    #[serde(rename = "gb18030", alias = "GB18030")]
    Gb18030,
    #[serde(rename = "windows-1252", alias = "cp1252", alias = "latin1")]
    Windows1252,
}

/// Field delimiter of a CSV input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    Byte(u8),
    /// Runs of spaces and tabs; leading and trailing blanks ignored.
    Whitespace,
}

impl Delimiter {
    /// A delimiter name: `tab`, `whitespace`/`spaces`, or one ASCII character other than a
    /// quote or a line break; without a name, `tab` for `.tsv` files and `,` otherwise.
    pub fn parse(name: Option<&str>, ext: &str) -> Result<Delimiter> {
        Ok(match name {
            None if ext.eq_ignore_ascii_case("tsv") => Delimiter::Byte(b'\t'),
            None => Delimiter::Byte(b','),
            Some("whitespace") | Some("spaces") => Delimiter::Whitespace,
            Some("tab") | Some("\t") => Delimiter::Byte(b'\t'),
            Some(s) if s.len() == 1 && s != "\"" && s != "\n" && s != "\r" => {
                Delimiter::Byte(s.as_bytes()[0])
            }
            Some(s) => {
                return Err(Error::Usage(format!(
                    "delimiter = {s:?} must be one ASCII character, \"tab\" or \"whitespace\""
                )));
            }
        })
    }
}

/// One input, checked: path resolved, known format, parsed delimiter, validated mapping. Only
/// [`InputParams::check`] builds one.
// `#[non_exhaustive]` would not stop code inside kam from building one; the private field does.
#[allow(clippy::manual_non_exhaustive)]
#[derive(Debug, Clone)]
pub struct ValidInput {
    pub table: &'static TableSpec,
    pub path: PathBuf,
    pub format: Format,
    pub delimiter: Delimiter,
    pub has_header: bool,
    pub encoding: Encoding,
    pub date_format: Option<String>,
    pub sheet: Option<String>,
    /// Explicit mapping, contract name → file column name.
    pub columns: BTreeMap<&'static str, String>,
    /// Private: only [`InputParams::check`] puts a `ValidInput` together.
    _checked: (),
}

impl ValidInput {
    /// The file column that holds a contract column: the mapped name, else the contract name.
    pub fn file_column<'a>(&'a self, contract: &'a str) -> &'a str {
        self.columns
            .get(contract)
            .map(String::as_str)
            .unwrap_or(contract)
    }

    pub fn is_mapped(&self, contract: &str) -> bool {
        self.columns.contains_key(contract)
    }
}

impl InputParams {
    /// Check this input as a file of `table`, with a relative `path` taken from `base`. The
    /// errors are [`Error::Usage`] sentences naming the setting as kam.toml spells it; the
    /// config loader prefixes them with the file and the section.
    pub fn check(&self, table: &'static TableSpec, base: &Path) -> Result<ValidInput> {
        if self.path.trim().is_empty() {
            return Err(Error::Usage("path is empty".into()));
        }
        let path = base.join(&self.path);
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default()
            .to_string();
        let format = self.format.unwrap_or_else(|| Format::from_extension(&ext));
        let delimiter = Delimiter::parse(self.delimiter.as_deref(), &ext)?;
        if let Some(f) = &self.date_format {
            check_date_format(f).map_err(|m| Error::Usage(format!("date_format = {f:?}: {m}")))?;
        }
        let mut columns = BTreeMap::new();
        for (contract, file_col) in &self.columns {
            let Some(c) = table.column(contract) else {
                return Err(Error::Usage(format!(
                    "columns: '{contract}' is not a {} column; the contract has: {}",
                    table.name,
                    table.names().join(", ")
                )));
            };
            if file_col.is_empty() {
                return Err(Error::Usage(format!("columns.{contract} is empty")));
            }
            columns.insert(c.name, file_col.clone());
        }
        Ok(ValidInput {
            table,
            path,
            format,
            delimiter,
            has_header: self.has_header,
            encoding: self.encoding,
            date_format: self.date_format.clone(),
            sheet: self.sheet.clone(),
            columns,
            _checked: (),
        })
    }
}

/// A date format must be valid strftime and contain a year, a month and a day.
fn check_date_format(f: &str) -> std::result::Result<(), String> {
    use chrono::format::{Item, StrftimeItems};
    if StrftimeItems::new(f).any(|i| matches!(i, Item::Error)) {
        return Err("not a valid strftime format".into());
    }
    let has = |specs: &[&str]| specs.iter().any(|s| f.contains(s));
    let whole_date = has(&["%F", "%D", "%x"]);
    let ymd = has(&["%Y", "%y", "%G"]) && has(&["%m", "%b", "%B", "%h"]) && has(&["%d", "%e"]);
    if !(whole_date || ymd) {
        return Err("must contain a year, a month and a day (e.g. %Y, %m, %d)".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::TRANSACTIONS;

    fn check(path: &str, f: impl FnOnce(&mut InputParams)) -> Result<ValidInput> {
        let mut p = InputParams {
            path: path.into(),
            ..InputParams::default()
        };
        f(&mut p);
        p.check(&TRANSACTIONS, Path::new("/data"))
    }

    fn refused(path: &str, f: impl FnOnce(&mut InputParams), word: &str) {
        match check(path, f) {
            Err(e) => assert!(e.to_string().contains(word), "{e}"),
            Ok(v) => panic!("accepted {v:?}"),
        }
    }

    #[test]
    fn csv_with_commas_by_default_and_the_path_taken_from_the_base() -> Result<()> {
        let v = check("sales.csv", |_| {})?;
        assert_eq!(v.path, PathBuf::from("/data/sales.csv"));
        assert_eq!(
            (v.format, v.delimiter),
            (Format::Csv, Delimiter::Byte(b','))
        );
        assert!(v.has_header);
        Ok(())
    }

    #[test]
    fn tsv_is_tab_separated_unless_a_delimiter_is_given() -> Result<()> {
        assert_eq!(check("a.TSV", |_| {})?.delimiter, Delimiter::Byte(b'\t'));
        let v = check("a.tsv", |p| p.delimiter = Some(";".into()))?;
        assert_eq!(v.delimiter, Delimiter::Byte(b';'));
        Ok(())
    }

    #[test]
    fn tab_by_name_is_the_tab_character() -> Result<()> {
        let v = check("a.txt", |p| p.delimiter = Some("tab".into()))?;
        assert_eq!(
            (v.format, v.delimiter),
            (Format::Csv, Delimiter::Byte(b'\t'))
        );
        Ok(())
    }

    #[test]
    fn pq_and_parquet_are_parquet_xlsm_is_xlsx() -> Result<()> {
        assert_eq!(check("a.pq", |_| {})?.format, Format::Parquet);
        assert_eq!(check("a.Parquet", |_| {})?.format, Format::Parquet);
        assert_eq!(check("a.xlsm", |_| {})?.format, Format::Xlsx);
        assert_eq!(
            check("a.txt", |p| p.format = Some(Format::Parquet))?.format,
            Format::Parquet
        );
        Ok(())
    }

    #[test]
    fn whitespace_and_spaces_name_runs_of_blanks() -> Result<()> {
        for name in ["whitespace", "spaces"] {
            let v = check("a.txt", |p| p.delimiter = Some(name.into()))?;
            assert_eq!(v.delimiter, Delimiter::Whitespace, "{name}");
        }
        Ok(())
    }

    #[test]
    fn delimiter_must_be_one_character_or_a_name() {
        let want = "delimiter = \";;\" must be one ASCII character, \"tab\" or \"whitespace\"";
        match check("a.csv", |p| p.delimiter = Some(";;".into())) {
            Err(e) => assert_eq!(e.to_string(), want),
            Ok(v) => panic!("accepted {v:?}"),
        }
        refused("a.csv", |p| p.delimiter = Some("tabs".into()), "delimiter");
    }

    #[test]
    fn delimiter_cannot_be_a_quote() {
        refused("a.csv", |p| p.delimiter = Some("\"".into()), "delimiter");
    }

    #[test]
    fn path_cannot_be_empty() {
        refused(" ", |_| {}, "path is empty");
    }

    #[test]
    fn date_format_must_be_valid_strftime() {
        refused(
            "a.csv",
            |p| p.date_format = Some("%Y-%Q".into()),
            "strftime",
        );
    }

    #[test]
    fn date_format_must_hold_a_whole_date() {
        refused("a.csv", |p| p.date_format = Some("%H:%M".into()), "year");
    }

    #[test]
    fn mapping_of_an_unknown_contract_column_is_refused() {
        refused(
            "a.csv",
            |p| {
                p.columns.insert("client".into(), "X".into());
            },
            "'client' is not a transactions column",
        );
    }

    #[test]
    fn mapping_to_an_empty_file_column_is_refused() {
        refused(
            "a.csv",
            |p| {
                p.columns.insert("amount".into(), String::new());
            },
            "columns.amount is empty",
        );
    }

    #[test]
    fn encoding_names_and_aliases_parse() {
        let enc =
            |s: &str| toml::from_str::<InputParams>(&format!("path = \"a\"\nencoding = {s:?}"));
        assert_eq!(enc("gbk").map(|p| p.encoding).ok(), Some(Encoding::Gbk));
        assert_eq!(
            enc("cp1252").map(|p| p.encoding).ok(),
            Some(Encoding::Windows1252)
        );
        assert!(enc("ebcdic").is_err());
    }

    #[test]
    fn has_header_defaults_to_true_when_read() -> std::result::Result<(), toml::de::Error> {
        assert!(toml::from_str::<InputParams>("path = \"a.csv\"")?.has_header);
        Ok(())
    }
}
