//! Columns of the products stage's tables.

pub use super::{CUSTOMER_COUNT, SEGMENT, SEGMENT_NAME, SHARE_REVENUE};
pub use crate::schema::{CHANNEL, CUSTOMER_ID, NAME, PRODUCT};

pub const ANTECEDENT: &str = "antecedent";
pub const CONSEQUENT: &str = "consequent";
pub const BASKETS_WITH_BOTH: &str = "baskets_with_both";
pub const SUPPORT: &str = "support";
pub const CONFIDENCE: &str = "confidence";
pub const LIFT: &str = "lift";
pub const PENETRATION: &str = "penetration";
pub const REVENUE: &str = "revenue";
pub const RANK: &str = "rank";
pub const SCORE: &str = "score";
pub const REASON: &str = "reason";
pub const KEY_ACCOUNT_TIER: &str = super::KEY_ACCOUNT_TIER;
pub const SEGMENT_PENETRATION: &str = "segment_penetration";
pub const RULE_CONFIDENCE: &str = "rule_confidence";
pub const RULE_LIFT: &str = "rule_lift";

/// Columns of `product_affinity.csv`, in order.
pub const AFFINITY: [&str; 6] = [
    ANTECEDENT,
    CONSEQUENT,
    BASKETS_WITH_BOTH,
    SUPPORT,
    CONFIDENCE,
    LIFT,
];
/// Columns of `cross_sell.csv`, in order.
pub const CROSS_SELL: [&str; 11] = [
    CUSTOMER_ID,
    NAME,
    SEGMENT,
    KEY_ACCOUNT_TIER,
    RANK,
    PRODUCT,
    SCORE,
    SEGMENT_PENETRATION,
    RULE_CONFIDENCE,
    RULE_LIFT,
    REASON,
];
/// Columns of `product_penetration.csv` (`channel_mix.csv` has `channel` for `product`).
pub const PENETRATION_TABLE: [&str; 7] = [
    SEGMENT,
    SEGMENT_NAME,
    PRODUCT,
    CUSTOMER_COUNT,
    PENETRATION,
    REVENUE,
    SHARE_REVENUE,
];
pub const CHANNEL_TABLE: [&str; 7] = [
    SEGMENT,
    SEGMENT_NAME,
    CHANNEL,
    CUSTOMER_COUNT,
    PENETRATION,
    REVENUE,
    SHARE_REVENUE,
];
