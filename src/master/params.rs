//! `[master]` in kam.toml: the customer master's settings (today the merge candidates').

use serde::{Deserialize, Serialize};

use super::candidates::{CandidateParams, CandidateValid};
use crate::error::Result;

/// `[master]` as written by the user.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MasterParams {
    /// `[master.merge_candidates]`: near-duplicate customers proposed for merging.
    pub merge_candidates: CandidateParams,
}

/// Checked [`MasterParams`].
#[derive(Debug, Clone)]
pub struct MasterValid {
    pub merge_candidates: CandidateValid,
}

impl MasterParams {
    /// Check every value once.
    pub fn check(self) -> Result<MasterValid> {
        Ok(MasterValid {
            merge_candidates: self.merge_candidates.check()?,
        })
    }
}
