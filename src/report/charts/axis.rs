//! Axis helpers: padded value ranges, evenly spaced ticks, and [`KeyAxis`], an f64 axis whose
//! ticks are given (category centres, month indices).

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};

/// Axis range with room above the largest value (and below the smallest, when negative).
pub fn padded(lo: f64, hi: f64) -> (f64, f64) {
    let (lo, hi) = if lo.is_finite() && hi.is_finite() {
        (lo, hi)
    } else {
        (0.0, 1.0)
    };
    let span = if hi > lo { hi - lo } else { hi.abs().max(1.0) };
    let lo = if lo < 0.0 { lo - 0.05 * span } else { lo };
    (lo, hi + 0.1 * span)
}

/// Evenly spaced tick positions over `lo..=hi` (at most `max` of them, on integers when
/// `integers`).
pub fn ticks(lo: f64, hi: f64, max: usize, integers: bool) -> Vec<f64> {
    if integers {
        let n = (hi - lo).round().max(0.0) as usize + 1;
        let step = n.div_ceil(max.max(1)).max(1);
        return (0..n).step_by(step).map(|i| lo + i as f64).collect();
    }
    let m = max.max(2) - 1;
    (0..=m)
        .map(|i| lo + (hi - lo) * i as f64 / m as f64)
        .collect()
}

/// A linear f64 axis whose ticks are exactly `keys` (category centres, month indices), so
/// category labels sit under their bars.
#[derive(Clone)]
pub struct KeyAxis {
    pub lo: f64,
    pub hi: f64,
    pub keys: Vec<f64>,
}

impl Ranged for KeyAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let span = if self.hi > self.lo {
            self.hi - self.lo
        } else {
            1.0
        };
        let r = (v - self.lo) / span;
        limit.0 + (r * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, _hint: H) -> Vec<f64> {
        self.keys.clone()
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.lo..self.hi
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_and_padding() {
        assert_eq!(ticks(0.0, 4.0, 12, true), [0.0, 1.0, 2.0, 3.0, 4.0]);
        assert_eq!(ticks(0.0, 23.0, 12, true).len(), 12);
        assert_eq!(ticks(0.0, 1.0, 11, false)[1], 0.1);
        assert_eq!(padded(0.0, 10.0), (0.0, 11.0));
        let a = KeyAxis {
            lo: 0.0,
            hi: 2.0,
            keys: vec![0.5, 1.5],
        };
        assert_eq!(a.map(&1.0, (0, 100)), 50);
    }
}
