//! The planner's stage as the pipeline runs it: every planner table with its summary line,
//! and its notes.

use super::params::PlanValid;
use super::stage::{PlanInputs, plan};
use crate::error::Result;
use crate::schema::outputs::{self as o, OutputSpec};
use crate::stage::{Line, StageOutput};

/// The planner's outputs in the order they are reported.
pub fn run(inputs: &PlanInputs, v: &PlanValid) -> Result<StageOutput> {
    let p = plan(inputs, v)?;
    let mut out = StageOutput::default();
    for (file, line) in &p.summary {
        out.line(Line::about(line.clone(), &[file]));
    }
    for note in &p.notes {
        out.add_note(note.clone());
    }
    let tables: [(&'static OutputSpec, Option<polars::prelude::DataFrame>); 7] = [
        (&o::KEY_ACCOUNTS, p.key_accounts),
        (&o::ESCALATIONS, p.escalations),
        (&o::REVIEW_PACK, p.review_pack),
        (&o::PROSPECTS, p.prospects),
        (&o::CREDIT_MIX, p.credit_mix),
        (&o::MARKET_SHARE, p.market_share),
        (&o::QUOTAS, p.quotas),
    ];
    for (spec, df) in tables {
        if let Some(df) = df {
            out.table(spec, df);
        }
    }
    Ok(out)
}
