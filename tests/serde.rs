//! The serde `Deserializer` over the tape (`src/de`), against serde_json.
//!
//! Most cases go through [`agree`]: the same type and input through every
//! jsontape entry point (`from_str`, `from_slice`, a fresh `Parser`,
//! `Document::deserialize`, `ValueRef::deserialize`), which must give identical
//! results, and through `serde_json::from_str`; either both succeed with equal
//! values or both fail. A failure must be a `Deserialize` error with a
//! position and a path when the input is valid JSON, and exactly the parse
//! error (no path) when it is not.
//!
//! Then the jsontape-specific parts: borrowing (from the input, from the
//! document's arena), error paths and positions, `RawJson` and `Lazy`, parser
//! reuse, deep nesting, and the differences from serde_json that are on
//! purpose (pinned in `deliberate_differences_from_serde_json`).

use jsontape::{Error, ErrorKind, Lazy, Options, Parser, RawJson};
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt::{self, Debug};

// ---------------------------------------------------------------------------
// Agreement helpers
// ---------------------------------------------------------------------------

/// Every jsontape entry point on `input`, for a type that owns its data; they
/// must all give the same result (same value or same error), which is
/// returned.
#[track_caller]
fn jsontape_all<T: DeserializeOwned + PartialEq + Debug>(input: &str) -> Result<T, Error> {
    let from_str = jsontape::from_str::<T>(input);
    let others = [
        ("from_slice", jsontape::from_slice::<T>(input.as_bytes())),
        (
            "Parser::deserialize",
            Parser::new().deserialize::<T, _>(input),
        ),
        (
            "Document::deserialize",
            jsontape::parse(input).and_then(|doc| doc.deserialize::<T>()),
        ),
        (
            "ValueRef::deserialize",
            jsontape::parse(input).and_then(|doc| doc.root().deserialize::<T>()),
        ),
    ];
    for (name, other) in others {
        assert_eq!(
            other, from_str,
            "{name} disagrees with from_str on {input:?}"
        );
    }
    from_str
}

/// Asserts that jsontape (every entry point) and serde_json agree on reading
/// a `T` from `input`; returns jsontape's result.
#[track_caller]
fn agree<T: DeserializeOwned + PartialEq + Debug>(input: &str) -> Result<T, Error> {
    let ours = jsontape_all::<T>(input);
    let theirs = serde_json::from_str::<T>(input);
    check_agreement(input, &ours, &theirs);
    ours
}

/// [`agree`] for types that borrow from the input (`from_str`, `from_slice`
/// and `Parser::deserialize`, whose strings borrow from the input only).
#[track_caller]
fn agree_borrowed<'a, T: Deserialize<'a> + PartialEq + Debug>(input: &'a str) -> Result<T, Error> {
    let ours = jsontape::from_str::<T>(input);
    assert_eq!(
        jsontape::from_slice::<T>(input.as_bytes()),
        ours,
        "from_slice disagrees with from_str on {input:?}"
    );
    assert_eq!(
        Parser::new().deserialize::<T, _>(input),
        ours,
        "Parser::deserialize disagrees with from_str on {input:?}"
    );
    let theirs = serde_json::from_str::<T>(input);
    check_agreement(input, &ours, &theirs);
    ours
}

#[track_caller]
fn check_agreement<T: PartialEq + Debug>(
    input: &str,
    ours: &Result<T, Error>,
    theirs: &Result<T, serde_json::Error>,
) {
    match (ours, theirs) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "values differ on {input:?}"),
        (Err(e), Err(_)) => check_error_shape(input.as_bytes(), e),
        (Ok(a), Err(e)) => {
            panic!("jsontape accepted {input:?} as {a:?}; serde_json rejected it: {e}")
        }
        (Err(e), Ok(b)) => {
            panic!("jsontape rejected {input:?} ({e}); serde_json accepted it as {b:?}")
        }
    }
}

/// A deserialization error on valid JSON is a located `Deserialize` error with
/// a path; on invalid JSON it is the parse error itself, with no path.
#[track_caller]
fn check_error_shape(input: &[u8], e: &Error) {
    match jsontape::parse(input) {
        Ok(_) => {
            assert_eq!(
                e.kind(),
                ErrorKind::Deserialize,
                "{e} on {:?}",
                String::from_utf8_lossy(input)
            );
            assert!(
                e.path().is_some(),
                "no path in {e:?} on {:?}",
                String::from_utf8_lossy(input)
            );
            assert!(
                e.line() >= 1 && e.column() >= 1 && e.offset() < input.len(),
                "error not located in the input: {e:?} on {:?}",
                String::from_utf8_lossy(input)
            );
            assert!(e.to_string().contains(" at line "), "{e}");
        }
        Err(syntax) => {
            assert_eq!(e, &syntax, "not the parse error, on {input:?}");
            assert_ne!(e.kind(), ErrorKind::Deserialize);
            assert_eq!(e.path(), None);
        }
    }
}

/// Asserts that both fail, and that jsontape's message is serde_json's
/// (without serde_json's position).
#[track_caller]
fn same_message<T: DeserializeOwned + PartialEq + Debug>(input: &str) -> Error {
    let ours = agree::<T>(input).expect_err("jsontape accepted");
    let theirs = serde_json::from_str::<T>(input).expect_err("serde_json accepted");
    let theirs = serde_json_message(&theirs);
    assert!(
        ours.to_string().contains(&theirs),
        "on {input:?}: jsontape says {ours}, serde_json says {theirs}"
    );
    ours
}

/// serde_json's message without its " at line L column C" suffix.
fn serde_json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Byte offset of the first occurrence of `needle` in `haystack`.
#[track_caller]
fn offset_of(haystack: &str, needle: &str) -> usize {
    haystack
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {haystack:?}"))
}

/// 1-based line and byte column of `offset`.
fn line_column(input: &str, offset: usize) -> (usize, usize) {
    let before = &input[..offset];
    let line = 1 + before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, offset - start + 1)
}

/// Asserts the kind, path and position of a data error.
#[track_caller]
fn assert_data_error(e: &Error, input: &str, path: &str, offset: usize) {
    assert_eq!(e.kind(), ErrorKind::Deserialize, "{e}");
    assert_eq!(e.path(), Some(path), "{e}");
    assert_eq!(e.offset(), offset, "{e}");
    assert_eq!((e.line(), e.column()), line_column(input, offset), "{e}");
}

/// Whether `s` points into `input`.
fn borrows_from(s: &str, input: &str) -> bool {
    input.as_bytes().as_ptr_range().contains(&s.as_ptr()) || s.is_empty()
}

/// A map read as its entries in order, so keys of any type can be tried
/// (floats, options, units) without `Hash` or `Ord`.
#[derive(Debug, PartialEq)]
struct Pairs<K, V>(Vec<(K, V)>);

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for Pairs<K, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PairsVisitor<K, V>(std::marker::PhantomData<(K, V)>);
        impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for PairsVisitor<K, V> {
            type Value = Pairs<K, V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Pairs(entries))
            }
        }
        deserializer.deserialize_map(PairsVisitor(std::marker::PhantomData))
    }
}

/// Bytes as `serde_bytes::ByteBuf` reads them: from a string's bytes (owned
/// or borrowed) or from an array of numbers.
#[derive(Debug, PartialEq)]
struct ByteBuf(Vec<u8>);

impl<'de> Deserialize<'de> for ByteBuf {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BytesVisitor;
        impl<'de> Visitor<'de> for BytesVisitor {
            type Value = ByteBuf;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<ByteBuf, E> {
                Ok(ByteBuf(v.to_vec()))
            }
            fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<ByteBuf, E> {
                Ok(ByteBuf(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ByteBuf, E> {
                Ok(ByteBuf(v.as_bytes().to_vec()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ByteBuf, A::Error> {
                let mut bytes = Vec::new();
                while let Some(b) = seq.next_element()? {
                    bytes.push(b);
                }
                Ok(ByteBuf(bytes))
            }
        }
        deserializer.deserialize_byte_buf(BytesVisitor)
    }
}

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------

#[derive(Deserialize, Debug, PartialEq, Clone)]
struct Point {
    x: i32,
    y: i32,
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct Strict {
    a: u8,
    b: Option<String>,
}

fn seven() -> u64 {
    7
}

#[derive(Deserialize, Debug, PartialEq)]
struct Attributes {
    #[serde(default)]
    n: u32,
    #[serde(default = "seven")]
    s: u64,
    #[serde(rename = "type")]
    kind: String,
    #[serde(alias = "colour", alias = "col")]
    color: Option<String>,
    #[serde(skip)]
    skipped: u8,
    #[serde(rename = "a.b")]
    dotted: Option<bool>,
}

#[derive(Deserialize, Debug, PartialEq, Default)]
#[serde(default)]
struct AllDefault {
    a: i32,
    b: String,
    c: Vec<u8>,
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
struct CamelCase {
    first_name: String,
    last_seen_at: Option<u64>,
}

#[derive(Deserialize, Debug, PartialEq)]
struct Pair(i32, String);

#[derive(Deserialize, Debug, PartialEq)]
struct UnitStruct;

#[derive(Deserialize, Debug, PartialEq)]
struct Meters(f64);

#[derive(Deserialize, Debug, PartialEq)]
struct Points(Vec<Point>);

#[derive(Deserialize, Debug, PartialEq)]
struct Options3 {
    a: Option<u32>,
    #[serde(default)]
    b: Option<Option<u32>>,
    c: Option<Vec<Option<bool>>>,
}

#[derive(Deserialize, Debug, PartialEq, Clone)]
enum Ext {
    A,
    B(i32),
    C(i32, String),
    D {
        x: i32,
        #[serde(default)]
        y: Option<String>,
    },
}

#[derive(Deserialize, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Clone, Copy)]
enum Color {
    Red,
    #[serde(rename = "green")]
    Green,
    #[serde(alias = "azure")]
    Blue,
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(rename_all = "snake_case")]
enum WithOther {
    FirstOne,
    SecondOne,
    #[serde(other)]
    Unknown,
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(tag = "type")]
enum Internal {
    A,
    B { x: i32 },
    C(Point),
    D(BTreeMap<String, i32>),
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(tag = "t", content = "c")]
enum Adjacent {
    A,
    B(i32),
    C(i32, String),
    D { x: i32 },
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(untagged)]
enum Untagged {
    Null(()),
    Flag(bool),
    Int(i64),
    Float(f64),
    Text(String),
    Point(Point),
    List(Vec<Untagged>),
    Map(BTreeMap<String, Untagged>),
}

#[derive(Deserialize, Debug, PartialEq)]
enum ExtRef<'a> {
    S(&'a str),
    T { name: &'a str },
    U(#[serde(borrow)] Cow<'a, str>),
    V(&'a str, u8),
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(tag = "type")]
enum InternalRef<'a> {
    Named {
        name: &'a str,
        n: u8,
    },
    Cowed {
        #[serde(borrow)]
        name: Cow<'a, str>,
    },
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(tag = "t", content = "c")]
enum AdjacentRef<'a> {
    Name(&'a str),
    Pair { a: &'a str, b: &'a str },
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(untagged)]
enum UntaggedRef<'a> {
    Num(u32),
    Str(&'a str),
    Obj { key: &'a str },
}

#[derive(Deserialize, Debug, PartialEq)]
struct User<'a> {
    id: u64,
    name: &'a str,
    #[serde(borrow)]
    bio: Cow<'a, str>,
    tags: Vec<&'a str>,
}

// ---------------------------------------------------------------------------
// 1. The data model
// ---------------------------------------------------------------------------

#[test]
fn structs_with_named_fields() {
    assert_eq!(
        agree::<Point>(r#"{"x": 1, "y": -2}"#),
        Ok(Point { x: 1, y: -2 })
    );
    for input in [
        r#"{"x":1,"y":2}"#,
        r#"{"y":2,"x":1}"#,
        " \n{ \"x\" : 1 ,\r\n \"y\" : 2 }\t",
        r#"{"x":1,"y":2,"z":null}"#,
        r#"{"w":[1,{"deep":[true,{"x":"not this one"}]}],"x":1,"y":2,"z":"x"}"#,
        r#"{"\u0078":1,"y":2}"#,
        r#"[1, 2]"#,
        r#"{"x":1}"#,
        r#"{"y":1}"#,
        r#"{}"#,
        r#"{"x":1,"y":2,"x":3}"#,
        r#"[1]"#,
        r#"[1, 2, 3]"#,
        r#"[]"#,
        r#"null"#,
        r#""x""#,
        r#"7"#,
        r#"{"x":"1","y":2}"#,
        r#"{"x":1.0,"y":2}"#,
        r#"{"x":1,"y":2147483648}"#,
        r#"{"x":1,"y":2"#,
        r#"{"x":1,"y":2}}"#,
    ] {
        let _ = agree::<Point>(input);
    }
    let _ = agree::<Vec<Point>>(r#"[{"x":1,"y":2},{"y":3,"x":4,"extra":{}}]"#);
    let _ = agree::<Points>(r#"[{"x":1,"y":2},{"y":3,"x":4}]"#);
}

#[test]
fn deny_unknown_fields() {
    assert_eq!(
        agree::<Strict>(r#"{"a": 1, "b": "x"}"#),
        Ok(Strict {
            a: 1,
            b: Some("x".into())
        })
    );
    assert_eq!(agree::<Strict>(r#"{"a": 1}"#), Ok(Strict { a: 1, b: None }));
    let e = same_message::<Strict>(r#"{"a": 1, "zzz": 2}"#);
    assert!(
        e.to_string()
            .contains("unknown field `zzz`, expected `a` or `b`"),
        "{e}"
    );
    let _ = agree::<Strict>(r#"{"zzz": {"nested": [1, 2]}, "a": 1}"#);
    let _ = agree::<Strict>(r#"{"a": 1, "b": null, "a": 2}"#);
}

#[test]
fn missing_default_renamed_aliased_and_duplicate_fields() {
    assert_eq!(
        agree::<Attributes>(r#"{"type": "t"}"#),
        Ok(Attributes {
            n: 0,
            s: 7,
            kind: "t".into(),
            color: None,
            skipped: 0,
            dotted: None
        })
    );
    assert_eq!(
        agree::<Attributes>(
            r#"{"n": 3, "s": 4, "type": "t", "colour": "red", "a.b": true, "skipped": 9}"#
        ),
        Ok(Attributes {
            n: 3,
            s: 4,
            kind: "t".into(),
            color: Some("red".into()),
            skipped: 0,
            dotted: Some(true)
        })
    );
    let _ = agree::<Attributes>(r#"{"type": "t", "col": "x"}"#);
    let _ = agree::<Attributes>(r#"{"type": "t", "color": "x"}"#);
    // Two aliases of one field: a duplicate.
    let _ = agree::<Attributes>(r#"{"type": "t", "color": "x", "colour": "y"}"#);
    // `kind` is not a field name; `type` is.
    let e = same_message::<Attributes>(r#"{"kind": "t"}"#);
    assert!(e.to_string().contains("missing field `type`"), "{e}");
    let e = same_message::<Attributes>(r#"{"type": "t", "n": 1, "n": 2}"#);
    assert!(e.to_string().contains("duplicate field `n`"), "{e}");

    assert_eq!(agree::<AllDefault>("{}"), Ok(AllDefault::default()));
    assert_eq!(
        agree::<AllDefault>(r#"{"c": [1, 2], "x": 0}"#),
        Ok(AllDefault {
            c: vec![1, 2],
            ..AllDefault::default()
        })
    );
    let _ = agree::<AllDefault>("[]");
    let _ = agree::<AllDefault>("[1]");
    let _ = agree::<AllDefault>(r#"[1, "b", [3], 4]"#);

    let _ = agree::<CamelCase>(r#"{"firstName": "Ada", "lastSeenAt": 5}"#);
    let _ = agree::<CamelCase>(r#"{"first_name": "Ada"}"#);
}

#[test]
fn tuple_unit_and_newtype_structs() {
    assert_eq!(agree::<Pair>(r#"[1, "a"]"#), Ok(Pair(1, "a".into())));
    for input in [
        r#"[1]"#,
        r#"[1, "a", 2]"#,
        r#"{"0": 1, "1": "a"}"#,
        "null",
        "[]",
    ] {
        let _ = agree::<Pair>(input);
    }
    assert_eq!(agree::<UnitStruct>("null"), Ok(UnitStruct));
    for input in ["[]", "{}", "0", "\"UnitStruct\"", "false"] {
        let _ = agree::<UnitStruct>(input);
    }
    assert_eq!(agree::<Meters>("1.5"), Ok(Meters(1.5)));
    assert_eq!(agree::<Meters>("2"), Ok(Meters(2.0)));
    for input in ["[1.5]", "\"1.5\"", "null", "{}"] {
        let _ = agree::<Meters>(input);
    }
    assert_eq!(agree::<()>("null"), Ok(()));
    for input in ["[]", "{}", "0", "false", "\"\""] {
        let _ = agree::<()>(input);
    }
}

#[test]
fn options_null_missing_and_present() {
    assert_eq!(agree::<Option<u8>>("null"), Ok(None));
    assert_eq!(agree::<Option<u8>>("7"), Ok(Some(7)));
    let _ = agree::<Option<u8>>("\"7\"");
    let _ = agree::<Option<u8>>("-1");
    assert_eq!(agree::<Option<Option<u8>>>("null"), Ok(None));
    assert_eq!(agree::<Option<Option<u8>>>("1"), Ok(Some(Some(1))));
    assert_eq!(agree::<Option<()>>("null"), Ok(None));
    assert_eq!(
        agree::<Options3>(r#"{}"#),
        Ok(Options3 {
            a: None,
            b: None,
            c: None
        })
    );
    assert_eq!(
        agree::<Options3>(r#"{"a": null, "b": null, "c": [null, true]}"#),
        Ok(Options3 {
            a: None,
            b: None,
            c: Some(vec![None, Some(true)])
        })
    );
    assert_eq!(
        agree::<Options3>(r#"{"a": 1, "b": 2, "c": []}"#),
        Ok(Options3 {
            a: Some(1),
            b: Some(Some(2)),
            c: Some(vec![])
        })
    );
    let _ = agree::<Options3>(r#"{"c": [1]}"#);
    let _ = agree::<Vec<Option<Point>>>(r#"[null, {"x": 1, "y": 2}, null]"#);
}

#[test]
fn sequences_and_tuples() {
    let _ = agree::<Vec<u32>>("[]");
    let _ = agree::<Vec<u32>>("[1, 2, 3]");
    let _ = agree::<Vec<Vec<Vec<i8>>>>("[[[1], []], [], [[-1, 2, 3]]]");
    let _ = agree::<Vec<u32>>("[1, 2, -3]");
    let _ = agree::<Vec<u32>>("{}");
    let _ = agree::<Vec<u32>>("\"abc\"");
    let _ = agree::<Vec<u32>>("null");
    let _ = agree::<Vec<String>>(r#"["a", "b\nc", "\u00e9\ud83d\ude00"]"#);
    let _ = agree::<Box<[bool]>>("[true, false]");
    let _ = agree::<std::collections::VecDeque<i64>>("[-1, 0, 1]");
    let _ = agree::<std::collections::BTreeSet<u8>>("[3, 1, 2, 1]");

    type T3 = (i32, String, bool);
    assert_eq!(agree::<T3>(r#"[1, "a", true]"#), Ok((1, "a".into(), true)));
    for input in [
        r#"[1, "a"]"#,
        r#"[1, "a", true, 4]"#,
        r#"[1, "a", true, 4, 5]"#,
        r#"[]"#,
        r#"[1, "a", "true"]"#,
        r#"{"0": 1}"#,
    ] {
        let _ = agree::<T3>(input);
    }
    let e = same_message::<T3>(r#"[1, "a"]"#);
    assert!(e.to_string().contains("invalid length 2"), "{e}");
    // Too long: serde_json says "trailing characters"; jsontape names the
    // length (see deliberate_differences_from_serde_json).
    let e = agree::<T3>(r#"[1, "a", true, 4]"#).unwrap_err();
    assert_data_error(&e, r#"[1, "a", true, 4]"#, "", 0);
    assert!(
        e.to_string()
            .contains("invalid length 4, expected fewer elements in array"),
        "{e}"
    );

    let _ = agree::<((),)>("[null]");
    let _ = agree::<((), ())>("[null]");
    let _ = agree::<[u8; 3]>("[1, 2, 3]");
    let _ = agree::<[u8; 3]>("[1, 2]");
    let _ = agree::<[u8; 3]>("[1, 2, 3, 4]");
    let _ = agree::<[u8; 0]>("[]");
    let _ = agree::<[u8; 0]>("[1]");
    let _ = agree::<(u8, (u8, (u8, Vec<u8>)))>("[1, [2, [3, [4, 5]]]]");
    let _ = agree::<(u8, (u8, (u8, Vec<u8>)))>("[1, [2, [3, [4, 5], 6]]]");
}

#[test]
fn maps_with_string_keys() {
    let _ = agree::<HashMap<String, i32>>("{}");
    let _ = agree::<HashMap<String, i32>>(r#"{"a": 1, "b": -2, "": 0, "a\"b": 3, "\u00e9": 4}"#);
    // The last of duplicate keys wins in both.
    assert_eq!(
        agree::<HashMap<String, i32>>(r#"{"a": 1, "a": 2}"#).unwrap()["a"],
        2
    );
    let _ = agree::<HashMap<String, i32>>(r#"{"a": "x"}"#);
    let _ = agree::<HashMap<String, i32>>(r#"[["a", 1]]"#);
    let _ = agree::<HashMap<String, i32>>("null");
    let _ = agree::<BTreeMap<String, Vec<u8>>>(r#"{"z": [], "a": [1, 2], "m": [255]}"#);
    let _ = agree::<BTreeMap<String, Vec<u8>>>(r#"{"z": [], "a": [1, 256]}"#);
    let _ = agree::<BTreeMap<String, BTreeMap<String, Option<bool>>>>(
        r#"{"a": {"x": null, "y": true}, "b": {}}"#,
    );
    let _ = agree::<BTreeMap<char, u8>>(r#"{"a": 1, "é": 2}"#);
    let _ = agree::<BTreeMap<char, u8>>(r#"{"ab": 1}"#);
    let _ = agree::<BTreeMap<Color, u8>>(r#"{"Red": 1, "green": 2, "azure": 3}"#);
    let _ = agree::<BTreeMap<Color, u8>>(r#"{"Purple": 1}"#);
}

/// Keys written as numbers: parsed with the key type's own range.
macro_rules! integer_key_cases {
    ($($ty:ty),*) => {$(
        for input in INTEGER_KEY_INPUTS {
            let _ = agree::<BTreeMap<$ty, u8>>(input);
        }
    )*};
}

const INTEGER_KEY_INPUTS: &[&str] = &[
    r#"{"1": 1, "-2": 2}"#,
    r#"{"0": 0}"#,
    r#"{"127": 0, "128": 1}"#,
    r#"{"255": 0}"#,
    r#"{"256": 0}"#,
    r#"{"-128": 0}"#,
    r#"{"-129": 0}"#,
    r#"{"65535": 0, "65536": 1}"#,
    r#"{"4294967295": 0}"#,
    r#"{"4294967296": 0}"#,
    r#"{"9223372036854775807": 0}"#,
    r#"{"9223372036854775808": 0}"#,
    r#"{"-9223372036854775808": 0}"#,
    r#"{"-9223372036854775809": 0}"#,
    r#"{"18446744073709551615": 0}"#,
    r#"{"18446744073709551616": 0}"#,
    r#"{"170141183460469231731687303715884105727": 0}"#,
    r#"{"-170141183460469231731687303715884105728": 0}"#,
    r#"{"-170141183460469231731687303715884105729": 0}"#,
    r#"{"340282366920938463463374607431768211455": 0}"#,
    r#"{"340282366920938463463374607431768211456": 0}"#,
    r#"{"01": 0}"#,
    r#"{"+1": 0}"#,
    r#"{"1.5": 0}"#,
    r#"{"1.0": 0}"#,
    r#"{"1e2": 0}"#,
    r#"{"x": 0}"#,
    r#"{" 1": 0}"#,
    r#"{"1 ": 0}"#,
    r#"{"": 0}"#,
    r#"{"-": 0}"#,
    r#"{"0x10": 0}"#,
    r#"{"1": 1, "1": 2}"#,
    r#"{"1": "x"}"#,
];

#[test]
fn maps_with_integer_keys() {
    integer_key_cases!(
        i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize
    );
    assert_eq!(
        agree::<BTreeMap<i32, String>>(r#"{"1": "a", "-2": "b"}"#),
        Ok(BTreeMap::from([(1, "a".into()), (-2, "b".into())]))
    );
    assert_eq!(
        agree::<BTreeMap<u128, u8>>(r#"{"340282366920938463463374607431768211455": 1}"#),
        Ok(BTreeMap::from([(u128::MAX, 1)]))
    );
    assert_eq!(
        agree::<BTreeMap<i128, u8>>(r#"{"-170141183460469231731687303715884105728": 1}"#),
        Ok(BTreeMap::from([(i128::MIN, 1)]))
    );
    // Through newtypes and options too.
    #[derive(Deserialize, Debug, PartialEq, Eq, PartialOrd, Ord)]
    struct Id(u32);
    assert_eq!(
        agree::<BTreeMap<Id, u8>>(r#"{"5": 1}"#),
        Ok(BTreeMap::from([(Id(5), 1)]))
    );
    let _ = agree::<BTreeMap<Id, u8>>(r#"{"a": 1}"#);
    let _ = agree::<Pairs<Option<u8>, u8>>(r#"{"1": 1}"#);
    let _ = agree::<Pairs<Option<u8>, u8>>(r#"{"null": 1}"#);
}

#[test]
fn maps_with_float_bool_and_other_keys() {
    for input in [
        r#"{"1.5": 1, "-0": 2, "1e2": 3, "1": 4, "-2.5E-3": 5}"#,
        r#"{"0.1": 1, "100000000000000000000": 2}"#,
        r#"{"x": 1}"#,
        r#"{"1.": 1}"#,
        r#"{".5": 1}"#,
        r#"{"NaN": 1}"#,
        r#"{"inf": 1}"#,
        r#"{"1e": 1}"#,
    ] {
        let _ = agree::<Pairs<f64, u8>>(input);
        let _ = agree::<Pairs<f32, u8>>(input);
    }
    for input in [
        r#"{"true": 1, "false": 0}"#,
        r#"{"True": 1}"#,
        r#"{"1": 1}"#,
        r#"{"": 1}"#,
        r#"{"truex": 1}"#,
    ] {
        let _ = agree::<BTreeMap<bool, u8>>(input);
    }
    let _ = agree::<Pairs<(), u8>>(r#"{"": 1}"#);
    let _ = agree::<Pairs<Ext, u8>>(r#"{"A": 1}"#);
    let _ = agree::<Pairs<Ext, u8>>(r#"{"B": 1}"#);
    let _ = agree::<Pairs<ByteBuf, u8>>(r#"{"ab\n": 1}"#);
}

/// Keys whose number is beyond the range of the float type fail, as values
/// do (serde_json: "number out of range").
#[test]
fn float_keys_out_of_range_are_errors() {
    let _ = agree::<Pairs<f64, u8>>(r#"{"1e400": 1}"#);
    let _ = agree::<Pairs<f64, u8>>(r#"{"-1e400": 1}"#);
    let _ = agree::<Pairs<f32, u8>>(r#"{"1e39": 1}"#);
}

/// The same inputs for every integer type.
const INTEGER_INPUTS: &[&str] = &[
    "0",
    "1",
    "-1",
    "127",
    "128",
    "-128",
    "-129",
    "255",
    "256",
    "32767",
    "32768",
    "-32768",
    "-32769",
    "65535",
    "65536",
    "2147483647",
    "2147483648",
    "-2147483648",
    "-2147483649",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "-18446744073709551616",
    "170141183460469231731687303715884105727",
    "170141183460469231731687303715884105728",
    "-170141183460469231731687303715884105728",
    "-170141183460469231731687303715884105729",
    "340282366920938463463374607431768211455",
    "340282366920938463463374607431768211456",
    "99999999999999999999999999999999999999999999999999",
    "-0",
    "0.0",
    "1.0",
    "0.5",
    "1e2",
    "1E2",
    "-1e2",
    "1e400",
    "\"1\"",
    "true",
    "null",
    "[1]",
    "{}",
    " 7 ",
    "7 x",
];

macro_rules! integer_cases {
    ($($ty:ty),*) => {$(
        for input in INTEGER_INPUTS {
            let _ = agree::<$ty>(input);
            let wrapped = format!("[{input}]");
            let _ = agree::<Vec<$ty>>(&wrapped);
            let _ = agree::<Option<$ty>>(input);
        }
        assert_eq!(agree::<$ty>(&<$ty>::MAX.to_string()), Ok(<$ty>::MAX));
        assert_eq!(agree::<$ty>(&<$ty>::MIN.to_string()), Ok(<$ty>::MIN));
    )*};
}

#[test]
fn every_integer_width_with_range_checks() {
    integer_cases!(
        i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize
    );
    assert_eq!(
        agree::<u128>("340282366920938463463374607431768211455"),
        Ok(u128::MAX)
    );
    assert_eq!(agree::<u128>("18446744073709551616"), Ok(1 << 64));
    assert_eq!(
        agree::<i128>("-170141183460469231731687303715884105728"),
        Ok(i128::MIN)
    );
    assert_eq!(
        agree::<i128>("-9223372036854775809"),
        Ok(i64::MIN as i128 - 1)
    );
    let e = same_message::<u8>("256");
    assert_eq!(
        e.to_string(),
        "invalid value: integer `256`, expected u8 at line 1 column 1"
    );
    let _ = same_message::<i8>("-129");
    let _ = same_message::<u64>("-1");
    // 2^63 does not fit an i64 (it is a u64 on the tape).
    let _ = same_message::<i64>("9223372036854775808");
    assert!(agree::<u128>("340282366920938463463374607431768211456").is_err());
    assert!(agree::<i128>("170141183460469231731687303715884105728").is_err());
    // Integers in struct fields, for the 128-bit path through a map value.
    #[derive(Deserialize, Debug, PartialEq)]
    struct Wide {
        u: u128,
        i: i128,
    }
    assert_eq!(
        agree::<Wide>(
            r#"{"u": 340282366920938463463374607431768211455, "i": -170141183460469231731687303715884105728}"#
        ),
        Ok(Wide {
            u: u128::MAX,
            i: i128::MIN
        })
    );
    let _ = agree::<Wide>(r#"{"u": -1, "i": 0}"#);
    let _ = agree::<Wide>(r#"{"u": 1.5, "i": 0}"#);
    let _ = agree::<Wide>(r#"{"u": 1e3, "i": 0}"#);
}

/// Floats: equal values and equal bits.
#[track_caller]
fn agree_float_bits<T>(input: &str, bits: impl Fn(&T) -> u64)
where
    T: DeserializeOwned + PartialEq + Debug,
{
    let ours = agree::<T>(input);
    if let (Ok(a), Ok(b)) = (&ours, serde_json::from_str::<T>(input)) {
        assert_eq!(bits(a), bits(&b), "bits differ on {input:?}");
    }
}

const FLOAT_INPUTS: &[&str] = &[
    "0",
    "-0",
    "0.0",
    "-0.0",
    "1",
    "-1",
    "1.5",
    "0.1",
    "0.3",
    "1e300",
    "-1e-300",
    "5e-324",
    "4e-324",
    "2e-324",
    "1e-400",
    "2.2250738585072014e-308",
    "2.2250738585072011e-308",
    "1.7976931348623157e308",
    "1.7976931348623158e308",
    "1.7976931348623159e308",
    "1e400",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775809",
    "123456789012345678901234567890",
    "9007199254740993",
    "3.4028235e38",
    "3.4028236e38",
    "3.5e38",
    "-3.5e38",
    "1e39",
    "1000000000000000000000000000000000000000",
    "1e-45",
    "1.4e-45",
    "1e-46",
    "16777217",
    "16777217.0",
    "1.00000005960464477539062500000000001",
    "1.0000000596046447753906249999999",
    "0.333333333333333314829616256247390992939472198486328125",
    "\"1.5\"",
    "null",
    "true",
    "[1.5]",
];

#[test]
fn floats() {
    for input in FLOAT_INPUTS {
        agree_float_bits::<f64>(input, |f| f.to_bits());
        agree_float_bits::<f32>(input, |f| f.to_bits() as u64);
        agree_float_bits::<Option<f64>>(input, |f| f.map_or(0, f64::to_bits));
        agree_float_bits::<Option<f32>>(input, |f| f.map_or(0, |f| f.to_bits() as u64));
        let wrapped = format!("[{input}]");
        agree_float_bits::<Vec<f32>>(&wrapped, |v| v.first().map_or(0, |f| f.to_bits() as u64));
    }
    assert_eq!(agree::<f64>("-0").unwrap().to_bits(), (-0.0f64).to_bits());
    assert_eq!(agree::<f64>("5e-324"), Ok(f64::from_bits(1)));
    assert_eq!(agree::<f32>("3.4028235e38"), Ok(f32::MAX));
}

/// jsontape reads an `f32` straight from the number's text, correctly
/// rounded. (serde_json with `float_roundtrip`, as here, does too; without
/// that feature it rounds twice, through `f64`, and can be one ulp off on
/// inputs like the ones below, which lie just beside a midpoint between two
/// `f32`s.)
#[test]
fn f32_is_correctly_rounded_from_the_text() {
    for text in [
        "1.00000005960464477539062500000000001",
        "1.0000000596046447753906249999999",
        "0.1",
        "3.4028235e38",
        "1.4e-45",
        "7.0064923216240861e-46",
        "16777217",
        "8388608.5",
        "8388609.5",
        "-0",
    ] {
        let expected: f32 = text.parse().unwrap();
        let ours: f32 = jsontape::from_str(text).unwrap();
        assert_eq!(ours.to_bits(), expected.to_bits(), "{text}");
        let doc = jsontape::parse(text).unwrap();
        assert_eq!(
            doc.deserialize::<f32>().unwrap().to_bits(),
            expected.to_bits()
        );
    }
    // Beyond f32's range: an error (not infinity).
    for text in [
        "3.4028236e38",
        "1e39",
        "-1e39",
        "1000000000000000000000000000000000000000",
    ] {
        let e = jsontape::from_str::<f32>(text).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Deserialize, "{text}: {e}");
    }
}

#[test]
fn booleans_chars_and_strings() {
    for input in ["true", "false", "\"true\"", "0", "1", "null", "[true]"] {
        let _ = agree::<bool>(input);
    }
    for input in [
        r#""a""#,
        r#""é""#,
        r#""😀""#,
        r#""\u00e9""#,
        r#""\ud83d\ude00""#,
        r#""\n""#,
        r#""ab""#,
        r#""""#,
        "65",
        "null",
        "[\"a\"]",
    ] {
        let _ = agree::<char>(input);
    }
    for input in [
        r#""plain""#,
        r#""with \"escapes\" \\ \/ \b\f\n\r\t \u0000 \u001f \u00e9 \ud834\udd1e""#,
        r#""""#,
        "\"long string that crosses a 64-byte block boundary, twice over, ...........................................\"",
        "1",
        "null",
        "[\"a\"]",
        "{}",
    ] {
        let _ = agree::<String>(input);
        let _ = agree::<Box<str>>(input);
        let _ = agree::<Cow<'static, str>>(input);
        let _ = agree_borrowed::<Cow<'_, str>>(input);
    }
}

#[test]
fn bytes() {
    #[derive(Deserialize, Debug, PartialEq)]
    struct Borrowed<'a> {
        b: &'a [u8],
    }
    let input = r#"{"b": "hello"}"#;
    let got = agree_borrowed::<Borrowed>(input).unwrap();
    assert_eq!(got.b, b"hello");
    assert!(borrows_from(std::str::from_utf8(got.b).unwrap(), input));
    let _ = agree_borrowed::<&[u8]>(r#""hello""#);
    let _ = agree_borrowed::<&[u8]>(r#""""#);
    // Escapes: the bytes are unescaped, so not in the input.
    let _ = agree_borrowed::<&[u8]>(r#""he\nllo""#);
    let _ = agree_borrowed::<&[u8]>("[104, 105]");
    let _ = agree_borrowed::<&[u8]>("null");
    // Through the document, escaped bytes borrow from its arena.
    let doc = jsontape::parse(r#"{"b": "he\nllo"}"#).unwrap();
    assert_eq!(doc.deserialize::<Borrowed>().unwrap().b, b"he\nllo");

    for input in [
        r#""a\n\u00e9""#,
        r#""""#,
        "[1, 2, 255]",
        "[1, 256]",
        "[-1]",
        "[]",
        "null",
        "{}",
    ] {
        let _ = agree::<ByteBuf>(input);
        let _ = agree::<Vec<u8>>(input);
    }
    assert_eq!(agree::<ByteBuf>(r#""a\n""#), Ok(ByteBuf(b"a\n".to_vec())));
    assert_eq!(agree::<Vec<u8>>("[1, 2, 255]"), Ok(vec![1, 2, 255]));
}

// ---------------------------------------------------------------------------
// 2. Enums
// ---------------------------------------------------------------------------

#[test]
fn externally_tagged_enums() {
    assert_eq!(agree::<Ext>(r#""A""#), Ok(Ext::A));
    assert_eq!(agree::<Ext>(r#"{"A": null}"#), Ok(Ext::A));
    assert_eq!(agree::<Ext>(r#"{"B": 5}"#), Ok(Ext::B(5)));
    assert_eq!(
        agree::<Ext>(r#"{"C": [1, "x"]}"#),
        Ok(Ext::C(1, "x".into()))
    );
    assert_eq!(
        agree::<Ext>(r#"{"D": {"x": 1, "y": "z", "ignored": [1]}}"#),
        Ok(Ext::D {
            x: 1,
            y: Some("z".into())
        })
    );
    for input in [
        r#"{"D": [1, "y"]}"#,
        r#"{"D": [1]}"#,
        r#"{"D": {}}"#,
        r#"{"A": 1}"#,
        r#"{"A": []}"#,
        r#"{"B": "5"}"#,
        r#"{"B": null}"#,
        r#"{"B": [5]}"#,
        r#"{"C": [1]}"#,
        r#"{"C": [1, "x", 2]}"#,
        r#"{"C": {"0": 1}}"#,
        r#"{}"#,
        r#"{"A": null, "B": 1}"#,
        r#"{"B": 1, "B": 2}"#,
        r#""Z""#,
        r#"{"Z": 1}"#,
        r#""B""#,
        r#""C""#,
        r#""D""#,
        r#""a""#,
        r#""\u0041""#,
        r#"{"\u0042": 2}"#,
        "5",
        "[]",
        r#"["A"]"#,
        "null",
        "true",
    ] {
        let _ = agree::<Ext>(input);
        let wrapped = format!(r#"{{"list": [{input}]}}"#);
        let _ = agree::<HashMap<String, Vec<Ext>>>(&wrapped);
    }
    let e = same_message::<Ext>(r#""Z""#);
    assert!(
        e.to_string()
            .contains("unknown variant `Z`, expected one of `A`, `B`, `C`, `D`"),
        "{e}"
    );

    for input in [
        r#""Red""#,
        r#""green""#,
        r#""Green""#,
        r#""azure""#,
        r#""Blue""#,
        r#"{"Red": null}"#,
    ] {
        let _ = agree::<Color>(input);
    }
    for input in [
        r#""first_one""#,
        r#""second_one""#,
        r#""whatever""#,
        r#"{"first_one": null}"#,
    ] {
        let _ = agree::<WithOther>(input);
    }
}

#[test]
fn externally_tagged_enums_borrow() {
    let input = r#"[{"S": "s"}, {"T": {"name": "t"}}, {"U": "u"}, {"U": "u\n"}, {"V": ["v", 1]}]"#;
    let got = agree_borrowed::<Vec<ExtRef>>(input).unwrap();
    match &got[0] {
        ExtRef::S(s) => assert!(borrows_from(s, input)),
        other => panic!("{other:?}"),
    }
    assert!(matches!(&got[2], ExtRef::U(Cow::Borrowed("u"))));
    assert!(matches!(&got[3], ExtRef::U(Cow::Owned(s)) if s == "u\n"));
    // An escaped string into a `&str` variant: an error with the hint.
    let e = jsontape::from_str::<Vec<ExtRef>>(r#"[{"S": "a\tb"}]"#).unwrap_err();
    assert!(e.to_string().contains("expected a borrowed string"), "{e}");
    assert_eq!(e.path(), Some("[0].S"));
    let doc = jsontape::parse(r#"[{"S": "a\tb"}]"#).unwrap();
    assert_eq!(
        doc.deserialize::<Vec<ExtRef>>().unwrap(),
        [ExtRef::S("a\tb")]
    );
}

#[test]
fn internally_tagged_enums() {
    assert_eq!(agree::<Internal>(r#"{"type": "A"}"#), Ok(Internal::A));
    assert_eq!(
        agree::<Internal>(r#"{"type": "B", "x": 1}"#),
        Ok(Internal::B { x: 1 })
    );
    assert_eq!(
        agree::<Internal>(r#"{"x": 1, "type": "B"}"#),
        Ok(Internal::B { x: 1 })
    );
    assert_eq!(
        agree::<Internal>(r#"{"y": 2, "type": "C", "x": 1}"#),
        Ok(Internal::C(Point { x: 1, y: 2 }))
    );
    for input in INTERNAL_INPUTS {
        let wrapped = format!("[{input}]");
        let _ = agree::<Vec<Internal>>(&wrapped);
        let wrapped = format!(r#"{{"k": {input}}}"#);
        let _ = agree::<BTreeMap<String, Internal>>(&wrapped);
    }
    // Borrowed strings survive serde's buffering when they have no escapes.
    let input = r#"[{"type": "Named", "name": "ada", "n": 1}, {"name": "bob", "type": "Cowed"}]"#;
    let got = agree_borrowed::<Vec<InternalRef>>(input).unwrap();
    match &got[0] {
        InternalRef::Named { name, .. } => assert!(borrows_from(name, input)),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        &got[1],
        InternalRef::Cowed {
            name: Cow::Borrowed("bob")
        }
    ));
    // With escapes: an error from from_str (as serde_json), but the document
    // lends its arena.
    let input = r#"{"type": "Named", "name": "a\"da", "n": 1}"#;
    let _ = agree_borrowed::<Vec<InternalRef>>(&format!("[{input}]"));
    let doc = jsontape::parse(input).unwrap();
    assert_eq!(
        doc.deserialize::<InternalRef>().unwrap(),
        InternalRef::Named {
            name: "a\"da",
            n: 1
        }
    );
    let got = agree_borrowed::<InternalRef>(r#"{"type": "Cowed", "name": "x\n"}"#).unwrap();
    assert!(matches!(
        got,
        InternalRef::Cowed {
            name: Cow::Owned(_)
        }
    ));
}

const INTERNAL_INPUTS: &[&str] = &[
    r#"{"type": "D", "k": 1, "j": 2}"#,
    r#"{"type": "A", "extra": [1, 2]}"#,
    r#"{"type": "B"}"#,
    r#"{"type": "B", "x": "1"}"#,
    r#"{"type": "B", "x": 1, "x": 2}"#,
    r#"{"type": "C", "x": 1}"#,
    r#"{"type": "Z"}"#,
    r#"{"type": 1}"#,
    r#"{"type": null}"#,
    r#"{"x": 1}"#,
    r#"{}"#,
    r#"{"type": "A", "type": "B"}"#,
    r#"["A"]"#,
    r#"["B", 1]"#,
    r#""A""#,
    "null",
];

/// At the root, errors raised once serde has buffered the value must still be
/// located (see `errors_inside_buffered_enums_are_located`).
#[test]
fn internally_tagged_enums_at_the_root() {
    for input in INTERNAL_INPUTS {
        let _ = agree::<Internal>(input);
    }
    let _ = agree_borrowed::<InternalRef>(r#"{"type": "Named", "name": "a\"da", "n": 1}"#);
}

#[test]
fn adjacently_tagged_enums() {
    assert_eq!(agree::<Adjacent>(r#"{"t": "A"}"#), Ok(Adjacent::A));
    assert_eq!(
        agree::<Adjacent>(r#"{"t": "B", "c": 5}"#),
        Ok(Adjacent::B(5))
    );
    assert_eq!(
        agree::<Adjacent>(r#"{"c": 5, "t": "B"}"#),
        Ok(Adjacent::B(5))
    );
    assert_eq!(
        agree::<Adjacent>(r#"{"t": "C", "c": [1, "x"]}"#),
        Ok(Adjacent::C(1, "x".into()))
    );
    for input in [
        r#"{"c": {"x": 1}, "t": "D"}"#,
        r#"{"t": "D", "c": {"x": 1}}"#,
        r#"{"t": "A", "c": null}"#,
        r#"{"t": "A", "c": 1}"#,
        r#"{"t": "B"}"#,
        r#"{"t": "Z", "c": 1}"#,
        r#"{"c": 1}"#,
        r#"{"t": "B", "c": 1, "x": 2}"#,
        r#"{"t": "B", "c": 1, "c": 2}"#,
        r#"{"t": "B", "t": "B", "c": 1}"#,
        r#"["B", 1]"#,
        r#"{}"#,
        "null",
    ] {
        let _ = agree::<Adjacent>(input);
        let wrapped = format!("[{input}]");
        let _ = agree::<Vec<Adjacent>>(&wrapped);
    }
    let input = r#"[{"t": "Name", "c": "n"}, {"c": {"a": "x", "b": "y"}, "t": "Pair"}]"#;
    let got = agree_borrowed::<Vec<AdjacentRef>>(input).unwrap();
    match &got[1] {
        AdjacentRef::Pair { a, b } => assert!(borrows_from(a, input) && borrows_from(b, input)),
        other => panic!("{other:?}"),
    }
}

const UNTAGGED_INPUTS: &[&str] = &[
    "null",
    "true",
    "-3",
    "18446744073709551615",
    "1.5",
    "\"s\\n\"",
    r#"{"x": 1, "y": 2}"#,
    r#"{"x": 1, "y": 2, "z": 3}"#,
    r#"{"x": 1}"#,
    r#"[1, "a", [null], {"k": {"x": 1, "y": 2}}]"#,
    r#"{"a": [1.5, {"b": null}]}"#,
];

#[derive(Deserialize, Debug, PartialEq)]
#[serde(untagged)]
enum Narrow {
    Num(u8),
    Pair(bool, bool),
}

const NARROW_INPUTS: &[&str] = &["1", "256", "[true, false]", "[true]", "\"x\"", "{}", "null"];

/// At the root, "data did not match any variant" must still be located (see
/// `errors_inside_buffered_enums_are_located`).
#[test]
fn untagged_enums_at_the_root() {
    for input in NARROW_INPUTS {
        let _ = agree::<Narrow>(input);
    }
    let _ = agree_borrowed::<UntaggedRef>(r#""esc\"aped""#);
}

#[test]
fn untagged_enums() {
    for input in UNTAGGED_INPUTS {
        let _ = agree::<Untagged>(input);
        let wrapped = format!(r#"{{"v": [{input}]}}"#);
        let _ = agree::<HashMap<String, Vec<Untagged>>>(&wrapped);
    }
    assert_eq!(
        agree::<Untagged>(r#"{"x": 1, "y": 2}"#),
        Ok(Untagged::Point(Point { x: 1, y: 2 }))
    );

    for input in NARROW_INPUTS {
        let _ = agree::<Vec<Narrow>>(&format!("[{input}]"));
        let _ = agree::<(Narrow,)>(&format!("[{input}]"));
    }

    let input = r#"[1, "plain", {"key": "k"}]"#;
    let got = agree_borrowed::<Vec<UntaggedRef>>(input).unwrap();
    match (&got[1], &got[2]) {
        (UntaggedRef::Str(s), UntaggedRef::Obj { key }) => {
            assert!(borrows_from(s, input) && borrows_from(key, input))
        }
        other => panic!("{other:?}"),
    }
    // An escaped string matches no variant under from_str, as in serde_json,
    // but borrows from the arena through the document.
    let input = r#"["esc\"aped"]"#;
    let _ = agree_borrowed::<Vec<UntaggedRef>>(input);
    let doc = jsontape::parse(input).unwrap();
    assert_eq!(
        doc.deserialize::<Vec<UntaggedRef>>().unwrap(),
        [UntaggedRef::Str("esc\"aped")]
    );
}

// ---------------------------------------------------------------------------
// 3. Borrowing
// ---------------------------------------------------------------------------

#[test]
fn str_fields_borrow_from_the_input() {
    let input = r#"{"id": 7, "name": "Ada", "bio": "plain", "tags": ["a", "b"], "x": "unused"}"#;
    let user: User = jsontape::from_slice(input.as_bytes()).unwrap();
    assert_eq!((user.id, user.name), (7, "Ada"));
    assert!(borrows_from(user.name, input));
    assert!(matches!(user.bio, Cow::Borrowed(bio) if borrows_from(bio, input)));
    assert!(user.tags.iter().all(|t| borrows_from(t, input)));
    assert_eq!(agree_borrowed::<User>(input), Ok(user));

    let mut parser = Parser::new();
    let user: User = parser.deserialize(input).unwrap();
    assert!(borrows_from(user.name, input));

    let keys: HashMap<&str, &str> = jsontape::from_str(r#"{"k": "v"}"#).unwrap();
    assert_eq!(keys["k"], "v");
    let _ = agree_borrowed::<HashMap<&str, &str>>(r#"{"k": "v", "k2": "v2"}"#);
}

#[test]
fn escaped_str_field_is_an_error_with_a_hint() {
    #[derive(Deserialize, Debug)]
    struct Outer<'a> {
        #[serde(borrow)]
        user: User<'a>,
    }
    let input = r#"{"user": {"id": 1, "name": "a\"b", "bio": "", "tags": []}}"#;
    for e in [
        jsontape::from_slice::<Outer>(input.as_bytes()).unwrap_err(),
        jsontape::from_str::<Outer>(input).unwrap_err(),
        Parser::new().deserialize::<Outer, _>(input).unwrap_err(),
    ] {
        let message = e.to_string();
        assert!(message.contains("expected a borrowed string"), "{message}");
        assert!(message.contains("Cow"), "{message}");
        assert!(message.contains("Document::deserialize"), "{message}");
        assert_data_error(&e, input, "user.name", offset_of(input, r#""a\"b""#));
        assert!(
            message.starts_with("user.name: invalid type: string \"a\\\"b\""),
            "{message}"
        );
    }
    // serde_json fails too (without the hint).
    assert!(serde_json::from_str::<Outer>(input).is_err());

    // The same through the document: borrowed from its arena.
    let doc = jsontape::parse(input).unwrap();
    let outer: Outer = doc.deserialize().unwrap();
    assert_eq!(outer.user.name, "a\"b");
    assert!(!borrows_from(outer.user.name, input));
    let user: User = doc.pointer("/user").unwrap().deserialize().unwrap();
    assert_eq!(user.name, "a\"b");

    // An escaped key into `&str` has the hint too, with the key's path.
    let input = r#"{"m": {"k\n": 1}}"#;
    let e = jsontape::from_str::<HashMap<&str, HashMap<&str, u8>>>(input).unwrap_err();
    assert!(e.to_string().contains("Document::deserialize"), "{e}");
    assert_data_error(&e, input, "m[\"k\\n\"]", offset_of(input, r#""k\n""#));
    let doc = jsontape::parse(input).unwrap();
    let map: HashMap<&str, HashMap<&str, u8>> = doc.deserialize().unwrap();
    assert_eq!(map["m"]["k\n"], 1);

    // Other errors get no hint.
    let e = jsontape::from_str::<&str>("1").unwrap_err();
    assert!(!e.to_string().contains("Cow"), "{e}");
}

#[test]
fn cow_fields_borrow_when_they_can() {
    #[derive(Deserialize, Debug)]
    struct Cows<'a> {
        #[serde(borrow)]
        plain: Cow<'a, str>,
        #[serde(borrow)]
        escaped: Cow<'a, str>,
        // serde borrows a `Cow` only as a field of its own: inside a `Vec`
        // it is always owned, whatever the deserializer offers.
        #[serde(borrow)]
        list: Vec<Cow<'a, str>>,
    }
    let input = r#"{"plain": "p", "escaped": "e\u0301", "list": ["x", "y\\z"]}"#;
    let cows: Cows = jsontape::from_slice(input.as_bytes()).unwrap();
    assert!(matches!(&cows.plain, Cow::Borrowed(s) if *s == "p" && borrows_from(s, input)));
    assert!(matches!(&cows.escaped, Cow::Owned(s) if s == "e\u{301}"));
    assert!(matches!(&cows.list[0], Cow::Owned(s) if s == "x"));
    assert!(matches!(&cows.list[1], Cow::Owned(s) if s == "y\\z"));
    let doc = jsontape::parse(input).unwrap();
    let cows: Cows = doc.deserialize().unwrap();
    assert!(matches!(&cows.plain, Cow::Borrowed("p")));
    assert!(matches!(&cows.escaped, Cow::Borrowed("e\u{301}")));
    assert_eq!(cows.list, ["x", "y\\z"]);
}

#[test]
fn jsontape_and_serde_json_values() {
    for input in [
        r#"{"a": [1, -2, 2.5, "x\n", null, true, {}], "b": {"c": []}}"#,
        r#"[18446744073709551615, 18446744073709551616, -9223372036854775808, -0, 1e-400]"#,
        r#""\ud83d\ude00""#,
        "{\"dup\": 1, \"dup\": 2}",
        "[]",
        "0",
    ] {
        let _ = agree::<serde_json::Value>(input);
        let doc = jsontape::parse(input).unwrap();
        let value: jsontape::Value = jsontape::from_str(input).unwrap();
        assert_eq!(value, doc.to_value(), "{input}");
        let from_doc: jsontape::Value = doc.deserialize().unwrap();
        assert_eq!(from_doc, doc.to_value(), "{input}");
    }
}

#[test]
fn value_ref_deserialize_reports_paths_from_the_root() {
    let input = r#"{"a": [0, "x", {"b": 300}]}"#;
    let doc = jsontape::parse(input).unwrap();
    let e = doc
        .pointer("/a/1")
        .unwrap()
        .deserialize::<u8>()
        .unwrap_err();
    assert_data_error(&e, input, "a[1]", offset_of(input, "\"x\""));
    let e = doc
        .pointer("/a/2")
        .unwrap()
        .deserialize::<HashMap<String, u8>>()
        .unwrap_err();
    assert_data_error(&e, input, "a[2].b", offset_of(input, "300"));
    assert_eq!(doc.pointer("/a/0").unwrap().deserialize::<u8>(), Ok(0));
}

// ---------------------------------------------------------------------------
// 4. IgnoredAny and unknown fields
// ---------------------------------------------------------------------------

/// A large subtree: `width` objects, each with nested arrays `depth` deep.
fn big_subtree(width: usize, depth: usize) -> String {
    let mut out = String::from("[");
    for i in 0..width {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            r#"{{"id": {i}, "name": "n\"{i}", "f": {i}.5, "deep": {}1{}, "list": [true, null, "x"]}}"#,
            "[".repeat(depth),
            "]".repeat(depth)
        ));
    }
    out.push(']');
    out
}

#[test]
fn ignored_any_and_unknown_fields_over_large_subtrees() {
    #[derive(Deserialize, Debug, PartialEq)]
    struct Keep {
        keep: u32,
        also: String,
    }
    let subtree = big_subtree(500, 50);
    let input = format!(r#"{{"skip": {subtree}, "keep": 1, "more": {subtree}, "also": "yes"}}"#);
    let expected = Keep {
        keep: 1,
        also: "yes".into(),
    };
    assert_eq!(agree::<Keep>(&input), Ok(expected));
    let expected = Keep {
        keep: 1,
        also: "yes".into(),
    };

    let doc = jsontape::parse(&input).unwrap();
    // Skipping is O(1) per skipped value (the tape knows where each ends):
    // reading the two fields after the parse costs nothing like walking the
    // subtrees (~120,000 values).
    let start = std::time::Instant::now();
    for _ in 0..100 {
        assert_eq!(doc.deserialize::<Keep>().unwrap(), expected);
        doc.deserialize::<IgnoredAny>().unwrap();
    }
    let skipping = start.elapsed();
    let start = std::time::Instant::now();
    let walked: serde_json::Value = doc.deserialize().unwrap();
    let walking = start.elapsed();
    assert!(walked["more"][499]["list"][2] == "x");
    assert!(
        skipping < walking,
        "100 reads skipping the subtrees took {skipping:?}, one full walk {walking:?}"
    );

    assert_eq!(jsontape::from_str::<IgnoredAny>(&input), Ok(IgnoredAny));
    assert_eq!(
        agree::<Vec<IgnoredAny>>("[1, [2], {\"3\": 4}]")
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        agree::<(IgnoredAny, u8)>("[{\"a\": [[]]}, 1]").unwrap().1,
        1
    );
    let _ = agree::<(IgnoredAny, u8)>("[{\"a\": [[]]}, 1, 2]");
    assert_eq!(
        agree::<HashMap<String, IgnoredAny>>(r#"{"a": [1], "b": {}}"#)
            .unwrap()
            .len(),
        2
    );
    for input in ["null", "\"s\\n\"", "1e300", "-1", "{}"] {
        assert_eq!(agree::<IgnoredAny>(input), Ok(IgnoredAny));
    }
}

// ---------------------------------------------------------------------------
// 5. Errors
// ---------------------------------------------------------------------------

#[derive(Deserialize, Debug, PartialEq)]
struct TopA {
    a: Vec<MidB>,
}
#[derive(Deserialize, Debug, PartialEq)]
struct MidB {
    b: LeafC,
}
#[derive(Deserialize, Debug, PartialEq)]
struct LeafC {
    c: u32,
}

#[test]
fn wrong_type_deep_inside_arrays_of_structs() {
    let input = "{\n  \"a\": [\n    {\"b\": {\"c\": 1}},\n    {\"b\": {\"c\": 2}},\n    {\"b\": {\"c\": \"three\"}}\n  ]\n}";
    let e = same_message::<TopA>(input);
    let offset = offset_of(input, "\"three\"");
    assert_data_error(&e, input, "a[2].b.c", offset);
    assert_eq!(
        e.to_string(),
        format!(
            "a[2].b.c: invalid type: string \"three\", expected u32 at line 5 column {}",
            line_column(input, offset).1
        )
    );
}

#[test]
fn missing_field_points_at_the_object() {
    let input = r#"{"a": [{"b": {"c": 1}}, {"b": {}}]}"#;
    let e = same_message::<TopA>(input);
    assert_data_error(&e, input, "a[1].b", offset_of(input, "{}"));
    assert!(
        e.to_string()
            .starts_with("a[1].b: missing field `c` at line 1"),
        "{e}"
    );
    let input = r#"{"a": [{"x": 1}]}"#;
    let e = same_message::<TopA>(input);
    assert_data_error(&e, input, "a[0]", offset_of(input, r#"{"x""#));
    let e = same_message::<TopA>("{}");
    assert_data_error(&e, "{}", "", 0);
}

#[test]
fn unknown_variant_points_at_the_variant() {
    #[derive(Deserialize, Debug, PartialEq)]
    struct Holder {
        e: Vec<Ext>,
    }
    let input = r#"{"e": ["A", "Z"]}"#;
    let e = same_message::<Holder>(input);
    assert_data_error(&e, input, "e[1]", offset_of(input, "\"Z\""));
    let input = r#"{"e": ["A", {"Z": 1}]}"#;
    let e = same_message::<Holder>(input);
    assert_data_error(&e, input, "e[1].Z", offset_of(input, "\"Z\""));
    // A wrong shape: the enum value itself.
    let input = r#"{"e": [{"A": null, "B": 1}]}"#;
    let e = agree::<Holder>(input).unwrap_err();
    assert_data_error(&e, input, "e[0]", offset_of(input, "{\"A\""));
    // Content of the wrong type: the content.
    let input = r#"{"e": [{"B": true}]}"#;
    let e = same_message::<Holder>(input);
    assert_data_error(&e, input, "e[0].B", offset_of(input, "true"));
    // A unit variant name where content is needed.
    let input = r#"{"e": ["B"]}"#;
    let e = same_message::<Holder>(input);
    assert_data_error(&e, input, "e[0]", offset_of(input, "\"B\""));
}

#[test]
fn out_of_range_integers_point_at_the_number() {
    #[derive(Deserialize, Debug, PartialEq)]
    struct Ids {
        ids: Vec<u8>,
        big: Option<i64>,
    }
    let input = r#"{"ids": [1, 2, 300], "big": 0}"#;
    let e = same_message::<Ids>(input);
    assert_data_error(&e, input, "ids[2]", offset_of(input, "300"));
    assert!(
        e.to_string()
            .starts_with("ids[2]: invalid value: integer `300`, expected u8"),
        "{e}"
    );
    let input = r#"{"ids": [], "big": 9223372036854775808}"#;
    let e = same_message::<Ids>(input);
    assert_data_error(&e, input, "big", offset_of(input, "9223372036854775808"));
    let input = r#"{"ids": [-1]}"#;
    let e = same_message::<Ids>(input);
    assert_data_error(&e, input, "ids[0]", offset_of(input, "-1"));
}

#[test]
fn keys_that_are_not_identifiers_are_quoted_in_paths() {
    type Nested = HashMap<String, HashMap<String, Vec<u8>>>;
    let input = r#"{"a.b": {"c d": [0, "x"]}}"#;
    let e = agree::<Nested>(input).unwrap_err();
    assert_data_error(&e, input, r#"["a.b"]["c d"][1]"#, offset_of(input, "\"x\""));
    assert!(
        e.to_string()
            .starts_with(r#"["a.b"]["c d"][1]: invalid type: string "x""#),
        "{e}"
    );

    let input = r#"{"plain-key_9": {"q\"k": [true]}}"#;
    let e = agree::<Nested>(input).unwrap_err();
    assert_data_error(
        &e,
        input,
        r#"plain-key_9["q\"k"][0]"#,
        offset_of(input, "true"),
    );

    let input = r#"{"": {"é": [null]}}"#;
    let e = agree::<Nested>(input).unwrap_err();
    assert_data_error(&e, input, r#"[""]["é"][0]"#, offset_of(input, "null"));

    let input = r#"{"x": {"tab\there": [1.5]}}"#;
    let e = agree::<Nested>(input).unwrap_err();
    assert_data_error(&e, input, r#"x["tab\there"][0]"#, offset_of(input, "1.5"));

    // With a key twice, the path and position are the offending field's.
    let input = r#"{"a": {"b": [1]}, "a": {"b": [2, "x"]}}"#;
    let e = agree::<Nested>(input).unwrap_err();
    assert_data_error(&e, input, "a.b[1]", offset_of(input, "\"x\""));

    // A key written with escapes is named by its unescaped text.
    let input = r#"{"\u0061": {"b": [[]]}}"#;
    let e = agree::<Nested>(input).unwrap_err();
    assert_data_error(&e, input, "a.b[0]", offset_of(input, "[]"));
}

#[test]
fn errors_at_the_root() {
    let e = same_message::<u64>(r#""x""#);
    assert_data_error(&e, r#""x""#, "", 0);
    assert_eq!(
        e.to_string(),
        r#"invalid type: string "x", expected u64 at line 1 column 1"#
    );
    let input = "  \n  true  ";
    let e = same_message::<u8>(input);
    assert_data_error(&e, input, "", 5);
    assert_eq!((e.line(), e.column()), (2, 3));
    let e = same_message::<Point>("[]");
    assert_data_error(&e, "[]", "", 0);
    let e = same_message::<Vec<u8>>("{}");
    assert_data_error(&e, "{}", "", 0);
}

#[test]
fn invalid_numeric_keys_point_at_the_key() {
    #[derive(Deserialize, Debug, PartialEq)]
    struct M {
        m: HashMap<u8, bool>,
    }
    for (input, key) in [
        (r#"{"m": {"1": true, "x": false}}"#, "x"),
        (r#"{"m": {"01": true}}"#, "01"),
        (r#"{"m": {"256": true}}"#, "256"),
        (r#"{"m": {"1.5": true}}"#, "1.5"),
        (r#"{"m": {"-1": true}}"#, "-1"),
    ] {
        let e = agree::<M>(input).unwrap_err();
        let path = format!("m.{key}");
        let path = if key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            path
        } else {
            format!("m[\"{key}\"]")
        };
        assert_data_error(&e, input, &path, offset_of(input, &format!("\"{key}\"")));
    }
    // A bad value under a good numeric key: the value.
    let input = r#"{"m": {"7": 1}}"#;
    let e = agree::<M>(input).unwrap_err();
    assert_data_error(&e, input, "m.7", offset_of(input, "1}"));
}

#[test]
fn syntax_errors_come_back_as_parse_errors_from_every_entry_point() {
    let cases: &[&[u8]] = &[
        b"",
        b"   ",
        b"[1,",
        b"[1,]",
        b"{\"a\" 1}",
        b"{\"a\": 1,}",
        b"tru",
        b"nul",
        b"\"\\x\"",
        b"\"unterminated",
        b"[1] x",
        b"01",
        b"1e400",
        b"\"\\ud800\"",
        b"\xff",
        b"\"\xc3\x28\"",
        b"{\"x\": 1, \"y\": 2",
    ];
    for &input in cases {
        let syntax = jsontape::parse(input).unwrap_err();
        assert_ne!(syntax.kind(), ErrorKind::Deserialize);
        assert_eq!(syntax.path(), None);
        let results = [
            jsontape::from_slice::<Point>(input).err(),
            jsontape::from_slice::<IgnoredAny>(input).err(),
            jsontape::from_slice::<serde_json::Value>(input).err(),
            jsontape::from_slice::<RawJson>(input).err(),
            jsontape::from_slice::<Lazy<u8>>(input).err(),
            Parser::new().deserialize::<Point, _>(input).err(),
            Parser::new().deserialize::<IgnoredAny, _>(input).err(),
        ];
        for (i, result) in results.into_iter().enumerate() {
            assert_eq!(
                result.as_ref(),
                Some(&syntax),
                "entry point {i} on {input:?}"
            );
        }
        if let Ok(text) = std::str::from_utf8(input) {
            assert_eq!(
                jsontape::from_str::<Point>(text).err(),
                Some(syntax.clone())
            );
            assert!(serde_json::from_str::<serde_json::Value>(text).is_err());
        }
    }
}

/// A number that must be even: checked after reading it, as many
/// `Deserialize` impls validate ("read a String, then parse it").
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Even(u32);

impl<'de> Deserialize<'de> for Even {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = u32::deserialize(d)?;
        if n % 2 == 0 {
            Ok(Even(n))
        } else {
            Err(de::Error::custom(format_args!("{n} is odd")))
        }
    }
}

/// Upper-case text, checked by `try_from` after reading the string.
#[derive(Deserialize, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[serde(try_from = "String")]
struct Upper(String);

impl TryFrom<String> for Upper {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        if s.chars().all(|c| c.is_ascii_uppercase()) {
            Ok(Upper(s))
        } else {
            Err(format!("{s:?} is not upper case"))
        }
    }
}

#[derive(Deserialize, Debug, PartialEq)]
struct Validated {
    #[serde(default)]
    evens: Vec<Even>,
    #[serde(default)]
    code: Option<Upper>,
    #[serde(default)]
    codes: BTreeMap<Upper, u8>,
    #[serde(default)]
    wrapped: Vec<Ext2>,
}

#[derive(Deserialize, Debug, PartialEq)]
enum Ext2 {
    E(Even),
    T(u8, Even),
}

// Errors a `Deserialize` impl raises itself, after its value was read (the
// common "read a String, then parse it" pattern, and `try_from`), must be
// tied to that value too, as every other data error is. Each place a value
// is read from has its own test.

#[test]
fn post_validation_errors_are_located_in_sequences() {
    let input = r#"{"evens": [2, 4, 5]}"#;
    let e = same_message::<Validated>(input);
    assert_data_error(&e, input, "evens[2]", offset_of(input, "5]"));
    assert!(
        e.to_string().starts_with("evens[2]: 5 is odd at line 1"),
        "{e}"
    );
}

#[test]
fn post_validation_errors_are_located_in_struct_fields() {
    // Through an Option (whose deserializer ties errors to the value).
    let input = r#"{"evens": [], "code": "Ab"}"#;
    let e = same_message::<Validated>(input);
    assert_data_error(&e, input, "code", offset_of(input, "\"Ab\""));
    // Directly.
    #[derive(Deserialize, Debug, PartialEq)]
    struct Named {
        id: u8,
        code: Upper,
    }
    let input = r#"{"id": 1, "code": "Ab"}"#;
    let e = same_message::<Named>(input);
    assert_data_error(&e, input, "code", offset_of(input, "\"Ab\""));
}

#[test]
fn post_validation_errors_are_located_in_map_keys() {
    let input = r#"{"codes": {"AB": 1, "ab": 2}}"#;
    let e = same_message::<Validated>(input);
    assert_data_error(&e, input, "codes.ab", offset_of(input, "\"ab\""));
}

#[test]
fn post_validation_errors_are_located_in_enum_content() {
    let input = r#"{"wrapped": [{"E": 2}, {"E": 3}]}"#;
    let e = same_message::<Validated>(input);
    assert_data_error(&e, input, "wrapped[1].E", offset_of(input, "3}"));
    let input = r#"{"wrapped": [{"T": [1, 3]}]}"#;
    let e = same_message::<Validated>(input);
    assert_data_error(&e, input, "wrapped[0].T[1]", offset_of(input, "3]"));
}

#[test]
fn post_validation_errors_are_located_at_the_root() {
    // Still a position (the root value) and an empty path.
    let e = agree::<Even>("3").unwrap_err();
    assert_data_error(&e, "3", "", 0);
    let e = agree::<Upper>(" \"x\"").unwrap_err();
    assert_data_error(&e, " \"x\"", "", 1);
    // Through a document and a sub-value too.
    let doc = jsontape::parse(r#"{"a": [7]}"#).unwrap();
    let e = doc
        .pointer("/a/0")
        .unwrap()
        .deserialize::<Even>()
        .unwrap_err();
    assert_data_error(&e, r#"{"a": [7]}"#, "a[0]", 7);
}

/// Errors raised after serde buffered the value (untagged and internally
/// tagged enums) are tied to the buffered value.
#[test]
fn errors_inside_buffered_enums_are_located() {
    let input = r#"{"v": [1, [true, false], "no"]}"#;
    let e = same_message::<HashMap<String, Vec<Narrow>>>(input);
    assert!(
        e.to_string()
            .contains("data did not match any variant of untagged enum Narrow"),
        "{e}"
    );
    assert_data_error(&e, input, "v[2]", offset_of(input, "\"no\""));

    let input = r#"[{"type": "B", "x": 1}, {"type": "B", "x": "1"}]"#;
    let e = same_message::<Vec<Internal>>(input);
    assert_data_error(
        &e,
        input,
        "[1]",
        offset_of(input, r#"{"type": "B", "x": "1"}"#),
    );

    // At the root.
    let e = agree::<Narrow>("\"no\"").unwrap_err();
    assert_data_error(&e, "\"no\"", "", 0);
    let input = r#" {"type": "B"}"#;
    let e = same_message::<Internal>(input);
    assert_data_error(&e, input, "", 1);
}

#[test]
fn data_errors_on_multi_line_input_count_lines() {
    let input = "[\r\n  1,\r\n  \"é\", \"x\"\r\n]";
    let e = same_message::<Vec<u8>>(input);
    assert_data_error(&e, input, "[1]", offset_of(input, "\"é\""));
    assert_eq!((e.line(), e.column()), (3, 3));
    let input = "{\"é\": [], \"日本\": [true,\n false, 3]}";
    let e = agree::<HashMap<String, Vec<bool>>>(input).unwrap_err();
    assert_data_error(&e, input, "[\"日本\"][2]", offset_of(input, "3]"));
    assert_eq!(e.line(), 2);
}

// ---------------------------------------------------------------------------
// 6. RawJson and Lazy
// ---------------------------------------------------------------------------

#[derive(Deserialize, Debug)]
struct Envelope<'a> {
    kind: &'a str,
    #[serde(borrow)]
    payload: RawJson<'a>,
    #[serde(borrow, default)]
    maybe: Option<RawJson<'a>>,
    #[serde(borrow, default)]
    list: Vec<RawJson<'a>>,
    #[serde(borrow, default)]
    map: BTreeMap<String, RawJson<'a>>,
}

/// The JSON texts parse to the same value (floats compared by bits).
#[track_caller]
fn same_json(a: &str, b: &str) {
    let a: serde_json::Value = serde_json::from_str(a).unwrap();
    let b: serde_json::Value = serde_json::from_str(b).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.to_string(), b.to_string(), "bits differ");
}

#[test]
fn raw_json_fields_keep_the_exact_text() {
    let input = r#"{"kind": "p", "payload": {"x": 1.50, "y": [1e2, -0, "a\nb"]} , "maybe": null,
        "list": [ 1 , "\u00e9" , {} , [ ] ], "map": {"k": true, "l": 2.0E-1}}"#;
    for env in [
        jsontape::from_str::<Envelope>(input).unwrap(),
        jsontape::from_slice::<Envelope>(input.as_bytes()).unwrap(),
        Parser::new().deserialize::<Envelope, _>(input).unwrap(),
    ] {
        assert_eq!(env.kind, "p");
        assert_eq!(env.payload.get(), r#"{"x": 1.50, "y": [1e2, -0, "a\nb"]}"#);
        assert!(env.payload.is_exact());
        assert!(borrows_from(env.payload.get(), input));
        assert!(env.maybe.is_none());
        let list: Vec<&str> = env.list.iter().map(RawJson::get).collect();
        assert_eq!(list, ["1", r#""\u00e9""#, "{}", "[ ]"]);
        assert!(env.list.iter().all(RawJson::is_exact));
        assert_eq!(env.map["l"].get(), "2.0E-1");
        assert_eq!(env.payload.to_string(), env.payload.get());
    }
    let doc = jsontape::parse(input).unwrap();
    let env: Envelope = doc.deserialize().unwrap();
    assert!(env.payload.is_exact());
    assert_eq!(
        env.payload.get(),
        doc.pointer("/payload").unwrap().raw_json()
    );

    let with_maybe = r#"{"kind": "k", "payload": 0, "maybe": [ 1 ]}"#;
    let env: Envelope = jsontape::from_str(with_maybe).unwrap();
    assert_eq!(
        env.maybe.map(|raw| raw.get().to_string()).as_deref(),
        Some("[ 1 ]")
    );
    // A missing RawJson is a missing field, as any other.
    let e = jsontape::from_str::<Envelope>(r#"{"kind": "k"}"#).unwrap_err();
    assert!(e.to_string().contains("missing field `payload`"), "{e}");

    // Reading it later.
    let env: Envelope = jsontape::from_str(input).unwrap();
    #[derive(Deserialize, Debug, PartialEq)]
    struct Payload<'a> {
        x: f64,
        #[serde(borrow)]
        y: (f64, f64, &'a str),
    }
    let e = env.payload.deserialize::<Payload>().unwrap_err();
    assert!(e.to_string().contains("expected a borrowed string"), "{e}");
    #[derive(Deserialize, Debug, PartialEq)]
    struct PayloadOwned {
        x: f64,
        y: (f64, f64, String),
    }
    assert_eq!(
        env.payload.deserialize::<PayloadOwned>().unwrap(),
        PayloadOwned {
            x: 1.5,
            y: (100.0, -0.0, "a\nb".into())
        }
    );
    let owned = env.payload.clone().into_owned();
    assert_eq!(owned, env.payload);
    assert!(!owned.is_exact());
}

#[test]
fn raw_json_at_the_top_level_and_in_collections() {
    let input = "  \n [1,  2]\t ";
    let raw: RawJson = jsontape::from_str(input).unwrap();
    assert_eq!(raw.get(), "[1,  2]");
    assert!(raw.is_exact());
    let doc = jsontape::parse(input).unwrap();
    let raw: RawJson = doc.deserialize().unwrap();
    assert_eq!(raw.get(), "[1,  2]");
    let raw: RawJson = doc.pointer("/1").unwrap().deserialize().unwrap();
    assert_eq!(raw.get(), "2");
    for scalar in ["null", "true", "-1.5e3", r#""s\"""#, "{}"] {
        let raw: RawJson = jsontape::from_str(scalar).unwrap();
        assert_eq!(raw.get(), scalar);
    }
    let raws: Vec<RawJson> = jsontape::from_str(r#"[ {"a" : 1} ,"x",null ]"#).unwrap();
    let texts: Vec<&str> = raws.iter().map(RawJson::get).collect();
    assert_eq!(texts, [r#"{"a" : 1}"#, r#""x""#, "null"]);
    let raws: Vec<Option<RawJson>> = jsontape::from_str("[null, 0]").unwrap();
    assert!(raws[0].is_none());
    assert_eq!(raws[1].as_ref().map(RawJson::get), Some("0"));
    let map: HashMap<&str, RawJson> = jsontape::from_str(r#"{"a": [ ], "b": 1.0}"#).unwrap();
    assert_eq!(map["a"].get(), "[ ]");
    let tuple: (RawJson, u8) = jsontape::from_str(r#"[{"z":0}, 1]"#).unwrap();
    assert_eq!(tuple.0.get(), r#"{"z":0}"#);

    // From another deserializer: re-encoded, not exact.
    let raw: RawJson = serde_json::from_str(r#"{"x": 1.50}"#).unwrap();
    assert!(!raw.is_exact());
    same_json(raw.get(), r#"{"x": 1.5}"#);
}

#[test]
fn raw_json_and_lazy_where_serde_buffers() {
    // Untagged.
    #[derive(Deserialize, Debug)]
    #[serde(untagged)]
    enum Either<'a> {
        Number(u32),
        Raw(#[serde(borrow)] RawJson<'a>),
    }
    let input = r#"[7, {"a": [1, 2.50, -0.0, 1e300, "x\ny"], "b": {}}, "s"]"#;
    let items: Vec<Either> = jsontape::from_str(input).unwrap();
    assert!(matches!(items[0], Either::Number(7)));
    match (&items[1], &items[2]) {
        (Either::Raw(obj), Either::Raw(s)) => {
            assert!(!obj.is_exact());
            same_json(
                obj.get(),
                r#"{"a": [1, 2.50, -0.0, 1e300, "x\ny"], "b": {}}"#,
            );
            same_json(s.get(), r#""s""#);
        }
        other => panic!("{other:?}"),
    }

    #[derive(Deserialize, Debug)]
    #[serde(untagged)]
    enum LazyEither<'a> {
        Lazy(#[serde(borrow)] Lazy<'a, Vec<u32>>),
    }
    let items: Vec<LazyEither> = jsontape::from_str("[[1, 2]]").unwrap();
    let LazyEither::Lazy(lazy) = &items[0];
    assert_eq!(lazy.raw(), None);
    assert_eq!(lazy.get().unwrap(), &[1, 2]);
    // Buffered, the value is read at once: a bad one fails the enum now.
    assert!(jsontape::from_str::<Vec<LazyEither>>(r#"[["x"]]"#).is_err());

    // Internally tagged.
    #[derive(Deserialize, Debug)]
    #[serde(tag = "type")]
    enum Tagged<'a> {
        Msg {
            #[serde(borrow)]
            body: RawJson<'a>,
            #[serde(borrow)]
            lazy: Lazy<'a, Vec<u32>>,
            #[serde(borrow)]
            opt: Option<RawJson<'a>>,
        },
    }
    let input = r#"{"type": "Msg", "body": {"k": [true, null, 0.5]}, "lazy": [3], "opt": [ ]}"#;
    let Tagged::Msg { body, lazy, opt } = jsontape::from_str::<Tagged>(input).unwrap();
    assert!(!body.is_exact());
    same_json(body.get(), r#"{"k": [true, null, 0.5]}"#);
    assert_eq!(lazy.raw(), None);
    assert_eq!(lazy.get().unwrap(), &[3]);
    assert_eq!(opt.map(|o| o.get().to_string()).as_deref(), Some("[]"));
    let doc = jsontape::parse(input).unwrap();
    let Tagged::Msg { body, .. } = doc.deserialize::<Tagged>().unwrap();
    same_json(body.get(), r#"{"k": [true, null, 0.5]}"#);

    // Flatten.
    #[derive(Deserialize, Debug)]
    struct Inner<'a> {
        #[serde(borrow)]
        raw: RawJson<'a>,
        #[serde(borrow)]
        lazy: Lazy<'a, (u8, String)>,
    }
    #[derive(Deserialize, Debug)]
    struct Flat<'a> {
        id: u32,
        #[serde(flatten, borrow)]
        inner: Inner<'a>,
        #[serde(flatten, borrow)]
        rest: BTreeMap<String, RawJson<'a>>,
    }
    let input =
        r#"{"id": 1, "raw": [1.25, {"n": null}], "lazy": [9, "n\u00e9"], "other": {"z": -1}}"#;
    let flat: Flat = jsontape::from_str(input).unwrap();
    assert_eq!(flat.id, 1);
    assert!(!flat.inner.raw.is_exact());
    same_json(flat.inner.raw.get(), r#"[1.25, {"n": null}]"#);
    assert_eq!(flat.inner.lazy.raw(), None);
    assert_eq!(flat.inner.lazy.get().unwrap(), &(9, "né".to_string()));
    same_json(flat.rest["other"].get(), r#"{"z": -1}"#);
    assert!(!flat.rest["other"].is_exact());
}

#[test]
fn lazy_fields_defer_reading_and_errors() {
    #[derive(Deserialize, Debug)]
    struct Response<'a> {
        status: u16,
        #[serde(borrow)]
        body: Lazy<'a, Vec<u32>>,
        #[serde(borrow, default)]
        extra: Option<Lazy<'a, String>>,
    }
    let input = r#"{"status": 200, "body": [1, 2,  3], "extra": null}"#;
    let response: Response = jsontape::from_str(input).unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.body.raw(), Some("[1, 2,  3]"));
    assert!(borrows_from(response.body.raw().unwrap(), input));
    let first = response.body.get().unwrap();
    assert_eq!(first, &[1, 2, 3]);
    assert!(std::ptr::eq(first, response.body.get().unwrap()));
    assert!(response.extra.is_none());
    assert_eq!(response.body.into_inner().unwrap(), [1, 2, 3]);

    // A bad value deserializes fine; the error comes from `get`, positioned in
    // the field's own text.
    let input = r#"{"status": 500, "body": [1, "x"], "extra": "a\nb"}"#;
    let response: Response = jsontape::from_str(input).unwrap();
    let e = response.body.get().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Deserialize);
    assert_eq!(e.path(), Some("[1]"));
    assert_eq!(e.offset(), offset_of(r#"[1, "x"]"#, "\"x\""));
    assert!(response.body.get().is_err(), "the error repeats");
    assert_eq!(response.extra.as_ref().unwrap().get().unwrap(), "a\nb");
    assert!(response.body.into_inner().is_err());

    let lazy: Lazy<u8> = jsontape::from_str("300").unwrap();
    assert_eq!(lazy.raw(), Some("300"));
    let e = lazy.get().unwrap_err();
    assert_eq!((e.kind(), e.path()), (ErrorKind::Deserialize, Some("")));
    let lazy: Lazy<Option<u8>> = jsontape::from_str("null").unwrap();
    assert_eq!(lazy.get().unwrap(), &None);
    // A borrowed `&str` with escapes cannot come from the text later.
    let lazy: Lazy<&str> = jsontape::from_str(r#""a\tb""#).unwrap();
    assert!(
        lazy.get()
            .unwrap_err()
            .to_string()
            .contains("expected a borrowed string")
    );
    let lazy: Lazy<&str> = jsontape::from_str(r#""ab""#).unwrap();
    assert_eq!(lazy.get().unwrap(), &"ab");
    let lazies: Vec<Lazy<u8>> = jsontape::from_str("[1, 1000, 3]").unwrap();
    let results: Vec<bool> = lazies.iter().map(|l| l.get().is_ok()).collect();
    assert_eq!(results, [true, false, true]);
    // Document::deserialize keeps the input text too.
    let doc = jsontape::parse(r#"{"status": 1, "body": [5]}"#).unwrap();
    let response: Response = doc.deserialize().unwrap();
    assert_eq!(response.body.raw(), Some("[5]"));
    // From another deserializer: read at once.
    let lazy: Lazy<Vec<u8>> = serde_json::from_str("[1]").unwrap();
    assert_eq!(lazy.raw(), None);
    assert_eq!(lazy.get().unwrap(), &[1]);
    assert!(serde_json::from_str::<Lazy<Vec<u8>>>("[256]").is_err());
}

// ---------------------------------------------------------------------------
// 7. Parser reuse
// ---------------------------------------------------------------------------

#[derive(Deserialize, Debug, PartialEq)]
struct Event {
    id: u64,
    kind: Ext,
    tags: Vec<String>,
    attrs: BTreeMap<u16, Option<f64>>,
    nested: Option<Box<Event>>,
}

#[test]
fn reused_parser_matches_from_slice() {
    let mut inputs: Vec<String> = vec![
        r#"{"id": 1, "kind": "A", "tags": [], "attrs": {}, "nested": null}"#.into(),
        r#"{"id": 2, "kind": {"C": [1, "x\n"]}, "tags": ["a\"b", "c"], "attrs": {"1": 1.5, "2": null}, "nested": {"id": 3, "kind": {"B": -1}, "tags": [], "attrs": {}, "nested": null}}"#.into(),
        r#"{"id": -1, "kind": "A", "tags": [], "attrs": {}}"#.into(),
        r#"{"id": 4, "kind": "Z", "tags": [], "attrs": {}}"#.into(),
        r#"{"id": 5, "kind": "A", "tags": [], "attrs": {"70000": 1}}"#.into(),
        r#"{"id": 6, "kind": "A", "tags": [1], "attrs": {}}"#.into(),
        r#"{"id": 7, "kind": "A""#.into(),
        "[".into(),
        "".into(),
        r#"{"id": 8, "kind": {"D": {"x": 1, "y": "\u00e9\ud83d\ude00"}}, "tags": [], "attrs": {}, "extra": [[[]]]}"#.into(),
    ];
    // A large one, then small ones again (buffers grow, then are reused).
    let tags: Vec<String> = (0..5000).map(|i| format!("\"t\\t{i}\"")).collect();
    inputs.push(format!(
        r#"{{"id": 9, "kind": "A", "tags": [{}], "attrs": {{"3": 0.1}}}}"#,
        tags.join(",")
    ));
    inputs.extend(inputs.clone());

    let mut parser = Parser::new();
    let mut ok = 0;
    for (round, input) in inputs.iter().enumerate() {
        let reused = parser.deserialize::<Event, _>(input);
        let fresh = jsontape::from_slice::<Event>(input.as_bytes());
        assert_eq!(reused, fresh, "round {round}: {input:.80}");
        ok += usize::from(reused.is_ok());
        // Other types through the same parser in between.
        let value: Result<serde_json::Value, _> = parser.deserialize(input.as_str());
        assert_eq!(value, jsontape::from_str::<serde_json::Value>(input));
        let _ = agree::<Event>(input);
    }
    assert_eq!(ok, 8);
    // Borrowing from successive inputs.
    for input in [r#"["a", "b"]"#, r#"["c"]"#] {
        let strs: Vec<&str> = parser.deserialize(input).unwrap();
        assert!(strs.iter().all(|s| borrows_from(s, input)));
    }
    // The parser's options apply.
    let mut shallow = Parser::with_options(Options::new().with_max_depth(2));
    assert_eq!(
        shallow.deserialize::<Vec<Vec<u8>>, _>("[[1]]"),
        Ok(vec![vec![1]])
    );
    assert_eq!(
        shallow
            .deserialize::<Vec<Vec<Vec<u8>>>, _>("[[[1]]]")
            .unwrap_err()
            .kind(),
        ErrorKind::DepthLimitExceeded
    );
}

// ---------------------------------------------------------------------------
// 8. Deep nesting
// ---------------------------------------------------------------------------

fn nested_arrays(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

/// A recursive derived type.
#[derive(Deserialize, Debug, PartialEq)]
struct Nest(Vec<Nest>);

impl Nest {
    fn depth(&self) -> usize {
        let mut depth = 1;
        let mut node = self;
        while let Some(child) = node.0.first() {
            depth += 1;
            node = child;
        }
        depth
    }
}

impl Drop for Nest {
    fn drop(&mut self) {
        // Iteratively, so the drop does not recurse either.
        let mut stack = std::mem::take(&mut self.0);
        while let Some(mut node) = stack.pop() {
            stack.append(&mut node.0);
        }
    }
}

fn serde_json_depth(value: &serde_json::Value) -> usize {
    let mut depth = 1;
    let mut node = value;
    while let Some(child) = node.get(0) {
        depth += 1;
        node = child;
    }
    depth
}

fn jsontape_value_depth(value: &jsontape::Value) -> usize {
    let mut depth = 1;
    let mut node = value;
    while let jsontape::Value::Array(items) = node {
        match items.first() {
            Some(child) => {
                depth += 1;
                node = child;
            }
            None => break,
        }
    }
    depth
}

/// Recursive types recurse once per level, so deserialization stops at
/// `SERDE_MAX_DEPTH` (128, as serde_json) whatever depth the parse allowed;
/// values that are skipped or kept raw do not recurse and may go deeper.
/// (Measured before the limit existed: a debug build's 2 MiB test thread
/// held only about 1,070 to 1,370 levels, a few hundred bytes to 2 KB each.)
#[test]
fn deep_nesting_into_recursive_types() {
    let limit = jsontape::SERDE_MAX_DEPTH;
    let input = nested_arrays(limit);
    let value: serde_json::Value = jsontape::from_str(&input).unwrap();
    assert_eq!(serde_json_depth(&value), limit);
    let value: jsontape::Value = jsontape::from_str(&input).unwrap();
    assert_eq!(jsontape_value_depth(&value), limit);
    let doc = jsontape::parse(&input).unwrap();
    let nest: Nest = doc.deserialize().unwrap();
    assert_eq!(nest.depth(), limit);

    // One level more: an error at the array that is one too deep.
    let too_deep = nested_arrays(limit + 1);
    for e in [
        jsontape::from_str::<Nest>(&too_deep).unwrap_err(),
        jsontape::from_str::<serde_json::Value>(&too_deep).unwrap_err(),
        jsontape::parse(&too_deep)
            .unwrap()
            .deserialize::<jsontape::Value>()
            .unwrap_err(),
    ] {
        assert_eq!(e.kind(), ErrorKind::DepthLimitExceeded);
        assert_eq!(e.offset(), limit);
    }

    // Skipped and raw values do not recurse: 1000 levels are fine there.
    let deep = nested_arrays(1000);
    let raw: RawJson = jsontape::from_str(&deep).unwrap();
    assert_eq!(raw.get().len(), 2000);
    jsontape::from_str::<IgnoredAny>(&deep).unwrap();
    #[derive(Deserialize)]
    struct Known {
        a: u8,
    }
    let known: Known = jsontape::from_str(&format!(r#"{{"skip": {deep}, "a": 1}}"#)).unwrap();
    assert_eq!(known.a, 1);

    // An error at the bottom finds its path without recursing.
    let deep_error = format!("{}\"x\"{}", "[".repeat(limit), "]".repeat(limit));
    let e = jsontape::from_str::<Nest>(&deep_error).unwrap_err();
    assert_eq!(e.path(), Some("[0]".repeat(limit).as_str()));
    assert_eq!(e.offset(), limit);
}

// ---------------------------------------------------------------------------
// Differences from serde_json
// ---------------------------------------------------------------------------

/// Where jsontape and serde_json differ on purpose; each pinned so a change
/// is noticed.
#[test]
fn deliberate_differences_from_serde_json() {
    #[derive(Deserialize, Debug, PartialEq)]
    struct Known {
        a: u8,
    }

    // jsontape validates the whole document before deserializing; serde_json
    // skips unknown fields without checking what it does not need: a lone
    // surrogate escape, a number beyond f64, invalid UTF-8 inside a string.
    let input = r#"{"a": 1, "skip": "\ud800"}"#;
    assert_eq!(
        serde_json::from_str::<Known>(input).unwrap(),
        Known { a: 1 }
    );
    assert_eq!(
        jsontape::from_str::<Known>(input).unwrap_err().kind(),
        ErrorKind::LoneSurrogate
    );
    let input = r#"{"a": 1, "skip": 1e400}"#;
    assert_eq!(
        serde_json::from_str::<Known>(input).unwrap(),
        Known { a: 1 }
    );
    assert_eq!(
        jsontape::from_str::<Known>(input).unwrap_err().kind(),
        ErrorKind::NumberOutOfRange
    );
    let input = b"{\"a\": 1, \"skip\": \"\xff\"}";
    assert_eq!(
        serde_json::from_slice::<Known>(input).unwrap(),
        Known { a: 1 }
    );
    assert_eq!(
        jsontape::from_slice::<Known>(input).unwrap_err().kind(),
        ErrorKind::InvalidUtf8
    );

    // Numeric and boolean map keys: serde_json reads the key's raw bytes as
    // JSON, so it rejects a key spelled with escapes; jsontape reads the
    // key's unescaped text. Both read "-0" as the float -0.0, not an integer.
    let input = r#"{"\u0031": 1}"#;
    assert!(serde_json::from_str::<BTreeMap<u8, u8>>(input).is_err());
    assert_eq!(
        jsontape::from_str::<BTreeMap<u8, u8>>(input),
        Ok(BTreeMap::from([(1, 1)]))
    );
    let input = r#"{"\u0074rue": 1}"#;
    assert!(serde_json::from_str::<BTreeMap<bool, u8>>(input).is_err());
    assert_eq!(
        jsontape::from_str::<BTreeMap<bool, u8>>(input),
        Ok(BTreeMap::from([(true, 1)]))
    );
    let input = r#"{"-0": 1}"#;
    assert!(serde_json::from_str::<BTreeMap<i32, u8>>(input).is_err());
    assert!(jsontape::from_str::<BTreeMap<i32, u8>>(input).is_err());

    // Too many elements for a tuple: serde_json reports trailing characters
    // (a syntax-category error); jsontape, which has the whole array, the
    // invalid length.
    let e = serde_json::from_str::<(u8,)>("[1, 2]").unwrap_err();
    assert!(e.to_string().contains("trailing characters"), "{e}");
    let e = jsontape::from_str::<(u8,)>("[1, 2]").unwrap_err();
    assert!(
        e.to_string()
            .contains("invalid length 2, expected fewer elements in array"),
        "{e}"
    );

    // Positions: serde_json points just past the offending value; jsontape
    // at its first byte.
    let e = serde_json::from_str::<u8>("  300").unwrap_err();
    assert_eq!(e.column(), 5);
    assert_eq!(jsontape::from_str::<u8>("  300").unwrap_err().column(), 3);

    // Both stop deserializing recursive types at 128 levels; skipping goes
    // deeper in both (jsontape: any depth its parse allowed, 1024 by default,
    // in O(1)).
    let deep = nested_arrays(200);
    assert!(serde_json::from_str::<serde_json::Value>(&deep).is_err());
    assert!(jsontape::from_str::<serde_json::Value>(&deep).is_err());
    assert!(jsontape::from_str::<IgnoredAny>(&deep).is_ok());

    // RawJson works where serde buffers (see raw_json_and_lazy_where_serde_buffers);
    // serde_json's RawValue fails there.
}
