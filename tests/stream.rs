//! Document streams (src/stream): NDJSON and concatenated JSON from a buffer,
//! from an `io::Read` and (with `--features rayon`) in parallel.
//!
//! The reference for `Lines` is the definition: every non-blank line, parsed
//! alone with `jsontape::parse` (its `\r` before `\n` removed), gives the same
//! document or the same error, moved to the line's place in the stream. Every
//! source (buffer, reader reading 1 to 7 bytes at a time with interruptions,
//! reader reading all it can, parallel) and every window size (16 bytes,
//! which makes most lines outgrow the window, up to the default 1 MiB) must
//! give exactly that list.

mod common;

use std::io::{self, Read};

use common::alloc_counter::{Counting, measure};
use jsontape::{
    Backend, Document, Documents, Error, ErrorKind, Framing, Parser, ReadDocuments, StreamOptions,
};
use proptest::prelude::*;

#[global_allocator]
static GLOBAL: Counting = Counting;

// --- what a stream produced, comparable across sources ------------------------

/// One item of a stream: a document (its text, the root's raw text and the
/// root printed compactly) or an error (everything observable about it).
#[derive(Debug, Clone, PartialEq)]
enum Got {
    Doc {
        text: String,
        raw: String,
        compact: String,
    },
    Err {
        kind: ErrorKind,
        offset: usize,
        line: usize,
        column: usize,
        message: String,
    },
}

fn got_doc(doc: &Document<'_>) -> Got {
    Got::Doc {
        text: doc.input().to_owned(),
        raw: doc.root().raw_json().to_owned(),
        compact: doc.root().to_string(),
    }
}

fn got_err(e: &Error) -> Got {
    Got::Err {
        kind: e.kind(),
        offset: e.offset(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    }
}

fn got(result: Result<Document<'_>, Error>) -> Got {
    match result {
        Ok(doc) => got_doc(&doc),
        Err(e) => got_err(&e),
    }
}

// --- sources -------------------------------------------------------------------

fn from_buffer(input: &[u8], options: StreamOptions) -> Vec<Got> {
    let mut docs = Documents::with_options(input, options);
    let mut all = Vec::new();
    while let Some(result) = docs.next_document() {
        all.push(got(result));
    }
    assert!(docs.next_document().is_none(), "the stream stays ended");
    all
}

/// A reader that returns 1 to 7 bytes per read, and now and then
/// `Interrupted` (which the stream must retry).
struct Trickle<'a> {
    data: &'a [u8],
    rng: Rng,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.rng.below(6) == 0 {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "again"));
        }
        let n = (1 + self.rng.below(7)).min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

fn from_reader<R: Read>(reader: R, options: StreamOptions) -> Vec<Got> {
    let mut docs = ReadDocuments::with_options(reader, options);
    let mut all = Vec::new();
    while let Some(result) = docs.next_document() {
        all.push(got(result));
        assert!(
            docs.window_capacity() <= options.window_size.max(options.max_document_size + 16),
            "window {} over the limit",
            docs.window_capacity()
        );
    }
    assert!(docs.next_document().is_none(), "the stream stays ended");
    all
}

#[cfg(feature = "rayon")]
fn from_parallel(input: &[u8], options: StreamOptions) -> Vec<Got> {
    jsontape::par_map_with(input, options, got)
}

/// Every source with `options`, each compared with `expected`.
fn check_sources(input: &[u8], options: StreamOptions, expected: &[Got]) {
    let show = String::from_utf8_lossy(&input[..input.len().min(300)]);
    let window = options.window_size;
    assert_eq!(
        from_buffer(input, options),
        expected,
        "buffer, window {window}: {show:?}"
    );
    assert_eq!(
        from_reader(input, options),
        expected,
        "reader, window {window}: {show:?}"
    );
    let trickle = Trickle {
        data: input,
        rng: Rng(input.len() as u64 + 7),
    };
    assert_eq!(
        from_reader(trickle, options),
        expected,
        "trickling reader, window {window}: {show:?}"
    );
    #[cfg(feature = "rayon")]
    assert_eq!(
        from_parallel(input, options),
        expected,
        "parallel, window {window}: {show:?}"
    );
    check_typed(input, options, expected);
}

/// The typed iterators agree with the documents: a value for each document
/// (deserialized as serde_json reads its compact form), the same error for
/// each error.
fn check_typed(input: &[u8], options: StreamOptions, expected: &[Got]) {
    let typed = |result: Result<serde_json::Value, Error>| match result {
        Ok(value) => Ok(value),
        Err(e) => Err(got_err(&e)),
    };
    let want: Vec<Result<serde_json::Value, Got>> = expected
        .iter()
        .map(|g| match g {
            Got::Doc { compact, .. } => Ok(serde_json::from_str(compact).unwrap()),
            err => Err(err.clone()),
        })
        .collect();
    let buffer: Vec<_> = Documents::with_options(input, options)
        .deserialize::<serde_json::Value>()
        .map(typed)
        .collect();
    assert_eq!(buffer, want, "typed buffer stream");
    let reader: Vec<_> = ReadDocuments::with_options(input, options)
        .deserialize::<serde_json::Value>()
        .map(typed)
        .collect();
    assert_eq!(reader, want, "typed reader stream");
    #[cfg(feature = "rayon")]
    {
        let parallel: Vec<_> = jsontape::par_deserialize_with::<serde_json::Value>(input, options)
            .into_iter()
            .map(typed)
            .collect();
        assert_eq!(parallel, want, "typed parallel stream");
    }
}

/// Window sizes from tiny (most lines outgrow the window) to the default,
/// and the portable backend.
fn variants(base: StreamOptions) -> Vec<StreamOptions> {
    vec![
        base.with_window_size(16),
        base.with_window_size(100),
        base.with_window_size(4096),
        base.with_window_size(StreamOptions::DEFAULT_WINDOW_SIZE),
        base.with_window_size(64).with_backend(Backend::Portable),
    ]
}

// --- the reference for Lines -----------------------------------------------------

/// What `Lines` must produce: each non-blank line parsed alone, with its
/// error moved to the stream.
fn reference_lines(input: &[u8], options: StreamOptions) -> Vec<Got> {
    let (mut offset, body) = match input.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (3, rest),
        None => (0, input),
    };
    let mut parser = Parser::with_options(options.parse);
    let mut all = Vec::new();
    for (number, piece) in body.split(|&b| b == b'\n').enumerate() {
        let line = number + 1;
        let text = piece.strip_suffix(b"\r").unwrap_or(piece);
        let start = offset;
        offset += piece.len() + 1;
        if text.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
            continue;
        }
        if text.len() > options.max_document_size {
            all.push(Got::Err {
                kind: ErrorKind::DocumentTooLarge,
                offset: start,
                line,
                column: 1,
                message: format!(
                    "document larger than the maximum document size ({} bytes) at line {line} column 1",
                    options.max_document_size
                ),
            });
            continue;
        }
        all.push(match parser.parse(text) {
            Ok(doc) => got_doc(&doc),
            Err(e) => moved(&e, start, line),
        });
    }
    all
}

/// `e`, from a line parsed alone, as the stream reports it: at `start` (the
/// line's offset in the stream) on line `line`.
fn moved(e: &Error, start: usize, line: usize) -> Got {
    assert_eq!(e.line(), 1, "a line alone has one line");
    let message = e.to_string();
    let suffix = format!(" at line 1 column {}", e.column());
    let head = message
        .strip_suffix(&suffix)
        .expect("message ends with the position");
    Got::Err {
        kind: e.kind(),
        offset: start + e.offset(),
        line,
        column: e.column(),
        message: format!("{head} at line {line} column {}", e.column()),
    }
}

/// Checks `input` as NDJSON against the reference, with every source and window.
fn check_lines(input: &[u8], base: StreamOptions) {
    for options in variants(base) {
        let expected = reference_lines(input, options);
        check_sources(input, options, &expected);
    }
}

// --- generated data ----------------------------------------------------------------

/// xorshift64*, for reproducible generated streams.
#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// A random compact JSON value of up to `depth` levels.
fn random_json(rng: &mut Rng, depth: usize, out: &mut String) {
    let kinds = if depth == 0 { 6 } else { 8 };
    match rng.below(kinds) {
        0 => out.push_str(rng.pick(&["null", "true", "false"])),
        1 => out.push_str(&(rng.next() as i64 >> rng.below(60)).to_string()),
        2 => out.push_str(rng.pick(&[
            "0.5",
            "-1.25e-7",
            "3.141592653589793",
            "1e300",
            "-0",
            "18446744073709551616",
        ])),
        3 | 4 => {
            let pieces = [
                "a",
                "é",
                "日本",
                "🎉",
                " ",
                "\\n",
                "\\\"",
                "\\\\",
                "\\u00e9",
                "\\ud83c\\udf89",
                "x\\ty",
                "/",
            ];
            out.push('"');
            for _ in 0..rng.below(6) {
                out.push_str(rng.pick(&pieces));
            }
            out.push('"');
        }
        5 => out.push_str(&rng.below(1000).to_string()),
        6 => {
            out.push('[');
            for i in 0..rng.below(5) {
                if i > 0 {
                    out.push_str(rng.pick(&[",", ", ", " , "]));
                }
                random_json(rng, depth - 1, out);
            }
            out.push(']');
        }
        _ => {
            out.push('{');
            for i in 0..rng.below(5) {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&format!("\"k{}\":", rng.below(10)));
                random_json(rng, depth - 1, out);
            }
            out.push('}');
        }
    }
}

/// Lines that fail, one (at least) for every error kind a line can have,
/// with the kind `parse` gives.
fn bad_lines() -> Vec<(Vec<u8>, ErrorKind)> {
    let deep = format!("{}1{}", "[".repeat(1100), "]".repeat(1100));
    let table: Vec<(&[u8], ErrorKind)> = vec![
        (b"[1, 2", ErrorKind::UnexpectedEnd),
        (b"{\"a\": ", ErrorKind::UnexpectedEnd),
        (b"tru", ErrorKind::UnexpectedEnd),
        (b"[1, ]", ErrorKind::ExpectedValue),
        (b"\x01", ErrorKind::ExpectedValue),
        (b"{,}", ErrorKind::ExpectedKey),
        (b"{\"a\" 1}", ErrorKind::ExpectedColon),
        (b"{\"a\": 1 \"b\": 2}", ErrorKind::ExpectedCommaOrObjectEnd),
        (b"[1 2]", ErrorKind::ExpectedCommaOrArrayEnd),
        (b"[1] 2", ErrorKind::TrailingCharacters),
        (b"{} {}", ErrorKind::TrailingCharacters),
        (b"[tru]", ErrorKind::InvalidLiteral),
        (b"nul", ErrorKind::UnexpectedEnd),
        (b"[01]", ErrorKind::InvalidNumber),
        (b"-", ErrorKind::UnexpectedEnd),
        (b"[1e400]", ErrorKind::NumberOutOfRange),
        (b"[\"abc", ErrorKind::UnterminatedString),
        (b"\"abc\\\"", ErrorKind::UnterminatedString),
        (b"\"\\", ErrorKind::UnterminatedString),
        (b"[\"a\x01b\"]", ErrorKind::ControlCharacterInString),
        (b"{\"tab\there\": 1}", ErrorKind::ControlCharacterInString),
        (b"[\"a\\qb\"]", ErrorKind::InvalidEscape),
        (b"[\"\\u12G4\"]", ErrorKind::InvalidUnicodeEscape),
        (b"[\"\\ud800\"]", ErrorKind::LoneSurrogate),
        (b"[\"\xff\"]", ErrorKind::InvalidUtf8),
        (b"\xc3", ErrorKind::InvalidUtf8),
        (b"[1, 2 \"\xe9t\xe9\"]", ErrorKind::InvalidUtf8),
        (deep.as_bytes(), ErrorKind::DepthLimitExceeded),
    ];
    table
        .into_iter()
        .map(|(line, kind)| (line.to_vec(), kind))
        .collect()
}

#[test]
fn the_bad_lines_have_their_kinds() {
    for (line, kind) in bad_lines() {
        let e = jsontape::parse(&line).unwrap_err();
        assert_eq!(e.kind(), kind, "{:?}", String::from_utf8_lossy(&line));
    }
}

/// A generated NDJSON stream of about `lines` lines: good documents, every
/// bad line, blank and whitespace lines, LF or CRLF, sometimes a BOM, huge
/// lines, and an end with or without a line end or cut short.
fn generate_lines(rng: &mut Rng, lines: usize) -> Vec<u8> {
    let bad = bad_lines();
    let mut out = Vec::new();
    if rng.below(4) == 0 {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let crlf_stream = rng.below(3) == 0;
    for _ in 0..lines {
        match rng.below(20) {
            0..=10 => {
                let mut doc = String::new();
                if rng.below(5) == 0 {
                    doc.push_str(rng.pick(&[" ", "\t", "  \t "]));
                }
                random_json(rng, 3, &mut doc);
                if rng.below(5) == 0 {
                    doc.push_str(rng.pick(&[" ", "\t", " \r "]));
                }
                out.extend_from_slice(doc.as_bytes());
            }
            11..=14 => out.extend_from_slice(&bad[rng.below(bad.len())].0),
            15 => {}
            16 => out.extend_from_slice(rng.pick(&[&b"   "[..], &b"\t"[..], &b" \t \r"[..]])),
            17 => {
                // Larger than most windows.
                let n = 50 + rng.below(400);
                let items: Vec<String> = (0..n).map(|i| i.to_string()).collect();
                out.extend_from_slice(format!("[{}]", items.join(",")).as_bytes());
            }
            18 => {
                let n = 100 + rng.below(2000);
                out.extend_from_slice(format!("\"{}\"", "é".repeat(n)).as_bytes());
            }
            _ => out.extend_from_slice(b"{\"a\": [1, {\"b\": null}], \"c\": \"\\u00e9\"}"),
        }
        let crlf = crlf_stream || rng.below(10) == 0;
        out.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
    }
    match rng.below(4) {
        0 => {
            // The last line without a line end.
            out.extend_from_slice(b"{\"last\": true}");
        }
        1 => {
            // The last line cut short.
            let mut doc = String::new();
            random_json(rng, 3, &mut doc);
            let doc = format!("{{\"last\": {doc}}}");
            let cut = 1 + rng.below(doc.len() - 1);
            out.extend_from_slice(&doc.as_bytes()[..cut]);
        }
        _ => {}
    }
    out
}

// --- Lines -----------------------------------------------------------------------

#[test]
fn every_error_kind_in_one_stream() {
    let mut input = Vec::new();
    for (i, (line, _)) in bad_lines().into_iter().enumerate() {
        input.extend_from_slice(format!("{{\"good\": {i}}}\n").as_bytes());
        input.extend_from_slice(&line);
        input.extend_from_slice(if i % 2 == 0 { b"\n" } else { b"\r\n" });
    }
    input.extend_from_slice(b"\"the end\"");
    let expected = reference_lines(&input, StreamOptions::new());
    let kinds: Vec<ErrorKind> = expected
        .iter()
        .filter_map(|g| match g {
            Got::Err { kind, .. } => Some(*kind),
            Got::Doc { .. } => None,
        })
        .collect();
    let want: Vec<ErrorKind> = bad_lines().into_iter().map(|(_, kind)| kind).collect();
    assert_eq!(kinds, want);
    assert_eq!(expected.len(), 2 * want.len() + 1);
    check_lines(&input, StreamOptions::new());
}

#[test]
fn generated_streams() {
    let mut rng = Rng(0x5eed_0001);
    for round in 0..12 {
        let input = generate_lines(&mut rng, 10 + round * 8);
        check_lines(&input, StreamOptions::new());
    }
}

#[test]
fn generated_streams_with_a_small_document_limit() {
    let mut rng = Rng(0x5eed_0002);
    for round in 0..6 {
        let input = generate_lines(&mut rng, 30 + round * 10);
        check_lines(&input, StreamOptions::new().with_max_document_size(40));
    }
}

#[test]
fn positions_are_stream_positions() {
    let input = "\u{feff}[1]\r\n\r\n  \n{\"a\": [1, 2,]}\r\n[\"x\"]\n";
    let got = from_buffer(input.as_bytes(), StreamOptions::new());
    assert_eq!(got.len(), 3);
    // The BOM is skipped: line 1 starts after it.
    assert!(matches!(&got[0], Got::Doc { text, .. } if text == "[1]"));
    // Line 4, `]` at column 13; offset counts the BOM's 3 bytes.
    let Got::Err {
        kind,
        offset,
        line,
        column,
        message,
    } = &got[1]
    else {
        panic!("{:?}", got[1]);
    };
    assert_eq!((*kind, *line, *column), (ErrorKind::ExpectedValue, 4, 13));
    assert_eq!(*offset, input.find(",]").unwrap() + 1);
    assert_eq!(
        message,
        "expected a JSON value, found ']' at line 4 column 13"
    );
    assert!(matches!(&got[2], Got::Doc { compact, .. } if compact == "[\"x\"]"));
    check_lines(input.as_bytes(), StreamOptions::new());
}

#[test]
fn a_bom_is_skipped_only_at_the_start() {
    let input = b"\xEF\xBB\xBF1\n\xEF\xBB\xBF2\n";
    let got = from_buffer(input, StreamOptions::new());
    assert!(matches!(&got[0], Got::Doc { text, .. } if text == "1"));
    assert!(matches!(
        got[1],
        Got::Err {
            kind: ErrorKind::ExpectedValue,
            offset: 5,
            line: 2,
            column: 1,
            ..
        }
    ));
    check_lines(input, StreamOptions::new());
    // A BOM and nothing else, or part of one.
    assert_eq!(from_buffer(b"\xEF\xBB\xBF", StreamOptions::new()), []);
    check_lines(b"\xEF\xBB", StreamOptions::new());
    check_lines(b"\xEF\xBB\xBF\n\n", StreamOptions::new());
}

#[test]
fn a_truncated_last_document_is_an_error() {
    let input = b"{\"a\": 1}\n{\"b\": [1, 2";
    let got = from_buffer(input, StreamOptions::new());
    assert_eq!(got.len(), 2);
    assert!(matches!(
        got[1],
        Got::Err {
            kind: ErrorKind::UnexpectedEnd,
            offset: 20,
            line: 2,
            column: 12,
            ..
        }
    ));
    check_lines(input, StreamOptions::new());
    check_lines(b"[1]\n\"abc", StreamOptions::new());
    check_lines(b"[1]\n12", StreamOptions::new());
    check_lines(b"[1]\r\n-", StreamOptions::new());
}

#[test]
fn invalid_utf8_or_a_control_character_fails_only_its_line() {
    // Many small lines in one region, with problems here and there: an
    // unterminated string leaves stage 1 "inside a string" until the end of
    // the region, which must not touch the lines after it.
    let mut input = Vec::new();
    for i in 0..300 {
        match i % 37 {
            5 => input.extend_from_slice(b"[\"open"),
            11 => input.extend_from_slice(b"{\"k\": \"\xff\xfe\"}"),
            17 => input.extend_from_slice(b"[\"tab\tinside\"]"),
            23 => input.extend_from_slice(b"\"ends with a backslash\\"),
            29 => input.extend_from_slice(b"[\"\xe6\x97\xa5\", \"\xe6\x97\"]"),
            _ => {
                input.extend_from_slice(format!("{{\"i\": {i}, \"s\": \"\\\"q\\\"\"}}").as_bytes())
            }
        }
        input.push(b'\n');
    }
    let expected = reference_lines(&input, StreamOptions::new());
    assert_eq!(expected.len(), 300);
    let errors = expected
        .iter()
        .filter(|g| matches!(g, Got::Err { .. }))
        .count();
    assert_eq!(errors, 5 * 8);
    check_lines(&input, StreamOptions::new());
}

#[test]
fn lines_longer_than_the_window() {
    let long: String = format!(
        "[{}]",
        (0..3000)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",")
    );
    let input = format!("1\n{long}\n2\n{long}\r\n\n{long}");
    let options = StreamOptions::new().with_window_size(16);
    let got = from_reader(input.as_bytes(), options);
    assert_eq!(got.len(), 5);
    assert!(matches!(&got[1], Got::Doc { raw, .. } if raw == &long));
    check_lines(input.as_bytes(), StreamOptions::new());
}

#[test]
fn blank_lines_of_every_kind_are_skipped() {
    let input = b"\n\r\n \t \r\n1\n\n\n   \n2\r\n\t\n";
    let got = from_buffer(input, StreamOptions::new());
    assert_eq!(got.len(), 2);
    check_lines(input, StreamOptions::new());
    check_lines(b"", StreamOptions::new());
    check_lines(b"\n\n\n", StreamOptions::new());
    check_lines(b" ", StreamOptions::new());
}

// --- document size limit and memory ------------------------------------------------

#[test]
fn documents_over_the_limit_fail_and_the_stream_goes_on() {
    let limit = 1000;
    let big = format!("[{}]", "1234567,".repeat(200) + "0");
    assert!(big.len() > limit);
    let fits = format!("[{}]", "1,".repeat(400) + "0");
    assert!(fits.len() <= limit);
    let input = format!("{fits}\n{big}\n{fits}\r\n{big}\r\n[1]\n{big}");
    let options = StreamOptions::new().with_max_document_size(limit);
    let got = from_buffer(input.as_bytes(), options);
    let kinds: Vec<Option<ErrorKind>> = got
        .iter()
        .map(|g| match g {
            Got::Err { kind, .. } => Some(*kind),
            Got::Doc { .. } => None,
        })
        .collect();
    let too_large = Some(ErrorKind::DocumentTooLarge);
    assert_eq!(kinds, [None, too_large, None, too_large, None, too_large]);
    let Got::Err {
        line,
        column,
        offset,
        message,
        ..
    } = &got[3]
    else {
        unreachable!()
    };
    assert_eq!(
        (*line, *column, *offset),
        (4, 1, 2 * fits.len() + big.len() + 4)
    );
    assert_eq!(
        message,
        "document larger than the maximum document size (1000 bytes) at line 4 column 1"
    );
    check_lines(input.as_bytes(), options);

    // The reader's window grows to hold a document up to the limit, never
    // beyond, and shrinks back afterwards.
    for window in [16, 100, 999, 1000, 1001, 5000] {
        let options = options.with_window_size(window);
        let mut docs = ReadDocuments::with_options(input.as_bytes(), options);
        let mut most = 0;
        while let Some(doc) = docs.next_document() {
            drop(doc);
            most = most.max(docs.window_capacity());
        }
        assert!(
            most <= window.max(limit + 16),
            "window {window}: held {most}"
        );
        if window < limit {
            assert!(most > window, "window {window}: never grew");
        }
        assert_eq!(docs.window_capacity(), window, "shrunk back");
    }
}

#[test]
fn a_huge_line_is_skipped_in_bounded_memory() {
    // A reader that produces a line of 10 MB (never held), then small lines.
    struct Huge {
        left: usize,
        tail: &'static [u8],
    }
    impl Read for Huge {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.left > 0 {
                let n = buf.len().min(self.left);
                buf[..n].fill(b'7');
                if self.left == 10_000_000 {
                    buf[0] = b'[';
                }
                self.left -= n;
                return Ok(n);
            }
            let n = buf.len().min(self.tail.len());
            buf[..n].copy_from_slice(&self.tail[..n]);
            self.tail = &self.tail[n..];
            Ok(n)
        }
    }
    let options = StreamOptions::new()
        .with_window_size(4096)
        .with_max_document_size(64 << 10);
    let reader = Huge {
        left: 10_000_000,
        tail: b"]\n[1]\n{\"a\": 2}\n",
    };
    let mut docs = ReadDocuments::with_options(reader, options);
    let mut items = Vec::new();
    let mut most = 0;
    while let Some(doc) = docs.next_document() {
        items.push(got(doc));
        most = most.max(docs.window_capacity());
    }
    assert!(most <= (64 << 10) + 16, "held {most} bytes");
    assert!(matches!(
        items[0],
        Got::Err {
            kind: ErrorKind::DocumentTooLarge,
            offset: 0,
            line: 1,
            column: 1,
            ..
        }
    ));
    assert!(matches!(&items[1], Got::Doc { text, .. } if text == "[1]"));
    assert!(matches!(&items[2], Got::Doc { text, .. } if text == "{\"a\": 2}"));
    assert_eq!(items.len(), 3);
}

#[test]
fn a_long_blank_line_is_still_blank() {
    let options = StreamOptions::new()
        .with_window_size(16)
        .with_max_document_size(32);
    let blank = " ".repeat(100);
    let input = format!("1\n{blank}\n2\n{blank}3\n4\n{blank}");
    let got = from_buffer(input.as_bytes(), options);
    assert_eq!(got.len(), 4, "{got:?}");
    assert!(matches!(
        got[2],
        Got::Err {
            kind: ErrorKind::DocumentTooLarge,
            line: 4,
            column: 1,
            ..
        }
    ));
    check_sources(
        input.as_bytes(),
        options,
        &reference_lines(input.as_bytes(), options),
    );
}

#[test]
fn steady_state_allocates_nothing_per_document() {
    let line =
        "{\"id\": 12345, \"name\": \"esc\\naped\", \"tags\": [\"a\", \"b\"], \"score\": 1.5}\n";
    let input = line.repeat(4000);
    let options = StreamOptions::new().with_window_size(16 << 10);

    let mut docs = Documents::with_options(&input, options);
    for _ in 0..1000 {
        docs.next_document().unwrap().unwrap();
    }
    let (count, allocs) = measure(|| {
        let mut count = 0;
        while let Some(doc) = docs.next_document() {
            assert_eq!(doc.unwrap().root().len(), 4);
            count += 1;
        }
        count
    });
    assert_eq!(count, 3000);
    assert_eq!(allocs.calls(), 0, "buffer stream: {allocs:?}");

    let mut docs = ReadDocuments::with_options(input.as_bytes(), options);
    for _ in 0..1000 {
        docs.next_document().unwrap().unwrap();
    }
    let (count, allocs) = measure(|| {
        let mut count = 0;
        while let Some(doc) = docs.next_document() {
            assert_eq!(doc.unwrap().root().len(), 4);
            count += 1;
        }
        count
    });
    assert_eq!(count, 3000);
    assert_eq!(allocs.calls(), 0, "reader stream: {allocs:?}");
}

// --- the reader ------------------------------------------------------------------

#[test]
fn read_errors_end_the_stream_with_one_error() {
    struct FailsAfter<'a> {
        data: &'a [u8],
        calls: usize,
    }
    impl Read for FailsAfter<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.calls += 1;
            match self.calls {
                1 => Err(io::Error::new(io::ErrorKind::Interrupted, "retry me")),
                2 => {
                    let n = buf.len().min(self.data.len());
                    buf[..n].copy_from_slice(&self.data[..n]);
                    Ok(n)
                }
                _ => Err(io::Error::new(io::ErrorKind::BrokenPipe, "pipe broke")),
            }
        }
    }
    let reader = FailsAfter {
        data: b"[1]\n[2]\n{\"partial\":",
        calls: 0,
    };
    let mut docs = ReadDocuments::new(reader);
    let got: Vec<Got> = std::iter::from_fn(|| docs.next_document().map(got)).collect();
    assert_eq!(got.len(), 3, "{got:?}");
    let Got::Err {
        kind,
        offset,
        line,
        column,
        message,
    } = &got[2]
    else {
        panic!()
    };
    assert_eq!((*kind, *offset, *line, *column), (ErrorKind::Io, 19, 3, 12));
    assert_eq!(message, "I/O error: pipe broke at line 3 column 12");
    assert!(docs.next_document().is_none());
}

#[test]
fn a_reader_that_is_never_interrupted_and_one_that_always_is_at_first() {
    struct Stubborn<'a> {
        data: &'a [u8],
        interruptions: usize,
    }
    impl Read for Stubborn<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.interruptions > 0 {
                self.interruptions -= 1;
                return Err(io::ErrorKind::Interrupted.into());
            }
            let n = buf.len().min(self.data.len()).min(3);
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }
    let input = b"{\"a\": 1}\n[true]\n";
    let expected = from_buffer(input, StreamOptions::new());
    let reader = Stubborn {
        data: input,
        interruptions: 100,
    };
    assert_eq!(from_reader(reader, StreamOptions::new()), expected);
}

// --- typed iteration -----------------------------------------------------------------

#[test]
fn typed_documents_borrow_and_report_stream_positions() {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Event<'a> {
        kind: &'a str,
        count: u32,
    }
    let input = "{\"kind\": \"a\", \"count\": 1}\n\n{\"kind\": \"b\", \"count\": -1}\r\n{\"kind\": \"c\" \"count\": 3}\n{\"kind\": \"d\", \"count\": 4}";
    let events: Vec<Result<Event<'_>, Error>> = Documents::new(input).deserialize().collect();
    assert_eq!(events.len(), 4);
    assert_eq!(
        events[0].as_ref().unwrap(),
        &Event {
            kind: "a",
            count: 1
        }
    );
    let e = events[1].as_ref().unwrap_err();
    assert_eq!(
        (e.kind(), e.path(), e.line(), e.column()),
        (ErrorKind::Deserialize, Some("count"), 3, 24)
    );
    assert_eq!(e.offset(), input.find("-1").unwrap());
    assert_eq!(
        e.to_string(),
        "count: invalid value: integer `-1`, expected u32 at line 3 column 24"
    );
    let e = events[2].as_ref().unwrap_err();
    assert_eq!(
        (e.kind(), e.line(), e.column()),
        (ErrorKind::ExpectedCommaOrObjectEnd, 4, 14)
    );
    assert_eq!(events[3].as_ref().unwrap().kind, "d");

    // The same from a reader, into owned values.
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Owned {
        kind: String,
        count: u32,
    }
    let trickle = Trickle {
        data: input.as_bytes(),
        rng: Rng(3),
    };
    let owned: Vec<Result<Owned, Error>> = ReadDocuments::new(trickle).deserialize().collect();
    assert_eq!(owned.len(), 4);
    assert_eq!(
        owned[3].as_ref().unwrap(),
        &Owned {
            kind: "d".into(),
            count: 4
        }
    );
    for (a, b) in events.iter().zip(&owned) {
        assert_eq!(a.as_ref().err(), b.as_ref().err());
    }
}

#[test]
fn data_errors_are_placed_in_the_stream() {
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Point {
        x: i32,
        y: i32,
    }
    // Concatenated: the second document starts mid-line, so the error's
    // column counts from the start of the line, not of the document.
    let input = "{\"x\": 1, \"y\": 2} {\"x\": 3,\n \"y\": true} {\"x\": \"4\", \"y\": 5}";
    let options = concatenated();
    let points: Vec<Result<Point, Error>> = Documents::with_options(input, options)
        .deserialize()
        .collect();
    assert!(points[0].is_ok());
    let e = points[1].as_ref().unwrap_err();
    assert_eq!(
        (e.path(), e.offset(), e.line(), e.column()),
        (Some("y"), 32, 2, 7)
    );
    let e = points[2].as_ref().unwrap_err();
    assert_eq!((e.path(), e.line(), e.column()), (Some("x"), 2, 19));
    assert_eq!(e.offset(), input.find("\"4\"").unwrap());
    // The same from every source, lines counted across chunks.
    let lines = "{\"x\": 1, \"y\": 2}\n".repeat(50) + "{\"x\": 1, \"y\": null}\n";
    for window in [16, 1 << 20] {
        let options = StreamOptions::new().with_window_size(window);
        let want: Vec<Option<(usize, usize, usize)>> = Documents::with_options(&lines, options)
            .deserialize::<Point>()
            .map(|r| r.err().map(|e| (e.offset(), e.line(), e.column())))
            .collect();
        assert_eq!(want[50], Some((lines.len() - 6, 51, 15)));
        let read: Vec<_> = ReadDocuments::with_options(lines.as_bytes(), options)
            .deserialize::<Point>()
            .map(|r| r.err().map(|e| (e.offset(), e.line(), e.column())))
            .collect();
        assert_eq!(read, want);
        #[cfg(feature = "rayon")]
        {
            let parallel: Vec<_> = jsontape::par_deserialize_with::<Point>(&lines, options)
                .into_iter()
                .map(|r| r.err().map(|e| (e.offset(), e.line(), e.column())))
                .collect();
            assert_eq!(parallel, want);
        }
    }
}

#[test]
fn a_parser_lends_its_buffers_to_many_streams() {
    let mut parser = Parser::new();
    for round in 0..3 {
        let input = format!("[{round}]\n{{\"r\": {round}}}\n");
        let mut docs = parser.documents(&input);
        let mut n = 0;
        while let Some(doc) = docs.next_document() {
            assert_eq!(doc.unwrap().root().len(), 1);
            n += 1;
        }
        assert_eq!(n, 2);
    }
    assert!(parser.parse("[1, 2]").is_ok());
}

// --- Concatenated ------------------------------------------------------------------

fn concatenated() -> StreamOptions {
    StreamOptions::new().with_framing(Framing::Concatenated)
}

/// Every source and window size gives the same as the buffer stream with the
/// default window; returns that.
fn check_concatenated(input: &[u8], base: StreamOptions) -> Vec<Got> {
    let expected = from_buffer(input, base);
    for options in variants(base) {
        check_sources(input, options, &expected);
    }
    expected
}

fn texts(got: &[Got]) -> Vec<String> {
    got.iter()
        .map(|g| match g {
            Got::Doc { text, .. } => text.clone(),
            Got::Err {
                kind, line, column, ..
            } => format!("{kind:?}@{line}:{column}"),
        })
        .collect()
}

#[test]
fn concatenated_values() {
    let got = check_concatenated(br#"{"a":1} {"b":2}[3]4"#, concatenated());
    assert_eq!(texts(&got), [r#"{"a":1}"#, r#"{"b":2}"#, "[3]", "4"]);
    let got = check_concatenated(b"1 2\t3\n\"x\"\"y\"[]{}null true\r\nfalse", concatenated());
    assert_eq!(
        texts(&got),
        [
            "1", "2", "3", "\"x\"", "\"y\"", "[]", "{}", "null", "true", "false"
        ]
    );
    // Documents span lines.
    let input = "{\n  \"a\": [\n    1,\n    2\n  ]\n}\n[\n\"x\"\n]";
    let got = check_concatenated(input.as_bytes(), concatenated());
    assert_eq!(
        texts(&got),
        ["{\n  \"a\": [\n    1,\n    2\n  ]\n}", "[\n\"x\"\n]"]
    );
    // Empty and blank input.
    assert_eq!(check_concatenated(b"", concatenated()), []);
    assert_eq!(check_concatenated(b" \n\r\n\t", concatenated()), []);
    assert_eq!(
        check_concatenated(b"\xEF\xBB\xBF 1", concatenated()).len(),
        1
    );
}

#[test]
fn concatenated_errors_resume_at_the_next_line() {
    let input = "[1] [2 3] [4]\n{\"a\" 1} 5\n6 [7]\n[8";
    let got = check_concatenated(input.as_bytes(), concatenated());
    assert_eq!(
        texts(&got),
        [
            "[1]",
            "ExpectedCommaOrArrayEnd@1:8",
            "ExpectedColon@2:6",
            "6",
            "[7]",
            "UnexpectedEnd@4:3"
        ]
    );
    // Scalars that run together are one (bad) token.
    let got = check_concatenated(b"1\"x\" 2\ntruefalse 3\n4", concatenated());
    assert_eq!(
        texts(&got),
        ["InvalidNumber@1:2", "InvalidLiteral@2:5", "4"]
    );
}

#[test]
fn concatenated_problems_fail_the_document_that_reaches_them() {
    // A control character in a string, and invalid UTF-8, inside and after
    // documents on the same line.
    let input = b"[1] [\"a\tb\"] [2]\n[3] {\"k\": \"\xff\"} [4]\n[5]\xff\n12\xff 13\n\"x\\\x01\" 14\n[\"open\n[6]";
    let got = check_concatenated(input, concatenated());
    assert_eq!(
        texts(&got),
        [
            "[1]",
            "ControlCharacterInString@1:8",
            "[3]",
            "InvalidUtf8@2:12",
            "[5]",
            "InvalidUtf8@3:4",
            "InvalidUtf8@4:3",
            "ControlCharacterInString@5:4",
            "ControlCharacterInString@6:7",
            "[6]",
        ]
    );
}

#[test]
fn concatenated_documents_larger_than_the_window_and_the_limit() {
    let big = format!(
        "[{}]",
        (0..2000)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",\n")
    );
    let input = format!("1 {big} 2\n{big}\n3");
    let got = check_concatenated(input.as_bytes(), concatenated());
    assert_eq!(got.len(), 5);
    // Over the limit: an error at the document's start, then the stream goes
    // on after the first line end past the limit.
    let options = concatenated().with_max_document_size(100);
    let input = "[1] [2,\n3,\n4] \"".to_owned()
        + &"x".repeat(150)
        + "\" 5\n6\n[7,\n"
        + &"8,\n".repeat(60)
        + "9]\n10";
    let got = check_concatenated(input.as_bytes(), options);
    assert_eq!(
        texts(&got)[..3],
        ["[1]", "[2,\n3,\n4]", "DocumentTooLarge@3:4"]
    );
    assert_eq!(texts(&got)[3..5], ["6", "DocumentTooLarge@5:1"]);
}

// --- property tests ----------------------------------------------------------------

/// A line made from a random document, perhaps corrupted: cut short, or with
/// a byte inserted, replaced or removed.
fn corrupted_line() -> impl Strategy<Value = Vec<u8>> {
    let doc = common::strategies::json_value().prop_map(|v| serde_json::to_vec(&v).unwrap());
    let bytes = prop::sample::select(b"\x00\x01\x1f \t\r\n\"\\,:[]{}x0-e.\xff\xc3\x80".to_vec());
    (doc, 0..6u8, any::<prop::sample::Index>(), bytes).prop_map(|(mut doc, how, at, byte)| {
        if doc.is_empty() {
            return doc;
        }
        let at = at.index(doc.len());
        match how {
            0 => doc.truncate(at),
            1 => doc.insert(at, byte),
            2 => doc[at] = byte,
            3 => {
                doc.remove(at);
            }
            _ => {}
        }
        doc
    })
}

/// What goes between lines: line ends, blank lines, CRLF.
fn separator() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "\n", "\n", "\n", "\r\n", "\n\n", "\n \t\n", "\r\n\r\n", " \n",
    ])
}

/// 64 cases each unless `PROPTEST_CASES` says otherwise: every case runs
/// several streams over several windows.
fn stream_config() -> ProptestConfig {
    let mut config = common::strategies::config();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 64;
    }
    config
}

proptest! {
    #![proptest_config(stream_config())]

    /// Random documents, random corruptions, random separators: the stream
    /// gives exactly what parsing each line alone gives, from every source
    /// and window.
    #[test]
    fn lines_agree_with_parsing_each_line(
        lines in prop::collection::vec((corrupted_line(), separator()), 0..12),
        bom in any::<bool>(),
        window in 1..300usize,
        end_with_newline in any::<bool>(),
    ) {
        let mut input = Vec::new();
        if bom {
            input.extend_from_slice(b"\xEF\xBB\xBF");
        }
        for (i, (line, sep)) in lines.iter().enumerate() {
            input.extend_from_slice(line);
            if end_with_newline || i + 1 < lines.len() {
                input.extend_from_slice(sep.as_bytes());
            }
        }
        let options = StreamOptions::new().with_window_size(window);
        let expected = reference_lines(&input, options);
        prop_assert_eq!(from_buffer(&input, StreamOptions::new()), expected.clone());
        prop_assert_eq!(from_buffer(&input, options), expected.clone());
        let trickle = Trickle { data: &input, rng: Rng(window as u64) };
        prop_assert_eq!(from_reader(trickle, options), expected.clone());
        #[cfg(feature = "rayon")]
        prop_assert_eq!(from_parallel(&input, options), expected);
    }

    /// Valid documents (compact or pretty, with surrounding whitespace)
    /// concatenated: each comes out as parsing it alone gives, from every
    /// source and window.
    #[test]
    fn concatenated_documents_come_out_whole(
        docs in prop::collection::vec(common::strategies::json_document(), 0..8),
        window in 1..300usize,
    ) {
        let mut input = String::new();
        let mut expected = Vec::new();
        for doc in &docs {
            input.push_str(doc);
            input.push(' ');
            let parsed = jsontape::parse(doc).unwrap();
            expected.push(Got::Doc {
                text: doc.trim_matches([' ', '\t', '\r', '\n']).to_owned(),
                raw: parsed.root().raw_json().to_owned(),
                compact: parsed.root().to_string(),
            });
        }
        let options = concatenated().with_window_size(window);
        prop_assert_eq!(from_buffer(input.as_bytes(), concatenated()), expected.clone());
        prop_assert_eq!(from_buffer(input.as_bytes(), options), expected.clone());
        let trickle = Trickle { data: input.as_bytes(), rng: Rng(window as u64) };
        prop_assert_eq!(from_reader(trickle, options), expected);
    }

    /// Concatenated documents with corruptions: every source and window
    /// agrees with the buffer stream (whose rules the tests above pin).
    #[test]
    fn concatenated_sources_agree(
        lines in prop::collection::vec((corrupted_line(), separator()), 0..8),
        window in 1..200usize,
    ) {
        let mut input = Vec::new();
        for (line, sep) in &lines {
            input.extend_from_slice(line);
            input.extend_from_slice(sep.as_bytes());
        }
        let expected = from_buffer(&input, concatenated());
        let options = concatenated().with_window_size(window);
        prop_assert_eq!(from_buffer(&input, options), expected.clone());
        let trickle = Trickle { data: &input, rng: Rng(window as u64) };
        prop_assert_eq!(from_reader(trickle, options), expected);
    }
}

// --- the real file -------------------------------------------------------------------

#[test]
fn amazon_cellphones_ndjson() {
    let Some(dir) = common::corpus_subdir("ndjson") else {
        return;
    };
    let input = std::fs::read(dir.join("amazon_cellphones.ndjson")).unwrap();
    let text = std::str::from_utf8(&input).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let expected: Vec<serde_json::Value> = lines
        .iter()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let as_serde = |doc: Document<'_>| {
        serde_json::from_str::<serde_json::Value>(&doc.root().to_string()).unwrap()
    };

    let mut docs = Documents::new(&input);
    let mut count = 0;
    while let Some(doc) = docs.next_document() {
        let doc = doc.unwrap();
        assert_eq!(
            doc.input(),
            lines[count].trim_end_matches('\r'),
            "line {}",
            count + 1
        );
        assert_eq!(as_serde(doc), expected[count], "line {}", count + 1);
        count += 1;
    }
    assert_eq!(count, lines.len());

    // Every source agrees, and so do the typed iterators.
    check_lines(&input, StreamOptions::new());
    let typed: Vec<serde_json::Value> = ReadDocuments::new(&input[..])
        .deserialize()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(typed, expected);
    #[cfg(feature = "rayon")]
    {
        let typed: Vec<serde_json::Value> = jsontape::par_deserialize(&input)
            .into_iter()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(typed, expected);
    }
}
