//! Credit grades and the quality-customer rule (domain.md §6), defined once for every stage
//! that counts quality customers: the planner's credit mix (`credit_mix.csv`, quality_share)
//! and tracking's account-manager portfolios (`portfolios.csv`, b_or_better_share).
//!
//! A customer is a **quality customer** when its credit grade is `quality_min_grade` ("B")
//! or better on the company's scale (`plan.grades`, best first). The quality share of a group
//! is its quality customers over all its customers, unrated ones and grades off the scale
//! included (they are customers that are not known to be quality customers).

/// The company's grade scale (best first) and the worst grade that still counts as quality.
/// Built from the checked `[plan]` settings (`PlanValid::quality_rule`), so the grade is on
/// the scale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QualityRule {
    scale: Vec<String>,
    /// Position of `quality_min_grade` on the scale.
    worst: usize,
}

impl QualityRule {
    /// The rule for `scale` (best first) and its minimum quality grade; a minimum not on the
    /// scale takes the best grade only (the checked config never gives one).
    pub fn new(scale: &[String], min_grade: &str) -> QualityRule {
        QualityRule {
            worst: scale.iter().position(|g| g == min_grade).unwrap_or(0),
            scale: scale.to_vec(),
        }
    }

    /// Position of a grade on the scale (0 = best); None when it is not on the scale.
    pub fn rank(&self, grade: &str) -> Option<usize> {
        self.scale.iter().position(|g| g == grade)
    }

    /// The scale, best first.
    pub fn scale(&self) -> &[String] {
        &self.scale
    }

    /// Whether a customer with this grade is a quality customer (unrated: no).
    pub fn is_quality(&self, grade: Option<&str>) -> bool {
        grade
            .and_then(|g| self.rank(g))
            .is_some_and(|r| r <= self.worst)
    }

    /// quality customers / customers, 0 for no customers (as `credit_mix.csv` writes it).
    pub fn share(&self, quality: u64, customers: u64) -> f64 {
        if customers > 0 {
            quality as f64 / customers as f64
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn b_or_better_on_the_default_scale() {
        let scale: Vec<String> = ["AAA", "AA", "A", "B", "C", "D"].map(String::from).to_vec();
        let r = QualityRule::new(&scale, "B");
        assert!(r.is_quality(Some("AAA")) && r.is_quality(Some("B")));
        assert!(!r.is_quality(Some("C")) && !r.is_quality(Some("Z")) && !r.is_quality(None));
        assert_eq!(r.share(1, 4), 0.25);
        assert_eq!(r.share(0, 0), 0.0);
    }
}
