//! The random streams of the generator: one independent, seeded stream per table (and
//! sub-streams, e.g. one per customer), so changing one table's draws leaves the others.

use rand::SeedableRng;
use rand::rngs::StdRng;

/// One independent random stream per table, so changing one table's logic leaves the others.
#[derive(Debug, Clone, Copy)]
pub(super) enum Stream {
    Org = 1,
    Customers = 2,
    Market = 3,
    Purchases = 4,
    Targets = 5,
    Deals = 6,
    Campaigns = 7,
    Mess = 8,
    Addons = 9,
    Feedback = 10,
}

/// SplitMix64 finaliser: spreads nearby seeds over the whole 64-bit space.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The RNG of stream `s`, sub-stream `index` (e.g. one per customer).
pub(super) fn stream(seed: u64, s: Stream, index: u64) -> StdRng {
    StdRng::seed_from_u64(mix(mix(seed ^ mix(s as u64)) ^ index))
}
