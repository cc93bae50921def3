//! On-demand extraction: [`get`] and [`get_many`] find values by JSON Pointer
//! in one pass over the input, skipping whatever they do not need, without
//! building a tape.
//!
//! # How
//!
//! Stage 1 runs lazily, one 64-byte block at a time, with the backend chosen
//! at run time (the same kernels and the same block scan as [`parse`]): the
//! walk takes tokens from a block only where it reads the structure. Every
//! value no pointer goes through is skipped by counting brackets outside
//! strings with the block's bit masks: one popcount of the opening and one of
//! the closing brackets per block, and a whole block passes at once while the
//! depth cannot reach zero in it. [`get_many`] merges its pointers into a
//! trie of tokens and walks the input once, descending only into the members
//! and elements some pointer needs. Nothing recurses on the input's depth, and
//! nothing reads past the end of the input; [`get`] allocates nothing unless
//! its pointer has `~` escapes, a key on the path has JSON escapes, or it
//! returns an error.
//!
//! Pointer semantics, duplicate keys and exactly what is validated on the
//! way are documented on [`get`], the public face of this module.
//!
//! [`parse`]: crate::parse

mod query;
mod stream;
mod value;
mod walk;

pub use value::LazyValue;

use crate::arch::{Job, Kernel, Supported, dispatch};
use crate::error::Error;
use crate::parser::Options;
use alloc::vec::Vec;
pub(crate) use query::PathStep;
use query::{Chain, Query, Steps, Trie};
use stream::Fault;

/// The value at `json_pointer` (RFC 6901) in `input`, found without parsing
/// the rest: `Ok(None)` if there is none.
///
/// One pass over the input that reads the objects and arrays on the
/// pointer's path and skips every other value by counting brackets, 64 bytes
/// at a time (details below).
///
/// ```
/// let input = r#"{"users": [{"name": "Ada", "id": 1}, {"name": "Grace", "id": 2}], "n": 2}"#;
/// let name = jsontape::get(input, "/users/1/name")?.unwrap();
/// assert_eq!(name.as_str().as_deref(), Some("Grace"));
/// assert_eq!(name.raw_json(), r#""Grace""#);
/// assert!(jsontape::get(input, "/users/2")?.is_none());
///
/// // Keys are compared after decoding escapes, pointer tokens after `~0`/`~1`.
/// assert_eq!(jsontape::get(r#"{"a\/b": {"~": 7}}"#, "/a~1b/~0")?.and_then(|v| v.as_u64()), Some(7));
/// // The last of duplicate keys wins.
/// assert_eq!(jsontape::get(r#"{"a": 1, "a": 2}"#, "/a")?.unwrap().raw_json(), "2");
/// # Ok::<(), jsontape::Error>(())
/// ```
///
/// # Pointers
///
/// As in [`Document::pointer`](crate::Document::pointer) (RFC 6901): `~1` is
/// `/` and `~0` is `~`; a token selects an object member by its key,
/// compared after decoding the key's JSON escapes, or an array element by an
/// index without leading zeros; `-` never exists. A malformed pointer (not
/// empty and not starting with `/`, or a `~` not followed by `0` or `1`)
/// selects nothing, and [`get`] returns `Ok(None)` for it without reading the
/// input.
///
/// **Duplicate keys:** the last member with the key wins, as with
/// [`ValueRef::get`](crate::ValueRef::get). So every object on a pointer's
/// path is followed to its end even after a match, since a later member may
/// repeat the key and replace whatever the earlier one led to. That costs
/// little: an object where one key is sought is *searched* for it, not read
/// member by member (see below), so what follows the match is skimmed like
/// a skipped value. Arrays end the walk early: once every element a pointer
/// needs is done and no object around the array is still open, the walk
/// stops without reading further.
///
/// # What is validated
///
/// This is not a full parse; it checks what it reads, and is precise about it:
///
/// - **Objects searched for one key** (on the path of a single pointer,
///   or where all the pointers of [`get_many`] go on by the same key): the
///   members before, between and after the ones with the key are skipped
///   like the values off the paths below (strings paired, brackets counted),
///   and found by depth: a string one level inside the object, followed by
///   a `:`, whose text is the key. A key with escapes, or text equal to the
///   key that is not followed by a `:`, makes the walk read the rest of that
///   object member by member, as for the containers below. The members with
///   the key are read as below: key, colon, value.
/// - **Other containers on a path** (arrays, and objects where several keys
///   lead on): their grammar as far as the walk reads them, every comma,
///   colon and bracket, and every key of such an object in full
///   (terminated, valid escapes and surrogate pairs, no raw control
///   characters, valid UTF-8), whether or not it matches. An array is read up
///   to the last element a pointer needs; the rest of it is skipped like an
///   unneeded value below.
/// - **Values off the paths** (members and elements of those containers that
///   no pointer goes through): an object or array is skipped by counting
///   brackets outside strings (strings paired with their escapes respected;
///   `{`/`[` and `}`/`]` counted alike), and the bracket that closes it must be
///   of its own kind (not checked for the members a search skips); nothing
///   inside it is checked. A scalar must start with a
///   byte that starts a JSON value (`"`, `-`, a digit, `t`, `f` or `n`);
///   nothing else of it is checked.
/// - **The values found** are delimited the same way (a container by its
///   brackets, a string at its closing quote, a number or literal at the next
///   whitespace or structural byte), and their text must be valid UTF-8, so
///   that [`LazyValue::raw_json`] is a `&str`. Whether the text is valid JSON
///   is checked by the [`LazyValue`] accessors, which validate it in full.
/// - **The end of the input:** when the walk finishes the root value, only
///   whitespace may follow it, and the input must not end inside a string.
///   When the walk stops early (see above), nothing after that point is read.
///
/// Never checked: the grammar of numbers and literals off the found values,
/// the contents of strings other than the keys read, UTF-8 outside those
/// keys and the found values, and nesting depth
/// ([`Options::max_depth`] does not apply: nothing recurses). So a document
/// that [`parse`] rejects may still give answers here; a malformed part that
/// the walk reads, or unbalanced brackets or an unterminated string where it
/// skips, is an [`Error`] with its kind, offset, line and column.
///
/// ```
/// use jsontape::ErrorKind;
/// // An array on the path is read: the missing comma is an error.
/// let err = jsontape::get(r#"[1 2]"#, "/1").unwrap_err();
/// assert_eq!((err.kind(), err.offset()), (ErrorKind::ExpectedCommaOrArrayEnd, 3));
/// // An object searched for "b" skips the other members unread...
/// assert_eq!(jsontape::get(r#"{"a": 1 "b": 2}"#, "/b")?.unwrap().raw_json(), "2");
/// // ...while one where two keys lead on is read member by member.
/// let err = jsontape::get_many(r#"{"a": 1 "b": 2}"#, &["/a", "/b"]).unwrap_err();
/// assert_eq!((err.kind(), err.offset()), (ErrorKind::ExpectedCommaOrObjectEnd, 8));
/// // Skipped: unbalanced brackets are an error, the bad literal inside is not looked at.
/// assert!(jsontape::get(r#"{"a": [1, [2}, "b": 3}"#, "/b").is_err());
/// assert_eq!(jsontape::get(r#"{"a": [nul], "b": 3}"#, "/b")?.unwrap().raw_json(), "3");
/// # Ok::<(), jsontape::Error>(())
/// ```
///
/// [`parse`]: crate::parse
pub fn get<'a, I: AsRef<[u8]> + ?Sized>(
    input: &'a I,
    json_pointer: &str,
) -> Result<Option<LazyValue<'a>>, Error> {
    get_with(Options::default(), input, json_pointer)
}

/// [`get`] with [`Options`]: only the [backend](Options::with_backend) is used
/// (tests and benchmarks compare backends with it).
///
/// ```
/// use jsontape::{Backend, Options};
/// for backend in Backend::ALL.into_iter().filter(|b| b.is_supported()) {
///     let options = Options::new().with_backend(backend);
///     let v = jsontape::get_with(options, r#"{"a": [10, 20]}"#, "/a/1")?;
///     assert_eq!(v.and_then(|v| v.as_u64()), Some(20));
/// }
/// # Ok::<(), jsontape::Error>(())
/// ```
pub fn get_with<'a, I: AsRef<[u8]> + ?Sized>(
    options: Options,
    input: &'a I,
    json_pointer: &str,
) -> Result<Option<LazyValue<'a>>, Error> {
    let input = input.as_ref();
    let span = if json_pointer.contains('~') {
        // Tokens to decode: the trie decodes them once.
        let mut trie = Trie::new(&[json_pointer]);
        run(options, input, &mut trie)?;
        trie.found.first().copied().flatten()
    } else {
        let mut chain = Chain::new(json_pointer);
        run(options, input, &mut chain)?;
        chain.found
    };
    span.map(|span| LazyValue::new(input, span)).transpose()
}

/// The values at each of `pointers` in `input`, in the order of `pointers`,
/// found in one pass: `None` for a pointer with no value.
///
/// The pointers are merged into a trie, and the walk reads each container on
/// their paths once, descending only into the members and elements some
/// pointer needs; it validates as [`get`] does. The same pointer may be given
/// twice, and one may be a prefix of another.
///
/// ```
/// let input = r#"{"id": 7, "user": {"name": "Ada", "langs": ["en", "fr"]}, "big": [1, 2, 3]}"#;
/// let found = jsontape::get_many(input, &["/user/langs/1", "/id", "/missing", "/user/name", "/user"])?;
/// let raw: Vec<Option<&str>> = found.iter().map(|v| v.map(|v| v.raw_json())).collect();
/// assert_eq!(raw, [
///     Some(r#""fr""#),
///     Some("7"),
///     None,
///     Some(r#""Ada""#),
///     Some(r#"{"name": "Ada", "langs": ["en", "fr"]}"#),
/// ]);
/// # Ok::<(), jsontape::Error>(())
/// ```
pub fn get_many<'a, I: AsRef<[u8]> + ?Sized>(
    input: &'a I,
    pointers: &[&str],
) -> Result<Vec<Option<LazyValue<'a>>>, Error> {
    get_many_with(Options::default(), input, pointers)
}

/// [`get_many`] with [`Options`]: only the [backend](Options::with_backend)
/// is used.
///
/// ```
/// let options = jsontape::Options::new().with_backend(jsontape::Backend::Portable);
/// let found = jsontape::get_many_with(options, "[1, [2, 3]]", &["/1/0", "/0"])?;
/// assert_eq!(found[0].map(|v| v.raw_json()), Some("2"));
/// assert_eq!(found[1].map(|v| v.raw_json()), Some("1"));
/// # Ok::<(), jsontape::Error>(())
/// ```
pub fn get_many_with<'a, I: AsRef<[u8]> + ?Sized>(
    options: Options,
    input: &'a I,
    pointers: &[&str],
) -> Result<Vec<Option<LazyValue<'a>>>, Error> {
    let input = input.as_ref();
    let mut trie = Trie::new(pointers);
    run(options, input, &mut trie)?;
    trie.found
        .iter()
        .map(|span| span.map(|span| LazyValue::new(input, span)).transpose())
        .collect()
}

/// Walks `input` for `query` with the backend `options` ask for.
/// Every value a JSONPath query of `steps` selects, in document order, found
/// by one walk as [`get`] finds one (and validated as it validates).
pub(crate) fn select<'a>(input: &'a [u8], steps: &[PathStep]) -> Result<Vec<LazyValue<'a>>, Error> {
    let mut query = Steps::new(steps);
    run(Options::default(), input, &mut query)?;
    query
        .found
        .into_iter()
        .map(|span| LazyValue::new(input, span))
        .collect()
}

fn run<Q: Query>(options: Options, input: &[u8], query: &mut Q) -> Result<(), Error> {
    let backend = Supported::resolve(options.backend());
    dispatch(backend, WalkJob { input, query })
        .map_err(|(kind, offset)| Error::at(kind, input, offset))
}

/// The walk, as a [`Job`] compiled inside each backend.
struct WalkJob<'i, 'q, Q> {
    input: &'i [u8],
    query: &'q mut Q,
}

impl<Q: Query> Job for WalkJob<'_, '_, Q> {
    type Output = Result<(), Fault>;

    #[inline(always)]
    fn run<K: Kernel>(self, kernel: K) -> Result<(), Fault> {
        walk::walk(kernel, self.input, self.query)
    }
}
