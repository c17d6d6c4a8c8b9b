//! The charts and the report of `kam run`: `out/charts/<name>.png|svg`, `out/report.html`,
//! `out/report.xlsx`, a page per district `out/weekly/<district>.html` and `out/weekly.xlsx`,
//! built in memory by [`stage::build`] from the run's tables; the
//! pipeline writes the files.

pub mod charts;
pub mod data;
pub mod data_products;
pub mod findings;
pub mod fonts;
pub mod html;
pub mod i18n;
pub mod i18n_captions;
pub mod i18n_diag;
pub mod i18n_findings;
pub mod i18n_products;
pub mod i18n_value_diag;
pub mod i18n_weekly;
pub mod kpis;
pub mod lang;
pub mod output;
pub mod page;
pub mod sections;
pub mod stage;
pub mod weekly;
pub mod weekly_html;
pub mod xlsx;

pub use i18n::Lang;
pub use lang::LangSetting;
