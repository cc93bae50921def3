//! Object keys as serde map keys: strings, and, as serde_json reads them,
//! numbers and booleans written as strings (`{"1": "a"}` into a
//! `HashMap<u32, _>`).

use super::Ctx;
use crate::error::Error;
use serde::de::{self, Deserializer, Unexpected, Visitor};

/// A serde `Deserializer` for one object key.
pub(super) struct KeyDeserializer<'de, 't> {
    ctx: &'t Ctx<'de, 't>,
    /// Tape index of the key's string.
    key: usize,
}

impl<'de, 't> KeyDeserializer<'de, 't> {
    #[inline(always)]
    pub(super) fn new(ctx: &'t Ctx<'de, 't>, key: usize) -> Self {
        KeyDeserializer { ctx, key }
    }

    fn text(&self) -> &'t str {
        // Keys are always strings on the tape.
        self.ctx.value(self.key).as_str().unwrap_or_default()
    }

    /// Parses the key as a number of type `N` if it is written as a JSON
    /// number (integers only if `integer`), then visits it.
    fn parse_number<N: KeyNumber, V: Visitor<'de>>(
        self,
        integer: bool,
        visitor: V,
        visit: impl FnOnce(V, N) -> Result<V::Value, Error>,
    ) -> Result<V::Value, Error> {
        let text = self.text();
        let result = match is_json_number(text, integer).then(|| text.parse::<N>()) {
            Some(Ok(n)) if n.in_range() => visit(visitor, n),
            Some(_) => Err(de::Error::invalid_value(Unexpected::Str(text), &visitor)),
            None => Err(de::Error::invalid_type(Unexpected::Str(text), &visitor)),
        };
        self.ctx.located(self.key, result)
    }
}

/// A number type a key can be read as.
trait KeyNumber: core::str::FromStr {
    /// Whether the parsed number is in range: `1e400` parses as an `f64`
    /// infinity, an error as a value and so as a key too.
    fn in_range(&self) -> bool {
        true
    }
}

macro_rules! key_numbers {
    ($($int:ty)*) => {$(impl KeyNumber for $int {})*};
}
key_numbers!(i8 i16 i32 i64 i128 u8 u16 u32 u64 u128);

impl KeyNumber for f32 {
    fn in_range(&self) -> bool {
        self.is_finite()
    }
}

impl KeyNumber for f64 {
    fn in_range(&self) -> bool {
        self.is_finite()
    }
}

/// Whether `text` follows the JSON number grammar (without fraction or
/// exponent if `integer`): what serde_json accepts as a numeric key. `-0`
/// is not an integer: as a value it is the float `-0.0`, and a key reads the
/// same as a value.
fn is_json_number(text: &str, integer: bool) -> bool {
    if integer && text == "-0" {
        return false;
    }
    let digits = |s: &[u8]| s.iter().take_while(|b| b.is_ascii_digit()).count();
    let mut rest = text.as_bytes();
    rest = rest.strip_prefix(b"-").unwrap_or(rest);
    let int = digits(rest);
    if int == 0 || (int > 1 && rest[0] == b'0') {
        return false;
    }
    rest = &rest[int..];
    if !integer {
        if let Some(frac) = rest.strip_prefix(b".") {
            let n = digits(frac);
            if n == 0 {
                return false;
            }
            rest = &frac[n..];
        }
        if let Some(exp) = rest.strip_prefix(b"e").or_else(|| rest.strip_prefix(b"E")) {
            let exp = exp
                .strip_prefix(b"+")
                .or_else(|| exp.strip_prefix(b"-"))
                .unwrap_or(exp);
            let n = digits(exp);
            if n == 0 {
                return false;
            }
            rest = &exp[n..];
        }
    }
    rest.is_empty()
}

/// A numeric key: parsed from the key's text with the exact type's parser.
macro_rules! deserialize_numeric_key {
    ($($method:ident => $ty:ty, $visit:ident, $integer:expr;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.parse_number::<$ty, V>($integer, visitor, |visitor, n| visitor.$visit(n))
        }
    )*};
}

impl<'de> Deserializer<'de> for KeyDeserializer<'de, '_> {
    type Error = Error;

    #[inline]
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.ctx
            .located(self.key, self.ctx.visit_str(self.key, visitor))
    }

    deserialize_numeric_key! {
        deserialize_i8 => i8, visit_i8, true;
        deserialize_i16 => i16, visit_i16, true;
        deserialize_i32 => i32, visit_i32, true;
        deserialize_i64 => i64, visit_i64, true;
        deserialize_i128 => i128, visit_i128, true;
        deserialize_u8 => u8, visit_u8, true;
        deserialize_u16 => u16, visit_u16, true;
        deserialize_u32 => u32, visit_u32, true;
        deserialize_u64 => u64, visit_u64, true;
        deserialize_u128 => u128, visit_u128, true;
        deserialize_f32 => f32, visit_f32, false;
        deserialize_f64 => f64, visit_f64, false;
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let result = match self.text() {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            text => Err(de::Error::invalid_type(Unexpected::Str(text), &visitor)),
        };
        self.ctx.located(self.key, result)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let result = visitor.visit_enum(super::access::UnitVariant::new(self.ctx, self.key));
        self.ctx.located(self.key, result)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.ctx
            .located(self.key, self.ctx.visit_bytes(self.key, visitor))
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        char str string unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

#[cfg(test)]
mod tests {
    use super::is_json_number;

    #[test]
    fn numeric_keys_follow_the_json_grammar() {
        for ok in ["0", "7", "-12", "1234567890"] {
            assert!(is_json_number(ok, true), "{ok}");
        }
        assert!(!is_json_number("-0", true));
        assert!(is_json_number("-0", false));
        for ok in ["1.5", "-0.0e+3", "2E10", "1e-7"] {
            assert!(is_json_number(ok, false), "{ok}");
            assert!(!is_json_number(ok, true), "{ok}");
        }
        for bad in [
            "", "-", "+1", "01", "1.", ".5", "1e", "1e+", " 1", "1 ", "0x10", "inf", "NaN",
        ] {
            assert!(!is_json_number(bad, false), "{bad}");
        }
    }
}
