//! Stage 2: one pass over the structural index, validating the grammar and
//! writing the tape.
//!
//! The pass is a loop over an explicit stack of open containers, never a
//! recursion, so input depth cannot overflow the call stack; the stack is
//! bounded by [`Options::max_depth`](crate::Options). Each container's start
//! words are patched with its element count and end index when it closes,
//! which is what gives O(1) skipping and exact pre-sizing later.
//!
//! Arrays whose elements are numbers (coordinates, vectors, samples) take a
//! shorter path: [`Builder::leading_numbers`] reads them without a stack
//! frame, and an array that follows a comma in an array goes to it without
//! the dispatch on a value's first byte. A frame is made only if a value of
//! another kind comes, and the depth limit is checked alike either way.

mod float;
pub(crate) mod number;
mod pow5;
pub(crate) mod string;

use crate::arch::Kernel;
use crate::error::{Error, ErrorKind};
use crate::tape::{self, AUX_MAX, Tag};
use alloc::string::String;
use alloc::vec::Vec;
use number::ParsedNumber;
use string::StringSpan;

/// The tape and the arena of unescaped strings: what a document is made of.
#[derive(Debug, Default, Clone)]
pub(crate) struct Buffers {
    pub(crate) tape: Vec<u64>,
    pub(crate) arena: String,
}

/// An open container: the innermost one lives in a local of the parsing loop
/// (so its count stays in a register); the ones around it wait on the stack.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    /// Tape index of the container's head word.
    start: u32,
    /// Elements (or fields) completed so far.
    count: u32,
    context: Context,
}

/// What a completed value sits in.
///
/// Four bytes wide, so that a [`Frame`] has no padding: with one byte, the
/// three bytes of padding were copied along (to and from the stack frame) on
/// every push and pop, and the whole parse of mesh.json or numbers.json ran
/// 1% more instructions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
enum Context {
    /// The top level: the document is one value.
    Root,
    Array,
    Object,
}

impl Frame {
    /// The top level, around everything.
    const ROOT: Frame = Frame {
        start: 0,
        count: 0,
        context: Context::Root,
    };
}

/// Whether `byte` ends a scalar token: whitespace or a structural character.
/// These are exactly the bytes stage 1 does not treat as part of a scalar.
///
/// One load from a 256-entry table: the ten bytes are spread over the whole
/// range, so a `match` compiles to several range checks and bit tests, and
/// this runs after every number and literal.
#[inline(always)]
pub(crate) fn is_delimiter(byte: u8) -> bool {
    DELIMITERS[byte as usize]
}

/// [`is_delimiter`] for every byte.
static DELIMITERS: [bool; 256] = byte_table(b" \t\n\r,:[]{}");

/// Whether each byte starts a number (`-` or a digit): one load, where a
/// `match` takes two comparisons and three instructions to join them.
static NUMBER_STARTS: [bool; 256] = byte_table(b"-0123456789");

/// A table of every byte value, `true` for the bytes of `members`.
const fn byte_table(members: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < members.len() {
        table[members[i] as usize] = true;
        i += 1;
    }
    table
}

/// Builds the tape of `text` from its structural `index` into `out`.
#[inline(always)]
pub(crate) fn build<K: Kernel>(
    kernel: K,
    text: &str,
    index: &[u32],
    out: &mut Buffers,
    stack: &mut Vec<Frame>,
    max_depth: usize,
) -> Result<(), Error> {
    // Tokens write two words (containers, numbers, escaped strings), one (ends,
    // strings, literals) or none (`,` and `:`); one and a half per token covers
    // typical documents, number arrays included, and the tape grows if needed.
    let builder = Builder::<K, false>::new(kernel, text, index, 0, out, stack, max_depth);
    builder.tape.reserve(index.len() + index.len() / 2 + 2);
    builder.build().map(|_| ())
}

/// Builds the tape of the one value whose first token is `index[0]`, for
/// document streams, and returns how many tokens of `index` it took.
///
/// The entries of `index` are offsets into a larger buffer in which `text`
/// starts at offset `base`: a stream indexes a whole window at once, and each
/// of its documents is built from its part of that index. Tokens after the
/// value are left for the caller (nothing checks that the value is alone),
/// and running out of tokens is [`ErrorKind::UnexpectedEnd`] at the end of
/// `text`, as in [`build`]. Unlike [`build`], the tape is not reserved from
/// the length of `index`, which holds the rest of the window, not one value.
#[inline(always)]
pub(crate) fn build_value<K: Kernel>(
    kernel: K,
    text: &str,
    index: &[u32],
    base: u32,
    out: &mut Buffers,
    stack: &mut Vec<Frame>,
    max_depth: usize,
) -> Result<usize, Error> {
    Builder::<K, true>::new(kernel, text, index, base, out, stack, max_depth).build()
}

/// An error kind with the offset it applies to; turned into an [`Error`] (with
/// line and column) once, at the end.
type Fault = (ErrorKind, usize);

/// The tape builder. With `STREAM`, index entries are offsets from `base`
/// rather than from the start of `text`, and the build stops after one value
/// (see [`build_value`]); without it (the single-document path), neither costs
/// anything.
struct Builder<'a, K, const STREAM: bool> {
    kernel: K,
    text: &'a str,
    bytes: &'a [u8],
    index: &'a [u32],
    /// Offset of `text` in the buffer the index entries are offsets into
    /// (always 0 without `STREAM`).
    base: u32,
    /// Position in `index` of the next token.
    next: usize,
    tape: &'a mut Vec<u64>,
    arena: &'a mut String,
    stack: &'a mut Vec<Frame>,
    max_depth: usize,
}

impl<'a, K: Kernel, const STREAM: bool> Builder<'a, K, STREAM> {
    /// A builder writing into `out` and `stack`, both cleared.
    #[inline(always)]
    fn new(
        kernel: K,
        text: &'a str,
        index: &'a [u32],
        base: u32,
        out: &'a mut Buffers,
        stack: &'a mut Vec<Frame>,
        max_depth: usize,
    ) -> Self {
        if !STREAM {
            // Stage 1 writes offsets of input bytes only; `token` relies on
            // it. The maximum vectorizes (eight entries per instruction with
            // AVX2).
            let last = index.iter().fold(0, |max, &entry| max.max(entry));
            assert!(
                index.is_empty() || (last as usize) < text.len(),
                "stage 1 indexed a byte past the end of the input"
            );
        }
        out.tape.clear();
        out.arena.clear();
        stack.clear();
        stack.reserve(max_depth.min(32));
        Builder {
            kernel,
            text,
            bytes: text.as_bytes(),
            index,
            base,
            next: 0,
            tape: &mut out.tape,
            arena: &mut out.arena,
            stack,
            max_depth,
        }
    }

    /// Runs the build; returns the number of tokens taken, or the error
    /// located in `text`.
    #[inline(always)]
    fn build(mut self) -> Result<usize, Error> {
        match self.run() {
            Ok(()) => Ok(self.next),
            Err((kind, offset)) => Err(Error::at(kind, self.bytes, offset)),
        }
    }

    /// The offset in `text` of the token at `entry` of the index.
    #[inline(always)]
    fn offset(&self, entry: u32) -> usize {
        if STREAM {
            entry.wrapping_sub(self.base) as usize
        } else {
            entry as usize
        }
    }

    #[inline(always)]
    fn run(&mut self) -> Result<(), Fault> {
        let mut current = Frame::ROOT;
        'value: loop {
            let (at, byte) = self.next_token()?;
            match byte {
                b'{' => {
                    let start = self.open_head(Tag::Object, at)?;
                    self.enter(&mut current, start, 0, Context::Object);
                    let (first, byte) = self.next_token()?;
                    if byte == b'}' {
                        self.close(&mut current, Tag::ObjectEnd, first);
                    } else {
                        self.key_and_colon(first, byte)?;
                        continue 'value;
                    }
                }
                b'[' => {
                    let start = self.open_head(Tag::Array, at)?;
                    if let Some(count) = self.leading_numbers(start)? {
                        self.enter(&mut current, start, count, Context::Array);
                        continue 'value;
                    }
                }
                _ => self.scalar(at, byte)?,
            }
            // A value is complete: what follows depends on the innermost container.
            loop {
                current.count += 1;
                match current.context {
                    Context::Root => return self.finish(),
                    Context::Array => {
                        let (at, byte) = self.next_token()?;
                        match byte {
                            b',' => {
                                // Two kinds of element skip the dispatch on
                                // the first byte of a value: numbers after
                                // values of other kinds go round this loop
                                // alone, and an array (such as a pair of
                                // coordinates in a list of them) is read by
                                // `leading_numbers` as from the dispatch
                                // (canada.json: 5.5% fewer instructions,
                                // mesh.json 2.4%; others within 2% either
                                // way). Any other token is read again
                                // there: handing it over instead (or
                                // parsing strings here too) compiled the
                                // number path worse, 4 to 10% more
                                // instructions on number-heavy documents.
                                if let Some(number) = self.next_number() {
                                    self.number(number)?;
                                    continue;
                                }
                                if let Some((at, b'[')) = self.peek_token() {
                                    self.next += 1;
                                    let start = self.open_head(Tag::Array, at)?;
                                    if let Some(count) = self.leading_numbers(start)? {
                                        self.enter(&mut current, start, count, Context::Array);
                                        continue 'value;
                                    }
                                    continue;
                                }
                                continue 'value;
                            }
                            b']' => self.close(&mut current, Tag::ArrayEnd, at),
                            _ => return Err((ErrorKind::ExpectedCommaOrArrayEnd, at)),
                        }
                    }
                    Context::Object => {
                        let (at, byte) = self.next_token()?;
                        match byte {
                            b',' => {
                                let (key, byte) = self.next_token()?;
                                self.key_and_colon(key, byte)?;
                                continue 'value;
                            }
                            b'}' => self.close(&mut current, Tag::ObjectEnd, at),
                            _ => return Err((ErrorKind::ExpectedCommaOrObjectEnd, at)),
                        }
                    }
                }
            }
        }
    }

    /// Offset and first byte of the next structural token. Running out of
    /// tokens is always [`ErrorKind::UnexpectedEnd`], so callers can tell
    /// truncated input apart.
    #[inline(always)]
    fn next_token(&mut self) -> Result<(usize, u8), Fault> {
        let entry = *self
            .index
            .get(self.next)
            .ok_or((ErrorKind::UnexpectedEnd, self.bytes.len()))?;
        self.next += 1;
        Ok(self.token(entry))
    }

    /// Takes the next token if it starts a number, and returns its offset.
    #[inline(always)]
    fn next_number(&mut self) -> Option<usize> {
        let (at, byte) = self.token(*self.index.get(self.next)?);
        if !NUMBER_STARTS[byte as usize] {
            return None;
        }
        self.next += 1;
        Some(at)
    }

    /// Offset and first byte of the next structural token, if any, not
    /// taken.
    #[inline(always)]
    fn peek_token(&self) -> Option<(usize, u8)> {
        self.index.get(self.next).map(|&entry| self.token(entry))
    }

    /// First byte of the next structural token, if any.
    #[inline(always)]
    fn peek_byte(&self) -> Option<u8> {
        self.peek_token().map(|(_, byte)| byte)
    }

    /// Offset and first byte of the token at `entry` of the index.
    ///
    /// A single document's index is checked to lie within the input once, in
    /// [`Builder::new`] (one vectorized pass over the index), so its bytes are read
    /// here without a bounds check each: that check was three of the forty or
    /// so instructions stage 2 spends per token. A stream's index covers its
    /// whole window, far more than one document, so it keeps the checks.
    #[inline(always)]
    fn token(&self, entry: u32) -> (usize, u8) {
        let at = self.offset(entry);
        if STREAM {
            return (at, self.bytes[at]);
        }
        // SAFETY: without `STREAM`, `at` is `entry`, an entry of `index`, and
        // `new` asserted that every entry is less than `bytes.len()`.
        (at, unsafe { *self.bytes.get_unchecked(at) })
    }

    /// The whole input must be one value (a stream's caller checks what
    /// follows the value itself).
    fn finish(&self) -> Result<(), Fault> {
        match self.index.get(self.next) {
            Some(&entry) if !STREAM => Err((ErrorKind::TrailingCharacters, self.offset(entry))),
            _ => Ok(()),
        }
    }

    /// Writes the start words of a container opened at `at` and returns the
    /// tape index of its head word. Its frame is made by [`Builder::enter`],
    /// and only if it needs one: see [`Builder::leading_numbers`].
    #[inline(always)]
    fn open_head(&mut self, tag: Tag, at: usize) -> Result<u32, Fault> {
        // The stack holds the top level and every enclosing container, so
        // with this one entered its length is the number of open containers.
        if self.stack.len() >= self.max_depth {
            return Err((ErrorKind::DepthLimitExceeded, at));
        }
        let start = self.tape.len() as u32;
        // The second word, the count and end index, is patched by
        // `finish_container`.
        self.tape
            .extend_from_slice(&[tape::head(tag, 0, at as u32), 0]);
        Ok(start)
    }

    /// Makes the container whose head word is at `start`, with `count`
    /// elements read, the innermost one: `current` moves to the stack.
    #[inline(always)]
    fn enter(&mut self, current: &mut Frame, start: u32, count: u32, context: Context) {
        self.stack.push(*current);
        *current = Frame {
            start,
            count,
            context,
        };
    }

    /// Reads the elements of the array just opened at tape index `start` for
    /// as long as they are numbers. Returns `None` when that took the whole
    /// array (including its `]`, and the empty array), or the count of
    /// numbers read when a value of another kind comes next (after a `,`,
    /// which is taken; or first, which is not).
    ///
    /// Arrays of numbers alone (coordinates, vectors, samples) are most of
    /// the arrays of number-heavy documents. Read here, each is opened and
    /// closed without a stack frame, and its count stays in a register.
    #[inline(always)]
    fn leading_numbers(&mut self, start: u32) -> Result<Option<u32>, Fault> {
        let mut count = 0;
        if self.peek_byte() == Some(b']') {
            let (end, _) = self.next_token()?;
            self.finish_container(start, count, Tag::ArrayEnd, end);
            return Ok(None);
        }
        while let Some(at) = self.next_number() {
            self.number(at)?;
            count += 1;
            let (at, byte) = self.next_token()?;
            match byte {
                b',' => {}
                b']' => {
                    self.finish_container(start, count, Tag::ArrayEnd, at);
                    return Ok(None);
                }
                _ => return Err((ErrorKind::ExpectedCommaOrArrayEnd, at)),
            }
        }
        Ok(Some(count))
    }

    /// Writes the end word of the container whose head word is at `start`,
    /// ended at `at` with `count` elements, and patches its start words.
    #[inline(always)]
    fn finish_container(&mut self, start: u32, count: u32, end_tag: Tag, at: usize) {
        let end = self.tape.len() as u32;
        self.tape.push(tape::head(end_tag, 0, at as u32));
        self.tape[start as usize + 1] = tape::pair(count, end);
    }

    #[inline(always)]
    fn close(&mut self, current: &mut Frame, end_tag: Tag, at: usize) {
        self.finish_container(current.start, current.count, end_tag, at);
        // `current` was made by `enter`, which pushed the enclosing frame.
        *current = self.stack.pop().unwrap_or(Frame::ROOT);
    }

    /// An object field's key at `at` (whose first byte is `byte`), then its `:`.
    #[inline(always)]
    fn key_and_colon(&mut self, at: usize, byte: u8) -> Result<(), Fault> {
        if byte != b'"' {
            return Err((ErrorKind::ExpectedKey, at));
        }
        self.string(at)?;
        let (colon, byte) = self.next_token()?;
        if byte != b':' {
            return Err((ErrorKind::ExpectedColon, colon));
        }
        Ok(())
    }

    /// The scalar at `at`, whose first byte is `byte`.
    #[inline(always)]
    fn scalar(&mut self, at: usize, byte: u8) -> Result<(), Fault> {
        match byte {
            b'"' => self.string(at),
            b'-' | b'0'..=b'9' => self.number(at),
            b't' => self.literal(at, b"true", Tag::True),
            b'f' => self.literal(at, b"false", Tag::False),
            b'n' => self.literal(at, b"null", Tag::Null),
            _ => Err((ErrorKind::ExpectedValue, at)),
        }
    }

    #[inline(always)]
    fn string(&mut self, at: usize) -> Result<(), Fault> {
        let parsed = string::parse_string(self.kernel, self.text, at, self.arena)?;
        let offset = at as u32;
        match parsed.span {
            StringSpan::Input { len } if len < AUX_MAX as usize => {
                self.tape.push(tape::head(Tag::Str, len as u32, offset));
            }
            StringSpan::Input { len } => {
                self.tape.push(tape::head(Tag::StrLong, 0, offset));
                self.tape.push(len as u64);
            }
            StringSpan::Arena {
                offset: arena_offset,
                len,
            } => {
                let raw_len = saturate(parsed.end - at);
                self.tape.push(tape::head(Tag::StrEscaped, raw_len, offset));
                self.tape.push(tape::pair(arena_offset as u32, len as u32));
            }
        }
        Ok(())
    }

    #[inline(always)]
    fn number(&mut self, at: usize) -> Result<(), Fault> {
        // Capped at `AUX_MAX`, which the aux field takes as it is.
        let (number, len) =
            number::parse_number::<K, { AUX_MAX as usize }>(self.kernel, self.bytes, at)?;
        let (tag, bits) = match number {
            ParsedNumber::U64(n) => (Tag::U64, n),
            ParsedNumber::I64(n) => (Tag::I64, n as u64),
            ParsedNumber::F64(f) => (Tag::F64, f.to_bits()),
        };
        let head = tape::head(tag, len as u32, at as u32);
        self.tape.extend_from_slice(&[head, bits]);
        Ok(())
    }

    /// The literal `word` at `at`. The whole word is compared at once (a
    /// 4-byte literal is one 32-bit comparison), not byte by byte; where it
    /// differs, [`literal_error`] finds the offending byte.
    #[inline(always)]
    fn literal<const N: usize>(
        &mut self,
        at: usize,
        word: &[u8; N],
        tag: Tag,
    ) -> Result<(), Fault> {
        let found = self.bytes.get(at..).and_then(<[u8]>::first_chunk::<N>);
        let end = at + N;
        if found != Some(word) || self.bytes.get(end).is_some_and(|&b| !is_delimiter(b)) {
            return Err(literal_error(self.bytes, at, word));
        }
        self.tape.push(tape::head(tag, 0, at as u32));
        Ok(())
    }
}

/// Why the text at `at` is not the literal `word`: the first byte that differs,
/// the end of the input, or a byte after the word that does not end a token.
#[cold]
fn literal_error(bytes: &[u8], at: usize, word: &[u8]) -> Fault {
    let found = &bytes[at..(at + word.len()).min(bytes.len())];
    if let Some(mismatch) = found.iter().zip(word).position(|(a, b)| a != b) {
        return (ErrorKind::InvalidLiteral, at + mismatch);
    }
    let end = at + found.len();
    if found.len() < word.len() {
        return (ErrorKind::UnexpectedEnd, end);
    }
    (ErrorKind::InvalidLiteral, end)
}

/// A raw length for the 24-bit aux field; the largest value means "recompute".
fn saturate(len: usize) -> u32 {
    len.min(AUX_MAX as usize) as u32
}
