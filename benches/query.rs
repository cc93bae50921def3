//! On-demand extraction by path on twitter.json: `jsontape::get` against
//! `sonic_rs::get` and `gjson::get`, and `jsontape::get_many` against
//! `sonic_rs::get_many`.
//!
//! Run: `RUSTFLAGS="-C target-cpu=native" cargo bench --bench query` (the
//! peers need the flag for their SIMD paths; jsontape dispatches at run time
//! either way). The document is `$JSONTAPE_CORPUS/bench/twitter.json`, else
//! `../shared/corpus/bench/twitter.json`.
//!
//! Groups and functions:
//!
//! - `get_one`: the field `/statuses/50/user/screen_name`:
//!   - `jsontape_get`: `jsontape::get(input, "/statuses/50/user/screen_name")`.
//!     It reads the root object to its end (the last of duplicate keys
//!     wins), skipping everything off the path by bracket counting;
//!   - `sonic_rs_get`: `sonic_rs::get(input, &["statuses", 50, "user", "screen_name"])`,
//!     which validates what it skips and stops at the first match;
//!   - `gjson_get`: `gjson::get(text, "statuses.50.user.screen_name")`;
//!   - `sonic_rs_get_unchecked` (reference only): sonic-rs's variant that
//!     skips without validating;
//!   - `jsontape_parse_pointer` (reference only): a full parse with a reused
//!     `Parser`, then `Document::pointer`.
//! - `get_many5`: five pointers in one pass: `jsontape_get_many` against
//!   `sonic_rs_get_many` (a `PointerTree`), and five separate
//!   `jsontape_get`s for reference.
//!
//! Every function's answers are checked to agree before any timing. After
//! the run, the medians and the ratios to jsontape are printed, read back
//! from `target/criterion/<group>/<function>/new/estimates.json`; then a
//! paired (interleaved) measurement of the main contenders, whose ratios
//! hold up better on a noisy shared machine than criterion's one function
//! after another.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::Criterion;

const POINTER: &str = "/statuses/50/user/screen_name";
const GJSON_PATH: &str = "statuses.50.user.screen_name";

/// The five pointers of `get_many5`, with their sonic-rs paths.
const MANY: [&str; 5] = [
    "/statuses/50/user/screen_name",
    "/statuses/0/id",
    "/statuses/99/text",
    "/statuses/50/retweet_count",
    "/search_metadata/count",
];

fn sonic_path(pointer: &str) -> Vec<sonic_rs::PointerNode> {
    pointer
        .split('/')
        .skip(1)
        .map(|token| match token.parse::<usize>() {
            Ok(i) => sonic_rs::PointerNode::Index(i),
            Err(_) => sonic_rs::PointerNode::Key(token.to_owned().into()),
        })
        .collect()
}

fn corpus_file(name: &str) -> PathBuf {
    std::env::var_os("JSONTAPE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
        .join("bench")
        .join(name)
}

/// Every contender finds the same text.
fn check_agreement(text: &str) {
    let ours = jsontape::get(text, POINTER).unwrap().unwrap().raw_json();
    let sonic = sonic_rs::get(
        text,
        &sonic_rs::pointer!["statuses", 50, "user", "screen_name"],
    )
    .unwrap();
    assert_eq!(ours, sonic.as_raw_str(), "sonic_rs::get");
    // SAFETY: sonic-rs requires valid JSON here; twitter.json is (the parse
    // below checks it too).
    let unchecked = unsafe { sonic_rs::get_unchecked(text, sonic_path(POINTER)) }.unwrap();
    assert_eq!(ours, unchecked.as_raw_str(), "sonic_rs::get_unchecked");
    assert_eq!(ours, gjson::get(text, GJSON_PATH).json(), "gjson::get");
    let mut parser = jsontape::Parser::new();
    let doc = parser.parse(text).unwrap();
    assert_eq!(
        ours,
        doc.pointer(POINTER).unwrap().raw_json(),
        "parse + pointer"
    );
    eprintln!("all agree on {POINTER}: {ours}");

    let many = jsontape::get_many(text, &MANY).unwrap();
    let tree = sonic_tree();
    let sonic_many = sonic_rs::get_many(text, &tree).unwrap();
    for ((pointer, ours), theirs) in MANY.iter().zip(&many).zip(&sonic_many) {
        let ours = ours.unwrap().raw_json();
        assert_eq!(
            ours,
            theirs.as_ref().unwrap().as_raw_str(),
            "get_many {pointer}"
        );
        assert_eq!(
            ours,
            jsontape::get(text, pointer).unwrap().unwrap().raw_json()
        );
        assert_eq!(ours, doc.pointer(pointer).unwrap().raw_json());
        eprintln!(
            "all agree on {pointer}: {}",
            ours.chars().take(60).collect::<String>()
        );
    }
}

fn sonic_tree() -> sonic_rs::PointerTree {
    let mut tree = sonic_rs::PointerTree::new();
    for pointer in MANY {
        tree.add_path(sonic_path(pointer).iter());
    }
    tree
}

fn bench(c: &mut Criterion, text: &str) {
    let path = sonic_rs::pointer!["statuses", 50, "user", "screen_name"];
    let mut group = c.benchmark_group("get_one");
    group.bench_function("jsontape_get", |b| {
        b.iter(|| {
            jsontape::get(black_box(text), black_box(POINTER))
                .unwrap()
                .unwrap()
                .raw_json()
                .len()
        })
    });
    group.bench_function("sonic_rs_get", |b| {
        b.iter(|| {
            sonic_rs::get(black_box(text), &path)
                .unwrap()
                .as_raw_str()
                .len()
        })
    });
    group.bench_function("gjson_get", |b| {
        b.iter(|| {
            gjson::get(black_box(text), black_box(GJSON_PATH))
                .json()
                .len()
        })
    });
    group.bench_function("sonic_rs_get_unchecked", |b| {
        // SAFETY: the input is valid JSON (checked above).
        b.iter(|| {
            unsafe { sonic_rs::get_unchecked(black_box(text), &path) }
                .unwrap()
                .as_raw_str()
                .len()
        })
    });
    let mut parser = jsontape::Parser::new();
    group.bench_function("jsontape_parse_pointer", |b| {
        b.iter(|| {
            parser
                .parse(black_box(text))
                .unwrap()
                .pointer(POINTER)
                .unwrap()
                .raw_json()
                .len()
        })
    });
    group.finish();

    let tree = sonic_tree();
    let mut group = c.benchmark_group("get_many5");
    group.bench_function("jsontape_get_many", |b| {
        b.iter(|| {
            jsontape::get_many(black_box(text), black_box(&MANY))
                .unwrap()
                .len()
        })
    });
    group.bench_function("sonic_rs_get_many", |b| {
        b.iter(|| sonic_rs::get_many(black_box(text), &tree).unwrap().len())
    });
    group.bench_function("jsontape_get_x5", |b| {
        b.iter(|| {
            MANY.iter()
                .map(|p| {
                    jsontape::get(black_box(text), p)
                        .unwrap()
                        .unwrap()
                        .raw_json()
                        .len()
                })
                .sum::<usize>()
        })
    });
    group.finish();
}

/// The median of a function of the last run, in nanoseconds.
fn median(group: &str, function: &str) -> Option<f64> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/criterion")
        .join(group)
        .join(function)
        .join("new/estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json["median"]["point_estimate"].as_f64()
}

fn summary() {
    let rows = [
        (
            "get_one",
            "jsontape_get",
            [
                "sonic_rs_get",
                "gjson_get",
                "sonic_rs_get_unchecked",
                "jsontape_parse_pointer",
            ]
            .as_slice(),
        ),
        (
            "get_many5",
            "jsontape_get_many",
            ["sonic_rs_get_many", "jsontape_get_x5"].as_slice(),
        ),
    ];
    eprintln!("\nmedians (ratio = jsontape / other; below 1 means jsontape is faster):");
    for (group, ours, others) in rows {
        let Some(base) = median(group, ours) else {
            continue;
        };
        eprintln!("  {group}/{ours}: {:.1} µs", base / 1e3);
        for other in others {
            if let Some(t) = median(group, other) {
                eprintln!(
                    "  {group}/{other}: {:.1} µs   ratio {:.2}",
                    t / 1e3,
                    base / t
                );
            }
        }
    }
}

/// A named function to time; it returns a check figure.
type Contender<'a> = (&'static str, Box<dyn FnMut() -> usize + 'a>);

/// Rounds of the paired measurement.
const ROUNDS: usize = 31;
/// Target duration of one batch of one contender.
const BATCH: Duration = Duration::from_millis(3);

/// A paired measurement, for noisy shared machines (see `benches/paired.rs`):
/// each of 31 rounds times one ~3 ms batch of every contender of a group,
/// in rotating order, so that a slow spell of the host hits them alike.
/// Prints the median time per call over rounds and the median of the
/// per-round ratios of jsontape's time to each other's.
fn paired(group: &str, contenders: &mut [Contender<'_>]) {
    // Calibrate: calls per batch for each contender.
    let mut batch = Vec::new();
    for (_, f) in contenders.iter_mut() {
        let start = std::time::Instant::now();
        let mut calls = 0u32;
        while start.elapsed() < BATCH {
            black_box(f());
            calls += 1;
        }
        batch.push(calls.max(1));
    }
    let mut times = vec![Vec::new(); contenders.len()];
    for round in 0..ROUNDS {
        for k in 0..contenders.len() {
            let i = (k + round) % contenders.len();
            let f = &mut contenders[i].1;
            let start = std::time::Instant::now();
            for _ in 0..batch[i] {
                black_box(f());
            }
            times[i].push(start.elapsed().as_secs_f64() / f64::from(batch[i]));
        }
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    eprintln!("paired, {group} (median of {ROUNDS} rounds; ratio = jsontape / other, per round):");
    for (i, (name, _)) in contenders.iter().enumerate() {
        let time = median(times[i].clone());
        let ratios: Vec<f64> = times[0].iter().zip(&times[i]).map(|(a, b)| a / b).collect();
        let ratio = median(ratios);
        if i == 0 {
            eprintln!("  {name:<24} {:>9.1} µs", time * 1e6);
        } else {
            eprintln!("  {name:<24} {:>9.1} µs   ratio {ratio:.2}", time * 1e6);
        }
    }
}

fn paired_all(text: &str) {
    let path = sonic_rs::pointer!["statuses", 50, "user", "screen_name"];
    let mut one: Vec<Contender<'_>> = vec![
        (
            "jsontape_get",
            Box::new(|| {
                jsontape::get(black_box(text), POINTER)
                    .unwrap()
                    .unwrap()
                    .raw_json()
                    .len()
            }),
        ),
        (
            "sonic_rs_get",
            Box::new(|| {
                sonic_rs::get(black_box(text), &path)
                    .unwrap()
                    .as_raw_str()
                    .len()
            }),
        ),
        (
            "gjson_get",
            Box::new(|| gjson::get(black_box(text), GJSON_PATH).json().len()),
        ),
        // SAFETY: the input is valid JSON (checked before).
        (
            "sonic_rs_get_unchecked",
            Box::new(|| {
                unsafe { sonic_rs::get_unchecked(black_box(text), &path) }
                    .unwrap()
                    .as_raw_str()
                    .len()
            }),
        ),
    ];
    paired("get_one", &mut one);
    let tree = sonic_tree();
    let mut many: Vec<Contender<'_>> = vec![
        (
            "jsontape_get_many",
            Box::new(|| jsontape::get_many(black_box(text), &MANY).unwrap().len()),
        ),
        (
            "sonic_rs_get_many",
            Box::new(|| sonic_rs::get_many(black_box(text), &tree).unwrap().len()),
        ),
    ];
    paired("get_many5", &mut many);
}

fn main() {
    let file = corpus_file("twitter.json");
    let Ok(text) = std::fs::read_to_string(&file) else {
        eprintln!(
            "note: {} not found (set JSONTAPE_CORPUS); nothing to benchmark",
            file.display()
        );
        return;
    };
    eprintln!("jsontape backend: {}", jsontape::backend().name());
    check_agreement(&text);
    let mut criterion = Criterion::default()
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    bench(&mut criterion, &text);
    criterion.final_summary();
    summary();
    paired_all(&text);
}
