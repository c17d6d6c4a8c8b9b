//! The run's settings: `kam.toml` as users write it ([`Config`]) and as stages receive it
//! ([`ValidConfig`], built only by [`Config::check`]).
//!
//! This module only composes: each section's settings and their check live with their stage
//! (`value/params.rs`, `segment/params.rs`, ...), the input specs in `io/spec.rs`, the
//! validation settings in `validate/params.rs`. Paths in the file are relative to the config
//! file; the output directory is relative to where kam is run.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::churn::{ChurnParams, ChurnValid};
use crate::error::{Error, Result};
use crate::io::{InputParams, ValidInput};
use crate::key_accounts::{KeyAccountParams, KeyAccountValid};
use crate::plan::{PlanParams, PlanValid};
use crate::report::Lang;
use crate::schema::{self, TimeUnit, parse_iso_date};
use crate::segment::{SegmentParams, SegmentValid};
use crate::track::{TrackParams, TrackValid};
use crate::validate::{ValidationParams, ValidationValid};
use crate::value::rfm::{RfmParams, RfmValid};
use crate::value::{ValueParams, ValueValid};

/// The seed of every random choice when neither kam.toml nor a flag gives one.
pub const DEFAULT_SEED: u64 = 42;

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
    /// The one key-account rule: deal size, the existing-customer rule, tiers.
    #[serde(default)]
    pub key_accounts: KeyAccountParams,
    /// Escalations and the review pack, prospects, credit mix, market-share caps and quotas.
    #[serde(default)]
    pub plan: PlanParams,
    /// Attainment, weekly progress, leaderboard and forecast.
    #[serde(default)]
    pub track: TrackParams,
}

fn default_seed() -> u64 {
    DEFAULT_SEED
}

/// `[input.*]`: the transactions and, when the company has them, the other tables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_merges: Option<InputParams>,
}

impl InputsConfig {
    /// The present inputs, checked, in contract order ([`schema::TABLES`]), with paths
    /// resolved against the config file's folder.
    fn check(&self, path: &Path) -> Result<Vec<ValidInput>> {
        let bad = |msg: String| Error::config(path, msg);
        let base = path.parent().unwrap_or(Path::new("")).to_path_buf();
        let i = self;
        let present = [
            (&schema::CUSTOMERS, i.customers.as_ref()),
            (&schema::TRANSACTIONS, Some(&i.transactions)),
            (&schema::TARGETS, i.targets.as_ref()),
            (&schema::DEALS, i.deals.as_ref()),
            (&schema::CAMPAIGNS, i.campaigns.as_ref()),
            (&schema::CUSTOMER_MERGES, i.customer_merges.as_ref()),
        ];
        let mut inputs = Vec::new();
        for (spec, params) in present {
            if let Some(p) = params {
                let t = spec.name;
                let input = p
                    .check(spec, &base)
                    .map_err(|e| bad(format!("[input.{t}] {e}")))?;
                inputs.push(input);
            }
        }
        Ok(inputs)
    }
}

/// `[output]`: where a run writes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OutputParams {
    /// Output directory, relative to the working directory. `--out` overrides it. Default `out`.
    pub dir: String,
}

impl Default for OutputParams {
    fn default() -> Self {
        OutputParams { dir: "out".into() }
    }
}

/// The checked config every stage takes. Only [`Config::check`] builds one.
#[derive(Debug, Clone)]
pub struct ValidConfig {
    pub config_path: PathBuf,
    pub as_of: Option<NaiveDate>,
    pub seed: u64,
    pub time_unit: TimeUnit,
    pub lang: Lang,
    /// Present inputs in contract order ([`schema::TABLES`]).
    pub inputs: Vec<ValidInput>,
    pub validation: ValidationValid,
    pub out_dir: PathBuf,
    pub value: ValueValid,
    pub rfm: RfmValid,
    pub segment: SegmentValid,
    pub churn: ChurnValid,
    pub key_accounts: KeyAccountValid,
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
            Error::config(path, format!("{place}{msg}{}", moved_hint(&msg)))
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
        let validation = self
            .validation
            .clone()
            .check()
            .map_err(|e| bad(e.to_string()))?;
        let inputs = self.input.check(path)?;
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
        let key_accounts = self
            .key_accounts
            .clone()
            .check()
            .map_err(|e| bad(e.to_string()))?;
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
            validation,
            out_dir,
            value,
            rfm,
            segment,
            churn,
            key_accounts,
            plan,
            track,
            resolved: self,
        })
    }
}

/// Where a setting of an earlier kam went, for the parse error of a config that still has it.
fn moved_hint(msg: &str) -> &'static str {
    let moved = ["`key_accounts`", "`key_account_min_deal`"];
    match moved
        .iter()
        .any(|k| msg.contains(&format!("unknown field {k}")))
    {
        true => {
            " (the key-account rule now lives in [key_accounts]; escalations and the review \
             pack in [plan.review])"
        }
        false => "",
    }
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
        assert_eq!(t.format, crate::io::Format::Csv);
        assert_eq!(t.delimiter, crate::io::Delimiter::Byte(b','));
        assert_eq!(c.seed, 42);
        assert_eq!(c.time_unit, TimeUnit::Weeks);
        assert_eq!(c.out_dir, PathBuf::from("out"));
        Ok(())
    }

    #[test]
    fn quota_basis_is_last_year_or_forecast() -> Result<()> {
        let c = parse(&format!("{MINIMAL}[plan.quotas]\nbasis = \"forecast\"\n"))?;
        assert_eq!(
            c.plan.quotas.basis,
            crate::plan::params::QuotaBasis::Forecast
        );
        let e = parse(&format!("{MINIMAL}[plan.quotas]\nbasis = \"last_month\"\n"));
        let msg = e.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            msg.contains("last_year") && msg.contains("forecast"),
            "{msg}"
        );
        Ok(())
    }

    #[test]
    fn init_template_parses_to_the_defaults() -> Result<()> {
        let p = Path::new("kam.toml");
        let c = Config::from_toml(INIT_TEMPLATE, p)?;
        assert_eq!(c.seed, DEFAULT_SEED);
        assert_eq!(c.validation, ValidationParams::default());
        assert_eq!(c.output, OutputParams::default());
        assert_eq!(c.time_unit, TimeUnit::default());
        assert_eq!(c.value, ValueParams::default());
        assert_eq!(c.rfm, RfmParams::default());
        assert_eq!(c.segment, SegmentParams::default());
        assert_eq!(c.key_accounts, KeyAccountParams::default());
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
    fn a_moved_key_account_setting_says_where_it_went() {
        for text in [
            "[plan.key_accounts]\nkey_account_min_deal = 5\n",
            "[track]\nkey_account_min_deal = 5\n",
        ] {
            let e = parse(&format!("{MINIMAL}{text}")).unwrap_err();
            assert!(e.to_string().contains("[key_accounts]"), "{e}");
        }
    }

    #[test]
    fn as_of_must_be_a_date() {
        let e = parse(&format!("as_of = \"2026-13-01\"\n{MINIMAL}")).unwrap_err();
        assert!(e.to_string().contains("as_of"), "{e}");
    }

    #[test]
    fn input_errors_name_the_config_and_the_section() {
        let e = parse("[input.transactions]\npath = \"a.csv\"\ndelimiter = \";;\"\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "config /data/kam.toml: [input.transactions] delimiter = \";;\" must be one ASCII character, \"tab\" or \"whitespace\""
        );
    }

    #[test]
    fn stage_errors_name_the_config() {
        let e = parse(&format!("{MINIMAL}[segment]\nk = 0\n")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "config /data/kam.toml: segment: k cannot be zero"
        );
    }

    #[test]
    fn min_date_must_be_a_date() {
        let e = parse(&format!("{MINIMAL}[validation]\nmin_date = \"1900\"\n")).unwrap_err();
        assert!(e.to_string().contains("validation.min_date"), "{e}");
    }

    #[test]
    fn max_abs_amount_must_be_positive() {
        let e = parse(&format!("{MINIMAL}[validation]\nmax_abs_amount = -1\n")).unwrap_err();
        assert!(e.to_string().contains("max_abs_amount"), "{e}");
    }
}
