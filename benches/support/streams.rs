//! NDJSON streams and the contenders that read them, shared by the NDJSON
//! benches (`benches/ndjson.rs`, criterion, and the `ndjson` task of
//! `benches/paired.rs`): each contender reads a whole stream document by
//! document and returns a [`Check`] that all must agree on.

use crate::documents;
use crate::root_len::{serde_len, simd_json_tape_len, sonic_len};

/// The lines of `stream` that hold a document, found with `memchr` as a
/// service reading NDJSON would (a byte-at-a-time `split` costs about 1,800
/// instructions per 350-byte line, 40% of what sonic-rs then spends parsing
/// it, which would charge the line-by-line contenders for a slow splitter).
pub fn lines(stream: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = stream;
    core::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
        let line = &rest[..end];
        rest = rest.get(end + 1..).unwrap_or_default();
        Some(line)
    })
    .filter(|line| !line.iter().all(u8::is_ascii_whitespace))
}

/// Documents and the sum of their roots' lengths: what every contender must
/// agree on.
pub type Check = (usize, usize);

pub fn jsontape_tape(parser: &mut jsontape::Parser, stream: &[u8]) -> Check {
    let mut docs = parser.documents(stream);
    let (mut count, mut total) = (0, 0);
    while let Some(doc) = docs.next_document() {
        total += doc.unwrap().root().len();
        count += 1;
    }
    (count, total)
}

pub fn jsontape_value(parser: &mut jsontape::Parser, stream: &[u8]) -> Check {
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

pub fn jsontape_line_by_line(parser: &mut jsontape::Parser, stream: &[u8]) -> Check {
    lines(stream).fold((0, 0), |(count, total), line| {
        (count + 1, total + parser.parse(line).unwrap().root().len())
    })
}

pub fn sonic_line_by_line(stream: &[u8]) -> Check {
    lines(stream).fold((0, 0), |(count, total), line| {
        let value: sonic_rs::Value = sonic_rs::from_slice(line).unwrap();
        (count + 1, total + sonic_len(&value))
    })
}

pub fn serde_json_stream(stream: &[u8]) -> Check {
    serde_json::Deserializer::from_slice(stream)
        .into_iter::<serde_json::Value>()
        .fold((0, 0), |(count, total), value| {
            (count + 1, total + serde_len(&value.unwrap()))
        })
}

pub fn simd_json_line_by_line(
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
pub fn jsontape_parallel(stream: &[u8]) -> Check {
    let lens = jsontape::par_map(stream, |doc| doc.unwrap().root().len());
    (lens.len(), lens.iter().sum())
}

/// A deterministic stream of `count` compact records of 150 bytes to 2 KB.
pub fn generated_stream(count: usize) -> Vec<u8> {
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
pub fn streams() -> Vec<(String, Vec<u8>)> {
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
