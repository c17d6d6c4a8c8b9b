//! What validation reports: every input's rejects (`rejects/<table>.csv`, written even when
//! empty so a user sees nothing was lost) and the summary lines that reconcile each input
//! (read = used + rejected, the commonest reasons, the notes).

use super::Validation;
use crate::schema::outputs as o;
use crate::stage::{Line, Part, StageOutput};

/// Reject checks listed under each input's line.
const TOP_CHECKS: usize = 5;

pub fn output(v: &Validation) -> StageOutput {
    let mut out = StageOutput::default();
    if let Some(a) = v.as_of {
        out.line(Line::text(format!("as_of: {a}")));
    }
    for t in &v.tables {
        let file = format!("rejects/{}.csv", t.spec.name);
        let c = &t.counts;
        let mut parts = vec![Part::Text(format!(
            "{}: {} read = {} used + {} rejected",
            t.spec.name, c.read, c.used, c.rejected
        ))];
        if c.rejected > 0 {
            parts.push(Part::Text(" (see ".into()));
            parts.push(Part::File(file.clone()));
            parts.push(Part::Text(")".into()));
        }
        out.line(Line { parts, note: false });
        let mut top: Vec<(&String, &u64)> = c.rejected_by_check.iter().collect();
        top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (check, n) in top.into_iter().take(TOP_CHECKS) {
            out.line(Line::text(format!("  {n:>8}  {check}")));
        }
        out.table_as(&o::REJECTS, file, t.rejects.clone());
    }
    for t in &v.tables {
        for n in &t.notes {
            out.add_note(format!("{}: {n}", t.spec.name));
        }
    }
    out
}
