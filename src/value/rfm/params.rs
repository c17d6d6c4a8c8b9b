//! `[rfm]` in kam.toml: which column feeds each score and which way is good, the number of
//! score levels, the segment rules; loose as written ([`RfmParams`]) and checked
//! ([`RfmValid`], built only by [`RfmParams::check`]).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::schema as s;

/// Fewest and most score levels `check` accepts.
const MIN_BINS: u32 = 2;
const MAX_BINS: u32 = 10;

/// Which direction of a column is good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    Higher,
    Lower,
}

/// The column feeding one score and which way is good. Both fields are required when given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreInput {
    /// A numeric column of the per-customer table.
    pub column: String,
    pub better: Better,
}

impl ScoreInput {
    pub fn new(column: &str, better: Better) -> Self {
        ScoreInput {
            column: column.to_string(),
            better,
        }
    }
}

/// One named segment: the customers whose scores fall in all the given inclusive ranges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentRule {
    pub name: String,
    /// Inclusive range of the R score, `[lo, hi]`.
    pub r: [u8; 2],
    /// Inclusive range of the F score.
    pub f: [u8; 2],
    /// Inclusive range of the M score; none: any M, missing M included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub m: Option<[u8; 2]>,
}

impl SegmentRule {
    pub fn new(name: &str, r: [u8; 2], f: [u8; 2], m: Option<[u8; 2]>) -> Self {
        SegmentRule {
            name: name.to_string(),
            r,
            f,
            m,
        }
    }
}

/// RFM settings as the user gives them (unchecked); every field has a default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RfmParams {
    /// Recency. Default `recency_days` (days since the last purchase), lower is better.
    pub r: ScoreInput,
    /// Frequency. Default `frequency` (repeat purchase days), higher is better.
    pub f: ScoreInput,
    /// Monetary. Default `monetary_total` (net value), higher is better.
    pub m: ScoreInput,
    /// Score levels, 2 to 10. Default 5.
    pub bins: u32,
    /// Segment rules in priority order (first match wins); a given list replaces the whole
    /// default list. Default: the usual 5-level RFM map, see [`default_segments`].
    pub segments: Vec<SegmentRule>,
}

impl Default for RfmParams {
    fn default() -> Self {
        RfmParams {
            r: ScoreInput::new(s::RECENCY_DAYS, Better::Lower),
            f: ScoreInput::new(s::FREQUENCY, Better::Higher),
            m: ScoreInput::new(s::MONETARY_TOTAL, Better::Higher),
            bins: 5,
            segments: default_segments(),
        }
    }
}

/// The usual RFM segment map for 5 levels. Together they cover all 125 cells, so no customer
/// with scores ends in [`super::OTHERS`].
pub fn default_segments() -> Vec<SegmentRule> {
    let rule = SegmentRule::new;
    vec![
        rule("Champions", [4, 5], [4, 5], None),
        rule("Loyal", [3, 5], [3, 5], None),
        rule("Potential loyalists", [4, 5], [2, 3], None),
        rule("New", [5, 5], [1, 1], None),
        rule("Promising", [4, 4], [1, 1], None),
        rule("Need attention", [3, 3], [2, 3], None),
        rule("About to sleep", [3, 3], [1, 2], None),
        rule("Can't lose them", [1, 2], [4, 5], Some([4, 5])),
        rule("At risk", [1, 2], [3, 5], None),
        rule("Hibernating", [2, 2], [1, 2], None),
        rule("Lost", [1, 1], [1, 2], None),
    ]
}

/// A settings error; the config loader may re-wrap it with the file's path.
fn bad(msg: String) -> Error {
    Error::Config {
        path: "[rfm]".into(),
        msg,
    }
}

impl RfmParams {
    /// Check every setting once; [`super::score`] only accepts the checked value.
    pub fn check(self) -> Result<RfmValid> {
        if !(MIN_BINS..=MAX_BINS).contains(&self.bins) {
            return Err(bad(format!(
                "bins must be between {MIN_BINS} and {MAX_BINS}; got {}.",
                self.bins
            )));
        }
        for (axis, input) in [("r", &self.r), ("f", &self.f), ("m", &self.m)] {
            if input.column.trim().is_empty() {
                return Err(bad(format!("{axis}.column is empty.")));
            }
        }
        for (i, rule) in self.segments.iter().enumerate() {
            if rule.name.trim().is_empty() {
                return Err(bad(format!("segment {} has no name.", i + 1)));
            }
            let ranges = [("r", Some(rule.r)), ("f", Some(rule.f)), ("m", rule.m)];
            for (axis, range) in ranges {
                if let Some([lo, hi]) = range
                    && (lo < 1 || lo > hi || u32::from(hi) > self.bins)
                {
                    return Err(bad(format!(
                        "segment '{}': {axis} = [{lo}, {hi}] must be a range [lo, hi] with 1 <= lo <= hi <= {} (bins).",
                        rule.name, self.bins
                    )));
                }
            }
        }
        Ok(RfmValid(self))
    }
}

/// Checked RFM settings; only [`RfmParams::check`] builds one. Reads through to the params.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RfmValid(RfmParams);

impl std::ops::Deref for RfmValid {
    type Target = RfmParams;
    fn deref(&self) -> &RfmParams {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> Result<RfmValid> {
        RfmParams::default().check()
    }

    #[test]
    fn defaults_check_and_round_trip_through_toml() -> Result<()> {
        let p = RfmParams::default();
        let text = toml::to_string(&p).map_err(|e| Error::Internal(e.to_string()))?;
        let back: RfmParams = toml::from_str(&text).map_err(|e| Error::Internal(e.to_string()))?;
        assert_eq!(back, p);
        let empty: RfmParams = toml::from_str("").map_err(|e| Error::Internal(e.to_string()))?;
        assert_eq!(empty.check()?, valid()?);
        Ok(())
    }

    #[test]
    fn settings_reject_unknown_keys() {
        assert!(toml::from_str::<RfmParams>("bin = 5").is_err());
        assert!(toml::from_str::<RfmParams>("r = { column = \"x\" }").is_err());
        let rule = "[[segments]]\nname = \"A\"\nr = [1, 5]\nf = [1, 5]\nmm = [1, 5]";
        assert!(toml::from_str::<RfmParams>(rule).is_err());
    }

    #[test]
    fn settings_read_custom_columns_and_rules() -> Result<()> {
        let text = "bins = 3\nm = { column = \"revenue_last_12m\", better = \"higher\" }\n\
                    [[segments]]\nname = \"Top\"\nr = [3, 3]\nf = [2, 3]\nm = [3, 3]\n";
        let p: RfmParams = toml::from_str(text).map_err(|e| Error::Internal(e.to_string()))?;
        let v = p.check()?;
        assert_eq!(v.m.column, s::REVENUE_LAST_12M);
        assert_eq!(v.r.better, Better::Lower);
        assert_eq!(v.segments.len(), 1);
        Ok(())
    }

    fn rejected(p: RfmParams) -> bool {
        matches!(p.check(), Err(Error::Config { .. }))
    }

    #[test]
    fn bins_cannot_be_one() {
        assert!(rejected(RfmParams {
            bins: 1,
            segments: vec![],
            ..RfmParams::default()
        }));
    }

    #[test]
    fn bins_cannot_exceed_ten() {
        assert!(rejected(RfmParams {
            bins: 11,
            ..RfmParams::default()
        }));
    }

    #[test]
    fn score_column_cannot_be_blank() {
        assert!(rejected(RfmParams {
            f: ScoreInput::new(" ", Better::Higher),
            ..RfmParams::default()
        }));
    }

    fn with_rule(rule: SegmentRule) -> RfmParams {
        RfmParams {
            segments: vec![rule],
            ..RfmParams::default()
        }
    }

    #[test]
    fn segment_name_cannot_be_blank() {
        assert!(rejected(with_rule(SegmentRule::new(
            "",
            [1, 5],
            [1, 5],
            None
        ))));
    }

    #[test]
    fn segment_range_cannot_start_at_zero() {
        assert!(rejected(with_rule(SegmentRule::new(
            "A",
            [0, 5],
            [1, 5],
            None
        ))));
    }

    #[test]
    fn segment_range_cannot_exceed_bins() {
        assert!(rejected(with_rule(SegmentRule::new(
            "A",
            [1, 5],
            [1, 6],
            None
        ))));
        // the default rules are written for 5 levels
        assert!(rejected(RfmParams {
            bins: 4,
            ..RfmParams::default()
        }));
    }

    #[test]
    fn segment_range_cannot_be_reversed() {
        assert!(rejected(with_rule(SegmentRule::new(
            "A",
            [1, 5],
            [1, 5],
            Some([4, 2])
        ))));
    }
}
