//! The JSONPath Compliance Test Suite (RFC 9535,
//! <https://github.com/jsonpath-standard/jsonpath-compliance-test-suite>),
//! read from the shared corpus (`conformance/jsonpath-cts/cts.json`).
//!
//! For every test case:
//! * an `invalid_selector` must be rejected by [`JsonPath::parse`];
//! * otherwise the selector must parse, and over the document (written out
//!   by serde_json and parsed by jsontape) [`JsonPath::query`] must return
//!   the expected nodelist (or one of the acceptable ones, for cases where
//!   the RFC leaves object member order open), compared as JSON values, and
//!   [`JsonPath::query_located`] the same nodes with the matching
//!   normalized paths.
//!
//! Every failure is collected and reported at once; the whole suite must
//! pass.

mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};

use jsontape::JsonPath;
use serde_json::Value;

#[test]
fn jsonpath_compliance_test_suite() {
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    let file = dir.join("conformance/jsonpath-cts/cts.json");
    let text = std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
    let suite: Value = serde_json::from_str(&text).expect("cts.json is JSON");
    let cases = suite["tests"].as_array().expect("a `tests` array");

    let mut failures = Vec::new();
    let mut invalid = 0;
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        let selector = case["selector"].as_str().expect("a selector");
        if case["invalid_selector"] == Value::Bool(true) {
            invalid += 1;
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| run_case(case, selector)));
        let failure = match outcome {
            Ok(Ok(())) => continue,
            Ok(Err(message)) => message,
            Err(_) => String::from("panicked"),
        };
        failures.push(format!("{name}: {selector:?}: {failure}"));
    }

    let total = cases.len();
    let passed = total - failures.len();
    println!(
        "JSONPath CTS: {passed}/{total} passed ({invalid} invalid-selector cases, {} with documents)",
        total - invalid
    );
    #[cfg(not(feature = "std"))]
    println!(
        "without the `std` feature, {} cases only checked that match()/search() are rejected",
        NEED_STD.load(std::sync::atomic::Ordering::Relaxed)
    );
    assert!(
        failures.is_empty(),
        "{} of {total} JSONPath CTS cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(total >= 703, "expected at least 703 cases, found {total}");
}

/// Cases whose selector needs the `std` feature (match(), search()).
#[cfg(not(feature = "std"))]
static NEED_STD: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn run_case(case: &Value, selector: &str) -> Result<(), String> {
    let parsed = JsonPath::parse(selector);
    if case["invalid_selector"] == Value::Bool(true) {
        return match parsed {
            Err(err) if err.offset() <= selector.len() => Ok(()),
            Err(err) => Err(format!("error offset {} is past the end", err.offset())),
            Ok(_) => Err(String::from("accepted an invalid selector")),
        };
    }
    // Without the `std` feature there are no regular expressions: match()
    // and search() must then be rejected, and nothing more can be checked.
    #[cfg(not(feature = "std"))]
    if let Err(e) = &parsed {
        if e.message().contains("`std` feature") {
            NEED_STD.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            return Ok(());
        }
    }
    let path = parsed.map_err(|e| format!("rejected: {e}"))?;
    if path.to_string() != selector {
        return Err(String::from("Display does not give the expression back"));
    }

    let input = serde_json::to_string(&case["document"]).expect("documents serialize");
    let doc = jsontape::parse(&input).map_err(|e| format!("document does not parse: {e}"))?;
    let to_json = |raw: &str| serde_json::from_str::<Value>(raw).expect("raw_json is JSON");

    let nodes: Vec<Value> = path
        .query(doc.root())
        .iter()
        .map(|v| to_json(v.raw_json()))
        .collect();
    let located = path.query_located(doc.root());
    let located_nodes: Vec<Value> = located.iter().map(|(_, v)| to_json(v.raw_json())).collect();
    let paths: Vec<&str> = located.iter().map(|(p, _)| p.as_str()).collect();
    if located_nodes != nodes {
        return Err(format!(
            "query_located selected {located_nodes:?}, query {nodes:?}"
        ));
    }

    // (acceptable nodelist, its normalized paths) pairs.
    let alternatives: Vec<(&Value, Option<&Value>)> = if case.get("result").is_some() {
        vec![(&case["result"], case.get("result_paths"))]
    } else {
        let results = case["results"].as_array().expect("`result` or `results`");
        let all_paths = case.get("results_paths").and_then(Value::as_array);
        results
            .iter()
            .enumerate()
            .map(|(i, r)| (r, all_paths.and_then(|p| p.get(i))))
            .collect()
    };
    for &(expected, expected_paths) in &alternatives {
        if expected.as_array() != Some(&nodes) {
            continue;
        }
        let Some(expected_paths) = expected_paths else {
            return Ok(());
        };
        let expected_paths: Vec<&str> = expected_paths
            .as_array()
            .expect("paths are an array")
            .iter()
            .map(|p| p.as_str().expect("paths are strings"))
            .collect();
        if paths == expected_paths {
            return Ok(());
        }
        // Another alternative with the same nodes may list these paths.
        if alternatives.iter().any(|&(e, p)| {
            e == expected
                && p.and_then(Value::as_array).is_some_and(|p| {
                    p.iter()
                        .map(|x| x.as_str().unwrap_or(""))
                        .eq(paths.iter().copied())
                })
        }) {
            return Ok(());
        }
        return Err(format!("paths {paths:?}, expected {expected_paths:?}"));
    }
    let expected: Vec<&Value> = alternatives.iter().map(|(e, _)| *e).collect();
    Err(format!("selected {nodes:?}, expected one of {expected:?}"))
}
