//! SSE2, which every x86_64 CPU has: compiled in unconditionally, no run-time
//! detection needed. Used for the writer's escape scan, 32 bytes per step
//! in two vectors of 16.

use super::first_marked;
use crate::arch::portable;
use core::arch::x86_64::*;

/// Offset of the first byte of `bytes` that a JSON string must escape (`"`,
/// `\\`, or below 0x20). Fewer than 16 bytes go to the portable scan.
#[inline]
pub(crate) fn find_escape(bytes: &[u8]) -> Option<usize> {
    if bytes.len() < 16 {
        return portable::find_escape(bytes);
    }
    // SAFETY: this module is compiled only where the target enables SSE2
    // (`cfg(target_feature = "sse2")`, part of every x86_64 target).
    unsafe { find_escape_in_vectors(bytes) }
}

/// Offset of the first byte of `bytes` (16 bytes or more) that must be
/// escaped, 16 bytes per vector ([`first_marked`]).
///
/// A byte is below 0x20 exactly when its unsigned minimum with 0x1F is
/// itself.
#[inline]
#[target_feature(enable = "sse2")]
fn find_escape_in_vectors(bytes: &[u8]) -> Option<usize> {
    first_marked::<16>(bytes, |chunk| escapes(chunk))
}

/// Bit `i` set where byte `i` of the 16-byte `chunk` must be escaped.
#[inline]
#[target_feature(enable = "sse2")]
fn escapes(chunk: &[u8]) -> u32 {
    let (low, high) = chunk.split_at(8);
    let word = |half: &[u8]| i64::from_le_bytes(half.try_into().unwrap_or([0; 8]));
    let v = _mm_set_epi64x(word(high), word(low));
    let quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
    let backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
    let control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
    let hits = _mm_or_si128(_mm_or_si128(quote, backslash), control);
    _mm_movemask_epi8(hits) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;

    #[test]
    fn agrees_with_the_portable_scan_at_every_position() {
        for len in 0..80 {
            for at in 0..len {
                for special in [b'"', b'\\', 0x00, 0x1f, 0x0a] {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = special;
                    for from in 0..=len {
                        let rest = &bytes[from..];
                        assert_eq!(
                            find_escape(rest),
                            portable::find_escape(rest),
                            "len {len}, {special:#x} at {at}, from {from}"
                        );
                    }
                }
            }
        }
        // Bytes that need no escape, including every byte of 0x20 and above.
        let plain: Vec<u8> = (0x20..=0xff).filter(|&b| b != b'"' && b != b'\\').collect();
        assert_eq!(find_escape(&plain), None);
    }
}
