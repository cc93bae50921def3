//! x86_64 backends. `avx512` and `avx2` each expose an `unsafe fn run`
//! compiled with their `#[target_feature]`s, which [`super::dispatch`] calls
//! only after detection; `sse2` is part of every x86_64 target and needs no
//! detection.

pub(crate) mod avx2;
pub(crate) mod avx512;
#[cfg(target_feature = "sse2")]
pub(crate) mod sse2;

/// Offset of the first byte of `bytes` (at least `W` bytes) that `marks`
/// marks: the walk of the SIMD escape scans. Two vectors of `W` bytes per
/// step, then one, then the last `W` bytes, overlapping bytes already tested
/// (their bits are shifted out). `marks` returns bit `i` set for byte `i` of
/// a `W`-byte chunk.
///
/// Inlined into each backend's `#[target_feature]` scan, so that `marks` is
/// compiled with that backend's features.
#[inline(always)]
fn first_marked<const W: usize>(bytes: &[u8], marks: impl Fn(&[u8]) -> u32) -> Option<usize> {
    debug_assert!(bytes.len() >= W);
    let first_hit = |at: usize, mask: u64| Some(at + mask.trailing_zeros() as usize);
    let mut at = 0;
    let mut pairs = bytes.chunks_exact(2 * W);
    for pair in &mut pairs {
        let (low, high) = pair.split_at(W);
        let mask = u64::from(marks(low)) | u64::from(marks(high)) << W;
        if mask != 0 {
            return first_hit(at, mask);
        }
        at += 2 * W;
    }
    if let Some(chunk) = pairs.remainder().get(..W) {
        let mask = marks(chunk);
        if mask != 0 {
            return first_hit(at, mask.into());
        }
        at += W;
    }
    let len = bytes.len();
    if at == len {
        return None;
    }
    let last = len.checked_sub(W)?;
    let mask = marks(&bytes[last..]) >> (at - last);
    if mask != 0 {
        return first_hit(at, mask.into());
    }
    None
}
