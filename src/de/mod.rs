//! serde deserialization straight from the tape: no [`Value`](crate::Value)
//! in between, no recursion beyond the document's own depth, and every string
//! borrowed where its lifetime allows.
//!
//! Strings without escapes are slices of the input, so they borrow for the
//! input's lifetime in every entry point. Strings with escapes were unescaped
//! into the document's arena: [`Document::deserialize`] borrows them from
//! there (the caller holds the document), while [`from_slice`] and
//! [`from_str`], whose document is gone when they return, hand them to the
//! visitor as transient `&str`s, enough for `String` and `Cow<str>`, not for a
//! borrowed `&str` field (the error says so and what to use instead).
//!
//! Errors raised while reading a value are tied to that value on the way out:
//! its offset, line and column, and its path from the root
//! ([`Error::path`]). The path is worked out from the tape only when an error
//! happens, so the successful path does not track it.

mod access;
mod key;
mod raw;

pub use raw::{Lazy, RawJson};

use crate::document::{Document, ValueRef};
use crate::error::{Error, ErrorKind};
use crate::parser::Parser;
use crate::tape::{self, StrSpan, Tag};
use access::{EnumDeserializer, MapDeserializer, SeqDeserializer, UnitVariant};
use alloc::string::String;
use core::cell::Cell;
use serde::de::{self, Deserialize, Deserializer, Unexpected, Visitor};

/// Deserializes a `T` from JSON bytes.
///
/// Strings without escapes borrow from `input`; a string with escapes can
/// fill a `String` or `Cow<str>` but not a `&str` field (use
/// [`Document::deserialize`] to borrow those too).
///
/// ```
/// #[derive(serde::Deserialize, PartialEq, Debug)]
/// struct User<'a> {
///     id: u64,
///     name: &'a str,
///     tags: Vec<String>,
/// }
///
/// let input = br#"{"id": 7, "name": "Ada", "tags": ["math", "line\nbreak"]}"#;
/// let user: User = jsontape::from_slice(input)?;
/// assert_eq!(user, User { id: 7, name: "Ada", tags: vec!["math".into(), "line\nbreak".into()] });
/// # Ok::<(), jsontape::Error>(())
/// ```
pub fn from_slice<'a, T: Deserialize<'a>>(input: &'a [u8]) -> Result<T, Error> {
    let doc = crate::parse(input)?;
    deserialize_root(&doc, doc.input())
}

/// Deserializes a `T` from a JSON string; see [`from_slice`].
///
/// ```
/// let point: (i32, f64) = jsontape::from_str("[-3, 2.5]")?;
/// assert_eq!(point, (-3, 2.5));
/// # Ok::<(), jsontape::Error>(())
/// ```
pub fn from_str<'a, T: Deserialize<'a>>(input: &'a str) -> Result<T, Error> {
    from_slice(input.as_bytes())
}

/// The root of `doc` as a `T`, borrowing strings from `input` (the document's
/// text) only.
pub(crate) fn deserialize_root<'a, T: Deserialize<'a>>(
    doc: &Document<'_>,
    input: &'a str,
) -> Result<T, Error> {
    let ctx = Ctx::new(doc, input, None);
    ctx.deserialize(0)
}

impl Parser {
    /// Parses `input` with this parser's buffers and deserializes a `T` from
    /// it: [`from_slice`] without allocating a tape per document.
    ///
    /// ```
    /// #[derive(serde::Deserialize)]
    /// struct Event<'a> { kind: &'a str, n: u32 }
    ///
    /// let mut parser = jsontape::Parser::new();
    /// let mut total = 0;
    /// for line in [r#"{"kind": "a", "n": 1}"#, r#"{"kind": "b", "n": 2}"#] {
    ///     let event: Event = parser.deserialize(line)?;
    ///     total += event.n;
    /// }
    /// assert_eq!(total, 3);
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn deserialize<'a, T, I>(&mut self, input: &'a I) -> Result<T, Error>
    where
        T: Deserialize<'a>,
        I: AsRef<[u8]> + ?Sized,
    {
        let text = self.parse_text(input.as_ref())?;
        let doc = Document::borrowed(text, self.buffers());
        deserialize_root(&doc, text)
    }
}

impl<'a> Document<'a> {
    /// Deserializes a `T` from the whole document. Every string borrows: from
    /// the input, or, if it had escapes, from the document's arena.
    ///
    /// ```
    /// #[derive(serde::Deserialize)]
    /// struct Message<'d> { text: &'d str }
    ///
    /// let doc = jsontape::parse(r#"{"text": "tab\there"}"#)?;
    /// let message: Message = doc.deserialize()?;
    /// assert_eq!(message.text, "tab\there"); // borrowed from the arena
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn deserialize<'d, T: Deserialize<'d>>(&'d self) -> Result<T, Error> {
        self.root().deserialize()
    }
}

impl<'d> ValueRef<'d> {
    /// Deserializes a `T` from this value, borrowing every string from the
    /// document as [`Document::deserialize`] does. Errors report the path
    /// from the document's root.
    ///
    /// ```
    /// let doc = jsontape::parse(r#"{"meta": {"ids": [1, 2, 3]}}"#)?;
    /// let ids: Vec<u32> = doc.pointer("/meta/ids").unwrap().deserialize()?;
    /// assert_eq!(ids, [1, 2, 3]);
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn deserialize<T: Deserialize<'d>>(self) -> Result<T, Error> {
        let doc = self.document();
        let ctx = Ctx::new(doc, doc.input(), Some(doc.arena()));
        ctx.deserialize(self.tape_index())
    }
}

/// What the deserializers share, by reference: the document, and where
/// strings can borrow from for `'de` (the input always; the arena only when
/// the caller holds the document).
struct Ctx<'de, 't> {
    doc: &'t Document<'t>,
    tape: &'t [u64],
    input: &'de str,
    arena: &'t str,
    /// The arena again, if it lives for `'de`.
    arena_de: Option<&'de str>,
    /// Arrays and objects being deserialized around the current value.
    depth: Cell<usize>,
}

/// How deeply arrays and objects may nest under one deserialization (the
/// limit serde_json has too). Every level is a few stack frames of serde code
/// whose size depends on the type: a recursive type with many fields can
/// need kilobytes per level, and 128 levels keep even those far from the
/// 2 MiB of a typical thread, whatever `Options::max_depth` the parse
/// allowed. Deeper documents are read with [`Document::to_value`], which does
/// not recurse.
pub const SERDE_MAX_DEPTH: usize = 128;

/// Appended to serde's "expected a borrowed string" when the string had
/// escapes and its unescaped text cannot outlive the call.
const BORROW_HINT: &str = "; the string has escapes, so its unescaped text cannot borrow from the \
    input: use String or Cow<str>, or parse with jsontape::parse and call Document::deserialize, \
    which borrows it from the document";

impl<'de, 't> Ctx<'de, 't> {
    fn new(doc: &'t Document<'t>, input: &'de str, arena_de: Option<&'de str>) -> Self {
        Ctx {
            doc,
            tape: doc.tape(),
            input,
            arena: doc.arena(),
            arena_de,
            depth: Cell::new(0),
        }
    }

    /// Runs `read` one level deeper, the container at `pos` being that level;
    /// past [`SERDE_MAX_DEPTH`] levels, an error instead.
    #[inline]
    fn nested<T>(&self, pos: usize, read: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
        let depth = self.depth.get();
        if depth >= SERDE_MAX_DEPTH {
            return Err(self.too_deep(pos));
        }
        self.depth.set(depth + 1);
        let result = read();
        self.depth.set(depth);
        result
    }

    #[cold]
    fn too_deep(&self, pos: usize) -> Error {
        let offset = self.value(pos).input_offset();
        Error::at(
            ErrorKind::DepthLimitExceeded,
            self.doc.input().as_bytes(),
            offset,
        )
    }

    /// A `T` from the value at `pos`; errors the `Deserialize` impl raises
    /// after reading the value are tied to it too.
    fn deserialize<T: Deserialize<'de>>(&self, pos: usize) -> Result<T, Error> {
        self.located(pos, T::deserialize(ValueDeserializer { ctx: self, pos }))
    }

    #[inline(always)]
    fn tag(&self, pos: usize) -> Tag {
        tape::tag(self.tape[pos])
    }

    #[inline(always)]
    fn payload(&self, pos: usize) -> u64 {
        self.tape[pos + 1]
    }

    /// The value at `pos`, for the slower paths (errors, raw text).
    fn value(&self, pos: usize) -> ValueRef<'t> {
        self.doc.value_at(pos)
    }

    /// The unescaped text of the string at `pos`: for `'de` if it lives that
    /// long (the input always; the arena when the caller holds the document),
    /// else only for this call.
    #[inline(always)]
    fn text(&self, pos: usize) -> Option<Text<'de, 't>> {
        Some(match tape::str_span(self.tape, pos)? {
            StrSpan::Input(range) => Text::Borrowed(&self.input[range]),
            StrSpan::Arena(range) => match self.arena_de {
                Some(arena) => Text::Borrowed(&arena[range]),
                None => Text::Transient(&self.arena[range]),
            },
        })
    }

    /// Hands the string at `pos` to `visitor`, borrowed for `'de` if it can be.
    #[inline]
    fn visit_str<V: Visitor<'de>>(&self, pos: usize, visitor: V) -> Result<V::Value, Error> {
        match self.text(pos) {
            Some(Text::Borrowed(text)) => visitor.visit_borrowed_str(text),
            Some(Text::Transient(text)) => visitor.visit_str(text).map_err(add_borrow_hint),
            None => Err(self.invalid_type(pos, &visitor)),
        }
    }

    /// Hands the bytes of the string at `pos` to `visitor`, borrowed for
    /// `'de` if they can be.
    fn visit_bytes<V: Visitor<'de>>(&self, pos: usize, visitor: V) -> Result<V::Value, Error> {
        match self.text(pos) {
            Some(Text::Borrowed(text)) => visitor.visit_borrowed_bytes(text.as_bytes()),
            Some(Text::Transient(text)) => visitor.visit_bytes(text.as_bytes()),
            None => Err(self.invalid_type(pos, &visitor)),
        }
    }

    /// The exact input text of the value at `pos`, for `'de`.
    fn raw_json(&self, pos: usize) -> &'de str {
        let value = self.value(pos);
        let start = value.input_offset();
        &self.input[start..start + value.raw_json().len()]
    }

    /// serde's "invalid type" error for the value at `pos`.
    #[cold]
    fn invalid_type(&self, pos: usize, expected: &dyn de::Expected) -> Error {
        de::Error::invalid_type(unexpected(self.value(pos)), expected)
    }

    /// serde's "invalid value" error for the value at `pos`.
    #[cold]
    fn invalid_value(&self, pos: usize, expected: &dyn de::Expected) -> Error {
        de::Error::invalid_value(unexpected(self.value(pos)), expected)
    }

    /// Ties an error that passes out of the reading of the value at `pos` to
    /// that value's position and path (if nothing inside it claimed the error
    /// first).
    #[cold]
    fn locate(&self, pos: usize, error: Error) -> Error {
        if error.is_located() {
            return error;
        }
        let value = self.value(pos);
        error.locate(self.doc.input().as_bytes(), value.input_offset(), || {
            path_to(value)
        })
    }

    /// Ties `result`'s error, if any, to the value at `pos`.
    #[inline(always)]
    fn located<T>(&self, pos: usize, result: Result<T, Error>) -> Result<T, Error> {
        result.map_err(|error| self.locate(pos, error))
    }
}

/// A string's unescaped text, and how long it can be borrowed.
enum Text<'de, 't> {
    /// For `'de`: the visitor may keep it.
    Borrowed(&'de str),
    /// Only for the call: it is in an arena that dies before `'de` ends.
    Transient(&'t str),
}

#[cold]
fn add_borrow_hint(error: Error) -> Error {
    match error.data_message() {
        Some(message) if message.ends_with("expected a borrowed string") => {
            error.with_hint(BORROW_HINT)
        }
        _ => error,
    }
}

/// What `value` is, in the words of serde's type errors.
fn unexpected(value: ValueRef<'_>) -> Unexpected<'_> {
    match value.tag() {
        Tag::Null => Unexpected::Unit,
        Tag::True => Unexpected::Bool(true),
        Tag::False => Unexpected::Bool(false),
        Tag::Str | Tag::StrLong | Tag::StrEscaped => {
            Unexpected::Str(value.as_str().unwrap_or_default())
        }
        Tag::U64 => Unexpected::Unsigned(value.payload()),
        Tag::I64 => Unexpected::Signed(value.payload() as i64),
        Tag::F64 => Unexpected::Float(f64::from_bits(value.payload())),
        Tag::Array | Tag::ArrayEnd => Unexpected::Seq,
        Tag::Object | Tag::ObjectEnd => Unexpected::Map,
    }
}

/// The path from the document's root to `value`, such as `statuses[3].user`:
/// found by descending from the root through the one child whose tape range
/// holds `value` (only ever done for an error).
fn path_to(value: ValueRef<'_>) -> String {
    use core::fmt::Write;
    let target = value.tape_index();
    let mut path = String::new();
    let mut node = value.document().root();
    let holds = |child: ValueRef<'_>| (child.tape_index()..child.next_pos()).contains(&target);
    while node.tape_index() != target {
        let step = match node.tag() {
            Tag::Array => node
                .array_iter()
                .enumerate()
                .find(|(_, child)| holds(*child))
                .map(|(i, child)| {
                    let _ = write!(path, "[{i}]");
                    child
                }),
            Tag::Object => node
                .fields()
                .find(|(key, value)| key.tape_index() == target || holds(*value))
                .map(|(key, value)| {
                    push_key(&mut path, key.as_str().unwrap_or_default());
                    // A key stands for its field.
                    if key.tape_index() == target {
                        key
                    } else {
                        value
                    }
                }),
            _ => None,
        };
        match step {
            Some(child) => node = child,
            None => break,
        }
    }
    path
}

/// Appends `.key`, or `["key"]` when the key is not a plain identifier.
fn push_key(path: &mut String, key: &str) {
    let plain = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if plain {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
    } else {
        path.push('[');
        path.push_str(&crate::ser::quoted(key));
        path.push(']');
    }
}

/// A serde `Deserializer` for one value of a document.
#[derive(Clone, Copy)]
pub(crate) struct ValueDeserializer<'de, 't> {
    ctx: &'t Ctx<'de, 't>,
    /// Tape index of the value's head word.
    pos: usize,
}

impl<'de, 't> ValueDeserializer<'de, 't> {
    fn visit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let (ctx, pos) = (self.ctx, self.pos);
        match ctx.tag(pos) {
            Tag::Null => visitor.visit_unit(),
            Tag::True => visitor.visit_bool(true),
            Tag::False => visitor.visit_bool(false),
            Tag::U64 => visitor.visit_u64(ctx.payload(pos)),
            Tag::I64 => visitor.visit_i64(ctx.payload(pos) as i64),
            Tag::F64 => visitor.visit_f64(f64::from_bits(ctx.payload(pos))),
            Tag::Str | Tag::StrLong | Tag::StrEscaped => ctx.visit_str(pos, visitor),
            Tag::Array => ctx.nested(pos, || SeqDeserializer::new(ctx, pos).visit(visitor)),
            Tag::Object => ctx.nested(pos, || MapDeserializer::new(ctx, pos).visit(visitor)),
            // A value's head word is never an end word.
            Tag::ArrayEnd | Tag::ObjectEnd => Err(ctx.invalid_type(pos, &visitor)),
        }
    }

    /// The number's exact text, if it is an integer too large for 64 bits
    /// (the tape holds such numbers as `f64`s).
    fn wide_integer_text(self) -> Option<&'t str> {
        let text = self.ctx.value(self.pos).raw_json();
        let integral = self.ctx.tag(self.pos) == Tag::F64 && !text.contains(['.', 'e', 'E']);
        integral.then_some(text)
    }
}

/// An integer wider than 64 bits from its exact text, or the usual visit.
macro_rules! deserialize_wide_integer {
    ($method:ident, $int:ty, $visit:ident) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            let result = match self.wide_integer_text() {
                Some(text) => match text.parse::<$int>() {
                    Ok(n) => visitor.$visit(n),
                    Err(_) => Err(self.ctx.invalid_value(self.pos, &visitor)),
                },
                None => self.visit(visitor),
            };
            self.ctx.located(self.pos, result)
        }
    };
}

impl<'de> Deserializer<'de> for ValueDeserializer<'de, '_> {
    type Error = Error;

    #[inline]
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.ctx.located(self.pos, self.visit(visitor))
    }

    /// Integers and floats alike, read from the number's text so the `f32`
    /// is correctly rounded (not rounded twice through `f64`).
    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let (ctx, pos) = (self.ctx, self.pos);
        if ctx.tag(pos) != Tag::F64 {
            return self.deserialize_any(visitor);
        }
        let result = match ctx.value(pos).raw_json().parse::<f32>() {
            Ok(f) if f.is_finite() => visitor.visit_f32(f),
            _ => Err(ctx.invalid_value(pos, &visitor)),
        };
        ctx.located(pos, result)
    }

    deserialize_wide_integer!(deserialize_i128, i128, visit_i128);
    deserialize_wide_integer!(deserialize_u128, u128, visit_u128);

    #[inline]
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let result = match self.ctx.tag(self.pos) {
            Tag::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        };
        self.ctx.located(self.pos, result)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        let result = if name == raw::TOKEN {
            visitor.visit_map(raw::RawAccess::new(self.ctx.raw_json(self.pos)))
        } else {
            visitor.visit_newtype_struct(self)
        };
        self.ctx.located(self.pos, result)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let (ctx, pos) = (self.ctx, self.pos);
        let result = match ctx.tag(pos) {
            Tag::Str | Tag::StrLong | Tag::StrEscaped => {
                visitor.visit_enum(UnitVariant::new(ctx, pos))
            }
            Tag::Object if tape::unpair(ctx.payload(pos)).0 == 1 => {
                visitor.visit_enum(EnumDeserializer::new(ctx, pos))
            }
            _ => Err(ctx.invalid_type(pos, &"a string or an object with one field")),
        };
        ctx.located(pos, result)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let (ctx, pos) = (self.ctx, self.pos);
        match ctx.tag(pos) {
            Tag::Str | Tag::StrLong | Tag::StrEscaped => {
                ctx.located(pos, ctx.visit_bytes(pos, visitor))
            }
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }

    /// Only a string names a field or variant (as in serde_json: no variant
    /// indices as numbers).
    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let (ctx, pos) = (self.ctx, self.pos);
        let result = match ctx.tag(pos) {
            Tag::Str | Tag::StrLong | Tag::StrEscaped => ctx.visit_str(pos, visitor),
            _ => Err(ctx.invalid_type(pos, &visitor)),
        };
        ctx.located(pos, result)
    }

    /// O(1): the tape already knows where the value ends.
    #[inline]
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 u8 u16 u32 u64 f64 char str string
        unit unit_struct seq tuple tuple_struct map struct
    }
}
