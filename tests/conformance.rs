//! JSONTestSuite conformance (<https://github.com/nst/JSONTestSuite>, read from
//! the shared corpus, never copied into the repository).
//!
//! * every `y_` file parses,
//! * every `n_` file fails, with a sane error position and message,
//! * every `i_` file has an explicit, pinned decision in [`I_DECISIONS`] (the
//!   table in the crate docs of `src/lib.rs`), and a new `i_` file with no
//!   decision fails the test,
//! * every `test_transform` file parses or fails without panicking, with a
//!   pinned outcome in [`TRANSFORM_OUTCOMES`], and agrees with serde_json on
//!   accept/reject and (when accepted) on the value,
//! * the `y_`/`n_` split agrees with serde_json's.
//!
//! Each test collects every failure and reports them all at once.

mod common;

use std::path::{Path, PathBuf};

use jsontape::ErrorKind;

/// What jsontape does with an implementation-defined (`i_`) file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    Accept,
    Reject(ErrorKind),
}

use Decision::{Accept, Reject};

/// The pinned decision for every `i_` file of JSONTestSuite, grouped as in
/// the conformance table of the crate docs (`src/lib.rs`).
#[rustfmt::skip]
const I_DECISIONS: &[(&str, Decision)] = &[
    // Exponent underflow: accepted, as 0.0.
    ("i_number_double_huge_neg_exp.json", Accept),
    ("i_number_real_underflow.json", Accept),
    // Magnitude beyond f64: NumberOutOfRange.
    ("i_number_huge_exp.json", Reject(ErrorKind::NumberOutOfRange)),
    ("i_number_neg_int_huge_exp.json", Reject(ErrorKind::NumberOutOfRange)),
    ("i_number_pos_double_huge_exp.json", Reject(ErrorKind::NumberOutOfRange)),
    ("i_number_real_neg_overflow.json", Reject(ErrorKind::NumberOutOfRange)),
    ("i_number_real_pos_overflow.json", Reject(ErrorKind::NumberOutOfRange)),
    // Integers beyond 64 bits: accepted, as the nearest f64.
    ("i_number_too_big_neg_int.json", Accept),
    ("i_number_too_big_pos_int.json", Accept),
    ("i_number_very_big_negative_int.json", Accept),
    // Lone, truncated, inverted or mismatched surrogates in \u escapes.
    ("i_object_key_lone_2nd_surrogate.json", Reject(ErrorKind::LoneSurrogate)),
    ("i_string_1st_surrogate_but_2nd_missing.json", Reject(ErrorKind::LoneSurrogate)),
    ("i_string_1st_valid_surrogate_2nd_invalid.json", Reject(ErrorKind::LoneSurrogate)),
    ("i_string_incomplete_surrogate_and_escape_valid.json", Reject(ErrorKind::LoneSurrogate)),
    ("i_string_incomplete_surrogate_pair.json", Reject(ErrorKind::LoneSurrogate)),
    ("i_string_incomplete_surrogates_escape_valid.json", Reject(ErrorKind::LoneSurrogate)),
    ("i_string_invalid_lonely_surrogate.json", Reject(ErrorKind::LoneSurrogate)),
    ("i_string_invalid_surrogate.json", Reject(ErrorKind::LoneSurrogate)),
    ("i_string_inverted_surrogates_U+1D11E.json", Reject(ErrorKind::LoneSurrogate)),
    ("i_string_lone_second_surrogate.json", Reject(ErrorKind::LoneSurrogate)),
    // Invalid UTF-8 (the whole input is validated before parsing).
    ("i_string_UTF-8_invalid_sequence.json", Reject(ErrorKind::InvalidUtf8)),
    ("i_string_UTF8_surrogate_U+D800.json", Reject(ErrorKind::InvalidUtf8)),
    ("i_string_invalid_utf-8.json", Reject(ErrorKind::InvalidUtf8)),
    ("i_string_iso_latin_1.json", Reject(ErrorKind::InvalidUtf8)),
    ("i_string_lone_utf8_continuation_byte.json", Reject(ErrorKind::InvalidUtf8)),
    ("i_string_not_in_unicode_range.json", Reject(ErrorKind::InvalidUtf8)),
    ("i_string_overlong_sequence_2_bytes.json", Reject(ErrorKind::InvalidUtf8)),
    ("i_string_overlong_sequence_6_bytes.json", Reject(ErrorKind::InvalidUtf8)),
    ("i_string_overlong_sequence_6_bytes_null.json", Reject(ErrorKind::InvalidUtf8)),
    ("i_string_truncated-utf-8.json", Reject(ErrorKind::InvalidUtf8)),
    // UTF-16 input. All three fail UTF-8 validation before any JSON is read:
    // the BOM FF FE is never UTF-8, and without a BOM the `é` (E9 00 / 00 E9)
    // is a truncated sequence. (Their NUL bytes alone would be valid UTF-8;
    // ExpectedValue would be the answer then.)
    ("i_string_UTF-16LE_with_BOM.json", Reject(ErrorKind::InvalidUtf8)),
    ("i_string_utf16BE_no_BOM.json", Reject(ErrorKind::InvalidUtf8)),
    ("i_string_utf16LE_no_BOM.json", Reject(ErrorKind::InvalidUtf8)),
    // A UTF-8 byte order mark is not whitespace (RFC 8259 forbids sending it).
    ("i_structure_UTF-8_BOM_empty_object.json", Reject(ErrorKind::ExpectedValue)),
    // Depth 500 is within the default limit of 1024.
    ("i_structure_500_nested_arrays.json", Accept),
];

/// The files of a corpus directory, sorted by name.
fn files_in(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, path)
        })
        .filter(|(name, path)| name.ends_with(".json") && path.is_file())
        .collect();
    files.sort();
    files
}

/// The `test_parsing` files whose names start with `prefix`, with contents.
fn parsing_files(prefix: &str) -> Option<Vec<(String, Vec<u8>)>> {
    let dir = common::corpus_subdir("conformance/JSONTestSuite/test_parsing")?;
    let files: Vec<(String, Vec<u8>)> = files_in(&dir)
        .into_iter()
        .filter(|(name, _)| name.starts_with(prefix))
        .map(|(name, path)| {
            let bytes = std::fs::read(&path).unwrap();
            (name, bytes)
        })
        .collect();
    assert!(!files.is_empty(), "no {prefix}* files in {}", dir.display());
    Some(files)
}

/// Panics listing every failure, if there are any.
fn report(what: &str, checked: usize, failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} of {checked} {what} failed:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

/// Runs the checks of one file, recording a panic as a failure of that file
/// rather than ending the test, so every failing file is listed.
fn per_file(name: &str, failures: &mut Vec<String>, check: impl FnOnce(&mut Vec<String>)) {
    let mut found = Vec::new();
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&mut found)));
    failures.extend(found);
    if run.is_err() {
        failures.push(format!("{name}: panicked"));
    }
}

/// Walks every value of a document through the accessors and `Display`, so a
/// parse that "succeeds" into a broken tape is caught too.
fn touch_all(v: jsontape::ValueRef<'_>) -> usize {
    let _ = (
        v.kind(),
        v.is_null(),
        v.as_bool(),
        v.as_i64(),
        v.as_u64(),
        v.as_f64(),
        v.as_str(),
    );
    let _ = v.raw_json();
    let mut count = 1;
    for e in v.array_iter() {
        count += touch_all(e);
    }
    for (_, e) in v.object_iter() {
        count += touch_all(e);
    }
    count
}

#[test]
fn y_files_are_accepted() {
    let Some(files) = parsing_files("y_") else {
        return;
    };
    let mut failures = Vec::new();
    for (name, bytes) in &files {
        per_file(name, &mut failures, |failures| {
            match jsontape::parse(bytes) {
                Ok(doc) => {
                    touch_all(doc.root());
                    // The compact form is valid JSON for the same value; `{:?}` of
                    // serde_json's value shows floats exactly (-0.0 included).
                    let compact = doc.root().to_string();
                    if let Err(e) = jsontape::parse(&compact) {
                        failures.push(format!("{name}: compact output {compact:?} rejected: {e}"));
                    }
                    let reread = serde_json::from_str::<serde_json::Value>(&compact);
                    let original = serde_json::from_slice::<serde_json::Value>(bytes);
                    if let (Ok(reread), Ok(original)) = (reread, original)
                        && format!("{reread:?}") != format!("{original:?}")
                    {
                        failures.push(format!(
                            "{name}: compact output {compact:?} is {reread:?}, not {original:?}"
                        ));
                    }
                }
                Err(e) => failures.push(format!("{name}: rejected: {e} ({:?})", e.kind())),
            }
        });
    }
    report("y_ files", files.len(), &failures);
}

#[test]
fn n_files_are_rejected_with_sane_errors() {
    let Some(files) = parsing_files("n_") else {
        return;
    };
    let mut failures = Vec::new();
    for (name, bytes) in &files {
        per_file(name, &mut failures, |failures| {
            match jsontape::parse(bytes) {
                Ok(doc) => failures.push(format!("{name}: accepted as {}", doc.root())),
                Err(e) => {
                    if e.offset() > bytes.len() {
                        failures.push(format!(
                            "{name}: offset {} beyond input length {}",
                            e.offset(),
                            bytes.len()
                        ));
                    }
                    if e.line() < 1 || e.column() < 1 {
                        failures.push(format!(
                            "{name}: line {} column {} not 1-based",
                            e.line(),
                            e.column()
                        ));
                    }
                    let message = e.to_string();
                    let kind_message = e.kind().to_string();
                    let _ = format!("{e:?}");
                    if !message.starts_with(&kind_message) {
                        failures.push(format!(
                            "{name}: message {message:?} does not start with {kind_message:?}"
                        ));
                    }
                    let position = format!("at line {} column {}", e.line(), e.column());
                    if !message.ends_with(&position) {
                        failures.push(format!(
                            "{name}: message {message:?} does not end with {position:?}"
                        ));
                    }
                }
            }
        });
    }
    report("n_ files", files.len(), &failures);
}

#[test]
fn i_decision_table_has_no_duplicates() {
    for (i, (name, _)) in I_DECISIONS.iter().enumerate() {
        assert!(
            name.starts_with("i_") && name.ends_with(".json"),
            "bad entry {name}"
        );
        assert!(
            !I_DECISIONS[..i].iter().any(|(n, _)| n == name),
            "{name} is in I_DECISIONS twice"
        );
    }
}

#[test]
fn i_files_follow_pinned_decisions() {
    let Some(files) = parsing_files("i_") else {
        return;
    };
    let mut failures = Vec::new();
    for (name, bytes) in &files {
        let Some(&(_, expected)) = I_DECISIONS.iter().find(|(n, _)| n == name) else {
            let actual = match jsontape::parse(bytes) {
                Ok(_) => "Accept".to_string(),
                Err(e) => format!("Reject(ErrorKind::{:?})", e.kind()),
            };
            failures.push(format!(
                "{name}: no pinned decision in I_DECISIONS (currently {actual})"
            ));
            continue;
        };
        per_file(name, &mut failures, |failures| {
            let actual = match jsontape::parse(bytes) {
                Ok(doc) => {
                    touch_all(doc.root());
                    let _ = doc.root().to_string();
                    Accept
                }
                Err(e) => {
                    let _ = e.to_string();
                    Reject(e.kind())
                }
            };
            if actual != expected {
                failures.push(format!("{name}: expected {expected:?}, got {actual:?}"));
            }
        });
    }
    // A table entry whose file has gone is stale.
    for (name, _) in I_DECISIONS {
        if !files.iter().any(|(n, _)| n == name) {
            failures.push(format!("{name}: in I_DECISIONS but not in the suite"));
        }
    }
    report("i_ files", files.len(), &failures);
}

/// The accepted `i_` values, beyond accept/reject: what the crate documents.
#[test]
fn i_accepted_values_are_as_documented() {
    let Some(files) = parsing_files("i_") else {
        return;
    };
    let first = |name: &str| -> f64 {
        let (_, bytes) = files.iter().find(|(n, _)| n == name).unwrap();
        let doc = jsontape::parse(bytes).unwrap();
        let v = doc.root().at(0).unwrap();
        assert_eq!(v.as_i64(), None, "{name}");
        assert_eq!(v.as_u64(), None, "{name}");
        v.as_f64().unwrap()
    };
    // Underflow: 0.0 (positive zero).
    assert_eq!(
        first("i_number_double_huge_neg_exp.json").to_bits(),
        0.0f64.to_bits()
    );
    assert_eq!(
        first("i_number_real_underflow.json").to_bits(),
        0.0f64.to_bits()
    );
    // Beyond 64 bits: the nearest f64, as str::parse gives it.
    for (name, text) in [
        (
            "i_number_too_big_neg_int.json",
            "-123123123123123123123123123123",
        ),
        ("i_number_too_big_pos_int.json", "100000000000000000000"),
        (
            "i_number_very_big_negative_int.json",
            "-237462374673276894279832749832423479823246327846",
        ),
    ] {
        let expected: f64 = text.parse().unwrap();
        assert_eq!(first(name).to_bits(), expected.to_bits(), "{name}");
    }
    // 500 nested arrays.
    let (_, bytes) = files
        .iter()
        .find(|(n, _)| n == "i_structure_500_nested_arrays.json")
        .unwrap();
    let doc = jsontape::parse(bytes).unwrap();
    let mut depth = 1;
    let mut v = doc.root();
    while let Some(inner) = v.at(0) {
        depth += 1;
        v = inner;
    }
    assert_eq!(depth, 500);
}

/// serde_json's accept/reject for a file.
fn serde_accepts(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(bytes).is_ok()
}

/// A one-line description of what jsontape read, for pinning: numbers by all
/// three accessors (`{:?}` of an `f64` tells `-0.0` from `0.0`), strings
/// unescaped, objects field by field in document order and then by `get`.
fn summary(v: jsontape::ValueRef<'_>) -> String {
    use jsontape::Kind;
    match v.kind() {
        Kind::Null => "null".to_string(),
        Kind::Bool => format!("{}", v.as_bool().unwrap()),
        Kind::Number => format!(
            "u64={:?} i64={:?} f64={:?}",
            v.as_u64(),
            v.as_i64(),
            v.as_f64()
        ),
        Kind::String => format!("str={:?}", v.as_str().unwrap()),
        Kind::Array => {
            let items: Vec<String> = v.array_iter().map(summary).collect();
            format!("[{}]", items.join(", "))
        }
        Kind::Object => {
            let fields: Vec<String> = v
                .object_iter()
                .map(|(k, e)| format!("{k:?}: {}", summary(e)))
                .collect();
            let mut keys: Vec<&str> = Vec::new();
            for (k, _) in v.object_iter() {
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
            let got: Vec<String> = keys
                .iter()
                .map(|k| format!("get({k:?}) = {}", summary(v.get(k).unwrap())))
                .collect();
            format!("{{{}}} {}", fields.join(", "), got.join(", "))
        }
    }
}

/// What jsontape reads from each `test_transform` file, pinned. Every outcome
/// agrees with serde_json on accept/reject (checked below); where both accept,
/// the values agree too, except where serde_json's map cannot say: jsontape
/// keeps duplicate keys visible through `object_iter` and `len` (serde_json
/// keeps only the last), while `get` answers the last value, as serde_json
/// does. Keys are not Unicode-normalized (NFC and NFD spellings of "é" are two
/// keys, as in serde_json).
///
/// The reject kinds differ in wording from serde_json's messages only:
/// serde_json says "unexpected end of hex escape" / "lone leading surrogate in
/// hex escape" for the escaped surrogates, and "invalid unicode code point" for
/// the UTF-8-encoded surrogates (ED A0 80).
#[rustfmt::skip]
const TRANSFORM_OUTCOMES: &[(&str, Result<&str, ErrorKind>)] = &[
    ("number_-9223372036854775808.json", Ok("[u64=None i64=Some(-9223372036854775808) f64=Some(-9.223372036854776e18)]")),
    ("number_-9223372036854775809.json", Ok("[u64=None i64=None f64=Some(-9.223372036854776e18)]")),
    ("number_1.0.json", Ok("[u64=None i64=None f64=Some(1.0)]")),
    ("number_1.000000000000000005.json", Ok("[u64=None i64=None f64=Some(1.0)]")),
    ("number_1000000000000000.json", Ok("[u64=Some(1000000000000000) i64=Some(1000000000000000) f64=Some(1000000000000000.0)]")),
    ("number_10000000000000000999.json", Ok("[u64=Some(10000000000000000999) i64=None f64=Some(1e19)]")),
    ("number_1e-999.json", Ok("[u64=None i64=None f64=Some(0.0)]")),
    ("number_1e6.json", Ok("[u64=None i64=None f64=Some(1000000.0)]")),
    ("number_9223372036854775807.json", Ok("[u64=Some(9223372036854775807) i64=Some(9223372036854775807) f64=Some(9.223372036854776e18)]")),
    ("number_9223372036854775808.json", Ok("[u64=Some(9223372036854775808) i64=None f64=Some(9.223372036854776e18)]")),
    ("object_key_nfc_nfd.json", Ok("{\"é\": str=\"NFC\", \"e\\u{301}\": str=\"NFD\"} get(\"é\") = str=\"NFC\", get(\"e\\u{301}\") = str=\"NFD\"")),
    ("object_key_nfd_nfc.json", Ok("{\"e\\u{301}\": str=\"NFD\", \"é\": str=\"NFC\"} get(\"e\\u{301}\") = str=\"NFD\", get(\"é\") = str=\"NFC\"")),
    ("object_same_key_different_values.json", Ok("{\"a\": u64=Some(1) i64=Some(1) f64=Some(1.0), \"a\": u64=Some(2) i64=Some(2) f64=Some(2.0)} get(\"a\") = u64=Some(2) i64=Some(2) f64=Some(2.0)")),
    ("object_same_key_same_value.json", Ok("{\"a\": u64=Some(1) i64=Some(1) f64=Some(1.0), \"a\": u64=Some(1) i64=Some(1) f64=Some(1.0)} get(\"a\") = u64=Some(1) i64=Some(1) f64=Some(1.0)")),
    ("object_same_key_unclear_values.json", Ok("{\"a\": u64=Some(0) i64=Some(0) f64=Some(0.0), \"a\": u64=None i64=None f64=Some(-0.0)} get(\"a\") = u64=None i64=None f64=Some(-0.0)")),
    ("string_1_escaped_invalid_codepoint.json", Err(ErrorKind::LoneSurrogate)),
    ("string_1_invalid_codepoint.json", Err(ErrorKind::InvalidUtf8)),
    ("string_2_escaped_invalid_codepoints.json", Err(ErrorKind::LoneSurrogate)),
    ("string_2_invalid_codepoints.json", Err(ErrorKind::InvalidUtf8)),
    ("string_3_escaped_invalid_codepoints.json", Err(ErrorKind::LoneSurrogate)),
    ("string_3_invalid_codepoints.json", Err(ErrorKind::InvalidUtf8)),
    ("string_with_escaped_NULL.json", Ok("[str=\"A\\0B\"]")),
];

/// `test_transform` files: no panic, the pinned outcome, the same
/// accept/reject as serde_json, and (when accepted) the same values as
/// serde_json, floats bit for bit.
#[test]
fn transform_files_are_pinned_and_agree_with_serde_json() {
    let Some(dir) = common::corpus_subdir("conformance/JSONTestSuite/test_transform") else {
        return;
    };
    let files = files_in(&dir);
    assert!(!files.is_empty(), "no files in {}", dir.display());
    let mut failures = Vec::new();
    for (name, path) in &files {
        let bytes = std::fs::read(path).unwrap();
        let outcome = std::panic::catch_unwind(|| match jsontape::parse(&bytes) {
            Ok(doc) => {
                touch_all(doc.root());
                Ok((summary(doc.root()), doc.root().to_string()))
            }
            Err(e) => {
                let _ = e.to_string();
                Err(e.kind())
            }
        });
        let Ok(outcome) = outcome else {
            failures.push(format!("{name}: jsontape panicked"));
            continue;
        };
        let theirs = serde_json::from_slice::<serde_json::Value>(&bytes);
        if outcome.is_ok() != theirs.is_ok() {
            failures.push(format!(
                "{name}: jsontape accepts={}, serde_json accepts={}",
                outcome.is_ok(),
                theirs.is_ok()
            ));
        }
        if let (Ok((_, compact)), Ok(theirs)) = (&outcome, &theirs) {
            // `{:?}` of serde_json's value shows floats exactly (-0.0 included).
            match serde_json::from_str::<serde_json::Value>(compact) {
                Ok(reread) if format!("{reread:?}") == format!("{theirs:?}") => {}
                Ok(reread) => failures.push(format!(
                    "{name}: compact output reads back as {reread:?}, serde_json read {theirs:?}"
                )),
                Err(e) => {
                    failures.push(format!("{name}: compact output {compact:?} rejected: {e}"))
                }
            }
        }
        let actual: Result<&str, ErrorKind> = match &outcome {
            Ok((summary, _)) => Ok(summary),
            Err(kind) => Err(*kind),
        };
        match TRANSFORM_OUTCOMES.iter().find(|(n, _)| n == name) {
            Some((_, expected)) if *expected == actual => {}
            Some((_, expected)) => {
                failures.push(format!("{name}: expected {expected:?}, got {actual:?}"))
            }
            None => failures.push(format!("{name}: no pinned outcome, currently {actual:?}")),
        }
    }
    for (name, _) in TRANSFORM_OUTCOMES {
        if !files.iter().any(|(n, _)| n == name) {
            failures.push(format!(
                "{name}: in TRANSFORM_OUTCOMES but not in the suite"
            ));
        }
    }
    report("test_transform files", files.len(), &failures);
}

/// The y_/n_ split agrees with serde_json too, as a cross-check of the suite
/// reading (serde_json passes every y_ and n_ file).
#[test]
fn y_and_n_files_agree_with_serde_json() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for prefix in ["y_", "n_"] {
        let Some(files) = parsing_files(prefix) else {
            return;
        };
        for (name, bytes) in &files {
            checked += 1;
            let ours = jsontape::parse(bytes).is_ok();
            let theirs = serde_accepts(bytes);
            if ours != theirs {
                failures.push(format!(
                    "{name}: jsontape accepts={ours}, serde_json accepts={theirs}"
                ));
            }
        }
    }
    report("y_/n_ files vs serde_json", checked, &failures);
}
