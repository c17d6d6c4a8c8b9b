//! Fonts embedded in the binary, so charts render the same on a bare machine.
//!
//! * English: `assets/fonts/kam-latin.ttf`, DejaVu Sans (Bitstream Vera licence, permissive)
//!   subset to Latin scripts and common symbols (80 KB).
//! * Chinese: `assets/fonts/kam-cjk.ttf`, WenQuanYi Micro Hei (Apache-2.0) subset to Latin-1,
//!   CJK punctuation, the 3,755 GB2312 level-1 hanzi and every text of `i18n.rs` (the
//!   tests check `i18n_products.rs` and `i18n_weekly.rs` too).
//!
//! `scripts/make-fonts.sh` rebuilds both. Each is registered with plotters under a family
//! name that is also a CSS font list, so the SVG files name a fallback the viewer has.

use std::sync::OnceLock;

use plotters::style::{FontStyle, register_font};

use super::i18n::Lang;
use crate::error::{Error, Result};

static LATIN: &[u8] = include_bytes!("../../assets/fonts/kam-latin.ttf");
static CJK: &[u8] = include_bytes!("../../assets/fonts/kam-cjk.ttf");

/// Family of the English charts (DejaVu Sans).
pub const LATIN_FAMILY: &str = "DejaVu Sans, sans-serif";
/// Family of the Chinese charts (WenQuanYi Micro Hei).
pub const CJK_FAMILY: &str = "WenQuanYi Micro Hei, Noto Sans CJK SC, Microsoft YaHei, sans-serif";

static REGISTERED: OnceLock<std::result::Result<(), String>> = OnceLock::new();

/// Register both embedded fonts with plotters (once per process).
pub fn register() -> Result<()> {
    REGISTERED
        .get_or_init(|| {
            for (family, bytes) in [(LATIN_FAMILY, LATIN), (CJK_FAMILY, CJK)] {
                for style in [FontStyle::Normal, FontStyle::Bold] {
                    // register_font's error is neither Debug nor Error: say which font failed.
                    register_font(family, style, bytes)
                        .map_err(|_| format!("the embedded font '{family}' cannot be read"))?;
                }
            }
            Ok(())
        })
        .clone()
        .map_err(Error::Internal)
}

/// The CSS rule that gives a Chinese page the embedded CJK font under the family name its
/// style and its SVG charts ask for, from a base64 `data:` URL (about 1 MB).
pub fn cjk_font_face() -> &'static str {
    static FACE: OnceLock<String> = OnceLock::new();
    FACE.get_or_init(|| {
        use base64::Engine;
        let data = base64::engine::general_purpose::STANDARD.encode(CJK);
        format!("@font-face{{font-family:'WenQuanYi Micro Hei';src:url(data:font/ttf;base64,{data}) format('truetype')}}")
    })
}

/// The chart font family of `lang`.
pub fn family(lang: Lang) -> &'static str {
    match lang {
        Lang::En => LATIN_FAMILY,
        Lang::Zh => CJK_FAMILY,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_fonts_register_and_cover_their_texts() -> Result<()> {
        register()?;
        use ab_glyph::{Font, FontRef};
        let cjk = FontRef::try_from_slice(CJK).map_err(|e| Error::Internal(e.to_string()))?;
        let t = crate::report::i18n::ZH;
        let p = crate::report::i18n_products::ZH;
        let f = crate::report::i18n_findings::ZH;
        let w = crate::report::i18n_weekly::ZH;
        let g = crate::report::i18n_diag::ZH;
        let v = crate::report::i18n_value_diag::ZH;
        let c: Vec<&str> = crate::report::i18n_captions::CAPTIONS
            .iter()
            .map(|c| c.2)
            .collect();
        let missing: Vec<char> = format!("{t:?}{p:?}{f:?}{w:?}{g:?}{v:?}{c:?} 数据截至 {{}}。")
            .chars()
            .filter(|c| !c.is_control() && *c != '\\')
            .filter(|c| cjk.glyph_id(*c).0 == 0)
            .collect();
        assert!(missing.is_empty(), "not in kam-cjk.ttf: {missing:?}");
        let latin = FontRef::try_from_slice(LATIN).map_err(|e| Error::Internal(e.to_string()))?;
        assert!(
            "Revenue 1,234 ≥ 100% é"
                .chars()
                .all(|c| c == ' ' || latin.glyph_id(c).0 != 0)
        );
        Ok(())
    }
}
