//! `out/manifest.json`: what a run read, used, rejected and wrote, with which settings.
//!
//! Everything in it is deterministic for the same inputs and seed except `timings_ms`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::Config;
use crate::io::load::FileInfo;
use crate::master::merge::MergeReport;
use crate::validate::Counts;

#[derive(Debug, Serialize)]
pub struct Manifest {
    pub kam_version: &'static str,
    pub command: String,
    pub config_path: String,
    /// The config with every default filled in.
    pub config: Config,
    pub seed: u64,
    /// The date the run stood on (empty when no transaction was usable).
    pub as_of: Option<String>,
    pub inputs: BTreeMap<String, FileInfo>,
    /// Per input table: read = used + rejected.
    pub tables: BTreeMap<String, Counts>,
    /// What the confirmed merge map folded (only when `[input.customer_merges]` is given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merges: Option<MergeReport>,
    /// Facts worth knowing (kept unknown customers, ...).
    pub notes: Vec<String>,
    /// Output files (relative to the output directory) and their row counts.
    pub outputs: BTreeMap<String, u64>,
    /// Wall time of each stage in milliseconds (the only non-deterministic field).
    pub timings_ms: BTreeMap<String, u64>,
}

impl Manifest {
    pub fn new(command: &str, config_path: String, config: Config, seed: u64) -> Self {
        Manifest {
            kam_version: env!("CARGO_PKG_VERSION"),
            command: command.into(),
            config_path,
            config,
            seed,
            as_of: None,
            inputs: BTreeMap::new(),
            tables: BTreeMap::new(),
            merges: None,
            notes: Vec::new(),
            outputs: BTreeMap::new(),
            timings_ms: BTreeMap::new(),
        }
    }

    /// True when every table reconciles: read = used + rejected.
    pub fn reconciles(&self) -> bool {
        self.tables.values().all(|c| c.read == c.used + c.rejected)
    }
}
