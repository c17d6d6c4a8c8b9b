//! The merge map's row rules on tiny files: blanks, self-merges, conflicts, exact repeats,
//! and the column mapping that reads merge_candidates.csv directly.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::io::InputParams;
use crate::io::load::load;
use crate::schema;
use crate::validate::{ValidTable, ValidationParams, validate};

/// Validate transactions and a merge map (`columns` maps its contract columns).
fn merge_map(map: &str, columns: &[(&str, &str)]) -> Result<ValidTable> {
    let dir = tempfile::tempdir().map_err(|e| Error::Internal(e.to_string()))?;
    let write = |name: &str, text: &str| {
        std::fs::write(dir.path().join(name), text).map_err(|e| Error::Internal(e.to_string()))
    };
    write("t.csv", "customer_id,date,amount\nA,2025-01-02,1\n")?;
    write("m.csv", map)?;
    let tx = InputParams {
        path: "t.csv".into(),
        ..InputParams::default()
    };
    let m = InputParams {
        path: "m.csv".into(),
        columns: columns
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect::<BTreeMap<_, _>>(),
        ..InputParams::default()
    };
    let raw = vec![
        load(&tx.check(&schema::TRANSACTIONS, dir.path())?)?,
        load(&m.check(&schema::CUSTOMER_MERGES, dir.path())?)?,
    ];
    let mut v = validate(&raw, &ValidationParams::default().check()?, None)?;
    v.tables
        .pop()
        .ok_or_else(|| Error::Internal("no merge map".into()))
}

fn column(df: &polars::prelude::DataFrame, name: &str) -> Vec<String> {
    crate::frame::strings(df, name)
        .unwrap_or_default()
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect()
}

#[test]
fn blanks_self_merges_and_conflicts_are_rejected_exact_repeats_are_used() -> Result<()> {
    let t = merge_map(
        "customer_id,merge_into\nA,B\n,B\nC,\nD,D\nA,B\nA,E\nF,B\n",
        &[],
    )?;
    assert_eq!(column(&t.clean, "customer_id"), ["A", "A", "F"]);
    assert_eq!(
        column(&t.rejects, "reason"),
        [
            "customer_id is blank",
            "merge_into is blank",
            "customer_id 'D' is merged into itself",
            "customer_id 'A' is already merged into 'B' on row 1; this row says 'E'",
        ]
    );
    assert_eq!(
        column(&t.rejects, "check"),
        [
            "customer_id: blank",
            "merge_into: blank",
            super::SELF_MERGE,
            super::CONFLICT
        ]
    );
    assert_eq!((t.counts.read, t.counts.used, t.counts.rejected), (7, 3, 4));
    Ok(())
}

#[test]
fn the_candidates_file_is_read_through_the_column_mapping() -> Result<()> {
    let t = merge_map(
        "customer_id,candidate_id,name,score\nA,B,Acme,0.9\nC,B,ACME Ltd,0.8\n",
        &[("merge_into", "candidate_id")],
    )?;
    assert_eq!(column(&t.clean, "merge_into"), ["B", "B"]);
    assert_eq!(t.counts.rejected, 0);
    Ok(())
}
