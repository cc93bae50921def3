//! Paired (interleaved) throughput comparison, for noisy shared machines.
//!
//! Criterion measures one function after another, so a slow spell of the host
//! lands on whichever function runs then; on the shared 2-core machines this
//! project is measured on, that moves single medians by up to 2x. Here
//! jsontape is paired with each other parser in turn: 31 rounds, each timing
//! one ~4 ms batch of both (in alternating order), so both see the same
//! conditions. The figures are medians over rounds: time per document, and the
//! per-round ratio of the other parser's time to jsontape's.
//!
//! Run: `RUSTFLAGS="-C target-cpu=native" cargo bench --bench paired`
//! (the peers need the flag for their SIMD paths; jsontape dispatches at run
//! time either way). Documents: those of `support/documents.rs` (a 59-byte
//! object, generated ~1 KB and ~10 KB documents, and every `*.json` of
//! `$JSONTAPE_CORPUS/bench`); pass names to filter, e.g. `-- twitter canada`.
//!
//! Tasks, chosen by an argument (default `parse`):
//! - `parse`: jsontape's tape (reused `Parser`) against each peer's parse;
//! - `dom`: parse and build a DOM: jsontape `Value` against sonic_rs::Value,
//!   simd-json's BorrowedValue (reused buffers, plus the input copy) and
//!   serde_json::Value;
//! - `write`: compact serialization of an already-built tree: jsontape's
//!   `Value` (strings borrowed from the document, as `to_value` makes it),
//!   its `OwnedValue` (every string allocated, like serde_json's) and
//!   straight from the tape, against serde_json::to_string and
//!   sonic_rs::to_string;
//! - `ndjson`: whole NDJSON streams (see `support/streams.rs`), jsontape's
//!   `Documents` against sonic-rs and simd-json line by line and serde_json's
//!   `StreamDeserializer` (and `par_map` with `--features rayon`);
//! - `serde`: typed deserialization of twitter.json and citm_catalog.json
//!   into the structs of `support/typed.rs` (other documents are skipped):
//!   jsontape's reused `Parser::deserialize` against serde_json, sonic-rs and
//!   simd-json (reused buffers, plus the input copy), all `from_slice`.
//!
//! e.g. `cargo bench --bench paired -- dom twitter citm canada`.

#[path = "support/documents.rs"]
mod documents;
#[path = "support/root_len.rs"]
mod root_len;
#[path = "support/streams.rs"]
mod streams;
#[path = "support/typed.rs"]
#[allow(dead_code)]
mod typed;
use documents::load_documents;
use root_len::{serde_len, simd_json_tape_len, sonic_len};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Rounds per pair of parsers; each runs one batch of both.
const ROUNDS: usize = 31;
/// Target duration of one batch.
const BATCH: Duration = Duration::from_millis(4);

/// A contender: does its task on the bytes and returns a check figure (the
/// root's element count for parsers, the output length for writers).
type Parse<'a> = Box<dyn FnMut(&[u8]) -> usize + 'a>;

/// The benchmarked task.
#[derive(Clone, Copy, PartialEq)]
enum Task {
    Parse,
    Dom,
    Write,
    Serde,
    Ndjson,
}

fn contenders(task: Task, bytes: &[u8]) -> Vec<(String, Parse<'_>)> {
    match task {
        Task::Parse => parsers(bytes.len()),
        Task::Dom => dom_builders(bytes.len()),
        Task::Write => writers(bytes),
        Task::Ndjson => stream_readers(),
        Task::Serde => deserializers(bytes),
    }
}

/// Readers of a whole NDJSON stream, document by document.
fn stream_readers() -> Vec<(String, Parse<'static>)> {
    let mut parser = jsontape::Parser::new();
    let mut copy = Vec::new();
    let mut buffers = simd_json::Buffers::new(1 << 16);
    let mut list: Vec<(String, Parse<'static>)> = vec![
        (
            "jsontape Documents (tape)".into(),
            Box::new(move |b| streams::jsontape_tape(&mut parser, b).1),
        ),
        (
            "sonic_rs::Value line by line".into(),
            Box::new(|b| streams::sonic_line_by_line(b).1),
        ),
        (
            "simd_json tape line by line (+copy)".into(),
            Box::new(move |b| streams::simd_json_line_by_line(&mut copy, &mut buffers, b).1),
        ),
        (
            "serde_json StreamDeserializer<Value>".into(),
            Box::new(|b| streams::serde_json_stream(b).1),
        ),
    ];
    let mut value_parser = jsontape::Parser::new();
    list.push((
        "jsontape Documents (Value)".into(),
        Box::new(move |b| streams::jsontape_value(&mut value_parser, b).1),
    ));
    let mut line_parser = jsontape::Parser::new();
    list.push((
        "jsontape parse line by line".into(),
        Box::new(move |b| streams::jsontape_line_by_line(&mut line_parser, b).1),
    ));
    #[cfg(feature = "rayon")]
    list.push((
        "jsontape par_map (tape)".into(),
        Box::new(|b| streams::jsontape_parallel(b).1),
    ));
    list
}

fn parsers(len: usize) -> Vec<(String, Parse<'static>)> {
    let mut list: Vec<(String, Parse<'static>)> = Vec::new();
    let mut parser = jsontape::Parser::new();
    list.push((
        format!("jsontape ({})", jsontape::backend().name()),
        Box::new(move |b| parser.parse(b).unwrap().root().len()),
    ));
    for backend in jsontape::Backend::ALL {
        if backend.is_supported() && backend != jsontape::backend() {
            let options = jsontape::Options::new().with_backend(backend);
            let mut parser = jsontape::Parser::with_options(options);
            list.push((
                format!("jsontape ({})", backend.name()),
                Box::new(move |b| parser.parse(b).unwrap().root().len()),
            ));
        }
    }
    list.push(sonic_value());
    list.push(simd_json_copying(
        "simd_json tape (+copy)",
        len,
        |copy, buffers| {
            simd_json_tape_len(&simd_json::to_tape_with_buffers(copy, buffers).unwrap())
        },
    ));
    list.push(serde_json_value());
    list
}

/// sonic-rs parsing its DOM.
fn sonic_value() -> (String, Parse<'static>) {
    let parse = |b: &[u8]| sonic_len(&sonic_rs::from_slice(b).unwrap());
    ("sonic_rs::Value".into(), Box::new(parse))
}

/// serde_json parsing its DOM.
fn serde_json_value() -> (String, Parse<'static>) {
    let parse = |b: &[u8]| serde_len(&serde_json::from_slice(b).unwrap());
    ("serde_json::Value".into(), Box::new(parse))
}

/// simd-json running `run` with reused buffers. simd-json mutates its input,
/// so every call first copies it into a reused buffer: the copy is part of
/// its cost for an immutable input.
fn simd_json_copying(
    name: &str,
    len: usize,
    run: fn(&mut [u8], &mut simd_json::Buffers) -> usize,
) -> (String, Parse<'static>) {
    let mut buffers = simd_json::Buffers::new(len);
    let mut copy = Vec::with_capacity(len);
    let parse = move |b: &[u8]| {
        copy.clear();
        copy.extend_from_slice(b);
        run(&mut copy, &mut buffers)
    };
    (name.into(), Box::new(parse))
}

/// Parse and build a DOM; the tree is dropped after each call, as a service
/// would after each request.
fn dom_builders(len: usize) -> Vec<(String, Parse<'static>)> {
    let mut list: Vec<(String, Parse<'static>)> = Vec::new();
    let mut parser = jsontape::Parser::new();
    list.push((
        format!("jsontape Value ({})", jsontape::backend().name()),
        Box::new(move |b| parser.parse(b).unwrap().to_value().len()),
    ));
    list.push(sonic_value());
    list.push(simd_json_copying(
        "simd_json BorrowedValue (+copy)",
        len,
        |copy, buffers| {
            use simd_json::prelude::*;
            let value = simd_json::to_borrowed_value_with_buffers(copy, buffers).unwrap();
            value
                .as_array()
                .map(|a| a.len())
                .or(value.as_object().map(|o| o.len()))
                .unwrap_or(0)
        },
    ));
    list.push(serde_json_value());
    list
}

/// A typed model of a document: its type and a check figure of a value.
trait Model {
    type Of<'a>: serde::Deserialize<'a>;
    fn count(value: &Self::Of<'_>) -> usize;
}

struct TwitterModel;
impl Model for TwitterModel {
    type Of<'a> = typed::Twitter<'a>;
    fn count(value: &typed::Twitter<'_>) -> usize {
        value.statuses.len()
    }
}

struct CitmModel;
impl Model for CitmModel {
    type Of<'a> = typed::CitmCatalog<'a>;
    fn count(value: &typed::CitmCatalog<'_>) -> usize {
        value.performances.len()
    }
}

/// Typed deserializers for the document `bytes` is (twitter or citm_catalog,
/// told apart by a field only one of them has); none for other documents.
fn deserializers(bytes: &[u8]) -> Vec<(String, Parse<'static>)> {
    let text = std::str::from_utf8(bytes).unwrap_or_default();
    if text.contains("\"statuses\"") {
        typed_list::<TwitterModel>(bytes.len())
    } else if text.contains("\"performances\"") {
        typed_list::<CitmModel>(bytes.len())
    } else {
        Vec::new()
    }
}

fn typed_list<M: Model + 'static>(len: usize) -> Vec<(String, Parse<'static>)> {
    let mut list: Vec<(String, Parse<'static>)> = Vec::new();
    let mut parser = jsontape::Parser::new();
    list.push((
        format!(
            "jsontape Parser::deserialize ({})",
            jsontape::backend().name()
        ),
        Box::new(move |b| M::count(&parser.deserialize::<M::Of<'_>, _>(b).unwrap())),
    ));
    list.push((
        "sonic_rs::from_slice".into(),
        Box::new(|b| M::count(&sonic_rs::from_slice::<M::Of<'_>>(b).unwrap())),
    ));
    list.push(simd_json_copying(
        "simd_json from_slice_with_buffers (+copy)",
        len,
        |copy, buffers| {
            M::count(
                &simd_json::serde::from_slice_with_buffers::<M::Of<'_>>(copy, buffers).unwrap(),
            )
        },
    ));
    list.push((
        "serde_json::from_slice".into(),
        Box::new(|b| M::count(&serde_json::from_slice::<M::Of<'_>>(b).unwrap())),
    ));
    list
}

/// Compact serialization of a tree built beforehand from `bytes`. Each
/// writer's output is checked once to read back as the same document.
fn writers(bytes: &[u8]) -> Vec<(String, Parse<'_>)> {
    let expected: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    let check = |name: &str, out: &str| {
        let back: serde_json::Value = serde_json::from_str(out).unwrap();
        assert!(back == expected, "{name}: output does not read back equal");
    };
    // The document outlives every contender (leaked: one per benchmarked
    // file), so that its `Value` can borrow strings from it, as a `Value`
    // made by `to_value` does.
    let doc: &jsontape::Document<'_> = Box::leak(Box::new(jsontape::parse(bytes).unwrap()));
    let value = doc.to_value();
    let owned = doc.to_owned_value();
    check("jsontape Value", &value.to_string());
    check("jsontape OwnedValue", &owned.to_string());
    check("jsontape tape", &doc.root().to_string());
    let sonic: sonic_rs::Value = sonic_rs::from_slice(bytes).unwrap();
    check("sonic_rs", &sonic_rs::to_string(&sonic).unwrap());
    let serde_value = expected.clone();
    check("serde_json", &serde_json::to_string(&serde_value).unwrap());
    vec![
        (
            "jsontape Value".into(),
            Box::new(move |_: &[u8]| value.to_string().len()) as Parse<'_>,
        ),
        (
            "jsontape OwnedValue".into(),
            Box::new(move |_: &[u8]| owned.to_string().len()),
        ),
        (
            "jsontape tape (minify)".into(),
            Box::new(move |_: &[u8]| doc.root().to_string().len()),
        ),
        (
            "sonic_rs::to_string".into(),
            Box::new(move |_: &[u8]| sonic_rs::to_string(&sonic).unwrap().len()),
        ),
        (
            "serde_json::to_string".into(),
            Box::new(move |_: &[u8]| serde_json::to_string(&serde_value).unwrap().len()),
        ),
    ]
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn documents(filters: &[String]) -> Vec<(String, Vec<u8>)> {
    let mut docs: Vec<(String, Vec<u8>)> = load_documents()
        .into_iter()
        .map(|d| (d.name, d.bytes))
        .collect();
    docs.retain(|(name, _)| {
        filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()))
    });
    docs
}

/// Median time per document of `parse`, in seconds, timing batches of
/// `batch` calls.
fn time_batch(parse: &mut Parse<'_>, bytes: &[u8], batch: u32) -> f64 {
    let start = Instant::now();
    for _ in 0..batch {
        black_box(parse(black_box(bytes)));
    }
    start.elapsed().as_secs_f64() / batch as f64
}

/// Calls of `parse` that take about [`BATCH`].
fn batch_size(parse: &mut Parse<'_>, bytes: &[u8]) -> u32 {
    let once = time_batch(parse, bytes, 1).max(50e-9);
    (BATCH.as_secs_f64() / once).max(1.0) as u32
}

fn main() {
    // `cargo bench` passes `--bench`; anything else not starting with `-` filters.
    let mut filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let task = match filters.first().map(String::as_str) {
        Some("dom") => Task::Dom,
        Some("write") => Task::Write,
        Some("serde") => Task::Serde,
        Some("ndjson") => Task::Ndjson,
        _ => Task::Parse,
    };
    filters.retain(|f| !matches!(f.as_str(), "parse" | "dom" | "write" | "serde" | "ndjson"));
    println!("| document | size | contender | GB/s (median) | time/doc | jsontape speed-up |");
    println!("|---|---|---|---|---|---|");
    let inputs = match task {
        Task::Ndjson => streams::streams(),
        _ => documents(&filters),
    };
    for (name, bytes) in inputs {
        let mut parsers = contenders(task, &bytes);
        if parsers.is_empty() {
            continue;
        }
        // Check: every parser accepts the document and agrees on the root
        // (writers were checked when they were set up).
        let counts: Vec<usize> = parsers.iter_mut().map(|(_, parse)| parse(&bytes)).collect();
        assert!(
            task == Task::Write || counts.windows(2).all(|w| w[0] == w[1]),
            "{name}: parsers disagree: {counts:?}"
        );
        // jsontape (first) against each other parser in turn, alternating
        // batches, so each pair shares the same conditions and no third parser
        // (say, one that churns the allocator) runs in between.
        let (ours, others) = parsers.split_first_mut().expect("jsontape is first");
        let our_batch = batch_size(&mut ours.1, &bytes);
        let mut our_times = Vec::new();
        let mut rows = Vec::new();
        for (parser, parse) in others {
            let batch = batch_size(parse, &bytes);
            let (mut times, mut ratios) = (Vec::new(), Vec::new());
            for round in 0..ROUNDS {
                let (mine, theirs) = if round % 2 == 0 {
                    let mine = time_batch(&mut ours.1, &bytes, our_batch);
                    (mine, time_batch(parse, &bytes, batch))
                } else {
                    let theirs = time_batch(parse, &bytes, batch);
                    (time_batch(&mut ours.1, &bytes, our_batch), theirs)
                };
                our_times.push(mine);
                times.push(theirs);
                ratios.push(theirs / mine);
            }
            rows.push((parser.clone(), median(times), median(ratios)));
        }
        rows.insert(0, (ours.0.clone(), median(our_times), 1.0));
        for (parser, per_doc, ratio) in rows {
            println!(
                "| {name} | {} B | {parser} | {:.2} | {:.1?} | {:.2}x |",
                bytes.len(),
                bytes.len() as f64 / per_doc / 1e9,
                Duration::from_secs_f64(per_doc),
                ratio
            );
        }
    }
}
