//! The JSON writer: compact and pretty JSON out of a [`Value`], or straight
//! out of the tape of a [`ValueRef`].
//!
//! Layout lives in one place, [`Formatter`]: it turns a stream of events
//! (open a container, a key, a value, close) into JSON text with commas and
//! colons, and, for the [`Pretty`] layout, newlines and indentation. Two
//! walks feed it, neither recursive:
//!
//! * a [`Value`] tree is walked with an explicit stack of iterators
//!   ([`write_value`]);
//! * a [`ValueRef`] needs no stack at all: its tape lists the value's tokens
//!   in input order, and every scalar (a number, a string with its original
//!   escapes, a literal) is copied from the input ([`write_ref_pretty`]).
//!
//! Compact output of a `ValueRef` ([`write_ref_compact`]) bypasses the
//! formatter: it copies maximal runs of input that hold no insignificant
//! whitespace, one copy for input that is compact already.
//!
//! Strings of a `Value` hold decoded text; [`write_string`] escapes them as
//! serde_json does, finding the bytes to escape eight at a time.

use crate::arch::find_escape;
use crate::document::{Step, ValueRef};
use crate::inline_stack::InlineStack;
use crate::value::Value;
use alloc::borrow::Cow;
use alloc::string::String;
use core::fmt;
use core::marker::PhantomData;
#[cfg(feature = "std")]
use std::io;

/// Something the writer can write: a [`Value`] or a [`ValueRef`].
///
/// The public writer methods of both types are one-line calls of the generic
/// functions below ([`display`], [`to_string_pretty`], [`to_writer`]).
pub(crate) trait Json {
    /// Writes compact JSON.
    fn write_compact(&self, out: &mut impl fmt::Write) -> fmt::Result;

    /// Writes pretty JSON.
    fn write_pretty(&self, out: &mut impl fmt::Write) -> fmt::Result;

    /// Bytes worth reserving for the output (a guess; 0 if unknown).
    fn size_hint(&self) -> usize;
}

impl Json for Value<'_> {
    fn write_compact(&self, out: &mut impl fmt::Write) -> fmt::Result {
        write_value::<Compact>(self, out)
    }

    fn write_pretty(&self, out: &mut impl fmt::Write) -> fmt::Result {
        write_value::<Pretty>(self, out)
    }

    fn size_hint(&self) -> usize {
        0
    }
}

impl Json for ValueRef<'_> {
    fn write_compact(&self, out: &mut impl fmt::Write) -> fmt::Result {
        write_ref_compact(*self, out)
    }

    fn write_pretty(&self, out: &mut impl fmt::Write) -> fmt::Result {
        write_ref_pretty(*self, out)
    }

    fn size_hint(&self) -> usize {
        // Pretty output is at least about as long as the input text.
        self.raw_json().len()
    }
}

/// `Display`: compact JSON, or pretty with the alternate flag (`{:#}`).
pub(crate) fn display(json: &impl Json, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let pretty = f.alternate();
    let mut sink = Buffered::<_, FMT_BUFFER>::new(f);
    if pretty {
        json.write_pretty(&mut sink)?;
    } else {
        json.write_compact(&mut sink)?;
    }
    sink.flush_buffer()
}

/// Pretty JSON in a new string.
pub(crate) fn to_string_pretty(json: &impl Json) -> String {
    let mut out = String::with_capacity(json.size_hint());
    // Writing to a `String` cannot fail.
    json.write_pretty(&mut out).ok();
    out
}

/// Writes compact (or, with `pretty`, pretty) JSON to `writer`.
#[cfg(feature = "std")]
pub(crate) fn to_writer<W: io::Write>(json: &impl Json, writer: W, pretty: bool) -> io::Result<()> {
    let mut sink = Buffered::<_, IO_BUFFER>::new(IoDrain {
        writer,
        error: None,
    });
    let written = if pretty {
        json.write_pretty(&mut sink)
    } else {
        json.write_compact(&mut sink)
    };
    match written.and_then(|()| sink.flush_buffer()) {
        Ok(()) => Ok(()),
        Err(fmt::Error) => Err(sink
            .drain
            .error
            .unwrap_or_else(|| io::Error::other("formatter error"))),
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
    fn line(out: &mut impl fmt::Write, depth: usize) -> fmt::Result;
}

/// Everything on one line with no whitespace, as serde_json's `to_string`.
struct Compact;

impl Layout for Compact {
    const COLON: &'static str = ":";

    #[inline(always)]
    fn line(_: &mut impl fmt::Write, _: usize) -> fmt::Result {
        Ok(())
    }
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
    fn line(out: &mut impl fmt::Write, depth: usize) -> fmt::Result {
        let most = NEWLINE_AND_SPACES.len() - 1;
        let mut spaces = depth * INDENT;
        let now = spaces.min(most);
        out.write_str(&NEWLINE_AND_SPACES[..1 + now])?;
        spaces -= now;
        while spaces > 0 {
            let now = spaces.min(most);
            out.write_str(&NEWLINE_AND_SPACES[1..1 + now])?;
            spaces -= now;
        }
        Ok(())
    }
}

/// Turns events into JSON text laid out by `L`. Keeps no stack: what it
/// needs to know about the enclosing containers is their number and whether
/// the innermost one has an element yet.
struct Formatter<'o, O, L> {
    out: &'o mut O,
    /// Containers open around the next event.
    depth: usize,
    /// Whether the innermost open container has no element yet.
    first: bool,
    /// Whether a key was just written, so that a value follows it directly.
    after_key: bool,
    layout: PhantomData<L>,
}

impl<'o, O: fmt::Write, L: Layout> Formatter<'o, O, L> {
    fn new(out: &'o mut O) -> Self {
        Formatter {
            out,
            depth: 0,
            first: true,
            after_key: false,
            layout: PhantomData,
        }
    }

    /// What goes before an element or a field: nothing after a key or at the
    /// top level, else a comma unless it is the first, and its line.
    #[inline(always)]
    fn element(&mut self) -> fmt::Result {
        if self.after_key {
            self.after_key = false;
            return Ok(());
        }
        if self.depth > 0 {
            if !self.first {
                self.out.write_str(",")?;
            }
            L::line(self.out, self.depth)?;
        }
        self.first = false;
        Ok(())
    }

    /// Opens a container: `bracket` is `[` or `{`.
    #[inline]
    fn open(&mut self, bracket: &str) -> fmt::Result {
        self.element()?;
        self.out.write_str(bracket)?;
        self.depth += 1;
        self.first = true;
        Ok(())
    }

    /// Closes the innermost container: `bracket` is `]` or `}`.
    #[inline]
    fn close(&mut self, bracket: &str) -> fmt::Result {
        self.depth -= 1;
        if !self.first {
            L::line(self.out, self.depth)?;
        }
        // The container just closed is an element of the one around it.
        self.first = false;
        self.out.write_str(bracket)
    }

    /// A field's key, which `write` writes as a JSON string.
    #[inline]
    fn key(&mut self, write: impl FnOnce(&mut O) -> fmt::Result) -> fmt::Result {
        self.element()?;
        write(self.out)?;
        self.after_key = true;
        self.out.write_str(L::COLON)
    }

    /// A scalar value, which `write` writes.
    #[inline]
    fn value(&mut self, write: impl FnOnce(&mut O) -> fmt::Result) -> fmt::Result {
        self.element()?;
        write(self.out)
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
fn write_value<L: Layout>(root: &Value<'_>, out: &mut impl fmt::Write) -> fmt::Result {
    let mut f = Formatter::<_, L>::new(out);
    let mut stack: InlineStack<Open<'_, '_>> = InlineStack::new();
    let mut next = Some(root);
    loop {
        match next.take() {
            Some(Value::Array(items)) => {
                f.open("[")?;
                stack.push(Open::Array(items.iter()));
            }
            Some(Value::Object(fields)) => {
                f.open("{")?;
                stack.push(Open::Object(fields.iter()));
            }
            Some(Value::String(s)) => f.value(|out| write_string(out, s))?,
            Some(Value::Number(n)) => f.value(|out| n.write_to(out))?,
            Some(Value::Bool(true)) => f.value(|out| out.write_str("true"))?,
            Some(Value::Bool(false)) => f.value(|out| out.write_str("false"))?,
            Some(Value::Null) => f.value(|out| out.write_str("null"))?,
            None => {}
        }
        // The next child of the innermost open container, or close it.
        let Some(top) = stack.last_mut() else {
            return Ok(());
        };
        match top {
            Open::Array(items) => match items.next() {
                Some(item) => next = Some(item),
                None => {
                    stack.pop();
                    f.close("]")?;
                }
            },
            Open::Object(fields) => match fields.next() {
                Some((key, item)) => {
                    f.key(|out| write_string(out, key))?;
                    next = Some(item);
                }
                None => {
                    stack.pop();
                    f.close("}")?;
                }
            },
        }
    }
}

/// Writes a [`ValueRef`] as pretty JSON, token by token off the tape: no
/// stack, scalars copied from the input with their original spelling.
fn write_ref_pretty(value: ValueRef<'_>, out: &mut impl fmt::Write) -> fmt::Result {
    let text = value.document().input();
    let mut f = Formatter::<_, Pretty>::new(out);
    for token in value.tokens() {
        let raw = &text[token.start..token.end];
        match token.step {
            Step::OpenArray | Step::OpenObject => f.open(raw),
            Step::Close => f.close(raw),
            Step::String if is_key(text.as_bytes(), token.end) => f.key(|out| out.write_str(raw)),
            Step::String | Step::Scalar => f.value(|out| out.write_str(raw)),
        }?;
    }
    Ok(())
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
fn write_ref_compact(value: ValueRef<'_>, out: &mut impl fmt::Write) -> fmt::Result {
    let text = value.document().input();
    let bytes = text.as_bytes();
    let mut tokens = value.tokens();
    let Some(first) = tokens.next() else {
        return Ok(());
    };
    let (mut run_start, mut prev_end) = (first.start, first.end);
    for token in tokens {
        let gap = &bytes[prev_end..token.start];
        if !matches!(gap, [] | [b',' | b':']) {
            out.write_str(&text[run_start..prev_end])?;
            if let Some(&separator) = gap.iter().find(|b| matches!(b, b',' | b':')) {
                out.write_str(if separator == b',' { "," } else { ":" })?;
            }
            run_start = token.start;
        }
        prev_end = token.end;
    }
    out.write_str(&text[run_start..prev_end])
}

// ---------------------------------------------------------------------------
// Strings
// ---------------------------------------------------------------------------

/// Writes `s` as a JSON string: quoted, with `"`, `\` and the control
/// characters below U+0020 escaped exactly as serde_json does (`\b \t \n \f
/// \r` short, the others as `\u00XX` in lowercase hex), and everything else,
/// `/` and non-ASCII text included, as it is. The runs between escapes are
/// copied whole.
pub(crate) fn write_string(out: &mut impl fmt::Write, s: &str) -> fmt::Result {
    // Literal `&str` pieces rather than `write_char`, whose default encodes
    // the character as UTF-8 first.
    out.write_str("\"")?;
    let bytes = s.as_bytes();
    let mut run = 0;
    while let Some(at) = find_escape(bytes, run) {
        // `at` is an ASCII byte, so both slices end on character boundaries.
        out.write_str(&s[run..at])?;
        write_escape(out, bytes[at])?;
        run = at + 1;
    }
    out.write_str(&s[run..])?;
    out.write_str("\"")
}

/// Writes the escape of `byte`, one of `"`, `\` or a control character.
#[cold]
fn write_escape(out: &mut impl fmt::Write, byte: u8) -> fmt::Result {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.write_str(match byte {
        b'"' => "\\\"",
        b'\\' => "\\\\",
        0x08 => "\\b",
        b'\t' => "\\t",
        b'\n' => "\\n",
        0x0c => "\\f",
        b'\r' => "\\r",
        _ => {
            out.write_str("\\u00")?;
            out.write_char(char::from(HEX[usize::from(byte >> 4)]))?;
            return out.write_char(char::from(HEX[usize::from(byte & 0xf)]));
        }
    })
}

// ---------------------------------------------------------------------------
// Buffered output: to a `Formatter` or an `io::Write`
// ---------------------------------------------------------------------------

/// Bytes gathered before they are handed to an `io::Write` (a system call
/// each, when it is unbuffered).
#[cfg(feature = "std")]
const IO_BUFFER: usize = 8 * 1024;

/// Bytes gathered before they are handed to a `Formatter`: small, because
/// the buffer is zeroed for every value written.
const FMT_BUFFER: usize = 256;

/// Where a [`Buffered`] sink's chunks go.
trait Drain {
    /// Takes a chunk of the buffer: whole pieces of output, so whole UTF-8.
    fn drain_bytes(&mut self, chunk: &[u8]) -> fmt::Result;

    /// Takes one piece too long for the buffer.
    fn drain_str(&mut self, piece: &str) -> fmt::Result {
        self.drain_bytes(piece.as_bytes())
    }
}

/// A `fmt::Write` that gathers pieces in a buffer on the call stack and hands
/// them on in chunks of up to `N` bytes (longer pieces directly):
/// writing each small piece to a `Formatter` would be a dynamic call, and to
/// an unbuffered `io::Write` a system call. Chunks end between pieces, so they
/// are whole UTF-8.
struct Buffered<D, const N: usize> {
    drain: D,
    buffer: [u8; N],
    len: usize,
}

impl<D: Drain, const N: usize> Buffered<D, N> {
    fn new(drain: D) -> Self {
        Buffered {
            drain,
            buffer: [0; N],
            len: 0,
        }
    }

    fn flush_buffer(&mut self) -> fmt::Result {
        let len = core::mem::take(&mut self.len);
        self.drain.drain_bytes(&self.buffer[..len])
    }
}

impl<D: Drain, const N: usize> fmt::Write for Buffered<D, N> {
    #[inline]
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let bytes = s.as_bytes();
        if bytes.len() > N - self.len {
            self.flush_buffer()?;
            if bytes.len() >= N {
                return self.drain.drain_str(s);
            }
        }
        self.buffer[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
        Ok(())
    }
}

impl Drain for &mut fmt::Formatter<'_> {
    fn drain_bytes(&mut self, chunk: &[u8]) -> fmt::Result {
        // Only whole `&str` pieces were copied in: never fails.
        let text = simdutf8::basic::from_utf8(chunk).map_err(|_| fmt::Error)?;
        self.write_str(text)
    }

    fn drain_str(&mut self, piece: &str) -> fmt::Result {
        self.write_str(piece)
    }
}

/// An `io::Write` as a [`Drain`], keeping the first I/O error, which
/// `fmt::Error` cannot carry.
#[cfg(feature = "std")]
struct IoDrain<W> {
    writer: W,
    error: Option<io::Error>,
}

#[cfg(feature = "std")]
impl<W: io::Write> Drain for IoDrain<W> {
    fn drain_bytes(&mut self, chunk: &[u8]) -> fmt::Result {
        self.writer.write_all(chunk).map_err(|error| {
            self.error = Some(error);
            fmt::Error
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(s: &str) -> String {
        let mut out = String::new();
        write_string(&mut out, s).unwrap();
        out
    }

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
                    escaped(&s),
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
                assert_eq!(escaped(&s), serde_json::to_string(&s).unwrap(), "{s:?}");
            }
        }
        assert_eq!(escaped(base), serde_json::to_string(base).unwrap());
        assert_eq!(escaped(""), "\"\"");
    }

    #[test]
    fn finds_no_escape_in_high_bytes() {
        // Every byte of a multi-byte character is 0x80 or above.
        let s = "\u{80}\u{ff}\u{100}\u{7ff}\u{800}\u{ffff}\u{10000}\u{10ffff}".repeat(3);
        assert_eq!(find_escape(s.as_bytes(), 0), None);
        assert_eq!(escaped(&s), format!("\"{s}\""));
    }

    #[test]
    fn indents_beyond_the_spaces_constant() {
        let mut out = String::new();
        Pretty::line(&mut out, 1300).unwrap();
        assert_eq!(out, format!("\n{}", " ".repeat(2600)));
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
        struct Fails;
        impl io::Write for Fails {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::new(io::ErrorKind::BrokenPipe, "closed"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let doc = crate::parse("[1, 2]").unwrap();
        let error = to_writer(&doc.root(), Fails, true).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::BrokenPipe);
        let error = to_writer(&doc.to_value(), Fails, false).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::BrokenPipe);
    }

    #[test]
    #[cfg(feature = "std")]
    fn io_writes_large_output_in_chunks() {
        let long = "x".repeat(3 * IO_BUFFER);
        let input = format!(
            r#"["{long}", "{}", ["{long}"]]"#,
            "y".repeat(IO_BUFFER - 10)
        );
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
