//! [`Parser`], which keeps its buffers between documents, and [`Options`].

use crate::arch::{Backend, Job, Kernel, Supported, dispatch};
use crate::document::Document;
use crate::error::{Error, ErrorKind, first_invalid_utf8};
use crate::stage1;
use crate::stage2::{self, Buffers, Frame};
use alloc::vec::Vec;

/// Parser settings.
///
/// ```
/// let mut options = jsontape::Options::default();
/// options.max_depth = 2;
/// let mut parser = jsontape::Parser::with_options(options);
/// assert!(parser.parse("[[1]]").is_ok());
/// assert_eq!(
///     parser.parse("[[[1]]]").unwrap_err().kind(),
///     jsontape::ErrorKind::DepthLimitExceeded
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// The deepest nesting of arrays and objects accepted; deeper input is a
    /// [`DepthLimitExceeded`](ErrorKind::DepthLimitExceeded) error. Default 1024.
    pub max_depth: usize,
    /// The backend to use instead of [`backend()`](crate::backend);
    /// see [`Options::with_backend`].
    backend: Option<Backend>,
}

impl Options {
    /// The default options.
    ///
    /// ```
    /// assert_eq!(jsontape::Options::new().max_depth, 1024);
    /// ```
    pub const fn new() -> Options {
        Options {
            max_depth: 1024,
            backend: None,
        }
    }

    /// Sets [`max_depth`](Options::max_depth).
    ///
    /// ```
    /// let options = jsontape::Options::new().with_max_depth(10_000);
    /// assert_eq!(options.max_depth, 10_000);
    /// ```
    pub const fn with_max_depth(mut self, max_depth: usize) -> Options {
        self.max_depth = max_depth;
        self
    }

    /// Parses with `backend` instead of the automatic choice, if this
    /// machine supports it (see [`Backend::is_supported`]); an unsupported one
    /// falls back to the automatic choice. Meant for tests and benchmarks that
    /// compare backends.
    ///
    /// ```
    /// use jsontape::{Backend, Options, Parser};
    /// for backend in Backend::ALL.into_iter().filter(|b| b.is_supported()) {
    ///     let mut parser = Parser::with_options(Options::new().with_backend(backend));
    ///     assert_eq!(parser.parse("[1, 2]")?.root().len(), 2);
    /// }
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub const fn with_backend(mut self, backend: Backend) -> Options {
        self.backend = Some(backend);
        self
    }

    /// The backend requested with [`with_backend`](Options::with_backend), if any.
    ///
    /// ```
    /// assert_eq!(jsontape::Options::new().backend(), None);
    /// ```
    pub const fn backend(&self) -> Option<Backend> {
        self.backend
    }
}

impl Default for Options {
    fn default() -> Options {
        Options::new()
    }
}

/// A parser that keeps its buffers (structural index, tape, string arena and
/// container stack) from one document to the next.
///
/// The buffers grow to the most index, tape, arena and nesting any document so
/// far has needed, and never shrink: once a parser has seen documents like the
/// next one, parsing allocates nothing. (A smaller document can still need
/// more of one buffer, say more escapes; [`reserve`](Parser::reserve) sizes
/// every buffer for any document up to a given length, for a hard guarantee.)
/// A [`Document`] borrows the parser, so the borrow checker guarantees that
/// reuse can never change a document that is still in use:
///
/// ```
/// let mut parser = jsontape::Parser::new();
/// for input in [r#"{"id": 1}"#, r#"{"id": 2}"#] {
///     let doc = parser.parse(input)?;
///     println!("{}", doc.root().get("id").and_then(|v| v.as_u64()).unwrap());
/// }
/// # Ok::<(), jsontape::Error>(())
/// ```
///
/// ```compile_fail
/// let mut parser = jsontape::Parser::new();
/// let first = parser.parse("1").unwrap();
/// let second = parser.parse("2").unwrap(); // error: `parser` is still borrowed
/// println!("{}", first.root());
/// ```
#[derive(Debug, Default, Clone)]
pub struct Parser {
    options: Options,
    index: Vec<u32>,
    buffers: Buffers,
    stack: Vec<Frame>,
}

impl Parser {
    /// A parser with default [`Options`].
    ///
    /// ```
    /// let mut parser = jsontape::Parser::new();
    /// assert!(parser.parse("[]").is_ok());
    /// ```
    pub fn new() -> Parser {
        Parser::default()
    }

    /// A parser with the given options.
    ///
    /// ```
    /// let parser = jsontape::Parser::with_options(jsontape::Options::new().with_max_depth(64));
    /// assert_eq!(parser.options().max_depth, 64);
    /// ```
    pub fn with_options(options: Options) -> Parser {
        Parser {
            options,
            ..Parser::default()
        }
    }

    /// Sizes every buffer so that parsing any document of up to `document_len`
    /// bytes allocates nothing, whatever its content.
    ///
    /// This is the worst case: about 21 bytes of buffers per input byte (a
    /// structural offset for every byte, two tape words for every token, the
    /// whole input unescaped) plus the nesting stack, where typical documents
    /// use a tenth of that. Without it the buffers grow only as far as the
    /// documents seen so far needed.
    ///
    /// ```
    /// let mut parser = jsontape::Parser::new();
    /// parser.reserve(1 << 10);
    /// // No allocation from here on for documents of up to 1 KiB.
    /// assert!(parser.parse("[[[\"\\n\\n\\n\"]]]").is_ok());
    /// ```
    pub fn reserve(&mut self, document_len: usize) {
        fn at_least<T>(buffer: &mut Vec<T>, capacity: usize) {
            buffer.reserve(capacity.saturating_sub(buffer.len()));
        }
        at_least(&mut self.index, stage1::index_capacity_for(document_len));
        at_least(&mut self.buffers.tape, 2 * document_len + 2);
        self.buffers
            .arena
            .reserve(document_len.saturating_sub(self.buffers.arena.len()));
        at_least(&mut self.stack, self.options.max_depth.min(document_len));
    }

    /// The options this parser uses.
    ///
    /// ```
    /// assert_eq!(jsontape::Parser::new().options().max_depth, 1024);
    /// ```
    pub fn options(&self) -> Options {
        self.options
    }

    /// Parses `input`, which must be one complete JSON value (surrounding
    /// whitespace allowed), reusing this parser's buffers.
    ///
    /// ```
    /// let mut parser = jsontape::Parser::new();
    /// let doc = parser.parse(br#"{"name": "tape", "tags": ["a", "b"]}"#)?;
    /// assert_eq!(doc.root().get("tags").map(|t| t.len()), Some(2));
    /// # Ok::<(), jsontape::Error>(())
    /// ```
    pub fn parse<'p, I: AsRef<[u8]> + ?Sized>(
        &'p mut self,
        input: &'p I,
    ) -> Result<Document<'p>, Error> {
        let text = self.parse_text(input.as_ref())?;
        Ok(Document::borrowed(text, &self.buffers))
    }

    /// Parses `input` into this parser's buffers; returns it as text.
    pub(crate) fn parse_text<'a>(&mut self, input: &'a [u8]) -> Result<&'a str, Error> {
        parse_into(
            input,
            self.options,
            &mut self.index,
            &mut self.buffers,
            &mut self.stack,
        )
    }

    /// The tape and arena of the last parse.
    pub(crate) fn buffers(&self) -> &Buffers {
        &self.buffers
    }

    /// The buffers, for parsers driven from outside (document streams): the
    /// structural index, the tape and arena, and the container stack.
    pub(crate) fn parts(&mut self) -> (&mut Vec<u32>, &mut Buffers, &mut Vec<Frame>) {
        (&mut self.index, &mut self.buffers, &mut self.stack)
    }
}

/// Parses with fresh buffers; the document owns its tape and arena.
pub(crate) fn parse_owned(input: &[u8], options: Options) -> Result<Document<'_>, Error> {
    let mut buffers = Buffers::default();
    let text = parse_into(
        input,
        options,
        &mut Vec::new(),
        &mut buffers,
        &mut Vec::new(),
    )?;
    // The document outlives the parse: give back what it will not use. The
    // tape was reserved from the token count, but commas and colons write no
    // words (on citm_catalog.json almost half of it was spare), and the arena
    // grew by doubling from a guess.
    let word = core::mem::size_of::<u64>();
    if worth_shrinking(buffers.tape.capacity() * word, buffers.tape.len() * word) {
        buffers.tape.shrink_to_fit();
    }
    if worth_shrinking(buffers.arena.capacity(), buffers.arena.len()) {
        buffers.arena.shrink_to_fit();
    }
    Ok(Document::owned(text, buffers))
}

/// Whether a buffer of `capacity` bytes holding `len` is worth shrinking:
/// over a quarter of it, and at least 4 KiB, is spare (a small tail is not
/// worth a call to the allocator). glibc's allocator shrinks in place, or by
/// remapping a large block, without copying it.
fn worth_shrinking(capacity: usize, len: usize) -> bool {
    let spare = capacity - len;
    spare >= 4096 && spare > capacity / 4
}

/// The whole parse: size check, stage 1 (which checks UTF-8 too), stage 2.
/// Returns the input as validated text.
pub(crate) fn parse_into<'a>(
    input: &'a [u8],
    options: Options,
    index: &mut Vec<u32>,
    buffers: &mut Buffers,
    stack: &mut Vec<Frame>,
) -> Result<&'a str, Error> {
    if u32::try_from(input.len()).is_err() {
        return Err(too_large(input));
    }
    let job = ParseJob {
        input,
        max_depth: options.max_depth,
        index,
        buffers,
        stack,
    };
    dispatch(Supported::resolve(options.backend), job)
}

/// Stage 1, UTF-8 validation and stage 2, run with one backend's kernel.
struct ParseJob<'t, 'b> {
    input: &'t [u8],
    max_depth: usize,
    index: &'b mut Vec<u32>,
    buffers: &'b mut Buffers,
    stack: &'b mut Vec<Frame>,
}

impl<'t> Job for ParseJob<'t, '_> {
    type Output = Result<&'t str, Error>;

    #[inline(always)]
    fn run<K: Kernel>(self, kernel: K) -> Result<&'t str, Error> {
        let input = self.input;
        self.index.clear();
        let scanned = stage1::index::<K, false>(kernel, input, self.index);
        let text = if scanned.utf8 {
            // SAFETY: stage 1 validated the input as UTF-8.
            unsafe { core::str::from_utf8_unchecked(input) }
        } else {
            return Err(utf8_error(input));
        };
        // Every token writes at most two tape words, so this bound keeps tape
        // indexes within the 32 bits the tape stores them in.
        if self.index.len() > (u32::MAX / 2) as usize {
            return Err(too_large(input));
        }
        let built = stage2::build(
            kernel,
            text,
            self.index,
            self.buffers,
            self.stack,
            self.max_depth,
        );
        // Report whichever error comes first in the input: a control character
        // that stage 1 found in a string, or what stage 2 found.
        match (built, scanned.first_control) {
            (Ok(()), None) => Ok(text),
            (Err(e), Some(c)) if c >= e.offset() => Err(e),
            (Ok(()), Some(c)) | (Err(_), Some(c)) => {
                Err(Error::at(ErrorKind::ControlCharacterInString, input, c))
            }
            (Err(e), None) => Err(e),
        }
    }
}

#[cold]
fn too_large(input: &[u8]) -> Error {
    // Computing a line and column would mean scanning 4 GiB; report offset 0.
    Error::at(ErrorKind::InputTooLarge, &input[..0], 0)
}

/// The error for input that stage 1 found is not UTF-8: at its first
/// invalid byte, which simdutf8's detailed check finds.
#[cold]
fn utf8_error(input: &[u8]) -> Error {
    let at = first_invalid_utf8(input).unwrap_or(0);
    Error::at(ErrorKind::InvalidUtf8, input, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_error_wins() {
        // The control character comes after a grammar error: the grammar error is reported.
        let e = crate::parse(b"[1 2, \"\x01\"]").unwrap_err();
        assert_eq!(
            (e.kind(), e.offset()),
            (ErrorKind::ExpectedCommaOrArrayEnd, 3)
        );
        // And before one: the control character is reported.
        let e = crate::parse(b"[\"\x01\", 1 2]").unwrap_err();
        assert_eq!(
            (e.kind(), e.offset()),
            (ErrorKind::ControlCharacterInString, 2)
        );
        // In an otherwise valid document.
        let e = crate::parse(b"\"a\nb\"").unwrap_err();
        assert_eq!(
            (e.kind(), e.offset(), e.line(), e.column()),
            (ErrorKind::ControlCharacterInString, 2, 1, 3)
        );
    }

    #[test]
    fn invalid_utf8_is_located() {
        let e = crate::parse(b"[\"ok\", \"\xff\"]").unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ErrorKind::InvalidUtf8, 8));
    }

    #[test]
    fn reuse_gives_the_same_results_as_fresh_parses() {
        let inputs = [
            "[1,\"a\\n\"]",
            "{\"k\":[true,null,-1.5e3]}",
            "\"x\"",
            "[]",
            "{\"\\u00e9\":\"\\t\"}",
        ];
        let mut parser = Parser::new();
        for input in inputs.iter().chain(inputs.iter().rev()) {
            let reused = parser.parse(input).unwrap().root().to_string();
            let fresh = crate::parse(input).unwrap().root().to_string();
            assert_eq!(reused, fresh);
        }
    }
}
