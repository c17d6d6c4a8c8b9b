//! # kam — key-account analytics
//!
//! A run is a straight line of stages; each takes typed values and returns typed values:
//!
//! ```text
//! kam.toml + flags ─ Config::check ─► ValidConfig        (config)
//! io::load      files               → RawTable per input  (io::load)
//! validate      RawTable            → clean frames + rejects + counts that reconcile
//! features      transactions, as_of → one row per customer (features)
//! io::write     every table         → out/ (CSV + Parquet), manifest.json, atomically
//! ```
//! Only `io` touches the disk and only `cli`/`main` touch the terminal.
pub mod app;
pub mod churn;
pub mod cli;
pub mod config;
pub mod edge;
pub mod error;
pub mod features;
pub mod forecast;
pub mod frame;
pub mod generate;
pub mod grades;
pub mod io;
pub mod key_accounts;
pub mod manifest;
pub mod master;
pub mod par;
pub mod pipeline;
pub mod plan;
pub mod products;
pub mod report;
pub mod rows;
pub mod satisfaction;
pub mod schema;
pub mod segment;
pub mod stage;
#[cfg(test)]
mod test_support;
pub mod track;
pub mod validate;
pub mod value;

pub use error::{Error, Result};
