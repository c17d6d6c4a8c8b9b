//! One customer master: the step between validation and features that knows when two
//! customer ids are the same customer.
//!
//! - [`candidates`] proposes merges: customers whose normalised names (or phone, tax id,
//!   address) match within a district, written to `merge_candidates.csv` for a person to
//!   confirm.
//! - [`merge`] applies the merges a person confirmed (`[input.customer_merges]`): every
//!   table's rows of a merged id are folded into the surviving id before features.
//!
//! Settings: `[master]` ([`MasterParams`]).
pub mod candidates;
pub mod merge;
mod params;

pub use params::{MasterParams, MasterValid};
