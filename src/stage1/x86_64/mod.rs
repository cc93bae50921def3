//! x86_64 backends. Each module exposes an `unsafe fn index` compiled with its
//! `#[target_feature]`s; [`super::index`] calls it only after detection.

pub(crate) mod avx2;
