//! `[segment]` in kam.toml: the k-means segmentation settings, loose as written
//! ([`SegmentParams`]) and checked ([`SegmentValid`], built only by [`SegmentParams::check`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::schema as s;

/// How features are transformed before clustering.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Transform {
    /// Signed log1p (sign(x) ln(1 + |x|)) then standardise: for skewed money and counts.
    #[default]
    Log1pStandardize,
    /// Subtract the mean, divide by the standard deviation.
    Standardize,
    /// The values as they are.
    None,
}

/// Number of segments: a number, or "auto" (chosen in `k_min..=k_max` by silhouette).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum KChoice {
    Fixed(usize),
    Auto(String),
}

impl Default for KChoice {
    fn default() -> Self {
        KChoice::Auto("auto".into())
    }
}

/// `auto` or a number, as `--k` takes it.
impl std::str::FromStr for KChoice {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<KChoice, String> {
        match s.trim() {
            "auto" => Ok(KChoice::Auto("auto".into())),
            n => n
                .parse()
                .map(KChoice::Fixed)
                .map_err(|_| format!("{n:?} is not a number of segments or auto")),
        }
    }
}

impl std::fmt::Display for KChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KChoice::Fixed(k) => write!(f, "{k}"),
            KChoice::Auto(a) => f.write_str(a),
        }
    }
}

/// `[segment]` in kam.toml.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SegmentParams {
    /// Numeric customer columns to cluster on.
    pub features: Vec<String>,
    pub transform: Transform,
    pub k: KChoice,
    pub k_min: usize,
    pub k_max: usize,
    pub n_init: usize,
    pub max_iter: u64,
    pub tol: f64,
    /// Rows of the seeded sample on which silhouette is computed when choosing k.
    pub silhouette_sample: usize,
    /// k = auto scans k on a seeded sample of this many placed customers when there are more
    /// (the chosen k is then fitted on all of them), and the stability refits run on the same
    /// sample; `models/kmeans.json` states both.
    pub scan_sample: usize,
    /// Refits with other seeds whose agreement (adjusted Rand index) measures stability.
    pub stability_runs: usize,
    /// The column that orders segments (largest mean first) and gives revenue shares.
    pub value_col: String,
    /// Names that override the generated ones, by segment number.
    pub names: BTreeMap<u32, String>,
}

impl Default for SegmentParams {
    fn default() -> Self {
        SegmentParams {
            features: [
                s::RECENCY_DAYS,
                s::FREQUENCY,
                s::MONETARY_TOTAL,
                s::TENURE_DAYS,
                s::TREND_12M,
            ]
            .map(String::from)
            .to_vec(),
            transform: Transform::default(),
            k: KChoice::default(),
            k_min: 2,
            k_max: 10,
            n_init: 10,
            max_iter: 300,
            tol: 1e-4,
            silhouette_sample: 10_000,
            scan_sample: 20_000,
            stability_runs: 3,
            value_col: s::MONETARY_TOTAL.into(),
            names: BTreeMap::new(),
        }
    }
}

/// Checked [`SegmentParams`] with the number of segments resolved; reads through to the
/// params.
#[derive(Debug, Clone)]
pub struct SegmentValid(SegmentParams, Option<usize>);

impl std::ops::Deref for SegmentValid {
    type Target = SegmentParams;
    fn deref(&self) -> &SegmentParams {
        &self.0
    }
}

impl SegmentValid {
    /// The number of segments when fixed; `None` = chosen by silhouette in `k_min..=k_max`.
    pub fn fixed_k(&self) -> Option<usize> {
        self.1
    }
}

impl SegmentParams {
    pub fn check(self) -> Result<SegmentValid> {
        let bad = |m: String| Err(Error::Usage(format!("segment: {m}")));
        if self.features.is_empty() {
            return bad("features must name at least one column".into());
        }
        let k = match &self.k {
            KChoice::Fixed(0) => return bad("k cannot be zero".into()),
            KChoice::Fixed(k) => Some(*k),
            KChoice::Auto(a) if a == "auto" => None,
            KChoice::Auto(a) => return bad(format!("k must be a number or \"auto\", got {a:?}")),
        };
        if k.is_none() && !(2 <= self.k_min && self.k_min <= self.k_max) {
            return bad(format!(
                "k_min {} and k_max {} must satisfy 2 <= k_min <= k_max",
                self.k_min, self.k_max
            ));
        }
        if self.n_init == 0 || self.max_iter == 0 {
            return bad("n_init and max_iter must be at least 1".into());
        }
        if !(self.tol.is_finite() && self.tol >= 0.0) {
            return bad(format!("tol must be >= 0, got {}", self.tol));
        }
        if self.silhouette_sample < 10 {
            return bad("silhouette_sample must be at least 10".into());
        }
        if self.scan_sample < 100 {
            return bad(format!(
                "scan_sample must be at least 100, got {}",
                self.scan_sample
            ));
        }
        Ok(SegmentValid(self, k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rejected(f: impl FnOnce(&mut SegmentParams), word: &str) {
        let mut p = SegmentParams::default();
        f(&mut p);
        match p.check() {
            Err(e) => assert!(e.to_string().contains(word), "{e}"),
            Ok(v) => panic!("accepted {v:?}"),
        }
    }

    #[test]
    fn defaults_pass_with_k_chosen_automatically() -> Result<()> {
        let v = SegmentParams::default().check()?;
        assert_eq!(v.fixed_k(), None);
        assert_eq!(v.n_init, 10);
        let v = SegmentParams {
            k: KChoice::Fixed(4),
            ..SegmentParams::default()
        }
        .check()?;
        assert_eq!(v.fixed_k(), Some(4));
        Ok(())
    }

    #[test]
    fn features_cannot_be_empty() {
        rejected(|p| p.features.clear(), "features");
    }

    #[test]
    fn k_cannot_be_zero() {
        rejected(|p| p.k = KChoice::Fixed(0), "k cannot be zero");
    }

    #[test]
    fn k_text_must_be_auto() {
        rejected(|p| p.k = KChoice::Auto("many".into()), "\"auto\"");
    }

    #[test]
    fn k_min_at_least_two() {
        rejected(|p| p.k_min = 1, "k_min");
    }

    #[test]
    fn k_min_at_most_k_max() {
        rejected(|p| p.k_min = 11, "k_min");
    }

    #[test]
    fn n_init_cannot_be_zero() {
        rejected(|p| p.n_init = 0, "n_init");
    }

    #[test]
    fn max_iter_cannot_be_zero() {
        rejected(|p| p.max_iter = 0, "max_iter");
    }

    #[test]
    fn tol_cannot_be_negative() {
        rejected(|p| p.tol = -1.0, "tol");
    }

    #[test]
    fn silhouette_sample_at_least_ten() {
        rejected(|p| p.silhouette_sample = 9, "silhouette_sample");
    }

    #[test]
    fn scan_sample_at_least_a_hundred() {
        rejected(|p| p.scan_sample = 99, "scan_sample");
    }

    #[test]
    fn k_reads_auto_or_a_number() {
        assert_eq!("auto".parse(), Ok(KChoice::default()));
        assert_eq!(" 6 ".parse(), Ok(KChoice::Fixed(6)));
        assert!("six".parse::<KChoice>().is_err());
        assert_eq!(KChoice::default().to_string(), "auto");
    }

    #[test]
    fn transform_names_are_the_same_in_kam_toml_and_on_the_command_line() {
        use clap::ValueEnum;
        for t in Transform::value_variants() {
            let flag = t.to_possible_value().map(|v| v.get_name().to_string());
            let toml = toml::Value::try_from(t)
                .ok()
                .and_then(|v| v.as_str().map(String::from));
            assert_eq!(flag, toml);
        }
    }
}
