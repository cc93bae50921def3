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
#[path = "support/streams.rs"]
mod streams;

use criterion::{Criterion, Throughput};
use std::hint::black_box;
use std::time::Duration;
use streams::*;

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
