//! Building a [`Value`] from the tape, without recursion and without growing
//! anything.
//!
//! Every array is a `Vec` and every object a halfbrown map created with the
//! exact element count the tape recorded, so each non-empty container costs
//! exactly one allocation and never reallocates. Strings are borrowed from the
//! input or the arena (or copied, for an owned value).
//!
//! The walk goes once over the value's tape words in order (which is input
//! order), reading the tape slice directly. Most containers hold only scalars
//! (coordinate pairs, records of strings and numbers): a container is filled
//! in a tight loop ([`Reader::fill_array`], [`Reader::fill_object`]) up to its
//! end or its first nested container, and only then waits on a work stack.
//! The stack's first levels live on the call stack ([`InlineStack`]), so
//! documents nested less deeply than that allocate nothing but their
//! containers.

use super::{DuplicateKeys, Number, Object, Value};
use crate::document::ValueRef;
use crate::error::Error;
use crate::inline_stack::InlineStack;
use crate::tape::{self, Tag};
use alloc::borrow::Cow;
use alloc::vec::Vec;

/// A container waiting for a nested container to be built.
enum Open<'v> {
    Array(Vec<Value<'v>>),
    /// The map, and the key of the field whose value is being built.
    Object(Object<'v>, Option<Cow<'v, str>>),
}

impl<'v> Open<'v> {
    fn into_value(self) -> Value<'v> {
        match self {
            Open::Array(items) => Value::Array(items),
            Open::Object(fields, _) => Value::Object(fields),
        }
    }
}

/// Where [`Reader::fill_object`] stopped.
enum Filled<'v> {
    /// At the object's end word.
    End(usize),
    /// At the start of the container that is the value of field `key`.
    Nested { key: Cow<'v, str>, at: usize },
}

/// Builds the value at `root`, converting each string with `text` (borrow or
/// copy), in one pass over its tape words.
pub(crate) fn build<'d, 'v, F>(
    root: ValueRef<'d>,
    duplicates: DuplicateKeys,
    text: F,
) -> Result<Value<'v>, Error>
where
    F: Fn(&'d str) -> Cow<'v, str>,
{
    let document = root.document();
    let reader = Reader {
        tape: document.tape(),
        input: document.input(),
        arena: document.arena(),
        text,
        duplicates,
    };
    let mut stack = InlineStack::new();
    let mut pos = root.tape_index();
    loop {
        // The value at `pos`, or as much of it as comes before a nested
        // container; `next` is just past it.
        let (value, next) = match reader.tag(pos) {
            Some(Tag::Array) => {
                let mut items = Vec::with_capacity(reader.count(pos));
                let stop = reader.fill_array(&mut items, pos + 2);
                if reader.tag(stop) != Some(Tag::ArrayEnd) {
                    stack.push(Open::Array(items));
                    pos = stop;
                    continue;
                }
                (Value::Array(items), stop + 1)
            }
            Some(Tag::Object) => {
                let mut fields = Object::with_capacity(reader.count(pos));
                match reader.fill_object(&mut fields, pos + 2)? {
                    Filled::End(end) => (Value::Object(fields), end + 1),
                    Filled::Nested { key, at } => {
                        stack.push(Open::Object(fields, Some(key)));
                        pos = at;
                        continue;
                    }
                }
            }
            Some(Tag::ArrayEnd | Tag::ObjectEnd) => match stack.pop() {
                Some(open) => (open.into_value(), pos + 1),
                None => break, // unreachable: every end follows its start
            },
            Some(tag) => match reader.scalar(pos, tag) {
                Some(scalar) => scalar,
                None => break, // unreachable: containers are handled above
            },
            None => break, // unreachable: the root completes first
        };
        // Into the container it belongs to, which then fills up to its end or
        // its next nested container.
        pos = match stack.last_mut() {
            None => return Ok(value),
            Some(Open::Array(items)) => {
                items.push(value);
                reader.fill_array(items, next)
            }
            Some(Open::Object(fields, key)) => {
                // Last wins: a repeated key replaces the earlier field.
                fields.insert(key.take().unwrap_or_default(), value);
                match reader.fill_object(fields, next)? {
                    Filled::End(end) => end,
                    Filled::Nested { key: nested, at } => {
                        *key = Some(nested);
                        at
                    }
                }
            }
        };
    }
    Ok(Value::Null) // unreachable: the root completes inside the loop
}

/// The document's parts a build reads, fetched once rather than through the
/// document for each word, and the choices of the build.
struct Reader<'d, F> {
    tape: &'d [u64],
    input: &'d str,
    arena: &'d str,
    text: F,
    duplicates: DuplicateKeys,
}

impl<'d, 'v, F: Fn(&'d str) -> Cow<'v, str>> Reader<'d, F> {
    /// The tag of the head word at `pos`.
    #[inline(always)]
    fn tag(&self, pos: usize) -> Option<Tag> {
        self.tape.get(pos).map(|&head| tape::tag(head))
    }

    /// The element count of the container whose head word is at `pos`.
    #[inline(always)]
    fn count(&self, pos: usize) -> usize {
        tape::unpair(self.payload(pos)).0 as usize
    }

    /// The word after the head word at `pos`.
    #[inline(always)]
    fn payload(&self, pos: usize) -> u64 {
        self.tape.get(pos + 1).copied().unwrap_or(0)
    }

    /// The scalar at `pos`, tagged `tag`, and the position after it; `None`
    /// for container words.
    #[inline(always)]
    fn scalar(&self, pos: usize, tag: Tag) -> Option<(Value<'v>, usize)> {
        let value = match tag {
            Tag::Null => Value::Null,
            Tag::True => Value::Bool(true),
            Tag::False => Value::Bool(false),
            Tag::Str | Tag::StrLong | Tag::StrEscaped => Value::String(self.string(pos)),
            Tag::U64 | Tag::I64 | Tag::F64 => {
                Value::Number(Number::from_tape(tag, self.payload(pos))?)
            }
            Tag::Array | Tag::Object | Tag::ArrayEnd | Tag::ObjectEnd => return None,
        };
        Some((value, pos + tag.width()))
    }

    /// The string whose head word is at `pos`, converted by `text`.
    #[inline(always)]
    fn string(&self, pos: usize) -> Cow<'v, str> {
        let span = tape::str_span(self.tape, pos);
        let text = span.and_then(|span| span.text(self.input, self.arena));
        (self.text)(text.unwrap_or_default())
    }

    /// Pushes the scalars from `pos` on; returns where they stop (the
    /// array's end word or a nested container's head word).
    #[inline(always)]
    fn fill_array(&self, items: &mut Vec<Value<'v>>, mut pos: usize) -> usize {
        while let Some(tag) = self.tag(pos) {
            let Some((value, next)) = self.scalar(pos, tag) else {
                break;
            };
            items.push(value);
            pos = next;
        }
        pos
    }

    /// Inserts the fields from `pos` on whose values are scalars; stops at
    /// the object's end word or at a field whose value is a container.
    #[inline(always)]
    fn fill_object(&self, fields: &mut Object<'v>, mut pos: usize) -> Result<Filled<'v>, Error> {
        while let Some(key_tag) = self.tag(pos).filter(|&tag| tag != Tag::ObjectEnd) {
            let key = self.string(pos);
            if self.duplicates == DuplicateKeys::Reject && fields.contains_key(&*key) {
                return Err(self.repeated_key(pos, &key));
            }
            let at = pos + key_tag.width();
            let scalar = self.tag(at).and_then(|tag| self.scalar(at, tag));
            let Some((value, next)) = scalar else {
                return Ok(Filled::Nested { key, at });
            };
            // Last wins: a repeated key replaces the earlier field.
            fields.insert(key, value);
            pos = next;
        }
        Ok(Filled::End(pos))
    }

    /// The error for the repeated key `key`, whose head word is at `pos`.
    #[cold]
    fn repeated_key(&self, pos: usize, key: &str) -> Error {
        let offset = self.tape.get(pos).map_or(0, |&head| tape::offset(head));
        Error::duplicate_key(self.input.as_bytes(), offset, key)
    }
}
