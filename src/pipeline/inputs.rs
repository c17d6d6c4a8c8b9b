//! A run's inputs: read, validated (rejects and counts written at once) and, with
//! `--features`, the Spark feature job's output standing in for the raw transactions.

use super::prepared::{self, PreparedRun};
use super::{Emitter, Progress};
use crate::config::ValidConfig;
use crate::error::Result;
use crate::io::load;
use crate::schema;
use crate::validate::{self, Validation};

/// Load and validate the inputs; with prepared features, the job's transactions in place of
/// the raw ones (which are then not read at all).
pub(super) fn read(
    e: &mut Emitter,
    cfg: &ValidConfig,
    progress: &dyn Progress,
) -> Result<(Validation, Option<PreparedRun>)> {
    progress.stage("loading inputs");
    let prepared = match &cfg.features {
        Some(f) => Some(e.time("load_features", || prepared::load(cfg, f))?),
        None => None,
    };
    let read = |i: &&crate::io::ValidInput| {
        prepared.is_none() || i.table.name != schema::TRANSACTIONS.name
    };
    let raw: Vec<load::RawTable> = e.time("load", || {
        cfg.inputs.iter().filter(read).map(load::load).collect()
    })?;
    progress.stage("validating rows");
    let as_of = (prepared.as_ref()).map_or(cfg.as_of, |(p, _)| Some(p.job.as_of));
    let v = e.time("validate", || {
        validate::validate(&raw, &cfg.validation, as_of)
    })?;
    drop(raw);
    let (v, run) = match (prepared, &cfg.features) {
        (Some((run, tx)), Some(f)) => (prepared::with_transactions(v, tx, &run, f)?, Some(run)),
        _ => (v, None),
    };
    e.record_validation(&v);
    e.emit(validate::output::output(&v))?;
    if let Some(p) = &run {
        e.record_input("features", p.features_file.clone());
        e.emit(prepared::notes(p, &v))?;
    }
    Ok((v, run))
}
