//! serde support for [`Value`] and [`Number`]: any serde data format can
//! write a `Value`, and read one, borrowing strings where the format allows.

use super::{Number, Object, Value};
use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// Integers as `u64` or `i64`, floats as `f64`.
impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (self.as_u64(), self.as_i64()) {
            (Some(n), _) => serializer.serialize_u64(n),
            (None, Some(n)) => serializer.serialize_i64(n),
            (None, None) => serializer.serialize_f64(self.as_f64()),
        }
    }
}

/// ```
/// let doc = jsontape::parse(r#"{"a": [1, -2, 2.5, "x", null, true]}"#)?;
/// let text = serde_json::to_string(&doc.to_value()).unwrap();
/// assert_eq!(text, r#"{"a":[1,-2,2.5,"x",null,true]}"#);
/// # Ok::<(), jsontape::Error>(())
/// ```
impl Serialize for Value<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Number(n) => n.serialize(serializer),
            Value::String(s) => serializer.serialize_str(s),
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Object(fields) => {
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                for (key, value) in fields.iter() {
                    map.serialize_entry(key.as_ref(), value)?;
                }
                map.end()
            }
        }
    }
}

/// Reads any self-describing format into a `Value`, borrowing strings the
/// format hands out as borrowed (`visit_borrowed_str`).
///
/// ```
/// let value: jsontape::Value = serde_json::from_str(r#"{"k": ["v", 1]}"#).unwrap();
/// assert_eq!(value["k"][0].as_str(), Some("v"));
/// ```
impl<'de> Deserialize<'de> for Value<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Value<'de>, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Value<'de>, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value<'de>, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, inner: D) -> Result<Value<'de>, D::Error> {
        Value::deserialize(inner)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value<'de>, E> {
        Ok(Value::Bool(b))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Value<'de>, E> {
        Ok(Value::from(n))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Value<'de>, E> {
        Ok(Value::from(n))
    }

    fn visit_f64<E>(self, f: f64) -> Result<Value<'de>, E> {
        Ok(Value::from(f))
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Borrowed(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Owned(s.into())))
    }

    fn visit_string<E>(self, s: String) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Owned(s)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value<'de>, A::Error> {
        let mut fields = Object::with_capacity(map.size_hint().unwrap_or(0).min(4096));
        while let Some((key, value)) = map.next_entry::<Cow<'de, str>, Value<'de>>()? {
            fields.insert(key, value);
        }
        Ok(Value::Object(fields))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_serde_json() {
        let input = r#"{"a":[1,-2,2.5,1e300,"x\n",null,true,{}],"b":{"c":[]}}"#;
        let doc = crate::parse(input).unwrap();
        let value = doc.to_value();
        let text = serde_json::to_string(&value).unwrap();
        let back: Value<'_> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
        let expected: serde_json::Value = serde_json::from_str(input).unwrap();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            expected
        );
    }

    #[test]
    fn unescaped_strings_borrow_from_the_input() {
        let input = r#"["plain", "esc\"aped"]"#;
        let value: Value<'_> = serde_json::from_str(input).unwrap();
        assert!(matches!(&value[0], Value::String(Cow::Borrowed(_))));
        assert!(matches!(&value[1], Value::String(Cow::Owned(_))));
    }
}
