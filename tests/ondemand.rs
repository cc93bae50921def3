//! On-demand extraction (`jsontape::get`, `get_many`) against the full parser:
//! for every pointer of every value of a set of documents (escaped keys,
//! duplicate keys, deep nesting, strings full of brackets, quotes and
//! backslashes, every placement across stage 1's 64-byte blocks), and a sample
//! of pointers of every benchmark corpus file, `get` finds the same text as
//! `jsontape::parse(input)?.pointer(p)`, on every backend this machine
//! supports; `get_many` finds what a `get` per pointer finds; the accessors
//! of the values found agree with `ValueRef`'s. Malformed input the walk reads
//! is an error, and no input makes it panic.

mod common;

use common::alloc_counter::measure;
use jsontape::{Backend, ErrorKind, LazyValue, Options, Parser, ValueRef};
use proptest::prelude::*;
use std::collections::HashSet;

// The counting allocator (tests/common/alloc_counter.rs), for the test that
// `get` allocates nothing.
#[global_allocator]
static GLOBAL: common::alloc_counter::Counting = common::alloc_counter::Counting;

/// The backends this machine supports (the portable one always among them).
fn backends() -> Vec<Backend> {
    let all: Vec<Backend> = Backend::ALL
        .into_iter()
        .filter(|b| b.is_supported())
        .collect();
    assert!(all.contains(&Backend::Portable));
    all
}

/// A key as a JSON Pointer token.
fn token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Every pointer of every value of `root`, in document order, each once,
/// followed by pointers that select nothing (missing keys, indexes past the
/// end, `-`, leading zeros, paths through scalars) and malformed ones.
fn all_pointers(root: ValueRef<'_>) -> Vec<String> {
    let mut found = Vec::new();
    let mut missing = Vec::new();
    let mut seen = HashSet::new();
    let mut work = vec![(root, String::new())];
    while let Some((value, pointer)) = work.pop() {
        if !seen.insert(pointer.clone()) {
            continue;
        }
        match value.kind() {
            jsontape::Kind::Object => {
                missing.push(format!("{pointer}/no such key"));
                missing.push(format!("{pointer}/0"));
                let fields: Vec<_> = value.object_iter().collect();
                for (key, field) in fields.into_iter().rev() {
                    work.push((field, format!("{pointer}/{}", token(key))));
                }
            }
            jsontape::Kind::Array => {
                missing.push(format!("{pointer}/{}", value.len()));
                missing.push(format!("{pointer}/-"));
                missing.push(format!("{pointer}/01"));
                missing.push(format!("{pointer}/x"));
                let elements: Vec<_> = value.array_iter().collect();
                for (i, element) in elements.into_iter().enumerate().rev() {
                    work.push((element, format!("{pointer}/{i}")));
                }
            }
            _ => missing.push(format!("{pointer}/0")),
        }
        found.push(pointer);
    }
    found.extend(missing);
    found.extend(MALFORMED.map(String::from));
    found
}

/// Malformed pointers, which select nothing.
const MALFORMED: [&str; 5] = ["x", "/~2", "/~", "#/a", "/a~"];

/// A parser for the expected answers: deep enough for every test document.
fn reference_parser() -> Parser {
    Parser::with_options(Options::new().with_max_depth(100_000))
}

/// The value found agrees with the parser's, accessor by accessor.
fn check_accessors(input: &str, lazy: LazyValue<'_>, value: ValueRef<'_>, context: &str) {
    assert_eq!(lazy.kind(), value.kind(), "{context}: kind");
    assert_eq!(lazy.is_null(), value.is_null(), "{context}: is_null");
    assert_eq!(lazy.as_bool(), value.as_bool(), "{context}: as_bool");
    assert_eq!(lazy.as_u64(), value.as_u64(), "{context}: as_u64");
    assert_eq!(lazy.as_i64(), value.as_i64(), "{context}: as_i64");
    assert_eq!(
        lazy.as_f64().map(f64::to_bits),
        value.as_f64().map(f64::to_bits),
        "{context}: as_f64"
    );
    assert_eq!(
        lazy.as_str().as_deref(),
        value.as_str(),
        "{context}: as_str"
    );
    if let Some(std::borrow::Cow::Borrowed(s)) = lazy.as_str() {
        assert!(!lazy.raw_json().contains('\\'), "{context}: borrowed {s:?}");
    }
    let parsed = lazy
        .parse()
        .unwrap_or_else(|e| panic!("{context}: parse: {e}"));
    assert_eq!(
        parsed.root().to_string(),
        value.to_string(),
        "{context}: parse"
    );
    assert_eq!(
        &input[lazy.offset()..lazy.offset() + lazy.raw_json().len()],
        lazy.raw_json(),
        "{context}: offset"
    );
    assert_eq!(lazy.to_string(), lazy.raw_json(), "{context}: Display");
}

/// `get` finds, on every backend, what `pointer` finds in the parsed
/// document, for each of `pointers` (the accessors agreeing too unless
/// `quick`), and `get_many` of them all finds the same.
fn check_pointers(input: &str, pointers: &[String], quick: bool) {
    let mut parser = reference_parser();
    let doc = parser
        .parse(input)
        .unwrap_or_else(|e| panic!("reference parse: {e}"));
    let expected: Vec<Option<&str>> = pointers
        .iter()
        .map(|p| doc.pointer(p).map(|v| v.raw_json()))
        .collect();
    let refs: Vec<&str> = pointers.iter().map(String::as_str).collect();
    let shown = || {
        let mut s: String = input.chars().take(200).collect();
        if s.len() < input.len() {
            s.push('…');
        }
        s
    };
    for backend in backends() {
        let options = Options::new().with_backend(backend);
        for (pointer, want) in pointers.iter().zip(&expected) {
            let context = format!("{backend:?} {pointer:?} in {:?}", shown());
            let got = jsontape::get_with(options, input, pointer)
                .unwrap_or_else(|e| panic!("{context}: {e}"));
            assert_eq!(got.map(|v| v.raw_json()), *want, "{context}");
            if let (Some(lazy), false) = (got, quick) {
                check_accessors(input, lazy, doc.pointer(pointer).unwrap(), &context);
            }
        }
        let many = jsontape::get_many_with(options, input, &refs)
            .unwrap_or_else(|e| panic!("{backend:?} get_many in {:?}: {e}", shown()));
        let many: Vec<Option<&str>> = many.iter().map(|v| v.map(|v| v.raw_json())).collect();
        assert_eq!(many, expected, "{backend:?} get_many in {:?}", shown());
    }
}

/// [`check_pointers`] with every pointer of `input`.
fn check_document(input: &str) {
    let mut parser = reference_parser();
    let pointers = all_pointers(parser.parse(input).unwrap().root());
    check_pointers(input, &pointers, false);
}

/// Hand-written documents: escaped keys, duplicate keys, strings full of
/// brackets, quotes and backslashes, empty containers, every scalar.
const DOCUMENTS: &[&str] = &[
    r#"{"a.b": 1, "a/b": 2, "a~b": 3, "q\"uote": 4, "\u00e9t\u00e9": 5, "sl\/ash": 6, "": 7,
        "0": 8, "-": 9, "~1": 10, "back\\slash": 11, "\ud83d\ude00": 12, "tab\t": 13, "été": 14,
        "a~1b": 15, "\u0061": 16, "x": {"": {"": [0, {"/": "~"}]}}}"#,
    r#"{"a": {"x": 1, "y": [1]}, "b": 2, "a": {"y": [2, 3]}, "c": {"a": 1, "a": {"d": 4}},
        "a": {"z": {"x": 0}}, "e": [{"k": 1, "k": 2}, {"k": [3], "k": {"k": 4}}]}"#,
    r#"{"s": "}{][", "t": "\\\"}", "u": ["\"[", "]\\", "\\\\", "\\\"\\"], "v": {"w": "}}}}"},
        "w": "{\"a\": [1, 2]}", "x": ["[", "{", "\"", "\\"], "y": "\\", "z": "\""}"#,
    r#"[[], {}, [[[]]], [{"a": []}], "]", "[", "\\", "\"]", 0, -1.5e3, true, false, null,
        18446744073709551615, -9223372036854775808, 1e-7, 0.1, "caf\u00e9", [{}, [{}]]]"#,
    r#"{"": {"": {"": ""}}, " ": [" ", {" ": " "}], "\n": "\n"}"#,
    r#"  [1,2,3]  "#,
    r#""just a string with \" and \\ and \u00e9""#,
    "-12.5e+3",
    "true",
    "null",
    "{}",
    "[]",
    r#"{"a":{"b":{"c":{"d":{"e":[[[[{"f":"g"}]]]]}}}}}"#,
    "[\n\t{\"a\" :\r\n 1 , \"b\"\t:[ 2 ,3 ] }\n]\n",
    r#"{"k": "a long string that crosses a block boundary: \"quotes\" and \\ backslashes \\\\\" [ { ] }", "after": [1, {"x": "y"}], "last": "z"}"#,
    r#"{"statuses": [{"id": 1, "user": {"screen_name": "a", "entities": {"u": [{"x": []}]}}}, {"id": 2, "user": {"screen_name": "b"}}], "search_metadata": {"count": 2}}"#,
];

#[test]
fn every_pointer_of_hand_written_documents() {
    for document in DOCUMENTS {
        check_document(document);
    }
}

/// Every document moved by 0 to 140 bytes of leading whitespace, so that each
/// of its bytes lands on offsets 60 to 70 and 124 to 132 (the first two block
/// boundaries), and some with whitespace inside too.
#[test]
fn every_pointer_across_block_boundaries() {
    for document in DOCUMENTS {
        let mut parser = reference_parser();
        let pointers = all_pointers(parser.parse(document).unwrap().root());
        for pad in 0..=140 {
            let ws = [" ", "\n", "\t", "\r\n"][pad % 4];
            let input = format!("{}{document}", ws.repeat(pad / ws.len().max(1)));
            check_pointers(&input, &pointers, true);
        }
    }
    // Whitespace inside, between every pair of tokens, of growing width.
    for width in [1, 7, 30, 61, 63, 64, 65] {
        let ws = " ".repeat(width);
        let input = format!(
            "{{{ws}\"a\"{ws}:{ws}[{ws}1{ws},{ws}\"}}]\\\\\"{ws},{ws}{{{ws}\"b\"{ws}:{ws}null{ws}}}{ws}]{ws},{ws}\"c\"{ws}:{ws}\"x\"{ws}}}"
        );
        check_document(&input);
    }
}

/// Backslash runs and quotes of every length at every block offset, in keys
/// and values, on and off the path.
#[test]
fn escapes_across_block_boundaries() {
    for run in 0..6 {
        let backslashes = "\\\\".repeat(run);
        for pad in 40..80 {
            let filler = "x".repeat(pad);
            let input = format!(
                r#"{{"{filler}{backslashes}": ["{backslashes}\"]", {{"k{backslashes}": "{filler}{backslashes}"}}], "k": "{backslashes}", "z": [1]}}"#
            );
            check_document(&input);
            let input = format!(r#"["{filler}{backslashes}\"", [{{"a": "]"}}], 7]"#);
            check_document(&input);
        }
    }
}

/// Nesting far deeper than the parser's default limit: the walk does not
/// recurse.
#[test]
fn deep_nesting() {
    let depth = 3000;
    let mut input = String::new();
    let mut pointer = String::new();
    let mut pointers = vec![String::new()];
    for level in 0..depth {
        if level % 2 == 0 {
            input.push_str("[0, ");
            pointer.push_str("/1");
        } else {
            input.push_str(r#"{"a": [], "k\"\/": "#);
            pointer.push_str("/k\"~1");
        }
        if level % 97 == 0 || level + 1 == depth {
            pointers.push(pointer.clone());
            pointers.push(format!("{pointer}/0"));
        }
    }
    input.push_str(r#""bottom""#);
    for level in (0..depth).rev() {
        input.push_str(if level % 2 == 0 { "]" } else { "}" });
    }
    check_pointers(&input, &pointers, true);
    let found = jsontape::get(&input, &pointer).unwrap().unwrap();
    assert_eq!(found.as_str().as_deref(), Some("bottom"));
}

/// The last of duplicate keys wins, even when an earlier one led deeper.
#[test]
fn duplicate_keys_last_wins() {
    let input = r#"{"a": {"x": 1}, "a": {"y": 2}, "b": [{"c": 1, "c": 2}]}"#;
    assert!(jsontape::get(input, "/a/x").unwrap().is_none());
    assert_eq!(
        jsontape::get(input, "/a/y").unwrap().unwrap().raw_json(),
        "2"
    );
    assert_eq!(
        jsontape::get(input, "/a").unwrap().unwrap().raw_json(),
        r#"{"y": 2}"#
    );
    assert_eq!(
        jsontape::get(input, "/b/0/c").unwrap().unwrap().raw_json(),
        "2"
    );
    let many = jsontape::get_many(input, &["/a/x", "/a/y", "/a", "/b/0/c"]).unwrap();
    let raw: Vec<_> = many.iter().map(|v| v.map(|v| v.raw_json())).collect();
    assert_eq!(raw, [None, Some("2"), Some(r#"{"y": 2}"#), Some("2")]);
}

/// `get_many` keeps the order of its pointers, repeated pointers and
/// prefixes included, and a malformed pointer finds nothing.
#[test]
fn get_many_order_and_repeats() {
    let input = r#"{"a": [10, {"b": 20}], "c~": 30, "d/": 40}"#;
    let pointers = [
        "/a/1/b", "/a", "/a/1/b", "", "/c~0", "/d~1", "bad", "/a/1", "/a/0",
    ];
    let many = jsontape::get_many(input, &pointers).unwrap();
    let raw: Vec<_> = many.iter().map(|v| v.map(|v| v.raw_json())).collect();
    assert_eq!(
        raw,
        [
            Some("20"),
            Some(r#"[10, {"b": 20}]"#),
            Some("20"),
            Some(input),
            Some("30"),
            Some("40"),
            None,
            Some(r#"{"b": 20}"#),
            Some("10"),
        ]
    );
    for (pointer, found) in pointers.iter().zip(&many) {
        let single = jsontape::get(input, pointer).unwrap();
        assert_eq!(single.map(|v| v.raw_json()), found.map(|v| v.raw_json()));
    }
    assert!(jsontape::get_many(input, &[]).unwrap().is_empty());
}

/// An array ends the walk once its wanted elements are done and no object
/// around it is open: what follows is not read. An object is always read to
/// its end, so what follows it is.
#[test]
fn arrays_stop_early_objects_do_not() {
    assert_eq!(
        jsontape::get("[1, 2, [3", "/1")
            .unwrap()
            .unwrap()
            .raw_json(),
        "2"
    );
    assert_eq!(
        jsontape::get(r#"[{"a": 1, "a": 2}, {"#, "/0/a")
            .unwrap()
            .unwrap()
            .raw_json(),
        "2"
    );
    assert_eq!(
        jsontape::get("[1] x", "/0").unwrap().unwrap().raw_json(),
        "1"
    );
    let err = jsontape::get(r#"{"a": 1} x"#, "/a").unwrap_err();
    assert_eq!(
        (err.kind(), err.offset()),
        (ErrorKind::TrailingCharacters, 9)
    );
    let err = jsontape::get(r#"{"a": [1, 2], "b": {"#, "/a/0").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedEnd);
    // The whole value for "": trailing characters are checked.
    let err = jsontape::get("[1] x", "").unwrap_err();
    assert_eq!(
        (err.kind(), err.offset()),
        (ErrorKind::TrailingCharacters, 4)
    );
}

/// A malformed pointer selects nothing, without reading the input.
#[test]
fn malformed_pointers_select_nothing() {
    for pointer in ["a", "#/a", "/~2", "/~", "/a~"] {
        assert!(
            jsontape::get(r#"{"a": 1, "~": 2}"#, pointer)
                .unwrap()
                .is_none()
        );
        assert!(jsontape::get("not json at all", pointer).unwrap().is_none());
    }
}

/// Malformed input where the walk reads it: an error with its kind and
/// position, the same on every backend.
#[test]
fn malformed_input_is_an_error() {
    let cases: &[(&str, &str, ErrorKind, usize)] = &[
        ("", "", ErrorKind::UnexpectedEnd, 0),
        ("   ", "/a", ErrorKind::UnexpectedEnd, 3),
        (
            r#"{"a": 1 "b": 2}"#,
            "/b",
            ErrorKind::ExpectedCommaOrObjectEnd,
            8,
        ),
        (r#"{"a" 1}"#, "/a", ErrorKind::ExpectedColon, 5),
        (r#"{a: 1}"#, "/a", ErrorKind::ExpectedKey, 1),
        (r#"{"a": 1,}"#, "/a", ErrorKind::ExpectedKey, 8),
        (r#"{"a": }"#, "/a", ErrorKind::ExpectedValue, 6),
        (r#"[1, ]"#, "/1", ErrorKind::ExpectedValue, 4),
        (r#"[1 2]"#, "/1", ErrorKind::ExpectedCommaOrArrayEnd, 3),
        (
            r#"{"a": [1, 2}, "b": 3}"#,
            "/b",
            ErrorKind::ExpectedCommaOrArrayEnd,
            11,
        ),
        (
            r#"{"a": {"x": 1], "b": 3}"#,
            "/b",
            ErrorKind::ExpectedCommaOrObjectEnd,
            13,
        ),
        (
            r#"{"a": [1, [2], "b": 3}"#,
            "/b",
            ErrorKind::ExpectedCommaOrArrayEnd,
            21,
        ),
        (
            r#"{"a": [1, [2], "b": 3"#,
            "/b",
            ErrorKind::UnexpectedEnd,
            21,
        ),
        (
            r#"{"a": "xyz, "b": 3}"#,
            "/b",
            ErrorKind::ExpectedCommaOrObjectEnd,
            13,
        ),
        (
            r#"{"a": ["x], "b": 3}"#,
            "/b",
            ErrorKind::UnterminatedString,
            14,
        ),
        (r#"{"a": 1, "b"#, "/b", ErrorKind::UnterminatedString, 9),
        // A key (the one searched for) at the very end of the input.
        (r#"{"a": 1, "b""#, "/b", ErrorKind::UnexpectedEnd, 12),
        (r#"{"a": 1, "b":"#, "/b", ErrorKind::UnexpectedEnd, 13),
        (
            r#"{"a": 1, "b": "x"#,
            "/b",
            ErrorKind::UnterminatedString,
            14,
        ),
        (
            "{\"a\": 1, \"b\": \"x\\",
            "/b",
            ErrorKind::UnterminatedString,
            14,
        ),
        (r#"{"a": 1}}"#, "/a", ErrorKind::TrailingCharacters, 8),
        (r#""abc"#, "/a", ErrorKind::UnterminatedString, 0),
        (r#" "abc\""#, "", ErrorKind::UnterminatedString, 1),
        (r#"{"a": 1} {"#, "/a", ErrorKind::TrailingCharacters, 9),
        (r#"{"a\x": 1}"#, "/a", ErrorKind::InvalidEscape, 4),
        (r#"{"\ud800": 1}"#, "/a", ErrorKind::LoneSurrogate, 2),
        (
            "{\"a\tb\": 1}",
            "/a",
            ErrorKind::ControlCharacterInString,
            3,
        ),
        (
            "{\"a\u{1}\": 1}",
            "/a",
            ErrorKind::ControlCharacterInString,
            3,
        ),
        (r#"{"a": 1, "b": [1, 2"#, "/a", ErrorKind::UnexpectedEnd, 19),
        (r#"[[1, 2], 3"#, "/2", ErrorKind::UnexpectedEnd, 10),
        (r#"["#, "/0", ErrorKind::UnexpectedEnd, 1),
        (r#"{"#, "/0", ErrorKind::UnexpectedEnd, 1),
        (r#"]"#, "/0", ErrorKind::ExpectedValue, 0),
        (r#"[}"#, "/0", ErrorKind::ExpectedValue, 1),
        (r#"{"a": x}"#, "/a", ErrorKind::ExpectedValue, 6),
        (r#"{"a": [}"#, "/b", ErrorKind::ExpectedCommaOrArrayEnd, 7),
        (r#"{"a": {]}"#, "/b", ErrorKind::ExpectedCommaOrObjectEnd, 7),
        (r#"{"a": [[}"#, "/b", ErrorKind::UnexpectedEnd, 9),
    ];
    // One pointer searches the objects on its path for its key, skipping the
    // other members unread: what it finds there instead.
    type Outcome = Result<Option<&'static str>, (ErrorKind, usize)>;
    let searched: &[(&str, Outcome)] = &[
        (r#"{"a": 1 "b": 2}"#, Ok(Some("2"))),
        (r#"{a: 1}"#, Ok(None)),
        (r#"{"a": 1,}"#, Ok(Some("1"))),
        (r#"{"a": [1, 2}, "b": 3}"#, Ok(Some("3"))),
        (r#"{"a": {"x": 1], "b": 3}"#, Ok(Some("3"))),
        (
            r#"{"a": [1, [2], "b": 3}"#,
            Err((ErrorKind::UnexpectedEnd, 22)),
        ),
        (
            r#"{"a": "xyz, "b": 3}"#,
            Err((ErrorKind::UnterminatedString, 14)),
        ),
        ("{\"a\tb\": 1}", Ok(None)),
        ("{\"a\u{1}\": 1}", Ok(None)),
        (r#"{"a": [}"#, Err((ErrorKind::UnexpectedEnd, 8))),
        (r#"{"a": {]}"#, Ok(None)),
    ];
    for &(input, pointer, kind, offset) in cases {
        for backend in backends() {
            let options = Options::new().with_backend(backend);
            let got = jsontape::get_with(options, input, pointer)
                .map(|v| v.map(|v| v.raw_json()))
                .map_err(|e| (e.kind(), e.offset()));
            let want = searched
                .iter()
                .find(|(s, _)| *s == input)
                .map_or(Err((kind, offset)), |(_, outcome)| *outcome);
            assert_eq!(got, want, "{backend:?} {pointer:?} in {input:?}");
            // A pointer beside it makes the walk read every member.
            let many = jsontape::get_many_with(options, input, &[pointer, "/zz"]).unwrap_err();
            assert_eq!(
                (many.kind(), many.offset()),
                (kind, offset),
                "get_many {input:?}"
            );
        }
        assert!(jsontape::parse(input).is_err(), "{input:?} is valid");
    }
    // Line and column.
    let err = jsontape::get_many("{\n  \"a\": 1\n  \"b\": 2\n}", &["/a", "/b"]).unwrap_err();
    assert_eq!((err.line(), err.column(), err.offset()), (3, 3, 13));
    // Invalid UTF-8: in a key read on the path (not by a search, which
    // skips keys that cannot be its own), and in the value found.
    let err = jsontape::get_many(b"{\"a\xff\": 1}", &["/a", "/b"]).unwrap_err();
    assert_eq!((err.kind(), err.offset()), (ErrorKind::InvalidUtf8, 3));
    assert!(jsontape::get(b"{\"a\xff\": 1}", "/a").unwrap().is_none());
    let err = jsontape::get(b"{\"a\": \"\xe9t\xe9\"}", "/a").unwrap_err();
    assert_eq!((err.kind(), err.offset()), (ErrorKind::InvalidUtf8, 7));
    // Off the path it is not looked at.
    let v = jsontape::get(b"{\"b\": \"\xff\", \"a\": 1}", "/a").unwrap();
    assert_eq!(v.unwrap().raw_json(), "1");
}

/// The accessors validate the value's own text: text the walk does not check
/// gives `None` (or an error from `parse`).
#[test]
fn accessors_validate_the_text() {
    let input = r#"[01, 1.e5, tru, nul, "a\x", "\ud800", -, 1e999, "ok", [1, 2,], {"a" 1}]"#;
    let at = |i: usize| jsontape::get(input, &format!("/{i}")).unwrap().unwrap();
    assert_eq!(at(0).raw_json(), "01");
    assert_eq!((at(0).as_u64(), at(0).as_f64()), (None, None));
    assert_eq!(at(1).as_f64(), None);
    assert_eq!((at(2).as_bool(), at(3).is_null()), (None, false));
    assert_eq!((at(4).as_str(), at(5).as_str()), (None, None));
    assert_eq!(at(6).as_i64(), None);
    assert_eq!(at(7).as_f64(), None);
    assert_eq!(at(8).as_str().as_deref(), Some("ok"));
    let err = at(9).parse().unwrap_err();
    assert_eq!((err.kind(), err.offset()), (ErrorKind::ExpectedValue, 60));
    let err = at(10).parse().unwrap_err();
    assert_eq!((err.kind(), err.offset()), (ErrorKind::ExpectedColon, 68));
    // A raw control character in a string found.
    let v = jsontape::get("[\"a\tb\"]", "/0").unwrap().unwrap();
    assert_eq!(v.as_str(), None);
    assert!(v.parse().is_err());
}

/// `get` of a pointer without `~`, on a document whose keys have no
/// escapes, allocates nothing at all.
#[test]
fn get_allocates_nothing() {
    let input = r#"{"statuses": [{"id": 1, "user": {"screen_name": "a", "x": [1, {"y": 2}]}},
        {"id": 2, "user": {"screen_name": "b", "x": "\u00e9\n"}}], "meta": {"count": 2}}"#;
    let (found, allocs) = measure(|| jsontape::get(input, "/statuses/1/user/screen_name"));
    assert_eq!(found.unwrap().unwrap().raw_json(), r#""b""#);
    assert_eq!(allocs.calls(), 0, "{allocs:?}");
    let (found, allocs) = measure(|| jsontape::get(input, "/nope/1"));
    assert!(found.unwrap().is_none());
    assert_eq!(allocs.calls(), 0, "{allocs:?}");
}

/// A sample of pointers of every benchmark corpus file (every file is
/// required when `CI` is set): the first, the last and evenly spaced ones
/// for `get`, more for one `get_many`.
#[test]
fn corpus_pointers_agree() {
    for path in common::bench_files() {
        let input = std::fs::read_to_string(&path).unwrap();
        let mut parser = reference_parser();
        let doc = parser.parse(&input).unwrap();
        let pointers = all_pointers(doc.root());
        let sample = |n: usize, ends: usize| -> Vec<String> {
            let step = pointers.len().div_ceil(n).max(1);
            let mut sample: Vec<String> = pointers.iter().step_by(step).cloned().collect();
            sample.extend(pointers.iter().take(ends).cloned());
            sample.extend(pointers.iter().rev().take(ends).cloned());
            sample
        };
        let for_get = sample(4, 2);
        let mut expected = Vec::new();
        for pointer in &for_get {
            expected.push(doc.pointer(pointer).map(|v| v.raw_json()));
        }
        for backend in backends() {
            let options = Options::new().with_backend(backend);
            for (pointer, want) in for_get.iter().zip(&expected) {
                let got = jsontape::get_with(options, &input, pointer)
                    .unwrap_or_else(|e| panic!("{backend:?} {pointer:?} in {path:?}: {e}"));
                assert_eq!(
                    got.map(|v| v.raw_json()),
                    *want,
                    "{backend:?} {pointer:?} in {path:?}"
                );
            }
        }
        let for_many = sample(400, 20);
        check_many_only(&input, &for_many, &path.display().to_string());
    }
}

/// `get_many` of `pointers` agrees with the parser on every backend.
fn check_many_only(input: &str, pointers: &[String], name: &str) {
    let mut parser = reference_parser();
    let doc = parser.parse(input).unwrap();
    let expected: Vec<Option<&str>> = pointers
        .iter()
        .map(|p| doc.pointer(p).map(|v| v.raw_json()))
        .collect();
    let refs: Vec<&str> = pointers.iter().map(String::as_str).collect();
    for backend in backends() {
        let options = Options::new().with_backend(backend);
        let many = jsontape::get_many_with(options, input, &refs).unwrap();
        for ((pointer, got), want) in pointers.iter().zip(&many).zip(&expected) {
            assert_eq!(
                got.map(|v| v.raw_json()),
                *want,
                "{backend:?} get_many {pointer:?} in {name}"
            );
        }
    }
}

/// Every backend gives the same answer, error or not.
fn same_on_every_backend(
    input: &[u8],
    pointer: &str,
) -> Result<Option<(usize, String)>, (ErrorKind, usize)> {
    let mut answers = backends().into_iter().map(|backend| {
        jsontape::get_with(Options::new().with_backend(backend), input, pointer)
            .map(|v| v.map(|v| (v.offset(), v.raw_json().to_owned())))
            .map_err(|e| (e.kind(), e.offset()))
    });
    let first = answers.next().unwrap();
    for other in answers {
        assert_eq!(
            other,
            first,
            "backends disagree on {pointer:?} in {:?}",
            String::from_utf8_lossy(input)
        );
    }
    first
}

/// Bytes that matter to the walk, for mutations.
const NASTY: &[u8] = b"\"\\{}[]:, \n0-tfnx\x01\xff";

proptest! {
    #![proptest_config(common::strategies::config())]

    /// Random documents: every pointer (up to 40) agrees with the parser on
    /// every backend, and `get_many` of them all too.
    #[test]
    fn random_documents_agree(input in common::strategies::json_document()) {
        let mut parser = reference_parser();
        let mut pointers = all_pointers(parser.parse(&input).unwrap().root());
        let keep = pointers.len().div_ceil(40).max(1);
        pointers = pointers.into_iter().step_by(keep).collect();
        check_pointers(&input, &pointers, false);
    }

    /// Random documents with random pointers, made of the document's own
    /// keys and indexes and some that are not.
    #[test]
    fn random_pointers_agree(
        input in common::strategies::json_document(),
        picks in prop::collection::vec((any::<prop::sample::Index>(), 0..4usize), 1..6),
    ) {
        let mut parser = reference_parser();
        let all = all_pointers(parser.parse(&input).unwrap().root());
        let pointers: Vec<String> = picks.iter().map(|(index, extra)| {
            let base = index.get(&all);
            match extra {
                0 => base.clone(),
                1 => format!("{base}/0"),
                2 => format!("{base}/1/a"),
                _ => base.rsplit_once('/').map_or(String::new(), |(head, _)| head.to_owned()),
            }
        }).collect();
        check_pointers(&input, &pointers, true);
    }

    /// Random bytes of the alphabet that matters to the walk, with random
    /// pointers: no panic, every backend agrees, and where the bytes are
    /// valid JSON, `get` agrees with the parser.
    #[test]
    fn random_bytes_never_panic(
        bytes in prop::collection::vec(prop::sample::select(b"\"\\{}[]:, \n0-1tfnaxu\x01\xff".to_vec()), 0..200),
        pointer in prop::sample::select(vec!["", "/a", "/0", "/1/a", "/a/0/x", "/x", "/-", "/a~1", "bad"]),
    ) {
        let got = same_on_every_backend(&bytes, pointer);
        if let Ok(doc) = jsontape::parse(&bytes) {
            let want = doc.pointer(pointer).map(|v| v.raw_json().to_owned());
            prop_assert_eq!(got.map(|v| v.map(|(_, raw)| raw)), Ok(want));
        }
        let _ = jsontape::get_many(&bytes, &[pointer, "/a/0", "/0/a", ""]);
    }

    /// Mutated and truncated documents: no panic, every backend agrees, and
    /// where the document is still valid, `get` agrees with the parser. A
    /// truncated document whose root is an object is always an error (the
    /// walk reads every object on the path to its end).
    #[test]
    fn malformed_documents_never_panic(
        input in common::strategies::json_document(),
        mutations in prop::collection::vec((any::<prop::sample::Index>(), prop::sample::select(NASTY.to_vec())), 0..4),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
        pick in any::<prop::sample::Index>(),
    ) {
        let mut parser = reference_parser();
        let pointers = all_pointers(parser.parse(&input).unwrap().root());
        let pointer = pick.get(&pointers).clone();
        let root_is_object = input.trim_start().starts_with('{');
        let mut bytes = input.clone().into_bytes();
        for (at, byte) in &mutations {
            let at = at.index(bytes.len());
            bytes[at] = *byte;
        }
        if truncate {
            let trimmed_len = input.trim_end().len();
            bytes.truncate(cut.index(trimmed_len.max(1)));
        }
        let got = same_on_every_backend(&bytes, &pointer);
        if let Ok(doc) = jsontape::parse(&bytes) {
            let want = doc.pointer(&pointer).map(|v| v.raw_json().to_owned());
            let raw = got.clone().map(|v| v.map(|(_, raw)| raw));
            prop_assert_eq!(raw, Ok(want));
        } else if truncate && mutations.is_empty() && root_is_object && !MALFORMED.contains(&pointer.as_str()) {
            prop_assert!(got.is_err(), "truncated {:?} gave {:?}", String::from_utf8_lossy(&bytes), got);
        }
        let many = jsontape::get_many(&bytes, &[pointer.as_str(), "/0", ""]);
        if let (Ok(many), Ok(single)) = (&many, &got) {
            prop_assert_eq!(many[0].map(|v| v.raw_json().to_owned()), single.clone().map(|(_, raw)| raw));
        }
    }
}

/// Raw key texts that collide: `a` three ways (plain, escaped, escaped in
/// part), keys that start like `a`, and the empty key.
const SEARCH_KEYS: &[&str] = &["a", "\\u0061", "a\\u0062", "ab", "ba", "", "\\\"a"];

/// Objects whose members repeat and escape the same few keys, and whose
/// values are often those keys' texts: what a search must tell apart (a key
/// from a value, a key one level deep from one nested deeper, an escaped key
/// from a different one).
fn colliding_json() -> impl Strategy<Value = String> {
    let key = prop::sample::select(SEARCH_KEYS);
    let leaf = prop_oneof![
        key.clone().prop_map(|k| format!("\"{k}\"")),
        Just("1".to_owned()),
        Just("\"}]{[\\\\\"".to_owned()),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec((key.clone(), inner, 0..3usize), 0..6).prop_map(|members| {
                let members: Vec<String> = members
                    .into_iter()
                    .map(|(k, v, ws)| {
                        format!("{}\"{k}\"{}:{v}", " ".repeat(ws * 20), " ".repeat(ws))
                    })
                    .collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    })
}

proptest! {
    #![proptest_config(common::strategies::config())]

    /// A pointer's search of the objects on its path finds what the parser
    /// finds (the last member with the key, decoded), with the document at
    /// every offset of a block.
    #[test]
    fn searches_agree_with_the_parser(
        document in colliding_json(),
        pad in 0..70usize,
        steps in prop::collection::vec(prop::sample::select(vec!["a", "ab", "", "0", "1"]), 1..4),
    ) {
        let input = format!("{}{document}", " ".repeat(pad));
        prop_assume!(jsontape::parse(&input).is_ok());
        let pointers: Vec<String> = (1..=steps.len())
            .map(|n| steps[..n].iter().map(|s| format!("/{s}")).collect())
            .collect();
        check_pointers(&input, &pointers, true);
    }
}
