#![no_main]
//! See `jsontape_fuzz::oracles::check_against_serde_json`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| jsontape_fuzz::oracles::check_against_serde_json(data));
