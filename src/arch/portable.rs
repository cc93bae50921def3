//! The portable backend: eight bytes at a time with 64-bit integer arithmetic
//! (SWAR), on any target. It is the fallback where no SIMD backend applies, and
//! the reference every SIMD backend is tested against.

use super::{BlockMasks, Kernel};
use alloc::vec::Vec;
use core::mem::MaybeUninit;

/// The portable kernel.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Portable;

const LSB: u64 = 0x0101_0101_0101_0101;
const MSB: u64 = 0x8080_8080_8080_8080;

/// High bit of each byte of `word` set where the byte equals `byte`.
///
/// Exact per byte: `(x & 0x7f) + 0x7f` reaches bit 7 iff the low seven bits are
/// non-zero, and can never carry into the next byte.
#[inline(always)]
fn equal(word: u64, byte: u8) -> u64 {
    let x = word ^ (LSB * byte as u64);
    !(((x & !MSB) + !MSB) | x) & MSB
}

/// High bit of each byte of `word` set where the byte is below 0x20.
#[inline(always)]
fn below_0x20(word: u64) -> u64 {
    // (b & 0x7f) + 0x60 reaches bit 7 iff (b & 0x7f) >= 0x20; no cross-byte carry.
    let at_least = ((word & !MSB) + LSB * 0x60) | word;
    !at_least & MSB
}

/// Gathers the high bit of each byte into the low 8 bits (byte `i` to bit `i`).
#[inline(always)]
fn movemask(high_bits: u64) -> u64 {
    // Each 0x01 byte, multiplied by this constant, lands its bit at 56 + i; no
    // two partial products share a bit, so nothing carries.
    ((high_bits >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// Writes the byte offsets of the set bits of `bits` (offsets in the block at
/// `base`) to the start of `slots` and returns how many there are.
///
/// Offsets are written eight at a time whether or not that many bits are left:
/// a loop whose trip count is the number of set bits mispredicts once per
/// block, while this one usually runs one or two rounds. Slots past the count
/// hold garbage that the next block overwrites.
///
/// The stores are volatile only to keep LLVM from vectorizing each round into
/// eight `vpinsrd`s: that version holds eight registers live, which spills the
/// block loop's state to the stack, and runs about 7% more instructions in
/// stage 1 than plain scalar stores (a volatile store of a `u32` is one `mov`).
#[inline(always)]
pub(crate) fn write_offsets(slots: &mut [MaybeUninit<u32>; 64], base: u32, mut bits: u64) -> usize {
    let count = bits.count_ones() as usize;
    for round in slots.chunks_exact_mut(8).take(count.div_ceil(8)) {
        for slot in round {
            let offset = base.wrapping_add(bits.trailing_zeros());
            // SAFETY: `slot` is a valid, exclusive reference to a `u32` slot.
            unsafe { core::ptr::write_volatile(slot.as_mut_ptr(), offset) };
            bits &= bits.wrapping_sub(1);
        }
    }
    count
}

/// The leading run of ASCII digits of `bytes` (the first byte is the most
/// significant digit): its value and its length, 0 to 16. SWAR, eight bytes
/// at a time; [`Kernel::leading_digits`] for targets without a SIMD version.
#[inline(always)]
pub(crate) fn leading_digits(bytes: &[u8; 16]) -> (u64, usize) {
    let (first, second) = bytes.split_at(8);
    let first = u64::from_le_bytes(first.try_into().unwrap_or([0; 8]));
    let count = digit_count(first);
    if count < 8 {
        return (value_of_leading_digits(first, count), count);
    }
    let second = u64::from_le_bytes(second.try_into().unwrap_or([0; 8]));
    let more = digit_count(second);
    let value = eight_digit_value(first)
        .wrapping_mul(POWERS_OF_TEN[more])
        .wrapping_add(value_of_leading_digits(second, more));
    (value, 8 + more)
}

/// 10^0 to 10^19 (every power of ten a `u64` holds): scales a value by the
/// number of digits that follow it.
pub(crate) const POWERS_OF_TEN: [u64; 20] = {
    let mut powers = [1u64; 20];
    let mut i = 1;
    while i < powers.len() {
        powers[i] = powers[i - 1] * 10;
        i += 1;
    }
    powers
};

/// How many of the eight bytes of `word` (first byte lowest) are ASCII digits
/// before the first non-digit.
///
/// A byte is a digit iff its high nibble is 3 and adding 6 keeps it 3. The
/// addition can carry into the next byte only from a byte of 0xFA or more,
/// which is a non-digit, so every byte up to the first non-digit is judged
/// exactly.
#[inline(always)]
fn digit_count(word: u64) -> usize {
    const HIGH_NIBBLES: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    let high = word & HIGH_NIBBLES;
    let high_after_adding_six = (word.wrapping_add(LSB * 6) & HIGH_NIBBLES) >> 4;
    let not_digits = (high | high_after_adding_six) ^ (LSB * 0x33);
    (not_digits.trailing_zeros() / 8) as usize
}

/// The value of the first `count` (below 8) bytes of `word`, all digits.
#[inline(always)]
fn value_of_leading_digits(word: u64, count: usize) -> u64 {
    if count == 0 {
        return 0;
    }
    // Move the digits to the top bytes (the end of the number) and fill the
    // bytes in front with '0'.
    let shift = 8 * (8 - count);
    let ascii_zeros = LSB * u64::from(b'0');
    eight_digit_value((word << shift) | (ascii_zeros & ((1 << shift) - 1)))
}

/// The value of eight ASCII digits (first byte lowest, most significant).
///
/// Each step multiplies adjacent pairs together (digits into two-digit
/// numbers, then four, then eight), one multiplication per step, the partial
/// products landing in disjoint bits.
#[inline(always)]
fn eight_digit_value(word: u64) -> u64 {
    let v = (word & 0x0F0F_0F0F_0F0F_0F0F).wrapping_mul(2561) >> 8;
    let v = (v & 0x00FF_00FF_00FF_00FF).wrapping_mul(6_553_601) >> 16;
    (v & 0x0000_FFFF_0000_FFFF).wrapping_mul(42_949_672_960_001) >> 32
}

/// High bit of each byte of `word` set where the byte must be escaped.
#[inline(always)]
fn needs_escape(word: u64) -> u64 {
    equal(word, b'"') | equal(word, b'\\') | below_0x20(word)
}

/// Appends `rest`, shorter than 16 bytes, to `out` up to its first byte that
/// a JSON string must escape, and returns that byte's offset; `None` once
/// all is copied. Most strings in JSON are this short (keys, ids, names):
/// from 4 bytes on, two overlapping words are tested and, if clean, stored
/// as two overlapping words, with no loop and no call to `memcpy`.
#[inline]
pub(crate) fn copy_short_until_escape(out: &mut Vec<u8>, rest: &[u8]) -> Option<usize> {
    // From 16 bytes on, the two words would leave bytes in the middle out.
    debug_assert!(rest.len() < 16);
    let len = rest.len();
    let start = out.len();
    if len >= 8 {
        let word = |chunk: &[u8]| u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let (first, last) = (word(&rest[..8]), word(&rest[len - 8..]));
        if needs_escape(first) | needs_escape(last) == 0 {
            out.extend_from_slice(&first.to_le_bytes());
            out.truncate(start + len - 8);
            out.extend_from_slice(&last.to_le_bytes());
            return None;
        }
    } else if len >= 4 {
        let half = |chunk: &[u8]| u32::from_le_bytes(chunk.try_into().unwrap_or([0; 4]));
        let (first, last) = (half(&rest[..4]), half(&rest[len - 4..]));
        if needs_escape(u64::from(first) | u64::from(last) << 32) == 0 {
            out.extend_from_slice(&first.to_le_bytes());
            out.truncate(start + len - 4);
            out.extend_from_slice(&last.to_le_bytes());
            return None;
        }
    }
    // Fewer than 4 bytes, or an escape somewhere: find it.
    let hit = first_escape_byte(rest);
    out.extend_from_slice(&rest[..hit.unwrap_or(len)]);
    hit
}

/// Offset of the first byte of `bytes` that a JSON string must escape, one
/// byte at a time: for the few bytes too short for a word.
#[inline(always)]
fn first_escape_byte(bytes: &[u8]) -> Option<usize> {
    bytes
        .iter()
        .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

/// Offset of the first byte of `bytes` that a JSON string must escape (`"`,
/// `\\`, or below 0x20), eight bytes at a time (SWAR). The writer's scan
/// where no SIMD version applies, and the SIMD versions' scan of strings
/// shorter than their vectors.
#[inline]
pub(crate) fn find_escape(bytes: &[u8]) -> Option<usize> {
    let first_hit = |at: usize, hits: u64| Some(at + (hits.trailing_zeros() / 8) as usize);
    let word = |chunk: &[u8]| u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
    let len = bytes.len();
    if len < 8 {
        return first_escape_byte(bytes);
    }
    let mut at = 0;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let hits = needs_escape(word(chunk));
        if hits != 0 {
            return first_hit(at, hits);
        }
        at += 8;
    }
    if at == len {
        return None;
    }
    // The last 1 to 7 bytes: test the last eight, overlapping bytes already
    // tested, and ignore those.
    let last = len - 8;
    let hits = needs_escape(word(&bytes[last..])) >> (8 * (at - last));
    if hits != 0 {
        return first_hit(at, hits);
    }
    None
}

impl Kernel for Portable {
    #[inline(always)]
    fn classify(self, block: &[u8; 64]) -> BlockMasks {
        let mut masks = BlockMasks::default();
        for (i, chunk) in block.chunks_exact(8).enumerate() {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
            // Setting bit 5 maps `[` `]` onto `{` `}`, leaves `:` and `,` alone,
            // and maps no other byte onto one of the four.
            let folded = word | (LSB * 0x20);
            let operator =
                equal(folded, b'{') | equal(folded, b'}') | equal(word, b':') | equal(word, b',');
            let whitespace =
                equal(word, b' ') | equal(word, b'\t') | equal(word, b'\n') | equal(word, b'\r');
            let shift = 8 * i;
            masks.quote |= movemask(equal(word, b'"')) << shift;
            masks.backslash |= movemask(equal(word, b'\\')) << shift;
            masks.operator |= movemask(operator) << shift;
            masks.whitespace |= movemask(whitespace) << shift;
            masks.control |= movemask(below_0x20(word)) << shift;
            masks.newline |= movemask(equal(word, b'\n')) << shift;
            masks.non_ascii |= word & MSB;
        }
        masks
    }

    #[inline(always)]
    fn find_quote_or_backslash(self, bytes: &[u8], from: usize) -> Option<usize> {
        let mut i = from;
        while let Some(chunk) = bytes.get(i..i + 8) {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
            let hits = equal(word, b'"') | equal(word, b'\\');
            if hits != 0 {
                return Some(i + (hits.trailing_zeros() / 8) as usize);
            }
            i += 8;
        }
        let tail = bytes.get(i..)?;
        tail.iter()
            .position(|&b| b == b'"' || b == b'\\')
            .map(|p| i + p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    /// The first byte to escape, one byte at a time.
    fn first_escape(bytes: &[u8]) -> Option<usize> {
        bytes
            .iter()
            .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
    }

    #[test]
    fn short_copy_stops_at_the_first_escape_for_every_length_and_position() {
        for len in 0..16 {
            for at in (0..len).map(Some).chain([None]) {
                for special in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
                    let mut bytes: Vec<u8> = (0..len as u8).map(|i| b'a' + i).collect();
                    if let Some(at) = at {
                        bytes[at] = special;
                        // A second escape later must not hide the first.
                        if at + 2 < len {
                            bytes[at + 2] = b'"';
                        }
                    }
                    let mut out = b"prefix".to_vec();
                    let hit = copy_short_until_escape(&mut out, &bytes);
                    assert_eq!(
                        hit,
                        first_escape(&bytes),
                        "len {len}, {special:#x} at {at:?}"
                    );
                    assert_eq!(
                        out[6..],
                        bytes[..hit.unwrap_or(len)],
                        "len {len}, at {at:?}"
                    );
                    assert_eq!(find_escape(&bytes), hit);
                }
            }
        }
        let plain = vec![0xe9; 15];
        assert_eq!(find_escape(&plain), None);
    }

    #[test]
    fn word_scan_finds_the_first_escape_at_every_position() {
        for len in 0..80 {
            for at in (0..len).map(Some).chain([None]) {
                for special in [b'"', b'\\', 0x00, 0x1f] {
                    let mut bytes: Vec<u8> =
                        (0..len).map(|i| [b'a', 0x7f, 0x80, 0xff][i % 4]).collect();
                    if let Some(at) = at {
                        bytes[at] = special;
                    }
                    assert_eq!(
                        find_escape(&bytes),
                        first_escape(&bytes),
                        "len {len}, at {at:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn digit_count_stops_at_every_non_digit() {
        for b in 0..=255u8 {
            let mut word = *b"12345678";
            word[3] = b;
            let expected = if b.is_ascii_digit() { 8 } else { 3 };
            assert_eq!(
                digit_count(u64::from_le_bytes(word)),
                expected,
                "byte {b:#x}"
            );
        }
    }

    #[test]
    fn classifies_every_byte_value() {
        for b in 0..=255u8 {
            let mut block = [b'a'; 64];
            for at in [0, 7, 8, 63] {
                block[at] = b;
                let m = Portable.classify(&block);
                let bit = 1u64 << at;
                let expect = |yes: bool| if yes { bit } else { 0 };
                assert_eq!(m.quote, expect(b == b'"'), "byte {b:#x}");
                assert_eq!(m.backslash, expect(b == b'\\'), "byte {b:#x}");
                assert_eq!(m.operator, expect(b"{}[]:,".contains(&b)), "byte {b:#x}");
                assert_eq!(m.whitespace, expect(b" \t\n\r".contains(&b)), "byte {b:#x}");
                assert_eq!(m.control, expect(b < 0x20), "byte {b:#x}");
                block[at] = b'a';
            }
        }
    }
}
