//! The confirmed merge map (`customer_id` -> `merge_into`), resolved through chains, and the
//! fold of every table's rows of a merged id into its surviving id.
