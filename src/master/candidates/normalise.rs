//! The keys that make two spellings of one customer equal: a company name, an address, a
//! phone number and a tax id each reduced to a canonical form.
//!
//! Names and addresses: Unicode NFKC (full-width `ＡＣＭＥ`, `（）` and the ideographic space
//! become their half-width forms), lower case, then every run of characters that are not
//! letters or digits (spaces, ASCII and CJK punctuation, brackets `()（）[]【】`) splits the
//! text into tokens, which are joined without separators (the words inside brackets stay).
//! Names also lose company suffixes at the end (see [`CJK_SUFFIXES`], [`LATIN_SUFFIXES`]).

use unicode_normalization::UnicodeNormalization;

/// Chinese company suffixes, longest first, stripped from the end of the last token.
pub const CJK_SUFFIXES: &[&str] = &[
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限公司",
    "公司",
];

/// Latin company suffixes as whole trailing tokens (after lower-casing), longest first:
/// `Co., Ltd.` and `Co Ltd` are the tokens `co`, `ltd`.
pub const LATIN_SUFFIXES: &[&[&str]] = &[
    &["company", "limited"],
    &["co", "ltd"],
    &["incorporated"],
    &["corporation"],
    &["limited"],
    &["ltd"],
    &["inc"],
    &["corp"],
    &["llc"],
    &["gmbh"],
];

/// Phones with fewer digits (after the country code) are placeholders, not keys.
pub const MIN_PHONE_DIGITS: usize = 6;
/// Tax ids with fewer characters are placeholders, not keys.
pub const MIN_TAX_ID_CHARS: usize = 6;
/// Addresses with fewer characters (e.g. `无`, `n/a`) are placeholders, not keys.
pub const MIN_ADDRESS_CHARS: usize = 4;

/// A normalised company name: its key (the tokens joined) and the tokens themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameKey {
    pub key: String,
    pub tokens: Vec<String>,
}

/// The lower-cased NFKC tokens of `s`: maximal runs of letters and digits.
pub fn tokens(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.nfkc() {
        if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The normalised company name: tokens without trailing company suffixes (repeated while one
/// matches, never down to nothing). `None` for a name with no letter or digit.
pub fn name_key(s: &str) -> Option<NameKey> {
    let mut toks = tokens(s);
    while strip_latin(&mut toks) || strip_cjk(&mut toks) {}
    let key = toks.concat();
    (!key.is_empty()).then_some(NameKey { key, tokens: toks })
}

/// Drop one trailing Latin suffix when tokens remain after it.
fn strip_latin(toks: &mut Vec<String>) -> bool {
    for suffix in LATIN_SUFFIXES {
        if toks.len() > suffix.len() && toks.ends_with_strs(suffix) {
            toks.truncate(toks.len() - suffix.len());
            return true;
        }
    }
    false
}

/// Drop one Chinese suffix from the end of the last token when something remains.
fn strip_cjk(toks: &mut Vec<String>) -> bool {
    let n = toks.len();
    let Some(last) = toks.last_mut() else {
        return false;
    };
    for suffix in CJK_SUFFIXES {
        if let Some(rest) = last.strip_suffix(suffix) {
            if !rest.is_empty() {
                *last = rest.to_string();
                return true;
            }
            if n > 1 {
                toks.pop();
                return true;
            }
            // the whole name is a suffix: keep it
            return false;
        }
    }
    false
}

/// `ends_with` of token strings against a suffix of `&str`s.
trait EndsWithStrs {
    fn ends_with_strs(&self, suffix: &[&str]) -> bool;
}

impl EndsWithStrs for Vec<String> {
    fn ends_with_strs(&self, suffix: &[&str]) -> bool {
        self.len() >= suffix.len()
            && self[self.len() - suffix.len()..]
                .iter()
                .zip(suffix)
                .all(|(a, b)| a == b)
    }
}

/// An address as a key: like a name without the suffix rule; `None` when too short.
pub fn address_key(s: &str) -> Option<String> {
    let key = tokens(s).concat();
    (key.chars().count() >= MIN_ADDRESS_CHARS).then_some(key)
}

/// A phone as its digits (full-width digits folded), without a leading `+86` / `0086`
/// country code (nor the `86` of a 13-digit mobile written without `+`); `None` when too short.
pub fn phone_key(s: &str) -> Option<String> {
    let text: String = s.nfkc().collect();
    let text = text.trim();
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let local = if let Some(rest) = digits.strip_prefix("0086") {
        rest
    } else if text.starts_with('+') || (digits.len() == 13 && digits.starts_with("861")) {
        digits.strip_prefix("86").unwrap_or(&digits)
    } else {
        &digits
    };
    (local.len() >= MIN_PHONE_DIGITS).then(|| local.to_string())
}

/// A tax id as its upper-case letters and digits (full-width folded); `None` when too short.
pub fn tax_id_key(s: &str) -> Option<String> {
    let key: String = s
        .nfkc()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (key.len() >= MIN_TAX_ID_CHARS).then_some(key)
}

/// Whether the key is written in Latin letters and digits (blocked by words) rather than CJK
/// characters (blocked by character prefixes).
fn is_latin(key: &str) -> bool {
    key.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
}

/// Characters of a CJK name that make its prefix and suffix block keys.
pub const CJK_BLOCK_CHARS: usize = 4;

/// The two block keys of the near-name search: the first and the last word of a Latin name,
/// the first and the last [`CJK_BLOCK_CHARS`] characters of a CJK name (two keys, so a typo
/// at either end still meets its twin under the other).
pub fn similar_block_keys(name: &NameKey) -> [String; 2] {
    if is_latin(&name.key) {
        let first = name.tokens.first().map_or("", String::as_str);
        let last = name.tokens.last().map_or("", String::as_str);
        [format!("<{first}"), format!(">{last}")]
    } else {
        let chars: Vec<char> = name.key.chars().collect();
        let k = CJK_BLOCK_CHARS.min(chars.len());
        let head: String = chars[..k].iter().collect();
        let tail: String = chars[chars.len() - k..].iter().collect();
        [format!("<{head}"), format!(">{tail}")]
    }
}

#[cfg(test)]
#[path = "normalise_tests.rs"]
mod tests;
