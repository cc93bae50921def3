//! Streams of many JSON documents: NDJSON (JSON Lines) and concatenated JSON,
//! from a buffer ([`Documents`]), from any `io::Read` ([`ReadDocuments`]), or
//! on all cores (`par_deserialize`, `par_map`, with the `rayon` feature).
//! The rules users rely on are summed up in [`Documents`]' docs; this is the
//! design behind them. [`engine`] implements it once for every source.
//!
//! # Why windows
//!
//! Parsing a stream line by line with [`Parser::parse`] pays stage 1's setup
//! (UTF-8 validation, the SIMD block loop, the copy of the last partial
//! block) once per line, besides finding each line's end first. That setup
//! matters on the smallest documents: on 350-byte lines the stream is about
//! 1.06x faster than a `memchr` split and `parse` per line, while on records
//! of about 1 KB it is about 7% slower (the README has the figures; the
//! stream's bounds-checked reads of its window cost part of that). A stream
//! instead validates and indexes a whole *region* of many documents at once,
//! up to [`StreamOptions::window_size`] bytes (1 MiB by default) ending at a
//! line end, and then builds each document's tape from its part of the region's
//! structural index with
//! [`stage2::build_value`](crate::stage2::build_value): it starts at the
//! document's first token, reads offsets relative to the document's start
//! (so the tape and every error are the document's own, exactly as if it
//! had been parsed alone), and stops after one value. With `Lines`, stage 1
//! also records the region's line ends among its tokens, so the builder
//! simply runs from a line's first token: a value followed by its line end
//! token is the line's document, with no search of the line's bytes. Any
//! other outcome (an error, a value that runs into a line end, a token
//! after it) sends the line to the exact path: its end is searched, and
//! the line alone is built again from its own tokens, which gives the error
//! `parse` gives (`TrailingCharacters` for a token after the value). The
//! index, tape, arena and container stack are reused from document to
//! document and region to region: nothing is allocated per document once
//! warmed up.
//!
//! # Cuts
//!
//! `Lines` regions always end at line ends, so each line is whole. A
//! `Concatenated` document may span lines, so a region may end inside one
//! (at its last line end, else at its size, never inside a character).
//! Stage 1 is causal (its output for a byte depends only on the bytes
//! before it), so the index is exact up to the cut, and stage 2 reads no
//! byte of a token past the next token's start: only an outcome that ran
//! into the end of the text can change with more input (a value reaching
//! the cut, the tokens or a string running out, a number ending at the cut,
//! a surrogate pair check looking past it). Such a document is parsed again
//! from its start in a new region, twice as large if it started the old one,
//! until it is decided or longer than the limit. So the results never
//! depend on the window size or on how a reader splits its input.
//!
//! # Problems: invalid UTF-8 and control characters
//!
//! Validation and stage 1 over a region report only the *first* invalid
//! byte or raw control character in a string, and a control character can
//! be a string left open at a line end, which puts every token after it
//! inside a string. So a region is trusted only up to its first problem.
//! With `Lines`, the lines before it are parsed from the region's index, the
//! line holding it is parsed alone (which finds its first error exactly as
//! `parse` does), and a new region starts on the next line. With
//! `Concatenated`, the text is cut at the problem: documents that end
//! before it are kept, the document that runs into it fails there. After a
//! problem, the next region is small (4 KiB) and doubles back to the window
//! size while the data is clean, so bad data costs a re-scan of a few KiB
//! per problem, not of a window.
//!
//! # Resynchronising
//!
//! After an error, `Lines` goes on at the next line: a line is a document.
//! `Concatenated` goes on at the next line after the error's offset: after a
//! syntax error nothing tells reliably where the next document starts (the
//! error may be inside a string that was never opened), while line ends are
//! where streams of concatenated JSON are almost always broken. A document
//! over the size limit is skipped up to the first line end at least the
//! limit past its start, without holding its bytes.
//!
//! # Memory
//!
//! A buffer stream indexes one region at a time (an index entry per token
//! of the region, a tape for one document). A [`ReadDocuments`] holds one
//! window of input, refilled as documents are consumed; it grows for a
//! document longer than itself up to the document size limit plus 16 bytes
//! (a line end, and what a `Concatenated` region needs to decide), and
//! shrinks back afterwards, with the parser's buffers. The limit applies to
//! buffers too, so that every source gives the same results.
//!
//! # Positions
//!
//! Errors are located in the document's own text, then moved to the stream
//! by the position of the document's start, counted by a line counter that
//! moves forward over the data once (on errors, and before a reader discards
//! data), so positions cost nothing while there are no errors. The parallel
//! functions count the lines before a chunk only if the chunk has an error.
//!
//! ```
//! let input = "{\"id\": 1}\n{\"id\": 2,}\n\n{\"id\": 3}\n";
//! let mut docs = jsontape::Documents::new(input);
//! let mut ids = Vec::new();
//! while let Some(doc) = docs.next_document() {
//!     match doc {
//!         Ok(doc) => ids.push(doc.root().get("id").and_then(|v| v.as_u64()).unwrap()),
//!         Err(e) => assert_eq!(e.to_string(), "expected a string object key, found '}' at line 2 column 10"),
//!     }
//! }
//! assert_eq!(ids, [1, 3]);
//! ```

mod engine;
#[cfg(feature = "rayon")]
mod parallel;
#[cfg(feature = "std")]
mod reader;

#[cfg(feature = "rayon")]
pub use parallel::{par_deserialize, par_deserialize_with, par_map, par_map_with};
#[cfg(feature = "std")]
pub use reader::{ReadDocuments, TypedReadDocuments};

use crate::de::deserialize_root;
use crate::document::Document;
use crate::error::{Error, ErrorKind};
use crate::parser::{Options, Parser};
use core::fmt;
use core::iter::FusedIterator;
use core::marker::PhantomData;
use engine::{Engine, Step};
use serde::Deserialize;

/// How the documents of a stream are delimited.
///
/// ```
/// use jsontape::{Documents, Framing, StreamOptions};
/// let input = "1 2\n[3,\n 4]";
/// let lines: Vec<_> = Documents::new(input).deserialize::<serde_json::Value>().collect();
/// assert!(lines.iter().all(|line| line.is_err())); // "1 2", "[3,", " 4]": none is one value
///
/// let options = StreamOptions::new().with_framing(Framing::Concatenated);
/// let values: Vec<serde_json::Value> = Documents::with_options(input, options)
///     .deserialize()
///     .collect::<Result<_, _>>()?;
/// assert_eq!(values, [1.into(), 2.into(), serde_json::json!([3, 4])]);
/// # Ok::<(), jsontape::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Framing {
    /// NDJSON / JSON Lines: one document per line; blank lines are skipped,
    /// `\r\n` line ends work. A bad line is one error; the next line goes on.
    #[default]
    Lines,
    /// Concatenated values separated by optional whitespace, which may span
    /// lines (`{"a":1} {"b":2}[3]4`). After an error, the stream resumes at
    /// the next line.
    Concatenated,
}

/// Settings of a document stream: framing, window size, maximum document
/// size, and the [`Options`] each document is parsed with.
///
/// ```
/// use jsontape::{Framing, StreamOptions};
/// let options = StreamOptions::new()
///     .with_framing(Framing::Concatenated)
///     .with_window_size(64 << 10)
///     .with_max_document_size(1 << 20)
///     .with_max_depth(64);
/// assert_eq!(options.framing, Framing::Concatenated);
/// assert_eq!(options.parse.max_depth, 64);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct StreamOptions {
    /// How documents are delimited. Default [`Framing::Lines`].
    pub framing: Framing,
    /// The bytes validated and indexed at once, and the size of a
    /// [`ReadDocuments`]' input buffer. Default
    /// [`DEFAULT_WINDOW_SIZE`](StreamOptions::DEFAULT_WINDOW_SIZE) (1 MiB);
    /// at least 1 and at most [`MAX_SIZE`](StreamOptions::MAX_SIZE).
    pub window_size: usize,
    /// The longest document accepted, in bytes (with `Lines`, a line's text
    /// without its line end); longer ones are
    /// [`DocumentTooLarge`](ErrorKind::DocumentTooLarge) errors. Default
    /// [`DEFAULT_MAX_DOCUMENT_SIZE`](StreamOptions::DEFAULT_MAX_DOCUMENT_SIZE)
    /// (64 MiB); at most [`MAX_SIZE`](StreamOptions::MAX_SIZE).
    pub max_document_size: usize,
    /// The options every document is parsed with (depth limit, backend).
    pub parse: Options,
}

impl StreamOptions {
    /// The default [`window_size`](StreamOptions::window_size): 1 MiB.
    pub const DEFAULT_WINDOW_SIZE: usize = 1 << 20;
    /// The default [`max_document_size`](StreamOptions::max_document_size): 64 MiB.
    pub const DEFAULT_MAX_DOCUMENT_SIZE: usize = 64 << 20;
    /// The largest window and document size (1 GiB): larger values are
    /// lowered to it, which keeps every indexed region under the 4 GiB that
    /// stage 1's offsets allow.
    pub const MAX_SIZE: usize = 1 << 30;

    /// The default options: `Lines`, a 1 MiB window, 64 MiB documents, and
    /// default parse [`Options`].
    ///
    /// ```
    /// let options = jsontape::StreamOptions::new();
    /// assert_eq!(options.framing, jsontape::Framing::Lines);
    /// assert_eq!(options.window_size, 1 << 20);
    /// assert_eq!(options.max_document_size, 64 << 20);
    /// ```
    pub const fn new() -> StreamOptions {
        StreamOptions {
            framing: Framing::Lines,
            window_size: StreamOptions::DEFAULT_WINDOW_SIZE,
            max_document_size: StreamOptions::DEFAULT_MAX_DOCUMENT_SIZE,
            parse: Options::new(),
        }
    }

    /// Sets [`framing`](StreamOptions::framing).
    ///
    /// ```
    /// use jsontape::{Framing, StreamOptions};
    /// assert_eq!(StreamOptions::new().with_framing(Framing::Concatenated).framing, Framing::Concatenated);
    /// ```
    pub const fn with_framing(mut self, framing: Framing) -> StreamOptions {
        self.framing = framing;
        self
    }

    /// Sets [`window_size`](StreamOptions::window_size).
    ///
    /// ```
    /// assert_eq!(jsontape::StreamOptions::new().with_window_size(4096).window_size, 4096);
    /// ```
    pub const fn with_window_size(mut self, window_size: usize) -> StreamOptions {
        self.window_size = window_size;
        self
    }

    /// Sets [`max_document_size`](StreamOptions::max_document_size).
    ///
    /// ```
    /// use jsontape::{Documents, ErrorKind, StreamOptions};
    /// let options = StreamOptions::new().with_max_document_size(8);
    /// let mut docs = Documents::with_options("[1,2]\n[1,2,3,4,5]\n[3]", options);
    /// assert!(docs.next_document().unwrap().is_ok());
    /// let err = docs.next_document().unwrap().unwrap_err();
    /// assert_eq!((err.kind(), err.line()), (ErrorKind::DocumentTooLarge, 2));
    /// assert!(docs.next_document().unwrap().is_ok());
    /// ```
    pub const fn with_max_document_size(mut self, max_document_size: usize) -> StreamOptions {
        self.max_document_size = max_document_size;
        self
    }

    /// Sets the [`parse`](StreamOptions::parse) options.
    ///
    /// ```
    /// use jsontape::{Options, StreamOptions};
    /// let options = StreamOptions::new().with_parse_options(Options::new().with_max_depth(8));
    /// assert_eq!(options.parse.max_depth, 8);
    /// ```
    pub const fn with_parse_options(mut self, parse: Options) -> StreamOptions {
        self.parse = parse;
        self
    }

    /// Sets the parse options' [`max_depth`](Options::max_depth).
    ///
    /// ```
    /// use jsontape::{Documents, ErrorKind, StreamOptions};
    /// let options = StreamOptions::new().with_max_depth(1);
    /// let mut docs = Documents::with_options("[1]\n[[1]]", options);
    /// assert!(docs.next_document().unwrap().is_ok());
    /// let err = docs.next_document().unwrap().unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::DepthLimitExceeded);
    /// ```
    pub const fn with_max_depth(mut self, max_depth: usize) -> StreamOptions {
        self.parse = self.parse.with_max_depth(max_depth);
        self
    }

    /// Sets the parse options' backend (see [`Options::with_backend`]).
    ///
    /// ```
    /// use jsontape::{Backend, StreamOptions};
    /// let options = StreamOptions::new().with_backend(Backend::Portable);
    /// assert_eq!(options.parse.backend(), Some(Backend::Portable));
    /// ```
    pub const fn with_backend(mut self, backend: crate::Backend) -> StreamOptions {
        self.parse = self.parse.with_backend(backend);
        self
    }

    /// The options with the sizes brought into their ranges.
    pub(crate) fn clamped(mut self) -> StreamOptions {
        self.window_size = self.window_size.clamp(1, StreamOptions::MAX_SIZE);
        self.max_document_size = self.max_document_size.min(StreamOptions::MAX_SIZE);
        self
    }
}

impl Default for StreamOptions {
    fn default() -> StreamOptions {
        StreamOptions::new()
    }
}

/// The parser a [`Documents`] uses: its own, or one lent by the caller.
enum ParserSlot<'a> {
    Owned(Parser),
    Borrowed(&'a mut Parser),
}

impl ParserSlot<'_> {
    fn get(&mut self) -> &mut Parser {
        match self {
            ParserSlot::Owned(parser) => parser,
            ParserSlot::Borrowed(parser) => parser,
        }
    }
}

/// The documents of a stream held in memory (a `&[u8]` or `&str`): NDJSON
/// by default, or concatenated JSON (see [`Framing`]).
///
/// [`next_document`](Documents::next_document) hands out each document as
/// a [`Document`] that borrows the stream, so only one is alive at a time
/// and nothing is allocated per document; [`deserialize`](Documents::deserialize)
/// turns the stream into an [`Iterator`] of typed values. A
/// [`ReadDocuments`] reads the same from an `io::Read`, and `par_map` and
/// `par_deserialize` (feature `rayon`) parse an NDJSON buffer on all cores:
/// every source gives the same documents and errors.
///
/// ```
/// let input = b"{\"user\": \"ada\", \"n\": 3}\n{\"user\": \"bob\", \"n\": 4}\n";
/// let mut docs = jsontape::Documents::new(input);
/// let mut total = 0;
/// while let Some(doc) = docs.next_document() {
///     total += doc?.root().get("n").and_then(|n| n.as_u64()).unwrap_or(0);
/// }
/// assert_eq!(total, 7);
/// # Ok::<(), jsontape::Error>(())
/// ```
///
/// # Speed
///
/// UTF-8 validation and stage 1 (the SIMD structural index) run once over a
/// whole window of many documents ([`StreamOptions::window_size`], 1 MiB by
/// default), not once per line; each document's tape is then built from its
/// part of that index. The index, tape, arena and stack are reused, so once
/// warmed up a stream allocates nothing per document.
///
/// # Framing
///
/// * [`Framing::Lines`] (NDJSON, the default): each line that holds more than
///   whitespace is a document, parsed exactly as [`parse`](crate::parse)
///   parses that line alone (same value, same error kind). A line's text
///   ends before its `\n` and before a `\r` just before it (CRLF works).
///   Blank and whitespace-only lines are skipped.
/// * [`Framing::Concatenated`]: values one after another, separated by
///   whitespace where they would otherwise run together (`1 2`, but
///   `[1][2]`), and free to span lines. A document's text runs from its
///   first byte to the end of its value.
///
/// A UTF-8 byte order mark at the start of the stream is skipped (line 1
/// and its columns start after it).
///
/// # Errors
///
/// A document that fails is one `Err` in its place, and the stream goes on:
///
/// * with `Lines`, at the next line. A last line cut short is an error like
///   any other, never dropped silently;
/// * with `Concatenated`, at the start of the next line after the error's
///   offset (after a syntax error nothing tells reliably where the next
///   document starts, so the rest of that line is skipped). A document still
///   open at the end of the input is an
///   [`UnexpectedEnd`](ErrorKind::UnexpectedEnd) error. A document that
///   reaches invalid UTF-8 or a raw control character in a string fails
///   there with [`InvalidUtf8`](ErrorKind::InvalidUtf8) or
///   [`ControlCharacterInString`](ErrorKind::ControlCharacterInString)
///   (unless it has an earlier error); documents before it on the same line
///   are kept.
///
/// Every error's [`offset`](Error::offset) is the byte offset in the whole
/// stream, its [`line`](Error::line) the 1-based line in the stream and its
/// [`column`](Error::column) the 1-based byte column in that line; errors
/// from deserializing into a `T` are placed the same way.
///
/// # Memory and the document size limit
///
/// A document longer than [`StreamOptions::max_document_size`] (64 MiB by
/// default; with `Lines`, a line's text) is an
/// [`ErrorKind::DocumentTooLarge`] error at its start, and the stream resumes
/// after the first line end at least that far past the start (with `Lines`,
/// the next line). A [`ReadDocuments`] holds one window of input, which grows
/// for a document longer than the window but never beyond
/// `max(window_size, max_document_size + 16)` bytes, and shrinks back after
/// it; so the memory of a stream is bounded however long it runs. The limit
/// applies to buffers too, so that every source gives the same results.
pub struct Documents<'a> {
    input: &'a [u8],
    parser: ParserSlot<'a>,
    engine: Engine,
}

impl<'a> Documents<'a> {
    /// The NDJSON documents of `input`, with default [`StreamOptions`].
    ///
    /// ```
    /// let mut docs = jsontape::Documents::new("[1]\r\n\r\n[2, 3]\r\n");
    /// assert_eq!(docs.next_document().unwrap()?.root().len(), 1);
    /// assert_eq!(docs.next_document().unwrap()?.root().len(), 2);
    /// assert!(docs.next_document().is_none());
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn new<I: AsRef<[u8]> + ?Sized>(input: &'a I) -> Documents<'a> {
        Documents::with_options(input, StreamOptions::new())
    }

    /// The documents of `input`, with the given options.
    ///
    /// ```
    /// use jsontape::{Documents, Framing, StreamOptions};
    /// let options = StreamOptions::new().with_framing(Framing::Concatenated);
    /// let mut docs = Documents::with_options(r#"{"a":1} {"b":2}[3]4"#, options);
    /// let mut texts = Vec::new();
    /// while let Some(doc) = docs.next_document() {
    ///     texts.push(doc?.input().to_owned());
    /// }
    /// assert_eq!(texts, [r#"{"a":1}"#, r#"{"b":2}"#, "[3]", "4"]);
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn with_options<I: AsRef<[u8]> + ?Sized>(
        input: &'a I,
        options: StreamOptions,
    ) -> Documents<'a> {
        Documents {
            input: input.as_ref(),
            parser: ParserSlot::Owned(Parser::with_options(options.parse)),
            engine: Engine::new(options),
        }
    }

    /// The options in use (sizes brought into their ranges).
    ///
    /// ```
    /// let docs = jsontape::Documents::new("");
    /// assert_eq!(docs.options(), jsontape::StreamOptions::new());
    /// ```
    pub fn options(&self) -> StreamOptions {
        self.engine.options()
    }

    /// The next document, or the error that stands in its place; `None` at
    /// the end of the stream. The document borrows the stream until it is
    /// dropped: its text is the input's, its tape the stream's buffers.
    ///
    /// ```
    /// let mut docs = jsontape::Documents::new("{\"a\": [1, 2]}\n[1, 2\n\"x\"\n");
    /// let doc = docs.next_document().unwrap()?;
    /// assert_eq!(doc.pointer("/a/1").and_then(|v| v.as_u64()), Some(2));
    /// let err = docs.next_document().unwrap().unwrap_err();
    /// assert_eq!((err.kind(), err.offset(), err.line(), err.column()), (jsontape::ErrorKind::UnexpectedEnd, 19, 2, 6));
    /// assert_eq!(docs.next_document().unwrap()?.root().as_str(), Some("x"));
    /// assert!(docs.next_document().is_none());
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    #[allow(clippy::should_implement_trait)] // it lends: an Iterator cannot
    pub fn next_document(&mut self) -> Option<Result<Document<'_>, Error>> {
        let (text, _) = match self.next_text()? {
            Ok(found) => found,
            Err(error) => return Some(Err(error)),
        };
        Some(Ok(Document::borrowed(text, self.parser.get().buffers())))
    }

    /// The next document's text and stream offset (its tape in the parser).
    fn next_text(&mut self) -> Option<Result<(&'a str, usize), Error>> {
        let input = self.input;
        match self.engine.step(self.parser.get(), input, 0, true) {
            Step::Document { start, end } => Some(match self.engine.text(input, 0, start, end) {
                Some(text) => Ok((text, start)),
                None => Err(self.engine.locate(
                    Error::at(ErrorKind::InvalidUtf8, &[], 0),
                    input,
                    0,
                    start,
                )),
            }),
            Step::Error(error) => Some(Err(error)),
            // With all of the input at hand, the engine never needs more.
            Step::NeedMore(_) | Step::End => None,
        }
    }

    /// The documents deserialized into `T`s, as an [`Iterator`]. Like
    /// [`Parser::deserialize`], strings without escapes borrow from the
    /// input (`&'a str` fields work), strings with escapes fill `String` or
    /// `Cow<str>`. Errors of either kind (syntax, data) carry stream
    /// positions.
    ///
    /// ```
    /// #[derive(serde::Deserialize, Debug, PartialEq)]
    /// struct Event<'a> { kind: &'a str, n: u32 }
    ///
    /// let input = "{\"kind\": \"a\", \"n\": 1}\n{\"kind\": \"b\", \"n\": -2}\n{\"kind\": \"c\", \"n\": 3}\n";
    /// let events: Vec<Result<Event, jsontape::Error>> = jsontape::Documents::new(input).deserialize().collect();
    /// assert_eq!(events[0].as_ref().unwrap(), &Event { kind: "a", n: 1 });
    /// let err = events[1].as_ref().unwrap_err();
    /// assert_eq!((err.path(), err.line(), err.column()), (Some("n"), 2, 20));
    /// assert_eq!(events[2].as_ref().unwrap().kind, "c");
    /// ```
    pub fn deserialize<T: Deserialize<'a>>(self) -> TypedDocuments<'a, T> {
        TypedDocuments {
            docs: self,
            _type: PhantomData,
        }
    }
}

impl fmt::Debug for Documents<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Documents")
            .field("input_len", &self.input.len())
            .field("options", &self.engine.options())
            .finish_non_exhaustive()
    }
}

impl Parser {
    /// The NDJSON documents of `input`, parsed with this parser's buffers
    /// and [`Options`] (and default [`StreamOptions`] otherwise): reuse one
    /// parser over many streams, allocation free once warmed up.
    ///
    /// ```
    /// let mut parser = jsontape::Parser::new();
    /// for body in ["[1]\n[2]\n", "{\"a\": 3}\n"] {
    ///     let mut docs = parser.documents(body);
    ///     while let Some(doc) = docs.next_document() {
    ///         println!("{}", doc?.root());
    ///     }
    /// }
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn documents<'a, I: AsRef<[u8]> + ?Sized>(&'a mut self, input: &'a I) -> Documents<'a> {
        let options = StreamOptions::new().with_parse_options(self.options());
        self.documents_with(input, options)
    }

    /// The documents of `input`, parsed with this parser's buffers and the
    /// given options (whose [`parse`](StreamOptions::parse) options apply,
    /// not the parser's own).
    ///
    /// ```
    /// use jsontape::{Framing, Parser, StreamOptions};
    /// let mut parser = Parser::new();
    /// let options = StreamOptions::new().with_framing(Framing::Concatenated);
    /// let mut docs = parser.documents_with("1 2 3", options);
    /// let mut sum = 0;
    /// while let Some(doc) = docs.next_document() {
    ///     sum += doc?.root().as_u64().unwrap();
    /// }
    /// assert_eq!(sum, 6);
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn documents_with<'a, I: AsRef<[u8]> + ?Sized>(
        &'a mut self,
        input: &'a I,
        options: StreamOptions,
    ) -> Documents<'a> {
        Documents {
            input: input.as_ref(),
            parser: ParserSlot::Borrowed(self),
            engine: Engine::new(options),
        }
    }
}

/// The documents of a [`Documents`] stream deserialized into `T`s: an
/// [`Iterator`] of `Result<T, Error>`, made by [`Documents::deserialize`].
///
/// ```
/// let sum: u64 = jsontape::Documents::new("1\n2\n3\n")
///     .deserialize::<u64>()
///     .map(|n| n.unwrap())
///     .sum();
/// assert_eq!(sum, 6);
/// ```
pub struct TypedDocuments<'a, T> {
    docs: Documents<'a>,
    _type: PhantomData<fn() -> T>,
}

impl<'a, T: Deserialize<'a>> Iterator for TypedDocuments<'a, T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Result<T, Error>> {
        let (text, start) = match self.docs.next_text()? {
            Ok(found) => found,
            Err(error) => return Some(Err(error)),
        };
        let docs = &mut self.docs;
        let result = {
            let doc = Document::borrowed(text, docs.parser.get().buffers());
            deserialize_root::<T>(&doc, text)
        };
        Some(result.map_err(|error| docs.engine.locate(error, docs.input, 0, start)))
    }
}

impl<'a, T: Deserialize<'a>> FusedIterator for TypedDocuments<'a, T> {}

impl<T> fmt::Debug for TypedDocuments<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TypedDocuments")
            .field("docs", &self.docs)
            .finish()
    }
}
