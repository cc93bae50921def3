//! The stage 1 algorithm, written once over [`Classifier`].
//!
//! The input is cut into 64-byte blocks. A backend classifies each block into
//! bit masks (bit `i` describes byte `i`); everything after that is plain
//! 64-bit integer arithmetic, identical for every backend:
//!
//! 1. **Escapes.** A byte is escaped when an odd-length run of backslashes ends
//!    just before it. [`escaped_bytes`] finds them for all 64 bytes at once
//!    with one addition, carrying a run that crosses into the next block.
//! 2. **Strings.** Unescaped quotes toggle "inside a string"; the prefix XOR of
//!    the quote mask (bit `i` = XOR of bits `0..=i`) is therefore exactly the
//!    set of bytes from an opening quote up to, not including, its closing
//!    quote. The state carries to the next block as all-zeros or all-ones.
//! 3. **Structurals.** Outside strings, every operator `{ } [ ] : ,` is a
//!    token, and so is the first byte of every run of scalar bytes (anything
//!    but whitespace and operators): the start of a number, literal or string.
//!    A quote that directly follows a scalar byte does not start a token, so
//!    stage 2 sees `1"x"` as the malformed number it is.
//! 4. **Control characters** inside strings are recorded (the first one) so
//!    that stage 2 can reject them without looking at string bytes again.
//!
//! The last partial block is copied into a 64-byte stack buffer padded with
//! spaces, so no backend ever reads past the end of the input, and the caller
//! owes no padding.

use alloc::vec::Vec;

/// One 64-byte block classified into bit masks; bit `i` is byte `i`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct BlockMasks {
    /// `"`
    pub(crate) quote: u64,
    /// `\`
    pub(crate) backslash: u64,
    /// `{ } [ ] : ,`
    pub(crate) operator: u64,
    /// space, tab, line feed, carriage return
    pub(crate) whitespace: u64,
    /// bytes below 0x20
    pub(crate) control: u64,
}

impl BlockMasks {
    /// Combines the masks of two adjacent pieces of a block, `other` starting
    /// at byte `shift` (for backends whose vectors are narrower than 64 bytes).
    #[inline(always)]
    pub(crate) fn join(self, other: BlockMasks, shift: u32) -> BlockMasks {
        BlockMasks {
            quote: self.quote | other.quote << shift,
            backslash: self.backslash | other.backslash << shift,
            operator: self.operator | other.operator << shift,
            whitespace: self.whitespace | other.whitespace << shift,
            control: self.control | other.control << shift,
        }
    }
}

/// What a stage 1 backend provides: classification of a block, and the prefix
/// XOR (which a carry-less multiply does in one instruction where available).
///
/// # Safety
///
/// Both methods may use CPU features the backend is named for: callers must
/// only call them (directly, or through [`index_with`]) where those features
/// are available. The portable backend needs none.
pub(crate) trait Classifier {
    /// Classifies 64 bytes.
    ///
    /// # Safety
    ///
    /// The backend's CPU features must be available.
    unsafe fn classify(block: &[u8; 64]) -> BlockMasks;

    /// Bit `i` of the result is the XOR of bits `0..=i` of `bits`.
    ///
    /// # Safety
    ///
    /// The backend's CPU features must be available.
    #[inline(always)]
    unsafe fn prefix_xor(bits: u64) -> u64 {
        let mut x = bits;
        x ^= x << 1;
        x ^= x << 2;
        x ^= x << 4;
        x ^= x << 8;
        x ^= x << 16;
        x ^= x << 32;
        x
    }
}

/// State carried from one block to the next.
#[derive(Debug, Default)]
struct Carry {
    /// 1 if the first byte of the next block is escaped.
    escaped: u64,
    /// All ones if the next block starts inside a string, else zero.
    in_string: u64,
    /// 1 if the last byte of the block was a scalar byte (not a quote).
    scalar: u64,
}

/// The escaped bytes of a block, given its backslash mask.
///
/// A run of backslashes starting at an even bit escapes the odd bits after it,
/// and one starting at an odd bit escapes the even bits. Adding the run's start
/// bit to the run (for odd starts only) carries through the whole run and
/// lands just past it, which turns "where did each run start" into a mask
/// that can be XORed with the alternating pattern. A carry out of bit 63 is an
/// odd run that reaches the next block: its first byte is escaped.
#[inline(always)]
fn escaped_bytes(backslash: u64, carry: &mut u64) -> u64 {
    const EVEN: u64 = 0x5555_5555_5555_5555;
    // A backslash that is itself escaped cannot start a run.
    let backslash = backslash & !*carry;
    let follows_backslash = (backslash << 1) | *carry;
    let run_starts = backslash & !(backslash << 1);
    let odd_starts = run_starts & !EVEN;
    let (after_odd_runs, overflow) = odd_starts.overflowing_add(backslash);
    *carry = overflow as u64;
    // Bits of runs that start even, plus the first bit past each odd run; shifted,
    // they flip the alternating pattern exactly inside runs that started even.
    let flip = after_odd_runs << 1;
    (EVEN ^ flip) & follows_backslash
}

/// Appends the byte offsets of the set bits of `bits` (offsets of the block at
/// `base`) to `index`.
///
/// Offsets are written eight at a time whether or not that many bits are left:
/// a loop whose trip count is the number of set bits mispredicts once per
/// block, while this one usually runs one or two rounds. The extra slots hold
/// garbage beyond the new length and are overwritten by the next block.
#[inline(always)]
fn push_offsets(index: &mut Vec<u32>, base: u32, mut bits: u64) {
    let count = bits.count_ones() as usize;
    index.reserve(64);
    let len = index.len();
    let rounds = count.div_ceil(8);
    for chunk in index.spare_capacity_mut()[..64]
        .chunks_exact_mut(8)
        .take(rounds)
    {
        for slot in chunk {
            slot.write(base.wrapping_add(bits.trailing_zeros()));
            bits &= bits.wrapping_sub(1);
        }
    }
    // SAFETY: the first `count` spare slots after `len` were initialized above
    // (`rounds * 8 >= count`), and `reserve(64)` made room for all of them.
    unsafe { index.set_len(len + count) };
}

/// Indexes `input` with the classifier `C`: appends the offset of every
/// structural byte to `index` and returns the offset of the first unescaped
/// control character inside a string, if any.
///
/// The caller guarantees `input.len() < 2^32` so that offsets fit a `u32`.
///
/// # Safety
///
/// The CPU features of backend `C` must be available.
#[inline(always)]
pub(crate) unsafe fn index_with<C: Classifier>(
    input: &[u8],
    index: &mut Vec<u32>,
) -> Option<usize> {
    let mut carry = Carry::default();
    let mut first_control: Option<usize> = None;
    let mut blocks = input.chunks_exact(64);
    let mut base = 0usize;
    for block in blocks.by_ref() {
        let block: &[u8; 64] = block.try_into().unwrap_or(&[b' '; 64]);
        // SAFETY: forwarded from this function's contract.
        unsafe { scan_block::<C>(block, base, &mut carry, index, &mut first_control) };
        base += 64;
    }
    let tail = blocks.remainder();
    if !tail.is_empty() {
        let mut padded = [b' '; 64];
        padded[..tail.len()].copy_from_slice(tail);
        // SAFETY: forwarded from this function's contract.
        unsafe { scan_block::<C>(&padded, base, &mut carry, index, &mut first_control) };
    }
    first_control
}

/// # Safety
///
/// The CPU features of backend `C` must be available.
#[inline(always)]
unsafe fn scan_block<C: Classifier>(
    block: &[u8; 64],
    base: usize,
    carry: &mut Carry,
    index: &mut Vec<u32>,
    first_control: &mut Option<usize>,
) {
    // SAFETY: forwarded from this function's contract.
    let masks = unsafe { C::classify(block) };
    let escaped = if masks.backslash | carry.escaped == 0 {
        0 // the common case: no backslash anywhere near
    } else {
        escaped_bytes(masks.backslash, &mut carry.escaped)
    };
    let quote = masks.quote & !escaped;
    // SAFETY: forwarded from this function's contract.
    let in_string = unsafe { C::prefix_xor(quote) } ^ carry.in_string;
    carry.in_string = ((in_string as i64) >> 63) as u64;
    // Inside a string, not counting the opening quote but counting the closing one.
    let string_tail = in_string ^ quote;

    let scalar = !(masks.operator | masks.whitespace);
    let nonquote_scalar = scalar & !quote;
    let follows_scalar = (nonquote_scalar << 1) | carry.scalar;
    carry.scalar = nonquote_scalar >> 63;
    let token_starts = masks.operator | (scalar & !follows_scalar);
    push_offsets(index, base as u32, token_starts & !string_tail);

    let control = masks.control & in_string;
    if control != 0 && first_control.is_none() {
        *first_control = Some(base + control.trailing_zeros() as usize);
    }
}

/// A byte-at-a-time statement of what stage 1 computes, for tests: the
/// structural offsets and the first control character inside a string.
#[cfg(test)]
pub(crate) fn reference_index(input: &[u8]) -> (Vec<u32>, Option<usize>) {
    let mut index = Vec::new();
    let mut first_control = None;
    let (mut in_string, mut escaped, mut after_scalar) = (false, false, false);
    for (i, &b) in input.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            if b < 0x20 && in_string && first_control.is_none() {
                first_control = Some(i);
            }
            continue;
        }
        let is_operator = matches!(b, b'{' | b'}' | b'[' | b']' | b':' | b',');
        let is_whitespace = matches!(b, b' ' | b'\t' | b'\n' | b'\r');
        let is_scalar = !is_operator && !is_whitespace;
        let unescaped_quote = b == b'"' && !escaped;
        if is_operator || (is_scalar && !after_scalar) {
            index.push(i as u32);
        }
        if unescaped_quote {
            in_string = true;
            after_scalar = false;
        } else {
            after_scalar = is_scalar;
        }
        // Outside strings a backslash still escapes the next byte (which stage 2
        // then rejects); only an escaped quote changes the outcome.
        escaped = b == b'\\' && !escaped;
    }
    (index, first_control)
}
