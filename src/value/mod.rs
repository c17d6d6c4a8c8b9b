//! Customer value: RFM scores, the buy-till-you-die models (BG/NBD, MBG/NBD, Pareto/NBD) for purchase
//! counts and survival, Gamma-Gamma for spend, and CLV. Settings are `[value]`
//! ([`ValueParams`], checked once into [`ValueValid`]); the entry point is [`score`].
pub mod bands;
pub mod bgbb;
pub mod bgnbd;
pub mod bootstrap;
pub mod choice;
pub mod clv;
pub mod contract;
pub mod contract_output;
pub mod data;
pub mod diagnostics;
pub mod gamma_gamma;
pub mod holdout;
pub mod intervals;
pub mod mbgnbd;
pub mod optim;
pub mod output;
pub mod params;
pub mod pareto_nbd;
pub mod pmf;
pub mod purchases;
pub mod retention;
pub mod rfm;
pub mod sbg;
pub mod scoring;
pub mod special;
pub mod stage;

pub use params::{IntervalMethod, ModelKind, ValueParams, ValueValid};
pub use stage::score;
