//! Segmentation: k-means segments a strategy team can explain, reproduce and trust.
pub mod kmeans;
pub mod metrics;
pub mod output;
pub mod profile;
pub mod stage;
