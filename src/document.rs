//! [`Document`] and zero-allocation navigation with [`ValueRef`].

use crate::arch::portable::Portable;
use crate::path::pointer;
use crate::ser;
use crate::stage2::{Buffers, is_delimiter, string};
use crate::tape::{self, AUX_MAX, StrSpan, Tag};
use alloc::string::String;
use core::fmt;
use core::iter::FusedIterator;

/// A parsed JSON document: the input, its tape, and the arena holding the
/// strings that had escapes.
///
/// Made by [`parse`](crate::parse) (the document owns its tape) or
/// [`Parser::parse`](crate::Parser::parse) (the document borrows the parser's
/// buffers). Navigate it from [`root`](Document::root); nothing here allocates.
///
/// ```
/// let doc = jsontape::parse(r#"{"user": {"name": "Ada", "langs": ["en", "fr"]}}"#)?;
/// let user = doc.root().get("user").unwrap();
/// assert_eq!(user.get("name").and_then(|n| n.as_str()), Some("Ada"));
/// assert_eq!(doc.pointer("/user/langs/1").and_then(|l| l.as_str()), Some("fr"));
/// # Ok::<(), jsontape::Error>(())
/// ```
pub struct Document<'a> {
    text: &'a str,
    storage: Storage<'a>,
}

/// Who owns the tape and the arena.
enum Storage<'a> {
    Owned(Buffers),
    Borrowed(&'a Buffers),
}

impl<'a> Document<'a> {
    pub(crate) fn owned(text: &'a str, buffers: Buffers) -> Document<'a> {
        Document {
            text,
            storage: Storage::Owned(buffers),
        }
    }

    pub(crate) fn borrowed(text: &'a str, buffers: &'a Buffers) -> Document<'a> {
        Document {
            text,
            storage: Storage::Borrowed(buffers),
        }
    }

    #[inline(always)]
    fn buffers(&self) -> &Buffers {
        match &self.storage {
            Storage::Owned(buffers) => buffers,
            Storage::Borrowed(buffers) => buffers,
        }
    }

    #[inline(always)]
    pub(crate) fn tape(&self) -> &[u64] {
        &self.buffers().tape
    }

    /// The root value.
    ///
    /// ```
    /// let doc = jsontape::parse("[1, 2, 3]")?;
    /// assert_eq!(doc.root().len(), 3);
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn root(&self) -> ValueRef<'_> {
        self.value_at(0)
    }

    /// The value whose head word is at tape index `pos`.
    #[inline]
    pub(crate) fn value_at(&self, pos: usize) -> ValueRef<'_> {
        ValueRef { doc: self, pos }
    }

    /// The value at a JSON Pointer (RFC 6901), or `None` if there is none.
    ///
    /// ```
    /// let doc = jsontape::parse(r#"{"a/b": [10, {"~c": true}]}"#)?;
    /// assert_eq!(doc.pointer("/a~1b/1/~0c").and_then(|v| v.as_bool()), Some(true));
    /// assert!(doc.pointer("/a~1b/2").is_none());
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn pointer(&self, json_pointer: &str) -> Option<ValueRef<'_>> {
        self.root().pointer(json_pointer)
    }

    /// The input text the document was parsed from.
    ///
    /// ```
    /// let doc = jsontape::parse(" [true] ")?;
    /// assert_eq!(doc.input(), " [true] ");
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn input(&self) -> &'a str {
        self.text
    }

    /// Bytes of tape in use (8 per word).
    ///
    /// ```
    /// let doc = jsontape::parse("[1, 2]")?;
    /// assert_eq!(doc.tape_bytes(), 8 * 7); // array start (2), two numbers (2 + 2), end (1)
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn tape_bytes(&self) -> usize {
        self.tape().len() * 8
    }

    /// The arena: the unescaped text of every string that had escapes.
    pub(crate) fn arena(&self) -> &str {
        &self.buffers().arena
    }

    /// Bytes of unescaped string text held in the arena (strings without
    /// escapes are slices of the input and take none).
    ///
    /// ```
    /// let doc = jsontape::parse(r#"["plain", "esc\naped"]"#)?;
    /// assert_eq!(doc.arena_bytes(), "esc\naped".len());
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn arena_bytes(&self) -> usize {
        self.arena().len()
    }
}

impl fmt::Debug for Document<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Document")
            .field("root", &self.root())
            .finish()
    }
}

/// The kind of a JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `null`
    Null,
    /// `true` or `false`
    Bool,
    /// A number (integer or floating point).
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

/// A value inside a [`Document`]: a position on its tape.
///
/// `ValueRef` is two words, `Copy`, and never allocates; strings borrow from the
/// input or the document's arena.
///
/// ```
/// let doc = jsontape::parse(r#"{"n": -3, "f": 2.5, "s": "hi", "ok": true, "z": null}"#)?;
/// let root = doc.root();
/// assert_eq!(root.kind(), jsontape::Kind::Object);
/// assert_eq!(root.get("n").and_then(|v| v.as_i64()), Some(-3));
/// assert_eq!(root.get("f").and_then(|v| v.as_f64()), Some(2.5));
/// assert_eq!(root.get("s").and_then(|v| v.as_str()), Some("hi"));
/// assert_eq!(root.get("ok").and_then(|v| v.as_bool()), Some(true));
/// assert!(root.get("z").is_some_and(|v| v.is_null()));
/// # Ok::<(), jsontape::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct ValueRef<'d> {
    doc: &'d Document<'d>,
    /// Tape index of the value's head word.
    pos: usize,
}

impl<'d> ValueRef<'d> {
    #[inline(always)]
    fn word(self, at: usize) -> u64 {
        self.doc.tape()[at]
    }

    #[inline(always)]
    fn head(self) -> u64 {
        self.word(self.pos)
    }

    #[inline(always)]
    pub(crate) fn tag(self) -> Tag {
        tape::tag(self.head())
    }

    #[inline(always)]
    pub(crate) fn payload(self) -> u64 {
        self.word(self.pos + 1)
    }

    #[inline(always)]
    fn at_pos(self, pos: usize) -> ValueRef<'d> {
        ValueRef { doc: self.doc, pos }
    }

    /// Tape index of the value's head word: a value's identity within its
    /// document.
    #[inline(always)]
    pub(crate) fn tape_index(self) -> usize {
        self.pos
    }

    /// Tape index just past this value (past the end word of a container).
    #[inline(always)]
    pub(crate) fn next_pos(self) -> usize {
        tape::next_pos(self.doc.tape(), self.pos)
    }

    /// The kind of value.
    ///
    /// ```
    /// use jsontape::Kind;
    /// let doc = jsontape::parse(r#"[null, false, 0, "", [], {}]"#)?;
    /// let kinds: Vec<Kind> = doc.root().array_iter().map(|v| v.kind()).collect();
    /// assert_eq!(kinds, [Kind::Null, Kind::Bool, Kind::Number, Kind::String, Kind::Array, Kind::Object]);
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn kind(self) -> Kind {
        match self.tag() {
            Tag::Null => Kind::Null,
            Tag::True | Tag::False => Kind::Bool,
            Tag::Str | Tag::StrLong | Tag::StrEscaped => Kind::String,
            Tag::U64 | Tag::I64 | Tag::F64 => Kind::Number,
            Tag::Array | Tag::ArrayEnd => Kind::Array,
            Tag::Object | Tag::ObjectEnd => Kind::Object,
        }
    }

    /// Whether the value is `null`.
    ///
    /// ```
    /// assert!(jsontape::parse("null")?.root().is_null());
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn is_null(self) -> bool {
        self.tag() == Tag::Null
    }

    /// The boolean, if the value is `true` or `false`.
    ///
    /// ```
    /// assert_eq!(jsontape::parse("false")?.root().as_bool(), Some(false));
    /// assert_eq!(jsontape::parse("0")?.root().as_bool(), None);
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn as_bool(self) -> Option<bool> {
        match self.tag() {
            Tag::True => Some(true),
            Tag::False => Some(false),
            _ => None,
        }
    }

    /// The number as an `i64`, if it is an integer that fits.
    ///
    /// ```
    /// assert_eq!(jsontape::parse("-7")?.root().as_i64(), Some(-7));
    /// assert_eq!(jsontape::parse("18446744073709551615")?.root().as_i64(), None);
    /// assert_eq!(jsontape::parse("1.0")?.root().as_i64(), None);
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn as_i64(self) -> Option<i64> {
        match self.tag() {
            Tag::I64 => Some(self.payload() as i64),
            Tag::U64 => i64::try_from(self.payload()).ok(),
            _ => None,
        }
    }

    /// The number as a `u64`, if it is a non-negative integer that fits.
    ///
    /// ```
    /// assert_eq!(jsontape::parse("18446744073709551615")?.root().as_u64(), Some(u64::MAX));
    /// assert_eq!(jsontape::parse("-1")?.root().as_u64(), None);
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn as_u64(self) -> Option<u64> {
        match self.tag() {
            Tag::U64 => Some(self.payload()),
            Tag::I64 => u64::try_from(self.payload() as i64).ok(),
            _ => None,
        }
    }

    /// Any number as an `f64` (integers beyond 2^53 are rounded).
    ///
    /// ```
    /// assert_eq!(jsontape::parse("2.5e-3")?.root().as_f64(), Some(0.0025));
    /// assert_eq!(jsontape::parse("3")?.root().as_f64(), Some(3.0));
    /// assert_eq!(jsontape::parse("\"3\"")?.root().as_f64(), None);
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn as_f64(self) -> Option<f64> {
        match self.tag() {
            Tag::F64 => Some(f64::from_bits(self.payload())),
            Tag::U64 => Some(self.payload() as f64),
            Tag::I64 => Some(self.payload() as i64 as f64),
            _ => None,
        }
    }

    /// The string, unescaped. Borrowed from the input when it had no escapes,
    /// otherwise from the document's arena.
    ///
    /// ```
    /// let doc = jsontape::parse(r#"["plain", "tab\there", "\ud83d\ude00"]"#)?;
    /// let strings: Vec<&str> = doc.root().array_iter().filter_map(|v| v.as_str()).collect();
    /// assert_eq!(strings, ["plain", "tab\there", "😀"]);
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn as_str(self) -> Option<&'d str> {
        self.str_span()?.text(self.doc.text, self.doc.arena())
    }

    /// Where a string's unescaped text is; see [`tape::str_span`].
    #[inline]
    pub(crate) fn str_span(self) -> Option<StrSpan> {
        tape::str_span(self.doc.tape(), self.pos)
    }

    /// The value of field `key`, if this is an object that has it.
    ///
    /// With duplicate keys, the **last** field wins: the same answer as the
    /// DOM and as serde_json, so no two parts of a system can disagree on
    /// which value a key has. (Use [`object_iter`](ValueRef::object_iter) to
    /// see every field.)
    ///
    /// ```
    /// let doc = jsontape::parse(r#"{"a": 1, "b": 2, "a": 3}"#)?;
    /// assert_eq!(doc.root().get("a").and_then(|v| v.as_u64()), Some(3));
    /// assert!(doc.root().get("c").is_none());
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn get(self, key: &str) -> Option<ValueRef<'d>> {
        self.last_field_named(key).map(|(_, value)| value)
    }

    /// The last field named `key`, as (key, value). Compares each key's
    /// length on the tape before its bytes, so most keys cost one load.
    pub(crate) fn last_field_named(self, key: &str) -> Option<(ValueRef<'d>, ValueRef<'d>)> {
        let key = key.as_bytes();
        self.fields().filter(|(name, _)| name.is_str(key)).last()
    }

    /// Whether this is a string whose unescaped text is `text`.
    #[inline]
    fn is_str(self, text: &[u8]) -> bool {
        let (bytes, range) = match self.str_span() {
            Some(StrSpan::Input(range)) => (self.doc.text.as_bytes(), range),
            Some(StrSpan::Arena(range)) => (self.doc.arena().as_bytes(), range),
            None => return false,
        };
        range.len() == text.len() && bytes.get(range) == Some(text)
    }

    /// The value of the last field whose name satisfies `matches`.
    pub(crate) fn last_field_where(
        self,
        mut matches: impl FnMut(&str) -> bool,
    ) -> Option<ValueRef<'d>> {
        self.object_iter()
            .filter(|(name, _)| matches(name))
            .last()
            .map(|(_, value)| value)
    }

    /// Element `index` of an array.
    ///
    /// ```
    /// let doc = jsontape::parse(r#"[[1, 2], "x", {"k": 0}]"#)?;
    /// assert_eq!(doc.root().at(1).and_then(|v| v.as_str()), Some("x"));
    /// assert!(doc.root().at(3).is_none());
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn at(self, index: usize) -> Option<ValueRef<'d>> {
        self.array_iter().nth(index)
    }

    /// Number of elements of an array or fields of an object (duplicates
    /// included); 0 for anything else. O(1): the tape records it.
    ///
    /// ```
    /// let doc = jsontape::parse(r#"{"a": [1, 2, 3], "b": "four"}"#)?;
    /// assert_eq!(doc.root().len(), 2);
    /// assert_eq!(doc.pointer("/a").map(|a| a.len()), Some(3));
    /// assert_eq!(doc.pointer("/b").map(|b| b.len()), Some(0));
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn len(self) -> usize {
        match self.tag() {
            Tag::Array | Tag::Object => tape::unpair(self.payload()).0 as usize,
            _ => 0,
        }
    }

    /// Whether [`len`](ValueRef::len) is 0.
    ///
    /// ```
    /// assert!(jsontape::parse("[]")?.root().is_empty());
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The elements of an array, in order; empty for anything else.
    ///
    /// ```
    /// let doc = jsontape::parse("[1, 2, 3]")?;
    /// let sum: u64 = doc.root().array_iter().filter_map(|v| v.as_u64()).sum();
    /// assert_eq!(sum, 6);
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn array_iter(self) -> ArrayIter<'d> {
        let (pos, end, remaining) = self.children(Tag::Array);
        ArrayIter {
            value: self.at_pos(pos),
            end,
            remaining,
        }
    }

    /// The fields of an object in document order, duplicates included; empty
    /// for anything else.
    ///
    /// ```
    /// let doc = jsontape::parse(r#"{"x": 1, "y": 2}"#)?;
    /// let keys: Vec<&str> = doc.root().object_iter().map(|(k, _)| k).collect();
    /// assert_eq!(keys, ["x", "y"]);
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn object_iter(self) -> ObjectIter<'d> {
        ObjectIter(self.fields())
    }

    /// The fields of an object with their keys as tape values; empty for
    /// anything else.
    pub(crate) fn fields(self) -> Fields<'d> {
        let (key, _, remaining) = self.children(Tag::Object);
        Fields {
            doc: self.doc,
            tape: self.doc.tape(),
            key,
            remaining,
        }
    }

    /// First child position, end word position and count, if this is a
    /// container of kind `tag`; an empty range otherwise.
    fn children(self, tag: Tag) -> (usize, usize, usize) {
        if self.tag() != tag {
            return (self.pos, self.pos, 0);
        }
        let (count, end) = tape::unpair(self.payload());
        (self.pos + 2, end as usize, count as usize)
    }

    /// The exact input text of this value.
    ///
    /// ```
    /// let doc = jsontape::parse(r#"{"a": [1,  2.50], "b": "\u0041"}"#)?;
    /// assert_eq!(doc.pointer("/a").unwrap().raw_json(), "[1,  2.50]");
    /// assert_eq!(doc.pointer("/a/1").unwrap().raw_json(), "2.50");
    /// assert_eq!(doc.pointer("/b").unwrap().raw_json(), r#""\u0041""#);
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn raw_json(self) -> &'d str {
        let start = tape::offset(self.head());
        &self.doc.text[start..self.raw_end(self.pos)]
    }

    /// Input offset where the value's text starts.
    #[inline]
    pub(crate) fn input_offset(self) -> usize {
        tape::offset(self.head())
    }

    /// The document this value belongs to.
    pub(crate) fn document(self) -> &'d Document<'d> {
        self.doc
    }

    /// Input offset just past the token whose head word is at tape index `at`
    /// (for a container start, just past its closing bracket).
    fn raw_end(self, at: usize) -> usize {
        let head = self.word(at);
        let start = tape::offset(head);
        let bytes = self.doc.text.as_bytes();
        match tape::tag(head) {
            Tag::Null | Tag::True => start + 4,
            Tag::False => start + 5,
            Tag::Str => start + tape::aux(head) as usize + 2,
            Tag::StrLong => start + self.word(at + 1) as usize + 2,
            Tag::StrEscaped => match tape::aux(head) {
                AUX_MAX => string::string_end(Portable, bytes, start).unwrap_or(bytes.len()),
                len => start + len as usize,
            },
            Tag::U64 | Tag::I64 | Tag::F64 => match tape::aux(head) {
                AUX_MAX => bytes[start..]
                    .iter()
                    .position(|&b| is_delimiter(b))
                    .map_or(bytes.len(), |p| start + p),
                len => start + len as usize,
            },
            Tag::Array | Tag::Object => {
                let end = tape::unpair(self.word(at + 1)).1 as usize;
                tape::offset(self.word(end)) + 1
            }
            Tag::ArrayEnd | Tag::ObjectEnd => start + 1,
        }
    }

    /// The value at a JSON Pointer (RFC 6901) relative to this value.
    ///
    /// ```
    /// let doc = jsontape::parse(r#"{"users": [{"id": 7}]}"#)?;
    /// let users = doc.root().get("users").unwrap();
    /// assert_eq!(users.pointer("/0/id").and_then(|v| v.as_u64()), Some(7));
    /// assert_eq!(users.pointer("").map(|v| v.len()), Some(1));
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn pointer(self, json_pointer: &str) -> Option<ValueRef<'d>> {
        pointer::resolve(self, json_pointer)
    }

    /// [`pointer`](ValueRef::pointer), with the value's normalized path from
    /// this value (RFC 9535 section 2.7), as
    /// [`JsonPath::query_located`](crate::JsonPath::query_located) writes it.
    ///
    /// ```
    /// let doc = jsontape::parse(r#"{"a/b": [0, {"it's": 1}]}"#)?;
    /// let (path, value) = doc.root().pointer_located("/a~1b/1/it's").unwrap();
    /// assert_eq!((path.as_str(), value.as_u64()), (r"$['a/b'][1]['it\'s']", Some(1)));
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn pointer_located(self, json_pointer: &str) -> Option<(String, ValueRef<'d>)> {
        crate::path::jsonpath::pointer_located(self, json_pointer)
    }

    /// Every head word of the value in tape (= input) order: scalars,
    /// container starts and container ends. What the writer and the DOM
    /// builder walk, without recursion.
    pub(crate) fn heads(self) -> Heads<'d> {
        let last = match self.tag() {
            Tag::Array | Tag::Object => tape::unpair(self.payload()).1 as usize,
            _ => self.pos,
        };
        Heads { next: self, last }
    }

    /// What this head word is, for walks over [`heads`](ValueRef::heads).
    #[inline]
    pub(crate) fn step(self) -> Step {
        match self.tag() {
            Tag::Array => Step::OpenArray,
            Tag::Object => Step::OpenObject,
            Tag::ArrayEnd | Tag::ObjectEnd => Step::Close,
            Tag::Str | Tag::StrLong | Tag::StrEscaped => Step::String,
            Tag::Null | Tag::True | Tag::False | Tag::U64 | Tag::I64 | Tag::F64 => Step::Scalar,
        }
    }

    /// The tokens of the value's text in input order, straight off the tape:
    /// what the writer (`ser`) walks.
    pub(crate) fn tokens(self) -> Tokens<'d> {
        Tokens(self.heads())
    }

    /// The value as compact JSON: the input text without insignificant
    /// whitespace, as [`Display`](fmt::Display) writes it, straight into a
    /// string of the right capacity. Shadows `ToString::to_string`, which
    /// would go through `Display`; both give the same text.
    ///
    /// ```
    /// let doc = jsontape::parse("{ \"a\" : [ 1 , 2.0 ] }")?;
    /// assert_eq!(doc.root().to_string(), r#"{"a":[1,2.0]}"#);
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    #[allow(clippy::inherent_to_string_shadow_display)]
    pub fn to_string(&self) -> String {
        ser::to_string(self)
    }

    /// The value as pretty JSON: one element or field per line, indented by
    /// two spaces per level, `"key": value`, empty containers as `[]` and
    /// `{}` (the layout of serde_json's `to_string_pretty`). Numbers and
    /// strings keep their exact input spelling, escapes included; only
    /// whitespace changes. Walks the tape without recursion.
    ///
    /// ```
    /// let doc = jsontape::parse(r#"{"a": [1, 2.50], "b": {}, "c": "\u0041"}"#)?;
    /// assert_eq!(
    ///     doc.root().to_string_pretty(),
    ///     "{\n  \"a\": [\n    1,\n    2.50\n  ],\n  \"b\": {},\n  \"c\": \"\\u0041\"\n}"
    /// );
    /// // `{:#}` writes the same.
    /// assert_eq!(format!("{:#}", doc.root()), doc.root().to_string_pretty());
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn to_string_pretty(self) -> String {
        ser::to_string_pretty(&self)
    }

    /// Writes the value as compact JSON (as [`Display`](fmt::Display) does) to
    /// `writer` through an 8 KiB buffer, so an unbuffered writer is fine.
    /// Does not flush `writer`.
    ///
    /// ```
    /// let doc = jsontape::parse("[1, {\"a\" : null}]")?;
    /// let mut out = Vec::new();
    /// doc.root().to_writer(&mut out)?;
    /// assert_eq!(out, br#"[1,{"a":null}]"#);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "std")]
    pub fn to_writer<W: std::io::Write>(self, writer: W) -> std::io::Result<()> {
        ser::to_writer(&self, writer, false)
    }

    /// Writes the value as pretty JSON (as
    /// [`to_string_pretty`](ValueRef::to_string_pretty) does) to `writer` through
    /// an 8 KiB buffer. Does not flush `writer`.
    ///
    /// ```
    /// let doc = jsontape::parse("[1,{\"a\":null}]")?;
    /// let mut out = Vec::new();
    /// doc.root().to_writer_pretty(&mut out)?;
    /// assert_eq!(out, b"[\n  1,\n  {\n    \"a\": null\n  }\n]");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "std")]
    pub fn to_writer_pretty<W: std::io::Write>(self, writer: W) -> std::io::Result<()> {
        ser::to_writer(&self, writer, true)
    }
}

impl fmt::Display for ValueRef<'_> {
    /// Compact JSON: the input text without insignificant whitespace, so
    /// numbers and strings keep their exact spelling. The alternate flag
    /// (`{:#}`) writes pretty JSON, as
    /// [`to_string_pretty`](ValueRef::to_string_pretty).
    ///
    /// ```
    /// let doc = jsontape::parse("{ \"a\" : [ 1 , 2.0 ] ,\n \"b\" : \"x y\" }")?;
    /// assert_eq!(format!("{}", doc.root()), r#"{"a":[1,2.0],"b":"x y"}"#);
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        ser::display(self, f)
    }
}

impl fmt::Debug for ValueRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ValueRef({self})")
    }
}

/// What a head word met in a walk over [`ValueRef::heads`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// `[`: an array's start; its elements follow, then its [`Step::Close`].
    OpenArray,
    /// `{`: an object's start; its keys and values follow, alternating.
    OpenObject,
    /// `]` or `}`.
    Close,
    /// A string (a key or a value).
    String,
    /// A number, `true`, `false` or `null`.
    Scalar,
}

/// The head words of a value in tape order. See [`ValueRef::heads`].
pub(crate) struct Heads<'d> {
    /// The next head word (meaningless once past `last`).
    next: ValueRef<'d>,
    /// Tape index of the value's last word (a container's end word).
    last: usize,
}

impl<'d> Iterator for Heads<'d> {
    type Item = ValueRef<'d>;

    #[inline]
    fn next(&mut self) -> Option<ValueRef<'d>> {
        let current = self.next;
        if current.pos > self.last {
            return None;
        }
        // Into a container (past its two start words), not over it.
        self.next.pos = current.pos + current.tag().width();
        Some(current)
    }
}

/// One token of a value's input text: a bracket or a scalar, at
/// `start..end` in the input.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token {
    pub(crate) step: Step,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// The tokens of a value in input order. See [`ValueRef::tokens`].
pub(crate) struct Tokens<'d>(Heads<'d>);

impl Iterator for Tokens<'_> {
    type Item = Token;

    #[inline]
    fn next(&mut self) -> Option<Token> {
        let head = self.0.next()?;
        let start = head.input_offset();
        let step = head.step();
        let end = match step {
            Step::OpenArray | Step::OpenObject | Step::Close => start + 1,
            Step::String | Step::Scalar => head.raw_end(head.pos),
        };
        Some(Token { step, start, end })
    }
}

/// The elements of an array. See [`ValueRef::array_iter`].
#[derive(Clone)]
pub struct ArrayIter<'d> {
    /// The next element (meaningless once `remaining` is 0).
    value: ValueRef<'d>,
    /// Tape index of the array's end word.
    end: usize,
    remaining: usize,
}

impl<'d> Iterator for ArrayIter<'d> {
    type Item = ValueRef<'d>;

    #[inline]
    fn next(&mut self) -> Option<ValueRef<'d>> {
        if self.value.pos >= self.end {
            return None;
        }
        let current = self.value;
        self.value.pos = current.next_pos();
        self.remaining -= 1;
        Some(current)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl ExactSizeIterator for ArrayIter<'_> {}
impl FusedIterator for ArrayIter<'_> {}

/// The fields of an object. See [`ValueRef::object_iter`].
#[derive(Clone)]
pub struct ObjectIter<'d>(Fields<'d>);

impl<'d> Iterator for ObjectIter<'d> {
    type Item = (&'d str, ValueRef<'d>);

    #[inline]
    fn next(&mut self) -> Option<(&'d str, ValueRef<'d>)> {
        let (key, value) = self.0.next()?;
        // Stage 2 only ever writes a string word where a key belongs.
        Some((key.as_str().unwrap_or_default(), value))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

/// The fields of an object as (key, value) pairs of tape values, for walks
/// that need the key's position (the serde deserializer, error paths).
#[derive(Clone)]
pub(crate) struct Fields<'d> {
    doc: &'d Document<'d>,
    /// The document's tape, looked up once rather than per step.
    tape: &'d [u64],
    /// Tape index of the next field's key (meaningless once `remaining` is 0).
    key: usize,
    remaining: usize,
}

impl<'d> Iterator for Fields<'d> {
    type Item = (ValueRef<'d>, ValueRef<'d>);

    #[inline]
    fn next(&mut self) -> Option<(ValueRef<'d>, ValueRef<'d>)> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        let key = self.key;
        let value = tape::next_pos(self.tape, key);
        self.key = tape::next_pos(self.tape, value);
        Some((self.doc.value_at(key), self.doc.value_at(value)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl ExactSizeIterator for Fields<'_> {}
impl ExactSizeIterator for ObjectIter<'_> {}
impl FusedIterator for ObjectIter<'_> {}
