//! `jsontape bench`: throughput and allocations of jsontape's tape, its DOM,
//! and serde_json::Value, on sample documents or the user's files.
//!
//! Each contender parses the same bytes and reports a small check value (the
//! root's element count, summed over the documents of an NDJSON input), which
//! must agree across contenders, so a parser that does less cannot win. Times
//! are medians over batches of about 10 ms; allocations are counted on one
//! call in steady state (after a warm-up call, so reused buffers are grown).

use crate::alloc_counter::{self, Counts};
use crate::error::{Failure, Status, stdout_result};
use crate::input::Input;
use crate::ndjson;
use crate::report;
use crate::sample::SampleKind;
use crate::validate;
use indicatif::{ProgressBar, ProgressStyle};
use std::hint::black_box;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Arguments of `jsontape bench`.
#[derive(clap::Args)]
pub struct Args {
    /// JSON files, or directories whose *.json, *.ndjson and *.jsonl files to
    /// use; *.ndjson and *.jsonl files hold one document per line. With none,
    /// generated sample documents are used (the same bytes on every machine).
    #[arg(value_name = "FILE|DIR")]
    pub paths: Vec<PathBuf>,
    /// Print one JSON object per measurement (JSON lines) instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Seconds of timing per contender and document.
    #[arg(long, default_value_t = 0.5, value_parser = parse_seconds)]
    pub seconds: f64,
    /// Use only these samples (repeatable); all of them by default.
    #[arg(long, value_enum, value_name = "KIND", conflicts_with = "paths")]
    pub sample: Vec<SampleKind>,
}

/// `--seconds`: a finite number of seconds from 0.001 to 600.
fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if (0.001..=600.0).contains(&s) => Ok(s),
        _ => Err("expected a number of seconds from 0.001 to 600".to_owned()),
    }
}

/// One document (or NDJSON stream of documents) to measure.
pub struct Case {
    /// What the table calls it.
    pub name: String,
    /// Its bytes.
    pub input: Input,
    /// Whether every line is a document.
    pub ndjson: bool,
}

/// One contender's figures on one case.
pub struct Measurement {
    /// The case's name.
    pub document: String,
    /// The case's size in bytes.
    pub size: usize,
    /// The contender.
    pub parser: &'static str,
    /// Median time per parse and allocations per parse, or why the contender
    /// rejected the case.
    pub outcome: Result<(Duration, Counts), String>,
}

/// Runs `bench`: measures, then prints a table or JSON lines.
pub fn run(args: &Args) -> Result<Status, Failure> {
    let cases = if args.paths.is_empty() {
        samples(&args.sample)
    } else {
        load(&args.paths)?
    };
    let progress = if io::stderr().is_terminal() {
        let style = ProgressStyle::with_template("{bar:30.cyan/blue} {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        ProgressBar::new((cases.len() * CONTENDERS) as u64).with_style(style)
    } else {
        ProgressBar::hidden()
    };
    let budget = Duration::from_secs_f64(args.seconds);
    let results = measure(&cases, budget, |done, what| {
        progress.set_position(done as u64);
        progress.set_message(what.to_owned());
    });
    progress.finish_and_clear();
    let backend = jsontape::backend().name();
    let output = match results {
        Ok(results) if args.json => json_lines(&results, backend),
        Ok(results) => format!("backend: {backend}\n{}", table(&results)),
        Err(failure) => return Err(failure),
    };
    stdout_result(io::stdout().lock().write_all(output.as_bytes()))?;
    Ok(Status::Success)
}

/// The generated samples of the given kinds (all of them if none is given).
fn samples(kinds: &[SampleKind]) -> Vec<Case> {
    let kinds = if kinds.is_empty() {
        &SampleKind::ALL[..]
    } else {
        kinds
    };
    kinds
        .iter()
        .map(|kind| {
            let sample = kind.generate();
            Case {
                name: sample.name.to_owned(),
                input: Input::from_bytes(sample.name, sample.bytes),
                ndjson: sample.ndjson,
            }
        })
        .collect()
}

/// The user's files (directories expanded), opened and checked to be valid
/// JSON (or NDJSON) first, so that a bad file is reported as `validate` would.
fn load(paths: &[PathBuf]) -> Result<Vec<Case>, Failure> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let entries = std::fs::read_dir(path)
                .map_err(|e| Failure::io(&path.display().to_string(), &e))?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file()
                        && p.extension()
                            .is_some_and(|e| e == "json" || is_ndjson_extension(e))
                })
                .collect();
            if found.is_empty() {
                return Err(Failure::about(
                    Status::Trouble,
                    &path.display().to_string(),
                    "has no *.json, *.ndjson or *.jsonl files",
                ));
            }
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    let mut parser = jsontape::Parser::new();
    files
        .iter()
        .map(|path| {
            let input = Input::open(path)?;
            let ndjson = path.extension().is_some_and(is_ndjson_extension);
            check(&input, ndjson, &mut parser)?;
            let name = path.file_name().map_or_else(
                || input.name().to_owned(),
                |n| n.to_string_lossy().into_owned(),
            );
            Ok(Case {
                name,
                input,
                ndjson,
            })
        })
        .collect()
}

/// Whether a file extension marks NDJSON.
fn is_ndjson_extension(extension: &std::ffi::OsStr) -> bool {
    extension == "ndjson" || extension == "jsonl"
}

/// Reports the first error in `input`, as `validate` would.
fn check(input: &Input, ndjson: bool, parser: &mut jsontape::Parser) -> Result<(), Failure> {
    let bytes = input.bytes();
    if !ndjson {
        return match parser.parse(bytes) {
            Ok(_) => Ok(()),
            Err(e) => Err(report::invalid_json(input.name(), bytes, &e)),
        };
    }
    let mut first = None;
    let documents = validate::check_ndjson_documents(bytes, parser, |bad| {
        first.get_or_insert(bad);
    });
    match first {
        Some(error) => Err(report::located_error(input.name(), bytes, &error)),
        None if documents == 0 => Err(Failure::about(
            Status::Invalid,
            input.name(),
            "is empty (only blank lines)",
        )),
        None => Ok(()),
    }
}

/// How many contenders [`contenders`] makes.
const CONTENDERS: usize = 3;

/// A parser under test: parses one document and returns its root's element
/// count.
type Parse = Box<dyn FnMut(&[u8]) -> Result<usize, String>>;

/// The contenders: jsontape's tape with a reused `Parser`, jsontape's `Value`
/// DOM (built from a reused `Parser`'s tape), and serde_json::Value.
fn contenders() -> [(&'static str, Parse); CONTENDERS] {
    let mut tape_parser = jsontape::Parser::new();
    let mut dom_parser = jsontape::Parser::new();
    [
        (
            "jsontape tape (reused Parser)",
            Box::new(move |bytes: &[u8]| {
                tape_parser
                    .parse(bytes)
                    .map(|doc| doc.root().len())
                    .map_err(|e| e.to_string())
            }),
        ),
        (
            "jsontape Value (DOM)",
            Box::new(move |bytes: &[u8]| {
                dom_parser
                    .parse(bytes)
                    .map(|doc| doc.to_value().len())
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

/// Runs `parse` on the case's document, or on each of its NDJSON documents,
/// summing the check values.
fn parse_case(parse: &mut Parse, bytes: &[u8], ndjson: bool) -> Result<usize, String> {
    if !ndjson {
        return parse(bytes);
    }
    let mut sum = 0;
    for line in ndjson::documents(bytes) {
        sum += parse(line.text).map_err(|e| format!("line {}: {e}", line.number))?;
    }
    Ok(sum)
}

/// Measures every contender on every case, `budget` of timing per pair,
/// calling `progress` before each pair with the number done and what is
/// next. A contender that rejects a case gets that in its outcome; contenders
/// that disagree on a check value are a failure.
pub fn measure(
    cases: &[Case],
    budget: Duration,
    mut progress: impl FnMut(usize, &str),
) -> Result<Vec<Measurement>, Failure> {
    let mut contenders = contenders();
    let mut results = Vec::new();
    for case in cases {
        let bytes = case.input.bytes();
        let mut expected = None;
        for (parser, parse) in contenders.iter_mut() {
            progress(results.len(), &format!("{} / {parser}", case.name));
            let outcome = match parse_case(parse, bytes, case.ndjson) {
                Err(e) => Err(e),
                Ok(check) if *expected.get_or_insert(check) != check => {
                    return Err(Failure::about(
                        Status::Trouble,
                        &case.name,
                        format!("{parser} disagrees on the check value: {check} vs {expected:?}"),
                    ));
                }
                Ok(_) => {
                    // Steady state: the call above warmed up reusable buffers.
                    let (_, allocs) = alloc_counter::measure(|| {
                        black_box(parse_case(parse, black_box(bytes), case.ndjson))
                    });
                    let median = median_time(
                        || black_box(parse_case(parse, black_box(bytes), case.ndjson)),
                        budget,
                    );
                    Ok((median, allocs))
                }
            };
            results.push(Measurement {
                document: case.name.clone(),
                size: bytes.len(),
                parser,
                outcome,
            });
        }
    }
    Ok(results)
}

/// Median time of one call of `f`, from batches of about 10 ms within `budget`
/// (at least 5 batches).
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

/// Throughput in GB/s (10^9 bytes per second) of `size` bytes in `time`.
fn gigabytes_per_second(size: usize, time: Duration) -> f64 {
    size as f64 / time.as_secs_f64().max(1e-12) / 1e9
}

/// The results as an aligned text table, with each contender's speed relative
/// to the first one on the same document.
pub fn table(results: &[Measurement]) -> String {
    let mut out = format!(
        "{:<24} {:>9}  {:<30} {:>8} {:>11} {:>10} {:>11} {:>9}\n",
        "document", "size", "parser", "GB/s", "time/op", "allocs/op", "bytes/op", "rel.speed"
    );
    let mut baseline: Option<(&str, Duration)> = None;
    for m in results {
        let head = format!(
            "{:<24} {:>9}  {:<30}",
            m.document,
            human_bytes(m.size as u64),
            m.parser
        );
        let (median, allocs) = match &m.outcome {
            Ok(figures) => figures,
            Err(e) => {
                out += &format!("{head} rejected: {e}\n");
                continue;
            }
        };
        let base = match baseline {
            Some((document, time)) if document == m.document => time,
            _ => {
                baseline = Some((&m.document, *median));
                *median
            }
        };
        out += &format!(
            "{head} {:>8.3} {:>11} {:>10} {:>11} {:>8.2}x\n",
            gigabytes_per_second(m.size, *median),
            format!("{median:.2?}"),
            allocs.allocations,
            human_bytes(allocs.bytes),
            base.as_secs_f64() / median.as_secs_f64().max(1e-12),
        );
    }
    out
}

/// The results as JSON lines, one object per measurement.
pub fn json_lines(results: &[Measurement], backend: &str) -> String {
    results
        .iter()
        .map(|m| {
            let mut line = serde_json::json!({
                "document": m.document,
                "bytes": m.size,
                "parser": m.parser,
                "backend": backend,
            });
            let figures = match &m.outcome {
                Ok((median, allocs)) => serde_json::json!({
                    "median_ns": median.as_nanos() as u64,
                    "gb_per_s": gigabytes_per_second(m.size, *median),
                    "allocations": allocs.allocations,
                    "allocated_bytes": allocs.bytes,
                }),
                Err(e) => serde_json::json!({ "error": e }),
            };
            if let (Some(line), serde_json::Value::Object(figures)) =
                (line.as_object_mut(), figures)
            {
                line.extend(figures);
            }
            line.to_string() + "\n"
        })
        .collect()
}

/// `n` bytes in B, KiB or MiB.
fn human_bytes(n: u64) -> String {
    match n {
        0..1_024 => format!("{n} B"),
        1_024..1_048_576 => format!("{:.1} KiB", n as f64 / 1024.0),
        _ => format!("{:.1} MiB", n as f64 / 1_048_576.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ndjson_cases_sum_over_documents() {
        let [(_, mut tape), (_, mut dom), (_, mut serde)] = contenders();
        let bytes = b"[1,2]\n\n{\"a\":1}\n";
        assert_eq!(parse_case(&mut tape, bytes, true), Ok(3));
        assert_eq!(parse_case(&mut dom, bytes, true), Ok(3));
        assert_eq!(parse_case(&mut serde, bytes, true), Ok(3));
        let error = parse_case(&mut tape, b"1\n[", true).unwrap_err();
        assert!(error.starts_with("line 2: "), "{error}");
    }

    #[test]
    fn seconds_must_be_sensible() {
        assert_eq!(parse_seconds("0.25"), Ok(0.25));
        for bad in ["0", "-1", "inf", "NaN", "1e9", "x"] {
            assert!(parse_seconds(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn tables_show_rejections() {
        let results = [
            Measurement {
                document: "d".into(),
                size: 2_000,
                parser: "a",
                outcome: Ok((Duration::from_micros(1), Counts::default())),
            },
            Measurement {
                document: "d".into(),
                size: 2_000,
                parser: "b",
                outcome: Err("too deep".into()),
            },
        ];
        let text = table(&results);
        assert!(text.contains("2.000"), "{text}");
        assert!(
            text.contains("b                              rejected: too deep"),
            "{text}"
        );
        let lines = json_lines(&results, "portable");
        assert!(lines.contains(r#""gb_per_s":2.0"#), "{lines}");
        assert!(lines.contains(r#""error":"too deep""#), "{lines}");
    }
}
