//! aarch64 backends. Each module exposes an `unsafe fn run` compiled with its
//! `#[target_feature]`s; [`super::dispatch`] calls it only after detection.

pub(crate) mod neon;
