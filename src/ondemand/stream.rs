//! Stage 1, lazily: the token starts of the input one 64-byte block at a time,
//! and a bracket-counting skip that crosses whole blocks without looking at
//! their tokens.
//!
//! A block the walk reads is scanned exactly as stage 1 scans it
//! ([`scan_block`]): its token starts come out one at a time, and the block
//! also keeps its brackets outside strings. Skipping a container from there
//! counts those brackets, then continues block by block with a leaner scan
//! that only pairs quotes (carrying the in-string and escape state from block
//! to block, as stage 1 does) and counts brackets: a block whose closing
//! brackets cannot bring the depth to zero costs two popcounts. Only the block
//! where the container ends is scanned again for its token starts, and the
//! walk goes on from there.
//!
//! The last partial block is copied into a buffer padded with spaces, as in
//! stage 1, so nothing reads past the end of the input.

use crate::arch::Kernel;
use crate::error::ErrorKind;
use crate::stage1::{Carry, ScannedBlock, escaped_bytes, scan_block};
use crate::stage2::{is_delimiter, string};

/// An error kind with the input offset it applies to.
pub(super) type Fault = (ErrorKind, usize);

/// A padded block: spaces end any token and change no state.
const SPACES: [u8; 64] = [b' '; 64];

/// The token stream of an input, classified block by block on demand.
pub(super) struct Stream<'a, K> {
    kernel: K,
    input: &'a [u8],
    /// Offset of the block after the current one (the current block starts
    /// 64 bytes before it; there is none while this is 0).
    next_block: usize,
    /// Token starts of the current block not yet taken.
    tokens: u64,
    /// `{` and `[` outside strings in the current block.
    open: u64,
    /// `}` and `]` outside strings in the current block.
    close: u64,
    /// Opening quotes of strings in the current block.
    strings: u64,
    /// Offset of the last token taken or skipped to: always in the current
    /// block, and never inside a string.
    last: usize,
    /// The state at the start of the block at `next_block`.
    carry: Carry,
}

impl<'a, K: Kernel> Stream<'a, K> {
    #[inline(always)]
    pub(super) fn new(kernel: K, input: &'a [u8]) -> Stream<'a, K> {
        Stream {
            kernel,
            input,
            next_block: 0,
            tokens: 0,
            open: 0,
            close: 0,
            strings: 0,
            last: 0,
            carry: Carry::default(),
        }
    }

    /// Offset of the next token, or `None` at the end of the input.
    #[inline(always)]
    pub(super) fn next_token(&mut self) -> Option<usize> {
        while self.tokens == 0 {
            if self.next_block >= self.input.len() {
                return None;
            }
            self.load_next();
        }
        let at = self.next_block - 64 + self.tokens.trailing_zeros() as usize;
        self.tokens &= self.tokens - 1;
        self.last = at;
        Some(at)
    }

    /// Whether the blocks scanned so far end inside a string (after the last
    /// token: at the end of the input).
    #[inline(always)]
    pub(super) fn ends_in_string(&self) -> bool {
        self.carry.in_string != 0
    }

    /// Scans the block at `next_block` for its tokens and brackets.
    #[inline(always)]
    fn load_next(&mut self) {
        let offset = self.next_block;
        match self.input.get(offset..offset + 64) {
            Some(block) => self.load(offset, block.try_into().unwrap_or(&SPACES)),
            None => self.load(offset, &padded(self.input.get(offset..).unwrap_or(&[]))),
        }
    }

    /// Makes `block`, at `offset`, the current block; `carry` must be the
    /// state at its start.
    #[inline(always)]
    fn load(&mut self, offset: usize, block: &[u8; 64]) {
        let ScannedBlock {
            structural,
            in_string,
            ..
        } = scan_block::<K, false>(self.kernel, block, &mut self.carry);
        let (open, close) = brackets(self.kernel, block);
        self.tokens = structural;
        self.open = open & !in_string;
        self.close = close & !in_string;
        // A string's token is its opening quote, the one token inside it.
        self.strings = structural & in_string;
        self.next_block = offset + 64;
    }

    /// Skips to the bracket that closes the container the last token is in
    /// (or opens): counting from just after the last token at depth 1, the
    /// first `}` or `]` outside strings that brings the depth to 0. Returns
    /// its offset; the next token is the one after it.
    ///
    /// Only brackets outside strings are counted, both kinds alike; nothing
    /// else between is looked at.
    #[inline(always)]
    pub(super) fn skip_to_close(&mut self) -> Result<usize, Fault> {
        let base = self.next_block.wrapping_sub(64);
        let after = bits_after(self.last.wrapping_sub(base));
        let mut depth = 1;
        if let Some(bit) = find_close(self.open & after, self.close & after, &mut depth) {
            return Ok(self.resume_at(base, bit));
        }
        self.skip_blocks(depth)
    }

    /// The lean loop of [`skip_to_close`](Stream::skip_to_close): from the
    /// block at `next_block` on, with `depth` brackets open.
    #[inline(always)]
    fn skip_blocks(&mut self, mut depth: u64) -> Result<usize, Fault> {
        let kernel = self.kernel;
        let mut offset = self.next_block;
        let mut carry = self.carry;
        let rest = self.input.get(offset..).unwrap_or(&[]);
        let mut blocks = rest.chunks_exact(64);
        for block in &mut blocks {
            let block: &[u8; 64] = block.try_into().unwrap_or(&SPACES);
            let start = carry;
            let outside = count_block(kernel, block, &mut carry);
            if let Some(bit) = find_close(outside.open, outside.close, &mut depth) {
                self.reload(offset, block, start);
                return Ok(self.resume_at(offset, bit));
            }
            offset += 64;
        }
        let tail = blocks.remainder();
        if !tail.is_empty() {
            let block = padded(tail);
            let start = carry;
            let outside = count_block(kernel, &block, &mut carry);
            if let Some(bit) = find_close(outside.open, outside.close, &mut depth) {
                self.reload(offset, &block, start);
                return Ok(self.resume_at(offset, bit));
            }
        }
        Err(self.end_of_input())
    }

    /// Inside an object, from just after the last token: skips to the next
    /// member whose key is `key`, or to the bracket that closes the object,
    /// without reading the members between (they are skipped as
    /// [`skip_to_close`](Stream::skip_to_close) skips).
    ///
    /// The members are told apart by depth: a string that starts one level
    /// inside the object and is followed by a `:` is a key. Only the strings
    /// whose first byte is `key`'s first byte or a backslash are looked at
    /// (found with one more comparison per block): no other string can
    /// decode to `key`. A key with escapes is not decoded here; the search
    /// gives up ([`Seek::Unsure`]) without moving, and the caller reads the
    /// object member by member.
    #[inline(always)]
    pub(super) fn seek_member(&mut self, key: &[u8]) -> Result<Seek, Fault> {
        let first = key.first().copied().unwrap_or(b'"');
        let base = self.next_block.wrapping_sub(64);
        let after = bits_after(self.last.wrapping_sub(base));
        let block = self.block_at(base);
        let backslash = self.kernel.classify(&block).backslash;
        let outside = Outside {
            open: self.open & after,
            close: self.close & after,
            strings: self.strings & after,
            backslash,
        };
        let mut depth = 1;
        if let Some(found) = self.search_block(base, &block, &outside, first, key, &mut depth) {
            return Ok(self.settle(base, found));
        }
        let mut offset = self.next_block;
        let mut carry = self.carry;
        while offset < self.input.len() {
            let block = self.block_at(offset);
            let start = carry;
            let outside = count_block(self.kernel, &block, &mut carry);
            let found = self.search_block(offset, &block, &outside, first, key, &mut depth);
            if let Some(found) = found {
                if !matches!(found, Found::Unsure) {
                    self.reload(offset, &block, start);
                }
                return Ok(self.settle(offset, found));
            }
            offset += 64;
        }
        Err(self.end_of_input())
    }

    /// The block at `offset` (below the input's length), padded if partial.
    #[inline(always)]
    fn block_at(&self, offset: usize) -> [u8; 64] {
        match self.input.get(offset..offset + 64) {
            Some(block) => block.try_into().unwrap_or(SPACES),
            None => padded(self.input.get(offset..).unwrap_or(&[])),
        }
    }

    /// One block of [`seek_member`](Stream::seek_member), at `base`, with
    /// `depth` brackets open at its start: the first member named `key`
    /// one level deep, or the bracket that closes the object, or nothing
    /// (then `depth` is updated past the block).
    #[inline(always)]
    fn search_block(
        &self,
        base: usize,
        block: &[u8; 64],
        outside: &Outside,
        first: u8,
        key: &[u8],
        depth: &mut u64,
    ) -> Option<Found> {
        let (open, close) = (outside.open, outside.close);
        let closes = u64::from(close.count_ones());
        let end = if closes < *depth {
            None
        } else {
            find_close_in_block(open, close, *depth)
        };
        let before_end = end.map_or(u64::MAX, |bit| (1u64 << bit) - 1);
        // Strings whose next byte may start `key`; the string at bit 63
        // always, as its next byte is in the next block.
        let next_byte = (equal_to(self.kernel, block, first) | outside.backslash) >> 1;
        let mut candidates = outside.strings & (next_byte | 1 << 63) & before_end;
        while candidates != 0 {
            let bit = candidates.trailing_zeros();
            candidates &= candidates - 1;
            let below = (1u64 << bit) - 1;
            let opened = u64::from((open & below).count_ones());
            let closed = u64::from((close & below).count_ones());
            if *depth + opened - closed == 1 {
                match self.key_at(base + bit as usize, key) {
                    KeyCheck::Match => return Some(Found::Member(bit)),
                    KeyCheck::Unsure => return Some(Found::Unsure),
                    KeyCheck::Other => {}
                }
            }
        }
        if let Some(bit) = end {
            return Some(Found::Close(bit));
        }
        *depth = *depth + u64::from(open.count_ones()) - closes;
        None
    }

    /// Whether the string whose opening quote is at `quote` is a key equal
    /// to `key`.
    #[inline(always)]
    fn key_at(&self, quote: usize, key: &[u8]) -> KeyCheck {
        let input = self.input;
        let start = quote + 1;
        let Some(end) = self.kernel.find_quote_or_backslash(input, start) else {
            // Unterminated: the caller's member-by-member read reports it.
            return KeyCheck::Unsure;
        };
        if input.get(end) == Some(&b'\\') {
            return KeyCheck::Unsure;
        }
        if input.get(start..end) != Some(key) {
            return KeyCheck::Other;
        }
        let rest = input.get(end + 1..).unwrap_or(&[]);
        match rest
            .iter()
            .find(|&&b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        {
            Some(b':') => KeyCheck::Match,
            // A value equal to the key (`{"k": "k"}`), or a key without its
            // colon: reading member by member tells which.
            _ => KeyCheck::Unsure,
        }
    }

    /// Where a search that `found` something in the current block, at
    /// `base`, leaves the stream.
    #[inline(always)]
    fn settle(&mut self, base: usize, found: Found) -> Seek {
        match found {
            Found::Member(bit) => self.resume_before(base, bit),
            Found::Close(bit) => Seek::Close(self.resume_at(base, bit)),
            Found::Unsure => Seek::Unsure,
        }
    }

    /// Makes the token at `bit` of the current block at `base` the next one.
    #[inline(always)]
    fn resume_before(&mut self, base: usize, bit: u32) -> Seek {
        self.tokens &= !((1u64 << bit) - 1);
        self.last = base + bit as usize;
        Seek::Member
    }

    /// Makes `block`, at `offset`, the current block after a skip or search
    /// reached it: `carry` is the in-string and escape state at its start,
    /// which the skip tracked; the scalar state, which it did not, comes from
    /// the byte before the block.
    #[inline(always)]
    fn reload(&mut self, offset: usize, block: &[u8; 64], mut carry: Carry) {
        if let Some(&before) = self.input.get(offset.wrapping_sub(1)) {
            carry.follow_byte(before);
        }
        self.carry = carry;
        self.load(offset, block);
    }

    /// Continues after the bracket at `bit` of the current block at `base`.
    #[inline(always)]
    fn resume_at(&mut self, base: usize, bit: u32) -> usize {
        let at = base + bit as usize;
        self.tokens &= bits_after(bit as usize);
        self.last = at;
        at
    }

    /// Offset just past the scalar (string, number or literal) that starts at
    /// `at`: past the closing quote of a string, else at the first byte that
    /// ends a token.
    #[inline(always)]
    pub(super) fn scalar_end(&self, at: usize) -> Result<usize, Fault> {
        let input = self.input;
        if input.get(at) == Some(&b'"') {
            return string::string_end(self.kernel, input, at)
                .ok_or((ErrorKind::UnterminatedString, at));
        }
        let rest = input.get(at..).unwrap_or(&[]);
        Ok(at
            + rest
                .iter()
                .position(|&b| is_delimiter(b))
                .unwrap_or(rest.len()))
    }

    /// The error for input that ends where the walk needs more: inside a
    /// string, an unterminated string at its opening quote; else an
    /// unexpected end.
    #[cold]
    pub(super) fn end_of_input(&self) -> Fault {
        // The last token is outside any string (a string token is its opening
        // quote): replay the string state byte by byte from there.
        let (mut open_quote, mut escaped) = (None, false);
        for (i, &b) in self.input.iter().enumerate().skip(self.last) {
            match (open_quote, b) {
                (Some(_), _) if escaped => escaped = false,
                (Some(_), b'\\') => escaped = true,
                (Some(_), b'"') => open_quote = None,
                (None, b'"') => open_quote = Some(i),
                _ => {}
            }
        }
        match open_quote {
            Some(quote) => (ErrorKind::UnterminatedString, quote),
            None => (ErrorKind::UnexpectedEnd, self.input.len()),
        }
    }
}

/// Where [`Stream::seek_member`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Seek {
    /// At a member with the key: its opening quote is the next token.
    Member,
    /// At the bracket that closes the object, at this offset; the next token
    /// is the one after it.
    Close(usize),
    /// Not moved: a key with escapes (or an unterminated string) one level
    /// deep may be the key, so the object must be read member by member.
    Unsure,
}

/// What [`Stream::search_block`] found, by bit of its block.
enum Found {
    Member(u32),
    Close(u32),
    Unsure,
}

/// How a string one level inside the object compares with the key sought.
enum KeyCheck {
    /// It is the key, and a `:` follows it.
    Match,
    /// It has escapes, or is unterminated, or it is the key's text without
    /// a colon after it: undecided.
    Unsure,
    /// Anything else.
    Other,
}

/// The bytes of `block` equal to `byte`, through the kernel's quote
/// classification (as in [`brackets`]).
#[inline(always)]
fn equal_to<K: Kernel>(kernel: K, block: &[u8; 64], byte: u8) -> u64 {
    let mut mapped = [0; 64];
    for (m, &b) in mapped.iter_mut().zip(block) {
        *m = b ^ (byte ^ b'"');
    }
    kernel.classify(&mapped).quote
}

/// The bits above bit `i` (none for `i >= 63`).
#[inline(always)]
fn bits_after(i: usize) -> u64 {
    if i < 63 { u64::MAX << (i + 1) } else { 0 }
}

/// A copy of the last partial block, padded with spaces.
#[inline(always)]
fn padded(tail: &[u8]) -> [u8; 64] {
    let mut block = SPACES;
    for (slot, &b) in block.iter_mut().zip(tail) {
        *slot = b;
    }
    block
}

/// Opening and closing brackets of a block (inside strings or not), through
/// the kernel's classification: it finds quotes, so each byte is first mapped
/// so that the bracket sought becomes a quote. Setting bit 5 folds `[` onto
/// `{` and `]` onto `}` and maps no other byte onto either; compiled inside a
/// backend, each mask is one comparison per vector.
#[inline(always)]
fn brackets<K: Kernel>(kernel: K, block: &[u8; 64]) -> (u64, u64) {
    let mut open = [0; 64];
    let mut close = [0; 64];
    for ((o, c), &b) in open.iter_mut().zip(close.iter_mut()).zip(block) {
        let folded = b | 0x20;
        *o = folded ^ (b'{' ^ b'"');
        *c = folded ^ (b'}' ^ b'"');
    }
    (kernel.classify(&open).quote, kernel.classify(&close).quote)
}

/// What a skip or a search needs of a block.
struct Outside {
    /// `{` and `[` outside strings.
    open: u64,
    /// `}` and `]` outside strings.
    close: u64,
    /// Opening quotes of strings.
    strings: u64,
    /// Backslashes, inside strings or not.
    backslash: u64,
}

/// A block of a skip or a search: pairs quotes as [`scan_block`] does
/// (updating the in-string and escape state of `carry`, not its scalar
/// state) and finds the brackets outside strings and the string starts.
#[inline(always)]
fn count_block<K: Kernel>(kernel: K, block: &[u8; 64], carry: &mut Carry) -> Outside {
    let masks = kernel.classify(block);
    let escaped = if masks.backslash | carry.escaped == 0 {
        0
    } else {
        escaped_bytes(masks.backslash, &mut carry.escaped)
    };
    let quote = masks.quote & !escaped;
    let in_string = kernel.prefix_xor(quote) ^ carry.in_string;
    carry.in_string = ((in_string as i64) >> 63) as u64;
    let (open, close) = brackets(kernel, block);
    Outside {
        open: open & !in_string,
        close: close & !in_string,
        // The opening quote is the one quote inside its string.
        strings: quote & in_string,
        backslash: masks.backslash,
    }
}

/// With `depth` brackets open before the block, the bit of the closing
/// bracket that brings the depth to 0, if it is in this block; otherwise
/// updates `depth` for the whole block.
#[inline(always)]
fn find_close(open: u64, close: u64, depth: &mut u64) -> Option<u32> {
    let closes = u64::from(close.count_ones());
    let opens = u64::from(open.count_ones());
    if closes < *depth {
        // Every closing bracket leaves at least one open: skip the block.
        *depth = *depth + opens - closes;
        return None;
    }
    find_close_in_block(open, close, *depth).or_else(|| {
        *depth = (*depth + opens).wrapping_sub(closes);
        None
    })
}

/// The first closing bracket at which the depth, `depth` at the start of the
/// block, reaches 0.
#[inline(always)]
fn find_close_in_block(open: u64, mut close: u64, depth: u64) -> Option<u32> {
    let mut closed = 0;
    while close != 0 {
        let bit = close.trailing_zeros();
        closed += 1;
        let opened = u64::from((open & ((1u64 << bit) - 1)).count_ones());
        if depth + opened == closed {
            return Some(bit);
        }
        close &= close - 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arch::{Backend, Job, Supported, dispatch};
    use crate::stage1::reference_index;
    use alloc::vec::Vec;

    /// Takes every token; at the `n`-th token, if it opens a container,
    /// skips to its close instead. Returns the offsets seen (tokens, and
    /// the close skipped to), or the fault.
    struct TakeAndSkip<'a> {
        input: &'a [u8],
        skip_at: usize,
    }

    impl Job for TakeAndSkip<'_> {
        type Output = Result<Vec<usize>, Fault>;

        fn run<K: Kernel>(self, kernel: K) -> Result<Vec<usize>, Fault> {
            let mut stream = Stream::new(kernel, self.input);
            let mut seen = Vec::new();
            while let Some(at) = stream.next_token() {
                seen.push(at);
                if seen.len() == self.skip_at + 1 && matches!(self.input[at], b'{' | b'[') {
                    seen.push(stream.skip_to_close()?);
                }
            }
            Ok(seen)
        }
    }

    /// What [`TakeAndSkip`] must see, from stage 1's byte-at-a-time reference:
    /// the brackets outside strings are exactly the bracket tokens.
    fn expected(input: &[u8], skip_at: usize) -> Option<Vec<usize>> {
        let tokens: Vec<usize> = reference_index(input, false)
            .0
            .iter()
            .map(|&t| t as usize)
            .collect();
        let mut seen = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            seen.push(tokens[i]);
            if i == skip_at && matches!(input[tokens[i]], b'{' | b'[') {
                let mut depth = 0i64;
                let close = tokens[i + 1..].iter().position(|&t| {
                    match input[t] {
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => depth -= 1,
                        _ => {}
                    }
                    depth < 0
                })?;
                i += 1 + close;
                seen.push(tokens[i]);
            }
            i += 1;
        }
        Some(seen)
    }

    fn check(input: &[u8], skip_at: usize) {
        let want = expected(input, skip_at);
        for backend in Backend::ALL.into_iter().filter(|b| b.is_supported()) {
            let got = dispatch(
                Supported::resolve(Some(backend)),
                TakeAndSkip { input, skip_at },
            );
            let shown = alloc::string::String::from_utf8_lossy(input);
            match (&got, &want) {
                (Ok(got), Some(want)) => assert_eq!(got, want, "{backend:?} {skip_at} {shown:?}"),
                (Err(_), None) => {}
                _ => panic!("{backend:?} {skip_at} {shown:?}: {got:?} but expected {want:?}"),
            }
        }
    }

    #[test]
    fn skips_match_the_reference() {
        let input = br#"{"a": [1, {"b": "]}"}, "\"["], "c": {}} [ ] "#;
        for skip_at in 0..20 {
            check(input, skip_at);
        }
        for pad in 0..140 {
            let mut input = alloc::vec![b' '; pad];
            input.extend_from_slice(br#"[{"k\\": "\"{"}, [[], "\\\\"], {"x": [1]}]"#);
            for skip_at in 0..12 {
                check(&input, skip_at);
            }
        }
    }

    #[test]
    fn bits_after_each_bit() {
        assert_eq!(bits_after(0), !1);
        assert_eq!(bits_after(62), 1 << 63);
        assert_eq!(bits_after(63), 0);
        assert_eq!(bits_after(64), 0);
        assert_eq!(bits_after(usize::MAX), 0);
    }

    proptest::proptest! {
        /// Random inputs of the bytes that matter (quotes, backslash runs,
        /// brackets on every block boundary): the tokens are stage 1's, and
        /// a skip lands on the bracket that balances, or fails when none does.
        #[test]
        fn agrees_with_stage_1(
            input in proptest::collection::vec(
                proptest::sample::select(b"\"\\{}[]:, \na1\xc3\xa9".to_vec()), 0..400),
            skip_at in 0usize..40,
        ) {
            check(&input, skip_at);
        }
    }
}
