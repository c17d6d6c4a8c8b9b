//! The seeded synthetic company behind `kam generate` and `data/demo/` (being written).
