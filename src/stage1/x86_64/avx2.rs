//! The AVX2 backend: a 64-byte block is two 32-byte vectors.
//!
//! Operators and whitespace are found with two nibble look-ups (`vpshufb`)
//! instead of ten comparisons. Each byte's low nibble and high nibble index a
//! 16-entry table of class bits; a byte belongs to a class iff both of its
//! look-ups have that class's bit:
//!
//! | bit | bytes           | high nibble | low nibbles |
//! |-----|-----------------|-------------|-------------|
//! | 0   | `,` (0x2C)      | 2           | C           |
//! | 1   | `:` (0x3A)      | 3           | A           |
//! | 2   | `[ ] { }`       | 5, 7        | B, D        |
//! | 3   | space (0x20)    | 2           | 0           |
//! | 4   | `\t \n \r`      | 0           | 9, A, D     |
//!
//! No other byte has a common bit in both tables (the unit test checks all
//! 256). Bytes of 0x80 and above have a high nibble of 8 to F, whose table
//! entries are 0. The quote prefix XOR is one carry-less multiply by all-ones.

use crate::stage1::generic::{self, BlockMasks, Classifier};
use alloc::vec::Vec;
use core::arch::x86_64::*;

/// The AVX2 + PCLMULQDQ classifier.
pub(crate) struct Avx2;

const OPERATOR_BITS: i8 = 0b0_0111;
const WHITESPACE_BITS: i8 = 0b1_1000;

/// Low-nibble table (repeated for both 128-bit lanes, as `vpshufb` works per lane).
const LOW_NIBBLE: [i8; 16] = [
    0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0x12, 0x04, 0x01, 0x14, 0, 0,
];
/// High-nibble table.
const HIGH_NIBBLE: [i8; 16] = [
    0x10, 0, 0x09, 0x02, 0, 0x04, 0, 0x04, 0, 0, 0, 0, 0, 0, 0, 0,
];

/// Indexes `input` with AVX2. See [`generic::index_with`].
///
/// # Safety
///
/// The CPU must support AVX2 and PCLMULQDQ.
#[target_feature(enable = "avx2,pclmulqdq")]
pub(crate) unsafe fn index(input: &[u8], index: &mut Vec<u32>) -> Option<usize> {
    // SAFETY: this function's target features are the ones `Avx2` uses, and the
    // caller guarantees the CPU has them.
    unsafe { generic::index_with::<Avx2>(input, index) }
}

/// A 16-entry table in both lanes of a vector.
#[inline(always)]
unsafe fn table(entries: &[i8; 16]) -> __m256i {
    // SAFETY: reads exactly 16 bytes from a 16-byte array; needs AVX (caller).
    unsafe { _mm256_broadcastsi128_si256(_mm_loadu_si128(entries.as_ptr().cast())) }
}

/// One bit per byte of 32 bytes of comparison results.
#[inline(always)]
unsafe fn bits(compared: __m256i) -> u64 {
    // SAFETY: plain AVX2 instruction; the caller guarantees AVX2.
    unsafe { _mm256_movemask_epi8(compared) as u32 as u64 }
}

impl Avx2 {
    /// Masks for 32 bytes, in the low 32 bits of each field.
    #[inline(always)]
    unsafe fn classify_half(bytes: __m256i) -> BlockMasks {
        // SAFETY: only AVX2 register operations; the caller guarantees AVX2.
        unsafe {
            let low = _mm256_shuffle_epi8(table(&LOW_NIBBLE), bytes);
            let high_nibbles =
                _mm256_and_si256(_mm256_srli_epi16(bytes, 4), _mm256_set1_epi8(0x0F));
            let high = _mm256_shuffle_epi8(table(&HIGH_NIBBLE), high_nibbles);
            let classes = _mm256_and_si256(low, high);
            let zero = _mm256_setzero_si256();
            let class = |class_bits: i8| {
                bits(_mm256_cmpgt_epi8(
                    _mm256_and_si256(classes, _mm256_set1_epi8(class_bits)),
                    zero,
                ))
            };
            let control = _mm256_cmpeq_epi8(_mm256_min_epu8(bytes, _mm256_set1_epi8(0x1F)), bytes);
            BlockMasks {
                quote: bits(_mm256_cmpeq_epi8(bytes, _mm256_set1_epi8(b'"' as i8))),
                backslash: bits(_mm256_cmpeq_epi8(bytes, _mm256_set1_epi8(b'\\' as i8))),
                operator: class(OPERATOR_BITS),
                whitespace: class(WHITESPACE_BITS),
                control: bits(control),
            }
        }
    }
}

impl Classifier for Avx2 {
    #[inline(always)]
    unsafe fn classify(block: &[u8; 64]) -> BlockMasks {
        // SAFETY: both unaligned loads read 32 bytes inside the 64-byte block; the
        // caller guarantees AVX2.
        unsafe {
            let first = Avx2::classify_half(_mm256_loadu_si256(block.as_ptr().cast()));
            let second = Avx2::classify_half(_mm256_loadu_si256(block.as_ptr().add(32).cast()));
            first.join(second, 32)
        }
    }

    #[inline(always)]
    unsafe fn prefix_xor(bits: u64) -> u64 {
        // SAFETY: PCLMULQDQ and SSE2 register operations; the caller guarantees them.
        unsafe {
            let all_ones = _mm_set1_epi8(-1);
            let product = _mm_clmulepi64_si128(_mm_set_epi64x(0, bits as i64), all_ones, 0);
            _mm_cvtsi128_si64(product) as u64
        }
    }
}
