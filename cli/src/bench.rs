//! `jsontape bench`: throughput and allocations of jsontape against serde_json
//! on sample documents or the user's files.
//!
//! Each contender parses the same bytes and reports a small check value (the
//! root's element count), which must agree across contenders, so a parser that
//! does less cannot win. Times are medians over batches of about 10 ms.

use crate::alloc_counter::{self, Counts};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// One document to measure.
pub struct Input {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// One contender's figures on one document.
pub struct Measurement {
    pub document: String,
    pub size: usize,
    pub parser: &'static str,
    pub median: Duration,
    pub allocs: Counts,
}

impl Measurement {
    pub fn gigabytes_per_second(&self) -> f64 {
        self.size as f64 / self.median.as_secs_f64() / 1e9
    }
}

/// A parser under test: parses `bytes` and returns the root's element count.
type Contender = (&'static str, Box<dyn FnMut(&[u8]) -> Result<usize, String>>);

fn contenders() -> Vec<Contender> {
    let mut parser = jsontape::Parser::new();
    vec![
        (
            "jsontape tape (reused Parser)",
            Box::new(move |bytes: &[u8]| {
                parser
                    .parse(bytes)
                    .map(|doc| doc.root().len())
                    .map_err(|e| e.to_string())
            }),
        ),
        (
            "serde_json::Value",
            Box::new(|bytes: &[u8]| {
                let value: serde_json::Value =
                    serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
                Ok(match &value {
                    serde_json::Value::Array(a) => a.len(),
                    serde_json::Value::Object(o) => o.len(),
                    _ => 0,
                })
            }),
        ),
    ]
}

/// Measures every contender on every input, `budget` of timing per pair.
/// Fails if a contender rejects a document or disagrees on its check value.
pub fn run(
    inputs: &[Input],
    budget: Duration,
    mut progress: impl FnMut(&str),
) -> Result<Vec<Measurement>, String> {
    let mut contenders = contenders();
    let mut results = Vec::new();
    for input in inputs {
        let mut expected = None;
        for (parser, parse) in contenders.iter_mut() {
            progress(&format!("{} / {parser}", input.name));
            let check = parse(&input.bytes)
                .map_err(|e| format!("{parser} rejected {}: {e}", input.name))?;
            if *expected.get_or_insert(check) != check {
                return Err(format!(
                    "{parser} disagrees on {}: {check} vs {expected:?}",
                    input.name
                ));
            }
            // Steady state: the first parse above warmed up reusable buffers.
            let (_, allocs) = alloc_counter::measure(|| black_box(parse(black_box(&input.bytes))));
            let median = median_time(|| black_box(parse(black_box(&input.bytes))), budget);
            results.push(Measurement {
                document: input.name.clone(),
                size: input.bytes.len(),
                parser,
                median,
                allocs,
            });
        }
    }
    Ok(results)
}

/// Median time of one call of `f`, from batches of about 10 ms within `budget`.
fn median_time<T>(mut f: impl FnMut() -> T, budget: Duration) -> Duration {
    let start = Instant::now();
    black_box(f());
    let once = start.elapsed().max(Duration::from_nanos(20));
    let per_batch =
        (Duration::from_millis(10).as_nanos() / once.as_nanos()).clamp(1, 1_000_000) as u32;
    let mut samples = Vec::new();
    let deadline = Instant::now() + budget;
    while samples.len() < 5 || (Instant::now() < deadline && samples.len() < 200) {
        let t = Instant::now();
        for _ in 0..per_batch {
            black_box(f());
        }
        samples.push(t.elapsed() / per_batch);
    }
    samples.sort();
    samples[samples.len() / 2]
}

/// The results as an aligned text table, with each contender's speed relative
/// to the first one on the same document.
pub fn table(results: &[Measurement]) -> String {
    let mut out = format!(
        "{:<24} {:>9}  {:<30} {:>8} {:>11} {:>8} {:>11} {:>9}\n",
        "document", "size", "parser", "GB/s", "time/doc", "allocs", "bytes", "rel.speed"
    );
    let mut first: Option<&Measurement> = None;
    for m in results {
        let baseline = match first {
            Some(f) if f.document == m.document => f,
            _ => {
                first = Some(m);
                m
            }
        };
        out += &format!(
            "{:<24} {:>9}  {:<30} {:>8.3} {:>11} {:>8} {:>11} {:>8.2}x\n",
            m.document,
            human_bytes(m.size as u64),
            m.parser,
            m.gigabytes_per_second(),
            format!("{:.2?}", m.median),
            m.allocs.allocations,
            human_bytes(m.allocs.bytes),
            baseline.median.as_secs_f64() / m.median.as_secs_f64(),
        );
    }
    out
}

/// The results as JSON lines, one object per measurement.
pub fn json_lines(results: &[Measurement]) -> String {
    results
        .iter()
        .map(|m| {
            serde_json::json!({
                "document": m.document,
                "bytes": m.size,
                "parser": m.parser,
                "median_ns": m.median.as_nanos() as u64,
                "gb_per_s": m.gigabytes_per_second(),
                "allocations": m.allocs.allocations,
                "allocated_bytes": m.allocs.bytes,
            })
            .to_string()
                + "\n"
        })
        .collect()
}

fn human_bytes(n: u64) -> String {
    match n {
        0..1_024 => format!("{n} B"),
        1_024..1_048_576 => format!("{:.1} KiB", n as f64 / 1024.0),
        _ => format!("{:.1} MiB", n as f64 / 1_048_576.0),
    }
}
