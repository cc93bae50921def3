//! The AVX-512 backend: a 64-byte block is one 512-bit vector, and every
//! comparison writes a 64-bit mask register directly.
//!
//! AVX2 compares into vectors and needs a `vpmovmskb` per 32 bytes (and a
//! shift and OR to join two halves) to get bit masks; AVX-512BW's
//! `vpcmpb`/`vpcmpub` produce the block's 64-bit mask in one instruction, and
//! `vpmovb2m` gives the sign bits (the bytes of 0x80 and above) the same way.
//! The classification is the same as AVX2's
//! ([`equality_lookup`](crate::arch::equality_lookup)): `vpshufb` on 512
//! bits looks up within each 128-bit lane, so the 16-entry tables are
//! broadcast to all four lanes.
//!
//! Stage 1 writes the offsets of each block's tokens with AVX-512 VBMI2's
//! `vpcompressb` ([`write_offsets`]) instead of a loop over the bits; that
//! halves the time of stage 1 on documents dense in tokens.
//!
//! What does not gain from wider vectors is shared with the AVX2 backend
//! (every AVX-512 processor has AVX2): the quote prefix XOR (one carry-less
//! multiply), the 16-byte digit conversion, and the string scan. Scanning
//! strings 64 bytes at a time was slower: most strings are short, and an
//! unaligned 64-byte load nearly always spans two cache lines (measured on a
//! Xeon with AVX-512: 110 ns against 94 ns to parse a 59-byte object, 8.1 µs
//! against 7.0 µs for a 10 KB document).

use super::avx2;
use crate::arch::equality_lookup::{OPERATOR_BY_LOW_NIBBLE, WHITESPACE_BY_LOW_NIBBLE};
use crate::arch::{BlockMasks, Job, Kernel};
use core::arch::x86_64::*;
use core::mem::MaybeUninit;

/// The AVX-512 (F, BW, VL, VBMI2) kernel, with AVX2, PCLMULQDQ, BMI1, BMI2,
/// LZCNT and POPCNT.
/// Only [`run`] makes one, after the caller has checked the CPU: holding an
/// `Avx512` proves the features are there.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Avx512 {
    _features_checked: (),
}

/// Runs `job` with the AVX-512 kernel, compiled for AVX-512.
///
/// # Safety
///
/// The CPU must support AVX-512F, AVX-512BW, AVX-512VL and AVX-512VBMI2,
/// and everything [`avx2::run`] requires (AVX2, PCLMULQDQ, BMI1, BMI2, LZCNT,
/// POPCNT).
#[target_feature(
    enable = "avx512f,avx512bw,avx512vl,avx512vbmi2,avx2,pclmulqdq,bmi1,bmi2,lzcnt,popcnt"
)]
pub(crate) unsafe fn run<J: Job>(job: J) -> J::Output {
    // The caller guarantees the CPU has these features: the token may exist.
    job.run(Avx512 {
        _features_checked: (),
    })
}

impl Kernel for Avx512 {
    #[inline(always)]
    fn classify(self, block: &[u8; 64]) -> BlockMasks {
        // SAFETY: `self` proves AVX-512F and AVX-512BW.
        unsafe { classify(block) }
    }

    #[inline(always)]
    fn prefix_xor(self, bits: u64) -> u64 {
        // SAFETY: `self` proves PCLMULQDQ.
        unsafe { avx2::prefix_xor(bits) }
    }

    #[inline(always)]
    fn find_quote_or_backslash(self, bytes: &[u8], from: usize) -> Option<usize> {
        // SAFETY: `self` proves AVX2.
        unsafe { avx2::find_quote_or_backslash(bytes, from) }
    }

    #[inline(always)]
    fn write_offsets(self, slots: &mut [MaybeUninit<u32>; 64], base: u32, bits: u64) -> usize {
        // SAFETY: `self` proves AVX-512F, AVX-512BW and AVX-512VBMI2.
        unsafe { write_offsets(slots, base, bits) }
    }

    #[inline(always)]
    fn leading_digits(self, bytes: &[u8; 16]) -> (u64, usize) {
        // SAFETY: `self` proves AVX2 (which includes SSSE3 and SSE4.1).
        unsafe { avx2::leading_digits(bytes) }
    }
}

/// A 16-byte table broadcast to the four 128-bit lanes, for `vpshufb`.
#[inline]
#[target_feature(enable = "avx512f")]
fn lane_table(entries: &[u8; 16]) -> __m512i {
    // SAFETY: reads exactly the 16 bytes of `entries`.
    _mm512_broadcast_i32x4(unsafe { _mm_loadu_si128(entries.as_ptr().cast()) })
}

#[inline]
#[target_feature(enable = "avx512f,avx512bw")]
fn classify(block: &[u8; 64]) -> BlockMasks {
    // SAFETY: the unaligned load reads exactly the 64 bytes of `block`.
    let bytes = unsafe { _mm512_loadu_si512(block.as_ptr().cast()) };
    let equal_to = |byte: u8| _mm512_cmpeq_epi8_mask(bytes, _mm512_set1_epi8(byte as i8));
    let whitespace_candidate = _mm512_shuffle_epi8(lane_table(&WHITESPACE_BY_LOW_NIBBLE), bytes);
    let operator_candidate = _mm512_shuffle_epi8(lane_table(&OPERATOR_BY_LOW_NIBBLE), bytes);
    let curly = _mm512_or_si512(bytes, _mm512_set1_epi8(0x20));
    let control = _mm512_cmple_epu8_mask(bytes, _mm512_set1_epi8(0x1F));
    BlockMasks {
        quote: equal_to(b'"'),
        backslash: equal_to(b'\\'),
        // 0x0C and 0x1A match too (`| 0x20` makes them `,` and `:`); they
        // are control bytes, which no operator is.
        operator: _mm512_cmpeq_epi8_mask(operator_candidate, curly) & !control,
        whitespace: _mm512_cmpeq_epi8_mask(whitespace_candidate, bytes),
        control,
        newline: equal_to(b'\n'),
        // The sign bits: exactly the bytes of 0x80 and above.
        non_ascii: _mm512_movepi8_mask(bytes),
    }
}

/// The offsets of the set bits of `bits` without a loop over the bits:
/// `vpcompressb` packs the positions (0 to 63) of the set bits into the low
/// bytes of a vector, in order; each 16 of them are widened to 32 bits,
/// added to `base` and stored, in one to four rounds. The portable loop takes
/// a `tzcnt`, an add, a store and a `blsr` per bit, which dominates stage 1
/// on documents dense in tokens such as canada.json.
#[inline]
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi2")]
fn write_offsets(slots: &mut [MaybeUninit<u32>; 64], base: u32, bits: u64) -> usize {
    let count = bits.count_ones() as usize;
    let positions: [u8; 64] = core::array::from_fn(|i| i as u8);
    // SAFETY: reads exactly the 64 bytes of `positions`.
    let positions = unsafe { _mm512_loadu_si512(positions.as_ptr().cast()) };
    let packed = _mm512_maskz_compress_epi8(bits, positions);
    let base = _mm512_set1_epi32(base as i32);
    let store = |slots: &mut [MaybeUninit<u32>; 64], round: usize, bytes: __m128i| {
        let offsets = _mm512_add_epi32(_mm512_cvtepu8_epi32(bytes), base);
        // SAFETY: `round` is at most 3, so the 16 slots from `16 * round`
        // are within the 64 of `slots`.
        unsafe { _mm512_storeu_si512(slots.as_mut_ptr().add(16 * round).cast(), offsets) };
    };
    store(slots, 0, _mm512_castsi512_si128(packed));
    if count > 16 {
        store(slots, 1, _mm512_extracti32x4_epi32::<1>(packed));
        if count > 32 {
            store(slots, 2, _mm512_extracti32x4_epi32::<2>(packed));
            if count > 48 {
                store(slots, 3, _mm512_extracti32x4_epi32::<3>(packed));
            }
        }
    }
    count
}
