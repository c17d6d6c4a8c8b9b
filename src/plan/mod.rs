//! The planner's half of kam (domain.md §1, §2, §5, §6): key accounts and escalations, the
//! review pack, the prospect census ranking, the credit-grade mix, market-share customers
//! under the capacity cap with their negotiation limits, and next period's quotas.
//!
//! [`stage::plan`] takes the clean tables and the per-customer table and returns frames; it
//! never touches the disk. Settings are `[plan]` ([`params::PlanParams`]), checked once into
//! [`params::PlanValid`].

pub mod credit_mix;
pub mod data;
pub mod history;
pub mod key_accounts;
pub mod market_share;
pub mod output;
pub mod params;
pub mod prospects;
pub mod quota_basis;
pub mod quota_rows;
pub mod quotas;
pub mod review;
pub mod split;
pub mod stage;
pub mod tx_sums;

#[cfg(test)]
mod prop_tests;

pub use params::{PlanParams, PlanValid};
pub use stage::{PlanInputs, PlanOutputs, plan};
