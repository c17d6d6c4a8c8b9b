//! Tracking what managers see every week and month (issue 7, items 1-5; issue 12, items 5-6):
//! attainment against targets, the weekly progress report per district with its development
//! progress, the leaderboard of stations and account managers and its awards, channel and
//! campaign conversion, the monthly trend with a seasonal forecast, and each account
//! manager's portfolio.
//!
//! [`stage::track`] takes the clean validated tables and the per-customer table and returns
//! frames and the forecast report; it never touches the disk (the pipeline writes the files).
//! The business definitions (new customer, key account, first top-up) live in [`facts`] and
//! are repeated in the README.

pub mod attainment;
pub mod awards;
pub mod campaigns;
pub mod development;
pub mod facts;
pub mod leaderboard;
pub mod output;
pub mod params;
pub mod portfolios;
pub mod stage;
pub mod trend;
pub mod weekly;

/// The forecaster lives below the stages (the planner forecasts too); re-exported here.
pub use crate::forecast;
pub use params::{TrackParams, TrackValid};
pub use stage::{TrackInputs, track};

/// Output column names of the track tables: defined once in [`crate::schema::columns`].
pub use crate::schema::columns::track as cols;
