//! The JSON writer against serde_json: compact and pretty output of `Value`
//! and of `ValueRef` (straight from the tape), to strings and to
//! `io::Write`, on the benchmark corpus, on arbitrary values, and nested
//! 100,000 deep on the default 2 MiB test-thread stack.
//!
//! Values are compared after serde_json reads the output back, with
//! `float_roundtrip`, so floats compare exactly. Strings are compared where the
//! key order is known to agree: serde_json's `Value` sorts keys, a jsontape
//! `ValueRef` keeps input order, and a jsontape `Value` keeps insertion order
//! only in objects of up to 32 fields (halfbrown's vector form).

mod common;

use jsontape::{Options, Parser, ValueRef};
use proptest::prelude::*;
use serde_json::Value as Serde;
use std::io;

/// The exact text of a serde_json value, floats bit for bit (`-0.0` and
/// `0.0`, `1` and `1.0` differ): the comparison used throughout.
fn canonical(value: &Serde) -> String {
    serde_json::to_string(value).unwrap()
}

/// Checks that serde_json reads `output` back as the value whose
/// [`canonical`] text is `expected`.
#[track_caller]
fn assert_reads_back(output: &str, expected: &str, what: &str) {
    let read: Serde = serde_json::from_str(output)
        .unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {:.200}", output));
    assert!(
        canonical(&read) == expected,
        "{what}: reads back as a different value"
    );
}

/// What a jsontape `Value` equal to `value` must write, compact or pretty,
/// where its key order is serde_json's.
fn value_text(value: &Serde, pretty: bool) -> String {
    if pretty {
        serde_json::to_string_pretty(value).unwrap()
    } else {
        serde_json::to_string(value).unwrap()
    }
}

/// Whether every object in `value` has at most 32 fields, so a jsontape
/// `Value` built from sorted input keeps serde_json's key order.
fn small_objects_only(value: &Serde) -> bool {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Serde::Array(items) => stack.extend(items),
            Serde::Object(fields) if fields.len() > 32 => return false,
            Serde::Object(fields) => stack.extend(fields.values()),
            _ => {}
        }
    }
    true
}

/// `to_writer` or `to_writer_pretty` output as a string.
fn written(write: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
    let mut out = Vec::new();
    write(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// Every writer on `root` and on its `Value`: each output must read back as
/// `expected`, and the `io::Write`, `Display` (`{}` and `{:#}`, which take
/// another path than the inherent `to_string`) outputs must equal the
/// string ones.
fn check_all_writers(root: ValueRef<'_>, expected: &Serde, what: &str) {
    let value = root.to_value();
    let outputs = [
        ("Value to_string", value.to_string()),
        ("Value to_string_pretty", value.to_string_pretty()),
        ("ValueRef to_string", root.to_string()),
        ("ValueRef to_string_pretty", root.to_string_pretty()),
    ];
    let expected = canonical(expected);
    for (name, output) in &outputs {
        assert_reads_back(output, &expected, &format!("{what}: {name}"));
    }
    let [(_, compact), (_, pretty), (_, ref_compact), (_, ref_pretty)] = outputs;
    assert_eq!(written(|w| value.to_writer(w)), compact, "{what}");
    assert_eq!(written(|w| value.to_writer_pretty(w)), pretty, "{what}");
    assert_eq!(written(|w| root.to_writer(w)), ref_compact, "{what}");
    assert_eq!(written(|w| root.to_writer_pretty(w)), ref_pretty, "{what}");
    assert_eq!(format!("{value}"), compact, "{what}");
    assert_eq!(format!("{root}"), ref_compact, "{what}");
    assert_eq!(format!("{value:#}"), pretty, "{what}");
    assert_eq!(format!("{root:#}"), ref_pretty, "{what}");
}

#[test]
fn corpus_files_read_back_as_serde_json_reads_them() {
    for path in common::bench_files() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let expected: Serde = serde_json::from_str(&text).unwrap();
        let doc = jsontape::parse(&text).unwrap();
        check_all_writers(doc.root(), &expected, &name);

        // Input that serde_json wrote itself has its key order and its
        // spelling of numbers: then the text must match too.
        let compact = serde_json::to_string(&expected).unwrap();
        let pretty = serde_json::to_string_pretty(&expected).unwrap();
        let doc = jsontape::parse(&compact).unwrap();
        assert_eq!(doc.root().to_string_pretty(), pretty, "{name}");
        assert_eq!(
            jsontape::parse(&pretty).unwrap().root().to_string(),
            compact,
            "{name}"
        );
        if small_objects_only(&expected) {
            let value = doc.to_value();
            assert_eq!(value.to_string(), value_text(&expected, false), "{name}");
            assert_eq!(
                value.to_string_pretty(),
                value_text(&expected, true),
                "{name}"
            );
        }
    }
}

#[test]
fn values_inside_a_document_are_written_alone() {
    let input = r#" { "a" : [ 1 , { "b" : "\u00e9\n" } , [ ] ] , "c" : { } , "d" : -0.0 } "#;
    let doc = jsontape::parse(input).unwrap();
    let expected: Serde = serde_json::from_str(input).unwrap();
    for pointer in ["", "/a", "/a/0", "/a/1", "/a/1/b", "/a/2", "/c", "/d"] {
        let node = doc.pointer(pointer).unwrap();
        check_all_writers(node, expected.pointer(pointer).unwrap(), pointer);
    }
    assert_eq!(
        doc.pointer("/a").unwrap().to_string_pretty(),
        "[\n  1,\n  {\n    \"b\": \"\\u00e9\\n\"\n  },\n  []\n]"
    );
    assert_eq!(
        doc.pointer("/a").unwrap().to_value().to_string_pretty(),
        "[\n  1,\n  {\n    \"b\": \"é\\n\"\n  },\n  []\n]"
    );
}

// ---------------------------------------------------------------------------
// Arbitrary values
// ---------------------------------------------------------------------------

/// Text that exercises the escaper: escaped bytes, `/`, DEL, multi-byte and
/// arbitrary characters, at any position relative to the eight-byte words.
fn text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "a",
        "0123456789",
        "\"",
        "\\",
        "/",
        "\n",
        "\r",
        "\t",
        "\u{8}",
        "\u{c}",
        "\u{0}",
        "\u{1}",
        "\u{1f}",
        "\u{7f}",
        "é",
        "€",
        "😀",
        "\u{2028}",
        " ",
    ]);
    let piece = prop_oneof![
        4 => pieces.prop_map(String::from),
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|p| p.concat())
}

fn number() -> impl Strategy<Value = serde_json::Number> {
    prop_oneof![
        any::<u64>().prop_map(Into::into),
        any::<i64>().prop_map(Into::into),
        any::<f64>().prop_filter_map("finite", serde_json::Number::from_f64),
        prop::sample::select(vec![
            0.0,
            -0.0,
            5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
            0.1,
            1e21,
            1e-7
        ])
        .prop_filter_map("finite", serde_json::Number::from_f64),
    ]
}

fn arbitrary() -> impl Strategy<Value = Serde> {
    let leaf = prop_oneof![
        Just(Serde::Null),
        any::<bool>().prop_map(Serde::Bool),
        number().prop_map(Serde::Number),
        text().prop_map(Serde::String),
    ];
    leaf.prop_recursive(6, 96, 10, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..10).prop_map(Serde::Array),
            prop::collection::btree_map(text(), inner, 0..10)
                .prop_map(|fields| Serde::Object(fields.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn arbitrary_values_round_trip(expected in arbitrary()) {
        let compact = serde_json::to_string(&expected).unwrap();
        let pretty = serde_json::to_string_pretty(&expected).unwrap();
        for input in [&compact, &pretty] {
            let doc = jsontape::parse(input).unwrap();
            check_all_writers(doc.root(), &expected, "arbitrary");
            // Objects here have at most 10 fields, so every key order agrees
            // and the text must be serde_json's exactly (a `ValueRef` keeps
            // the input's spelling of numbers).
            let value = doc.to_value();
            prop_assert_eq!(value.to_string(), value_text(&expected, false));
            prop_assert_eq!(value.to_string_pretty(), value_text(&expected, true));
            prop_assert_eq!(&doc.root().to_string(), &compact);
            prop_assert_eq!(&doc.root().to_string_pretty(), &pretty);
        }
    }
}

// ---------------------------------------------------------------------------
// Depth
// ---------------------------------------------------------------------------

/// `depth` nested arrays, the innermost empty.
fn nested(depth: usize) -> String {
    "[".repeat(depth) + &"]".repeat(depth)
}

/// Pretty text of [`nested`], built directly.
fn nested_pretty(depth: usize) -> String {
    let mut out = String::from("[");
    for level in 1..depth {
        out.push('\n');
        out.push_str(&" ".repeat(2 * level));
        out.push('[');
    }
    out.push(']');
    for level in (1..depth).rev() {
        out.push('\n');
        out.push_str(&" ".repeat(2 * (level - 1)));
        out.push(']');
    }
    out
}

/// Length of [`nested_pretty`] without building it: two brackets a level,
/// and a line (newline and indentation) before every bracket but the outer
/// two and the innermost `]`.
fn nested_pretty_len(depth: u64) -> u64 {
    let inner = depth - 1;
    2 * depth + 2 * inner + 2 * inner * inner
}

/// An `io::Write` that keeps only the length and the ends of what it gets.
#[derive(Default)]
struct Ends {
    len: u64,
    head: Vec<u8>,
    tail: Vec<u8>,
}

const ENDS: usize = 64;

impl io::Write for Ends {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.len += bytes.len() as u64;
        let room = ENDS - self.head.len().min(ENDS);
        self.head.extend_from_slice(&bytes[..room.min(bytes.len())]);
        self.tail
            .extend_from_slice(&bytes[bytes.len().saturating_sub(ENDS)..]);
        let excess = self.tail.len().saturating_sub(ENDS);
        self.tail.drain(..excess);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Checks a pretty writer's output of [`nested`] `depth` (at least 20)
/// levels deep by its length and its first and last bytes.
#[track_caller]
fn assert_nested_pretty(depth: usize, write: impl FnOnce(&mut Ends) -> io::Result<()>) {
    let mut ends = Ends::default();
    write(&mut ends).unwrap();
    assert_eq!(ends.len, nested_pretty_len(depth as u64));
    // The first and last 64 bytes are the same from 20 levels on.
    let sample = nested_pretty(20);
    assert_eq!(ends.head, &sample.as_bytes()[..ENDS]);
    assert_eq!(ends.tail, &sample.as_bytes()[sample.len() - ENDS..]);
}

#[test]
fn nesting_is_laid_out_as_serde_json_lays_it_out() {
    let mut parser = Parser::new();
    for depth in 1..100 {
        let input = nested(depth);
        let expected = nested_pretty(depth);
        assert_eq!(expected.len() as u64, nested_pretty_len(depth as u64));
        let serde: Serde = serde_json::from_str(&input).unwrap();
        assert_eq!(serde_json::to_string_pretty(&serde).unwrap(), expected);
        let doc = parser.parse(&input).unwrap();
        assert_eq!(doc.root().to_string_pretty(), expected);
        assert_eq!(doc.to_value().to_string_pretty(), expected);
    }
}

#[test]
fn writes_100_000_levels_without_recursion() {
    const DEPTH: usize = 100_000;
    const PRETTY_DEPTH: usize = 10_000;
    let input = nested(DEPTH);
    let mut parser = Parser::with_options(Options::new().with_max_depth(200_000));
    let doc = parser.parse(&input).unwrap();
    let root = doc.root();
    assert_eq!(root.to_string(), input);
    assert_eq!(written(|w| root.to_writer(w)), input);
    // 20 GB of indentation: counted, not kept.
    assert_nested_pretty(DEPTH, |w| root.to_writer_pretty(w));

    let value = doc.to_value();
    assert_eq!(value.to_string(), input);
    assert_eq!(written(|w| value.to_writer(w)), input);
    // Pretty from 10,000 levels deep: 200 MB.
    let mut inner = &value;
    for _ in PRETTY_DEPTH..DEPTH {
        inner = &inner[0];
    }
    assert_eq!(inner.to_string(), nested(PRETTY_DEPTH));
    assert_nested_pretty(PRETTY_DEPTH, |w| inner.to_writer_pretty(w));
    assert_eq!(
        inner.to_string_pretty().len() as u64,
        nested_pretty_len(PRETTY_DEPTH as u64)
    );
    // Dropping a `Value` recurses on its depth.
    std::mem::forget(value);
}
