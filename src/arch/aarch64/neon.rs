//! The NEON backend: a 64-byte block is four 16-byte `uint8x16_t` vectors.
//!
//! NEON (Advanced SIMD) is part of every aarch64 target Rust builds with a
//! floating-point ABI, so this backend needs no detection of its own; only the
//! carry-less multiply used for the quote prefix XOR (PMULL, Rust's `aes`
//! target feature) is optional and detected at run time.
//!
//! # Classification
//!
//! Quotes and backslashes are one `vceqq_u8` each, and control bytes one
//! unsigned `vcleq_u8` against 0x1F. Operators and whitespace use the two
//! nibble look-ups of [`nibble_classes`](crate::arch::nibble_classes), with
//! `vqtbl1q_u8`: a byte belongs to a class iff the entries for its low nibble
//! and its high nibble share that class's bit, which `vtstq_u8` tests directly
//! (all ones where `classes & bits != 0`). `vqtbl1q_u8` yields 0 for any index
//! of 16 or more instead of looking at the low four bits, so the low-nibble
//! index is masked with 0x0F; the high nibble needs no mask because
//! `vshrq_n_u8` shifts within each byte.
//!
//! # Movemask
//!
//! NEON has no `pmovmskb`. Four comparison vectors (each byte 0x00 or 0xFF)
//! become one `u64` like this: AND each with the bit weights
//! `[1, 2, 4, …, 128, 1, 2, …, 128]`, so byte `i` keeps only bit `i % 8`; then
//! three rounds of pairwise addition (`vpaddq_u8`, which adds adjacent bytes of
//! its two operands and concatenates the sums) fold 4 × 16 bytes into 8, each
//! the sum of eight distinct bit weights, i.e. an exact OR. Byte `2k` and
//! `2k + 1` of the result are the low and high halves of vector `k`'s 16-bit
//! mask, so the low 64 bits, read little-endian, are the block's mask. That is
//! 4 ANDs and 4 pairwise adds per 64-bit mask.
//!
//! # Prefix XOR
//!
//! With PMULL, the prefix XOR of the quote mask is one carry-less multiply by
//! all ones (`vmull_p64`), as with PCLMULQDQ on x86_64: bit `i` of the product
//! is the XOR of bits `0..=i`. Some aarch64 cores lack the cryptographic
//! extension (the Raspberry Pi 3 and 4, for instance), so [`run`] checks for
//! it and otherwise runs the kernel with the portable shift-and-XOR ladder.
//! The choice is a const parameter of the kernel, so each variant is compiled
//! with exactly its own features and everything inlines.
//!
//! # String scan
//!
//! `find_quote_or_backslash` compares 16 bytes at a time and finds the first
//! hit with the "shift right and narrow" trick: `vshrn_n_u16(hits, 4)` keeps
//! four bits of every byte, so the 16-byte comparison becomes a 64-bit word
//! whose trailing zeros divided by four give the byte offset. The last
//! partial vector is left to the portable kernel, so nothing is read past the
//! end of the input.

use crate::arch::nibble_classes::{HIGH_NIBBLE, LOW_NIBBLE, OPERATOR_BITS, WHITESPACE_BITS};
use crate::arch::portable::Portable;
use crate::arch::{BlockMasks, Job, Kernel};
use core::arch::aarch64::*;

/// The NEON kernel; `PMULL` says whether it may use the carry-less multiply.
/// Only [`run`] makes one, after the caller has ensured NEON and `run` has
/// checked for PMULL: holding a `Neon<true>` proves both.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Neon<const PMULL: bool> {
    _features_checked: (),
}

/// Byte `i` of a comparison keeps bit `i % 8` (see "Movemask").
const BIT_WEIGHTS: [u8; 16] = [1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128];

/// Runs `job` with the NEON kernel, using PMULL when this machine has it.
///
/// # Safety
///
/// The CPU must support NEON (every aarch64 target with a floating-point ABI
/// assumes it).
#[target_feature(enable = "neon")]
pub(crate) unsafe fn run<J: Job>(job: J) -> J::Output {
    if has_pmull() {
        // SAFETY: the caller guarantees NEON, and AES/PMULL was just detected.
        unsafe { run_with_pmull(job) }
    } else {
        // The caller guarantees NEON: the token may exist.
        job.run(Neon::<false> {
            _features_checked: (),
        })
    }
}

/// [`run`] for machines with PMULL.
///
/// # Safety
///
/// The CPU must support NEON and AES (which includes PMULL).
#[target_feature(enable = "neon,aes")]
unsafe fn run_with_pmull<J: Job>(job: J) -> J::Output {
    // The caller guarantees both features: the token may exist.
    job.run(Neon::<true> {
        _features_checked: (),
    })
}

/// Whether the carry-less multiply may be used (detected at run time with the
/// `std` feature, decided at compile time without it).
#[cfg(feature = "std")]
fn has_pmull() -> bool {
    std::arch::is_aarch64_feature_detected!("aes")
        && std::arch::is_aarch64_feature_detected!("pmull")
}

#[cfg(not(feature = "std"))]
fn has_pmull() -> bool {
    cfg!(target_feature = "aes")
}

impl<const PMULL: bool> Kernel for Neon<PMULL> {
    #[inline(always)]
    fn classify(self, block: &[u8; 64]) -> BlockMasks {
        // SAFETY: `self` proves NEON.
        unsafe { classify(block) }
    }

    #[inline(always)]
    fn prefix_xor(self, bits: u64) -> u64 {
        if PMULL {
            // SAFETY: a `Neon<true>` proves NEON and AES/PMULL.
            unsafe { prefix_xor(bits) }
        } else {
            Portable.prefix_xor(bits)
        }
    }

    #[inline(always)]
    fn find_quote_or_backslash(self, bytes: &[u8], from: usize) -> Option<usize> {
        // SAFETY: `self` proves NEON.
        unsafe { find_quote_or_backslash(bytes, from) }
    }
}

// As in the AVX2 backend, the kernels are `#[target_feature]` functions, so
// that they are compiled for their features wherever they end up; inside
// `run` they inline.

/// Loads the 16 bytes of `bytes`.
#[inline]
#[target_feature(enable = "neon")]
fn load(bytes: &[u8; 16]) -> uint8x16_t {
    // SAFETY: reads exactly the 16 bytes of `bytes`; `vld1q_u8` needs no alignment.
    unsafe { vld1q_u8(bytes.as_ptr()) }
}

/// The bit masks of four comparison vectors (bytes 0x00 or 0xFF), vector `k`
/// in bits `16 k .. 16 k + 16`.
#[inline]
#[target_feature(enable = "neon")]
fn movemask(compared: [uint8x16_t; 4], weights: uint8x16_t) -> u64 {
    let [a, b, c, d] = compared.map(|v| vandq_u8(v, weights));
    let ab = vpaddq_u8(a, b);
    let cd = vpaddq_u8(c, d);
    let abcd = vpaddq_u8(ab, cd);
    let folded = vpaddq_u8(abcd, abcd);
    vgetq_lane_u64::<0>(vreinterpretq_u64_u8(folded))
}

/// The six comparisons of one 16-byte vector, in [`BlockMasks`] field order.
#[inline]
#[target_feature(enable = "neon")]
fn compare(bytes: uint8x16_t, low_table: uint8x16_t, high_table: uint8x16_t) -> [uint8x16_t; 6] {
    let low = vqtbl1q_u8(low_table, vandq_u8(bytes, vdupq_n_u8(0x0F)));
    let high = vqtbl1q_u8(high_table, vshrq_n_u8::<4>(bytes));
    let classes = vandq_u8(low, high);
    [
        vceqq_u8(bytes, vdupq_n_u8(b'"')),
        vceqq_u8(bytes, vdupq_n_u8(b'\\')),
        vtstq_u8(classes, vdupq_n_u8(OPERATOR_BITS)),
        vtstq_u8(classes, vdupq_n_u8(WHITESPACE_BITS)),
        vcleq_u8(bytes, vdupq_n_u8(0x1F)),
        vceqq_u8(bytes, vdupq_n_u8(b'\n')),
    ]
}

#[inline]
#[target_feature(enable = "neon")]
fn classify(block: &[u8; 64]) -> BlockMasks {
    // SAFETY: `vld1q_u8_x4` reads exactly the 64 bytes of `block`, into four
    // vectors, with no alignment requirement.
    let quarters = unsafe { vld1q_u8_x4(block.as_ptr()) };
    let (low_table, high_table) = (load(&LOW_NIBBLE), load(&HIGH_NIBBLE));
    let weights = load(&BIT_WEIGHTS);
    let q0 = compare(quarters.0, low_table, high_table);
    let q1 = compare(quarters.1, low_table, high_table);
    let q2 = compare(quarters.2, low_table, high_table);
    let q3 = compare(quarters.3, low_table, high_table);
    let mask = |field: usize| movemask([q0[field], q1[field], q2[field], q3[field]], weights);
    BlockMasks {
        quote: mask(0),
        backslash: mask(1),
        operator: mask(2),
        whitespace: mask(3),
        control: mask(4),
        newline: mask(5),
        // The largest byte of the block, from one horizontal maximum of the
        // four vectors ORed together, has its top bit set iff any byte does.
        non_ascii: u64::from(
            vmaxvq_u8(vorrq_u8(
                vorrq_u8(quarters.0, quarters.1),
                vorrq_u8(quarters.2, quarters.3),
            )) >> 7,
        ),
    }
}

#[inline]
#[target_feature(enable = "neon,aes")]
fn prefix_xor(bits: u64) -> u64 {
    vmull_p64(bits, u64::MAX) as u64
}

#[inline]
#[target_feature(enable = "neon")]
fn find_quote_or_backslash(bytes: &[u8], from: usize) -> Option<usize> {
    let (quote, backslash) = (vdupq_n_u8(b'"'), vdupq_n_u8(b'\\'));
    let mut i = from;
    while let Some(chunk) = bytes
        .get(i..i + 16)
        .and_then(|c| <&[u8; 16]>::try_from(c).ok())
    {
        let v = load(chunk);
        let hits = vorrq_u8(vceqq_u8(v, quote), vceqq_u8(v, backslash));
        // Four bits per byte: byte `k` of `hits` becomes bits `4 k .. 4 k + 4`.
        let narrowed = vshrn_n_u16::<4>(vreinterpretq_u16_u8(hits));
        let nibbles = vget_lane_u64::<0>(vreinterpret_u64_u8(narrowed));
        if nibbles != 0 {
            return Some(i + (nibbles.trailing_zeros() / 4) as usize);
        }
        i += 16;
    }
    // Fewer than 16 bytes left: the portable kernel finishes without reading
    // past the end.
    Portable.find_quote_or_backslash(bytes, i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stage1::{index, reference_index};
    use alloc::vec::Vec;

    const WITHOUT_PMULL: Neon<false> = Neon {
        _features_checked: (),
    };

    /// Both variants this machine can run (NEON is part of the target).
    fn check_kernels(mut check: impl FnMut(&dyn Fn(&[u8; 64]) -> BlockMasks, &str)) {
        check(&|b| WITHOUT_PMULL.classify(b), "neon without pmull");
        if has_pmull() {
            let with_pmull = Neon::<true> {
                _features_checked: (),
            };
            check(&|b| with_pmull.classify(b), "neon with pmull");
        }
    }

    #[test]
    fn classifies_every_byte_value_like_portable() {
        check_kernels(|classify, name| {
            crate::arch::assert_classifies_like_portable(classify, name)
        });
    }

    #[test]
    fn prefix_xor_with_and_without_pmull() {
        let samples = [
            0,
            1,
            1 << 63,
            u64::MAX,
            0x8000_0000_0000_0001,
            0x0123_4567_89AB_CDEF,
        ];
        for bits in samples
            .into_iter()
            .chain((0..64).map(|i| 0x9E37_79B9_7F4A_7C15u64.rotate_left(i)))
        {
            let expected = Portable.prefix_xor(bits);
            assert_eq!(WITHOUT_PMULL.prefix_xor(bits), expected);
            if has_pmull() {
                let with_pmull = Neon::<true> {
                    _features_checked: (),
                };
                assert_eq!(with_pmull.prefix_xor(bits), expected, "{bits:#x}");
            }
        }
    }

    #[test]
    fn finds_quote_or_backslash_like_portable() {
        for len in 0..70 {
            for at in 0..=len {
                for hit in [b'"', b'\\'] {
                    let mut bytes = vec![b'a'; len];
                    if at < len {
                        bytes[at] = hit;
                    }
                    for from in [0, 1, 15, 16, 17, at, len, len + 1] {
                        assert_eq!(
                            WITHOUT_PMULL.find_quote_or_backslash(&bytes, from),
                            Portable.find_quote_or_backslash(&bytes, from),
                            "len {len}, hit at {at}, from {from}"
                        );
                    }
                }
            }
        }
    }

    /// Stage 1 with the kernel `run` does not pick on this machine (stage 1's
    /// own tests cover the one it does).
    #[test]
    fn stage1_without_pmull_agrees_with_the_reference() {
        let mut input = Vec::new();
        for round in 0..40u8 {
            input.extend_from_slice(br#"{"a\"b": [1, "x\\", true, "\\\"", {"k":null}], "t":"#);
            input.extend(core::iter::repeat_n(b'\\', round as usize % 5));
            input.extend_from_slice(b"\"\x01 \t\n\r");
            let (expected, expected_control) = reference_index(&input, false);
            let mut got = Vec::new();
            let control = index::<_, false>(WITHOUT_PMULL, &input, &mut got).first_control;
            assert_eq!(
                (got, control),
                (expected, expected_control),
                "round {round}"
            );
            let (expected, _) = reference_index(&input, true);
            let mut got = Vec::new();
            index::<_, true>(WITHOUT_PMULL, &input, &mut got);
            assert_eq!(got, expected, "round {round}, line ends");
        }
    }
}
