//! Allocation counting: a reused `Parser` allocates nothing once warmed up,
//! navigation never allocates, and a one-shot `jsontape::parse` allocates
//! only a few times per document.
//!
//! The counting allocator counts only on threads that asked for it (a
//! thread-local flag), so the test harness's own threads and the other tests
//! running in parallel cannot disturb a measurement.
//!
//! Run with `--nocapture` to see the one-shot allocation table.

mod common;

use common::alloc_counter::measure;
use jsontape::{Kind, Options, Parser, ValueRef};

// The counting allocator (tests/common/alloc_counter.rs); `measure` counts
// this thread's allocations.
#[global_allocator]
static GLOBAL: common::alloc_counter::Counting = common::alloc_counter::Counting;

// ---------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------

/// The brief's "60-byte" document (it is 59 bytes).
const SMALL: &str = r#"{"id":"123","name":"user","tags":["a","b"],"meta":{"v":42}}"#;

/// Strings with every kind of escape, in keys and values.
const ESCAPED: &str = r#"{"msg": "line1\nline2\t\"quoted\" \\ back\/slash \b\f\r",
 "k\u0065y": ["\u0041\u00e9\u20ac", "\ud83d\ude00 astral", "tab\there"],
 "plain": "no escapes", "\"": {"\\": "\u0000\u001f"}}"#;

/// A document nested 500 deep (within the default depth limit of 1024),
/// alternating arrays and objects, with escaped strings at the bottom.
fn deep_doc() -> String {
    let depth = 500;
    let mut s = String::new();
    for i in 0..depth {
        s.push_str(if i % 2 == 0 { "[" } else { "{\"k\\n\":" });
    }
    s.push_str(r#"[1, -2.5e3, "x\ty", true, null]"#);
    for i in (0..depth).rev() {
        s.push_str(if i % 2 == 0 { "]" } else { "}" });
    }
    s
}

/// (name, contents) of every document under test: the small documents, then
/// every file of the benchmark corpus.
fn documents() -> Vec<(String, String)> {
    assert_eq!(SMALL.len(), 59);
    let mut docs = vec![
        ("small-59".to_owned(), SMALL.to_owned()),
        ("escaped".to_owned(), ESCAPED.to_owned()),
        ("deep-500".to_owned(), deep_doc()),
    ];
    for path in common::bench_files() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        docs.push((name, text));
    }
    for (name, text) in &docs {
        if let Err(e) = jsontape::parse(text) {
            panic!("{name} does not parse: {e}");
        }
    }
    docs
}

// ---------------------------------------------------------------------------
// Navigation
// ---------------------------------------------------------------------------

/// Children visited by index (`at`) or by key (`get`) per container; the
/// iterators visit all of them. Indexed access is linear in the index, so
/// visiting every child of a large array that way would be quadratic.
const RANDOM_ACCESS_LIMIT: usize = 32;

/// Touches every value of the tree with every accessor; returns a checksum so
/// that nothing is optimized away.
fn walk(v: ValueRef<'_>) -> u64 {
    let mut sum = v.raw_json().len() as u64;
    sum += v.as_bool().map_or(0, u64::from);
    sum ^= v.as_i64().map_or(0, |i| i as u64);
    sum ^= v.as_u64().unwrap_or(0);
    sum ^= v.as_f64().map_or(0, f64::to_bits);
    sum += v.as_str().map_or(0, |s| s.len() as u64);
    sum += u64::from(v.is_null());
    sum += v.len() as u64;
    match v.kind() {
        Kind::Array => {
            for (i, child) in v.array_iter().enumerate() {
                sum = sum.wrapping_add(walk(child));
                if i < RANDOM_ACCESS_LIMIT {
                    sum += v.at(i).map_or(0, |c| c.raw_json().len() as u64);
                }
            }
            sum += u64::from(v.at(v.len()).is_none());
        }
        Kind::Object => {
            for (i, (key, child)) in v.object_iter().enumerate() {
                sum += key.len() as u64;
                sum = sum.wrapping_add(walk(child));
                if i < RANDOM_ACCESS_LIMIT {
                    sum += v.get(key).map_or(0, |c| c.raw_json().len() as u64);
                }
            }
            sum += u64::from(v.get("\u{0}no such key").is_none());
        }
        _ => {}
    }
    sum
}

/// JSON Pointers to a sample of the document's nodes (at most `limit`),
/// computed before measuring since building them allocates.
fn sample_pointers(root: ValueRef<'_>, limit: usize) -> Vec<String> {
    fn go(v: ValueRef<'_>, path: &mut String, out: &mut Vec<String>, limit: usize) {
        if out.len() >= limit {
            return;
        }
        out.push(path.clone());
        match v.kind() {
            Kind::Array => {
                for (i, child) in v.array_iter().enumerate().take(RANDOM_ACCESS_LIMIT) {
                    let len = path.len();
                    path.push_str(&format!("/{i}"));
                    go(child, path, out, limit);
                    path.truncate(len);
                }
            }
            Kind::Object => {
                for (key, child) in v.object_iter().take(RANDOM_ACCESS_LIMIT) {
                    let len = path.len();
                    path.push('/');
                    path.push_str(&key.replace('~', "~0").replace('/', "~1"));
                    go(child, path, out, limit);
                    path.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    go(root, &mut String::new(), &mut out, limit);
    out
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

/// Everything about a reused parser, per document: warm-up, then a second
/// parse of the same document, navigation, and a smaller document, all
/// without allocating.
#[test]
fn reused_parser_allocates_nothing_after_warm_up() {
    let docs = documents();
    let mut failures = Vec::new();
    for (name, text) in &docs {
        let mut parser = Parser::new();
        // Warm-up.
        let (smaller, pointers) = {
            let doc = parser.parse(text).unwrap();
            let root = doc.root();
            // A smaller document: the raw text of the root's first child,
            // which needs less of every buffer than the whole document.
            let first = match root.kind() {
                Kind::Array => root.at(0),
                Kind::Object => root.object_iter().next().map(|(_, v)| v),
                _ => None,
            };
            let smaller = first.map_or_else(|| "0".to_owned(), |v| v.raw_json().to_owned());
            (smaller, sample_pointers(root, 2000))
        };

        // The same document again.
        let (ok, allocs) = measure(|| parser.parse(text).is_ok());
        assert!(ok);
        if allocs.calls() != 0 {
            failures.push(format!("{name}: reparse made {allocs:?}"));
        }

        // Navigation over the whole tree, and JSON Pointers to many nodes.
        let doc = parser.parse(text).unwrap();
        let (sum, allocs) = measure(|| walk(doc.root()));
        assert_ne!(sum, 0);
        if allocs.calls() != 0 {
            failures.push(format!("{name}: navigation made {allocs:?}"));
        }
        let (found, allocs) =
            measure(|| pointers.iter().filter(|p| doc.pointer(p).is_some()).count());
        assert_eq!(found, pointers.len(), "{name}: a pointer found nothing");
        if allocs.calls() != 0 {
            failures.push(format!(
                "{name}: {} pointers made {allocs:?}",
                pointers.len()
            ));
        }
        drop(doc);

        // A smaller document, after the large one.
        let (ok, allocs) = measure(|| parser.parse(&smaller).is_ok());
        assert!(ok, "{name}: the smaller document does not parse: {smaller}");
        if allocs.calls() != 0 {
            failures.push(format!(
                "{name}: parsing its first child ({} bytes) made {allocs:?}",
                smaller.len()
            ));
        }
        // And the small 59-byte document.
        let (ok, allocs) = measure(|| parser.parse(SMALL).is_ok());
        assert!(ok);
        if allocs.calls() != 0 && text.len() >= SMALL.len() {
            failures.push(format!("{name}: parsing small-59 after it made {allocs:?}"));
        }
        // And the original again, after the smaller one.
        let (ok, allocs) = measure(|| parser.parse(text).is_ok());
        assert!(ok);
        if allocs.calls() != 0 {
            failures.push(format!(
                "{name}: reparse after a smaller one made {allocs:?}"
            ));
        }
    }

    // Steady state: one parser that has seen every document parses each of
    // them again, in any order, without allocating.
    let mut parser = Parser::new();
    for (_, text) in &docs {
        parser.parse(text).unwrap();
    }
    for (name, text) in docs.iter().rev().chain(&docs) {
        let (ok, allocs) = measure(|| parser.parse(text).is_ok());
        assert!(ok);
        if allocs.calls() != 0 {
            failures.push(format!("{name}: steady-state parse made {allocs:?}"));
        }
    }
    assert!(failures.is_empty(), "allocations:\n{}", failures.join("\n"));
}

/// A failed parse on a warmed-up parser allocates only its boxed error.
#[test]
fn reused_parser_error_allocates_only_the_error() {
    let mut parser = Parser::new();
    let input = r#"{"a": [1, 2, "x\ny"], "b": }"#;
    assert!(parser.parse(input).is_err());
    let (err, allocs) = measure(|| parser.parse(input).unwrap_err());
    assert_eq!(err.kind(), jsontape::ErrorKind::ExpectedValue);
    assert!(allocs.calls() <= 1, "error made {allocs:?}");
}

/// A one-shot parse allocates a few buffers per document; prints the table.
#[test]
fn one_shot_parse_allocates_little() {
    let docs = documents();
    let mut failures = Vec::new();
    println!();
    println!(
        "{:<24} {:>10} {:>8} {:>12} {:>8}",
        "document", "bytes", "allocs", "alloc bytes", "ratio"
    );
    for (name, text) in &docs {
        let (doc, allocs) = measure(|| jsontape::parse(text).unwrap());
        drop(doc);
        println!(
            "{:<24} {:>10} {:>8} {:>12} {:>8.2}",
            name,
            text.len(),
            allocs.calls(),
            allocs.bytes,
            allocs.bytes as f64 / text.len() as f64
        );
        // Buffers are pre-sized from the input length for typical documents;
        // only the nesting stack still doubles on a deep one (log2 of depth),
        // and the arena on escape-heavy ones. The document's tape and arena
        // may then be shrunk once each, to give spare capacity back.
        let bound = if name.starts_with("deep") { 16 } else { 10 };
        if allocs.calls() > bound {
            failures.push(format!("{name}: {allocs:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "too many allocations for one parse:\n{}",
        failures.join("\n")
    );
}

/// `Parser::reserve(n)` promises that no document of up to `n` bytes
/// allocates, whatever it contains: tried with documents that need much of one
/// buffer (escapes fill the arena, nesting the stack, numbers the tape), after
/// a larger document that needed little of any (a plain string). Without
/// `reserve`, buffers grow only as far as the documents seen so far needed, so
/// those smaller documents would allocate.
#[test]
fn reserve_makes_any_smaller_document_allocation_free() {
    let long_string = format!("\"{}\"", "a".repeat(20_000));
    let pairs = [
        ("\"aaaaaaaa\"".to_owned(), "\"\\n\"".to_owned()),
        ("\"aaaaaaaa\"".to_owned(), "[[]]".to_owned()),
        ("\"aaaaaaaa\"".to_owned(), "[0,0]".to_owned()),
        ("[1,[2,[3]]]".to_owned(), "[[[[]]]]".to_owned()),
        (long_string.clone(), format!("[{}0]", "0,".repeat(5_000))),
        (long_string.clone(), format!("\"{}\"", "\\n".repeat(5_000))),
        (
            long_string,
            format!("{}{}", "[".repeat(1000), "]".repeat(1000)),
        ),
    ];
    let mut failures = Vec::new();
    for (larger, smaller) in &pairs {
        assert!(smaller.len() < larger.len());
        let mut parser = Parser::with_options(Options::new().with_max_depth(100_000));
        parser.reserve(larger.len());
        parser.parse(larger).unwrap();
        let (ok, allocs) = measure(|| parser.parse(smaller).is_ok());
        assert!(ok, "{smaller}");
        let short = |s: &str| -> String {
            if s.len() <= 24 {
                s.to_owned()
            } else {
                format!("{}... ({} bytes)", &s[..12], s.len())
            }
        };
        if allocs.calls() != 0 {
            failures.push(format!(
                "{} after {}: {allocs:?}",
                short(smaller),
                short(larger)
            ));
        }
    }
    assert!(failures.is_empty(), "allocations:\n{}", failures.join("\n"));
}

/// `to_string` allocates its `String` (and is excluded from the zero
/// checks); check that the counter does see allocations, so the zero results
/// above mean something.
#[test]
fn counter_sees_allocations() {
    let doc = jsontape::parse(SMALL).unwrap();
    let (s, allocs) = measure(|| doc.root().to_string());
    assert_eq!(s, SMALL);
    assert!(allocs.calls() >= 1 && allocs.bytes >= 1, "{allocs:?}");
    let (_, allocs) = measure(|| Vec::<u8>::with_capacity(100));
    assert_eq!((allocs.calls(), allocs.bytes), (1, 100), "{allocs:?}");
    assert_eq!(allocs.log[0], 100);
}

/// The compact `Display` itself allocates nothing: writing into a buffer
/// with room enough makes no call, for every document.
#[test]
fn display_into_a_sized_buffer_allocates_nothing() {
    use std::fmt::Write;
    let mut failures = Vec::new();
    for (name, text) in documents() {
        let doc = jsontape::parse(&text).unwrap();
        let mut out = String::with_capacity(text.len() + 1);
        let (result, allocs) = measure(|| write!(out, "{}", doc.root()));
        result.unwrap();
        assert!(out.len() <= text.len());
        if allocs.calls() != 0 {
            failures.push(format!("{name}: {allocs:?}"));
        }
    }
    assert!(failures.is_empty(), "allocations:\n{}", failures.join("\n"));
}

/// `to_writer` writes through a buffer of about 8 KiB whatever the size of
/// the document: compact input is handed on in pieces straight from the
/// input, not gathered into one buffer first.
#[test]
fn to_writer_buffers_a_bounded_amount() {
    const MOST: u64 = 64 * 1024;
    let mut failures = Vec::new();
    for (name, text) in documents() {
        let doc = jsontape::parse(&text).unwrap();
        let value = doc.to_value();
        for pretty in [false, true] {
            let (result, ref_allocs) = measure(|| match pretty {
                false => doc.root().to_writer(std::io::sink()),
                true => doc.root().to_writer_pretty(std::io::sink()),
            });
            result.unwrap();
            let (result, value_allocs) = measure(|| match pretty {
                false => value.to_writer(std::io::sink()),
                true => value.to_writer_pretty(std::io::sink()),
            });
            result.unwrap();
            for (what, allocs) in [("ValueRef", ref_allocs), ("Value", value_allocs)] {
                if allocs.bytes > MOST {
                    failures.push(format!("{name} {what} pretty={pretty}: {allocs:?}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "allocations:\n{}", failures.join("\n"));
}
