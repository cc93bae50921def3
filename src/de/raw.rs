//! [`RawJson`] and [`Lazy`]: fields that keep a value's JSON text.
//!
//! Both ask the deserializer for a newtype struct with a private name
//! ([`TOKEN`]). jsontape's deserializer answers with the value's exact input
//! text, as a one-entry map `{TOKEN: text}` (a shape no other format
//! produces for a newtype request). Any other deserializer, including the
//! buffer serde puts in between for untagged and internally tagged enums and
//! `#[serde(flatten)]`, calls `visit_newtype_struct` instead: the text is then
//! gone, so `RawJson` re-encodes the value and `Lazy` deserializes at once.
//! That is where serde_json's `RawValue` fails outright.

use crate::Value;
use crate::error::Error;
use alloc::borrow::Cow;
use core::cell::OnceCell;
use core::fmt;
use core::marker::PhantomData;
use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, Visitor};

/// The newtype name that asks jsontape's deserializer for raw text.
pub(super) const TOKEN: &str = "$jsontape::private::RawJson";

/// The one-entry map `{TOKEN: raw text}` that carries a value's text.
pub(super) struct RawAccess<'de> {
    text: Option<&'de str>,
    key_read: bool,
}

impl<'de> RawAccess<'de> {
    pub(super) fn new(text: &'de str) -> Self {
        RawAccess {
            text: Some(text),
            key_read: false,
        }
    }
}

impl<'de> MapAccess<'de> for RawAccess<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if self.key_read {
            return Ok(None);
        }
        self.key_read = true;
        seed.deserialize(BorrowedStrDeserializer::new(TOKEN))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.text.take() {
            Some(text) => seed.deserialize(BorrowedStrDeserializer::new(text)),
            None => Err(de::Error::custom("raw JSON text read twice")),
        }
    }
}

/// Reads the `{TOKEN: text}` map made by [`RawAccess`].
fn read_raw_text<'de, A: MapAccess<'de>>(mut map: A) -> Result<&'de str, A::Error> {
    match map.next_key::<&str>()? {
        Some(TOKEN) => map.next_value(),
        _ => Err(de::Error::custom("expected raw JSON text")),
    }
}

/// The exact JSON text of a value, kept as it was in the input (spacing,
/// number spelling, escapes and all); like serde_json's `RawValue`.
///
/// Use it as a field to pass a sub-document through untouched, or to decide
/// later how to read it. Deserialized by jsontape, it borrows the input.
/// Where serde buffers values before the field sees them (inside
/// `#[serde(untagged)]` and internally tagged enums, and under
/// `#[serde(flatten)]`), the text no longer exists; there a `RawJson` holds
/// the value re-encoded as compact JSON (equal as JSON, floats bit-identical,
/// but possibly spelled differently), where serde_json's `RawValue` fails.
///
/// ```
/// use jsontape::RawJson;
///
/// #[derive(serde::Deserialize)]
/// struct Envelope<'a> {
///     kind: &'a str,
///     #[serde(borrow)]
///     payload: RawJson<'a>,
/// }
///
/// let input = r#"{"kind": "point", "payload": {"x": 1.50, "y": -2}}"#;
/// let envelope: Envelope = jsontape::from_str(input)?;
/// assert_eq!(envelope.kind, "point");
/// assert_eq!(envelope.payload.get(), r#"{"x": 1.50, "y": -2}"#);
///
/// let (x, y): (f64, i32) = {
///     #[derive(serde::Deserialize)]
///     struct Point { x: f64, y: i32 }
///     let p: Point = envelope.payload.deserialize()?;
///     (p.x, p.y)
/// };
/// assert_eq!((x, y), (1.5, -2));
/// # Ok::<(), jsontape::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct RawJson<'a> {
    text: Cow<'a, str>,
}

impl<'a> RawJson<'a> {
    /// The JSON text.
    pub fn get(&self) -> &str {
        &self.text
    }

    /// Whether the text is the exact input text (borrowed from it), as opposed
    /// to a re-encoding made where serde had buffered the value.
    ///
    /// ```
    /// let raw: jsontape::RawJson = jsontape::from_str("[1, 2]")?;
    /// assert!(raw.is_exact());
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn is_exact(&self) -> bool {
        matches!(self.text, Cow::Borrowed(_))
    }

    /// Deserializes a `T` from the text, as [`from_str`](crate::from_str).
    pub fn deserialize<'s, T: Deserialize<'s>>(&'s self) -> Result<T, Error> {
        crate::from_str(&self.text)
    }

    /// A `RawJson` that owns its text, for keeping past the input.
    ///
    /// ```
    /// let raw = {
    ///     let input = String::from(r#"{"k": [true]}"#);
    ///     let raw: jsontape::RawJson = jsontape::from_str(&input)?;
    ///     raw.into_owned()
    /// };
    /// assert_eq!(raw.get(), r#"{"k": [true]}"#);
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn into_owned(self) -> RawJson<'static> {
        RawJson {
            text: Cow::Owned(self.text.into_owned()),
        }
    }
}

impl fmt::Display for RawJson<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for RawJson<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RawJson").field(&self.text).finish()
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for RawJson<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(TOKEN, RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = RawJson<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    /// From jsontape: the exact text.
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawJson<'de>, A::Error> {
        let text = read_raw_text(map)?;
        Ok(RawJson {
            text: Cow::Borrowed(text),
        })
    }

    /// From anything else: the value, re-encoded.
    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<RawJson<'de>, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Ok(RawJson {
            text: Cow::Owned(value.to_string()),
        })
    }
}

/// A field deserialized only when first asked for: it keeps the value's JSON
/// text and reads a `T` from it on the first [`get`](Lazy::get).
///
/// Skipping work is the point: a large sub-document most requests never look
/// at costs only its structural scan (which the parse does anyway), not the
/// building of a `T`. Deserializing later reads the text with
/// [`from_str`](crate::from_str) rules: borrowed `&str` fields need strings
/// without escapes (use `Cow<str>` or `String` otherwise), and error positions
/// count from the start of the field's text.
///
/// Where serde buffers values before the field sees them (untagged and
/// internally tagged enums, `#[serde(flatten)]`) the text is gone, so the `T`
/// is deserialized at once, from the buffer, and [`raw`](Lazy::raw) is `None`.
///
/// ```
/// use jsontape::Lazy;
///
/// #[derive(serde::Deserialize)]
/// struct Response<'a> {
///     status: u16,
///     #[serde(borrow)]
///     body: Lazy<'a, Vec<u32>>,
/// }
///
/// let response: Response = jsontape::from_str(r#"{"status": 200, "body": [1, 2, 3]}"#)?;
/// assert_eq!(response.body.raw(), Some("[1, 2, 3]"));
/// if response.status == 200 {
///     assert_eq!(response.body.get()?, &[1, 2, 3]);
/// }
/// # Ok::<(), jsontape::Error>(())
/// ```
pub struct Lazy<'a, T> {
    text: Option<&'a str>,
    value: OnceCell<T>,
}

impl<'a, T: Deserialize<'a>> Lazy<'a, T> {
    /// The value, deserialized from the text on the first call.
    pub fn get(&self) -> Result<&T, Error> {
        if let Some(value) = self.value.get() {
            return Ok(value);
        }
        let value = crate::from_str(self.text.unwrap_or_default())?;
        Ok(self.value.get_or_init(|| value))
    }

    /// The value, deserialized now if it was not yet.
    ///
    /// ```
    /// let lazy: jsontape::Lazy<(bool, String)> = jsontape::from_str(r#"[true, "x"]"#)?;
    /// assert_eq!(lazy.into_inner()?, (true, "x".to_string()));
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn into_inner(self) -> Result<T, Error> {
        match self.value.into_inner() {
            Some(value) => Ok(value),
            None => crate::from_str(self.text.unwrap_or_default()),
        }
    }
}

impl<'a, T> Lazy<'a, T> {
    /// The field's exact JSON text; `None` where serde had buffered the value
    /// (then it was deserialized at once).
    pub fn raw(&self) -> Option<&'a str> {
        self.text
    }
}

impl<T: fmt::Debug> fmt::Debug for Lazy<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lazy")
            .field("raw", &self.text)
            .field("value", &self.value.get())
            .finish()
    }
}

impl<'de: 'a, 'a, T: Deserialize<'de>> Deserialize<'de> for Lazy<'a, T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let lazy: Lazy<'de, T> =
            deserializer.deserialize_newtype_struct(TOKEN, LazyVisitor(PhantomData))?;
        Ok(Lazy {
            text: lazy.text,
            value: lazy.value,
        })
    }
}

struct LazyVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for LazyVisitor<T> {
    type Value = Lazy<'de, T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    /// From jsontape: keep the text for later.
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Lazy<'de, T>, A::Error> {
        Ok(Lazy {
            text: Some(read_raw_text(map)?),
            value: OnceCell::new(),
        })
    }

    /// From anything else: deserialize now.
    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Lazy<'de, T>, D::Error> {
        Ok(Lazy {
            text: None,
            value: OnceCell::from(T::deserialize(deserializer)?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[derive(serde::Deserialize, Debug)]
    #[serde(untagged)]
    enum Either<'a> {
        Number(u32),
        Raw(#[serde(borrow)] RawJson<'a>),
    }

    #[test]
    fn raw_json_inside_an_untagged_enum_is_re_encoded() {
        let items: Vec<Either> = crate::from_str(r#"[7, {"a": [1, 2.50]}]"#).unwrap();
        assert!(matches!(items[0], Either::Number(7)));
        match &items[1] {
            Either::Raw(raw) => {
                assert_eq!(raw.get(), r#"{"a":[1,2.5]}"#);
                assert!(!raw.is_exact());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn lazy_reports_errors_on_access() {
        let lazy: Lazy<u8> = crate::from_str("300").unwrap();
        assert!(lazy.get().is_err());
        let lazy: Lazy<String> = crate::from_str(r#""x""#).unwrap();
        assert_eq!(lazy.get().unwrap(), "x");
        assert_eq!(lazy.get().unwrap(), "x");
    }
}
