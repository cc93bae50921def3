//! x86_64 backends. `avx2` exposes an `unsafe fn run` compiled with its
//! `#[target_feature]`s, which [`super::dispatch`] calls only after
//! detection; `sse2` is part of every x86_64 target and needs no detection.

pub(crate) mod avx2;
#[cfg(target_feature = "sse2")]
pub(crate) mod sse2;
