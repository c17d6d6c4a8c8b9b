//! The run's settings: `kam.toml` as users write it ([`Config`]) and as stages receive it
//! ([`ValidConfig`], built only by [`Config::check`]).
//!
//! Every business rule is a default here, never a literal in stage code. Paths in the file are
//! relative to the config file; the output directory is relative to where kam is run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::churn::{ChurnParams, ChurnValid};
use crate::error::{Error, Result};
use crate::plan::{PlanParams, PlanValid};
use crate::report::Lang;
use crate::schema::{self, TableSpec, TimeUnit};
use crate::segment::stage::{SegmentParams, SegmentValid};
use crate::track::{TrackParams, TrackValid};
use crate::value::rfm::{RfmParams, RfmValid};
use crate::value::stage::{ValueParams, ValueValid};

/// `kam.toml` as written by the user; unknown keys are an error so typos never pass silently.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The date the run stands on, `YYYY-MM-DD`. Default: the day after the last transaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// Seed of every random choice kam makes (sampling, model starts, the demo generator).
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Unit of `recency` and `T` in the customer table: `weeks` (the BG/NBD literature) or `days`.
    #[serde(default)]
    pub time_unit: TimeUnit,
    /// Language of chart titles and labels: `en` or `zh`.
    #[serde(default)]
    pub lang: Lang,
    pub input: InputsConfig,
    #[serde(default)]
    pub validation: ValidationParams,
    #[serde(default)]
    pub output: OutputParams,
    /// Customer-value models: BG/NBD or Pareto/NBD, Gamma-Gamma, CLV.
    #[serde(default)]
    pub value: ValueParams,
    /// RFM scores and segments.
    #[serde(default)]
    pub rfm: RfmParams,
    /// k-means segmentation.
    #[serde(default)]
    pub segment: SegmentParams,
    /// Behavioural churn model.
    #[serde(default)]
    pub churn: ChurnParams,
    /// Key accounts, escalations, prospects, credit mix, market-share caps and quotas.
    #[serde(default)]
    pub plan: PlanParams,
    /// Attainment, weekly progress, leaderboard and forecast.
    #[serde(default)]
    pub track: TrackParams,
}

fn default_seed() -> u64 {
    42
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputsConfig {
    pub transactions: InputParams,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customers: Option<InputParams>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub targets: Option<InputParams>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deals: Option<InputParams>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaigns: Option<InputParams>,
}

/// How to read one input file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputParams {
    /// Relative to the config file.
    pub path: String,
    /// `csv`, `parquet` or `xlsx`; default from the file extension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<Format>,
    /// Any single character, `tab`, or `whitespace` (runs of spaces or tabs). Default `,`
    /// (`tab` for `.tsv`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    /// Without a header, columns are named `column_1`, `column_2`, ... for the mapping.
    #[serde(default = "yes")]
    pub has_header: bool,
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

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Parquet,
    Xlsx,
}

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

/// What to do with transactions whose customer is not in the customers table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnknownCustomers {
    /// Keep them (the customer is derived from its transactions) and count them in the manifest.
    #[default]
    Keep,
    /// Send them to the rejects.
    Reject,
}

/// Row checks beyond parsing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidationParams {
    #[serde(default)]
    pub unknown_customers: UnknownCustomers,
    /// Transactions dated before this are rejected as implausible.
    #[serde(default = "default_min_date")]
    pub min_date: String,
    /// Amounts (and quantities) larger than this in absolute value are rejected as implausible.
    #[serde(default = "default_max_abs_amount")]
    pub max_abs_amount: f64,
}

fn default_min_date() -> String {
    "1900-01-01".into()
}
fn default_max_abs_amount() -> f64 {
    1e12
}

impl Default for ValidationParams {
    fn default() -> Self {
        ValidationParams {
            unknown_customers: UnknownCustomers::Keep,
            min_date: default_min_date(),
            max_abs_amount: default_max_abs_amount(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputParams {
    /// Output directory, relative to the working directory. `--out` overrides it.
    #[serde(default = "default_out")]
    pub dir: String,
}

fn default_out() -> String {
    "out".into()
}

impl Default for OutputParams {
    fn default() -> Self {
        OutputParams { dir: default_out() }
    }
}

/// Field delimiter of a CSV input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    Byte(u8),
    /// Runs of spaces and tabs; leading and trailing blanks ignored.
    Whitespace,
}

/// One input, checked: absolute path, known format, parsed delimiter, validated mapping.
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

#[derive(Debug, Clone)]
pub struct ValidValidation {
    pub unknown_customers: UnknownCustomers,
    pub min_date: NaiveDate,
    pub max_abs_amount: f64,
}

/// The checked config every stage takes. Only [`Config::check`] builds one.
#[derive(Debug, Clone)]
pub struct ValidConfig {
    pub config_path: PathBuf,
    pub as_of: Option<NaiveDate>,
    pub seed: u64,
    pub time_unit: TimeUnit,
    pub lang: Lang,
    /// Present inputs in contract order (customers, transactions, targets, deals, campaigns).
    pub inputs: Vec<ValidInput>,
    pub validation: ValidValidation,
    pub out_dir: PathBuf,
    pub value: ValueValid,
    pub rfm: RfmValid,
    pub segment: SegmentValid,
    pub churn: ChurnValid,
    pub plan: PlanValid,
    pub track: TrackValid,
    /// The config as resolved (defaults filled in), for the manifest.
    pub resolved: Config,
}

impl ValidConfig {
    pub fn input(&self, table: &str) -> Option<&ValidInput> {
        self.inputs.iter().find(|i| i.table.name == table)
    }
}

/// Command-line values that override the file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub out_dir: Option<PathBuf>,
    pub as_of: Option<String>,
    pub seed: Option<u64>,
}

impl Config {
    /// Read and parse a config file; does not check values (see [`Config::check`]).
    pub fn from_file(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            let why = match e.kind() {
                std::io::ErrorKind::NotFound => "file not found".to_string(),
                _ => e.to_string(),
            };
            Error::config(path, format!("cannot read the config: {why}"))
        })?;
        Config::from_toml(&text, path)
    }

    pub fn from_toml(text: &str, path: &Path) -> Result<Config> {
        toml::from_str(text).map_err(|e| {
            // toml's message is multi-line with a source excerpt; keep one line with the place.
            let msg = e.message().trim().to_string();
            let place = e
                .span()
                .map(|s| {
                    let line = text[..s.start.min(text.len())].lines().count().max(1);
                    format!("line {line}: ")
                })
                .unwrap_or_default();
            Error::config(path, format!("{place}{msg}"))
        })
    }

    /// Check every value and resolve paths relative to the config file.
    pub fn check(mut self, path: &Path, ov: Overrides) -> Result<ValidConfig> {
        let bad = |msg: String| Error::config(path, msg);
        if let Some(a) = ov.as_of {
            self.as_of = Some(a);
        }
        if let Some(s) = ov.seed {
            self.seed = s;
        }
        let as_of = match &self.as_of {
            Some(s) => Some(parse_iso_date(s).ok_or_else(|| {
                bad(format!(
                    "as_of = \"{s}\" is not a date in the form YYYY-MM-DD"
                ))
            })?),
            None => None,
        };
        let min_date = parse_iso_date(&self.validation.min_date).ok_or_else(|| {
            bad(format!(
                "validation.min_date = \"{}\" is not a date in the form YYYY-MM-DD",
                self.validation.min_date
            ))
        })?;
        let max_abs = self.validation.max_abs_amount;
        if !(max_abs.is_finite() && max_abs > 0.0) {
            return Err(bad(format!(
                "validation.max_abs_amount must be a positive number, got {max_abs}"
            )));
        }
        let base = path.parent().unwrap_or(Path::new("")).to_path_buf();
        let i = &self.input;
        let present = [
            (&schema::CUSTOMERS, i.customers.as_ref()),
            (&schema::TRANSACTIONS, Some(&i.transactions)),
            (&schema::TARGETS, i.targets.as_ref()),
            (&schema::DEALS, i.deals.as_ref()),
            (&schema::CAMPAIGNS, i.campaigns.as_ref()),
        ];
        let mut inputs = Vec::new();
        for (spec, params) in present {
            if let Some(p) = params {
                inputs.push(check_input(spec, p, &base, path)?);
            }
        }
        let out_dir = ov
            .out_dir
            .unwrap_or_else(|| PathBuf::from(&self.output.dir));
        let value = self.value.clone().check().map_err(|e| bad(e.to_string()))?;
        let rfm = self.rfm.clone().check().map_err(|e| bad(e.to_string()))?;
        let segment = self
            .segment
            .clone()
            .check()
            .map_err(|e| bad(e.to_string()))?;
        let churn = self.churn.clone().check().map_err(|e| bad(e.to_string()))?;
        // infeasible settings keep their own error (exit 2, naming the setting)
        let plan = self.plan.clone().check().map_err(|e| match e {
            Error::Infeasible { .. } => e,
            e => bad(e.to_string()),
        })?;
        let track = self.track.clone().check().map_err(|e| bad(e.to_string()))?;
        Ok(ValidConfig {
            config_path: path.to_path_buf(),
            as_of,
            seed: self.seed,
            time_unit: self.time_unit,
            lang: self.lang,
            inputs,
            validation: ValidValidation {
                unknown_customers: self.validation.unknown_customers,
                min_date,
                max_abs_amount: max_abs,
            },
            out_dir,
            value,
            rfm,
            segment,
            churn,
            plan,
            track,
            resolved: self,
        })
    }
}

fn check_input(
    spec: &'static TableSpec,
    p: &InputParams,
    base: &Path,
    cfg: &Path,
) -> Result<ValidInput> {
    let t = spec.name;
    let bad = |msg: String| Error::config(cfg, format!("[input.{t}] {msg}"));
    if p.path.trim().is_empty() {
        return Err(bad("path is empty".into()));
    }
    let path = base.join(&p.path);
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let format = match p.format {
        Some(f) => f,
        None => match ext.as_str() {
            "parquet" | "pq" => Format::Parquet,
            "xlsx" | "xlsm" => Format::Xlsx,
            _ => Format::Csv,
        },
    };
    let delimiter = match p.delimiter.as_deref() {
        None if ext == "tsv" => Delimiter::Byte(b'\t'),
        None => Delimiter::Byte(b','),
        Some("whitespace") | Some("spaces") => Delimiter::Whitespace,
        Some("tab") | Some("\t") => Delimiter::Byte(b'\t'),
        Some(s) if s.len() == 1 && s != "\"" && s != "\n" && s != "\r" => {
            Delimiter::Byte(s.as_bytes()[0])
        }
        Some(s) => {
            return Err(bad(format!(
                "delimiter = {s:?} must be one ASCII character, \"tab\" or \"whitespace\""
            )));
        }
    };
    if let Some(f) = &p.date_format {
        check_date_format(f).map_err(|m| bad(format!("date_format = {f:?}: {m}")))?;
    }
    let mut columns = BTreeMap::new();
    for (contract, file_col) in &p.columns {
        let Some(c) = spec.column(contract) else {
            return Err(bad(format!(
                "columns: '{contract}' is not a {t} column; the contract has: {}",
                spec.names().join(", ")
            )));
        };
        if file_col.is_empty() {
            return Err(bad(format!("columns.{contract} is empty")));
        }
        columns.insert(c.name, file_col.clone());
    }
    Ok(ValidInput {
        table: spec,
        path,
        format,
        delimiter,
        has_header: p.has_header,
        encoding: p.encoding,
        date_format: p.date_format.clone(),
        sheet: p.sheet.clone(),
        columns,
    })
}

/// Parse `YYYY-MM-DD`.
pub fn parse_iso_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
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

/// The commented `kam.toml` that `kam init` writes: every setting with its default.
pub const INIT_TEMPLATE: &str = include_str!("init_template.toml");

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ValidConfig> {
        let p = Path::new("/data/kam.toml");
        Config::from_toml(text, p)?.check(p, Overrides::default())
    }

    const MINIMAL: &str = "[input.transactions]\npath = \"sales.csv\"\n";

    #[test]
    fn minimal_config_resolves_paths_and_defaults() -> Result<()> {
        let c = parse(MINIMAL)?;
        let t = c
            .input("transactions")
            .ok_or(Error::Internal("no tx".into()))?;
        assert_eq!(t.path, PathBuf::from("/data/sales.csv"));
        assert_eq!(t.format, Format::Csv);
        assert_eq!(t.delimiter, Delimiter::Byte(b','));
        assert_eq!(c.seed, 42);
        assert_eq!(c.time_unit, TimeUnit::Weeks);
        assert_eq!(c.out_dir, PathBuf::from("out"));
        Ok(())
    }

    #[test]
    fn init_template_parses_to_the_defaults() -> Result<()> {
        let p = Path::new("kam.toml");
        let c = Config::from_toml(INIT_TEMPLATE, p)?;
        assert_eq!(c.seed, default_seed());
        assert_eq!(c.validation, ValidationParams::default());
        assert_eq!(c.output, OutputParams::default());
        assert_eq!(c.time_unit, TimeUnit::default());
        assert_eq!(c.value, ValueParams::default());
        assert_eq!(c.rfm, RfmParams::default());
        assert_eq!(c.segment, SegmentParams::default());
        assert_eq!(c.plan, PlanParams::default());
        assert_eq!(c.track, TrackParams::default());
        c.check(p, Overrides::default())?;
        Ok(())
    }

    #[test]
    fn unknown_key_is_rejected_with_its_line() {
        let e = parse("seeed = 1\n[input.transactions]\npath = \"a.csv\"\n").unwrap_err();
        assert!(e.to_string().contains("line 1"), "{e}");
        assert!(e.to_string().contains("seeed"), "{e}");
    }

    #[test]
    fn as_of_must_be_a_date() {
        let e = parse(&format!("as_of = \"2026-13-01\"\n{MINIMAL}")).unwrap_err();
        assert!(e.to_string().contains("as_of"), "{e}");
    }

    #[test]
    fn delimiter_must_be_one_character() {
        let e = parse("[input.transactions]\npath = \"a.csv\"\ndelimiter = \";;\"\n").unwrap_err();
        assert!(e.to_string().contains("delimiter"), "{e}");
    }

    #[test]
    fn whitespace_delimiter_and_xlsx_format_from_extension() -> Result<()> {
        let c = parse("[input.transactions]\npath = \"a.xlsx\"\ndelimiter = \"whitespace\"\n")?;
        let t = &c.inputs[0];
        assert_eq!(t.format, Format::Xlsx);
        assert_eq!(t.delimiter, Delimiter::Whitespace);
        Ok(())
    }

    #[test]
    fn date_format_must_be_valid_and_complete() {
        let e =
            parse("[input.transactions]\npath = \"a.csv\"\ndate_format = \"%H:%M\"\n").unwrap_err();
        assert!(e.to_string().contains("year"), "{e}");
        let e =
            parse("[input.transactions]\npath = \"a.csv\"\ndate_format = \"%Y-%Q\"\n").unwrap_err();
        assert!(e.to_string().contains("strftime"), "{e}");
    }

    #[test]
    fn mapping_of_unknown_contract_column_is_rejected() {
        let e = parse("[input.transactions]\npath = \"a.csv\"\ncolumns = { client = \"X\" }\n")
            .unwrap_err();
        assert!(
            e.to_string()
                .contains("'client' is not a transactions column"),
            "{e}"
        );
    }

    #[test]
    fn encoding_names_are_accepted() -> Result<()> {
        let c = parse("[input.transactions]\npath = \"a.csv\"\nencoding = \"gbk\"\n")?;
        assert_eq!(c.inputs[0].encoding, Encoding::Gbk);
        assert!(parse("[input.transactions]\npath = \"a.csv\"\nencoding = \"ebcdic\"\n").is_err());
        Ok(())
    }

    #[test]
    fn max_abs_amount_must_be_positive() {
        let e = parse(&format!("{MINIMAL}[validation]\nmax_abs_amount = -1\n")).unwrap_err();
        assert!(e.to_string().contains("max_abs_amount"), "{e}");
    }
}
