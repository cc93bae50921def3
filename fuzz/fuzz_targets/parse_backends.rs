#![no_main]
//! See `jsontape_fuzz::oracles::check_backends`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| jsontape_fuzz::oracles::check_backends(data));
