//! Property tests for the serde `Deserializer` over the tape.
//!
//! * Round trips: derived types (nested `Vec`, `Option`, enums in all four
//!   representations, `HashMap<String, _>`, integer-keyed maps, strings with
//!   every kind of character, `f64`, `i64`, `u8`, `i128`, `bool`) written by
//!   serde_json, compact and pretty, come back equal, floats bit-identical,
//!   through `from_str`, `Document::deserialize` and a reused `Parser`; a
//!   borrowing view of the same text borrows exactly the strings it can.
//! * Agreement: on arbitrary JSON-ish text (valid documents, mutated ones,
//!   token soup), jsontape and serde_json both succeed with equal values or
//!   both fail, for a fixed derived type and for `serde_json::Value`.
//!
//! Case counts are kept small (the suite runs in debug builds);
//! `PROPTEST_CASES` overrides them.

mod common;

use common::strategies::{json_document, json_f64, json_string};
use jsontape::{ErrorKind, Parser};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

/// The configuration: `cases` unless `PROPTEST_CASES` says otherwise, and no
/// regression files written into the repository.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------
// Round trips
// ---------------------------------------------------------------------------

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Record {
    id: i64,
    small: u8,
    flag: bool,
    score: f64,
    name: String,
    tags: Vec<String>,
    maybe: Option<f64>,
    kind: Kind,
    attrs: HashMap<String, i64>,
    counts: BTreeMap<u32, u8>,
    children: Vec<Child>,
    pair: (u8, String),
    shape: Shape,
    adjacent: Adjacent,
    loose: Vec<Loose>,
    wide: i128,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sometimes: Option<Vec<bool>>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
enum Kind {
    Unit,
    Newtype(i64),
    Tuple(u8, String),
    Struct { a: f64, b: Option<bool> },
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Child {
    label: Option<String>,
    values: Vec<f64>,
    nested: Option<Box<Child>>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(tag = "type")]
enum Shape {
    Circle { r: f64 },
    Rect { w: f64, h: f64, label: String },
    Empty,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(tag = "t", content = "c")]
enum Adjacent {
    X(u8),
    Y { s: String, f: f64 },
    Z,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(untagged)]
enum Loose {
    Int(i64),
    Text(String),
    Floats(Vec<f64>),
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        Just(Kind::Unit),
        any::<i64>().prop_map(Kind::Newtype),
        (any::<u8>(), json_string()).prop_map(|(n, s)| Kind::Tuple(n, s)),
        (json_f64(), any::<Option<bool>>()).prop_map(|(a, b)| Kind::Struct { a, b }),
    ]
}

fn child() -> impl Strategy<Value = Child> {
    let leaf = (
        prop::option::of(json_string()),
        prop::collection::vec(json_f64(), 0..4),
    )
        .prop_map(|(label, values)| Child {
            label,
            values,
            nested: None,
        });
    leaf.prop_recursive(3, 8, 2, |inner| {
        (
            prop::option::of(json_string()),
            prop::collection::vec(json_f64(), 0..4),
            prop::option::of(inner.prop_map(Box::new)),
        )
            .prop_map(|(label, values, nested)| Child {
                label,
                values,
                nested,
            })
    })
}

fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        json_f64().prop_map(|r| Shape::Circle { r }),
        (json_f64(), json_f64(), json_string()).prop_map(|(w, h, label)| Shape::Rect {
            w,
            h,
            label
        }),
        Just(Shape::Empty),
    ]
}

fn adjacent() -> impl Strategy<Value = Adjacent> {
    prop_oneof![
        any::<u8>().prop_map(Adjacent::X),
        (json_string(), json_f64()).prop_map(|(s, f)| Adjacent::Y { s, f }),
        Just(Adjacent::Z),
    ]
}

fn loose() -> impl Strategy<Value = Loose> {
    prop_oneof![
        any::<i64>().prop_map(Loose::Int),
        json_string().prop_map(Loose::Text),
        prop::collection::vec(json_f64(), 0..3).prop_map(Loose::Floats),
    ]
}

prop_compose! {
    fn record()(
        (id, small, flag, score, name) in (any::<i64>(), any::<u8>(), any::<bool>(), json_f64(), json_string()),
        tags in prop::collection::vec(json_string(), 0..4),
        maybe in prop::option::of(json_f64()),
        kind in kind(),
        attrs in prop::collection::hash_map(json_string(), any::<i64>(), 0..4),
        counts in prop::collection::btree_map(any::<u32>(), any::<u8>(), 0..4),
        children in prop::collection::vec(child(), 0..3),
        pair in (any::<u8>(), json_string()),
        (shape, adjacent) in (shape(), adjacent()),
        loose in prop::collection::vec(loose(), 0..3),
        wide in prop_oneof![any::<i128>(), any::<i64>().prop_map(i128::from)],
        sometimes in prop::option::of(prop::collection::vec(any::<bool>(), 0..3)),
    ) -> Record {
        Record {
            id, small, flag, score, name, tags, maybe, kind, attrs, counts, children,
            pair, shape, adjacent, loose, wide, sometimes,
        }
    }
}

/// A canonical text for comparing records with floats bit for bit: through
/// `serde_json::Value` (whose maps are sorted) and serde_json's shortest
/// round-trip float printing (which tells `-0.0` from `0.0`). `i128` values
/// beyond 64 bits do not fit a `Value`, so `wide` is compared apart.
fn canonical(record: &Record) -> String {
    let mut record = record.clone();
    record.wide = 0;
    serde_json::to_value(&record).unwrap().to_string()
}

/// A view of a record's text that borrows its strings.
#[derive(Deserialize, Debug)]
struct View<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    tags: Vec<&'a str>,
    attrs: HashMap<&'a str, i64>,
    pair: (u8, &'a str),
}

/// Whether serde_json writes `s` with an escape.
fn escaped(s: &str) -> bool {
    serde_json::to_string(s).unwrap().contains('\\')
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn derived_types_round_trip(record in record(), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&record).unwrap()
        } else {
            serde_json::to_string(&record).unwrap()
        };
        let expected = canonical(&record);

        let ours: Record = jsontape::from_str(&text)
            .map_err(|e| TestCaseError::fail(format!("{e} in {text}")))?;
        prop_assert_eq!(&ours, &record);
        prop_assert_eq!(canonical(&ours), expected.clone());
        prop_assert_eq!(ours.wide, record.wide);

        let doc = jsontape::parse(&text).unwrap();
        let from_doc: Record = doc.deserialize().unwrap();
        prop_assert_eq!(canonical(&from_doc), expected.clone());
        prop_assert_eq!(from_doc.wide, record.wide);

        let mut parser = Parser::new();
        for _ in 0..2 {
            let reused: Record = parser.deserialize(&text).unwrap();
            prop_assert_eq!(canonical(&reused), expected.clone());
        }

        // serde_json reads its own text back the same way.
        let theirs: Record = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(canonical(&theirs), expected);
    }

    #[test]
    fn borrowed_views_borrow_what_they_can(record in record()) {
        let text = serde_json::to_string(&record).unwrap();
        let range = text.as_bytes().as_ptr_range();
        let in_input = |s: &str| s.is_empty() || range.contains(&s.as_ptr());

        // Through the document every string borrows, escaped or not.
        let doc = jsontape::parse(&text).unwrap();
        let view: View = doc.deserialize().unwrap();
        prop_assert_eq!(view.name.as_ref(), record.name.as_str());
        prop_assert!(matches!(view.name, Cow::Borrowed(_)));
        prop_assert_eq!(&view.tags, &record.tags);
        prop_assert_eq!(view.attrs.len(), record.attrs.len());
        for (key, value) in &record.attrs {
            prop_assert_eq!(view.attrs.get(key.as_str()), Some(value));
        }
        prop_assert_eq!(view.pair.1, record.pair.1.as_str());

        // Through from_str, only strings without escapes can be `&str`s.
        let needs_arena = record.tags.iter().any(|t| escaped(t))
            || record.attrs.keys().any(|k| escaped(k))
            || escaped(&record.pair.1);
        match jsontape::from_str::<View>(&text) {
            Ok(view) => {
                prop_assert!(!needs_arena);
                prop_assert_eq!(view.name.as_ref(), record.name.as_str());
                prop_assert_eq!(matches!(view.name, Cow::Borrowed(_)), !escaped(&record.name));
                prop_assert!(view.tags.iter().all(|t| in_input(t)));
                prop_assert!(view.attrs.keys().all(|k| in_input(k)));
                prop_assert_eq!(&view.tags, &record.tags);
            }
            Err(e) => {
                prop_assert!(needs_arena, "{}", e);
                prop_assert_eq!(e.kind(), ErrorKind::Deserialize);
                prop_assert!(e.to_string().contains("Document::deserialize"), "{}", e);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Agreement with serde_json on arbitrary text
// ---------------------------------------------------------------------------

/// A fixed type that many small documents fit (every field has a default)
/// and many do not.
#[derive(Deserialize, Debug, PartialEq)]
struct Target {
    #[serde(default)]
    a: u8,
    #[serde(default)]
    b: Option<i32>,
    #[serde(default)]
    c: Vec<(bool, String)>,
    #[serde(default)]
    d: Option<Kind>,
    #[serde(default)]
    e: BTreeMap<u16, Option<f64>>,
    #[serde(default)]
    f: Vec<i64>,
    #[serde(default)]
    g: Option<Shape>,
}

/// Scalars, as JSON text, around the edges of the target's types. (No
/// numbers beyond `f64`'s range and no lone surrogates: serde_json accepts
/// those inside fields it ignores, where jsontape, which validates the whole
/// document, does not; see tests/serde.rs.)
fn leaf_text() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "null",
        "true",
        "false",
        "0",
        "1",
        "-1",
        "-0",
        "7",
        "255",
        "256",
        "65535",
        "65536",
        "2147483647",
        "2147483648",
        "-2147483649",
        "9223372036854775807",
        "9223372036854775808",
        "18446744073709551616",
        "1.5",
        "-0.0",
        "1e2",
        "2.5E-3",
        "1e300",
        "\"\"",
        "\"x\"",
        "\"a\\nb\"",
        "\"\\u00e9\"",
        "\"Unit\"",
        "\"Newtype\"",
        "\"Tuple\"",
        "\"Struct\"",
        "\"Circle\"",
        "\"Empty\"",
        "\"1\"",
    ])
    .prop_map(str::to_string)
}

/// Object keys: the target's fields, enum variants and tags, numbers, and
/// strangers.
fn key_text() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "a", "b", "c", "d", "e", "f", "g", "h", "type", "r", "w", "Unit", "Newtype", "Tuple",
        "Struct", "1", "0", "-1", "01", "65536", "1.5", "", "x y",
    ])
    .prop_map(|k| format!("\"{k}\""))
}

/// JSON text built from those pieces, nested a few levels.
fn value_text() -> impl Strategy<Value = String> {
    leaf_text().prop_recursive(4, 32, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5)
                .prop_map(|items| format!("[{}]", items.join(","))),
            prop::collection::vec((key_text(), inner), 0..5).prop_map(|fields| {
                let fields: Vec<String> = fields
                    .into_iter()
                    .map(|(k, v)| format!("{k}:{v}"))
                    .collect();
                format!("{{{}}}", fields.join(","))
            }),
        ]
    })
}

/// A field shaped for one of the target's fields, right or nearly right.
fn typed_field() -> impl Strategy<Value = String> {
    let string = prop::sample::select(vec!["\"\"", "\"s\"", "\"t\\tu\"", "\"\\u00e9\""]);
    let small = prop::sample::select(vec!["0", "1", "255", "256", "-1", "1.0", "null", "\"1\""]);
    let pair = (any::<bool>(), string.clone(), 0..8u8).prop_map(|(b, s, shape)| match shape {
        0 => format!("[{b}]"),
        1 => format!("[{b}, {s}, 1]"),
        2 => format!("[{s}, {b}]"),
        _ => format!("[{b}, {s}]"),
    });
    let kind = (0..9u8, small.clone(), string.clone()).prop_map(|(v, n, s)| match v {
        0 => "\"Unit\"".to_string(),
        1 => "{\"Unit\": null}".to_string(),
        2 => format!("{{\"Newtype\": {n}}}"),
        3 => format!("{{\"Tuple\": [{n}, {s}]}}"),
        4 => format!("{{\"Struct\": {{\"a\": {n}, \"b\": true}}}}"),
        5 => r#"{"Struct": {"b": null, "a": 1.5}}"#.to_string(),
        6 => format!("{{\"Struct\": [{n}, false]}}"),
        7 => "\"Newtype\"".to_string(),
        _ => format!("{{\"Unit\": null, \"Newtype\": {n}}}"),
    });
    let key = prop::sample::select(vec!["0", "1", "65535", "65536", "-1", "01", "1.5", "x"]);
    let entries = prop::collection::vec((key, small.clone()), 0..4).prop_map(|entries| {
        let entries: Vec<String> = entries
            .iter()
            .map(|(k, v)| format!("\"{k}\": {v}"))
            .collect();
        format!("{{{}}}", entries.join(", "))
    });
    let shape = (0..6u8, small.clone(), string.clone()).prop_map(|(v, n, s)| match v {
        0 => "{\"type\": \"Empty\"}".to_string(),
        1 => format!("{{\"type\": \"Circle\", \"r\": {n}}}"),
        2 => format!("{{\"r\": {n}, \"type\": \"Circle\"}}"),
        3 => format!("{{\"type\": \"Rect\", \"w\": {n}, \"h\": 2, \"label\": {s}}}"),
        4 => format!("{{\"type\": \"Rect\", \"w\": {n}}}"),
        _ => format!("{{\"type\": {s}}}"),
    });
    prop_oneof![
        small.clone().prop_map(|n| format!("\"a\": {n}")),
        small.clone().prop_map(|n| format!("\"b\": {n}")),
        prop::collection::vec(pair, 0..3).prop_map(|p| format!("\"c\": [{}]", p.join(", "))),
        kind.prop_map(|k| format!("\"d\": {k}")),
        entries.prop_map(|e| format!("\"e\": {e}")),
        prop::collection::vec(small, 0..4).prop_map(|f| format!("\"f\": [{}]", f.join(", "))),
        shape.prop_map(|g| format!("\"g\": {g}")),
    ]
}

/// A document that is usually an object (so it often fits `Target`).
fn target_text() -> impl Strategy<Value = String> {
    let field = prop_oneof![
        3 => typed_field(),
        1 => (key_text(), value_text()).prop_map(|(k, v)| format!("{k}: {v}")),
    ];
    prop_oneof![
        4 => prop::collection::vec(field, 0..6).prop_map(|fields| format!("{{{}}}", fields.join(", "))),
        1 => value_text(),
    ]
}

/// One edit of a document, to make it slightly (or badly) wrong. An inserted
/// `e` can push a number beyond `f64`'s range (`-2e147483649`).
#[derive(Debug, Clone)]
enum Edit {
    Delete(prop::sample::Index),
    Insert(prop::sample::Index, char),
    Duplicate(prop::sample::Index, prop::sample::Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    let chars = prop::sample::select(vec![
        ',', ':', '[', ']', '{', '}', '"', ' ', '\\', 'x', '-', '.', 'e',
    ]);
    prop_oneof![
        any::<prop::sample::Index>().prop_map(Edit::Delete),
        (any::<prop::sample::Index>(), chars).prop_map(|(i, c)| Edit::Insert(i, c)),
        (any::<prop::sample::Index>(), any::<prop::sample::Index>())
            .prop_map(|(i, j)| Edit::Duplicate(i, j)),
    ]
}

fn apply(text: &str, edit: &Edit) -> String {
    let boundaries: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let mut out = text.to_string();
    match edit {
        Edit::Delete(i) if !text.is_empty() => {
            let at = boundaries[i.index(boundaries.len() - 1)];
            out.remove(at);
        }
        Edit::Delete(_) => {}
        Edit::Insert(i, c) => out.insert(boundaries[i.index(boundaries.len())], *c),
        Edit::Duplicate(i, j) => {
            let (mut a, mut b) = (
                boundaries[i.index(boundaries.len())],
                boundaries[j.index(boundaries.len())],
            );
            if a > b {
                std::mem::swap(&mut a, &mut b);
            }
            let piece = text[a..b].to_string();
            out.insert_str(b, &piece);
        }
    }
    out
}

/// Both succeed with equal values, or both fail; a failure on valid JSON is a
/// `Deserialize` error with a path, and on invalid JSON the parse error.
fn check_agreement<T>(text: &str) -> Result<(), TestCaseError>
where
    T: serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let ours = jsontape::from_str::<T>(text);
    let theirs = serde_json::from_str::<T>(text);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => prop_assert_eq!(a, b, "on {:?}", text),
        (Err(e), Err(_)) => match jsontape::parse(text) {
            Ok(_) => {
                prop_assert_eq!(e.kind(), ErrorKind::Deserialize, "{} on {:?}", e, text);
                prop_assert!(e.path().is_some());
            }
            Err(syntax) => prop_assert_eq!(e, &syntax),
        },
        (Err(e), Ok(_)) if e.kind() == ErrorKind::NumberOutOfRange => {
            // serde_json skips the numbers of ignored fields without reading
            // their value; jsontape checks the whole input, as serde_json
            // does when it reads every value.
            prop_assert!(serde_json::from_str::<serde_json::Value>(text).is_err());
        }
        _ => prop_assert!(
            false,
            "disagreement on {:?}: jsontape {:?}, serde_json {:?}",
            text,
            ours,
            theirs
        ),
    }
    let doc_result = jsontape::parse(text).and_then(|doc| doc.deserialize::<T>());
    prop_assert_eq!(&doc_result, &ours, "Document::deserialize on {:?}", text);
    Ok(())
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn agrees_with_serde_json_on_json_ish_text(
        text in target_text(),
        edits in prop_oneof![
            2 => Just(Vec::new()),
            1 => prop::collection::vec(edit(), 1..3),
        ],
    ) {
        let text = edits.iter().fold(text, |text, e| apply(&text, e));
        check_agreement::<Target>(&text)?;
        check_agreement::<serde_json::Value>(&text)?;
        check_agreement::<Vec<Option<Kind>>>(&text)?;
        check_agreement::<BTreeMap<String, Vec<u16>>>(&text)?;
    }

}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn agrees_with_serde_json_on_arbitrary_documents(text in json_document()) {
        check_agreement::<serde_json::Value>(&text)?;
        check_agreement::<Target>(&text)?;
        check_agreement::<HashMap<String, serde_json::Value>>(&text)?;
        check_agreement::<Vec<f64>>(&text)?;
    }
}
