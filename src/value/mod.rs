//! [`Value`]: an owned tree of a JSON document, built from the tape.
//!
//! A `Value<'a>` borrows its strings (from the input, or from the document's
//! arena for strings that had escapes); [`OwnedValue`] is the same tree with
//! every string owned, for values that must outlive their document. Objects
//! are [halfbrown](https://docs.rs/halfbrown) maps created with the exact field
//! count the tape recorded, so building one never grows a table.

mod build;
mod macros;
mod number;
mod serde_impls;

pub use number::Number;

use crate::Kind;
use crate::document::{Document, ValueRef};
use crate::error::Error;
use crate::path::pointer;
use crate::ser;
use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::ops::Index;

/// A JSON object: keys borrowed where possible, in a halfbrown map (a vector
/// up to 32 fields, a hash table beyond).
pub type Object<'a> = halfbrown::HashMap<Cow<'a, str>, Value<'a>>;

/// A [`Value`] that owns all its strings.
pub type OwnedValue = Value<'static>;

/// A JSON value.
///
/// Build one from a parsed document with [`Document::to_value`] (borrowing its
/// strings) or [`Document::to_owned_value`]; write it with `Display` (compact
/// JSON).
///
/// ```
/// let doc = jsontape::parse(r#"{"name": "Ada", "langs": ["en", "fr"], "born": 1815}"#)?;
/// let value = doc.to_value();
/// assert_eq!(value["name"].as_str(), Some("Ada"));
/// assert_eq!(value["langs"][1].as_str(), Some("fr"));
/// assert_eq!(value["born"].as_u64(), Some(1815));
/// assert!(value["missing"].is_null());
/// # Ok::<(), jsontape::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value<'a> {
    /// `null`
    #[default]
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string, borrowed where possible.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Value<'a>>),
    /// An object.
    Object(Object<'a>),
}

/// What building a [`Value`] does when an object repeats a key.
///
/// ```
/// use jsontape::{DuplicateKeys, ErrorKind};
/// let doc = jsontape::parse(r#"{"role": "user", "role": "admin"}"#)?;
/// assert_eq!(doc.to_value()["role"].as_str(), Some("admin"));
/// let err = doc.to_value_with(DuplicateKeys::Reject).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::DuplicateKey);
/// assert_eq!(err.to_string(), r#"duplicate object key "role" at line 1 column 18"#);
/// # Ok::<(), jsontape::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum DuplicateKeys {
    /// The last occurrence wins, as in serde_json and in [`ValueRef::get`].
    #[default]
    LastWins,
    /// A repeated key is an [`ErrorKind::DuplicateKey`](crate::ErrorKind)
    /// error, for inputs where two readers disagreeing on a value would be a
    /// security problem (key smuggling).
    Reject,
}

static NULL: Value<'static> = Value::Null;

impl<'d> ValueRef<'d> {
    /// The value as a [`Value`] tree whose strings borrow from the document.
    /// Duplicate keys: the last one wins.
    ///
    /// ```
    /// let doc = jsontape::parse(r#"[1, {"a": "b"}]"#)?;
    /// let second = doc.root().at(1).unwrap().to_value();
    /// assert_eq!(second["a"].as_str(), Some("b"));
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn to_value(self) -> Value<'d> {
        // Last-wins building cannot fail.
        self.to_value_with(DuplicateKeys::LastWins)
            .unwrap_or_default()
    }

    /// [`to_value`](ValueRef::to_value) with a choice of what duplicate keys do.
    pub fn to_value_with(self, duplicates: DuplicateKeys) -> Result<Value<'d>, Error> {
        build::build(self, duplicates, Cow::Borrowed)
    }

    /// The value as a tree that owns its strings and outlives the document.
    ///
    /// ```
    /// let owned: jsontape::OwnedValue = {
    ///     let input = String::from(r#"{"k": "v"}"#);
    ///     jsontape::parse(&input)?.root().to_owned_value()
    /// };
    /// assert_eq!(owned["k"].as_str(), Some("v"));
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn to_owned_value(self) -> OwnedValue {
        build::build(self, DuplicateKeys::LastWins, |s| Cow::Owned(s.into())).unwrap_or_default()
    }
}

impl<'a> Document<'a> {
    /// The whole document as a [`Value`]; see [`ValueRef::to_value`].
    ///
    /// ```
    /// let doc = jsontape::parse("[true, null]")?;
    /// assert_eq!(doc.to_value(), jsontape::Value::Array(vec![true.into(), jsontape::Value::Null]));
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn to_value(&self) -> Value<'_> {
        self.root().to_value()
    }

    /// The whole document as a [`Value`], with a choice of what duplicate
    /// keys do; see [`DuplicateKeys`].
    pub fn to_value_with(&self, duplicates: DuplicateKeys) -> Result<Value<'_>, Error> {
        self.root().to_value_with(duplicates)
    }

    /// The whole document as an [`OwnedValue`]; see
    /// [`ValueRef::to_owned_value`].
    pub fn to_owned_value(&self) -> OwnedValue {
        self.root().to_owned_value()
    }
}

impl<'a> Value<'a> {
    /// The kind of value.
    ///
    /// ```
    /// assert_eq!(jsontape::Value::from("x").kind(), jsontape::Kind::String);
    /// ```
    pub fn kind(&self) -> Kind {
        match self {
            Value::Null => Kind::Null,
            Value::Bool(_) => Kind::Bool,
            Value::Number(_) => Kind::Number,
            Value::String(_) => Kind::String,
            Value::Array(_) => Kind::Array,
            Value::Object(_) => Kind::Object,
        }
    }

    /// Whether the value is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The boolean, if the value is one.
    ///
    /// ```
    /// assert_eq!(jsontape::Value::from(true).as_bool(), Some(true));
    /// ```
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number, if the value is one.
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The number as `u64`, if it is an integer in range.
    ///
    /// ```
    /// assert_eq!(jsontape::Value::from(5u8).as_u64(), Some(5));
    /// ```
    pub fn as_u64(&self) -> Option<u64> {
        self.as_number()?.as_u64()
    }

    /// The number as `i64`, if it is an integer in range.
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number()?.as_i64()
    }

    /// Any number as `f64`.
    ///
    /// ```
    /// assert_eq!(jsontape::Value::from(2u8).as_f64(), Some(2.0));
    /// ```
    pub fn as_f64(&self) -> Option<f64> {
        self.as_number().map(Number::as_f64)
    }

    /// The string, if the value is one.
    ///
    /// ```
    /// assert_eq!(jsontape::Value::from("hi").as_str(), Some("hi"));
    /// ```
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The elements, if the value is an array.
    pub fn as_array(&self) -> Option<&Vec<Value<'a>>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The elements, mutably, if the value is an array.
    pub fn as_array_mut(&mut self) -> Option<&mut Vec<Value<'a>>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The fields, if the value is an object.
    pub fn as_object(&self) -> Option<&Object<'a>> {
        match self {
            Value::Object(fields) => Some(fields),
            _ => None,
        }
    }

    /// The fields, mutably, if the value is an object.
    pub fn as_object_mut(&mut self) -> Option<&mut Object<'a>> {
        match self {
            Value::Object(fields) => Some(fields),
            _ => None,
        }
    }

    /// The field `key`, if the value is an object that has it.
    ///
    /// ```
    /// let doc = jsontape::parse(r#"{"a": 1}"#)?;
    /// assert_eq!(doc.to_value().get("a").and_then(|v| v.as_u64()), Some(1));
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        self.as_object()?.get(key)
    }

    /// The element at `index`, if the value is an array that long.
    pub fn at(&self, index: usize) -> Option<&Value<'a>> {
        self.as_array()?.get(index)
    }

    /// Elements of an array or fields of an object; 0 for other values.
    pub fn len(&self) -> usize {
        match self {
            Value::Array(items) => items.len(),
            Value::Object(fields) => fields.len(),
            _ => 0,
        }
    }

    /// Whether [`len`](Value::len) is 0.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value at a JSON Pointer (RFC 6901), such as `/langs/0`.
    ///
    /// ```
    /// let doc = jsontape::parse(r#"{"a/b": [10, 20]}"#)?;
    /// assert_eq!(doc.to_value().pointer("/a~1b/1").and_then(|v| v.as_u64()), Some(20));
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn pointer(&self, json_pointer: &str) -> Option<&Value<'a>> {
        pointer::tokens(json_pointer)?.try_fold(self, |current, token| match current {
            Value::Object(fields) => fields.get(pointer::unescape(token)?.as_ref()),
            Value::Array(items) => items.get(pointer::array_index(token)?),
            _ => None,
        })
    }
}

/// Writing JSON. Every float is written in the shortest form that reads back
/// as the same `f64`; strings are escaped as serde_json escapes them. Nothing
/// recurses, so a value nested any depth can be written.
impl Value<'_> {
    /// The value as compact JSON, like serde_json's `to_string`: the same
    /// text as [`Display`](core::fmt::Display), written straight into the
    /// string's buffer.
    ///
    /// This method shadows `ToString::to_string` (which goes through
    /// `Display`, whose output is handed through a `fmt::Formatter` in
    /// chunks) so that `value.to_string()`, the call everybody writes, takes
    /// the fast path; generic code calling `ToString` gets the same text.
    ///
    /// ```
    /// let doc = jsontape::parse(r#"{"tags": ["a\"b", "é"], "n": 1e-7}"#)?;
    /// let value = doc.to_value();
    /// assert_eq!(value.to_string(), r#"{"tags":["a\"b","é"],"n":1e-7}"#);
    /// assert_eq!(value.to_string(), format!("{value}"));
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    #[allow(clippy::inherent_to_string_shadow_display)]
    pub fn to_string(&self) -> String {
        ser::to_string(self)
    }

    /// The value as pretty JSON: one element or field per line, indented by
    /// two spaces per level, `"key": value`, empty containers as `[]` and
    /// `{}` (the layout of serde_json's `to_string_pretty`).
    ///
    /// ```
    /// let doc = jsontape::parse(r#"{"list": [1, 2.5e-8], "empty": []}"#)?;
    /// let value = doc.to_value();
    /// assert_eq!(value["list"].to_string_pretty(), "[\n  1,\n  2.5e-8\n]");
    /// assert_eq!(value["empty"].to_string_pretty(), "[]");
    /// // `{:#}` writes the same.
    /// assert_eq!(format!("{:#}", value["list"]), value["list"].to_string_pretty());
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn to_string_pretty(&self) -> String {
        ser::to_string_pretty(self)
    }

    /// Writes the value as compact JSON (as [`Display`](core::fmt::Display)
    /// does) to `writer` through an 8 KiB buffer, so an unbuffered writer is
    /// fine. Does not flush `writer`.
    ///
    /// ```
    /// let value = jsontape::Value::from(vec!["tab\there", "quote\""]);
    /// let mut out = Vec::new();
    /// value.to_writer(&mut out)?;
    /// assert_eq!(out, br#"["tab\there","quote\""]"#);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[cfg(feature = "std")]
    pub fn to_writer<W: std::io::Write>(&self, writer: W) -> std::io::Result<()> {
        ser::to_writer(self, writer, false)
    }

    /// Writes the value as pretty JSON (as
    /// [`to_string_pretty`](Value::to_string_pretty) does) to `writer` through
    /// an 8 KiB buffer. Does not flush `writer`.
    ///
    /// ```
    /// let value = jsontape::Value::from(vec![1u8, 2]);
    /// let mut out = Vec::new();
    /// value.to_writer_pretty(&mut out)?;
    /// assert_eq!(out, b"[\n  1,\n  2\n]");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[cfg(feature = "std")]
    pub fn to_writer_pretty<W: std::io::Write>(&self, writer: W) -> std::io::Result<()> {
        ser::to_writer(self, writer, true)
    }
}

/// Compact JSON, like serde_json's `to_string`; the alternate flag (`{:#}`)
/// writes pretty JSON, as [`Value::to_string_pretty`].
///
/// ```
/// let doc = jsontape::parse(r#"[0.1, -0.0, 1e300, "a\u0000/é", {"k": null}]"#)?;
/// let value = doc.to_value();
/// assert_eq!(format!("{value}"), r#"[0.1,-0.0,1e+300,"a\u0000/é",{"k":null}]"#);
/// # Ok::<(), jsontape::Error>(())
/// ```
impl fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        ser::display(self, f)
    }
}

/// `value["key"]`: the field, or `null` if the value is not an object or has
/// no such field (as in serde_json).
impl<'a> Index<&str> for Value<'a> {
    type Output = Value<'a>;

    fn index(&self, key: &str) -> &Value<'a> {
        self.get(key).unwrap_or(&NULL)
    }
}

/// `value[i]`: the element, or `null` if the value is not an array or is
/// shorter.
impl<'a> Index<usize> for Value<'a> {
    type Output = Value<'a>;

    fn index(&self, index: usize) -> &Value<'a> {
        self.at(index).unwrap_or(&NULL)
    }
}

impl From<bool> for Value<'_> {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<Number> for Value<'_> {
    fn from(n: Number) -> Self {
        Value::Number(n)
    }
}

macro_rules! from_integer {
    ($($t:ty)*) => {$(
        impl From<$t> for Value<'_> {
            fn from(n: $t) -> Self {
                Value::Number(n.into())
            }
        }
    )*};
}

from_integer!(u8 u16 u32 u64 usize i8 i16 i32 i64 isize);

/// NaN and infinities become `null`, as in serde_json.
impl From<f64> for Value<'_> {
    fn from(f: f64) -> Self {
        Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}

/// NaN and infinities become `null`, as in serde_json.
impl From<f32> for Value<'_> {
    fn from(f: f32) -> Self {
        Value::from(f64::from(f))
    }
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(s: &'a str) -> Self {
        Value::String(Cow::Borrowed(s))
    }
}

impl From<String> for Value<'_> {
    fn from(s: String) -> Self {
        Value::String(Cow::Owned(s))
    }
}

impl<'a> From<Cow<'a, str>> for Value<'a> {
    fn from(s: Cow<'a, str>) -> Self {
        Value::String(s)
    }
}

impl<'a, T: Into<Value<'a>>> From<Vec<T>> for Value<'a> {
    fn from(items: Vec<T>) -> Self {
        Value::Array(items.into_iter().map(Into::into).collect())
    }
}

impl<'a> From<Object<'a>> for Value<'a> {
    fn from(fields: Object<'a>) -> Self {
        Value::Object(fields)
    }
}

/// `None` becomes `null`.
impl<'a, T: Into<Value<'a>>> From<Option<T>> for Value<'a> {
    fn from(option: Option<T>) -> Self {
        option.map_or(Value::Null, Into::into)
    }
}

impl From<()> for Value<'_> {
    fn from((): ()) -> Self {
        Value::Null
    }
}

impl<'a, T: Into<Value<'a>>> FromIterator<T> for Value<'a> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        Value::Array(items.into_iter().map(Into::into).collect())
    }
}
