//! Integration tests for the `Value` DOM: `to_value`, `to_value_with` and
//! `to_owned_value` on `Document` and on `ValueRef`.
//!
//! * Allocations: converting makes exactly one allocation per non-empty array
//!   or object (plus one per non-empty string for an owned value) and never
//!   reallocates; only a document nested deeper than the work stack's inline
//!   levels adds the spilled stack.
//! * Structure: every corpus file and a set of hand-written documents convert
//!   to the same tree serde_json reads (numbers by their readings, floats bit
//!   for bit; duplicate keys: the last wins in both), borrowed or owned.
//! * Borrowing: strings without escapes point into the input, escaped ones
//!   into the document's arena; an owned value owns every string and outlives
//!   its input.
//! * Duplicate keys: last wins by default (as `ValueRef::get`), and
//!   `DuplicateKeys::Reject` reports the repeated key with its position, in
//!   small (vector) and large (hash table) objects alike.
//! * Depth: 100,000-deep documents convert on a 2 MiB test thread.
//! * Accessors, `Index`, JSON Pointer, `From` and `Number`.
//! * A property test: arbitrary JSON texts convert to serde_json's value.
//!
//! Run with `--nocapture` to see the allocation table.

mod common;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt::Debug;
use std::sync::OnceLock;

use common::alloc_counter::measure;
use common::strategies::{json_document_of, json_leaf, json_value_with_large_objects};
use jsontape::{
    DuplicateKeys, Error, ErrorKind, Kind, Number, Object, Options, OwnedValue, Parser, Value,
    ValueRef,
};
use proptest::prelude::*;

/// serde_json's tree, the reference the conversions are compared with.
type Json = serde_json::Value;

// The counting allocator (tests/common/alloc_counter.rs); `measure` counts
// this thread's allocations.
#[global_allocator]
static GLOBAL: common::alloc_counter::Counting = common::alloc_counter::Counting;

// ---------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------

/// Hand-written documents: scalars at the edges of number parsing, strings
/// with every kind of escape, empty containers, and duplicate keys.
fn hand_written() -> Vec<(String, String)> {
    let texts: &[&str] = &[
        "null",
        "true",
        "false",
        "0",
        "-0",
        "-0.0",
        "0.0",
        "1e-300",
        "-1e-300",
        "1E2",
        "0.1",
        "2.5e-308",
        "5e-324",
        "1.7976931348623157e308",
        "9007199254740993",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "123456789012345678901234567890",
        r#""""#,
        r#""plain""#,
        r#""\"\\\/\b\f\n\r\t""#,
        r#""\u0000""#,
        r#""a\u0000b""#,
        r#""\u00e9 é \u00E9""#,
        r#""\ud83d\ude00""#,
        r#""\uD834\uDD1E and \ud83d\ude00 and \u0041""#,
        r#""😀 ✓ 日本語""#,
        r#""\u2028\u2029\uffff""#,
        "[]",
        "{}",
        r#"[[], {}, [[]], {"a": {}}, [{}], ""]"#,
        r#"[1, -1, 1.5, -0, 0.0, 1e-300, 1e300, 18446744073709551615, -9223372036854775808, 12345678901234567890123]"#,
        r#"{"msg": "line1\nline2\t\"quoted\" \\ back\/slash", "k\u0065y": ["\u0041\u00e9\u20ac", "\ud83d\ude00 astral"], "plain": "no escapes", "\"": {"\\": "\u0000\u001f"}}"#,
        r#"{"a": 1, "b": 2, "a": 3}"#,
        r#"{"a": {"x": 1}, "a": {"y": -0}}"#,
        r#"{"a\u0062": 1, "ab": 2}"#,
        r#"{"\ud83d\ude00": 1, "😀": [2]}"#,
        r#"{"a\u0062": 1, "\ud83d\ude00": 2, "": 3, "a/b~c": [4], "": 5}"#,
        r#"{"é": "e\u0301", "e\u0301": "é"}"#,
        "  \n\t[ 1 , { \"a\" : [ ] } ]\r\n ",
    ];
    let mut docs: Vec<(String, String)> = texts
        .iter()
        .map(|t| (format!("{t:?}"), (*t).to_owned()))
        .collect();
    docs.push((
        "large object with a duplicate".to_owned(),
        large_object(40, &[17]),
    ));
    docs.push((
        "long strings".to_owned(),
        format!(
            r#"{{"{}": "{}", "e": "{}"}}"#,
            "k".repeat(70_000),
            "v".repeat(70_000),
            "\\n".repeat(40_000)
        ),
    ));
    docs.push(("nested 30".to_owned(), nested(30)));
    docs
}

/// An object with fields `"k0"` to `"k{n-1}"`, then repeats of the fields
/// numbered in `repeat` (the last one spelled with escapes), so it has
/// `n + repeat.len()` fields.
fn large_object(n: usize, repeat: &[usize]) -> String {
    let mut fields: Vec<String> = (0..n).map(|i| format!(r#""k{i}": {i}"#)).collect();
    for (j, &i) in repeat.iter().enumerate() {
        let key = if j + 1 == repeat.len() {
            // "k17" as "\u006b17".
            format!("\\u006b{i}")
        } else {
            format!("k{i}")
        };
        fields.push(format!(r#""{key}": "repeat {j}""#));
    }
    format!("{{{}}}", fields.join(", "))
}

/// A document of `depth` nested non-empty containers, alternating arrays and
/// objects, with scalars and an escaped string at the bottom.
fn nested(depth: usize) -> String {
    let mut s = String::new();
    for i in 0..depth - 1 {
        s.push_str(if i % 2 == 0 { "[" } else { r#"{"k\n":"# });
    }
    s.push_str(r#"[1, -2.5e3, "x\ty", true, null, "plain"]"#);
    for i in (0..depth - 1).rev() {
        s.push_str(if i % 2 == 0 { "]" } else { "}" });
    }
    s
}

/// (name, contents) of every benchmark corpus file (none if the corpus is
/// missing outside CI).
fn corpus() -> Vec<(String, String)> {
    common::bench_files()
        .into_iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            (name, text)
        })
        .collect()
}

/// A document under test, parsed once for all the tests.
struct Parsed {
    name: String,
    text: &'static str,
    doc: jsontape::Document<'static>,
    /// serde_json's reading of `text`.
    expected: Json,
}

/// The corpus, then the hand-written documents, each parsed once by jsontape
/// and by serde_json and shared by the tests (parsing the corpus takes most
/// of a second in a debug build). The texts are leaked, so that the
/// documents are `'static`.
fn documents() -> &'static [Parsed] {
    static DOCS: OnceLock<Vec<Parsed>> = OnceLock::new();
    DOCS.get_or_init(|| {
        let mut docs = corpus();
        docs.extend(hand_written());
        docs.into_iter()
            .map(|(name, text)| {
                let text: &'static str = text.leak();
                let doc = jsontape::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
                let expected = serde_json::from_str(text)
                    .unwrap_or_else(|e| panic!("{name}: serde_json rejects it: {e}"));
                let name = clip(&name).to_owned();
                Parsed {
                    name,
                    text,
                    doc,
                    expected,
                }
            })
            .collect()
    })
}

// ---------------------------------------------------------------------------
// Walks
// ---------------------------------------------------------------------------

/// What a document holds, counted on the tape.
#[derive(Debug, Default, Clone, Copy)]
struct Census {
    /// Non-empty arrays and objects.
    containers: u64,
    /// Non-empty strings, keys included (every occurrence of a repeated key).
    strings: u64,
    /// Bytes of those strings, decoded.
    string_bytes: u64,
    /// Empty strings, keys included.
    empty_strings: u64,
    /// Bytes of the element vectors of the non-empty arrays and of the
    /// objects of at most 32 fields (vector-backed maps), sized exactly.
    exact_bytes: u64,
    /// Objects of more than 32 fields (hash tables).
    large_objects: u64,
    /// A lower bound of the bytes of those tables: their entries and one
    /// control byte each.
    large_object_min_bytes: u64,
    /// Deepest nesting of containers (non-empty or not).
    depth: usize,
}

impl Census {
    /// Counts one string (key or value).
    fn string(&mut self, s: &str) {
        if s.is_empty() {
            self.empty_strings += 1;
        } else {
            self.strings += 1;
            self.string_bytes += s.len() as u64;
        }
    }
}

/// Counts what [`Census`] counts, walking `root` with an explicit stack.
fn census(root: ValueRef<'_>) -> Census {
    let value_size = size_of::<Value<'_>>() as u64;
    let field_size = size_of::<(Cow<'_, str>, Value<'_>)>() as u64;
    let mut c = Census::default();
    let mut stack = vec![(root, 0)];
    while let Some((v, depth)) = stack.pop() {
        match v.kind() {
            Kind::String => c.string(v.as_str().unwrap()),
            Kind::Array => {
                c.depth = c.depth.max(depth + 1);
                if !v.is_empty() {
                    c.containers += 1;
                    c.exact_bytes += v.len() as u64 * value_size;
                }
                stack.extend(v.array_iter().map(|e| (e, depth + 1)));
            }
            Kind::Object => {
                c.depth = c.depth.max(depth + 1);
                let n = v.len() as u64;
                if n > 32 {
                    c.large_objects += 1;
                    c.large_object_min_bytes += n * (field_size + 1);
                } else if n > 0 {
                    c.exact_bytes += n * field_size;
                }
                if n > 0 {
                    c.containers += 1;
                }
                for (key, e) in v.object_iter() {
                    c.string(key);
                    stack.push((e, depth + 1));
                }
            }
            _ => {}
        }
    }
    c
}

/// Whether any object in the tree at `root` has a key twice (walking with an
/// explicit stack).
fn has_duplicate_keys(root: ValueRef<'_>) -> bool {
    let mut stack = vec![root];
    while let Some(v) = stack.pop() {
        match v.kind() {
            Kind::Array => stack.extend(v.array_iter()),
            Kind::Object => {
                let mut seen = HashSet::new();
                for (key, e) in v.object_iter() {
                    if !seen.insert(key) {
                        return true;
                    }
                    stack.push(e);
                }
            }
            _ => {}
        }
    }
    false
}

/// serde_json's kind for a value, in jsontape's terms.
fn json_kind(s: &Json) -> Kind {
    match s {
        Json::Null => Kind::Null,
        Json::Bool(_) => Kind::Bool,
        Json::Number(_) => Kind::Number,
        Json::String(_) => Kind::String,
        Json::Array(_) => Kind::Array,
        Json::Object(_) => Kind::Object,
    }
}

/// `path` (a JSON Pointer) extended by the reference token for `key`.
fn child_path(path: &str, key: &str) -> String {
    format!("{path}/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// A step from a node to one of its children.
#[derive(Debug, Clone, Copy)]
enum Step<'a> {
    Index(usize),
    Key(&'a str),
}

/// The nodes a walk has visited, each as its parent's id and the step from
/// it (id 0 is the root), so that a walk can name any node by a JSON Pointer
/// without building a string per node.
struct Paths<'a>(Vec<(usize, Step<'a>)>);

impl<'a> Paths<'a> {
    /// Just the root, id 0.
    fn new() -> Self {
        Paths(vec![(0, Step::Index(0))])
    }

    /// Records the child of node `parent` reached by `step`; returns its id.
    fn child(&mut self, parent: usize, step: Step<'a>) -> usize {
        self.0.push((parent, step));
        self.0.len() - 1
    }

    /// The JSON Pointer of node `id`, or "(root)".
    fn pointer(&self, mut id: usize) -> String {
        let mut steps = Vec::new();
        while id != 0 {
            let (parent, step) = self.0[id];
            steps.push(step);
            id = parent;
        }
        let path = steps
            .iter()
            .rev()
            .fold(String::new(), |path, step| match step {
                Step::Index(i) => format!("{path}/{i}"),
                Step::Key(k) => child_path(&path, k),
            });
        if path.is_empty() {
            "(root)".to_owned()
        } else {
            path
        }
    }
}

/// At most the first 200 bytes of `text`, for messages.
fn clip(text: &str) -> &str {
    let mut end = text.len().min(200);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The message for a difference at `at` (a JSON Pointer) between a converted
/// value and the reference it is checked against (serde_json's tree or the
/// tape): `what` is `ours` in the value but `theirs` in `reference`.
fn mismatch(
    at: String,
    what: &str,
    ours: impl Debug,
    reference: &str,
    theirs: impl Debug,
) -> String {
    format!("{at}: {what} {ours:?}, {reference} {theirs:?}")
}

/// A jsontape number's readings: `as_u64`, `as_i64`, `as_f64` as bits, and
/// whether it is stored as a float.
fn readings(n: &Number) -> (Option<u64>, Option<i64>, u64, bool) {
    (n.as_u64(), n.as_i64(), n.as_f64().to_bits(), n.is_f64())
}

/// A serde_json number's readings, as [`readings`].
fn json_readings(n: &serde_json::Number) -> (Option<u64>, Option<i64>, u64, bool) {
    let f = n.as_f64().expect("serde_json numbers all read as f64");
    (n.as_u64(), n.as_i64(), f.to_bits(), n.is_f64())
}

/// Compares jsontape's `ours` with serde_json's `theirs` node by node, with
/// an explicit stack: same kinds, same answers from the scalar accessors,
/// numbers by their readings (floats bit for bit, integer vs float kept
/// apart), strings, array elements in order, object keys and the value under
/// each key. Returns the first difference, located by a JSON Pointer.
fn compare_with_serde(ours: &Value<'_>, theirs: &Json) -> Result<(), String> {
    let mut paths = Paths::new();
    let mut stack = vec![(ours, theirs, 0)];
    while let Some((v, s, id)) = stack.pop() {
        let at = || paths.pointer(id);
        if v.kind() != json_kind(s) {
            return Err(mismatch(at(), "kind", v.kind(), "serde_json", json_kind(s)));
        }
        let ours = (v.is_null(), v.as_bool(), v.as_str(), v.as_u64(), v.as_i64());
        let theirs = (s.is_null(), s.as_bool(), s.as_str(), s.as_u64(), s.as_i64());
        if ours != theirs || v.as_f64().map(f64::to_bits) != s.as_f64().map(f64::to_bits) {
            return Err(format!(
                "{}: {} vs serde_json {}",
                at(),
                clip(&format!("{v:?}")),
                clip(&s.to_string())
            ));
        }
        match (v, s) {
            (Value::Number(n), Json::Number(sn)) => {
                if readings(n) != json_readings(sn) {
                    let (ours, theirs) = (
                        format!("number {n} reads"),
                        format!("serde_json {sn} reads"),
                    );
                    return Err(mismatch(
                        at(),
                        &ours,
                        readings(n),
                        &theirs,
                        json_readings(sn),
                    ));
                }
                if v.as_number().is_none_or(|m| !std::ptr::eq(m, n)) {
                    return Err(format!("{}: as_number", at()));
                }
            }
            (Value::Array(items), Json::Array(expected)) => {
                if items.len() != expected.len() || v.len() != items.len() {
                    return Err(mismatch(
                        at(),
                        "elements",
                        items.len(),
                        "serde_json",
                        expected.len(),
                    ));
                }
                if v.is_empty() != expected.is_empty()
                    || v.as_array().is_none_or(|a| !std::ptr::eq(a, items))
                {
                    return Err(format!("{}: is_empty or as_array", at()));
                }
                for (i, (e, se)) in items.iter().zip(expected).enumerate().rev() {
                    stack.push((e, se, paths.child(id, Step::Index(i))));
                }
            }
            (Value::Object(fields), Json::Object(expected)) => {
                if fields.len() != expected.len() || v.len() != fields.len() {
                    let mut keys: Vec<&str> = fields.keys().map(|k| k.as_ref()).collect();
                    keys.sort_unstable();
                    let theirs: Vec<&String> = expected.keys().collect();
                    return Err(mismatch(at(), "keys", keys, "serde_json", theirs));
                }
                for (key, se) in expected.iter().rev() {
                    let child = paths.child(id, Step::Key(key));
                    let Some(e) = fields.get(key.as_str()) else {
                        return Err(format!(
                            "{}: missing (serde_json has it)",
                            paths.pointer(child)
                        ));
                    };
                    if v.get(key).is_none_or(|g| !std::ptr::eq(g, e)) {
                        return Err(format!("{}: Value::get", paths.pointer(child)));
                    }
                    stack.push((e, se, child));
                }
            }
            // Scalars: compared by the accessors above.
            _ => {}
        }
    }
    Ok(())
}

/// How a converted value must hold its strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strings {
    /// `Cow::Borrowed`, from the input or the document's arena.
    Borrowed,
    /// `Cow::Owned`.
    Owned,
}

/// Where the strings [`check_against_tape`] saw were.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Sources {
    /// Borrowed from the input (no escapes).
    input: usize,
    /// Borrowed from outside the input: the arena (escaped strings).
    arena: usize,
    /// Owned.
    owned: usize,
}

/// Whether `s` lies within `input`'s bytes.
fn points_into(s: &str, input: &str) -> bool {
    let range = input.as_bytes().as_ptr_range();
    let (start, end) = (s.as_ptr(), s.as_ptr().wrapping_add(s.len()));
    range.start <= start && end <= range.end
}

/// Checks one string of a converted value: its text is `spellings[0]` (what
/// the tape holds), and it is stored as `mode` says. Borrowed strings must be
/// the very slice the tape gives, one of `spellings` (a key repeated in an
/// object is kept with its first occurrence); `escaped`, when known, says
/// whether it must come from the arena rather than the input.
#[allow(clippy::ptr_arg, reason = "whether the Cow is borrowed is the point")]
fn check_string(
    cow: &Cow<'_, str>,
    spellings: &[&str],
    escaped: Option<bool>,
    input: &str,
    mode: Strings,
    sources: &mut Sources,
) -> Result<(), String> {
    let text = spellings[0];
    if cow.as_ref() != text {
        return Err(format!("string {cow:?}, tape {text:?}"));
    }
    match (mode, cow) {
        (Strings::Owned, Cow::Owned(_)) => sources.owned += 1,
        (Strings::Borrowed, Cow::Borrowed(s)) => {
            if !spellings.iter().any(|t| std::ptr::eq(*t, *s)) {
                return Err(format!(
                    "string {s:?} is borrowed, but not from where the tape's is"
                ));
            }
            let in_input = points_into(s, input);
            if escaped.is_some_and(|escaped| escaped == in_input) {
                return Err(format!(
                    "string {s:?}: escaped {escaped:?} but in the input {in_input}"
                ));
            }
            if in_input {
                sources.input += 1;
            } else {
                sources.arena += 1;
            }
        }
        (mode, cow) => return Err(format!("string {cow:?} is not {mode:?}")),
    }
    Ok(())
}

/// Checks that `value` is `node` (of the document parsed from `input`)
/// converted, walking both with an explicit stack: same kinds and scalars,
/// the same array elements, and per object one entry per distinct key
/// holding the value of the *last* field of that name (what `ValueRef::get`
/// returns). Every string, keys included, is stored as `mode` says; see
/// [`check_string`]. Returns where the strings were.
fn check_against_tape(
    value: &Value<'_>,
    node: ValueRef<'_>,
    input: &str,
    mode: Strings,
) -> Result<Sources, String> {
    let mut sources = Sources::default();
    let mut paths = Paths::new();
    let mut stack = vec![(value, node, 0)];
    while let Some((v, n, id)) = stack.pop() {
        let at = || paths.pointer(id);
        if v.kind() != n.kind() {
            return Err(mismatch(at(), "kind", v.kind(), "tape", n.kind()));
        }
        let ours = (v.is_null(), v.as_bool(), v.as_u64(), v.as_i64());
        let tape = (n.is_null(), n.as_bool(), n.as_u64(), n.as_i64());
        if ours != tape || v.as_f64().map(f64::to_bits) != n.as_f64().map(f64::to_bits) {
            return Err(format!("{}: {v:?} vs tape {}", at(), clip(n.raw_json())));
        }
        match v {
            Value::String(s) => {
                let escaped = n.raw_json().contains('\\');
                let text = n.as_str().unwrap();
                check_string(s, &[text], Some(escaped), input, mode, &mut sources)
                    .map_err(|e| format!("{}: {e}", at()))?;
            }
            Value::Array(items) => {
                if items.len() != n.len() {
                    return Err(mismatch(at(), "elements", items.len(), "tape", n.len()));
                }
                for (i, (e, en)) in items.iter().zip(n.array_iter()).enumerate() {
                    stack.push((e, en, paths.child(id, Step::Index(i))));
                }
            }
            Value::Object(fields) => {
                // Every spelling of each key, and the last field's value.
                let mut by_key: HashMap<&str, (Vec<&str>, ValueRef<'_>)> = HashMap::new();
                for (key, e) in n.object_iter() {
                    let entry = by_key.entry(key).or_insert_with(|| (Vec::new(), e));
                    entry.0.push(key);
                    entry.1 = e;
                }
                if fields.len() != by_key.len() {
                    let (ours, theirs) = (fields.len(), by_key.len());
                    return Err(mismatch(at(), "fields", ours, "tape distinct keys", theirs));
                }
                for (key, e) in fields.iter() {
                    let child = paths.child(id, Step::Key(key));
                    let Some((spellings, en)) = by_key.get(key.as_ref()) else {
                        return Err(format!("{}: key not in the document", paths.pointer(child)));
                    };
                    check_string(key, spellings, None, input, mode, &mut sources)
                        .map_err(|e| format!("{} (key): {e}", paths.pointer(child)))?;
                    stack.push((e, *en, child));
                }
            }
            _ => {}
        }
    }
    Ok(sources)
}

// ---------------------------------------------------------------------------
// 1. Allocations
// ---------------------------------------------------------------------------

/// `to_value` allocates once per non-empty container, exactly sized, and
/// never reallocates; `to_owned_value` adds one allocation per non-empty
/// string (keys and values; empty strings need none) and exactly the bytes of
/// those strings. The documents here nest at most 24 deep except "nested 30",
/// which has a test of its own.
#[test]
fn conversion_allocates_once_per_container() {
    let mut failures = Vec::new();
    println!();
    println!(
        "{:<32} {:>8} {:>8} {:>8} {:>10} {:>8} {:>10}",
        "document", "contnrs", "strings", "allocs", "bytes", "owned", "owned B"
    );
    for Parsed { name, doc, .. } in documents() {
        let c = census(doc.root());
        if c.depth > 24 {
            assert_eq!(name, "nested 30", "unexpectedly deep: {}", c.depth);
            continue;
        }
        let (value, borrowed) = measure(|| doc.to_value());
        drop(value);
        let (owned, owned_allocs) = measure(|| doc.to_owned_value());
        drop(owned);
        println!(
            "{:<32} {:>8} {:>8} {:>8} {:>10} {:>8} {:>10}",
            name.chars().take(32).collect::<String>(),
            c.containers,
            c.strings,
            borrowed.allocs,
            borrowed.bytes,
            owned_allocs.allocs,
            owned_allocs.bytes
        );
        if borrowed.allocs != c.containers || borrowed.reallocs != 0 {
            failures.push(format!(
                "{name}: to_value made {borrowed:?} for {} non-empty containers",
                c.containers
            ));
        }
        // Element vectors are sized exactly; hash tables at least hold their
        // entries.
        let container_bytes_ok = if c.large_objects == 0 {
            borrowed.bytes == c.exact_bytes
        } else {
            borrowed.bytes >= c.exact_bytes + c.large_object_min_bytes
        };
        if !container_bytes_ok {
            failures.push(format!(
                "{name}: to_value allocated {} bytes, expected {} (+ at least {} for {} hash tables)",
                borrowed.bytes, c.exact_bytes, c.large_object_min_bytes, c.large_objects
            ));
        }
        // (allocs, reallocs, bytes)
        let expected = (c.containers + c.strings, 0, borrowed.bytes + c.string_bytes);
        if owned_allocs.counts() != expected {
            failures.push(format!(
                "{name}: to_owned_value made {owned_allocs:?}, expected (allocs, reallocs, bytes) \
                 {expected:?} ({} containers, {} non-empty strings of {} bytes)",
                c.containers, c.strings, c.string_bytes
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The work stack keeps its first 24 levels on the call stack: a document of
/// 24 nested non-empty containers allocates only its containers, while one
/// nested 30 deep spills 6 levels into a heap vector. That vector is the only
/// extra allocation (at most one `alloc`, so `allocs <= containers + 1`); as a
/// plain `Vec` growing by pushes it may also reallocate as it grows (from the
/// minimum capacity of 4 to 8 for the sixth spilled level), which is the work
/// stack's, not a container's: no container is ever resized.
#[test]
fn deep_documents_spill_only_the_work_stack() {
    for (depth, may_spill) in [(24, false), (25, true), (30, true)] {
        let text = nested(depth);
        let doc = jsontape::parse(&text).unwrap();
        let c = census(doc.root());
        assert_eq!(c.depth, depth);
        assert_eq!(c.containers, depth as u64);
        let (value, allocs) = measure(|| doc.to_value());
        drop(value);
        println!("depth {depth}: {} containers, {allocs:?}", c.containers);
        if may_spill {
            assert!(
                allocs.allocs <= c.containers + 1,
                "depth {depth}: {allocs:?} for {} containers",
                c.containers
            );
            assert!(allocs.allocs >= c.containers, "depth {depth}: {allocs:?}");
            // At most the spilled stack's growth: 4 -> 8 -> 16 ... elements.
            let spilled = depth - 24;
            let max_reallocs = u64::from(spilled.div_ceil(4).next_power_of_two().ilog2());
            assert!(allocs.reallocs <= max_reallocs, "depth {depth}: {allocs:?}");
            // The containers themselves are exactly sized.
            assert!(allocs.bytes >= c.exact_bytes, "depth {depth}: {allocs:?}");
        } else {
            assert_eq!(
                allocs.counts(),
                (c.containers, 0, c.exact_bytes),
                "depth {depth}: {allocs:?}"
            );
        }
    }
}

/// The counter does see allocations, so the counts above mean something.
#[test]
fn counter_sees_allocations() {
    let (v, allocs) = measure(|| Vec::<u8>::with_capacity(100));
    drop(v);
    assert_eq!(allocs.counts(), (1, 0, 100), "{allocs:?}");
    let (v, allocs) = measure(|| {
        let mut v = Vec::<u8>::with_capacity(1);
        v.extend_from_slice(&[1, 2, 3]);
        v
    });
    drop(v);
    assert_eq!((allocs.allocs, allocs.reallocs), (1, 1), "{allocs:?}");
}

// ---------------------------------------------------------------------------
// 2. Structure against serde_json
// ---------------------------------------------------------------------------

/// Every corpus file and hand-written document converts (borrowed and owned)
/// to the tree serde_json reads; `to_value_with(Reject)` succeeds exactly when
/// no object repeats a key, with the same tree.
#[test]
fn values_match_serde_json() {
    for Parsed {
        name,
        doc,
        expected,
        ..
    } in documents()
    {
        compare_with_serde(&doc.to_value(), expected)
            .unwrap_or_else(|d| panic!("{name}: to_value differs from serde_json at {d}"));
        let owned: OwnedValue = doc.to_owned_value();
        compare_with_serde(&owned, expected)
            .unwrap_or_else(|d| panic!("{name}: to_owned_value differs from serde_json at {d}"));
        match doc.to_value_with(DuplicateKeys::Reject) {
            Ok(v) => {
                assert!(!has_duplicate_keys(doc.root()), "{name}: Reject accepted");
                compare_with_serde(&v, expected).unwrap_or_else(|d| panic!("{name}: {d}"));
            }
            Err(e) => {
                assert!(has_duplicate_keys(doc.root()), "{name}: {e}");
                assert_eq!(e.kind(), ErrorKind::DuplicateKey, "{name}");
            }
        }
    }
}

/// Values at depth 1 and 2 of every document, from the tape, each with
/// serde_json's reading of it and its JSON Pointer; at most `limit` of them,
/// and only those of at most 64 KiB of text (to keep the test quick).
fn subtrees<'d>(
    root: ValueRef<'d>,
    expected: &'d Json,
    limit: usize,
) -> Vec<(ValueRef<'d>, &'d Json, String)> {
    let children =
        |v: ValueRef<'d>, s: &'d Json, path: &str| -> Vec<(ValueRef<'d>, &'d Json, String)> {
            match s {
                Json::Array(items) => v
                    .array_iter()
                    .zip(items)
                    .enumerate()
                    .map(|(i, (c, sc))| (c, sc, format!("{path}/{i}")))
                    .collect(),
                Json::Object(fields) => {
                    let last: HashMap<&str, ValueRef<'d>> = v.object_iter().collect();
                    fields
                        .iter()
                        .map(|(k, sc)| (last[k.as_str()], sc, child_path(path, k)))
                        .collect()
                }
                _ => Vec::new(),
            }
        };
    let mut out = Vec::new();
    for (child, s, path) in children(root, expected, "") {
        out.extend(children(child, s, &path));
        out.push((child, s, path));
    }
    out.retain(|(v, _, _)| v.raw_json().len() <= 64 << 10);
    out.truncate(limit);
    out
}

/// `ValueRef::to_value`, `to_value_with` and `to_owned_value` on values at
/// depth 1 and 2 convert just that subtree.
#[test]
fn subtrees_match_serde_json() {
    for Parsed {
        name,
        doc,
        expected,
        ..
    } in documents()
    {
        for (child, s, path) in subtrees(doc.root(), expected, 64) {
            compare_with_serde(&child.to_value(), s)
                .unwrap_or_else(|d| panic!("{name}{path}: to_value: {d}"));
            compare_with_serde(&child.to_owned_value(), s)
                .unwrap_or_else(|d| panic!("{name}{path}: to_owned_value: {d}"));
            let v = child.to_value_with(DuplicateKeys::LastWins).unwrap();
            compare_with_serde(&v, s).unwrap_or_else(|d| panic!("{name}{path}: {d}"));
        }
    }
}

/// Numbers at the edges read like serde_json's (checked by the walk above
/// too), spelled out: `-0` is the float -0.0, integers beyond `u64` or below
/// `i64::MIN` are floats, 1e-300 keeps its bits.
#[test]
fn edge_numbers_read_as_serde_json_does() {
    let doc = jsontape::parse(
        "[-0, 18446744073709551615, 18446744073709551616, -9223372036854775808, \
          -9223372036854775809, 1e-300, 3, 3.0, 9007199254740993]",
    )
    .unwrap();
    let v = doc.to_value();
    let n = |i: usize| *v[i].as_number().unwrap();
    assert!(n(0).is_f64());
    assert_eq!(n(0).as_f64().to_bits(), (-0.0f64).to_bits());
    assert_eq!(n(1).as_u64(), Some(u64::MAX));
    assert!(n(1).is_u64());
    assert_eq!(n(2).as_u64(), None);
    assert_eq!(n(2).as_f64(), 18446744073709551616.0);
    assert!(n(3).is_i64());
    assert_eq!(n(3).as_i64(), Some(i64::MIN));
    assert!(n(4).is_f64());
    assert_eq!(n(5).as_f64().to_bits(), 1e-300f64.to_bits());
    assert!(n(6).is_u64() && n(7).is_f64());
    assert_eq!(n(8).as_u64(), Some(9007199254740993));
}

// ---------------------------------------------------------------------------
// 3. Borrowing
// ---------------------------------------------------------------------------

/// `to_value` borrows every string, keys included, from exactly where the
/// tape's string is: the input for strings without escapes, the arena (not an
/// owned copy) for escaped ones. `to_owned_value` owns every string. Both
/// trees also match the tape value for value, with duplicate keys resolved as
/// `ValueRef::get` resolves them.
#[test]
fn strings_borrow_from_input_or_arena() {
    let mut arena_seen = 0;
    for Parsed {
        name, text, doc, ..
    } in documents()
    {
        let c = census(doc.root());
        let borrowed = check_against_tape(&doc.to_value(), doc.root(), text, Strings::Borrowed)
            .unwrap_or_else(|e| panic!("{name}: to_value: {e}"));
        assert_eq!(borrowed.owned, 0);
        assert!(
            borrowed.arena == 0 || doc.arena_bytes() > 0,
            "{name}: strings outside the input, but an empty arena"
        );
        arena_seen += borrowed.arena;
        let owned = check_against_tape(&doc.to_owned_value(), doc.root(), text, Strings::Owned)
            .unwrap_or_else(|e| panic!("{name}: to_owned_value: {e}"));
        assert_eq!((owned.input, owned.arena), (0, 0));
        assert_eq!(owned.owned, borrowed.input + borrowed.arena, "{name}");
        if !has_duplicate_keys(doc.root()) {
            assert_eq!(owned.owned as u64, c.strings + c.empty_strings, "{name}");
        }
    }
    assert!(arena_seen > 0, "no escaped string was checked");
}

/// Spelled out on one document: which strings come from where.
#[test]
fn escaped_keys_and_values_come_from_the_arena() {
    let text = r#"{"plain": "text", "k\u0065y": "tab\there", "": "", "e": "\ud83d\ude00"}"#;
    let doc = jsontape::parse(text).unwrap();
    let value = doc.to_value();
    let fields = value.as_object().unwrap();
    let borrowed = |cow: &Cow<'_, str>| match cow {
        Cow::Borrowed(s) => Some(points_into(s, text)),
        Cow::Owned(_) => None,
    };
    // (key, key in input, value, value in input)
    let expected = [
        ("plain", true, "text", true),
        ("key", false, "tab\there", false),
        ("", true, "", true),
        ("e", true, "😀", false),
    ];
    assert_eq!(fields.len(), expected.len());
    for (key, key_in_input, string, string_in_input) in expected {
        let (k, v) = fields.iter().find(|(k, _)| k.as_ref() == key).unwrap();
        assert_eq!(borrowed(k), Some(key_in_input), "key {key:?}");
        let Value::String(s) = v else {
            panic!("{key}: {v:?}")
        };
        assert_eq!(s, string);
        assert_eq!(borrowed(s), Some(string_in_input), "value of {key:?}");
    }
    let owned = doc.to_owned_value();
    for (k, v) in owned.as_object().unwrap().iter() {
        assert!(matches!(k, Cow::Owned(_)), "{k:?}");
        assert!(matches!(v, Value::String(Cow::Owned(_))), "{v:?}");
    }
    // The same from a reused `Parser`, whose documents borrow its arena.
    let mut parser = Parser::new();
    parser.parse(r#"["\u0041\n", {"\t": 0}]"#).unwrap();
    let doc = parser.parse(text).unwrap();
    let sources = check_against_tape(&doc.to_value(), doc.root(), text, Strings::Borrowed).unwrap();
    assert_eq!(
        sources,
        Sources {
            input: 5,
            arena: 3,
            owned: 0
        }
    );
}

/// Requires a `'static` value, to show an owned value has no borrow left.
fn require_static<T: 'static>(t: T) -> T {
    t
}

/// An `OwnedValue` outlives its input and its document, and can move to
/// another thread; so does one made from a subtree.
#[test]
fn owned_value_outlives_its_input() {
    let text = r#"{"name": "Ada \u2764", "langs": ["en", "fr"], "n": -1.5, "": {}}"#;
    let (whole, subtree): (OwnedValue, OwnedValue) = {
        let input = String::from(text);
        let doc = jsontape::parse(&input).unwrap();
        let subtree = doc.pointer("/langs").unwrap().to_owned_value();
        (doc.to_owned_value(), subtree)
        // `doc`, then `input`, are dropped here.
    };
    let whole = require_static(whole);
    let expected: Json = serde_json::from_str(text).unwrap();
    compare_with_serde(&whole, &expected).unwrap();
    compare_with_serde(&subtree, &expected["langs"]).unwrap();
    let name = std::thread::spawn(move || whole["name"].as_str().map(str::to_owned))
        .join()
        .unwrap();
    assert_eq!(name.as_deref(), Some("Ada ❤"));
    assert_eq!(subtree[1].as_str(), Some("fr"));
}

// ---------------------------------------------------------------------------
// 4. Duplicate keys
// ---------------------------------------------------------------------------

/// (line, column), 1-based, of byte `offset` of `input`; columns in bytes.
fn line_column(input: &str, offset: usize) -> (usize, usize) {
    let before = &input[..offset];
    let line = 1 + before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, offset - line_start + 1)
}

/// Offset of the `n`th (0-based) occurrence of `needle` in `haystack`.
fn nth_offset(haystack: &str, needle: &str, n: usize) -> usize {
    haystack
        .match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("{needle:?} does not occur {} times", n + 1))
        .0
}

/// Asserts that `err` is a duplicate-key error for `key` at byte `offset` of
/// `input`, with the right line, column and message.
fn assert_duplicate_error(err: &Error, input: &str, key: &str, offset: usize) {
    let context = clip(input);
    assert_eq!(err.kind(), ErrorKind::DuplicateKey, "{context}: {err}");
    assert_eq!(err.offset(), offset, "{context}: offset ({err})");
    let (line, column) = line_column(input, offset);
    assert_eq!(
        (err.line(), err.column()),
        (line, column),
        "{context}: {err}"
    );
    assert_eq!(
        err.to_string(),
        format!("duplicate object key {key:?} at line {line} column {column}"),
        "{context}"
    );
}

/// Documents whose first repeated key (in document order) is known:
/// (input, the key decoded, its repetition's spelling with quotes, which
/// occurrence of that spelling the repetition is).
fn duplicate_cases() -> Vec<(String, &'static str, String, usize)> {
    let case = |input: &str, key: &'static str, spelling: &str, n: usize| {
        (input.to_owned(), key, spelling.to_owned(), n)
    };
    let mut cases = vec![
        case(
            r#"{"role": "user", "role": "admin"}"#,
            "role",
            r#""role""#,
            1,
        ),
        case(r#"{"ab": 1, "a\u0062": 2}"#, "ab", r#""a\u0062""#, 0),
        case(r#"{"a\u0062": 1, "ab": 2}"#, "ab", r#""ab""#, 0),
        case(
            r#"{"\u0061\u0062": 1, "a\u0062": 2}"#,
            "ab",
            r#""a\u0062""#,
            0,
        ),
        case(r#"{"\ud83d\ude00": 1, "😀": 2}"#, "😀", r#""😀""#, 0),
        case(r#"{"x\ny": 1, "x\u000ay": 2}"#, "x\ny", r#""x\u000ay""#, 0),
        case(r#"{"q\"": 1, "q\u0022": 2}"#, "q\"", r#""q\u0022""#, 0),
        case(r#"{"": 1, "": 2}"#, "", r#""""#, 1),
        case(
            "{\n  \"a\": 1,\n  \"b\": 2,\n  \"a\": 3\n}",
            "a",
            r#""a""#,
            1,
        ),
        case(r#"{"a":1,"b":2,"a":3,"a":4}"#, "a", r#""a""#, 1),
        case(r#"{"a":1,"b":2,"b":3,"a":4}"#, "b", r#""b""#, 1),
        case(
            r#"{"outer": [{"k": 1}, {"k": 2, "k": 3}]}"#,
            "k",
            r#""k""#,
            2,
        ),
        case(
            "[\n {\"ok\": {\"k\": [], \"j\": {}}},\n {\"deep\": {\"k\": null, \"k\": true}}\n]",
            "k",
            r#""k""#,
            2,
        ),
    ];
    // Objects larger than 32 fields are hash tables, smaller ones vectors;
    // the last repetition of "k17" is spelled "\u006b17".
    for (n, repeat, spelling, occurrence) in [
        (40, vec![17], r#""\u006b17""#, 0),
        (40, vec![17, 3], r#""k17""#, 1),
        (31, vec![5], r#""\u006b5""#, 0),
        (32, vec![0], r#""\u006b0""#, 0),
        (33, vec![32], r#""\u006b32""#, 0),
    ] {
        let key = format!("k{}", repeat[0]).leak();
        cases.push((
            large_object(n, &repeat),
            key,
            spelling.to_owned(),
            occurrence,
        ));
        let nested = format!("[0, {{\"in\": {}}}]", large_object(n, &repeat));
        cases.push((nested, key, spelling.to_owned(), occurrence));
    }
    cases
}

/// By default the last field of a repeated key wins, as in `ValueRef::get`
/// and serde_json, in small and large objects; `LastWins` is the default.
#[test]
fn duplicate_keys_last_wins_by_default() {
    assert_eq!(DuplicateKeys::default(), DuplicateKeys::LastWins);
    for (input, key, _, _) in duplicate_cases() {
        let doc = jsontape::parse(&input).unwrap();
        let value = doc.to_value();
        check_against_tape(&value, doc.root(), &input, Strings::Borrowed)
            .unwrap_or_else(|e| panic!("{}: {e}", clip(&input)));
        let owned = doc.to_owned_value();
        check_against_tape(&owned, doc.root(), &input, Strings::Owned)
            .unwrap_or_else(|e| panic!("{}: {e}", clip(&input)));
        assert_eq!(
            doc.to_value_with(DuplicateKeys::LastWins).unwrap(),
            value,
            "{}",
            clip(&input)
        );
        assert_eq!(owned, value);
        let expected: Json = serde_json::from_str(&input).unwrap();
        compare_with_serde(&value, &expected).unwrap_or_else(|d| panic!("{key}: {d}"));
    }
    // Spelled out.
    let doc = jsontape::parse(r#"{"a": 1, "b": 2, "a": 3, "a\u0062": 4, "ab": 5}"#).unwrap();
    let value = doc.to_value();
    assert_eq!(value.len(), 3);
    assert_eq!(value["a"].as_u64(), Some(3));
    assert_eq!(value["ab"].as_u64(), Some(5));
    assert_eq!(doc.root().get("a").unwrap().as_u64(), Some(3));
    // The representation: more than 32 fields (duplicates included) make a
    // hash table.
    let large = large_object(40, &[17]);
    let doc = jsontape::parse(&large).unwrap();
    let value = doc.to_value();
    let fields = value.as_object().unwrap();
    assert!(fields.is_map());
    assert_eq!(fields.len(), 40);
    assert_eq!(value["k17"].as_str(), Some("repeat 0"));
    assert_eq!(value["k16"].as_u64(), Some(16));
    let small_text = large_object(20, &[17]);
    let small_doc = jsontape::parse(&small_text).unwrap();
    let small = small_doc.to_value();
    assert!(small.as_object().unwrap().is_vec());
    assert_eq!(small["k17"].as_str(), Some("repeat 0"));
}

/// `DuplicateKeys::Reject` reports the first repeated key: its kind, the
/// offset, line and column of the repetition, and a message naming the key
/// (decoded, so `"a\u0062"` repeats `"ab"`), in small and large, flat and
/// nested objects.
#[test]
fn duplicate_keys_rejected_with_position() {
    for (input, key, spelling, occurrence) in duplicate_cases() {
        let doc = jsontape::parse(&input).unwrap();
        let offset = nth_offset(&input, &spelling, occurrence);
        let err = doc.to_value_with(DuplicateKeys::Reject).expect_err(&input);
        assert_duplicate_error(&err, &input, key, offset);
        // From the root `ValueRef` too.
        let err = doc
            .root()
            .to_value_with(DuplicateKeys::Reject)
            .expect_err(&input);
        assert_duplicate_error(&err, &input, key, offset);
    }
    // The documented example.
    let doc = jsontape::parse(r#"{"role": "user", "role": "admin"}"#).unwrap();
    let err = doc.to_value_with(DuplicateKeys::Reject).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"duplicate object key "role" at line 1 column 18"#
    );
}

/// Rejecting applies to the subtree converted, and offsets stay those of the
/// whole input; keys that differ after decoding, or repeat in different
/// objects, are not duplicates.
#[test]
fn reject_accepts_distinct_keys_and_converts_subtrees() {
    let fine = [
        r#"[{"a": 1}, {"a": 2}]"#,
        r#"{"a": {"a": {"a": 1}}}"#,
        r#"{"ab": 1, "a\\b": 2, "a\/b": 3, "a/c": 4}"#,
        r#"{"é": 1, "e\u0301": 2}"#,
        r#"{"A": 1, "a": 2, "\u0041\u0062": 3}"#,
        r#"{"": 0, " ": 1}"#,
    ];
    for text in fine
        .iter()
        .map(|t| (*t).to_owned())
        .chain([large_object(40, &[])])
    {
        let doc = jsontape::parse(&text).unwrap();
        let strict = doc
            .to_value_with(DuplicateKeys::Reject)
            .unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(strict, doc.to_value(), "{text}");
    }
    // A subtree without duplicates converts; the one with them reports the
    // offset in the whole input.
    let text = r#"{"a": {"x": 1, "x": 2}, "a": {"y": 3}}"#;
    let doc = jsontape::parse(text).unwrap();
    let last = doc.root().get("a").unwrap();
    let v = last.to_value_with(DuplicateKeys::Reject).unwrap();
    assert_eq!(v["y"].as_u64(), Some(3));
    let first = doc.root().object_iter().next().unwrap().1;
    let err = first.to_value_with(DuplicateKeys::Reject).unwrap_err();
    assert_duplicate_error(&err, text, "x", nth_offset(text, r#""x""#, 1));
}

/// With repetitions at two levels, the one that comes first in the document
/// is reported, as a parse error would be: here the outer `"a"` (offset 9)
/// comes before the inner `"x"` repetition.
#[test]
fn reject_reports_the_first_repetition_in_document_order() {
    let text = r#"{"a": 1, "a": {"x": 1, "x": 2}}"#;
    let doc = jsontape::parse(text).unwrap();
    let err = doc.to_value_with(DuplicateKeys::Reject).unwrap_err();
    assert_duplicate_error(&err, text, "a", nth_offset(text, r#""a""#, 1));
}

// ---------------------------------------------------------------------------
// 5. Depth
// ---------------------------------------------------------------------------

/// Nesting depth of a chain of single-child containers (each holding its
/// child first), counted with a loop rather than recursion.
fn chain_depth(value: &Value<'_>) -> usize {
    let mut depth = 0;
    let mut current = value;
    loop {
        let next = match current {
            Value::Array(items) => items.first(),
            Value::Object(fields) => fields.values().next(),
            _ => return depth,
        };
        depth += 1;
        match next {
            Some(child) => current = child,
            None => return depth,
        }
    }
}

/// 100,000-deep arrays and objects convert on the default 2 MiB test-thread
/// stack: building is iterative. Dropping such a `Value` would recurse (the
/// compiler's drop glue for nested `Vec`s and maps), and overflow this stack,
/// so each value is `std::mem::forget`-ten after its depth is checked: the
/// leak is the price of testing conversion without testing drop.
#[test]
fn very_deep_documents_convert_without_recursion() {
    const DEPTH: usize = 100_000;
    let mut parser = Parser::with_options(Options::new().with_max_depth(200_000));
    let arrays = format!("{}{}", "[".repeat(DEPTH), "]".repeat(DEPTH));
    let objects = format!(
        "{}{{}}{}",
        r#"{"a\u0062":"#.repeat(DEPTH - 1),
        "}".repeat(DEPTH - 1)
    );
    for (name, text) in [("arrays", &arrays), ("objects", &objects)] {
        let doc = parser.parse(text).unwrap();
        let value = doc.to_value();
        assert_eq!(chain_depth(&value), DEPTH, "{name}");
        std::mem::forget(value); // Its drop would recurse DEPTH deep.
        let owned = doc.to_owned_value();
        assert_eq!(chain_depth(&owned), DEPTH, "{name}");
        std::mem::forget(owned); // As above.
        let strict = doc.to_value_with(DuplicateKeys::Reject).unwrap();
        assert_eq!(chain_depth(&strict), DEPTH, "{name}");
        std::mem::forget(strict); // As above.
    }
    // A repetition at the bottom of the deep objects is found.
    let text = format!(
        "{}{{\"k\":1,\"k\":2}}{}",
        r#"{"a":"#.repeat(DEPTH - 1),
        "}".repeat(DEPTH - 1)
    );
    let doc = parser.parse(&text).unwrap();
    let err = doc.to_value_with(DuplicateKeys::Reject).unwrap_err();
    assert_duplicate_error(&err, &text, "k", nth_offset(&text, r#""k""#, 1));
}

// ---------------------------------------------------------------------------
// 6. Accessors, Index, pointer, From, Number
// ---------------------------------------------------------------------------

/// Every accessor on every kind of value.
#[test]
fn accessors_answer_by_kind() {
    let text = r#"{"z": null, "t": true, "f": false, "u": 18446744073709551615,
        "i": -5, "x": 2.5, "s": "str", "a": [1, "two", [3]], "o": {"k": "v"},
        "ea": [], "eo": {}, "es": ""}"#;
    let doc = jsontape::parse(text).unwrap();
    let v = doc.to_value();
    let kinds = [
        ("z", Kind::Null),
        ("t", Kind::Bool),
        ("f", Kind::Bool),
        ("u", Kind::Number),
        ("i", Kind::Number),
        ("x", Kind::Number),
        ("s", Kind::String),
        ("a", Kind::Array),
        ("o", Kind::Object),
        ("ea", Kind::Array),
        ("eo", Kind::Object),
        ("es", Kind::String),
    ];
    assert_eq!(v.kind(), Kind::Object);
    assert_eq!(v.len(), kinds.len());
    for (key, kind) in kinds {
        let field = v.get(key).unwrap();
        assert_eq!(field.kind(), kind, "{key}");
        assert_eq!(field.is_null(), kind == Kind::Null, "{key}");
        assert_eq!(field.as_bool().is_some(), kind == Kind::Bool, "{key}");
        assert_eq!(field.as_number().is_some(), kind == Kind::Number, "{key}");
        assert_eq!(field.as_f64().is_some(), kind == Kind::Number, "{key}");
        assert_eq!(field.as_str().is_some(), kind == Kind::String, "{key}");
        assert_eq!(field.as_array().is_some(), kind == Kind::Array, "{key}");
        assert_eq!(field.as_object().is_some(), kind == Kind::Object, "{key}");
        if !matches!(kind, Kind::Array | Kind::Object) {
            assert_eq!(field.len(), 0, "{key}");
            assert!(field.is_empty(), "{key}");
            assert!(field.get("k").is_none() && field.at(0).is_none(), "{key}");
        }
    }
    assert_eq!(v["t"].as_bool(), Some(true));
    assert_eq!(v["f"].as_bool(), Some(false));
    assert_eq!(
        (v["u"].as_u64(), v["u"].as_i64(), v["u"].as_f64()),
        (Some(u64::MAX), None, Some(u64::MAX as f64))
    );
    assert_eq!(
        (v["i"].as_u64(), v["i"].as_i64(), v["i"].as_f64()),
        (None, Some(-5), Some(-5.0))
    );
    assert_eq!(
        (v["x"].as_u64(), v["x"].as_i64(), v["x"].as_f64()),
        (None, None, Some(2.5))
    );
    assert_eq!(v["s"].as_str(), Some("str"));
    assert_eq!(v["es"].as_str(), Some(""));
    let a = &v["a"];
    assert_eq!((a.len(), a.is_empty()), (3, false));
    assert_eq!(a.at(0).and_then(Value::as_u64), Some(1));
    assert_eq!(a.at(1).and_then(Value::as_str), Some("two"));
    assert_eq!(a.at(2).map(Value::len), Some(1));
    assert!(a.at(3).is_none());
    assert!(a.get("0").is_none(), "get on an array");
    assert_eq!(a.as_array().map(Vec::len), Some(3));
    assert!(v.at(0).is_none(), "at on an object");
    assert_eq!(v["o"].get("k").and_then(Value::as_str), Some("v"));
    assert_eq!(v["o"].as_object().map(|o| o.len()), Some(1));
    assert!(v["o"].get("K").is_none());
    assert!(v["ea"].is_empty() && v["eo"].is_empty());
    assert_eq!((v["ea"].len(), v["eo"].len()), (0, 0));
    assert!(Value::default().is_null());

    // The mutable accessors.
    let mut v = v;
    assert!(v.as_array_mut().is_none(), "an object is no array");
    v.as_object_mut()
        .unwrap()
        .insert(Cow::Borrowed("new"), Value::from(7u8));
    assert_eq!(v["new"].as_u64(), Some(7));
    if let Some(Value::Array(items)) = v.as_object_mut().unwrap().get_mut("a") {
        items.push(Value::Null);
    }
    assert_eq!(v["a"].len(), 4);
    let mut a = v["a"].clone();
    a.as_array_mut().unwrap().clear();
    assert!(a.is_empty() && a.as_object_mut().is_none());
}

/// `value[key]` and `value[index]` give `null` for anything missing, as
/// serde_json does, and chain.
#[test]
fn index_gives_null_for_missing() {
    let doc =
        jsontape::parse(r#"{"a": {"b": [10, [20, {"c": "deep"}]]}, "s": "x", "n": null}"#).unwrap();
    let v = doc.to_value();
    assert_eq!(v["a"]["b"][0].as_u64(), Some(10));
    assert_eq!(v["a"]["b"][1][1]["c"].as_str(), Some("deep"));
    let missing = [
        &v["missing"],
        &v["a"]["missing"],
        &v["a"]["b"][2],
        &v["a"]["b"][usize::MAX],
        &v["a"]["b"]["0"],
        &v["a"][0],
        &v["s"]["x"],
        &v["s"][0],
        &v["n"]["x"],
        &v["missing"]["deeper"][3]["and deeper"],
        &v[0],
    ];
    for (i, m) in missing.iter().enumerate() {
        assert!(m.is_null(), "case {i}: {m:?}");
        assert_eq!(**m, Value::Null);
    }
    // `null` that is in the document looks the same.
    assert!(v["n"].is_null());
}

/// `Value::pointer` follows RFC 6901 (section 5's examples, `~0`, `~1`,
/// array indices without leading zeros) and agrees with `Document::pointer`.
#[test]
fn pointer_follows_rfc_6901() {
    let text = r#"{
        "foo": ["bar", "baz"],
        "": 0,
        "a/b": 1,
        "c%d": 2,
        "e^f": 3,
        "g|h": 4,
        "i\\j": 5,
        "k\"l": 6,
        " ": 7,
        "m~n": 8,
        "~1": 9,
        "nested": {"list": [[0, 1], {"x": [true]}], "": {"": "empty keys"}},
        "dup": 1, "dup": 2
    }"#;
    let doc = jsontape::parse(text).unwrap();
    let v = doc.to_value();
    let found: &[(&str, Json)] = &[
        ("/foo", serde_json::json!(["bar", "baz"])),
        ("/foo/0", serde_json::json!("bar")),
        ("/foo/1", serde_json::json!("baz")),
        ("/", serde_json::json!(0)),
        ("/a~1b", serde_json::json!(1)),
        ("/c%d", serde_json::json!(2)),
        ("/e^f", serde_json::json!(3)),
        ("/g|h", serde_json::json!(4)),
        ("/i\\j", serde_json::json!(5)),
        ("/k\"l", serde_json::json!(6)),
        ("/ ", serde_json::json!(7)),
        ("/m~0n", serde_json::json!(8)),
        ("/~01", serde_json::json!(9)), // "~01" is "~1", not "/"
        ("/nested/list/0/1", serde_json::json!(1)),
        ("/nested/list/1/x/0", serde_json::json!(true)),
        ("/nested/", serde_json::json!({"": "empty keys"})),
        ("/nested//", serde_json::json!("empty keys")),
        ("/dup", serde_json::json!(2)),
    ];
    // "" is the whole document.
    assert!(std::ptr::eq(v.pointer("").unwrap(), &v));
    for (pointer, expected) in found {
        let got = v
            .pointer(pointer)
            .unwrap_or_else(|| panic!("{pointer:?} found nothing"));
        compare_with_serde(got, expected).unwrap_or_else(|d| panic!("{pointer:?}: {d}"));
        let via_doc = doc.pointer(pointer).unwrap().to_value();
        assert_eq!(*got, via_doc, "{pointer:?}");
    }
    let not_found = [
        "foo",      // no leading slash
        "/foo/01",  // leading zero
        "/foo/00",  // leading zero
        "/foo/-",   // the past-the-end index selects nothing
        "/foo/2",   // out of range
        "/foo/",    // empty token is no index
        "/foo/+1",  // not a plain number
        "/foo/1e0", // not a plain number
        "/foo/ 1",  // not a plain number
        "/foo/18446744073709551616",
        "/foo/0/x", // into a string
        "/m~n",     // "~n" is not an escape
        "/m~2n",    // nor "~2"
        "/m~",      // nor a lone "~"
        "/a/b",     // "/" must be "~1" in a key
        "/~1",      // that is the key "/", absent
        "/missing",
        "/nested/list/1/y",
        "/nested/list/0/1/0", // into a number
        "//",                 // into the number under ""
        "/nested///",         // into a string
    ];
    for pointer in not_found {
        assert!(
            v.pointer(pointer).is_none(),
            "{pointer:?}: {:?}",
            v.pointer(pointer)
        );
        assert!(doc.pointer(pointer).is_none(), "{pointer:?} (Document)");
    }
    // Pointers from a scalar: only "" finds it.
    let one = Value::from(1u8);
    assert_eq!(one.pointer(""), Some(&one));
    assert!(one.pointer("/0").is_none());
}

/// The `From` conversions: integers of every width keep their sign rules,
/// NaN and infinities become `null` (as in serde_json), strings are borrowed
/// or owned as given, collections and options convert element-wise.
#[test]
fn from_impls() {
    assert_eq!(Value::from(true), Value::Bool(true));
    assert_eq!(Value::from(5u8).as_u64(), Some(5));
    assert_eq!(Value::from(5u16).as_u64(), Some(5));
    assert_eq!(Value::from(5u32).as_u64(), Some(5));
    assert_eq!(Value::from(u64::MAX).as_u64(), Some(u64::MAX));
    assert_eq!(Value::from(usize::MAX).as_u64(), Some(usize::MAX as u64));
    assert_eq!(Value::from(-5i8).as_i64(), Some(-5));
    assert_eq!(Value::from(-5i8).as_u64(), None);
    assert_eq!(Value::from(-5i16).as_i64(), Some(-5));
    assert_eq!(Value::from(-5i32).as_i64(), Some(-5));
    assert_eq!(Value::from(i64::MIN).as_i64(), Some(i64::MIN));
    assert_eq!(Value::from(isize::MIN).as_i64(), Some(isize::MIN as i64));
    // Non-negative signed integers are stored as u64, like parsed ones.
    assert_eq!(Value::from(5i64), Value::from(5u64));
    assert!(Value::from(5i32).as_number().unwrap().is_u64());
    assert!(Value::from(-5i32).as_number().unwrap().is_i64());

    assert_eq!(Value::from(2.5f64).as_f64(), Some(2.5));
    assert!(Value::from(2.5f64).as_number().unwrap().is_f64());
    assert_eq!(Value::from(1.5f32).as_f64(), Some(1.5));
    assert_eq!(
        Value::from(-0.0f64).as_f64().map(f64::to_bits),
        Some((-0.0f64).to_bits())
    );
    for f in [f64::NAN, -f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert_eq!(Value::from(f), Value::Null, "{f}");
    }
    for f in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
        assert_eq!(Value::from(f), Value::Null, "{f}");
    }
    assert_ne!(Value::from(3.0f64), Value::from(3u64));

    assert!(matches!(
        Value::from("x"),
        Value::String(Cow::Borrowed("x"))
    ));
    assert!(matches!(Value::from(String::from("x")), Value::String(Cow::Owned(ref s)) if s == "x"));
    assert_eq!(Value::from(Cow::Borrowed("y")).as_str(), Some("y"));
    assert_eq!(
        Value::from(vec![1u8, 2]),
        Value::Array(vec![Value::from(1u8), Value::from(2u8)])
    );
    assert_eq!(
        Value::from(vec![Some("a"), None]),
        Value::Array(vec![Value::from("a"), Value::Null])
    );
    assert_eq!(Value::from(Some(1u8)), Value::from(1u8));
    assert_eq!(Value::from(None::<u8>), Value::Null);
    assert_eq!(Value::from(()), Value::Null);
    let collected: Value<'_> = (1..=3u32).collect();
    assert_eq!(collected, Value::from(vec![1u32, 2, 3]));
    assert_eq!(Value::from(Number::from(7u64)).as_u64(), Some(7));
    let mut object = Object::new();
    object.insert(Cow::Borrowed("k"), Value::from(1u8));
    let object = Value::from(object);
    assert_eq!(object["k"].as_u64(), Some(1));
    assert_eq!(object.kind(), Kind::Object);

    // What a parsed document gives equals what `From` builds.
    let doc = jsontape::parse(r#"[true, null, 7, -7, 2.5, "s", [], {"k": 1}]"#).unwrap();
    let expected = Value::from(vec![
        Value::from(true),
        Value::Null,
        Value::from(7u8),
        Value::from(-7i8),
        Value::from(2.5),
        Value::from("s"),
        Value::Array(Vec::new()),
        object,
    ]);
    assert_eq!(doc.to_value(), expected);
}

/// `Number` equality: integers equal integers of the same value whatever
/// their type; floats equal floats; an integer never equals a float.
#[test]
fn number_equality() {
    let float = |f: f64| Number::from_f64(f).unwrap();
    assert_ne!(Number::from(3u64), float(3.0));
    assert_ne!(Number::from(-3i64), float(-3.0));
    assert_eq!(Number::from(3i64), Number::from(3u64));
    assert_eq!(Number::from(3i64).as_i64(), Number::from(3u64).as_i64());
    assert_eq!(Number::from(3u8), Number::from(3usize));
    assert_eq!(Number::from(-3i8), Number::from(-3i64));
    assert_ne!(Number::from(-3i64), Number::from(3u64));
    assert_eq!(float(2.5), float(2.5));
    assert_eq!(float(0.0), float(-0.0), "f64 equality: -0.0 == 0.0");
    assert!(Number::from_f64(f64::NAN).is_none());
    assert!(Number::from_f64(f64::INFINITY).is_none());
    assert_eq!(Number::from(u64::MAX).as_i64(), None);
    assert_eq!(Number::from(i64::MAX).as_u64(), Some(i64::MAX as u64));
    assert_eq!(Number::from(-1i64).as_u64(), None);
    assert_eq!(float(3.0).as_u64(), None);
    assert_eq!(float(3.0).as_i64(), None);

    // Parsed numbers follow the same rules.
    let doc = jsontape::parse("[3, 3.0, 3e0, -3, 3]").unwrap();
    let v = doc.to_value();
    let n = |i: usize| *v[i].as_number().unwrap();
    assert_ne!(n(0), n(1));
    assert_eq!(n(1), n(2));
    assert_eq!(n(0), n(4));
    assert_eq!(n(0), Number::from(3i32));
    assert_eq!(n(3), Number::from(-3i32));
    assert_eq!(n(1), float(3.0));
    assert_ne!(v[0], v[1]);
}

/// `Number` displays integers in decimal and floats in the shortest form
/// that reads back as the same `f64`, always with a `.` or exponent.
#[test]
fn number_display() {
    let float = |f: f64| Number::from_f64(f).unwrap();
    assert_eq!(Number::from(0u64).to_string(), "0");
    assert_eq!(Number::from(3u64).to_string(), "3");
    assert_eq!(Number::from(-3i64).to_string(), "-3");
    assert_eq!(Number::from(u64::MAX).to_string(), "18446744073709551615");
    assert_eq!(Number::from(i64::MIN).to_string(), "-9223372036854775808");
    assert_eq!(float(2.5).to_string(), "2.5");
    assert_eq!(float(3.0).to_string(), "3.0");
    assert_eq!(float(-0.0).to_string(), "-0.0");
    assert_eq!(float(0.1).to_string(), "0.1");
    assert_eq!(float(1e-300).to_string(), "1e-300");
    assert_eq!(format!("{:?}", Number::from(7u8)), "Number(7)");
    // Parsed numbers: integers keep their digits, floats read back exactly.
    let texts = [
        "0",
        "-0",
        "1E2",
        "1e-300",
        "5e-324",
        "2.5e-308",
        "1.7976931348623157e308",
        "0.30000000000000004",
        "9007199254740993",
        "18446744073709551616",
        "123456789012345678901234567890",
        "-9223372036854775809",
        "-1.5e-7",
    ];
    for text in texts {
        let doc = jsontape::parse(text).unwrap();
        let v = doc.to_value();
        let n = v.as_number().unwrap();
        let shown = n.to_string();
        let reread = jsontape::parse(&shown).unwrap();
        let reread = reread.to_value();
        let m = reread.as_number().unwrap();
        assert_eq!(readings(m), readings(n), "{text} shown as {shown}");
        let theirs: Json = serde_json::from_str(&shown).unwrap();
        compare_with_serde(&v, &theirs).unwrap_or_else(|d| panic!("{text} shown as {shown}: {d}"));
    }
    let doc = jsontape::parse("[1E2, -0, 42, -42]").unwrap();
    let shown: Vec<String> = doc
        .to_value()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_number().unwrap().to_string())
        .collect();
    assert_eq!(shown, ["100.0", "-0.0", "42", "-42"]);
}

// ---------------------------------------------------------------------------
// 7. Properties (strategies from tests/common/strategies.rs)
// ---------------------------------------------------------------------------

/// A valid document: a value of [`json_value_with_large_objects`] printed by
/// serde_json, compact or pretty, sometimes with surrounding whitespace.
fn json_document() -> impl Strategy<Value = String> {
    json_document_of(json_value_with_large_objects())
}

/// Key spellings, several of which decode to the same key, so objects often
/// repeat keys (escaped or not).
const KEY_SPELLINGS: &[&str] = &[
    "a",
    "\\u0061",
    "b",
    "ab",
    "a\\u0062",
    "\\u0061b",
    "",
    "\\n",
    "\\u000a",
    "😀",
    "\\ud83d\\ude00",
    "\\\\",
    "\\/",
    "/",
];

/// JSON texts (not values: serde_json's maps cannot hold a key twice) whose
/// objects draw keys from [`KEY_SPELLINGS`], with some objects over 32
/// fields.
fn duplicate_key_document() -> impl Strategy<Value = String> {
    let leaf = json_leaf()
        .prop_map(|v| serde_json::to_string(&v).unwrap())
        .boxed();
    let key = prop::sample::select(KEY_SPELLINGS);
    let object = |fields: Vec<(&str, String)>| {
        let fields: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("\"{k}\": {v}"))
            .collect();
        format!("{{{}}}", fields.join(", "))
    };
    leaf.clone().prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            2 => prop::collection::vec(inner.clone(), 0..6)
                .prop_map(|items| format!("[{}]", items.join(","))),
            4 => prop::collection::vec((key.clone(), inner), 0..6).prop_map(object),
            1 => prop::collection::vec((key.clone(), leaf.clone()), 30..40).prop_map(object),
        ]
    })
}

/// The property: `text` parses; both conversions match serde_json's reading
/// of it and the tape; strings are borrowed (or owned) as they should be;
/// `Reject` fails exactly when some object repeats a key.
fn check_text(text: &str) -> Result<(), TestCaseError> {
    let doc = jsontape::parse(text)
        .map_err(|e| TestCaseError::fail(format!("jsontape rejects {text:?}: {e}")))?;
    let expected: Json = serde_json::from_str(text).unwrap();
    let value = doc.to_value();
    let owned = doc.to_owned_value();
    for (name, v) in [("to_value", &value), ("to_owned_value", &owned)] {
        if let Err(diff) = compare_with_serde(v, &expected) {
            return Err(TestCaseError::fail(format!(
                "{name} differs from serde_json at {diff}\n  text: {text:?}"
            )));
        }
    }
    check_against_tape(&value, doc.root(), text, Strings::Borrowed)
        .map_err(|e| TestCaseError::fail(format!("to_value: {e}\n  text: {text:?}")))?;
    check_against_tape(&owned, doc.root(), text, Strings::Owned)
        .map_err(|e| TestCaseError::fail(format!("to_owned_value: {e}\n  text: {text:?}")))?;
    let rejected = doc.to_value_with(DuplicateKeys::Reject);
    prop_assert_eq!(
        rejected.as_ref().err().map(Error::kind),
        has_duplicate_keys(doc.root()).then_some(ErrorKind::DuplicateKey),
        "Reject on {:?}",
        text
    );
    Ok(())
}

proptest! {
    // Default case count (256, or `PROPTEST_CASES`); no regression files.
    #![proptest_config(common::strategies::config())]

    /// Texts serde_json prints convert to the value it printed.
    #[test]
    fn arbitrary_documents_match_serde_json(text in json_document()) {
        check_text(&text)?;
    }

    /// Texts with repeated keys convert with the last one winning, as serde_json reads them.
    #[test]
    fn documents_with_repeated_keys_match_serde_json(text in duplicate_key_document()) {
        check_text(&text)?;
    }
}

/// Whether any object in the tree at `root` has more than 32 fields (is a
/// hash table once converted), walking with an explicit stack.
fn has_large_object(root: ValueRef<'_>) -> bool {
    let mut stack = vec![root];
    while let Some(v) = stack.pop() {
        match v.kind() {
            Kind::Array => stack.extend(v.array_iter()),
            Kind::Object if v.len() > 32 => return true,
            Kind::Object => stack.extend(v.object_iter().map(|(_, e)| e)),
            _ => {}
        }
    }
    false
}

/// The strategies produce what the properties are about: large objects
/// from both, repeated keys from the second (and never from the first, whose
/// texts serde_json printed from maps).
#[test]
fn strategies_are_not_vacuous() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let samples = 40;
    let mut count = |strategy: BoxedStrategy<String>| {
        let (mut large, mut repeated) = (0, 0);
        for _ in 0..samples {
            let text = strategy.new_tree(&mut runner).unwrap().current();
            let doc = jsontape::parse(&text).unwrap();
            large += usize::from(has_large_object(doc.root()));
            repeated += usize::from(has_duplicate_keys(doc.root()));
        }
        (large, repeated)
    };
    let (large, repeated) = count(json_document().boxed());
    println!("json_document: {large} of {samples} with large objects");
    assert!(
        large > 0 && repeated == 0,
        "{large} large, {repeated} repeated"
    );
    let (large, repeated) = count(duplicate_key_document().boxed());
    println!("duplicate_key_document: {large} large, {repeated} repeated keys, of {samples}");
    assert!(
        large > 0 && repeated > samples / 4,
        "{large} large, {repeated} repeated"
    );
}
