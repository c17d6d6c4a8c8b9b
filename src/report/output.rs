//! The report stage as the pipeline runs it: the charts, `report.html`, `report.xlsx` and
//! the district pages as files, with a summary line; a report that cannot be built is a note, never a failed run.

use super::stage::{ReportInputs, build};
use crate::schema::outputs as o;
use crate::stage::{File, Line, StageOutput};

pub fn run(inputs: &ReportInputs) -> StageOutput {
    let files = match build(inputs) {
        Ok(files) => files,
        Err(e) => return StageOutput::note(format!("report: not written: {e}")),
    };
    let mut out = StageOutput::default();
    let charts = files.files.iter().filter(|f| f.0.ends_with(".png")).count();
    out.line(Line::about(
        format!("report: {charts} charts"),
        &[o::REPORT_HTML.file, o::REPORT_XLSX.file],
    ));
    let pages = files
        .files
        .iter()
        .filter(|f| o::WEEKLY_HTML.matches(&f.0))
        .count();
    if pages > 0 {
        out.line(Line::about(
            format!("district pages: {pages}"),
            &["weekly/", o::WEEKLY_XLSX.file],
        ));
    }
    for (file, bytes) in files.files {
        let spec = o::find(&file).unwrap_or(&o::REPORT_HTML);
        out.files.push(File { spec, file, bytes });
    }
    out.notes
        .extend(files.notes.iter().map(|n| format!("report: {n}")));
    out
}
