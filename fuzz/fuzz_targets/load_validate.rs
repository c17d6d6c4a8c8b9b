//! Arbitrary bytes → a config choice and CSV files (`kam::pipeline::fuzz::case_from_bytes`)
//! → load and validation as `kam run` does them. A panic, a hang (libFuzzer's `-timeout`) or
//! a broken property (read = used + rejected, a reason on every reject, ...) is a finding.
#![no_main]

use kam::pipeline::fuzz::{case_from_bytes, check_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let case = case_from_bytes(data);
    if let Err(e) = check_bytes(&case) {
        panic!("{e}");
    }
});
