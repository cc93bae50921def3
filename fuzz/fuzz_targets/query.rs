#![no_main]
//! See `jsontape_fuzz::oracles::check_query`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| jsontape_fuzz::oracles::check_query(data));
