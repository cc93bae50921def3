//! The tape: a flat `[u64]` that describes a whole document.
//!
//! Every value starts with a *head word*: the tag in the top 8 bits, a 24-bit
//! `aux` field, and the 32-bit byte offset in the input where the value's text
//! starts. Some tags are followed by one payload word. Keeping the input offset
//! in every head word is what makes [`raw_json`](crate::ValueRef::raw_json) and
//! error positions free; keeping the value's width in its tag makes skipping a
//! scalar a table look-up and skipping a container one load (its end index).
//!
//! | tag            | words | aux                       | payload word                        |
//! |----------------|-------|---------------------------|-------------------------------------|
//! | `NULL`/`TRUE`/`FALSE` | 1 | 0                      | —                                   |
//! | `STR`          | 1     | length (< 2^24 - 1)       | — (bytes at `offset + 1` in the input) |
//! | `STR_LONG`     | 2     | 0                         | length (bytes at `offset + 1`)      |
//! | `STR_ESCAPED`  | 2     | raw length, saturated     | arena offset << 32 \| length        |
//! | `U64`/`I64`/`F64` | 2  | raw length, saturated     | the number's bits                   |
//! | `ARRAY`/`OBJECT` | 2   | 0                         | element count << 32 \| end index    |
//! | `ARRAY_END`/`OBJECT_END` | 1 | 0                   | —                                   |
//!
//! Object fields are a key (a string word) followed by the value. The count of an
//! object is its number of fields. The end index of a container is the tape index
//! of its end word, so the value after the container starts at `end + 1`.
//!
//! Offsets and lengths are 32-bit: inputs must be smaller than 4 GiB, and the
//! parser rejects larger ones with [`ErrorKind::InputTooLarge`](crate::ErrorKind).

/// The 8-bit type tag of a head word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Tag {
    Null = 1,
    True,
    False,
    Str,
    StrLong,
    StrEscaped,
    U64,
    I64,
    F64,
    Array,
    Object,
    ArrayEnd,
    ObjectEnd,
}

/// Largest value of the 24-bit `aux` field; a raw length this large or larger is
/// stored saturated and recomputed from the input when needed.
pub(crate) const AUX_MAX: u32 = (1 << 24) - 1;

impl Tag {
    const ALL: [Tag; 13] = [
        Tag::Null,
        Tag::True,
        Tag::False,
        Tag::Str,
        Tag::StrLong,
        Tag::StrEscaped,
        Tag::U64,
        Tag::I64,
        Tag::F64,
        Tag::Array,
        Tag::Object,
        Tag::ArrayEnd,
        Tag::ObjectEnd,
    ];

    /// Number of tape words a value with this tag occupies, containers counting
    /// only their start (head and payload).
    #[inline]
    pub(crate) fn width(self) -> usize {
        match self {
            Tag::Null | Tag::True | Tag::False | Tag::Str | Tag::ArrayEnd | Tag::ObjectEnd => 1,
            _ => 2,
        }
    }
}

/// Builds a head word.
#[inline(always)]
pub(crate) fn head(tag: Tag, aux: u32, offset: u32) -> u64 {
    debug_assert!(aux <= AUX_MAX);
    ((tag as u64) << 56) | ((aux as u64) << 32) | offset as u64
}

/// The tag of a head word.
#[inline(always)]
pub(crate) fn tag(word: u64) -> Tag {
    // The tape is only ever written by this crate, so every head word has a valid
    // tag; a checked look-up keeps that assumption out of `unsafe` (the fallback
    // is never taken).
    let byte = (word >> 56) as usize;
    *Tag::ALL.get(byte.wrapping_sub(1)).unwrap_or(&Tag::Null)
}

/// The 24-bit `aux` field of a head word.
#[inline(always)]
pub(crate) fn aux(word: u64) -> u32 {
    ((word >> 32) as u32) & AUX_MAX
}

/// The input offset of a head word.
#[inline(always)]
pub(crate) fn offset(word: u64) -> usize {
    word as u32 as usize
}

/// Packs two 32-bit fields into a payload word (count/end index, arena
/// offset/length).
#[inline(always)]
pub(crate) fn pair(high: u32, low: u32) -> u64 {
    ((high as u64) << 32) | low as u64
}

/// Unpacks a payload word made by [`pair`].
#[inline(always)]
pub(crate) fn unpair(word: u64) -> (u32, u32) {
    ((word >> 32) as u32, word as u32)
}

/// Tape index just past the value whose head word is at `pos` (past the end
/// word of a container).
#[inline(always)]
pub(crate) fn next_pos(tape: &[u64], pos: usize) -> usize {
    match tag(tape[pos]) {
        Tag::Array | Tag::Object => unpair(tape[pos + 1]).1 as usize + 1,
        other => pos + other.width(),
    }
}

/// Where the unescaped text of a string is. See [`str_span`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum StrSpan {
    /// A range of the input (the string had no escapes).
    Input(core::ops::Range<usize>),
    /// A range of the document's arena.
    Arena(core::ops::Range<usize>),
}

impl StrSpan {
    /// The text the span covers, in the document's `input` or its `arena`.
    #[inline(always)]
    pub(crate) fn text<'a>(self, input: &'a str, arena: &'a str) -> Option<&'a str> {
        match self {
            StrSpan::Input(range) => input.get(range),
            StrSpan::Arena(range) => arena.get(range),
        }
    }
}

/// Where the string whose head word is at `pos` has its unescaped text: in
/// the input (it had no escapes) or in the arena. `None` for anything but a
/// string.
#[inline(always)]
pub(crate) fn str_span(tape: &[u64], pos: usize) -> Option<StrSpan> {
    let head = tape[pos];
    let in_input = |len: usize| {
        let start = offset(head) + 1;
        StrSpan::Input(start..start + len)
    };
    match tag(head) {
        Tag::Str => Some(in_input(aux(head) as usize)),
        Tag::StrLong => Some(in_input(tape[pos + 1] as usize)),
        Tag::StrEscaped => {
            let (offset, len) = unpair(tape[pos + 1]);
            let (offset, len) = (offset as usize, len as usize);
            Some(StrSpan::Arena(offset..offset + len))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_word_round_trips() {
        for t in Tag::ALL {
            let w = head(t, AUX_MAX, u32::MAX);
            assert_eq!((tag(w), aux(w), offset(w)), (t, AUX_MAX, u32::MAX as usize));
            let w = head(t, 7, 0);
            assert_eq!((tag(w), aux(w), offset(w)), (t, 7, 0));
        }
    }

    #[test]
    fn pair_round_trips() {
        assert_eq!(unpair(pair(u32::MAX, 3)), (u32::MAX, 3));
    }
}
