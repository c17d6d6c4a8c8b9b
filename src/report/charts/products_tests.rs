//! The data behind the product, channel and satisfaction charts.

use super::*;
use crate::report::i18n_products::EN;

fn cell(seg: Option<&str>, item: &str, pen: f64, share: f64) -> MixCell {
    MixCell {
        segment: seg.map(str::to_string),
        item: item.into(),
        penetration: pen,
        share_revenue: share,
    }
}

#[test]
fn penetration_heat_map_has_products_by_segments_with_the_company_last() {
    let cells = [
        cell(Some("1 Big"), "cement", 1.0, 0.8),
        cell(Some("1 Big"), "fly ash", 0.6, 0.2),
        cell(Some("2 Small"), "cement", 1.0, 1.0),
        cell(None, "cement", 1.0, 0.9),
        cell(None, "fly ash", 0.3, 0.1),
    ];
    let Chart::Heat(h) = penetration_chart(&cells, &EN) else {
        panic!("not a heat map")
    };
    assert_eq!(h.columns, ["1 Big", "2 Small", "All customers"]);
    assert_eq!(h.rows, ["cement", "fly ash"]);
    assert_eq!(h.values[0], [1.0, 1.0, 1.0]);
    // segment 2 never bought fly ash: an empty cell
    assert!(h.values[1][1].is_nan());
    assert_eq!((h.values[1][0], h.values[1][2]), (0.6, 0.3));
    let Chart::Bars(b) = channel_mix_chart(&cells, &EN) else {
        panic!("not bars")
    };
    assert!(b.stacked);
    assert_eq!(b.series[1].values, [0.2, 0.0, 0.1]);
}

#[test]
fn rules_and_nps_charts_keep_their_order_and_base() {
    let rules: Vec<RuleRow> = (0..20)
        .map(|i| RuleRow {
            antecedent: format!("a{i}"),
            consequent: "b".into(),
            lift: 20.0 - i as f64,
        })
        .collect();
    let Chart::Bars(b) = affinity_chart(&rules, &EN) else {
        panic!("not bars")
    };
    assert_eq!(b.categories.len(), MAX_RULES);
    assert_eq!(b.categories[0], "a0 -> b");
    assert_eq!(b.reference.as_ref().map(|r| r.0), Some(1.0));
    let nps = [
        UnitNps {
            unit: "North".into(),
            nps: -10.0,
            answered: 12.0,
        },
        UnitNps {
            unit: "South".into(),
            nps: 35.5,
            answered: 40.0,
        },
    ];
    let Chart::Bars(b) = nps_chart(&nps, &EN) else {
        panic!("not bars")
    };
    assert_eq!(b.categories, ["South (n=40)", "North (n=12)"]);
    assert_eq!(b.series[0].values, [35.5, -10.0]);
}
