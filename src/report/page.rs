//! report.html laid out for its readers: the facts, a table of contents, the key figures and
//! findings, then one section each for the general manager, planning, tracking and customers
//! (charts with their captions, tables that sort on a click of a header and filter by a text
//! box), the run summary and the notes; the one inline script is allowed by its hash.

use super::html::{HtmlTable, MAX_ROWS, Page, SvgChart, escape, head_with, scalable, table, top};
use super::i18n::fill;
use super::sections::{SCRIPT, SectionSpec, script_hash};

/// The page as HTML text.
pub fn page(p: &Page) -> String {
    let t = p.texts;
    let mut h = String::with_capacity(64 * 1024);
    h.push_str(&head_with(t.report_title, p.lang, Some(&script_hash())));
    h.push_str("<dl class=\"facts\">\n");
    for (k, v) in p.facts {
        h.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", escape(k), escape(v)));
    }
    h.push_str("</dl>\n");
    contents(&mut h, p);
    top(&mut h, &p.top);
    let last = p.sections.len().saturating_sub(1);
    for (k, sec) in p.sections.iter().enumerate() {
        let mine = |name: &str, named: &[&str]| {
            named.contains(&name) || (k == last && !p.sections.iter().any(|s| names(s, name)))
        };
        let charts: Vec<&SvgChart> = p
            .charts
            .iter()
            .filter(|c| mine(c.name, sec.charts))
            .collect();
        let tables: Vec<&HtmlTable> = p
            .tables
            .iter()
            .filter(|x| mine(stem(x), sec.tables))
            .collect();
        if charts.is_empty() && tables.is_empty() {
            continue;
        }
        h.push_str(&format!(
            "<h2 id=\"{}\">{}</h2>\n",
            sec.id,
            escape(sec.title)
        ));
        for c in charts {
            chart(&mut h, c);
        }
        for x in tables {
            html_table(&mut h, x, p);
        }
    }
    h.push_str(&format!(
        "<h2 id=\"run-summary\">{}</h2>\n<pre>",
        escape(t.summary)
    ));
    for line in p.summary {
        h.push_str(&escape(line));
        h.push('\n');
    }
    h.push_str("</pre>\n");
    if !p.notes.is_empty() {
        h.push_str(&format!(
            "<h2 id=\"notes\">{}</h2>\n<ul>\n",
            escape(t.notes)
        ));
        for n in p.notes {
            h.push_str(&format!("<li>{}</li>\n", escape(n)));
        }
        h.push_str("</ul>\n");
    }
    h.push_str(&format!("<script>{SCRIPT}</script>\n</body>\n</html>\n"));
    h
}

/// Whether `sec` names `name` among its charts or tables.
fn names(sec: &SectionSpec, name: &str) -> bool {
    sec.charts.contains(&name) || sec.tables.contains(&name)
}

/// A table's stem: its id without `table-`.
fn stem<'a>(x: &'a HtmlTable) -> &'a str {
    x.id.strip_prefix("table-").unwrap_or(&x.id)
}

/// The table of contents: the key figures, the findings, each section with something in it,
/// the run summary.
fn contents(h: &mut String, p: &Page) {
    h.push_str(&format!(
        "<nav class=\"toc\"><strong>{}</strong><ul>\n",
        escape(p.contents)
    ));
    let mut link = |id: &str, title: &str| {
        h.push_str(&format!(
            "<li><a href=\"#{id}\">{}</a></li>\n",
            escape(title)
        ));
    };
    if !p.top.kpis.is_empty() {
        link("key-figures", p.top.key_figures);
    }
    if !p.top.findings.is_empty() {
        link("findings", p.top.findings_title);
    }
    for sec in p.sections {
        link(sec.id, sec.title);
    }
    link("run-summary", p.texts.summary);
    h.push_str("</ul></nav>\n");
}

fn chart(h: &mut String, c: &SvgChart) {
    h.push_str(&format!(
        "<figure id=\"chart-{}\" aria-label=\"{}\">\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
        escape(c.name),
        escape(c.title),
        scalable(c.svg),
        escape(c.caption)
    ));
}

/// A table with its heading (the anchor findings link to), a filter box and, when long, the
/// note that the workbook holds every row.
fn html_table(h: &mut String, x: &HtmlTable, p: &Page) {
    let id = escape(&x.id);
    h.push_str(&format!("<h3 id=\"{id}\">{}</h3>\n", escape(&x.title)));
    h.push_str(&format!(
        "<input type=\"search\" class=\"filter\" data-table=\"rows-{id}\" placeholder=\"{0}\" aria-label=\"{0}\">\n",
        escape(p.filter)
    ));
    let body = table(x.df, MAX_ROWS).replacen(
        "<table>",
        &format!("<table class=\"sortable\" id=\"rows-{id}\">"),
        1,
    );
    h.push_str(&body);
    if x.df.height() > MAX_ROWS {
        let (shown, all) = (MAX_ROWS.to_string(), x.df.height().to_string());
        h.push_str(&format!(
            "<p class=\"more\">{}</p>\n",
            escape(&fill(p.texts.rows_shown, &[&shown, &all]))
        ));
    }
}
