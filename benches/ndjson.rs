//! NDJSON throughput: a whole stream of small documents, parsed document by
//! document, against serde_json's `StreamDeserializer` and sonic-rs and
//! simd-json line by line.
//!
//! Streams: `$JSONTAPE_CORPUS/ndjson/amazon_cellphones.ndjson` (793 arrays of
//! about 350 bytes) and a generated stream of 4,000 records of 150 bytes to
//! 2 KB (the same generator as the other benches, so it runs without the
//! corpus). Every contender must report the same number of documents and
//! the same total of their root's element counts before any timing.
//!
//! Contenders, each over the whole stream per iteration:
//! - `jsontape Documents (tape)`: `Parser::documents` with a reused parser;
//!   each document's tape is built and its root read;
//! - `jsontape Documents (Value)`: the same, and each document built into a
//!   `Value` (a DOM, as the peers build);
//! - `jsontape Documents (line by line parse)`: `Parser::parse` per line, to
//!   show what the windows save;
//! - `sonic_rs::Value line by line`, `serde_json StreamDeserializer<Value>`;
//! - `simd_json tape line by line (+copy)`: simd-json mutates its input, so
//!   each line is first copied into a reused buffer, with reused `Buffers`;
//! - with `--features rayon`: `jsontape par_map (tape)` on every core.
//!
//! Run: `RUSTFLAGS="-C target-cpu=native" cargo bench --bench ndjson`
//! (add `--features rayon` for the parallel figure). Throughput is in bytes
//! of the stream; documents per second are printed with the check line.

#[path = "support/documents.rs"]
#[allow(dead_code)] // only its generator
mod documents;
#[path = "support/root_len.rs"]
mod root_len;

use criterion::{Criterion, Throughput};
use root_len::{serde_len, simd_json_tape_len, sonic_len};
use std::hint::black_box;
use std::time::Duration;

/// The lines of `stream` that hold a document.
fn lines(stream: &[u8]) -> impl Iterator<Item = &[u8]> {
    stream
        .split(|&b| b == b'\n')
        .filter(|line| !line.iter().all(u8::is_ascii_whitespace))
}

/// Documents and the sum of their roots' lengths: what every contender must
/// agree on.
type Check = (usize, usize);

fn jsontape_tape(parser: &mut jsontape::Parser, stream: &[u8]) -> Check {
    let mut docs = parser.documents(stream);
    let (mut count, mut total) = (0, 0);
    while let Some(doc) = docs.next_document() {
        total += doc.unwrap().root().len();
        count += 1;
    }
    (count, total)
}

fn jsontape_value(parser: &mut jsontape::Parser, stream: &[u8]) -> Check {
    let mut docs = parser.documents(stream);
    let (mut count, mut total) = (0, 0);
    while let Some(doc) = docs.next_document() {
        total += match doc.unwrap().to_value() {
            jsontape::Value::Array(a) => a.len(),
            jsontape::Value::Object(o) => o.len(),
            _ => 0,
        };
        count += 1;
    }
    (count, total)
}

fn jsontape_line_by_line(parser: &mut jsontape::Parser, stream: &[u8]) -> Check {
    lines(stream).fold((0, 0), |(count, total), line| {
        (count + 1, total + parser.parse(line).unwrap().root().len())
    })
}

fn sonic_line_by_line(stream: &[u8]) -> Check {
    lines(stream).fold((0, 0), |(count, total), line| {
        let value: sonic_rs::Value = sonic_rs::from_slice(line).unwrap();
        (count + 1, total + sonic_len(&value))
    })
}

fn serde_json_stream(stream: &[u8]) -> Check {
    serde_json::Deserializer::from_slice(stream)
        .into_iter::<serde_json::Value>()
        .fold((0, 0), |(count, total), value| {
            (count + 1, total + serde_len(&value.unwrap()))
        })
}

fn simd_json_line_by_line(
    copy: &mut Vec<u8>,
    buffers: &mut simd_json::Buffers,
    stream: &[u8],
) -> Check {
    lines(stream).fold((0, 0), |(count, total), line| {
        copy.clear();
        copy.extend_from_slice(line);
        let tape = simd_json::to_tape_with_buffers(copy, buffers).unwrap();
        (count + 1, total + simd_json_tape_len(&tape))
    })
}

#[cfg(feature = "rayon")]
fn jsontape_parallel(stream: &[u8]) -> Check {
    let lens = jsontape::par_map(stream, |doc| doc.unwrap().root().len());
    (lens.len(), lens.iter().sum())
}

/// A deterministic stream of `count` compact records of 150 bytes to 2 KB.
fn generated_stream(count: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..count {
        let record = documents::generate(150 + (i * 397) % 1850);
        let compact: serde_json::Value = serde_json::from_str(&record).unwrap();
        out.extend_from_slice(compact.to_string().as_bytes());
        out.push(b'\n');
    }
    out
}

/// The streams to measure: the corpus file, if present, and a generated one.
fn streams() -> Vec<(String, Vec<u8>)> {
    let mut streams = Vec::new();
    let corpus = std::env::var_os("JSONTAPE_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
        });
    let amazon = corpus.join("ndjson/amazon_cellphones.ndjson");
    match std::fs::read(&amazon) {
        Ok(bytes) => streams.push(("amazon_cellphones.ndjson".to_owned(), bytes)),
        Err(e) => eprintln!(
            "note: {}: {e}; measuring the generated stream only",
            amazon.display()
        ),
    }
    streams.push(("generated.ndjson".to_owned(), generated_stream(4000)));
    streams
}

fn main() {
    let mut c = Criterion::default()
        .configure_from_args()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    let mut parser = jsontape::Parser::new();
    let mut copy = Vec::new();
    let mut buffers = simd_json::Buffers::new(1 << 16);
    for (name, stream) in streams() {
        // Check: every contender sees the same documents.
        let expected = jsontape_tape(&mut parser, &stream);
        assert_eq!(jsontape_value(&mut parser, &stream), expected, "Value");
        assert_eq!(
            jsontape_line_by_line(&mut parser, &stream),
            expected,
            "line by line"
        );
        assert_eq!(sonic_line_by_line(&stream), expected, "sonic-rs");
        assert_eq!(serde_json_stream(&stream), expected, "serde_json");
        let simd = simd_json_line_by_line(&mut copy, &mut buffers, &stream);
        assert_eq!(simd, expected, "simd-json");
        #[cfg(feature = "rayon")]
        assert_eq!(jsontape_parallel(&stream), expected, "par_map");
        println!(
            "{name}: {} documents, {} bytes, {:.0} bytes per document; all agree",
            expected.0,
            stream.len(),
            stream.len() as f64 / expected.0 as f64
        );

        let mut group = c.benchmark_group(format!("ndjson/{name}"));
        group.throughput(Throughput::Bytes(stream.len() as u64));
        group.bench_function("jsontape Documents (tape)", |b| {
            b.iter(|| jsontape_tape(&mut parser, black_box(&stream)))
        });
        group.bench_function("jsontape Documents (Value)", |b| {
            b.iter(|| jsontape_value(&mut parser, black_box(&stream)))
        });
        group.bench_function("jsontape parse line by line", |b| {
            b.iter(|| jsontape_line_by_line(&mut parser, black_box(&stream)))
        });
        #[cfg(feature = "rayon")]
        group.bench_function("jsontape par_map (tape)", |b| {
            b.iter(|| jsontape_parallel(black_box(&stream)))
        });
        group.bench_function("sonic_rs::Value line by line", |b| {
            b.iter(|| sonic_line_by_line(black_box(&stream)))
        });
        group.bench_function("simd_json tape line by line (+copy)", |b| {
            b.iter(|| simd_json_line_by_line(&mut copy, &mut buffers, black_box(&stream)))
        });
        group.bench_function("serde_json StreamDeserializer<Value>", |b| {
            b.iter(|| serde_json_stream(black_box(&stream)))
        });
        group.finish();
    }
    c.final_summary();
}
