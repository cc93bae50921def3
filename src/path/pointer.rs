//! JSON Pointer (RFC 6901) over the tape, without allocating.
//!
//! A pointer is `""` (the value itself) or a sequence of `/`-prefixed reference
//! tokens, in which `~1` stands for `/` and `~0` for `~`. A token selects an
//! object field by name (the last one, when names repeat, as
//! [`ValueRef::get`] does) or an array element by index: `0` or a decimal
//! number without leading zeros. `-` (the element after the last) never exists.
//! A malformed pointer selects nothing.

use crate::Kind;
use crate::document::ValueRef;
use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

/// Resolves `json_pointer` from `value`.
pub(crate) fn resolve<'d>(value: ValueRef<'d>, json_pointer: &str) -> Option<ValueRef<'d>> {
    tokens(json_pointer)?.try_fold(value, step)
}

/// The reference tokens of `json_pointer`, still escaped; `None` if it is
/// malformed (neither empty nor starting with `/`).
pub(crate) fn tokens(json_pointer: &str) -> Option<impl Iterator<Item = &str>> {
    let rest = match json_pointer {
        "" => None,
        _ => Some(json_pointer.strip_prefix('/')?),
    };
    Some(rest.into_iter().flat_map(|rest| rest.split('/')))
}

/// A token with `~1` and `~0` decoded; `None` for any other use of `~`.
pub(crate) fn unescape(token: &str) -> Option<Cow<'_, str>> {
    if !token.contains('~') {
        return Some(Cow::Borrowed(token));
    }
    let name = decoded(token).collect::<Option<Vec<u8>>>()?;
    // Decoding replaces ASCII escapes with ASCII bytes: still UTF-8.
    String::from_utf8(name).ok().map(Cow::Owned)
}

/// The bytes `token` stands for, with `~0` and `~1` decoded; a `None` item
/// marks any other use of `~`, which makes the pointer malformed.
fn decoded(token: &str) -> impl Iterator<Item = Option<u8>> + '_ {
    let mut bytes = token.bytes();
    core::iter::from_fn(move || {
        Some(match bytes.next()? {
            b'~' => match bytes.next() {
                Some(b'0') => Some(b'~'),
                Some(b'1') => Some(b'/'),
                _ => None,
            },
            b => Some(b),
        })
    })
}

/// The child of `value` that the escaped reference `token` selects.
pub(crate) fn step<'d>(value: ValueRef<'d>, token: &str) -> Option<ValueRef<'d>> {
    match value.kind() {
        Kind::Object => value.last_field_where(|name| token_matches(token, name)),
        Kind::Array => value.at(array_index(token)?),
        _ => None,
    }
}

/// Whether the escaped reference `token` names `name`, without allocating.
fn token_matches(token: &str, name: &str) -> bool {
    if !token.contains('~') {
        return token == name;
    }
    let mut name = name.bytes();
    decoded(token).all(|b| b.is_some() && b == name.next()) && name.next().is_none()
}

/// The array index a token spells, per RFC 6901: `0`, or digits without a
/// leading zero.
pub(crate) fn array_index(token: &str) -> Option<usize> {
    let valid = token == "0"
        || (!token.starts_with('0')
            && !token.is_empty()
            && token.bytes().all(|b| b.is_ascii_digit()));
    if valid { token.parse().ok() } else { None }
}

#[cfg(test)]
mod tests {
    #[test]
    fn rfc_6901_examples() {
        let doc = crate::parse(
            r#"{"foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4,
                "i\\j": 5, "k\"l": 6, " ": 7, "m~n": 8}"#,
        )
        .unwrap();
        let at = |p: &str| doc.pointer(p).map(|v| v.to_string());
        assert_eq!(at("").as_deref(), Some(doc.root().to_string().as_str()));
        assert_eq!(at("/foo").as_deref(), Some(r#"["bar","baz"]"#));
        assert_eq!(at("/foo/0").as_deref(), Some(r#""bar""#));
        for (pointer, n) in [
            ("/", "0"),
            ("/a~1b", "1"),
            ("/c%d", "2"),
            ("/e^f", "3"),
            ("/g|h", "4"),
            ("/i\\j", "5"),
            ("/k\"l", "6"),
            ("/ ", "7"),
            ("/m~0n", "8"),
        ] {
            assert_eq!(at(pointer).as_deref(), Some(n), "{pointer}");
        }
    }

    #[test]
    fn malformed_or_missing_selects_nothing() {
        let doc = crate::parse(r#"{"a": [1, 2], "~": 0, "~2": 1}"#).unwrap();
        for pointer in [
            "a",
            "/a/01",
            "/a/-",
            "/a/2",
            "/a/+1",
            "/a/",
            "/b",
            "/a/0/x",
            "/~2",
            "/~",
            "/a/18446744073709551616",
        ] {
            assert!(doc.pointer(pointer).is_none(), "{pointer}");
        }
        assert_eq!(doc.pointer("/~0").and_then(|v| v.as_u64()), Some(0));
    }

    #[test]
    fn escaped_keys_match() {
        let doc = crate::parse(r#"{"a\/b": 1, "\u00e9": 2}"#).unwrap();
        assert_eq!(doc.pointer("/a~1b").and_then(|v| v.as_u64()), Some(1));
        assert_eq!(doc.pointer("/é").and_then(|v| v.as_u64()), Some(2));
    }
}
