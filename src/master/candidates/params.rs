//! `[master.merge_candidates]` in kam.toml: whether kam proposes merges of near-duplicate
//! customers, how similar two names must be, and the largest block it compares.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// `[master.merge_candidates]` as written by the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CandidateParams {
    /// Write `merge_candidates.csv` when a customers table is given. Default true.
    pub enabled: bool,
    /// Normalised Levenshtein similarity (0..1] two different normalised names need to be
    /// proposed as `similar_name`. Default 0.85 (one character in seven may differ).
    pub min_similarity: f64,
    /// A block (customers sharing a key within a district) larger than this is skipped with a
    /// note: comparing all its pairs would be quadratic and its key is too common to mean
    /// anything (`station`, a placeholder phone). Default 100.
    pub max_block_size: usize,
}

impl Default for CandidateParams {
    fn default() -> Self {
        CandidateParams {
            enabled: true,
            min_similarity: 0.85,
            max_block_size: 100,
        }
    }
}

/// Checked [`CandidateParams`]; reads through to the params.
#[derive(Debug, Clone)]
pub struct CandidateValid(CandidateParams);

impl std::ops::Deref for CandidateValid {
    type Target = CandidateParams;
    fn deref(&self) -> &CandidateParams {
        &self.0
    }
}

impl CandidateParams {
    /// Check every value once; errors are [`Error::Usage`] sentences naming the setting.
    pub fn check(self) -> Result<CandidateValid> {
        let s = self.min_similarity;
        if !(s.is_finite() && s > 0.0 && s <= 1.0) {
            return Err(Error::Usage(format!(
                "master.merge_candidates.min_similarity must be above 0 and at most 1, got {s}"
            )));
        }
        if self.max_block_size < 2 {
            return Err(Error::Usage(format!(
                "master.merge_candidates.max_block_size must be at least 2, got {}",
                self.max_block_size
            )));
        }
        Ok(CandidateValid(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rejected(f: impl FnOnce(&mut CandidateParams), word: &str) {
        let mut p = CandidateParams::default();
        f(&mut p);
        match p.check() {
            Err(e) => assert!(e.to_string().contains(word), "{e}"),
            Ok(v) => panic!("accepted {v:?}"),
        }
    }

    #[test]
    fn defaults_pass() -> Result<()> {
        let v = CandidateParams::default().check()?;
        assert!(v.enabled);
        assert_eq!(v.max_block_size, 100);
        Ok(())
    }

    #[test]
    fn min_similarity_must_be_in_zero_one() {
        for bad in [0.0, -0.5, 1.5, f64::NAN] {
            rejected(
                |p| p.min_similarity = bad,
                "master.merge_candidates.min_similarity",
            );
        }
    }

    #[test]
    fn max_block_size_must_allow_a_pair() {
        rejected(
            |p| p.max_block_size = 1,
            "master.merge_candidates.max_block_size",
        );
    }
}
