//! `[satisfaction]` in kam.toml: the window the satisfaction figures look back over, loose as
//! written ([`SatisfactionParams`]) and checked ([`SatisfactionValid`]).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// `[satisfaction]` as written by the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SatisfactionParams {
    /// CSAT, NPS, complaints and days to resolve count the feedback of the last this many days
    /// (365); open complaints and days since the last contact look at all of it.
    pub window_days: u32,
}

impl Default for SatisfactionParams {
    fn default() -> Self {
        SatisfactionParams { window_days: 365 }
    }
}

/// Checked `[satisfaction]` settings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SatisfactionValid(SatisfactionParams);

impl std::ops::Deref for SatisfactionValid {
    type Target = SatisfactionParams;
    fn deref(&self) -> &SatisfactionParams {
        &self.0
    }
}

impl SatisfactionParams {
    pub fn check(self) -> Result<SatisfactionValid> {
        if self.window_days == 0 {
            return Err(Error::Usage(
                "satisfaction: window_days must be at least 1".into(),
            ));
        }
        Ok(SatisfactionValid(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zero_window_is_refused() {
        assert!(SatisfactionParams::default().check().is_ok());
        assert!(SatisfactionParams { window_days: 0 }.check().is_err());
    }
}
