//! How report.html is organised for its readers: the general manager, planning, tracking and
//! customers, each with its charts and tables (by chart name and table stem), and the one
//! inline script that sorts and filters the tables (allowed by the page's
//! Content-Security-Policy through its hash; it requests nothing).

use base64::Engine;
use sha2::{Digest, Sha256};

use super::i18n_findings::FindingTexts;

/// One section of the page.
pub struct SectionSpec {
    pub id: &'static str,
    pub title: &'static str,
    pub charts: &'static [&'static str],
    /// Table stems (`top_customers`, `quotas`, ...).
    pub tables: &'static [&'static str],
}

/// The sections in reading order; a chart or table not named here goes to the last.
pub fn sections(t: &FindingTexts) -> Vec<SectionSpec> {
    vec![
        SectionSpec {
            id: "sec-manager",
            title: t.sec_manager,
            charts: &["sales_trend"],
            tables: &["top_customers", "trend"],
        },
        SectionSpec {
            id: "sec-planning",
            title: t.sec_planning,
            charts: &["market_share", "credit_mix"],
            tables: &[
                "key_accounts",
                "escalations",
                "review_pack",
                "quotas",
                "market_share",
                "credit_mix",
                "prospects",
            ],
        },
        SectionSpec {
            id: "sec-tracking",
            title: t.sec_tracking,
            charts: &[
                "attainment_by_district",
                "leaderboard",
                "portfolios",
                "channel_conversion",
            ],
            tables: &[
                "attainment",
                "weekly_progress",
                "leaderboard",
                "awards",
                "campaigns",
                "portfolios",
            ],
        },
        SectionSpec {
            id: "sec-customers",
            title: t.sec_customers,
            charts: &[],
            tables: &[],
        },
    ]
}

/// Click a header to sort its table (numbers as numbers, again to reverse); type in the box
/// above a table to show only the rows holding the text.
pub const SCRIPT: &str = r#"(function(){
function key(r,i){var s=r.cells[i]?r.cells[i].textContent.trim():'';var n=s.replace(/,/g,'').replace(/%$/,'');return (n!==''&&!isNaN(n))?parseFloat(n):s.toLowerCase();}
document.querySelectorAll('table.sortable').forEach(function(t){
t.querySelectorAll('th').forEach(function(th,i){th.addEventListener('click',function(){
var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows),asc=th.getAttribute('data-dir')!=='asc';
t.querySelectorAll('th').forEach(function(x){x.removeAttribute('data-dir');});
th.setAttribute('data-dir',asc?'asc':'desc');
rows.sort(function(a,c){var x=key(a,i),y=key(c,i);var d=(typeof x==='number'&&typeof y==='number')?x-y:String(x).localeCompare(String(y));return asc?d:-d;});
rows.forEach(function(r){b.appendChild(r);});});});});
document.querySelectorAll('input.filter').forEach(function(f){var t=document.getElementById(f.getAttribute('data-table'));
f.addEventListener('input',function(){var q=f.value.toLowerCase();Array.prototype.forEach.call(t.tBodies[0].rows,function(r){r.style.display=r.textContent.toLowerCase().indexOf(q)<0?'none':'';});});});
})();"#;

/// The CSP source that allows [`SCRIPT`] and nothing else: `'sha256-<base64>'`.
pub fn script_hash() -> String {
    hash_source(SCRIPT)
}

/// `'sha256-<base64 of the SHA-256 of text>'`, as CSP Level 2 writes a hash source.
fn hash_source(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_source_is_base64_sha256() {
        // FIPS 180-2's "abc" vector, ba7816bf...f20015ad, in base64
        assert_eq!(
            hash_source("abc"),
            "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='"
        );
        assert!(!SCRIPT.contains("http") && !SCRIPT.contains("fetch"));
    }
}
