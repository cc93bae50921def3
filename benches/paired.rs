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

#[path = "support/documents.rs"]
mod documents;
use documents::load_documents;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Rounds per pair of parsers; each runs one batch of both.
const ROUNDS: usize = 31;
/// Target duration of one batch.
const BATCH: Duration = Duration::from_millis(4);

/// A parser under test: parses the bytes and returns the root's element count.
type Parse<'a> = Box<dyn FnMut(&[u8]) -> usize + 'a>;

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
    list.push((
        "sonic_rs::Value".into(),
        Box::new(|b| {
            use sonic_rs::JsonContainerTrait;
            let v: sonic_rs::Value = sonic_rs::from_slice(b).unwrap();
            v.as_array()
                .map(|a| a.len())
                .or(v.as_object().map(|o| o.len()))
                .unwrap_or(0)
        }),
    ));
    // simd-json mutates its input: copy into a reused buffer each time (the
    // copy is part of its cost for an immutable input).
    let mut buffers = simd_json::Buffers::new(len);
    let mut copy = Vec::with_capacity(len);
    list.push((
        "simd_json tape (+copy)".into(),
        Box::new(move |b| {
            copy.clear();
            copy.extend_from_slice(b);
            let tape = simd_json::to_tape_with_buffers(&mut copy, &mut buffers).unwrap();
            root_len(&tape)
        }),
    ));
    list.push((
        "serde_json::Value".into(),
        Box::new(|b| {
            let v: serde_json::Value = serde_json::from_slice(b).unwrap();
            v.as_array()
                .map(Vec::len)
                .or(v.as_object().map(|o| o.len()))
                .unwrap_or(0)
        }),
    ));
    list
}

fn root_len(tape: &simd_json::Tape<'_>) -> usize {
    let root = tape.as_value();
    root.as_array()
        .map(|a| a.len())
        .or(root.as_object().map(|o| o.len()))
        .unwrap_or(0)
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
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    println!("| document | size | parser | GB/s (median) | time/doc | jsontape speed-up |");
    println!("|---|---|---|---|---|---|");
    for (name, bytes) in documents(&filters) {
        let mut parsers = parsers(bytes.len());
        // Check: every parser accepts the document and agrees on the root.
        let counts: Vec<usize> = parsers.iter_mut().map(|(_, parse)| parse(&bytes)).collect();
        assert!(
            counts.windows(2).all(|w| w[0] == w[1]),
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
