#![no_main]
//! See `jsontape_fuzz::oracles::check_typed`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| jsontape_fuzz::oracles::check_typed(data));
