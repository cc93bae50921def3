//! The checks behind the fuzz targets. Each takes arbitrary bytes and panics
//! when jsontape disagrees with itself or with serde_json.
//!
//! They depend only on `jsontape`, `serde_json` and `serde` (with `derive`),
//! all dev-dependencies of the main crate, so its
//! `tests/fuzz_regressions.rs` includes this file too and runs every check on
//! every saved input on stable Rust, in the normal test suite.

use jsontape::{Backend, Error, ErrorKind, JsonPath, Kind, Options, Parser, ValueRef};
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

// ---------------------------------------------------------------------------
// Typed deserialization (serde).

/// Types for [`check_typed`]: a struct with every common field shape, enums
/// in the three tagging styles, and `serde_json::Value`. Floats are
/// compared bit for bit ([`F64`], [`Json`]).
pub mod typed {
    use serde::Deserialize;
    use std::collections::HashMap;

    /// An `f64` whose equality is bit equality (`-0.0 != 0.0`).
    #[derive(Debug, Default, Clone, Copy, Deserialize)]
    #[serde(transparent)]
    pub struct F64(pub f64);

    impl PartialEq for F64 {
        fn eq(&self, other: &F64) -> bool {
            self.0.to_bits() == other.0.to_bits()
        }
    }

    /// A `serde_json::Value` whose equality also compares the floats' bits
    /// (through the text, which tells `-0.0` from `0.0`).
    #[derive(Debug, Clone, Deserialize)]
    #[serde(transparent)]
    pub struct Json(pub serde_json::Value);

    impl PartialEq for Json {
        fn eq(&self, other: &Json) -> bool {
            let text = |value: &serde_json::Value| serde_json::to_vec(value).ok();
            self.0 == other.0 && text(&self.0) == text(&other.0)
        }
    }

    /// Every field is optional (`default`), so partial objects read too.
    #[derive(Debug, Default, PartialEq, Deserialize)]
    #[serde(default)]
    pub struct Record {
        pub flag: bool,
        pub small: u8,
        pub count: i64,
        pub ratio: F64,
        pub name: String,
        pub note: Option<String>,
        pub tags: Vec<String>,
        pub scores: HashMap<String, F64>,
        /// Numeric keys, read from the key's text as serde_json reads them.
        pub by_id: HashMap<i64, u8>,
        pub by_code: HashMap<u8, bool>,
        pub shape: Option<Shape>,
        pub shapes: Vec<Shape>,
        pub event: Option<Event>,
        pub loose: Option<Loose>,
        /// Integers past 64 bits are read from their text.
        pub wide: Option<i128>,
        pub wide_unsigned: Option<u128>,
        pub pair: Option<(u8, String)>,
        pub json: Option<Json>,
        pub child: Option<Box<Record>>,
        #[serde(rename = "type", alias = "kind")]
        pub kind: Option<String>,
    }

    /// Externally tagged: `"Point"`, `{"Circle": 1.5}`, `{"Rect": [1, 2]}`,
    /// `{"Poly": {"sides": 3}}`, `{"Group": [...]}`.
    #[derive(Debug, PartialEq, Deserialize)]
    pub enum Shape {
        Point,
        Circle(F64),
        Rect(u8, u8),
        Poly {
            sides: u8,
            #[serde(default)]
            name: Option<String>,
        },
        Group(Vec<Shape>),
    }

    /// Internally tagged: `{"type": "Move", "x": 1, "y": -2}`.
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(tag = "type")]
    pub enum Event {
        Ping,
        Move {
            x: i64,
            y: i64,
        },
        Say(Message),
        #[serde(rename = "kv")]
        Pairs(HashMap<String, Loose>),
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Message {
        pub text: String,
        #[serde(default)]
        pub to: Vec<String>,
        pub loud: Option<bool>,
    }

    /// Untagged: the first variant that fits, in order.
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(untagged)]
    pub enum Loose {
        Null,
        Small(u8),
        Int(i64),
        Float(F64),
        Flag(bool),
        Shape(Shape),
        Text(String),
        Pair(u8, String),
        List(Vec<Loose>),
        Event(Event),
        Map(HashMap<String, Loose>),
    }

    /// A flattened map: serde buffers the object and hands out what the
    /// named fields leave.
    #[derive(Debug, PartialEq, Deserialize)]
    pub struct Flat {
        pub id: u8,
        #[serde(flatten)]
        pub rest: HashMap<String, Json>,
    }

    /// Scalars by position.
    pub type Scalars = (u8, i64, F64, String, bool, Option<u8>);
}

/// Nesting depth of `data`'s brackets outside strings: at least the depth any
/// parser reaches on it before it fails.
fn nesting_depth(data: &[u8]) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for &b in data {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// A document with escapes and nesting, parsed first by the reused parser so
/// that its buffers hold another document's leftovers.
const WARM_UP: &[u8] =
    br#"{"a": [1, -2.5e3, "x\n\u00e9", {"b": [true, null, {}]}], "c\t": "\ud83d\ude00"}"#;

/// Typed deserialization: into each type of [`typed`] (and a borrowed
/// `Vec<&str>`), `jsontape::from_slice`, `Document::deserialize` and a
/// reused `Parser::deserialize` give the same result, value or error; they
/// succeed exactly when `serde_json::from_slice` does, with the same value
/// (floats bit for bit); errors have a position (line and column from 1).
///
/// Deliberate differences: inputs nested deeper than 100 levels are skipped
/// (serde_json stops at 128); `f32` is left out (jsontape rounds it
/// correctly from the text, serde_json through `f64`); and jsontape rejects
/// invalid UTF-8, lone surrogates and out-of-range numbers in values that
/// serde_json skips without checking them ([`unchecked_by_serde_json`]).
pub fn check_typed(data: &[u8]) {
    if nesting_depth(data) > 100 {
        return;
    }
    let mut parser = Parser::new();
    assert!(parser.parse(WARM_UP).is_ok(), "warm-up document");
    agree::<typed::Record>(data, &mut parser);
    agree::<Vec<typed::Shape>>(data, &mut parser);
    agree::<typed::Event>(data, &mut parser);
    agree::<typed::Loose>(data, &mut parser);
    agree::<typed::Flat>(data, &mut parser);
    agree::<typed::Scalars>(data, &mut parser);
    agree::<typed::Json>(data, &mut parser);
    agree_borrowed(data, &mut parser);
}

/// The three jsontape entry points and serde_json agree on `T`.
fn agree<T>(data: &[u8], parser: &mut Parser)
where
    T: serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let name = std::any::type_name::<T>();
    let ours = jsontape::from_slice::<T>(data);
    let from_document = jsontape::parse(data).and_then(|doc| doc.deserialize::<T>());
    let reused = parser.deserialize::<T, _>(data);
    check_error(name, data, &ours);
    assert_eq!(
        from_document, ours,
        "{name}: Document::deserialize and from_slice"
    );
    assert_eq!(reused, ours, "{name}: a reused Parser and from_slice");
    match (ours, serde_json::from_slice::<T>(data)) {
        (Ok(ours), Ok(theirs)) => assert_eq!(ours, theirs, "{name}: jsontape and serde_json"),
        (Err(_), Err(_)) => {}
        (Ok(_), Err(e)) if escaped_key_read_by_serde_json(&e, data) => {}
        (Ok(ours), Err(e)) => panic!("{name}: jsontape read {ours:?}; serde_json: {e}"),
        (Err(e), Ok(_)) if unchecked_by_serde_json(&e, data) => {}
        (Err(e), Ok(theirs)) => panic!("{name}: jsontape: {e}; serde_json read {theirs:?}"),
    }
}

/// Whether `error` (from jsontape) is about something that serde_json does
/// not check in the values it skips (fields the type ignores): it skips
/// strings without validating UTF-8 or `\u` surrogates, and numbers without
/// reading their value (`1e400`). jsontape checks the whole input. Such an
/// input is one that serde_json rejects too when it reads every value.
fn unchecked_by_serde_json(error: &Error, data: &[u8]) -> bool {
    let kind = error.kind();
    let unchecked = [
        ErrorKind::InvalidUtf8,
        ErrorKind::LoneSurrogate,
        ErrorKind::NumberOutOfRange,
    ];
    unchecked.contains(&kind) && serde_json::from_slice::<Value>(data).is_err()
}

/// Whether serde_json's `error` is its refusal of a numeric or boolean map
/// key spelled with escapes (`{"\u0031": 1}`): it reads such keys from their
/// raw bytes, jsontape from the unescaped text (a deliberate difference,
/// pinned in tests/serde.rs).
fn escaped_key_read_by_serde_json(error: &serde_json::Error, data: &[u8]) -> bool {
    let message = error.to_string();
    data.contains(&b'\\')
        && (message.contains("expected key to be a number in quotes")
            || message.contains("expected ident"))
}

/// An error has a position within the input and a message.
fn check_error<T>(name: &str, data: &[u8], result: &Result<T, Error>) {
    if let Err(e) = result {
        let message = e.to_string();
        assert!(
            e.line() >= 1 && e.column() >= 1,
            "{name}: error at line {} column {}: {message}",
            e.line(),
            e.column()
        );
        assert!(
            e.offset() <= data.len(),
            "{name}: error offset {} past the input's {} bytes: {message}",
            e.offset(),
            data.len()
        );
    }
}

/// Borrowed strings: `from_slice` and a reused parser borrow what serde_json
/// borrows (strings without escapes) and fail where it fails;
/// `Document::deserialize` borrows escaped strings from the document too, so
/// it reads every array of strings.
fn agree_borrowed(data: &[u8], parser: &mut Parser) {
    let name = "Vec<&str>";
    let ours = jsontape::from_slice::<Vec<&str>>(data);
    let reused = parser.deserialize::<Vec<&str>, _>(data);
    check_error(name, data, &ours);
    assert_eq!(reused, ours, "{name}: a reused Parser and from_slice");
    match (&ours, serde_json::from_slice::<Vec<&str>>(data)) {
        (Ok(ours), Ok(theirs)) => assert_eq!(*ours, theirs, "{name}: jsontape and serde_json"),
        (Err(_), Err(_)) => {}
        (Ok(_), Err(e)) if escaped_key_read_by_serde_json(&e, data) => {}
        (Ok(ours), Err(e)) => panic!("{name}: jsontape read {ours:?}; serde_json: {e}"),
        (Err(e), Ok(theirs)) => panic!("{name}: jsontape: {e}; serde_json read {theirs:?}"),
    }
    let owned = jsontape::from_slice::<Vec<String>>(data);
    let from_document = jsontape::parse(data).and_then(|doc| {
        doc.deserialize::<Vec<&str>>()
            .map(|strings| strings.into_iter().map(str::to_owned).collect::<Vec<_>>())
    });
    check_error(name, data, &from_document);
    // (The errors differ: a `&str` visitor expects "a borrowed string".)
    assert_eq!(
        from_document.ok(),
        owned.ok(),
        "{name}: Document::deserialize and Vec<String>"
    );
}

/// Expressions run on documents when the input has no NUL byte (it is then
/// all document).
const QUERIES: &[&str] = &[
    "$..*",
    "$..[0]",
    "$..[-1:0:-1]",
    "$..[?@.a]",
    "$..[?@ == 1 || @ == 'a']",
    "$..[?length(@) > 1]",
    "$..[?count(@.*) == 2]",
    "$..[?match(@, '[a-z]+')]",
    "$[*][*]",
    "$..a",
];

/// JSONPath: an input `expression NUL document` (or a document alone, run
/// with [`QUERIES`]). Parsing any expression never panics; on a valid
/// expression and document, `query` and `query_located` select the same
/// nodes, and every normalized path is itself a valid expression selecting
/// exactly one node: that node, unless duplicate keys make a name ambiguous
/// (then at most one).
pub fn check_query(data: &[u8]) {
    let (expressions, document) = match data.iter().position(|&b| b == 0) {
        Some(nul) => match std::str::from_utf8(&data[..nul]) {
            Ok(expression) => (vec![expression], &data[nul + 1..]),
            Err(_) => return,
        },
        None => (QUERIES.to_vec(), data),
    };
    let paths: Vec<JsonPath> = expressions
        .iter()
        .filter_map(|e| JsonPath::parse(e).ok())
        .collect();
    check_get(document);
    let Ok(doc) = jsontape::parse(document) else {
        for path in &paths {
            let _ = path.query_input(document);
        }
        return;
    };
    let root = doc.root();
    let unique_keys = !repeats_a_key(root);
    for path in &paths {
        let nodes = path.query(root);
        let located = path.query_located(root);
        let found = path
            .query_input(document)
            .unwrap_or_else(|e| panic!("{path}: query_input failed on a valid document: {e}"));
        assert_eq!(found.len(), nodes.len(), "{path}: query_input and query");
        for (value, node) in found.iter().zip(&nodes) {
            assert!(
                std::ptr::eq(value.raw_json(), node.raw_json()),
                "{path}: query_input selects another value"
            );
        }
        assert_eq!(
            nodes.len(),
            located.len(),
            "{path}: query and query_located"
        );
        for (node, (normalized, same)) in nodes.iter().zip(&located) {
            assert!(
                same_node(*node, *same),
                "{path}: {normalized} is another node"
            );
            let again = JsonPath::parse(normalized)
                .unwrap_or_else(|e| panic!("{path}: normalized path {normalized} rejected: {e}"));
            let selected = again.query(root);
            if unique_keys {
                assert_eq!(
                    selected.len(),
                    1,
                    "{path}: {normalized} selects {}",
                    selected.len()
                );
                assert!(
                    same_node(selected[0], *node),
                    "{path}: {normalized} selects another node"
                );
            } else {
                // A name picks the last of duplicate members, which may not
                // lead where a wildcard or descendant segment went.
                assert!(
                    selected.len() <= 1,
                    "{path}: {normalized} selects {}",
                    selected.len()
                );
            }
        }
    }
}

/// On-demand `get` and `get_many`: on a valid document, every value's JSON
/// Pointer gives through `get` the value a full parse gives through
/// `pointer` (the same text at the same place), and `get_many` of all of
/// them gives the same; on any input, neither panics.
fn check_get(document: &[u8]) {
    let Ok(doc) = jsontape::parse(document) else {
        let _ = jsontape::get(document, "/0/a");
        let _ = jsontape::get_many(document, &["", "/a", "/0", "/a/b/1"]);
        return;
    };
    let pointers = all_pointers(doc.root());
    for pointer in &pointers {
        let expected = doc.pointer(pointer).map(|v| v.raw_json());
        let found = jsontape::get(document, pointer)
            .unwrap_or_else(|e| panic!("get {pointer:?} failed on a valid document: {e}"));
        assert!(
            same_place(found.map(|v| v.raw_json()), expected),
            "get {pointer:?}"
        );
    }
    let refs: Vec<&str> = pointers.iter().map(String::as_str).collect();
    let many = jsontape::get_many(document, &refs).expect("get_many on a valid document");
    for (pointer, found) in refs.iter().zip(many) {
        let expected = doc.pointer(pointer).map(|v| v.raw_json());
        assert!(
            same_place(found.map(|v| v.raw_json()), expected),
            "get_many {pointer:?}"
        );
    }
}

/// Both absent, or the same text at the same place of the input.
fn same_place(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => std::ptr::eq(a, b),
        (a, b) => a.is_none() && b.is_none(),
    }
}

/// The JSON Pointer of every value (at most 200), keys escaped with `~0`/`~1`.
fn all_pointers(root: ValueRef<'_>) -> Vec<String> {
    let mut pointers = Vec::new();
    let mut stack = vec![(String::new(), root)];
    while let Some((pointer, value)) = stack.pop() {
        if pointers.len() == 200 {
            break;
        }
        match value.kind() {
            Kind::Array => {
                for (i, child) in value.array_iter().enumerate() {
                    stack.push((format!("{pointer}/{i}"), child));
                }
            }
            Kind::Object => {
                for (key, child) in value.object_iter() {
                    let token = key.replace('~', "~0").replace('/', "~1");
                    stack.push((format!("{pointer}/{token}"), child));
                }
            }
            _ => {}
        }
        pointers.push(pointer);
    }
    pointers
}

/// Whether two values are the same node of one document (same text, same place).
fn same_node(a: ValueRef<'_>, b: ValueRef<'_>) -> bool {
    std::ptr::eq(a.raw_json(), b.raw_json())
}

/// What a document stream gave for one document: the document's text and
/// its root's raw text, or the error's kind, offset, line and column.
type StreamItem = Result<(String, String), (ErrorKind, usize, usize, usize)>;

fn stream_item(result: Result<jsontape::Document<'_>, Error>) -> StreamItem {
    match result {
        Ok(doc) => Ok((doc.input().to_owned(), doc.root().raw_json().to_owned())),
        Err(e) => Err((e.kind(), e.offset(), e.line(), e.column())),
    }
}

/// A stream over a buffer with `options`, to its end.
fn buffer_stream(input: &[u8], options: jsontape::StreamOptions) -> Vec<StreamItem> {
    let mut docs = jsontape::Documents::with_options(input, options);
    std::iter::from_fn(|| docs.next_document().map(stream_item)).collect()
}

/// A stream over a reader that returns `first`, `first + 1`, ... bytes per
/// read (cycling up to 2 * `first`), with `options`, to its end.
fn reader_stream(input: &[u8], options: jsontape::StreamOptions, first: usize) -> Vec<StreamItem> {
    struct Pieces<'a> {
        data: &'a [u8],
        size: usize,
        first: usize,
    }
    impl std::io::Read for Pieces<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.size.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            self.size = if self.size >= 2 * self.first {
                self.first
            } else {
                self.size + 1
            };
            Ok(n)
        }
    }
    let reader = Pieces {
        data: input,
        size: first,
        first,
    };
    let mut docs = jsontape::ReadDocuments::with_options(reader, options);
    std::iter::from_fn(|| docs.next_document().map(stream_item)).collect()
}

/// NDJSON as a stream must read it: each non-blank line (without its `\r`)
/// parsed alone, its error moved to the line's place in the stream; a
/// leading byte order mark is skipped.
fn lines_parsed_alone(input: &[u8]) -> Vec<StreamItem> {
    let (mut offset, body) = match input.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (3, rest),
        None => (0, input),
    };
    let mut parser = Parser::new();
    let mut items = Vec::new();
    for (number, piece) in body.split(|&b| b == b'\n').enumerate() {
        let text = piece.strip_suffix(b"\r").unwrap_or(piece);
        let start = offset;
        offset += piece.len() + 1;
        if text.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
            continue;
        }
        items.push(match parser.parse(text) {
            Ok(doc) => stream_item(Ok(doc)),
            Err(e) => Err((e.kind(), start + e.offset(), number + 1, e.column())),
        });
    }
    items
}

/// Document streams: the first byte picks the framing (NDJSON or
/// concatenated), a window size (16 bytes to 2 KiB) and read sizes; the rest
/// is the stream. The buffer stream with the default window, with the small
/// window, and a reader handing the bytes over in small pieces all give the
/// same documents and errors (positions included); as NDJSON, that is each
/// line parsed alone.
pub fn check_stream(data: &[u8]) {
    let Some((&control, input)) = data.split_first() else {
        return;
    };
    let framing = match control & 1 {
        0 => jsontape::Framing::Lines,
        _ => jsontape::Framing::Concatenated,
    };
    let window = 16 << ((control >> 1) & 7);
    let read_size = 1 + usize::from(control >> 4);
    let options = jsontape::StreamOptions::new().with_framing(framing);
    let whole = buffer_stream(input, options);
    let small = options.with_window_size(window);
    assert_eq!(
        buffer_stream(input, small),
        whole,
        "buffer, window {window}"
    );
    assert_eq!(
        reader_stream(input, small, read_size),
        whole,
        "reader, window {window}, reads from {read_size} bytes"
    );
    if framing == jsontape::Framing::Lines {
        assert_eq!(
            whole,
            lines_parsed_alone(input),
            "NDJSON and lines parsed alone"
        );
    }
}
