//! [`ReadDocuments`]: a document stream from any `io::Read`, in a window of
//! bounded size.

use super::StreamOptions;
use super::engine::{Engine, Need, Step};
use crate::de::deserialize_root;
use crate::document::Document;
use crate::error::{Error, ErrorKind};
use crate::parser::Parser;
use crate::stage1::index_capacity_for;
use alloc::vec::Vec;
use core::fmt;
use core::iter::FusedIterator;
use core::marker::PhantomData;
use serde::de::DeserializeOwned;
use std::io::{self, Read};

/// The documents of a stream read from an [`io::Read`]: NDJSON by default, or
/// concatenated JSON (see [`Framing`](crate::Framing)).
///
/// The input is read into a window of [`StreamOptions::window_size`] bytes
/// (1 MiB by default) that is refilled as documents are consumed, so memory
/// stays bounded however long the stream. A document longer than the window
/// makes the window grow, up to the maximum document size, and the window
/// shrinks back after it. The reader is read in large pieces; wrap it in a
/// `BufReader` only if it is slow to read small amounts from (it is not
/// needed for files). `Interrupted` reads are retried; any other read error
/// is one [`ErrorKind::Io`] error, and then the stream ends. See
/// [`Documents`](crate::Documents) for the framing, error and memory rules,
/// which are the same.
///
/// ```
/// use std::io::Cursor;
/// let file = Cursor::new(b"{\"n\": 1}\n{\"n\": 2}\n".to_vec()); // or a File, a socket...
/// let mut docs = jsontape::ReadDocuments::new(file);
/// let mut sum = 0;
/// while let Some(doc) = docs.next_document() {
///     sum += doc?.root().get("n").and_then(|n| n.as_u64()).unwrap();
/// }
/// assert_eq!(sum, 3);
/// # Ok::<(), jsontape::Error>(())
/// ```
pub struct ReadDocuments<R> {
    reader: R,
    parser: Parser,
    engine: Engine,
    /// The input window: bytes `..filled` are the stream's from offset
    /// `base` on; the rest is room to read into.
    window: Vec<u8>,
    filled: usize,
    base: usize,
    /// Whether the reader has reported its end (or failed).
    eof: bool,
}

impl<R: Read> ReadDocuments<R> {
    /// The NDJSON documents read from `reader`, with default
    /// [`StreamOptions`].
    ///
    /// ```
    /// let mut docs = jsontape::ReadDocuments::new(&b"[1, 2]\n[3]"[..]);
    /// assert_eq!(docs.next_document().unwrap()?.root().len(), 2);
    /// assert_eq!(docs.next_document().unwrap()?.root().len(), 1);
    /// assert!(docs.next_document().is_none());
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn new(reader: R) -> ReadDocuments<R> {
        ReadDocuments::with_options(reader, StreamOptions::new())
    }

    /// The documents read from `reader`, with the given options.
    ///
    /// ```
    /// use jsontape::{Framing, ReadDocuments, StreamOptions};
    /// let options = StreamOptions::new().with_framing(Framing::Concatenated);
    /// let docs = ReadDocuments::with_options(&b"{\"a\": 1}{\"a\": 2}"[..], options);
    /// let values: Vec<serde_json::Value> = docs.deserialize().collect::<Result<_, _>>()?;
    /// assert_eq!(values.len(), 2);
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn with_options(reader: R, options: StreamOptions) -> ReadDocuments<R> {
        ReadDocuments {
            reader,
            parser: Parser::with_options(options.parse),
            engine: Engine::new(options),
            window: Vec::new(),
            filled: 0,
            base: 0,
            eof: false,
        }
    }

    /// The next document, or the error that stands in its place; `None` at
    /// the end of the stream (or after a read error). The document borrows
    /// the stream until it is dropped.
    ///
    /// ```
    /// let mut docs = jsontape::ReadDocuments::new(&b"{\"ok\": true}\n{\"ok\": tru}\n"[..]);
    /// assert_eq!(docs.next_document().unwrap()?.root().get("ok").and_then(|v| v.as_bool()), Some(true));
    /// let err = docs.next_document().unwrap().unwrap_err();
    /// assert_eq!((err.kind(), err.line(), err.column()), (jsontape::ErrorKind::InvalidLiteral, 2, 11));
    /// assert!(docs.next_document().is_none());
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    #[allow(clippy::should_implement_trait)] // it lends: an Iterator cannot
    pub fn next_document(&mut self) -> Option<Result<Document<'_>, Error>> {
        let (start, end) = match self.next_range()? {
            Ok(range) => range,
            Err(error) => return Some(Err(error)),
        };
        let data = &self.window[..self.filled];
        if self.engine.text(data, self.base, start, end).is_none() {
            return Some(Err(self.unreadable(start)));
        }
        let data = &self.window[..self.filled];
        let text = self.engine.text(data, self.base, start, end)?;
        Some(Ok(Document::borrowed(text, self.parser.buffers())))
    }

    /// The documents deserialized into `T`s, as an [`Iterator`]. The
    /// window is reused, so `T` owns its data (`DeserializeOwned`). Errors
    /// of either kind (syntax, data) carry stream positions.
    ///
    /// ```
    /// #[derive(serde::Deserialize)]
    /// struct Point { x: i32, y: i32 }
    ///
    /// let input = &b"{\"x\": 1, \"y\": 2}\n{\"x\": 3, \"y\": \"4\"}\n"[..];
    /// let points: Vec<_> = jsontape::ReadDocuments::new(input).deserialize::<Point>().collect();
    /// assert_eq!(points[0].as_ref().map(|p| p.x + p.y).ok(), Some(3));
    /// let err = points[1].as_ref().err().unwrap();
    /// assert_eq!((err.path(), err.line(), err.column()), (Some("y"), 2, 15));
    /// ```
    pub fn deserialize<T: DeserializeOwned>(self) -> TypedReadDocuments<R, T> {
        TypedReadDocuments {
            docs: self,
            _type: PhantomData,
        }
    }

    /// The next document's stream range (its tape in the parser), reading
    /// as needed.
    fn next_range(&mut self) -> Option<Result<(usize, usize), Error>> {
        loop {
            let data = &self.window[..self.filled];
            match self
                .engine
                .step(&mut self.parser, data, self.base, self.eof)
            {
                Step::Document { start, end } => return Some(Ok((start, end))),
                Step::Error(error) => return Some(Err(error)),
                Step::End => return None,
                Step::NeedMore(need) => {
                    if self.eof {
                        // Cannot happen: the engine asks for nothing more at the end.
                        self.engine.end();
                        return None;
                    }
                    if let Err(error) = self.fill(need) {
                        return Some(Err(error));
                    }
                }
            }
        }
    }

    /// Discards the window's bytes before `need.keep_from`, then reads until
    /// `need` is met, the window is full, or the input ends.
    fn fill(&mut self, need: Need) -> Result<(), Error> {
        let window_size = self.engine.options().window_size;
        let limit = self.engine.window_limit();
        let keep = need.keep_from.clamp(self.base, self.base + self.filled);
        self.engine
            .forget(&self.window[..self.filled], self.base, keep);
        let shift = keep - self.base;
        self.window.copy_within(shift..self.filled, 0);
        self.filled -= shift;
        self.base = keep;

        // The room the need asks for (growth is capped by `limit`).
        let wanted = need.until.saturating_sub(self.base).clamp(1, limit);
        if self.window.len() > window_size && self.filled < window_size && wanted <= window_size {
            // A large document has been consumed: back to the normal size.
            self.window.truncate(window_size);
            self.window.shrink_to_fit();
            shrink_parser(&mut self.parser, window_size);
        }
        if self.window.len() < window_size {
            self.window.reserve_exact(window_size - self.window.len());
            self.window.resize(window_size, 0);
        }

        let mut scanned = self.filled;
        loop {
            if self.filled == self.window.len() {
                if self.window.len() >= wanted {
                    // As much as was asked for: the engine decides with it.
                    return Ok(());
                }
                let grown = (2 * self.window.len()).min(wanted);
                self.window.reserve_exact(grown - self.window.len());
                self.window.resize(grown, 0);
            }
            match self.reader.read(&mut self.window[self.filled..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(());
                }
                Ok(read) => {
                    self.filled += read.min(self.window.len() - self.filled);
                    let new = &self.window[scanned..self.filled];
                    scanned = self.filled;
                    if need.newline && memchr::memchr(b'\n', new).is_some() {
                        return Ok(());
                    }
                    if self.base + self.filled >= need.until {
                        return Ok(());
                    }
                }
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => {
                    self.eof = true;
                    self.engine.end();
                    let at = self.base + self.filled;
                    let data = &self.window[..self.filled];
                    return Err(self.engine.locate(Error::io(&error), data, self.base, at));
                }
            }
        }
    }

    /// The error for a document whose text is not UTF-8 (never happens: the
    /// engine validated it).
    #[cold]
    fn unreadable(&mut self, start: usize) -> Error {
        let data = &self.window[..self.filled];
        let error = Error::at(ErrorKind::InvalidUtf8, &[], 0);
        self.engine.locate(error, data, self.base, start)
    }

    /// The bytes of input held now: the window's capacity. It is
    /// [`window_size`](StreamOptions::window_size), larger only while a
    /// longer document is read, and never more than `max(window_size,
    /// max_document_size + 16)`.
    ///
    /// ```
    /// use jsontape::{ReadDocuments, StreamOptions};
    /// let long_line = format!("[{}0]\n[1]\n", "0,".repeat(5000));
    /// let options = StreamOptions::new().with_window_size(1024);
    /// let mut docs = ReadDocuments::with_options(long_line.as_bytes(), options);
    /// assert_eq!(docs.next_document().unwrap()?.root().len(), 5001);
    /// assert!(docs.window_capacity() > 10_000); // grown for the long line
    /// assert_eq!(docs.next_document().unwrap()?.root().len(), 1);
    /// assert!(docs.next_document().is_none());
    /// assert_eq!(docs.window_capacity(), 1024); // and shrunk back
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn window_capacity(&self) -> usize {
        self.window.capacity()
    }

    /// The options in use (sizes brought into their ranges).
    ///
    /// ```
    /// let docs = jsontape::ReadDocuments::new(std::io::empty());
    /// assert_eq!(docs.options().window_size, 1 << 20);
    /// ```
    pub fn options(&self) -> StreamOptions {
        self.engine.options()
    }

    /// The reader.
    ///
    /// ```
    /// let docs = jsontape::ReadDocuments::new(std::io::Cursor::new(b"1"));
    /// assert_eq!(docs.get_ref().position(), 0);
    /// ```
    pub fn get_ref(&self) -> &R {
        &self.reader
    }

    /// The reader, back: input read into the window and not yet parsed is
    /// lost with the stream.
    ///
    /// ```
    /// let docs = jsontape::ReadDocuments::new(std::io::Cursor::new(b"1"));
    /// let cursor = docs.into_inner();
    /// assert_eq!(cursor.into_inner(), b"1");
    /// ```
    pub fn into_inner(self) -> R {
        self.reader
    }
}

impl<R> fmt::Debug for ReadDocuments<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadDocuments")
            .field("options", &self.engine.options())
            .field("window_capacity", &self.window.capacity())
            .field("buffered", &self.filled)
            .field("offset", &self.base)
            .finish_non_exhaustive()
    }
}

/// The documents of a [`ReadDocuments`] stream deserialized into `T`s: an
/// [`Iterator`] of `Result<T, Error>`, made by [`ReadDocuments::deserialize`].
///
/// ```
/// let input = std::io::Cursor::new("\"a\"\n\"b\"\n");
/// let letters: Vec<String> = jsontape::ReadDocuments::new(input)
///     .deserialize()
///     .collect::<Result<_, _>>()?;
/// assert_eq!(letters, ["a", "b"]);
/// # Ok::<(), jsontape::Error>(())
/// ```
pub struct TypedReadDocuments<R, T> {
    docs: ReadDocuments<R>,
    _type: PhantomData<fn() -> T>,
}

impl<R: Read, T: DeserializeOwned> Iterator for TypedReadDocuments<R, T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Result<T, Error>> {
        let (start, end) = match self.docs.next_range()? {
            Ok(range) => range,
            Err(error) => return Some(Err(error)),
        };
        let docs = &mut self.docs;
        let data = &docs.window[..docs.filled];
        let result = match docs.engine.text(data, docs.base, start, end) {
            Some(text) => {
                let doc = Document::borrowed(text, docs.parser.buffers());
                deserialize_root::<T>(&doc, text)
            }
            None => return Some(Err(docs.unreadable(start))),
        };
        Some(result.map_err(|error| docs.engine.locate(error, data, docs.base, start)))
    }
}

impl<R: Read, T: DeserializeOwned> FusedIterator for TypedReadDocuments<R, T> {}

impl<R, T> fmt::Debug for TypedReadDocuments<R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TypedReadDocuments")
            .field("docs", &self.docs)
            .finish()
    }
}

/// Shrinks `parser`'s buffers back to what documents in a window of
/// `window` bytes typically need, after a larger document grew them.
pub(crate) fn shrink_parser(parser: &mut Parser, window: usize) {
    let (index, buffers, stack) = parser.parts();
    index.shrink_to(index_capacity_for(window));
    buffers.tape.shrink_to(window / 4);
    buffers.arena.shrink_to(window / 8);
    stack.shrink_to(64);
}
