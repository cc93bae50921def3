//! Differential tests against serde_json (with `float_roundtrip`, so both sides
//! produce correctly rounded floats).
//!
//! For every benchmark corpus file and a set of hand-written documents:
//!
//! 1. the whole tree agrees value by value through the direct accessors
//!    ([`assert_same`]),
//! 2. jsontape's compact output (`Display`) reads back with serde_json as the
//!    same value as the original file, floats compared bit for bit,
//! 3. `raw_json()` of every value at depth 1 and 2 reads back the same way,
//!
//! with a fresh document per file and with one `Parser` reused over all files.

mod common;

use std::path::Path;

use jsontape::{Kind, ValueRef};
use serde_json::{Number, Value};

/// serde_json's kind for a value, in jsontape's terms.
fn serde_kind(s: &Value) -> Kind {
    match s {
        Value::Null => Kind::Null,
        Value::Bool(_) => Kind::Bool,
        Value::Number(_) => Kind::Number,
        Value::String(_) => Kind::String,
        Value::Array(_) => Kind::Array,
        Value::Object(_) => Kind::Object,
    }
}

/// A number's three readings, floats as bits.
fn number_readings(n: &Number) -> (Option<u64>, Option<i64>, Option<u64>) {
    (n.as_u64(), n.as_i64(), n.as_f64().map(f64::to_bits))
}

/// Asserts that jsontape's `v` is the same JSON value as serde_json's `s`, by
/// every accessor. `path` (a JSON Pointer, prefixed with the document name)
/// locates a mismatch.
fn assert_same(v: ValueRef<'_>, s: &Value, path: &str) {
    assert_eq!(v.kind(), serde_kind(s), "{path}: kind");
    // Accessors for the other kinds answer "no".
    assert_eq!(v.is_null(), s.is_null(), "{path}: is_null");
    assert_eq!(v.as_bool(), s.as_bool(), "{path}: as_bool");
    assert_eq!(v.as_str(), s.as_str(), "{path}: as_str");
    if !s.is_number() {
        assert_eq!(
            (v.as_u64(), v.as_i64(), v.as_f64()),
            (None, None, None),
            "{path}: number accessors"
        );
    }
    if !matches!(s, Value::Array(_) | Value::Object(_)) {
        assert_eq!(v.len(), 0, "{path}: len of a scalar");
        assert!(v.is_empty(), "{path}: is_empty of a scalar");
        assert_eq!(v.array_iter().count(), 0, "{path}: array_iter of a scalar");
        assert_eq!(
            v.object_iter().count(),
            0,
            "{path}: object_iter of a scalar"
        );
        assert!(v.at(0).is_none(), "{path}: at(0) of a scalar");
        assert!(v.get("").is_none(), "{path}: get of a scalar");
    }
    match s {
        Value::Null | Value::Bool(_) | Value::String(_) => {}
        Value::Number(n) => {
            let ours = (v.as_u64(), v.as_i64(), v.as_f64().map(f64::to_bits));
            assert_eq!(
                ours,
                number_readings(n),
                "{path}: (as_u64, as_i64, as_f64 bits) of {} (serde_json {n})",
                v.raw_json()
            );
        }
        Value::Array(items) => {
            assert_eq!(v.len(), items.len(), "{path}: array len");
            assert_eq!(v.is_empty(), items.is_empty(), "{path}: array is_empty");
            assert_eq!(
                v.object_iter().count(),
                0,
                "{path}: object_iter of an array"
            );
            assert!(v.get("0").is_none(), "{path}: get on an array");
            let iter = v.array_iter();
            assert_eq!(iter.len(), items.len(), "{path}: array_iter len");
            let mut count = 0;
            for (i, (e, se)) in iter.zip(items).enumerate() {
                assert_same(e, se, &format!("{path}/{i}"));
                count += 1;
            }
            assert_eq!(count, items.len(), "{path}: array_iter count");
            // `at` is a linear walk: spot-check the ends rather than every index.
            if let (Some(first), Some(last)) = (items.first(), items.last()) {
                let n = items.len();
                assert_eq!(
                    v.at(0).map(|e| e.kind()),
                    Some(serde_kind(first)),
                    "{path}: at(0)"
                );
                let at_last = v.at(n - 1).expect("at(len - 1)");
                assert_eq!(at_last.kind(), serde_kind(last), "{path}: at(len - 1)");
                assert_eq!(
                    at_last.to_string(),
                    v.array_iter().last().unwrap().to_string()
                );
            }
            assert!(v.at(items.len()).is_none(), "{path}: at(len)");
        }
        Value::Object(map) => {
            assert_eq!(v.array_iter().count(), 0, "{path}: array_iter of an object");
            assert!(v.at(0).is_none(), "{path}: at on an object");
            let fields: Vec<(&str, ValueRef<'_>)> = v.object_iter().collect();
            assert_eq!(fields.len(), v.len(), "{path}: object_iter count vs len");
            let mut keys: Vec<&str> = fields.iter().map(|&(k, _)| k).collect();
            keys.sort_unstable();
            keys.dedup();
            let duplicates = fields.len() - keys.len();
            if duplicates == 0 {
                assert_eq!(v.len(), map.len(), "{path}: object len");
            } else {
                assert_eq!(
                    v.len(),
                    map.len() + duplicates,
                    "{path}: object len with duplicates"
                );
            }
            // serde_json's map is sorted by key: compare key sets.
            let serde_keys: Vec<&str> = map.keys().map(String::as_str).collect();
            assert_eq!(keys, serde_keys, "{path}: key sets");
            for (key, se) in map {
                let child = format!("{path}/{}", key.replace('~', "~0").replace('/', "~1"));
                let got = v
                    .get(key)
                    .unwrap_or_else(|| panic!("{child}: get({key:?}) is None"));
                // get() is the last field of that name in object_iter.
                let (_, last) = fields.iter().rev().find(|(k, _)| k == key).unwrap();
                assert!(
                    std::ptr::eq(got.raw_json(), last.raw_json()),
                    "{child}: get() and the last object_iter field differ"
                );
                assert_same(got, se, &child);
            }
            assert!(
                v.get("\u{0}no such key\u{0}").is_none(),
                "{path}: get of a missing key"
            );
        }
    }
}

/// serde_json values equal, with floats compared bit for bit (serde_json's own
/// `==` says `-0.0 == 0.0`). Returns the path of the first difference.
fn same_bits(a: &Value, b: &Value, path: &str) -> Result<(), String> {
    let differ = || {
        Err(format!(
            "{path}: {} vs {}",
            clip(&a.to_string()),
            clip(&b.to_string())
        ))
    };
    match (a, b) {
        (Value::Null, Value::Null) => Ok(()),
        (Value::Bool(x), Value::Bool(y)) if x == y => Ok(()),
        (Value::String(x), Value::String(y)) if x == y => Ok(()),
        (Value::Number(x), Value::Number(y)) if number_readings(x) == number_readings(y) => {
            // Integer vs float of the same value would have different readings.
            if x.is_f64() == y.is_f64() {
                Ok(())
            } else {
                differ()
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                same_bits(p, q, &format!("{path}/{i}"))?;
            }
            Ok(())
        }
        (Value::Object(x), Value::Object(y)) if x.len() == y.len() => {
            for ((kx, p), (ky, q)) in x.iter().zip(y) {
                if kx != ky {
                    return Err(format!("{path}: key {kx:?} vs {ky:?}"));
                }
                same_bits(p, q, &format!("{path}/{kx}"))?;
            }
            Ok(())
        }
        _ => differ(),
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

/// Whether `json` has whitespace outside its strings.
fn has_insignificant_whitespace(json: &str) -> bool {
    let (mut in_string, mut escaped) = (false, false);
    for b in json.bytes() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else if b == b'"' {
            in_string = true;
        } else if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
            return true;
        }
    }
    false
}

fn serde_parse(text: &[u8], what: &str) -> Value {
    serde_json::from_slice(text).unwrap_or_else(|e| panic!("{what}: serde_json rejects it: {e}"))
}

/// Checks 2 and 3 of the module docs for one document.
fn assert_text_round_trips(root: ValueRef<'_>, expected: &Value, name: &str) {
    // Compact output reads back as the original value.
    let compact = root.to_string();
    let reread = serde_parse(compact.as_bytes(), &format!("{name}: compact output"));
    if let Err(diff) = same_bits(&reread, expected, name) {
        panic!("{name}: compact output reads back differently at {diff}");
    }
    assert!(
        !has_insignificant_whitespace(&compact),
        "{name}: compact output has whitespace: {}",
        clip(&compact)
    );
    // The raw text of every value at depth 1 and 2 reads back as that value.
    let check_raw = |v: ValueRef<'_>, s: &Value, path: &str| {
        let raw = v.raw_json();
        let reread = serde_parse(raw.as_bytes(), &format!("{name}{path}: raw_json"));
        if let Err(diff) = same_bits(&reread, s, path) {
            panic!(
                "{name}{path}: raw_json {:?} reads back differently at {diff}",
                clip(raw)
            );
        }
        let compact = v.to_string();
        // Without whitespace to drop, Display is the raw text.
        if !has_insignificant_whitespace(raw) {
            assert!(
                compact == raw,
                "{name}{path}: Display differs from raw_json {:?}",
                clip(raw)
            );
        }
        let reread = serde_parse(compact.as_bytes(), &format!("{name}{path}: Display"));
        if let Err(diff) = same_bits(&reread, s, path) {
            panic!(
                "{name}{path}: Display {:?} reads back differently at {diff}",
                clip(&compact)
            );
        }
    };
    let children = |v: ValueRef<'_>,
                    s: &Value,
                    path: &str,
                    f: &mut dyn FnMut(ValueRef<'_>, &Value, String)| {
        match s {
            Value::Array(items) => {
                for (i, (e, se)) in v.array_iter().zip(items).enumerate() {
                    f(e, se, format!("{path}/{i}"));
                }
            }
            Value::Object(map) => {
                for (key, se) in map {
                    f(v.get(key).unwrap(), se, format!("{path}/{key}"));
                }
            }
            _ => {}
        }
    };
    children(root, expected, "", &mut |v1, s1, p1| {
        check_raw(v1, s1, &p1);
        children(v1, s1, &p1, &mut |v2, s2, p2| check_raw(v2, s2, &p2));
    });
}

/// Everything, for one document given as text.
fn check_document(root: ValueRef<'_>, bytes: &[u8], name: &str) {
    let expected = serde_parse(bytes, name);
    assert_same(root, &expected, name);
    assert_text_round_trips(root, &expected, name);
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn bench_files_match_serde_json() {
    let files = common::bench_files();
    for path in &files {
        let name = file_name(path);
        let bytes = std::fs::read(path).unwrap();
        let doc = jsontape::parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        check_document(doc.root(), &bytes, &name);
    }
}

#[test]
fn reused_parser_matches_serde_json() {
    let files: Vec<(String, Vec<u8>)> = common::bench_files()
        .iter()
        .map(|p| (file_name(p), std::fs::read(p).unwrap()))
        .collect();
    let mut parser = jsontape::Parser::new();
    for round in 1..=2 {
        for (name, bytes) in &files {
            let name = format!("{name} (reused parser, round {round})");
            let doc = parser
                .parse(bytes)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            check_document(doc.root(), bytes, &name);
        }
        // Interleave a small document and an error, so the next round starts
        // from a parser whose buffers held something else.
        assert!(parser.parse("[1, {\"a\": \"\\n\"}]").is_ok());
        assert!(parser.parse("[1, {\"a\": \"\\n\"},]").is_err());
    }
}

/// Numbers where integer/float boundaries, signs and rounding matter.
const TRICKY_NUMBERS: &[&str] = &[
    "0",
    "-0",
    "0.0",
    "-0.0",
    "-0e0",
    "0e-5",
    "1e-400",
    "-1e-400",
    "123.456e-789",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "-9223372036854775809",
    "9223372036854775807",
    "9223372036854775808",
    "100000000000000000000",
    "-123123123123123123123123123123",
    "0.1",
    "0.30000000000000004",
    "5e-324",
    "2.4703282292062327e-324",
    "2.4703282292062328e-324",
    "2.2250738585072011e-308",
    "2.2250738585072014e-308",
    "1.7976931348623157e308",
    "1.7976931348623158e308",
    "3.141592653589793238462643383279",
    "1E6",
    "1e+2",
    "1.0",
    "1.000000000000000005",
    "9007199254740993",
    "-9007199254740993",
    "10000000000000000999",
    "0.0000000000000000000000000000000000000000001e43",
    "12345678901234567890123456789e-20",
    // Rounding edge cases for the float slow path: exact halfway points (ties
    // to even), one ulp past them, many significant digits, subnormals.
    "1e23",
    "8.98846567431158e307",
    "4.9406564584124654e-324",
    "1e-323",
    "7.038531e-26",
    "9007199254740992.5",
    "9007199254740993.0000000000000000001",
    "1.00000000000000011102230246251565404236316680908203125",
    "1.00000000000000011102230246251565404236316680908203126",
    "1.00000000000000011102230246251565404236316680908203124",
    "2.225073858507201136057409796709131975934819546351645648e-308",
    "179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368",
    "0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000247032822920623272088284396434110686182529901307162382212792841250337753635104375932649918180817996189898282347722858865463328355177969898199387398005390939063150356595155702263922908583924491051844359318028499365361525003193704576782492193656236698636584807570015857692699037063119282795585513329278343384093519780155312465972635795746227664652728272200563740064854999770965994704540208281662262378573934507363390079677619305775067401763246736009689513405355374585166611342237666786041621596804619144672918403005300575308490487653917113865916462395249126236538818796362393732804238910186723484976682350898633885879256283027559956575244555072551893136908362547791869486679949683240497058210285131854513962138377228261454376934125320985913276672363281255",
];

/// Strings with every kind of escape and non-ASCII text.
const TRICKY_STRINGS: &[&str] = &[
    r#""""#,
    r#""plain""#,
    r#""\"\\\/\b\f\n\r\t""#,
    r#""\u0000""#,
    r#""a\u0000b""#,
    r#""\u001f\u0020\u007f""#,
    r#""\u00e9 é \u00E9""#,
    r#""\ud83d\ude00""#,
    r#""\uD834\uDD1E""#,
    r#""😀 ✓ 日本語 ﻿""#,
    r#""\u2028\u2029""#,
    r#""\uffff\ufffe""#,
    r#""x\\u0041""#,
    r#""\\""#,
    r#""\/\/""#,
    r#""tab\there\nnewline""#,
    r#""mixed 😀 and \ud83d\ude00 and \u0041""#,
];

/// Whole documents: keys with escapes, duplicates, nesting, whitespace.
const TRICKY_DOCUMENTS: &[&str] = &[
    "[]",
    "{}",
    " [ ] ",
    "\t{\r\n}\n",
    r#"{"a\u0062": 1, "\ud83d\ude00": 2, "": 3, "a/b~c": [4]}"#,
    r#"{"a": 1, "b": 2, "a": 3}"#,
    r#"{"a": {"x": 1}, "a": {"y": -0}}"#,
    r#"[[[[[]]]], {"": {"": {"": null}}}]"#,
    r#"[true, false, null, 0, -0, "", [], {}]"#,
    "[ 1 , 2.50 ,\n  -3e1 , \"a b\" , { \"k\" : [ ] } ]",
    r#"{"é": "e\u0301", "e\u0301": "é"}"#,
    // Arrays that start with numbers and go on with values of other kinds
    // (stage 2 reads leading numbers without a stack frame, then hands over).
    r#"[1, 2, "a", 3, [4, 5], 6, {"k": [7]}, [], [[8], 9], 10]"#,
    "[[1,2],[3,[4,[]]],[5,null,6],[-0.5,[1e3]],[[],[[]]]]",
    r#"{"a": [0], "b": [1, [2, "x"], 3]}"#,
];

fn check_text(text: &str, name: &str) {
    let doc = jsontape::parse(text).unwrap_or_else(|e| panic!("{name}: {text:?}: {e}"));
    check_document(doc.root(), text.as_bytes(), &format!("{name} {text:?}"));
}

#[test]
fn tricky_numbers_match_serde_json() {
    for &n in TRICKY_NUMBERS {
        check_text(n, "number");
        check_text(&format!("[{n}]"), "number in array");
        check_text(
            &format!("{{\"n\": {n}, \"m\": [ {n} , {n} ]}}"),
            "number in object",
        );
    }
}

#[test]
fn tricky_numbers_read_as_documented() {
    let root = |text: &str| {
        let doc = jsontape::parse(text).unwrap();
        let v = doc.root();
        (v.as_u64(), v.as_i64(), v.as_f64().map(f64::to_bits))
    };
    let float = |x: f64| (None, None, Some(x.to_bits()));
    assert_eq!(root("-0"), float(-0.0));
    assert_eq!(root("1e-400"), float(0.0));
    assert_eq!(root("-1e-400"), float(-0.0));
    assert_eq!(
        root("18446744073709551615"),
        (Some(u64::MAX), None, Some((u64::MAX as f64).to_bits()))
    );
    assert_eq!(root("18446744073709551616"), float(18446744073709551616.0));
    assert_eq!(
        root("-9223372036854775808"),
        (None, Some(i64::MIN), Some((i64::MIN as f64).to_bits()))
    );
    assert_eq!(root("-9223372036854775809"), float(-9223372036854775809.0));
    assert_eq!(
        root("9223372036854775807"),
        (
            Some(i64::MAX as u64),
            Some(i64::MAX),
            Some((i64::MAX as f64).to_bits())
        )
    );
    assert_eq!(root("0.1"), float(0.1));
    assert_eq!(root("5e-324"), float(f64::from_bits(1)));
    assert_eq!(root("1.7976931348623157e308"), float(f64::MAX));
    assert_eq!(
        root("3.141592653589793238462643383279"),
        float(std::f64::consts::PI)
    );
    for out_of_range in ["1e400", "-1e400", "1.7976931348623159e308"] {
        let err = jsontape::parse(out_of_range).unwrap_err();
        assert_eq!(
            err.kind(),
            jsontape::ErrorKind::NumberOutOfRange,
            "{out_of_range}"
        );
        assert!(
            serde_json::from_str::<Value>(out_of_range).is_err(),
            "{out_of_range}"
        );
    }
    // Display keeps the input spelling, so -0 stays negative.
    let doc = jsontape::parse("[ -0 , -0.0 ]").unwrap();
    assert_eq!(doc.root().to_string(), "[-0,-0.0]");
}

#[test]
fn tricky_strings_match_serde_json() {
    for &s in TRICKY_STRINGS {
        check_text(s, "string");
        check_text(&format!("[{s}, {s}]"), "string in array");
        check_text(&format!("{{{s}: {s}, \"k\": [{s}]}}"), "string as key");
    }
    let doc =
        jsontape::parse(r#"["\u0000", "\ud83d\ude00", "\u00e9", "\"\\\/\b\f\n\r\t"]"#).unwrap();
    let strings: Vec<&str> = doc
        .root()
        .array_iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(strings, ["\0", "😀", "é", "\"\\/\u{8}\u{c}\n\r\t"]);
}

#[test]
fn tricky_documents_match_serde_json() {
    for &d in TRICKY_DOCUMENTS {
        check_text(d, "document");
    }
}

/// Strings and numbers whose raw length reaches the tape's 24-bit length field
/// (`STR_LONG`, and the saturated length of escaped strings and numbers). The
/// expected raw and compact texts are built alongside the input rather than
/// re-read with serde_json, which is slow on 16 MiB tokens in a debug build.
#[test]
fn very_long_tokens_match_serde_json() {
    const LONG: usize = (1 << 24) + 5;
    let plain = format!("\"{}\"", "a".repeat(LONG));
    let escaped = format!("\"{}\\n\\u00e9\\ud83d\\ude00\"", "b".repeat(LONG));
    let number = format!("0.{}1", "0".repeat(LONG));
    let object = format!("{{ {escaped} : {plain} }}");
    let object_compact = format!("{{{escaped}:{plain}}}");
    let parts = [&plain, &escaped, &number, &object, "7"];
    let text = format!("[ {} ]", parts.join(" ,\n "));
    let compact = format!("[{plain},{escaped},{number},{object_compact},7]");

    let doc = jsontape::parse(&text).unwrap();
    let root = doc.root();
    let expected = serde_parse(text.as_bytes(), "long tokens");
    assert_same(root, &expected, "long tokens");
    assert!(root.to_string() == compact, "long tokens: Display");
    for (i, (v, part)) in root.array_iter().zip(parts).enumerate() {
        assert!(v.raw_json() == part, "long tokens/{i}: raw_json");
    }
    let (key, value) = root.at(3).unwrap().object_iter().next().unwrap();
    assert_eq!(key.len(), LONG + 1 + 2 + 4);
    assert!(key.ends_with("b\né😀"), "long tokens: unescaped key");
    assert!(value.raw_json() == plain, "long tokens/3: value raw_json");
    assert!(value.to_string() == plain, "long tokens/3: value Display");
    assert_eq!(root.at(0).unwrap().as_str().map(str::len), Some(LONG));
    assert_eq!(root.at(2).unwrap().as_f64().map(f64::to_bits), Some(0));
    assert_eq!(root.at(4).unwrap().as_u64(), Some(7));
}
