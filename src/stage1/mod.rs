//! Stage 1: structural indexing.
//!
//! Finds the byte offset of every token in the input: each `{ } [ ] : ,` outside
//! strings and the first byte of every string, number and literal. It is written
//! once over [`Kernel`]; a backend only says how to classify a 64-byte block.
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
//! 5. **Line ends**, for a newline-delimited stream only: every `\n` outside
//!    strings is recorded too, so that the stream finds each line's end and
//!    tokens in the index instead of searching the bytes again (stage 2 never
//!    sees one inside a value that it accepts: a `\n` token there is an error).
//!
//! The last partial block is copied into a 64-byte stack buffer padded with
//! spaces, so no backend ever reads past the end of the input, and the caller
//! owes no padding.

use crate::arch::{Job, Kernel};
use alloc::vec::Vec;

/// State carried from one block to the next.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Carry {
    /// 1 if the first byte of the next block is escaped.
    pub(crate) escaped: u64,
    /// All ones if the next block starts inside a string, else zero.
    pub(crate) in_string: u64,
    /// 1 if the last byte of the block was a scalar byte (not a quote).
    scalar: u64,
}

impl Carry {
    /// Sets the scalar state as a block ending in `byte` leaves it, for
    /// finding the token starts of a block after skimming the blocks before
    /// it. (An escaped quote counts as a scalar byte in [`scan_block`] and as
    /// a delimiter here; it is inside a string, where no token starts, so
    /// both give the same tokens.)
    pub(crate) fn follow_byte(&mut self, byte: u8) {
        let delimits = matches!(
            byte,
            b'"' | b' ' | b'\t' | b'\n' | b'\r' | b'{' | b'}' | b'[' | b']' | b':' | b','
        );
        self.scalar = u64::from(!delimits);
    }
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
pub(crate) fn escaped_bytes(backslash: u64, carry: &mut u64) -> u64 {
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

/// Bytes scanned between two reservations of index capacity.
const CHUNK: usize = 64 * 64;

/// Index capacity with which no document of up to `document_len` bytes makes
/// the index grow: an offset per byte, plus the room reserved for one chunk.
pub(crate) fn index_capacity_for(document_len: usize) -> usize {
    document_len + CHUNK
}

/// A first estimate of the index size, to save most of the doublings of a
/// growing vector: one token per eight bytes is typical of real documents.
fn estimated_tokens(document_len: usize) -> usize {
    document_len / 8
}

/// What stage 1 finds besides the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Summary {
    /// Offset of the first unescaped control character inside a string.
    pub(crate) first_control: Option<usize>,
    /// Whether the input is valid UTF-8 (see [`Utf8Runs`]). Where it is
    /// not, the caller finds the first invalid byte again, with simdutf8's
    /// detailed check.
    pub(crate) utf8: bool,
}

/// Indexes `input` with `kernel`: appends the offset of every structural byte
/// (and, with `LINE_ENDS`, of every line feed outside strings) to `index` and
/// returns the first unescaped control character inside a string, if any,
/// and whether the input is valid UTF-8.
///
/// The caller guarantees `input.len() < 2^32` so that offsets fit a `u32`.
#[inline(always)]
pub(crate) fn index<K: Kernel, const LINE_ENDS: bool>(
    kernel: K,
    input: &[u8],
    index: &mut Vec<u32>,
) -> Summary {
    let mut scan = Scan {
        carry: Carry::default(),
        first_control: None,
    };
    let mut utf8 = Utf8Runs::new(input);
    index.reserve(estimated_tokens(input.len()));
    let mut chunks = input.chunks_exact(CHUNK);
    for (chunk_number, chunk) in (&mut chunks).enumerate() {
        let base = chunk_number * CHUNK;
        let non_ascii = scan.chunk::<K, LINE_ENDS>(kernel, chunk, base, index);
        utf8.chunk(base, non_ascii);
    }
    let rest = chunks.remainder();
    let base = input.len() - rest.len();
    let whole_blocks = rest.len() - rest.len() % 64;
    let non_ascii = scan.chunk::<K, LINE_ENDS>(kernel, &rest[..whole_blocks], base, index);
    if whole_blocks > 0 {
        utf8.chunk(base, non_ascii);
    }
    let last = &rest[whole_blocks..];
    if !last.is_empty() {
        // The last partial block: a padded copy, so no kernel reads past the
        // end of the input. Spaces end any token and change no state.
        let mut padded = [b' '; 64];
        padded[..last.len()].copy_from_slice(last);
        let base = base + whole_blocks;
        let non_ascii = scan.chunk::<K, LINE_ENDS>(kernel, &padded, base, index);
        utf8.chunk(base, non_ascii);
    }
    Summary {
        first_control: scan.first_control,
        utf8: utf8.finish(),
    }
}

/// UTF-8 validation of only the parts of the input that are not ASCII.
///
/// Stage 1 tells, for each chunk it scans, whether any byte is 0x80 or above
/// (one OR and one `movemask` per block on AVX2). Each maximal run of such
/// chunks is validated on its own, with simdutf8, when it ends. That is
/// exactly validating the whole input: the byte before a run and the byte
/// after it are ASCII, so a run starts on a character boundary and no
/// character continues past its end (a character cut off there is invalid in
/// the run as in the input). ASCII chunks need nothing.
///
/// Validating the whole input cost a pass over it: about 4% of a parse of
/// citm_catalog.json, which has non-ASCII bytes in 21 of its 422 chunks, and
/// of canada.json, which has none.
struct Utf8Runs<'a> {
    input: &'a [u8],
    /// Where the current run of non-ASCII chunks started.
    run: Option<usize>,
    valid: bool,
}

impl<'a> Utf8Runs<'a> {
    fn new(input: &'a [u8]) -> Self {
        Utf8Runs {
            input,
            run: None,
            valid: true,
        }
    }

    /// Notes the chunk that starts at `start`: `non_ascii` is nonzero iff it
    /// holds a byte of 0x80 or above. Chunks come in order, and none is empty.
    #[inline(always)]
    fn chunk(&mut self, start: usize, non_ascii: u64) {
        match (self.run, non_ascii != 0) {
            (None, true) => self.run = Some(start),
            (Some(run), false) => {
                self.check(run, start);
                self.run = None;
            }
            _ => {}
        }
    }

    /// Whether the input is valid UTF-8, once every chunk is noted.
    fn finish(mut self) -> bool {
        if let Some(run) = self.run {
            self.check(run, self.input.len());
        }
        self.valid
    }

    /// Validates `input[from..to]`. A range outside the input (which the
    /// chunk offsets never give) counts as invalid: callers take a `true`
    /// from [`finish`](Utf8Runs::finish) as leave to skip validation.
    #[cold]
    fn check(&mut self, from: usize, to: usize) {
        self.valid &= self
            .input
            .get(from..to)
            .is_some_and(|run| simdutf8::basic::from_utf8(run).is_ok());
    }
}

/// The state of a scan between chunks.
struct Scan {
    carry: Carry,
    first_control: Option<usize>,
}

impl Scan {
    /// Scans `chunk`, whole 64-byte blocks starting at input offset `base`,
    /// appending to `index`; returns a value that is nonzero iff a byte of
    /// the chunk is 0x80 or above.
    #[inline(always)]
    fn chunk<K: Kernel, const LINE_ENDS: bool>(
        &mut self,
        kernel: K,
        chunk: &[u8],
        base: usize,
        index: &mut Vec<u32>,
    ) -> u64 {
        // Room for one offset per byte: a block writes at most 64 offsets.
        index.reserve(chunk.len());
        let spare = &mut index.spare_capacity_mut()[..chunk.len()];
        let mut written = 0;
        let mut non_ascii = 0;
        for (block_number, block) in chunk.chunks_exact(64).enumerate() {
            let block: &[u8; 64] = block.try_into().unwrap_or(&[b' '; 64]);
            let block_base = base + block_number * 64;
            let masks = scan_block::<K, LINE_ENDS>(kernel, block, &mut self.carry);
            let slots = spare[written..]
                .first_chunk_mut::<64>()
                .expect("room for one offset per byte");
            written += kernel.write_offsets(slots, block_base as u32, masks.structural);
            if masks.control != 0 {
                self.note_control(block_base, masks.control);
            }
            non_ascii |= masks.non_ascii;
        }
        let len = index.len();
        // SAFETY: `write_offsets` initialized the first `written` slots of the
        // spare capacity, which starts at `len`.
        unsafe { index.set_len(len + written) };
        non_ascii
    }

    /// Records the first control character inside a string; rare, so kept out
    /// of the block loop.
    #[cold]
    fn note_control(&mut self, block_base: usize, control: u64) {
        if self.first_control.is_none() {
            self.first_control = Some(block_base + control.trailing_zeros() as usize);
        }
    }
}

/// Stage 1 alone, as a [`Job`]: for a stream's regions, and for the tests and
/// benchmarks that compare backends on stage 1 only.
pub(crate) struct IndexJob<'a> {
    pub(crate) input: &'a [u8],
    pub(crate) index: &'a mut Vec<u32>,
    /// Whether to record line feeds outside strings too (see [`index`]).
    pub(crate) line_ends: bool,
}

impl Job for IndexJob<'_> {
    type Output = Summary;

    #[inline(always)]
    fn run<K: Kernel>(self, kernel: K) -> Summary {
        if self.line_ends {
            index::<K, true>(kernel, self.input, self.index)
        } else {
            index::<K, false>(kernel, self.input, self.index)
        }
    }
}

/// What one block contributes.
pub(crate) struct ScannedBlock {
    /// Bytes that start a token.
    pub(crate) structural: u64,
    /// Control characters inside strings.
    pub(crate) control: u64,
    /// Bytes inside strings, from an opening quote up to, not including, its
    /// closing quote (unused by stage 1; the on-demand walk masks brackets with it).
    pub(crate) in_string: u64,
    /// Nonzero iff the block holds a byte of 0x80 or above (see
    /// [`BlockMasks::non_ascii`](crate::arch::BlockMasks)).
    pub(crate) non_ascii: u64,
}

/// Classifies one block and finds its token starts (with `LINE_ENDS`, its line
/// feeds outside strings too), given the state carried from the previous
/// block (which it updates).
#[inline(always)]
pub(crate) fn scan_block<K: Kernel, const LINE_ENDS: bool>(
    kernel: K,
    block: &[u8; 64],
    carry: &mut Carry,
) -> ScannedBlock {
    let masks = kernel.classify(block);
    let escaped = if masks.backslash | carry.escaped == 0 {
        0 // the common case: no backslash anywhere near
    } else {
        escaped_bytes(masks.backslash, &mut carry.escaped)
    };
    let quote = masks.quote & !escaped;
    let in_string = kernel.prefix_xor(quote) ^ carry.in_string;
    carry.in_string = ((in_string as i64) >> 63) as u64;
    // Inside a string, not counting the opening quote but counting the closing one.
    let string_tail = in_string ^ quote;

    let scalar = !(masks.operator | masks.whitespace);
    let nonquote_scalar = scalar & !quote;
    let follows_scalar = (nonquote_scalar << 1) | carry.scalar;
    carry.scalar = nonquote_scalar >> 63;
    let token_starts = masks.operator | (scalar & !follows_scalar);
    let line_ends = if LINE_ENDS {
        masks.newline & !in_string
    } else {
        0
    };
    ScannedBlock {
        structural: (token_starts & !string_tail) | line_ends,
        control: masks.control & in_string,
        in_string,
        non_ascii: masks.non_ascii,
    }
}

/// A byte-at-a-time statement of what stage 1 computes, for tests: the
/// structural offsets (with `line_ends`, and the line feeds outside strings)
/// and the first control character inside a string.
#[cfg(test)]
pub(crate) fn reference_index(input: &[u8], line_ends: bool) -> (Vec<u32>, Option<usize>) {
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
        if is_operator || (is_scalar && !after_scalar) || (line_ends && b == b'\n') {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arch::{Backend, Supported, dispatch};

    fn supported() -> impl Iterator<Item = Supported> {
        Backend::ALL
            .into_iter()
            .filter(|b| b.is_supported())
            .map(|b| Supported::resolve(Some(b)))
    }

    /// Every supported backend agrees with the byte-at-a-time reference.
    fn check(input: &[u8]) {
        for line_ends in [false, true] {
            let (expected, expected_control) = reference_index(input, line_ends);
            for backend in supported() {
                let mut got = Vec::new();
                let summary = dispatch(
                    backend,
                    IndexJob {
                        input,
                        index: &mut got,
                        line_ends,
                    },
                );
                let shown = String::from_utf8_lossy(input);
                assert_eq!(
                    got, expected,
                    "{backend:?} index of {shown:?} ({line_ends})"
                );
                assert_eq!(
                    summary,
                    Summary {
                        first_control: expected_control,
                        utf8: core::str::from_utf8(input).is_ok(),
                    },
                    "{backend:?} control and UTF-8 check of {shown:?}"
                );
            }
        }
    }

    fn index_of(input: &[u8]) -> (Vec<u32>, Option<usize>) {
        check(input);
        reference_index(input, false)
    }

    #[test]
    fn indexes_tokens() {
        let (got, _) = index_of(br#"{"a": [1, true, "x\"]"], "b":null}"#);
        assert_eq!(got, [0, 1, 4, 6, 7, 8, 10, 14, 16, 22, 23, 25, 28, 29, 33]);
        check(b"");
        check(b"   ");
        check(b"1\"x\"");
        let lines = b"[1,\n2]\n\n\"a\\n\"\r\n";
        check(lines);
        assert_eq!(
            reference_index(lines, true).0,
            [0, 1, 2, 3, 4, 5, 6, 7, 8, 14]
        );
    }

    #[test]
    fn backslash_runs_across_block_boundaries() {
        for run in 0..8 {
            for start in 50..70 {
                let mut input = vec![b' '; start];
                input[0] = b'"';
                input.extend(core::iter::repeat_n(b'\\', run));
                input.extend_from_slice(b"\"], [1, \"x\"] \x01 \"");
                check(&input);
            }
        }
    }

    #[test]
    fn control_characters_inside_strings_only() {
        check(b"[\"a\x01b\"]");
        check(b"[\n\t1]");
        assert_eq!(index_of(b"[\"ab\tc\"]").1, Some(4));
        assert_eq!(index_of(b"[\"ab\\\tc\"]").1, Some(5));
        assert_eq!(index_of(b"[\n1]").1, None);
    }

    #[test]
    fn every_byte_value_is_classified_alike() {
        for b in 0..=255u8 {
            for at in [0, 31, 32, 63] {
                let mut outside = vec![b'a'; 64];
                outside[at] = b;
                check(&outside);
                let mut inside = vec![b'x'; 64];
                inside[0] = b'"';
                inside[at.max(1)] = b;
                check(&inside);
            }
        }
    }

    #[test]
    fn utf8_runs_across_chunk_boundaries() {
        // Whole characters, characters cut short, and a stray continuation
        // byte, placed across the chunk boundaries and at the very end.
        let pieces: [&[u8]; 6] = [
            "é".as_bytes(),
            "日".as_bytes(),
            "😀".as_bytes(),
            b"\xe6\x97",
            b"\x80",
            b"\xf0\x9f\x98",
        ];
        for piece in pieces {
            for boundary in [CHUNK, 2 * CHUNK] {
                for at in boundary - 4..boundary + 2 {
                    let mut input = vec![b'a'; 2 * CHUNK + 100];
                    input[at..at + piece.len()].copy_from_slice(piece);
                    check(&input);
                    // With a second run, valid, after an ASCII chunk.
                    input[2 * CHUNK + 50..2 * CHUNK + 52].copy_from_slice("é".as_bytes());
                    check(&input);
                }
            }
            for len in [CHUNK - 1, CHUNK + 10, 2 * CHUNK + 64] {
                let mut input = vec![b'a'; len];
                input.extend_from_slice(piece);
                check(&input);
            }
        }
    }

    proptest::proptest! {
        /// Random inputs built from the bytes that matter to stage 1, so that
        /// quotes, backslash runs and control characters land on every block
        /// boundary, agree with the byte-at-a-time reference.
        #[test]
        fn agrees_with_the_reference(input in proptest::collection::vec(
            proptest::sample::select(b"\"\\{}[]:, \t\n\ra1-\x01\x1f\x7f\xc3\xa9".to_vec()), 0..300)
        ) {
            check(&input);
        }
    }
}
