//! NDJSON on all cores: the buffer is cut into chunks at line ends, each
//! chunk is a stream of its own on one of rayon's threads (with one parser
//! per thread), and the results are put back in input order.
//!
//! Offsets are stream-wide from the start (every chunk reads the same
//! buffer); a chunk counts its lines from 1, and an error's line is moved
//! down by the number of lines before the chunk, counted only when a chunk
//! has an error, and then once per chunk for all threads.

use super::engine::{Engine, Step};
use super::{Framing, StreamOptions};
use crate::de::deserialize_root;
use crate::document::Document;
use crate::error::{Error, ErrorKind};
use crate::parser::Parser;
use alloc::vec::Vec;
use rayon::prelude::*;
use serde::Deserialize;
use std::sync::OnceLock;

/// Deserializes every line of an NDJSON buffer into a `T`, on all cores;
/// the results are in input order, one per non-blank line. Like
/// [`Documents::deserialize`](crate::Documents::deserialize), strings
/// without escapes may borrow from `input`, and errors carry stream
/// positions.
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Row<'a> { id: u64, name: &'a str }
///
/// let input: String = (0..1000).map(|i| format!("{{\"id\": {i}, \"name\": \"row {i}\"}}\n")).collect();
/// let rows = jsontape::par_deserialize::<Row>(&input);
/// assert_eq!(rows.len(), 1000);
/// assert!(rows.iter().enumerate().all(|(i, row)| row.as_ref().is_ok_and(|r| r.id == i as u64)));
/// assert_eq!(rows[7].as_ref().unwrap().name, "row 7");
/// ```
pub fn par_deserialize<'a, T>(input: &'a (impl AsRef<[u8]> + ?Sized)) -> Vec<Result<T, Error>>
where
    T: Deserialize<'a> + Send,
{
    par_deserialize_with(input, StreamOptions::new())
}

/// [`par_deserialize`] with the given options. The input is cut into
/// chunks of at least [`window_size`](StreamOptions::window_size) bytes (a
/// few per thread); with [`Framing::Concatenated`], whose documents may span
/// lines, it is parsed as one chunk, on one thread.
///
/// ```
/// use jsontape::{StreamOptions, par_deserialize_with};
/// let input = "1\n2\nx\n4\n";
/// let options = StreamOptions::new().with_window_size(2); // tiny chunks, for the example
/// let numbers = par_deserialize_with::<u32>(input, options);
/// assert_eq!(numbers[1].as_ref().ok(), Some(&2));
/// assert_eq!(numbers[2].as_ref().unwrap_err().line(), 3);
/// assert_eq!(numbers[3].as_ref().ok(), Some(&4));
/// ```
pub fn par_deserialize_with<'a, T>(
    input: &'a (impl AsRef<[u8]> + ?Sized),
    options: StreamOptions,
) -> Vec<Result<T, Error>>
where
    T: Deserialize<'a> + Send,
{
    run(input.as_ref(), options, |chunk, parser| {
        let (text, start) = match chunk.next(parser)? {
            Ok(found) => found,
            Err(error) => return Some(Err(error)),
        };
        let result = {
            let doc = Document::borrowed(text, parser.buffers());
            deserialize_root::<T>(&doc, text)
        };
        Some(result.map_err(|error| chunk.locate(error, start)))
    })
}

/// Calls `f` with every document of an NDJSON buffer (or the error in its
/// place), on all cores, and returns the results in input order. `f` runs on
/// rayon's threads, each document on the thread that parsed it.
///
/// ```
/// let input = "{\"tags\": [\"a\", \"b\"]}\n{\"tags\": []}\n{\"tags\": [\"c\"}\n";
/// let counts = jsontape::par_map(input, |doc| doc.map(|doc| doc.root().get("tags").map_or(0, |t| t.len())));
/// assert_eq!(counts[0], Ok(2));
/// assert_eq!(counts[1], Ok(0));
/// assert_eq!(counts[2].as_ref().unwrap_err().line(), 3);
/// ```
pub fn par_map<I, R, F>(input: &I, f: F) -> Vec<R>
where
    I: AsRef<[u8]> + ?Sized,
    R: Send,
    F: Fn(Result<Document<'_>, Error>) -> R + Sync + Send,
{
    par_map_with(input, StreamOptions::new(), f)
}

/// [`par_map`] with the given options (chunking as in
/// [`par_deserialize_with`]).
///
/// ```
/// use jsontape::{StreamOptions, par_map_with};
/// let input = "[1]\n[1, 2]\n[1, 2, 3]\n";
/// let lens = par_map_with(input, StreamOptions::new().with_window_size(4), |doc| doc.map(|d| d.root().len()));
/// assert_eq!(lens, [Ok(1), Ok(2), Ok(3)]);
/// ```
pub fn par_map_with<I, R, F>(input: &I, options: StreamOptions, f: F) -> Vec<R>
where
    I: AsRef<[u8]> + ?Sized,
    R: Send,
    F: Fn(Result<Document<'_>, Error>) -> R + Sync + Send,
{
    run(input.as_ref(), options, |chunk, parser| {
        Some(match chunk.next(parser)? {
            Ok((text, _)) => f(Ok(Document::borrowed(text, parser.buffers()))),
            Err(error) => f(Err(error)),
        })
    })
}

/// Cuts `input` into chunks and collects `each`'s results (until it
/// returns `None`) for every chunk, in order.
fn run<'a, R, E>(input: &'a [u8], options: StreamOptions, each: E) -> Vec<R>
where
    R: Send,
    E: for<'c> Fn(&mut Chunk<'a, 'c>, &mut Parser) -> Option<R> + Sync + Send,
{
    let options = options.clamped();
    let bounds = chunks(input, &options);
    let lines: Vec<OnceLock<usize>> = bounds.iter().map(|_| OnceLock::new()).collect();
    let per_chunk: Vec<Vec<R>> = (0..bounds.len())
        .into_par_iter()
        .map_init(
            || Parser::with_options(options.parse),
            |parser, number| {
                let mut chunk = Chunk::new(input, options, &bounds, &lines, number);
                let mut results = Vec::new();
                while let Some(result) = each(&mut chunk, parser) {
                    results.push(result);
                }
                results
            },
        )
        .collect();
    let mut all = Vec::with_capacity(per_chunk.iter().map(Vec::len).sum());
    for results in per_chunk {
        all.extend(results);
    }
    all
}

/// Chunks of at least a window each, a few per thread, ending at line ends
/// (one chunk for `Concatenated`, whose documents may span lines).
fn chunks(input: &[u8], options: &StreamOptions) -> Vec<(usize, usize)> {
    if options.framing != Framing::Lines {
        return alloc::vec![(0, input.len())];
    }
    let pieces = rayon::current_num_threads().max(1) * 4;
    let target = (input.len() / pieces).max(options.window_size);
    let mut bounds = Vec::with_capacity(pieces + 1);
    let mut start = 0;
    while start < input.len() {
        let end = match start.checked_add(target) {
            Some(cut) if cut < input.len() => {
                memchr::memchr(b'\n', &input[cut..]).map_or(input.len(), |at| cut + at + 1)
            }
            _ => input.len(),
        };
        bounds.push((start, end));
        start = end;
    }
    if bounds.is_empty() {
        bounds.push((0, 0));
    }
    bounds
}

/// One chunk's stream.
struct Chunk<'a, 'c> {
    /// The input up to the chunk's end.
    data: &'a [u8],
    engine: Engine,
    bounds: &'c [(usize, usize)],
    /// The number of lines of each chunk, counted when needed.
    lines: &'c [OnceLock<usize>],
    number: usize,
    /// The number of lines before this chunk, once counted.
    lines_before: Option<usize>,
}

impl<'a, 'c> Chunk<'a, 'c> {
    fn new(
        input: &'a [u8],
        options: StreamOptions,
        bounds: &'c [(usize, usize)],
        lines: &'c [OnceLock<usize>],
        number: usize,
    ) -> Self {
        let (start, end) = bounds[number];
        let engine = if start == 0 {
            Engine::new(options)
        } else {
            Engine::at(options, start)
        };
        Chunk {
            data: &input[..end],
            engine,
            bounds,
            lines,
            number,
            lines_before: None,
        }
    }

    /// The next document's text and offset (its tape in `parser`), or the
    /// error in its place, with stream-wide positions.
    fn next(&mut self, parser: &mut Parser) -> Option<Result<(&'a str, usize), Error>> {
        let data = self.data;
        match self.engine.step(parser, data, 0, true) {
            Step::Document { start, end } => Some(match self.engine.text(data, 0, start, end) {
                Some(text) => Ok((text, start)),
                None => Err(self.locate(Error::at(ErrorKind::InvalidUtf8, &[], 0), start)),
            }),
            Step::Error(error) => Some(Err(self.globalize(error))),
            Step::NeedMore(_) | Step::End => None,
        }
    }

    /// Moves `error`, located in the document at `start`, to its stream-wide
    /// position.
    fn locate(&mut self, error: Error, start: usize) -> Error {
        let error = self.engine.locate(error, self.data, 0, start);
        self.globalize(error)
    }

    /// Moves an error with chunk lines to stream lines.
    fn globalize(&mut self, error: Error) -> Error {
        let before = match self.lines_before {
            Some(before) => before,
            None => {
                let before = (0..self.number)
                    .map(|number| {
                        *self.lines[number].get_or_init(|| {
                            let (start, end) = self.bounds[number];
                            memchr::memchr_iter(b'\n', &self.data[start..end]).count()
                        })
                    })
                    .sum();
                *self.lines_before.insert(before)
            }
        };
        error.lines_down(before)
    }
}
