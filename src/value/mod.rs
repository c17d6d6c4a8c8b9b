//! Customer value: RFM scores, the buy-till-you-die models (BG/NBD, Pareto/NBD) for purchase
//! counts and survival, Gamma-Gamma for spend, and CLV.
pub mod data;
pub mod optim;
