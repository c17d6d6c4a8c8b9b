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
use crate::io::prepared::{FeaturesParams, ValidFeatures};
use crate::io::{InputParams, ValidInput};
use crate::key_accounts::{KeyAccountParams, KeyAccountValid};
use crate::master::{MasterParams, MasterValid};
use crate::plan::{PlanParams, PlanValid};
use crate::products::{ProductsParams, ProductsValid};
use crate::report::LangSetting;
use crate::satisfaction::{SatisfactionParams, SatisfactionValid};
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
    /// Language of the report, its charts and findings: `en`, `zh` or `auto` (Chinese when
    /// most customer names are Chinese).
    #[serde(default)]
    pub lang: LangSetting,
    pub input: InputsConfig,
    #[serde(default)]
    pub validation: ValidationParams,
    /// The customer master: merge candidates.
    #[serde(default)]
    pub master: MasterParams,
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
    /// Product columns, affinity rules, cross-sell and channel mix.
    #[serde(default)]
    pub products: ProductsParams,
    /// Satisfaction from the feedback table.
    #[serde(default)]
    pub satisfaction: SatisfactionParams,
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
    pub feedback: Option<InputParams>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_merges: Option<InputParams>,
    /// Per-customer features prepared elsewhere (the Spark feature job's output).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub features: Option<FeaturesParams>,
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
            (&schema::FEEDBACK, i.feedback.as_ref()),
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
    pub lang: LangSetting,
    /// Present inputs in contract order ([`schema::TABLES`]).
    pub inputs: Vec<ValidInput>,
    /// Features prepared elsewhere, read instead of the raw transactions (`--features`).
    pub features: Option<ValidFeatures>,
    pub validation: ValidationValid,
    pub master: MasterValid,
    pub out_dir: PathBuf,
    pub value: ValueValid,
    pub rfm: RfmValid,
    pub segment: SegmentValid,
    pub churn: ChurnValid,
    pub key_accounts: KeyAccountValid,
    pub plan: PlanValid,
    pub track: TrackValid,
    pub products: ProductsValid,
    pub satisfaction: SatisfactionValid,
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
    /// `--features PATH`, relative to the working directory.
    pub features: Option<PathBuf>,
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
        let features = self.features_input(path, ov.features)?;
        let master = self
            .master
            .clone()
            .check()
            .map_err(|e| bad(e.to_string()))?;
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
        let products = (self.products.clone().check()).map_err(|e| bad(e.to_string()))?;
        let satisfaction = (self.satisfaction.clone().check()).map_err(|e| bad(e.to_string()))?;
        Ok(ValidConfig {
            config_path: path.to_path_buf(),
            as_of,
            seed: self.seed,
            time_unit: self.time_unit,
            lang: self.lang,
            inputs,
            features,
            validation,
            master,
            out_dir,
            value,
            rfm,
            segment,
            churn,
            key_accounts,
            plan,
            track,
            products,
            satisfaction,
            resolved: self,
        })
    }
}

impl Config {
    /// `[input.features]`, or `--features` (which wins, and is relative to the working
    /// directory); refused with a merge map, which kam folds into the transactions' ids
    /// before features are computed.
    fn features_input(
        &mut self,
        path: &Path,
        cli: Option<PathBuf>,
    ) -> Result<Option<ValidFeatures>> {
        let f = match cli {
            // the flag stands for the whole section: the orders and manifest beside PATH
            Some(p) => {
                let params = FeaturesParams {
                    path: p.display().to_string(),
                    orders: None,
                    manifest: None,
                };
                let f = params.check(Path::new(""));
                self.input.features = Some(params);
                Some(f)
            }
            None => {
                let base = path.parent().unwrap_or(Path::new(""));
                self.input.features.as_ref().map(|f| f.check(base))
            }
        };
        self.no_merges(path, f)
    }

    fn no_merges(&self, path: &Path, f: Option<ValidFeatures>) -> Result<Option<ValidFeatures>> {
        if f.is_some() && self.input.customer_merges.is_some() {
            return Err(Error::config(
                path,
                "[input.features] and [input.customer_merges] together: the merge map must be \
                 folded into the transactions before features are computed; run kam on the raw \
                 transactions, or leave the merge map out",
            ));
        }
        Ok(f)
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
#[path = "config_tests.rs"]
mod tests;
