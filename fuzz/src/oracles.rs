//! The checks behind the fuzz targets. Each takes arbitrary bytes and panics
//! when jsontape disagrees with itself or with serde_json.
//!
//! They depend only on `jsontape` and `serde_json`, so the main crate's
//! `tests/fuzz_regressions.rs` includes this file too and runs every check on
//! every saved input on stable Rust, in the normal test suite.

use jsontape::{Backend, Error, ErrorKind, Kind, Options, Parser, ValueRef};
use serde_json::Value;
use std::collections::HashSet;

/// A parse result in a form that compares across parsers and backends.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The document, value by value in document order.
    Parsed(Vec<Event>),
    /// The error's kind, byte offset, line and column.
    Failed(ErrorKind, usize, usize, usize),
}

/// One step of a depth-first walk over a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Null,
    Bool(bool),
    /// A number's readings (the `f64` as bits) and its text.
    Number {
        as_u64: Option<u64>,
        as_i64: Option<i64>,
        f64_bits: Option<u64>,
        text: String,
    },
    Str(String),
    /// An array and its length; its elements follow.
    Array(usize),
    /// An object and its field count; its keys and values follow, alternating.
    Object(usize),
    Key(String),
}

/// The outcome of a parse.
pub fn outcome(result: Result<jsontape::Document<'_>, Error>) -> Outcome {
    match result {
        Ok(doc) => Outcome::Parsed(events(doc.root())),
        Err(e) => Outcome::Failed(e.kind(), e.offset(), e.line(), e.column()),
    }
}

/// The value as events, with an explicit stack (inputs may be deeply nested).
/// Also checks that iterators report exact lengths.
pub fn events(root: ValueRef<'_>) -> Vec<Event> {
    enum Pending<'d> {
        Value(ValueRef<'d>),
        Key(&'d str),
    }
    let mut events = Vec::new();
    let mut stack = vec![Pending::Value(root)];
    while let Some(pending) = stack.pop() {
        let value = match pending {
            Pending::Key(key) => {
                events.push(Event::Key(key.to_owned()));
                continue;
            }
            Pending::Value(value) => value,
        };
        let event = match value.kind() {
            Kind::Null => Event::Null,
            Kind::Bool => Event::Bool(value.as_bool().expect("a bool")),
            Kind::Number => Event::Number {
                as_u64: value.as_u64(),
                as_i64: value.as_i64(),
                f64_bits: value.as_f64().map(f64::to_bits),
                text: value.raw_json().to_owned(),
            },
            Kind::String => Event::Str(value.as_str().expect("a string").to_owned()),
            Kind::Array => {
                let items = value.array_iter();
                assert_eq!(items.len(), value.len(), "array_iter().len()");
                let items: Vec<_> = items.collect();
                assert_eq!(items.len(), value.len(), "elements iterated");
                stack.extend(items.into_iter().rev().map(Pending::Value));
                Event::Array(value.len())
            }
            Kind::Object => {
                let fields = value.object_iter();
                assert_eq!(fields.len(), value.len(), "object_iter().len()");
                let fields: Vec<_> = fields.collect();
                assert_eq!(fields.len(), value.len(), "fields iterated");
                for (key, field) in fields.into_iter().rev() {
                    stack.push(Pending::Value(field));
                    stack.push(Pending::Key(key));
                }
                Event::Object(value.len())
            }
        };
        events.push(event);
    }
    events
}

/// Every backend this machine supports.
fn supported_backends() -> impl Iterator<Item = Backend> {
    Backend::ALL.into_iter().filter(|b| b.is_supported())
}

/// Every backend gives the same outcome as [`jsontape::parse`], with the
/// default options and with a small depth limit.
pub fn check_backends(data: &[u8]) {
    let expected = outcome(jsontape::parse(data));
    let shallow_expected = {
        let mut parser = Parser::with_options(Options::new().with_max_depth(3));
        outcome(parser.parse(data))
    };
    for backend in supported_backends() {
        let mut parser = Parser::with_options(Options::new().with_backend(backend));
        assert_eq!(outcome(parser.parse(data)), expected, "{backend:?}");
        let options = Options::new().with_backend(backend).with_max_depth(3);
        let mut parser = Parser::with_options(options);
        assert_eq!(
            outcome(parser.parse(data)),
            shallow_expected,
            "{backend:?}, depth 3"
        );
    }
}

/// jsontape and serde_json (with `float_roundtrip`) accept the same inputs
/// and read the same values from them, floats bit for bit.
///
/// The one allowed difference: serde_json stops at 128 levels of nesting,
/// jsontape at 1024 by default.
pub fn check_against_serde_json(data: &[u8]) {
    let ours = jsontape::parse(data);
    let theirs = serde_json::from_slice::<Value>(data);
    match (ours, theirs) {
        (Ok(doc), Ok(value)) => assert_same(doc.root(), &value),
        (Err(_), Err(_)) => {}
        (Ok(_), Err(e)) if e.to_string().starts_with("recursion limit exceeded") => {}
        (Ok(doc), Err(e)) => panic!("jsontape accepted {}; serde_json: {e}", doc.root()),
        (Err(e), Ok(value)) => panic!("jsontape rejected: {e}; serde_json read {value}"),
    }
}

/// `v` is the same JSON value as `s`: kinds, numbers (every reading),
/// strings, array elements in order, and object fields by key (the last of
/// duplicate keys, as serde_json keeps).
pub fn assert_same(v: ValueRef<'_>, s: &Value) {
    let mut stack = vec![(v, s)];
    while let Some((v, s)) = stack.pop() {
        let raw = v.raw_json();
        match s {
            Value::Null => assert!(v.is_null(), "{raw}: null"),
            Value::Bool(b) => assert_eq!(v.as_bool(), Some(*b), "{raw}"),
            Value::String(text) => assert_eq!(v.as_str(), Some(text.as_str()), "{raw}"),
            Value::Number(n) => {
                let ours = (v.as_u64(), v.as_i64(), v.as_f64().map(f64::to_bits));
                let theirs = (n.as_u64(), n.as_i64(), n.as_f64().map(f64::to_bits));
                assert_eq!(ours, theirs, "{raw}: number readings (serde_json {n})");
            }
            Value::Array(items) => {
                assert_eq!(v.kind(), Kind::Array, "{raw}");
                assert_eq!(v.len(), items.len(), "{raw}: length");
                stack.extend(v.array_iter().zip(items));
            }
            Value::Object(fields) => {
                assert_eq!(v.kind(), Kind::Object, "{raw}");
                let keys: HashSet<&str> = v.object_iter().map(|(key, _)| key).collect();
                assert_eq!(keys.len(), fields.len(), "{raw}: distinct keys");
                for (key, field) in fields {
                    let ours = v.get(key);
                    stack.push((ours.unwrap_or_else(|| panic!("{raw}: no {key:?}")), field));
                }
            }
        }
    }
}

/// Writing a document compactly and parsing the output gives the same
/// document; the compact output is a fixed point; `raw_json` of the root
/// parses to the same document too.
pub fn check_round_trip(data: &[u8]) {
    let Ok(doc) = jsontape::parse(data) else {
        return;
    };
    let expected = events(doc.root());
    let compact = doc.root().to_string();
    let reparsed = jsontape::parse(compact.as_bytes())
        .unwrap_or_else(|e| panic!("compact output {compact:?} does not parse: {e}"));
    assert_eq!(
        events(reparsed.root()),
        expected,
        "compact output {compact:?}"
    );
    assert_eq!(
        reparsed.root().to_string(),
        compact,
        "compact output is not a fixed point"
    );
    let raw = doc.root().raw_json();
    let from_raw = jsontape::parse(raw.as_bytes())
        .unwrap_or_else(|e| panic!("raw_json {raw:?} does not parse: {e}"));
    assert_eq!(events(from_raw.root()), expected, "raw_json {raw:?}");
}

/// One `Parser` per backend, reused over the NUL-separated pieces of `data`,
/// gives the same outcome for each piece as a fresh parse.
pub fn check_parser_reuse(data: &[u8]) {
    let mut parsers: Vec<Parser> = supported_backends()
        .map(|backend| Parser::with_options(Options::new().with_backend(backend)))
        .collect();
    for piece in data.split(|&b| b == 0) {
        let expected = outcome(jsontape::parse(piece));
        for parser in &mut parsers {
            let backend = parser.options().backend();
            assert_eq!(
                outcome(parser.parse(piece)),
                expected,
                "{backend:?} {piece:?}"
            );
        }
    }
}

/// The DOM: `to_value` holds what the tape holds (objects by key, the last of
/// duplicate keys winning); rejecting duplicates fails exactly when some
/// object repeats a key; the owned value equals the borrowed one; and the
/// compact and pretty writers, of the `Value` and of the tape, give text that
/// parses back to the same value.
pub fn check_dom(data: &[u8]) {
    let Ok(doc) = jsontape::parse(data) else {
        return;
    };
    let value = doc.to_value();
    assert_value_matches(doc.root(), &value);
    let has_duplicates = repeats_a_key(doc.root());
    let strict = doc.to_value_with(jsontape::DuplicateKeys::Reject);
    assert_eq!(strict.is_err(), has_duplicates, "DuplicateKeys::Reject");
    if let Err(e) = strict {
        assert_eq!(e.kind(), ErrorKind::DuplicateKey);
    }
    assert!(doc.to_owned_value() == value, "owned value differs");
    let texts = [
        value.to_string(),
        value.to_string_pretty(),
        doc.root().to_string_pretty(),
    ];
    for text in texts {
        let reparsed = jsontape::parse(text.as_bytes())
            .unwrap_or_else(|e| panic!("written text {text:?} does not parse: {e}"));
        assert!(
            reparsed.to_value() == value,
            "written text {text:?} reads back different"
        );
    }
}

/// `value` is what the tape at `v` holds.
fn assert_value_matches(v: ValueRef<'_>, value: &jsontape::Value<'_>) {
    let mut stack = vec![(v, value)];
    while let Some((v, value)) = stack.pop() {
        let raw = v.raw_json();
        assert_eq!(v.kind(), value.kind(), "{raw}: kind");
        match value {
            jsontape::Value::Array(items) => {
                assert_eq!(v.len(), items.len(), "{raw}: length");
                stack.extend(v.array_iter().zip(items));
            }
            jsontape::Value::Object(fields) => {
                let keys: HashSet<&str> = v.object_iter().map(|(key, _)| key).collect();
                assert_eq!(keys.len(), fields.len(), "{raw}: distinct keys");
                for (key, field) in fields.iter() {
                    let ours = v.get(key).unwrap_or_else(|| panic!("{raw}: no {key:?}"));
                    stack.push((ours, field));
                }
            }
            _ => {
                assert_eq!(v.as_str(), value.as_str(), "{raw}: string");
                assert_eq!(v.as_bool(), value.as_bool(), "{raw}: bool");
                let ours = (v.as_u64(), v.as_i64(), v.as_f64().map(f64::to_bits));
                let theirs = (
                    value.as_u64(),
                    value.as_i64(),
                    value.as_f64().map(f64::to_bits),
                );
                assert_eq!(ours, theirs, "{raw}: number readings");
            }
        }
    }
}

/// Whether any object at or below `root` has the same key twice.
fn repeats_a_key(root: ValueRef<'_>) -> bool {
    let mut stack = vec![root];
    while let Some(v) = stack.pop() {
        if v.kind() == Kind::Object {
            let keys: HashSet<&str> = v.object_iter().map(|(key, _)| key).collect();
            if keys.len() != v.len() {
                return true;
            }
        }
        stack.extend(v.array_iter());
        stack.extend(v.object_iter().map(|(_, field)| field));
    }
    false
}
