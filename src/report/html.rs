//! `report.html`: one self-contained page (inline CSS and SVG, no script, no font, no image or
//! request of any kind; a Content-Security-Policy of `default-src 'none'` makes the browser
//! refuse one even if it crept in). Every text that comes from the data is HTML-escaped.

use polars::prelude::*;

use super::charts::{Format, thousands};
use super::i18n::Lang;
use super::i18n::Texts;
use super::xlsx::is_ratio_column;

/// Rows shown per key table (the workbook holds them all).
pub const MAX_ROWS: usize = 50;

/// `s` with `& < > " '` escaped, safe in element text and quoted attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A rendered chart: file name stem, title and SVG text (already escaped by plotters).
pub struct SvgChart<'a> {
    pub name: &'a str,
    pub title: &'a str,
    pub svg: &'a str,
    /// What to read from it and the data's date (also drawn under the chart).
    pub caption: &'a str,
}

/// A table shown on the page; `id` is its anchor (`table-<stem>`).
pub struct HtmlTable<'a> {
    pub id: String,
    pub title: String,
    pub df: &'a DataFrame,
}

/// The key figures and findings at the top of the page, with their headings.
pub struct Summary<'a> {
    pub key_figures: &'a str,
    pub kpis: &'a [super::kpis::Kpi],
    pub findings_title: &'a str,
    pub findings: &'a [super::findings::Finding],
}

/// Everything on the page.
pub struct Page<'a> {
    pub texts: &'a Texts,
    pub lang: Lang,
    pub facts: &'a [(String, String)],
    pub summary: &'a [String],
    pub charts: &'a [SvgChart<'a>],
    pub tables: &'a [HtmlTable<'a>],
    pub notes: &'a [String],
    pub top: Summary<'a>,
    /// The sections by reader; charts and tables none names go to the last.
    pub sections: &'a [super::sections::SectionSpec],
    pub contents: &'a str,
    pub filter: &'a str,
}

/// The Content-Security-Policy of every page: nothing may load, only inline style applies.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'";

const CSS: &str = "body{font-family:'DejaVu Sans','Noto Sans CJK SC','WenQuanYi Micro Hei','Microsoft YaHei',sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}\
h1{border-bottom:3px solid #4E79A7;padding-bottom:.3em}h2{color:#4E79A7;margin-top:2em}\
dl.facts{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:bold}\
pre{background:#f6f8fa;padding:1em;overflow-x:auto;font-size:.85em}\
figure{margin:1.5em 0}figure svg{max-width:100%;height:auto;border:1px solid #ddd}\
table{border-collapse:collapse;font-size:.85em;margin:.5em 0;display:block;overflow-x:auto}\
th{background:#4E79A7;color:#fff;padding:.3em .6em;text-align:left;white-space:nowrap}\
td{border-bottom:1px solid #e3e3e3;padding:.25em .6em;white-space:nowrap}td.n{text-align:right}\
tr:nth-child(even) td{background:#f7f9fc}p.more{color:#666;font-size:.85em}\
th[data-dir]{text-decoration:underline}table.sortable th{cursor:pointer}input.filter{margin:.3em 0;padding:.2em .4em}\
nav.toc{background:#f6f8fa;padding:.5em 1em}nav.toc li{margin:.2em 0}\
div.kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:.8em;margin:1em 0}\
div.kpi{border:1px solid #d8e0ea;border-left:5px solid #4E79A7;padding:.6em .8em;background:#f7f9fc}\
div.kpi .v{font-size:1.6em;font-weight:bold}div.kpi .l{color:#333}div.kpi .c{color:#666;font-size:.85em}\
ul.findings li{margin:.35em 0}figcaption{color:#555;font-size:.9em}\
dl.headline{display:grid;grid-template-columns:max-content auto;gap:.3em 1.5em;font-size:1.15em}\
dl.headline dd{margin:0;font-weight:bold;text-align:right}";

/// The font list of a Chinese page: the embedded font first.
const ZH_FONT: &str =
    "body{font-family:'WenQuanYi Micro Hei','Noto Sans CJK SC','Microsoft YaHei',sans-serif}";

/// The start of a page up to its `<h1>` (escaped `title`): the doctype, the strict
/// Content-Security-Policy and the inline style. report.html and the district pages share it.
pub fn head(title: &str, lang: Lang) -> String {
    head_with(title, lang, None)
}

/// [`head`] whose policy also allows the one inline script with this CSP hash source.
pub fn head_with(title: &str, lang: Lang, script_hash: Option<&str>) -> String {
    let lang = match lang {
        Lang::En => "en",
        Lang::Zh => "zh-CN",
    };
    let title = escape(title);
    let mut csp = match script_hash {
        Some(h) => format!("{CSP}; script-src {h}"),
        None => CSP.to_string(),
    };
    // A Chinese page carries its font (a machine without Chinese fonts would show boxes):
    // the font from a data: URL is the one thing besides the page the policy lets in.
    // It comes first in the page's font list: as a fallback behind fonts the machine lacks,
    // Chromium drew boxes for the text it laid out before the font had loaded.
    let (face, font) = match lang {
        "zh-CN" => {
            csp.push_str("; font-src data:");
            (super::fonts::cjk_font_face(), ZH_FONT)
        }
        _ => ("", ""),
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{face}{CSS}{font}</style>\n</head>\n<body>\n<h1>{title}</h1>\n"
    )
}

/// The key-figure cards (`data-kpi`, `data-value`) and the findings (`data-finding`, each
/// linking to its chart or table).
pub(super) fn top(h: &mut String, s: &Summary) {
    if !s.kpis.is_empty() {
        h.push_str(&format!(
            "<h2 id=\"key-figures\">{}</h2>\n<div class=\"kpis\">\n",
            escape(s.key_figures)
        ));
        for k in s.kpis {
            h.push_str(&format!(
                "<div class=\"kpi\" data-kpi=\"{}\" data-value=\"{}\"><div class=\"v\">{}</div>\
                 <div class=\"l\">{}</div><div class=\"c\">{}</div></div>\n",
                escape(k.name),
                k.value,
                escape(&k.shown),
                escape(&k.label),
                escape(&k.comparison)
            ));
        }
        h.push_str("</div>\n");
    }
    if !s.findings.is_empty() {
        h.push_str(&format!(
            "<h2 id=\"findings\">{}</h2>\n<ul class=\"findings\">\n",
            escape(s.findings_title)
        ));
        for f in s.findings {
            h.push_str(&format!(
                "<li data-finding=\"{}\"><a href=\"{}\">{}</a></li>\n",
                escape(f.name),
                escape(&f.link),
                escape(&f.text)
            ));
        }
        h.push_str("</ul>\n");
    }
}

/// plotters' SVG with a viewBox, so CSS can scale it to the page width.
pub(super) fn scalable(svg: &str) -> String {
    let (w, h) = super::charts::SIZE;
    match svg.strip_prefix("<svg ") {
        Some(rest) => format!("<svg viewBox=\"0 0 {w} {h}\" {rest}"),
        None => svg.to_string(),
    }
}

/// One cell as display text, and whether it is a number (right-aligned).
fn cell(v: &AnyValue, column: &str) -> (String, bool) {
    match v {
        AnyValue::Null => (String::new(), false),
        AnyValue::Float64(x) => (float(*x, column), true),
        AnyValue::Float32(x) => (float(f64::from(*x), column), true),
        AnyValue::Int8(_)
        | AnyValue::Int16(_)
        | AnyValue::Int32(_)
        | AnyValue::Int64(_)
        | AnyValue::UInt8(_)
        | AnyValue::UInt16(_)
        | AnyValue::UInt32(_)
        | AnyValue::UInt64(_) => (
            v.extract::<i64>()
                .map_or_else(|| v.to_string(), |i| thousands(i as f64, 0)),
            true,
        ),
        other => match other.get_str() {
            Some(s) => (s.to_string(), false),
            None => (other.to_string(), false),
        },
    }
}

fn float(x: f64, column: &str) -> String {
    if is_ratio_column(column) {
        Format::Percent.fmt(x)
    } else {
        thousands(x, 2)
    }
}

/// The first `max` rows of `df` as an HTML table, every value escaped.
pub fn table(df: &DataFrame, max: usize) -> String {
    let mut h = String::from("<table>\n<thead><tr>");
    for c in df.columns() {
        h.push_str(&format!("<th>{}</th>", escape(c.name())));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for i in 0..df.height().min(max) {
        h.push_str("<tr>");
        for c in df.columns() {
            let v = c.get(i).unwrap_or(AnyValue::Null);
            let (text, num) = cell(&v, c.name());
            h.push_str(if num { "<td class=\"n\">" } else { "<td>" });
            h.push_str(&escape(&text));
            h.push_str("</td>");
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::i18n::EN;
    use crate::report::page::page;

    type R = std::result::Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn data_text_is_escaped_everywhere() -> R {
        let df = df!(
            "name" => ["<script>alert(1)</script>", "O'Neil & \"Sons\""],
            "revenue" => [1234567.891, -2.0],
            "completion_rate" => [0.934, 1.0],
            "orders" => [12345i64, 1],
        )?;
        let tables = [HtmlTable {
            id: "table-x".into(),
            title: "<b>top</b>".into(),
            df: &df,
        }];
        let kpis = [crate::report::kpis::Kpi {
            name: "revenue_12m",
            label: "<i>Revenue</i>".into(),
            value: 1234.5,
            shown: "1,235".into(),
            comparison: "+1%".into(),
        }];
        let findings = [crate::report::findings::Finding {
            name: "lowest_district",
            text: "<script> is lowest".into(),
            link: "#chart-x".into(),
        }];
        let summary = ["customers: <2000> rows".to_string()];
        let facts = [("as_of".to_string(), "2026-01-01".to_string())];
        let html = page(&Page {
            texts: &EN,
            lang: Lang::En,
            facts: &facts,
            summary: &summary,
            charts: &[],
            tables: &tables,
            notes: &["a <note>".to_string()],
            top: Summary {
                key_figures: "Key figures",
                kpis: &kpis,
                findings_title: "Findings",
                findings: &findings,
            },
            sections: &crate::report::sections::sections(&crate::report::i18n_findings::EN),
            contents: "Contents",
            filter: "Filter rows",
        });
        // the one script is kam's own, allowed by its hash; the data's is text
        assert_eq!(html.matches("<script").count(), 1, "{html}");
        let hash = crate::report::sections::script_hash();
        assert!(html.contains(&format!("script-src {hash}")));
        assert!(html.contains(&format!(
            "<script>{}</script>",
            crate::report::sections::SCRIPT
        )));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("O&#39;Neil &amp; &quot;Sons&quot;"));
        assert!(html.contains("&lt;b&gt;top&lt;/b&gt;"));
        assert!(html.contains("&lt;2000&gt;"));
        assert!(html.contains("a &lt;note&gt;"));
        assert!(html.contains(">1,234,567.89<"));
        assert!(html.contains(">93%<"));
        assert!(html.contains(">12,345<"));
        assert!(html.contains("default-src 'none'"));
        assert!(html.contains("data-kpi=\"revenue_12m\" data-value=\"1234.5\""));
        assert!(html.contains("&lt;i&gt;Revenue&lt;/i&gt;"));
        assert!(html.contains("<li data-finding=\"lowest_district\"><a href=\"#chart-x\">&lt;script&gt; is lowest</a></li>"));
        assert!(html.contains("<h3 id=\"table-x\">"));
        assert!(html.contains("<table class=\"sortable\" id=\"rows-table-x\">"));
        assert!(html.contains("data-table=\"rows-table-x\""));
        assert!(html.contains("<nav class=\"toc\">"));
        Ok(())
    }

    #[test]
    fn a_chinese_page_carries_its_font_and_nothing_else_may_load() {
        let zh = head("报告", Lang::Zh);
        let csp = "default-src 'none'; style-src 'unsafe-inline'; font-src data:";
        assert!(zh.contains(csp), "{}", &zh[..400]);
        assert!(zh.contains(
            "@font-face{font-family:'WenQuanYi Micro Hei';src:url(data:font/ttf;base64,AAEAAA"
        ));
        let en = head("Report", Lang::En);
        assert!(zh.contains(ZH_FONT));
        assert!(!en.contains("font-src") && !en.contains("@font-face") && !en.contains(ZH_FONT));
    }

    #[test]
    fn svg_gets_a_view_box() {
        assert_eq!(
            scalable("<svg width=\"1000\">"),
            "<svg viewBox=\"0 0 1000 600\" width=\"1000\">"
        );
    }
}
