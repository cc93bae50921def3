//! The serde access types over a container's children: elements of an array,
//! fields of an object, and the variant of an enum. They walk the tape
//! directly: a child's position is the previous one's end.

use super::key::KeyDeserializer;
use super::{Ctx, ValueDeserializer};
use crate::error::Error;
use crate::tape;
use serde::de::{self, DeserializeSeed, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};

/// A walk over the children of a container on the tape: each child's
/// position is the previous one's end. An object's children are its keys
/// and values, alternating; `remaining` counts elements or fields.
struct Children<'de, 't> {
    ctx: &'t Ctx<'de, 't>,
    /// Tape index of the next child (meaningless once `remaining` is 0 and
    /// no value is pending).
    next: usize,
    remaining: usize,
}

impl<'de, 't> Children<'de, 't> {
    /// The children of the container whose head word is at `pos`.
    fn new(ctx: &'t Ctx<'de, 't>, pos: usize) -> Self {
        let (count, _) = tape::unpair(ctx.payload(pos));
        Children {
            ctx,
            next: pos + 2,
            remaining: count as usize,
        }
    }

    /// The next element, or the next field's key; `None` at the end.
    #[inline]
    fn next_item(&mut self) -> Option<usize> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        Some(self.step())
    }

    /// The next child, whatever it is (a field's value after its key).
    #[inline]
    fn step(&mut self) -> usize {
        let pos = self.next;
        self.next = tape::next_pos(self.ctx.tape, pos);
        pos
    }

    /// After a visit that started with `len` children left: children the
    /// visitor left unread are an error (a tuple of 2 from an array of 3),
    /// as in serde_json.
    #[inline]
    fn all_read(&self, len: usize, unread: &str) -> Result<(), Error> {
        match self.remaining {
            0 => Ok(()),
            _ => Err(de::Error::invalid_length(len, &unread)),
        }
    }

    /// Deserializes the child at `pos` with `seed` through `deserializer`,
    /// tying an error to that child.
    #[inline]
    fn read<D, T>(&self, pos: usize, deserializer: D, seed: T) -> Result<T::Value, Error>
    where
        D: de::Deserializer<'de, Error = Error>,
        T: DeserializeSeed<'de>,
    {
        self.ctx.located(pos, seed.deserialize(deserializer))
    }
}

/// The elements of an array.
pub(super) struct SeqDeserializer<'de, 't>(Children<'de, 't>);

impl<'de, 't> SeqDeserializer<'de, 't> {
    /// `pos` must be an array's head word.
    pub(super) fn new(ctx: &'t Ctx<'de, 't>, pos: usize) -> Self {
        SeqDeserializer(Children::new(ctx, pos))
    }

    /// Visits the array as a sequence.
    #[inline]
    pub(super) fn visit<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Error> {
        let len = self.0.remaining;
        let value = visitor.visit_seq(&mut self)?;
        self.0.all_read(len, "fewer elements in array")?;
        Ok(value)
    }
}

impl<'de> SeqAccess<'de> for SeqDeserializer<'de, '_> {
    type Error = Error;

    #[inline]
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some(pos) = self.0.next_item() else {
            return Ok(None);
        };
        let ctx = self.0.ctx;
        self.0
            .read(pos, ValueDeserializer { ctx, pos }, seed)
            .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.remaining)
    }
}

/// The fields of an object.
pub(super) struct MapDeserializer<'de, 't>(Children<'de, 't>);

impl<'de, 't> MapDeserializer<'de, 't> {
    /// `pos` must be an object's head word.
    pub(super) fn new(ctx: &'t Ctx<'de, 't>, pos: usize) -> Self {
        MapDeserializer(Children::new(ctx, pos))
    }

    /// Visits the object as a map.
    #[inline]
    pub(super) fn visit<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Error> {
        let len = self.0.remaining;
        let value = visitor.visit_map(&mut self)?;
        self.0.all_read(len, "fewer fields in object")?;
        Ok(value)
    }
}

impl<'de> MapAccess<'de> for MapDeserializer<'de, '_> {
    type Error = Error;

    #[inline]
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some(key) = self.0.next_item() else {
            return Ok(None);
        };
        let ctx = self.0.ctx;
        self.0
            .read(key, KeyDeserializer::new(ctx, key), seed)
            .map(Some)
    }

    /// The value of the field whose key was just read: the next child.
    #[inline]
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let pos = self.0.step();
        let ctx = self.0.ctx;
        self.0.read(pos, ValueDeserializer { ctx, pos }, seed)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.remaining)
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
