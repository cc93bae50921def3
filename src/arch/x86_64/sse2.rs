//! SSE2, which every x86_64 CPU has: compiled in unconditionally, no run-time
//! detection needed. Used for the writer's string scan, 16 bytes per step.

use crate::arch::portable;
use core::arch::x86_64::*;

/// Offset of the first byte at or after `from` that a JSON string must
/// escape (`"`, `\\`, or below 0x20), 16 bytes at a time; the last bytes go
/// to the portable scan.
///
/// A byte is below 0x20 exactly when its unsigned minimum with 0x1F is
/// itself.
#[inline]
pub(crate) fn find_escape(bytes: &[u8], from: usize) -> Option<usize> {
    // SAFETY: this module is compiled only where the target enables SSE2
    // (`cfg(target_feature = "sse2")`, part of every x86_64 target).
    unsafe { scan(bytes, from) }
}

#[inline]
#[target_feature(enable = "sse2")]
fn scan(bytes: &[u8], from: usize) -> Option<usize> {
    let escapes = |chunk: &[u8]| {
        let (low, high) = chunk.split_at(8);
        let word = |half: &[u8]| i64::from_le_bytes(half.try_into().unwrap_or([0; 8]));
        let v = _mm_set_epi64x(word(high), word(low));
        let quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
        let backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
        let control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
        let hits = _mm_or_si128(_mm_or_si128(quote, backslash), control);
        _mm_movemask_epi8(hits) as u32
    };
    let len = bytes.len();
    if len.saturating_sub(from) < 16 {
        return portable::find_escape(bytes, from);
    }
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 16) {
        let mask = escapes(chunk);
        if mask != 0 {
            return Some(at + mask.trailing_zeros() as usize);
        }
        at += 16;
    }
    // The last 1 to 15 bytes: read the last sixteen, overlapping bytes
    // already checked, and ignore those.
    let last = len - 16;
    let mask = escapes(&bytes[last..]) >> (at - last);
    (mask != 0).then(|| at + mask.trailing_zeros() as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_the_portable_scan_at_every_position() {
        for len in 0..48 {
            for at in 0..len {
                for special in [b'"', b'\\', 0x00, 0x1f, 0x0a] {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = special;
                    for from in 0..=len {
                        assert_eq!(
                            find_escape(&bytes, from),
                            portable::find_escape(&bytes, from),
                            "len {len}, {special:#x} at {at}, from {from}"
                        );
                    }
                }
            }
        }
        // Bytes that need no escape, including every byte of 0x20 and above.
        let plain: Vec<u8> = (0x20..=0xff).filter(|&b| b != b'"' && b != b'\\').collect();
        assert_eq!(find_escape(&plain, 0), None);
    }
}
