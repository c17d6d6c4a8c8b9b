//! Helpers of the unit tests only (compiled under `cfg(test)`).

/// Where the public reference data sets (CDNOW, Telco) live: `$KAM_SHARED_DATA`, else
/// `../shared/data` beside the repository (where CI has it). `rel` is a path inside it.
pub fn reference_data(rel: &str) -> std::path::PathBuf {
    match std::env::var_os("KAM_SHARED_DATA") {
        Some(d) => std::path::PathBuf::from(d),
        None => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"),
    }
    .join(rel)
}
