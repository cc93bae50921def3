//! The AVX2 backend: a 64-byte block is two 32-byte vectors.
//!
//! Operators and whitespace are found with the two nibble look-ups of
//! [`nibble_classes`](crate::arch::nibble_classes) (`vpshufb`, which works within each 128-bit lane, so the
//! 16-entry tables are broadcast to both lanes). Quotes, backslashes and
//! control bytes are one comparison each. The quote prefix XOR is one
//! carry-less multiply by all-ones.

use crate::arch::nibble_classes::{HIGH_NIBBLE, LOW_NIBBLE, OPERATOR_BITS, WHITESPACE_BITS};
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
/// The CPU must support AVX2, PCLMULQDQ, BMI1 and POPCNT (every AVX2 processor
/// has the last two; they make `trailing_zeros` and `count_ones` single
/// instructions in stage 1's offset loop).
#[target_feature(enable = "avx2,pclmulqdq,bmi1,popcnt")]
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
    let low = _mm256_shuffle_epi8(table(&LOW_NIBBLE), bytes);
    let high_nibbles = _mm256_and_si256(_mm256_srli_epi16(bytes, 4), _mm256_set1_epi8(0x0F));
    let high = _mm256_shuffle_epi8(table(&HIGH_NIBBLE), high_nibbles);
    let classes = _mm256_and_si256(low, high);
    let class = |class_bits: u8| {
        let selected = _mm256_and_si256(classes, _mm256_set1_epi8(class_bits as i8));
        bits(_mm256_cmpgt_epi8(selected, _mm256_setzero_si256()))
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
    classify_half(first).join(classify_half(second), 32)
}

#[inline]
#[target_feature(enable = "pclmulqdq")]
fn prefix_xor(bits: u64) -> u64 {
    let all_ones = _mm_set1_epi8(-1);
    let product = _mm_clmulepi64_si128(_mm_set_epi64x(0, bits as i64), all_ones, 0);
    _mm_cvtsi128_si64(product) as u64
}

#[inline]
#[target_feature(enable = "avx2")]
fn find_quote_or_backslash(bytes: &[u8], from: usize) -> Option<usize> {
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
