//! Building a [`Value`] from the tape, without recursion and without growing
//! anything.
//!
//! Every array is a `Vec` and every object a halfbrown map created with the
//! exact element count the tape recorded, so each non-empty container costs
//! exactly one allocation and never reallocates. Strings are borrowed from the
//! input or the arena (or copied, for an owned value).
//!
//! The walk goes once over the value's head words in tape order (which is
//! input order) and keeps the containers being filled on a work stack whose
//! first levels live on the call stack ([`InlineStack`]), so documents nested
//! less deeply than that allocate nothing but their containers.

use super::{DuplicateKeys, Object, Value};
use crate::document::{Step, ValueRef};
use crate::error::Error;
use crate::inline_stack::InlineStack;
use alloc::borrow::Cow;
use alloc::vec::Vec;

/// A container being filled.
enum Open<'v> {
    Array(Vec<Value<'v>>),
    /// The map, and the key of the field whose value comes next.
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

/// Builds the value at `root`, converting each string with `text` (borrow or
/// copy), in one pass over its head words in tape order.
pub(crate) fn build<'d, 'v>(
    root: ValueRef<'d>,
    duplicates: DuplicateKeys,
    text: impl Fn(&'d str) -> Cow<'v, str>,
) -> Result<Value<'v>, Error> {
    let mut stack = InlineStack::new();
    for head in root.heads() {
        let value = match head.step() {
            Step::OpenArray => {
                stack.push(Open::Array(Vec::with_capacity(head.len())));
                continue;
            }
            Step::OpenObject => {
                stack.push(Open::Object(Object::with_capacity(head.len()), None));
                continue;
            }
            Step::Close => match stack.pop() {
                Some(open) => open.into_value(),
                None => break, // unreachable: every end follows its start
            },
            Step::String => {
                let string = text(head.as_str().unwrap_or_default());
                if let Some(Open::Object(fields, key @ None)) = stack.last_mut() {
                    // A string where a field starts is its key.
                    if duplicates == DuplicateKeys::Reject && fields.contains_key(&*string) {
                        return Err(repeated_key(head));
                    }
                    *key = Some(string);
                    continue;
                }
                Value::String(string)
            }
            Step::Scalar => match head.number() {
                Some(number) => Value::Number(number),
                None => head.as_bool().map_or(Value::Null, Value::Bool),
            },
        };
        match stack.last_mut() {
            None => return Ok(value),
            Some(Open::Array(items)) => items.push(value),
            Some(Open::Object(fields, key)) => {
                // Last wins: a repeated key replaces the earlier field.
                fields.insert(key.take().unwrap_or_default(), value);
            }
        }
    }
    Ok(Value::Null) // unreachable: the root completes inside the loop
}

/// The error for the repeated object key `key`.
#[cold]
fn repeated_key(key: ValueRef<'_>) -> Error {
    let input = key.document().input().as_bytes();
    let name = key.as_str().unwrap_or_default();
    Error::duplicate_key(input, key.input_offset(), name)
}
