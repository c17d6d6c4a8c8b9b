//! Churn: who is likely to stop buying, how much revenue that puts at risk, and why.
//!
//! Two modes share the design matrix ([`design`]), the models ([`models`]) and the metrics
//! ([`metrics`]):
//! - behavioural ([`behaviour`], the default in `kam run`): examples are customers active at
//!   earlier cutoffs, labelled by whether they bought within the next `horizon_days`; the model
//!   is judged out of time on the latest complete cutoff and applied at `as_of`;
//! - labelled ([`labelled`], `kam churn`): a customer table with an explicit churn flag,
//!   judged by stratified k-fold cross-validation.
//!
//! Settings are `[churn]` ([`ChurnParams`], checked once into [`ChurnValid`]); the entry points
//! are [`behaviour::run`] and [`labelled::run`].

pub mod behaviour;
pub mod contracts;
pub mod curves;
mod cutoff;
pub mod design;
pub mod export;
mod fit;
mod history;
mod inputs;
pub mod labelled;
mod logistic;
pub mod metrics;
pub mod models;
pub mod output;
mod params;
mod raw;
mod report;
mod sample;

pub use models::{Kind, ModelChoice, ModelParams};
pub use params::{ChurnParams, ChurnValid};
pub use report::{ChurnReport, Driver, drivers, risk_label};

/// Output columns added to the customer table.
pub use crate::schema::columns::{CHURN_DRIVERS, CHURN_PROBABILITY, CHURN_RISK, REVENUE_AT_RISK};
