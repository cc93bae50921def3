//! The JSON writer: compact and pretty JSON out of a [`Value`], or straight
//! out of the tape of a [`ValueRef`].
//!
//! Output goes to a [`Sink`], which cannot fail: a sink that forwards to
//! fallible output keeps the first error for the end, and the walks stop
//! early once it has one.
//!
//! * [`Out`], a byte buffer that holds only whole UTF-8: a `String` is that
//!   buffer at the end; an `io::Write` takes it in chunks of about [`CHUNK`]
//!   bytes. Strings are copied into it run by run between escapes
//!   ([`copy_until_escape`]): short runs as overlapping words, longer ones
//!   found with SIMD and copied whole.
//! * [`FmtSink`], for `Display`: a small buffer on the call stack handed to
//!   the `fmt::Formatter` when full, so that writing into a `String` with
//!   room enough allocates nothing.
//!
//! Layout lives in [`Layout`]. Two walks use it, neither recursive:
//!
//! * a [`Value`] tree is walked with an explicit stack of iterators
//!   ([`write_value`]), writing each separator where the walk knows it;
//! * a [`ValueRef`] needs no stack at all: its tape lists the value's tokens
//!   in input order, and every scalar (a number, a string with its original
//!   escapes, a literal) is copied from the input; [`Formatter`] turns those
//!   tokens into pretty JSON ([`write_ref_pretty`]).
//!
//! Compact output of a `ValueRef` ([`write_ref_compact`]) needs no layout: it
//! copies maximal runs of input that hold no insignificant whitespace, one
//! copy for input that is compact already.

use crate::arch::{copy_short_until_escape, find_escape};
use crate::document::{Step, ValueRef};
use crate::inline_stack::InlineStack;
use crate::value::Value;
use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
#[cfg(feature = "std")]
use std::io;

/// Something the writer can write: a [`Value`] or a [`ValueRef`].
///
/// The public writer methods of both types are one-line calls of the generic
/// functions below ([`display`], [`to_string`], [`to_string_pretty`],
/// [`to_writer`]).
pub(crate) trait Json {
    /// Writes compact JSON.
    fn write_compact(&self, out: &mut impl Sink);

    /// Writes pretty JSON.
    fn write_pretty(&self, out: &mut impl Sink);

    /// Bytes worth reserving for the output (a guess; 0 if unknown).
    fn size_hint(&self) -> usize;
}

impl Json for Value<'_> {
    fn write_compact(&self, out: &mut impl Sink) {
        write_value::<Compact>(self, out);
    }

    fn write_pretty(&self, out: &mut impl Sink) {
        write_value::<Pretty>(self, out);
    }

    fn size_hint(&self) -> usize {
        0
    }
}

impl Json for ValueRef<'_> {
    fn write_compact(&self, out: &mut impl Sink) {
        write_ref_compact(*self, out);
    }

    fn write_pretty(&self, out: &mut impl Sink) {
        write_ref_pretty(*self, out);
    }

    fn size_hint(&self) -> usize {
        // Output is about as long as the input text, or shorter when compact.
        self.raw_json().len()
    }
}

/// `Display`: compact JSON, or pretty with the alternate flag (`{:#}`).
pub(crate) fn display(json: &impl Json, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let pretty = f.alternate();
    let mut out = FmtSink::new(f);
    if pretty {
        json.write_pretty(&mut out);
    } else {
        json.write_compact(&mut out);
    }
    out.finish()
}

/// Bytes reserved for a new string at least (as serde_json's `to_vec`
/// does): small values then need no reallocation.
const MIN_STRING: usize = 128;

/// Compact JSON in a new string, written straight into the string's buffer
/// (what `to_string` through `Display` cannot do).
pub(crate) fn to_string(json: &impl Json) -> String {
    let mut out = Out::new(Keep, json.size_hint().max(MIN_STRING));
    json.write_compact(&mut out);
    out.into_string()
}

/// Pretty JSON in a new string.
pub(crate) fn to_string_pretty(json: &impl Json) -> String {
    let mut out = Out::new(Keep, json.size_hint().max(MIN_STRING));
    json.write_pretty(&mut out);
    out.into_string()
}

/// `s` as a JSON string, quoted and escaped.
pub(crate) fn quoted(s: &str) -> String {
    let mut out = Out::new(Keep, s.len() + 2);
    out.push_string(s);
    out.into_string()
}

/// Writes compact (or, with `pretty`, pretty) JSON to `writer`.
#[cfg(feature = "std")]
pub(crate) fn to_writer<W: io::Write>(json: &impl Json, writer: W, pretty: bool) -> io::Result<()> {
    let mut out = Out::new(
        IoDrain {
            writer,
            error: None,
        },
        CHUNK,
    );
    if pretty {
        json.write_pretty(&mut out);
    } else {
        json.write_compact(&mut out);
    }
    match out.finish().error {
        None => Ok(()),
        Some(error) => Err(error),
    }
}

// ---------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------

/// Where the writer's output goes. Every call hands over whole UTF-8.
pub(crate) trait Sink {
    /// Appends `piece` as it is.
    fn push(&mut self, piece: &str);

    /// Appends `s` as a JSON string: quoted, with `"`, `\` and the control
    /// characters below U+0020 escaped exactly as serde_json does (`\b \t \n
    /// \f \r` short, the others as `\u00XX` in lowercase hex), and everything
    /// else, `/` and non-ASCII text included, as it is.
    fn push_string(&mut self, s: &str);

    /// Whether the output has failed (an I/O or formatter error), so that
    /// writing can stop early; what follows would be thrown away.
    fn failed(&self) -> bool;
}

/// [`Sink::push_string`] as a sequence of [`Sink::push`]es: the runs between
/// escapes and the escapes. For sinks that cannot take a string's bytes in
/// one copy.
fn push_string_in_pieces(out: &mut impl Sink, s: &str) {
    out.push("\"");
    let bytes = s.as_bytes();
    let mut run = 0;
    while let Some(at) = find_escape(&bytes[run..]).map(|hit| run + hit) {
        // `at` is an ASCII byte, so both slices end on character boundaries.
        out.push(&s[run..at]);
        out.push(escape(bytes[at]));
        run = at + 1;
    }
    out.push(&s[run..]);
    out.push("\"");
}

/// Bytes gathered before they are handed to an `io::Write` (a system call
/// each, when it is unbuffered). A piece this long or longer is handed on
/// directly, and a string this long in pieces, so the buffer stays about
/// this size (escapes can make a shorter string up to six times longer).
const CHUNK: usize = 8 * 1024;

/// Where the output gathered in an [`Out`] goes.
pub(crate) trait Drain {
    /// Whether output is handed on in chunks as it is written; if not, it
    /// all stays in the buffer.
    const CHUNKED: bool;

    /// Takes a chunk of output: whole UTF-8. After a failure, a drain ignores
    /// what follows and keeps the failure for the end.
    fn take(&mut self, chunk: &[u8]);

    /// Whether a chunk has failed.
    fn failed(&self) -> bool;
}

/// The writer's output buffer. Every write appends whole UTF-8: a `&str`
/// piece, ASCII escapes, or a string's bytes up to an ASCII byte. A chunked
/// drain takes the buffer between writes, so it, too, sees whole UTF-8.
pub(crate) struct Out<D> {
    bytes: Vec<u8>,
    drain: D,
}

impl<D: Drain> Sink for Out<D> {
    #[inline]
    fn push(&mut self, piece: &str) {
        if D::CHUNKED && self.bytes.len() + piece.len() > CHUNK {
            self.hand_on();
            if piece.len() >= CHUNK {
                return self.drain.take(piece.as_bytes());
            }
        }
        self.bytes.extend_from_slice(piece.as_bytes());
    }

    #[inline]
    fn push_string(&mut self, s: &str) {
        if D::CHUNKED && self.bytes.len() + s.len() + 2 > CHUNK {
            self.hand_on();
            if s.len() + 2 > CHUNK {
                return push_string_in_pieces(self, s);
            }
        }
        let out = &mut self.bytes;
        out.reserve(s.len() + 2);
        out.push(b'"');
        let bytes = s.as_bytes();
        let mut run = 0;
        while let Some(at) = copy_until_escape(out, &bytes[run..]).map(|hit| run + hit) {
            out.extend_from_slice(escape(bytes[at]).as_bytes());
            run = at + 1;
        }
        out.push(b'"');
    }

    #[inline(always)]
    fn failed(&self) -> bool {
        D::CHUNKED && self.drain.failed()
    }
}

impl<D: Drain> Out<D> {
    fn new(drain: D, capacity: usize) -> Self {
        Out {
            bytes: Vec::with_capacity(capacity),
            drain,
        }
    }

    /// Hands the buffer to the drain.
    fn hand_on(&mut self) {
        if !self.bytes.is_empty() {
            self.drain.take(&self.bytes);
            self.bytes.clear();
        }
    }

    /// Hands on what is left; the drain tells whether all went well.
    #[cfg(feature = "std")]
    fn finish(mut self) -> D {
        self.hand_on();
        self.drain
    }
}

/// Appends `rest` to `out` up to its first byte that must be escaped, and
/// returns that byte's offset; `None` once all is copied. Runs shorter than
/// 16 bytes are tested and stored as overlapping words
/// ([`copy_short_until_escape`]); longer ones are found first and then
/// copied whole: one `memcpy` moves a run faster than stores interleaved with
/// the tests would.
#[inline]
fn copy_until_escape(out: &mut Vec<u8>, rest: &[u8]) -> Option<usize> {
    if rest.len() < 16 {
        return copy_short_until_escape(out, rest);
    }
    let hit = find_escape(rest);
    out.extend_from_slice(&rest[..hit.unwrap_or(rest.len())]);
    hit
}

/// Output kept whole: the buffer becomes a `String`.
pub(crate) struct Keep;

impl Drain for Keep {
    const CHUNKED: bool = false;

    fn take(&mut self, _: &[u8]) {}

    fn failed(&self) -> bool {
        false
    }
}

impl Out<Keep> {
    fn into_string(self) -> String {
        // The buffer holds whole UTF-8 (see `Out`); checking it costs a
        // fraction of writing it, and keeps the claim out of `unsafe`.
        match simdutf8::basic::from_utf8(&self.bytes) {
            // SAFETY: `from_utf8` just found the bytes to be UTF-8.
            Ok(_) => unsafe { String::from_utf8_unchecked(self.bytes) },
            Err(_) => String::from_utf8_lossy(&self.bytes).into_owned(),
        }
    }
}

/// Output handed to an `io::Write`, keeping the first I/O error.
#[cfg(feature = "std")]
pub(crate) struct IoDrain<W> {
    writer: W,
    error: Option<io::Error>,
}

#[cfg(feature = "std")]
impl<W: io::Write> Drain for IoDrain<W> {
    const CHUNKED: bool = true;

    fn take(&mut self, chunk: &[u8]) {
        if self.error.is_none() {
            self.error = self.writer.write_all(chunk).err();
        }
    }

    fn failed(&self) -> bool {
        self.error.is_some()
    }
}

/// Bytes gathered on the call stack before they are handed to a
/// `fmt::Formatter`: small, because the buffer is zeroed for every value
/// written.
const FMT_BUFFER: usize = 256;

/// Output for `Display`: pieces gathered in a buffer on the call stack and
/// handed to the `fmt::Formatter` in chunks (each piece there would be a
/// dynamic call), longer pieces directly. Chunks end between pieces, so
/// they are whole UTF-8. Allocates nothing.
pub(crate) struct FmtSink<'f, 'g> {
    f: &'f mut fmt::Formatter<'g>,
    buffer: [u8; FMT_BUFFER],
    len: usize,
    result: fmt::Result,
}

impl<'f, 'g> FmtSink<'f, 'g> {
    fn new(f: &'f mut fmt::Formatter<'g>) -> Self {
        FmtSink {
            f,
            buffer: [0; FMT_BUFFER],
            len: 0,
            result: Ok(()),
        }
    }

    /// Hands the buffer to the formatter.
    fn flush(&mut self) {
        let len = core::mem::take(&mut self.len);
        if len > 0 && self.result.is_ok() {
            // Only whole `&str` pieces were copied in: the check never fails.
            let text = simdutf8::basic::from_utf8(&self.buffer[..len]).map_err(|_| fmt::Error);
            self.result = text.and_then(|text| self.f.write_str(text));
        }
    }

    /// Hands `piece` to the formatter directly.
    fn hand_on(&mut self, piece: &str) {
        if self.result.is_ok() {
            self.result = self.f.write_str(piece);
        }
    }

    fn finish(mut self) -> fmt::Result {
        self.flush();
        self.result
    }
}

impl Sink for FmtSink<'_, '_> {
    #[inline]
    fn push(&mut self, piece: &str) {
        let bytes = piece.as_bytes();
        if bytes.len() > FMT_BUFFER - self.len {
            self.flush();
            if bytes.len() >= FMT_BUFFER {
                return self.hand_on(piece);
            }
        }
        self.buffer[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }

    fn push_string(&mut self, s: &str) {
        push_string_in_pieces(self, s);
    }

    fn failed(&self) -> bool {
        self.result.is_err()
    }
}

/// The escape of `byte`, one of `"`, `\` or a control character (the
/// bytes [`find_escape`] stops at; any other byte gives `""`).
#[inline]
fn escape(byte: u8) -> &'static str {
    /// The escapes of the control characters U+0000 to U+001F.
    const CONTROL: [&str; 32] = [
        "\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005", "\\u0006", "\\u0007",
        "\\b", "\\t", "\\n", "\\u000b", "\\f", "\\r", "\\u000e", "\\u000f", "\\u0010", "\\u0011",
        "\\u0012", "\\u0013", "\\u0014", "\\u0015", "\\u0016", "\\u0017", "\\u0018", "\\u0019",
        "\\u001a", "\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f",
    ];
    match byte {
        b'"' => "\\\"",
        b'\\' => "\\\\",
        _ => CONTROL.get(usize::from(byte)).copied().unwrap_or_default(),
    }
}

// ---------------------------------------------------------------------------
// Layout
// ---------------------------------------------------------------------------

/// How containers are laid out: where lines break, and what separates a key
/// from its value.
trait Layout {
    /// Written between an object key and its value.
    const COLON: &'static str;

    /// Starts the line of an element, field or closing bracket `depth`
    /// levels deep (does nothing in compact output).
    fn line(out: &mut impl Sink, depth: usize);
}

/// Everything on one line with no whitespace, as serde_json's `to_string`.
struct Compact;

impl Layout for Compact {
    const COLON: &'static str = ":";

    #[inline(always)]
    fn line(_: &mut impl Sink, _: usize) {}
}

/// One element or field per line, two spaces of indentation per level,
/// `"key": value`, empty containers as `[]` and `{}`: serde_json's
/// `to_string_pretty`.
struct Pretty;

/// Spaces of indentation per level of pretty output.
const INDENT: usize = 2;

/// A newline and then spaces: indentation is sliced out of it.
const NEWLINE_AND_SPACES: &str = {
    const BYTES: [u8; 1025] = {
        let mut bytes = [b' '; 1025];
        bytes[0] = b'\n';
        bytes
    };
    match core::str::from_utf8(&BYTES) {
        Ok(text) => text,
        Err(_) => panic!("spaces are UTF-8"),
    }
};

impl Layout for Pretty {
    const COLON: &'static str = ": ";

    #[inline]
    fn line(out: &mut impl Sink, depth: usize) {
        let most = NEWLINE_AND_SPACES.len() - 1;
        let mut spaces = depth * INDENT;
        let now = spaces.min(most);
        out.push(&NEWLINE_AND_SPACES[..1 + now]);
        spaces -= now;
        while spaces > 0 {
            let now = spaces.min(most);
            out.push(&NEWLINE_AND_SPACES[1..1 + now]);
            spaces -= now;
        }
    }
}

/// Turns the tokens of a tape into pretty JSON. Keeps no stack: what it
/// needs to know about the enclosing containers is their number and whether
/// the innermost one has an element yet.
struct Formatter<'o, S> {
    out: &'o mut S,
    /// Containers open around the next token.
    depth: usize,
    /// Whether the innermost open container has no element yet.
    first: bool,
    /// Whether a key was just written, so that a value follows it directly.
    after_key: bool,
}

impl<'o, S: Sink> Formatter<'o, S> {
    fn new(out: &'o mut S) -> Self {
        Formatter {
            out,
            depth: 0,
            first: true,
            after_key: false,
        }
    }

    /// What goes before an element or a field: nothing after a key or at the
    /// top level, else a comma unless it is the first, and its line.
    #[inline(always)]
    fn element(&mut self) {
        if self.after_key {
            self.after_key = false;
            return;
        }
        if self.depth > 0 {
            if !self.first {
                self.out.push(",");
            }
            Pretty::line(self.out, self.depth);
        }
        self.first = false;
    }

    /// Opens a container: `bracket` is `[` or `{`.
    #[inline]
    fn open(&mut self, bracket: &str) {
        self.element();
        self.out.push(bracket);
        self.depth += 1;
        self.first = true;
    }

    /// Closes the innermost container: `bracket` is `]` or `}`.
    #[inline]
    fn close(&mut self, bracket: &str) {
        self.depth -= 1;
        if !self.first {
            Pretty::line(self.out, self.depth);
        }
        // The container just closed is an element of the one around it.
        self.first = false;
        self.out.push(bracket);
    }

    /// A field's key, a JSON string.
    #[inline]
    fn key(&mut self, key: &str) {
        self.element();
        self.out.push(key);
        self.after_key = true;
        self.out.push(Pretty::COLON);
    }

    /// A scalar value, as JSON text.
    #[inline]
    fn value(&mut self, text: &str) {
        self.element();
        self.out.push(text);
    }
}

// ---------------------------------------------------------------------------
// Walks
// ---------------------------------------------------------------------------

/// A container of a [`Value`] being written, with what is left of it.
enum Open<'v, 'a> {
    Array(core::slice::Iter<'v, Value<'a>>),
    Object(halfbrown::Iter<'v, Cow<'a, str>, Value<'a>>),
}

/// Writes a [`Value`] laid out by `L`, walking the tree with an explicit
/// stack (one entry per open container), so any depth is fine.
///
/// Separators are written where the walk knows them: a container's first
/// child is taken when the container opens, and each later child is pulled
/// from its iterator after a comma, so no state says whether a comma is due.
fn write_value<L: Layout>(root: &Value<'_>, out: &mut impl Sink) {
    let mut stack: InlineStack<Open<'_, '_>> = InlineStack::new();
    let mut next = root;
    loop {
        // Write `next`, or open it and make its first child `next`.
        match next {
            Value::Array(items) => {
                if let Some((first, rest)) = items.split_first() {
                    out.push("[");
                    stack.push(Open::Array(rest.iter()));
                    L::line(out, stack.len());
                    next = first;
                    continue;
                }
                out.push("[]");
            }
            Value::Object(fields) => {
                let mut rest = fields.iter();
                if let Some((key, first)) = rest.next() {
                    out.push("{");
                    stack.push(Open::Object(rest));
                    L::line(out, stack.len());
                    push_key::<L>(out, key);
                    next = first;
                    continue;
                }
                out.push("{}");
            }
            Value::String(s) => out.push_string(s),
            Value::Number(n) => n.with_text(|text| out.push(text)),
            Value::Bool(true) => out.push("true"),
            Value::Bool(false) => out.push("false"),
            Value::Null => out.push("null"),
        }
        // The next child of the innermost open container, closing those
        // that have none left.
        next = loop {
            if out.failed() {
                return;
            }
            let depth = stack.len();
            let Some(top) = stack.last_mut() else {
                return;
            };
            let bracket = match top {
                Open::Array(items) => match items.next() {
                    Some(item) => {
                        out.push(",");
                        L::line(out, depth);
                        break item;
                    }
                    None => "]",
                },
                Open::Object(fields) => match fields.next() {
                    Some((key, item)) => {
                        out.push(",");
                        L::line(out, depth);
                        push_key::<L>(out, key);
                        break item;
                    }
                    None => "}",
                },
            };
            stack.pop();
            L::line(out, depth - 1);
            out.push(bracket);
        };
    }
}

/// Writes an object key and what follows it.
#[inline]
fn push_key<L: Layout>(out: &mut impl Sink, key: &str) {
    out.push_string(key);
    out.push(L::COLON);
}

/// Writes a [`ValueRef`] as pretty JSON, token by token off the tape: no
/// stack, scalars copied from the input with their original spelling.
fn write_ref_pretty(value: ValueRef<'_>, out: &mut impl Sink) {
    let text = value.document().input();
    let mut f = Formatter::new(out);
    for token in value.tokens() {
        if f.out.failed() {
            return;
        }
        let raw = &text[token.start..token.end];
        match token.step {
            Step::OpenArray | Step::OpenObject => f.open(raw),
            Step::Close => f.close(raw),
            Step::String if is_key(text.as_bytes(), token.end) => f.key(raw),
            Step::String | Step::Scalar => f.value(raw),
        }
    }
}

/// Whether the string token ending at input offset `end` is an object key:
/// the next byte that is not whitespace is a colon.
#[inline]
fn is_key(bytes: &[u8], end: usize) -> bool {
    bytes[end..]
        .iter()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        == Some(&b':')
}

/// Writes a [`ValueRef`] as compact JSON: the input text without
/// insignificant whitespace. Copies maximal runs of input that hold no
/// whitespace outside strings; strings and numbers keep their exact input
/// spelling, so numbers read back bit-identical.
fn write_ref_compact(value: ValueRef<'_>, out: &mut impl Sink) {
    let text = value.document().input();
    let bytes = text.as_bytes();
    let mut tokens = value.tokens();
    let Some(first) = tokens.next() else {
        return;
    };
    let (mut run_start, mut prev_end) = (first.start, first.end);
    for token in tokens {
        let gap = &bytes[prev_end..token.start];
        if !matches!(gap, [] | [b',' | b':']) {
            if out.failed() {
                return;
            }
            out.push(&text[run_start..prev_end]);
            if let Some(&separator) = gap.iter().find(|b| matches!(b, b',' | b':')) {
                out.push(if separator == b',' { "," } else { ":" });
            }
            run_start = token.start;
        }
        prev_end = token.end;
    }
    out.push(&text[run_start..prev_end]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_ascii_byte_as_serde_json() {
        for byte in 0..=0x7fu8 {
            let c = char::from(byte);
            for s in [
                c.to_string(),
                format!("ab{c}cd"),
                format!("{c}{c}0123456789{c}"),
            ] {
                assert_eq!(
                    quoted(&s),
                    serde_json::to_string(&s).unwrap(),
                    "byte {byte:#04x}"
                );
            }
        }
    }

    #[test]
    fn escapes_at_every_position_of_a_word() {
        let base = "héllo wörld, ça va? 😀 日本語 /slash/ \u{7f}\u{2028}";
        for at in 0..=base.len() {
            if !base.is_char_boundary(at) {
                continue;
            }
            for inserted in ["\"", "\\", "\n", "\u{1}", "\u{1f}", "\u{1}\u{2}"] {
                let s = format!("{}{inserted}{}", &base[..at], &base[at..]);
                assert_eq!(quoted(&s), serde_json::to_string(&s).unwrap(), "{s:?}");
            }
        }
        assert_eq!(quoted(base), serde_json::to_string(base).unwrap());
        assert_eq!(quoted(""), "\"\"");
    }

    #[test]
    fn finds_no_escape_in_high_bytes() {
        // Every byte of a multi-byte character is 0x80 or above.
        let s = "\u{80}\u{ff}\u{100}\u{7ff}\u{800}\u{ffff}\u{10000}\u{10ffff}".repeat(3);
        assert_eq!(quoted(&s), format!("\"{s}\""));
    }

    #[test]
    fn indents_beyond_the_spaces_constant() {
        let mut out = Out::new(Keep, 0);
        Pretty::line(&mut out, 1300);
        assert_eq!(out.into_string(), format!("\n{}", " ".repeat(2600)));
    }

    #[test]
    fn layouts_match_serde_json() {
        let input = r#"{"a": [1, -2, 3.5e-7, [], {}, [[]], {"b": null}], "c": "x\ty", "d": {"e": [true, false]}}"#;
        let doc = crate::parse(input).unwrap();
        let expected: serde_json::Value = serde_json::from_str(input).unwrap();
        let pretty = serde_json::to_string_pretty(&expected).unwrap();
        let compact = serde_json::to_string(&expected).unwrap();
        // Keys are in sorted order in the input, as serde_json keeps them.
        assert_eq!(to_string_pretty(&doc.root()), pretty);
        assert_eq!(to_string_pretty(&doc.to_value()), pretty);
        assert_eq!(doc.root().to_string(), compact);
        assert_eq!(doc.to_value().to_string(), compact);
    }

    #[test]
    fn writes_scalars_and_empty_containers_at_the_top_level() {
        for input in [
            "null", "true", "false", "0", "-1", "2.5", r#""s""#, "[]", "{}",
        ] {
            let doc = crate::parse(input).unwrap();
            assert_eq!(to_string_pretty(&doc.root()), input);
            assert_eq!(to_string_pretty(&doc.to_value()), input);
            assert_eq!(doc.root().to_string(), input);
            assert_eq!(doc.to_value().to_string(), input);
        }
    }

    #[test]
    #[cfg(feature = "std")]
    fn io_errors_come_back() {
        /// Fails every write, counting them.
        struct Fails(usize);
        impl io::Write for Fails {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                self.0 += 1;
                Err(io::Error::new(io::ErrorKind::BrokenPipe, "closed"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        // Long enough for many chunks: writing stops at the first failure.
        let input = alloc::format!("[{}1]", "[1, \"two\", {\"3\": 4.5}], ".repeat(5000));
        let doc = crate::parse(&input).unwrap();
        for pretty in [false, true] {
            let mut fails = Fails(0);
            let error = to_writer(&doc.root(), &mut fails, pretty).unwrap_err();
            assert_eq!((error.kind(), fails.0), (io::ErrorKind::BrokenPipe, 1));
            let mut fails = Fails(0);
            let error = to_writer(&doc.to_value(), &mut fails, pretty).unwrap_err();
            assert_eq!((error.kind(), fails.0), (io::ErrorKind::BrokenPipe, 1));
        }
    }

    #[test]
    #[cfg(feature = "std")]
    fn io_writes_large_output_in_chunks() {
        let long = "x".repeat(3 * CHUNK);
        let input = format!(r#"["{long}", "{}", ["{long}"]]"#, "y".repeat(CHUNK - 10));
        let doc = crate::parse(&input).unwrap();
        for pretty in [false, true] {
            let mut out = Vec::new();
            to_writer(&doc.root(), &mut out, pretty).unwrap();
            let expected = if pretty {
                to_string_pretty(&doc.root())
            } else {
                doc.root().to_string()
            };
            assert_eq!(String::from_utf8(out).unwrap(), expected);
        }
    }
}
