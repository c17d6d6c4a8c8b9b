//! Merge candidates: near-duplicate customers found by normalised name (and phone, tax id,
//! address when present), blocked so the search stays near-linear.
