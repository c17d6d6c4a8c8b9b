//! Segmentation: k-means segments a strategy team can explain, reproduce and trust. Settings
//! are `[segment]` ([`SegmentParams`], checked once into [`SegmentValid`]); the entry point is
//! [`segment`].
mod blocked;
mod init;
pub mod kmeans;
mod lloyd;
mod matrix;
pub mod metrics;
mod names;
pub mod output;
pub mod params;
pub mod profile;
mod profiled;
mod silhouette;
pub mod stage;

pub use params::{KChoice, SegmentParams, SegmentValid, Transform};
pub use stage::segment;
