#![no_main]
//! See `jsontape_fuzz::oracles::check_round_trip`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| jsontape_fuzz::oracles::check_round_trip(data));
