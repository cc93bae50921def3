//! The AVX2 backend: a 64-byte block is two 32-byte vectors.
//!
//! Operators and whitespace are found with one look-up and one comparison
//! each, by [`equality_lookup`](crate::arch::equality_lookup) (`vpshufb`,
//! which works within each 128-bit lane, so the 16-entry tables are broadcast
//! to both lanes). Quotes, backslashes and
//! control bytes are one comparison each. The quote prefix XOR is one
//! carry-less multiply by all-ones. Runs of up to 16 digits in numbers
//! convert with three multiply-add instructions (see [`leading_digits`]).

use super::first_marked;
use crate::arch::equality_lookup::{OPERATOR_BY_LOW_NIBBLE, WHITESPACE_BY_LOW_NIBBLE};
use crate::arch::portable::Portable;
use crate::arch::{BlockMasks, Job, Kernel};
use core::arch::x86_64::*;

/// The AVX2 + PCLMULQDQ kernel. Only [`run`] makes one, after the caller has
/// checked the CPU: holding an `Avx2` proves the features are there.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Avx2 {
    _features_checked: (),
}

/// Runs `job` with the AVX2 kernel, compiled for AVX2.
///
/// # Safety
///
/// The CPU must support AVX2, PCLMULQDQ, BMI1, BMI2, LZCNT and POPCNT (every
/// AVX2 processor from Intel and AMD has the last four). BMI1 and POPCNT make
/// `trailing_zeros` and `count_ones` single instructions in stage 1's offset
/// loop; in stage 2, LZCNT and BMI2's shifts (any register for the count, no
/// flags) take 3% of the instructions off a parse of canada.json, whose
/// floats each normalize and shift a 64-bit mantissa.
#[target_feature(enable = "avx2,pclmulqdq,bmi1,bmi2,lzcnt,popcnt")]
pub(crate) unsafe fn run<J: Job>(job: J) -> J::Output {
    // The caller guarantees the CPU has these features: the token may exist.
    job.run(Avx2 {
        _features_checked: (),
    })
}

impl Kernel for Avx2 {
    #[inline(always)]
    fn classify(self, block: &[u8; 64]) -> BlockMasks {
        // SAFETY: `self` proves AVX2.
        unsafe { classify(block) }
    }

    #[inline(always)]
    fn prefix_xor(self, bits: u64) -> u64 {
        // SAFETY: `self` proves PCLMULQDQ.
        unsafe { prefix_xor(bits) }
    }

    #[inline(always)]
    fn find_quote_or_backslash(self, bytes: &[u8], from: usize) -> Option<usize> {
        // SAFETY: `self` proves AVX2.
        unsafe { find_quote_or_backslash(bytes, from) }
    }

    #[inline(always)]
    fn leading_digits(self, bytes: &[u8; 16]) -> (u64, usize) {
        // SAFETY: `self` proves AVX2, which includes SSSE3 and SSE4.1.
        unsafe { leading_digits(bytes) }
    }
}

// The kernels are `#[target_feature]` functions rather than `#[inline(always)]`
// bodies, so that they are compiled for AVX2 even where the generic code that
// calls them is not inlined into `run`; where it is, LLVM inlines them too.

/// Masks for 32 bytes, in the low 32 bits of each field.
#[inline]
#[target_feature(enable = "avx2")]
fn classify_half(bytes: __m256i) -> BlockMasks {
    let table = |entries: &[u8; 16]| {
        // SAFETY: reads exactly the 16 bytes of `entries`.
        _mm256_broadcastsi128_si256(unsafe { _mm_loadu_si128(entries.as_ptr().cast()) })
    };
    let bits = |compared| _mm256_movemask_epi8(compared) as u32 as u64;
    let equal_to = |byte: u8| bits(_mm256_cmpeq_epi8(bytes, _mm256_set1_epi8(byte as i8)));
    let whitespace_candidate = _mm256_shuffle_epi8(table(&WHITESPACE_BY_LOW_NIBBLE), bytes);
    let operator_candidate = _mm256_shuffle_epi8(table(&OPERATOR_BY_LOW_NIBBLE), bytes);
    let curly = _mm256_or_si256(bytes, _mm256_set1_epi8(0x20));
    let control = bits(_mm256_cmpeq_epi8(
        _mm256_min_epu8(bytes, _mm256_set1_epi8(0x1F)),
        bytes,
    ));
    BlockMasks {
        quote: equal_to(b'"'),
        backslash: equal_to(b'\\'),
        // 0x0C and 0x1A match too (`| 0x20` makes them `,` and `:`); they
        // are control bytes, which no operator is.
        operator: bits(_mm256_cmpeq_epi8(operator_candidate, curly)) & !control,
        whitespace: bits(_mm256_cmpeq_epi8(whitespace_candidate, bytes)),
        control,
        newline: equal_to(b'\n'),
        non_ascii: 0, // set by `classify`, from both halves at once
    }
}

#[inline]
#[target_feature(enable = "avx2")]
fn classify(block: &[u8; 64]) -> BlockMasks {
    // SAFETY: both unaligned loads read 32 bytes inside the 64-byte block.
    let (first, second) = unsafe {
        (
            _mm256_loadu_si256(block.as_ptr().cast()),
            _mm256_loadu_si256(block.as_ptr().add(32).cast()),
        )
    };
    let masks = classify_half(first).join(classify_half(second), 32);
    BlockMasks {
        // The sign bits of both halves at once: one OR and one `movemask`.
        non_ascii: _mm256_movemask_epi8(_mm256_or_si256(first, second)) as u32 as u64,
        ..masks
    }
}

#[inline]
#[target_feature(enable = "pclmulqdq")]
pub(super) fn prefix_xor(bits: u64) -> u64 {
    let all_ones = _mm_set1_epi8(-1);
    let product = _mm_clmulepi64_si128(_mm_set_epi64x(0, bits as i64), all_ones, 0);
    _mm_cvtsi128_si64(product) as u64
}

#[inline]
#[target_feature(enable = "avx2")]
pub(super) fn find_quote_or_backslash(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 32) {
        // SAFETY: the load reads the 32 bytes of `chunk`.
        let v = unsafe { _mm256_loadu_si256(chunk.as_ptr().cast()) };
        let quote = _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b'"' as i8));
        let backslash = _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b'\\' as i8));
        let hits = _mm256_movemask_epi8(_mm256_or_si256(quote, backslash)) as u32;
        if hits != 0 {
            return Some(i + hits.trailing_zeros() as usize);
        }
        i += 32;
    }
    // Fewer than 32 bytes left: the portable kernel finishes without reading
    // past the end.
    Portable.find_quote_or_backslash(bytes, i)
}

/// Offset of the first byte of `bytes` that a JSON string must escape (`"`,
/// `\\`, or below 0x20): the writer's scan of strings of 64 bytes or more,
/// where one comparison of 32 bytes pays for its setup (shorter input goes to
/// the portable scan), 32 bytes per vector ([`first_marked`]). A byte is
/// below 0x20 exactly when its unsigned minimum with 0x1F is itself.
///
/// # Safety
///
/// The CPU must support AVX2.
#[target_feature(enable = "avx2")]
pub(crate) unsafe fn find_escape(bytes: &[u8]) -> Option<usize> {
    if bytes.len() < 32 {
        return crate::arch::portable::find_escape(bytes);
    }
    first_marked::<32>(bytes, |chunk| escapes(chunk))
}

/// Bit `i` set where byte `i` of the first 32 bytes of `chunk` must be
/// escaped; 0 if `chunk` is shorter.
#[inline]
#[target_feature(enable = "avx2")]
fn escapes(chunk: &[u8]) -> u32 {
    let Some(chunk) = chunk.first_chunk::<32>() else {
        return 0;
    };
    // SAFETY: the load reads the 32 bytes of `chunk`.
    let v = unsafe { _mm256_loadu_si256(chunk.as_ptr().cast()) };
    let quote = _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b'"' as i8));
    let backslash = _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b'\\' as i8));
    let control = _mm256_cmpeq_epi8(_mm256_min_epu8(v, _mm256_set1_epi8(0x1f)), v);
    let hits = _mm256_or_si256(_mm256_or_si256(quote, backslash), control);
    _mm256_movemask_epi8(hits) as u32
}

/// Shuffle controls for right-aligning a run of digits: the 16 bytes at
/// offset `n` select the first `n` bytes of a vector into its last `n` lanes
/// and zero the lanes in front (a control byte with its high bit set zeroes
/// its lane in `pshufb`).
static ALIGN_RIGHT: [u8; 32] = [
    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
];

/// The leading run of digits of 16 bytes: its value and length.
///
/// The digits are right-aligned with zeros in front, so that every lane has a
/// fixed weight; then adjacent lanes combine pairwise three times, by
/// multiply-adds with weights (10, 1), (100, 1) and (10000, 1): 16 digits
/// become 8 two-digit values, then 4 four-digit values, then 2 eight-digit
/// values, which one scalar multiply-add joins. Every intermediate fits its
/// lane (at most 9999 in 16 bits, 99,999,999 in 32).
#[inline]
#[target_feature(enable = "avx2")]
pub(super) fn leading_digits(bytes: &[u8; 16]) -> (u64, usize) {
    // SAFETY: reads exactly the 16 bytes of `bytes`.
    let text = unsafe { _mm_loadu_si128(bytes.as_ptr().cast()) };
    let values = _mm_sub_epi8(text, _mm_set1_epi8(b'0' as i8));
    // A byte is a digit iff its value, as unsigned, is at most 9.
    let is_digit = _mm_cmpeq_epi8(_mm_min_epu8(values, _mm_set1_epi8(9)), values);
    let non_digits = !(_mm_movemask_epi8(is_digit) as u32);
    let count = (non_digits.trailing_zeros() as usize).min(16);
    // SAFETY: `count <= 16`, so the 16 bytes at `count` lie within ALIGN_RIGHT.
    let control = unsafe { _mm_loadu_si128(ALIGN_RIGHT.as_ptr().add(count).cast()) };
    let aligned = _mm_shuffle_epi8(values, control);
    let pairs = _mm_maddubs_epi16(aligned, _mm_set1_epi16(0x010A)); // bytes 10, 1
    let quads = _mm_madd_epi16(pairs, _mm_set1_epi32(0x0001_0064)); // words 100, 1
    let packed = _mm_packus_epi32(quads, quads);
    let octets = _mm_madd_epi16(packed, _mm_set1_epi32(0x0001_2710)); // words 10000, 1
    let high = _mm_cvtsi128_si32(octets) as u32 as u64;
    let low = _mm_extract_epi32(octets, 1) as u32 as u64;
    (high * 100_000_000 + low, count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arch::{Backend, portable};
    use alloc::vec::Vec;

    #[test]
    fn escape_scan_agrees_with_the_portable_one_at_every_position() {
        if !Backend::Avx2.is_supported() {
            return;
        }
        for len in 0..200 {
            for at in (0..len).map(Some).chain([None]) {
                for special in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
                    // Filler of every kind a string holds: ASCII and the
                    // bytes of multi-byte characters (0x80 and above).
                    let mut bytes: Vec<u8> = (0..len)
                        .map(|i| [b'a', 0x7f, 0x80, 0xe9, 0xff][i % 5])
                        .collect();
                    if let Some(at) = at {
                        bytes[at] = special;
                    }
                    // SAFETY: AVX2 is supported (checked above).
                    let found = unsafe { find_escape(&bytes) };
                    assert_eq!(
                        found,
                        portable::find_escape(&bytes),
                        "len {len}, {special:#x} at {at:?}"
                    );
                }
            }
        }
    }
}
