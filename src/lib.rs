//! Fast, lean JSON parsing over the immutable input.
//!
//! jsontape parses a `&[u8]` or `&str` in place: it never copies or mutates the
//! input and asks for no padding. Stage 1 finds every structural byte 64 bytes
//! at a time and checks UTF-8 (only the parts that are not ASCII need
//! simdutf8); stage 2 validates the rest of RFC 8259 and writes a flat
//! **tape** of `u64` words. Strings stay slices of the input;
//! only strings with escapes are unescaped, once, into the document's arena.
//! A reused [`Parser`] allocates nothing per document once warmed up.
//!
//! ```
//! let input = r#"{"name": "jsontape", "tags": ["fast", "lean"], "stars": 42}"#;
//! let doc = jsontape::parse(input)?;
//! let root = doc.root();
//! assert_eq!(root.get("name").and_then(|v| v.as_str()), Some("jsontape"));
//! assert_eq!(root.get("stars").and_then(|v| v.as_u64()), Some(42));
//! let tags: Vec<&str> = root.get("tags").unwrap().array_iter().filter_map(|t| t.as_str()).collect();
//! assert_eq!(tags, ["fast", "lean"]);
//! # Ok::<(), jsontape::Error>(())
//! ```
//!
//! When a tree is needed, [`Document::to_value`] builds a [`Value`] whose
//! arrays and objects are allocated once with the exact sizes the tape
//! recorded and whose strings borrow from the input; it writes back out as
//! compact (`Display`) or pretty JSON:
//!
//! ```
//! let doc = jsontape::parse(r#"{"a": [1, 2.5, "x"]}"#)?;
//! let value = doc.to_value();
//! assert_eq!(value["a"][1].as_f64(), Some(2.5));
//! assert_eq!(value.to_string(), r#"{"a":[1,2.5,"x"]}"#);
//! assert_eq!(value, jsontape::json!({"a": [1, 2.5, "x"]}));
//! # Ok::<(), jsontape::Error>(())
//! ```
//!
//! Typed data comes straight off the tape through serde, no tree in between:
//! every string without escapes borrows from the input, and through
//! [`Document::deserialize`] escaped ones borrow from the document's arena
//! (which serde_json cannot offer). [`RawJson`] keeps a field's exact text and
//! [`Lazy`] defers its deserialization:
//!
//! ```
//! #[derive(serde::Deserialize)]
//! struct Tweet<'a> {
//!     id: u64,
//!     text: &'a str,
//!     #[serde(borrow)]
//!     user: jsontape::RawJson<'a>,
//! }
//!
//! let doc = jsontape::parse(r#"{"id": 1, "text": "caf\u00e9", "user": {"name": "Ada"}}"#)?;
//! let tweet: Tweet = doc.deserialize()?;
//! assert_eq!((tweet.id, tweet.text), (1, "café"));
//! assert_eq!(tweet.user.get(), r#"{"name": "Ada"}"#);
//! # Ok::<(), jsontape::Error>(())
//! ```
//!
//! Streams of documents, NDJSON (one per line) or concatenated, are read
//! from a buffer with [`Documents`] or from any `io::Read` with
//! [`ReadDocuments`], validating and indexing many documents at once and
//! allocating nothing per document (and on all cores with `par_map` and
//! `par_deserialize`, with the `rayon` feature):
//!
//! ```
//! let input = "{\"id\": 1}\n{\"id\": 2}\n";
//! let ids: Vec<u64> = jsontape::Documents::new(input)
//!     .deserialize::<serde_json::Value>()
//!     .map(|doc| doc.map(|v| v["id"].as_u64().unwrap()))
//!     .collect::<Result<_, _>>()?;
//! assert_eq!(ids, [1, 2]);
//! # Ok::<(), jsontape::Error>(())
//! ```
//!
//! Errors carry a kind, a byte offset, and a 1-based line and column (and,
//! for data that does not fit the type, the path to the value):
//!
//! ```
//! let err = jsontape::parse("[1, 2,]").unwrap_err();
//! assert_eq!(err.to_string(), "expected a JSON value, found ']' at line 1 column 7");
//! ```
//!
//! # Numbers
//!
//! Integers that fit an `i64` (negative) or `u64` (non-negative) are kept as
//! integers; every other number is the correctly rounded `f64` (the same bits as
//! `str::parse::<f64>`), and `-0` is `-0.0`. A number beyond the range of `f64`
//! (such as `1e400`) is an error, as in serde_json.
//!
//! # Conformance
//!
//! Every `y_` file of JSONTestSuite is accepted and every `n_` file rejected. The
//! implementation-defined `i_` cases are decided as follows, pinned by
//! `tests/conformance.rs`:
//!
//! | case | decision |
//! |------|----------|
//! | numbers whose exponent underflows (`123.456e-789`) | accepted, as `0.0` |
//! | numbers whose magnitude overflows `f64` (`1e400`, `-1e400`, `0.4e006699…`) | rejected: `NumberOutOfRange` |
//! | integers beyond 64 bits (`100000000000000000000`, `-237462374673276894279832749832423479823246327846`) | accepted, as the nearest `f64` |
//! | lone or mismatched UTF-16 surrogates in `\u` escapes | rejected: `LoneSurrogate` |
//! | invalid UTF-8 (bare continuation bytes, overlong forms, truncated sequences, encoded surrogates, code points above U+10FFFF, ISO-8859-1) | rejected: `InvalidUtf8` |
//! | UTF-16 input, with or without a byte order mark | rejected: `InvalidUtf8` or `ExpectedValue` |
//! | a UTF-8 byte order mark before the value | rejected: `ExpectedValue` (RFC 8259 forbids sending it; serde_json rejects it too) |
//! | 500 nested arrays | accepted (the default depth limit is 1024) |
//!
//! # Safety
//!
//! Parsing never panics on any input, never reads past the end of the input,
//! and never recurses on input depth; neither do building a [`Value`] and
//! writing JSON. `unsafe` is confined to small functions in the SIMD backends
//! (`src/arch`), to stage 1's writing of its offsets, to stage 2's reading
//! of token bytes whose offsets were checked against the input once
//! (`src/stage2/mod.rs`), and to taking text already validated as UTF-8 as
//! `&str`: the input after stage 1 (`src/parser.rs`), a document out of a
//! stream's window (`src/stream/engine.rs`) and the writer's output after
//! one simdutf8 check (`src/ser.rs`). Each has a `// SAFETY:` comment naming
//! its invariant; the rest of the parsing logic, the DOM and the writer's
//! walks have none.

#![cfg_attr(not(test), no_std)]
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

extern crate alloc;
#[cfg(all(feature = "std", not(test)))]
extern crate std;

mod arch;
mod de;
mod document;
mod error;
mod inline_stack;
mod ondemand;
mod parser;
mod path;
mod ser;
mod stage1;
mod stage2;
mod stream;
mod tape;
mod value;

pub use arch::{Backend, backend};
pub use de::{Lazy, RawJson, SERDE_MAX_DEPTH, from_slice, from_str};
pub use document::{ArrayIter, Document, Kind, ObjectIter, ValueRef};
pub use error::{Error, ErrorKind, ErrorMessage};
pub use ondemand::{LazyValue, get, get_many, get_many_with, get_with};
pub use parser::{Options, Parser};
pub use path::jsonpath::{JsonPath, PathError};
pub use stream::{Documents, Framing, StreamOptions, TypedDocuments};
#[cfg(feature = "std")]
pub use stream::{ReadDocuments, TypedReadDocuments};
#[cfg(feature = "rayon")]
pub use stream::{par_deserialize, par_deserialize_with, par_map, par_map_with};
pub use value::{DuplicateKeys, Number, Object, OwnedValue, Value};

/// Parses one JSON document with default [`Options`].
///
/// The returned [`Document`] borrows the input and owns its tape. To parse many
/// documents without allocating, reuse a [`Parser`].
///
/// ```
/// let doc = jsontape::parse(b"[1, 2.5, \"three\"]")?;
/// assert_eq!(doc.root().at(1).and_then(|v| v.as_f64()), Some(2.5));
/// # Ok::<(), jsontape::Error>(())
/// ```
pub fn parse<I: AsRef<[u8]> + ?Sized>(input: &I) -> Result<Document<'_>, Error> {
    parser::parse_owned(input.as_ref(), Options::default())
}

/// Paths the [`json!`] macro expands to; not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use alloc::borrow::Cow;
    pub use alloc::vec;
}

/// Internals for the benchmarks in `benches/`; not part of the API and not
/// covered by semantic versioning.
#[doc(hidden)]
pub mod __bench {
    use crate::arch::{Backend, Supported, dispatch};
    use crate::stage1::IndexJob;
    use alloc::vec::Vec;

    /// Runs stage 1 alone with `backend` (or the automatic choice if this
    /// machine does not support it), leaving the structural offsets of
    /// `input` in `index`. Requires `input.len() < 2^32`.
    pub fn structural_index(backend: Backend, input: &[u8], index: &mut Vec<u32>) -> usize {
        index.clear();
        let job = IndexJob {
            input,
            index,
            line_ends: false,
        };
        dispatch(Supported::resolve(Some(backend)), job);
        index.len()
    }
}

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
