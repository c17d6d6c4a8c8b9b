//! Tests of `data.rs` on hand-made rows.
use super::*;

type R = std::result::Result<(), Box<dyn std::error::Error>>;

#[test]
fn missing_table_or_column_is_a_note() -> R {
    assert_eq!(
        trend(&[]).err().as_deref(),
        Some("trend.csv was not written by this run")
    );
    let tables = vec![(
        "campaigns".to_string(),
        df!("by" => ["channel"], "channel" => ["flyer"])?,
    )];
    assert_eq!(
        channels(&tables).err().as_deref(),
        Some("campaigns.csv has no column 'conversion_rate'")
    );
    Ok(())
}

#[test]
fn attainment_takes_the_latest_complete_period_of_districts() -> R {
    let df = df!(
        "period" => ["2025-11", "2025-12", "2025-12", "2026-01", "2025-12"],
        "level" => ["district", "district", "station", "district", "district"],
        "unit" => ["N", "N", "S1", "N", "E"],
        "metric" => ["revenue", "revenue", "revenue", "revenue", "volume"],
        "actual" => [1.0, 2.0, 3.0, 4.0, 5.0],
        "completion_rate" => [Some(0.5), Some(0.9), Some(1.0), Some(0.1), Some(2.0)],
    )?;
    let tables = vec![("attainment".to_string(), df)];
    let (p, rows) = attainment(&tables, Some("2026-01-15"))?;
    assert_eq!(p, "2025-12");
    assert_eq!(
        rows,
        [UnitAttainment {
            unit: "N".into(),
            completion_rate: 0.9
        }]
    );
    let (p, _) = attainment(&tables, None)?;
    assert_eq!(p, "2026-01");
    Ok(())
}

#[test]
fn trend_keeps_company_rows() -> R {
    let df = df!(
        "level" => ["company", "district", "company"],
        "unit" => ["company", "N", "company"],
        "month" => ["2025-01", "2025-01", "2025-02"],
        "kind" => ["actual", "actual", "forecast"],
        "revenue" => [10.0, 5.0, 12.0],
        "revenue_ma3" => [Some(10.0), None, None],
        "revenue_lo" => [None, None, Some(11.0)],
        "revenue_hi" => [None, None, Some(13.0)],
    )?;
    let pts = trend(&[("trend".to_string(), df)])?;
    assert_eq!(pts.len(), 2);
    assert!(pts[1].forecast);
    assert_eq!((pts[1].lo, pts[1].hi), (Some(11.0), Some(13.0)));
    Ok(())
}

#[test]
fn leaderboard_prefers_stations_and_channels_take_channel_rows() -> R {
    let lb = df!(
        "board" => ["completion_rate", "completion_rate", "first_topup"],
        "level" => ["account_manager", "station", "station"],
        "unit" => ["Ma", "S1", "S2"],
        "value" => [1.1, 0.9, 100.0],
        "rank" => [1i64, 1, 1],
    )?;
    let cp = df!(
        "by" => ["channel", "campaign"],
        "channel" => ["flyer", "flyer"],
        "conversion_rate" => [0.01, 0.02],
    )?;
    let tables = vec![
        ("leaderboard".to_string(), lb),
        ("campaigns".to_string(), cp),
    ];
    let (level, rows) = leaderboard(&tables)?;
    assert_eq!(level, "station");
    assert_eq!(
        rows,
        [LeaderEntry {
            unit: "S1".into(),
            value: 0.9,
            rank: 1
        }]
    );
    assert_eq!(
        channels(&tables)?,
        [ChannelConversion {
            channel: "flyer".into(),
            conversion_rate: 0.01
        }]
    );
    Ok(())
}

#[test]
fn customers_adapters_fall_back_and_order_by_segment() -> R {
    let c = df!(
        "segment" => [Some(2i64), Some(1), None],
        "segment_name" => [Some("Small"), Some("Big"), None],
        "recency_days" => [10.0, 20.0, 30.0],
        "monetary_total" => [1.0, 100.0, 0.0],
        "clv" => [None::<f64>, None, None],
    )?;
    let pts = segment_map(&c)?;
    assert_eq!(pts[0].segment, "Big");
    assert_eq!(pts.len(), 2);
    let (vals, is_clv) = concentration(&c)?;
    assert!(!is_clv);
    assert_eq!(vals, [1.0, 100.0, 0.0]);
    assert!(churn(&c).is_err());
    Ok(())
}

#[test]
fn market_share_reads_the_cap_from_the_plant_columns() -> R {
    let ms = df!(
        "name" => ["A", "B"],
        "eligible" => [true, false],
        "share_of_capacity" => [0.2, 0.0],
        "capacity" => [100.0, 100.0],
        "cap_max_volume" => [30.0, 30.0],
    )?;
    let tables = [("market_share".to_string(), ms)];
    let (rows, cap) = market_share(&tables)?;
    assert_eq!(
        rows,
        [Allocation {
            name: "A".into(),
            share_of_capacity: 0.2
        }]
    );
    assert_eq!(cap, Some(0.3));
    // without the plant columns the chart has no cap line, and still its bars
    let bare = tables[0].1.drop("capacity")?;
    let (rows, cap) = market_share(&[("market_share".to_string(), bare)])?;
    assert_eq!((rows.len(), cap), (1, None));
    Ok(())
}

#[test]
fn credit_mix_prefers_districts_and_calibration_reads_rows() -> R {
    let cm = df!(
        "level" => ["company", "district"],
        "unit" => ["company", "N"],
        "credit_grade" => ["A", "B"],
        "revenue_share" => [1.0, 0.5],
    )?;
    let cal = df!(
        "frequency" => ["0", "7+"],
        "actual_mean" => [0.1, 5.0],
        "predicted_mean" => [0.2, 4.0],
    )?;
    let tables = vec![
        ("credit_mix".to_string(), cm),
        (CALIBRATION.to_string(), cal),
    ];
    let (level, rows) = credit_mix(&tables)?;
    assert_eq!(level, "district");
    assert_eq!(rows.len(), 1);
    assert_eq!(calibration(&tables)?.len(), 2);
    Ok(())
}

#[test]
fn portfolios_read_revenue_and_risk_per_manager() -> R {
    let p = df!(
        "account_manager" => ["M2", "M1"],
        "revenue_last_12m" => [Some(1200.0), None],
        "revenue_at_risk" => [Some(300.0), None],
    )?;
    let rows = portfolios(&[("portfolios".to_string(), p.clone())])?;
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (
            rows[0].manager.as_str(),
            rows[0].revenue_last_12m,
            rows[0].revenue_at_risk
        ),
        ("M2", 1200.0, 300.0)
    );
    assert!(rows[1].revenue_last_12m.is_nan() && rows[1].revenue_at_risk.is_nan());
    let no_risk = vec![("portfolios".to_string(), p.drop("revenue_at_risk")?)];
    assert_eq!(
        portfolios(&no_risk).err().as_deref(),
        Some("portfolios.csv has no column 'revenue_at_risk'")
    );
    Ok(())
}

#[test]
fn every_table_the_charts_read_is_a_declared_output() {
    use crate::schema::outputs::OUTPUTS;
    for stem in [
        TREND,
        ATTAINMENT,
        LEADERBOARD,
        CAMPAIGNS,
        SEGMENTS,
        CALIBRATION,
        MARKET_SHARE,
        CREDIT_MIX,
        PORTFOLIOS,
    ] {
        assert!(
            OUTPUTS.iter().any(|o| o.stem() == stem),
            "{stem} is not declared in schema::outputs"
        );
    }
}
