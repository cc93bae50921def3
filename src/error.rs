//! Errors with a kind, a byte offset and a 1-based line and column.
//!
//! Every way a parse can fail ends in an [`Error`]: the parser never panics on
//! input. The position is computed once, when the error is made, by counting the
//! line breaks before the offending byte, so the happy path pays nothing for it.

use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use core::fmt;
use serde::de::{Expected, Unexpected};

/// What went wrong, without the position. See [`Error::kind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input ended where more JSON was required (an empty or all-whitespace
    /// input, an unclosed container, a missing value).
    UnexpectedEnd,
    /// A byte that cannot start a JSON value.
    ExpectedValue,
    /// An object field name was required (after `{` or `,` in an object).
    ExpectedKey,
    /// A `:` was required after an object field name.
    ExpectedColon,
    /// A `,` or `}` was required after an object field.
    ExpectedCommaOrObjectEnd,
    /// A `,` or `]` was required after an array element.
    ExpectedCommaOrArrayEnd,
    /// Something other than whitespace follows the complete document.
    TrailingCharacters,
    /// A literal that starts like `true`, `false` or `null` but is not one.
    InvalidLiteral,
    /// A number that does not follow the JSON number grammar.
    InvalidNumber,
    /// A number whose magnitude is too large for an `f64` (such as `1e400`).
    NumberOutOfRange,
    /// A string was opened and never closed.
    UnterminatedString,
    /// A raw control character (U+0000 to U+001F) inside a string; JSON requires
    /// them to be escaped.
    ControlCharacterInString,
    /// A backslash followed by a byte that is not a JSON escape.
    InvalidEscape,
    /// A `\u` escape without four hexadecimal digits.
    InvalidUnicodeEscape,
    /// A `\u` escape for a UTF-16 surrogate that is not part of a valid pair.
    LoneSurrogate,
    /// The input is not valid UTF-8.
    InvalidUtf8,
    /// Containers are nested deeper than [`Options::max_depth`](crate::Options).
    DepthLimitExceeded,
    /// The input is 4 GiB or larger; offsets on the tape are 32-bit.
    InputTooLarge,
    /// An object has the same key twice, and the caller asked for duplicates
    /// to be rejected ([`DuplicateKeys::Reject`](crate::DuplicateKeys)). The
    /// offset is that of the second occurrence; the message names the key.
    DuplicateKey,
    /// The JSON is well formed but does not fit the type being deserialized
    /// (a wrong type, a missing field, an out-of-range integer, an unknown
    /// variant, or an error raised by a `Deserialize` impl). The offset is
    /// that of the offending value and [`Error::path`] names it.
    Deserialize,
    /// A document of a stream ([`Documents`](crate::Documents),
    /// [`ReadDocuments`](crate::ReadDocuments)) is longer than
    /// [`StreamOptions::max_document_size`](crate::StreamOptions); the
    /// message gives the limit. The offset is where the document starts; the
    /// stream goes on after it (see [`Documents`](crate::Documents)).
    DocumentTooLarge,
    /// Reading a stream's input failed: the `std::io::Error` of a
    /// [`ReadDocuments`](crate::ReadDocuments)' reader (other than
    /// `Interrupted`, which is retried). The message is the I/O error's, the
    /// offset the number of bytes read before it, and the stream ends there.
    Io,
}

impl ErrorKind {
    /// A short description, used as the start of the error message.
    fn description(self) -> &'static str {
        match self {
            ErrorKind::UnexpectedEnd => "unexpected end of input",
            ErrorKind::ExpectedValue => "expected a JSON value",
            ErrorKind::ExpectedKey => "expected a string object key",
            ErrorKind::ExpectedColon => "expected ':' after object key",
            ErrorKind::ExpectedCommaOrObjectEnd => "expected ',' or '}' after object field",
            ErrorKind::ExpectedCommaOrArrayEnd => "expected ',' or ']' after array element",
            ErrorKind::TrailingCharacters => "trailing characters after the JSON value",
            ErrorKind::InvalidLiteral => "invalid literal, expected true, false or null",
            ErrorKind::InvalidNumber => "invalid number",
            ErrorKind::NumberOutOfRange => "number out of range for f64",
            ErrorKind::UnterminatedString => "unterminated string",
            ErrorKind::ControlCharacterInString => "unescaped control character in string",
            ErrorKind::InvalidEscape => "invalid escape in string",
            ErrorKind::InvalidUnicodeEscape => "invalid \\u escape, expected four hex digits",
            ErrorKind::LoneSurrogate => "lone UTF-16 surrogate in \\u escape",
            ErrorKind::InvalidUtf8 => "invalid UTF-8",
            ErrorKind::DepthLimitExceeded => "nesting deeper than the maximum depth",
            ErrorKind::InputTooLarge => "input of 4 GiB or more is not supported",
            ErrorKind::DuplicateKey => "duplicate object key",
            ErrorKind::Deserialize => "invalid data",
            ErrorKind::DocumentTooLarge => "document larger than the maximum document size",
            ErrorKind::Io => "I/O error",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

/// A parse error: what went wrong and where.
///
/// Line and column are 1-based; the column counts bytes from the start of the
/// line. The message says what was expected and what was found:
///
/// ```
/// let err = jsontape::parse("{\n  \"a\": 1\n  \"b\": 2\n}").unwrap_err();
/// assert_eq!(err.kind(), jsontape::ErrorKind::ExpectedCommaOrObjectEnd);
/// assert_eq!((err.line(), err.column(), err.offset()), (3, 3, 13));
/// assert_eq!(
///     err.to_string(),
///     "expected ',' or '}' after object field, found '\"' at line 3 column 3"
/// );
/// ```
///
/// The error is boxed, so a `Result<_, Error>` stays one pointer wide.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    inner: Box<ErrorInner>,
}

#[derive(Clone, PartialEq, Eq)]
struct ErrorInner {
    kind: ErrorKind,
    offset: usize,
    line: usize,
    column: usize,
    found: Option<Found>,
}

/// What stood at the error offset, for the message.
#[derive(Clone, PartialEq, Eq)]
enum Found {
    Byte(u8),
    End,
    /// An object key (decoded), for [`ErrorKind::DuplicateKey`].
    Key(Box<str>),
    /// For [`ErrorKind::Deserialize`]: serde's message, and the path to the
    /// value (empty for the root).
    Data {
        message: Box<str>,
        path: Box<str>,
    },
    /// For [`ErrorKind::DocumentTooLarge`]: the limit, in bytes.
    Limit(usize),
    /// For [`ErrorKind::Io`]: the I/O error's kind and message.
    #[cfg(feature = "std")]
    Io {
        kind: std::io::ErrorKind,
        message: Box<str>,
    },
}

/// 1-based line and column of `offset` in `input` (`offset <= input.len()`).
fn line_and_column(input: &[u8], offset: usize) -> (usize, usize) {
    let before = &input[..offset];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    (line, offset - line_start + 1)
}

/// The offset of the first byte of `bytes` that starts an invalid or cut-short
/// UTF-8 sequence; `None` if `bytes` are UTF-8. The fast checks (stage 1's,
/// simdutf8's basic one) only say whether there is one; this, which is
/// slower, is run once they have said so, to place the error.
#[cold]
pub(crate) fn first_invalid_utf8(bytes: &[u8]) -> Option<usize> {
    simdutf8::compat::from_utf8(bytes)
        .err()
        .map(|e| e.valid_up_to())
}

impl Error {
    /// Makes an error at `offset` of `input`, computing line and column.
    /// `offset` may equal `input.len()` (the error is at the end of input).
    #[cold]
    pub(crate) fn at(kind: ErrorKind, input: &[u8], offset: usize) -> Error {
        let offset = offset.min(input.len());
        let (line, column) = line_and_column(input, offset);
        let found = match input.get(offset) {
            Some(&b) => Found::Byte(b),
            None => Found::End,
        };
        let found = match kind {
            // The description already says what is there.
            ErrorKind::InputTooLarge
            | ErrorKind::DepthLimitExceeded
            | ErrorKind::InvalidUtf8
            | ErrorKind::DocumentTooLarge
            | ErrorKind::Io => None,
            _ => Some(found),
        };
        Error {
            inner: Box::new(ErrorInner {
                kind,
                offset,
                line,
                column,
                found,
            }),
        }
    }

    /// A [`ErrorKind::DuplicateKey`] error for `key`, whose repetition starts
    /// at `offset` of `input`.
    #[cold]
    pub(crate) fn duplicate_key(input: &[u8], offset: usize, key: &str) -> Error {
        let mut error = Error::at(ErrorKind::DuplicateKey, input, offset);
        error.inner.found = Some(Found::Key(key.into()));
        error
    }

    /// A [`ErrorKind::Deserialize`] error not yet tied to a position: what
    /// serde's `Error::custom` makes. The deserializer [`locate`]s it at the
    /// value it was reading when the error passed through.
    ///
    /// [`locate`]: Error::locate
    #[cold]
    pub(crate) fn data(message: String) -> Error {
        Error {
            inner: Box::new(ErrorInner {
                kind: ErrorKind::Deserialize,
                offset: 0,
                line: 0,
                column: 0,
                found: Some(Found::Data {
                    message: message.into(),
                    path: "".into(),
                }),
            }),
        }
    }

    /// A [`ErrorKind::DocumentTooLarge`] error for a document longer than
    /// `limit` bytes, at offset 0 of that document (see [`Error::rebased`]).
    #[cold]
    pub(crate) fn document_too_large(limit: usize) -> Error {
        let mut error = Error::at(ErrorKind::DocumentTooLarge, &[], 0);
        error.inner.found = Some(Found::Limit(limit));
        error
    }

    /// An [`ErrorKind::Io`] error for `error`, at offset 0 (see
    /// [`Error::rebased`]).
    #[cfg(feature = "std")]
    #[cold]
    pub(crate) fn io(error: &std::io::Error) -> Error {
        let mut located = Error::at(ErrorKind::Io, &[], 0);
        located.inner.found = Some(Found::Io {
            kind: error.kind(),
            message: error.to_string().into(),
        });
        located
    }

    /// Moves an error located in a piece of a larger input (a document of a
    /// stream) to its position in the whole: `offset`, `line` and `column`
    /// are where the piece starts. Line and column count from there, so the
    /// column only moves on the piece's first line. An error without a
    /// position yet (a fresh [`Error::data`]) is left alone.
    #[cold]
    pub(crate) fn rebased(mut self, offset: usize, line: usize, column: usize) -> Error {
        if self.is_located() {
            let inner = &mut *self.inner;
            if inner.line == 1 {
                inner.column += column.saturating_sub(1);
            }
            inner.line += line.saturating_sub(1);
            inner.offset += offset;
        }
        self
    }

    /// Adds `lines` to the line number (for an error located in a piece of a
    /// larger input that starts at the beginning of a line).
    #[cfg_attr(not(feature = "rayon"), allow(dead_code))]
    #[cold]
    pub(crate) fn lines_down(mut self, lines: usize) -> Error {
        if self.is_located() {
            self.inner.line += lines;
        }
        self
    }

    /// Whether the error has a position yet (every error but a fresh
    /// [`Error::data`] has).
    pub(crate) fn is_located(&self) -> bool {
        self.inner.line != 0
    }

    /// Ties an unlocated error to the value at `offset` of `input`, reached by
    /// `path`; an error that already has a position keeps it (the innermost
    /// value is the most precise).
    #[cold]
    pub(crate) fn locate(
        mut self,
        input: &[u8],
        offset: usize,
        path: impl FnOnce() -> String,
    ) -> Error {
        if self.is_located() {
            return self;
        }
        let (line, column) = line_and_column(input, offset);
        let inner = &mut *self.inner;
        (inner.offset, inner.line, inner.column) = (offset, line, column);
        if let Some(Found::Data { path: slot, .. }) = &mut inner.found {
            *slot = path().into();
        }
        self
    }

    /// Appends `hint` to the message of a [`ErrorKind::Deserialize`] error.
    #[cold]
    pub(crate) fn with_hint(mut self, hint: &str) -> Error {
        if let Some(Found::Data { message, .. }) = &mut self.inner.found {
            *message = format!("{message}{hint}").into();
        }
        self
    }

    /// The serde message of a [`ErrorKind::Deserialize`] error.
    pub(crate) fn data_message(&self) -> Option<&str> {
        match &self.inner.found {
            Some(Found::Data { message, .. }) => Some(message),
            _ => None,
        }
    }

    /// For a [`ErrorKind::Deserialize`] error, the path from the root to the
    /// offending value, such as `statuses[3].user.id` (empty for the root
    /// itself); `None` for syntax errors.
    ///
    /// ```
    /// #[derive(serde::Deserialize, Debug)]
    /// struct User { id: u64 }
    /// #[derive(serde::Deserialize, Debug)]
    /// struct Feed { users: Vec<User> }
    ///
    /// let err = jsontape::from_str::<Feed>(r#"{"users": [{"id": 1}, {"id": "x"}]}"#).unwrap_err();
    /// assert_eq!(err.path(), Some("users[1].id"));
    /// assert_eq!(
    ///     err.to_string(),
    ///     r#"users[1].id: invalid type: string "x", expected u64 at line 1 column 30"#
    /// );
    /// ```
    pub fn path(&self) -> Option<&str> {
        match &self.inner.found {
            Some(Found::Data { path, .. }) => Some(path),
            _ => None,
        }
    }

    /// What went wrong.
    ///
    /// ```
    /// let err = jsontape::parse("[1, 2").unwrap_err();
    /// assert_eq!(err.kind(), jsontape::ErrorKind::UnexpectedEnd);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// Byte offset of the offending byte in the input (the input length when the
    /// input ended too early).
    ///
    /// ```
    /// assert_eq!(jsontape::parse("[1, x]").unwrap_err().offset(), 4);
    /// ```
    pub fn offset(&self) -> usize {
        self.inner.offset
    }

    /// 1-based line of the offending byte.
    ///
    /// ```
    /// assert_eq!(jsontape::parse("[\n1,\n?]").unwrap_err().line(), 3);
    /// ```
    pub fn line(&self) -> usize {
        self.inner.line
    }

    /// For an [`ErrorKind::Io`] error, the kind of the reader's
    /// `std::io::Error`; `None` for every other error.
    ///
    /// ```
    /// use std::io::{self, Read};
    ///
    /// struct Broken;
    /// impl Read for Broken {
    ///     fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
    ///         Err(io::Error::new(io::ErrorKind::ConnectionReset, "peer went away"))
    ///     }
    /// }
    ///
    /// let mut docs = jsontape::ReadDocuments::new(Broken);
    /// let err = docs.next_document().unwrap().unwrap_err();
    /// assert_eq!(err.kind(), jsontape::ErrorKind::Io);
    /// assert_eq!(err.io_error_kind(), Some(io::ErrorKind::ConnectionReset));
    /// assert_eq!(err.to_string(), "I/O error: peer went away at line 1 column 1");
    /// assert!(docs.next_document().is_none());
    /// ```
    #[cfg(feature = "std")]
    pub fn io_error_kind(&self) -> Option<std::io::ErrorKind> {
        match &self.inner.found {
            Some(Found::Io { kind, .. }) => Some(*kind),
            _ => None,
        }
    }

    /// 1-based column, in bytes, of the offending byte.
    ///
    /// ```
    /// assert_eq!(jsontape::parse("[\n1,\n  ?]").unwrap_err().column(), 3);
    /// ```
    pub fn column(&self) -> usize {
        self.inner.column
    }

    /// The message without the position (` at line L column C`) that the
    /// error's `Display` ends with.
    ///
    /// ```
    /// let err = jsontape::parse("[1, 2").unwrap_err();
    /// assert_eq!(err.to_string(), "unexpected end of input at line 1 column 6");
    /// assert_eq!(err.message().to_string(), "unexpected end of input");
    /// assert_eq!((err.line(), err.column()), (1, 6));
    /// ```
    pub fn message(&self) -> ErrorMessage<'_> {
        ErrorMessage(self)
    }
}

/// An error's message without its position, from [`Error::message`]: what
/// the error's `Display` prints before ` at line L column C`, for reports
/// that show the position their own way.
#[derive(Debug, Clone, Copy)]
pub struct ErrorMessage<'a>(&'a Error);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message())?;
        if self.is_located() {
            write!(
                f,
                " at line {} column {}",
                self.inner.line, self.inner.column
            )?;
        }
        Ok(())
    }
}

impl fmt::Display for ErrorMessage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.0.inner;
        if let Some(Found::Data { message, path }) = &inner.found {
            if !path.is_empty() {
                write!(f, "{path}: ")?;
            }
            return f.write_str(message);
        }
        f.write_str(inner.kind.description())?;
        match &inner.found {
            Some(Found::Byte(b)) if b.is_ascii_graphic() => write!(f, ", found '{}'", *b as char)?,
            Some(Found::Byte(b)) => write!(f, ", found byte 0x{b:02x}")?,
            Some(Found::Key(key)) => write!(f, " {key:?}")?,
            Some(Found::Limit(limit)) => write!(f, " ({limit} bytes)")?,
            #[cfg(feature = "std")]
            Some(Found::Io { message, .. }) => write!(f, ": {message}")?,
            Some(Found::End) if inner.kind != ErrorKind::UnexpectedEnd => {
                f.write_str(", found end of input")?
            }
            _ => {}
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.inner.kind)
            .field("offset", &self.inner.offset)
            .field("line", &self.inner.line)
            .field("column", &self.inner.column)
            .field("message", &self.data_message())
            .field("path", &self.path())
            .finish()
    }
}

impl core::error::Error for Error {}

/// Errors raised by `Deserialize` impls while reading from a document; the
/// deserializer adds the position and path of the value being read.
impl serde::de::Error for Error {
    #[cold]
    fn custom<T: fmt::Display>(message: T) -> Error {
        Error::data(message.to_string())
    }

    /// Worded as serde_json words it: `null`, and floats in their shortest
    /// round-trip form.
    #[cold]
    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Error {
        Error::data(format!(
            "invalid type: {}, expected {expected}",
            JsonUnexpected(unexpected)
        ))
    }

    #[cold]
    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Error {
        Error::data(format!(
            "invalid value: {}, expected {expected}",
            JsonUnexpected(unexpected)
        ))
    }
}

/// serde's description of an unexpected value, in JSON's words.
struct JsonUnexpected<'a>(Unexpected<'a>);

impl fmt::Display for JsonUnexpected<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Unexpected::Unit => f.write_str("null"),
            Unexpected::Float(x) => match crate::Number::from_f64(x) {
                // A finite float as JSON writes it (`1.0`, `1e300`).
                Some(number) => write!(f, "floating point `{number}`"),
                None => write!(f, "floating point `{x}`"),
            },
            other => other.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_counts_lines_and_bytes() {
        let input = b"ab\ncd\n\nxyz";
        let e = Error::at(ErrorKind::ExpectedValue, input, 8);
        assert_eq!((e.line(), e.column(), e.offset()), (4, 2, 8));
        assert_eq!(
            e.to_string(),
            "expected a JSON value, found 'y' at line 4 column 2"
        );
    }

    #[test]
    fn position_at_end_of_input() {
        let e = Error::at(ErrorKind::UnexpectedEnd, b"[1,\n", 4);
        assert_eq!((e.line(), e.column()), (2, 1));
        assert_eq!(e.to_string(), "unexpected end of input at line 2 column 1");
        let e = Error::at(ErrorKind::ExpectedValue, b"", 0);
        assert_eq!(
            e.to_string(),
            "expected a JSON value, found end of input at line 1 column 1"
        );
    }

    #[test]
    fn non_printable_bytes_are_shown_in_hex() {
        let e = Error::at(ErrorKind::ControlCharacterInString, b"\"\x01\"", 1);
        assert_eq!(
            e.to_string(),
            "unescaped control character in string, found byte 0x01 at line 1 column 2"
        );
    }

    #[test]
    fn error_is_small_send_sync_static() {
        fn check<T: Send + Sync + 'static + core::error::Error>() {}
        check::<Error>();
        assert_eq!(core::mem::size_of::<Error>(), core::mem::size_of::<usize>());
    }
}
