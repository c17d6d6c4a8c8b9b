//! Satisfaction columns (customers.csv, satisfaction.csv).

use super::CUSTOMER_COUNT;

pub const CSAT_MEAN: &str = "csat_mean";
/// The latest NPS answer (0-10) in the window, and its class.
pub const NPS_SCORE: &str = "nps_score";
pub const NPS_CLASS: &str = "nps_class";
pub const COMPLAINTS: &str = "complaints";
pub const OPEN_COMPLAINTS: &str = "open_complaints";
pub const MEAN_DAYS_TO_RESOLVE: &str = "mean_days_to_resolve";
pub const DAYS_SINCE_CONTACT: &str = "days_since_contact";
pub const BY: &str = "by";
pub const UNIT: &str = "unit";
pub const CUSTOMERS_WITH_FEEDBACK: &str = "customers_with_feedback";
pub const CSAT_RESPONSES: &str = "csat_responses";
pub const NPS_RESPONSES: &str = "nps_responses";
pub const PROMOTERS: &str = "promoters";
pub const PASSIVES: &str = "passives";
pub const DETRACTORS: &str = "detractors";
/// 100 x (promoters - detractors) / customers who answered.
pub const NPS: &str = "nps";
/// Columns of `satisfaction.csv`, in order.
pub const SATISFACTION_TABLE: [&str; 14] = [
    BY,
    UNIT,
    CUSTOMER_COUNT,
    CUSTOMERS_WITH_FEEDBACK,
    CSAT_RESPONSES,
    CSAT_MEAN,
    NPS_RESPONSES,
    PROMOTERS,
    PASSIVES,
    DETRACTORS,
    NPS,
    COMPLAINTS,
    OPEN_COMPLAINTS,
    MEAN_DAYS_TO_RESOLVE,
];
