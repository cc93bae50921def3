//! The serde access types over a container's children: elements of an array,
//! fields of an object, and the variant of an enum.

use super::key::KeyDeserializer;
use super::{Source, ValueDeserializer, locate};
use crate::document::{ArrayIter, Fields, ValueRef};
use crate::error::Error;
use serde::de::{self, DeserializeSeed, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};

/// The elements of an array.
pub(super) struct SeqDeserializer<'de, 't> {
    elements: ArrayIter<'t>,
    source: Source<'de>,
}

impl<'de, 't> SeqDeserializer<'de, 't> {
    pub(super) fn new(array: ValueRef<'t>, source: Source<'de>) -> Self {
        SeqDeserializer {
            elements: array.array_iter(),
            source,
        }
    }

    /// Visits the array as a sequence; elements the visitor leaves unread are
    /// an error (a tuple of 2 from an array of 3), as in serde_json.
    pub(super) fn visit<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Error> {
        let len = self.elements.len();
        let value = visitor.visit_seq(&mut self)?;
        match self.elements.len() {
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
        match self.elements.next() {
            Some(element) => seed
                .deserialize(ValueDeserializer::new(element, self.source))
                .map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.elements.len())
    }
}

/// The fields of an object.
pub(super) struct MapDeserializer<'de, 't> {
    fields: Fields<'t>,
    /// The value of the field whose key was just read.
    value: Option<ValueRef<'t>>,
    source: Source<'de>,
}

impl<'de, 't> MapDeserializer<'de, 't> {
    pub(super) fn new(object: ValueRef<'t>, source: Source<'de>) -> Self {
        MapDeserializer {
            fields: object.fields(),
            value: None,
            source,
        }
    }

    /// Visits the object as a map; fields the visitor leaves unread are an
    /// error.
    pub(super) fn visit<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Error> {
        let len = self.fields.len();
        let value = visitor.visit_map(&mut self)?;
        match self.fields.len() {
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
        match self.fields.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(KeyDeserializer::new(key, self.source))
                    .map(Some)
            }
            None => Ok(None),
        }
    }

    #[inline]
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(ValueDeserializer::new(value, self.source)),
            None => Err(de::Error::custom("a map value was read before its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.fields.len())
    }
}

/// An enum written as an object with one field: `{"Variant": content}`.
pub(super) struct EnumDeserializer<'de, 't> {
    key: ValueRef<'t>,
    content: ValueRef<'t>,
    source: Source<'de>,
}

impl<'de, 't> EnumDeserializer<'de, 't> {
    /// `object` must have exactly one field.
    pub(super) fn new(object: ValueRef<'t>, source: Source<'de>) -> Self {
        let mut fields = object.fields();
        let (key, content) = fields.next().unwrap_or((object, object));
        EnumDeserializer {
            key,
            content,
            source,
        }
    }
}

impl<'de, 't> EnumAccess<'de> for EnumDeserializer<'de, 't> {
    type Error = Error;
    type Variant = ValueDeserializer<'de, 't>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), Error> {
        let variant = seed.deserialize(KeyDeserializer::new(self.key, self.source))?;
        Ok((variant, ValueDeserializer::new(self.content, self.source)))
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
        seed.deserialize(self)
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
    name: ValueRef<'t>,
    source: Source<'de>,
}

impl<'de, 't> UnitVariant<'de, 't> {
    pub(super) fn new(name: ValueRef<'t>, source: Source<'de>) -> Self {
        UnitVariant { name, source }
    }

    /// The error for a variant that needs content but has none.
    fn missing_content(&self, expected: &str) -> Error {
        locate(
            self.name,
            de::Error::invalid_type(de::Unexpected::UnitVariant, &expected),
        )
    }
}

impl<'de, 't> EnumAccess<'de> for UnitVariant<'de, 't> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Error> {
        let variant = seed.deserialize(KeyDeserializer::new(self.name, self.source))?;
        Ok((variant, self))
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
