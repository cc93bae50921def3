//! The portable backend: eight bytes at a time with 64-bit integer arithmetic
//! (SWAR), on any target. It is the fallback where no SIMD backend applies, and
//! the reference every SIMD backend is tested against.

use super::{BlockMasks, Kernel};

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
