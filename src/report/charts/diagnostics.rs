//! The churn model's diagnostics: ROC curve, cumulative gains and calibration, each against
//! its reference diagonal (chance, random contact, perfect calibration).

use super::{Chart, Format, Line, LineChart};
use crate::report::i18n_diag::DiagTexts;

/// One row of `models/churn_diagnostics.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct DiagPoint {
    pub kind: String,
    pub x: f64,
    pub y: f64,
}

/// The chart of `kind` (`roc`, `gains` or `calibration`); `None` without its points.
pub fn diagnostics_chart(points: &[DiagPoint], kind: &str, t: &DiagTexts) -> Option<Chart> {
    let pts: Vec<(f64, f64)> = points
        .iter()
        .filter(|p| p.kind == kind && p.x.is_finite() && p.y.is_finite())
        .map(|p| (p.x, p.y))
        .collect();
    if pts.is_empty() {
        return None;
    }
    let (title, x, y, reference) = match kind {
        "roc" => (t.roc_title, t.fpr, t.tpr, t.chance),
        "gains" => (t.gains_title, t.contacted, t.found, t.chance),
        _ => (t.calibration_title, t.predicted, t.observed, t.perfect),
    };
    Some(Chart::Lines(LineChart {
        title: title.into(),
        x_label: x.into(),
        y_label: y.into(),
        lines: vec![
            Line {
                name: t.model.into(),
                points: pts,
                dashed: false,
            },
            Line {
                name: reference.into(),
                points: vec![(0.0, 0.0), (1.0, 1.0)],
                dashed: true,
            },
        ],
        bands: Vec::new(),
        x_names: Vec::new(),
        x_format: Format::Percent,
        y_format: Format::Percent,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::i18n_diag::EN;

    #[test]
    fn each_kind_is_drawn_from_its_own_points_against_the_diagonal() {
        let p = |kind: &str, x: f64, y: f64| DiagPoint {
            kind: kind.into(),
            x,
            y,
        };
        let points = [
            p("roc", 0.0, 0.0),
            p("roc", 0.2, 0.7),
            p("roc", 1.0, 1.0),
            p("gains", 0.1, 0.3),
        ];
        let Some(Chart::Lines(c)) = diagnostics_chart(&points, "roc", &EN) else {
            panic!("no roc chart")
        };
        assert_eq!(c.lines[0].points, [(0.0, 0.0), (0.2, 0.7), (1.0, 1.0)]);
        assert_eq!(c.lines[1].points, [(0.0, 0.0), (1.0, 1.0)]);
        assert!(c.lines[1].dashed);
        assert!(diagnostics_chart(&points, "calibration", &EN).is_none());
    }
}
