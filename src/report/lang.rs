//! `lang` in kam.toml: English, Chinese, or `auto`, which reads the customers' names.

use serde::{Deserialize, Serialize};

use super::i18n::Lang;

/// `lang` in kam.toml: a language, or `auto` (Chinese when most customer names are Chinese).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LangSetting {
    #[default]
    En,
    Zh,
    Auto,
}

impl LangSetting {
    /// The report's language; `auto` looks at the customer names: Chinese when more than half
    /// of the names hold a CJK character (English without names).
    pub fn resolve<'a>(self, names: impl Iterator<Item = &'a str>) -> Lang {
        match self {
            LangSetting::En => Lang::En,
            LangSetting::Zh => Lang::Zh,
            LangSetting::Auto => {
                let (mut n, mut cjk) = (0usize, 0usize);
                for name in names {
                    n += 1;
                    cjk += usize::from(name.chars().any(is_cjk));
                }
                if n > 0 && 2 * cjk > n {
                    Lang::Zh
                } else {
                    Lang::En
                }
            }
        }
    }
}

impl LangSetting {
    /// [`LangSetting::resolve`] on the `name` column of a customer table.
    pub fn for_customers(self, customers: &polars::prelude::DataFrame) -> Lang {
        let names = customers
            .column(crate::schema::NAME)
            .ok()
            .and_then(|c| c.str().ok().cloned());
        match names {
            Some(n) => self.resolve(n.iter().flatten()),
            None => self.resolve(std::iter::empty()),
        }
    }
}

/// A CJK unified ideograph (the common and extension-A blocks).
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_picks_chinese_when_most_names_are() {
        let auto = LangSetting::Auto;
        assert_eq!(
            auto.resolve(["燕山混凝土", "Acme", "北京建工"].into_iter()),
            Lang::Zh
        );
        assert_eq!(auto.resolve(["燕山混凝土", "Acme"].into_iter()), Lang::En);
        assert_eq!(auto.resolve(std::iter::empty()), Lang::En);
        assert_eq!(LangSetting::Zh.resolve(["Acme"].into_iter()), Lang::Zh);
    }
}
