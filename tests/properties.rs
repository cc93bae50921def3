//! Property tests: jsontape against serde_json.
//!
//! * (a) arbitrary JSON values printed by serde_json (compact and pretty) parse
//!   back to the same value, floats bit-identical, and `Display` writes JSON
//!   that serde_json reads back to the same value;
//! * (b) random mutations of valid documents never panic and jsontape agrees
//!   with serde_json on accept/reject (and on the value when both accept);
//! * (c) a reused `Parser` gives the same results as fresh `jsontape::parse`.
//!
//! Case counts are proptest's default (256), overridable with `PROPTEST_CASES`.

mod common;

use common::strategies::{self, json_char, json_value, whitespace};
use jsontape::{Kind, Parser, ValueRef};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Map, Number, Value};

// ---------------------------------------------------------------------------
// Conversion and comparison
// ---------------------------------------------------------------------------

/// Converts a jsontape value to a serde_json value with the public accessors,
/// walking arrays and objects with their iterators.
fn to_serde(v: ValueRef<'_>) -> Value {
    match v.kind() {
        Kind::Null => {
            assert!(v.is_null());
            Value::Null
        }
        Kind::Bool => Value::Bool(v.as_bool().expect("bool without as_bool")),
        Kind::Number => {
            if let Some(u) = v.as_u64() {
                Value::Number(u.into())
            } else if let Some(i) = v.as_i64() {
                assert!(i < 0, "as_i64 {i} >= 0 but as_u64 is None");
                Value::Number(i.into())
            } else {
                let f = v.as_f64().expect("number without as_f64");
                Value::Number(Number::from_f64(f).expect("non-finite f64 in a document"))
            }
        }
        Kind::String => Value::String(v.as_str().expect("string without as_str").to_owned()),
        Kind::Array => {
            let items: Vec<Value> = v.array_iter().map(to_serde).collect();
            assert_eq!(items.len(), v.len());
            assert_eq!(v.array_iter().len(), v.len());
            Value::Array(items)
        }
        Kind::Object => {
            let mut map = Map::new();
            let mut count = 0;
            for (key, value) in v.object_iter() {
                // With duplicate keys the last one wins, as in serde_json.
                map.insert(key.to_owned(), to_serde(value));
                count += 1;
            }
            assert_eq!(count, v.len());
            assert_eq!(v.object_iter().len(), v.len());
            Value::Object(map)
        }
    }
}

/// Structural equality with floats compared bit for bit (so `-0.0 != 0.0`),
/// integers compared as integers, and an integer never equal to a float.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => same_number(x, y),
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, p)| y.get(k).is_some_and(|q| same(p, q)))
        }
        _ => false,
    }
}

fn same_number(x: &Number, y: &Number) -> bool {
    if x.is_f64() || y.is_f64() {
        return x.is_f64()
            && y.is_f64()
            && x.as_f64().unwrap().to_bits() == y.as_f64().unwrap().to_bits();
    }
    if let (Some(p), Some(q)) = (x.as_u64(), y.as_u64()) {
        return p == q;
    }
    x.as_i64().is_some() && x.as_i64() == y.as_i64()
}

#[track_caller]
fn assert_same(actual: &Value, expected: &Value, context: &str) {
    assert!(
        same(actual, expected),
        "{context}: values differ\n  actual:   {}\n  expected: {}",
        debug_value(actual),
        debug_value(expected),
    );
}

/// `Debug` of a value with floats shown with their bits, so `-0.0` and
/// near-identical floats are told apart in failure messages.
fn debug_value(v: &Value) -> String {
    match v {
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap();
            format!("{f:e}f64(0x{:016x})", f.to_bits())
        }
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(debug_value).collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Object(map) => {
            let inner: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{k:?}: {}", debug_value(v)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
        other => format!("{other:?}"),
    }
}

/// RFC 6901 escaping of one reference token.
fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Checks every node of `expected` against the document through `pointer`,
/// `get`, `at` and `len`, and `raw_json` against serde_json.
fn check_navigation(root: ValueRef<'_>, node: ValueRef<'_>, expected: &Value, path: &mut String) {
    let by_pointer = root
        .pointer(path)
        .unwrap_or_else(|| panic!("pointer {path:?} found nothing"));
    assert_same(
        &to_serde(by_pointer),
        expected,
        &format!("pointer {path:?}"),
    );
    assert_same(
        &to_serde(node),
        expected,
        &format!("navigation to {path:?}"),
    );
    let raw: Value = serde_json::from_str(node.raw_json()).unwrap_or_else(|e| {
        panic!(
            "raw_json at {path:?} is not JSON ({e}): {:?}",
            node.raw_json()
        )
    });
    assert_same(&raw, expected, &format!("raw_json at {path:?}"));
    match expected {
        Value::Array(items) => {
            assert_eq!(node.len(), items.len());
            assert!(node.at(items.len()).is_none());
            assert!(node.get("0").is_none(), "get on an array");
            for (i, item) in items.iter().enumerate() {
                let child = node
                    .at(i)
                    .unwrap_or_else(|| panic!("at({i}) under {path:?}"));
                let len = path.len();
                path.push_str(&format!("/{i}"));
                check_navigation(root, child, item, path);
                path.truncate(len);
            }
        }
        Value::Object(map) => {
            assert_eq!(node.len(), map.len());
            assert!(node.at(0).is_none(), "at on an object");
            for (key, item) in map {
                let child = node
                    .get(key)
                    .unwrap_or_else(|| panic!("get({key:?}) under {path:?}"));
                let len = path.len();
                path.push('/');
                path.push_str(&pointer_token(key));
                check_navigation(root, child, item, path);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------

/// A valid document ([`strategies::json_document`]) as bytes, to be mutated.
fn json_document() -> impl Strategy<Value = Vec<u8>> {
    strategies::json_document().prop_map(String::into_bytes)
}

/// Bytes worth inserting: structural characters, number characters, a control
/// character and a byte that is never valid UTF-8.
const INSERTABLE: &[u8] = b"\"\\[]{},:0-e\x01\xff";

#[derive(Debug, Clone)]
enum Mutation {
    /// XOR a byte with a non-zero mask.
    Flip(Index, u8),
    /// Overwrite a byte with an arbitrary one.
    Set(Index, u8),
    Insert(Index, u8),
    Delete(Index),
    Truncate(Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        2 => (any::<Index>(), 1u8..=255).prop_map(|(i, m)| Mutation::Flip(i, m)),
        1 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Set(i, b)),
        3 => (any::<Index>(), prop::sample::select(INSERTABLE)).prop_map(|(i, b)| Mutation::Insert(i, b)),
        2 => any::<Index>().prop_map(Mutation::Delete),
        1 => any::<Index>().prop_map(Mutation::Truncate),
    ]
}

fn apply(doc: &mut Vec<u8>, m: &Mutation) {
    match *m {
        Mutation::Flip(ref i, mask) if !doc.is_empty() => {
            let i = i.index(doc.len());
            doc[i] ^= mask;
        }
        Mutation::Set(ref i, byte) if !doc.is_empty() => {
            let i = i.index(doc.len());
            doc[i] = byte;
        }
        Mutation::Insert(ref i, byte) => {
            let i = i.index(doc.len() + 1);
            doc.insert(i, byte);
        }
        Mutation::Delete(ref i) if !doc.is_empty() => {
            let i = i.index(doc.len());
            doc.remove(i);
        }
        Mutation::Truncate(ref i) => {
            let i = i.index(doc.len() + 1);
            doc.truncate(i);
        }
        _ => {}
    }
}

/// A valid document with one to four mutations applied.
/// Number spellings, valid and near the edges: long mantissas, long
/// integers around the `u64` and `f64` limits, exponents that overflow or
/// underflow.
fn number_text() -> impl Strategy<Value = String> {
    let re = |r: &str| proptest::string::string_regex(r).unwrap();
    prop_oneof![
        4 => re(r"-?(0|[1-9][0-9]{0,25})(\.[0-9]{1,25})?([eE][+-]?[0-9]{1,3})?"),
        1 => re(r"-?1844674407370955161[0-9]|-?922337203685477580[0-9]|-?[1-9][0-9]{18,21}"),
        1 => re(r"-?[1-9][0-9]{300,320}(\.[0-9]{0,3})?"),
        1 => re(r"-?(17976931348623157[0-9]{0,4}|2\.2250738585072014|4\.9406564584124654|2\.47032822920623272)[eE][+-]?3[0-2][0-9]"),
        1 => re(r"-?0\.0{0,30}[1-9][0-9]{0,20}[eE]-?[0-9]{1,5}"),
        1 => re(r"-?[0-9]{1,3}\.[0-9]{700,800}"),
        // Not quite numbers.
        1 => re(r"[-+]?(0[0-9]+|\.[0-9]+|[0-9]+\.|[0-9]+[eE][+-]?|[0-9]+\.[eE]1|-|--1|0x1F|Infinity|NaN)"),
    ]
}

/// String literals, quotes included, built from plain characters, escapes
/// (valid and not), `\u` escapes biased toward surrogates, and raw control
/// characters.
fn string_literal() -> impl Strategy<Value = String> {
    let hex4 = prop_oneof![
        2 => any::<u16>(),
        2 => 0xd800u16..0xdc00,
        2 => 0xdc00u16..0xe000,
        1 => 0u16..0x80,
    ];
    let piece = prop_oneof![
        6 => json_char().prop_filter_map("plain", |c| {
            (!matches!(c, '"' | '\\' | '\0'..='\x1f')).then(|| c.to_string())
        }),
        3 => prop::sample::select(vec![
            "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t",
        ])
        .prop_map(str::to_owned),
        4 => (hex4, any::<bool>()).prop_map(|(u, upper)| {
            if upper { format!("\\u{u:04X}") } else { format!("\\u{u:04x}") }
        }),
        1 => prop::sample::select(vec![
            "\\x", "\\'", "\\u12", "\\u12g4", "\\U0041", "\\\n", "\\", "\x01", "\x1f", "\t",
        ])
        .prop_map(str::to_owned),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|pieces| format!("\"{}\"", pieces.concat()))
}

/// A number or a string literal, as a value, an element or a key.
fn snippet_document() -> impl Strategy<Value = Vec<u8>> {
    let wrap = prop::sample::select(vec!["{}", " {} ", "[{}]", "[{},0]", "{\"k\":{}}"]);
    let snippet = prop_oneof![
        (number_text(), wrap.clone()).prop_map(|(n, w)| w.replace("{}", &n)),
        (string_literal(), wrap).prop_map(|(s, w)| w.replace("{}", &s)),
        string_literal().prop_map(|s| format!("{{{s}:{s}}}")),
    ];
    (whitespace(), snippet).prop_map(|(ws, doc)| format!("{ws}{doc}").into_bytes())
}

fn mutated_document() -> impl Strategy<Value = Vec<u8>> {
    let seed = prop_oneof![4 => json_document(), 1 => snippet_document()];
    (seed, prop::collection::vec(mutation(), 1..=4)).prop_map(|(mut doc, ms)| {
        for m in &ms {
            apply(&mut doc, m);
        }
        doc
    })
}

// ---------------------------------------------------------------------------
// Checks shared by the properties and the regression tests
// ---------------------------------------------------------------------------

/// jsontape and serde_json agree on accept/reject, and on the value when both
/// accept. jsontape's error offset stays within the input.
fn check_agrees_with_serde(input: &[u8]) -> Result<(), TestCaseError> {
    let ours = jsontape::parse(input);
    let theirs = serde_json::from_slice::<Value>(input);
    match (&ours, &theirs) {
        (Ok(doc), Ok(expected)) => {
            let actual = to_serde(doc.root());
            prop_assert!(
                same(&actual, expected),
                "values differ on {:?}\n  jsontape:   {}\n  serde_json: {}",
                String::from_utf8_lossy(input),
                debug_value(&actual),
                debug_value(expected)
            );
        }
        (Err(e), Err(_)) => {
            prop_assert!(
                e.offset() <= input.len(),
                "error offset {} past the end",
                e.offset()
            );
        }
        (Ok(doc), Err(se)) => prop_assert!(
            false,
            "jsontape accepts what serde_json rejects ({se}): {:?} -> {}",
            String::from_utf8_lossy(input),
            doc.root()
        ),
        (Err(e), Ok(v)) => prop_assert!(
            false,
            "jsontape rejects what serde_json accepts: {:?}\n  jsontape: {e} (kind {:?}, offset {})\n  serde_json: {}",
            String::from_utf8_lossy(input),
            e.kind(),
            e.offset(),
            debug_value(v)
        ),
    }
    Ok(())
}

/// What a parse produced, in a comparable form.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Ok(String),
    Err {
        kind: jsontape::ErrorKind,
        offset: usize,
        line: usize,
        column: usize,
    },
}

fn outcome(result: Result<jsontape::Document<'_>, jsontape::Error>) -> Outcome {
    match result {
        Ok(doc) => Outcome::Ok(doc.root().to_string()),
        Err(e) => Outcome::Err {
            kind: e.kind(),
            offset: e.offset(),
            line: e.line(),
            column: e.column(),
        },
    }
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

proptest! {
    // Default case count (256, or `PROPTEST_CASES`); no regression files are
    // written into the repository: minimized failures become plain tests below.
    #![proptest_config(strategies::config())]

    /// (a) serde_json's output, compact and pretty, parses back to the same
    /// value (floats bit-identical); `Display` is serde_json's compact text and
    /// reads back the same; navigation finds every node.
    #[test]
    fn serde_output_round_trips(value in json_value()) {
        let compact = serde_json::to_string(&value).unwrap();
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        for (name, text) in [("compact", &compact), ("pretty", &pretty)] {
            let doc = jsontape::parse(text).unwrap_or_else(|e| {
                panic!("{name} output rejected: {e} (kind {:?}, offset {})\n{text}", e.kind(), e.offset())
            });
            let root = doc.root();
            assert_same(&to_serde(root), &value, name);

            let written = root.to_string();
            // Strings and numbers keep their spelling, so this is exactly
            // serde_json's compact text.
            prop_assert_eq!(&written, &compact, "{} Display", name);
            let reread: Value = serde_json::from_str(&written).unwrap();
            assert_same(&reread, &value, &format!("{name} Display read by serde_json"));

            prop_assert_eq!(root.raw_json(), text.as_str());
            check_navigation(root, root, &value, &mut String::new());
        }
    }

    /// (b) Mutated documents never panic, and jsontape accepts exactly what
    /// serde_json accepts, with the same value.
    #[test]
    fn mutations_agree_with_serde(input in mutated_document()) {
        check_agrees_with_serde(&input)?;
    }

    /// (b'') Number spellings and string literals, valid or not, agree with
    /// serde_json: accept/reject and the value, floats bit for bit.
    #[test]
    fn snippets_agree_with_serde(input in snippet_document()) {
        check_agrees_with_serde(&input)?;
    }

    /// (b') The same for valid documents, unmutated.
    #[test]
    fn valid_documents_agree_with_serde(input in json_document()) {
        check_agrees_with_serde(&input)?;
    }

    /// (c) A reused parser matches a fresh parse, document after document.
    #[test]
    fn reused_parser_matches_fresh_parse(
        inputs in prop::collection::vec(prop_oneof![json_document(), mutated_document()], 1..12)
    ) {
        let mut parser = Parser::new();
        for (i, input) in inputs.iter().enumerate() {
            let reused = outcome(parser.parse(input));
            let fresh = outcome(jsontape::parse(input));
            prop_assert_eq!(
                reused,
                fresh,
                "input #{} {:?}",
                i,
                String::from_utf8_lossy(input)
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Fixed cases
// ---------------------------------------------------------------------------

/// Hand-picked edge cases for the agreement check.
#[test]
fn edge_cases_agree_with_serde() {
    let cases: &[&[u8]] = &[
        b"",
        b" ",
        b"-",
        b"-0",
        b"-0.0",
        b"0.",
        b".0",
        b"01",
        b"1e",
        b"1e+",
        b"1E-0",
        b"1e400",
        b"-1e400",
        b"1e-400",
        b"123.456e-789",
        b"18446744073709551615",
        b"18446744073709551616",
        b"-9223372036854775808",
        b"-9223372036854775809",
        b"100000000000000000000000000000000000000",
        b"[1,]",
        b"{\"a\":1,}",
        b"{\"a\" 1}",
        b"[\"\\u0000\"]",
        b"[\"\\ud800\"]",
        b"[\"\\ud83d\\ude00\"]",
        b"[\"\\udc00\\ud800\"]",
        b"\"\x7f\"",
        b"\"\x01\"",
        b"\"\xff\"",
        b"\xef\xbb\xbf1",
        b"nul",
        b"nulll",
        b"true false",
        b"[] ",
        b"[]]",
        b"{}{}",
        b"\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"",
        b"\"\\x\"",
        b"\"\\u12\"",
        b"\"\\u12G4\"",
    ];
    let mut failures = Vec::new();
    for case in cases {
        if let Err(e) = check_agrees_with_serde(case) {
            failures.push(format!("{:?}: {e}", String::from_utf8_lossy(case)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The mutation strategy yields both accepted and rejected documents in
/// useful proportions, so that (b) and (c) test both paths.
#[test]
fn mutations_are_not_vacuous() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = mutated_document();
    let total = 400;
    let accepted = (0..total)
        .filter(|_| {
            let input = strategy.new_tree(&mut runner).unwrap().current();
            jsontape::parse(&input).is_ok()
        })
        .count();
    println!("{accepted} of {total} mutated documents are valid JSON");
    assert!(
        (total / 50..=total * 9 / 10).contains(&accepted),
        "{accepted} of {total} mutated documents accepted"
    );
}
