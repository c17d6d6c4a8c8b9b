//! What customers buy: per-customer product and channel columns, association rules between
//! products over baskets (`product_affinity.csv`), cross-sell proposals for key accounts
//! (`cross_sell.csv`), product penetration and channel mix by segment. Runs when the
//! transactions have a `product` column (channels when they have `channel`).
//!
//! - [`bought`]: revenue per customer and product / channel, the catalogue, the baskets,
//!   from one walk over each customer's lines ([`walk`]);
//! - [`rules`]: support, confidence and lift over the distinct baskets;
//! - [`cross_sell`]: the products a customer does not buy yet, scored, with the reason;
//! - [`mix`]: penetration and channel mix by segment;
//! - [`output`]: the stage as the pipeline runs it.

pub mod bought;
pub mod cross_sell;
pub mod mix;
pub mod output;
pub mod params;
pub mod rules;
pub mod walk;

pub use bought::Bought;
pub use params::{Basket, CrossSellFor, ProductsParams, ProductsValid};
