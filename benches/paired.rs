//! Paired (interleaved) throughput comparison, for noisy shared machines.
//!
//! Criterion measures one function after another, so a slow spell of the host
//! lands on whichever function runs then; on the shared 2-core machines this
//! project is measured on, that moves single medians by up to 2x. Here every
//! round times one batch of each parser back to back (in a rotating order), so
//! all parsers see the same conditions, and the figures are medians over
//! rounds: time per document, and the per-round ratio to jsontape.
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

/// Rounds per document; each runs one batch of every parser.
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
        // Batch size: about BATCH for the slowest parser.
        let slowest = parsers
            .iter_mut()
            .map(|(_, parse)| {
                let start = Instant::now();
                black_box(parse(black_box(&bytes)));
                start.elapsed()
            })
            .max()
            .unwrap_or_default()
            .max(Duration::from_nanos(50));
        let batch = (BATCH.as_nanos() / slowest.as_nanos()).max(1) as u32;
        let mut times = vec![Vec::new(); parsers.len()];
        for round in 0..ROUNDS {
            for k in 0..parsers.len() {
                let i = (round + k) % parsers.len();
                let parse = &mut parsers[i].1;
                let start = Instant::now();
                for _ in 0..batch {
                    black_box(parse(black_box(&bytes)));
                }
                times[i].push(start.elapsed().as_secs_f64() / batch as f64);
            }
        }
        for (i, (parser, _)) in parsers.iter().enumerate() {
            let per_doc = median(times[i].clone());
            let ratio = median(
                times[i]
                    .iter()
                    .zip(&times[0])
                    .map(|(t, ours)| t / ours)
                    .collect(),
            );
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
