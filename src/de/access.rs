//! The serde access types over a container's children: elements of an array,
//! fields of an object, and the variant of an enum. They walk the tape
//! directly: a child's position is the previous one's end.

use super::key::KeyDeserializer;
use super::{Ctx, ValueDeserializer};
use crate::error::Error;
use crate::tape;
use serde::de::{self, DeserializeSeed, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};

/// Children of the container at `pos`: the first child's tape index, the
/// end word's index and the count.
#[inline(always)]
fn children(ctx: &Ctx<'_, '_>, pos: usize) -> (usize, usize, usize) {
    let (count, end) = tape::unpair(ctx.payload(pos));
    (pos + 2, end as usize, count as usize)
}

/// The elements of an array.
pub(super) struct SeqDeserializer<'de, 't> {
    ctx: &'t Ctx<'de, 't>,
    /// Tape index of the next element (meaningless once `remaining` is 0).
    next: usize,
    remaining: usize,
}

impl<'de, 't> SeqDeserializer<'de, 't> {
    /// `pos` must be an array's head word.
    pub(super) fn new(ctx: &'t Ctx<'de, 't>, pos: usize) -> Self {
        let (next, _, remaining) = children(ctx, pos);
        SeqDeserializer {
            ctx,
            next,
            remaining,
        }
    }

    /// Visits the array as a sequence; elements the visitor leaves unread are
    /// an error (a tuple of 2 from an array of 3), as in serde_json.
    #[inline]
    pub(super) fn visit<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Error> {
        let len = self.remaining;
        let value = visitor.visit_seq(&mut self)?;
        match self.remaining {
            0 => Ok(value),
            _ => Err(de::Error::invalid_length(len, &"fewer elements in array")),
        }
    }
}

impl<'de> SeqAccess<'de> for SeqDeserializer<'de, '_> {
    type Error = Error;

    #[inline]
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if self.remaining == 0 {
            return Ok(None);
        }
        self.remaining -= 1;
        let pos = self.next;
        self.next = tape::next_pos(self.ctx.tape, pos);
        let element = seed.deserialize(ValueDeserializer { ctx: self.ctx, pos });
        self.ctx.located(pos, element).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.remaining)
    }
}

/// The fields of an object.
pub(super) struct MapDeserializer<'de, 't> {
    ctx: &'t Ctx<'de, 't>,
    /// Tape index of the next key (meaningless once `remaining` is 0), or,
    /// between `next_key` and `next_value`, of the value.
    next: usize,
    remaining: usize,
}

impl<'de, 't> MapDeserializer<'de, 't> {
    /// `pos` must be an object's head word.
    pub(super) fn new(ctx: &'t Ctx<'de, 't>, pos: usize) -> Self {
        let (next, _, remaining) = children(ctx, pos);
        MapDeserializer {
            ctx,
            next,
            remaining,
        }
    }

    /// Visits the object as a map; fields the visitor leaves unread are an
    /// error.
    #[inline]
    pub(super) fn visit<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Error> {
        let len = self.remaining;
        let value = visitor.visit_map(&mut self)?;
        match self.remaining {
            0 => Ok(value),
            _ => Err(de::Error::invalid_length(len, &"fewer fields in object")),
        }
    }
}

impl<'de> MapAccess<'de> for MapDeserializer<'de, '_> {
    type Error = Error;

    #[inline]
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if self.remaining == 0 {
            return Ok(None);
        }
        self.remaining -= 1;
        let key = self.next;
        // Keys are strings, so this steps over the key's one or two words.
        self.next = tape::next_pos(self.ctx.tape, key);
        let key_value = seed.deserialize(KeyDeserializer::new(self.ctx, key));
        self.ctx.located(key, key_value).map(Some)
    }

    #[inline]
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let pos = self.next;
        self.next = tape::next_pos(self.ctx.tape, pos);
        let value = seed.deserialize(ValueDeserializer { ctx: self.ctx, pos });
        self.ctx.located(pos, value)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.remaining)
    }
}

/// An enum written as an object with one field: `{"Variant": content}`.
pub(super) struct EnumDeserializer<'de, 't> {
    ctx: &'t Ctx<'de, 't>,
    /// Tape index of the field's key.
    key: usize,
}

impl<'de, 't> EnumDeserializer<'de, 't> {
    /// `pos` must be an object with exactly one field.
    pub(super) fn new(ctx: &'t Ctx<'de, 't>, pos: usize) -> Self {
        EnumDeserializer { ctx, key: pos + 2 }
    }
}

impl<'de, 't> EnumAccess<'de> for EnumDeserializer<'de, 't> {
    type Error = Error;
    type Variant = ValueDeserializer<'de, 't>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), Error> {
        let variant = seed.deserialize(KeyDeserializer::new(self.ctx, self.key));
        let variant = self.ctx.located(self.key, variant)?;
        let content = tape::next_pos(self.ctx.tape, self.key);
        Ok((
            variant,
            ValueDeserializer {
                ctx: self.ctx,
                pos: content,
            },
        ))
    }
}

/// The variant's content, for each kind of variant.
impl<'de> VariantAccess<'de> for ValueDeserializer<'de, '_> {
    type Error = Error;

    /// `{"Variant": null}` is a unit variant too, as in serde_json.
    fn unit_variant(self) -> Result<(), Error> {
        de::Deserialize::deserialize(self)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        self.ctx.located(self.pos, seed.deserialize(self))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_seq(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_map(self, visitor)
    }
}

/// An enum written as a string: a unit variant, `"Variant"`.
pub(super) struct UnitVariant<'de, 't> {
    ctx: &'t Ctx<'de, 't>,
    /// Tape index of the string.
    name: usize,
}

impl<'de, 't> UnitVariant<'de, 't> {
    pub(super) fn new(ctx: &'t Ctx<'de, 't>, name: usize) -> Self {
        UnitVariant { ctx, name }
    }

    /// The error for a variant that needs content but has none.
    fn missing_content(&self, expected: &str) -> Error {
        let error = de::Error::invalid_type(de::Unexpected::UnitVariant, &expected);
        self.ctx.locate(self.name, error)
    }
}

impl<'de, 't> EnumAccess<'de> for UnitVariant<'de, 't> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Error> {
        let variant = seed.deserialize(KeyDeserializer::new(self.ctx, self.name));
        Ok((self.ctx.located(self.name, variant)?, self))
    }
}

impl<'de> VariantAccess<'de> for UnitVariant<'de, '_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _seed: T) -> Result<T::Value, Error> {
        Err(self.missing_content("newtype variant"))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value, Error> {
        Err(self.missing_content("tuple variant"))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Error> {
        Err(self.missing_content("struct variant"))
    }
}
