//! JSONPath over twitter.json: `$.statuses[*].user.screen_name`, parse
//! included, against gjson (`statuses.#.user.screen_name`) and serde_json +
//! serde_json_path.
//!
//! Each function starts from the input bytes: jsontape parses into a reused
//! `Parser` and evaluates a `JsonPath` compiled once (`parse+query`), or
//! follows the path in one on-demand walk over the text without a tape
//! (`query_input`, validating what `jsontape::get` validates); gjson scans the text
//! (it parses only what the path needs); serde_json builds its `Value` and
//! serde_json_path queries it with a path compiled once. All three must
//! select the same 100 screen names before any timing.
//!
//! Run: `RUSTFLAGS="-C target-cpu=native" cargo bench --bench jsonpath`.

#[path = "support/documents.rs"]
mod documents;

use criterion::{Criterion, Throughput};
use std::hint::black_box;
use std::time::Duration;

const PATH: &str = "$.statuses[*].user.screen_name";
const GJSON_PATH: &str = "statuses.#.user.screen_name";

fn jsontape_names<'p>(
    parser: &'p mut jsontape::Parser,
    path: &jsontape::JsonPath,
    text: &'p str,
) -> Vec<String> {
    let doc = parser.parse(text).unwrap();
    path.query(doc.root())
        .into_iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

fn gjson_names(text: &str) -> Vec<String> {
    gjson::get(text, GJSON_PATH)
        .array()
        .iter()
        .map(|v| v.str().to_owned())
        .collect()
}

fn serde_json_names(bytes: &[u8], path: &serde_json_path::JsonPath) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    path.query(&value)
        .all()
        .into_iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

fn main() {
    let Some(twitter) = documents::load_documents()
        .into_iter()
        .find(|d| d.name == "twitter.json")
    else {
        eprintln!("twitter.json not found (set JSONTAPE_CORPUS); nothing to measure");
        return;
    };
    let bytes = twitter.bytes;
    let text = std::str::from_utf8(&bytes).unwrap();
    let ours = jsontape::JsonPath::parse(PATH).unwrap();
    let theirs = serde_json_path::JsonPath::parse(PATH).unwrap();
    let mut parser = jsontape::Parser::new();

    // Check: the same names, in the same order, from all three.
    let expected = jsontape_names(&mut parser, &ours, text);
    assert_eq!(expected.len(), 100);
    assert_eq!(gjson_names(text), expected, "gjson");
    let on_demand: Vec<String> = ours
        .query_input(text)
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str().map(|s| s.into_owned()))
        .collect();
    assert_eq!(on_demand, expected, "query_input");
    assert_eq!(
        serde_json_names(&bytes, &theirs),
        expected,
        "serde_json_path"
    );

    let mut c = Criterion::default()
        .configure_from_args()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    let mut group = c.benchmark_group("jsonpath/twitter.json");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("jsontape/parse+query", |b| {
        b.iter(|| {
            let doc = parser.parse(black_box(text)).unwrap();
            let names = ours.query(doc.root());
            names
                .iter()
                .filter_map(|v| v.as_str())
                .map(str::len)
                .sum::<usize>()
        })
    });
    group.bench_function("jsontape/query_input", |b| {
        b.iter(|| {
            let names = ours.query_input(black_box(text)).unwrap();
            names
                .iter()
                .filter_map(|v| v.as_str())
                .map(|s| s.len())
                .sum::<usize>()
        })
    });
    group.bench_function("gjson/get", |b| {
        b.iter(|| {
            let names = gjson::get(black_box(text), GJSON_PATH);
            names.array().iter().map(|v| v.str().len()).sum::<usize>()
        })
    });
    group.bench_function("serde_json+serde_json_path/parse+query", |b| {
        b.iter(|| {
            let value: serde_json::Value = serde_json::from_slice(black_box(&bytes)).unwrap();
            let names = theirs.query(&value).all();
            names
                .iter()
                .filter_map(|v| v.as_str())
                .map(str::len)
                .sum::<usize>()
        })
    });
    group.finish();
    c.final_summary();
}
