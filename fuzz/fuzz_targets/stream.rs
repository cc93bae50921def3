#![no_main]
//! See `jsontape_fuzz::oracles::check_stream`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| jsontape_fuzz::oracles::check_stream(data));
