//! Units shared by every stage: the time unit of `recency` and `T`.

use serde::{Deserialize, Serialize};

/// Unit of `recency` and `T` in the customer table: `weeks` (the BG/NBD literature) or `days`.
/// The same names on the command line (`--time-unit`), where `week` and `day` are accepted too.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum TimeUnit {
    #[default]
    #[value(alias = "week")]
    Weeks,
    #[value(alias = "day")]
    Days,
}

impl TimeUnit {
    /// The name in the config and the manifest.
    pub fn name(self) -> &'static str {
        match self {
            TimeUnit::Weeks => "weeks",
            TimeUnit::Days => "days",
        }
    }

    /// Days per unit.
    pub fn days(self) -> f64 {
        match self {
            TimeUnit::Weeks => 7.0,
            TimeUnit::Days => 1.0,
        }
    }
}
