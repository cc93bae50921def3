//! [`LazyValue`]: a value found by [`get`](crate::get), still text.

use crate::arch::portable::Portable;
use crate::document::{Document, Kind};
use crate::error::{Error, ErrorKind, first_invalid_utf8};
use crate::parser::{self, Options};
use crate::stage2::number::{EXACT, ParsedNumber, parse_number};
use crate::stage2::string::{StringSpan, parse_string};
use alloc::borrow::Cow;
use alloc::string::String;
use core::fmt;

/// A value found by [`get`](crate::get) or [`get_many`](crate::get_many): its
/// exact text in the input, not yet parsed.
///
/// The walk that found it delimited the value and checked that its text is
/// UTF-8, nothing more (see [`get`](crate::get#what-is-validated)). Each
/// accessor validates the value's own text in full and answers `None` (or
/// `Err`, for [`parse`](LazyValue::parse)) when the text is not valid JSON of
/// its kind; nothing here panics. `LazyValue` is `Copy` and borrows the
/// input.
///
/// ```
/// let input = r#"{"name": "Ada", "age": 36, "langs": ["en", "fr"], "note": "caf\u00e9"}"#;
/// let name = jsontape::get(input, "/name")?.unwrap();
/// assert_eq!(name.raw_json(), r#""Ada""#);
/// assert_eq!(name.kind(), jsontape::Kind::String);
/// assert_eq!(name.as_str().as_deref(), Some("Ada"));
/// assert_eq!(jsontape::get(input, "/age")?.and_then(|v| v.as_u64()), Some(36));
/// assert_eq!(jsontape::get(input, "/note")?.and_then(|v| v.as_str()).as_deref(), Some("café"));
/// let langs = jsontape::get(input, "/langs")?.unwrap().parse()?;
/// assert_eq!(langs.root().len(), 2);
/// # Ok::<(), jsontape::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct LazyValue<'a> {
    /// The whole input, for the positions of errors.
    input: &'a [u8],
    /// Where the value starts in it.
    offset: usize,
    /// The value's text.
    raw: &'a str,
}

impl<'a> LazyValue<'a> {
    /// The value at `start..end` of `input`, whose text must be UTF-8.
    pub(crate) fn new(
        input: &'a [u8],
        (start, end): (usize, usize),
    ) -> Result<LazyValue<'a>, Error> {
        let bytes = input.get(start..end).unwrap_or_default();
        let raw = match simdutf8::basic::from_utf8(bytes) {
            Ok(raw) => raw,
            Err(_) => {
                let at = start + first_invalid_utf8(bytes).unwrap_or(0);
                return Err(Error::at(ErrorKind::InvalidUtf8, input, at));
            }
        };
        Ok(LazyValue {
            input,
            offset: start,
            raw,
        })
    }

    /// A value of a parsed document: its text, already validated, at
    /// `offset` of `input`.
    pub(crate) fn parsed(input: &'a [u8], offset: usize, raw: &'a str) -> LazyValue<'a> {
        LazyValue { input, offset, raw }
    }

    /// The exact input text of the value.
    ///
    /// ```
    /// let v = jsontape::get(r#"{"a": [1,  2.50]}"#, "/a")?.unwrap();
    /// assert_eq!(v.raw_json(), "[1,  2.50]");
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn raw_json(&self) -> &'a str {
        self.raw
    }

    /// Byte offset of the value in the input.
    ///
    /// ```
    /// let v = jsontape::get(r#"{"a": true}"#, "/a")?.unwrap();
    /// assert_eq!(v.offset(), 6);
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The kind of value, from its first byte (which the walk checked to start
    /// a JSON value); the rest of the text is not looked at.
    ///
    /// ```
    /// use jsontape::Kind;
    /// let input = r#"[null, false, -1, "", [], {}]"#;
    /// let kinds: Vec<Kind> = (0..6)
    ///     .map(|i| jsontape::get(input, &format!("/{i}")).unwrap().unwrap().kind())
    ///     .collect();
    /// assert_eq!(kinds, [Kind::Null, Kind::Bool, Kind::Number, Kind::String, Kind::Array, Kind::Object]);
    /// ```
    pub fn kind(&self) -> Kind {
        match self.raw.as_bytes().first() {
            Some(b'{') => Kind::Object,
            Some(b'[') => Kind::Array,
            Some(b'"') => Kind::String,
            Some(b't' | b'f') => Kind::Bool,
            Some(b'n') => Kind::Null,
            _ => Kind::Number,
        }
    }

    /// Whether the value is `null`.
    ///
    /// ```
    /// assert!(jsontape::get("[null]", "/0")?.unwrap().is_null());
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn is_null(&self) -> bool {
        self.raw == "null"
    }

    /// The boolean, if the value is `true` or `false`.
    ///
    /// ```
    /// assert_eq!(jsontape::get("[false]", "/0")?.unwrap().as_bool(), Some(false));
    /// assert_eq!(jsontape::get("[0]", "/0")?.unwrap().as_bool(), None);
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn as_bool(&self) -> Option<bool> {
        match self.raw {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }

    /// The number, if the text is a valid JSON number (the same reading as
    /// [`parse`](crate::parse): integers that fit `u64` or `i64` are
    /// integers, others `f64`).
    fn number(&self) -> Option<ParsedNumber> {
        let bytes = self.raw.as_bytes();
        match parse_number::<_, EXACT>(Portable, bytes, 0) {
            Ok((number, len)) if len == bytes.len() => Some(number),
            _ => None,
        }
    }

    /// The number as an `i64`, if it is an integer that fits.
    ///
    /// ```
    /// assert_eq!(jsontape::get("[-7]", "/0")?.unwrap().as_i64(), Some(-7));
    /// assert_eq!(jsontape::get("[1.0]", "/0")?.unwrap().as_i64(), None);
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn as_i64(&self) -> Option<i64> {
        match self.number()? {
            ParsedNumber::I64(n) => Some(n),
            ParsedNumber::U64(n) => i64::try_from(n).ok(),
            ParsedNumber::F64(_) => None,
        }
    }

    /// The number as a `u64`, if it is a non-negative integer that fits.
    ///
    /// ```
    /// assert_eq!(jsontape::get("[18446744073709551615]", "/0")?.unwrap().as_u64(), Some(u64::MAX));
    /// assert_eq!(jsontape::get("[-1]", "/0")?.unwrap().as_u64(), None);
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn as_u64(&self) -> Option<u64> {
        match self.number()? {
            ParsedNumber::U64(n) => Some(n),
            ParsedNumber::I64(n) => u64::try_from(n).ok(),
            ParsedNumber::F64(_) => None,
        }
    }

    /// Any number as an `f64` (integers beyond 2^53 are rounded); `None` for
    /// text that is not a valid JSON number, or one beyond the range of `f64`.
    ///
    /// ```
    /// assert_eq!(jsontape::get("[2.5e-3]", "/0")?.unwrap().as_f64(), Some(0.0025));
    /// assert_eq!(jsontape::get("[1e400]", "/0")?.unwrap().as_f64(), None);
    /// assert_eq!(jsontape::get("[01]", "/0")?.unwrap().as_f64(), None);
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn as_f64(&self) -> Option<f64> {
        match self.number()? {
            ParsedNumber::U64(n) => Some(n as f64),
            ParsedNumber::I64(n) => Some(n as f64),
            ParsedNumber::F64(f) => Some(f),
        }
    }

    /// The string, unescaped: borrowed from the input when it has no escapes,
    /// owned otherwise. `None` if the value is not a valid JSON string (a bad
    /// escape, a lone surrogate, a raw control character).
    ///
    /// ```
    /// use std::borrow::Cow;
    /// let input = r#"["plain", "tab\there", "\ud83d\ude00", "bad\x"]"#;
    /// assert!(matches!(jsontape::get(input, "/0")?.unwrap().as_str(), Some(Cow::Borrowed("plain"))));
    /// assert_eq!(jsontape::get(input, "/1")?.unwrap().as_str().as_deref(), Some("tab\there"));
    /// assert_eq!(jsontape::get(input, "/2")?.unwrap().as_str().as_deref(), Some("😀"));
    /// assert_eq!(jsontape::get(input, "/3")?.unwrap().as_str(), None);
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn as_str(&self) -> Option<Cow<'a, str>> {
        let raw = self.raw;
        if !raw.starts_with('"') || raw.bytes().any(|b| b < 0x20) {
            return None;
        }
        let mut decoded = String::new();
        let parsed = parse_string(Portable, raw, 0, &mut decoded).ok()?;
        if parsed.end != raw.len() {
            return None;
        }
        match parsed.span {
            StringSpan::Input { len } => raw.get(1..1 + len).map(Cow::Borrowed),
            StringSpan::Arena { .. } => Some(Cow::Owned(decoded)),
        }
    }

    /// Parses the value in full (all of it validated, as by
    /// [`parse`](crate::parse)) into a [`Document`] that borrows the input.
    /// Error positions are those in the whole input.
    ///
    /// ```
    /// let input = r#"{"user": {"name": "Ada", "langs": ["en", "fr"]}, "other": 1}"#;
    /// let user = jsontape::get(input, "/user")?.unwrap().parse()?;
    /// assert_eq!(user.pointer("/langs/1").and_then(|v| v.as_str()), Some("fr"));
    ///
    /// let err = jsontape::get("[1, [2, tru]]", "/1")?.unwrap().parse().unwrap_err();
    /// assert_eq!((err.kind(), err.offset()), (jsontape::ErrorKind::InvalidLiteral, 11));
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn parse(&self) -> Result<Document<'a>, Error> {
        parser::parse_owned(self.raw.as_bytes(), Options::default())
            .map_err(|e| Error::at(e.kind(), self.input, self.offset + e.offset()))
    }
}

/// The value's exact text.
impl fmt::Display for LazyValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.raw)
    }
}

impl fmt::Debug for LazyValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LazyValue")
            .field("offset", &self.offset)
            .field("raw_json", &self.raw)
            .finish()
    }
}
